"""AaveV3Strategy against a real Aave V3 market deployed from @aave/core-v3 1.19.3 artifacts."""

from __future__ import annotations

import ape
import protocols
import pytest
from strategy_helpers import E18, ZERO, assert_deploy_reverts

DEPOSIT = 10_000 * E18
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def a_token(aave_market, admin, asset, aave_collateral):
    return protocols.aave_list_reserve(aave_market, admin, asset, 10**8, borrowable=True)


@pytest.fixture(scope="module")
def strategy(make_aave_strategy, asset, a_token):
    return make_aave_strategy(asset)


@pytest.fixture(scope="module", autouse=True)
def _module_setup(
    strategy, a_token, aave_collateral, aave_market, stranger, bob, vault_account, admin, fee_recipient
):
    """Build every module- and session-scoped fixture before ape's per-test snapshots start."""


@pytest.fixture
def funded(asset, vault_account, strategy):
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    asset.approve(strategy, 2**256 - 1, sender=vault_account)
    tx = strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    return tx


def borrow(pool, collateral, asset, borrower, amount: int) -> None:
    """A real borrower: pledges 100 WETH (200k USD) and borrows `amount` of the asset at a variable rate."""
    collateral.mint(borrower, 100 * E18, sender=borrower)
    collateral.approve(pool, 100 * E18, sender=borrower)
    pool.supply(collateral, 100 * E18, borrower, 0, sender=borrower)
    pool.borrow(asset, amount, 2, 0, borrower, sender=borrower)


def test_constructor__unlisted_asset__reverts(project, aave_market, make_token, vault_account):
    S = project.AaveV3Strategy
    assert_deploy_reverts(S, S.ReserveNotListed, aave_market.pool, make_token(18), vault_account, 1)


def test_constructor__risk_zero_or_above_five__reverts(project, aave_market, asset, vault_account, a_token):
    S = project.AaveV3Strategy
    assert_deploy_reverts(S, S.InvalidRiskLevel, aave_market.pool, asset, vault_account, 0)
    assert_deploy_reverts(S, S.InvalidRiskLevel, aave_market.pool, asset, vault_account, 6)


def test_constructor__zero_pool_or_asset__reverts(project, aave_market, asset, vault_account):
    S = project.AaveV3Strategy
    assert_deploy_reverts(S, S.ZeroAddress, ZERO, asset, vault_account, 1)
    assert_deploy_reverts(S, S.ZeroAddress, aave_market.pool, ZERO, vault_account, 1)


def test_wiring__pool_and_atoken(strategy, aave_market, a_token, asset, vault_account):
    assert strategy.pool() == aave_market.pool.address
    assert strategy.aToken() == a_token.address
    assert strategy.asset() == asset.address
    assert strategy.ownerVault() == vault_account.address
    assert strategy.riskLevel() == 1


def test_deposit__supplies_everything_as_atokens(strategy, asset, a_token, vault_account, funded):
    assert a_token.balanceOf(strategy) == DEPOSIT
    assert asset.balanceOf(strategy) == 0
    assert strategy.totalAssets() == DEPOSIT
    assert strategy.balanceOf(vault_account) == DEPOSIT * 10**6 == funded.return_value
    print(f"gas AaveV3Strategy.deposit: {funded.gas_used}")


def test_deposit__from_anyone_but_owner_vault__reverts(stranger, asset, vault_account, strategy):
    asset.mint(stranger, E18, sender=stranger)
    asset.approve(strategy, E18, sender=stranger)
    assert strategy.maxDeposit(stranger) == 0
    with ape.reverts(custom_err=strategy.NotOwnerVault):
        strategy.deposit(E18, vault_account, sender=stranger)


def test_interest__real_borrower__grows_value_and_withdraw_pays_it(
    chain, aave_market, aave_collateral, asset, a_token, bob, vault_account, strategy, funded
):
    borrow(aave_market.pool, aave_collateral, asset, bob, DEPOSIT // 2)
    chain.pending_timestamp += YEAR
    chain.mine()
    value = strategy.totalAssets()
    # 50% utilisation: 2.5% borrow rate, ~1.25% to suppliers (compounded, no reserve factor).
    assert DEPOSIT * 10120 // 10000 < value < DEPOSIT * 10130 // 10000
    assert value == a_token.balanceOf(strategy)
    # Only half is cash: the rest is lent out, and maxWithdraw says so.
    assert strategy.maxWithdraw(vault_account) == DEPOSIT // 2
    tx = strategy.withdraw(DEPOSIT // 2, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) == DEPOSIT // 2
    print(f"gas AaveV3Strategy.withdraw: {tx.gas_used}")
    # The borrower repays with interest: now the whole position, interest included, is withdrawable.
    asset.mint(bob, DEPOSIT, sender=bob)
    asset.approve(aave_market.pool, 2**256 - 1, sender=bob)
    aave_market.pool.repay(asset, 2**256 - 1, 2, bob, sender=bob)
    shares = strategy.maxRedeem(vault_account)
    assert shares == strategy.balanceOf(vault_account)
    tx = strategy.redeem(shares, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) > DEPOSIT * 10120 // 10000
    print(f"gas AaveV3Strategy.redeem(all): {tx.gas_used}")


def test_illiquid__all_cash_borrowed__max_withdraw_zero_and_withdraw_refused(
    aave_market, aave_collateral, asset, bob, vault_account, strategy, funded
):
    borrow(aave_market.pool, aave_collateral, asset, bob, DEPOSIT)
    assert strategy.totalAssets() >= DEPOSIT  # the value is intact, only not withdrawable now
    assert strategy.maxWithdraw(vault_account) == 0
    assert strategy.maxRedeem(vault_account) == 0
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxWithdraw):
        strategy.withdraw(1, vault_account, vault_account, sender=vault_account)


def test_pause__blocks_both_ways__unpause_restores(
    admin, aave_market, asset, vault_account, strategy, funded
):
    aave_market.configurator.setReservePause(asset, True, sender=admin)
    assert strategy.maxDeposit(vault_account) == 0
    assert strategy.maxWithdraw(vault_account) == 0
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxRedeem):
        strategy.redeem(1, vault_account, vault_account, sender=vault_account)
    aave_market.configurator.setReservePause(asset, False, sender=admin)
    assert strategy.maxWithdraw(vault_account) == DEPOSIT


def test_freeze__blocks_deposits_only(admin, aave_market, asset, vault_account, strategy, funded):
    aave_market.configurator.setReserveFreeze(asset, True, sender=admin)
    assert strategy.maxDeposit(vault_account) == 0
    asset.mint(vault_account, E18, sender=vault_account)
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxDeposit):
        strategy.deposit(E18, vault_account, sender=vault_account)
    strategy.withdraw(DEPOSIT, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) == DEPOSIT + E18


def test_supply_cap__max_deposit_is_the_room_left(admin, aave_market, asset, vault_account, strategy, funded):
    aave_market.configurator.setSupplyCap(asset, 15_000, sender=admin)
    room = strategy.maxDeposit(vault_account)
    assert room == 5_000 * E18
    asset.mint(vault_account, room + 1, sender=vault_account)
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxDeposit):
        strategy.deposit(room + 1, vault_account, sender=vault_account)
    strategy.deposit(room, vault_account, sender=vault_account)  # exactly the room: accepted by Aave
    assert strategy.maxDeposit(vault_account) == 0


def test_mint__exact_shares_supplied_to_aave(asset, a_token, vault_account, strategy):
    shares = 500 * E18 * 10**6
    cost = strategy.previewMint(shares)
    assert cost == 500 * E18
    assert strategy.maxMint(vault_account) == 2**256 - 1
    asset.mint(vault_account, cost, sender=vault_account)
    asset.approve(strategy, cost, sender=vault_account)
    strategy.mint(shares, vault_account, sender=vault_account)
    assert a_token.balanceOf(strategy) == cost
    assert strategy.balanceOf(vault_account) == shares


def test_withdraw__on_behalf_needs_allowance(asset, vault_account, stranger, strategy, funded):
    with ape.reverts(custom_err=strategy.ERC20InsufficientAllowance):
        strategy.withdraw(E18, stranger, vault_account, sender=stranger)
    strategy.approve(stranger, 2**256 - 1, sender=vault_account)
    strategy.withdraw(E18, stranger, vault_account, sender=stranger)
    assert asset.balanceOf(stranger) == E18
