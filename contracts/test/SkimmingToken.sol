// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice TEST ONLY. An asset that burns `skimBps` of every transfer (a fee-on-transfer token): the
///         receiver gets less than was sent. Used to prove the vault refuses to credit what never arrived.
contract SkimmingToken is ERC20 {
    uint256 public immutable skimBps;

    constructor(uint256 skimBps_) ERC20("Skimming Token", "SKIM") {
        skimBps = skimBps_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 skim = value * skimBps / 10_000;
        super._update(from, address(0), skim);
        super._update(from, to, value - skim);
    }
}
