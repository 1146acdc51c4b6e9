// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Uniswap V3: the parts the DepositRouter uses
/// @notice Declared here (not imported) because Uniswap V3's own interfaces pin solidity <0.8. Signatures are
///         those of @uniswap/v3-core 1.0.1 and @uniswap/v3-periphery 1.4.4 (the npm packages the tests deploy).

/// @notice UniswapV3Factory.
interface IUniswapV3FactoryLike {
    /// @notice The pool of `tokenA`/`tokenB` at fee tier `fee` (hundredths of a bip), address(0) if none.
    function getPool(address tokenA, address tokenB, uint24 fee) external view returns (address pool);
}

/// @notice UniswapV3Pool (oracle part).
interface IUniswapV3PoolLike {
    /// @notice The pool's lower-sorted token.
    function token0() external view returns (address);
    /// @notice Cumulative tick (and seconds per liquidity) at each `secondsAgos` before now; reverts "OLD"
    ///         when the pool's observation buffer does not reach that far back.
    function observe(uint32[] calldata secondsAgos)
        external
        view
        returns (int56[] memory tickCumulatives, uint160[] memory secondsPerLiquidityCumulativeX128s);
}

/// @notice SwapRouter (periphery).
interface ISwapRouterLike {
    /// @notice Parameters of `exactInputSingle` (the periphery's struct, field for field).
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }

    /// @notice The factory whose pools the router swaps through.
    function factory() external view returns (address);
    /// @notice Swap exactly `amountIn` of `tokenIn` (pulled from the caller) for `tokenOut` to `recipient`.
    function exactInputSingle(ExactInputSingleParams calldata params) external payable returns (uint256 amountOut);
}
