// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FastMulDiv} from "../libraries/FastMulDiv.sol";

/// @notice TEST ONLY. Exposes TierVault's fast mulDiv and OpenZeppelin's, for a differential test.
contract MulDivHarness {
    function fast(uint256 a, uint256 b, uint256 c) external pure returns (uint256) {
        return FastMulDiv.mulDivDown(a, b, c);
    }

    function oz(uint256 a, uint256 b, uint256 c) external pure returns (uint256) {
        return Math.mulDiv(a, b, c);
    }
}
