"""Curator: the timelocked strategy queue (submit / accept / limits / revoke / remove / order)."""

from typing import Any

import ape
import pytest
from vaultlib import DAY, MAX_UINT, UNIT, warp


@pytest.fixture(scope="module")
def slow_vault(make_vault: Any) -> Any:
    """A vault whose risk-raising changes wait one day."""
    return make_vault(timelock=DAY)


@pytest.fixture(scope="module", autouse=True)
def _module_slow_vault(slow_vault: Any) -> Any:
    return slow_vault


def test_submit_strategy__records_pending_until_timelock(
    slow_vault: Any, make_strategy, curator, chain
) -> None:
    s = make_strategy(slow_vault)
    tx = slow_vault.submitStrategy(s, 2, 4_000, 50 * UNIT, sender=curator)
    pending = slow_vault.pendingStrategy(s)
    assert (pending.risk, pending.targetBps, pending.cap) == (2, 4_000, 50 * UNIT)
    assert pending.validAt == chain.blocks.head.timestamp + DAY
    [event] = slow_vault.StrategySubmitted.from_receipt(tx)
    assert event.strategy == s.address and event.validAt == pending.validAt
    assert slow_vault.strategies() == []


def test_accept_strategy__before_timelock__reverts(slow_vault: Any, make_strategy, curator, stranger) -> None:
    s = make_strategy(slow_vault)
    slow_vault.submitStrategy(s, 1, 1_000, MAX_UINT, sender=curator)
    validAt = slow_vault.pendingStrategy(s).validAt
    with ape.reverts(slow_vault.TimelockNotElapsed, validAt=validAt):
        slow_vault.acceptStrategy(s, sender=stranger)


def test_accept_strategy__after_timelock__anyone_activates(
    slow_vault: Any, make_strategy, curator, stranger, chain
) -> None:
    s = make_strategy(slow_vault)
    slow_vault.submitStrategy(s, 1, 1_000, 9 * UNIT, sender=curator)
    warp(chain, DAY)
    tx = slow_vault.acceptStrategy(s, sender=stranger)
    assert slow_vault.strategies() == [s.address]
    params = slow_vault.strategyParams(s)
    assert (params.risk, params.targetBps, params.cap, params.debt, params.active) == (
        1,
        1_000,
        9 * UNIT,
        0,
        True,
    )
    assert slow_vault.totalTargetBps() == 1_000
    assert slow_vault.pendingStrategy(s).validAt == 0
    assert slow_vault.StrategyAdded.from_receipt(tx)[0].strategy == s.address


def test_accept_strategy__nothing_pending__reverts(vault: Any, make_strategy, stranger) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.NothingPending, strategy=s.address):
        vault.acceptStrategy(s, sender=stranger)


def test_submit_strategy__stranger__reverts(vault: Any, make_strategy, stranger) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.submitStrategy(s, 1, 1_000, MAX_UINT, sender=stranger)


def test_submit_strategy__not_a_contract_or_self__reverts_invalid_strategy(
    vault: Any, curator, alice
) -> None:
    for bad in (ape.utils.ZERO_ADDRESS, alice.address, vault.address):
        with ape.reverts(vault.InvalidStrategy, strategy=bad):
            vault.submitStrategy(bad, 1, 1_000, MAX_UINT, sender=curator)


def test_submit_strategy__contract_without_asset__reverts_invalid_strategy(
    vault: Any, token, curator
) -> None:
    with ape.reverts(vault.InvalidStrategy, strategy=token.address):
        vault.submitStrategy(token, 1, 1_000, MAX_UINT, sender=curator)


def test_submit_strategy__other_asset__reverts_asset_mismatch(
    vault: Any, project, admin, make_token, curator
) -> None:
    other = make_token(18)
    s = admin.deploy(project.LossyStrategy, other)
    with ape.reverts(vault.StrategyAssetMismatch, actual=other.address):
        vault.submitStrategy(s, 1, 1_000, MAX_UINT, sender=curator)


@pytest.mark.parametrize("risk", [0, 4])
def test_submit_strategy__risk_outside_ceiling__reverts(
    vault: Any, make_strategy, curator, risk: int
) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.InvalidRisk, risk=risk, riskCeiling=3):
        vault.submitStrategy(s, risk, 1_000, MAX_UINT, sender=curator)


def test_submit_strategy__targets_above_10000__reverts(
    vault: Any, make_strategy, add_strategy, curator
) -> None:
    add_strategy(vault, make_strategy(vault), target_bps=6_000)
    with ape.reverts(vault.TargetBpsTooHigh, totalBps=10_001):
        vault.submitStrategy(make_strategy(vault), 1, 4_001, MAX_UINT, sender=curator)


def test_submit_strategy__already_active__reverts(vault: Any, make_strategy, add_strategy, curator) -> None:
    s = make_strategy(vault)
    add_strategy(vault, s)
    with ape.reverts(vault.StrategyAlreadyActive, strategy=s.address):
        vault.submitStrategy(s, 1, 0, MAX_UINT, sender=curator)


def test_submit_strategy__ninth__reverts_too_many(vault: Any, make_strategy, add_strategy, curator) -> None:
    for _ in range(8):
        add_strategy(vault, make_strategy(vault, kind="lossy"), target_bps=1_000)
    with ape.reverts(vault.TooManyStrategies, max=8):
        vault.submitStrategy(make_strategy(vault, kind="lossy"), 1, 0, MAX_UINT, sender=curator)


def test_accept_strategy__targets_filled_meanwhile__reverts(
    slow_vault: Any, make_strategy, add_strategy, curator, chain
) -> None:
    late = make_strategy(slow_vault)
    slow_vault.submitStrategy(late, 1, 5_000, MAX_UINT, sender=curator)
    add_strategy(slow_vault, make_strategy(slow_vault), target_bps=6_000)
    with ape.reverts(slow_vault.TargetBpsTooHigh, totalBps=11_000):
        slow_vault.acceptStrategy(late, sender=curator)


def test_set_strategy_limits__lowering_both__applies_at_once(
    slow_vault: Any, make_strategy, add_strategy, curator
) -> None:
    s = make_strategy(slow_vault)
    add_strategy(slow_vault, s, target_bps=5_000, cap=100 * UNIT)
    tx = slow_vault.setStrategyLimits(s, 2_000, 10 * UNIT, sender=curator)
    params = slow_vault.strategyParams(s)
    assert (params.targetBps, params.cap) == (2_000, 10 * UNIT)
    assert slow_vault.totalTargetBps() == 2_000
    assert slow_vault.StrategyLimitsSet.from_receipt(tx)[0].targetBps == 2_000


@pytest.mark.parametrize(("bps", "cap"), [(6_000, 10 * UNIT), (2_000, 200 * UNIT)])
def test_set_strategy_limits__raising_either__waits_timelock(
    slow_vault: Any, make_strategy, add_strategy, curator, stranger, chain, bps: int, cap: int
) -> None:
    s = make_strategy(slow_vault)
    add_strategy(slow_vault, s, target_bps=5_000, cap=100 * UNIT)
    slow_vault.setStrategyLimits(s, bps, cap, sender=curator)
    assert slow_vault.strategyParams(s).targetBps == 5_000
    pending = slow_vault.pendingLimits(s)
    assert (pending.targetBps, pending.cap) == (bps, cap)
    with ape.reverts(slow_vault.TimelockNotElapsed):
        slow_vault.acceptStrategyLimits(s, sender=stranger)
    warp(chain, DAY)
    slow_vault.acceptStrategyLimits(s, sender=stranger)
    params = slow_vault.strategyParams(s)
    assert (params.targetBps, params.cap) == (bps, cap)
    assert slow_vault.totalTargetBps() == bps
    assert slow_vault.pendingLimits(s).validAt == 0


def test_set_strategy_limits__above_10000__reverts(vault: Any, make_strategy, add_strategy, curator) -> None:
    s = make_strategy(vault)
    add_strategy(vault, s, target_bps=5_000)
    add_strategy(vault, make_strategy(vault), target_bps=5_000)
    with ape.reverts(vault.TargetBpsTooHigh, totalBps=10_001):
        vault.setStrategyLimits(s, 5_001, MAX_UINT, sender=curator)


def test_accept_strategy_limits__targets_filled_meanwhile__reverts(
    slow_vault: Any, make_strategy, add_strategy, curator, chain
) -> None:
    s = make_strategy(slow_vault)
    add_strategy(slow_vault, s, target_bps=1_000)
    slow_vault.setStrategyLimits(s, 5_000, MAX_UINT, sender=curator)
    add_strategy(slow_vault, make_strategy(slow_vault), target_bps=6_000)
    with ape.reverts(slow_vault.TargetBpsTooHigh, totalBps=11_000):
        slow_vault.acceptStrategyLimits(s, sender=curator)


def test_set_strategy_limits__inactive_or_stranger__reverts(
    vault: Any, make_strategy, add_strategy, curator, stranger
) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.StrategyNotActive, strategy=s.address):
        vault.setStrategyLimits(s, 0, 0, sender=curator)
    add_strategy(vault, s)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.setStrategyLimits(s, 0, 0, sender=stranger)


def test_accept_strategy_limits__nothing_pending__reverts(
    vault: Any, make_strategy, add_strategy, stranger
) -> None:
    s = make_strategy(vault)
    add_strategy(vault, s)
    with ape.reverts(vault.NothingPending, strategy=s.address):
        vault.acceptStrategyLimits(s, sender=stranger)


@pytest.mark.parametrize("who", ["curator", "guardian"])
def test_revoke_pending__by_curator_or_guardian__clears_strategy_and_limits(
    slow_vault: Any, make_strategy, add_strategy, curator, request, who: str
) -> None:
    active, fresh = make_strategy(slow_vault), make_strategy(slow_vault)
    add_strategy(slow_vault, active, target_bps=1_000)
    slow_vault.setStrategyLimits(active, 2_000, MAX_UINT, sender=curator)
    slow_vault.submitStrategy(fresh, 1, 1_000, MAX_UINT, sender=curator)
    caller = request.getfixturevalue(who)
    tx = slow_vault.revokePending(active, sender=caller)
    slow_vault.revokePending(fresh, sender=caller)
    assert slow_vault.pendingLimits(active).validAt == 0
    assert slow_vault.pendingStrategy(fresh).validAt == 0
    [event] = slow_vault.PendingRevoked.from_receipt(tx)
    assert event.strategy == active.address and event.by == caller.address


def test_revoke_pending__stranger_or_nothing_pending__reverts(
    slow_vault: Any, make_strategy, curator, stranger
) -> None:
    s = make_strategy(slow_vault)
    with ape.reverts(slow_vault.NothingPending, strategy=s.address):
        slow_vault.revokePending(s, sender=curator)
    slow_vault.submitStrategy(s, 1, 1_000, MAX_UINT, sender=curator)
    with ape.reverts(slow_vault.AccessControlUnauthorizedAccount):
        slow_vault.revokePending(s, sender=stranger)


def test_remove_strategy__with_debt__reverts(
    vault: Any, make_strategy, add_strategy, fund, alice, curator, allocator
) -> None:
    s = make_strategy(vault, kind="lossy")
    add_strategy(vault, s)
    fund(vault, alice, 10 * UNIT)
    vault.deposit(10 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    with ape.reverts(vault.StrategyHasDebt, strategy=s.address, debt=5 * UNIT):
        vault.removeStrategy(s, sender=curator)


def test_remove_strategy__after_draining__keeps_order_and_frees_target(
    vault: Any, make_strategy, add_strategy, fund, alice, curator, allocator
) -> None:
    a, b, c = (make_strategy(vault, kind="lossy") for _ in range(3))
    for s in (a, b, c):
        add_strategy(vault, s, target_bps=2_000)
    fund(vault, alice, 10 * UNIT)
    vault.deposit(10 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    vault.setStrategyLimits(b, 0, 0, sender=curator)
    vault.allocate(sender=allocator)
    assert vault.strategyParams(b).debt == 0
    tx = vault.removeStrategy(b, sender=curator)
    assert vault.strategies() == [a.address, c.address]
    assert vault.totalTargetBps() == 4_000
    assert vault.strategyParams(b).active is False
    assert vault.StrategyRemoved.from_receipt(tx)[0].strategy == b.address
    assert vault.totalAssets() == 10 * UNIT


def test_remove_strategy__inactive_or_stranger__reverts(
    vault: Any, make_strategy, add_strategy, curator, stranger
) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.StrategyNotActive):
        vault.removeStrategy(s, sender=curator)
    add_strategy(vault, s)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.removeStrategy(s, sender=stranger)


def test_force_remove_strategy__writes_debt_off_at_once(
    vault: Any, make_strategy, add_strategy, fund, alice, curator, allocator
) -> None:
    s = make_strategy(vault, kind="reverting")
    add_strategy(vault, s, target_bps=4_000)
    fund(vault, alice, 10 * UNIT)
    vault.deposit(10 * UNIT, alice, sender=alice)
    vault.allocate(sender=allocator)
    s.setBroken(True, sender=alice)
    tx = vault.forceRemoveStrategy(s, sender=curator)
    assert vault.strategies() == []
    assert vault.totalDebt() == 0
    assert vault.totalAssets() == 6 * UNIT
    assert vault.totalTargetBps() == 0
    [event] = vault.StrategyForceRemoved.from_receipt(tx)
    assert event.strategy == s.address and event.loss == 4 * UNIT


def test_force_remove_strategy__inactive_or_stranger__reverts(
    vault: Any, make_strategy, add_strategy, curator, stranger
) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.StrategyNotActive):
        vault.forceRemoveStrategy(s, sender=curator)
    add_strategy(vault, s)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.forceRemoveStrategy(s, sender=stranger)


def test_set_withdraw_order__permutation__replaces_queue(
    vault: Any, make_strategy, add_strategy, curator
) -> None:
    a, b, c = (make_strategy(vault) for _ in range(3))
    for s in (a, b, c):
        add_strategy(vault, s, target_bps=1_000)
    tx = vault.setWithdrawOrder([c, a, b], sender=curator)
    assert vault.strategies() == [c.address, a.address, b.address]
    assert vault.WithdrawOrderSet.from_receipt(tx)[0].order == [c.address, a.address, b.address]


def test_set_withdraw_order__not_a_permutation__reverts(
    vault: Any, make_strategy, add_strategy, curator, stranger
) -> None:
    a, b, outsider = (make_strategy(vault) for _ in range(3))
    for s in (a, b):
        add_strategy(vault, s, target_bps=1_000)
    for order in ([a], [a, a], [a, outsider], [a, b, outsider]):
        with ape.reverts(vault.InvalidWithdrawOrder):
            vault.setWithdrawOrder(order, sender=curator)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.setWithdrawOrder([b, a], sender=stranger)
