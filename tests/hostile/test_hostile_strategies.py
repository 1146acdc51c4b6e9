"""Hostile strategies: one that reverts, one that lies about its value or its payouts, one that re-enters.

A tier must keep serving withdrawals from idle, trust nothing but measured balances, let a lie into the
share price only through `report` (profit locked, loss at once), and stop every reentry.
"""

from __future__ import annotations

from typing import Any

import ape
import pytest

DAY = 86_400
UNIT = 10**18


def _fund_and_allocate(vault: Any, strategy: Any, allocator: Any, alice: Any, bob: Any) -> None:
    vault.deposit(100 * UNIT, alice, sender=alice)
    vault.deposit(100 * UNIT, bob, sender=bob)
    vault.allocate(sender=allocator)  # 80 % of 200 to the strategy, 40 idle
    assert vault.totalDebt() == 160 * UNIT
    assert strategy.balanceOf(vault) > 0


# ---------------------------------------------------------------------------------------------- reverting
@pytest.fixture(scope="module")
def broken(vault_with) -> tuple[Any, Any, Any]:
    return vault_with("RevertingStrategy")


def test_reverting_strategy__withdrawals_of_idle__still_served_at_a_price_without_it(
    broken, allocator, guardian, alice, bob
) -> None:
    """Live pricing counts a strategy whose views revert as worth 0: an exit meanwhile is served from idle at
    that conservative price (it can never take value the vault cannot see), and whoever waits gets it back."""
    token, vault, strategy = broken
    _fund_and_allocate(vault, strategy, allocator, alice, bob)
    strategy.setBroken(True, sender=alice)
    assert vault.totalAssets() == 40 * UNIT and vault.unrealisedLoss() == 160 * UNIT
    assert 20 * UNIT - 1 <= vault.maxWithdraw(alice) <= 20 * UNIT, "half of idle: her share at the live price"
    before = token.balanceOf(alice)
    vault.withdraw(10 * UNIT, alice, alice, sender=alice)
    assert token.balanceOf(alice) - before == 10 * UNIT
    assert 20 * UNIT - 1 <= vault.maxWithdraw(bob) <= 20 * UNIT
    with ape.reverts(vault.InsufficientLiquidity, requested=31 * UNIT, available=30 * UNIT):
        vault.withdraw(31 * UNIT, alice, alice, sender=alice)
    vault.allocate(sender=allocator)  # allocation does not revert either: the strategy is skipped
    vault.emergencyWithdraw(strategy, sender=guardian)  # gets nothing, keeps the debt on the books
    assert vault.totalDebt() == 160 * UNIT
    strategy.setBroken(False, sender=alice)
    assert vault.totalAssets() == 190 * UNIT  # once it works again, nothing is lost
    got = vault.maxWithdraw(bob)
    vault.withdraw(got, bob, bob, sender=bob)
    assert got > 100 * UNIT  # bob, who waited, also gets what alice's early exit left behind


# ---------------------------------------------------------------------------------------------- lying
@pytest.fixture(scope="module")
def liar(vault_with) -> tuple[Any, Any, Any]:
    return vault_with("LyingStrategy")


def test_lying_strategy__inflated_value__enters_price_only_locked_through_report(
    liar, allocator, alice, bob, carol, chain
) -> None:
    token, vault, strategy = liar
    _fund_and_allocate(vault, strategy, allocator, alice, bob)
    strategy.setLies(30_000, 10_000, sender=alice)  # claims 3x what it holds
    price_before = vault.convertToAssets(10**24)
    assert vault.totalAssets() == 200 * UNIT, "a claimed value is not a realised one"
    vault.report(strategy, sender=allocator)
    assert abs(vault.lockedProfit() - 320 * UNIT) <= 2  # the fake profit is booked, and locked
    assert vault.convertToAssets(10**24) == price_before, "a report cannot be sandwiched"
    # A sandwich right after the report earns nothing beyond the linear unlock of the seconds that really
    # pass between its two blocks (zero in one block; a loaded node may mine them a second or two apart).
    before = token.balanceOf(carol)
    deposit = vault.deposit(50 * UNIT, carol, sender=carol)
    redeem = vault.redeem(vault.balanceOf(carol), carol, carol, sender=carol)
    elapsed = (
        chain.provider.get_block(redeem.block_number).timestamp
        - chain.provider.get_block(deposit.block_number).timestamp
    )
    released = 320 * UNIT * elapsed // vault.profitUnlockTime() + 1
    carol_share_of_release = released * 50 // 250 + 1
    assert token.balanceOf(carol) <= before + (carol_share_of_release if elapsed else 0)
    # the vault never pays more than it really holds: the strategy's inflated maxWithdraw fails to deliver
    assert token.balanceOf(vault) >= vault.idle()


def test_lying_strategy__deflated_value__loss_shows_at_once(liar, allocator, alice, bob) -> None:
    _, vault, strategy = liar
    _fund_and_allocate(vault, strategy, allocator, alice, bob)
    strategy.setLies(5_000, 10_000, sender=alice)  # claims half
    vault.report(strategy, sender=allocator)
    assert vault.totalAssets() == 120 * UNIT, "a reported loss is never hidden"


def test_lying_strategy__short_payout__vault_credits_only_what_arrived(liar, allocator, alice, bob) -> None:
    token, vault, strategy = liar
    _fund_and_allocate(vault, strategy, allocator, alice, bob)
    strategy.setLies(10_000, 5_000, sender=alice)  # withdraw() returns the full amount, sends half
    need = 60 * UNIT  # 40 idle + 20 from the strategy, of which only 10 arrive
    with ape.reverts(vault.InsufficientLiquidity):
        vault.withdraw(need, alice, alice, sender=alice)
    assert vault.idle() == 40 * UNIT and vault.totalDebt() == 160 * UNIT  # the revert undid everything
    vault.withdraw(40 * UNIT, alice, alice, sender=alice)  # what idle holds is still served
    assert token.balanceOf(vault) >= vault.idle()


# ---------------------------------------------------------------------------------------------- reentrant
@pytest.fixture(scope="module")
def reentrant(vault_with) -> tuple[Any, Any, Any]:
    return vault_with("ReentrantStrategy")


@pytest.mark.parametrize("inner", ["deposit", "withdraw", "allocate"])
def test_reentrant_strategy__reentry_during_allocate__is_refused(
    reentrant, allocator, alice, bob, inner
) -> None:
    token, vault, strategy = reentrant
    vault.deposit(100 * UNIT, alice, sender=alice)
    token.mint(strategy, UNIT, sender=alice)
    strategy.approveToken(token, vault, UNIT, sender=alice)
    calls = {
        "deposit": vault.deposit.encode_input(UNIT, strategy),
        "withdraw": vault.withdraw.encode_input(UNIT, strategy, alice),
        "allocate": vault.allocate.encode_input(),
    }
    strategy.arm(vault, calls[inner], sender=alice)
    supply = vault.totalSupply()
    tx = vault.allocate(sender=allocator)  # the strategy's deposit reverts inside try/catch: skipped
    assert not strategy.Reentered.from_receipt(tx), "the reentrant call succeeded"
    assert vault.totalDebt() == 0 and vault.idle() == 100 * UNIT
    assert vault.totalSupply() == supply


def test_reentrant_strategy__reentry_during_withdraw__is_refused(reentrant, allocator, alice, bob) -> None:
    token, vault, strategy = reentrant
    _fund_and_allocate(vault, strategy, allocator, alice, bob)
    strategy.arm(vault, vault.deposit.encode_input(UNIT, strategy), sender=alice)
    # 60 > 40 idle: the vault must pull from the strategy, whose withdraw re-enters and reverts
    with ape.reverts(vault.InsufficientLiquidity):
        vault.withdraw(60 * UNIT, alice, alice, sender=alice)
    vault.withdraw(40 * UNIT, alice, alice, sender=alice)
    assert token.balanceOf(vault) >= vault.idle()
