"""EIP-2930 access lists that pay for themselves.

A transaction may name, up front, the accounts and storage slots it will touch. Naming costs 2,400 gas per
account and 1,900 per slot; the first touch of a named account or slot then costs 100 instead of 2,600 / 2,100
(EIP-2929). So naming saves 100 gas per slot and 100 per account — except for accounts that are warm anyway
(the sender, the transaction's target, precompiles), where naming the account costs 2,400 for nothing and pays
only when more than 24 of its slots are named.

`with_access_list` asks the node which slots the transaction touches (`eth_createAccessList`, a simulation at
the latest block) and keeps only the entries that save gas. A batch of payments touches two cold slots per
earner (the earner's profile in the pool, their share balance in the tier): about −185 gas per earner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ACCOUNT_COST = 2_400  # EIP-2930: per named address
SLOT_COST = 1_900  # EIP-2930: per named storage key
COLD_ACCOUNT = 2_600  # EIP-2929: first touch of an account
COLD_SLOT = 2_100  # EIP-2929: first touch of a slot
WARM = 100
PRECOMPILES = {f"0x{i:040x}" for i in range(1, 0x12)}  # 0x01 … 0x11 (cancun and prague)


def entry_saving(address: str, slots: int, warm: set[str]) -> int:
    """Gas a named account with `slots` named slots saves (negative: it costs)."""
    per_slot = COLD_SLOT - WARM - SLOT_COST
    if address.lower() in warm:
        return slots * per_slot - ACCOUNT_COST
    return slots * per_slot + COLD_ACCOUNT - WARM - ACCOUNT_COST


def prune(access_list: Sequence[Mapping[str, Any]], sender: str, to: str | None) -> list[dict[str, Any]]:
    """The entries of `access_list` that save gas, in their order."""
    warm = {sender.lower(), *PRECOMPILES} | ({to.lower()} if to else set())
    return [
        {"address": e["address"], "storageKeys": list(e["storageKeys"])}
        for e in access_list
        if entry_saving(str(e["address"]), len(e["storageKeys"]), warm) > 0
    ]


def saving(access_list: Sequence[Mapping[str, Any]], sender: str, to: str | None) -> int:
    """Gas `access_list` saves against the same transaction without one."""
    warm = {sender.lower(), *PRECOMPILES} | ({to.lower()} if to else set())
    return sum(entry_saving(str(e["address"]), len(e["storageKeys"]), warm) for e in access_list)


def with_access_list(w3: Any, tx: Mapping[str, Any]) -> dict[str, Any]:
    """`tx` with the part of the node's access list that saves gas (none: `tx` unchanged, no `accessList`).
    `tx` needs `from`, `to` and `data`; the node simulates it at the latest block."""
    result = w3.eth.create_access_list(dict(tx))
    kept = prune(result["accessList"], str(tx["from"]), tx.get("to"))
    return {**tx, "accessList": kept} if kept else dict(tx)
