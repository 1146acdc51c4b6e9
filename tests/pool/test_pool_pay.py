"""pay / payWithPermit: one payer, one earner, split across tiers by profile."""

import ape
import pytest
from pool_helpers import BPS, deposited, sign_permit, source, split

SRC = source("adnet")
ONE = 10**18


def test_pay__with_unset_profile__credits_default_tier(system, platform, alice):
    system.fund(platform, ONE)
    tx = system.pool.pay(alice, ONE, SRC, sender=platform)

    assert deposited(tx, system.tiers, alice) == [ONE, 0, 0]
    assert system.shares(alice)[0] == system.tiers[0].convertToShares(ONE) > 0
    assert system.shares(alice)[1:] == [0, 0]
    [paid] = system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (platform, alice, SRC, ONE)
    assert system.token.balanceOf(system.pool) == 0
    assert system.token.balanceOf(platform) == 0


def test_pay__existing_earner__adds_to_holdings(system, platform, alice):
    system.fund(platform, 3 * ONE)
    system.pool.pay(alice, ONE, SRC, sender=platform)
    before = system.shares(alice)[0]
    system.pool.pay(alice, 2 * ONE, SRC, sender=platform)
    assert system.shares(alice)[0] == before + system.tiers[0].convertToShares(2 * ONE)


def minted_logs(tier, tx):
    return [e for e in tier.Transfer.from_receipt(tx) if e.event_arguments["from"] == "0x" + "00" * 20]


@pytest.mark.parametrize(
    "amount",
    [1, 2, 3, 7, 9_973, 10_007, 999_999_937, 2**96 - 1],
    ids=lambda a: f"amount={a}",
)
def test_pay__odd_amounts__split_floors_and_heaviest_takes_rest(system, platform, alice, amount):
    weights = [3_333, 3_334, 3_333]
    system.pool.setProfile(weights, sender=alice)
    system.fund(platform, amount)
    tx = system.pool.pay(alice, amount, SRC, sender=platform)

    credited = deposited(tx, system.tiers, alice)
    assert credited == split(amount, weights)
    assert sum(credited) == amount
    assert system.token.balanceOf(system.pool) == 0
    # a tier whose part rounds to zero is skipped, not called with 0
    assert len(minted_logs(system.tiers[0], tx)) == (1 if credited[0] else 0)
    # credit is not an ERC-4626 deposit: no Deposit event
    assert system.tiers[0].Deposit.from_receipt(tx) == []


def test_pay__one_wei_between_equal_weights__goes_to_first_heaviest(system, platform, alice):
    system.pool.setProfile([0, 5_000, 5_000], sender=alice)
    system.fund(platform, 1)
    tx = system.pool.pay(alice, 1, SRC, sender=platform)
    assert deposited(tx, system.tiers, alice) == [0, 1, 0]


def test_pay__zero_amount__reverts(system, platform, alice):
    system.fund(platform, ONE)
    with ape.reverts(system.pool.ZeroAmount):
        system.pool.pay(alice, 0, SRC, sender=platform)


def test_pay__zero_earner__reverts(system, platform):
    system.fund(platform, ONE)
    with ape.reverts(system.pool.ZeroEarner, index=0):
        system.pool.pay("0x" + "00" * 20, ONE, SRC, sender=platform)


def test_pay__without_allowance__reverts_and_moves_nothing(system, platform, alice):
    system.fund(platform, ONE, approve=ONE - 1)
    with ape.reverts(system.token.ERC20InsufficientAllowance):
        system.pool.pay(alice, ONE, SRC, sender=platform)
    assert system.token.balanceOf(platform) == ONE


def test_pay__fee_on_transfer_asset__reverts_shortfall(project, make_system, admin, platform, alice):
    fot = admin.deploy(project.FeeOnTransferToken, 100)  # 1 % fee
    s = make_system(token=fot)
    s.fund(platform, ONE)
    with ape.reverts(s.pool.TransferShortfall, expected=ONE, received=ONE - ONE // 100):
        s.pool.pay(alice, ONE, SRC, sender=platform)


def test_pay__paused_tier_without_fallback__skips_and_payer_keeps_funds(system, platform, alice, guardian):
    system.tiers[0].pauseDeposits(sender=guardian)  # the default tier has the lowest ceiling: no fallback
    system.fund(platform, ONE)
    tx = system.pool.pay(alice, ONE, SRC, sender=platform)
    assert system.token.balanceOf(platform) == ONE
    assert system.shares(alice) == [0, 0, 0]
    assert [(e.earner, e.tier, e.amount) for e in system.pool.PaymentSkipped.from_receipt(tx)] == [
        (alice.address, 0, ONE)
    ]


def test_pay__paused_tier_outside_profile__still_pays(system, platform, alice, guardian):
    system.tiers[1].pauseDeposits(sender=guardian)
    system.pool.setProfile([5_000, 0, 5_000], sender=alice)
    system.fund(platform, ONE)
    tx = system.pool.pay(alice, ONE, SRC, sender=platform)
    assert deposited(tx, system.tiers, alice) == [ONE // 2, 0, ONE // 2]


def test_pay__shut_down_tier__reroutes_to_next_lower_ceiling(system, platform, alice, admin):
    system.pool.setProfile([0, 0, BPS], sender=alice)
    system.tiers[2].shutdown(sender=admin)
    system.fund(platform, ONE)
    tx = system.pool.pay(alice, ONE, SRC, sender=platform)
    assert deposited(tx, system.tiers, alice) == [0, ONE, 0]
    assert [(e.fromTier, e.toTier) for e in system.pool.TierRerouted.from_receipt(tx)] == [(2, 1)]
    assert system.token.balanceOf(platform) == 0


def test_pay__six_decimals__credits_exact_amount(make_system, platform, alice):
    s = make_system(decimals=6)
    s.pool.setProfile([2_500, 2_500, 5_000], sender=alice)
    s.fund(platform, 1_234_567)
    tx = s.pool.pay(alice, 1_234_567, SRC, sender=platform)
    assert deposited(tx, s.tiers, alice) == split(1_234_567, [2_500, 2_500, 5_000])


def test_pay__eight_tiers__routes_to_every_tier(make_system, platform, alice):
    weights = [1_250] * 8
    s = make_system(ntiers=8)
    s.pool.setProfile(weights, sender=alice)
    s.fund(platform, 8 * ONE + 5)
    tx = s.pool.pay(alice, 8 * ONE + 5, SRC, sender=platform)
    assert deposited(tx, s.tiers, alice) == split(8 * ONE + 5, weights) == [ONE + 5] + [ONE] * 7


# ------------------------------------------------------------------ payWithPermit


def test_pay_with_permit__no_prior_approve__credits(system, chain, platform, alice):
    system.token.mint(platform, ONE, sender=platform)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(system.token, platform, system.pool, ONE, deadline, chain.chain_id)
    tx = system.pool.payWithPermit(alice, ONE, SRC, deadline, v, r, s, sender=platform)

    assert deposited(tx, system.tiers, alice) == [ONE, 0, 0]
    [paid] = system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.amount) == (platform, alice, ONE)
    assert system.token.allowance(platform, system.pool) == 0


def test_pay_with_permit__front_run_permit__still_pays(system, chain, platform, alice, stranger):
    system.token.mint(platform, ONE, sender=platform)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(system.token, platform, system.pool, ONE, deadline, chain.chain_id)
    # someone copies the signature from the mempool and spends the nonce first
    system.token.permit(platform, system.pool, ONE, deadline, v, r, s, sender=stranger)
    tx = system.pool.payWithPermit(alice, ONE, SRC, deadline, v, r, s, sender=platform)
    assert deposited(tx, system.tiers, alice) == [ONE, 0, 0]


def test_pay_with_permit__bad_signature_and_no_allowance__reverts(system, chain, platform, alice, bob):
    system.token.mint(platform, ONE, sender=platform)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(system.token, bob, system.pool, ONE, deadline, chain.chain_id)  # wrong signer
    with ape.reverts(system.token.ERC20InsufficientAllowance):
        system.pool.payWithPermit(alice, ONE, SRC, deadline, v, r, s, sender=platform)


def test_pay_with_permit__zero_amount__reverts(system, chain, platform, alice):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(system.token, platform, system.pool, 0, deadline, chain.chain_id)
    with ape.reverts(system.pool.ZeroAmount):
        system.pool.payWithPermit(alice, 0, SRC, deadline, v, r, s, sender=platform)


def test_pay__after_a_strategy_is_wiped_out__earner_keeps_the_payment(
    make_system, project, admin, platform, alice, bob, chain
) -> None:
    """Issue 12: the old holder's strategy loses everything (unreported), then bob is paid 100 through the
    pool.
    The old holder exits with 0 and bob keeps his 100: the loss is in the price bob paid."""
    system = make_system()
    tier = system.tiers[0]
    for role in ("CURATOR_ROLE", "ALLOCATOR_ROLE"):
        tier.grantRole(getattr(tier, role)(), admin, sender=admin)
    strategy = admin.deploy(project.LossyStrategy, system.token)
    call = (strategy, 1, 10_000, 2**256 - 1)
    tier.submit(tier.addStrategy.encode_input(*call), sender=admin)
    chain.pending_timestamp += tier.timelock()
    tier.addStrategy(*call, sender=admin)
    system.token.mint(alice, 100 * ONE, sender=alice)
    system.token.approve(tier, 100 * ONE, sender=alice)
    tier.deposit(100 * ONE, alice, sender=alice)
    tier.allocate(sender=admin)
    strategy.slash(100 * ONE, sender=admin)  # wiped out; nobody reported it
    system.fund(platform, 100 * ONE)
    system.pool.pay(bob, 100 * ONE, SRC, sender=platform)
    assert tier.maxRedeem(alice) == 0 and tier.maxWithdraw(alice) == 0
    assert 100 * ONE - 1 <= tier.maxWithdraw(bob) <= 100 * ONE
    got = tier.redeem(tier.balanceOf(bob), bob, bob, sender=bob).return_value
    assert 100 * ONE - 1 <= got <= 100 * ONE
