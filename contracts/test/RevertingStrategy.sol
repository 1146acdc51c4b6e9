// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @notice TEST ONLY. A plain ERC-4626 that, once `setBroken(true)`, reverts on every call the vault
///         makes to it (views included): a paused or exploited protocol.
contract RevertingStrategy is ERC4626 {
    bool public broken;

    error Broken();

    constructor(IERC20 asset_) ERC20("Reverting Strategy", "mREV") ERC4626(asset_) {}

    modifier working() {
        if (broken) revert Broken();
        _;
    }

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    function balanceOf(address a) public view override(ERC20, IERC20) working returns (uint256) {
        return super.balanceOf(a);
    }

    function totalAssets() public view override working returns (uint256) {
        return super.totalAssets();
    }

    function maxDeposit(address a) public view override working returns (uint256) {
        return super.maxDeposit(a);
    }

    function maxWithdraw(address a) public view override working returns (uint256) {
        return super.maxWithdraw(a);
    }

    function maxRedeem(address a) public view override working returns (uint256) {
        return super.maxRedeem(a);
    }

    function previewRedeem(uint256 s) public view override working returns (uint256) {
        return super.previewRedeem(s);
    }

    function _deposit(address c, address r, uint256 a, uint256 s) internal override working {
        super._deposit(c, r, a, s);
    }

    function _withdraw(address c, address r, address o, uint256 a, uint256 s) internal override working {
        super._withdraw(c, r, o, a, s);
    }
}
