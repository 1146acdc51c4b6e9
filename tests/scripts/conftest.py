"""Fixtures of the Python toolchain tests: config builders, a separate anvil node, keyfile accounts."""

from __future__ import annotations

import copy
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # this checkout's tributary package, whatever is installed in the venv

from scripts_helpers import LOCAL_CONFIG  # noqa: E402

from tributary.anvil import DEV_KEYS, AnvilProcess  # noqa: E402


@pytest.fixture
def base_config() -> dict[str, Any]:
    """The shipped local config as a dict: tests change one thing and write it out."""
    return yaml.safe_load(LOCAL_CONFIG.read_text())


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    def write(data: dict[str, Any], name: str = "config.yaml") -> Path:
        path = tmp_path / name
        text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(copy.deepcopy(data))
        path.write_text(text)
        return path

    return write


@pytest.fixture
def anvil(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnvilProcess]:
    """A SEPARATE anvil on a free 127.0.0.1 port, always terminated."""
    node = AnvilProcess.start(tmp_path_factory.mktemp("anvil"))
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture
def keyfile_account() -> Iterator[tuple[str, str]]:
    """An ape keyfile account (alias, passphrase) imported from a funded anvil dev key, removed afterwards."""
    from ape_accounts.accounts import import_account_from_private_key

    alias = f"tributary-test-{uuid.uuid4().hex[:8]}"
    passphrase = "correct horse battery staple"
    account = import_account_from_private_key(alias, passphrase, DEV_KEYS[1])
    try:
        yield alias, passphrase
    finally:
        account.keyfile_path.unlink(missing_ok=True)


@pytest.fixture
def unfunded_keyfile_account() -> Iterator[tuple[str, str]]:
    from ape_accounts.accounts import import_account_from_private_key

    alias = f"tributary-empty-{uuid.uuid4().hex[:8]}"
    passphrase = "empty pockets"
    account = import_account_from_private_key(alias, passphrase, "0x" + "42" * 32)
    try:
        yield alias, passphrase
    finally:
        account.keyfile_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def system(project, chain, admin, alice, bob, carol, platform, stranger, tmp_path_factory):
    """The shipped local config deployed by the library (the deploy script's code path) on the test chain.

    Deployed once per session: ape's pytest isolation snapshots the chain around every test, so each test
    starts from this state. The actors are requested here so they exist before the snapshot (no rebase).
    """
    from tributary.config import load_config
    from tributary.deploy import deploy_system

    result = deploy_system(
        load_config(LOCAL_CONFIG),
        project=project,
        provider=chain.provider,
        account=admin,
        manifest_path=tmp_path_factory.mktemp("system") / "manifest.json",
        network_label="test",
        log=lambda _: None,
    )
    assert result.complete, (result.problems, result.report)
    return result.manifest


@pytest.fixture
def payer(project, system, platform):
    """`platform` funded with the mock asset and approved to the pool."""
    asset = project.MockToken.at(system.address("asset"))
    asset.mint(platform, 10**12, sender=platform)
    asset.approve(system.address("pool"), 2**256 - 1, sender=platform)
    return platform


@pytest.fixture(autouse=True)
def _private_chain_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts run by tests (income, payments) cache chain reads in a temporary file, never in ~/.cache."""
    monkeypatch.setenv("TRIBUTARY_CACHE", str(tmp_path_factory.mktemp("cache") / "chain.sqlite3"))
