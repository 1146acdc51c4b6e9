// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrategyAdapter} from "./IStrategyAdapter.sol";
import {MorphoMarketParams} from "../external/IMorphoBlueLike.sol";

/// @title IMorphoBlueStrategy
/// @notice Balanced adapter: the asset is supplied to one Morpho Blue market.
interface IMorphoBlueStrategy is IStrategyAdapter {
    /// @notice The market has never been created on Morpho (its lastUpdate is 0).
    error MarketNotCreated(bytes32 id);

    /// @notice The Morpho Blue singleton.
    function morpho() external view returns (address);

    /// @notice Id of the market supplied to: keccak256(abi.encode(marketParams())).
    function marketId() external view returns (bytes32);

    /// @notice The market's parameters (the loan token is the asset).
    function marketParams() external view returns (MorphoMarketParams memory);

    /// @notice Supply assets the adapter's shares in the market are worth now, interest accrued to this block.
    function expectedSupplyAssets() external view returns (uint256);
}
