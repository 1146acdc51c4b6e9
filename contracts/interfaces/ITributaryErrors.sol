// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ITributaryErrors
/// @notice Errors and events shared by Tributary's contracts (TierVault, Pool, strategy adapters), declared once
///         so that one failure has one name and one set of fields wherever it is raised.
interface ITributaryErrors {
    /// @notice A batch was called with no entries.
    error EmptyBatch();
    /// @notice The two arrays of a batch differ in length (`accounts` receivers / earners, `amounts` amounts).
    error LengthMismatch(uint256 accounts, uint256 amounts);
    /// @notice A single deposit, payment, withdrawal, switch or recovery of zero.
    error ZeroAmount();
    /// @notice Entry `index` of a batch is zero.
    error ZeroAmountAt(uint256 index);
    /// @notice Fewer assets arrived than the caller promised (fee-on-transfer or rebasing asset).
    error TransferShortfall(uint256 expected, uint256 received);
    /// @notice A required address argument is zero.
    error ZeroAddress();

    /// @notice `amount` of `token` that the contract did not book was returned to `to`.
    event Recovered(address indexed token, address indexed to, uint256 amount);
}
