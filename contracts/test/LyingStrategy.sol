// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20, ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice TEST ONLY. A strategy that lies twice:
///         - about its value: `totalAssets()` (hence convertToAssets / previewRedeem / maxWithdraw) is the
///           real balance scaled by `reportBps` (10,000 = honest, 30,000 = claims 3x, 5,000 = claims half);
///         - about what it pays: `withdraw` / `redeem` send only `payoutBps` of the assets they return.
///         A vault that trusts return values or reported values instead of measuring balances and
///         realising through `report` (with locked profit) can be drained or inflated by it.
contract LyingStrategy is ERC4626 {
    using SafeERC20 for IERC20;

    /// @notice The strategy changed how much it lies.
    event LiesSet(uint256 reportBps, uint256 payoutBps);

    uint256 public reportBps = 10_000;
    uint256 public payoutBps = 10_000;

    constructor(IERC20 asset_) ERC20("Lying Strategy", "LIE") ERC4626(asset_) {}

    /// @notice Set the value multiplier (`reportBps`) and the payout fraction (`payoutBps`).
    function setLies(uint256 reportBps_, uint256 payoutBps_) external {
        reportBps = reportBps_;
        payoutBps = payoutBps_;
        emit LiesSet(reportBps_, payoutBps_);
    }

    /// @notice The lie: real holdings scaled by `reportBps`.
    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) * reportBps / 10_000;
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        if (caller != owner) _spendAllowance(owner, caller, shares);
        _burn(owner, shares);
        IERC20(asset()).safeTransfer(receiver, assets * payoutBps / 10_000);
        emit Withdraw(caller, receiver, owner, assets, shares);
    }
}
