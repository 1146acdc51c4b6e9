// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {StrategyAdapter} from "./StrategyAdapter.sol";
import {IMorphoBlueStrategy} from "./interfaces/IMorphoBlueStrategy.sol";
import {IMorphoBlueLike, IMorphoIrmLike, MorphoMarket, MorphoMarketParams} from "./external/IMorphoBlueLike.sol";

/// @title MorphoBlueStrategy
/// @notice Balanced tier (risk 2–3): the asset is lent in one isolated Morpho Blue market. Lenders earn the
///         borrowers' interest and carry the market's bad debt: if a liquidation leaves debt without
///         collateral, Morpho writes it off against all suppliers at once and this adapter's value falls.
/// @dev Value = idle + the adapter's supply shares converted at the market's totals *with interest accrued to
///      this block*, computed the way Morpho itself accrues on its next touch: the IRM's per-second rate,
///      compounded by a third-order Taylor expansion of e^(r·t) − 1, the fee minted as supply shares, then
///      shares → assets rounding down with Morpho's virtual shares (1e6) and virtual assets (1). Nothing is
///      priced by an oracle, so nothing can be moved inside a transaction.
///      Liquidity: the market's cash is totalSupply − totalBorrow; `maxWithdraw` is capped by it and drops
///      to 0 when borrowers have taken everything. Morpho has no pause, no cap and no admin over a market.
///      Withdrawing the whole position goes by shares, so no supply dust is stranded by rounding.
contract MorphoBlueStrategy is StrategyAdapter, IMorphoBlueStrategy {
    using SafeERC20 for IERC20;

    uint256 private constant WAD = 1e18;
    uint256 private constant VIRTUAL_SHARES = 1e6;
    uint256 private constant VIRTUAL_ASSETS = 1;

    /// @inheritdoc IMorphoBlueStrategy
    address public immutable morpho;
    /// @inheritdoc IMorphoBlueStrategy
    bytes32 public immutable marketId;
    address private immutable _collateralToken;
    address private immutable _oracle;
    address private immutable _irm;
    uint256 private immutable _lltv;

    /// @param morpho_ The Morpho Blue singleton.
    /// @param params The market to supply to; its loan token is the adapter's asset.
    /// @param ownerVault_ Only depositor (a TierVault), or address(0) for anyone.
    /// @param riskLevel_ 2 … 5 (an isolated lending market is never the lowest risk).
    constructor(IMorphoBlueLike morpho_, MorphoMarketParams memory params, address ownerVault_, uint8 riskLevel_)
        StrategyAdapter(IERC20Metadata(params.loanToken), "Tributary Morpho Blue strategy", "tMORPHO", ownerVault_, riskLevel_, 2)
    {
        if (address(morpho_) == address(0)) revert ZeroAddress();
        bytes32 id = keccak256(abi.encode(params));
        if (morpho_.market(id).lastUpdate == 0) revert MarketNotCreated(id);
        morpho = address(morpho_);
        marketId = id;
        _collateralToken = params.collateralToken;
        _oracle = params.oracle;
        _irm = params.irm;
        _lltv = params.lltv;
        IERC20(params.loanToken).forceApprove(address(morpho_), type(uint256).max);
    }

    /// @inheritdoc IMorphoBlueStrategy
    function marketParams() public view returns (MorphoMarketParams memory) {
        return MorphoMarketParams(asset(), _collateralToken, _oracle, _irm, _lltv);
    }

    /// @inheritdoc IMorphoBlueStrategy
    function expectedSupplyAssets() public view returns (uint256) {
        uint256 supplyShares = _supplyShares();
        (uint256 totalAssets_, uint256 totalShares,) = _accruedTotals();
        return _toAssetsDown(supplyShares, totalAssets_, totalShares);
    }

    function _investedAssets() internal view override returns (uint256) {
        return expectedSupplyAssets();
    }

    function _liquidAssets() internal view override returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares, uint256 borrowAssets) = _accruedTotals();
        uint256 shares = _supplyShares();
        uint256 position = _toAssetsDown(shares, supplyAssets, supplyShares);
        uint256 cash = supplyAssets > borrowAssets ? supplyAssets - borrowAssets : 0;
        return IERC20(asset()).balanceOf(address(this)) + Math.min(position, cash);
    }

    /// @dev Morpho stores market totals as uint128 and reverts on overflow: the most that still fits, both in
    ///      assets and in the supply shares it mints (rounded down, as Morpho mints them).
    function _depositLimit() internal view override returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares,) = _accruedTotals();
        uint256 max128 = type(uint128).max;
        if (supplyAssets >= max128 || supplyShares >= max128) return 0;
        uint256 byShares = Math.mulDiv(max128 - supplyShares, supplyAssets + VIRTUAL_ASSETS, supplyShares + VIRTUAL_SHARES);
        return Math.min(max128 - supplyAssets, byShares);
    }

    function _invest(uint256 assets) internal override {
        // slither-disable-next-line unused-return (Morpho takes exactly `assets`; the shares are read on demand)
        IMorphoBlueLike(morpho).supply(marketParams(), assets, 0, address(this), "");
    }

    function _divest(uint256 assets) internal override {
        uint256 shares = _supplyShares();
        (uint256 supplyAssets, uint256 supplyShares,) = _accruedTotals();
        // Morpho burns ceil(assets × shares / totalAssets); if that is the whole position, take it by shares.
        uint256 needed = Math.mulDiv(assets, supplyShares + VIRTUAL_SHARES, supplyAssets + VIRTUAL_ASSETS, Math.Rounding.Ceil);
        // Return values unused: the base contract measures what arrived by balance.
        // slither-disable-start unused-return
        if (needed >= shares) IMorphoBlueLike(morpho).withdraw(marketParams(), 0, shares, address(this), address(this));
        else IMorphoBlueLike(morpho).withdraw(marketParams(), assets, 0, address(this), address(this));
        // slither-disable-end unused-return
    }

    /// @dev The adapter's supply shares in the market (its borrow shares and collateral are always 0).
    function _supplyShares() private view returns (uint256 shares) {
        // slither-disable-next-line unused-return
        (shares,,) = IMorphoBlueLike(morpho).position(marketId, address(this));
    }

    /// @dev Market totals as Morpho's `_accrueInterest` would leave them in this block.
    function _accruedTotals() private view returns (uint256 supplyAssets, uint256 supplyShares, uint256 borrowAssets) {
        MorphoMarket memory m = IMorphoBlueLike(morpho).market(marketId);
        supplyAssets = m.totalSupplyAssets;
        supplyShares = m.totalSupplyShares;
        borrowAssets = m.totalBorrowAssets;
        uint256 elapsed = block.timestamp - m.lastUpdate;
        if (elapsed < 1 || borrowAssets < 1 || _irm == address(0)) return (supplyAssets, supplyShares, borrowAssets);
        uint256 rate = IMorphoIrmLike(_irm).borrowRateView(marketParams(), m);
        uint256 interest = Math.mulDiv(borrowAssets, _taylorCompounded(rate, elapsed), WAD);
        supplyAssets += interest;
        borrowAssets += interest;
        if (m.fee > 0) {
            uint256 feeAmount = Math.mulDiv(interest, m.fee, WAD);
            // Fee shares are minted at the post-interest price net of the fee itself (Morpho's order).
            supplyShares += Math.mulDiv(feeAmount, supplyShares + VIRTUAL_SHARES, supplyAssets - feeAmount + VIRTUAL_ASSETS);
        }
    }

    /// @dev e^(x·n) − 1 to the third order, WAD: x·n + (x·n)²/2 + (x·n)³/6, each term rounded down.
    function _taylorCompounded(uint256 x, uint256 n) private pure returns (uint256) {
        uint256 first = x * n;
        uint256 second = Math.mulDiv(first, first, 2 * WAD);
        uint256 third = Math.mulDiv(second, first, 3 * WAD);
        return first + second + third;
    }

    function _toAssetsDown(uint256 shares, uint256 totalAssets_, uint256 totalShares) private pure returns (uint256) {
        return Math.mulDiv(shares, totalAssets_ + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }
}
