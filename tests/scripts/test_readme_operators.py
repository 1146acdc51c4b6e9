"""The README's operator sections ("Own node", "Testnets and L2s") exist and their commands work.

- the "Own node" commands run as written (the node's URL, the account alias and the config path swapped
  for this test's), in-process through the same click commands `make` runs via `ape run`;
- the "Testnets and L2s" ape-config block is a valid `node:` config for every documented L2 network, whose
  ape plugins are installed at the pinned versions;
- the Sepolia deploy command is rehearsed on a local anvil configured like a public chain: chain id
  11155111, non-zero base fee, 1 s blocks, 2 confirmations, the shipped deploy/sepolia.yaml unchanged (its
  asset address gets a token's code). No internet: ape is handed the local node's URI.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shlex
import tomllib
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml
from scripts_helpers import ROOT, ape_run, invoke
from web3 import Web3

from tributary.anvil import DEV_KEYS, AnvilProcess

README = ROOT / "README.md"
SEPOLIA_USDC = "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238"  # the asset of the shipped deploy/sepolia.yaml


def _section(title: str) -> str:
    text = README.read_text()
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##)", text, flags=re.S | re.M)
    assert match, f"README has no '### {title}' section"
    return match.group(1)


def _blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


def _commands(section: str) -> list[str]:
    lines = []
    for block in _blocks(section, "bash"):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _make_args(line: str) -> tuple[str, list[str]]:
    """`make keeper KEEPER_ARGS="--network ..."` -> ("keeper", ["--network", ...])."""
    words = shlex.split(line)
    assert words[0] == "make", line
    target = words[1]
    args: list[str] = []
    for word in words[2:]:
        name, _, value = word.partition("=")
        assert name == f"{target.upper()}_ARGS", f"{line}: expected {target.upper()}_ARGS=..."
        args += shlex.split(value)
    return target, args


# --- the sections exist and name what issue 13 asked for -----------------------------------------------
def test_readme__operator_sections__exist_and_cover_node_account_tokens_keeper_and_providers() -> None:
    own = _section("Own node")
    commands = _commands(own)
    targets = [_make_args(c)[0] for c in commands if c.startswith("make ") and c != "make node"]
    assert "make node" in commands
    assert targets == ["account", "deploy", "faucet", "keeper", "income"]
    keeper = next(c for c in commands if c.startswith("make keeper"))
    assert "--dry-run" not in keeper and "--account" in keeper  # a real keeper command
    assert "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" in own  # where anvil is

    makefile = (ROOT / "Makefile").read_text()
    for target in ("node", "account", "faucet", "recover", "typecheck"):
        assert re.search(rf"^{target}: ", makefile, flags=re.M), f"Makefile lacks `{target}`"
    assert re.search(r"^node: .*\n\t@anvil ", makefile, flags=re.M)

    l2 = _section("Testnets and L2s")
    for words in (
        "Missing URI",
        "WEB3_PROVIDER_URI=",
        "APE_ETHEREUM_SEPOLIA=",
        "--network ethereum:sepolia:",
    ):
        assert words in l2, words


def test_readme__provider_config__is_a_node_config_for_every_documented_l2_with_pinned_plugins() -> None:
    from ape import networks
    from ape_node.provider import EthereumNodeConfig

    [block] = _blocks(_section("Testnets and L2s"), "yaml")
    node = yaml.safe_load(block)["node"]
    config = EthereumNodeConfig.model_validate(node)
    assert config.ethereum.sepolia["uri"].startswith("https://")
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    for ecosystem in ("ethereum", "base", "optimism", "arbitrum"):
        assert node[ecosystem]["sepolia"]["uri"].startswith("https://"), ecosystem
        network = networks.get_ecosystem(ecosystem).get_network("sepolia")  # the plugin is installed
        assert network.name == "sepolia" and "node" in network.providers
        if ecosystem != "ethereum":
            package = f"ape-{ecosystem}"
            version = importlib.metadata.version(package)
            assert f"{package}=={version}" in pinned and f"{package}=={version}" in lock
            assert f"`{package}` {version}" in README.read_text()
    chain_ids = {"Base Sepolia": "base", "OP Sepolia": "optimism", "Arbitrum Sepolia": "arbitrum"}
    for label, ecosystem in chain_ids.items():
        chain_id = networks.get_ecosystem(ecosystem).get_network("sepolia").chain_id
        assert f"{label} {chain_id}" in README.read_text()


# --- "Own node": the commands, in order, against a separate anvil ------------------------------------------
def test_readme__own_node_commands__deploy_fund_keep_and_report_a_loss(anvil, tmp_path, monkeypatch) -> None:
    from ape import accounts

    monkeypatch.chdir(tmp_path)  # the default manifest lands in ./deployments, as for an operator
    alias = f"readme_{uuid.uuid4().hex[:8]}"
    text = _section("Own node").replace("http://127.0.0.1:8545", anvil.url).replace("operator", alias)
    text = text.replace("deploy/local.yaml", str(ROOT / "deploy" / "local.yaml"))
    env: dict[str, str] = {}
    outputs: dict[str, str] = {}
    try:
        for line in _commands(text):
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").partition("=")
                env[name] = shlex.split(value)[0]
                continue
            if line == "make node":
                continue  # this test's `anvil` fixture is that node
            target, args = _make_args(line)
            result = invoke(target, *args, env=env)
            assert result.exit_code == 0, f"{line}\n{result.output}"
            outputs[target] = result.output
        assert "OK      deployed and verified" in outputs["deploy"]
        assert "now holds 10,000 mUSD" in outputs["faucet"]

        # the story the keeper line is for: payments, an allocation, a strategy loss realised at once
        keeper_line = next(c for c in _commands(text) if c.startswith("make keeper"))
        _, keeper_args = _make_args(keeper_line)
        [manifest] = (tmp_path / "deployments").glob("custom-31337-*.json")
        contracts = json.loads(manifest.read_text())["contracts"]
        w3 = Web3(Web3.HTTPProvider(anvil.url))
        earner = w3.eth.accounts[1]  # the faucet's recipient in the README
        asset = w3.eth.contract(contracts["asset"]["address"], abi=_abi("MockToken"))
        pool = w3.eth.contract(contracts["pool"]["address"], abi=_abi("Pool"))
        for call in (
            asset.functions.approve(pool.address, 2**256 - 1),
            pool.functions.pay(earner, 5_000 * 10**6, b"tips".ljust(32, b"\0")),
        ):
            w3.eth.wait_for_transaction_receipt(call.transact({"from": earner}))
        allocated = invoke("keeper", *keeper_args, env=env)
        assert allocated.exit_code == 0 and "sent 3 transaction(s):" in allocated.output, allocated.output
        lossy = w3.eth.contract(contracts["strategy:gro-degen"]["address"], abi=_abi("LossyStrategy"))
        deployer = Web3().eth.account.from_key(env["OPERATOR_KEY"]).address
        slash = lossy.functions.slash(lossy.functions.totalAssets().call() // 4)
        w3.eth.wait_for_transaction_receipt(slash.transact({"from": deployer}))
        loss = invoke("keeper", *keeper_args, env=env)
        assert loss.exit_code == 0, loss.output
        assert "LOSS    growth: reported gro-degen at once" in loss.output, loss.output
    finally:
        if alias in accounts.aliases:
            accounts.load(alias).keyfile_path.unlink(missing_ok=True)


# --- "Testnets and L2s": the Sepolia deploy, rehearsed on a node configured like the public one ------------
@pytest.fixture
def sepolia_like(tmp_path_factory):
    node = AnvilProcess.start(
        tmp_path_factory.mktemp("sepolia"),
        chain_id=11155111,
        extra_args=["--base-fee", "1000000000", "--block-time", "1"],
    )
    try:
        yield node
    finally:
        node.stop()


def test_readme__sepolia_deploy__rehearsed_with_confirmations_and_a_base_fee(sepolia_like, tmp_path) -> None:
    url = sepolia_like.url
    w3 = Web3(Web3.HTTPProvider(url))
    _token_at(w3, SEPOLIA_USDC, "USD Coin", "USDC", 6)
    l2 = _section("Testnets and L2s")
    [line] = [c for c in _commands(l2) if c.startswith("make deploy") and "ethereum:sepolia:" in c]
    line = re.sub(r"ethereum:sepolia:https://\S+", f"ethereum:sepolia:{url}", line)
    target, args = _make_args(line.replace("--account operator", "--account env:SEPOLIA_KEY"))
    args = [str(ROOT / a) if a == "deploy/sepolia.yaml" else a for a in args]
    manifest = tmp_path / "sepolia.json"
    env = {
        "SEPOLIA_KEY": DEV_KEYS[1],
        # ape's Sepolia settings (2 confirmations) with this node's 1 s blocks instead of 15 s
        "APE_ETHEREUM_SEPOLIA": json.dumps({"block_time": 1, "required_confirmations": 2}),
    }
    result = ape_run(target, *args, "--manifest", str(manifest), env=env, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "to sepolia (chain 11155111)" in output
    assert "note    sepolia requires 2 confirmation(s)" in output  # item 7: the pauses are explained
    assert "PENDING" not in output and "OK      deployed and verified" in output  # no strategies: no timelock
    data = json.loads(manifest.read_text())
    assert data["chain_id"] == 11155111 and data["verified"] is True
    vault = w3.eth.contract(data["contracts"]["vault:conservative"]["address"], abi=_abi("TierVault"))
    assert vault.functions.symbol().call() == "trCONS-USDC"  # item 10: the asset in the share's symbol
    assert vault.functions.name().call() == "Tributary Conservative USDC"
    assert int(w3.eth.get_block("latest")["baseFeePerGas"]) > 0  # a public-like node, not a free one

    plan = invoke("keeper", "--network", f"ethereum:sepolia:{url}", "--dry-run", "--manifest", str(manifest))
    assert plan.exit_code == 0 and "nothing worth doing" in plan.output, plan.output


def _token_at(w3: Web3, address: str, name: str, symbol: str, decimals: int) -> None:
    """Put an ERC-20 at a fixed address (the shipped config's asset): deploy one, copy code and storage."""
    from ape import project

    container = project.MockToken
    deployer = w3.eth.accounts[0]
    factory = w3.eth.contract(
        abi=_abi("MockToken"), bytecode=container.contract_type.get_deployment_bytecode()
    )
    receipt = w3.eth.wait_for_transaction_receipt(
        factory.constructor(name, symbol, decimals).transact({"from": deployer})
    )
    source = receipt["contractAddress"]
    _rpc(w3, "anvil_setCode", [address, w3.eth.get_code(source).to_0x_hex()])
    for slot in range(10):  # ERC-20 name/symbol and EIP-712 fallbacks live in the first slots
        value = w3.eth.get_storage_at(source, slot).to_0x_hex()
        _rpc(w3, "anvil_setStorageAt", [address, hex(slot), value])
    token = w3.eth.contract(Web3.to_checksum_address(address), abi=_abi("MockToken"))
    assert token.functions.symbol().call() == symbol and token.functions.decimals().call() == decimals


def _rpc(w3: Web3, method: str, params: list) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    url = w3.provider.endpoint_uri  # type: ignore[attr-defined]
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    answer = json.loads(urllib.request.urlopen(request, timeout=5).read())
    assert "error" not in answer, answer


def _abi(name: str) -> list:
    from ape import project

    from tributary.chain import abi_of

    return abi_of(project, name)


def test_readme__exit_codes__say_make_returns_2() -> None:
    text = README.read_text()
    assert "exits 1, which\n`make` reports" in text or "the script exits 1, which" in text
    assert "itself exits 2" in text
    assert Path(ROOT / ".ci" / "run").read_text().count("make test") == 1


def test_readme__web3_provider_uri_line__connects_an_l2_network_to_the_given_node(tmp_path) -> None:
    """The README's environment form on an L2: `WEB3_PROVIDER_URI=... --network base:sepolia:node` reaches a
    local node with Base Sepolia's chain id (the keeper then stops at the missing manifest: connected)."""
    [line] = [c for c in _commands(_section("Testnets and L2s")) if c.startswith("WEB3_PROVIDER_URI=")]
    assignment, make_line = line.split(" ", 1)
    target, args = _make_args(make_line)
    assert args[:2] == ["--network", "base:sepolia:node"]
    node = AnvilProcess.start(tmp_path, chain_id=84532)
    try:
        result = ape_run(target, *args, env={assignment.split("=")[0]: node.url})
    finally:
        node.stop()
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert "Error: no deployment manifest at" in output and "deployments/base-sepolia.json" in output, output
