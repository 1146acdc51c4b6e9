"""Builders for the strategy-adapter tests: real protocol deployments and adapters wired to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import protocols
import pytest
from ape.contracts import ContractInstance
from strategy_helpers import SLIPPAGE_BPS, TWAP_WINDOW


@pytest.fixture(scope="session")
def vault_account(carol):
    """Stands in for the owner TierVault in the standalone adapter tests."""
    return carol


# ---------------------------------------------------------------- Uniswap V2


@pytest.fixture(scope="module")
def uniswap_factory(admin) -> ContractInstance:
    return admin.deploy(protocols.uniswap("UniswapV2Factory"), admin)


@pytest.fixture(scope="module")
def make_uniswap_pair(uniswap_factory, make_token, admin) -> Callable[..., tuple]:
    def make(asset: ContractInstance, reserve_asset: int, reserve_other: int, other_decimals: int = 18):
        other = make_token(other_decimals, "Other", "OTH")
        uniswap_factory.createPair(asset, other, sender=admin)
        pair = protocols.uniswap_pair_at(uniswap_factory.getPair(asset, other))
        asset.mint(pair, reserve_asset, sender=admin)
        other.mint(pair, reserve_other, sender=admin)
        pair.mint(admin, sender=admin)
        return pair, other

    return make


@pytest.fixture(scope="module")
def make_uniswap_strategy(project, admin, vault_account) -> Callable[..., ContractInstance]:
    def make(
        pair, asset, owner_vault=None, risk: int = 4, window: int = TWAP_WINDOW, slippage: int = SLIPPAGE_BPS
    ):
        owner = vault_account if owner_vault is None else owner_vault
        return admin.deploy(project.UniswapV2Strategy, pair, asset, owner, risk, window, slippage)

    return make


# ---------------------------------------------------------------- Aave V3


@pytest.fixture(scope="module")
def aave_market(admin, fee_recipient) -> protocols.AaveMarket:
    return protocols.deploy_aave(admin, fee_recipient)


@pytest.fixture(scope="module")
def aave_collateral(make_token, aave_market, admin) -> ContractInstance:
    """A volatile collateral token (price 2,000 USD) borrowers pledge to borrow the asset."""
    token = make_token(18, "Wrapped Ether", "WETH")
    protocols.aave_list_reserve(aave_market, admin, token, 2_000 * 10**8, collateral=True)
    return token


@pytest.fixture(scope="module")
def make_aave_strategy(project, admin, vault_account, aave_market) -> Callable[..., ContractInstance]:
    def make(asset: ContractInstance, owner_vault: Any = None, risk: int = 1) -> ContractInstance:
        owner = vault_account if owner_vault is None else owner_vault
        return admin.deploy(project.AaveV3Strategy, aave_market.pool, asset, owner, risk)

    return make
