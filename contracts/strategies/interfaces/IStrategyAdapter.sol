// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ITributaryErrors} from "../../interfaces/ITributaryErrors.sol";

/// @title IStrategyAdapter
/// @notice What every Tributary strategy adapter adds to ERC-4626: who may deposit and how risky it is.
/// @dev Errors shared by all adapters are declared here so an auditor reads every common failure in one place;
///      protocol-specific errors and events live in each adapter's own interface.
interface IStrategyAdapter is IERC4626, ITributaryErrors {
    /// @notice The risk level is above 5 or below the floor the adapter's protocol warrants.
    error InvalidRiskLevel(uint8 riskLevel);
    /// @notice Only the owner vault may deposit or mint into this adapter.
    error NotOwnerVault(address caller, address ownerVault);
    /// @notice The protocol returned fewer assets than the withdrawal needs.
    error WithdrawShortfall(uint256 needed, uint256 available);

    /// @notice The only address allowed to deposit or mint (a TierVault); address(0) means anyone may.
    function ownerVault() external view returns (address);

    /// @notice Risk level the curator should register this strategy with (1 = lowest … 5 = highest).
    function riskLevel() external view returns (uint8);
}
