"""`ape run deploy` end to end on a SEPARATE anvil (its own process on a free 127.0.0.1 port), signing with
an ape keyfile account imported from a funded anvil key: the path an operator takes on a real network."""

from __future__ import annotations

import json
import signal
import urllib.request

from web3 import Web3

from .conftest import LOCAL_CONFIG, ape_popen, ape_run

DONE = "done    "


def _creations(url: str) -> list[str]:
    """Addresses of every contract created on the chain so far."""
    w3 = Web3(Web3.HTTPProvider(url))
    created = []
    for number in range(w3.eth.block_number + 1):
        for tx in w3.eth.get_block(number, full_transactions=True)["transactions"]:
            if tx["to"] is None:
                created.append(w3.eth.get_transaction_receipt(tx["hash"])["contractAddress"])
    return created


def _rpc(url: str, method: str, params: list) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()


def test_deploy__killed_halfway__rerun_completes_with_same_addresses_and_no_duplicates(
    anvil, keyfile_account, tmp_path
) -> None:
    alias, passphrase = keyfile_account
    env = {f"APE_ACCOUNTS_{alias}_PASSPHRASE": passphrase}
    manifest = tmp_path / "deployments" / "anvil.json"
    args = ["deploy", "--network", anvil.url, "--config", str(LOCAL_CONFIG), "--account", alias]
    args += ["--manifest", str(manifest)]

    process = ape_popen(*args, env=env)
    seen: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(DONE):
            seen.append(line)
            if len(seen) == 5:  # asset + 4 strategies deployed: kill hard, mid-deployment
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    before = {k: v["address"] for k, v in json.loads(manifest.read_text())["contracts"].items()}
    assert len(before) >= 5 and "pool" not in before

    rerun = ape_run(*args, env=env)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "OK      deployed and verified" in rerun.stdout
    for key in before:
        assert f"exists  deploy:{key}" in rerun.stdout or f"adopt   deploy:{key}" in rerun.stdout
    data = json.loads(manifest.read_text())
    after = {k: v["address"] for k, v in data["contracts"].items()}
    assert {k: after[k] for k in before} == before  # nothing recorded was redeployed
    assert data["verified"] is True and not data["pending"]
    created = _creations(anvil.url)
    assert sorted(created) == sorted(after.values())  # one creation per contract, no orphan twins

    third = ape_run(*args, env=env)
    assert third.returncode == 0 and DONE not in third.stdout  # idempotent: nothing left to send
    assert len(_creations(anvil.url)) == len(created)


def test_deploy__with_timelock__records_pending_then_rerun_accepts_when_due(
    anvil, base_config, write_config, tmp_path
) -> None:
    base_config["timelock"] = 3600
    config = write_config(base_config)
    manifest = tmp_path / "m.json"
    env = {"DEPLOYER_KEY": "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"}
    args = ["deploy", "--network", anvil.url, "--config", str(config), "--account", "env:DEPLOYER_KEY"]
    args += ["--manifest", str(manifest)]

    first = ape_run(*args, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "PENDING 5 step(s) wait for a timelock" in first.stdout
    data = json.loads(manifest.read_text())
    assert len(data["pending"]) == 5 and data["verified"] is False

    _rpc(anvil.url, "evm_increaseTime", [3601])
    _rpc(anvil.url, "evm_mine", [])
    second = ape_run(*args, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("done    accept:") == 5
    data = json.loads(manifest.read_text())
    assert data["verified"] is True and data["pending"] == {}
