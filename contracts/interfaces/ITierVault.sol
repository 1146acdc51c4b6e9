// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title ITierVault
/// @notice One risk tier of Tributary: an ERC-4626 vault over one asset whose idle funds are
///         allocated to ERC-4626 strategies. This interface is what the Pool and off-chain tools rely on;
///         the vault's full surface (roles, strategies, errors, events) is declared here too.
interface ITierVault is IERC4626 {
    /// @notice Credit many receivers at one share price, pulling `Σ assets` from the caller once.
    /// @dev The hot path for micro-payments: gas per receiver must stay flat in the number of
    ///      strategies and depositors. Reverts on an empty batch, a length mismatch or a zero receiver.
    /// @param receivers Who gets the shares.
    /// @param assets Assets credited to each receiver (same length as `receivers`).
    /// @return shares Shares minted to each receiver, in order.
    function depositMany(address[] calldata receivers, uint256[] calldata assets)
        external
        returns (uint256[] memory shares);

    /// @notice Highest strategy risk level (1 = lowest … 5) this tier accepts.
    function riskCeiling() external view returns (uint8);
}
