"""Curator: the timelocked strategy queue (submit / addStrategy / limits / revoke / remove / order).

One timelock mechanism: the exact calldata of a timelocked call is `submit`ted, and the call runs from
`executableAt[keccak256(calldata)]` on, once."""

from typing import Any

import ape
import pytest
from eth_utils import keccak
from vaultlib import DAY, MAX_UINT, UNIT, submit, warp


@pytest.fixture(scope="module")
def slow_vault(make_vault: Any) -> Any:
    """A vault whose risk-raising changes wait one day."""
    return make_vault(timelock=DAY)


@pytest.fixture(scope="module", autouse=True)
def _module_slow_vault(slow_vault: Any) -> Any:
    return slow_vault


def test_submit__records_executable_at_now_plus_timelock(
    slow_vault: Any, make_strategy, curator, chain
) -> None:
    s = make_strategy(slow_vault)
    data = bytes(slow_vault.addStrategy.encode_input(s, 2, 4_000, 50 * UNIT))
    tx = slow_vault.submit(data, sender=curator)
    at = slow_vault.executableAt(keccak(data))
    assert at == chain.blocks.head.timestamp + DAY
    [event] = slow_vault.Submitted.from_receipt(tx)
    assert event.selector == data[:4] and event.data == data and event.executableAt == at
    assert slow_vault.strategies() == []


def test_add_strategy__before_timelock__reverts(slow_vault: Any, make_strategy, curator) -> None:
    s = make_strategy(slow_vault)
    data = submit(slow_vault, "addStrategy", s, 1, 1_000, MAX_UINT, sender=curator)
    at = slow_vault.executableAt(keccak(data))
    with ape.reverts(slow_vault.TimelockNotElapsed, executableAt=at):
        slow_vault.addStrategy(s, 1, 1_000, MAX_UINT, sender=curator)


def test_add_strategy__after_timelock__activates_once(slow_vault: Any, make_strategy, curator, chain) -> None:
    s = make_strategy(slow_vault)
    data = submit(slow_vault, "addStrategy", s, 1, 1_000, 9 * UNIT, sender=curator)
    warp(chain, DAY)
    tx = slow_vault.addStrategy(s, 1, 1_000, 9 * UNIT, sender=curator)
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
    assert slow_vault.executableAt(keccak(data)) == 0
    assert slow_vault.StrategyAdded.from_receipt(tx)[0].strategy == s.address
    assert slow_vault.Executed.from_receipt(tx)[0].id == keccak(data)


def test_add_strategy__other_arguments_than_submitted__reverts_not_submitted(
    slow_vault: Any, make_strategy, curator, chain
) -> None:
    s = make_strategy(slow_vault)
    submit(slow_vault, "addStrategy", s, 1, 1_000, 9 * UNIT, sender=curator)
    warp(chain, DAY)
    other = bytes(slow_vault.addStrategy.encode_input(s, 1, 1_000, 10 * UNIT))
    with ape.reverts(slow_vault.NotSubmitted, id=keccak(other)):
        slow_vault.addStrategy(s, 1, 1_000, 10 * UNIT, sender=curator)


def test_add_strategy__not_submitted__reverts(vault: Any, make_strategy, curator) -> None:
    s = make_strategy(vault)
    data = bytes(vault.addStrategy.encode_input(s, 1, 1_000, MAX_UINT))
    with ape.reverts(vault.NotSubmitted, id=keccak(data)):
        vault.addStrategy(s, 1, 1_000, MAX_UINT, sender=curator)


def test_submit__stranger_or_wrong_role__reverts(vault: Any, make_strategy, stranger, curator) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.submit(vault.addStrategy.encode_input(s, 1, 1_000, MAX_UINT), sender=stranger)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):  # setTimelock is the admin's
        vault.submit(vault.setTimelock.encode_input(0), sender=curator)


def test_submit__not_a_timelocked_call_or_twice__reverts(vault: Any, make_strategy, curator) -> None:
    with ape.reverts(vault.NotTimelocked, selector=bytes(vault.allocate.encode_input())[:4]):
        vault.submit(vault.allocate.encode_input(), sender=curator)
    with ape.reverts(vault.NotTimelocked, selector=b"\x00" * 4):
        vault.submit(b"\x01\x02", sender=curator)
    data = submit(vault, "addStrategy", make_strategy(vault), 1, 1_000, MAX_UINT, sender=curator)
    with ape.reverts(vault.AlreadyPending, id=keccak(data)):
        vault.submit(data, sender=curator)


def test_add_strategy__submitted_by_curator_run_by_stranger__reverts(
    vault: Any, make_strategy, curator, stranger
) -> None:
    s = make_strategy(vault)
    submit(vault, "addStrategy", s, 1, 1_000, MAX_UINT, sender=curator)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.addStrategy(s, 1, 1_000, MAX_UINT, sender=stranger)


def _add(vault: Any, curator: Any, *args: Any) -> None:
    submit(vault, "addStrategy", *args, sender=curator)
    vault.addStrategy(*args, sender=curator)


def test_add_strategy__not_a_contract_or_self__reverts_invalid_strategy(vault: Any, curator, alice) -> None:
    for bad in (ape.utils.ZERO_ADDRESS, alice.address, vault.address):
        with ape.reverts(vault.InvalidStrategy, strategy=bad):
            _add(vault, curator, bad, 1, 1_000, MAX_UINT)


def test_add_strategy__contract_without_asset__reverts_invalid_strategy(vault: Any, token, curator) -> None:
    with ape.reverts(vault.InvalidStrategy, strategy=token.address):
        _add(vault, curator, token, 1, 1_000, MAX_UINT)


def test_add_strategy__other_asset__reverts_asset_mismatch(
    vault: Any, project, admin, make_token, curator
) -> None:
    other = make_token(18)
    s = admin.deploy(project.LossyStrategy, other)
    with ape.reverts(vault.StrategyAssetMismatch, actual=other.address):
        _add(vault, curator, s, 1, 1_000, MAX_UINT)


@pytest.mark.parametrize("risk", [0, 4])
def test_add_strategy__risk_outside_ceiling__reverts(vault: Any, make_strategy, curator, risk: int) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.InvalidRisk, risk=risk, riskCeiling=3):
        _add(vault, curator, s, risk, 1_000, MAX_UINT)


def test_add_strategy__targets_above_10000__reverts(vault: Any, make_strategy, add_strategy, curator) -> None:
    add_strategy(vault, make_strategy(vault), target_bps=6_000)
    with ape.reverts(vault.TargetBpsTooHigh, totalBps=10_001):
        _add(vault, curator, make_strategy(vault), 1, 4_001, MAX_UINT)


def test_add_strategy__already_active__reverts(vault: Any, make_strategy, add_strategy, curator) -> None:
    s = make_strategy(vault)
    add_strategy(vault, s)
    with ape.reverts(vault.StrategyAlreadyActive, strategy=s.address):
        _add(vault, curator, s, 1, 0, MAX_UINT)


def test_add_strategy__ninth__reverts_too_many(vault: Any, make_strategy, add_strategy, curator) -> None:
    for _ in range(8):
        add_strategy(vault, make_strategy(vault, kind="lossy"), target_bps=1_000)
    with ape.reverts(vault.TooManyStrategies, max=8):
        _add(vault, curator, make_strategy(vault, kind="lossy"), 1, 0, MAX_UINT)


def test_add_strategy__targets_filled_meanwhile__reverts(
    slow_vault: Any, make_strategy, add_strategy, curator, chain
) -> None:
    late = make_strategy(slow_vault)
    submit(slow_vault, "addStrategy", late, 1, 5_000, MAX_UINT, sender=curator)
    add_strategy(slow_vault, make_strategy(slow_vault), target_bps=6_000)
    with ape.reverts(slow_vault.TargetBpsTooHigh, totalBps=11_000):
        slow_vault.addStrategy(late, 1, 5_000, MAX_UINT, sender=curator)


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
    slow_vault: Any, make_strategy, add_strategy, curator, chain, bps: int, cap: int
) -> None:
    s = make_strategy(slow_vault)
    add_strategy(slow_vault, s, target_bps=5_000, cap=100 * UNIT)
    data = bytes(slow_vault.setStrategyLimits.encode_input(s, bps, cap))
    with ape.reverts(slow_vault.NotSubmitted, id=keccak(data)):
        slow_vault.setStrategyLimits(s, bps, cap, sender=curator)
    submit(slow_vault, "setStrategyLimits", s, bps, cap, sender=curator)
    with ape.reverts(slow_vault.TimelockNotElapsed):
        slow_vault.setStrategyLimits(s, bps, cap, sender=curator)
    assert slow_vault.strategyParams(s).targetBps == 5_000
    warp(chain, DAY)
    slow_vault.setStrategyLimits(s, bps, cap, sender=curator)
    params = slow_vault.strategyParams(s)
    assert (params.targetBps, params.cap) == (bps, cap)
    assert slow_vault.totalTargetBps() == bps
    assert slow_vault.executableAt(keccak(data)) == 0


def test_set_strategy_limits__above_10000__reverts(vault: Any, make_strategy, add_strategy, curator) -> None:
    s = make_strategy(vault)
    add_strategy(vault, s, target_bps=5_000)
    add_strategy(vault, make_strategy(vault), target_bps=5_000)
    submit(vault, "setStrategyLimits", s, 5_001, MAX_UINT, sender=curator)
    with ape.reverts(vault.TargetBpsTooHigh, totalBps=10_001):
        vault.setStrategyLimits(s, 5_001, MAX_UINT, sender=curator)


def test_set_strategy_limits__targets_filled_meanwhile__reverts(
    slow_vault: Any, make_strategy, add_strategy, curator, chain
) -> None:
    s = make_strategy(slow_vault)
    add_strategy(slow_vault, s, target_bps=1_000)
    submit(slow_vault, "setStrategyLimits", s, 5_000, MAX_UINT, sender=curator)
    add_strategy(slow_vault, make_strategy(slow_vault), target_bps=6_000)
    with ape.reverts(slow_vault.TargetBpsTooHigh, totalBps=11_000):
        slow_vault.setStrategyLimits(s, 5_000, MAX_UINT, sender=curator)


def test_set_strategy_limits__inactive_or_stranger__reverts(
    vault: Any, make_strategy, add_strategy, curator, stranger
) -> None:
    s = make_strategy(vault)
    with ape.reverts(vault.StrategyNotActive, strategy=s.address):
        vault.setStrategyLimits(s, 0, 0, sender=curator)
    add_strategy(vault, s)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        vault.setStrategyLimits(s, 0, 0, sender=stranger)


@pytest.mark.parametrize("who", ["curator", "guardian"])
def test_revoke__by_curator_or_guardian__cancels_the_call(
    slow_vault: Any, make_strategy, curator, chain, request, who: str
) -> None:
    fresh = make_strategy(slow_vault)
    data = submit(slow_vault, "addStrategy", fresh, 1, 1_000, MAX_UINT, sender=curator)
    caller = request.getfixturevalue(who)
    tx = slow_vault.revoke(data, sender=caller)
    assert slow_vault.executableAt(keccak(data)) == 0
    [event] = slow_vault.Revoked.from_receipt(tx)
    assert event.by == caller.address and event.data == data and event.selector == data[:4]
    warp(chain, DAY)
    with ape.reverts(slow_vault.NotSubmitted, id=keccak(data)):
        slow_vault.addStrategy(fresh, 1, 1_000, MAX_UINT, sender=curator)


def test_revoke__stranger_or_nothing_pending__reverts(
    slow_vault: Any, make_strategy, curator, stranger
) -> None:
    s = make_strategy(slow_vault)
    data = bytes(slow_vault.addStrategy.encode_input(s, 1, 1_000, MAX_UINT))
    with ape.reverts(slow_vault.NotSubmitted, id=keccak(data)):
        slow_vault.revoke(data, sender=curator)
    slow_vault.submit(data, sender=curator)
    with ape.reverts(slow_vault.AccessControlUnauthorizedAccount):
        slow_vault.revoke(data, sender=stranger)


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


def test_force_remove_strategy__worthless__writes_debt_off_at_once(
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


def test_force_remove_strategy__with_value__waits_the_timelock(
    slow_vault: Any, make_strategy, add_strategy, fund, alice, curator, allocator, chain
) -> None:
    """Writing off a strategy that still holds value lowers the price: holders get the timelock to leave."""
    s = make_strategy(slow_vault, kind="lossy")
    add_strategy(slow_vault, s, target_bps=4_000)
    fund(slow_vault, alice, 10 * UNIT)
    slow_vault.deposit(10 * UNIT, alice, sender=alice)
    slow_vault.allocate(sender=allocator)
    data = bytes(slow_vault.forceRemoveStrategy.encode_input(s))
    with ape.reverts(slow_vault.NotSubmitted, id=keccak(data)):
        slow_vault.forceRemoveStrategy(s, sender=curator)
    submit(slow_vault, "forceRemoveStrategy", s, sender=curator)
    with ape.reverts(slow_vault.TimelockNotElapsed):
        slow_vault.forceRemoveStrategy(s, sender=curator)
    warp(chain, DAY)
    tx = slow_vault.forceRemoveStrategy(s, sender=curator)
    assert slow_vault.strategies() == []
    assert slow_vault.totalAssets() == 6 * UNIT
    assert slow_vault.StrategyForceRemoved.from_receipt(tx)[0].loss == 4 * UNIT


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
