"""Deposit addresses: a Pool with its DepositRouter, Uniswap V3 from npm, a listed second token (GAME)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from uniswap_v3 import FEE, UniswapV3, deploy_uniswap_v3

from tributary.deposit import deposit_address, source_tag
from tributary.testing.system import Roles, deploy_vault

DAY = 86_400
TWAP_WINDOW = 1_800
MAX_SLIPPAGE_BPS = 200
LISTING_DELAY = DAY
GAME_PRICE = 0.5  # 1 GAME = 0.5 mUSD
ZERO = "0x" + "00" * 20


@dataclass
class DepSystem:
    token: Any
    tiers: list[Any]
    pool: Any
    router: Any

    def address_of(self, earner: Any, source: str) -> str:
        return deposit_address(self.router.address, str(getattr(earner, "address", earner)), source)

    def split(self, who: Any) -> list[int]:
        """What `who` holds in each tier, in the asset."""
        return [t.convertToAssets(t.balanceOf(who)) for t in self.tiers]

    def assets(self, who: Any) -> int:
        """Everything `who` holds across the tiers, in the asset."""
        return sum(t.convertToAssets(t.balanceOf(who)) for t in self.tiers)


@pytest.fixture(scope="session")
def roles(admin, curator, allocator, guardian) -> Roles:
    return Roles(admin=admin, curator=curator, allocator=allocator, guardian=guardian)


@pytest.fixture(scope="session")
def weth(project, admin) -> Any:
    return admin.deploy(project.MockWETH)


@pytest.fixture(scope="session")
def uni(admin, weth) -> UniswapV3:
    return deploy_uniswap_v3(admin, weth)


@pytest.fixture(scope="session")
def make_dep(project, roles, admin, uni) -> Callable[..., DepSystem]:
    def make(
        token: Any, weth: Any = None, profile: tuple[int, ...] = (5_000, 3_000, 2_000), swap: bool = True
    ):
        tiers = [deploy_vault(project, roles, token, t) for t in range(3)]
        pool = admin.deploy(
            project.Pool, token, tiers, list(profile), admin, weth if weth is not None else ZERO
        )
        for vault in tiers:
            vault.grantRole(vault.DEPOSITOR_ROLE(), pool, sender=admin)
        router = admin.deploy(
            project.DepositRouter,
            pool,
            uni.router if swap else ZERO,
            TWAP_WINDOW,
            MAX_SLIPPAGE_BPS,
            LISTING_DELAY,
            admin,
        )
        return DepSystem(token=token, tiers=tiers, pool=pool, router=router)

    return make


@pytest.fixture(scope="session")
def dep(make_dep, make_token) -> DepSystem:
    """The standard system: 18-decimal mUSD, 3 tiers (50/30/20 default), router with conversions."""
    return make_dep(make_token(18))


@pytest.fixture(scope="session")
def game(project, admin) -> Any:
    return admin.deploy(project.MockToken, "Game Gold", "GAME", 18)


@pytest.fixture(scope="session")
def game_pool(chain, uni, dep, game, admin) -> Any:
    """A GAME/mUSD Uniswap V3 pool (1 GAME = 0.5 mUSD, 1M mUSD deep), listed on the router."""
    pool = uni.create_pool(admin, game, dep.token, GAME_PRICE, 10**24)
    chain.mine(1, deltatime=TWAP_WINDOW + 60)
    dep.router.proposeRoute(game, FEE, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    dep.router.listRoute(game, sender=admin)
    return pool


@pytest.fixture(scope="session")
def eth_dep(make_dep, weth) -> DepSystem:
    """A pool over WETH (native ETH to a deposit address is wrapped and credited)."""
    return make_dep(weth, weth=weth, swap=False)


@pytest.fixture(scope="session")
def tag() -> Callable[[str], bytes]:
    return source_tag


@pytest.fixture(scope="module", autouse=True)
def _quiet(quiet_revert_traces: None) -> None:
    """Many expected reverts here: skip ape's trace printing."""


@pytest.fixture(scope="session", autouse=True)
def _session_fixtures_first(dep, game_pool, eth_dep, weth, uni, admin, platform, alice, bob, carol, stranger):
    """Create every session fixture before ape takes its snapshots (see tests/pool/conftest.py)."""
