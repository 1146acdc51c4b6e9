// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAaveV3PoolLike
/// @notice The part of the Aave V3 Pool (@aave/core-v3 1.19.x, `IPool`) the adapter calls.
/// @dev Written from the published ABI. `getReserveData` returns the v3.0 `ReserveData` layout, which later
///      versions keep as `ReserveDataLegacy`.
interface IAaveV3PoolLike {
    struct ReserveData {
        uint256 configuration;
        uint128 liquidityIndex;
        uint128 currentLiquidityRate;
        uint128 variableBorrowIndex;
        uint128 currentVariableBorrowRate;
        uint128 currentStableBorrowRate;
        uint40 lastUpdateTimestamp;
        uint16 id;
        address aTokenAddress;
        address stableDebtTokenAddress;
        address variableDebtTokenAddress;
        address interestRateStrategyAddress;
        uint128 accruedToTreasury;
        uint128 unbacked;
        uint128 isolationModeTotalDebt;
    }

    function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
    function withdraw(address asset, uint256 amount, address to) external returns (uint256);
    function getReserveData(address asset) external view returns (ReserveData memory);
    function getReserveNormalizedIncome(address asset) external view returns (uint256);
}

/// @notice Aave's aToken: a rebasing ERC-20 whose balance grows with the reserve's liquidity index.
interface IAaveATokenLike {
    function balanceOf(address account) external view returns (uint256);
    function scaledTotalSupply() external view returns (uint256);
}

/// @notice Aave's variable debt token: `totalSupply` is the debt now (scaled × the current borrow index).
interface IAaveVariableDebtLike {
    function totalSupply() external view returns (uint256);
    function scaledTotalSupply() external view returns (uint256);
}

/// @notice Aave's stable debt token (v3.0): principal and total with interest accrued to now.
interface IAaveStableDebtLike {
    function getSupplyData() external view returns (uint256 principal, uint256 total, uint256 avgRate, uint40 updatedAt);
}
