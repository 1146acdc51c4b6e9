// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IDepositRouter} from "./interfaces/IDepositRouter.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IUniswapV3FactoryLike, IUniswapV3PoolLike, ISwapRouterLike} from "./interfaces/external/IUniswapV3Like.sol";

/// @dev The one Pool getter the router needs beyond IPool (a public immutable of the Pool).
interface IPoolBatchLimit {
    function MAX_BATCH() external view returns (uint256);
}

/// @title DepositRouter — deposit addresses and "any token in" for one Pool
/// @notice Gives every (earner, source) pair a deterministic deposit address that platforms pay by plain
///         transfers, and credits whatever arrives there to the earner through the Pool's own entry points:
///         the asset directly, native ETH wrapped when the asset is WETH, and tokens on an admin-maintained
///         list converted into the asset on Uniswap V3 at no less than a TWAP quote minus a maximum slippage.
/// @dev Money flow of a sweep: deposit address (a 71-byte forwarder, deployed by the first sweep) ->
///      this router (measured) -> [Uniswap V3 swap, measured] -> `pool.pay` / `pool.payManyPacked`, which pull
///      from this router (it approves the pool once, at deployment) and emit `Paid` / `PaidMany` with
///      payer = this router and the deposit address's source tag. The router holds nothing between
///      transactions. Roles: one admin (two-step `owner`) who may only add routes (after `LISTING_DELAY`) and
///      remove them (at once); nobody — admin included — can move a deposit address's balance anywhere but into
///      its earner's credit, or back to the earner at the earner's own request for a token that is not
///      convertible (the escape hatch).
///
///      The forwarder at a deposit address is 71 bytes of hand-written EVM code (no Solidity, no proxy, no
///      storage), CREATE2-deployed by this router with salt keccak256(abi.encode(earner, source)):
///
///          73 <router> 33 14 6024 57      if (caller == ROUTER) goto forward
///          36 15 6022 57                  if (calldatasize == 0) goto accept      (plain ETH, any gas)
///          5f 5f fd                       revert(0, 0)                           (anything else)
///          5b 00                          accept: stop
///          5b 6040 36 03 80 6040 5f 37    forward: n = calldatasize - 64; calldatacopy(0, 64, n)
///          5f 5f 82 5f 6020 35 5f 35 5a f1   ok = call(gas, calldata[0:32], calldata[32:64], 0, n, 0, 0)
///          3d 5f 5f 3e 6043 57 3d 5f fd   returndatacopy(0, 0, rds); if (!ok) revert(0, rds)
///          5b 3d 5f f3                    return(0, rds)
///
///      i.e. it performs the one call its router encodes (target ‖ value ‖ payload) and nothing else; this
///      router only ever encodes: `asset.transfer(router, balance)`, `weth.deposit{value: eth}()`,
///      `token.transfer(router, balance)` of a listed token, and — for the earner only, and only for what is
///      not convertible — `token.transfer(earner, balance)` / a plain ETH send to the earner. Plain ETH sent
///      to a deposit address is accepted before and after deployment, even with a 2,300-gas stipend; calls
///      with data from anyone else revert (so ERC-721 / ERC-1363 "safe" transfers to it are refused).
///      Why not an ERC-1167 clone of a Solidity forwarder: the DELEGATECALL (2,600 gas cold) and the ABI
///      layers cost ~3,400 gas per sweep, which the gas targets do not leave.
contract DepositRouter is IDepositRouter, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Basis points of a whole.
    uint256 public constant BPS = 10_000;
    /// @notice Longest TWAP window a router accepts (Uniswap V3 pools hold at most 65,535 observations).
    uint32 public constant MAX_TWAP_WINDOW = 7 days;
    /// @notice Largest maximum slippage a router accepts.
    uint256 public constant MAX_SLIPPAGE_CEILING_BPS = 2_000;

    // Forwarder init code around the router address: a 9-byte constructor that returns the 71-byte runtime
    // (PUSH20 router ‖ the 50-byte tail documented above).
    bytes10 private constant _INIT_HEAD = 0x60478060095f395ff373; // codecopy(0, 9, 71); return(0, 71); PUSH20
    bytes private constant _RUNTIME_TAIL =
        hex"33146024573615602257" hex"5f5ffd5b005b60403603806040" hex"5f375f5f825f6020355f355af13d5f5f3e6043573d5ffd5b3d5ff3";
    uint256 private constant _TRANSFER_SELECTOR = 0xa9059cbb; // IERC20.transfer(address,uint256)
    uint256 private constant _BALANCE_OF_SELECTOR = 0x70a08231; // IERC20.balanceOf(address)
    uint256 private constant _DEPOSIT_SELECTOR = 0xd0e30db0; // WETH.deposit()

    // 1 in Q128 fixed point, and 1 / 1.0001 (one Uniswap tick down) in Q128, rounded down.
    uint256 private constant _Q128 = 1 << 128;
    uint256 private constant _TICK_DOWN_Q128 = (uint256(1) << 128) * 10_000 / 10_001;

    /// @notice Seconds of the time-weighted average price every conversion is bounded by.
    // slither-disable-next-line naming-convention
    uint32 public immutable TWAP_WINDOW;
    /// @notice Most a conversion may fall below the TWAP quote, in basis points.
    // slither-disable-next-line naming-convention
    uint256 public immutable MAX_SLIPPAGE_BPS;
    /// @notice Seconds between proposing a route and listing it.
    // slither-disable-next-line naming-convention
    uint256 public immutable LISTING_DELAY;
    /// @notice Most deposit addresses one `sweepMany` may name (the Pool's MAX_BATCH).
    // slither-disable-next-line naming-convention
    uint256 public immutable MAX_BATCH;
    /// @notice Uniswap V3 SwapRouter used for conversions (address(0): conversions disabled).
    // slither-disable-next-line naming-convention
    ISwapRouterLike public immutable SWAP_ROUTER;
    /// @notice Uniswap V3 factory of SWAP_ROUTER (address(0) when conversions are disabled).
    // slither-disable-next-line naming-convention
    IUniswapV3FactoryLike public immutable UNISWAP_FACTORY;

    IPool private immutable _pool;
    IERC20 private immutable _asset;
    bool private immutable _wethAsset;
    bytes32 private immutable _initCodeHash;
    // The pool's tiers (unused ones are address(0)): earners that must not get deposit addresses.
    address private immutable _tier0;
    address private immutable _tier1;
    address private immutable _tier2;
    address private immutable _tier3;
    address private immutable _tier4;
    address private immutable _tier5;
    address private immutable _tier6;
    address private immutable _tier7;

    struct Route {
        address uniswapPool;
        uint24 fee;
        bool tokenIsToken0;
    }

    struct PendingRoute {
        uint24 fee;
        uint64 eta;
    }

    mapping(address token => Route) private _routes;
    mapping(address token => PendingRoute) private _pending;

    /// @param pool_ The Pool every sweep credits through (its asset, tiers, WETH and MAX_BATCH are read here).
    /// @param swapRouter_ Uniswap V3 SwapRouter, or address(0) to disable conversions.
    /// @param twapWindow_ TWAP window in seconds (1 … MAX_TWAP_WINDOW; ignored without a swap router).
    /// @param maxSlippageBps_ Most a conversion may fall below the TWAP quote (≤ MAX_SLIPPAGE_CEILING_BPS).
    /// @param listingDelay_ Timelock of a new route, in seconds (> 0).
    /// @param admin_ The admin (owner).
    constructor(
        IPool pool_,
        ISwapRouterLike swapRouter_,
        uint32 twapWindow_,
        uint256 maxSlippageBps_,
        uint256 listingDelay_,
        address admin_
    ) Ownable(admin_) {
        if (address(swapRouter_) != address(0) && (twapWindow_ == 0 || twapWindow_ > MAX_TWAP_WINDOW)) {
            revert BadConfig("twapWindow");
        }
        if (maxSlippageBps_ > MAX_SLIPPAGE_CEILING_BPS) revert BadConfig("maxSlippageBps");
        if (listingDelay_ == 0) revert BadConfig("listingDelay");
        IERC20 asset_ = pool_.asset();
        _pool = pool_;
        _asset = asset_;
        _wethAsset = pool_.weth() == address(asset_);
        MAX_BATCH = IPoolBatchLimit(address(pool_)).MAX_BATCH();
        SWAP_ROUTER = swapRouter_;
        UNISWAP_FACTORY =
            IUniswapV3FactoryLike(address(swapRouter_) == address(0) ? address(0) : swapRouter_.factory());
        TWAP_WINDOW = twapWindow_;
        MAX_SLIPPAGE_BPS = maxSlippageBps_;
        LISTING_DELAY = listingDelay_;
        _initCodeHash = keccak256(_initCode());
        uint256 n = pool_.tierCount();
        _tier0 = address(pool_.tier(0));
        _tier1 = address(pool_.tier(1));
        _tier2 = n > 2 ? address(pool_.tier(2)) : address(0);
        _tier3 = n > 3 ? address(pool_.tier(3)) : address(0);
        _tier4 = n > 4 ? address(pool_.tier(4)) : address(0);
        _tier5 = n > 5 ? address(pool_.tier(5)) : address(0);
        _tier6 = n > 6 ? address(pool_.tier(6)) : address(0);
        _tier7 = n > 7 ? address(pool_.tier(7)) : address(0);
        // The pool pulls every credit from this router (`pay` / `payManyPacked` transfer from msg.sender).
        asset_.forceApprove(address(pool_), type(uint256).max);
    }

    // ================================================================ views

    /// @inheritdoc IDepositRouter
    function pool() external view returns (IPool) {
        return _pool;
    }

    /// @inheritdoc IDepositRouter
    function asset() external view returns (IERC20) {
        return _asset;
    }

    /// @inheritdoc IDepositRouter
    function forwarderInitCodeHash() external view returns (bytes32) {
        return _initCodeHash;
    }

    /// @inheritdoc IDepositRouter
    function forwarderInitCode() external view returns (bytes memory) {
        return _initCode();
    }

    /// @inheritdoc IDepositRouter
    /// @dev Reverts `UnsupportedEarner` for the zero address, the pool, a tier vault and this router.
    function depositAddress(address earner, bytes32 source) external view returns (address addr) {
        _checkEarner(earner);
        (addr,) = _addressOf(earner, source);
    }

    /// @inheritdoc IDepositRouter
    function minAmountOut(address token, uint256 amountIn) external view returns (uint256) {
        Route memory r = _routes[token];
        if (r.uniswapPool == address(0)) revert NotListed(token);
        return _minOut(r, amountIn);
    }

    /// @inheritdoc IDepositRouter
    function route(address token) external view returns (address uniswapPool, uint24 fee) {
        Route memory r = _routes[token];
        return (r.uniswapPool, r.fee);
    }

    /// @inheritdoc IDepositRouter
    function pendingRoute(address token) external view returns (uint24 fee, uint256 eta) {
        PendingRoute memory p = _pending[token];
        return (p.fee, p.eta);
    }

    // ================================================================ sweeping

    /// @inheritdoc IDepositRouter
    /// @dev Reverts `NothingToSweep` when the address holds none of the asset (nor ETH, for a WETH pool).
    function sweep(address earner, bytes32 source) external nonReentrant returns (uint256 credited) {
        return _sweepAsset(earner, source);
    }

    /// @inheritdoc IDepositRouter
    /// @dev One `payManyPacked` (one `PaidMany` event) for the whole batch. Empty addresses cost one balance
    ///      read and are neither deployed nor credited; a batch where all are empty reverts
    ///      `NothingToSweepInBatch`. What reaches the router is measured once for the batch and must equal
    ///      what the addresses held (a fee-on-transfer asset reverts `TransferShortfall`).
    // slither-disable-next-line reentrancy-balance (nonReentrant; the balance read around the call IS the measurement)
    function sweepMany(bytes32 source, address[] calldata earners) external nonReentrant returns (uint256 credited) {
        uint256 n = earners.length;
        if (n == 0) revert EmptyBatch();
        if (n > MAX_BATCH) revert BatchTooLarge(n, MAX_BATCH);
        address asset_ = address(_asset);
        bytes memory packed = new bytes(n << 5);
        uint256 count;
        uint256 before = _balanceOf(asset_, address(this));
        for (uint256 i; i < n; ++i) {
            address earner;
            assembly ("memory-safe") {
                // earners[i] without the bounds check (i < n) and masked to 20 bytes (the ABI's clean address)
                earner := and(calldataload(add(earners.offset, shl(5, i))), 0xffffffffffffffffffffffffffffffffffffffff)
            }
            uint256 amount = _pullAsset(earner, source, asset_);
            // slither-disable-next-line incorrect-equality (an empty address is skipped in a batch)
            if (amount == 0) continue;
            assembly ("memory-safe") {
                // entry `count`: 20-byte earner ‖ 12-byte amount (the Pool's packed batch format)
                mstore(add(add(packed, 0x20), shl(5, count)), or(shl(96, earner), amount))
            }
            unchecked {
                ++count; // ≤ MAX_BATCH
                credited += amount; // ≤ MAX_BATCH × 2^96: no overflow
            }
        }
        if (count == 0) revert NothingToSweepInBatch();
        uint256 received = _balanceOf(asset_, address(this)) - before;
        if (received != credited) revert TransferShortfall(credited, received);
        assembly ("memory-safe") {
            mstore(packed, shl(5, count)) // shrink to the filled entries (memory stays allocated)
        }
        _pool.payManyPacked(source, packed);
        _checkAllCredited(asset_, before);
    }

    /// @inheritdoc IDepositRouter
    /// @dev The swap goes through Uniswap V3's SwapRouter with no minimum of its own: the router measures what
    ///      arrives and reverts `PriceBelowOracle` below `minAmountOut` (TWAP over TWAP_WINDOW, so a price moved
    ///      inside this block does not move the bound).
    // slither-disable-next-line reentrancy-balance (nonReentrant; the balance read around the call IS the measurement)
    function sweepToken(address earner, bytes32 source, address token)
        external
        nonReentrant
        returns (uint256 credited)
    {
        if (token == address(_asset)) return _sweepAsset(earner, source);
        _checkEarner(earner);
        Route memory r = _routes[token];
        if (r.uniswapPool == address(0)) revert NotListed(token);
        (address addr, bytes32 salt) = _addressOf(earner, source);
        uint256 held = _balanceOf(token, addr);
        // slither-disable-next-line incorrect-equality (nothing to sweep; a donation only makes it non-zero)
        if (held == 0) revert NothingToSweep(addr);
        _deploy(addr, salt, earner, source);
        uint256 before = _balanceOf(token, address(this));
        _forwardTransfer(addr, token, address(this), held);
        uint256 amountIn = _balanceOf(token, address(this)) - before;
        // slither-disable-next-line incorrect-equality (a token that delivered nothing)
        if (amountIn == 0) revert NothingToSweep(addr);
        uint256 minOut = _minOut(r, amountIn);
        uint256 assetBefore = _balanceOf(address(_asset), address(this));
        credited = _convert(token, r.fee, amountIn);
        // slither-disable-next-line incorrect-equality (a conversion that returned nothing is refused)
        if (credited == 0 || credited < minOut) revert PriceBelowOracle(credited, minOut);
        emit Converted(earner, source, token, amountIn, credited, minOut);
        _pool.pay(earner, credited, source);
        _checkAllCredited(address(_asset), assetBefore);
    }

    // ================================================================ escape hatch

    /// @inheritdoc IDepositRouter
    function reclaim(address earner, bytes32 source, address token) external nonReentrant returns (uint256 amount) {
        if (msg.sender != earner) revert NotEarner(msg.sender, earner);
        (address addr, bytes32 salt) = _addressOf(earner, source);
        if (token == address(0)) {
            if (_wethAsset) revert Convertible(token);
            amount = addr.balance;
        } else {
            if (token == address(_asset) || _routes[token].uniswapPool != address(0)) revert Convertible(token);
            amount = _balanceOf(token, addr);
        }
        // slither-disable-next-line incorrect-equality (nothing to reclaim; a donation only makes it non-zero)
        if (amount == 0) revert NothingToSweep(addr);
        _deploy(addr, salt, earner, source);
        emit Reclaimed(earner, source, token, amount);
        if (token == address(0)) _forwardCall(addr, earner, amount, 0);
        else _forwardTransfer(addr, token, earner, amount);
    }

    // ================================================================ admin

    /// @inheritdoc IDepositRouter
    /// @dev Replaces an earlier pending proposal for `token` (its timelock starts again).
    function proposeRoute(address token, uint24 fee) external onlyOwner {
        if (token == address(0) || token == address(_asset)) revert InvalidToken(token);
        address uniswapPool = _uniswapPool(token, fee);
        uint256 eta = block.timestamp + LISTING_DELAY;
        _pending[token] = PendingRoute({fee: fee, eta: uint64(eta)});
        emit RouteProposed(token, fee, uniswapPool, eta);
    }

    /// @inheritdoc IDepositRouter
    /// @dev Also reads the TWAP once: a pool whose observations do not cover TWAP_WINDOW cannot be listed.
    function listRoute(address token) external onlyOwner {
        PendingRoute memory p = _pending[token];
        if (p.eta == 0) revert NoPendingRoute(token);
        // slither-disable-next-line timestamp (a timelock: minutes of miner drift are irrelevant)
        if (block.timestamp < p.eta) revert RouteTimelocked(token, p.eta);
        address uniswapPool = _uniswapPool(token, p.fee);
        Route memory r = Route({
            uniswapPool: uniswapPool,
            fee: p.fee,
            tokenIsToken0: IUniswapV3PoolLike(uniswapPool).token0() == token
        });
        _twapTick(uniswapPool); // reverts ("OLD") when the pool's history is shorter than the window
        delete _pending[token];
        _routes[token] = r;
        emit RouteListed(token, p.fee, uniswapPool);
    }

    /// @inheritdoc IDepositRouter
    function removeRoute(address token) external onlyOwner {
        if (_routes[token].uniswapPool == address(0) && _pending[token].eta == 0) revert NotListed(token);
        delete _routes[token];
        delete _pending[token];
        emit RouteRemoved(token);
    }

    // ================================================================ internals

    /// @dev Batch entry: move the asset (and wrapped ETH) of (earner, source) to this router, deploying the
    ///      forwarder if needed; returns the amount sent (0: the address is empty and was left untouched).
    ///      The hot loop of `sweepMany`: address derivation and the balance read are inlined (same code as
    ///      `_addressOf` and `_balanceOf`), which saves ~1,000 gas of internal calls per address.
    function _pullAsset(address earner, bytes32 source, address asset_) private returns (uint256 amount) {
        _checkEarner(earner);
        bytes32 codeHash = _initCodeHash;
        bool wethAsset = _wethAsset;
        address addr;
        bytes32 salt;
        uint256 eth;
        assembly ("memory-safe") {
            mstore(0x00, earner)
            mstore(0x20, source)
            salt := keccak256(0x00, 0x40)
            let p := mload(0x40)
            mstore(p, address())
            mstore8(add(p, 0x0b), 0xff)
            mstore(add(p, 0x20), salt)
            mstore(add(p, 0x40), codeHash)
            addr := and(keccak256(add(p, 0x0b), 0x55), 0xffffffffffffffffffffffffffffffffffffffff)
            if wethAsset { eth := balance(addr) }
            mstore(0x00, shl(224, _BALANCE_OF_SELECTOR))
            mstore(0x04, addr)
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), asset_, 0x00, 0x24, 0x00, 0x20))) {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
            amount := mload(0x00)
        }
        amount += eth;
        unchecked {
            // one branch on the hot path: 0 (skip) and > uint96 (the Pool's packed format) are both rare
            if (amount - 1 >= type(uint96).max) {
                // slither-disable-next-line incorrect-equality (an empty address is skipped in a batch)
                if (amount == 0) return 0;
                revert AmountTooLarge(addr, amount);
            }
        }
        if (addr.code.length == 0) _deployAt(addr, salt, earner, source);
        if (eth != 0) _forwardCall(addr, asset_, eth, _DEPOSIT_SELECTOR);
        bool ok;
        assembly ("memory-safe") {
            // `_forwardTransfer(addr, asset_, address(this), amount)`, inlined
            let p := mload(0x40)
            mstore(p, asset_)
            mstore(add(p, 0x20), 0)
            mstore(add(p, 0x40), shl(224, _TRANSFER_SELECTOR))
            mstore(add(p, 0x44), address())
            mstore(add(p, 0x64), amount)
            if iszero(call(gas(), addr, 0, p, 0x84, 0x00, 0x20)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
            switch returndatasize()
            case 0 { ok := gt(extcodesize(asset_), 0) }
            default { ok := and(gt(returndatasize(), 0x1f), eq(mload(0x00), 1)) }
        }
        if (!ok) revert SafeERC20.SafeERC20FailedOperation(asset_);
    }

    // slither-disable-next-line reentrancy-balance (nonReentrant; the balance read around the call IS the measurement)
    function _sweepAsset(address earner, bytes32 source) private returns (uint256 credited) {
        _checkEarner(earner);
        (address addr, bytes32 salt) = _addressOf(earner, source);
        address asset_ = address(_asset);
        uint256 eth = _wethAsset ? addr.balance : 0;
        uint256 amount = _balanceOf(asset_, addr) + eth;
        // slither-disable-next-line incorrect-equality (nothing to sweep; a donation only makes it non-zero)
        if (amount == 0) revert NothingToSweep(addr);
        _deploy(addr, salt, earner, source);
        if (eth != 0) _forwardCall(addr, asset_, eth, _DEPOSIT_SELECTOR);
        uint256 before = _balanceOf(asset_, address(this));
        _forwardTransfer(addr, asset_, address(this), amount);
        credited = _balanceOf(asset_, address(this)) - before;
        // slither-disable-next-line incorrect-equality (a token that delivered nothing)
        if (credited == 0) revert NothingToSweep(addr);
        _pool.pay(earner, credited, source);
        _checkAllCredited(asset_, before);
    }

    /// @dev The Pool must have taken everything this sweep brought in. It leaves a part with the payer (here:
    ///      this router) when the earner's tier is closed and no open tier is as safe (`PaymentSkipped`); the
    ///      sweep then reverts so that the money waits at the deposit address until the tier reopens, instead
    ///      of being stranded in the router.
    function _checkAllCredited(address asset_, uint256 before) private view {
        uint256 left = _balanceOf(asset_, address(this));
        if (left > before) revert NotCredited(left - before);
    }

    /// @dev Swap exactly `amountIn` of `token` (held here) for the asset; returns what arrived (measured).
    function _convert(address token, uint24 fee, uint256 amountIn) private returns (uint256 out) {
        IERC20(token).forceApprove(address(SWAP_ROUTER), amountIn);
        uint256 before = _balanceOf(address(_asset), address(this));
        // slither-disable-next-line unused-return (the output is measured, not trusted)
        SWAP_ROUTER.exactInputSingle(
            ISwapRouterLike.ExactInputSingleParams({
                tokenIn: token,
                tokenOut: address(_asset),
                fee: fee,
                recipient: address(this),
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: 0, // bounded below by the caller against the TWAP, on the measured output
                sqrtPriceLimitX96: 0
            })
        );
        out = _balanceOf(address(_asset), address(this)) - before;
    }

    /// @dev The forwarder's creation code: a 9-byte constructor returning PUSH20(this router) ‖ the tail.
    function _initCode() private view returns (bytes memory) {
        return abi.encodePacked(_INIT_HEAD, address(this), _RUNTIME_TAIL);
    }

    /// @dev The deposit address of (earner, source) and its CREATE2 salt, computed in scratch memory.
    function _addressOf(address earner, bytes32 source) private view returns (address addr, bytes32 salt) {
        bytes32 codeHash = _initCodeHash;
        assembly ("memory-safe") {
            mstore(0x00, earner)
            mstore(0x20, source)
            salt := keccak256(0x00, 0x40) // keccak256(abi.encode(earner, source))
            let p := mload(0x40) // scratch above the free memory pointer (not allocated)
            mstore(p, address())
            mstore8(add(p, 0x0b), 0xff)
            mstore(add(p, 0x20), salt)
            mstore(add(p, 0x40), codeHash)
            addr := and(keccak256(add(p, 0x0b), 0x55), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @dev Deploy the forwarder at `addr` unless it is there already (funds sent before stay where they are).
    function _deploy(address addr, bytes32 salt, address earner, bytes32 source) private {
        if (addr.code.length == 0) _deployAt(addr, salt, earner, source);
    }

    function _deployAt(address addr, bytes32 salt, address earner, bytes32 source) private {
        emit ForwarderDeployed(earner, source, addr);
        bytes memory code = _initCode();
        address deployed;
        assembly ("memory-safe") {
            deployed := create2(0, add(code, 0x20), mload(code), salt)
        }
        assert(deployed == addr); // the predicted address is the deployed one (same code, salt, deployer)
    }

    /// @dev `token.balanceOf(who)` through scratch memory (reverts bubble; short return data reverts).
    function _balanceOf(address token, address who) private view returns (uint256 amount) {
        assembly ("memory-safe") {
            mstore(0x00, shl(224, _BALANCE_OF_SELECTOR))
            mstore(0x04, who)
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x00, 0x24, 0x00, 0x20))) {
                if iszero(returndatasize()) { revert(0, 0) }
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
            amount := mload(0x00)
        }
    }

    /// @dev Have the forwarder at `fwd` call `token.transfer(to, amount)`, with SafeERC20's success rules
    ///      (a revert is bubbled; success is no return data from a contract, or a returned `true`).
    function _forwardTransfer(address fwd, address token, address to, uint256 amount) private {
        bool ok;
        assembly ("memory-safe") {
            let p := mload(0x40) // scratch above the free memory pointer (not allocated)
            mstore(p, token) // forwarder calldata: target ‖ value ‖ payload
            mstore(add(p, 0x20), 0)
            mstore(add(p, 0x40), shl(224, _TRANSFER_SELECTOR))
            mstore(add(p, 0x44), to)
            mstore(add(p, 0x64), amount)
            if iszero(call(gas(), fwd, 0, p, 0x84, 0x00, 0x20)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
            switch returndatasize()
            case 0 { ok := gt(extcodesize(token), 0) }
            default { ok := and(gt(returndatasize(), 0x1f), eq(mload(0x00), 1)) }
        }
        if (!ok) revert SafeERC20.SafeERC20FailedOperation(token);
    }

    /// @dev Have the forwarder at `fwd` call `target` with `value` wei and, when `selector` is non-zero, that
    ///      4-byte calldata (WETH's `deposit()`); with selector 0 it is a plain ETH send. Failure reverts
    ///      `EthTransferFailed`.
    function _forwardCall(address fwd, address target, uint256 value, uint256 selector) private {
        bool ok;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, target)
            mstore(add(p, 0x20), value)
            mstore(add(p, 0x40), shl(224, selector))
            ok := call(gas(), fwd, 0, p, add(0x40, mul(4, iszero(iszero(selector)))), 0x00, 0x00)
        }
        if (!ok) revert EthTransferFailed(target, value);
    }

    /// @dev Reverts `UnsupportedEarner` for the zero address, the pool, this router and the tiers (one OR of
    ///      equalities, no branch per comparison: it runs once per address of a batch).
    function _checkEarner(address earner) private view {
        uint256 bad;
        address a = address(_pool);
        assembly ("memory-safe") {
            bad := or(iszero(earner), or(eq(earner, a), eq(earner, address())))
        }
        a = _tier0;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier1;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier2;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier3;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier4;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier5;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier6;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        a = _tier7;
        assembly ("memory-safe") {
            bad := or(bad, eq(earner, a))
        }
        if (bad != 0) revert UnsupportedEarner(earner);
    }

    function _uniswapPool(address token, uint24 fee) private view returns (address uniswapPool) {
        if (address(UNISWAP_FACTORY) != address(0)) uniswapPool = UNISWAP_FACTORY.getPool(token, address(_asset), fee);
        if (uniswapPool == address(0)) revert NoUniswapPool(token, fee);
    }

    /// @dev The arithmetic mean tick of `uniswapPool` over the last TWAP_WINDOW seconds, rounded toward
    ///      negative infinity (price of token0 in token1 = 1.0001^tick).
    function _twapTick(address uniswapPool) private view returns (int256 tick) {
        uint32[] memory ago = new uint32[](2);
        ago[0] = TWAP_WINDOW;
        // slither-disable-next-line unused-return (only the tick cumulatives are needed)
        (int56[] memory cumulatives,) = IUniswapV3PoolLike(uniswapPool).observe(ago);
        int256 delta = int256(cumulatives[1]) - int256(cumulatives[0]);
        int256 window = int256(uint256(TWAP_WINDOW));
        tick = delta / window;
        if (delta < 0 && delta % window != 0) --tick;
    }

    /// @dev TWAP quote of `amountIn` of the route's token in the asset, minus MAX_SLIPPAGE_BPS (rounded down).
    function _minOut(Route memory r, uint256 amountIn) private view returns (uint256) {
        int256 tick = _twapTick(r.uniswapPool);
        // price of the token in the asset = 1.0001^tick (token0 -> token1 is the pool's own direction)
        if (!r.tokenIsToken0) tick = -tick;
        uint256 down = _tickDownPow(tick < 0 ? uint256(-tick) : uint256(tick)); // 1.0001^-|tick|, Q128
        uint256 quote = tick < 0 ? Math.mulDiv(amountIn, down, _Q128) : Math.mulDiv(amountIn, _Q128, down);
        return quote * (BPS - MAX_SLIPPAGE_BPS) / BPS;
    }

    /// @dev 1.0001^-n in Q128 by square-and-multiply (n ≤ 887,272, Uniswap's tick bound: ≤ 20 rounds). Every
    ///      factor is ≤ 1 in Q128, so no product exceeds 2^256; each round truncates (the bound rounds down).
    function _tickDownPow(uint256 n) private pure returns (uint256 result) {
        result = _Q128;
        uint256 base = _TICK_DOWN_Q128;
        unchecked {
            while (n != 0) {
                if (n & 1 != 0) result = (result * base) >> 128;
                base = (base * base) >> 128;
                n >>= 1;
            }
        }
    }
}
