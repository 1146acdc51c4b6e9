// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUniswapV2PairLike
/// @notice The part of a Uniswap V2 pair (@uniswap/v2-core 1.0.1, `UniswapV2Pair`) the adapter calls.
/// @dev Written from the published ABI; the pair itself is the LP token (an ERC-20).
interface IUniswapV2PairLike {
    function token0() external view returns (address);
    function token1() external view returns (address);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function price0CumulativeLast() external view returns (uint256);
    function price1CumulativeLast() external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function balanceOf(address owner) external view returns (uint256);
    function mint(address to) external returns (uint256 liquidity);
    function burn(address to) external returns (uint256 amount0, uint256 amount1);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}
