"""deposit / mint: O(1) entry into idle, rounding against the depositor, refusals."""

import ape
from vaultlib import MAX_UINT, OFFSET, UNIT

from tributary.testing.permit import sign_permit_typed


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
    assert event.by == alice and event.owner == alice
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


def test_deposit__above_uint128_room__reverts_exceeded_max_deposit(vault, fund, alice) -> None:
    fund(vault, alice, 2**128)
    vault.deposit(UNIT, alice, sender=alice)
    room = 2**128 - 1 - UNIT
    assert vault.maxDeposit(alice) == room
    with ape.reverts(vault.ERC4626ExceededMaxDeposit, max=room):
        vault.deposit(room + 1, alice, sender=alice)


def test_deposit__worth_less_than_a_share__reverts_zero_shares(
    vault, token, fund, make_strategy, add_strategy, allocator, admin, alice, bob
) -> None:
    # A share costs more than one asset unit only after the price rises 10**6-fold: 1 unit deposited,
    # lent to a strategy whose 1 share then gains 10**13 (half of it is the strategy's own virtual share).
    vault.setProfitUnlockTime(0, sender=admin)
    fund(vault, alice, 1)
    vault.deposit(1, alice, sender=alice)
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    vault.allocate(sender=allocator)
    token.mint(strategy, 10**13, sender=alice)
    vault.report(strategy, sender=allocator)
    fund(vault, bob, 1)
    assert vault.previewDeposit(1) == 0
    with ape.reverts(vault.ZeroShares, assets=1):
        vault.deposit(1, bob, sender=bob)


def test_decimals__six_decimal_asset__shares_have_twelve(make_vault) -> None:
    assert make_vault(decimals=6).decimals() == 12


def test_permit__signed_approval__sets_share_allowance(vault, fund, alice, bob, chain) -> None:
    fund(vault, alice, UNIT)
    vault.deposit(UNIT, alice, sender=alice)
    deadline = chain.pending_timestamp + 3_600
    value = 5 * OFFSET
    v, r, s = sign_permit_typed(
        alice.private_key,
        name=vault.name(),
        chain_id=chain.chain_id,
        token=vault.address,
        owner=alice.address,
        spender=bob.address,
        value=value,
        nonce=vault.nonces(alice),
        deadline=deadline,
    )
    vault.permit(
        alice,
        bob,
        value,
        deadline,
        v,
        r,
        s,
        sender=bob,
    )
    assert vault.allowance(alice, bob) == value
    assert vault.nonces(alice) == 1
