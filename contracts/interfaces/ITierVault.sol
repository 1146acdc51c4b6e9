// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITributaryErrors} from "./ITributaryErrors.sol";

/// @title ITierVault
/// @notice One risk tier of Tributary: an ERC-4626 vault over one asset whose idle funds are
///         allocated to ERC-4626 strategies. This interface is what the Pool and off-chain tools rely on;
///         the vault's full surface (roles, strategies, errors, events) is declared here too.
/// @dev The ERC-20 / ERC-4626 surface comes from Solady's `ERC4626`, which declares the standard events itself:
///      OpenZeppelin's `IERC4626` cannot share its inheritance tree (the same events declared twice), so only the
///      three ERC-4626 functions the Pool calls are re-declared here; use `IERC4626(vault)` for the rest.
interface ITierVault is ITributaryErrors {
    /// @notice ERC-4626: the underlying asset.
    function asset() external view returns (address);
    /// @notice ERC-4626: assets `receiver` may deposit now (0 while paused or shut down).
    function maxDeposit(address receiver) external view returns (uint256);
    /// @notice ERC-4626: burn `shares` of `owner` and send the assets to `receiver`.
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);

    // ------------------------------------------------------------------------------------------
    // Structs
    // ------------------------------------------------------------------------------------------

    /// @notice Book-keeping of one active strategy (packed: everything but `cap` fits one slot).
    /// @param risk Risk level 1..riskCeiling given by the curator.
    /// @param targetBps Share of the vault's managed assets (idle + debt) `allocate()` aims for.
    /// @param lastReport Timestamp of the last `report` (or of activation).
    /// @param active True while the strategy is in the withdraw queue.
    /// @param debt Assets the vault has lent to the strategy, as of the last allocation / report.
    /// @param cap Hard ceiling on `debt` that `allocate()` never exceeds.
    struct StrategyParams {
        uint8 risk;
        uint16 targetBps;
        uint40 lastReport;
        bool active;
        uint128 debt;
        uint256 cap;
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    /// @notice `receivers[index]` is the zero address.
    error ZeroReceiver(uint256 index);
    /// @notice `assets[index]` of a batch is too small to buy a single share.
    error ZeroSharesAt(uint256 index, uint256 assets);
    /// @notice A deposit too small to buy a single share (it would be a donation).
    error ZeroShares(uint256 assets);
    /// @notice A redeem too small to be worth a single unit of the asset.
    error ZeroAssets(uint256 shares);
    /// @notice Deposits are paused by the guardian.
    error DepositsPaused();
    /// @notice The vault is shut down for good: no deposits, withdrawals only.
    error VaultShutdown();
    /// @notice Idle plus what the strategies would release is less than the withdrawal.
    error InsufficientLiquidity(uint256 requested, uint256 available);
    /// @notice The constructor's risk ceiling is outside 1..MAX_RISK.
    error InvalidRiskCeiling(uint8 riskCeiling, uint8 maxRisk);
    /// @notice A strategy risk level outside 1..riskCeiling.
    error InvalidRisk(uint8 risk, uint8 riskCeiling);
    /// @notice The address is not usable as a strategy (no code, the vault itself, not ERC-4626).
    error InvalidStrategy(address strategy);
    /// @notice The strategy is an ERC-4626 over a different asset.
    error StrategyAssetMismatch(address strategy, address expected, address actual);
    /// @notice The strategy is already in the withdraw queue.
    error StrategyAlreadyActive(address strategy);
    /// @notice The strategy is not in the withdraw queue.
    error StrategyNotActive(address strategy);
    /// @notice Accepting would exceed MAX_STRATEGIES active strategies.
    error TooManyStrategies(uint256 max);
    /// @notice The targets of all strategies would sum above 10,000 bps.
    error TargetBpsTooHigh(uint256 totalBps);
    /// @notice `removeStrategy` with assets still lent to the strategy.
    error StrategyHasDebt(address strategy, uint256 debt);
    /// @notice `setWithdrawOrder` was not a permutation of the active strategies.
    error InvalidWithdrawOrder();
    /// @notice A view the vault needs from the strategy (balanceOf / previewRedeem) reverted.
    error StrategyCallFailed(address strategy);
    /// @notice Timelock above MAX_TIMELOCK.
    error TimelockTooLong(uint256 timelock, uint256 max);
    /// @notice Performance fee above MAX_PERFORMANCE_FEE.
    error FeeTooHigh(uint256 bps, uint256 max);
    /// @notice A non-zero performance fee needs a recipient.
    error ZeroFeeRecipient();
    /// @notice Profit unlock time above MAX_PROFIT_UNLOCK_TIME.
    error ProfitUnlockTimeTooLong(uint256 profitUnlockTime, uint256 max);
    /// @notice A deposit above `maxDeposit` (the 2**128 book-keeping bound, or the share supply's room).
    error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    /// @notice `submit` / `revoke` data shorter than a selector, or whose selector is not a timelocked function.
    error NotTimelocked(bytes4 selector);
    /// @notice `submit` of data that is already pending (revoke it first to restart its timelock).
    error AlreadyPending(bytes32 id);
    /// @notice A timelocked call whose exact calldata was never submitted (or was revoked / already executed).
    error NotSubmitted(bytes32 id);
    /// @notice A timelocked call submitted but executable only from `executableAt`.
    error TimelockNotElapsed(uint256 executableAt);
    /// @notice A book-kept amount (idle, debt, locked profit) would pass 2**128 − 1.
    error BookOverflow(uint256 value);
    /// @notice `recover` of more of the asset than the vault holds beyond its booked idle.
    error RecoverExceedsUnbooked(uint256 amount, uint256 unbooked);
    /// @notice `recover` of an active strategy's share token: those shares are the vault's booked debt.
    error RecoverBookedToken(address token);
    /// @notice `recover` of more of the vault's own shares than the vault's address holds.
    error RecoverExceedsBalance(address token, uint256 amount, uint256 balance);

    // ------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------

    /// @notice One batch credit: `count` receivers shared `totalAssets` for `totalShares`, at one price.
    ///         Each receiver's mint is the ERC-20 `Transfer(0, receiver, shares)` of the same tx.
    event DepositMany(address indexed caller, uint256 count, uint256 totalAssets, uint256 totalShares);
    /// @notice A timelocked call (`data`, the exact calldata) may be executed from `executableAt` on.
    event Submitted(bytes4 indexed selector, bytes data, uint256 executableAt);
    /// @notice A pending timelocked call was cancelled.
    event Revoked(address indexed by, bytes4 indexed selector, bytes data);
    /// @notice A timelocked call was executed (its own event follows).
    event Executed(bytes4 indexed selector, bytes32 indexed id);
    event StrategyAdded(address indexed strategy, uint8 risk, uint16 targetBps, uint256 cap);
    event StrategyLimitsSet(address indexed strategy, uint16 targetBps, uint256 cap);
    event StrategyRemoved(address indexed strategy);
    event StrategyForceRemoved(address indexed strategy, uint256 loss);
    event WithdrawOrderSet(address[] order);
    /// @notice A strategy's debt moved (allocate, withdrawal, emergency withdraw).
    event DebtUpdated(address indexed strategy, uint256 oldDebt, uint256 newDebt);
    /// @notice `allocate()` finished with these balances.
    event Allocated(uint256 idle, uint256 totalDebt);
    /// @notice Profit / loss realised against the strategy's debt. `locked` is the vault's whole
    ///         still-locked profit after this report.
    event StrategyReported(
        address indexed strategy, uint256 profit, uint256 loss, uint256 feeShares, uint256 debt, uint256 locked
    );
    event EmergencyWithdrawn(address indexed strategy, uint256 received, uint256 profit, uint256 loss);
    event TimelockSet(uint256 timelock);
    event PerformanceFeeSet(uint16 bps, address indexed recipient);
    event ProfitUnlockTimeSet(uint256 profitUnlockTime);
    event DepositsPauseSet(bool paused, address indexed by);
    event ShutdownActivated(address indexed by);

    // ------------------------------------------------------------------------------------------
    // Deposits
    // ------------------------------------------------------------------------------------------

    /// @notice Credit many receivers at one share price, pulling `Σ assets` from the caller once.
    /// @dev The hot path for micro-payments: gas per receiver must stay flat in the number of
    ///      strategies and depositors. Reverts on an empty batch, a length mismatch or a zero receiver.
    /// @param receivers Who gets the shares.
    /// @param assets Assets credited to each receiver (same length as `receivers`).
    /// @return shares Shares minted to each receiver, in order.
    function depositMany(address[] calldata receivers, uint256[] calldata assets)
        external
        returns (uint256[] memory shares);

    /// @notice Trusted depositor only (DEPOSITOR_ROLE: the Pool). Credit `receiver` with `assets` the caller
    ///         transferred to the vault earlier in the same transaction; emits the ERC-4626 `Deposit`.
    /// @dev Reverts with TransferShortfall unless the vault's asset balance covers idle + assets.
    /// @return shares Shares minted, rounded down as `deposit` does.
    function credit(address receiver, uint256 assets) external returns (uint256 shares);

    /// @notice Trusted depositor only (DEPOSITOR_ROLE: the Pool). `depositMany` for assets the caller
    ///         transferred to the vault earlier in the same transaction (nothing is pulled).
    /// @dev Reverts with TransferShortfall unless the vault's asset balance covers idle + Σ assets.
    /// @return totalShares Shares minted in all.
    function creditMany(address[] calldata receivers, uint256[] calldata assets)
        external
        returns (uint256 totalShares);

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice Highest strategy risk level (1 = lowest … 5) this tier accepts.
    function riskCeiling() external view returns (uint8);
    /// @notice Assets held by the vault itself (not lent to strategies); donations are not counted.
    function idle() external view returns (uint256);
    /// @notice Assets lent to strategies, as of the last allocation / report.
    function totalDebt() external view returns (uint256);
    /// @notice Profit reported but not yet released into the share price.
    function lockedProfit() external view returns (uint256);
    function profitUnlockTime() external view returns (uint256);
    function timelock() external view returns (uint256);
    /// @notice Active strategies in withdraw order.
    function strategies() external view returns (address[] memory);
    function strategyParams(address strategy) external view returns (StrategyParams memory);
    /// @notice When the timelocked call whose calldata hashes to `id` may run; 0 when not pending.
    function executableAt(bytes32 id) external view returns (uint256);
    /// @notice Σ targetBps of the active strategies.
    function totalTargetBps() external view returns (uint256);
    function depositsPaused() external view returns (bool);
    /// @notice True while deposits and credits are open (not paused, not shut down): one storage read.
    function acceptsDeposits() external view returns (bool);
    /// @notice Σ over strategies of max(0, debt − live value): the loss not yet realised by `report`.
    function unrealisedLoss() external view returns (uint256);
    function isShutdown() external view returns (bool);
    function performanceFee() external view returns (uint16);
    function feeRecipient() external view returns (address);

    // ------------------------------------------------------------------------------------------
    // Curator
    // ------------------------------------------------------------------------------------------

    function submit(bytes calldata data) external;
    function revoke(bytes calldata data) external;
    function addStrategy(address strategy, uint8 risk, uint16 targetBps, uint256 cap) external;
    function setStrategyLimits(address strategy, uint16 targetBps, uint256 cap) external;
    function removeStrategy(address strategy) external;
    function forceRemoveStrategy(address strategy) external;
    function setWithdrawOrder(address[] calldata order) external;

    // ------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------

    function setTimelock(uint256 newTimelock) external;
    function recover(address token, address to, uint256 amount) external;
    function setPerformanceFee(uint16 bps, address recipient) external;
    function setProfitUnlockTime(uint256 newProfitUnlockTime) external;

    // ------------------------------------------------------------------------------------------
    // Allocator
    // ------------------------------------------------------------------------------------------

    function allocate() external;
    function report(address strategy) external returns (uint256 profit, uint256 loss);

    // ------------------------------------------------------------------------------------------
    // Guardian
    // ------------------------------------------------------------------------------------------

    function pauseDeposits() external;
    function unpauseDeposits() external;
    function emergencyWithdraw(address strategy) external;
    function shutdown() external;
}
