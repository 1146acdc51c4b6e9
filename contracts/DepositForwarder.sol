// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IDepositForwarder} from "./interfaces/IDepositForwarder.sol";
import {IWETH} from "./interfaces/IWETH.sol";

/// @title DepositForwarder — the code behind every deposit address (one implementation per DepositRouter)
/// @notice A deposit address is an ERC-1167 minimal clone of this contract, deployed by the router with CREATE2
///         at the address `DepositRouter.depositAddress(earner, source)` predicts. The clone holds whatever a
///         platform sends it (any ERC-20, native ETH) and moves it only when its router says so.
/// @dev Stateless: the router is an immutable of this implementation (clones read it from the implementation's
///      code through DELEGATECALL), so a clone costs 45 bytes of code and no storage. The router is deployed
///      before this contract (it is `msg.sender` here) and is itself immutable: which earner and source a clone
///      belongs to is fixed by its CREATE2 salt, which only the router knows how to act on.
///      Native ETH: the clone accepts ETH with any amount of gas before it is deployed (it is an empty account)
///      and with a plain `call` after; a 2,300-gas `transfer`/`send` to a DEPLOYED clone fails (the
///      DELEGATECALL to this implementation costs 2,600 gas cold), so platforms should send ETH with `call`.
contract DepositForwarder is IDepositForwarder {
    using SafeERC20 for IERC20;

    /// @inheritdoc IDepositForwarder
    // slither-disable-next-line naming-convention
    address public immutable ROUTER;

    constructor() {
        ROUTER = msg.sender;
    }

    modifier onlyRouter() {
        if (msg.sender != ROUTER) revert NotRouter(msg.sender);
        _;
    }

    /// @notice Platforms pay a deposit address with plain ETH transfers.
    receive() external payable {}

    /// @inheritdoc IDepositForwarder
    function sendToken(IERC20 token, address to, uint256 amount) external onlyRouter {
        token.safeTransfer(to, amount);
    }

    /// @inheritdoc IDepositForwarder
    function sendETH(address to, uint256 amount) external onlyRouter {
        // slither-disable-next-line arbitrary-send-eth,low-level-calls (router only; the router sends to the earner)
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert EthTransferFailed(to, amount);
    }

    /// @inheritdoc IDepositForwarder
    function wrapETH(IWETH weth, uint256 amount) external onlyRouter {
        weth.deposit{value: amount}();
    }
}
