"""Stateful property tests: the deployed systems and the lean driver (profiles: stateful_profiles.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import stateful_profiles  # noqa: F401  (registers and loads the hypothesis profile)

from tributary.testing.lean import LeanChain
from tributary.testing.node import untraced_clone
from tributary.testing.system import Deployed, Roles, deploy_system


@pytest.fixture(scope="session")
def roles(admin, curator, allocator, guardian) -> Roles:
    return Roles(admin=admin, curator=curator, allocator=allocator, guardian=guardian)


@pytest.fixture(scope="session")
def wallets(alice, bob, carol, stranger, platform) -> dict[str, Any]:
    """Model wallets, all payable; platform pays by approve, carol by permit, alice by ERC-1363."""
    return {"alice": alice, "bob": bob, "carol": carol, "dave": stranger, "platform": platform}


@pytest.fixture(scope="module")
def systems(project, roles, wallets, fee_recipient) -> dict[int, Deployed]:
    """One full system per asset precision (18 and 6 decimals), deployed once per module."""
    return {
        dec: deploy_system(project, roles, wallets, decimals=dec, fee_recipient=fee_recipient)
        for dec in (18, 6)
    }


@pytest.fixture(scope="module")
def lean_chain(chain, systems) -> Iterator[LeanChain]:
    """The lean driver, on an untraced copy of ape's anvil taken after `systems` were deployed
    (TRIBUTARY_STATEFUL_NODE=ape drives ape's own, step-traced anvil instead: 3-5x slower).

    Every automined block is exactly 1 s after its parent, so a replayed example sees the same timestamps,
    hence the same yield, as the original: shrinking stays deterministic."""
    ape_node = LeanChain(chain.provider.uri)
    if os.environ.get("TRIBUTARY_STATEFUL_NODE") == "ape":
        ape_node.fixed_block_interval(1)
        yield ape_node
        ape_node.fixed_block_interval(None)
        return
    with untraced_clone(ape_node, chain.provider.anvil_bin) as clone:
        clone.fixed_block_interval(1)
        yield clone


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report how many chain steps the state machines ran and how fast (the CI budget is ≥ 10,000)."""
    stats = stateful_profiles.STATS
    if stats["steps"]:
        rate = stats["steps"] / stats["seconds"] if stats["seconds"] else 0.0
        terminalreporter.write_line(
            f"stateful: {int(stats['steps'])} steps in {stats['seconds']:.1f} s ({rate:.0f} steps/s), "
            f"profile {stateful_profiles.PROFILE}"
        )
