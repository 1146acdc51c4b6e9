"""MorphoBlueStrategy against real Morpho Blue 1.0.0 (compiled from @morpho-org/morpho-blue's sources)."""

from __future__ import annotations

import ape
import protocols
import pytest
from strategy_helpers import E18, ZERO, assert_deploy_reverts

DEPOSIT = 10_000 * E18
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def collateral(make_token):
    return make_token(18, "Wrapped Ether", "WETH")


@pytest.fixture(scope="module")
def params(make_morpho_market, asset, collateral):
    return make_morpho_market(asset, collateral)


@pytest.fixture(scope="module")
def strategy(make_morpho_strategy, params):
    return make_morpho_strategy(params)


@pytest.fixture(scope="module", autouse=True)
def _module_setup(
    strategy, params, morpho_blue, morpho_oracle, stranger, bob, carol, vault_account, admin, fee_recipient
):
    """Build every module- and session-scoped fixture before ape's per-test snapshots start."""


@pytest.fixture
def funded(asset, vault_account, strategy):
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    asset.approve(strategy, 2**256 - 1, sender=vault_account)
    return strategy.deposit(DEPOSIT, vault_account, sender=vault_account)


def borrow(morpho, params, collateral, borrower, collateral_amount: int, amount: int) -> None:
    """A real borrower: pledges WETH (2,000 asset each at the oracle) and borrows the asset."""
    collateral.mint(borrower, collateral_amount, sender=borrower)
    collateral.approve(morpho, collateral_amount, sender=borrower)
    morpho.supplyCollateral(params, collateral_amount, borrower, b"", sender=borrower)
    morpho.borrow(params, amount, 0, borrower, borrower, sender=borrower)


def test_constructor__market_not_created__reverts(project, morpho_blue, asset, make_token, vault_account):
    S = project.MorphoBlueStrategy
    params = (asset.address, make_token(18).address, ZERO, ZERO, 0)
    assert_deploy_reverts(S, S.MarketNotCreated, morpho_blue, params, vault_account, 2)


def test_constructor__risk_below_two__reverts(project, morpho_blue, params, vault_account):
    S = project.MorphoBlueStrategy
    assert_deploy_reverts(S, S.InvalidRiskLevel, morpho_blue, params, vault_account, 1)


def test_constructor__zero_morpho__reverts(project, params, vault_account):
    S = project.MorphoBlueStrategy
    assert_deploy_reverts(S, S.ZeroAddress, ZERO, params, vault_account, 2)


def test_wiring__market_id_and_params(strategy, morpho_blue, params, asset):
    assert strategy.morpho() == morpho_blue.address
    assert strategy.marketId() == protocols.morpho_market_id(params)
    assert tuple(strategy.marketParams()) == params
    assert strategy.asset() == asset.address
    assert strategy.riskLevel() == 2


def test_deposit__supplies_to_the_market(morpho_blue, vault_account, strategy, funded):
    supply_shares, _, _ = morpho_blue.position(strategy.marketId(), strategy)
    assert supply_shares == DEPOSIT * 10**6  # Morpho's virtual shares: 1e6 per asset unit
    assert strategy.totalAssets() == strategy.expectedSupplyAssets() == DEPOSIT
    assert strategy.balanceOf(vault_account) == funded.return_value == DEPOSIT * 10**6
    print(f"gas MorphoBlueStrategy.deposit: {funded.gas_used}")


def test_deposit__from_anyone_but_owner_vault__reverts(stranger, asset, vault_account, strategy):
    asset.mint(stranger, E18, sender=stranger)
    asset.approve(strategy, E18, sender=stranger)
    assert strategy.maxDeposit(stranger) == 0
    with ape.reverts(custom_err=strategy.NotOwnerVault):
        strategy.deposit(E18, vault_account, sender=stranger)


def test_interest__view_matches_morpho_accrual_to_the_wei(
    chain, admin, fee_recipient, morpho_blue, params, collateral, asset, bob, strategy, funded
):
    morpho_blue.setFeeRecipient(fee_recipient, sender=admin)
    morpho_blue.setFee(params, 10 * 10**16, sender=admin)  # 10% of interest to Morpho's fee recipient
    borrow(morpho_blue, params, collateral, bob, 10 * E18, DEPOSIT // 2)
    # The view and Morpho's own accrual must see the same block time: read the view in a block mined at
    # `moment`, roll back, and mine the accrual at `moment` too (a loaded node would otherwise mine it a
    # second later, with a second more interest).
    moment = chain.pending_timestamp + YEAR
    snapshot = chain.snapshot()
    chain.pending_timestamp = moment
    chain.mine()
    expected = strategy.expectedSupplyAssets()
    chain.restore(snapshot)
    # 50% utilisation -> 50% APR on the 5,000 borrowed, compounded once over the year by Morpho's
    # third-order Taylor term (+64.6%), less the 10% fee: ~+29%.
    assert DEPOSIT * 128 // 100 < expected < DEPOSIT * 130 // 100
    chain.pending_timestamp = moment
    tx = morpho_blue.accrueInterest(params, sender=admin)  # Morpho writes the same accrual to storage
    assert chain.provider.get_block(tx.block_number).timestamp == moment
    shares, _, _ = morpho_blue.position(strategy.marketId(), strategy)
    total_assets, total_shares = morpho_blue.market(strategy.marketId())[:2]
    assert expected == shares * (total_assets + 1) // (total_shares + 10**6)
    assert strategy.expectedSupplyAssets() == expected


def test_interest__withdraw_then_redeem_all_after_repay(
    chain, morpho_blue, params, collateral, asset, bob, vault_account, strategy, funded
):
    borrow(morpho_blue, params, collateral, bob, 10 * E18, DEPOSIT // 2)
    chain.pending_timestamp += YEAR // 12
    chain.mine()
    assert strategy.totalAssets() > DEPOSIT
    cash = DEPOSIT // 2
    assert strategy.maxWithdraw(vault_account) == cash
    tx = strategy.withdraw(cash, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) == cash
    print(f"gas MorphoBlueStrategy.withdraw: {tx.gas_used}")
    # The borrower repays everything: the whole position, interest included, is withdrawable by shares.
    _, borrow_shares, _ = morpho_blue.position(strategy.marketId(), bob)
    asset.mint(bob, DEPOSIT, sender=bob)
    asset.approve(morpho_blue, 2**256 - 1, sender=bob)
    morpho_blue.repay(params, 0, borrow_shares, bob, b"", sender=bob)
    shares = strategy.maxRedeem(vault_account)
    assert shares == strategy.balanceOf(vault_account)
    tx = strategy.redeem(shares, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) > DEPOSIT
    # Only the ERC-4626 virtual-share rounding (a few wei) stays supplied, owned by no one.
    left = morpho_blue.position(strategy.marketId(), strategy)[0]
    total_assets, total_shares = morpho_blue.market(strategy.marketId())[:2]
    assert left * (total_assets + 1) // (total_shares + 10**6) < 10
    print(f"gas MorphoBlueStrategy.redeem(all): {tx.gas_used}")


def test_illiquid__all_cash_borrowed__max_withdraw_zero(
    morpho_blue, params, collateral, bob, vault_account, strategy, funded
):
    borrow(morpho_blue, params, collateral, bob, 10 * E18, DEPOSIT)
    assert strategy.totalAssets() >= DEPOSIT
    assert strategy.maxWithdraw(vault_account) == 0
    assert strategy.maxRedeem(vault_account) == 0
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxWithdraw):
        strategy.withdraw(1, vault_account, vault_account, sender=vault_account)


def test_bad_debt__liquidation_writes_loss_off_against_suppliers(
    admin, morpho_blue, morpho_oracle, params, collateral, asset, bob, carol, vault_account, strategy, funded
):
    # Bob pledges 5 WETH (10,000 asset) and borrows 7,500 (75% LTV, under the 80% LLTV).
    borrow(morpho_blue, params, collateral, bob, 5 * E18, 7_500 * E18)
    # WETH crashes to 500: the collateral covers a third of the debt.
    morpho_oracle.setPrice(500 * 10**36, sender=admin)
    liquidator = admin
    asset.mint(liquidator, DEPOSIT, sender=liquidator)
    asset.approve(morpho_blue, 2**256 - 1, sender=liquidator)
    morpho_blue.liquidate(params, bob, 5 * E18, 0, b"", sender=liquidator)
    # Morpho realised the uncovered debt as bad debt: every supplier, this adapter included, loses it.
    value = strategy.totalAssets()
    assert 4_700 * E18 < value < 5_000 * E18
    assert strategy.maxWithdraw(vault_account) == strategy.previewRedeem(strategy.balanceOf(vault_account))
    strategy.redeem(strategy.balanceOf(vault_account), vault_account, vault_account, sender=vault_account)
    assert value - 2 <= asset.balanceOf(vault_account) <= value
