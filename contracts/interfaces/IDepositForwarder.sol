// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IWETH} from "./IWETH.sol";

/// @title IDepositForwarder
/// @notice What lives at a deposit address once it is deployed: an ERC-1167 clone of one DepositForwarder,
///         created with CREATE2 by its DepositRouter. It obeys only that router, and the router only ever moves
///         a deposit address's balance into its earner's credit in the Pool (or, for a token Tributary cannot
///         convert, back to the earner at the earner's own request).
interface IDepositForwarder {
    /// @notice A caller other than the router.
    error NotRouter(address caller);
    /// @notice Sending native ETH failed at the recipient.
    error EthTransferFailed(address to, uint256 amount);

    /// @notice The only account the forwarder obeys.
    function ROUTER() external view returns (address);
    /// @notice Router only: transfer `amount` of `token` held here to `to`.
    function sendToken(IERC20 token, address to, uint256 amount) external;
    /// @notice Router only: send `amount` of native ETH held here to `to`.
    function sendETH(address to, uint256 amount) external;
    /// @notice Router only: wrap `amount` of native ETH held here into `weth` (held here).
    function wrapETH(IWETH weth, uint256 amount) external;
}
