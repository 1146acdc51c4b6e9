// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title PlainERC4626Vault (TEST ONLY)
/// @notice OpenZeppelin's ERC4626 exactly as published, nothing added: stands for any external ERC-4626
///         vault (Yearn V3, MetaMorpho, sDAI, …). Tests show a TierVault uses it as a strategy directly,
///         with no adapter. Yield is simulated by sending it assets.
contract PlainERC4626Vault is ERC4626 {
    constructor(IERC20 asset_) ERC20("Plain ERC4626", "p4626") ERC4626(asset_) {}
}
