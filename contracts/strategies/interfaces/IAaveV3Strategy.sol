// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrategyAdapter} from "./IStrategyAdapter.sol";

/// @title IAaveV3Strategy
/// @notice Conservative adapter: the asset is supplied to an Aave V3 Pool and held as aTokens.
interface IAaveV3Strategy is IStrategyAdapter {
    /// @notice The Pool has no reserve (no aToken) for the asset.
    error ReserveNotListed(address asset);

    /// @notice The Aave V3 Pool the asset is supplied to.
    function pool() external view returns (address);

    /// @notice The reserve's aToken the adapter holds (balance = supplied assets plus interest).
    function aToken() external view returns (address);
}
