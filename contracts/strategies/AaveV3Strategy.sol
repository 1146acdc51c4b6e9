// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {StrategyAdapter} from "./StrategyAdapter.sol";
import {IAaveV3Strategy} from "./interfaces/IAaveV3Strategy.sol";
import {
    IAaveV3PoolLike, IAaveATokenLike, IAaveVariableDebtLike, IAaveStableDebtLike
} from "./external/IAaveV3PoolLike.sol";

/// @title AaveV3Strategy
/// @notice Conservative tier (risk 1+): the asset is lent on Aave V3. The position is the aToken balance,
///         which grows every second with the reserve's liquidity index (borrowers' interest).
/// @dev Value = idle asset + aToken balance; nothing is priced by an oracle, so nothing can be manipulated
///      in a transaction. Limits follow the reserve's configuration word:
///      - deposits: 0 while the reserve is inactive, paused or frozen, and never above the supply cap
///        (computed as Aave's own check does: (scaled supply + treasury accrual) x index, including the
///        treasury share of the interest the supply's own state update books first);
///      - withdrawals: 0 while inactive or paused, otherwise capped by the cash the aToken holds (the rest
///        is lent out: when borrowers have taken it all, `maxWithdraw` says so instead of reverting).
///      Aave V3.0 never writes down aToken balances: bad debt stays with the protocol (deficit / treasury),
///      so this adapter has no loss path other than a protocol failure; its risk is illiquidity.
///      The Pool gets an unlimited allowance once: it is the contract that holds every supplied unit anyway.
contract AaveV3Strategy is StrategyAdapter, IAaveV3Strategy {
    using SafeERC20 for IERC20;

    uint256 private constant RAY = 1e27;
    uint256 private constant ACTIVE_BIT = 56;
    uint256 private constant FROZEN_BIT = 57;
    uint256 private constant PAUSED_BIT = 60;
    uint256 private constant RESERVE_FACTOR_BIT = 64;
    uint256 private constant PERCENTAGE_FACTOR = 1e4;
    uint256 private constant DECIMALS_BIT = 48;
    uint256 private constant SUPPLY_CAP_BIT = 116;
    uint256 private constant SUPPLY_CAP_BITS = 0xFFFFFFFFF; // 36 bits, whole tokens

    /// @inheritdoc IAaveV3Strategy
    address public immutable pool;
    /// @inheritdoc IAaveV3Strategy
    address public immutable aToken;

    /// @param pool_ The Aave V3 Pool (PoolAddressesProvider.getPool()).
    /// @param asset_ A reserve listed on that Pool.
    /// @param ownerVault_ Only depositor (a TierVault), or address(0) for anyone.
    /// @param riskLevel_ 1 … 5 (1 for a blue-chip stablecoin reserve).
    constructor(IAaveV3PoolLike pool_, IERC20Metadata asset_, address ownerVault_, uint8 riskLevel_)
        StrategyAdapter(asset_, "Tributary Aave V3 strategy", "tAAVE", ownerVault_, riskLevel_, 1)
    {
        if (address(pool_) == address(0)) revert ZeroAddress();
        address aToken_ = pool_.getReserveData(address(asset_)).aTokenAddress;
        if (aToken_ == address(0)) revert ReserveNotListed(address(asset_));
        pool = address(pool_);
        aToken = aToken_;
        IERC20(address(asset_)).forceApprove(address(pool_), type(uint256).max);
    }

    function _investedAssets() internal view override returns (uint256) {
        return IAaveATokenLike(aToken).balanceOf(address(this));
    }

    function _liquidAssets() internal view override returns (uint256) {
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        uint256 config = IAaveV3PoolLike(pool).getReserveData(asset()).configuration;
        if (!_bit(config, ACTIVE_BIT) || _bit(config, PAUSED_BIT)) return idle;
        uint256 cash = IERC20(asset()).balanceOf(aToken);
        return idle + Math.min(_investedAssets(), cash);
    }

    function _depositLimit() internal view override returns (uint256) {
        IAaveV3PoolLike.ReserveData memory data = IAaveV3PoolLike(pool).getReserveData(asset());
        uint256 config = data.configuration;
        if (!_bit(config, ACTIVE_BIT) || _bit(config, PAUSED_BIT) || _bit(config, FROZEN_BIT)) return 0;
        uint256 capTokens = (config >> SUPPLY_CAP_BIT) & SUPPLY_CAP_BITS;
        if (capTokens == 0) return type(uint256).max;
        uint256 cap = capTokens * 10 ** ((config >> DECIMALS_BIT) & 0xFF);
        uint256 index = IAaveV3PoolLike(pool).getReserveNormalizedIncome(asset());
        uint256 scaled = IAaveATokenLike(aToken).scaledTotalSupply() + data.accruedToTreasury;
        uint256 used = Math.mulDiv(scaled, index, RAY, Math.Rounding.Ceil) // ≥ Aave's half-up rayMul
            + _pendingTreasury(data, config);
        return cap > used ? cap - used : 0;
    }

    /// @dev Upper bound of what `supply`'s `updateState` will add to `accruedToTreasury` before Aave checks the
    ///      cap (the reserve factor's share of the debt interest since the last update), in the asset. Aave
    ///      compares the previous debt at the stored index (variable) and the principal compounded to the last
    ///      update (stable, ≥ the principal), so the interest is at most (debt now − those); +2 for Aave's
    ///      half-up rayDiv / rayMul of the amount.
    function _pendingTreasury(IAaveV3PoolLike.ReserveData memory data, uint256 config) private view returns (uint256) {
        uint256 factor = (config >> RESERVE_FACTOR_BIT) & 0xFFFF;
        // slither-disable-next-line incorrect-equality (a config field and "already updated in this block")
        if (factor == 0 || data.lastUpdateTimestamp == block.timestamp) return 0;
        IAaveVariableDebtLike variable = IAaveVariableDebtLike(data.variableDebtTokenAddress);
        uint256 before = Math.mulDiv(variable.scaledTotalSupply(), data.variableBorrowIndex, RAY);
        uint256 nowDebt = variable.totalSupply();
        uint256 interest = nowDebt > before ? nowDebt - before : 0;
        if (data.stableDebtTokenAddress != address(0)) {
            // slither-disable-next-line unused-return (the average rate and time are not needed)
            (uint256 principal, uint256 total,,) = IAaveStableDebtLike(data.stableDebtTokenAddress).getSupplyData();
            if (total > principal) interest += total - principal;
        }
        return Math.mulDiv(interest, factor, PERCENTAGE_FACTOR, Math.Rounding.Ceil) + 2;
    }

    function _invest(uint256 assets) internal override {
        IAaveV3PoolLike(pool).supply(asset(), assets, address(this), 0);
    }

    function _divest(uint256 assets) internal override {
        // Pool.withdraw sends exactly the amount (or reverts); the base contract measures it by balance.
        // slither-disable-next-line unused-return
        IAaveV3PoolLike(pool).withdraw(asset(), Math.min(assets, _investedAssets()), address(this));
    }

    function _bit(uint256 word, uint256 bit) private pure returns (bool) {
        return (word >> bit) & 1 == 1;
    }
}
