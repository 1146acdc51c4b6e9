// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice TEST ONLY. A token with a transfer hook (ERC-777 style) through which the token itself attacks:
///         it can hold funds and approve the pool / vaults (`approveAsToken`), so its callback can pay or deposit.
///         `arm(target, data)` makes the NEXT transfer (not mint) call `target` with `data` from this
///         token's address, then disarms. If the callback reverts the whole transfer reverts with the
///         callback's error, so a test sees exactly which guard stopped the reentry.
contract ReentrantAttackerToken is ERC20 {
    /// @notice The hook was armed to call `target`.
    event Armed(address indexed target, bytes data);
    /// @notice The hook called back into `target` and the call succeeded.
    event Reentered(address indexed target);

    uint8 private immutable _decimals;
    address public hookTarget;
    bytes public hookData;

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

    /// @notice Let the token itself approve `spender` (so a reentrant `pay` can pull its funds).
    function approveAsToken(address spender, uint256 amount) external {
        _approve(address(this), spender, amount);
    }

    /// @notice On the next transfer, call `target` with `data` before moving the balance.
    function arm(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
        emit Armed(target, data);
    }

    function _update(address from, address to, uint256 value) internal override {
        address target = hookTarget;
        if (target != address(0) && from != address(0)) {
            hookTarget = address(0); // one shot: the hook cannot recurse into itself
            (bool ok, bytes memory ret) = target.call(hookData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
            emit Reentered(target);
        }
        super._update(from, to, value);
    }
}
