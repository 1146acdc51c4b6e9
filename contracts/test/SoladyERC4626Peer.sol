// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626} from "solady/tokens/ERC4626.sol";

/// @notice TEST ONLY. Solady's ERC-4626 as shipped, with only the overrides it requires (asset, name,
///         symbol): the second gas peer deposits are compared with, next to OpenZeppelin's (PlainERC4626).
contract SoladyERC4626Peer is ERC4626 {
    address private immutable _asset;

    constructor(address asset_) {
        _asset = asset_;
    }

    function asset() public view override returns (address) {
        return _asset;
    }

    function name() public pure override returns (string memory) {
        return "Solady Peer";
    }

    function symbol() public pure override returns (string memory) {
        return "SLD";
    }
}
