// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice TEST ONLY. A USDC-like token with a blocklist: any transfer from or to a blocked address
///         reverts. Used to check that one blocked earner cannot block anybody else's withdrawal.
contract BlocklistToken is ERC20 {
    /// @notice `account` was added to (`blocked` = true) or removed from the blocklist.
    event BlockedSet(address indexed account, bool blocked);

    /// @notice A transfer touched a blocked address.
    error AddressBlocked(address account);

    uint8 private immutable _decimals;
    mapping(address => bool) public blocked;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Mint `amount` to `to` (anyone may mint: test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Block or unblock `account` (anyone may: test token).
    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
        emit BlockedSet(account, isBlocked);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert AddressBlocked(from);
        if (blocked[to]) revert AddressBlocked(to);
        super._update(from, to, value);
    }
}
