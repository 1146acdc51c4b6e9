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


# ---------------------------------------------------------------- Morpho Blue

MORPHO_LLTV = 80 * 10**16  # 80%


@pytest.fixture(scope="module")
def morpho_blue(admin) -> ContractInstance:
    morpho = admin.deploy(protocols.morpho("Morpho"), admin)
    morpho.enableLltv(MORPHO_LLTV, sender=admin)
    return morpho


@pytest.fixture(scope="module")
def morpho_irm(admin, morpho_blue) -> ContractInstance:
    """Morpho's own published IrmMock: borrow APR = utilisation (100% used -> 100% a year)."""
    irm = admin.deploy(protocols.morpho("IrmMock"))
    morpho_blue.enableIrm(irm, sender=admin)
    return irm


@pytest.fixture(scope="module")
def morpho_oracle(admin) -> ContractInstance:
    """Morpho's OracleMock: price of one collateral unit in loan units, scaled by 1e36."""
    oracle = admin.deploy(protocols.morpho("OracleMock"))
    oracle.setPrice(2_000 * 10**36, sender=admin)
    return oracle


@pytest.fixture(scope="module")
def make_morpho_market(admin, morpho_blue, morpho_irm, morpho_oracle) -> Callable[..., tuple]:
    def make(loan: ContractInstance, collateral: ContractInstance) -> tuple[str, str, str, str, int]:
        params = (loan.address, collateral.address, morpho_oracle.address, morpho_irm.address, MORPHO_LLTV)
        morpho_blue.createMarket(params, sender=admin)
        return params

    return make


@pytest.fixture(scope="module")
def make_morpho_strategy(project, admin, vault_account, morpho_blue) -> Callable[..., ContractInstance]:
    def make(params: tuple, owner_vault: Any = None, risk: int = 2) -> ContractInstance:
        owner = vault_account if owner_vault is None else owner_vault
        return admin.deploy(project.MorphoBlueStrategy, morpho_blue, params, owner, risk)

    return make


# ---------------------------------------------------------------- TierVault wiring

WEEK = 7 * 24 * 3600


@pytest.fixture(scope="module")
def make_tier_vault(project, admin, curator, allocator) -> Callable[..., ContractInstance]:
    """A TierVault (timelock 0, profit unlocking over a week) with curator and allocator roles granted."""

    def make(asset: ContractInstance, risk_ceiling: int) -> ContractInstance:
        vault = admin.deploy(project.TierVault, asset, "Tributary tier", "trT", risk_ceiling, admin, 0, WEEK)
        vault.grantRole(vault.CURATOR_ROLE(), curator, sender=admin)
        vault.grantRole(vault.ALLOCATOR_ROLE(), allocator, sender=admin)
        return vault

    return make


@pytest.fixture(scope="module")
def attach(curator) -> Callable[..., None]:
    """Register `strategy` on `vault` (timelock 0: submit then accept at once)."""

    def attach_(vault: ContractInstance, strategy: ContractInstance, risk: int, target_bps: int) -> None:
        vault.submit(vault.addStrategy.encode_input(strategy, risk, target_bps, 2**256 - 1), sender=curator)
        vault.addStrategy(strategy, risk, target_bps, 2**256 - 1, sender=curator)

    return attach_
