"""`ape run deploy` end to end on a SEPARATE anvil (its own process on a free 127.0.0.1 port), signing with
an ape keyfile account imported from a funded anvil key: the path an operator takes on a real network."""

from __future__ import annotations

import json
import signal
import urllib.request

from scripts_helpers import LOCAL_CONFIG, ape_popen, ape_run, invoke
from web3 import Web3

from tributary.income import encode_source

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

    third = invoke(*args, env=env)  # in-process: the same click command, without interpreter start-up
    assert third.exit_code == 0 and DONE not in third.output  # idempotent: nothing left to send
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

    first = invoke(*args, env=env)
    assert first.exit_code == 0, first.output
    assert "PENDING 5 step(s) wait for a timelock" in first.output
    data = json.loads(manifest.read_text())
    assert len(data["pending"]) == 5 and data["verified"] is False

    _rpc(anvil.url, "evm_increaseTime", [3601])
    _rpc(anvil.url, "evm_mine", [])
    second = invoke(*args, env=env)
    assert second.exit_code == 0, second.output
    assert second.output.count("done    accept:") == 5
    data = json.loads(manifest.read_text())
    assert data["verified"] is True and data["pending"] == {}


def test_operator_scripts__keeper_and_income_on_the_deployed_node(anvil, keyfile_account, tmp_path) -> None:
    """deploy -> payments -> keeper --dry-run -> keeper -> keeper again (no-op) -> income --json --png.

    In-process (same click commands as `ape run`, without the interpreter start-up per call)."""
    alias, passphrase = keyfile_account
    env = {f"APE_ACCOUNTS_{alias}_PASSPHRASE": passphrase}
    manifest = tmp_path / "m.json"
    common = ["--network", anvil.url, "--manifest", str(manifest)]
    deployed = invoke("deploy", *common, "--config", str(LOCAL_CONFIG), "--account", alias, env=env)
    assert deployed.exit_code == 0, deployed.output

    contracts = json.loads(manifest.read_text())["contracts"]
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    payer, earner = w3.eth.accounts[5], w3.eth.accounts[6]
    asset = w3.eth.contract(contracts["asset"]["address"], abi=_abi("MockToken"))
    pool = w3.eth.contract(contracts["pool"]["address"], abi=_abi("Pool"))
    for call in (
        asset.functions.mint(payer, 10_000 * 10**6),
        asset.functions.approve(pool.address, 2**256 - 1),
        pool.functions.payMany(encode_source("ad-network"), [earner, payer], [4000 * 10**6, 10**6]),
        pool.functions.pay(earner, 1000 * 10**6, encode_source("tips")),
    ):
        w3.eth.wait_for_transaction_receipt(call.transact({"from": payer}))

    plan = invoke("keeper", *common, "--dry-run")
    assert plan.exit_code == 0, plan.output
    assert "Keeper plan (dry run: nothing sent)" in plan.output and plan.output.count("would send") == 3
    block = w3.eth.block_number
    sent = invoke("keeper", *common, "--account", alias, env=env).output
    assert sent.count("sent 3 transaction(s):") == 1 and w3.eth.block_number == block + 3
    hashes = [line.split(" tx ")[1] for line in sent.splitlines() if " tx 0x" in line]  # one per transaction
    mined = {w3.eth.get_block(n)["transactions"][0].to_0x_hex() for n in range(block + 1, block + 4)}
    assert len(hashes) == 3 and set(hashes) == mined
    again = invoke("keeper", *common, "--account", alias, env=env)
    assert "nothing worth doing: no transaction sent" in again.output and w3.eth.block_number == block + 3

    png = tmp_path / "income.png"
    income = invoke("income", *common, "--earner", earner, "--json", "--png", str(png))
    assert income.exit_code == 0, income.output
    statement = json.loads(income.output[: income.output.rindex("}") + 1])
    assert statement["by_source"] == {"ad-network": "4000.000000", "tips": "1000.000000"}
    assert statement["paid_in"] == "5000.000000" and png.read_bytes()[:4] == b"\x89PNG"
    table = invoke("income", *common, "--earner", earner)
    assert "Income by source (mUSD)" in table.output and "ad-network" in table.output


def _abi(name: str) -> list:
    from ape import project

    from tributary.chain import abi_of

    return abi_of(project, name)
