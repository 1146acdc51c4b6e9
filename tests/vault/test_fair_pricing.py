"""Issue 12: no holder can push a strategy's loss (reported or not) onto other holders or later depositors.

Each story ends with every party's exact share (within a few wei: the mock strategy is an OZ ERC-4626 whose
virtual share keeps a unit per operation). On the old book-priced vault each of them failed."""

from typing import Any

import ape
import pytest
from eth_utils import keccak
from vaultlib import DAY, UNIT, WEEK, near, submit, warp


@pytest.fixture
def lossy_vault(make_vault: Any, make_strategy: Any, add_strategy: Any) -> tuple[Any, Any]:
    """A vault lending everything to one lossy strategy."""
    vault = make_vault()
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    return vault, strategy


def exit_all(vault: Any, holder: Any) -> int:
    """Redeem everything `holder` can; the assets received (0 when the position is worth nothing)."""
    shares = vault.maxRedeem(holder)
    if shares == 0:
        return 0
    return vault.redeem(shares, holder, holder, sender=holder).return_value


def test_unreported_loss__first_exiter_gets_half_not_everything(
    lossy_vault: Any, fund: Any, admin, allocator, alice, bob
) -> None:
    vault, strategy = lossy_vault
    for holder in (alice, bob):
        fund(vault, holder, 100 * UNIT)
        vault.deposit(100 * UNIT, holder, sender=holder)
    vault.allocate(sender=allocator)
    strategy.slash(100 * UNIT, sender=admin)  # 100 of 200 lost; nobody has reported it
    assert near(vault.totalAssets(), 100 * UNIT) and vault.unrealisedLoss() == 100 * UNIT
    got_alice = exit_all(vault, alice)  # alice saw it coming and exits first
    got_bob = exit_all(vault, bob)
    assert near(got_alice, 50 * UNIT) and near(got_bob, 50 * UNIT)


@pytest.mark.parametrize("decimals", [18, 6])
def test_profit_then_bigger_loss__dust_deposit_cannot_take_the_vault(
    make_vault: Any,
    make_strategy: Any,
    add_strategy: Any,
    fund: Any,
    token_of: Any,
    admin,
    allocator,
    alice,
    bob,
    decimals: int,
) -> None:
    """+10 reported (locked), then −105 on 110: 5 are still held and belong to the old holder."""
    unit = 10**decimals
    vault = make_vault(decimals=decimals)
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    token = token_of(vault)
    fund(vault, alice, 100 * unit)
    vault.deposit(100 * unit, alice, sender=alice)
    vault.allocate(sender=allocator)
    token.mint(strategy, 10 * unit, sender=admin)
    vault.report(strategy, sender=allocator)
    strategy.slash(105 * unit, sender=admin)
    for realised in (False, True):
        if realised:
            vault.report(strategy, sender=allocator)
            assert vault.lockedProfit() == 0  # the loss consumed the locked 10 first
        assert near(vault.totalAssets(), 5 * unit)
    dust = 10**6 if decimals == 18 else 10**3  # 0.001 USDC at 6 decimals
    fund(vault, bob, dust)
    vault.deposit(dust, bob, sender=bob)
    assert vault.convertToAssets(vault.balanceOf(bob)) <= dust
    assert near(vault.convertToAssets(vault.balanceOf(alice)), 5 * unit)
    assert near(exit_all(vault, bob), dust) and near(exit_all(vault, alice), 5 * unit)


def test_fee_after_loss__is_priced_at_what_holders_own_not_at_zero(
    lossy_vault: Any, fund: Any, token_of: Any, admin, allocator, alice, fee_recipient, chain
) -> None:
    vault, strategy = lossy_vault
    token = token_of(vault)
    vault.setPerformanceFee(2_000, fee_recipient, sender=admin)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    token.mint(strategy, 10 * UNIT, sender=admin)
    vault.report(strategy, sender=allocator)  # fee 2 on +10
    strategy.slash(105 * UNIT, sender=admin)
    vault.report(strategy, sender=allocator)
    fee_before = vault.convertToAssets(vault.balanceOf(fee_recipient))
    token.mint(strategy, 1 * UNIT, sender=admin)  # +1: fee 0.2
    vault.report(strategy, sender=allocator)
    fee_gain = vault.convertToAssets(vault.balanceOf(fee_recipient)) - fee_before
    assert fee_gain <= UNIT // 5 + 2  # the fee recipient gets its 20 %, not the vault
    warp(chain, WEEK)
    total = vault.totalAssets()
    assert near(
        vault.convertToAssets(vault.balanceOf(alice)) + vault.convertToAssets(vault.balanceOf(fee_recipient)),
        total,
        wei=4,
    )
    assert (
        vault.convertToAssets(vault.balanceOf(alice))
        >= total - vault.convertToAssets(vault.balanceOf(fee_recipient)) - 4
    )


def test_profit_then_equal_loss__just_in_time_depositor_gains_nothing(
    lossy_vault: Any, fund: Any, token_of: Any, admin, allocator, alice, bob, chain
) -> None:
    """+20 reported then −20 reported (net zero): the price never dips, so buying in between earns nothing."""
    vault, strategy = lossy_vault
    token = token_of(vault)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    token.mint(strategy, 20 * UNIT, sender=admin)
    vault.report(strategy, sender=allocator)
    strategy.slash(20 * UNIT, sender=admin)
    price = vault.totalAssets()
    vault.report(strategy, sender=allocator)
    assert abs(vault.totalAssets() - price) <= 1  # the report does not move the price
    assert near(vault.totalAssets(), 100 * UNIT)
    fund(vault, bob, 100 * UNIT)
    vault.deposit(100 * UNIT, bob, sender=bob)  # just in time for the "recovery"
    warp(chain, WEEK)
    assert near(exit_all(vault, bob), 100 * UNIT) and near(exit_all(vault, alice), 100 * UNIT)


@pytest.mark.parametrize(
    ("profit", "loss", "elapsed"), [(20, 5, 0), (20, 20, DAY), (4, 30, 3 * DAY), (0, 7, 0)]
)
def test_report_of_a_loss__keeps_the_price_within_one_wei(
    lossy_vault: Any,
    fund: Any,
    token_of: Any,
    admin,
    allocator,
    alice,
    chain,
    profit: int,
    loss: int,
    elapsed: int,
) -> None:
    vault, strategy = lossy_vault
    token = token_of(vault)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    if profit:
        token.mint(strategy, profit * UNIT, sender=admin)
        vault.report(strategy, sender=allocator)
    warp(chain, elapsed)
    strategy.slash(loss * UNIT, sender=admin)
    # the price read in the block the report then lands in (same timestamp): locked profit decays per second
    head = chain.blocks.head.timestamp
    before = vault.totalAssets()
    chain.pending_timestamp = head
    tx = vault.report(strategy, sender=allocator)
    assert chain.blocks.head.timestamp == head
    assert vault.StrategyReported.from_receipt(tx)[0].loss > 0
    assert abs(vault.totalAssets() - before) <= 1


def test_forced_write_off_of_a_healthy_strategy__waits_so_holders_leave_first(
    make_vault: Any, make_strategy: Any, add_strategy: Any, fund: Any, curator, allocator, alice, bob, chain
) -> None:
    """The accomplice scenario: a write-off is announced a timelock ahead; the holders exit at full price."""
    vault = make_vault(timelock=DAY)
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    data = bytes(vault.forceRemoveStrategy.encode_input(strategy))
    with ape.reverts(vault.NotSubmitted, id=keccak(data)):
        vault.forceRemoveStrategy(strategy, sender=curator)
    submit(vault, "forceRemoveStrategy", strategy, sender=curator)
    with ape.reverts(vault.TimelockNotElapsed):
        vault.forceRemoveStrategy(strategy, sender=curator)
    # the accomplice buying now pays the full price; alice leaves at the full price
    fund(vault, bob, 100 * UNIT)
    vault.deposit(100 * UNIT, bob, sender=bob)
    vault.allocate(sender=allocator)
    assert near(exit_all(vault, alice), 100 * UNIT)
    warp(chain, DAY)
    vault.forceRemoveStrategy(strategy, sender=curator)
    assert exit_all(vault, bob) == 0  # the accomplice bore the write-off he waited for


def test_forced_write_off__after_emergency_withdraw__is_instant(
    make_vault: Any, make_strategy: Any, add_strategy: Any, fund: Any, curator, guardian, allocator, alice
) -> None:
    vault = make_vault(timelock=DAY)
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    vault.emergencyWithdraw(strategy, sender=guardian)  # the guardian's instant brake
    params = vault.strategyParams(strategy)
    assert (params.targetBps, params.cap, params.debt) == (0, 0, 0)
    tx = vault.forceRemoveStrategy(strategy, sender=curator)  # value 0: no timelock
    assert vault.StrategyForceRemoved.from_receipt(tx)[0].loss == 0
    assert near(vault.totalAssets(), 100 * UNIT)


def test_max_redeem__dust_position_worth_nothing_after_loss__is_zero(
    lossy_vault: Any, fund: Any, admin, allocator, alice, bob
) -> None:
    vault, strategy = lossy_vault
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    fund(vault, bob, 2)
    vault.deposit(2, bob, sender=bob)
    vault.allocate(sender=allocator)
    strategy.slash(99 * UNIT, sender=admin)
    vault.report(strategy, sender=allocator)
    assert vault.balanceOf(bob) == 2 * 10**6
    assert vault.maxWithdraw(bob) == 0 and vault.maxRedeem(bob) == 0
    with ape.reverts(vault.ZeroAssets):
        vault.redeem(vault.balanceOf(bob), bob, bob, sender=bob)
    shares = vault.maxRedeem(alice)
    assert shares > 0 and vault.redeem(shares, alice, alice, sender=alice).return_value > 0


def test_max_mint_and_deposit__after_repeated_total_losses__never_overflow(
    lossy_vault: Any, fund: Any, admin, allocator, alice, bob, carol
) -> None:
    vault, strategy = lossy_vault
    for holder in (alice, bob):  # twice: each total loss multiplies the shares per asset unit by ~10**26
        fund(vault, holder, 100 * UNIT)
        vault.deposit(100 * UNIT, holder, sender=holder)
        vault.allocate(sender=allocator)
        strategy.slash(strategy.totalAssets(), sender=admin)
        vault.report(strategy, sender=allocator)
    assert (
        vault.totalAssets() == 0 and vault.totalSupply() > 10**45
    )  # old maxMint: 2**128 × 10**46 overflowed
    most = vault.maxDeposit(carol)
    assert 0 < most < 2**128
    shares = vault.maxMint(carol)  # would overflow (and revert) without the supply cap
    assert shares == vault.previewDeposit(most) > 0
    fund(vault, carol, most)
    assert vault.deposit(most, carol, sender=carol).return_value == shares
    assert vault.maxDeposit(carol) <= 1 and vault.maxRedeem(carol) <= vault.balanceOf(carol)
    assert vault.maxWithdraw(carol) == vault.convertToAssets(vault.balanceOf(carol))


def test_recover__unbooked_tokens_and_shares__returned_by_admin(
    lossy_vault: Any, fund: Any, token_of: Any, make_token: Any, admin, allocator, alice, bob, stranger
) -> None:
    vault, strategy = lossy_vault
    token = token_of(vault)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    fund(vault, bob, 10 * UNIT)
    vault.deposit(10 * UNIT, bob, sender=bob)  # 10 idle, booked
    token.mint(bob, 7 * UNIT, sender=bob)
    token.transfer(vault, 7 * UNIT, sender=bob)  # a plain transfer: not booked
    with ape.reverts(vault.RecoverExceedsUnbooked, amount=7 * UNIT + 1, unbooked=7 * UNIT):
        vault.recover(token, bob, 7 * UNIT + 1, sender=admin)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.recover(token, stranger, 7 * UNIT, sender=stranger)
    tx = vault.recover(token, bob, 7 * UNIT, sender=admin)
    assert token.balanceOf(bob) == 7 * UNIT and vault.idle() == 10 * UNIT
    event = vault.Recovered.from_receipt(tx)[0]
    assert (event.token, event.to, event.amount) == (token.address, bob.address, 7 * UNIT)
    with ape.reverts(vault.RecoverExceedsUnbooked, amount=1, unbooked=0):
        vault.recover(token, bob, 1, sender=admin)  # booked idle is untouchable
    # shares sent to the vault itself
    shares = vault.balanceOf(bob)
    vault.transfer(vault, shares, sender=bob)
    with ape.reverts(vault.RecoverExceedsBalance, token=vault.address, amount=shares + 1, balance=shares):
        vault.recover(vault, bob, shares + 1, sender=admin)
    vault.recover(vault, bob, shares, sender=admin)
    assert vault.balanceOf(bob) == shares
    # an active strategy's shares back its debt: refused
    with ape.reverts(vault.RecoverBookedToken, token=strategy.address):
        vault.recover(strategy, bob, 1, sender=admin)
    other = make_token(18)
    other.mint(vault, 3, sender=admin)
    vault.recover(other, bob, 3, sender=admin)
    assert other.balanceOf(bob) == 3
    with ape.reverts(vault.ZeroAddress):
        vault.recover(other, ape.utils.ZERO_ADDRESS, 1, sender=admin)
    with ape.reverts(vault.ZeroAmount):
        vault.recover(other, bob, 0, sender=admin)


def test_accepts_deposits__follows_pause_and_shutdown(vault: Any, guardian, admin) -> None:
    assert vault.acceptsDeposits() is True
    vault.pauseDeposits(sender=guardian)
    assert vault.acceptsDeposits() is False
    vault.unpauseDeposits(sender=admin)
    assert vault.acceptsDeposits() is True
    vault.shutdown(sender=guardian)
    assert vault.acceptsDeposits() is False


def test_profit_reported_beside_an_unrealised_loss__does_not_move_the_price(
    make_vault: Any,
    make_strategy: Any,
    add_strategy: Any,
    fund: Any,
    token_of: Any,
    admin,
    allocator,
    alice,
    chain,
) -> None:
    """A profit reported while another strategy carries an unrealised loss larger than the locked profit is
    locked on top of that loss, so the report cannot be sandwiched (it would otherwise show at once)."""
    vault = make_vault()
    token = token_of(vault)
    hurt, good = make_strategy(vault, kind="lossy"), make_strategy(vault, kind="lossy")
    add_strategy(vault, hurt, target_bps=5_000)
    add_strategy(vault, good, target_bps=5_000)
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    hurt.slash(20 * UNIT, sender=admin)  # unrealised: the price already shows it
    token.mint(good, 10 * UNIT, sender=admin)  # unreported gain: not in the price yet
    head = chain.blocks.head.timestamp
    before = vault.totalAssets()
    assert near(before, 80 * UNIT)
    chain.pending_timestamp = head
    tx = vault.report(good, sender=allocator)
    assert vault.StrategyReported.from_receipt(tx)[0].profit > 0
    assert abs(vault.totalAssets() - before) <= 1  # not 90: the gain unlocks over time like any profit
    chain.pending_timestamp = head
    vault.report(hurt, sender=allocator)  # realising the loss later keeps the price too
    assert abs(vault.totalAssets() - before) <= 1
    warp(chain, WEEK * 52)
    assert near(vault.totalAssets(), 90 * UNIT)  # once unlocked, holders own the gain
