// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title ITierVault
/// @notice One risk tier of Tributary: an ERC-4626 vault over one asset whose idle funds are
///         allocated to ERC-4626 strategies. This interface is what the Pool and off-chain tools rely on;
///         the vault's full surface (roles, strategies, errors, events) is declared here too.
interface ITierVault is IERC4626 {
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

    /// @notice A strategy waiting for its timelock. `validAt == 0` means nothing is pending.
    struct PendingStrategy {
        uint8 risk;
        uint16 targetBps;
        uint64 validAt;
        uint256 cap;
    }

    /// @notice Raised limits of an active strategy waiting for the timelock. `validAt == 0`: none.
    struct PendingLimits {
        uint16 targetBps;
        uint64 validAt;
        uint256 cap;
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    /// @notice `depositMany` was called with no receivers.
    error EmptyBatch();
    /// @notice `depositMany` arrays differ in length.
    error LengthMismatch(uint256 receivers, uint256 assets);
    /// @notice `receivers[index]` is the zero address.
    error ZeroReceiver(uint256 index);
    /// @notice `assets[index]` of a batch is zero.
    error ZeroAmountAt(uint256 index);
    /// @notice `assets[index]` of a batch is too small to buy a single share.
    error ZeroSharesAt(uint256 index, uint256 assets);
    /// @notice A deposit / mint / withdraw / redeem of zero.
    error ZeroAmount();
    /// @notice A deposit too small to buy a single share (it would be a donation).
    error ZeroShares(uint256 assets);
    /// @notice A redeem too small to be worth a single unit of the asset.
    error ZeroAssets(uint256 shares);
    /// @notice Deposits are paused by the guardian.
    error DepositsPaused();
    /// @notice The vault is shut down for good: no deposits, withdrawals only.
    error VaultShutdown();
    /// @notice Fewer assets arrived than the caller promised (fee-on-transfer or rebasing asset).
    error TransferShortfall(uint256 expected, uint256 received);
    /// @notice Idle plus what the strategies would release is less than the withdrawal.
    error InsufficientLiquidity(uint256 requested, uint256 available);
    /// @notice A required address argument is zero.
    error ZeroAddress();
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
    /// @notice No pending change for this strategy (or for the timelock).
    error NothingPending(address strategy);
    /// @notice The pending change is not valid before `validAt`.
    error TimelockNotElapsed(uint256 validAt);
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

    // ------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------

    /// @notice One batch credit: `count` receivers shared `totalAssets` for `totalShares`, at one price.
    ///         Each receiver's mint is the ERC-20 `Transfer(0, receiver, shares)` of the same tx.
    event DepositMany(address indexed caller, uint256 count, uint256 totalAssets, uint256 totalShares);
    event StrategySubmitted(
        address indexed strategy, uint8 risk, uint16 targetBps, uint256 cap, uint256 validAt
    );
    event StrategyAdded(address indexed strategy, uint8 risk, uint16 targetBps, uint256 cap);
    event StrategyLimitsSubmitted(address indexed strategy, uint16 targetBps, uint256 cap, uint256 validAt);
    event StrategyLimitsSet(address indexed strategy, uint16 targetBps, uint256 cap);
    event PendingRevoked(address indexed strategy, address indexed by);
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
    event TimelockSubmitted(uint256 timelock, uint256 validAt);
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
    function pendingStrategy(address strategy) external view returns (PendingStrategy memory);
    function pendingLimits(address strategy) external view returns (PendingLimits memory);
    /// @notice A lowered timelock waiting for the current one; `validAt == 0` when none.
    function pendingTimelock() external view returns (uint256 value, uint256 validAt);
    /// @notice Σ targetBps of the active strategies.
    function totalTargetBps() external view returns (uint256);
    function depositsPaused() external view returns (bool);
    function isShutdown() external view returns (bool);
    /// @notice Whether the vault takes deposits and credits now: false while paused or after shutdown.
    function acceptsDeposits() external view returns (bool);
    function performanceFee() external view returns (uint16);
    function feeRecipient() external view returns (address);

    // ------------------------------------------------------------------------------------------
    // Curator
    // ------------------------------------------------------------------------------------------

    function submitStrategy(address strategy, uint8 risk, uint16 targetBps, uint256 cap) external;
    function acceptStrategy(address strategy) external;
    function setStrategyLimits(address strategy, uint16 targetBps, uint256 cap) external;
    function acceptStrategyLimits(address strategy) external;
    function revokePending(address strategy) external;
    function removeStrategy(address strategy) external;
    function forceRemoveStrategy(address strategy) external;
    function setWithdrawOrder(address[] calldata order) external;

    // ------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------

    function setTimelock(uint256 newTimelock) external;
    function acceptTimelock() external;
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
