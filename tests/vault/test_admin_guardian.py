"""Constructor checks, admin settings (timelock, fee, unlock time) and the guardian's brakes."""

from typing import Any

import ape
import pytest
from eth_utils import keccak
from vaultlib import DAY, UNIT, warp

MAX_TIMELOCK = 30 * DAY
YEAR = 365 * DAY


def test_constructor__zero_admin__reverts(project: Any, admin, token) -> None:
    with ape.reverts(project.TierVault.ZeroAddress):
        admin.deploy(project.TierVault, token, "n", "s", 1, ape.utils.ZERO_ADDRESS, 0, 0)


@pytest.mark.parametrize("ceiling", [0, 6])
def test_constructor__risk_ceiling_outside_1_to_5__reverts(project: Any, admin, token, ceiling: int) -> None:
    with ape.reverts(project.TierVault.InvalidRiskCeiling, riskCeiling=ceiling, maxRisk=5):
        admin.deploy(project.TierVault, token, "n", "s", ceiling, admin, 0, 0)


def test_constructor__timelock_or_unlock_too_long__reverts(project: Any, admin, token) -> None:
    with ape.reverts(project.TierVault.TimelockTooLong):
        admin.deploy(project.TierVault, token, "n", "s", 1, admin, MAX_TIMELOCK + 1, 0)
    with ape.reverts(project.TierVault.ProfitUnlockTimeTooLong):
        admin.deploy(project.TierVault, token, "n", "s", 1, admin, 0, YEAR + 1)


def test_roles__only_admin_grants(vault: Any, admin, curator, stranger) -> None:
    assert vault.hasRole(vault.CURATOR_ROLE(), curator)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.grantRole(vault.CURATOR_ROLE(), stranger, sender=curator)
    vault.revokeRole(vault.CURATOR_ROLE(), curator, sender=admin)
    assert not vault.hasRole(vault.CURATOR_ROLE(), curator)


def test_set_timelock__raise__applies_at_once(vault: Any, admin) -> None:
    tx = vault.setTimelock(DAY, sender=admin)
    assert vault.timelock() == DAY
    assert vault.TimelockSet.from_receipt(tx)[0].timelock == DAY


def test_set_timelock__lower__waits_the_current_timelock(vault: Any, admin, chain) -> None:
    vault.setTimelock(2 * DAY, sender=admin)
    data = bytes(vault.setTimelock.encode_input(DAY))
    with ape.reverts(vault.NotSubmitted, id=keccak(data)):
        vault.setTimelock(DAY, sender=admin)
    tx = vault.submit(data, sender=admin)
    at = vault.executableAt(keccak(data))
    assert at == chain.blocks.head.timestamp + 2 * DAY
    assert vault.Submitted.from_receipt(tx)[0].executableAt == at
    with ape.reverts(vault.TimelockNotElapsed, executableAt=at):
        vault.setTimelock(DAY, sender=admin)
    warp(chain, 2 * DAY)
    vault.setTimelock(DAY, sender=admin)
    assert vault.timelock() == DAY
    assert vault.executableAt(keccak(data)) == 0


def test_set_timelock__pending_decrease__revoked_by_guardian(vault: Any, admin, guardian, chain) -> None:
    vault.setTimelock(2 * DAY, sender=admin)
    data = bytes(vault.setTimelock.encode_input(DAY))
    vault.submit(data, sender=admin)
    vault.revoke(data, sender=guardian)
    warp(chain, 2 * DAY)
    with ape.reverts(vault.NotSubmitted, id=keccak(data)):
        vault.setTimelock(DAY, sender=admin)
    assert vault.timelock() == 2 * DAY


def test_set_timelock__too_long_or_stranger__reverts(vault: Any, admin, stranger) -> None:
    with ape.reverts(vault.TimelockTooLong, timelock=MAX_TIMELOCK + 1, max=MAX_TIMELOCK):
        vault.setTimelock(MAX_TIMELOCK + 1, sender=admin)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.setTimelock(DAY, sender=stranger)


def test_set_performance_fee__sets_fee_and_recipient(vault: Any, admin, fee_recipient) -> None:
    tx = vault.setPerformanceFee(2_000, fee_recipient, sender=admin)
    assert vault.performanceFee() == 2_000 and vault.feeRecipient() == fee_recipient.address
    event = vault.PerformanceFeeSet.from_receipt(tx)[0]
    assert (event.bps, event.recipient) == (2_000, fee_recipient.address)
    vault.setPerformanceFee(0, ape.utils.ZERO_ADDRESS, sender=admin)
    assert vault.performanceFee() == 0


def test_set_performance_fee__invalid__reverts(vault: Any, admin, fee_recipient, stranger) -> None:
    with ape.reverts(vault.FeeTooHigh, bps=2_001, max=2_000):
        vault.setPerformanceFee(2_001, fee_recipient, sender=admin)
    with ape.reverts(vault.ZeroFeeRecipient):
        vault.setPerformanceFee(100, ape.utils.ZERO_ADDRESS, sender=admin)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.setPerformanceFee(100, fee_recipient, sender=stranger)


def test_set_profit_unlock_time__bounded_and_admin_only(vault: Any, admin, stranger) -> None:
    tx = vault.setProfitUnlockTime(DAY, sender=admin)
    assert vault.profitUnlockTime() == DAY
    assert vault.ProfitUnlockTimeSet.from_receipt(tx)[0].profitUnlockTime == DAY
    with ape.reverts(vault.ProfitUnlockTimeTooLong, profitUnlockTime=YEAR + 1, max=YEAR):
        vault.setProfitUnlockTime(YEAR + 1, sender=admin)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.setProfitUnlockTime(DAY, sender=stranger)


def test_pause_deposits__blocks_deposit_and_mint_until_unpaused(
    vault: Any, fund, guardian, admin, alice
) -> None:
    fund(vault, alice, 2 * UNIT)
    tx = vault.pauseDeposits(sender=guardian)
    assert vault.depositsPaused()
    assert bool(vault.DepositsPauseSet.from_receipt(tx)[0].paused)
    assert vault.maxDeposit(alice) == 0 and vault.maxMint(alice) == 0
    with ape.reverts(vault.DepositsPaused):
        vault.deposit(UNIT, alice, sender=alice)
    with ape.reverts(vault.DepositsPaused):
        vault.mint(UNIT, alice, sender=alice)
    vault.unpauseDeposits(sender=admin)
    assert not vault.depositsPaused()
    vault.deposit(UNIT, alice, sender=alice)
    vault.pauseDeposits(sender=guardian)
    vault.unpauseDeposits(sender=guardian)
    vault.deposit(UNIT, alice, sender=alice)
    assert vault.idle() == 2 * UNIT


def test_pause_and_unpause__stranger__reverts(vault: Any, curator, stranger, admin) -> None:
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.pauseDeposits(sender=stranger)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.pauseDeposits(sender=admin)  # pausing is the guardian's brake
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.unpauseDeposits(sender=curator)


@pytest.mark.parametrize("who", ["guardian", "admin"])
def test_shutdown__is_permanent_and_keeps_withdrawals(
    vault: Any, fund, alice, request, admin, token, who: str
) -> None:
    fund(vault, alice, 2 * UNIT)
    vault.deposit(UNIT, alice, sender=alice)
    caller = request.getfixturevalue(who)
    tx = vault.shutdown(sender=caller)
    assert vault.isShutdown()
    assert vault.ShutdownActivated.from_receipt(tx)[0].by == caller.address
    assert vault.maxDeposit(alice) == 0 and vault.maxMint(alice) == 0
    vault.unpauseDeposits(sender=admin)
    with ape.reverts(vault.VaultShutdown):
        vault.deposit(UNIT, alice, sender=alice)
    with ape.reverts(vault.VaultShutdown):
        vault.mint(UNIT, alice, sender=alice)
    with ape.reverts(vault.VaultShutdown):
        vault.shutdown(sender=caller)
    vault.redeem(vault.balanceOf(alice), alice, alice, sender=alice)
    assert token.balanceOf(alice) == 2 * UNIT


def test_shutdown__stranger__reverts(vault: Any, curator, stranger) -> None:
    for who in (curator, stranger):
        with ape.reverts(vault.AccessControlUnauthorizedAccount):
            vault.shutdown(sender=who)
