"""withdraw / redeem: idle first, then strategies in withdraw order; broken strategies never block."""

from typing import Any

import ape
import pytest
from vaultlib import OFFSET, UNIT


@pytest.fixture
def funded(vault: Any, fund: Any, alice: Any) -> Any:
    """alice holds all 100 units of the vault, all idle."""
    fund(vault, alice, 100 * UNIT)
    vault.deposit(100 * UNIT, alice, sender=alice)
    return vault


@pytest.fixture
def invested(funded: Any, make_strategy, add_strategy, allocator) -> tuple[Any, Any, Any]:
    """60 units lent: 30 to `first` (reverting kind, working for now), 30 to `second`; 40 idle."""
    first = make_strategy(funded, kind="reverting")
    second = make_strategy(funded, kind="illiquid", liquidity=0)
    add_strategy(funded, first, target_bps=3_000)
    add_strategy(funded, second, target_bps=3_000)
    funded.allocate(sender=allocator)
    return funded, first, second


def test_withdraw__from_idle__burns_shares_rounded_up(funded: Any, token, alice, bob) -> None:
    shares = funded.previewWithdraw(UNIT + 1)
    tx = funded.withdraw(UNIT + 1, bob, alice, sender=alice)
    assert token.balanceOf(bob) == UNIT + 1
    assert funded.balanceOf(alice) == 100 * UNIT * OFFSET - shares
    assert shares * 100 * UNIT >= (UNIT + 1) * 100 * UNIT * OFFSET // (100 * UNIT)
    [event] = funded.Withdraw.from_receipt(tx)
    assert (event.to, event.owner, event.assets, event.shares) == (
        bob.address,
        alice.address,
        UNIT + 1,
        shares,
    )
    assert funded.idle() == 99 * UNIT - 1


def test_redeem__by_approved_spender__spends_allowance(funded: Any, token, alice, bob) -> None:
    funded.approve(bob, 10 * OFFSET, sender=alice)
    funded.redeem(4 * OFFSET, bob, alice, sender=bob)
    assert funded.allowance(alice, bob) == 6 * OFFSET
    assert token.balanceOf(bob) == 4


def test_redeem__without_allowance__reverts(funded: Any, alice, bob) -> None:
    with ape.reverts(funded.InsufficientAllowance):
        funded.redeem(OFFSET, bob, alice, sender=bob)


def test_redeem__more_than_balance__reverts(funded: Any, alice, bob) -> None:
    with ape.reverts(funded.InsufficientBalance):
        funded.redeem(OFFSET, bob, bob, sender=bob)
    with ape.reverts(funded.InsufficientBalance):
        funded.redeem(funded.balanceOf(alice) + 1, alice, alice, sender=alice)


def test_withdraw_and_redeem__zero__revert_zero_amount(funded: Any, alice) -> None:
    with ape.reverts(funded.ZeroAmount):
        funded.withdraw(0, alice, alice, sender=alice)
    with ape.reverts(funded.ZeroAmount):
        funded.redeem(0, alice, alice, sender=alice)


def test_redeem__dust_share_worth_no_asset__reverts_zero_assets(funded: Any, alice) -> None:
    with ape.reverts(funded.ZeroAssets, shares=1):
        funded.redeem(1, alice, alice, sender=alice)


def test_withdraw__beyond_idle__draws_strategies_in_withdraw_order(invested, token, alice, curator) -> None:
    vault, first, second = invested
    second.setLiquidity(100 * UNIT, sender=alice)
    vault.setWithdrawOrder([second, first], sender=curator)
    tx = vault.withdraw(50 * UNIT, alice, alice, sender=alice)
    assert vault.strategyParams(second).debt == 20 * UNIT
    assert vault.strategyParams(first).debt == 30 * UNIT
    assert vault.idle() == 0 and vault.totalDebt() == 50 * UNIT
    assert token.balanceOf(alice) == 50 * UNIT
    [debt_event] = vault.DebtUpdated.from_receipt(tx)
    assert (debt_event.strategy, debt_event.oldDebt, debt_event.newDebt) == (
        second.address,
        30 * UNIT,
        20 * UNIT,
    )


def test_withdraw__reverting_strategy_first__is_skipped(invested, token, alice) -> None:
    vault, first, second = invested
    second.setLiquidity(100 * UNIT, sender=alice)
    first.setBroken(True, sender=alice)
    vault.withdraw(70 * UNIT, alice, alice, sender=alice)
    assert token.balanceOf(alice) == 70 * UNIT
    assert vault.strategyParams(first).debt == 30 * UNIT
    assert vault.strategyParams(second).debt == 0


def test_withdraw__illiquid_strategy__gives_what_it_can_then_the_next(
    invested, token, alice, curator
) -> None:
    vault, first, second = invested
    second.setLiquidity(5 * UNIT, sender=alice)
    vault.setWithdrawOrder([second, first], sender=curator)
    vault.withdraw(60 * UNIT, alice, alice, sender=alice)
    assert vault.strategyParams(second).debt == 25 * UNIT
    assert vault.strategyParams(first).debt == 15 * UNIT
    assert token.balanceOf(alice) == 60 * UNIT


def test_withdraw__more_than_liquid__reverts_insufficient_liquidity(invested, alice) -> None:
    vault, first, second = invested
    first.setBroken(True, sender=alice)
    with ape.reverts(vault.InsufficientLiquidity, requested=41 * UNIT, available=40 * UNIT):
        vault.withdraw(41 * UNIT, alice, alice, sender=alice)


def test_max_withdraw_and_redeem__count_only_what_strategies_release(invested, alice, bob) -> None:
    vault, first, second = invested
    assert vault.maxWithdraw(alice) == 70 * UNIT  # 40 idle + 30 first + 0 from the illiquid second
    second.setLiquidity(12 * UNIT, sender=alice)
    assert vault.maxWithdraw(alice) == 82 * UNIT
    first.setBroken(True, sender=alice)
    assert vault.maxWithdraw(alice) == 52 * UNIT
    assert vault.maxRedeem(alice) == vault.convertToShares(52 * UNIT)
    assert vault.maxWithdraw(bob) == 0 and vault.maxRedeem(bob) == 0
    vault.withdraw(vault.maxWithdraw(alice), alice, alice, sender=alice)
    assert vault.maxWithdraw(alice) == 0


def test_max_redeem__then_redeem__succeeds(invested, token, alice) -> None:
    vault, first, second = invested
    shares = vault.maxRedeem(alice)
    vault.redeem(shares, alice, alice, sender=alice)
    assert token.balanceOf(alice) == 70 * UNIT


def test_max_withdraw__small_holder__is_their_value(funded: Any, fund, bob) -> None:
    fund(funded, bob, 3 * UNIT)
    funded.deposit(3 * UNIT, bob, sender=bob)
    assert funded.maxWithdraw(bob) == 3 * UNIT
    assert funded.maxRedeem(bob) == funded.balanceOf(bob)


def test_withdraw__while_paused_or_shut_down__still_works(funded: Any, token, guardian, alice) -> None:
    funded.pauseDeposits(sender=guardian)
    funded.withdraw(UNIT, alice, alice, sender=alice)
    funded.shutdown(sender=guardian)
    funded.redeem(funded.balanceOf(alice), alice, alice, sender=alice)
    assert token.balanceOf(alice) == 100 * UNIT
