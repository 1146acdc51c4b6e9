"""abi/<Contract>.json: committed for clients other than our Python, and never stale."""

from __future__ import annotations

import json

import pytest
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


def test_readme_recipe__web3_decodes_paid_many_and_a_custom_error_with_abi_files(
    chain, project, system, payer, alice, bob
) -> None:
    """The README's web3.py recipe, run: only abi/Pool.json, no ape artifacts."""
    from eth_abi import decode
    from eth_utils import keccak
    from web3 import Web3
    from web3.exceptions import ContractCustomError

    from tributary.income import encode_source

    w3 = chain.provider.web3
    abi = json.loads((ROOT / "abi" / "Pool.json").read_text())
    pool = w3.eth.contract(address=system.address("pool"), abi=abi)
    packed = bytes.fromhex(alice.address[2:]) + (12_345).to_bytes(12, "big")
    packed += bytes.fromhex(bob.address[2:]) + (1).to_bytes(12, "big")
    project.Pool.at(pool.address).payManyPacked(encode_source("ad-network"), packed, sender=payer)
    start = w3.eth.block_number
    (log,) = pool.events.PaidMany.get_logs(from_block=start, to_block=start)
    raw = log["args"]["payments"]
    entries = [
        (Web3.to_checksum_address(raw[i : i + 20]), int.from_bytes(raw[i + 20 : i + 32], "big"))
        for i in range(0, len(raw), 32)
    ]
    assert entries == [(alice.address, 12_345), (bob.address, 1)]

    errors = {
        keccak(text=f"{e['name']}({','.join(i['type'] for i in e['inputs'])})")[:4]: e
        for e in abi
        if e["type"] == "error"
    }
    too_many = packed[:32] * 334
    with pytest.raises(ContractCustomError) as raised:
        pool.functions.payManyPacked(encode_source("ad-network"), too_many).call({"from": payer.address})
    data = bytes.fromhex(str(raised.value.data)[2:])
    error = errors[data[:4]]
    assert error["name"] == "BatchTooLarge"
    assert decode([i["type"] for i in error["inputs"]], data[4:]) == (334, 333)
