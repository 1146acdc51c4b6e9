"""Thin web3 access to deployed contracts, for the paths that read or send a lot (keeper, demo, income).

ape is the deploy path (real accounts, confirmations); bulk reads and the simulation's hundreds of
transactions go through web3 directly with the ABIs ape compiled, which is an order of magnitude faster.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from web3 import Web3
from web3.contract import Contract

from tributary.errors import DeployError


@cache
def abi_of(project: Any, name: str) -> list[dict[str, Any]]:
    contract_type = getattr(project, name).contract_type
    return [item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in contract_type.abi]


def contract(w3: Web3, project: Any, name: str, address: str) -> Contract:
    """One of OUR contracts (Pool, TierVault) at `address`, with the ABI ape compiled."""
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi_of(project, name))


# Standard interfaces for FOREIGN contracts (the asset, ERC-4626 strategies): OpenZeppelin 5.4's IERC20,
# IERC20Metadata and IERC4626, exported once by solc into tributary/abi/. Production code never reads a
# foreign contract through a test mock's ABI (a real token need not have `mint`, a strategy is no TierVault).
ABI_DIR = Path(__file__).resolve().parent / "abi"
STANDARD_ABIS = ("IERC20", "IERC20Metadata", "IERC4626")


@cache
def standard_abi(name: str) -> list[dict[str, Any]]:
    if name not in STANDARD_ABIS:
        raise ValueError(f"no standard ABI {name!r}; shipped: {', '.join(STANDARD_ABIS)}")
    abi: list[dict[str, Any]] = json.loads((ABI_DIR / f"{name}.json").read_text())
    return abi


def standard(w3: Web3, name: str, address: str) -> Contract:
    """A foreign contract through a standard interface: standard(w3, "IERC4626", strategy)."""
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=standard_abi(name))


def ape_standard(name: str, address: str) -> Any:
    """The same for ape-side code (deploy): an ape contract instance built from the standard ABI list."""
    from ape import Contract as ApeContract

    return ApeContract(address, abi=standard_abi(name))


class Sender(Protocol):
    """Who signs a keeper / simulation transaction."""

    @property
    def address(self) -> str: ...

    def send(self, target: Contract, fn: str, *args: Any) -> dict[str, Any]:
        """Send `target.fn(*args)`, wait for it, return the receipt; raise on revert."""
        ...


@dataclass
class ApeSender:
    """Signs with an ape account (keyfile, env key or test account): the operator path."""

    account: Any

    @property
    def address(self) -> str:
        return str(self.account.address)

    def send(self, target: Contract, fn: str, *args: Any) -> dict[str, Any]:
        from ape import Contract

        instance = Contract(target.address, abi=list(target.abi))
        receipt = getattr(instance, fn)(*args, sender=self.account)
        return {"transactionHash": receipt.txn_hash, "gasUsed": receipt.gas_used, "status": 1}


SIMULATION_GAS = 8_000_000


@dataclass
class UnlockedSender:
    """Sends from an address the node signs for (anvil dev accounts / impersonation): the simulation path."""

    w3: Web3
    address: str

    def send(self, target: Contract, fn: str, *args: Any) -> dict[str, Any]:
        # A fixed gas limit skips an eth_estimateGas round trip per transaction (the node charges gas used).
        tx_hash = getattr(target.functions, fn)(*args).transact({"from": self.address, "gas": SIMULATION_GAS})
        # anvil mines on arrival: poll fast (web3's default 0.1 s poll would dominate the simulation's time).
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.002)
        if receipt["status"] != 1:
            raise DeployError(
                f"{fn} on {target.address} from {self.address} reverted (tx {tx_hash.to_0x_hex()})"
            )
        return dict(receipt)
