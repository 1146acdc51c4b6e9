// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrategyAdapter} from "./IStrategyAdapter.sol";

/// @title IUniswapV2Strategy
/// @notice Growth-risk adapter: the asset is provided as Uniswap V2 liquidity, valued by a TWAP.
interface IUniswapV2Strategy is IStrategyAdapter {
    /// @notice The asset is neither token0 nor token1 of the pair.
    error AssetNotInPair(address asset, address pair);
    /// @notice The TWAP window is shorter than the adapter's hard minimum.
    error TwapWindowTooShort(uint32 window, uint32 minimum);
    /// @notice The slippage bound must exceed the pool fee (30 bps) and stay at or below 10%.
    error SlippageOutOfRange(uint16 slippageBps);
    /// @notice Less than one TWAP window has passed since the oldest observation (right after deployment).
    error TwapNotReady(uint256 elapsed, uint32 window);
    /// @notice The pool's spot price is further from the TWAP than the slippage bound: entering or leaving
    ///         now would trade at a manipulated or stale price.
    error PriceDeviation(uint256 spotPrice, uint256 twapPrice);
    /// @notice A swap would return less than the TWAP quote minus the slippage bound.
    error SlippageExceeded(uint256 amountOut, uint256 minAmountOut);

    /// @notice Freshly deposited assets were zapped into liquidity.
    /// @param assets Assets deposited.
    /// @param assetsSwapped Part of them sold for the other token.
    /// @param otherBought Other token received for them.
    /// @param liquidity LP tokens minted to the adapter.
    event Invested(uint256 assets, uint256 assetsSwapped, uint256 otherBought, uint256 liquidity);
    /// @notice Liquidity was burned and the other token sold to serve a withdrawal.
    /// @param liquidity LP tokens burned.
    /// @param otherSold Other token sold for the asset.
    /// @param assetsOut Assets received in all (from the burn and the sale).
    event Divested(uint256 liquidity, uint256 otherSold, uint256 assetsOut);
    /// @notice A new price observation was recorded; the TWAP now starts at the previous one.
    event TwapObserved(uint256 priceCumulative, uint64 timestamp);

    /// @notice Record a new price observation if one TWAP window has passed since the last one.
    function updateTwap() external;

    /// @notice Average price of one asset unit in the other token (UQ112x112) since the oldest observation.
    function twapPrice() external view returns (uint256);

    /// @notice Price of one asset unit in the other token (UQ112x112) from the current reserves.
    function spotPrice() external view returns (uint256);
}
