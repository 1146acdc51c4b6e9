"""The deployment manifest `deployments/<network>.json`: what exists on chain, written after every step.

The file is rewritten atomically (temp file + rename) after each transaction, so a deploy killed at any
point leaves a manifest describing every step that completed. Before a step sends its transaction the
deployer's nonce is recorded as `inflight`: if the process dies between sending and recording, a rerun
finds the contract at the address that nonce creates and adopts it instead of deploying a twin.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tributary.errors import ManifestError
from tributary.network import chain_id_of, genesis_hash, is_dev_chain, network_label

FORMAT = 1


class Manifest:
    """In-memory view of one manifest file; every mutation is persisted before it returns."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        network: str,
        chain_id: int,
        genesis: str,
        config_hash: str,
        deployer: str,
        dev_chain: bool,
        log: Callable[[str], None] = print,
    ) -> Manifest:
        """Load the manifest at `path` (checking it belongs to this chain and config) or start a new one.

        A dev chain (anvil) restarted since the manifest was written has a new genesis block: the old
        manifest describes contracts that no longer exist, so it is set aside and a fresh one started.
        """
        path = Path(path)
        if path.exists() and dev_chain and _genesis_of(path) not in (None, genesis):
            stale = path.with_name(f"{path.stem}.stale-{int(time.time())}{path.suffix}")
            path.rename(stale)
            log(f"note    {path} belonged to an earlier dev chain (other genesis); moved to {stale.name}")
        if path.exists():
            try:
                data = json.loads(path.read_text())
            except json.JSONDecodeError as err:
                raise ManifestError(f"{path}: not valid JSON ({err}); fix or move it away") from err
            if data.get("chain_id") != chain_id or data.get("genesis", genesis) != genesis:
                raise ManifestError(
                    f"{path} records chain_id {data.get('chain_id')} (genesis {data.get('genesis')}) but the "
                    f"connected chain is {chain_id} (genesis {genesis}); use the manifest of this network"
                )
            if data.get("config_hash") != config_hash:
                raise ManifestError(
                    f"{path} was written for another config ({data.get('config_hash')}, now {config_hash}). "
                    "Deployed contracts are immutable: restore the config, or deploy a new system to a new "
                    "manifest with --manifest"
                )
            return cls(path, data)
        data = {
            "format": FORMAT,
            "network": network,
            "chain_id": chain_id,
            "genesis": genesis,
            "config_hash": config_hash,
            "deployer": deployer,
            "contracts": {},
            "steps": {},
            "pending": {},
            "inflight": None,
            "verified": False,
        }
        manifest = cls(path, data)
        manifest.save()
        return manifest

    @classmethod
    def load(cls, path: str | Path) -> Manifest:
        """Read an existing manifest (keeper, income statement) without config checks."""
        path = Path(path)
        if not path.is_file():
            raise ManifestError(
                f"no deployment manifest at {path}; run `ape run deploy` for this network first"
            )
        try:
            return cls(path, json.loads(path.read_text()))
        except json.JSONDecodeError as err:
            raise ManifestError(f"{path}: not valid JSON ({err})") from err

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            json.dump(self.data, handle, indent=2)  # insertion order = deploy order
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    # --- contracts --------------------------------------------------------------------------------------
    @property
    def contracts(self) -> dict[str, dict[str, Any]]:
        contracts: dict[str, dict[str, Any]] = self.data["contracts"]
        return contracts

    def address(self, key: str) -> str:
        try:
            return str(self.contracts[key]["address"])
        except KeyError:
            raise ManifestError(
                f"{self.path}: no contract '{key}' recorded; is the deployment complete?"
            ) from None

    def record_contract(
        self, key: str, contract: str, address: str, tx: str | None, block: int | None
    ) -> None:
        self.contracts[key] = {"contract": contract, "address": address, "tx": tx, "block": block}
        self.data["steps"][f"deploy:{key}"] = {"tx": tx, "block": block}
        self.data["inflight"] = None
        self.save()

    # --- transactions -----------------------------------------------------------------------------------
    def step_done(self, step: str) -> bool:
        return step in self.data["steps"]

    def record_step(self, step: str, tx: str | None, block: int | None, **extra: Any) -> None:
        self.data["steps"][step] = {"tx": tx, "block": block, **extra}
        self.data["pending"].pop(step, None)
        self.data["inflight"] = None
        self.save()

    def mark_inflight(self, step: str, nonce: int) -> None:
        self.data["inflight"] = {"step": step, "nonce": nonce}
        self.save()

    @property
    def inflight(self) -> dict[str, Any] | None:
        return self.data.get("inflight")

    def set_pending(self, step: str, due: int, reason: str) -> None:
        self.data["pending"][step] = {"due": due, "reason": reason}
        self.save()

    @property
    def pending(self) -> dict[str, dict[str, Any]]:
        pending: dict[str, dict[str, Any]] = self.data["pending"]
        return pending

    def set_verified(self, verified: bool) -> None:
        self.data["verified"] = verified
        self.save()

    def tier_vaults(self) -> list[tuple[str, str]]:
        """(tier name, vault address) in tier order (the order of the config and of the pool)."""
        return [(name, self.address(f"vault:{name}")) for name in self.data.get("tiers", [])]

    def labels(self) -> dict[str, str]:
        """address -> manifest key ("strategy:gro-lp" -> "gro-lp"), for tables."""
        return {v["address"]: k.split(":", 1)[-1] for k, v in self.contracts.items()}

    def set_tiers(self, names: list[str]) -> None:
        self.data["tiers"] = names
        self.save()


def default_manifest_path(provider: Any, root: Path | None = None) -> Path:
    """deployments/<name>.json for this chain. A named public network keeps its name ("sepolia.json"); a dev
    chain or an unnamed RPC URL is keyed by chain id AND genesis hash ("custom-31337-1a2b3c4d.json"): anvil
    and a Hardhat node both use chain id 31337, and must never share (or move aside) each other's manifest."""
    label = network_label(provider)
    if is_dev_chain(provider) or label.startswith("custom-") or label == "local":
        label = f"{label}-{genesis_hash(provider)[2:10]}"
    return (root or Path.cwd()) / "deployments" / f"{label}.json"


def check_deployment(manifest: Manifest, provider: Any) -> None:
    """Refuse a stale or foreign manifest before any contract call (keeper, income statement): the chain id
    and genesis must be the ones recorded, and the pool and every tier vault must have code. Otherwise the
    first contract read ends in web3's BadFunctionCallOutput traceback."""
    path = manifest.path
    chain_id, genesis = chain_id_of(provider), genesis_hash(provider)
    recorded_id, recorded_genesis = manifest.data.get("chain_id"), manifest.data.get("genesis")
    if recorded_id != chain_id:
        raise ManifestError(
            f"{path} is for chain id {recorded_id} but the node is chain id {chain_id}: wrong --network or "
            "wrong --manifest"
        )
    if recorded_genesis is not None and recorded_genesis != genesis:
        raise ManifestError(
            f"{path} was written on another chain with chain id {chain_id} (genesis "
            f"{recorded_genesis[:12]}…, this node's is {genesis[:12]}…): a restarted dev node or another "
            "node; deploy again or pass this node's manifest with --manifest"
        )
    keys = ["pool", *(f"vault:{name}" for name in manifest.data.get("tiers", []))]
    for key in keys:
        address = manifest.address(key)
        if len(provider.web3.eth.get_code(address)) == 0:
            raise ManifestError(
                f"{path} records {key} at {address} but there is no code there on this chain: a stale "
                "manifest (the node was reset?); deploy again or pass the right --manifest"
            )


def _genesis_of(path: Path) -> str | None:
    try:
        genesis = json.loads(path.read_text()).get("genesis")
        return None if genesis is None else str(genesis)
    except (OSError, json.JSONDecodeError):
        return None
