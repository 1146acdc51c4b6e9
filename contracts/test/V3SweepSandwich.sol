// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ISwapRouterLike} from "../interfaces/external/IUniswapV3Like.sol";
import {IDepositRouter} from "../interfaces/IDepositRouter.sol";

/// @notice TEST ONLY. An attacker who moves a Uniswap V3 price and sweeps a deposit address in the SAME
///         transaction (hence the same block), to make the router sell at the manipulated price.
contract V3SweepSandwich {
    function attack(
        ISwapRouterLike swapRouter,
        IDepositRouter router,
        address tokenIn,
        address tokenOut,
        uint24 fee,
        uint256 dump,
        address earner,
        bytes32 source,
        address sweptToken
    ) external returns (uint256 credited) {
        IERC20(tokenIn).approve(address(swapRouter), dump);
        swapRouter.exactInputSingle(
            ISwapRouterLike.ExactInputSingleParams({
                tokenIn: tokenIn,
                tokenOut: tokenOut,
                fee: fee,
                recipient: address(this),
                deadline: block.timestamp,
                amountIn: dump,
                amountOutMinimum: 0,
                sqrtPriceLimitX96: 0
            })
        );
        credited = router.sweepToken(earner, source, sweptToken);
    }
}
