// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {UniswapV2Strategy} from "../strategies/UniswapV2Strategy.sol";
import {AaveV3Strategy} from "../strategies/AaveV3Strategy.sol";
import {MorphoBlueStrategy} from "../strategies/MorphoBlueStrategy.sol";
import {IUniswapV2PairLike} from "../strategies/external/IUniswapV2PairLike.sol";
import {IAaveV3PoolLike} from "../strategies/external/IAaveV3PoolLike.sol";
import {IMorphoBlueLike, MorphoMarketParams} from "../strategies/external/IMorphoBlueLike.sol";

/// @notice TEST ONLY. The production adapters plus entry points that skip ERC-4626's max* checks, so a test
///         can show that what lies just above `maxWithdraw` / `maxDeposit` is refused by the protocol itself
///         (the bound is tight), not only by the max* check. The caller acts for itself.
contract UncheckedUniswapV2Strategy is UniswapV2Strategy {
    constructor(
        IUniswapV2PairLike pair_,
        IERC20Metadata asset_,
        address ownerVault_,
        uint8 riskLevel_,
        uint32 twapWindow_,
        uint16 maxSlippageBps_
    ) UniswapV2Strategy(pair_, asset_, ownerVault_, riskLevel_, twapWindow_, maxSlippageBps_) {}

    function withdrawUnchecked(uint256 assets) external returns (uint256 shares) {
        shares = previewWithdraw(assets);
        _withdraw(msg.sender, msg.sender, msg.sender, assets, shares);
    }

    function redeemUnchecked(uint256 shares) external returns (uint256 assets) {
        assets = previewRedeem(shares);
        _withdraw(msg.sender, msg.sender, msg.sender, assets, shares);
    }

    function depositUnchecked(uint256 assets) external returns (uint256 shares) {
        shares = previewDeposit(assets);
        _deposit(msg.sender, msg.sender, assets, shares);
    }
}

/// @notice TEST ONLY. See UncheckedUniswapV2Strategy.
contract UncheckedAaveV3Strategy is AaveV3Strategy {
    constructor(IAaveV3PoolLike pool_, IERC20Metadata asset_, address ownerVault_, uint8 riskLevel_)
        AaveV3Strategy(pool_, asset_, ownerVault_, riskLevel_)
    {}

    function withdrawUnchecked(uint256 assets) external returns (uint256 shares) {
        shares = previewWithdraw(assets);
        _withdraw(msg.sender, msg.sender, msg.sender, assets, shares);
    }

    function depositUnchecked(uint256 assets) external returns (uint256 shares) {
        shares = previewDeposit(assets);
        _deposit(msg.sender, msg.sender, assets, shares);
    }
}

/// @notice TEST ONLY. See UncheckedUniswapV2Strategy.
contract UncheckedMorphoBlueStrategy is MorphoBlueStrategy {
    constructor(IMorphoBlueLike morpho_, MorphoMarketParams memory params, address ownerVault_, uint8 riskLevel_)
        MorphoBlueStrategy(morpho_, params, ownerVault_, riskLevel_)
    {}

    function withdrawUnchecked(uint256 assets) external returns (uint256 shares) {
        shares = previewWithdraw(assets);
        _withdraw(msg.sender, msg.sender, msg.sender, assets, shares);
    }

    function depositUnchecked(uint256 assets) external returns (uint256 shares) {
        shares = previewDeposit(assets);
        _deposit(msg.sender, msg.sender, assets, shares);
    }
}
