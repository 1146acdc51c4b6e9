"""Allocator and guardian money moves: allocate, report (locked profit, fee, loss), emergencyWithdraw."""

from typing import Any

import ape
import pytest
from vaultlib import DAY, OFFSET, UNIT, WEEK, near, warp


@pytest.fixture
def funded(vault: Any, fund: Any, alice: Any) -> Any:
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    return vault


@pytest.fixture
def lossy(funded: Any, make_strategy, add_strategy, allocator) -> Any:
    """A lossy strategy holding 50 of the vault's 100 units."""
    s = make_strategy(funded, kind="lossy")
    add_strategy(funded, s, target_bps=5_000)
    funded.allocate(sender=allocator)
    return s


def test_allocate__lends_idle_up_to_each_target(
    funded: Any, make_strategy, add_strategy, token, allocator
) -> None:
    a, b = make_strategy(funded), make_strategy(funded, kind="lossy")
    add_strategy(funded, a, target_bps=6_000)
    add_strategy(funded, b, target_bps=2_500)
    tx = funded.allocate(sender=allocator)
    assert funded.strategyParams(a).debt == 60 * UNIT
    assert funded.strategyParams(b).debt == 25 * UNIT
    assert funded.idle() == 15 * UNIT and funded.totalDebt() == 85 * UNIT
    assert token.balanceOf(funded) == 15 * UNIT
    assert funded.totalAssets() == 100 * UNIT
    [event] = funded.Allocated.from_receipt(tx)
    assert (event.idle, event.totalDebt) == (15 * UNIT, 85 * UNIT)


def test_allocate__respects_cap_and_strategy_max_deposit(
    funded: Any, make_strategy, add_strategy, allocator
) -> None:
    capped = make_strategy(funded, kind="lossy")
    add_strategy(funded, capped, target_bps=9_000, cap=7 * UNIT)
    funded.allocate(sender=allocator)
    assert funded.strategyParams(capped).debt == 7 * UNIT
    assert funded.idle() == 93 * UNIT


def test_allocate__over_target__pulls_back_first(
    funded: Any, lossy, make_strategy, add_strategy, curator, allocator
) -> None:
    other = make_strategy(funded, kind="lossy")
    add_strategy(funded, other, target_bps=4_000)
    funded.setStrategyLimits(lossy, 1_000, 2**256 - 1, sender=curator)
    funded.allocate(sender=allocator)
    assert funded.strategyParams(lossy).debt == 10 * UNIT
    assert funded.strategyParams(other).debt == 40 * UNIT
    assert funded.idle() == 50 * UNIT


def test_allocate__broken_strategy__is_skipped(
    funded: Any, make_strategy, add_strategy, allocator, alice
) -> None:
    broken, fine = make_strategy(funded, kind="reverting"), make_strategy(funded, kind="lossy")
    add_strategy(funded, broken, target_bps=3_000)
    add_strategy(funded, fine, target_bps=3_000)
    broken.setBroken(True, sender=alice)
    funded.allocate(sender=allocator)
    assert funded.strategyParams(broken).debt == 0
    assert funded.strategyParams(fine).debt == 30 * UNIT


def test_allocate__after_shutdown__brings_everything_home(funded: Any, lossy, guardian, allocator) -> None:
    funded.shutdown(sender=guardian)
    funded.allocate(sender=allocator)
    assert funded.totalDebt() == 0 and funded.idle() == 100 * UNIT


def test_allocate_and_report__stranger__reverts(funded: Any, lossy, stranger) -> None:
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.allocate(sender=stranger)
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.report(lossy, sender=stranger)


def test_report__profit__is_locked_then_released_linearly(
    funded: Any, lossy, token, allocator, alice, chain
) -> None:
    token.mint(lossy, 7 * UNIT, sender=alice)
    tx = funded.report(lossy, sender=allocator)
    [event] = funded.StrategyReported.from_receipt(tx)
    assert near(event.profit, 7 * UNIT) and event.loss == 0 and near(event.debt, 57 * UNIT)
    assert event.locked == event.profit == funded.lockedProfit()
    assert funded.totalAssets() == 100 * UNIT  # nothing released yet: a report cannot be sandwiched
    warp(chain, WEEK // 2)
    assert near(funded.totalAssets(), 103_500_000_000_000_000_000, wei=10**14)  # half, ± a few seconds
    warp(chain, WEEK)
    assert funded.lockedProfit() == 0
    assert near(funded.totalAssets(), 107 * UNIT)


def test_report__second_profit__extends_lock_by_weighted_average(
    funded: Any, lossy, token, allocator, alice, chain
) -> None:
    token.mint(lossy, 7 * UNIT, sender=alice)
    funded.report(lossy, sender=allocator)
    warp(chain, WEEK // 2)
    still_locked = funded.lockedProfit()
    token.mint(lossy, 7 * UNIT, sender=alice)
    funded.report(lossy, sender=allocator)
    assert abs(funded.lockedProfit() - (still_locked + 7 * UNIT)) <= 10**14
    warp(
        chain, WEEK
    )  # longer than the weighted remaining time (3/4 week), shorter than a new full week + half
    assert funded.lockedProfit() == 0
    assert near(funded.totalAssets(), 114 * UNIT)


def test_report__with_zero_unlock_time__releases_profit_at_once(
    funded: Any, lossy, token, admin, allocator, alice
) -> None:
    funded.setProfitUnlockTime(0, sender=admin)
    token.mint(lossy, 5 * UNIT, sender=alice)
    funded.report(lossy, sender=allocator)
    assert near(funded.totalAssets(), 105 * UNIT) and funded.lockedProfit() == 0


def test_report__performance_fee__mints_shares_worth_the_fee(
    funded: Any, lossy, token, admin, allocator, alice, fee_recipient
) -> None:
    funded.setPerformanceFee(1_000, fee_recipient, sender=admin)
    price_before = funded.convertToAssets(OFFSET * UNIT)
    token.mint(lossy, 10 * UNIT, sender=alice)
    tx = funded.report(lossy, sender=allocator)
    fee_shares = funded.balanceOf(fee_recipient)
    assert funded.StrategyReported.from_receipt(tx)[0].feeShares == fee_shares > 0
    assert UNIT - 10 <= funded.convertToAssets(fee_shares) <= UNIT  # 10 % of 10, rounded down
    assert near(funded.lockedProfit(), 9 * UNIT)
    assert funded.convertToAssets(OFFSET * UNIT) >= price_before  # the fee never lowers the price


def test_report__loss__consumes_locked_profit_first_and_keeps_the_price(
    funded: Any, lossy, token, allocator, alice
) -> None:
    token.mint(lossy, 4 * UNIT, sender=alice)
    funded.report(lossy, sender=allocator)
    lossy.slash(10 * UNIT, sender=ape.accounts.test_accounts[0])
    # live pricing: the loss is in the price before any report (4 locked overlap with the 10 lost)
    before = funded.totalAssets()
    assert near(before, 94 * UNIT)
    tx = funded.report(lossy, sender=allocator)
    [event] = funded.StrategyReported.from_receipt(tx)
    assert event.profit == 0 and near(event.loss, 10 * UNIT) and near(event.debt, 44 * UNIT)
    assert funded.totalDebt() == event.debt
    # the 4 still locked absorbed 4 of the 10 lost: nothing is left locked, and the report did not move
    # the price
    assert funded.lockedProfit() == 0 and event.locked == 0
    assert abs(funded.totalAssets() - before) <= 1
    assert funded.totalAssets() == funded.idle() + funded.totalDebt()


def test_report__loss_beyond_locked_profit__leaves_what_is_still_held(
    funded: Any, lossy, token, admin, allocator, alice
) -> None:
    token.mint(lossy, 4 * UNIT, sender=alice)
    funded.report(lossy, sender=allocator)
    funded.redeem(funded.balanceOf(alice) // 2, alice, alice, sender=alice)  # idle 50 -> 0
    lossy.slash(token.balanceOf(lossy) - UNIT, sender=admin)
    assert near(funded.totalAssets(), UNIT)
    funded.report(lossy, sender=allocator)
    assert funded.lockedProfit() == 0
    # the vault still holds ~1 UNIT and it belongs to the holders: never priced at 0 while assets remain
    assert funded.totalAssets() == funded.idle() + funded.totalDebt()
    assert near(funded.totalAssets(), UNIT)


def test_report__inactive_strategy__reverts(funded: Any, make_strategy, allocator) -> None:
    s = make_strategy(funded)
    with ape.reverts(funded.StrategyNotActive, strategy=s.address):
        funded.report(s, sender=allocator)


def test_report__strategy_views_revert__reverts_call_failed(
    funded: Any, make_strategy, add_strategy, allocator, alice
) -> None:
    s = make_strategy(funded, kind="reverting")
    add_strategy(funded, s)
    s.setBroken(True, sender=alice)
    with ape.reverts(funded.StrategyCallFailed, strategy=s.address):
        funded.report(s, sender=allocator)


def test_report__yield_source__accrues_with_time(
    funded: Any, make_strategy, add_strategy, allocator, chain
) -> None:
    source = make_strategy(funded, kind="yield", rate_bps=1_000)
    add_strategy(funded, source, target_bps=10_000)
    start = chain.provider.get_block(funded.allocate(sender=allocator).block_number).timestamp
    warp(chain, 365 * DAY)
    tx = funded.report(source, sender=allocator)
    profit = funded.StrategyReported.from_receipt(tx)[0].profit
    # 10 % a year on 100, for the seconds that really passed between the two blocks (a loaded node may mine
    # the report a second or two after the warp); the strategy keeps ≤ 2 wei for its virtual share.
    elapsed = chain.provider.get_block(tx.block_number).timestamp - start
    assert elapsed >= 365 * DAY
    assert near(profit, 100 * UNIT * 1_000 * elapsed // (10_000 * 365 * DAY), wei=2)


def test_emergency_withdraw__redeems_all_and_zeroes_target(
    funded: Any, lossy, token, guardian, alice, allocator
) -> None:
    token.mint(lossy, 2 * UNIT, sender=alice)
    tx = funded.emergencyWithdraw(lossy, sender=guardian)
    [event] = funded.EmergencyWithdrawn.from_receipt(tx)
    assert near(event.received, 52 * UNIT) and event.profit == event.received - 50 * UNIT and event.loss == 0
    params = funded.strategyParams(lossy)
    assert (params.debt, params.targetBps, params.active) == (0, 0, True)
    assert funded.totalTargetBps() == 0
    assert funded.idle() == 50 * UNIT + event.received and funded.lockedProfit() == event.profit
    funded.allocate(sender=allocator)
    assert funded.strategyParams(lossy).debt == 0


def test_emergency_withdraw__after_a_loss__realises_it(funded: Any, lossy, admin, guardian) -> None:
    lossy.slash(20 * UNIT, sender=admin)
    funded.emergencyWithdraw(lossy, sender=guardian)
    assert funded.totalAssets() == 80 * UNIT and funded.totalDebt() == 0


def test_emergency_withdraw__illiquid__takes_what_it_can_and_keeps_the_rest_as_debt(
    funded: Any, make_strategy, add_strategy, allocator, guardian, alice
) -> None:
    s = make_strategy(funded, kind="illiquid", liquidity=0)
    add_strategy(funded, s, target_bps=5_000)
    funded.allocate(sender=allocator)
    s.setLiquidity(20 * UNIT, sender=alice)
    funded.emergencyWithdraw(s, sender=guardian)
    assert funded.strategyParams(s).debt == 30 * UNIT
    assert funded.idle() == 70 * UNIT and funded.totalAssets() == 100 * UNIT


def test_emergency_withdraw__broken_strategy__still_zeroes_target(
    funded: Any, make_strategy, add_strategy, allocator, guardian, alice
) -> None:
    s = make_strategy(funded, kind="reverting")
    add_strategy(funded, s, target_bps=5_000)
    funded.allocate(sender=allocator)
    s.setBroken(True, sender=alice)
    funded.emergencyWithdraw(s, sender=guardian)
    assert funded.strategyParams(s).targetBps == 0
    assert funded.strategyParams(s).debt == 50 * UNIT


def test_emergency_withdraw__stranger_or_inactive__reverts(
    funded: Any, lossy, make_strategy, guardian, stranger
) -> None:
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.emergencyWithdraw(lossy, sender=stranger)
    with ape.reverts(funded.StrategyNotActive):
        funded.emergencyWithdraw(make_strategy(funded), sender=guardian)


def test_remove_strategy__with_leftover_shares__books_them_as_profit(
    funded: Any, lossy, token, curator, allocator, alice
) -> None:
    token.mint(lossy, 5 * UNIT, sender=alice)  # unreported profit
    funded.setStrategyLimits(lossy, 0, 0, sender=curator)
    funded.allocate(sender=allocator)  # withdraws the 50 of debt, leaves the 5 of profit
    assert funded.strategyParams(lossy).debt == 0
    funded.removeStrategy(lossy, sender=curator)
    assert token.balanceOf(lossy) <= 1  # the strategy's own virtual-share dust
    assert near(funded.idle(), 105 * UNIT) and near(funded.lockedProfit(), 5 * UNIT)
