"""UniswapV2Strategy against the real @uniswap/v2-core pair: fees, impermanent loss, TWAP valuation."""

from __future__ import annotations

import ape
import protocols
import pytest
from strategy_helpers import E18, SLIPPAGE_BPS, TWAP_WINDOW, ZERO, assert_deploy_reverts, uniswap_swap

DEPOSIT = 10_000 * E18


@pytest.fixture(scope="module")
def market(asset, make_uniswap_pair):
    """A 1,000,000 asset / 2,000,000 other pool: one asset is worth 2 other."""
    return make_uniswap_pair(asset, 1_000_000 * E18, 2_000_000 * E18)


@pytest.fixture(scope="module")
def pair(market):
    return market[0]


@pytest.fixture(scope="module")
def other(market):
    return market[1]


@pytest.fixture(scope="module")
def strategy(make_uniswap_strategy, pair, asset):
    return make_uniswap_strategy(pair, asset)


@pytest.fixture(scope="module", autouse=True)
def _module_setup(strategy, pair, other, stranger, bob, vault_account, admin):
    """Build every module- and session-scoped fixture before ape's per-test snapshots start."""


def _warm(chain, strategy) -> None:
    """Let one TWAP window pass so the adapter can price."""
    chain.pending_timestamp += TWAP_WINDOW + 1
    strategy.updateTwap(sender=strategy.ownerVault())


@pytest.fixture
def ready(chain, strategy):
    _warm(chain, strategy)
    return strategy


@pytest.fixture
def funded(ready, asset, vault_account):
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    asset.approve(ready, 2**256 - 1, sender=vault_account)
    tx = ready.deposit(DEPOSIT, vault_account, sender=vault_account)
    return ready, tx


def test_constructor__asset_not_in_pair__reverts(project, admin, pair, make_token, vault_account):
    stray = make_token(18)
    S = project.UniswapV2Strategy
    assert_deploy_reverts(S, S.AssetNotInPair, pair, stray, vault_account, 4, TWAP_WINDOW, SLIPPAGE_BPS)


@pytest.mark.parametrize(
    "risk,window,slippage,error",
    [
        (3, TWAP_WINDOW, SLIPPAGE_BPS, "InvalidRiskLevel"),
        (6, TWAP_WINDOW, SLIPPAGE_BPS, "InvalidRiskLevel"),
        (4, 599, SLIPPAGE_BPS, "TwapWindowTooShort"),
        (4, TWAP_WINDOW, 30, "SlippageOutOfRange"),
        (4, TWAP_WINDOW, 1001, "SlippageOutOfRange"),
    ],
)
def test_constructor__bad_parameters__revert(
    project, admin, pair, asset, vault_account, risk, window, slippage, error
):
    S = project.UniswapV2Strategy
    assert_deploy_reverts(S, getattr(S, error), pair, asset, vault_account, risk, window, slippage)


def test_constructor__zero_pair__reverts(project, admin, asset, vault_account):
    S = project.UniswapV2Strategy
    assert_deploy_reverts(S, S.ZeroAddress, ZERO, asset, vault_account, 4, TWAP_WINDOW, SLIPPAGE_BPS)


def test_wiring__is_immutable_and_reported(strategy, pair, asset, other, vault_account):
    assert strategy.pair() == pair.address
    assert strategy.asset() == asset.address
    assert strategy.otherToken() == other.address
    assert strategy.ownerVault() == vault_account.address
    assert strategy.riskLevel() == 4
    assert strategy.twapWindow() == TWAP_WINDOW
    assert strategy.maxSlippageBps() == SLIPPAGE_BPS
    assert strategy.decimals() == asset.decimals() + 6


def test_before_first_window__no_price__deposits_closed(project, strategy, asset, vault_account):
    assert strategy.maxDeposit(vault_account) == 0
    with ape.reverts(custom_err=project.UniswapV2Strategy.TwapNotReady):
        strategy.twapPrice()
    asset.mint(vault_account, E18, sender=vault_account)
    asset.approve(strategy, E18, sender=vault_account)
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxDeposit):
        strategy.deposit(E18, vault_account, sender=vault_account)


def test_update_twap__only_records_once_per_window(chain, strategy):
    first = strategy.newObservation()
    tx = strategy.updateTwap(sender=strategy.ownerVault())
    assert not tx.events.filter(strategy.TwapObserved)
    chain.pending_timestamp += TWAP_WINDOW
    tx = strategy.updateTwap(sender=strategy.ownerVault())
    assert len(tx.events.filter(strategy.TwapObserved)) == 1
    assert strategy.oldObservation() == first
    # One asset is worth two other tokens: the TWAP says so in UQ112x112.
    assert strategy.twapPrice() == 2 * 2**112


def test_deposit__zaps_into_liquidity_at_fair_value(funded, pair, asset, other, vault_account):
    strategy, tx = funded
    event = tx.events.filter(strategy.Invested)[0]
    assert event.assets == DEPOSIT
    assert event.liquidity == pair.balanceOf(strategy) > 0
    # The zap leaves (almost) nothing idle: at most rounding dust on either side.
    assert asset.balanceOf(strategy) < DEPOSIT // 10**6
    assert other.balanceOf(strategy) < DEPOSIT // 10**6
    # Fair value after the zap: the deposit less ~half a 0.3% fee and ~0.5% price impact of the zap.
    total = strategy.totalAssets()
    assert DEPOSIT * 990 // 1000 < total < DEPOSIT
    # The depositor was credited at most the worst-case haircut, never more than what arrived.
    shares = strategy.balanceOf(vault_account)
    assert shares == tx.return_value
    assert strategy.convertToAssets(shares) <= total
    print(f"gas UniswapV2Strategy.deposit: {tx.gas_used}")


def test_deposit__from_anyone_but_owner_vault__reverts(stranger, asset, vault_account, ready):
    asset.mint(stranger, E18, sender=stranger)
    asset.approve(ready, E18, sender=stranger)
    assert ready.maxDeposit(stranger) == 0
    with ape.reverts(custom_err=ready.ERC4626ExceededMaxDeposit):
        ready.deposit(E18, stranger, sender=stranger)
    with ape.reverts(custom_err=ready.NotOwnerVault):
        ready.deposit(E18, vault_account, sender=stranger)


def test_swap_fees__raise_value__redeem_pays_preview(chain, pair, asset, other, bob, vault_account, funded):
    strategy, _ = funded
    before = strategy.totalAssets()
    # Round trips by swappers: price ends where it started, LPs keep 0.3% of the volume.
    for _ in range(6):
        got = uniswap_swap(pair, asset, 50_000 * E18, bob)
        uniswap_swap(pair, other, got, bob)
    chain.pending_timestamp += TWAP_WINDOW
    strategy.updateTwap(sender=bob)
    after = strategy.totalAssets()
    assert after > before * 1002 // 1000  # ~600k volume * 0.3% * ~0.5% pool share ~ 9 asset + rounding
    shares = strategy.maxRedeem(vault_account)
    assert shares == strategy.balanceOf(vault_account)
    preview = strategy.previewRedeem(shares)
    assert preview > DEPOSIT * 98 // 100
    received_before = asset.balanceOf(vault_account)
    tx = strategy.redeem(shares, vault_account, vault_account, sender=vault_account)
    received = asset.balanceOf(vault_account) - received_before
    assert received == tx.return_value
    assert abs(received - preview) < preview // 100_000  # the TWAP drifts a little block to block
    assert strategy.totalSupply() == 0
    # The exit haircut (1%) exceeded the real exit cost: the surplus waits in the adapter for the vault's
    # next deposit, it is never paid to anyone else.
    assert 0 < strategy.totalAssets() < DEPOSIT * SLIPPAGE_BPS // 10_000
    print(f"gas UniswapV2Strategy.redeem(all): {tx.gas_used}")


def test_withdraw__exact_assets__burns_part_of_the_liquidity(pair, asset, vault_account, funded):
    strategy, _ = funded
    lp_before = pair.balanceOf(strategy)
    want = DEPOSIT // 4
    expected_shares = strategy.previewWithdraw(want)
    shares_before = strategy.balanceOf(vault_account)
    tx = strategy.withdraw(want, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) == want
    assert tx.return_value == shares_before - strategy.balanceOf(vault_account)
    # The TWAP moved a little since the preview's block (the zap itself nudged the spot price).
    assert abs(tx.return_value - expected_shares) < expected_shares // 10_000
    burned = tx.events.filter(strategy.Divested)[0].liquidity
    assert 0 < burned < lp_before // 3
    print(f"gas UniswapV2Strategy.withdraw: {tx.gas_used}")


def test_valuation__same_transaction_manipulation__does_not_move_it(project, pair, asset, admin, funded):
    strategy, _ = funded
    attacker = admin.deploy(project.UniswapV2Manipulator)
    asset.mint(attacker, 500_000 * E18, sender=admin)
    attacker.manipulate(pair, asset, 500_000 * E18, strategy, strategy.ownerVault(), sender=admin)
    before, during, after = attacker.valueBefore(), attacker.valueDuring(), attacker.valueAfter()
    # Spot price fell by more than half during the attack; the valuation did not fall at all (k only grows).
    assert during >= before
    assert after >= before
    assert during - before < before // 1000  # only the attacker's own swap fee, shared pro rata
    assert attacker.maxDepositDuring() == 0  # and nobody could enter at the skewed price


def test_deposit__spot_off_twap__refused(pair, other, asset, bob, vault_account, funded):
    strategy, _ = funded
    uniswap_swap(pair, other, 100_000 * E18, bob)  # asset ~10% dearer at spot, TWAP unchanged
    assert strategy.maxDeposit(vault_account) == 0
    assert strategy.maxWithdraw(vault_account) == 0  # nothing idle, position cannot be exited fairly now
    asset.mint(vault_account, E18, sender=vault_account)
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxDeposit):
        strategy.deposit(E18, vault_account, sender=vault_account)


def test_impermanent_loss__asset_rallies__value_in_asset_falls(
    chain, funded, pair, other, bob, vault_account
):
    strategy, _ = funded
    before = strategy.totalAssets()
    # A whale buys the asset: its price in the other token roughly quadruples and stays there.
    uniswap_swap(pair, other, 2_000_000 * E18, bob)
    for _ in range(3):
        chain.pending_timestamp += TWAP_WINDOW
        strategy.updateTwap(sender=bob)
    chain.pending_timestamp += TWAP_WINDOW
    after = strategy.totalAssets()
    # 2·sqrt(k/P): four times the price halves the position's value in the asset (minus lag of the TWAP).
    assert after < before * 62 // 100
    # Once the TWAP has caught up the position is exitable again, at the loss.
    strategy.updateTwap(sender=bob)
    assert strategy.maxWithdraw(vault_account) > 0
    shares = strategy.balanceOf(vault_account)
    tx = strategy.redeem(shares, vault_account, vault_account, sender=vault_account)
    assert tx.return_value < before * 62 // 100


def test_deposit__too_large_for_the_pool__above_max_deposit(asset, vault_account, ready):
    # Zapping 300,000 into a 1,000,000 pool sells ~140,000 at ~12% price impact: over the 1% bound, so
    # maxDeposit (the largest zap within the bound, ~14,000) refuses it before any swap is tried.
    big = 300_000 * E18
    limit = ready.maxDeposit(vault_account)
    assert limit < big
    asset.mint(vault_account, big, sender=vault_account)
    asset.approve(ready, big, sender=vault_account)
    with ape.reverts(ready.ERC4626ExceededMaxDeposit, receiver=vault_account, assets=big, max=limit):
        ready.deposit(big, vault_account, sender=vault_account)


def test_mint__pays_the_grossed_up_preview(asset, vault_account, ready):
    shares = 1_000 * E18 * 10**6
    cost = ready.previewMint(shares)
    # Worst-case entry cost of 1% is charged up front: 1,000 worth of shares costs 1,000 / 0.99.
    assert cost == -(-1_000 * E18 * 10_000 // 9_900)
    assert ready.maxMint(vault_account) == ready.previewDeposit(ready.maxDeposit(vault_account)) > shares
    asset.mint(vault_account, cost, sender=vault_account)
    asset.approve(ready, cost, sender=vault_account)
    tx = ready.mint(shares, vault_account, sender=vault_account)
    assert tx.return_value == cost
    assert asset.balanceOf(vault_account) == 0
    assert ready.balanceOf(vault_account) == shares


def test_spot_price__follows_reserves_while_twap_lags(pair, other, bob, ready):
    assert ready.spotPrice() == ready.twapPrice() == 2 * 2**112
    uniswap_swap(pair, other, 100_000 * E18, bob)
    assert ready.spotPrice() > ready.twapPrice() * 105 // 100


def test_asset_as_token1_with_6_decimals__round_trip_at_fair_value(
    chain, make_token, uniswap_factory, make_uniswap_strategy, admin, vault_account
):
    # A 6-decimal stablecoin against an 18-decimal token worth 2,000 of it: prices span 1e-12 scales.
    weth = make_token(18, "Wrapped Ether", "WETH")
    usdc = make_token(6, "USD Coin", "USDC")
    for _ in range(8):  # CREATE addresses are pseudo-random: redeploy until the asset sorts as token1
        if int(usdc.address, 16) > int(weth.address, 16):
            break
        usdc = make_token(6, "USD Coin", "USDC")
    uniswap_factory.createPair(usdc, weth, sender=admin)
    pair = protocols.uniswap_pair_at(uniswap_factory.getPair(usdc, weth))
    assert pair.token1() == usdc.address
    usdc.mint(pair, 2_000_000 * 10**6, sender=admin)
    weth.mint(pair, 1_000 * E18, sender=admin)
    pair.mint(admin, sender=admin)
    strategy = make_uniswap_strategy(pair, usdc)
    chain.pending_timestamp += TWAP_WINDOW + 1
    strategy.updateTwap(sender=admin)
    # One USDC unit (1e-6) buys 1/2000 WETH (1e18 / 2000 / 1e6 wei per unit), in UQ112x112.
    assert strategy.twapPrice() == (10**18 // 2_000 // 10**6) * 2**112
    deposit = 10_000 * 10**6
    usdc.mint(vault_account, deposit, sender=vault_account)
    usdc.approve(strategy, deposit, sender=vault_account)
    strategy.deposit(deposit, vault_account, sender=vault_account)
    assert deposit * 99 // 100 < strategy.totalAssets() < deposit
    strategy.redeem(strategy.balanceOf(vault_account), vault_account, vault_account, sender=vault_account)
    assert deposit * 98 // 100 < usdc.balanceOf(vault_account) < deposit
