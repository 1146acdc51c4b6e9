"""Each adapter (and a plain ERC-4626) as a real TierVault strategy: allocate, real yield, report, exit."""

from __future__ import annotations

import ape
import protocols
from strategy_helpers import E18, TWAP_WINDOW, uniswap_swap

DEPOSIT = 10_000 * E18
WEEK = 7 * 24 * 3600
YEAR = 365 * 24 * 3600


def _enter(vault, asset, alice, allocator, amount: int = DEPOSIT) -> None:
    asset.mint(alice, amount, sender=alice)
    asset.approve(vault, amount, sender=alice)
    vault.deposit(amount, alice, sender=alice)
    vault.allocate(sender=allocator)


def test_plain_erc4626__is_a_strategy_without_adapter(
    project, chain, admin, alice, allocator, asset, make_tier_vault, attach
):
    vault = make_tier_vault(asset, 1)
    plain = admin.deploy(project.PlainERC4626Vault, asset)
    attach(vault, plain, 1, 8_000)
    _enter(vault, asset, alice, allocator)
    assert vault.strategyParams(plain).debt == DEPOSIT * 8 // 10
    asset.mint(plain, 800 * E18, sender=admin)  # the external vault earns 10%
    tx = vault.report(plain, sender=allocator)
    assert tx.return_value[0] > 799 * E18  # profit, locked then released over a week
    chain.pending_timestamp += WEEK
    chain.mine()
    vault.redeem(vault.balanceOf(alice), alice, alice, sender=alice)
    assert asset.balanceOf(alice) > DEPOSIT + 799 * E18


def test_aave__interest_reported__illiquidity_honest(
    chain,
    admin,
    alice,
    bob,
    allocator,
    asset,
    make_tier_vault,
    attach,
    make_aave_strategy,
    aave_market,
    aave_collateral,
):
    protocols.aave_list_reserve(aave_market, admin, asset, 10**8, borrowable=True)
    vault = make_tier_vault(asset, 1)
    strategy = make_aave_strategy(asset, owner_vault=vault)
    attach(vault, strategy, 1, 9_000)
    _enter(vault, asset, alice, allocator)
    # A real borrower takes 4,500 of the 9,000 lent; a year of interest accrues.
    aave_collateral.mint(bob, 100 * E18, sender=bob)
    aave_collateral.approve(aave_market.pool, 100 * E18, sender=bob)
    aave_market.pool.supply(aave_collateral, 100 * E18, bob, 0, sender=bob)
    aave_market.pool.borrow(asset, 4_500 * E18, 2, 0, bob, sender=bob)
    chain.pending_timestamp += YEAR
    chain.mine()
    profit, loss = vault.report(strategy, sender=allocator).return_value
    assert loss == 0 and 100 * E18 < profit < 120 * E18  # 50% used at 2.5% -> ~1.26% of 9,000
    # Bob borrows the rest of the cash: the vault can only pay out its idle 1,000, and says so.
    aave_market.pool.borrow(asset, asset.balanceOf(strategy.aToken()), 2, 0, bob, sender=bob)
    assert vault.maxWithdraw(alice) == vault.idle() == DEPOSIT // 10
    with ape.reverts():
        vault.withdraw(DEPOSIT // 2, alice, alice, sender=alice)
    vault.withdraw(DEPOSIT // 10, alice, alice, sender=alice)
    assert asset.balanceOf(alice) == DEPOSIT // 10


def test_morpho__interest_then_bad_debt__profit_then_loss(
    chain,
    admin,
    alice,
    bob,
    allocator,
    asset,
    make_token,
    make_tier_vault,
    attach,
    make_morpho_market,
    make_morpho_strategy,
    morpho_blue,
    morpho_oracle,
):
    collateral = make_token(18, "Wrapped Ether", "WETH")
    params = make_morpho_market(asset, collateral)
    vault = make_tier_vault(asset, 3)
    strategy = make_morpho_strategy(params, owner_vault=vault)
    attach(vault, strategy, 2, 10_000)
    _enter(vault, asset, alice, allocator)
    collateral.mint(bob, 5 * E18, sender=bob)
    collateral.approve(morpho_blue, 5 * E18, sender=bob)
    morpho_blue.supplyCollateral(params, 5 * E18, bob, b"", sender=bob)
    morpho_blue.borrow(params, 7_500 * E18, 0, bob, bob, sender=bob)
    chain.pending_timestamp += YEAR // 52
    chain.mine()
    profit, loss = vault.report(strategy, sender=allocator).return_value
    assert profit > 0 and loss == 0
    price_before = vault.convertToAssets(E18)
    # The collateral crashes and a liquidation leaves bad debt: the vault's share price falls at once.
    morpho_oracle.setPrice(500 * 10**36, sender=admin)
    asset.mint(admin, DEPOSIT, sender=admin)
    asset.approve(morpho_blue, 2**256 - 1, sender=admin)
    morpho_blue.liquidate(params, bob, 5 * E18, 0, b"", sender=admin)
    profit, loss = vault.report(strategy, sender=allocator).return_value
    assert profit == 0 and 5_000 * E18 < loss < 5_300 * E18
    assert vault.convertToAssets(E18) < price_before * 52 // 100


def test_uniswap__fees_then_impermanent_loss(
    chain, alice, bob, allocator, asset, make_tier_vault, attach, make_uniswap_pair, make_uniswap_strategy
):
    pair, other = make_uniswap_pair(asset, 1_000_000 * E18, 2_000_000 * E18)
    vault = make_tier_vault(asset, 5)
    strategy = make_uniswap_strategy(pair, asset, owner_vault=vault)
    attach(vault, strategy, 4, 5_000)
    chain.pending_timestamp += TWAP_WINDOW + 1
    strategy.updateTwap(sender=bob)
    _enter(vault, asset, alice, allocator)
    assert vault.strategyParams(strategy).debt == DEPOSIT // 2
    # First report: the entry and exit haircuts (worst-case slippage) show as an immediate, honest loss.
    _, first_loss = vault.report(strategy, sender=allocator).return_value
    assert 0 < first_loss < DEPOSIT // 2 * 3 // 100
    # Swappers pay fees: the next report shows a profit.
    for _ in range(10):
        uniswap_swap(pair, other, uniswap_swap(pair, asset, 100_000 * E18, bob), bob)
    chain.pending_timestamp += TWAP_WINDOW
    strategy.updateTwap(sender=bob)
    profit, loss = vault.report(strategy, sender=allocator).return_value
    assert profit > 0 and loss == 0
    # The asset rallies 4x against the other token: impermanent loss, reported once the TWAP agrees.
    uniswap_swap(pair, other, 2_000_000 * E18, bob)
    for _ in range(4):
        chain.pending_timestamp += TWAP_WINDOW
        strategy.updateTwap(sender=bob)
    profit, loss = vault.report(strategy, sender=allocator).return_value
    assert profit == 0 and loss > DEPOSIT // 2 * 35 // 100
    # Alice can still leave with nearly everything: idle first, then the LP position. The vault prices the
    # position at its TWAP value (convertToAssets) but the adapter releases it net of its worst-case exit
    # slippage (maxWithdraw), so maxRedeem leaves that haircut's shares behind instead of promising what
    # redeem refuses.
    shares = vault.maxRedeem(alice)
    assert vault.balanceOf(alice) * 99 // 100 < shares <= vault.balanceOf(alice)
    vault.redeem(shares, alice, alice, sender=alice)
    assert asset.balanceOf(alice) > DEPOSIT * 6 // 10


def test_morpho__bad_debt_back_runner__gets_his_fair_share_not_his_deposit(
    admin,
    alice,
    bob,
    stranger,
    allocator,
    asset,
    make_token,
    make_tier_vault,
    attach,
    make_morpho_market,
    make_morpho_strategy,
    morpho_blue,
    morpho_oracle,
):
    """Issue 12 on real Morpho Blue: a liquidation leaves 5,150 of bad debt on 20,000 supplied by two holders
    of 10,000. The holder who back-runs it (before any report) gets 7,425, not 10,000; the other keeps
    7,425."""
    collateral = make_token(18, "Wrapped Ether", "WETH")
    params = make_morpho_market(asset, collateral)
    vault = make_tier_vault(asset, 3)
    strategy = make_morpho_strategy(params, owner_vault=vault)
    attach(vault, strategy, 2, 10_000)
    _enter(vault, asset, alice, allocator)
    _enter(vault, asset, stranger, allocator)
    collateral.mint(bob, 5 * E18, sender=bob)
    collateral.approve(morpho_blue, 5 * E18, sender=bob)
    morpho_blue.supplyCollateral(params, 5 * E18, bob, b"", sender=bob)
    morpho_blue.borrow(params, 7_500 * E18, 0, bob, bob, sender=bob)
    morpho_oracle.setPrice(500 * 10**36, sender=admin)
    asset.mint(admin, DEPOSIT, sender=admin)
    asset.approve(morpho_blue, 2**256 - 1, sender=admin)
    morpho_blue.liquidate(params, bob, 5 * E18, 0, b"", sender=admin)
    bad_debt = 2 * DEPOSIT - strategy.totalAssets()
    assert abs(bad_debt - 5_150 * E18) < E18  # 7,500 borrowed, 2,500 of collateral / 1.0638 repaid
    fair = (2 * DEPOSIT - bad_debt) // 2
    got = vault.redeem(vault.balanceOf(stranger), stranger, stranger, sender=stranger).return_value
    assert abs(got - fair) <= 4 and abs(got - 7_425 * E18) < E18
    got_alice = vault.redeem(vault.balanceOf(alice), alice, alice, sender=alice).return_value
    assert abs(got_alice - fair) <= 4
