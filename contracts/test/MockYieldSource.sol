// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// @notice TEST ONLY. An ERC-4626 yield source whose assets grow with time: simple interest at
///         `rateBps` per year on the assets it holds, minted (MockToken.mint is free) on every deposit,
///         withdraw or `accrue()`. Views include the interest not yet minted, so previews move with time.
contract MockYieldSource is ERC4626 {
    uint256 public rateBps;
    uint256 public lastAccrual;

    constructor(IERC20 asset_, uint256 rateBps_) ERC20("Mock Yield Source", "mYS") ERC4626(asset_) {
        rateBps = rateBps_;
        lastAccrual = block.timestamp;
    }

    function setRate(uint256 rateBps_) external {
        accrue();
        rateBps = rateBps_;
    }

    /// @notice Mint the interest earned since the last accrual to this contract.
    function accrue() public {
        uint256 interest = pendingInterest();
        lastAccrual = block.timestamp;
        if (interest != 0) IMintable(asset()).mint(address(this), interest);
    }

    function pendingInterest() public view returns (uint256) {
        uint256 held = IERC20(asset()).balanceOf(address(this));
        return held * rateBps * (block.timestamp - lastAccrual) / (10_000 * 365 days);
    }

    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) + pendingInterest();
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        accrue();
        super._deposit(caller, receiver, assets, shares);
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        accrue();
        super._withdraw(caller, receiver, owner, assets, shares);
    }
}
