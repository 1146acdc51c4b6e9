// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20, ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice TEST ONLY. An honest ERC-4626 strategy with a malicious hook: `arm(target, data)` makes the
///         next deposit or withdrawal call `target` (the vault) with `data` from the strategy, then
///         disarms. A failing callback reverts the whole operation with the callback's error, so tests
///         see which reentrancy guard fired.
contract ReentrantStrategy is ERC4626 {
    using SafeERC20 for IERC20;

    /// @notice The hook was armed to call `target`.
    event Armed(address indexed target, bytes data);
    /// @notice The hook called back into `target` and the call succeeded.
    event Reentered(address indexed target);

    address public hookTarget;
    bytes public hookData;

    constructor(IERC20 asset_) ERC20("Reentrant Strategy", "REE") ERC4626(asset_) {}

    /// @notice On the next deposit or withdrawal, call `target` with `data`.
    function arm(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
        emit Armed(target, data);
    }

    /// @notice Let the strategy approve `spender` for `token` (so a reentrant deposit can pull funds).
    function approveToken(IERC20 token, address spender, uint256 amount) external {
        token.forceApprove(spender, amount);
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        _hook();
        super._deposit(caller, receiver, assets, shares);
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        _hook();
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    function _hook() private {
        address target = hookTarget;
        if (target == address(0)) return;
        hookTarget = address(0);
        (bool ok, bytes memory ret) = target.call(hookData);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        emit Reentered(target);
    }
}
