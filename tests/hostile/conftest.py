"""Hostile inputs: builders of whole systems over hostile tokens and vaults with hostile strategies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tributary.testing.system import (
    MAX_UINT,
    Deployed,
    Roles,
    add_strategy,
    deploy_system,
    deploy_vault,
)


@pytest.fixture(scope="session")
def roles(admin, curator, allocator, guardian) -> Roles:
    return Roles(admin=admin, curator=curator, allocator=allocator, guardian=guardian)


@pytest.fixture(scope="session")
def payers(platform, alice, bob, carol) -> dict[str, Any]:
    return {"platform": platform, "alice": alice, "bob": bob, "carol": carol}


@pytest.fixture(scope="session")
def build(project, roles, payers) -> Callable[[Any], Deployed]:
    """A pool with 3 strategy-less tiers over `token`; every payer is funded and has approved the pool."""

    def make(token: Any) -> Deployed:
        return deploy_system(project, roles, payers, token=token, strategies=(), approvers=tuple(payers))

    return make


@pytest.fixture(scope="session")
def vault_with(project, roles, make_token, payers) -> Callable[..., tuple[Any, Any, Any]]:
    """(token, vault, strategy): one 18-decimal tier over MockToken with one strategy of `contract` taking
    `target_bps` of what is allocated; payers funded and approved for the vault."""

    def make(contract: str, *args: Any, target_bps: int = 8_000) -> tuple[Any, Any, Any]:
        token = make_token(18)
        vault = deploy_vault(project, roles, token, tier=2, unlock=86_400)
        strategy = roles.admin.deploy(getattr(project, contract), token, *args)
        add_strategy(vault, strategy, roles, risk=1, target_bps=target_bps)
        for wallet in payers.values():
            token.mint(wallet, 10**30, sender=roles.admin)
            token.approve(vault, MAX_UINT, sender=wallet)
        return token, vault, strategy

    return make


@pytest.fixture(scope="module", autouse=True)
def _quiet_revert_traces() -> Iterator[None]:
    """These tests expect many reverts and assert on the decoded custom error; ape would also fetch and
    print a full call trace for each (~1 s on a step-traced anvil). Skip the printing in this folder."""
    from ape_ethereum.trace import Trace

    original = Trace.show
    Trace.show = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    yield
    Trace.show = original  # type: ignore[method-assign]
