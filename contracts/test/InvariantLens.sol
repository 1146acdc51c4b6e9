// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice TEST ONLY. Reads everything the stateful property tests compare against their model in ONE
///         `eth_call`, so checking every invariant after every step costs one round trip instead of
///         hundreds.
/// @dev Every read is a low-level `staticcall`: a target that reverts, lacks the function or returns
///      garbage yields `FAILED` instead of reverting the whole snapshot. That keeps the lens usable with
///      hostile strategies (reverting, lying) and with plain tokens that are not vaults.
///
///      Layout of the returned array (all uint256), with H = holders.length, S = strategies.length:
///        [0, H)                       asset.balanceOf(holder)
///        then per tier (TIER_FIXED + 3H + 2S words):
///          totalSupply, totalAssets, idle, totalDebt, lockedProfit, asset.balanceOf(tier),
///          per holder: tier.balanceOf(holder), tier.maxWithdraw(holder), tier.maxRedeem(holder)
///            (both maxima 0 without a call when the holder has no shares, as ERC-4626 requires)
///          per strategy: strategy.balanceOf(tier), strategy.convertToAssets(that balance)
///        then per strategy (2 words): asset.balanceOf(strategy), strategy.totalAssets()
contract InvariantLens {
    /// @notice Marker for a read that reverted or returned less than one word.
    uint256 public constant FAILED = type(uint256).max;

    /// @notice Words per tier before the per-holder block.
    uint256 public constant TIER_FIXED = 6;

    /// @notice One flat snapshot of balances and accounting of `tiers`, `holders` and `strategies`.
    /// @dev View only; meant for `eth_call`. Cost grows with tiers × (holders + strategies).
    function snapshot(address asset, address[] calldata tiers, address[] calldata holders, address[] calldata strategies)
        external
        view
        returns (uint256[] memory out)
    {
        uint256 h = holders.length;
        uint256 s = strategies.length;
        uint256 perTier = TIER_FIXED + 3 * h + 2 * s;
        out = new uint256[](h + tiers.length * perTier + 2 * s);
        uint256 k;
        for (uint256 i; i < h; ++i) {
            out[k++] = _read(asset, abi.encodeWithSignature("balanceOf(address)", holders[i]));
        }
        for (uint256 t; t < tiers.length; ++t) {
            address tier = tiers[t];
            out[k++] = _read(tier, abi.encodeWithSignature("totalSupply()"));
            out[k++] = _read(tier, abi.encodeWithSignature("totalAssets()"));
            out[k++] = _read(tier, abi.encodeWithSignature("idle()"));
            out[k++] = _read(tier, abi.encodeWithSignature("totalDebt()"));
            out[k++] = _read(tier, abi.encodeWithSignature("lockedProfit()"));
            out[k++] = _read(asset, abi.encodeWithSignature("balanceOf(address)", tier));
            for (uint256 i; i < h; ++i) {
                uint256 shares = _read(tier, abi.encodeWithSignature("balanceOf(address)", holders[i]));
                out[k++] = shares;
                // no shares: ERC-4626 makes both maxima 0 (k is already past them: they stay 0). Skipping
                // the calls matters: each one walks the tier's strategies.
                if (shares == 0) {
                    k += 2;
                    continue;
                }
                out[k++] = _read(tier, abi.encodeWithSignature("maxWithdraw(address)", holders[i]));
                out[k++] = _read(tier, abi.encodeWithSignature("maxRedeem(address)", holders[i]));
            }
            for (uint256 j; j < s; ++j) {
                uint256 held = _read(strategies[j], abi.encodeWithSignature("balanceOf(address)", tier));
                out[k++] = held;
                out[k++] = held == FAILED
                    ? FAILED
                    : _read(strategies[j], abi.encodeWithSignature("convertToAssets(uint256)", held));
            }
        }
        for (uint256 j; j < s; ++j) {
            out[k++] = _read(asset, abi.encodeWithSignature("balanceOf(address)", strategies[j]));
            out[k++] = _read(strategies[j], abi.encodeWithSignature("totalAssets()"));
        }
    }

    function _read(address target, bytes memory data) private view returns (uint256 value) {
        (bool ok, bytes memory ret) = target.staticcall(data);
        if (!ok || ret.length < 32) return FAILED;
        value = abi.decode(ret, (uint256));
    }
}
