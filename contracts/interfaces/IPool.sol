// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {ITierVault} from "./ITierVault.sol";
import {ITributaryErrors} from "./ITributaryErrors.sol";

/// @title IPool
/// @notice The micro-income front door of Tributary: payers send one asset, the pool splits each payment
///         across the earner's risk tiers by the earner's profile and credits the earner with tier-vault
///         shares in the same transaction. The pool never holds funds between transactions.
/// @dev Every error and event of the Pool is declared here so an auditor reads every failure in one place.
interface IPool is IERC1363Receiver, ITributaryErrors {
    // ---------------------------------------------------------------- errors: deployment

    /// @notice The number of tiers is outside [MIN_TIERS, MAX_TIERS].
    error TierCount(uint256 got, uint256 min, uint256 max);
    /// @notice Tier `index` is a vault over another asset than the pool's.
    error TierAssetMismatch(uint256 index, address tierAsset);
    /// @notice Tier `index` repeats an earlier tier.
    error DuplicateTier(uint256 index);

    // ---------------------------------------------------------------- errors: inputs

    /// @notice Entry `index` of a batch pays more than a uint96 (the packed batch and event format).
    error AmountTooLarge(uint256 index, uint256 amount);
    /// @notice The earner (entry `index` of a batch; 0 for single payments) is the zero address.
    error ZeroEarner(uint256 index);
    /// @notice A packed batch whose length is not a multiple of 32 bytes (20-byte address ‖ 12-byte amount).
    error PackedLength(uint256 length);
    /// @notice A profile with `got` weights where the pool has `want` tiers.
    error ProfileLength(uint256 got, uint256 want);
    /// @notice A profile whose weights sum to `got` basis points instead of 10,000.
    error ProfileSum(uint256 got);
    /// @notice `clearProfile` by an earner who has no profile.
    error ProfileNotSet(address earner);
    /// @notice Tier index `index` does not exist.
    error UnknownTier(uint256 index);
    /// @notice `switchTier` from a tier to itself.
    error SameTier(uint256 tier);
    /// @notice `switchTier` received fewer shares than the caller's minimum.
    error Slippage(uint256 out, uint256 min);
    /// @notice `recover` to the zero address.
    error ZeroRecipient();
    /// @notice ERC-1363 `data` is neither empty nor `abi.encode(address earner, bytes32 source)`.
    error BadTransferData(uint256 length);

    // ---------------------------------------------------------------- errors: state

    /// @notice Tier `tier` is closed (its `acceptsDeposits()` is false: paused or shut down), so it cannot be
    ///         chosen: `setProfile` with weight on it, or `switchTier` into it.
    error TierClosed(uint256 tier);
    /// @notice Native ETH sent to a pool whose asset is not WETH.
    error NotWETH();
    /// @notice `onTransferReceived` called by a contract other than the pool's asset.
    error NotAsset(address caller);

    // ---------------------------------------------------------------- events

    /// @notice `payer` paid `amount` of the asset to `earner`, tagged `source`; the earner's tier shares are
    ///         the vaults' `Deposit`/`Transfer` events of the same transaction.
    event Paid(address indexed payer, address indexed earner, bytes32 indexed source, uint256 amount);
    /// @notice One batch of payments. `payments` is N entries of 32 bytes: a 20-byte earner address followed
    ///         by a 12-byte big-endian uint96 amount (`abi.encodePacked(earner, uint96(amount))` each).
    /// @dev One event per batch, not per earner: 32 bytes of log data per earner instead of a 1,800-gas log.
    event PaidMany(address indexed payer, bytes32 indexed source, bytes payments);
    /// @notice `earner` routes later payments by `weightsBps` (one weight per tier, summing to 10,000).
    event ProfileSet(address indexed earner, uint16[] weightsBps);
    /// @notice `earner` dropped their profile: later payments follow the pool default.
    event ProfileCleared(address indexed earner);
    /// @notice The profile of earners without one (emitted once, at deployment: it is immutable).
    event DefaultProfileSet(uint16[] weightsBps);
    /// @notice `earner` redeemed `sharesIn` of tier `fromTier` for `assets` and got `sharesOut` of `toTier`.
    event TierSwitched(
        address indexed earner, uint256 fromTier, uint256 toTier, uint256 sharesIn, uint256 assets, uint256 sharesOut
    );
    /// @notice In this transaction every part of a payment bound for the closed tier `fromTier` went to the open
    ///         tier `toTier` instead: the open tier with the highest risk ceiling not above `fromTier`'s (ties:
    ///         the lower index), so a reroute never raises an earner's risk. Logged once per closed tier per
    ///         payment (single payments) or per batch (`payMany`, `payManyPacked`); the earners and parts are
    ///         the `Paid`/`PaidMany` entries split by each earner's profile, and the tier's share `Transfer`s.
    event TierRerouted(uint256 fromTier, uint256 toTier);
    /// @notice `earner`'s part `amount` bound for the closed tier `tier` was not paid: no open tier has a risk
    ///         ceiling at or below `tier`'s. Nothing was taken from the payer for it (or it was returned to the
    ///         payer in the same transaction: ETH, ERC-1363). What an earner received in a transaction is the
    ///         `Paid`/`PaidMany` amount minus the `PaymentSkipped` amounts naming that earner. In a batch, one
    ///         event per entry of the tier's credit list: an earner's consecutive payments merged, like credits.
    event PaymentSkipped(address indexed earner, uint256 tier, uint256 amount);

    // ---------------------------------------------------------------- configuration (views)

    /// @notice The asset every tier holds and every payment is made in.
    function asset() external view returns (IERC20);
    /// @notice The WETH contract used by `payETH` / `receive`, address(0) when native ETH is refused.
    function weth() external view returns (address);
    /// @notice Number of tiers (2 … 8), fixed at deployment.
    function tierCount() external view returns (uint256);
    /// @notice Tier vault number `index` (0 = lowest risk).
    function tier(uint256 index) external view returns (ITierVault);
    /// @notice All tier vaults, in order.
    function tiers() external view returns (ITierVault[] memory);

    // ---------------------------------------------------------------- profiles

    /// @notice Route every later payment to you by `weightsBps` (one weight per tier, summing to 10,000).
    ///         Refused with `TierClosed` when a weighted tier is closed now. If a tier of your profile closes
    ///         later, payments still go through: its part follows `routeOf` (never to a riskier tier).
    function setProfile(uint16[] calldata weightsBps) external;
    /// @notice Drop your profile: later payments follow the pool default.
    function clearProfile() external;
    /// @notice The weights a payment to `earner` is split by now (the default when the earner set none).
    function profileOf(address earner) external view returns (uint16[] memory weightsBps);
    /// @notice Whether `earner` set a profile of their own.
    function hasProfile(address earner) external view returns (bool);
    /// @notice The profile of earners without one, fixed at deployment: nobody can move the risk of an earner
    ///         who never chose (and payments to them read no extra storage slot).
    function defaultProfile() external view returns (uint16[] memory weightsBps);
    /// @notice Where a payment's part for tier `index` goes right now: `index` itself while the tier is open;
    ///         while it is closed, the open tier with the highest risk ceiling not above its own (ties: the lower
    ///         index); `NO_TIER` (type(uint256).max) when there is none, i.e. that part is skipped and stays with
    ///         the payer.
    function routeOf(uint256 index) external view returns (uint256 toTier);

    // ---------------------------------------------------------------- ingress

    /// @notice Pay `amount` of the asset (approved to the pool) to `earner`, tagged `source`.
    /// @dev Closed tiers never make a payment revert (every ingress path, batches included): the part of a
    ///      closed tier goes to `routeOf(tier)` (`TierRerouted`) or, when that is `NO_TIER`, is skipped
    ///      (`PaymentSkipped`): not taken from the payer, or returned to them in the same transaction when the
    ///      funds already reached the pool (ETH, ERC-1363). The routing is read once per transaction (at most
    ///      one `acceptsDeposits()` view per tier); the tiers' risk ceilings are read at deployment.
    function pay(address earner, uint256 amount, bytes32 source) external;
    /// @notice Pay many earners at once: per tier one transfer (payer -> tier) and one `creditMany`, one event.
    /// @dev Consecutive payments to one earner are ONE credit per tier, with the sum of their parts (each
    ///      payment split by the profile as a single payment would be), at the batch's single price; `PaidMany`
    ///      still carries every payment as sent. Group a batch by earner (`tributary.payer` does) and each
    ///      earner gets one credit per tier (a several-tier earner's part also joins its tier's last entry
    ///      when that is theirs). Merged shares are floor(Σ parts × price): never more than the parts are worth
    ///      (rounding in the vault's favour), and fewer than one unit per merged payment above crediting each
    ///      part alone.
    function payMany(bytes32 source, address[] calldata earners, uint256[] calldata amounts) external;
    /// @notice `payMany` with the batch packed as 32-byte entries: 20-byte earner ‖ 12-byte uint96 amount.
    function payManyPacked(bytes32 source, bytes calldata packed) external;
    /// @notice `pay` after an EIP-2612 permit of the asset to the pool, in one transaction.
    function payWithPermit(
        address earner,
        uint256 amount,
        bytes32 source,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
    /// @notice Pay `msg.value` of native ETH (wrapped to WETH) to `earner`; only when the asset is WETH.
    function payETH(address earner, bytes32 source) external payable;

    // ---------------------------------------------------------------- holdings

    /// @notice Move `shares` of your `fromTier` holdings into `toTier` in one transaction; refused with
    ///         `TierClosed` when `toTier` is closed (leaving a closed tier is always allowed).
    function switchTier(uint256 fromTier, uint256 toTier, uint256 shares, uint256 minSharesOut)
        external
        returns (uint256 sharesOut);
    /// @notice `switchTier` after an EIP-2612 permit of your `fromTier` shares to the pool.
    function switchTierWithPermit(
        uint256 fromTier,
        uint256 toTier,
        uint256 shares,
        uint256 minSharesOut,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 sharesOut);

    // ---------------------------------------------------------------- admin

    /// @notice Admin: send the pool's whole balance of `token` (address(0) = native ETH) to `to`.
    function recover(address token, address to) external;
}
