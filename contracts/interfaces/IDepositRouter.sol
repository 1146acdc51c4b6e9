// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPool} from "./IPool.sol";
import {ITributaryErrors} from "./ITributaryErrors.sol";

/// @title IDepositRouter
/// @notice Deposit addresses for one Pool: every (earner, source) pair has a deterministic address that any
///         platform can pay with plain transfers (the asset, a listed token, or native ETH when the asset is
///         WETH). Anyone may sweep it: the router credits the whole balance to the earner by profile through the
///         Pool's own `pay` / `payManyPacked` with the address's source tag, so the Pool's `Paid` / `PaidMany`
///         events carry the income (their `payer` is this router). A listed token is first converted into the
///         asset on Uniswap V3 at no less than the pool's TWAP minus a maximum slippage.
/// @dev Address derivation (also in tributary/deposit.py and the README):
///      salt = keccak256(abi.encode(earner, source));
///      depositAddress = keccak256(0xff ‖ router ‖ salt ‖ forwarderInitCodeHash())[12:].
interface IDepositRouter is ITributaryErrors {
    // ---------------------------------------------------------------- errors

    /// @notice `earner` cannot have deposit addresses: zero, the pool, a tier vault or this router (shares
    ///         credited to them would be stuck or recoverable by an admin).
    error UnsupportedEarner(address earner);
    /// @notice The deposit address holds nothing this call could move.
    error NothingToSweep(address depositAddress);
    /// @notice A batch in which no deposit address held anything.
    error NothingToSweepInBatch();
    /// @notice The Pool left `amount` of a sweep uncredited (a closed tier with no open tier as safe: the
    ///         Pool's `PaymentSkipped`); the sweep reverts and the money stays at the deposit address.
    error NotCredited(uint256 amount);
    /// @notice One deposit address holds more than a uint96 of the asset (the Pool's batch format).
    error AmountTooLarge(address depositAddress, uint256 amount);
    /// @notice `token` has no active conversion route.
    error NotListed(address token);
    /// @notice `token` is the asset, a listed token, or native ETH of a WETH pool: it is swept, not reclaimed.
    error Convertible(address token);
    /// @notice A route for `token` cannot be proposed (the zero address or the asset itself).
    error InvalidToken(address token);
    /// @notice Uniswap V3 has no `token`/asset pool at fee tier `fee`.
    error NoUniswapPool(address token, uint24 fee);
    /// @notice No pending route for `token`.
    error NoPendingRoute(address token);
    /// @notice The route's timelock ends at `eta`.
    error RouteTimelocked(address token, uint256 eta);
    /// @notice The conversion returned `out` of the asset, below the oracle bound `minOut`.
    error PriceBelowOracle(uint256 out, uint256 minOut);
    /// @notice `caller` tried to reclaim from `earner`'s deposit address: only the earner may.
    error NotEarner(address caller, address earner);
    /// @notice A constructor parameter is out of range.
    error BadConfig(string what);

    // ---------------------------------------------------------------- events

    /// @notice The forwarder of `earner`'s deposit address for `source` was deployed at `depositAddress`.
    event ForwarderDeployed(address indexed earner, bytes32 indexed source, address depositAddress);
    /// @notice `amountIn` of `token` from `earner`'s `source` deposit address became `amountOut` of the asset
    ///         (oracle bound `minOut`), credited in the same transaction by the Pool's `Paid`.
    event Converted(
        address indexed earner,
        bytes32 indexed source,
        address indexed token,
        uint256 amountIn,
        uint256 amountOut,
        uint256 minOut
    );
    /// @notice `earner` took `amount` of `token` (address(0) = native ETH) back from their `source` address.
    event Reclaimed(address indexed earner, bytes32 indexed source, address indexed token, uint256 amount);
    /// @notice The admin proposed converting `token` through the Uniswap V3 pool `uniswapPool` (fee `fee`);
    ///         it can be activated from `eta` on.
    event RouteProposed(address indexed token, uint24 fee, address uniswapPool, uint256 eta);
    /// @notice `token` is now converted through `uniswapPool`.
    event RouteListed(address indexed token, uint24 fee, address uniswapPool);
    /// @notice `token`'s route (active or pending) was removed: its balances wait or go back to earners.
    event RouteRemoved(address indexed token);

    // ---------------------------------------------------------------- views

    /// @notice The Pool every sweep credits through.
    function pool() external view returns (IPool);
    /// @notice The Pool's asset.
    function asset() external view returns (IERC20);
    /// @notice keccak256 of the forwarder's creation code (the CREATE2 input of every deposit address).
    function forwarderInitCodeHash() external view returns (bytes32);
    /// @notice The forwarder's creation code: 60478060095f395ff3 73 ‖ this router ‖ the 50-byte runtime tail.
    function forwarderInitCode() external view returns (bytes memory);
    /// @notice The deposit address of `earner` for `source` (whether or not it is deployed yet).
    function depositAddress(address earner, bytes32 source) external view returns (address);
    /// @notice The oracle bound of a conversion: the least amount of the asset `amountIn` of `token` may
    ///         become now (TWAP quote minus the maximum slippage). Reverts `NotListed` for an unlisted token.
    function minAmountOut(address token, uint256 amountIn) external view returns (uint256);
    /// @notice The active route of `token`: its Uniswap V3 pool and fee (zero when unlisted).
    function route(address token) external view returns (address uniswapPool, uint24 fee);
    /// @notice The pending route of `token`: fee and the time it may be activated (zero when none).
    function pendingRoute(address token) external view returns (uint24 fee, uint256 eta);

    // ---------------------------------------------------------------- sweeping (anyone)

    /// @notice Credit `earner` with everything the `source` deposit address holds in the asset (and its
    ///         native ETH, wrapped, when the asset is WETH). Deploys the forwarder on first use.
    function sweep(address earner, bytes32 source) external returns (uint256 credited);
    /// @notice `sweep` for many earners of one source in one `payManyPacked`; empty addresses are skipped.
    function sweepMany(bytes32 source, address[] calldata earners) external returns (uint256 credited);
    /// @notice Convert what the `source` deposit address holds of listed `token` into the asset (bounded by
    ///         the oracle) and credit `earner`. `token == asset()` is the same as `sweep`.
    function sweepToken(address earner, bytes32 source, address token) external returns (uint256 credited);

    // ---------------------------------------------------------------- the earner's escape hatch

    /// @notice Earner only: take back the whole balance of `token` (address(0) = native ETH) from your
    ///         `source` deposit address, when Tributary cannot convert it (unlisted, or ETH of a non-WETH pool).
    function reclaim(address earner, bytes32 source, address token) external returns (uint256 amount);

    // ---------------------------------------------------------------- admin

    /// @notice Admin: propose converting `token` through its Uniswap V3 pool with the asset at `fee`; it can
    ///         be listed after the timelock.
    function proposeRoute(address token, uint24 fee) external;
    /// @notice Admin: activate `token`'s pending route once its timelock has passed.
    function listRoute(address token) external;
    /// @notice Admin: remove `token`'s route (active or pending) at once.
    function removeRoute(address token) external;
}
