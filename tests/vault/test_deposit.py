"""deposit / mint: O(1) entry into idle, rounding against the depositor, refusals."""

import ape
from vaultlib import MAX_UINT, UNIT


def test_constructor__sets_asset_name_ceiling_and_admin(vault, token, admin) -> None:
    assert vault.asset() == token.address
    assert vault.name() == "Tributary Balanced"
    assert vault.symbol() == "trBAL"
    assert vault.riskCeiling() == 3
    assert vault.decimals() == 18 + 6
    assert vault.hasRole(vault.DEFAULT_ADMIN_ROLE(), admin)
    assert vault.totalAssets() == 0 and vault.idle() == 0 and vault.totalDebt() == 0


def test_deposit__first_depositor__gets_offset_shares_and_idle_grows(vault, token, fund, alice) -> None:
    fund(vault, alice, 5 * UNIT)
    tx = vault.deposit(5 * UNIT, alice, sender=alice)
    assert vault.balanceOf(alice) == 5 * UNIT * 10**6
    assert vault.idle() == 5 * UNIT
    assert vault.totalAssets() == 5 * UNIT
    assert token.balanceOf(vault) == 5 * UNIT
    [event] = vault.Deposit.from_receipt(tx)
    assert event.sender == alice and event.owner == alice
    assert event.assets == 5 * UNIT and event.shares == 5 * UNIT * 10**6


def test_deposit__zero__reverts_zero_amount(vault, alice) -> None:
    with ape.reverts(vault.ZeroAmount):
        vault.deposit(0, alice, sender=alice)


def test_mint__charges_assets_rounded_up(vault, token, fund, alice, bob) -> None:
    fund(vault, alice, 10 * UNIT)
    vault.deposit(10 * UNIT, alice, sender=alice)
    fund(vault, bob, UNIT)
    assets = vault.previewMint(10**6 + 1)
    vault.mint(10**6 + 1, bob, sender=bob)
    assert vault.balanceOf(bob) == 10**6 + 1
    assert token.balanceOf(bob) == UNIT - assets
    assert assets == 2  # 1.000001 units' worth of shares costs 2 wei: rounded up


def test_mint__zero__reverts_zero_amount(vault, alice) -> None:
    with ape.reverts(vault.ZeroAmount):
        vault.mint(0, alice, sender=alice)


def test_redeem__all__returns_deposit_and_empties_idle(vault, token, fund, alice) -> None:
    fund(vault, alice, 3 * UNIT)
    vault.deposit(3 * UNIT, alice, sender=alice)
    vault.redeem(vault.balanceOf(alice), alice, alice, sender=alice)
    assert token.balanceOf(alice) == 3 * UNIT
    assert vault.idle() == 0 and vault.totalSupply() == 0


def test_max_deposit__open_vault__is_room_below_uint128(vault) -> None:
    assert vault.maxDeposit(ape.accounts.test_accounts[0]) == 2**128 - 1
    assert vault.maxDeposit(ape.accounts.test_accounts[0]) < MAX_UINT
