"""Builders for TierVault tests: a vault with every role granted, strategies of each mock kind, funding.

Deployments are cheap on anvil and ape snapshots the chain around every test, so builders are plain
functions: a test states what it needs (`make_vault(decimals=6, timelock=DAY)`) instead of sharing set-up.
"""

from collections.abc import Callable
from typing import Any

import pytest
from vaultlib import MAX_UINT, WEEK

STRATEGY_KINDS = ("yield", "lossy", "illiquid", "reverting")


@pytest.fixture(scope="session")
def make_vault(project, admin, curator, allocator, guardian, make_token) -> Callable[..., Any]:
    def make(
        decimals: int = 18,
        timelock: int = 0,
        profit_unlock_time: int = WEEK,
        risk_ceiling: int = 3,
        asset: Any = None,
        name: str = "Tributary Balanced",
        symbol: str = "trBAL",
        grant_roles: bool = True,
    ) -> Any:
        token = asset if asset is not None else make_token(decimals)
        vault = admin.deploy(
            project.TierVault, token, name, symbol, risk_ceiling, admin, timelock, profit_unlock_time
        )
        if grant_roles:
            vault.grantRole(vault.CURATOR_ROLE(), curator, sender=admin)
            vault.grantRole(vault.ALLOCATOR_ROLE(), allocator, sender=admin)
            vault.grantRole(vault.GUARDIAN_ROLE(), guardian, sender=admin)
        return vault

    return make


@pytest.fixture(scope="session")
def token_of(project) -> Callable[[Any], Any]:
    """The MockToken a vault (or strategy) is denominated in."""
    return lambda erc4626: project.MockToken.at(erc4626.asset())


@pytest.fixture(scope="session")
def make_strategy(project, admin, token_of) -> Callable[..., Any]:
    def make(vault: Any, kind: str = "yield", rate_bps: int = 1_000, liquidity: int = 0) -> Any:
        token = token_of(vault)
        if kind == "yield":
            return admin.deploy(project.MockYieldSource, token, rate_bps)
        if kind == "lossy":
            return admin.deploy(project.LossyStrategy, token)
        if kind == "illiquid":
            return admin.deploy(project.IlliquidStrategy, token, liquidity)
        if kind == "reverting":
            return admin.deploy(project.RevertingStrategy, token)
        raise ValueError(f"unknown strategy kind {kind!r}; one of {STRATEGY_KINDS}")

    return make


@pytest.fixture(scope="session")
def add_strategy(chain, curator) -> Callable[..., None]:
    """submit the exact addStrategy call → wait the vault's timelock → run it."""

    def add(vault: Any, strategy: Any, risk: int = 1, target_bps: int = 5_000, cap: int = MAX_UINT) -> None:
        vault.submit(vault.addStrategy.encode_input(strategy, risk, target_bps, cap), sender=curator)
        wait = vault.timelock()
        if wait:
            chain.pending_timestamp += wait
        vault.addStrategy(strategy, risk, target_bps, cap, sender=curator)

    return add


@pytest.fixture(scope="session")
def fund(token_of) -> Callable[..., None]:
    """Mint `amount` of the vault's asset to `account` and approve the vault for it."""

    def fund_(vault: Any, account: Any, amount: int, approve: int | None = None) -> None:
        token = token_of(vault)
        token.mint(account, amount, sender=account)
        token.approve(vault, amount if approve is None else approve, sender=account)

    return fund_


@pytest.fixture(scope="module")
def vault(make_vault) -> Any:
    """An 18-decimal vault, timelock 0, profit unlocking over a week, roles granted."""
    return make_vault()


@pytest.fixture(scope="module")
def token(vault, token_of) -> Any:
    return token_of(vault)


@pytest.fixture(scope="module", autouse=True)
def _quiet_revert_traces(quiet_revert_traces: None) -> None:
    """This folder expects many reverts: skip ape's trace printing (see tests/conftest.py)."""


@pytest.fixture(scope="session", autouse=True)
def _session_fixtures_first(
    make_vault,
    make_strategy,
    add_strategy,
    fund,
    token_of,
    admin,
    curator,
    allocator,
    guardian,
    platform,
    alice,
    bob,
    carol,
    stranger,
    fee_recipient,
) -> None:
    """Create every session fixture before ape takes its module / test snapshots: a higher-scoped
    fixture first created inside a lower scope forces ape to re-base (costly, and it warns). They are
    parameters, not getfixturevalue() calls, so that ape sees them in every test's fixture closure."""


@pytest.fixture(scope="module", autouse=True)
def _module_vault(vault: Any, token: Any) -> Any:
    """Deploy the module's vault before ape takes the per-test snapshot."""
    return vault
