"""ERC-4626 max* of every adapter are exact bounds of what the call then accepts (issue 12, finding 5).

Each adapter is deployed as its `Unchecked*` test twin (contracts/test/UncheckedExits.sol): the production
code plus entry points that skip ERC-4626's own max* check, so a test can show that one step above the bound
is refused by the protocol itself (the pair's slippage, Aave's cash, Morpho's liquidity), i.e. the bound is
tight, while `withdraw(maxWithdraw)` / `deposit(maxDeposit)` through the real entry points pass.
"""

from __future__ import annotations

from typing import Any

import ape
import protocols
import pytest
from ape.exceptions import VirtualMachineError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategy_helpers import E18, SLIPPAGE_BPS, TWAP_WINDOW, uniswap_swap

MORPHO_LLTV = 80 * 10**16
DEPOSIT = 10_000 * E18


@pytest.fixture(scope="module")
def a_token(aave_market, admin, asset, aave_collateral):
    return protocols.aave_list_reserve(aave_market, admin, asset, 10**8, borrowable=True)


@pytest.fixture(scope="module")
def aave_strategy(project, admin, aave_market, asset, a_token, vault_account):
    strategy = admin.deploy(project.UncheckedAaveV3Strategy, aave_market.pool, asset, vault_account, 1)
    asset.approve(strategy, 2**256 - 1, sender=vault_account)
    return strategy


@pytest.fixture(scope="module")
def morpho_collateral(make_token):
    return make_token(18, "Wrapped Ether", "WETH")


@pytest.fixture(scope="module")
def morpho_params(make_morpho_market, asset, morpho_collateral):
    return make_morpho_market(asset, morpho_collateral)


@pytest.fixture(scope="module")
def morpho_strategy(project, admin, morpho_blue, morpho_params, asset, vault_account):
    strategy = admin.deploy(project.UncheckedMorphoBlueStrategy, morpho_blue, morpho_params, vault_account, 2)
    asset.approve(strategy, 2**256 - 1, sender=vault_account)
    return strategy


@pytest.fixture(scope="module", autouse=True)
def _module_setup(
    vault_account, admin, bob, stranger, fee_recipient, aave_strategy, morpho_strategy, uniswap_factory
) -> None:
    """Module and session fixtures first (see the other strategy modules)."""


def settle_twap(chain: Any, strategy: Any, caller: Any) -> None:
    """Two quiet windows: both observations postdate the last trade, so the TWAP equals the spot price and
    stays constant from block to block (views and transactions then price alike)."""
    for _ in range(2):
        chain.pending_timestamp += TWAP_WINDOW + 1
        strategy.updateTwap(sender=caller)


# ---------------------------------------------------------------- Uniswap V2


@pytest.fixture
def uni(chain, project, make_token, uniswap_factory, asset, admin, vault_account) -> tuple[Any, Any, Any]:
    """A 1,000,000 asset / 2,000,000 other pair and an unchecked adapter owned by `vault_account`."""
    other = make_token(18, "Other", "OTH")
    uniswap_factory.createPair(asset, other, sender=admin)
    pair = protocols.uniswap_pair_at(uniswap_factory.getPair(asset, other))
    asset.mint(pair, 1_000_000 * E18, sender=admin)
    other.mint(pair, 2_000_000 * E18, sender=admin)
    pair.mint(admin, sender=admin)
    strategy = admin.deploy(
        project.UncheckedUniswapV2Strategy, pair, asset, vault_account, 4, TWAP_WINDOW, SLIPPAGE_BPS
    )
    settle_twap(chain, strategy, admin)
    asset.approve(strategy, 2**256 - 1, sender=vault_account)
    return strategy, pair, other


def thin_out(chain: Any, pair: Any, strategy: Any, admin: Any, keep_bps: int) -> None:
    """The other liquidity providers leave: admin burns all but `keep_bps` of its LP tokens."""
    burn = pair.balanceOf(admin) * (10_000 - keep_bps) // 10_000
    pair.transfer(pair, burn, sender=admin)
    pair.burn(admin, sender=admin)
    settle_twap(chain, strategy, admin)


def test_uniswap_max_deposit__deep_pair__deposit_of_it_passes_a_step_more_is_slippage(
    uni, asset, vault_account
):
    strategy, _, _ = uni
    limit = strategy.maxDeposit(vault_account)
    # The zap may sell ~0.7 % of the asset reserve within a 1 % bound: a deposit of ~1.4 % of it.
    assert 13_000 * E18 < limit < 15_000 * E18
    assert strategy.maxMint(vault_account) == strategy.previewDeposit(limit)
    step = limit // 1_000
    asset.mint(vault_account, 2 * limit, sender=vault_account)
    with ape.reverts(custom_err=strategy.SlippageExceeded):
        strategy.depositUnchecked(limit + step, sender=vault_account)
    with ape.reverts(custom_err=strategy.ERC4626ExceededMaxDeposit):
        strategy.deposit(limit + 1, vault_account, sender=vault_account)
    strategy.deposit(limit, vault_account, sender=vault_account)
    assert strategy.balanceOf(vault_account) > 0


@pytest.mark.parametrize(("keep_bps", "at_most_bps"), [(0, 1_000), (100, 2_000), (2_000, 5_000)])
def test_uniswap_max_withdraw__thin_pair__withdraw_of_it_passes_one_more_unit_is_refused(
    chain, uni, asset, admin, vault_account, keep_bps, at_most_bps
):
    """Issue 12 (5): once the other LPs leave, the adapter's position is most of the pair; selling the
    other-token half into what is left moves the price, so only a slice can come out within the bound."""
    strategy, pair, _ = uni
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    thin_out(chain, pair, strategy, admin, keep_bps)
    value = strategy.previewRedeem(strategy.balanceOf(vault_account))
    limit = strategy.maxWithdraw(vault_account)
    # the old bound promised ~all of `value` (9,860 of 10,000) whatever the depth
    assert 0 < limit < value * at_most_bps // 10_000
    with pytest.raises(VirtualMachineError):  # the protocol's own refusal (a revert or a token panic)
        strategy.withdrawUnchecked(limit + 1, sender=vault_account)
    before = asset.balanceOf(vault_account)
    strategy.withdraw(limit, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) - before == limit


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keep_bps=st.integers(0, 3_000), deposit=st.integers(1_000, 13_000))
def test_uniswap_max_withdraw__any_depth__exact_edge(
    chain, uni, asset, admin, vault_account, keep_bps, deposit
):
    """Over pair depth and position size: withdraw(maxWithdraw) passes; below the position's value, one unit
    more is refused by the pair's slippage guard."""
    strategy, pair, _ = uni
    snapshot = chain.snapshot()
    try:
        asset.mint(vault_account, deposit * E18, sender=vault_account)
        strategy.deposit(deposit * E18, vault_account, sender=vault_account)
        thin_out(chain, pair, strategy, admin, keep_bps)
        value = strategy.previewRedeem(strategy.balanceOf(vault_account))
        limit = strategy.maxWithdraw(vault_account)
        assert 0 < limit <= value
        if limit < value:
            with pytest.raises(VirtualMachineError):
                strategy.withdrawUnchecked(limit + 1, sender=vault_account)
        strategy.withdraw(limit, vault_account, vault_account, sender=vault_account)
    finally:
        chain.restore(snapshot)


def test_uniswap_max_redeem__thin_pair__redeem_of_it_passes_one_more_share_is_refused(
    chain, uni, asset, admin, vault_account
):
    strategy, pair, _ = uni
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    thin_out(chain, pair, strategy, admin, 0)
    shares = strategy.maxRedeem(vault_account)
    assert 0 < shares < strategy.balanceOf(vault_account) // 10
    assert (
        strategy.previewRedeem(shares)
        <= strategy.maxWithdraw(vault_account)
        < strategy.previewRedeem(shares + 1)
    )
    with ape.reverts():
        strategy.redeemUnchecked(shares + 1, sender=vault_account)
    before = asset.balanceOf(vault_account)
    tx = strategy.redeem(shares, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) - before == tx.return_value > 0


def test_uniswap_max_withdraw__deep_pair__the_whole_position(uni, asset, vault_account):
    strategy, _, _ = uni
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    shares = strategy.balanceOf(vault_account)
    assert strategy.maxWithdraw(vault_account) == strategy.previewRedeem(shares)
    assert strategy.maxRedeem(vault_account) == shares


def test_uniswap_max__spot_off_twap__only_idle_and_no_deposit(chain, uni, asset, bob, vault_account):
    strategy, pair, other = uni
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    uniswap_swap(pair, other, 100_000 * E18, bob)  # spot ~10 % off the TWAP
    assert strategy.maxDeposit(vault_account) == 0
    assert strategy.maxMint(vault_account) == 0
    assert strategy.maxWithdraw(vault_account) == asset.balanceOf(strategy)
    assert strategy.previewRedeem(strategy.maxRedeem(vault_account)) <= asset.balanceOf(strategy)


# ---------------------------------------------------------------- Aave V3


def aave_borrow(market: Any, collateral: Any, asset: Any, borrower: Any, amount: int) -> None:
    collateral.mint(borrower, 100 * E18, sender=borrower)
    collateral.approve(market.pool, 100 * E18, sender=borrower)
    market.pool.supply(collateral, 100 * E18, borrower, 0, sender=borrower)
    market.pool.borrow(asset, amount, 2, 0, borrower, sender=borrower)


def test_aave_max_withdraw__cash_lent_out__withdraw_of_it_passes_one_more_unit_is_refused(
    aave_market, aave_collateral, aave_strategy, asset, bob, vault_account
):
    strategy = aave_strategy
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    aave_borrow(aave_market, aave_collateral, asset, bob, 7_000 * E18)
    limit = strategy.maxWithdraw(vault_account)
    assert limit == 3_000 * E18  # the aToken's cash, not the position's value
    assert strategy.previewRedeem(strategy.maxRedeem(vault_account)) <= limit
    with pytest.raises(VirtualMachineError):  # the protocol's own refusal (a revert or a token panic)
        strategy.withdrawUnchecked(limit + 1, sender=vault_account)
    strategy.withdraw(limit, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) == limit
    assert strategy.maxWithdraw(vault_account) == 0


def test_aave_max_deposit__reserve_factor_accrual__deposit_of_it_passes_the_old_bound_is_refused(
    chain, admin, aave_market, aave_collateral, aave_strategy, a_token, asset, bob, vault_account
):
    """Aave books the treasury's share of the interest before it checks the supply cap: the room left is
    smaller than (scaled supply + booked treasury) × index says."""
    strategy = aave_strategy
    asset.mint(vault_account, 3 * DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    aave_market.configurator.setReserveFactor(asset, 2_000, sender=admin)  # 20 % of interest to treasury
    aave_borrow(aave_market, aave_collateral, asset, bob, 5_000 * E18)
    chain.mine(timestamp=chain.pending_timestamp + 365 * 24 * 3600)
    aave_market.configurator.setSupplyCap(asset, 15_000, sender=admin)
    chain.mine()
    ts = chain.pending_timestamp
    data = aave_market.pool.getReserveData(asset)
    index = aave_market.pool.getReserveNormalizedIncome(asset)
    booked = -(-(a_token.scaledTotalSupply() + data.accruedToTreasury) * index // 10**27)
    old_room = 15_000 * E18 - booked
    room = strategy.maxDeposit(vault_account)
    assert 0 < room < old_room - 5 * E18  # ~25 of interest owed to the treasury is not room
    chain.pending_timestamp = ts  # pinned: the views above and the deposits below see the same accrual
    snapshot = chain.snapshot()
    with pytest.raises(VirtualMachineError):  # Aave: SUPPLY_CAP_EXCEEDED
        strategy.depositUnchecked(old_room, sender=vault_account)
    chain.restore(snapshot)
    chain.pending_timestamp = ts
    strategy.deposit(room, vault_account, sender=vault_account)


# ---------------------------------------------------------------- Morpho Blue


def test_morpho_max_withdraw__market_lent_out__withdraw_of_it_passes_one_more_unit_is_refused(
    morpho_blue, morpho_params, morpho_collateral, morpho_strategy, asset, bob, vault_account
):
    strategy = morpho_strategy
    asset.mint(vault_account, DEPOSIT, sender=vault_account)
    strategy.deposit(DEPOSIT, vault_account, sender=vault_account)
    morpho_collateral.mint(bob, 10 * E18, sender=bob)
    morpho_collateral.approve(morpho_blue, 10 * E18, sender=bob)
    morpho_blue.supplyCollateral(morpho_params, 10 * E18, bob, b"", sender=bob)
    morpho_blue.borrow(morpho_params, 7_000 * E18, 0, bob, bob, sender=bob)
    limit = strategy.maxWithdraw(vault_account)
    assert limit == 3_000 * E18  # the market's cash (supply − borrow), not the position's value
    with pytest.raises(VirtualMachineError):  # the protocol's own refusal (a revert or a token panic)
        strategy.withdrawUnchecked(limit + 1, sender=vault_account)
    strategy.withdraw(limit, vault_account, vault_account, sender=vault_account)
    assert asset.balanceOf(vault_account) == limit
    assert strategy.maxWithdraw(vault_account) == 0
    assert strategy.maxRedeem(vault_account) == 0


def test_morpho_max_deposit__bounded_by_the_markets_uint128_totals(morpho_strategy, vault_account):
    limit = morpho_strategy.maxDeposit(vault_account)
    assert limit < 2**128
    assert morpho_strategy.maxMint(vault_account) == morpho_strategy.previewDeposit(limit)
