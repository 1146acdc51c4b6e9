// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ITierVault} from "./interfaces/ITierVault.sol";

/// @title TierVault
/// @notice One risk tier of Tributary. Deposits land in `idle`; an allocator lends idle to up to
///         MAX_STRATEGIES ERC-4626 strategies over the same asset; profit is released into the share
///         price linearly, losses at once. Shares are a plain ERC-20 with EIP-2612 permit.
/// @dev Roles (OpenZeppelin AccessControl; the admin grants and revokes every role):
///
///  | role               | may                                                           | timelocked?        |
///  |--------------------|---------------------------------------------------------------|--------------------|
///  | DEFAULT_ADMIN_ROLE | grant/revoke roles, setTimelock, setPerformanceFee,           | lowering the       |
///  |                    | setProfitUnlockTime, unpauseDeposits, shutdown                | timelock waits the |
///  |                    | (setTimelock ≥ current also cancels a pending decrease)       | current timelock   |
///  | CURATOR_ROLE       | submitStrategy, setStrategyLimits, revokePending,             | adding a strategy, |
///  |                    | removeStrategy, forceRemoveStrategy, setWithdrawOrder         | raising target/cap |
///  | ALLOCATOR_ROLE     | allocate, report                                              | no                 |
///  | GUARDIAN_ROLE      | pauseDeposits, unpauseDeposits, emergencyWithdraw, shutdown,  | no (risk-lowering) |
///  |                    | revokePending                                                 |                    |
///  | DEPOSITOR_ROLE     | credit / creditMany: book assets it transferred to the vault  | no (the Pool only) |
///  |                    | earlier in the same transaction (balance-checked)             |                    |
///  | anyone             | acceptStrategy / acceptStrategyLimits / acceptTimelock once   |                    |
///  |                    | the timelock has elapsed; all ERC-4626 / ERC-20 functions     |                    |
///
///  Raising risk (a new strategy, a higher target or cap, a shorter timelock) waits `timelock` so that
///  depositors can leave first; lowering risk (lower limits, removal, pause, shutdown) is instant.
///
///  Accounting: totalAssets = idle + totalDebt − lockedProfit(now). All three terms are storage, so
///  every price read is O(1) whatever the number of strategies or depositors. Donations to the vault's
///  address are ignored (idle is book-kept, not read from balanceOf). A strategy's gain or loss enters
///  the books only through `report` / `emergencyWithdraw`; between reports, withdrawals are priced at the
///  last reported value, so the allocator (keeper) should report promptly after a strategy loses.
///
///  Rounding, always against the caller (OZ conventions, virtual offset 10**6 shares / 1 asset):
///  deposit / depositMany shares ↓, mint assets ↑, withdraw shares ↑, redeem assets ↓, maxRedeem ↓,
///  locked profit ↑ (totalAssets is never overstated), performance fee assets and shares ↓.
contract TierVault is ITierVault, ERC4626, ERC20Permit, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using Math for uint256;
    using SafeCast for uint256;

    // ------------------------------------------------------------------------------------------
    // Constants
    // ------------------------------------------------------------------------------------------

    bytes32 public constant CURATOR_ROLE = keccak256("CURATOR_ROLE");
    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Trusted depositors (the Pool): may `credit` / `creditMany` assets they transferred to the vault
    ///         earlier in the same transaction. Granted by the admin; holds no other power.
    bytes32 public constant DEPOSITOR_ROLE = keccak256("DEPOSITOR_ROLE");

    uint256 public constant MAX_STRATEGIES = 8;
    uint8 public constant MAX_RISK = 5;
    uint256 public constant MAX_BPS = 10_000;
    uint256 public constant MAX_PERFORMANCE_FEE = 2_000;
    uint256 public constant MAX_TIMELOCK = 30 days;
    uint256 public constant MAX_PROFIT_UNLOCK_TIME = 365 days;

    /// @dev Virtual shares: the vault behaves as if 10**6 shares and 1 asset unit existed from the start.
    ///      A donation of D assets then moves the price by at most D / (1 + totalAssets) per 10**6 shares,
    ///      so an attacker who front-runs the first deposit loses ~10**6 times what he can steal — also for
    ///      6-decimal assets, whose shares therefore have 12 decimals.
    uint8 private constant DECIMALS_OFFSET = 6;

    /// @dev OpenZeppelin ERC20 5.4 (non-upgradeable) storage inside TierVault: `_balances` at slot 0 and
    ///      `_totalSupply` at slot 2 (ERC20 is the first contract with storage in the linearization). Used only
    ///      by the lean batch mint (`_mintBatch`, `_addSupply`); tests/vault/test_credit.py pins the layout.
    uint256 private constant _BALANCES_SLOT = 0;
    uint256 private constant _TOTAL_SUPPLY_SLOT = 2;
    /// @dev keccak256("Transfer(address,address,uint256)"), the ERC-20 event of each batch mint.
    bytes32 private constant _TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef;

    // ------------------------------------------------------------------------------------------
    // Storage (packed so that a deposit reads two vault slots besides totalSupply and a balance)
    // ------------------------------------------------------------------------------------------

    /// @dev Slot 1: what the vault holds. idle + totalDebt ≤ 2**128 − 1 (maxDeposit enforces it).
    struct Book {
        uint128 idle;
        uint128 totalDebt;
    }

    /// @dev Slot 2: the linear profit lock and the flags that every deposit checks anyway.
    ///      Locked at time t = locked × (fullUnlockAt − t) / (fullUnlockAt − updatedAt) for t < fullUnlockAt.
    struct Lock {
        uint128 locked;
        uint40 updatedAt;
        uint40 fullUnlockAt;
        bool depositsPaused;
        bool shutdown;
    }

    /// @dev Slot 3: rarely read configuration.
    struct Config {
        uint16 performanceFee;
        address feeRecipient;
        uint32 profitUnlockTime;
        uint32 timelock;
    }

    struct PendingTimelock {
        uint64 value;
        uint64 validAt;
    }

    Book private _book;
    Lock private _lock;
    Config private _config;
    PendingTimelock private _pendingTimelock;

    uint8 private immutable _riskCeiling;
    uint16 private _totalTargetBps;

    /// @dev Active strategies in withdraw order (≤ MAX_STRATEGIES, so every loop over it is bounded).
    address[] private _strategies;
    mapping(address strategy => StrategyParams) private _params;
    mapping(address strategy => PendingStrategy) private _pendingStrategy;
    mapping(address strategy => PendingLimits) private _pendingLimits;

    // ------------------------------------------------------------------------------------------
    // Construction
    // ------------------------------------------------------------------------------------------

    /// @param asset_ The asset (must not take a fee on transfer: deposits measure and refuse a shortfall).
    /// @param riskCeiling_ Highest strategy risk level accepted, 1..MAX_RISK.
    /// @param admin_ Receives DEFAULT_ADMIN_ROLE and grants the other roles after deployment.
    /// @param timelock_ Delay of risk-raising curator actions, ≤ MAX_TIMELOCK.
    /// @param profitUnlockTime_ Period over which a reported profit is released, ≤ MAX_PROFIT_UNLOCK_TIME.
    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        uint8 riskCeiling_,
        address admin_,
        uint256 timelock_,
        uint256 profitUnlockTime_
    ) ERC20(name_, symbol_) ERC20Permit(name_) ERC4626(asset_) {
        if (address(asset_) == address(0) || admin_ == address(0)) revert ZeroAddress();
        if (riskCeiling_ == 0 || riskCeiling_ > MAX_RISK) revert InvalidRiskCeiling(riskCeiling_, MAX_RISK);
        if (timelock_ > MAX_TIMELOCK) revert TimelockTooLong(timelock_, MAX_TIMELOCK);
        if (profitUnlockTime_ > MAX_PROFIT_UNLOCK_TIME) {
            revert ProfitUnlockTimeTooLong(profitUnlockTime_, MAX_PROFIT_UNLOCK_TIME);
        }
        _riskCeiling = riskCeiling_;
        _config.timelock = uint32(timelock_);
        _config.profitUnlockTime = uint32(profitUnlockTime_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin_);
        emit TimelockSet(timelock_);
        emit ProfitUnlockTimeSet(profitUnlockTime_);
    }

    // ------------------------------------------------------------------------------------------
    // ERC-4626 accounting
    // ------------------------------------------------------------------------------------------

    /// @notice Assets backing the shares: idle + lent to strategies − profit still being unlocked.
    /// @dev O(1). Locked profit is clamped so a loss larger than the locked profit drives the
    ///      result towards 0, never below.
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        Book memory b = _book;
        return _netAssets(uint256(b.idle) + b.totalDebt, _lockedAt(_lock));
    }

    /// @notice 0 when deposits are paused or the vault is shut down; otherwise the room left below
    ///         the 2**128 book-keeping bound.
    function maxDeposit(address) public view override(ERC4626, IERC4626) returns (uint256) {
        Lock memory l = _lock;
        if (l.shutdown || l.depositsPaused) return 0;
        Book memory b = _book;
        return _room(uint256(b.idle) + b.totalDebt);
    }

    /// @notice Shares `mint` can create now; 0 when paused or shut down.
    function maxMint(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return _convertToShares(maxDeposit(receiver), Math.Rounding.Floor);
    }

    /// @notice What `owner` can withdraw right now: their shares' value, capped by idle plus what each
    ///         strategy would release (min of its debt and its own `maxWithdraw`).
    /// @dev A strategy whose view reverts counts as 0, exactly as `withdraw` skips it.
    function maxWithdraw(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.min(_convertToAssets(balanceOf(owner), Math.Rounding.Floor), _available());
    }

    /// @notice Shares `owner` can redeem right now (see maxWithdraw).
    /// @dev convertToShares rounds down, so redeeming the result never asks for more than is available.
    function maxRedeem(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.min(balanceOf(owner), _convertToShares(_available(), Math.Rounding.Floor));
    }

    /// @notice Deposit `assets` (pulled from the caller) and mint shares to `receiver`.
    /// @dev Shares round down (vault's favour). Gas is O(1): two vault slots, totalSupply, one balance.
    function deposit(uint256 assets, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        return _deposit(receiver, assets, true);
    }

    /// @notice Mint exactly `shares` to `receiver`, pulling the assets they cost from the caller.
    /// @dev Assets round up (vault's favour).
    function mint(uint256 shares, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        (uint256 book, uint256 total) = _openBook();
        assets = shares.mulDiv(total + 1, totalSupply() + 10 ** DECIMALS_OFFSET, Math.Rounding.Ceil);
        _enter(book, receiver, assets, shares, true);
    }

    /// @notice Withdraw exactly `assets` to `receiver`, burning `owner`'s shares.
    /// @dev Shares burnt round up (vault's favour). Served from idle first, then from strategies in
    ///      withdraw order; reverts InsufficientLiquidity if that is not enough. Works after shutdown.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        shares = previewWithdraw(assets);
        _exit(receiver, owner, assets, shares);
    }

    /// @notice Redeem exactly `shares` of `owner` and send the assets to `receiver`.
    /// @dev Assets paid round down (vault's favour). Same liquidity path as `withdraw`.
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        assets = previewRedeem(shares);
        if (assets == 0) revert ZeroAssets(shares);
        _exit(receiver, owner, assets, shares);
    }

    /// @inheritdoc ITierVault
    /// @dev One price for the whole batch (see `_creditBatch`); then Σ assets is pulled from the caller and the
    ///      vault's balance must cover the new idle (TransferShortfall otherwise).
    function depositMany(address[] calldata receivers, uint256[] calldata assets)
        external
        nonReentrant
        returns (uint256[] memory shares)
    {
        shares = new uint256[](receivers.length);
        (uint256 total,, uint256 booked) = _creditBatch(receivers, assets, shares);
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), total);
        _checkBacked(total, booked);
    }

    /// @inheritdoc ITierVault
    /// @dev The Pool's single payments: the payer's funds went straight from the payer to this vault, so there
    ///      is nothing to pull. Same price and rounding (down) as `deposit`; no ERC-4626 `Deposit` event (this is
    ///      not `deposit`): the share `Transfer`, the asset `Transfer` into the vault and the pool's `Paid` say it
    ///      all, for 2,012 gas less per payment. Checks the reentrancy lock without taking it (`notEntered`).
    function credit(address receiver, uint256 assets)
        external
        onlyRole(DEPOSITOR_ROLE)
        notEntered
        returns (uint256 shares)
    {
        return _deposit(receiver, assets, false);
    }

    /// @inheritdoc ITierVault
    /// @dev The Pool's batches: like `depositMany` without the pull. Role-gated because the vault's unbooked
    ///      balance (donations, tokens sent by mistake) must not be claimable by whoever calls first.
    function creditMany(address[] calldata receivers, uint256[] calldata assets)
        external
        onlyRole(DEPOSITOR_ROLE)
        notEntered
        returns (uint256 totalShares)
    {
        uint256 total;
        uint256 booked;
        (total, totalShares, booked) = _creditBatch(receivers, assets, new uint256[](0));
        _checkBacked(total, booked);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ITierVault
    function riskCeiling() external view returns (uint8) {
        return _riskCeiling;
    }

    /// @inheritdoc ITierVault
    function idle() external view returns (uint256) {
        return _book.idle;
    }

    /// @inheritdoc ITierVault
    function totalDebt() external view returns (uint256) {
        return _book.totalDebt;
    }

    /// @inheritdoc ITierVault
    function lockedProfit() external view returns (uint256) {
        Book memory b = _book;
        return Math.min(_lockedAt(_lock), uint256(b.idle) + b.totalDebt);
    }

    /// @inheritdoc ITierVault
    function profitUnlockTime() external view returns (uint256) {
        return _config.profitUnlockTime;
    }

    /// @inheritdoc ITierVault
    function timelock() external view returns (uint256) {
        return _config.timelock;
    }

    /// @inheritdoc ITierVault
    function strategies() external view returns (address[] memory) {
        return _strategies;
    }

    /// @inheritdoc ITierVault
    function strategyParams(address strategy) external view returns (StrategyParams memory) {
        return _params[strategy];
    }

    /// @inheritdoc ITierVault
    function pendingStrategy(address strategy) external view returns (PendingStrategy memory) {
        return _pendingStrategy[strategy];
    }

    /// @inheritdoc ITierVault
    function pendingLimits(address strategy) external view returns (PendingLimits memory) {
        return _pendingLimits[strategy];
    }

    /// @inheritdoc ITierVault
    function pendingTimelock() external view returns (uint256 value, uint256 validAt) {
        PendingTimelock memory p = _pendingTimelock;
        return (p.value, p.validAt);
    }

    /// @inheritdoc ITierVault
    function totalTargetBps() external view returns (uint256) {
        return _totalTargetBps;
    }

    /// @inheritdoc ITierVault
    function depositsPaused() external view returns (bool) {
        return _lock.depositsPaused;
    }

    /// @inheritdoc ITierVault
    function isShutdown() external view returns (bool) {
        return _lock.shutdown;
    }

    /// @inheritdoc ITierVault
    function acceptsDeposits() external view returns (bool) {
        Lock memory l = _lock;
        return !l.depositsPaused && !l.shutdown;
    }

    /// @inheritdoc ITierVault
    function performanceFee() external view returns (uint16) {
        return _config.performanceFee;
    }

    /// @inheritdoc ITierVault
    function feeRecipient() external view returns (address) {
        return _config.feeRecipient;
    }

    /// @notice Share decimals = asset decimals + 6 virtual-share decimals.
    function decimals() public view override(ERC20, ERC4626, IERC20Metadata) returns (uint8) {
        return super.decimals();
    }

    // ------------------------------------------------------------------------------------------
    // Curator
    // ------------------------------------------------------------------------------------------

    /// @notice Propose a strategy; it becomes active when anyone calls `acceptStrategy` after the timelock.
    /// @dev Re-submitting overwrites the pending proposal and restarts its timelock. All checks are
    ///      repeated at acceptance, since other strategies may have changed meanwhile.
    function submitStrategy(address strategy, uint8 risk, uint16 targetBps, uint256 cap)
        external
        onlyRole(CURATOR_ROLE)
    {
        if (strategy == address(0) || strategy == address(this) || strategy.code.length == 0) {
            revert InvalidStrategy(strategy);
        }
        (bool ok, uint256 word) = _view(strategy, IERC4626.asset.selector, 0);
        if (!ok) revert InvalidStrategy(strategy);
        if (address(uint160(word)) != asset()) {
            revert StrategyAssetMismatch(strategy, asset(), address(uint160(word)));
        }
        if (risk == 0 || risk > _riskCeiling) revert InvalidRisk(risk, _riskCeiling);
        _checkCanActivate(strategy, targetBps);
        uint256 validAt = block.timestamp + _config.timelock;
        _pendingStrategy[strategy] =
            PendingStrategy({risk: risk, targetBps: targetBps, validAt: uint64(validAt), cap: cap});
        emit StrategySubmitted(strategy, risk, targetBps, cap, validAt);
    }

    /// @notice Activate a pending strategy once its timelock has elapsed (callable by anyone).
    function acceptStrategy(address strategy) external {
        PendingStrategy memory p = _pendingStrategy[strategy];
        _checkElapsed(strategy, p.validAt);
        _checkCanActivate(strategy, p.targetBps);
        delete _pendingStrategy[strategy];
        _params[strategy] = StrategyParams({
            risk: p.risk,
            targetBps: p.targetBps,
            lastReport: uint40(block.timestamp),
            active: true,
            debt: 0,
            cap: p.cap
        });
        _strategies.push(strategy);
        _totalTargetBps += p.targetBps;
        emit StrategyAdded(strategy, p.risk, p.targetBps, p.cap);
    }

    /// @notice Change a strategy's target weight and cap. Lowering both applies at once; raising either
    ///         waits the timelock (`acceptStrategyLimits`).
    /// @dev An instant lowering leaves an older pending raise in place (the guardian/curator can revoke it).
    function setStrategyLimits(address strategy, uint16 targetBps, uint256 cap) external onlyRole(CURATOR_ROLE) {
        StrategyParams storage sp = _activeParams(strategy);
        uint256 newTotal = uint256(_totalTargetBps) - sp.targetBps + targetBps;
        if (newTotal > MAX_BPS) revert TargetBpsTooHigh(newTotal);
        if (targetBps <= sp.targetBps && cap <= sp.cap) {
            _totalTargetBps = uint16(newTotal);
            sp.targetBps = targetBps;
            sp.cap = cap;
            emit StrategyLimitsSet(strategy, targetBps, cap);
        } else {
            uint256 validAt = block.timestamp + _config.timelock;
            _pendingLimits[strategy] = PendingLimits({targetBps: targetBps, validAt: uint64(validAt), cap: cap});
            emit StrategyLimitsSubmitted(strategy, targetBps, cap, validAt);
        }
    }

    /// @notice Apply a strategy's pending limits once the timelock has elapsed (callable by anyone).
    function acceptStrategyLimits(address strategy) external {
        PendingLimits memory p = _pendingLimits[strategy];
        _checkElapsed(strategy, p.validAt);
        StrategyParams storage sp = _activeParams(strategy);
        uint256 newTotal = uint256(_totalTargetBps) - sp.targetBps + p.targetBps;
        if (newTotal > MAX_BPS) revert TargetBpsTooHigh(newTotal);
        delete _pendingLimits[strategy];
        _totalTargetBps = uint16(newTotal);
        sp.targetBps = p.targetBps;
        sp.cap = p.cap;
        emit StrategyLimitsSet(strategy, p.targetBps, p.cap);
    }

    /// @notice Cancel a pending strategy and / or pending limits (curator or guardian).
    function revokePending(address strategy) external {
        _checkEitherRole(CURATOR_ROLE, GUARDIAN_ROLE);
        bool any = _pendingStrategy[strategy].validAt != 0 || _pendingLimits[strategy].validAt != 0;
        if (!any) revert NothingPending(strategy);
        delete _pendingStrategy[strategy];
        delete _pendingLimits[strategy];
        emit PendingRevoked(strategy, msg.sender);
    }

    /// @notice Remove a strategy that owes the vault nothing.
    /// @dev Strategy shares still held (unreported profit dust after its debt was withdrawn) are redeemed
    ///      best-effort and booked as profit, so nothing is stranded.
    function removeStrategy(address strategy) external onlyRole(CURATOR_ROLE) nonReentrant {
        StrategyParams storage sp = _activeParams(strategy);
        if (sp.debt != 0) revert StrategyHasDebt(strategy, sp.debt);
        uint256 received = _redeemAll(strategy);
        if (received != 0) {
            _book.idle = (uint256(_book.idle) + received).toUint128();
            _realizeProfit(received);
        }
        _detach(strategy);
        emit StrategyRemoved(strategy);
    }

    /// @notice Remove a strategy whatever it owes; its remaining debt is written off as a loss at once.
    /// @dev For a broken strategy: makes no call to it. Shares it issued stay in the vault's balance.
    function forceRemoveStrategy(address strategy) external onlyRole(CURATOR_ROLE) nonReentrant {
        StrategyParams storage sp = _activeParams(strategy);
        uint256 loss = sp.debt;
        if (loss != 0) {
            sp.debt = 0;
            _book.totalDebt -= uint128(loss);
            _clampLocked();
            emit DebtUpdated(strategy, loss, 0);
        }
        _detach(strategy);
        emit StrategyForceRemoved(strategy, loss);
    }

    /// @notice Set the order in which withdrawals draw on strategies (a permutation of `strategies()`).
    function setWithdrawOrder(address[] calldata order) external onlyRole(CURATOR_ROLE) {
        uint256 n = _strategies.length;
        if (order.length != n) revert InvalidWithdrawOrder();
        for (uint256 i; i < n; ++i) {
            if (!_params[order[i]].active) revert InvalidWithdrawOrder();
            for (uint256 j; j < i; ++j) {
                if (order[j] == order[i]) revert InvalidWithdrawOrder();
            }
        }
        _strategies = order;
        emit WithdrawOrderSet(order);
    }

    // ------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------

    /// @notice Change the timelock. Raising applies at once; lowering waits the current timelock
    ///         (`acceptTimelock`), so depositors always get the notice they were promised.
    function setTimelock(uint256 newTimelock) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTimelock > MAX_TIMELOCK) revert TimelockTooLong(newTimelock, MAX_TIMELOCK);
        uint256 current = _config.timelock;
        if (newTimelock >= current) {
            _config.timelock = uint32(newTimelock);
            delete _pendingTimelock;
            emit TimelockSet(newTimelock);
        } else {
            uint256 validAt = block.timestamp + current;
            _pendingTimelock = PendingTimelock({value: uint64(newTimelock), validAt: uint64(validAt)});
            emit TimelockSubmitted(newTimelock, validAt);
        }
    }

    /// @notice Apply a pending (lower) timelock once the current one has elapsed (callable by anyone).
    function acceptTimelock() external {
        PendingTimelock memory p = _pendingTimelock;
        _checkElapsed(address(0), p.validAt);
        delete _pendingTimelock;
        _config.timelock = uint32(p.value);
        emit TimelockSet(p.value);
    }

    /// @notice Set the performance fee (≤ 20 %) taken on reported profit, minted as shares to `recipient`.
    /// @dev Applies to future reports only.
    function setPerformanceFee(uint16 bps, address recipient) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_PERFORMANCE_FEE) revert FeeTooHigh(bps, MAX_PERFORMANCE_FEE);
        if (bps != 0 && recipient == address(0)) revert ZeroFeeRecipient();
        _config.performanceFee = bps;
        _config.feeRecipient = recipient;
        emit PerformanceFeeSet(bps, recipient);
    }

    /// @notice Set the period over which future profits unlock. The current lock keeps its schedule.
    function setProfitUnlockTime(uint256 newProfitUnlockTime) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newProfitUnlockTime > MAX_PROFIT_UNLOCK_TIME) {
            revert ProfitUnlockTimeTooLong(newProfitUnlockTime, MAX_PROFIT_UNLOCK_TIME);
        }
        _config.profitUnlockTime = uint32(newProfitUnlockTime);
        emit ProfitUnlockTimeSet(newProfitUnlockTime);
    }

    // ------------------------------------------------------------------------------------------
    // Allocator
    // ------------------------------------------------------------------------------------------

    /// @notice Move idle towards each strategy's target: first pull from strategies above target, then
    ///         lend to those below. target = min(cap, targetBps × (idle + totalDebt) / 10,000), and a
    ///         deposit is further capped by the strategy's maxDeposit and by idle. After shutdown every
    ///         target is 0, so allocate brings everything home.
    /// @dev Bounded: two passes over ≤ MAX_STRATEGIES. Calls to strategies are low-level (`_view`,
    ///      `_exec`) and a failing one is skipped, so one broken strategy does not block allocation to
    ///      the others; amounts moved are measured by balance difference.
    function allocate() external onlyRole(ALLOCATOR_ROLE) nonReentrant {
        uint256 n = _strategies.length;
        Book memory b = _book;
        uint256 managed = uint256(b.idle) + b.totalDebt;
        bool down = _lock.shutdown;
        IERC20 token = IERC20(asset());

        for (uint256 i; i < n; ++i) {
            address s = _strategies[i];
            StrategyParams storage sp = _params[s];
            uint256 debt = sp.debt;
            uint256 target = down ? 0 : _target(sp, managed);
            if (debt > target) _pullFrom(token, s, debt - target);
        }
        for (uint256 i; i < n && !down; ++i) {
            address s = _strategies[i];
            StrategyParams storage sp = _params[s];
            uint256 debt = sp.debt;
            uint256 target = _target(sp, managed);
            if (debt >= target) continue;
            (bool ok, uint256 room) = _view(s, IERC4626.maxDeposit.selector, uint160(address(this)));
            uint256 want = ok ? Math.min(Math.min(target - debt, _book.idle), room) : 0;
            if (want == 0) continue;
            _pushTo(token, s, want);
        }
        b = _book;
        emit Allocated(b.idle, b.totalDebt);
    }

    /// @notice Realise a strategy's profit or loss against its recorded debt.
    /// @dev value = strategy.previewRedeem(shares the vault holds). Profit: an optional performance fee is
    ///      minted as shares, the rest is locked and released linearly over profitUnlockTime so a report
    ///      cannot be sandwiched. Loss: debt drops at once and so does the share price.
    function report(address strategy)
        external
        onlyRole(ALLOCATOR_ROLE)
        nonReentrant
        returns (uint256 profit, uint256 loss)
    {
        StrategyParams storage sp = _activeParams(strategy);
        (bool ok, uint256 shares) = _view(strategy, IERC20.balanceOf.selector, uint160(address(this)));
        uint256 value = 0;
        if (ok) (ok, value) = _view(strategy, IERC4626.previewRedeem.selector, shares);
        if (!ok) revert StrategyCallFailed(strategy);
        uint256 debt = sp.debt;
        uint256 feeShares = 0;
        if (value > debt) {
            profit = value - debt;
            sp.debt = value.toUint128();
            _book.totalDebt = (uint256(_book.totalDebt) + profit).toUint128();
            feeShares = _realizeProfit(profit);
        } else if (value < debt) {
            loss = debt - value;
            sp.debt = uint128(value);
            _book.totalDebt -= uint128(loss);
            _clampLocked();
        }
        sp.lastReport = uint40(block.timestamp);
        emit StrategyReported(strategy, profit, loss, feeShares, value, _lockedAt(_lock));
    }

    // ------------------------------------------------------------------------------------------
    // Guardian
    // ------------------------------------------------------------------------------------------

    /// @notice Stop new deposits (withdrawals keep working).
    function pauseDeposits() external onlyRole(GUARDIAN_ROLE) {
        _lock.depositsPaused = true;
        emit DepositsPauseSet(true, msg.sender);
    }

    /// @notice Re-open deposits (guardian or admin). Has no effect on a shut-down vault.
    function unpauseDeposits() external {
        _checkEitherRole(GUARDIAN_ROLE, DEFAULT_ADMIN_ROLE);
        _lock.depositsPaused = false;
        emit DepositsPauseSet(false, msg.sender);
    }

    /// @notice Redeem everything the vault holds in `strategy` (as much as it lets go), realise the P/L
    ///         and set its target to 0 so `allocate` does not lend to it again.
    /// @dev If the strategy releases only part, the received amount repays debt and the rest of the debt
    ///      stays recorded until a later report / emergency withdraw / forced removal.
    function emergencyWithdraw(address strategy) external onlyRole(GUARDIAN_ROLE) nonReentrant {
        StrategyParams storage sp = _activeParams(strategy);
        uint256 oldDebt = sp.debt;
        uint256 received = _redeemAll(strategy);
        bool emptied = _sharesHeld(strategy) == 0;
        uint256 profit = 0;
        uint256 loss = 0;
        uint256 repaid = Math.min(received, oldDebt);
        if (received > oldDebt) profit = received - oldDebt;
        else if (emptied) loss = oldDebt - received;
        uint256 newDebt = emptied ? 0 : oldDebt - repaid;
        sp.debt = uint128(newDebt);
        Book storage b = _book;
        b.totalDebt -= uint128(oldDebt - newDebt);
        b.idle = (uint256(b.idle) + received).toUint128();
        if (profit != 0) _realizeProfit(profit);
        if (loss != 0) _clampLocked();

        _totalTargetBps -= sp.targetBps;
        sp.targetBps = 0;
        delete _pendingLimits[strategy];
        emit DebtUpdated(strategy, oldDebt, newDebt);
        emit StrategyLimitsSet(strategy, 0, sp.cap);
        emit EmergencyWithdrawn(strategy, received, profit, loss);
    }

    /// @notice Shut the vault down for good (guardian or admin): deposits stop, withdrawals keep working,
    ///         and `allocate` only brings funds home.
    function shutdown() external {
        _checkEitherRole(GUARDIAN_ROLE, DEFAULT_ADMIN_ROLE);
        if (_lock.shutdown) revert VaultShutdown();
        _lock.shutdown = true;
        emit ShutdownActivated(msg.sender);
    }

    // ------------------------------------------------------------------------------------------
    // Internals: deposits and withdrawals
    // ------------------------------------------------------------------------------------------

    /// @dev The reentrancy check without taking the lock, for `credit` / `creditMany`: their only external call
    ///      is a static `balanceOf`, which cannot re-enter, so they need not block others — but they must not run
    ///      inside another vault function's external call (mid-withdraw state).
    modifier notEntered() {
        _checkNotEntered();
        _;
    }

    function _checkNotEntered() private view {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev The deposit-side read: both hot slots once, as raw words (no struct copies on the hot path).
    ///      Reverts if deposits are closed; returns the raw `Book` word and totalAssets. Bit positions follow
    ///      Solidity's packing (first member lowest) — `Book`: idle [0,128), totalDebt [128,256); `Lock`: locked
    ///      [0,128), updatedAt [128,168), fullUnlockAt [168,208), depositsPaused [208,216), shutdown [216,224).
    function _openBook() private view returns (uint256 book, uint256 total) {
        uint256 lock;
        assembly ("memory-safe") {
            book := sload(_book.slot)
            lock := sload(_lock.slot)
        }
        if ((lock >> 216) & 0xff != 0) revert VaultShutdown();
        if ((lock >> 208) & 0xff != 0) revert DepositsPaused();
        total = uint128(book) + (book >> 128);
        if (block.timestamp < (lock >> 168) & 0xffffffffff) total = _netAssets(total, _lockedAt(_lock));
    }

    /// @dev Saturating: reported profit may push idle + totalDebt to the bound; then there is no room.
    function _room(uint256 held) private pure returns (uint256) {
        return held >= type(uint128).max ? 0 : type(uint128).max - held;
    }

    /// @dev Book `assets` more idle, refusing what would pass the 2**128 bound (what maxDeposit reports), and
    ///      return the new idle. idle is the low half of the word and idle + totalDebt stays below 2**128, so
    ///      the addition never carries into totalDebt.
    function _bookIdle(uint256 book, address receiver, uint256 assets) private returns (uint256) {
        uint256 room = _room(uint128(book) + (book >> 128));
        if (assets > room) revert ERC4626ExceededMaxDeposit(receiver, assets, room);
        assembly ("memory-safe") {
            sstore(_book.slot, add(book, assets))
        }
        return uint128(book) + assets;
    }

    /// @dev Book `assets` into idle and mint (effects), then pull them from the caller when `pull` (interaction),
    ///      then check the vault's balance covers the new idle. The reentrancy guard covers the token call.
    ///      `Deposit` is emitted for `deposit` / `mint` (pull) only: `credit` is not an ERC-4626 deposit.
    function _enter(uint256 book, address receiver, uint256 assets, uint256 shares, bool pull) private {
        uint256 booked = _bookIdle(book, receiver, assets);
        _mintOne(receiver, shares);
        if (pull) IERC20(asset()).safeTransferFrom(msg.sender, address(this), assets);
        _checkBacked(assets, booked);
        if (pull) emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @dev deposit (pull = true) and credit (pull = false: the caller transferred the assets beforehand).
    ///      Shares round down, in the vault's favour (= previewDeposit).
    function _deposit(address receiver, uint256 assets, bool pull) private returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        (uint256 book, uint256 total) = _openBook();
        shares = _mulDivDown(assets, totalSupply() + 10 ** DECIMALS_OFFSET, total + 1);
        if (shares == 0) revert ZeroShares(assets);
        _enter(book, receiver, assets, shares, pull);
    }

    /// @dev One price for a batch: totalAssets and totalSupply are read once, before any mint. Each receiver
    ///      gets floor(assets_i × (S + 10**6) / (T + 1)); the sum of floors never exceeds the floor of the sum,
    ///      so a batch never gets more shares than one deposit of Σ assets would (no dilution of holders).
    function _creditBatch(address[] calldata receivers, uint256[] calldata assets, uint256[] memory sharesOut)
        private
        returns (uint256 total, uint256 totalShares, uint256 booked)
    {
        uint256 n = receivers.length;
        if (n == 0) revert EmptyBatch();
        if (n != assets.length) revert LengthMismatch(n, assets.length);
        (uint256 book, uint256 before) = _openBook();
        (total, totalShares) = _mintBatch(receivers, assets, sharesOut, totalSupply() + 10 ** DECIMALS_OFFSET, before + 1);
        booked = _bookIdle(book, msg.sender, total);
        _addSupply(totalShares);
        emit DepositMany(msg.sender, n, total, totalShares);
    }

    /// @dev The batch loop (lean mint): per receiver one balance write and its Transfer log, no totalSupply
    ///      write (`_addSupply` once after the loop); fills `sharesOut` when it has room (depositMany's return).
    function _mintBatch(
        address[] calldata receivers,
        uint256[] calldata assets,
        uint256[] memory sharesOut,
        uint256 supplyPlus,
        uint256 assetsPlus
    ) private returns (uint256 total, uint256 totalShares) {
        uint256 n = receivers.length;
        // a × supplyPlus cannot overflow for a ≤ fast: the common case skips mulDiv's 512-bit path (same floor).
        uint256 fast = type(uint256).max / supplyPlus;
        uint256 i;
        while (true) {
            // Hot loop (Yul): raw calldata reads (the decoder already checked both arrays lie inside calldata),
            // one balance write and one Transfer log per entry, no totalSupply write. It stops at the first
            // entry it does not take — a bad entry, an amount above `fast` or 2**128, a zero-share credit — and
            // the general path below handles that entry (reverting with its error, or via mulDiv).
            assembly ("memory-safe") {
                mstore(0x20, _BALANCES_SLOT)
                let topic := _TRANSFER_TOPIC // once: the optimizer may keep the constant in code (CODECOPY per use)
                for {} lt(i, n) { i := add(i, 1) } {
                    let r := calldataload(add(receivers.offset, shl(5, i)))
                    let a := calldataload(add(assets.offset, shl(5, i)))
                    // a < 2**128 here (the book's bound), so Σ a over a batch cannot wrap
                    if or(or(iszero(r), shr(160, r)), or(iszero(a), or(gt(a, fast), shr(128, a)))) { break }
                    let s := div(mul(a, supplyPlus), assetsPlus)
                    if iszero(s) { break }
                    total := add(total, a)
                    totalShares := add(totalShares, s)
                    if lt(totalShares, s) { revert(0, 0) } // Σ shares ≥ 2**256: unreachable, refused anyway
                    if mload(sharesOut) { mstore(add(add(sharesOut, 0x20), shl(5, i)), s) }
                    mstore(0x00, s)
                    log3(0x00, 0x20, topic, 0, r)
                    mstore(0x00, r)
                    r := keccak256(0x00, 0x40) // the receiver's balance slot
                    sstore(r, add(sload(r), s))
                }
            }
            if (i == n) return (total, totalShares);
            // General path for entry i: the decoder's checks as named errors, mulDiv for huge amounts.
            uint256 r;
            uint256 a;
            assembly ("memory-safe") {
                r := calldataload(add(receivers.offset, shl(5, i)))
                a := calldataload(add(assets.offset, shl(5, i)))
            }
            if (r == 0 || r >> 160 != 0) revert ZeroReceiver(i);
            if (a == 0) revert ZeroAmountAt(i);
            uint256 s = a.mulDiv(supplyPlus, assetsPlus);
            if (s == 0) revert ZeroSharesAt(i, a);
            total += a; // checked; the caller then bounds the total by the 2**128 room
            totalShares += s;
            assembly ("memory-safe") {
                if mload(sharesOut) { mstore(add(add(sharesOut, 0x20), shl(5, i)), s) }
            }
            _addShares(address(uint160(r)), s);
            ++i;
        }
    }

    /// @dev Lean mint of one receiver (deposit, mint, credit): OpenZeppelin `_mint`'s effects and event — checked
    ///      totalSupply update, balance += shares (≤ totalSupply, so unchecked), Transfer(0, receiver) — without
    ///      the generic `_update` dispatch.
    function _mintOne(address receiver, uint256 shares) private {
        if (receiver == address(0)) revert ERC20InvalidReceiver(address(0));
        _addSupply(shares);
        _addShares(receiver, shares);
    }

    /// @dev Lean mint, part 1: balance += shares (bounded by totalSupply, whose update is checked) and the ERC-20
    ///      Transfer(0, receiver, shares) log, in OpenZeppelin ERC20's `_balances` (slot 0, pinned by tests).
    function _addShares(address receiver, uint256 shares) private {
        assembly ("memory-safe") {
            mstore(0x00, receiver)
            mstore(0x20, _BALANCES_SLOT)
            let slot := keccak256(0x00, 0x40)
            sstore(slot, add(sload(slot), shares))
            mstore(0x00, shares)
            log3(0x00, 0x20, _TRANSFER_TOPIC, 0, receiver)
        }
    }

    /// @dev floor(a × b / c) without mulDiv's 512-bit path when a × b fits 256 bits (same result). c > 0.
    function _mulDivDown(uint256 a, uint256 b, uint256 c) private pure returns (uint256) {
        unchecked {
            if (a <= type(uint256).max / b) return a * b / c;
        }
        return a.mulDiv(b, c);
    }

    /// @dev Lean mint, part 2: totalSupply += the batch's shares, checked as OpenZeppelin's `_mint` does.
    function _addSupply(uint256 shares) private {
        uint256 supply;
        assembly ("memory-safe") {
            supply := sload(_TOTAL_SUPPLY_SLOT)
        }
        supply += shares;
        assembly ("memory-safe") {
            sstore(_TOTAL_SUPPLY_SLOT, supply)
        }
    }

    /// @dev Measure, don't trust: after booking `expected` more idle (now `booked`), the asset balance must cover it,
    ///      so the book never claims an asset the vault does not hold. A fee-on-transfer or rebasing shortfall
    ///      reverts (`received` = what the balance can back); an unbooked donation sitting in the vault may cover
    ///      a shortfall, and then simply pays it: the vault stays fully backed either way.
    function _checkBacked(uint256 expected, uint256 booked) private view {
        // A failing balanceOf reads as 0: refused, never trusted.
        (, uint256 balance) = _view(asset(), IERC20.balanceOf.selector, uint160(address(this)));
        if (balance < booked) {
            revert TransferShortfall(expected, expected + balance > booked ? expected + balance - booked : 0);
        }
    }

    /// @dev Free liquidity first (price-neutral: idle + debt unchanged), then burn and pay. Shares are
    ///      burnt after the strategy calls but under the reentrancy lock, and the burn checks the balance.
    function _exit(address receiver, address owner, uint256 assets, uint256 shares) private {
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        uint256 idle_ = _book.idle;
        if (idle_ < assets) {
            _freeFunds(assets - idle_);
            idle_ = _book.idle;
            if (idle_ < assets) revert InsufficientLiquidity(assets, idle_);
        }
        _book.idle = uint128(idle_ - assets);
        _burn(owner, shares);
        IERC20(asset()).safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    /// @dev Withdraw up to `need` from strategies in withdraw order. Each is asked for at most
    ///      min(need, debt, its maxWithdraw); a strategy whose calls revert is skipped. Never takes more
    ///      than the debt, so unreported profit is not realised here (it will be locked by `report`).
    function _freeFunds(uint256 need) private {
        IERC20 token = IERC20(asset());
        uint256 n = _strategies.length;
        for (uint256 i; i < n && need != 0; ++i) {
            uint256 got = _pullFrom(token, _strategies[i], need);
            need = got >= need ? 0 : need - got;
        }
    }

    /// @dev Try to withdraw `want` (capped by debt and the strategy's maxWithdraw) from `s` into idle.
    function _pullFrom(IERC20 token, address s, uint256 want) private returns (uint256 received) {
        StrategyParams storage sp = _params[s];
        uint256 debt = sp.debt;
        if (want > debt) want = debt;
        if (want == 0) return 0;
        (bool ok, uint256 m) = _view(s, IERC4626.maxWithdraw.selector, uint160(address(this)));
        if (!ok) return 0;
        if (m < want) want = m;
        if (want == 0) return 0;
        uint256 before = token.balanceOf(address(this));
        _exec(s, IERC4626.withdraw.selector, want, 0x64);
        received = token.balanceOf(address(this)) - before;
        if (received == 0) return 0;
        uint256 repaid = Math.min(received, debt);
        sp.debt = uint128(debt - repaid);
        Book storage b = _book;
        b.totalDebt -= uint128(repaid);
        b.idle = (uint256(b.idle) + received).toUint128();
        emit DebtUpdated(s, debt, debt - repaid);
    }

    /// @dev Lend `want` idle assets to `s`; the debt grows by what actually left the vault.
    function _pushTo(IERC20 token, address s, uint256 want) private {
        uint256 before = token.balanceOf(address(this));
        token.forceApprove(s, want);
        _exec(s, IERC4626.deposit.selector, want, 0x44);
        token.forceApprove(s, 0);
        uint256 sent = before - token.balanceOf(address(this));
        if (sent == 0) return;
        StrategyParams storage sp = _params[s];
        uint256 debt = sp.debt;
        sp.debt = (debt + sent).toUint128();
        Book storage b = _book;
        b.idle -= uint128(sent);
        b.totalDebt += uint128(sent);
        emit DebtUpdated(s, debt, debt + sent);
    }

    function _target(StrategyParams storage sp, uint256 managed) private view returns (uint256) {
        return Math.min(sp.cap, managed.mulDiv(sp.targetBps, MAX_BPS));
    }

    /// @dev Redeem as many of the vault's strategy shares as the strategy lets go and return the assets
    ///      received (balance difference). Calls are low-level: a broken strategy yields 0.
    function _redeemAll(address s) private returns (uint256 received) {
        uint256 shares = _sharesHeld(s);
        (bool ok, uint256 m) = _view(s, IERC4626.maxRedeem.selector, uint160(address(this)));
        if (!ok) return 0;
        if (m < shares) shares = m;
        if (shares == 0) return 0;
        IERC20 token = IERC20(asset());
        uint256 before = token.balanceOf(address(this));
        _exec(s, IERC4626.redeem.selector, shares, 0x64);
        received = token.balanceOf(address(this)) - before;
    }

    /// @dev The vault's share balance in strategy `s`; type(uint256).max if the call reverts, so a broken
    ///      strategy never looks emptied.
    function _sharesHeld(address s) private view returns (uint256) {
        (bool ok, uint256 b) = _view(s, IERC20.balanceOf.selector, uint160(address(this)));
        return ok ? b : type(uint256).max;
    }

    // ------------------------------------------------------------------------------------------
    // Internals: profit lock
    // ------------------------------------------------------------------------------------------

    /// @dev Locked profit at `now`, rounded UP so totalAssets is never overstated.
    function _lockedAt(Lock memory l) private view returns (uint256) {
        if (block.timestamp >= l.fullUnlockAt) return 0;
        return uint256(l.locked).mulDiv(l.fullUnlockAt - block.timestamp, l.fullUnlockAt - l.updatedAt, Math.Rounding.Ceil);
    }

    function _netAssets(uint256 held, uint256 locked) private pure returns (uint256) {
        return locked >= held ? 0 : held - locked;
    }

    /// @dev Book a profit that is already part of idle / totalDebt: mint the fee and lock the rest.
    ///      Fee shares are priced at totalAssets *before* the fee assets are counted, so existing holders'
    ///      price never falls (fee rounds down in assets and in shares). The new lock ends at the
    ///      profit-weighted average of the old remaining time and a full profitUnlockTime.
    function _realizeProfit(uint256 profit) private returns (uint256 feeShares) {
        Config memory c = _config;
        Lock memory l = _lock;
        Book memory b = _book;
        uint256 lockedNow = _lockedAt(l);
        uint256 feeAssets = profit.mulDiv(c.performanceFee, MAX_BPS);
        if (feeAssets != 0) {
            uint256 before = _netAssets(uint256(b.idle) + b.totalDebt - profit, lockedNow);
            feeShares = feeAssets.mulDiv(totalSupply() + 10 ** DECIMALS_OFFSET, before + 1);
        }
        uint256 toLock = profit - feeAssets;
        if (c.profitUnlockTime != 0 && toLock != 0) {
            uint256 remaining = l.fullUnlockAt > block.timestamp ? l.fullUnlockAt - block.timestamp : 0;
            uint256 newLocked = lockedNow + toLock;
            uint256 duration = (lockedNow * remaining + toLock * c.profitUnlockTime) / newLocked;
            l.locked = newLocked.toUint128();
            l.updatedAt = uint40(block.timestamp);
            l.fullUnlockAt = uint40(block.timestamp + duration);
            _lock = l;
        }
        if (feeShares != 0) _mintOne(c.feeRecipient, feeShares);
    }

    /// @dev After a loss: the locked amount may not exceed what the vault holds, so totalAssets ≥ 0 and
    ///      the loss is visible in the price at once (it is never absorbed by locked profit).
    function _clampLocked() private {
        Lock memory l = _lock;
        uint256 lockedNow = _lockedAt(l);
        Book memory b = _book;
        uint256 held = uint256(b.idle) + b.totalDebt;
        if (lockedNow > held) {
            l.locked = uint128(held);
            l.updatedAt = uint40(block.timestamp);
            _lock = l;
        }
    }

    /// @dev Checks shared by submit and accept.
    function _checkCanActivate(address strategy, uint16 targetBps) private view {
        if (_params[strategy].active) revert StrategyAlreadyActive(strategy);
        if (_strategies.length >= MAX_STRATEGIES) revert TooManyStrategies(MAX_STRATEGIES);
        uint256 newTotal = uint256(_totalTargetBps) + targetBps;
        if (newTotal > MAX_BPS) revert TargetBpsTooHigh(newTotal);
    }

    function _checkElapsed(address subject, uint256 validAt) private view {
        if (validAt == 0) revert NothingPending(subject);
        if (block.timestamp < validAt) revert TimelockNotElapsed(validAt);
    }

    function _checkEitherRole(bytes32 a, bytes32 b) private view {
        if (!hasRole(a, msg.sender) && !hasRole(b, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, a);
        }
    }

    function _activeParams(address strategy) private view returns (StrategyParams storage sp) {
        sp = _params[strategy];
        if (!sp.active) revert StrategyNotActive(strategy);
    }

    /// @dev Remove from the queue (order kept) and free its target weight.
    function _detach(address strategy) private {
        _totalTargetBps -= _params[strategy].targetBps;
        delete _params[strategy];
        delete _pendingLimits[strategy];
        uint256 n = _strategies.length;
        for (uint256 i; i < n; ++i) {
            if (_strategies[i] == strategy) {
                for (uint256 j = i; j + 1 < n; ++j) {
                    _strategies[j] = _strategies[j + 1];
                }
                _strategies.pop();
                break;
            }
        }
    }

    /// @dev idle + Σ min(debt, strategy.maxWithdraw(vault)); a reverting view counts as 0.
    function _available() private view returns (uint256 available) {
        available = _book.idle;
        uint256 n = _strategies.length;
        for (uint256 i; i < n; ++i) {
            address s = _strategies[i];
            uint256 debt = _params[s].debt;
            if (debt == 0) continue;
            (, uint256 m) = _view(s, IERC4626.maxWithdraw.selector, uint160(address(this)));
            available += Math.min(debt, m);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Internals: calls to strategies
    // ------------------------------------------------------------------------------------------

    /// @dev Static call `target.sel(arg)` expecting one word back. `ok` is false (and `word` 0) if the call
    ///      reverts, the target has no code or returns less than 32 bytes. Calldata is built in scratch
    ///      space and only 32 bytes of return data are copied, so a hostile strategy cannot make the
    ///      vault pay for a return-data bomb.
    function _view(address target, bytes4 sel, uint256 arg) private view returns (bool ok, uint256 word) {
        assembly ("memory-safe") {
            mstore(0x00, sel)
            mstore(0x04, arg)
            ok := staticcall(gas(), target, 0x00, 0x24, 0x00, 0x20)
            ok := and(ok, gt(returndatasize(), 0x1f))
            word := mul(ok, mload(0x00))
        }
    }

    /// @dev State-changing call `target.sel(amount, this[, this])` (deposit: len 0x44; withdraw / redeem:
    ///      len 0x64) whose outcome is judged by the vault's asset balance difference, never by its return
    ///      value; a revert is ignored (the strategy is skipped). No return data is copied.
    function _exec(address target, bytes4 sel, uint256 amount, uint256 len) private {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, sel)
            mstore(add(p, 0x04), amount)
            mstore(add(p, 0x24), address())
            mstore(add(p, 0x44), address())
            pop(call(gas(), target, 0, p, len, 0x00, 0x00))
        }
    }
}
