"""Hostile assets: no return values (USDT), fee on transfer, blocklists (USDC), reentrant hooks (ERC-777).

The system must work with the first through SafeERC20, refuse the second with a clear error, keep one
blocked earner from trapping anybody else, and stop every reentry with its reentrancy guard.
"""

from __future__ import annotations

from typing import Any

import ape
import pytest

SOURCE = b"hostile".ljust(32, b"\x00")
UNIT = {6: 10**6, 18: 10**18}


# ---------------------------------------------------------------------------------------------- no return
@pytest.fixture(scope="module", params=[6, 18], ids=["6dec", "18dec"])
def usdt_like(request, project, admin, build) -> Any:
    token = admin.deploy(project.NoReturnToken, "Tether-like", "USDTL", request.param)
    return build(token)


def test_no_return_token__pay_pay_many_withdraw_switch__all_work(usdt_like, platform, alice, bob) -> None:
    sys = usdt_like
    unit = UNIT[sys.token.decimals()]
    paid = 7 * unit
    sys.pool.pay(alice, paid, SOURCE, sender=platform)
    sys.pool.payMany(SOURCE, [alice, bob], [unit, 2 * unit], sender=platform)
    # default profile 50/30/20: alice holds 8 units across the tiers, bob 2
    held = [v.convertToAssets(v.balanceOf(alice)) for v in sys.vaults]
    assert sum(held) == 8 * unit
    before = sys.token.balanceOf(alice)
    sys.vaults[0].withdraw(held[0], alice, alice, sender=alice)
    assert sys.token.balanceOf(alice) - before == held[0]
    shares = sys.vaults[1].balanceOf(alice)
    sys.pool.switchTier(1, 2, shares, 0, sender=alice)
    assert sys.vaults[1].balanceOf(alice) == 0
    assert sys.vaults[2].convertToAssets(sys.vaults[2].balanceOf(alice)) == held[1] + held[2]
    assert sys.token.balanceOf(sys.pool) == 0


# ------------------------------------------------------------------------------------------ fee on transfer
@pytest.fixture(scope="module")
def fee_system(project, admin, build) -> Any:
    return build(admin.deploy(project.FeeOnTransferToken, 100))  # 1 % fee


@pytest.mark.parametrize("path", ["pay", "payMany", "vault.deposit"])
def test_fee_on_transfer_token__every_payment__refused_with_transfer_shortfall(
    fee_system, platform, alice, path
) -> None:
    sys = fee_system
    amount = 10**18
    # Payments go payer -> tier vault directly and each vault checks what arrived. A single pay credits the
    # lighter tiers first (the heaviest takes the rounding rest last), so the 30 % tier catches the 1 %
    # shortfall; a batch credits tier by tier in order, so the 50 % tier does.
    profile = sys.pool.defaultProfile()
    assert list(profile) == [5_000, 3_000, 2_000]
    first = amount * profile[0] // 10_000
    lighter = amount * profile[1] // 10_000
    if path == "pay":
        with ape.reverts(sys.pool.TransferShortfall, expected=lighter, received=lighter * 99 // 100):
            sys.pool.pay(alice, amount, SOURCE, sender=platform)
    elif path == "payMany":
        with ape.reverts(sys.pool.TransferShortfall, expected=2 * first, received=2 * first * 99 // 100):
            sys.pool.payMany(SOURCE, [alice, alice], [amount, amount], sender=platform)
    else:
        sys.token.approve(sys.vaults[0], amount, sender=platform)
        with ape.reverts(sys.vaults[0].TransferShortfall, expected=amount, received=amount * 99 // 100):
            sys.vaults[0].deposit(amount, alice, sender=platform)
    assert all(v.totalSupply() == 0 for v in sys.vaults), "nothing may be credited"


# ---------------------------------------------------------------------------------------------- blocklist
@pytest.fixture(scope="module", params=[6, 18], ids=["6dec", "18dec"])
def usdc_like(request, project, admin, build) -> Any:
    return build(admin.deploy(project.BlocklistToken, "Circle-like", "USDCL", request.param))


def test_blocklisted_earner__cannot_trap_other_earners(usdc_like, platform, alice, bob, carol) -> None:
    sys = usdc_like
    unit = UNIT[sys.token.decimals()]
    sys.pool.payMany(SOURCE, [alice, bob], [10 * unit, 10 * unit], sender=platform)
    sys.token.setBlocked(alice, True, sender=platform)
    # a payment TO a blocked earner still credits shares: no token moves to her
    sys.pool.pay(alice, unit, SOURCE, sender=platform)
    vault = sys.vaults[0]
    alice_value = vault.maxWithdraw(alice)
    with ape.reverts(sys.token.AddressBlocked, account=alice.address):
        vault.withdraw(alice_value, alice, alice, sender=alice)
    # bob is not affected, before or after alice's failed attempt
    bob_value = vault.maxWithdraw(bob)
    before = sys.token.balanceOf(bob)
    vault.withdraw(bob_value, bob, bob, sender=bob)
    assert sys.token.balanceOf(bob) - before == bob_value
    # and alice's money is not trapped either: she can send it to another address of hers
    vault.withdraw(alice_value, carol, alice, sender=alice)
    assert vault.balanceOf(alice) <= 1  # at most rounding dust left
    assert sys.token.balanceOf(vault) >= vault.idle()


def test_blocklisted_payer__payment_reverts_and_credits_nothing(usdc_like, platform, alice) -> None:
    sys = usdc_like
    sys.token.setBlocked(platform, True, sender=alice)
    with ape.reverts(sys.token.AddressBlocked, account=platform.address):
        sys.pool.pay(alice, 10**6, SOURCE, sender=platform)
    assert sum(v.balanceOf(alice) for v in sys.vaults) == 0


# ---------------------------------------------------------------------------------------------- reentrancy
@pytest.fixture(scope="module")
def hooked(project, admin, build) -> Any:
    sys = build(admin.deploy(project.ReentrantAttackerToken, "Hooked", "HOOK", 18))
    # the token itself is the attacker: it holds funds and approved the pool and the vaults
    sys.token.mint(sys.token, 10**24, sender=admin)
    for spender in [sys.pool, *sys.vaults]:
        sys.token.approveAsToken(spender, 2**255, sender=admin)
    return sys


def _inner(sys: Any, name: str) -> tuple[Any, bytes]:
    """(target, calldata) of the call the token's transfer hook makes back into the system."""
    token = sys.token.address
    if name == "pool.pay":
        return sys.pool, sys.pool.pay.encode_input(token, 10**18, SOURCE)
    if name == "pool.payMany":
        return sys.pool, sys.pool.payMany.encode_input(SOURCE, [token], [10**18])
    if name == "vault.deposit":
        return sys.vaults[0], sys.vaults[0].deposit.encode_input(10**18, token)
    if name == "vault.depositMany":
        return sys.vaults[0], sys.vaults[0].depositMany.encode_input([token], [10**18])
    raise ValueError(name)


def _outer(sys: Any, name: str, alice: Any, platform: Any) -> None:
    """The victim operation during which the token transfers (and the hook fires)."""
    if name == "pool.pay":
        sys.pool.pay(alice, 10**18, SOURCE, sender=platform)
    elif name == "vault.deposit":
        sys.vaults[0].deposit(10**18, alice, sender=alice)
    elif name == "vault.withdraw":
        sys.vaults[0].withdraw(10**17, alice, alice, sender=alice)
    elif name == "pool.switchTier":
        sys.pool.switchTier(0, 1, sys.vaults[0].balanceOf(alice) // 2, 0, sender=alice)
    else:
        raise ValueError(name)


@pytest.mark.parametrize(
    ("outer", "inner"),
    [
        ("pool.pay", "pool.pay"),  # hook during the pool's pull: the pool is locked
        ("pool.pay", "pool.payMany"),
        ("vault.deposit", "vault.deposit"),  # hook during the vault's pull: the vault is locked
        ("vault.deposit", "vault.depositMany"),
        ("vault.withdraw", "vault.deposit"),  # hook while paying out, after the burn: still locked
        ("vault.withdraw", "pool.pay"),  # pool is free, but its deposit hits the locked vault
        ("pool.switchTier", "pool.pay"),  # hook while the vault pays the pool: pool locked
    ],
)
def test_reentrant_token__hook_calls_back__reverts_with_reentrancy_guard(
    hooked, alice, platform, outer, inner
) -> None:
    sys = hooked
    sys.pool.pay(alice, 10**19, SOURCE, sender=platform)  # alice holds shares in every tier
    supplies = [v.totalSupply() for v in sys.vaults]
    balances = [sys.token.balanceOf(a) for a in (alice, platform, sys.token, *sys.vaults)]
    target, data = _inner(sys, inner)
    sys.token.arm(target, data, sender=platform)
    with ape.reverts(custom_err=sys.vaults[0].ReentrancyGuardReentrantCall):
        _outer(sys, outer, alice, platform)
    assert [v.totalSupply() for v in sys.vaults] == supplies, "a reverted reentry minted or burnt shares"
    assert [sys.token.balanceOf(a) for a in (alice, platform, sys.token, *sys.vaults)] == balances
