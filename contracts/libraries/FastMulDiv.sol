// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title FastMulDiv
/// @notice floor(a × b / c) that skips the 512-bit path when a × b fits 256 bits (the deposit hot path).
/// @dev Differential-tested against OpenZeppelin's Math.mulDiv (tests/vault/test_mul_div.py via
///      contracts/test/MulDivHarness.sol).
library FastMulDiv {
    /// @dev Same result as Math.mulDiv(a, b, c) (and the same reverts: c == 0, or a result above 2**256 − 1).
    function mulDivDown(uint256 a, uint256 b, uint256 c) internal pure returns (uint256) {
        unchecked {
            // b == 0: a × b = 0 fits; the division below then reverts on c == 0 like mulDiv
            if (b == 0 || a <= type(uint256).max / b) return a * b / c;
        }
        return FixedPointMathLib.fullMulDiv(a, b, c);
    }
}
