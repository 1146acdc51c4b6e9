"""Pool builders: real TierVaults + Pool over a MockToken (or WETH / a hostile token)."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from pool_helpers import DAY, System, default_profile


@pytest.fixture(scope="session")
def deploy_tiers(project, admin, guardian) -> Callable[..., list[Any]]:
    def deploy(token: Any, ntiers: int = 3) -> list[Any]:
        tiers = []
        for i in range(ntiers):
            vault = admin.deploy(
                project.TierVault,
                token,
                f"Tributary tier {i}",
                f"tT{i}",
                min(i + 1, 5),  # risk ceiling: conservative 1, balanced 2, growth 3 …
                admin,
                DAY,  # timelock
                7 * DAY,  # profit unlock time
            )
            vault.grantRole(vault.GUARDIAN_ROLE(), guardian, sender=admin)
            tiers.append(vault)
        return tiers

    return deploy


@pytest.fixture(scope="session")
def make_system(project, admin, make_token, deploy_tiers) -> Callable[..., System]:
    def make(
        ntiers: int = 3,
        decimals: int = 18,
        profile: Sequence[int] | None = None,
        token: Any | None = None,
        weth: Any | None = None,
    ) -> System:
        token = token if token is not None else make_token(decimals)
        tiers = deploy_tiers(token, ntiers)
        pool = admin.deploy(
            project.Pool,
            token,
            tiers,
            list(profile) if profile is not None else default_profile(ntiers),
            admin,
            weth if weth is not None else "0x" + "00" * 20,
        )
        for vault in tiers:  # each tier's admin lets the pool credit what it sends there (credit/creditMany)
            vault.grantRole(vault.DEPOSITOR_ROLE(), pool, sender=admin)
        return System(token=token, tiers=tiers, pool=pool)

    return make


@pytest.fixture(scope="session")
def system(make_system) -> System:
    """The standard pool: 3 tiers (conservative, balanced, growth), 18 decimals, default: all tier 0."""
    return make_system()


@pytest.fixture(scope="session")
def weth(project, admin) -> Any:
    return admin.deploy(project.MockWETH)


@pytest.fixture(scope="session")
def eth_system(make_system, weth) -> System:
    return make_system(token=weth, weth=weth)


@pytest.fixture(scope="module", autouse=True)
def _quiet_revert_traces(quiet_revert_traces: None) -> None:
    """This folder expects many reverts: skip ape's trace printing (see tests/conftest.py)."""


@pytest.fixture(scope="session", autouse=True)
def _session_fixtures_first(
    make_system,
    deploy_tiers,
    system,
    weth,
    eth_system,
    make_token,
    admin,
    guardian,
    platform,
    alice,
    bob,
    carol,
    stranger,
) -> None:
    """Create every session fixture before ape takes its module / test snapshots: a higher-scoped fixture
    first created inside a lower scope forces ape to re-base its isolation (costly, and it warns)."""
