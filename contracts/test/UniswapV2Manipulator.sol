// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IUniswapV2PairLike} from "../strategies/external/IUniswapV2PairLike.sol";

/// @title UniswapV2Manipulator (TEST ONLY)
/// @notice Attacker stand-in: inside one transaction it skews a pair's reserves with a large swap, reads a
///         strategy's valuation while they are skewed, and swaps back. Tests compare the three readings.
contract UniswapV2Manipulator {
    uint256 public valueBefore;
    uint256 public valueDuring;
    uint256 public valueAfter;
    uint256 public maxDepositDuring;

    /// @notice Sell `amountIn` of `tokenIn` into `pair`, read `strategy`, then sell everything bought back.
    function manipulate(IUniswapV2PairLike pair, IERC20 tokenIn, uint256 amountIn, IERC4626 strategy, address vault)
        external
    {
        valueBefore = strategy.totalAssets();
        bool inIsToken0 = address(tokenIn) == pair.token0();
        IERC20 tokenOut = IERC20(inIsToken0 ? pair.token1() : pair.token0());
        _swap(pair, tokenIn, amountIn, inIsToken0);
        valueDuring = strategy.totalAssets();
        maxDepositDuring = strategy.maxDeposit(vault);
        _swap(pair, tokenOut, tokenOut.balanceOf(address(this)), !inIsToken0);
        valueAfter = strategy.totalAssets();
    }

    function _swap(IUniswapV2PairLike pair, IERC20 tokenIn, uint256 amountIn, bool inIsToken0) private {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        (uint256 rIn, uint256 rOut) = inIsToken0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 out = (amountIn * 997 * rOut) / (rIn * 1000 + amountIn * 997);
        tokenIn.transfer(address(pair), amountIn);
        (uint256 out0, uint256 out1) = inIsToken0 ? (uint256(0), out) : (out, uint256(0));
        pair.swap(out0, out1, address(this), "");
    }
}
