// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

interface IBurnable {
    function burn(address from, uint256 amount) external;
}

/// @notice TEST ONLY. A plain ERC-4626 whose owner can destroy part of its assets (a hack, a bad debt).
contract LossyStrategy is ERC4626 {
    address public immutable owner;

    error NotOwner(address caller);

    constructor(IERC20 asset_) ERC20("Lossy Strategy", "mLOSS") ERC4626(asset_) {
        owner = msg.sender;
    }

    /// @notice Burn `amount` of the assets this strategy holds.
    function slash(uint256 amount) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        IBurnable(asset()).burn(address(this), amount);
    }
}
