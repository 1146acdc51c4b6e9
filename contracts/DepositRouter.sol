// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IDepositRouter} from "./interfaces/IDepositRouter.sol";
import {IDepositForwarder} from "./interfaces/IDepositForwarder.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IWETH} from "./interfaces/IWETH.sol";
import {IUniswapV3FactoryLike, IUniswapV3PoolLike, ISwapRouterLike} from "./interfaces/external/IUniswapV3Like.sol";
import {DepositForwarder} from "./DepositForwarder.sol";

/// @dev The one Pool getter the router needs beyond IPool (a public immutable of the Pool).
interface IPoolBatchLimit {
    function MAX_BATCH() external view returns (uint256);
}

/// @title DepositRouter — deposit addresses and "any token in" for one Pool
/// @notice Gives every (earner, source) pair a deterministic deposit address that platforms pay by plain
///         transfers, and credits whatever arrives there to the earner through the Pool's own entry points:
///         the asset directly, native ETH wrapped when the asset is WETH, and tokens on an admin-maintained
///         list converted into the asset on Uniswap V3 at no less than a TWAP quote minus a maximum slippage.
/// @dev Money flow of a sweep: deposit address (a DepositForwarder clone, deployed by the first sweep) ->
///      this router (measured) -> [Uniswap V3 swap, measured] -> `pool.pay` / `pool.payManyPacked`, which pull
///      from this router (it approves the pool once, at deployment) and emit `Paid` / `PaidMany` with
///      payer = this router and the deposit address's source tag. The router holds nothing between
///      transactions. Roles: one admin (two-step `owner`) who may only add routes (after `LISTING_DELAY`) and
///      remove them (at once); nobody — admin included — can move a deposit address's balance anywhere but into
///      its earner's credit, or back to the earner at the earner's own request for a token that is not
///      convertible (the escape hatch).
contract DepositRouter is IDepositRouter, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Basis points of a whole.
    uint256 public constant BPS = 10_000;
    /// @notice Longest TWAP window a router accepts (Uniswap V3 pools hold at most 65,535 observations).
    uint32 public constant MAX_TWAP_WINDOW = 7 days;
    /// @notice Largest maximum slippage a router accepts.
    uint256 public constant MAX_SLIPPAGE_CEILING_BPS = 2_000;

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
    address private immutable _forwarder;
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
        _forwarder = address(new DepositForwarder());
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
    function forwarderImplementation() external view returns (address) {
        return _forwarder;
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
        IERC20 asset_ = _asset;
        bytes memory packed = new bytes(n << 5);
        uint256 count;
        uint256 before = asset_.balanceOf(address(this));
        for (uint256 i; i < n; ++i) {
            address earner = earners[i];
            uint256 amount = _pullAsset(earner, source, asset_);
            // slither-disable-next-line incorrect-equality (an empty address is skipped in a batch)
            if (amount == 0) continue;
            assembly ("memory-safe") {
                // entry `count`: 20-byte earner ‖ 12-byte amount (the Pool's packed batch format)
                mstore(add(add(packed, 0x20), shl(5, count)), or(shl(96, earner), amount))
            }
            ++count;
            credited += amount;
        }
        if (count == 0) revert NothingToSweepInBatch();
        uint256 received = asset_.balanceOf(address(this)) - before;
        if (received != credited) revert TransferShortfall(credited, received);
        assembly ("memory-safe") {
            mstore(packed, shl(5, count)) // shrink to the filled entries (memory stays allocated)
        }
        _pool.payManyPacked(source, packed);
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
        uint256 held = IERC20(token).balanceOf(addr);
        // slither-disable-next-line incorrect-equality (nothing to sweep; a donation only makes it non-zero)
        if (held == 0) revert NothingToSweep(addr);
        _deploy(addr, salt, earner, source);
        uint256 before = IERC20(token).balanceOf(address(this));
        IDepositForwarder(addr).sendToken(IERC20(token), address(this), held);
        uint256 amountIn = IERC20(token).balanceOf(address(this)) - before;
        // slither-disable-next-line incorrect-equality (a token that delivered nothing)
        if (amountIn == 0) revert NothingToSweep(addr);
        uint256 minOut = _minOut(r, amountIn);
        credited = _convert(token, r.fee, amountIn);
        // slither-disable-next-line incorrect-equality (a conversion that returned nothing is refused)
        if (credited == 0 || credited < minOut) revert PriceBelowOracle(credited, minOut);
        emit Converted(earner, source, token, amountIn, credited, minOut);
        _pool.pay(earner, credited, source);
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
            amount = IERC20(token).balanceOf(addr);
        }
        // slither-disable-next-line incorrect-equality (nothing to reclaim; a donation only makes it non-zero)
        if (amount == 0) revert NothingToSweep(addr);
        _deploy(addr, salt, earner, source);
        emit Reclaimed(earner, source, token, amount);
        if (token == address(0)) IDepositForwarder(addr).sendETH(earner, amount);
        else IDepositForwarder(addr).sendToken(IERC20(token), earner, amount);
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
    function _pullAsset(address earner, bytes32 source, IERC20 asset_) private returns (uint256 amount) {
        _checkEarner(earner);
        (address addr, bytes32 salt) = _addressOf(earner, source);
        uint256 eth = _wethAsset ? addr.balance : 0;
        amount = asset_.balanceOf(addr) + eth;
        // slither-disable-next-line incorrect-equality (an empty address is skipped in a batch)
        if (amount == 0) return 0;
        if (amount > type(uint96).max) revert AmountTooLarge(addr, amount);
        _deploy(addr, salt, earner, source);
        if (eth != 0) IDepositForwarder(addr).wrapETH(IWETH(address(asset_)), eth);
        IDepositForwarder(addr).sendToken(asset_, address(this), amount);
    }

    // slither-disable-next-line reentrancy-balance (nonReentrant; the balance read around the call IS the measurement)
    function _sweepAsset(address earner, bytes32 source) private returns (uint256 credited) {
        _checkEarner(earner);
        (address addr, bytes32 salt) = _addressOf(earner, source);
        IERC20 asset_ = _asset;
        uint256 eth = _wethAsset ? addr.balance : 0;
        uint256 amount = asset_.balanceOf(addr) + eth;
        // slither-disable-next-line incorrect-equality (nothing to sweep; a donation only makes it non-zero)
        if (amount == 0) revert NothingToSweep(addr);
        _deploy(addr, salt, earner, source);
        if (eth != 0) IDepositForwarder(addr).wrapETH(IWETH(address(asset_)), eth);
        uint256 before = asset_.balanceOf(address(this));
        IDepositForwarder(addr).sendToken(asset_, address(this), amount);
        credited = asset_.balanceOf(address(this)) - before;
        // slither-disable-next-line incorrect-equality (a token that delivered nothing)
        if (credited == 0) revert NothingToSweep(addr);
        _pool.pay(earner, credited, source);
    }

    /// @dev Swap exactly `amountIn` of `token` (held here) for the asset; returns what arrived (measured).
    function _convert(address token, uint24 fee, uint256 amountIn) private returns (uint256 out) {
        IERC20(token).forceApprove(address(SWAP_ROUTER), amountIn);
        uint256 before = _asset.balanceOf(address(this));
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
        out = _asset.balanceOf(address(this)) - before;
    }

    /// @dev The deposit address of (earner, source) and its CREATE2 salt.
    function _addressOf(address earner, bytes32 source) private view returns (address addr, bytes32 salt) {
        salt = keccak256(abi.encode(earner, source));
        addr = Clones.predictDeterministicAddress(_forwarder, salt);
    }

    /// @dev Deploy the forwarder at `addr` unless it is there already (funds sent before stay where they are).
    function _deploy(address addr, bytes32 salt, address earner, bytes32 source) private {
        if (addr.code.length != 0) return;
        emit ForwarderDeployed(earner, source, addr);
        address deployed = Clones.cloneDeterministic(_forwarder, salt);
        assert(deployed == addr); // the predicted address is the deployed one (same implementation, salt, deployer)
    }

    function _checkEarner(address earner) private view {
        if (
            earner == address(0) || earner == address(_pool) || earner == address(this) || earner == _tier0
                || earner == _tier1 || earner == _tier2 || earner == _tier3 || earner == _tier4 || earner == _tier5
                || earner == _tier6 || earner == _tier7
        ) revert UnsupportedEarner(earner);
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
