// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {StrategyAdapter} from "./StrategyAdapter.sol";
import {IUniswapV2Strategy} from "./interfaces/IUniswapV2Strategy.sol";
import {IUniswapV2PairLike} from "./external/IUniswapV2PairLike.sol";

/// @title UniswapV2Strategy
/// @notice Growth tier (risk 4–5): the asset earns Uniswap V2 swap fees as half of a liquidity position.
///         The position is exposed to impermanent loss: when the asset gains against the other token the
///         position is worth less asset than was put in.
/// @dev Valuation rule (cannot be moved inside one transaction or one block):
///      - Price: P = time-weighted average price of the asset in the other token (UQ112x112) from the pair's
///        `priceXCumulativeLast`, taken between the older of two stored observations and now. The older
///        observation is always at least `twapWindow` seconds old (a new one is only recorded once the
///        newest is a window old), so P averages at least one full window. Within one block the pair's
///        cumulative cannot move: a swap updates it with the reserves from before the block.
///      - Position: the pool's fair value in the asset is 2·sqrt(k / P) with k = reserve0·reserve1. A swap
///        (or a swap and back) only raises k by its fee, a donation only raises k, and mint/burn keep
///        sqrt(k)/totalSupply, so nobody can lower the value of an LP token, and raising it costs more
///        than it yields. The adapter's LP share of that, plus idle balances (other token at P), is
///        `totalAssets`.
///      - Trading: deposits sell about half of the asset (the exact amount that leaves no dust at the
///        post-swap ratio) and add liquidity; withdrawals burn liquidity and sell the other token. Both
///        refuse when the spot price is more than `maxSlippageBps` from P and each swap must return at
///        least its TWAP quote minus `maxSlippageBps` (the 0.3% pool fee included).
///      - Entry and exit costs stay with whoever causes them: `previewDeposit`/`previewMint` credit only
///        (1 - maxSlippageBps) of the deposit and `previewWithdraw`/`previewRedeem` pay only
///        (1 - maxSlippageBps) of the share value. What the swaps really cost is less; the difference stays
///        in the adapter for the remaining holders (with an owner vault: for the vault itself).
///      Keepers should call `updateTwap` about once per window: the TWAP spans from the older observation,
///      so after a long silence it averages over the silence until two fresh observations exist.
contract UniswapV2Strategy is StrategyAdapter, IUniswapV2Strategy {
    using SafeERC20 for IERC20;

    uint256 private constant Q112 = 2 ** 112;
    uint256 private constant BPS = 10_000;
    /// @notice Shortest TWAP window accepted: ten minutes of holding a price costs a manipulator ~50 blocks.
    uint32 public constant MIN_TWAP_WINDOW = 10 minutes;
    /// @notice A Uniswap V2 swap charges 30 bps, so any slippage bound must be above it.
    uint16 public constant POOL_FEE_BPS = 30;
    /// @notice The widest slippage bound accepted.
    uint16 public constant MAX_SLIPPAGE_BPS = 1_000;

    /// @notice The Uniswap V2 pair the liquidity sits in (also the LP token).
    IUniswapV2PairLike public immutable pair;
    /// @notice The pair's other token.
    IERC20 public immutable otherToken;
    /// @notice Minimum TWAP length in seconds.
    uint32 public immutable twapWindow;
    /// @notice Entry/exit haircut, spot-vs-TWAP deviation bound and swap slippage bound, in bps.
    uint16 public immutable maxSlippageBps;
    bool private immutable _assetIsToken0;

    struct Observation {
        uint256 priceCumulative;
        uint64 timestamp;
    }

    /// @notice Start of the TWAP: at least `twapWindow` old once the adapter is ready.
    Observation public oldObservation;
    /// @notice Most recent observation; becomes `oldObservation` when the next one is recorded.
    Observation public newObservation;

    /// @param pair_ Uniswap V2 pair holding the asset.
    /// @param asset_ token0 or token1 of the pair.
    /// @param ownerVault_ Only depositor (a TierVault), or address(0) for anyone.
    /// @param riskLevel_ 4 or 5.
    /// @param twapWindow_ Minimum TWAP length, at least `MIN_TWAP_WINDOW` (30 minutes recommended).
    /// @param maxSlippageBps_ Above 30 (the pool fee), at most 1,000; 100 is a sane default.
    constructor(
        IUniswapV2PairLike pair_,
        IERC20Metadata asset_,
        address ownerVault_,
        uint8 riskLevel_,
        uint32 twapWindow_,
        uint16 maxSlippageBps_
    ) StrategyAdapter(asset_, "Tributary Uniswap V2 LP strategy", "tUNIV2", ownerVault_, riskLevel_, 4) {
        if (address(pair_) == address(0)) revert ZeroAddress();
        address token0 = pair_.token0();
        address token1 = pair_.token1();
        if (address(asset_) != token0 && address(asset_) != token1) revert AssetNotInPair(address(asset_), address(pair_));
        if (twapWindow_ < MIN_TWAP_WINDOW) revert TwapWindowTooShort(twapWindow_, MIN_TWAP_WINDOW);
        if (maxSlippageBps_ <= POOL_FEE_BPS || maxSlippageBps_ > MAX_SLIPPAGE_BPS) {
            revert SlippageOutOfRange(maxSlippageBps_);
        }
        pair = pair_;
        _assetIsToken0 = address(asset_) == token0;
        otherToken = IERC20(_assetIsToken0 ? token1 : token0);
        twapWindow = twapWindow_;
        maxSlippageBps = maxSlippageBps_;
        Observation memory first = Observation(_currentCumulative(), uint64(block.timestamp));
        oldObservation = first;
        newObservation = first;
        emit TwapObserved(first.priceCumulative, first.timestamp);
    }

    // ------------------------------------------------------------------ oracle

    /// @notice Record a new price observation if the newest one is at least one window old.
    /// @dev Anyone may call (keepers: once per window). Deposits and withdrawals call it too.
    function updateTwap() external nonReentrant {
        _observe();
    }

    /// @notice TWAP of one asset unit in the other token, UQ112x112.
    /// @dev Reverts with `TwapNotReady` during the first window after deployment.
    function twapPrice() external view returns (uint256) {
        (uint256 price, bool ready, uint256 elapsed) = _twap();
        if (!ready) revert TwapNotReady(elapsed, twapWindow);
        return price;
    }

    /// @notice Spot price of one asset unit in the other token, UQ112x112 (informational: never used to value).
    function spotPrice() external view returns (uint256) {
        return _spotPrice();
    }

    // ------------------------------------------------------------------ ERC-4626 previews (entry/exit haircut)

    /// @notice Shares for `assets`, after the worst-case entry cost (`maxSlippageBps`), rounded down.
    function previewDeposit(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        return _convertToShares(Math.mulDiv(assets, BPS - maxSlippageBps, BPS), Math.Rounding.Floor);
    }

    /// @notice Assets to pay for `shares`, grossed up by the worst-case entry cost, rounded up.
    function previewMint(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.mulDiv(_convertToAssets(shares, Math.Rounding.Ceil), BPS, BPS - maxSlippageBps, Math.Rounding.Ceil);
    }

    /// @notice Shares burned to withdraw `assets`, grossed up by the worst-case exit cost, rounded up.
    function previewWithdraw(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        uint256 gross = Math.mulDiv(assets, BPS, BPS - maxSlippageBps, Math.Rounding.Ceil);
        return _convertToShares(gross, Math.Rounding.Ceil);
    }

    /// @notice Assets paid for `shares`, after the worst-case exit cost, rounded down.
    function previewRedeem(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.mulDiv(_convertToAssets(shares, Math.Rounding.Floor), BPS - maxSlippageBps, BPS);
    }

    /// @notice Assets `owner` can withdraw now: their share value after the exit haircut, capped by the most a
    ///         withdrawal can free through the pair without breaking its guards (TWAP readiness, spot near the
    ///         TWAP, the swap's slippage bound). In a thin pair that is far below the position's value: selling
    ///         the other-token half into what is left after the burn moves the price.
    /// @dev Exact: `withdraw(maxWithdraw(owner))` passes, one unit more would not. Replays `_divest` on the
    ///      pair's current state (with the TWAP `_observe` will use); never reverts.
    function maxWithdraw(address owner) public view override(StrategyAdapter, IERC4626) returns (uint256) {
        return _maxExit(previewRedeem(balanceOf(owner)));
    }

    /// @notice Shares `owner` can redeem now: the most whose `previewRedeem` fits in what a withdrawal can free.
    function maxRedeem(address owner) public view override(StrategyAdapter, IERC4626) returns (uint256) {
        uint256 shares = balanceOf(owner);
        uint256 value = previewRedeem(shares);
        uint256 exit = _maxExit(value);
        if (exit >= value) return shares;
        // The largest s with previewRedeem(s) ≤ exit (previewRedeem floors twice: invert each floor).
        uint256 gross = Math.mulDiv(exit + 1, BPS, BPS - maxSlippageBps, Math.Rounding.Ceil); // = Y + 1
        uint256 fit = Math.mulDiv(gross, totalSupply() + 10 ** _decimalsOffset(), totalAssets() + 1, Math.Rounding.Ceil);
        return Math.min(shares, fit - 1);
    }

    // ------------------------------------------------------------------ hooks

    function _investedAssets() internal view override returns (uint256) {
        (uint256 price, bool ready,) = _twap();
        if (!ready) return 0; // only possible before the first deposit: nothing is invested yet
        uint256 otherValue = Math.mulDiv(otherToken.balanceOf(address(this)), Q112, price);
        return otherValue + _lpValue(pair.balanceOf(address(this)), price);
    }

    /// @dev What a withdrawal could free now: the exit bound of the whole position (see `maxWithdraw`).
    function _liquidAssets() internal view override returns (uint256) {
        return _maxExit(totalAssets());
    }

    /// @dev The largest deposit whose zap swap meets the slippage bound at the TWAP `_invest` will use (0 while
    ///      trading is refused). Solved in closed form from the swap's two sides, then checked by replaying
    ///      the swap's own integer arithmetic (binary search below it in the rare case rounding disagrees).
    function _depositLimit() internal view override returns (uint256) {
        (uint256 price, bool tradable) = _tradeTwap();
        if (!tradable) return 0;
        (uint256 rA, uint256 rO) = _reserves();
        // out(s) = 997·s·rO / (1000·rA + 997·s) ≥ s·P·(1 − slip) / Q112  ⇔  997·s ≤ 997·rO·Q112 / (P·(1 − slip)) − 1000·rA
        uint256 bound = Math.mulDiv(997 * rO, Q112 * BPS, price * (BPS - maxSlippageBps));
        if (bound <= 1_000 * rA) return 0;
        // slither-disable-next-line divide-before-multiply (floored on purpose: errs low; the replay below checks)
        uint256 sellMax = (bound - 1_000 * rA) / 997;
        // The zap sells s of a when (1994·s + 1997·R)² = R·(3988009·R + 3988000·a): invert for a.
        uint256 root = 1_994 * sellMax + 1_997 * rA;
        uint256 limit = Math.mulDiv(root, root, 3_988_000 * rA) - Math.mulDiv(3_988_009, rA, 3_988_000, Math.Rounding.Ceil);
        // The pair's balances are uint112: stay below what its `_update` accepts.
        uint256 room = type(uint112).max - IERC20(asset()).balanceOf(address(pair));
        if (limit > room) limit = room;
        if (_zapPasses(limit, rA, rO, price)) return limit;
        uint256 lo = 0; // rounding disagreed at the edge: the largest passing deposit below it
        while (limit - lo > 1) {
            uint256 mid = lo + (limit - lo) / 2;
            if (_zapPasses(mid, rA, rO, price)) lo = mid;
            else limit = mid;
        }
        return lo;
    }

    /// @dev Replays `_invest`'s swap check for a deposit of `assets`.
    function _zapPasses(uint256 assets, uint256 rA, uint256 rO, uint256 price) private view returns (bool) {
        uint256 sell = _zapSellAmount(assets, rA);
        uint256 out = (sell * 997 * rO) / (rA * 1_000 + sell * 997);
        uint256 minOut = Math.mulDiv(Math.mulDiv(sell, price, Q112), BPS - maxSlippageBps, BPS);
        return out >= Math.max(minOut, 1);
    }

    /// @dev State a withdrawal's `_divest` runs on, read once.
    struct ExitState {
        uint256 price; // the TWAP after `_observe`
        uint256 lp; // the adapter's LP tokens
        uint256 lpValue; // their value at `price` (`_lpValue`)
        uint256 supply; // LP total supply
        uint256 balAsset; // the pair's balances (burn pays pro rata of them; reserves become them after)
        uint256 balOther;
        uint256 other; // the adapter's other-token dust (sold with the burn proceeds)
    }

    /// @dev The most of `cap` a withdrawal can pay now: idle, plus the largest divest `_divestPasses` accepts
    ///      (binary search over the replay, only when the whole `cap` does not pass). Never reverts.
    function _maxExit(uint256 cap) private view returns (uint256) {
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        if (cap <= idle) return cap;
        (uint256 price, bool tradable) = _tradeTwap();
        if (!tradable) return idle;
        uint256 lp = pair.balanceOf(address(this));
        ExitState memory e = ExitState({
            price: price,
            lp: lp,
            lpValue: _lpValue(lp, price),
            supply: pair.totalSupply(),
            balAsset: IERC20(asset()).balanceOf(address(pair)),
            balOther: otherToken.balanceOf(address(pair)),
            other: otherToken.balanceOf(address(this))
        });
        uint256 hi = cap - idle;
        if (_divestPasses(e, hi)) return cap;
        // Bracket the edge around the closed-form estimate by doubling steps, then bisect: ~2·log2(error)
        // replays instead of log2(hi). Invariant: `lo` passes (0: nothing to divest), `hi` does not.
        uint256 lo = 0;
        uint256 guess = Math.min(_exitGuess(e), hi - 1);
        if (guess > 0) {
            if (_divestPasses(e, guess)) {
                lo = guess;
                for (uint256 step = 1; lo + step < hi; step <<= 1) {
                    if (!_divestPasses(e, lo + step)) {
                        hi = lo + step;
                        break;
                    }
                    lo += step;
                }
            } else {
                hi = guess;
                for (uint256 step = 1; step < hi; step <<= 1) {
                    if (_divestPasses(e, hi - step)) {
                        lo = hi - step;
                        break;
                    }
                    hi -= step;
                }
            }
        }
        while (hi - lo > 1) {
            uint256 mid = lo + (hi - lo) / 2;
            if (_divestPasses(e, mid)) lo = mid;
            else hi = mid;
        }
        return idle + lo;
    }

    /// @dev Closed-form estimate of the largest divest the pair takes (the replay decides). Burning a fraction
    ///      f of the LP supply and selling the other-token half (plus dust D) into what is left passes the
    ///      slippage check while 997·BA·(1 − f) ≥ c·(1000·BO·(1 − f) + 997·(D + f·BO)), c the asset value of
    ///      one other unit at the TWAP less the bound: f ≤ (997·BA − 1000·c·BO − 997·c·D) / (997·BA − 3·c·BO).
    ///      The need that burns f·supply is f·supply·lpValue·(1 − slip) / lp (the burn formula inverted).
    function _exitGuess(ExitState memory e) private view returns (uint256) {
        uint256 keep = BPS - maxSlippageBps;
        uint256 cOther = Math.mulDiv(Math.mulDiv(e.balOther, Q112, e.price), keep, BPS);
        uint256 cDust = Math.mulDiv(Math.mulDiv(e.other, Q112, e.price), keep, BPS);
        uint256 gain = 997 * e.balAsset;
        uint256 cost = 1_000 * cOther + 997 * cDust;
        // slither-disable-next-line incorrect-equality (no LP position: nothing to burn, and lp divides below)
        if (gain <= cost || e.lp == 0) return 0; // cost ≥ 1000·cOther > 3·cOther: the divisor below is positive
        uint256 burn = Math.min(e.lp, Math.mulDiv(e.supply, gain - cost, gain - 3 * cOther));
        return Math.mulDiv(Math.mulDiv(burn, e.lpValue, e.lp), keep, BPS);
    }

    /// @dev Replays `_divest(need)` and the base's shortfall check: the burn, the pair's burn guard, the sale of
    ///      all other token held against the post-burn reserves with its slippage check, and whether `need`
    ///      arrives. (Assumes the pair's protocol fee is off, as on every Uniswap V2 deployment so far.)
    function _divestPasses(ExitState memory e, uint256 need) private view returns (bool) {
        // slither-disable-next-line incorrect-equality (no LP position: `_divest` burns nothing; need ≥ 1 here)
        if (e.lpValue == 0) return false;
        uint256 burn = Math.min(e.lp, Math.mulDiv(need, e.lp * BPS, e.lpValue * (BPS - maxSlippageBps), Math.Rounding.Ceil));
        uint256 assetOut = burn * e.balAsset / e.supply;
        uint256 otherOut = burn * e.balOther / e.supply;
        // slither-disable-next-line incorrect-equality (the pair's own guard: INSUFFICIENT_LIQUIDITY_BURNED)
        if (assetOut == 0 || otherOut == 0) return false;
        uint256 sold = e.other + otherOut;
        uint256 rA = e.balAsset - assetOut;
        uint256 rO = e.balOther - otherOut;
        uint256 out = (sold * 997 * rA) / (rO * 1_000 + sold * 997);
        uint256 minOut = Math.mulDiv(Math.mulDiv(sold, Q112, e.price), BPS - maxSlippageBps, BPS);
        if (out < Math.max(minOut, 1)) return false;
        return assetOut + out >= need;
    }

    /// @dev The TWAP `_observe` + `_tradablePrice` will use in the next call that trades, and whether trading
    ///      is allowed (ready, spot within the slippage bound of it).
    function _tradeTwap() private view returns (uint256 price, bool tradable) {
        Observation memory start = oldObservation;
        Observation memory latest = newObservation;
        if (block.timestamp - latest.timestamp >= twapWindow) start = latest; // `_observe` would record now
        uint256 elapsed = block.timestamp - start.timestamp;
        if (elapsed < twapWindow) return (0, false);
        unchecked {
            price = (_currentCumulative() - start.priceCumulative) / elapsed; // wraps by design, as `_twap`
        }
        tradable = price > 0 && _spotNear(price);
    }

    /// @dev Zap: sell the share of `assets` that leaves both sides in the post-swap pool ratio, add both.
    function _invest(uint256 assets) internal override {
        _observe();
        uint256 price = _tradablePrice();
        (uint256 reserveAsset,) = _reserves();
        uint256 sell = _zapSellAmount(assets, reserveAsset);
        uint256 bought = _swap(sell, true, price);

        (uint256 rA, uint256 rO) = _reserves();
        uint256 assetIn = assets - sell;
        uint256 otherIn = otherToken.balanceOf(address(this)); // includes dust from earlier operations
        uint256 otherNeeded = Math.mulDiv(assetIn, rO, rA);
        if (otherNeeded <= otherIn) otherIn = otherNeeded;
        else assetIn = Math.mulDiv(otherIn, rA, rO);

        IERC20(asset()).safeTransfer(address(pair), assetIn);
        otherToken.safeTransfer(address(pair), otherIn);
        uint256 liquidity = pair.mint(address(this));
        emit Invested(assets, sell, bought, liquidity);
    }

    /// @dev Burn enough liquidity that, after selling its other-token half at no worse than the slippage
    ///      bound, at least `assets` arrive; then sell all of the other token held.
    function _divest(uint256 assets) internal override {
        _observe();
        uint256 price = _tradablePrice();
        uint256 lpBalance = pair.balanceOf(address(this));
        uint256 lpValue = _lpValue(lpBalance, price);
        // Burning at spot gives ≥ fair value at P (AM-GM); selling the other half loses ≤ maxSlippageBps.
        uint256 burn = lpValue > 0
            ? Math.min(lpBalance, Math.mulDiv(assets, lpBalance * BPS, lpValue * (BPS - maxSlippageBps), Math.Rounding.Ceil))
            : 0;
        uint256 before = IERC20(asset()).balanceOf(address(this));
        if (burn > 0) {
            IERC20(address(pair)).safeTransfer(address(pair), burn);
            // slither-disable-next-line unused-return (what arrived is measured by balance below)
            pair.burn(address(this));
        }
        uint256 otherSold = otherToken.balanceOf(address(this));
        if (otherSold > 0) _swap(otherSold, false, price);
        emit Divested(burn, otherSold, IERC20(asset()).balanceOf(address(this)) - before);
    }

    // ------------------------------------------------------------------ pricing internals

    /// @dev Value in the asset of `liquidity` LP tokens: share of 2·sqrt(k/P).
    function _lpValue(uint256 liquidity, uint256 price) private view returns (uint256 value) {
        if (liquidity > 0) {
            (uint256 rA, uint256 rO) = _reserves();
            uint256 poolValue = 2 * Math.sqrt(Math.mulDiv(rA * rO, Q112, price));
            value = Math.mulDiv(poolValue, liquidity, pair.totalSupply());
        }
    }

    /// @dev TWAP since `oldObservation`; not ready while less than one window has passed (or the pool was
    ///      empty all along, which would make the average 0).
    function _twap() private view returns (uint256 price, bool ready, uint256 elapsed) {
        Observation memory start = oldObservation;
        elapsed = block.timestamp - start.timestamp;
        if (elapsed < twapWindow) return (0, false, elapsed);
        unchecked {
            // The pair's cumulative wraps around by design; the difference is exact modulo 2**256.
            price = (_currentCumulative() - start.priceCumulative) / elapsed;
        }
        ready = price > 0;
    }

    /// @dev The pair's cumulative price of the asset extended to this block with the current reserves.
    ///      If the pair was touched in this block the extension is zero, so a same-block swap has no effect.
    function _currentCumulative() private view returns (uint256 cumulative) {
        cumulative = _assetIsToken0 ? pair.price0CumulativeLast() : pair.price1CumulativeLast();
        (uint112 r0, uint112 r1, uint32 last) = pair.getReserves();
        unchecked {
            uint32 elapsed = uint32(block.timestamp) - last; // wraps like the pair's own timestamp
            if (elapsed > 0 && r0 > 0 && r1 > 0) {
                // Exactly the pair's own accumulation: UQ112x112 price (floored) times seconds.
                // slither-disable-next-line divide-before-multiply
                cumulative += (_assetIsToken0 ? (uint256(r1) << 112) / r0 : (uint256(r0) << 112) / r1) * elapsed;
            }
        }
    }

    function _observe() private {
        Observation memory latest = newObservation;
        if (block.timestamp - latest.timestamp < twapWindow) return;
        Observation memory next = Observation(_currentCumulative(), uint64(block.timestamp));
        oldObservation = latest;
        newObservation = next;
        emit TwapObserved(next.priceCumulative, next.timestamp);
    }

    function _spotPrice() private view returns (uint256) {
        (uint256 rA, uint256 rO) = _reserves();
        return rA == 0 ? 0 : (rO << 112) / rA;
    }

    function _spotNear(uint256 twap) private view returns (bool) {
        uint256 spot = _spotPrice();
        uint256 diff = spot > twap ? spot - twap : twap - spot;
        return diff * BPS <= twap * maxSlippageBps;
    }

    /// @dev The TWAP, after checking that trading at spot now is within the slippage bound of it.
    function _tradablePrice() private view returns (uint256 price) {
        bool ready;
        uint256 elapsed;
        (price, ready, elapsed) = _twap();
        if (!ready) revert TwapNotReady(elapsed, twapWindow);
        if (!_spotNear(price)) revert PriceDeviation(_spotPrice(), price);
    }

    function _reserves() private view returns (uint256 reserveAsset, uint256 reserveOther) {
        // slither-disable-next-line unused-return (the pair's last-update time is not needed here)
        (uint112 r0, uint112 r1,) = pair.getReserves();
        (reserveAsset, reserveOther) = _assetIsToken0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
    }

    /// @dev Amount s of `amount` to sell into a pool holding `reserveIn` so that the rest and the proceeds are
    ///      in the post-swap ratio (0.3% fee): s = (sqrt(R·(3988009·R + 3988000·a)) − 1997·R) / 1994,
    ///      the positive root of the quadratic that equates the two ratios.
    function _zapSellAmount(uint256 amount, uint256 reserveIn) private pure returns (uint256) {
        return (Math.sqrt(reserveIn * (3_988_009 * reserveIn + 3_988_000 * amount)) - 1_997 * reserveIn) / 1_994;
    }

    /// @dev Swap `amountIn` asset→other (`sellAsset`) or other→asset against the pair at spot, requiring at
    ///      least the TWAP quote minus `maxSlippageBps`. Returns the amount received.
    function _swap(uint256 amountIn, bool sellAsset, uint256 price) private returns (uint256 amountOut) {
        (uint256 rA, uint256 rO) = _reserves();
        (uint256 rIn, uint256 rOut) = sellAsset ? (rA, rO) : (rO, rA);
        amountOut = (amountIn * 997 * rOut) / (rIn * 1_000 + amountIn * 997);
        uint256 quote = sellAsset ? Math.mulDiv(amountIn, price, Q112) : Math.mulDiv(amountIn, Q112, price);
        uint256 minOut = Math.mulDiv(quote, BPS - maxSlippageBps, BPS);
        if (amountOut < Math.max(minOut, 1)) revert SlippageExceeded(amountOut, minOut);
        (sellAsset ? IERC20(asset()) : otherToken).safeTransfer(address(pair), amountIn);
        bool outIsToken0 = sellAsset != _assetIsToken0; // selling the asset buys the other token
        (uint256 out0, uint256 out1) = outIsToken0 ? (amountOut, uint256(0)) : (uint256(0), amountOut);
        pair.swap(out0, out1, address(this), "");
    }
}
