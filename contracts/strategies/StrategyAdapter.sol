// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IStrategyAdapter} from "./interfaces/IStrategyAdapter.sol";

/// @title StrategyAdapter
/// @notice Shared skeleton of Tributary's protocol adapters: an ERC-4626 vault whose assets sit in an
///         external protocol that is not itself ERC-4626 (Aave V3, Morpho Blue, Uniswap V2 …).
/// @dev Wiring is immutable: there is no owner, no admin and no function that can send funds anywhere but
///      back to a share holder through `withdraw` / `redeem`. A concrete adapter implements four hooks:
///      `_invest` (push freshly deposited assets into the protocol), `_divest` (make at least `assets` liquid),
///      `_investedAssets` (what the protocol position is worth now, in the asset) and `_liquidAssets`
///      (what could be withdrawn now: idle + what the protocol lets go), plus optionally `_depositLimit`.
///
///      Depositors. If `ownerVault` is set, only that address may call `deposit` / `mint` and `maxDeposit` /
///      `maxMint` report 0 for any other receiver. This keeps the adapter a private sleeve of one TierVault:
///      nobody else's deposits or exits can move the price at which the vault enters and leaves, and a
///      strategy that charges entry/exit costs (Uniswap) only ever charges its own vault. Shares stay
///      ordinary ERC-20s: whoever holds them can redeem them.
///
///      Rounding follows OpenZeppelin's ERC4626 (always in favour of the remaining holders) and the
///      decimals offset of 6 makes a donation attack cost the attacker a million times what it could steal.
///      `maxWithdraw` / `maxRedeem` are capped by what is really liquid, so a vault never asks for more than
///      the protocol can give and an illiquid market never makes a withdrawal revert halfway.
abstract contract StrategyAdapter is ERC4626, ReentrancyGuardTransient, IStrategyAdapter {
    /// @dev Virtual shares = 10**6 per asset unit: inflation attacks need 10**6 times the stolen amount.
    uint8 internal constant DECIMALS_OFFSET = 6;

    /// @inheritdoc IStrategyAdapter
    address public immutable ownerVault;
    /// @inheritdoc IStrategyAdapter
    uint8 public immutable riskLevel;

    constructor(
        IERC20Metadata asset_,
        string memory name_,
        string memory symbol_,
        address ownerVault_,
        uint8 riskLevel_,
        uint8 riskFloor_
    ) ERC20(name_, symbol_) ERC4626(asset_) {
        if (address(asset_) == address(0)) revert ZeroAddress();
        // An adapter refuses to be labelled safer than its protocol is (riskFloor_), and 5 is the top.
        if (riskLevel_ < riskFloor_ || riskLevel_ > 5) revert InvalidRiskLevel(riskLevel_);
        ownerVault = ownerVault_;
        riskLevel = riskLevel_;
    }

    // ------------------------------------------------------------------ ERC-4626 entry points

    /// @notice Deposit `assets` and put them to work in the protocol; shares go to `receiver`.
    /// @dev Only `ownerVault` (if set). Reverts above `maxDeposit(receiver)`. Non-reentrant.
    function deposit(uint256 assets, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        return super.deposit(assets, receiver);
    }

    /// @notice Mint exactly `shares` to `receiver`, pulling what they cost (rounded up).
    /// @dev Only `ownerVault` (if set). Reverts above `maxMint(receiver)`. Non-reentrant.
    function mint(uint256 shares, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        return super.mint(shares, receiver);
    }

    /// @notice Withdraw exactly `assets` to `receiver`, burning `owner`'s shares (rounded up).
    /// @dev Pulls the missing part out of the protocol first. Reverts above `maxWithdraw(owner)`. Non-reentrant.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256)
    {
        return super.withdraw(assets, receiver, owner);
    }

    /// @notice Burn `shares` of `owner` and send what they are worth (rounded down) to `receiver`.
    /// @dev Pulls the missing part out of the protocol first. Reverts above `maxRedeem(owner)`. Non-reentrant.
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256)
    {
        return super.redeem(shares, receiver, owner);
    }

    // ------------------------------------------------------------------ views

    /// @notice Idle assets plus the protocol position valued in the asset.
    function totalAssets() public view virtual override(ERC4626, IERC4626) returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) + _investedAssets();
    }

    /// @notice 0 for anyone but the owner vault; otherwise what the protocol accepts now (caps, pauses).
    function maxDeposit(address receiver) public view virtual override(ERC4626, IERC4626) returns (uint256) {
        if (ownerVault != address(0) && receiver != ownerVault) return 0;
        return _depositLimit();
    }

    /// @notice Shares `maxDeposit(receiver)` would mint now.
    function maxMint(address receiver) public view virtual override(ERC4626, IERC4626) returns (uint256) {
        uint256 limit = maxDeposit(receiver);
        // slither-disable-next-line incorrect-equality (the "unlimited" sentinel of `_depositLimit`, not a balance)
        return limit == type(uint256).max ? type(uint256).max : previewDeposit(limit);
    }

    /// @notice What `owner` can really withdraw now: their share value, capped by the protocol's liquidity.
    function maxWithdraw(address owner) public view virtual override(ERC4626, IERC4626) returns (uint256) {
        return Math.min(previewRedeem(balanceOf(owner)), _liquidAssets());
    }

    /// @notice Shares `owner` can really redeem now: their balance, capped by the protocol's liquidity.
    function maxRedeem(address owner) public view virtual override(ERC4626, IERC4626) returns (uint256) {
        uint256 liquid = _liquidAssets();
        // Everything liquid: the whole balance (converting assets back to shares could round below it).
        if (liquid >= totalAssets()) return balanceOf(owner);
        return Math.min(balanceOf(owner), _convertToShares(liquid, Math.Rounding.Floor));
    }

    // ------------------------------------------------------------------ internals

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal virtual override {
        if (ownerVault != address(0) && caller != ownerVault) revert NotOwnerVault(caller, ownerVault);
        super._deposit(caller, receiver, assets, shares); // pulls the assets, mints, emits Deposit
        _invest(assets);
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        virtual
        override
    {
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        if (idle < assets) {
            _divest(assets - idle);
            idle = IERC20(asset()).balanceOf(address(this));
            if (idle < assets) revert WithdrawShortfall(assets, idle);
        }
        super._withdraw(caller, receiver, owner, assets, shares); // burns, transfers, emits Withdraw
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev Push `assets` (already held) into the protocol.
    function _invest(uint256 assets) internal virtual;

    /// @dev Make at least `assets` more of the asset liquid in this contract (may free a little more).
    function _divest(uint256 assets) internal virtual;

    /// @dev Value of the protocol position in the asset, excluding idle asset balance. Must not revert.
    function _investedAssets() internal view virtual returns (uint256);

    /// @dev Assets that a withdrawal could obtain right now (idle + protocol liquidity). Must not revert.
    function _liquidAssets() internal view virtual returns (uint256);

    /// @dev Most assets the protocol accepts now; type(uint256).max when unlimited.
    function _depositLimit() internal view virtual returns (uint256) {
        return type(uint256).max;
    }
}
