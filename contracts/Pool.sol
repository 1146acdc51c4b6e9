// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IPool} from "./interfaces/IPool.sol";
import {ITierVault} from "./interfaces/ITierVault.sol";
import {IWETH} from "./interfaces/IWETH.sol";

/// @title Pool — the micro-income front door of Tributary (one per asset)
/// @notice Payers pay an earner in the pool's asset (ERC-20 approve, permit, ERC-1363 transferAndCall, or
///         native ETH when the asset is WETH); the pool splits each payment across the earner's risk tiers by
///         the earner's profile and deposits every part into its tier vault for the earner, in the same
///         transaction. Earners hold plain ERC-4626 shares of each tier and exit through the vaults directly.
/// @dev Roles: one admin (`owner`, two-step transfer) who may only `recover` tokens sent to the pool by plain
///      transfer. The default profile of earners without one is fixed at deployment. The admin can never move an
///      earner's shares or a payment in flight: the pool holds nothing between transactions, grants no token
///      allowance, and every tier is immutable.
///
///      Money flow of every ingress path: split by profile -> each part goes straight from the payer to its
///      tier vault (one transfer per tier, never through the pool) -> the vault credits the earner with
///      `credit` / `creditMany`, its trusted-depositor entry (DEPOSITOR_ROLE, granted to this pool by each
///      tier's admin), which checks that the vault's balance covers what it books (measure, don't trust: a
///      fee-on-transfer shortfall reverts there with TransferShortfall). ETH and ERC-1363 payments arrive at
///      the pool first and are forwarded the same way. A payment either credits exactly `amount` across the
///      earner's tiers, less the skipped parts below, or reverts whole.
///
///      Closed tiers (paused or shut down: `acceptsDeposits()` false) never make a payment or a batch revert and
///      never raise an earner's risk. A closed tier's part goes to the open tier with the highest risk ceiling
///      not above the closed tier's (ties: the lower index; `TierRerouted`), or, when no such tier is open, is
///      skipped: it is not taken from the payer (returned in the same transaction when the funds reached the pool
///      first) and `PaymentSkipped` names the earner, the tier and the amount. Each tier's state is read at most
///      once per transaction, and only for tiers that receive a part; the risk ceilings (immutable in every
///      TierVault) are read once, at deployment, into a fallback table.
///
///      Gas: payments are micro, so the per-earner cost of a batch is the product's speed. A batch reads one
///      packed storage slot per earner (the profile), builds one `creditMany` call per tier directly as ABI
///      calldata in memory (no re-encoding), ignores the returned share array, and logs the batch as one event
///      of 32 bytes per earner.
contract Pool is IPool, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Fewest and most tiers a pool can have.
    uint256 public constant MIN_TIERS = 2;
    uint256 public constant MAX_TIERS = 8;
    /// @notice Most tier credits (earner × tier parts) one batch may need. A credit to a new holder costs
    ///         ~26.5k gas (fresh balance slot + Transfer log + loop), so a full batch of new earners stays
    ///         below ~27M gas: inside a 30M block on L1 and the common L2s, whatever the profiles.
    uint256 public constant MAX_CREDITS_PER_BATCH = 1_000;
    /// @notice Most entries in one batch: MAX_CREDITS_PER_BATCH / tier count, since any earner may be split
    ///         across every tier (2 tiers: 500, 3: 333, 8: 125). Bounds the loop, memory and block gas.
    // slither-disable-next-line naming-convention
    uint256 public immutable MAX_BATCH;
    /// @notice Profile weights are basis points of a payment and sum to this.
    uint256 public constant BPS = 10_000;
    /// @notice Source tag of native ETH payments through `receive()`.
    bytes32 public constant SOURCE_ETH = "eth";
    /// @notice Source tag of ERC-1363 payments with empty `data` (the sender credits itself).
    bytes32 public constant SOURCE_ERC1363 = "erc1363";
    /// @notice `routeOf` of a closed tier that has no open fallback: its parts are skipped.
    uint256 public constant NO_TIER = type(uint256).max;

    // Packed profile word (one storage slot per earner, read once per credit):
    //   bits [16*i, 16*i + 16)  weight of tier i in bps, i < 8
    //   bits [128, 136)         index of the heaviest tier (first of equals): it receives the rounding rest
    // A set profile sums to 10,000 > 0, so an unset profile is the zero word.
    uint256 private constant _WEIGHT_MASK = 0xffff;
    uint256 private constant _HEAVIEST_SHIFT = 128;
    // ITierVault.creditMany.selector as a literal, for the Yul batch builder (checked in the constructor).
    uint256 private constant _CREDIT_MANY_SELECTOR = 0x42919fda;
    // ITierVault.credit.selector, for the single-payment path (checked in the constructor).
    uint256 private constant _CREDIT_SELECTOR = 0xef6506db;
    // ITierVault.acceptsDeposits.selector, for the open-tier check (checked in the constructor).
    uint256 private constant _ACCEPTS_DEPOSITS_SELECTOR = 0x56475f44;
    // Routing state of one transaction (a stack word): bit t = tier t was checked, bit 8 + t = it is open.
    uint256 private constant _OPEN_SHIFT = 8;
    // Batch context in memory: one buffer pointer per tier, the batch size (every buffer's capacity), the
    // default profile, the previous entry's earner << 96 | its buffer (one-tier earners; else 0) (0x100 …
    // 0x140).
    uint256 private constant _CTX_WORDS = MAX_TIERS + 3;

    IERC20 private immutable _asset;
    address private immutable _weth;
    bool private immutable _ethEnabled;
    uint256 private immutable _tierCount;
    // Tiers as immutables: the hot path reads none of them from storage.
    address private immutable _tier0;
    address private immutable _tier1;
    address private immutable _tier2;
    address private immutable _tier3;
    address private immutable _tier4;
    address private immutable _tier5;
    address private immutable _tier6;
    address private immutable _tier7;

    mapping(address earner => uint256 packed) private _profiles;
    // The default profile is immutable: the admin cannot move the risk of earners who never chose, and a
    // payment to them reads one storage slot (their own, empty) instead of two.
    uint256 private immutable _defaultProfile;
    // Fallbacks of each closed tier, best first: bits [32 t + 4 k, 32 t + 4 k + 4) hold the k-th fallback of
    // tier t (0xf ends the list): every other tier whose risk ceiling is not above t's, highest ceiling first,
    // ties by lower index. Built at deployment from the tiers' immutable risk ceilings.
    uint256 private immutable _fallbacks;

    /// @param asset_ The asset of every tier and every payment.
    /// @param tiers_ 2 … 8 tier vaults over `asset_`, lowest risk first.
    /// @param defaultProfile_ Weights (bps, one per tier, Σ = 10,000) for earners without a profile.
    /// @param admin_ The admin (owner).
    /// @param weth_ The WETH contract, or address(0); native ETH is accepted only when `asset_ == weth_`.
    constructor(
        IERC20 asset_,
        ITierVault[] memory tiers_,
        uint16[] memory defaultProfile_,
        address admin_,
        address weth_
    ) Ownable(admin_) {
        assert(bytes4(uint32(_CREDIT_MANY_SELECTOR)) == ITierVault.creditMany.selector);
        assert(bytes4(uint32(_CREDIT_SELECTOR)) == ITierVault.credit.selector);
        assert(bytes4(uint32(_ACCEPTS_DEPOSITS_SELECTOR)) == ITierVault.acceptsDeposits.selector);
        uint256 n = tiers_.length;
        if (n < MIN_TIERS || n > MAX_TIERS) revert TierCount(n, MIN_TIERS, MAX_TIERS);
        for (uint256 i; i < n; ++i) {
            address tierAsset = tiers_[i].asset();
            if (tierAsset != address(asset_)) revert TierAssetMismatch(i, tierAsset);
            for (uint256 j; j < i; ++j) {
                if (tiers_[j] == tiers_[i]) revert DuplicateTier(i);
            }
        }
        _asset = asset_;
        _weth = weth_;
        _ethEnabled = weth_ != address(0) && weth_ == address(asset_);
        _tierCount = n;
        MAX_BATCH = MAX_CREDITS_PER_BATCH / n;
        _tier0 = address(tiers_[0]);
        _tier1 = address(tiers_[1]);
        _tier2 = n > 2 ? address(tiers_[2]) : address(0);
        _tier3 = n > 3 ? address(tiers_[3]) : address(0);
        _tier4 = n > 4 ? address(tiers_[4]) : address(0);
        _tier5 = n > 5 ? address(tiers_[5]) : address(0);
        _tier6 = n > 6 ? address(tiers_[6]) : address(0);
        _tier7 = n > 7 ? address(tiers_[7]) : address(0);

        _defaultProfile = _pack(defaultProfile_, n);
        _fallbacks = _fallbackTable(tiers_);
        emit DefaultProfileSet(defaultProfile_);
    }

    // ================================================================ configuration views

    /// @inheritdoc IPool
    function asset() external view returns (IERC20) {
        return _asset;
    }

    /// @inheritdoc IPool
    function weth() external view returns (address) {
        return _weth;
    }

    /// @inheritdoc IPool
    function tierCount() external view returns (uint256) {
        return _tierCount;
    }

    /// @inheritdoc IPool
    function tier(uint256 index) external view returns (ITierVault) {
        if (index >= _tierCount) revert UnknownTier(index);
        return ITierVault(_tierAt(index));
    }

    /// @inheritdoc IPool
    function tiers() external view returns (ITierVault[] memory list) {
        uint256 n = _tierCount;
        list = new ITierVault[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = ITierVault(_tierAt(i));
        }
    }

    // ================================================================ profiles

    /// @inheritdoc IPool
    /// @dev Takes effect for payments made after this transaction; past credits stay where they are.
    function setProfile(uint16[] calldata weightsBps) external {
        uint16[] memory weights = weightsBps;
        uint256 n = _tierCount;
        uint256 packed = _pack(weights, n);
        for (uint256 t; t < n; ++t) {
            if ((packed >> (t << 4)) & _WEIGHT_MASK != 0 && !_acceptsDeposits(_tierAt(t))) revert TierClosed(t);
        }
        _profiles[msg.sender] = packed;
        emit ProfileSet(msg.sender, weightsBps);
    }

    /// @inheritdoc IPool
    function clearProfile() external {
        if (_profiles[msg.sender] == 0) revert ProfileNotSet(msg.sender);
        delete _profiles[msg.sender];
        emit ProfileCleared(msg.sender);
    }

    /// @inheritdoc IPool
    function profileOf(address earner) external view returns (uint16[] memory weightsBps) {
        uint256 packed = _profiles[earner];
        return _unpack(packed == 0 ? _defaultProfile : packed);
    }

    /// @inheritdoc IPool
    function hasProfile(address earner) external view returns (bool) {
        return _profiles[earner] != 0;
    }

    /// @inheritdoc IPool
    function defaultProfile() external view returns (uint16[] memory weightsBps) {
        return _unpack(_defaultProfile);
    }

    /// @inheritdoc IPool
    function routeOf(uint256 index) external view returns (uint256 toTier) {
        if (index >= _tierCount) revert UnknownTier(index);
        (toTier,) = _route(index, 0);
    }

    // ================================================================ ingress: single payments

    /// @inheritdoc IPool
    /// @dev The payer approves the pool first. Reverts with `TransferShortfall` if fewer tokens arrive.
    function pay(address earner, uint256 amount, bytes32 source) external nonReentrant {
        _checkSingle(earner, amount);
        emit Paid(msg.sender, earner, source, amount);
        _credit(false, earner, amount);
    }

    /// @inheritdoc IPool
    /// @dev The permit runs in try/catch: if someone front-runs it (its nonce then is spent, the allowance is
    ///      already in place), the payment still goes through; if no allowance results, `transferFrom` reverts.
    function payWithPermit(
        address earner,
        uint256 amount,
        bytes32 source,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        _checkSingle(earner, amount);
        try IERC20Permit(address(_asset)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        emit Paid(msg.sender, earner, source, amount);
        _credit(false, earner, amount);
    }

    /// @notice ERC-1363 hook: a wallet pays with one `transferAndCall(pool, amount, data)`.
    /// @dev Only the asset may call. `data` empty: `from` credits itself (source `SOURCE_ERC1363`); otherwise
    ///      `abi.encode(address earner, bytes32 source)`. The tokens arrived before this call, so instead of a
    ///      balance difference the pool checks it holds at least `value` (it holds nothing between
    ///      transactions, so anything less is a fee-on-transfer shortfall).
    function onTransferReceived(address, address from, uint256 value, bytes calldata data)
        external
        nonReentrant
        returns (bytes4)
    {
        if (msg.sender != address(_asset)) revert NotAsset(msg.sender);
        address earner = from;
        bytes32 source = SOURCE_ERC1363;
        if (data.length != 0) {
            if (data.length != 64) revert BadTransferData(data.length);
            (earner, source) = abi.decode(data, (address, bytes32));
        }
        _checkSingle(earner, value);
        uint256 held = _asset.balanceOf(address(this));
        if (held < value) revert TransferShortfall(value, held);
        emit Paid(from, earner, source, value);
        uint256 skipped = _credit(true, earner, value);
        if (skipped != 0) _asset.safeTransfer(from, skipped); // a closed tier's part goes back to the payer
        return IERC1363Receiver.onTransferReceived.selector;
    }

    /// @inheritdoc IPool
    /// @dev Wraps `msg.value` through WETH.deposit (1:1, no measurement needed) and credits like `pay`.
    function payETH(address earner, bytes32 source) external payable nonReentrant {
        _payEth(earner, source);
    }

    /// @notice A plain ETH transfer to the pool credits the sender by their profile (source `SOURCE_ETH`).
    /// @dev Needs more than the 2,300-gas stipend of Solidity's `transfer`/`send`: send with `call`. ETH from
    ///      WETH is the unwrapping of a skipped part inside a payment (`_payEth` returns it to the payer at once),
    ///      so it is accepted without a payment (and within WETH9's 2,300-gas stipend).
    receive() external payable {
        if (msg.sender != _weth) _receivePayment();
    }

    // ================================================================ ingress: batches

    /// @inheritdoc IPool
    /// @dev One `PaidMany` event, then per tier that receives something ONE `transferFrom` of its Σ parts
    ///      straight from the payer to the tier and ONE `creditMany` with that tier's slice. Amounts must fit
    ///      a uint96 (the packed event format). An earner may appear more than once.
    function payMany(bytes32 source, address[] calldata earners, uint256[] calldata amounts)
        external
        nonReentrant
    {
        uint256 n = earners.length;
        if (n != amounts.length) revert LengthMismatch(n, amounts.length);
        _checkBatchSize(n);
        bytes memory log = new bytes(n << 5);
        uint256 logAt;
        uint256 earnersAt;
        uint256 amountsAt;
        assembly ("memory-safe") {
            logAt := add(log, 0x20)
            earnersAt := earners.offset
            amountsAt := amounts.offset
        }
        uint256[_CTX_WORDS] memory bufs = _routeBatch(n, earnersAt, amountsAt, logAt);
        emit PaidMany(msg.sender, source, log);
        _creditBatches(bufs, n);
    }

    /// @inheritdoc IPool
    /// @dev Same as `payMany`; `packed` is exactly the `PaidMany.payments` format, so it is logged as is.
    ///      Saves the ABI padding of both arrays in calldata and the re-encoding of the log.
    function payManyPacked(bytes32 source, bytes calldata packed) external nonReentrant {
        uint256 len = packed.length;
        if (len & 31 != 0) revert PackedLength(len);
        uint256 n = len >> 5;
        _checkBatchSize(n);
        uint256 packedAt;
        assembly ("memory-safe") {
            packedAt := packed.offset
        }
        uint256[_CTX_WORDS] memory bufs = _routeBatch(n, packedAt, 0, 0);
        emit PaidMany(msg.sender, source, packed);
        _creditBatches(bufs, n);
    }

    // ================================================================ holdings

    /// @inheritdoc IPool
    /// @dev The pool redeems on the caller's behalf, so the caller first approves the pool for `shares` of
    ///      the `fromTier` vault (or uses `switchTierWithPermit`). The redeem rounds down and the deposit rounds
    ///      down (both in the vaults' favour); `minSharesOut` bounds what the caller accepts.
    function switchTier(uint256 fromTier, uint256 toTier, uint256 shares, uint256 minSharesOut)
        external
        nonReentrant
        returns (uint256 sharesOut)
    {
        return _switch(fromTier, toTier, shares, minSharesOut);
    }

    /// @inheritdoc IPool
    /// @dev The share permit runs in try/catch (a front-run permit leaves the allowance in place).
    function switchTierWithPermit(
        uint256 fromTier,
        uint256 toTier,
        uint256 shares,
        uint256 minSharesOut,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 sharesOut) {
        if (fromTier >= _tierCount) revert UnknownTier(fromTier);
        try IERC20Permit(_tierAt(fromTier)).permit(msg.sender, address(this), shares, deadline, v, r, s) {}
            catch {}
        return _switch(fromTier, toTier, shares, minSharesOut);
    }

    // ================================================================ admin

    /// @inheritdoc IPool
    /// @dev Safe by construction: the pool holds nothing credited at rest (every payment is deposited in the
    ///      transaction that brought it), and it cannot move shares it does not own or pull from a tier.
    function recover(address token, address to) external onlyOwner nonReentrant {
        if (to == address(0)) revert ZeroRecipient();
        uint256 amount;
        if (token == address(0)) {
            amount = address(this).balance;
            // slither-disable-next-line incorrect-equality (nothing to recover; a donation only makes it non-zero)
            if (amount == 0) revert ZeroAmount();
            emit Recovered(token, to, amount);
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert EthTransferFailed(to, amount);
        } else {
            amount = IERC20(token).balanceOf(address(this));
            // slither-disable-next-line incorrect-equality (nothing to recover; a donation only makes it non-zero)
            if (amount == 0) revert ZeroAmount();
            emit Recovered(token, to, amount);
            IERC20(token).safeTransfer(to, amount);
        }
    }

    // ================================================================ internals: money movement

    function _checkSingle(address earner, uint256 amount) private pure {
        if (earner == address(0)) revert ZeroEarner(0);
        if (amount == 0) revert ZeroAmount();
    }

    function _checkBatchSize(uint256 n) private view {
        if (n == 0) revert EmptyBatch();
        if (n > MAX_BATCH) revert BatchTooLarge(n, MAX_BATCH);
    }

    function _receivePayment() private nonReentrant {
        _payEth(msg.sender, SOURCE_ETH);
    }

    /// @dev Wrap, credit; a skipped part (closed tier without fallback) is unwrapped and sent back to the payer
    ///      in the same transaction, so the pool keeps nothing.
    function _payEth(address earner, bytes32 source) private {
        if (!_ethEnabled) revert NotWETH();
        _checkSingle(earner, msg.value);
        emit Paid(msg.sender, earner, source, msg.value);
        IWETH(_weth).deposit{value: msg.value}();
        uint256 skipped = _credit(true, earner, msg.value);
        if (skipped != 0) {
            IWETH(_weth).withdraw(skipped);
            (bool ok,) = msg.sender.call{value: skipped}("");
            if (!ok) revert EthTransferFailed(msg.sender, skipped);
        }
    }


    /// @dev Credit one earner: split `amount` by the earner's profile; each non-zero part goes straight from
    ///      the payer (msg.sender) to its tier vault (or to its route when the tier is closed), or from this pool
    ///      when `held` (ETH / ERC-1363 funds). Each part is amount × weight / 10,000 rounded down; the heaviest
    ///      tier takes the rest, so the parts sum to `amount` exactly and the heaviest tier's part is never zero.
    /// @return skipped Σ parts skipped (closed tier without fallback): not pulled, or still held by the pool.
    function _credit(bool held, address earner, uint256 amount) private returns (uint256 skipped) {
        uint256 p = _profiles[earner];
        if (p == 0) p = _defaultProfile;
        uint256 h = (p >> _HEAVIEST_SHIFT) & 0xff;
        uint256 to;
        uint256 st = 0; // no tier checked yet
        if ((p >> (h << 4)) & _WEIGHT_MASK == BPS) {
            if (_acceptsDeposits(_tierAt(h))) {
                _creditOne(h, held, earner, amount); // the hot path: one view, no routing state
                return 0;
            }
            (to,) = _route(h, 1 << h); // h is known closed: only its fallbacks are asked
            return _creditPart(h, to, held, earner, amount);
        }
        uint256 rest = amount;
        uint256 n = _tierCount;
        for (uint256 t; t < n; ++t) {
            uint256 w = (p >> (t << 4)) & _WEIGHT_MASK;
            if (t == h || w == 0) continue;
            uint256 part = amount * w / BPS;
            if (part == 0) continue;
            rest -= part;
            (to, st) = _route(t, st);
            skipped += _creditPart(t, to, held, earner, part);
        }
        (to,) = _route(h, st);
        skipped += _creditPart(h, to, held, earner, rest);
    }

    /// @dev Credit `part` of tier `t` at its route `to`: the tier itself, another open tier, or NO_TIER (skip).
    /// @return skipped `part` when skipped, else 0.
    function _creditPart(uint256 t, uint256 to, bool held, address earner, uint256 part)
        private
        returns (uint256 skipped)
    {
        if (to == t) {
            _creditOne(t, held, earner, part);
            return 0;
        }
        if (to == NO_TIER) {
            emit PaymentSkipped(earner, t, part);
            return part;
        }
        emit TierRerouted(t, to);
        _creditOne(to, held, earner, part);
        return 0;
    }

    /// @dev Move `assets` from the payer (msg.sender), or from this pool when `held`, to tier `t`, then have the
    ///      tier credit `receiver`; the tier checks its balance covers the credit. Returns the shares minted
    ///      (rounded down by the tier).
    function _creditOne(uint256 t, bool held, address receiver, uint256 assets) private returns (uint256 minted) {
        address vault = _tierAt(t);
        if (held) _asset.safeTransfer(vault, assets);
        else _pullTo(vault, assets);
        bool ok;
        // vault.credit(receiver, assets), encoded in scratch memory (nothing is allocated on the happy path)
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, shl(224, _CREDIT_SELECTOR))
            mstore(add(p, 0x04), receiver)
            mstore(add(p, 0x24), assets)
            ok := call(gas(), vault, 0, p, 0x44, 0x00, 0x20)
            ok := and(ok, gt(returndatasize(), 0x1f)) // separate: Yul evaluates arguments right to left
            minted := mload(0x00)
        }
        if (!ok) _bubble(_returnData());
    }

    /// @dev `_asset.safeTransferFrom(msg.sender, to, amount)` (OpenZeppelin SafeERC20's rules: a revert is bubbled;
    ///      success is no return data from a contract, or a returned `true`), encoded in scratch memory.
    function _pullTo(address to, uint256 amount) private {
        address token = address(_asset);
        bool ok;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, shl(224, 0x23b872dd)) // transferFrom(address,address,uint256)
            mstore(add(p, 0x04), caller())
            mstore(add(p, 0x24), to)
            mstore(add(p, 0x44), amount)
            if iszero(call(gas(), token, 0, p, 0x64, 0x00, 0x20)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
            switch returndatasize()
            case 0 { ok := gt(extcodesize(token), 0) }
            default { ok := eq(mload(0x00), 1) }
        }
        if (!ok) revert SafeERC20.SafeERC20FailedOperation(token);
    }

    /// @dev The last call's return data as bytes (failure paths only).
    function _returnData() private pure returns (bytes memory reason) {
        assembly ("memory-safe") {
            reason := mload(0x40)
            mstore(reason, returndatasize())
            returndatacopy(add(reason, 0x20), 0, returndatasize())
            mstore(0x40, add(add(reason, 0x20), returndatasize()))
        }
    }

    // Per-tier batch buffer at memory address b, laid out as the exact calldata of
    // creditMany(address[] receivers, uint256[] assets) for up to `cap` entries (calldata starts at b + 28),
    // with the tier's running Σ assets in the word below it (b - 0x20):
    //   b + 0x00                   selector in the low 4 bytes
    //   b + 0x20                   offset of receivers = 0x40
    //   b + 0x40                   offset of assets    = 0x60 + 32 × cap
    //   b + 0x60                   receivers.length (k, the running count)
    //   b + 0x80 + 32 i            receivers[i]
    //   b + 0x80 + 32 cap          assets.length (written when the batch is sent)
    //   b + 0xa0 + 32 cap + 32 i   assets[i]
    // Offsets may leave a gap after receivers when k < cap: the ABI allows any offset, and the vault reads only
    // `length` entries. Buffers are allocated lazily, only for tiers that receive something.

    /// @dev Validate every entry of a batch and route it into the per-tier buffers (same split rule as
    ///      `_credit`). The hot loop of the product, so it is Yul: per entry one calldata read (packed) or two,
    ///      one profile SLOAD, and two memory writes per tier part — no per-entry call, event or re-encoding.
    ///      Merging (issue 16): an earner's consecutive payments are one credit per tier (Σ parts, one balance
    ///      write, one `Transfer`). A one-tier earner named by the previous entry too: its amount joins that
    ///      entry, with no storage read (~1,000 gas with calldata and log). A several-tier earner: each part
    ///      joins its tier's last entry when that is the same earner's. Merging repeats in any order would need
    ///      a per-batch earner table, measured at +300 gas for every distinct earner; payers group instead.
    ///      Σ amounts ≤ 500 × 2^96: no tier total or merged amount can overflow.
    /// @param n Number of entries (1 … MAX_BATCH, checked by the caller).
    /// @param earnersAt Calldata offset of `earners`, or of the packed entries when `amountsAt == 0`.
    /// @param amountsAt Calldata offset of `amounts`; 0 for the packed format.
    /// @param logAt Memory where the packed `PaidMany` entries are written (arrays format only).
    /// @return bufs Memory pointer of each tier's buffer (0: the tier receives nothing).
    function _routeBatch(uint256 n, uint256 earnersAt, uint256 amountsAt, uint256 logAt)
        private
        view
        returns (uint256[_CTX_WORDS] memory bufs)
    {
        {
            uint256 dflt = _defaultProfile;
            assembly ("memory-safe") {
                mstore(add(bufs, 0x120), dflt) // in memory, not on the stack: the loop is at the stack limit
            }
        }
        uint256 err; // low byte: 1 ZeroEarner, 2 ZeroAmountAt, 3 AmountTooLarge, 4 dirty address; index above
        assembly ("memory-safe") {
            // Tier t's buffer at b, allocated on first use (capacity: the batch size, bufs_[MAX_TIERS]).
            function buffer(bufs_, t) -> b {
                let slot := add(bufs_, shl(5, t))
                b := mload(slot)
                if iszero(b) {
                    let cap := mload(add(bufs_, 0x100))
                    b := add(mload(0x40), 0x20) // b - 0x20: the tier's running total
                    mstore(0x40, add(b, add(0xa0, shl(6, cap))))
                    mstore(sub(b, 0x20), 0)
                    mstore(b, _CREDIT_MANY_SELECTOR)
                    mstore(add(b, 0x20), 0x40)
                    mstore(add(b, 0x40), add(0x60, shl(5, cap)))
                    mstore(add(b, 0x60), 0)
                    mstore(slot, b)
                }
            }

            // Give (who, part) to buffer b (several-tier earners): added to the last entry when it is who's
            // (their previous payment in this batch), else appended: receivers[k] at b + 0x80 + 32 k, assets[k] at
            // b + 0x40 + (assets offset) + 32 k, i.e. (assets offset − 0x40) = 0x20 + 32 × capacity further.
            // receivers[k - 1] is at b + 0x60 + 32 k; for k = 0 that is the length word, 0: never an earner.
            function append(b, who, part) {
                let at := add(add(b, 0x60), shl(5, mload(add(b, 0x60))))
                switch eq(mload(at), who)
                case 0 {
                    at := add(at, 0x20)
                    mstore(at, who)
                    mstore(add(at, sub(mload(add(b, 0x40)), 0x40)), part)
                    mstore(add(b, 0x60), add(mload(add(b, 0x60)), 1))
                }
                default {
                    at := add(at, sub(mload(add(b, 0x40)), 0x40))
                    mstore(at, add(mload(at), part)) // ≤ 500 × 2^96: no overflow
                }
                mstore(sub(b, 0x20), add(mload(sub(b, 0x20)), part)) // ≤ 500 × 2^96: no overflow
            }

            // A multi-tier profile: floor every other tier's part; returns the rest, for the heaviest tier.
            function split(bufs_, who, amount, p) -> rest {
                rest := amount
                let ws
                {
                    let h := and(shr(128, p), 0xff)
                    ws := and(and(p, 0xffffffffffffffffffffffffffffffff), not(shl(shl(4, h), 0xffff)))
                }
                for { let t := 0 } ws {
                    t := add(t, 1)
                    ws := shr(16, ws)
                } {
                    let part := div(mul(amount, and(ws, 0xffff)), 10000) // amount < 2^96, w ≤ 10^4
                    if part {
                        let b := buffer(bufs_, t)
                        append(b, who, part)
                        rest := sub(rest, part)
                    }
                }
            }

            mstore(add(bufs, 0x100), n)
            mstore(0x20, _profiles.slot)
            switch amountsAt
            case 0 {
                // packed: 20-byte earner ‖ 12-byte amount, so both are clean by construction
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    let earner := calldataload(add(earnersAt, shl(5, i)))
                    let amount := and(earner, 0xffffffffffffffffffffffff)
                    earner := shr(96, earner)
                    if iszero(mul(earner, amount)) { // < 2^256: zero iff one of them is
                        err := or(shl(8, i), sub(2, iszero(earner))) // 1 ZeroEarner, 2 ZeroAmountAt
                        break
                    }
                    // A consecutive repeat of a one-tier earner: 0x140 holds the previous entry's earner << 96 | its
                    // tier buffer (0 when that earner's profile splits), which ends with their entry: add to it
                    // and read nothing else. Otherwise route by the earner's profile (their slot, else the
                    // default); bits 128..135 name the heaviest tier, which takes everything (one tier) or the
                    // rounding rest. Inline: the hot path. (Memory pointers are < 2^32.)
                    let b := mload(add(bufs, 0x140))
                    switch eq(shr(96, b), earner) // several-tier earners leave 0 there: never an earner
                    case 0 {
                        mstore(0, earner)
                        let p := sload(keccak256(0, 0x40))
                        if iszero(p) { p := mload(add(bufs, 0x120)) } // the default profile
                        {
                            let h := and(shr(128, p), 0xff)
                            b := mload(add(bufs, shl(5, h)))
                            if iszero(b) { b := buffer(bufs, h) }
                            if eq(and(shr(shl(4, h), p), 0xffff), 10000) { p := 0 } // one tier: no split
                        }
                        switch p
                        case 0 {
                            // one tier: a new entry (a consecutive repeat takes the path below)
                            mstore(add(bufs, 0x140), or(shl(96, earner), b))
                            let at := mload(add(b, 0x60)) // k
                            mstore(add(b, 0x60), add(at, 1))
                            at := add(add(b, 0x80), shl(5, at))
                            mstore(at, earner)
                            mstore(add(at, add(0x20, shl(5, n))), amount) // assets[k]: see `append`
                            mstore(sub(b, 0x20), add(mload(sub(b, 0x20)), amount))
                        }
                        default {
                            // several tiers: each part joins its tier's last entry if it is this earner's
                            mstore(add(bufs, 0x140), 0)
                            amount := split(bufs, earner, amount, p)
                            append(b, earner, amount)
                        }
                    }
                    default {
                        b := and(b, 0xffffffff)
                        let at := add(add(add(b, 0x80), shl(5, n)), shl(5, mload(add(b, 0x60)))) // assets[k - 1]
                        mstore(at, add(mload(at), amount))
                        mstore(sub(b, 0x20), add(mload(sub(b, 0x20)), amount))
                    }
                }
            }
            default {
                for { let i_ := 0 } lt(i_, n) { i_ := add(i_, 1) } {
                    let earner_ := calldataload(add(earnersAt, shl(5, i_)))
                    let amount_ := calldataload(add(amountsAt, shl(5, i_)))
                    if or(shr(160, earner_), shr(96, amount_)) {
                        err := or(shl(8, i_), add(3, iszero(iszero(shr(160, earner_))))) // 4 dirty address, 3 too large
                        break
                    }
                    if iszero(mul(earner_, amount_)) {
                        err := or(shl(8, i_), sub(2, iszero(earner_)))
                        break
                    }
                    mstore(add(logAt, shl(5, i_)), or(shl(96, earner_), amount_))
                    // same routing as the packed loop (names differ: slither's SSA needs unique Yul locals)
                    let b_ := mload(add(bufs, 0x140))
                    switch eq(shr(96, b_), earner_) // several-tier earners leave 0 there: never an earner
                    case 0 {
                        mstore(0, earner_)
                        let p_ := sload(keccak256(0, 0x40))
                        if iszero(p_) { p_ := mload(add(bufs, 0x120)) } // the default profile
                        {
                            let h_ := and(shr(128, p_), 0xff)
                            b_ := mload(add(bufs, shl(5, h_)))
                            if iszero(b_) { b_ := buffer(bufs, h_) }
                            if eq(and(shr(shl(4, h_), p_), 0xffff), 10000) { p_ := 0 } // one tier: no split
                        }
                        switch p_
                        case 0 {
                            // one tier: a new entry (a consecutive repeat takes the path below)
                            mstore(add(bufs, 0x140), or(shl(96, earner_), b_))
                            let at_ := mload(add(b_, 0x60)) // k
                            mstore(add(b_, 0x60), add(at_, 1))
                            at_ := add(add(b_, 0x80), shl(5, at_))
                            mstore(at_, earner_)
                            mstore(add(at_, add(0x20, shl(5, n))), amount_) // assets[k]: see `append`
                            mstore(sub(b_, 0x20), add(mload(sub(b_, 0x20)), amount_))
                        }
                        default {
                            // several tiers: each part joins its tier's last entry if it is this earner's
                            mstore(add(bufs, 0x140), 0)
                            amount_ := split(bufs, earner_, amount_, p_)
                            append(b_, earner_, amount_)
                        }
                    }
                    default {
                        b_ := and(b_, 0xffffffff)
                        let at_ := add(add(add(b_, 0x80), shl(5, n)), shl(5, mload(add(b_, 0x60)))) // assets[k - 1]
                        mstore(at_, add(mload(at_), amount_))
                        mstore(sub(b_, 0x20), add(mload(sub(b_, 0x20)), amount_))
                    }
                }
            }
        }
        if (err != 0) _batchError(err, amountsAt);
    }

    /// @dev Revert with the error `_routeBatch` found (cold path, kept out of the loop).
    function _batchError(uint256 err, uint256 amountsAt) private pure {
        uint256 code = err & 0xff;
        uint256 index = err >> 8;
        if (code == 1) revert ZeroEarner(index);
        if (code == 2) revert ZeroAmountAt(index);
        if (code == 3) {
            uint256 amount;
            assembly ("memory-safe") {
                amount := calldataload(add(amountsAt, shl(5, index)))
            }
            revert AmountTooLarge(index, amount);
        }
        revert(); // an address with dirty upper bits: malformed ABI calldata, as Solidity's own decoder does
    }

    /// @dev Per tier that received something: move the tier's Σ parts straight from the payer to the tier (or to
    ///      its route when the tier is closed), then send the buffer as one `creditMany` (the tier checks its
    ///      balance covers it; the returned total of shares is not read). A closed tier without fallback: its
    ///      parts are skipped (nothing pulled), one `PaymentSkipped` per part.
    function _creditBatches(uint256[_CTX_WORDS] memory bufs, uint256 cap) private {
        uint256 n = _tierCount;
        uint256 st;
        for (uint256 t; t < n; ++t) {
            uint256 b = bufs[t];
            if (b == 0) continue;
            uint256 to;
            (to, st) = _route(t, st);
            if (to != t) {
                if (to == NO_TIER) {
                    _skipBuffer(b, t, cap);
                    continue;
                }
                emit TierRerouted(t, to);
            }
            address vault = _tierAt(to);
            uint256 tierTotal;
            assembly ("memory-safe") {
                tierTotal := mload(sub(b, 0x20))
            }
            _pullTo(vault, tierTotal);
            bool ok;
            assembly ("memory-safe") {
                mstore(add(add(b, 0x80), shl(5, cap)), mload(add(b, 0x60)))
                ok := call(gas(), vault, 0, add(b, 28), add(0x84, shl(6, cap)), 0, 0)
            }
            if (!ok) _bubble(_returnData());
        }
    }

    /// @dev Tier `t` is closed without fallback: log each part of its buffer `b` as skipped (nothing was pulled).
    function _skipBuffer(uint256 b, uint256 t, uint256 cap) private {
        uint256 k;
        assembly ("memory-safe") {
            k := mload(add(b, 0x60))
        }
        for (uint256 i; i < k; ++i) {
            address who;
            uint256 part;
            assembly ("memory-safe") {
                who := mload(add(add(b, 0x80), shl(5, i)))
                part := mload(add(add(add(b, 0xa0), shl(5, cap)), shl(5, i)))
            }
            emit PaymentSkipped(who, t, part);
        }
    }

    /// @dev A tier credit failed: bubble the vault's error as is.
    function _bubble(bytes memory reason) private pure {
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }

    function _switch(uint256 fromTier, uint256 toTier, uint256 shares, uint256 minSharesOut)
        private
        returns (uint256 sharesOut)
    {
        uint256 n = _tierCount;
        if (fromTier >= n) revert UnknownTier(fromTier);
        if (toTier >= n) revert UnknownTier(toTier);
        if (fromTier == toTier) revert SameTier(fromTier);
        if (shares == 0) revert ZeroAmount();
        if (!_acceptsDeposits(_tierAt(toTier))) revert TierClosed(toTier);

        // The tier is an immutable TierVault of this pool (it measures its own transfers), so its return value
        // is taken as is: were it ever larger than what arrived, the deposit below would try to pull more than
        // the pool holds (nothing at rest) and the whole switch would revert.
        uint256 assets = ITierVault(_tierAt(fromTier)).redeem(shares, address(this), msg.sender);

        sharesOut = _creditOne(toTier, true, msg.sender, assets);
        if (sharesOut < minSharesOut) revert Slippage(sharesOut, minSharesOut);
        emit TierSwitched(msg.sender, fromTier, toTier, shares, assets, sharesOut);
    }

    // ================================================================ internals: profiles and tiers

    function _tierAt(uint256 i) private view returns (address) {
        if (i < 4) {
            if (i < 2) return i == 0 ? _tier0 : _tier1;
            return i == 2 ? _tier2 : _tier3;
        }
        if (i < 6) return i == 4 ? _tier4 : _tier5;
        return i == 6 ? _tier6 : _tier7;
    }

    /// @dev Where tier `t`'s parts go now (t, a fallback, or NO_TIER), with the transaction's routing state
    ///      `st` (bit t: checked, bit 8 + t: open), so each tier is asked at most once per transaction.
    function _route(uint256 t, uint256 st) private view returns (uint256 to, uint256) {
        bool open;
        (open, st) = _isOpen(t, st);
        if (open) return (t, st);
        uint256 list = _fallbacks >> (t << 5);
        for (uint256 k; k < MAX_TIERS - 1; ++k) {
            uint256 u = (list >> (k << 2)) & 0xf;
            if (u == 0xf) break;
            (open, st) = _isOpen(u, st);
            if (open) return (u, st);
        }
        return (NO_TIER, st);
    }

    function _isOpen(uint256 t, uint256 st) private view returns (bool open, uint256) {
        if ((st >> t) & 1 != 0) return ((st >> (t + _OPEN_SHIFT)) & 1 != 0, st);
        open = _acceptsDeposits(_tierAt(t));
        return (open, st | ((open ? 0x101 : 0x1) << t));
    }

    /// @dev `ITierVault(vault).acceptsDeposits()` in scratch memory; a failing or malformed answer counts as
    ///      closed (the part is then rerouted or skipped instead of reverting the payment).
    function _acceptsDeposits(address vault) private view returns (bool open) {
        assembly ("memory-safe") {
            mstore(0x00, shl(224, _ACCEPTS_DEPOSITS_SELECTOR))
            let ok := staticcall(gas(), vault, 0x00, 0x04, 0x00, 0x20)
            open := and(and(ok, gt(returndatasize(), 0x1f)), eq(mload(0x00), 1))
        }
    }

    /// @dev The fallback table (see `_fallbacks`): for each tier, every other tier with a risk ceiling not above
    ///      its own, highest ceiling first, ties by lower index (≤ 8 × 7 × 8 steps, at deployment only).
    function _fallbackTable(ITierVault[] memory tiers_) private view returns (uint256 table) {
        uint256 n = tiers_.length;
        uint256[] memory ceiling = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ceiling[i] = tiers_[i].riskCeiling();
        }
        for (uint256 t; t < n; ++t) {
            uint256 list = 0xffffffff; // every slot "end"
            uint256 used = 1 << t;
            for (uint256 k; k < n - 1; ++k) {
                uint256 best = NO_TIER;
                for (uint256 u; u < n; ++u) {
                    if ((used >> u) & 1 != 0 || ceiling[u] > ceiling[t]) continue;
                    if (best == NO_TIER || ceiling[u] > ceiling[best]) best = u; // u ascends: ties keep the lower
                }
                if (best == NO_TIER) break;
                used |= 1 << best;
                list = (list & ~(uint256(0xf) << (k << 2))) | (best << (k << 2));
            }
            table |= list << (t << 5);
        }
    }

    /// @dev Validate and pack a profile: one weight per tier, Σ = 10,000; records the heaviest tier.
    function _pack(uint16[] memory weights, uint256 n) private pure returns (uint256 packed) {
        if (weights.length != n) revert ProfileLength(weights.length, n);
        uint256 sum = 0;
        uint256 heaviest = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 w = weights[i];
            sum += w;
            if (w > weights[heaviest]) heaviest = i;
            packed |= w << (i << 4);
        }
        if (sum != BPS) revert ProfileSum(sum);
        packed |= heaviest << _HEAVIEST_SHIFT;
    }

    function _unpack(uint256 packed) private view returns (uint16[] memory weights) {
        uint256 n = _tierCount;
        weights = new uint16[](n);
        for (uint256 i; i < n; ++i) {
            weights[i] = uint16((packed >> (i << 4)) & _WEIGHT_MASK);
        }
    }
}
