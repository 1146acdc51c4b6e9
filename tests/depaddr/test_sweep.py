"""Sweeping the asset: a platform pays an earner's deposit address by plain transfers, anyone sweeps, the
earner is credited by profile through the Pool's own `Paid` / `PaidMany` events (payer = the router)."""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak

ONE = 10**18
ADS = "ads"


def test_deposit_address__python_helper__matches_the_contract_before_deployment(dep, alice, tag):
    on_chain = dep.router.depositAddress(alice, tag(ADS))
    assert on_chain == dep.address_of(alice, ADS)
    assert dep.router.forwarderInitCodeHash() == keccak(bytes(dep.router.forwarderInitCode()))
    assert len(ape.chain.provider.get_code(on_chain)) == 0  # computable before anything is deployed


def test_deposit_address__other_source_or_earner__differs(dep, alice, bob, tag):
    a = dep.router.depositAddress(alice, tag(ADS))
    assert a != dep.router.depositAddress(alice, tag("game"))
    assert a != dep.router.depositAddress(bob, tag(ADS))


@pytest.mark.parametrize("who", ["pool", "tier", "router", "zero"])
def test_deposit_address__earner_is_pool_vault_router_or_zero__refused(dep, who, tag):
    earner = {
        "pool": dep.pool.address,
        "tier": dep.tiers[1].address,
        "router": dep.router.address,
        "zero": "0x" + "00" * 20,
    }[who]
    with ape.reverts(dep.router.UnsupportedEarner, earner=earner):
        dep.router.depositAddress(earner, tag(ADS))
    with ape.reverts(dep.router.UnsupportedEarner, earner=earner):
        dep.router.sweep(earner, tag(ADS), sender=dep.router.owner())


def test_sweep__funded_before_deployment__first_sweep_deploys_and_credits(
    dep, platform, alice, stranger, tag
):
    addr = dep.address_of(alice, ADS)
    dep.token.mint(platform, 10 * ONE, sender=platform)
    dep.token.transfer(addr, 10 * ONE, sender=platform)  # a platform that knows nothing of Tributary
    tx = dep.router.sweep(alice, tag(ADS), sender=stranger)  # anyone may sweep: it can only credit alice
    [deployed] = dep.router.ForwarderDeployed.from_receipt(tx)
    assert (deployed.earner, deployed.depositAddress) == (alice.address, addr)
    [paid] = dep.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (
        dep.router.address,
        alice.address,
        tag(ADS),
        10 * ONE,
    )
    assert dep.assets(alice) == 10 * ONE
    assert dep.split(alice) == [5 * ONE, 3 * ONE, 2 * ONE]  # default profile 50/30/20
    assert dep.token.balanceOf(addr) == 0
    assert dep.token.balanceOf(dep.router) == 0  # the router holds nothing between transactions


def test_sweep__funded_after_deployment__credits_again_without_redeploying(dep, platform, alice, tag):
    addr = dep.address_of(alice, ADS)
    dep.token.mint(platform, 10 * ONE, sender=platform)
    dep.token.transfer(addr, 4 * ONE, sender=platform)
    dep.router.sweep(alice, tag(ADS), sender=platform)
    dep.token.transfer(addr, 6 * ONE, sender=platform)  # after deployment: still a plain transfer
    tx = dep.router.sweep(alice, tag(ADS), sender=platform)
    assert not dep.router.ForwarderDeployed.from_receipt(tx)
    assert dep.assets(alice) == 10 * ONE


def test_sweep__earner_profile__followed(dep, platform, alice, tag):
    dep.pool.setProfile([0, 0, 10_000], sender=alice)
    dep.token.mint(dep.address_of(alice, ADS), 3 * ONE, sender=platform)
    dep.router.sweep(alice, tag(ADS), sender=platform)
    assert dep.split(alice) == [0, 0, 3 * ONE]


def test_sweep__empty_address__reverts_nothing_to_sweep(dep, alice, stranger, tag):
    with ape.reverts(dep.router.NothingToSweep, depositAddress=dep.address_of(alice, ADS)):
        dep.router.sweep(alice, tag(ADS), sender=stranger)


def test_sweep__front_run_by_another_sweep__second_reverts_and_earner_credited_once(
    dep, platform, alice, bob, carol, tag
):
    dep.token.mint(dep.address_of(alice, ADS), 5 * ONE, sender=platform)
    dep.router.sweep(alice, tag(ADS), sender=bob)  # the front-runner only pays alice's gas
    with ape.reverts(dep.router.NothingToSweep):
        dep.router.sweep(alice, tag(ADS), sender=carol)
    assert dep.assets(alice) == 5 * ONE
    assert dep.assets(bob) == 0


def test_sweep__dust_from_a_griefer__credited_exactly(dep, stranger, alice, tag):
    dep.token.mint(dep.address_of(alice, ADS), 1, sender=stranger)
    dep.router.sweep(alice, tag(ADS), sender=stranger)  # 1 wei: the heaviest tier takes it
    assert dep.assets(alice) == 1


def test_forwarder__called_by_anyone_but_the_router__reverts(dep, platform, alice, stranger, tag):
    addr = dep.address_of(alice, ADS)
    dep.token.mint(addr, ONE, sender=platform)
    dep.router.sweep(alice, tag(ADS), sender=platform)  # deploys
    code = ape.chain.provider.get_code(addr)
    assert bytes(code) == bytes(dep.router.forwarderInitCode())[9:]  # the documented 71 bytes, nothing else
    assert len(code) == 71
    dep.token.mint(addr, ONE, sender=platform)
    # the stranger asks the forwarder to run token.transfer(stranger, 1 token): refused (empty revert)
    payload = dep.token.transfer.encode_input(stranger, ONE)
    data = bytes.fromhex(dep.token.address[2:]).rjust(32, b"\0") + bytes(32) + bytes(payload)
    with ape.reverts():
        stranger.transfer(addr, 0, data=data)
    assert dep.token.balanceOf(addr) == ONE


def test_forwarder__plain_eth_with_100_gas_for_code__accepted_after_deployment(eth_dep, platform, alice, tag):
    addr = eth_dep.address_of(alice, ADS)
    platform.transfer(addr, ONE)
    eth_dep.router.sweep(alice, tag(ADS), sender=platform)  # deploys
    platform.transfer(addr, ONE, gas=21_100)  # less gas than a 2,300 stipend: the accept path costs ~40
    assert ape.chain.provider.get_balance(addr) == ONE


# ---------------------------------------------------------------- batches


def test_sweep_many__mixed_addresses__one_paid_many_and_empties_skipped(
    dep, platform, alice, bob, carol, tag
):
    dep.token.mint(dep.address_of(alice, ADS), 2 * ONE, sender=platform)
    dep.token.mint(dep.address_of(carol, ADS), 3 * ONE, sender=platform)
    tx = dep.router.sweepMany(tag(ADS), [alice, bob, carol], sender=platform)
    [paid] = dep.pool.PaidMany.from_receipt(tx)
    assert paid.payer == dep.router.address and paid.source == tag(ADS)
    entries = bytes(paid.payments)
    assert len(entries) == 64  # bob's empty address is skipped
    assert entries[:20] == bytes.fromhex(alice.address[2:]) and int.from_bytes(entries[20:32]) == 2 * ONE
    assert entries[32:52] == bytes.fromhex(carol.address[2:]) and int.from_bytes(entries[52:64]) == 3 * ONE
    assert (dep.assets(alice), dep.assets(bob), dep.assets(carol)) == (2 * ONE, 0, 3 * ONE)
    assert len(ape.chain.provider.get_code(dep.address_of(bob, ADS))) == 0  # empty: not deployed either
    assert len(dep.router.ForwarderDeployed.from_receipt(tx)) == 2


def test_sweep_many__same_earner_twice__credited_once(dep, platform, alice, tag):
    dep.token.mint(dep.address_of(alice, ADS), 2 * ONE, sender=platform)
    dep.router.sweepMany(tag(ADS), [alice, alice], sender=platform)
    assert dep.assets(alice) == 2 * ONE


def test_sweep_many__all_empty__reverts(dep, alice, bob, stranger, tag):
    with ape.reverts(dep.router.NothingToSweepInBatch):
        dep.router.sweepMany(tag(ADS), [alice, bob], sender=stranger)


def test_sweep_many__no_entries__reverts(dep, stranger, tag):
    with ape.reverts(dep.router.EmptyBatch):
        dep.router.sweepMany(tag(ADS), [], sender=stranger)


def test_sweep_many__above_pool_max_batch__reverts(dep, stranger, tag):
    limit = dep.router.MAX_BATCH()
    assert limit == dep.pool.MAX_BATCH()
    earners = ["0x" + keccak(text=str(i)).hex()[-40:] for i in range(limit + 1)]
    with ape.reverts(dep.router.BatchTooLarge, size=limit + 1, max=limit):
        dep.router.sweepMany(tag(ADS), earners, sender=stranger)


def test_sweep_many__unsupported_earner_inside__reverts(dep, platform, alice, tag):
    with ape.reverts(dep.router.UnsupportedEarner, earner=dep.pool.address):
        dep.router.sweepMany(tag(ADS), [alice, dep.pool], sender=platform)


def test_sweep_many__above_uint96__reverts_amount_too_large(dep, platform, alice, tag):
    addr = dep.address_of(alice, ADS)
    dep.token.mint(addr, 2**96, sender=platform)
    with ape.reverts(dep.router.AmountTooLarge, depositAddress=addr, amount=2**96):
        dep.router.sweepMany(tag(ADS), [alice], sender=platform)
    dep.router.sweep(alice, tag(ADS), sender=platform)  # the single sweep takes any amount
    assert dep.token.balanceOf(addr) == 0


def test_sweep__fee_on_transfer_asset__nothing_credited_that_did_not_arrive(
    project, make_dep, admin, platform, alice, tag
):
    skim = admin.deploy(project.SkimmingToken, 100)  # burns 1 % of every transfer
    s = make_dep(skim, swap=False)
    skim.mint(s.address_of(alice, ADS), 100 * ONE, sender=platform)
    # single: the router measures 99, the pool's pull then delivers 98.01 to the vaults, which refuse
    # single: the router measures 99 arrived and pays that; the pool's pull then delivers 1 % less to each
    # tier, whose balance check refuses (first tier part: 30 % of 99 = 29.7, of which 29.403 arrived). The
    # error is the tier's, bubbled through the pool; ape decodes it with the router's identical declaration.
    with ape.reverts(s.router.TransferShortfall, expected=297 * ONE // 10, received=29_403 * ONE // 1000):
        s.router.sweep(alice, tag(ADS), sender=platform)
    # batch: the router measures the batch and refuses itself
    with ape.reverts(s.router.TransferShortfall, expected=100 * ONE, received=99 * ONE):
        s.router.sweepMany(tag(ADS), [alice], sender=platform)
    assert skim.balanceOf(s.address_of(alice, ADS)) == 100 * ONE  # everything waits where it was


def test_sweep_many__one_address_front_run_by_a_single_sweep__batch_still_credits_the_rest(
    dep, platform, alice, bob, stranger, tag
):
    dep.token.mint(dep.address_of(alice, ADS), 2 * ONE, sender=platform)
    dep.token.mint(dep.address_of(bob, ADS), 3 * ONE, sender=platform)
    dep.router.sweep(alice, tag(ADS), sender=stranger)  # lands first: alice's address is now empty
    tx = dep.router.sweepMany(tag(ADS), [alice, bob], sender=platform)
    [paid] = dep.pool.PaidMany.from_receipt(tx)
    assert len(bytes(paid.payments)) == 32  # bob only
    assert (dep.assets(alice), dep.assets(bob)) == (2 * ONE, 3 * ONE)


def test_sweep_many__griefer_dust_on_many_addresses__batch_credits_each_exactly(
    dep, stranger, alice, bob, carol, tag
):
    for who in (alice, bob, carol):
        dep.token.mint(dep.address_of(who, ADS), 1, sender=stranger)  # 1 wei each: the keeper would skip them
    dep.router.sweepMany(tag(ADS), [alice, bob, carol], sender=stranger)  # the griefer pays to sweep them
    assert [dep.assets(w) for w in (alice, bob, carol)] == [1, 1, 1]


def test_sweep__tier_closed_with_no_safer_open_tier__reverts_and_the_money_waits(
    dep, platform, alice, stranger, guardian, tag
):
    """The Pool skips a part bound for a closed tier when no open tier is as safe (it stays with the payer,
    here the router): the sweep refuses instead, so the money waits at the deposit address, never in the
    router. Once the tier reopens the same sweep credits everything."""
    addr = dep.address_of(alice, ADS)
    dep.token.mint(platform, 10 * ONE, sender=platform)
    dep.token.transfer(addr, 10 * ONE, sender=platform)
    dep.tiers[0].pauseDeposits(sender=guardian)  # the safest tier: its 50 % part has nowhere safer to go
    with ape.reverts(dep.router.NotCredited, amount=5 * ONE):
        dep.router.sweep(alice, tag(ADS), sender=stranger)
    with ape.reverts(dep.router.NotCredited, amount=5 * ONE):
        dep.router.sweepMany(tag(ADS), [alice], sender=stranger)
    assert dep.token.balanceOf(addr) == 10 * ONE and dep.token.balanceOf(dep.router) == 0
    dep.tiers[0].unpauseDeposits(sender=guardian)
    dep.router.sweep(alice, tag(ADS), sender=stranger)
    assert dep.split(alice) == [5 * ONE, 3 * ONE, 2 * ONE]
    assert dep.token.balanceOf(dep.router) == 0


def test_sweep__riskier_tier_closed__its_part_goes_to_a_safer_open_tier(
    dep, platform, alice, stranger, guardian, tag
):
    addr = dep.address_of(alice, ADS)
    dep.token.mint(platform, 10 * ONE, sender=platform)
    dep.token.transfer(addr, 10 * ONE, sender=platform)
    dep.tiers[2].pauseDeposits(sender=guardian)  # growth closed: its 20 % goes to balanced (ceiling 3 ≤ 5)
    tx = dep.router.sweep(alice, tag(ADS), sender=stranger)
    [rerouted] = dep.pool.TierRerouted.from_receipt(tx)
    assert (rerouted.fromTier, rerouted.toTier) == (2, 1)
    assert dep.split(alice) == [5 * ONE, 5 * ONE, 0]
    assert dep.token.balanceOf(dep.router) == 0
