// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A Morpho Blue market's immutable parameters; its id is keccak256(abi.encode(params)).
struct MorphoMarketParams {
    address loanToken;
    address collateralToken;
    address oracle;
    address irm;
    uint256 lltv;
}

/// @notice A Morpho Blue market's state as last written (interest accrues lazily on the next touch).
struct MorphoMarket {
    uint128 totalSupplyAssets;
    uint128 totalSupplyShares;
    uint128 totalBorrowAssets;
    uint128 totalBorrowShares;
    uint128 lastUpdate;
    uint128 fee;
}

/// @title IMorphoBlueLike
/// @notice The part of Morpho Blue (@morpho-org/morpho-blue 1.0.0, `IMorpho`) the adapter calls.
interface IMorphoBlueLike {
    function supply(
        MorphoMarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        bytes memory data
    ) external returns (uint256 assetsSupplied, uint256 sharesSupplied);

    function withdraw(
        MorphoMarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external returns (uint256 assetsWithdrawn, uint256 sharesWithdrawn);

    function market(bytes32 id) external view returns (MorphoMarket memory);

    function position(bytes32 id, address user)
        external
        view
        returns (uint256 supplyShares, uint128 borrowShares, uint128 collateral);
}

/// @notice A Morpho interest rate model: the per-second borrow rate (WAD) for a market state.
interface IMorphoIrmLike {
    function borrowRateView(MorphoMarketParams memory marketParams, MorphoMarket memory market)
        external
        view
        returns (uint256);
}
