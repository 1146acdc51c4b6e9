// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice TEST ONLY. An ERC-4626 that lets at most `liquidity` assets out (funds lent out elsewhere):
///         maxWithdraw / maxRedeem say so honestly and withdraw / redeem above it revert (OZ checks).
contract IlliquidStrategy is ERC4626 {
    uint256 public liquidity;

    constructor(IERC20 asset_, uint256 liquidity_) ERC20("Illiquid Strategy", "mILQ") ERC4626(asset_) {
        liquidity = liquidity_;
    }

    function setLiquidity(uint256 liquidity_) external {
        liquidity = liquidity_;
    }

    function maxWithdraw(address owner_) public view override returns (uint256) {
        return Math.min(super.maxWithdraw(owner_), liquidity);
    }

    function maxRedeem(address owner_) public view override returns (uint256) {
        return Math.min(super.maxRedeem(owner_), convertToShares(liquidity));
    }

    function _withdraw(address caller, address receiver, address owner_, uint256 assets, uint256 shares)
        internal
        override
    {
        liquidity -= assets;
        super._withdraw(caller, receiver, owner_, assets, shares);
    }
}
