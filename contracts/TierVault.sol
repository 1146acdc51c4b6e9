// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ERC4626} from "solady/tokens/ERC4626.sol";
import {FixedPointMathLib as FPM} from "solady/utils/FixedPointMathLib.sol";

import {ITierVault} from "./interfaces/ITierVault.sol";
import {FastMulDiv} from "./libraries/FastMulDiv.sol";

/// @title TierVault
/// @notice One risk tier of Tributary. Deposits land in `idle`; an allocator lends idle to up to
///         MAX_STRATEGIES ERC-4626 strategies over the same asset; profit is released into the share
///         price linearly, losses at once — reported or not. Shares are a Solady ERC-20 with EIP-2612 permit.
/// @dev Roles (OpenZeppelin AccessControl; the admin grants and revokes every role):
///
///  | role               | may                                                           | timelocked?          |
///  |--------------------|---------------------------------------------------------------|----------------------|
///  | DEFAULT_ADMIN_ROLE | grant/revoke roles, setTimelock, setPerformanceFee,           | lowering the         |
///  |                    | setProfitUnlockTime, unpauseDeposits, shutdown, recover       | timelock             |
///  | CURATOR_ROLE       | submit, revoke, addStrategy, setStrategyLimits,               | adding, raising      |
///  |                    | removeStrategy, forceRemoveStrategy, setWithdrawOrder         | limits, writing off  |
///  |                    |                                                               | a strategy with value|
///  | ALLOCATOR_ROLE     | allocate, report                                              | no                   |
///  | GUARDIAN_ROLE      | pauseDeposits, unpauseDeposits, emergencyWithdraw, shutdown,  | no (risk-lowering)   |
///  |                    | revoke                                                        |                      |
///  | DEPOSITOR_ROLE     | credit / creditMany: book assets it transferred to the vault  | no (the Pool only)   |
///  |                    | earlier in the same transaction (balance-checked)             |                      |
///
///  Timelock (one mechanism, as in Morpho's vault-v2): the role that may call a timelocked function first
///  `submit`s its exact calldata; `executableAt[keccak256(data)] = now + timelock`. The call itself then checks
///  and clears that entry (`timelocked` / `_consumeTimelock`). Curator or guardian may `revoke` a pending call.
///  Timelocked: `addStrategy`; `setStrategyLimits` raising a target or a cap; `setTimelock` lowering it;
///  `forceRemoveStrategy` of a strategy whose live value is not 0. Lowering risk (lower limits, pause,
///  shutdown, `emergencyWithdraw`, writing off a worthless strategy) is instant.
///
///  Economics (see README "Fair pricing"). One price for every entry and exit:
///      totalAssets = idle + totalDebt − max(lockedProfit(now), unrealisedLoss)
///      unrealisedLoss = Σ_i max(0, debt_i − value_i),  value_i = s_i.convertToAssets(s_i.balanceOf(vault))
///  read live (≤ MAX_STRATEGIES × 2 static calls; a strategy whose view reverts is worth 0). So nobody exits
///  ahead of an unreported loss, or buys in cheap against it: the loss is in the price from the block it
///  happens. Unreported gains are NOT counted (min(debt, value)): they enter via `report` only, locked and
///  released linearly, so a report cannot be sandwiched. Locked profit and unrealised loss overlap (max, not
///  sum): a loss first consumes profit still locked. `report` realises a loss X at time t as
///  locked' = L(t) − min(L(t), X) and debt −= X, which leaves the price unchanged (proof: before and after
///  both equal idle + totalDebt − X − max(L − X, X_others) when L ≥ X, and idle + totalDebt − X − X_others
///  otherwise) — a report moves value, never the price. Trade-offs: every deposit, credit and exit pays
///  the static calls (cost grows with the number of strategies with debt); a strategy whose view lies high
///  hides its loss until it is reported (the curator's choice of strategies is trusted for that). A profit
///  reported while another strategy carries an unrealised loss larger than the locked profit is locked on
///  top of that loss (so its report does not move the price either) and released in profitUnlockTime.
///
///  Rounding, always against the caller (virtual offset 10**6 shares / 1 asset): deposit / depositMany /
///  credit shares ↓, mint assets ↑, withdraw shares ↑, redeem assets ↓, max* ↓, locked profit ↑ (totalAssets is
///  never overstated), performance fee assets and shares ↓.
contract TierVault is ITierVault, ERC4626, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

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
    uint256 private constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;

    /// @dev Solady ERC20's documented storage (solady/src/tokens/ERC20.sol, "STORAGE"): the balance slot of
    ///      `owner` is keccak256(owner ‖ 8 zero bytes ‖ _BALANCE_SLOT_SEED) (mstore(0x0c, seed), mstore(0x00,
    ///      owner), keccak256(0x0c, 0x20)) and totalSupply lives at _TOTAL_SUPPLY_SLOT. Used only by the lean
    ///      batch mint (`_mintBatch`, `_addSupply`); tests/vault/test_credit.py checks balances and supply after it.
    uint256 private constant _BALANCE_SLOT_SEED = 0x87a211a2;
    uint256 private constant _TOTAL_SUPPLY_SLOT = 0x05345cdf77eb68f44c;
    /// @dev keccak256("Transfer(address,address,uint256)"), the ERC-20 event of each batch mint.
    bytes32 private constant _TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef;

    // ------------------------------------------------------------------------------------------
    // Storage (packed so that a deposit reads two vault slots besides the strategies it prices)
    // ------------------------------------------------------------------------------------------

    /// @dev What the vault holds. idle + totalDebt ≤ 2**128 − 1 (maxDeposit enforces it).
    struct Book {
        uint128 idle;
        uint128 totalDebt;
    }

    /// @dev The linear profit lock, the flags that every deposit checks anyway and the number of strategies.
    ///      Locked at time t = locked × (fullUnlockAt − t) / (fullUnlockAt − updatedAt) for t < fullUnlockAt.
    struct Lock {
        uint128 locked;
        uint40 updatedAt;
        uint40 fullUnlockAt;
        bool depositsPaused;
        bool shutdown;
        /// @dev = _strategies.length (≤ MAX_STRATEGIES), kept here so that pricing reads no extra cold slot.
        uint8 strategyCount;
    }

    /// @dev Rarely read configuration.
    struct Config {
        uint16 performanceFee;
        address feeRecipient;
        uint32 profitUnlockTime;
        uint32 timelock;
    }

    Book private _book;
    Lock private _lock;
    Config private _config;
    uint16 private _totalTargetBps;

    address private immutable _asset;
    uint8 private immutable _assetDecimals;
    uint8 private immutable _riskCeiling;
    string private _name;
    string private _symbol;

    /// @dev Active strategies in withdraw order (≤ MAX_STRATEGIES, so every loop over it is bounded).
    address[] private _strategies;
    mapping(address strategy => StrategyParams) private _params;
    /// @inheritdoc ITierVault
    mapping(bytes32 id => uint256) public executableAt;

    // ------------------------------------------------------------------------------------------
    // Construction and modifiers
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
    ) {
        if (address(asset_) == address(0) || admin_ == address(0)) revert ZeroAddress();
        if (riskCeiling_ == 0 || riskCeiling_ > MAX_RISK) revert InvalidRiskCeiling(riskCeiling_, MAX_RISK);
        if (timelock_ > MAX_TIMELOCK) revert TimelockTooLong(timelock_, MAX_TIMELOCK);
        if (profitUnlockTime_ > MAX_PROFIT_UNLOCK_TIME) {
            revert ProfitUnlockTimeTooLong(profitUnlockTime_, MAX_PROFIT_UNLOCK_TIME);
        }
        (bool ok, uint8 dec) = _tryGetAssetDecimals(address(asset_));
        _asset = address(asset_);
        _assetDecimals = ok ? dec : _DEFAULT_UNDERLYING_DECIMALS;
        _riskCeiling = riskCeiling_;
        _name = name_;
        _symbol = symbol_;
        _config.timelock = uint32(timelock_); // safe because ≤ MAX_TIMELOCK (checked above)
        _config.profitUnlockTime = uint32(profitUnlockTime_); // safe because ≤ MAX_PROFIT_UNLOCK_TIME
        _grantRole(DEFAULT_ADMIN_ROLE, admin_);
        emit TimelockSet(timelock_);
        emit ProfitUnlockTimeSet(profitUnlockTime_);
    }

    /// @dev Curator or guardian (risk-lowering actions both may take).
    modifier onlyCuratorOrGuardian() {
        _checkEitherRole(CURATOR_ROLE, GUARDIAN_ROLE);
        _;
    }

    /// @dev Guardian or admin.
    modifier onlyGuardianOrAdmin() {
        _checkEitherRole(GUARDIAN_ROLE, DEFAULT_ADMIN_ROLE);
        _;
    }

    /// @dev The function's exact calldata was submitted and its timelock has elapsed; consumes the submission.
    modifier timelocked() {
        _consumeTimelock();
        _;
    }

    /// @dev The reentrancy check without taking the lock, for `credit` / `creditMany`: their only external calls
    ///      are static (balanceOf, strategy views), which cannot re-enter, so they need not block others — but
    ///      they must not run inside another vault function's external call (mid-withdraw state).
    modifier notEntered() {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
        _;
    }

    // ------------------------------------------------------------------------------------------
    // ERC-20 metadata
    // ------------------------------------------------------------------------------------------

    /// @notice The share token's name.
    function name() public view override returns (string memory) {
        return _name;
    }

    /// @notice The share token's symbol.
    function symbol() public view override returns (string memory) {
        return _symbol;
    }

    /// @notice The underlying asset (ERC-4626).
    function asset() public view override(ERC4626, ITierVault) returns (address) {
        return _asset;
    }

    /// @dev Permit2 gets no implicit infinite allowance over vault shares: a plain ERC-20 (Solady's default is on).
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }

    function _underlyingDecimals() internal view override returns (uint8) {
        return _assetDecimals;
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    // ------------------------------------------------------------------------------------------
    // ERC-4626 accounting
    // ------------------------------------------------------------------------------------------

    /// @notice Assets backing the shares: idle + lent − max(profit still locked, unrealised strategy loss).
    /// @dev Reads every strategy with debt live (bounded by MAX_STRATEGIES); never reverts.
    function totalAssets() public view override returns (uint256) {
        Book memory b = _book;
        return _price(uint256(b.idle) + b.totalDebt, _lockedNow());
    }

    /// @notice 0 when deposits are paused or the vault is shut down; otherwise the room left below the 2**128
    ///         book-keeping bound, further capped so that the shares it buys fit the supply (never reverts).
    function maxDeposit(address) public view override(ERC4626, ITierVault) returns (uint256) {
        Lock storage l = _lock;
        if (l.shutdown || l.depositsPaused) return 0;
        Book memory b = _book;
        uint256 held = uint256(b.idle) + b.totalDebt;
        return _maxAssetsIn(held, _price(held, _lockedNow()));
    }

    /// @notice Shares `mint` can create now; 0 when paused or shut down. Never reverts, never overflows.
    function maxMint(address receiver) public view override returns (uint256) {
        uint256 a = maxDeposit(receiver);
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        return a == 0 ? 0 : FPM.fullMulDiv(a, totalSupply() + VIRTUAL_SHARES, totalAssets() + 1);
    }

    /// @notice What `owner` can withdraw right now: their shares' value, capped by idle plus what each
    ///         strategy would release (min of its debt and its own `maxWithdraw`).
    /// @dev A strategy whose view reverts counts as 0, exactly as `withdraw` skips it.
    function maxWithdraw(address owner) public view override returns (uint256) {
        return FPM.min(convertToAssets(balanceOf(owner)), _available());
    }

    /// @notice Shares `owner` can redeem right now: never more than `redeem` accepts (0 if they are worth 0).
    /// @dev Rounds down; saturates instead of overflowing when a share is worth almost nothing.
    function maxRedeem(address owner) public view override returns (uint256 shares) {
        uint256 total = totalAssets();
        uint256 supplyPlus = totalSupply() + VIRTUAL_SHARES;
        shares = FPM.min(balanceOf(owner), _mulDivSat(_available(), supplyPlus, total + 1));
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (FPM.fullMulDiv(shares, total + 1, supplyPlus) == 0) return 0;
    }

    /// @notice Deposit `assets` (pulled from the caller) and mint shares to `receiver`.
    /// @dev Shares round down (vault's favour).
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        return _depositAssets(receiver, assets, true);
    }

    /// @notice Mint exactly `shares` to `receiver`, pulling the assets they cost from the caller.
    /// @dev Assets round up (vault's favour).
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        (uint256 book, uint256 total) = _openBook();
        assets = FPM.fullMulDivUp(shares, total + 1, totalSupply() + VIRTUAL_SHARES);
        _enter(book, receiver, assets, shares, true);
    }

    /// @notice Withdraw exactly `assets` to `receiver`, burning `owner`'s shares.
    /// @dev Shares burnt round up (vault's favour). Served from idle first, then from strategies in
    ///      withdraw order; reverts InsufficientLiquidity if that is not enough. Works after shutdown.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override
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
        override(ERC4626, ITierVault)
        nonReentrant
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        assets = previewRedeem(shares);
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
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
        IERC20(_asset).safeTransferFrom(msg.sender, address(this), total);
        _checkBacked(total, booked);
    }

    /// @inheritdoc ITierVault
    /// @dev The Pool's single payments: the payer's funds went straight from the payer to this vault, so there
    ///      is nothing to pull. Same price and rounding (down) as `deposit`; no ERC-4626 `Deposit` event.
    function credit(address receiver, uint256 assets)
        external
        onlyRole(DEPOSITOR_ROLE)
        notEntered
        returns (uint256 shares)
    {
        return _depositAssets(receiver, assets, false);
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
        return FPM.min(_lockedNow(), uint256(b.idle) + b.totalDebt);
    }

    /// @inheritdoc ITierVault
    function unrealisedLoss() external view returns (uint256) {
        return _unrealisedLoss();
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
        Lock storage l = _lock;
        return !(l.depositsPaused || l.shutdown);
    }

    /// @inheritdoc ITierVault
    function performanceFee() external view returns (uint16) {
        return _config.performanceFee;
    }

    /// @inheritdoc ITierVault
    function feeRecipient() external view returns (address) {
        return _config.feeRecipient;
    }

    // ------------------------------------------------------------------------------------------
    // Timelock
    // ------------------------------------------------------------------------------------------

    /// @notice Start the timelock of a call: `data` is the exact calldata of `addStrategy`, `setStrategyLimits`
    ///         (raising), `forceRemoveStrategy` (curator) or `setTimelock` (admin, lowering). It can run from
    ///         `now + timelock` on, once, until revoked.
    function submit(bytes calldata data) external {
        bytes4 sel = _selector(data);
        if (sel == this.setTimelock.selector) {
            _checkRole(DEFAULT_ADMIN_ROLE);
        } else if (
            sel == this.addStrategy.selector || sel == this.setStrategyLimits.selector
                || sel == this.forceRemoveStrategy.selector
        ) {
            _checkRole(CURATOR_ROLE);
        } else {
            revert NotTimelocked(sel);
        }
        bytes32 id = keccak256(data);
        if (executableAt[id] != 0) revert AlreadyPending(id);
        uint256 at = block.timestamp + _config.timelock;
        executableAt[id] = at;
        emit Submitted(sel, data, at);
    }

    /// @notice Cancel a pending timelocked call (curator or guardian).
    function revoke(bytes calldata data) external onlyCuratorOrGuardian {
        bytes32 id = keccak256(data);
        if (executableAt[id] == 0) revert NotSubmitted(id);
        delete executableAt[id];
        emit Revoked(msg.sender, _selector(data), data);
    }

    // ------------------------------------------------------------------------------------------
    // Curator
    // ------------------------------------------------------------------------------------------

    /// @notice Activate a strategy (timelocked). All checks run at execution, against the vault as it is then.
    function addStrategy(address strategy, uint8 risk, uint16 targetBps, uint256 cap)
        external
        onlyRole(CURATOR_ROLE)
        timelocked
    {
        if (strategy == address(0) || strategy == address(this) || strategy.code.length == 0) {
            revert InvalidStrategy(strategy);
        }
        (bool ok, uint256 word) = _view(strategy, IERC4626.asset.selector, 0);
        if (!ok) revert InvalidStrategy(strategy);
        if (word != uint256(uint160(_asset))) {
            // safe because the truncated word only names the mismatch in the error
            revert StrategyAssetMismatch(strategy, _asset, address(uint160(word)));
        }
        if (risk == 0 || risk > _riskCeiling) revert InvalidRisk(risk, _riskCeiling);
        if (_params[strategy].active) revert StrategyAlreadyActive(strategy);
        if (_strategies.length >= MAX_STRATEGIES) revert TooManyStrategies(MAX_STRATEGIES);
        uint256 newTotal = uint256(_totalTargetBps) + targetBps;
        if (newTotal > MAX_BPS) revert TargetBpsTooHigh(newTotal);
        _params[strategy] = StrategyParams({
            risk: risk,
            targetBps: targetBps,
            lastReport: uint40(block.timestamp), // safe because timestamps fit 40 bits for 34,000 years
            active: true,
            debt: 0,
            cap: cap
        });
        _strategies.push(strategy);
        _lock.strategyCount += 1; // < MAX_STRATEGIES before (checked above)
        _totalTargetBps = uint16(newTotal); // safe because ≤ MAX_BPS (checked above)
        emit StrategyAdded(strategy, risk, targetBps, cap);
    }

    /// @notice Change a strategy's target weight and cap. Lowering both applies at once; raising either is
    ///         timelocked (submit this exact call first).
    function setStrategyLimits(address strategy, uint16 targetBps, uint256 cap) external onlyRole(CURATOR_ROLE) {
        StrategyParams storage sp = _activeParams(strategy);
        if (targetBps > sp.targetBps || cap > sp.cap) _consumeTimelock();
        uint256 newTotal = uint256(_totalTargetBps) - sp.targetBps + targetBps;
        if (newTotal > MAX_BPS) revert TargetBpsTooHigh(newTotal);
        _totalTargetBps = uint16(newTotal); // safe because ≤ MAX_BPS (checked above)
        sp.targetBps = targetBps;
        sp.cap = cap;
        emit StrategyLimitsSet(strategy, targetBps, cap);
    }

    /// @notice Remove a strategy that owes the vault nothing.
    /// @dev Strategy shares still held (unreported profit dust after its debt was withdrawn) are redeemed
    ///      best-effort and booked as profit, so nothing is stranded.
    function removeStrategy(address strategy) external onlyRole(CURATOR_ROLE) nonReentrant {
        StrategyParams storage sp = _activeParams(strategy);
        if (sp.debt != 0) revert StrategyHasDebt(strategy, sp.debt);
        uint256 received = _redeemAll(strategy);
        if (received != 0) {
            _addIdle(received);
            _realizeProfit(received);
        }
        _detach(strategy);
        emit StrategyRemoved(strategy);
    }

    /// @notice Remove a strategy whatever it owes; its remaining debt is written off as a loss (first against
    ///         locked profit). Instant when the strategy's live value is 0 (e.g. after `emergencyWithdraw`);
    ///         timelocked while it still holds value, so that nobody can depress the price on purpose.
    /// @dev Makes no state-changing call to the strategy. Shares it issued stay in the vault's balance and may
    ///      be returned by `recover` once the strategy is removed.
    function forceRemoveStrategy(address strategy) external onlyRole(CURATOR_ROLE) nonReentrant {
        StrategyParams storage sp = _activeParams(strategy);
        (, uint256 value) = _valueOf(strategy);
        if (value != 0) _consumeTimelock();
        uint256 loss = sp.debt;
        if (loss != 0) {
            sp.debt = 0;
            _book.totalDebt -= uint128(loss); // safe because debt_i ≤ totalDebt (both uint128)
            _absorbLoss(loss);
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

    /// @notice Change the timelock. Raising applies at once; lowering is timelocked by the current timelock
    ///         (submit this exact call first), so depositors always get the notice they were promised.
    function setTimelock(uint256 newTimelock) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTimelock > MAX_TIMELOCK) revert TimelockTooLong(newTimelock, MAX_TIMELOCK);
        if (newTimelock < _config.timelock) _consumeTimelock();
        _config.timelock = uint32(newTimelock); // safe because ≤ MAX_TIMELOCK (checked above)
        emit TimelockSet(newTimelock);
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
        _config.profitUnlockTime = uint32(newProfitUnlockTime); // safe because ≤ MAX_PROFIT_UNLOCK_TIME
        emit ProfitUnlockTimeSet(newProfitUnlockTime);
    }

    /// @notice Return what the vault holds but did not book: the asset beyond `idle` (plain transfers), the
    ///         vault's own shares sent to its address, any other token except an active strategy's shares.
    /// @dev Booked assets are untouchable: `idle` stays covered and active strategies' shares back their debt.
    function recover(address token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        if (token == _asset) {
            uint256 free = FPM.zeroFloorSub(IERC20(token).balanceOf(address(this)), _book.idle);
            if (amount > free) revert RecoverExceedsUnbooked(amount, free);
        } else if (_params[token].active) {
            revert RecoverBookedToken(token);
        }
        if (token == address(this)) {
            uint256 held = balanceOf(address(this));
            if (amount > held) revert RecoverExceedsBalance(token, amount, held);
            _transfer(address(this), to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
        emit Recovered(token, to, amount);
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
        IERC20 token = IERC20(_asset);

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
            uint256 want = ok ? FPM.min(FPM.min(target - debt, _book.idle), room) : 0;
            if (want == 0) continue;
            _pushTo(token, s, want);
        }
        b = _book;
        emit Allocated(b.idle, b.totalDebt);
    }

    /// @notice Realise a strategy's profit or loss against its recorded debt.
    /// @dev value = strategy.convertToAssets(shares the vault holds), the same value live pricing reads. Profit:
    ///      an optional performance fee is minted as shares at the price before the profit, the rest is locked
    ///      and released linearly over profitUnlockTime. Loss: consumes locked profit first, then lowers debt;
    ///      the share price does not move (it already counted the loss).
    function report(address strategy)
        external
        onlyRole(ALLOCATOR_ROLE)
        nonReentrant
        returns (uint256 profit, uint256 loss)
    {
        StrategyParams storage sp = _activeParams(strategy);
        (bool ok, uint256 value) = _valueOf(strategy);
        if (!ok) revert StrategyCallFailed(strategy);
        uint256 debt = sp.debt;
        uint256 feeShares = 0;
        if (value > debt) {
            profit = value - debt;
            value = _toU128(value);
            sp.debt = uint128(value); // safe because _toU128 checked it
            _book.totalDebt = uint128(_toU128(uint256(_book.totalDebt) + profit)); // safe because _toU128 checked it
            feeShares = _realizeProfit(profit);
        } else if (value < debt) {
            loss = debt - value;
            sp.debt = uint128(value); // safe because value < debt ≤ 2**128 − 1
            _book.totalDebt -= uint128(loss); // safe because loss ≤ debt_i ≤ totalDebt
            _absorbLoss(loss);
        }
        sp.lastReport = uint40(block.timestamp); // safe because timestamps fit 40 bits for 34,000 years
        emit StrategyReported(strategy, profit, loss, feeShares, value, _lockedNow());
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
    function unpauseDeposits() external onlyGuardianOrAdmin {
        _lock.depositsPaused = false;
        emit DepositsPauseSet(false, msg.sender);
    }

    /// @notice Redeem everything the vault holds in `strategy` (as much as it lets go), realise the P/L
    ///         and set its target and cap to 0 so `allocate` does not lend to it again.
    /// @dev If the strategy releases only part, the received amount repays debt and the rest of the debt
    ///      stays recorded (and priced live) until a later report or forced removal.
    function emergencyWithdraw(address strategy) external onlyRole(GUARDIAN_ROLE) nonReentrant {
        StrategyParams storage sp = _activeParams(strategy);
        uint256 oldDebt = sp.debt;
        uint256 received = _redeemAll(strategy);
        bool emptied = _sharesHeld(strategy) == 0;
        uint256 profit = 0;
        uint256 loss = 0;
        uint256 repaid = FPM.min(received, oldDebt);
        if (received > oldDebt) profit = received - oldDebt;
        else if (emptied) loss = oldDebt - received;
        uint256 newDebt = emptied ? 0 : oldDebt - repaid;
        sp.debt = uint128(newDebt); // safe because newDebt ≤ oldDebt (a uint128)
        _book.totalDebt -= uint128(oldDebt - newDebt); // safe because ≤ oldDebt ≤ totalDebt
        _addIdle(received);
        if (profit != 0) _realizeProfit(profit);
        if (loss != 0) _absorbLoss(loss);

        _totalTargetBps -= sp.targetBps;
        sp.targetBps = 0;
        sp.cap = 0;
        emit DebtUpdated(strategy, oldDebt, newDebt);
        emit StrategyLimitsSet(strategy, 0, 0);
        emit EmergencyWithdrawn(strategy, received, profit, loss);
    }

    /// @notice Shut the vault down for good (guardian or admin): deposits stop, withdrawals keep working,
    ///         and `allocate` only brings funds home.
    function shutdown() external onlyGuardianOrAdmin {
        if (_lock.shutdown) revert VaultShutdown();
        _lock.shutdown = true;
        emit ShutdownActivated(msg.sender);
    }

    // ------------------------------------------------------------------------------------------
    // Internals: pricing
    // ------------------------------------------------------------------------------------------

    /// @dev idle + totalDebt (`held`) − max(locked, unrealised loss), saturating at 0.
    function _price(uint256 held, uint256 locked) private view returns (uint256) {
        return FPM.zeroFloorSub(held, FPM.max(locked, _unrealisedLoss()));
    }

    /// @dev Σ max(0, debt_i − value_i) over strategies with debt; value_i read live, 0 if its views fail.
    function _unrealisedLoss() private view returns (uint256 loss) {
        uint256 n = _lock.strategyCount; // warm on the deposit path (_openBook read the slot)
        uint256 first;
        assembly ("memory-safe") {
            mstore(0x00, _strategies.slot)
            first := keccak256(0x00, 0x20) // element i of our own `_strategies` at first + i
        }
        for (uint256 i; i < n; ++i) {
            address s;
            assembly ("memory-safe") {
                s := sload(add(first, i)) // i < strategyCount = _strategies.length: no bounds check (no length read)
            }
            // totalDebt = Σ debt_i (every debt update moves both), so a lone strategy's debt is the warm totalDebt
            uint256 debt = n < 2 ? _book.totalDebt : _params[s].debt; // n < 2 inside the loop: n == 1
            // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
            if (debt == 0) continue;
            (, uint256 value) = _valueOf(s);
            if (value < debt) loss += debt - value;
        }
    }

    /// @dev convertToAssets(balanceOf(vault)) of `s`; ok false (and value 0) if either view fails.
    function _valueOf(address s) private view returns (bool ok, uint256 value) {
        uint256 shares;
        (ok, shares) = _view(s, IERC20.balanceOf.selector, uint160(address(this)));
        if (ok) (ok, value) = _view(s, IERC4626.convertToAssets.selector, shares);
    }

    /// @dev Shares minted must keep totalSupply + 10**6 within 256 bits (every conversion adds the virtual shares).
    ///      Reachable only after near-total losses; refused as a deposit above maxDeposit.
    function _checkShareRoom(address receiver, uint256 assets, uint256 shares) private view {
        if (shares > type(uint256).max - VIRTUAL_SHARES - totalSupply()) {
            revert ERC4626ExceededMaxDeposit(receiver, assets, maxDeposit(receiver));
        }
    }

    /// @dev The largest deposit accepted now: the 2**128 book room, capped so that the shares it buys keep
    ///      totalSupply + 10**6 within 256 bits; 0 if it would buy no share.
    function _maxAssetsIn(uint256 held, uint256 total) private view returns (uint256 assets) {
        assets = held >= type(uint128).max ? 0 : type(uint128).max - held;
        uint256 supplyPlus = totalSupply() + VIRTUAL_SHARES;
        if (total + 1 <= supplyPlus) {
            // a share is worth ≤ 1 asset: cap the shares bought by the supply's room
            assets = FPM.min(assets, FPM.fullMulDiv(type(uint256).max - supplyPlus, total + 1, supplyPlus));
        }
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (FPM.fullMulDiv(assets, supplyPlus, total + 1) == 0) return 0;
    }

    /// @dev floor(a × b / c), or type(uint256).max when the result does not fit 256 bits. c > 0.
    function _mulDivSat(uint256 a, uint256 b, uint256 c) private pure returns (uint256) {
        if (b > c && a > FPM.fullMulDiv(type(uint256).max, c, b)) return type(uint256).max;
        return FPM.fullMulDiv(a, b, c);
    }

    /// @dev The deposit-side read: both hot slots once, as raw words. Reverts if deposits are closed; returns
    ///      the raw `Book` word and the live totalAssets. Bit positions follow Solidity's packing (first member
    ///      lowest) — `Book`: idle [0,128), totalDebt [128,256); `Lock`: locked [0,128), updatedAt [128,168),
    ///      fullUnlockAt [168,208), depositsPaused [208,216), shutdown [216,224).
    function _openBook() private view returns (uint256 book, uint256 total) {
        uint256 lock;
        assembly ("memory-safe") {
            book := sload(_book.slot)
            lock := sload(_lock.slot)
        }
        if ((lock >> 216) & 0xff != 0) revert VaultShutdown();
        if ((lock >> 208) & 0xff != 0) revert DepositsPaused();
        uint256 locked = block.timestamp < (lock >> 168) & 0xffffffffff ? _lockedNow() : 0;
        // safe because: the low 128 bits of `book` are idle, the high 128 bits totalDebt (Book's packing)
        total = _price(uint128(book) + (book >> 128), locked);
    }

    // ------------------------------------------------------------------------------------------
    // Internals: deposits and withdrawals
    // ------------------------------------------------------------------------------------------

    /// @dev Book `assets` more idle, refusing what would pass the 2**128 bound, and return the new idle. idle is
    ///      the low half of the word and idle + totalDebt stays below 2**128, so the addition never carries.
    function _bookIdle(uint256 book, address receiver, uint256 assets) private returns (uint256) {
        // safe because: the low 128 bits of `book` are idle, the high 128 bits totalDebt (Book's packing)
        uint256 held = uint128(book) + (book >> 128);
        if (assets > type(uint128).max - held) revert ERC4626ExceededMaxDeposit(receiver, assets, maxDeposit(receiver));
        assembly ("memory-safe") {
            sstore(_book.slot, add(book, assets))
        }
        return uint128(book) + assets; // safe because: the low 128 bits of `book` are idle
    }

    /// @dev Book `assets` into idle and mint (effects), then pull them from the caller when `pull` (interaction),
    ///      then check the vault's balance covers the new idle. The reentrancy guard covers the token call.
    ///      `Deposit` is emitted for `deposit` / `mint` (pull) only: `credit` is not an ERC-4626 deposit.
    function _enter(uint256 book, address receiver, uint256 assets, uint256 shares, bool pull) private {
        if (receiver == address(0)) revert ZeroAddress();
        uint256 booked = _bookIdle(book, receiver, assets);
        _checkShareRoom(receiver, assets, shares);
        _mint(receiver, shares);
        if (pull) IERC20(_asset).safeTransferFrom(msg.sender, address(this), assets);
        _checkBacked(assets, booked);
        if (pull) emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @dev deposit (pull = true) and credit (pull = false: the caller transferred the assets beforehand).
    ///      Shares round down, in the vault's favour (= previewDeposit).
    function _depositAssets(address receiver, uint256 assets, bool pull) private returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        (uint256 book, uint256 total) = _openBook();
        shares = FastMulDiv.mulDivDown(assets, totalSupply() + VIRTUAL_SHARES, total + 1);
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
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
        (total, totalShares) = _mintBatch(receivers, assets, sharesOut, totalSupply() + VIRTUAL_SHARES, before + 1);
        booked = _bookIdle(book, msg.sender, total);
        _checkShareRoom(msg.sender, total, totalShares);
        _addSupply(totalShares);
        emit DepositMany(msg.sender, n, total, totalShares);
    }

    /// @dev The batch loop (lean mint): per receiver one balance write and its Transfer log, no totalSupply
    ///      write (`_addSupply` once after the loop); fills `sharesOut` when it has room (depositMany's return).
    ///      Balance slots follow Solady ERC20's documented seed (see _BALANCE_SLOT_SEED).
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
                // bytes [0x20, 0x2c) of scratch keep the seed's tail: owner ‖ 8 zero bytes ‖ seed, as Solady hashes
                mstore(0x0c, _BALANCE_SLOT_SEED)
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
                    r := keccak256(0x0c, 0x20) // the receiver's balance slot
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
            uint256 s = FPM.fullMulDiv(a, supplyPlus, assetsPlus);
            // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
            if (s == 0) revert ZeroSharesAt(i, a);
            total += a; // checked; the caller then bounds the total by maxDeposit
            totalShares += s;
            assembly ("memory-safe") {
                if mload(sharesOut) { mstore(add(add(sharesOut, 0x20), shl(5, i)), s) }
                mstore(0x00, s)
                log3(0x00, 0x20, _TRANSFER_TOPIC, 0, r)
                mstore(0x0c, _BALANCE_SLOT_SEED)
                mstore(0x00, r)
                let slot := keccak256(0x0c, 0x20)
                sstore(slot, add(sload(slot), s)) // ≤ totalSupply, whose update is checked
            }
            ++i;
        }
    }

    /// @dev Lean mint, part 2: totalSupply += the batch's shares, checked (Solady's TotalSupplyOverflow
    ///      condition) at Solady ERC20's documented totalSupply slot.
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
        (, uint256 balance) = _view(_asset, IERC20.balanceOf.selector, uint160(address(this)));
        if (balance < booked) {
            revert TransferShortfall(expected, expected + balance > booked ? expected + balance - booked : 0);
        }
    }

    /// @dev Free liquidity first (price-neutral: idle + debt − unrealised loss unchanged), then burn and pay.
    ///      Shares are burnt after the strategy calls but under the reentrancy lock, and the burn checks the
    ///      balance.
    function _exit(address receiver, address owner, uint256 assets, uint256 shares) private {
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        uint256 idle_ = _book.idle;
        if (idle_ < assets) {
            _freeFunds(assets - idle_);
            idle_ = _book.idle;
            if (idle_ < assets) revert InsufficientLiquidity(assets, idle_);
        }
        _book.idle = uint128(idle_ - assets); // safe because < idle_ (a uint128)
        _burn(owner, shares);
        IERC20(_asset).safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    /// @dev Withdraw up to `need` from strategies in withdraw order. Each is asked for at most
    ///      min(need, debt, its maxWithdraw); a strategy whose calls revert is skipped. Never takes more
    ///      than the debt, so unreported profit is not realised here (it will be locked by `report`).
    function _freeFunds(uint256 need) private {
        IERC20 token = IERC20(_asset);
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
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (want == 0) return 0;
        (bool ok, uint256 m) = _view(s, IERC4626.maxWithdraw.selector, uint160(address(this)));
        if (!ok) return 0;
        if (m < want) want = m;
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (want == 0) return 0;
        uint256 before = token.balanceOf(address(this));
        _exec(s, IERC4626.withdraw.selector, want, 0x64);
        received = token.balanceOf(address(this)) - before;
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (received == 0) return 0;
        uint256 repaid = FPM.min(received, debt);
        sp.debt = uint128(debt - repaid); // safe because ≤ debt (a uint128)
        _book.totalDebt -= uint128(repaid); // safe because repaid ≤ debt_i ≤ totalDebt
        _addIdle(received);
        emit DebtUpdated(s, debt, debt - repaid);
    }

    /// @dev Lend `want` idle assets to `s`; the debt grows by what actually left the vault.
    function _pushTo(IERC20 token, address s, uint256 want) private {
        uint256 before = token.balanceOf(address(this));
        token.forceApprove(s, want);
        _exec(s, IERC4626.deposit.selector, want, 0x44);
        token.forceApprove(s, 0);
        uint256 sent = before - token.balanceOf(address(this));
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (sent == 0) return;
        StrategyParams storage sp = _params[s];
        uint256 debt = sp.debt;
        sp.debt = uint128(_toU128(debt + sent)); // safe because _toU128 checked it
        Book storage b = _book;
        // safe because sent ≤ want ≤ idle, and idle + totalDebt is unchanged (< 2**128)
        b.idle -= uint128(sent);
        b.totalDebt += uint128(sent);
        emit DebtUpdated(s, debt, debt + sent);
    }

    function _target(StrategyParams storage sp, uint256 managed) private view returns (uint256) {
        return FPM.min(sp.cap, FPM.fullMulDiv(managed, sp.targetBps, MAX_BPS));
    }

    /// @dev Redeem as many of the vault's strategy shares as the strategy lets go and return the assets
    ///      received (balance difference). Calls are low-level: a broken strategy yields 0.
    function _redeemAll(address s) private returns (uint256 received) {
        uint256 shares = _sharesHeld(s);
        (bool ok, uint256 m) = _view(s, IERC4626.maxRedeem.selector, uint160(address(this)));
        if (!ok) return 0;
        if (m < shares) shares = m;
        if (shares == 0) return 0;
        IERC20 token = IERC20(_asset);
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

    /// @dev idle += amount, checked against the uint128 bound.
    function _addIdle(uint256 amount) private {
        _book.idle = uint128(_toU128(uint256(_book.idle) + amount)); // safe because _toU128 checked it
    }

    function _toU128(uint256 x) private pure returns (uint256) {
        if (x > type(uint128).max) revert BookOverflow(x);
        return x;
    }

    // ------------------------------------------------------------------------------------------
    // Internals: profit lock and losses
    // ------------------------------------------------------------------------------------------

    /// @dev Locked profit at `now`, rounded UP so totalAssets is never overstated.
    function _lockedNow() private view returns (uint256) {
        Lock storage l = _lock;
        uint256 end = l.fullUnlockAt;
        if (block.timestamp >= end) return 0;
        return FPM.fullMulDivUp(l.locked, end - block.timestamp, end - l.updatedAt);
    }

    /// @dev Book a profit that is already part of idle / totalDebt: mint the fee and lock the rest.
    ///      Fee shares are priced at totalAssets *before* the profit (live: totalAssets() − profit, never 0
    ///      while holders own something), so existing holders' price never falls (fee rounds down in assets and
    ///      in shares). The new lock ends at the profit-weighted average of the old remaining time and a full
    ///      profitUnlockTime.
    function _realizeProfit(uint256 profit) private returns (uint256 feeShares) {
        Config memory c = _config;
        uint256 feeAssets = FPM.fullMulDiv(profit, c.performanceFee, MAX_BPS);
        if (feeAssets != 0) {
            uint256 before = FPM.zeroFloorSub(totalAssets(), profit);
            feeShares = FPM.fullMulDiv(feeAssets, totalSupply() + VIRTUAL_SHARES, before + 1);
        }
        uint256 toLock = profit - feeAssets;
        if (c.profitUnlockTime != 0 && toLock != 0) {
            Lock storage l = _lock;
            uint256 lockedNow = _lockedNow();
            uint256 loss = _unrealisedLoss();
            uint256 duration;
            if (loss > lockedNow) {
                // The price subtracts max(locked, unrealised loss). Beside a larger unrealised loss elsewhere a
                // profit locked on top of the locked profit alone would show at once (a sandwichable report):
                // lock it on top of the loss instead, for as long as it takes the lock to fall back to the loss
                // in profitUnlockTime, so the price does not move now and the profit is released as usual.
                lockedNow = loss;
                duration = FPM.min(FPM.fullMulDiv(c.profitUnlockTime, loss + toLock, toLock), MAX_PROFIT_UNLOCK_TIME);
            } else {
                uint256 remaining = FPM.zeroFloorSub(l.fullUnlockAt, block.timestamp);
                duration = (lockedNow * remaining + toLock * c.profitUnlockTime) / (lockedNow + toLock);
            }
            uint256 newLocked = lockedNow + toLock;
            l.locked = uint128(_toU128(newLocked)); // safe because _toU128 checked it
            l.updatedAt = uint40(block.timestamp); // safe because timestamps fit 40 bits for 34,000 years
            // safe because duration ≤ MAX_PROFIT_UNLOCK_TIME (capped, or a weighted average of two such durations)
            l.fullUnlockAt = uint40(block.timestamp + duration);
        }
        if (feeShares != 0) _mint(c.feeRecipient, feeShares);
    }

    /// @dev A realised loss first consumes the profit still locked: locked' = L(now) − min(L(now), loss), same
    ///      schedule end. With debt −= loss done by the caller, the price is unchanged (see the header).
    function _absorbLoss(uint256 loss) private {
        Lock storage l = _lock;
        uint256 lockedNow = _lockedNow();
        l.locked = uint128(lockedNow - FPM.min(lockedNow, loss)); // safe because ≤ lockedNow ≤ old locked
        l.updatedAt = uint40(block.timestamp); // safe because timestamps fit 40 bits for 34,000 years
    }

    // ------------------------------------------------------------------------------------------
    // Internals: roles, timelock, strategies
    // ------------------------------------------------------------------------------------------

    function _checkEitherRole(bytes32 a, bytes32 b) private view {
        if (!hasRole(a, msg.sender) && !hasRole(b, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, a);
        }
    }

    /// @dev Check and clear the submission of this exact call (msg.data).
    function _consumeTimelock() private {
        bytes32 id = keccak256(msg.data);
        uint256 at = executableAt[id];
        // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
        if (at == 0) revert NotSubmitted(id);
        if (block.timestamp < at) revert TimelockNotElapsed(at);
        delete executableAt[id];
        emit Executed(msg.sig, id);
    }

    function _selector(bytes calldata data) private pure returns (bytes4) {
        if (data.length < 4) revert NotTimelocked(bytes4(0));
        return bytes4(data[:4]);
    }

    function _activeParams(address strategy) private view returns (StrategyParams storage sp) {
        sp = _params[strategy];
        if (!sp.active) revert StrategyNotActive(strategy);
    }

    /// @dev Remove from the queue (order kept) and free its target weight.
    function _detach(address strategy) private {
        _totalTargetBps -= _params[strategy].targetBps;
        delete _params[strategy];
        uint256 n = _strategies.length;
        for (uint256 i; i < n; ++i) {
            if (_strategies[i] == strategy) {
                for (uint256 j = i; j + 1 < n; ++j) {
                    _strategies[j] = _strategies[j + 1];
                }
                _strategies.pop();
                _lock.strategyCount -= 1;
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
            // slither-disable-next-line incorrect-equality (a zero guard, not a balance-equality test)
            if (debt == 0) continue;
            (, uint256 m) = _view(s, IERC4626.maxWithdraw.selector, uint160(address(this)));
            available += FPM.min(debt, m);
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
