"""Issue 13, as an operator meets it: two dev nodes with one chain id, stale and foreign manifests, a missing
--network, a missing --config, stray tokens and their recovery.

The scripts run in-process (the same click commands as `ape run`), from a scratch working directory so the
default manifest paths (`deployments/<network>.json`) are the ones an operator gets.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from scripts_helpers import LOCAL_CONFIG, invoke
from web3 import Web3

from tributary.anvil import DEV_KEYS, AnvilProcess
from tributary.errors import TributaryError

UNIT = 10**6  # the local config's mock asset: 6 decimals
ENV = {"DEPLOYER_KEY": DEV_KEYS[2]}
DEPLOYER = Web3().eth.account.from_key(DEV_KEYS[2]).address
RECIPIENT = "0x00000000000000000000000000000000000b0B0b"


def _clean_failure(result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output  # ONE line
    for fragment in fragments:
        assert fragment in result.output, result.output
    return result.output


def _small(base_config: dict) -> dict:
    """Two tiers, no strategies, no fee: every deploy step of the wiring in 11 transactions."""
    config = copy.deepcopy(base_config)
    config["tiers"] = [dict(tier, strategies=[]) for tier in config["tiers"][:2]]
    config["default_profile"] = [6000, 4000]
    del config["performance_fee"]
    return config


def _deploy(url: str, config: Path, *extra: str):
    return invoke(
        "deploy", "--network", url, "--config", str(config), "--account", "env:DEPLOYER_KEY", *extra, env=ENV
    )


@pytest.fixture
def workdir(tmp_path_factory, monkeypatch) -> Path:
    work = tmp_path_factory.mktemp("operator")
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def hardhat_like(tmp_path_factory):
    """A second dev node with chain id 31337 (as Hardhat's) and its own genesis block."""
    node = AnvilProcess.start(tmp_path_factory.mktemp("node-b"), extra_args=["--timestamp", "1700000000"])
    try:
        yield node
    finally:
        node.stop()


# --- items 1, 2 and 11 -----------------------------------------------------------------------------------
def test_two_dev_nodes_one_chain_id__separate_manifests__reruns_adopt__foreign_ones_refused__strays_recovered(
    anvil, hardhat_like, base_config, write_config, workdir
) -> None:
    config = write_config(_small(base_config))
    first = _deploy(anvil.url, config)
    assert first.exit_code == 0 and "OK      deployed and verified" in first.output, first.output
    [manifest_a] = sorted((workdir / "deployments").glob("*.json"))
    assert manifest_a.name.startswith("custom-31337-")  # chain id AND genesis in the name
    recorded_a = manifest_a.read_text()

    second = _deploy(hardhat_like.url, config)
    assert second.exit_code == 0 and "OK      deployed and verified" in second.output, second.output
    files = sorted((workdir / "deployments").glob("*.json"))
    assert len(files) == 2 and not any("stale" in f.name for f in files)  # nothing moved aside
    assert manifest_a.read_text() == recorded_a

    rerun = _deploy(anvil.url, config)  # back on the first node: adopts its own system, sends nothing
    assert rerun.exit_code == 0 and "OK      deployed and verified" in rerun.output, rerun.output
    deployed = first.output.count("done    deploy:")  # asset, 2 tiers, pool, deposit router
    assert deployed == 5, first.output
    assert "done    " not in rerun.output and rerun.output.count("exists  deploy:") == deployed

    # item 2: a foreign manifest (the other node's) and a stale one (no code at the pool) -> one line each
    manifest_b = next(f for f in files if f != manifest_a)
    foreign = invoke("keeper", "--network", anvil.url, "--dry-run", "--manifest", str(manifest_b))
    _clean_failure(foreign, "was written on another chain with chain id 31337", "--manifest")
    earner = Web3.to_checksum_address("0x" + "11" * 20)
    foreign_income = invoke(
        "income", "--network", anvil.url, "--manifest", str(manifest_b), "--earner", earner
    )
    _clean_failure(foreign_income, "was written on another chain with chain id 31337")
    stale = json.loads(recorded_a)
    stale["contracts"]["pool"]["address"] = "0x000000000000000000000000000000000000dEaD"
    stale_path = workdir / "stale.json"
    stale_path.write_text(json.dumps(stale))
    stale_run = invoke("keeper", "--network", anvil.url, "--dry-run", "--manifest", str(stale_path))
    _clean_failure(
        stale_run, "records pool at 0x000000000000000000000000000000000000dEaD but there is no code"
    )

    # item 11: 5 mUSD sent to the pool by plain transfer -> the keeper warns -> the admin recovers them
    contracts = json.loads(recorded_a)["contracts"]
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    pool = contracts["pool"]["address"]
    token = w3.eth.contract(contracts["asset"]["address"], abi=_mock_token_abi())
    w3.eth.wait_for_transaction_receipt(
        token.functions.mint(pool, 5 * UNIT).transact({"from": w3.eth.accounts[0]})
    )
    keeper = invoke("keeper", "--network", anvil.url, "--dry-run")  # default manifest of this node
    assert keeper.exit_code == 0, keeper.output
    assert "WARNING pool holds 5.000000 mUSD that nobody is credited for" in keeper.output
    assert "make recover RECOVER_ARGS=" in keeper.output

    recover = ["recover", "--network", anvil.url, "--from", "pool", "--to", RECIPIENT]
    _clean_failure(invoke(*recover, "--amount", "6", "--dry-run"), "more than the 5 mUSD stray in pool")
    _clean_failure(invoke(*recover, "--amount", "2", "--dry-run"), "sends its whole balance", "--amount all")
    _clean_failure(invoke(*recover, "--amount", "all", "--from", "nowhere"), "'nowhere' is neither the pool")
    _clean_failure(invoke(*recover, "--amount", "all", "--account", "env:OTHER", env={"OTHER": DEV_KEYS[1]}),
                   "may not recover from pool: only the pool's owner may")  # fmt: skip
    plan = invoke(*recover, "--amount", "all", "--dry-run")
    assert plan.exit_code == 0 and f"would recover 5.000000 mUSD from pool to {RECIPIENT}" in plan.output
    done = invoke(*recover, "--amount", "all", "--account", "env:DEPLOYER_KEY", env=ENV)
    assert done.exit_code == 0 and "done    recover 5.000000 mUSD from pool" in done.output, done.output
    assert token.functions.balanceOf(RECIPIENT).call() == 5 * UNIT
    assert token.functions.balanceOf(pool).call() == 0
    quiet = invoke("keeper", "--network", anvil.url, "--dry-run")
    assert "WARNING" not in quiet.output


# --- item 3 and item 12: the network must be named; a bare host:port and a missing --config get a hint ----
@pytest.mark.parametrize(
    "args",
    [
        ("deploy", "--config", str(LOCAL_CONFIG), "--account", "TEST::0"),
        ("keeper", "--dry-run"),
        ("income", "--earner", "0x" + "11" * 20),
        ("recover", "--from", "pool", "--amount", "all", "--to", RECIPIENT),
    ],
)
def test_scripts__without_network__refuse_instead_of_a_throwaway_chain(args) -> None:
    _clean_failure(invoke(*args), "--network is required", "ethereum:local for a throw-away anvil")


def test_deploy__host_port_without_scheme__suggests_http() -> None:
    result = invoke(
        "deploy", "--network", "127.0.0.1:8545", "--config", str(LOCAL_CONFIG), "--account", "TEST::0"
    )
    _clean_failure(result, "an RPC URL needs its scheme: --network http://127.0.0.1:8545")


def test_deploy__no_config_for_this_network__suggests_local_yaml(anvil) -> None:
    result = invoke("deploy", "--network", anvil.url, "--account", "TEST::0")
    _clean_failure(result, "no --config given and no deploy/custom-31337.yaml", "--config deploy/local.yaml")


# --- item 11, the vault's recovery: coded against recover(token, to, amount) of TierVault v2 ---------------
def _vault_has_recover() -> bool:
    from ape import project

    from tributary.chain import abi_of

    return any(item.get("name") == "recover" for item in abi_of(project, "TierVault"))


@pytest.mark.skipif(not _vault_has_recover(), reason="the compiled TierVault has no recover() yet (vault v2)")
def test_recover__vault_stray__only_the_unbooked_part_goes_to_the_recipient(
    chain, project, system, admin, payer
) -> None:
    from tributary.chain import ApeSender
    from tributary.recover import execute_recovery, plan_recovery

    w3 = chain.provider.web3
    growth = project.TierVault.at(system.address("vault:growth"))
    asset = project.MockToken.at(system.address("asset"))
    project.Pool.at(system.address("pool")).pay(payer, 10 * UNIT, b"\x00" * 32, sender=payer)
    booked = growth.idle()
    asset.transfer(growth, 7 * UNIT, sender=payer)
    with pytest.raises(TributaryError, match="more than the 7 mUSD stray in vault:growth"):
        plan_recovery(w3, project, system, "growth", "asset", RECIPIENT, "8")
    recovery = plan_recovery(w3, project, system, "growth", "asset", RECIPIENT, "3")
    assert recovery.with_amount and recovery.amount == 3 * UNIT
    execute_recovery(w3, project, recovery, ApeSender(admin))
    assert asset.balanceOf(RECIPIENT) == 3 * UNIT and growth.idle() == booked
    assert asset.balanceOf(growth) == booked + 4 * UNIT


def _mock_token_abi() -> list:
    from ape import project

    from tributary.chain import abi_of

    return abi_of(project, "MockToken")  # test code: the mock's open mint makes a stray balance
