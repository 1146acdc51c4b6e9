"""A closed tier (paused or shut down) never blocks a payment and never raises an earner's risk (issue 12, 4).

The standard system has 3 tiers with risk ceilings 1, 2, 3 and the default profile "all to tier 0". A
closed tier's part goes to the open tier with the highest ceiling not above its own (ties: lower index);
when there is none (tier 0 here) the part is skipped and stays with (or goes back to) the payer.
"""

from typing import Any

import ape
import pytest
from eth_abi import encode
from pool_helpers import BPS, DAY, MAX_UINT, deposited, pack, sign_permit, source

SRC = source("adnet")
ONE = 10**18
NO_TIER = 2**256 - 1


def rerouted(pool: Any, tx: Any) -> list[tuple[int, int]]:
    return [(e.fromTier, e.toTier) for e in pool.TierRerouted.from_receipt(tx)]


def skipped(pool: Any, tx: Any) -> list[tuple[str, int, int]]:
    return [(e.earner, e.tier, e.amount) for e in pool.PaymentSkipped.from_receipt(tx)]


def close(tier: Any, how: str, guardian: Any) -> None:
    if how == "paused":
        tier.pauseDeposits(sender=guardian)
    else:
        tier.shutdown(sender=guardian)


# ---------------------------------------------------------------- routing rule


@pytest.mark.parametrize("how", ["paused", "shut down"])
def test_route_of__closed_tiers__lower_or_equal_ceiling_else_none(system, guardian, how):
    assert [system.pool.routeOf(t) for t in range(3)] == [0, 1, 2]
    close(system.tiers[2], how, guardian)
    assert system.pool.routeOf(2) == 1
    close(system.tiers[1], how, guardian)
    assert system.pool.routeOf(2) == 0  # the next lower ceiling, never higher
    assert system.pool.routeOf(1) == 0
    close(system.tiers[0], how, guardian)
    assert [system.pool.routeOf(t) for t in range(3)] == [NO_TIER] * 3


def test_route_of__closed_lowest_tier__never_goes_up(system, guardian):
    system.tiers[0].pauseDeposits(sender=guardian)
    assert system.pool.routeOf(0) == system.pool.NO_TIER()
    system.tiers[0].unpauseDeposits(sender=guardian)
    assert system.pool.routeOf(0) == 0


def test_route_of__unknown_tier__reverts(system):
    with ape.reverts(system.pool.UnknownTier, index=3):
        system.pool.routeOf(3)


def test_route_of__equal_ceilings__lower_index_first_and_never_higher(project, make_token, admin, guardian):
    token = make_token()
    ceilings = [2, 1, 2, 3]
    tiers = []
    for i, ceiling in enumerate(ceilings):
        vault = admin.deploy(project.TierVault, token, f"t{i}", f"t{i}", ceiling, admin, DAY, 7 * DAY)
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian, sender=admin)
        tiers.append(vault)
    pool = admin.deploy(project.Pool, token, tiers, [BPS, 0, 0, 0], admin, "0x" + "00" * 20)
    tiers[3].pauseDeposits(sender=guardian)
    assert pool.routeOf(3) == 0  # ceilings 2, 2 tie: the lower index
    tiers[0].pauseDeposits(sender=guardian)
    assert pool.routeOf(3) == 2
    assert pool.routeOf(0) == 2  # an equal ceiling is not a higher risk
    tiers[2].pauseDeposits(sender=guardian)
    assert pool.routeOf(3) == 1
    assert pool.routeOf(2) == 1
    tiers[1].pauseDeposits(sender=guardian)
    assert [pool.routeOf(t) for t in range(4)] == [NO_TIER] * 4


# ---------------------------------------------------------------- profiles


@pytest.mark.parametrize("how", ["paused", "shut down"])
def test_set_profile__weight_on_closed_tier__reverts_tier_closed(system, guardian, alice, how):
    close(system.tiers[1], how, guardian)
    with ape.reverts(system.pool.TierClosed, tier=1):
        system.pool.setProfile([5_000, 5_000, 0], sender=alice)
    assert not system.pool.hasProfile(alice)


def test_set_profile__closed_tier_without_weight__is_accepted(system, guardian, alice):
    system.tiers[1].pauseDeposits(sender=guardian)
    tx = system.pool.setProfile([5_000, 0, 5_000], sender=alice)
    assert system.pool.profileOf(alice) == [5_000, 0, 5_000]
    assert len(system.pool.ProfileSet.from_receipt(tx)) == 1


# ---------------------------------------------------------------- single payments


@pytest.mark.parametrize("how", ["paused", "shut down"])
def test_pay__split_profile_two_closed_tiers__parts_reroute_down(system, guardian, platform, alice, how):
    system.pool.setProfile([2_000, 3_000, 5_000], sender=alice)
    close(system.tiers[2], how, guardian)  # the heaviest tier (takes the rounding rest) is closed
    system.fund(platform, 1_001)
    tx = system.pool.pay(alice, 1_001, SRC, sender=platform)
    # parts: tier 0 200, tier 1 300, tier 2 (heaviest) the rest 501 -> tier 1
    assert deposited(tx, system.tiers, alice) == [200, 801, 0]
    assert rerouted(system.pool, tx) == [(2, 1)]
    assert skipped(system.pool, tx) == []
    assert system.token.balanceOf(platform) == 0


def test_pay__split_profile_lowest_tier_closed__skips_only_its_part(system, guardian, platform, alice):
    system.pool.setProfile([2_000, 3_000, 5_000], sender=alice)
    system.tiers[0].pauseDeposits(sender=guardian)
    system.fund(platform, 1_000)
    tx = system.pool.pay(alice, 1_000, SRC, sender=platform)
    assert deposited(tx, system.tiers, alice) == [0, 300, 500]
    assert skipped(system.pool, tx) == [(alice.address, 0, 200)]
    assert rerouted(system.pool, tx) == []
    assert system.token.balanceOf(platform) == 200  # the skipped part was never taken


def test_pay__every_tier_closed__pays_nothing_and_does_not_revert(system, guardian, platform, alice):
    system.pool.setProfile([2_000, 3_000, 5_000], sender=alice)
    for vault in system.tiers:
        vault.shutdown(sender=guardian)
    system.fund(platform, 1_000)
    tx = system.pool.pay(alice, 1_000, SRC, sender=platform)
    assert skipped(system.pool, tx) == [
        (alice.address, 0, 200),
        (alice.address, 1, 300),
        (alice.address, 2, 500),
    ]
    assert system.token.balanceOf(platform) == 1_000
    assert system.shares(alice) == [0, 0, 0]


def test_pay_with_permit__closed_tier__reroutes(system, chain, guardian, platform, alice):
    system.pool.setProfile([0, BPS, 0], sender=alice)
    system.tiers[1].pauseDeposits(sender=guardian)
    system.token.mint(platform, ONE, sender=platform)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(system.token, platform, system.pool, ONE, deadline, chain.chain_id)
    tx = system.pool.payWithPermit(alice, ONE, SRC, deadline, v, r, s, sender=platform)
    assert deposited(tx, system.tiers, alice) == [ONE, 0, 0]
    assert rerouted(system.pool, tx) == [(1, 0)]


def test_pay_with_permit__closed_tier_without_fallback__skips(system, chain, guardian, platform, alice):
    system.tiers[0].pauseDeposits(sender=guardian)
    system.token.mint(platform, ONE, sender=platform)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(system.token, platform, system.pool, ONE, deadline, chain.chain_id)
    tx = system.pool.payWithPermit(alice, ONE, SRC, deadline, v, r, s, sender=platform)
    assert skipped(system.pool, tx) == [(alice.address, 0, ONE)]
    assert system.token.balanceOf(platform) == ONE
    assert system.token.allowance(platform, system.pool) == ONE  # the permit stands, nothing was pulled


def test_transfer_and_call__closed_tier_without_fallback__returns_tokens(system, guardian, alice, bob):
    system.pool.setProfile([5_000, 5_000, 0], sender=bob)
    system.tiers[0].shutdown(sender=guardian)
    system.token.mint(alice, 1_000, sender=alice)
    data = encode(["address", "bytes32"], [bob.address, SRC])
    tx = system.token.transferAndCall(system.pool, 1_000, data, sender=alice)
    assert skipped(system.pool, tx) == [(bob.address, 0, 500)]
    assert system.token.balanceOf(alice) == 500  # the skipped half came back to the payer
    assert system.token.balanceOf(system.pool) == 0
    assert system.assets(bob) == [0, 500, 0]


def test_pay_eth__closed_tier__reroutes(eth_system, guardian, alice, bob):
    eth_system.pool.setProfile([0, 0, BPS], sender=bob)
    eth_system.tiers[2].pauseDeposits(sender=guardian)
    tx = eth_system.pool.payETH(bob, SRC, value=ONE, sender=alice)
    assert rerouted(eth_system.pool, tx) == [(2, 1)]
    assert eth_system.assets(bob) == [0, ONE, 0]
    assert eth_system.pool.balance == 0


def test_receive__split_profile_lowest_tier_closed__returns_its_part(eth_system, weth, guardian, alice):
    eth_system.pool.setProfile([4_000, 6_000, 0], sender=alice)
    eth_system.tiers[0].shutdown(sender=guardian)
    before = alice.balance
    tx = alice.transfer(eth_system.pool, ONE)
    assert skipped(eth_system.pool, tx) == [(alice.address, 0, 4 * ONE // 10)]
    assert before - alice.balance == 6 * ONE // 10 + tx.total_fees_paid
    assert eth_system.assets(alice) == [0, 6 * ONE // 10, 0]
    assert eth_system.pool.balance == 0
    assert weth.balanceOf(eth_system.pool) == 0


# ---------------------------------------------------------------- switchTier


@pytest.mark.parametrize("how", ["paused", "shut down"])
def test_switch_tier__closed_target__reverts_tier_closed(system, guardian, platform, alice, how):
    system.fund(platform, ONE)
    system.pool.pay(alice, ONE, SRC, sender=platform)
    system.tiers[0].approve(system.pool, MAX_UINT, sender=alice)
    close(system.tiers[1], how, guardian)
    with ape.reverts(system.pool.TierClosed, tier=1):
        system.pool.switchTier(0, 1, system.tiers[0].balanceOf(alice), 0, sender=alice)


# ---------------------------------------------------------------- batches


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("how", ["paused", "shut down"])
def test_pay_many__griefer_profile_on_closed_tier__everyone_else_credited(
    system, guardian, platform, alice, bob, carol, packed, how
):
    """Issue 12 (4): an earner's profile on a tier that then closes used to revert a whole batch."""
    system.pool.setProfile([0, 0, BPS], sender=carol)  # the griefer
    close(system.tiers[2], how, guardian)
    system.fund(platform, 6)
    entries = [(alice, 1), (carol, 2), (bob, 3)]
    if packed:
        tx = system.pool.payManyPacked(SRC, pack(entries), sender=platform)
    else:
        tx = system.pool.payMany(SRC, [e[0] for e in entries], [e[1] for e in entries], sender=platform)
    assert rerouted(system.pool, tx) == [(2, 1)]
    assert system.assets(alice) == [1, 0, 0]
    assert system.assets(bob) == [3, 0, 0]
    assert system.assets(carol) == [0, 2, 0]  # never a riskier tier than chosen
    assert system.token.balanceOf(platform) == 0


def test_pay_many__griefer_on_closed_tier_set_before_pause__issue_scenario(
    system, guardian, platform, alice, bob
):
    """The issue's scenario: a tier is paused; an earner sets a profile that uses it, then the platform pays
    everyone. Old main: setProfile accepted and payMany reverted TierPaused. Now setProfile refuses, and an
    earner whose profile predates the pause is rerouted without blocking the batch."""
    system.tiers[2].pauseDeposits(sender=guardian)
    with ape.reverts(system.pool.TierClosed, tier=2):
        system.pool.setProfile([0, 0, BPS], sender=bob)
    system.tiers[2].unpauseDeposits(sender=guardian)
    system.pool.setProfile([0, 0, BPS], sender=bob)
    system.tiers[2].pauseDeposits(sender=guardian)
    system.fund(platform, 2 * ONE)
    system.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)
    assert system.assets(alice) == [ONE, 0, 0]
    assert system.assets(bob) == [0, ONE, 0]


@pytest.mark.parametrize("packed", [False, True])
def test_pay_many__default_tier_shut_down__skips_each_entry_and_pulls_the_rest(
    system, guardian, platform, alice, bob, carol, packed
):
    system.pool.setProfile([0, 5_000, 5_000], sender=bob)
    system.tiers[0].shutdown(sender=guardian)  # the default profile's only tier, lowest ceiling
    system.fund(platform, 100)
    entries = [(alice, 10), (bob, 20), (carol, 30), (alice, 40)]
    if packed:
        tx = system.pool.payManyPacked(SRC, pack(entries), sender=platform)
    else:
        tx = system.pool.payMany(SRC, [e[0] for e in entries], [e[1] for e in entries], sender=platform)
    # one PaymentSkipped per tier entry: alice's payments are not consecutive in tier 0, so not merged
    assert skipped(system.pool, tx) == [
        (alice.address, 0, 10),
        (carol.address, 0, 30),
        (alice.address, 0, 40),
    ]
    assert rerouted(system.pool, tx) == []
    assert system.token.balanceOf(platform) == 80  # only bob's 20 was taken
    assert system.assets(bob) == [0, 10, 10]
    assert system.shares(alice) == [0, 0, 0]
    assert system.token.balanceOf(system.pool) == 0


def test_pay_many__default_profile_tier_shut_down__reroutes_everyone(
    make_system, guardian, platform, alice, bob
):
    s = make_system(profile=[0, 0, BPS])  # the immutable default profile: all to the riskiest tier
    s.tiers[2].shutdown(sender=guardian)
    s.fund(platform, 3 * ONE)
    tx = s.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)
    assert rerouted(s.pool, tx) == [(2, 1)]
    tx = s.pool.pay(alice, ONE, SRC, sender=platform)
    assert rerouted(s.pool, tx) == [(2, 1)]
    assert s.assets(alice) == [0, 2 * ONE, 0]
    assert s.assets(bob) == [0, ONE, 0]
    assert s.token.balanceOf(platform) == 0


def test_pay_many__two_closed_tiers__one_reroute_event_per_tier(system, guardian, platform, alice, bob):
    system.pool.setProfile([0, 5_000, 5_000], sender=alice)
    system.pool.setProfile([0, 0, BPS], sender=bob)
    system.tiers[1].pauseDeposits(sender=guardian)
    system.tiers[2].pauseDeposits(sender=guardian)
    system.fund(platform, 400)
    tx = system.pool.payMany(SRC, [alice, bob, alice], [100, 100, 200], sender=platform)
    assert rerouted(system.pool, tx) == [(1, 0), (2, 0)]
    assert system.assets(alice) == [300, 0, 0]
    assert system.assets(bob) == [100, 0, 0]
    assert system.token.balanceOf(platform) == 0
