"""abi/<Contract>.json: committed for clients other than our Python, and never stale."""

from __future__ import annotations

import json

from scripts_helpers import ROOT

from tributary.abis import PRODUCTION, render, stale, write


def _compiled(project) -> dict[str, list[dict]]:
    return {
        name: getattr(project, name).contract_type.model_dump(mode="json", by_alias=True)["abi"]
        for name in PRODUCTION
    }


def test_committed_abis__match_the_compiled_contracts(project) -> None:
    assert stale(_compiled(project), ROOT / "abi") == [], "abi/ is stale: run `make abi` and commit abi/"


def test_committed_abis__have_events_and_custom_errors(project) -> None:
    pool = json.loads((ROOT / "abi" / "Pool.json").read_text())
    names = {(e["type"], e.get("name")) for e in pool}
    assert {
        ("event", "PaidMany"),
        ("event", "Paid"),
        ("error", "BatchTooLarge"),
        ("error", "ZeroAmountAt"),
    } <= names


def test_stale__a_changed_or_missing_file__is_named_and_rewritten(project, tmp_path) -> None:
    abis = _compiled(project)
    write(abis, tmp_path)
    assert stale(abis, tmp_path) == []
    (tmp_path / "Pool.json").write_text(render(abis["Pool"][1:]))  # an entry dropped: a contract changed
    (tmp_path / "TierVault.json").unlink()
    assert stale(abis, tmp_path) == ["TierVault", "Pool"]
    assert write(abis, tmp_path) == ["TierVault", "Pool"] and stale(abis, tmp_path) == []
