// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IWETH
/// @notice The part of canonical WETH9 the Pool uses: wrap native ETH 1:1 into the ERC-20.
interface IWETH is IERC20 {
    /// @notice Mint `msg.value` WETH to the caller.
    function deposit() external payable;

    /// @notice Burn `amount` WETH of the caller and send it `amount` native ETH.
    function withdraw(uint256 amount) external;
}
