"""tributary.access_list: which EIP-2930 entries pay for themselves (pure arithmetic, no chain)."""

from __future__ import annotations

from tributary.access_list import entry_saving, prune, saving

SENDER = "0x" + "11" * 20
POOL = "0x" + "22" * 20
VAULT = "0x" + "33" * 20


def entry(address: str, n: int) -> dict[str, object]:
    return {"address": address, "storageKeys": [f"0x{i:064x}" for i in range(n)]}


def test_a_cold_account_saves_100_and_100_per_slot():
    assert entry_saving(VAULT, 0, set()) == 100
    assert entry_saving(VAULT, 7, set()) == 800


def test_a_warm_account_pays_only_from_25_slots():
    assert entry_saving(POOL, 24, {POOL}) == 0
    assert entry_saving(POOL, 25, {POOL}) == 100
    assert entry_saving(POOL, 100, {POOL}) == 7_600


def test_prune_drops_what_costs_more_than_it_saves():
    listed = [entry(POOL, 4), entry(VAULT, 5), entry(SENDER, 1), entry("0x" + "00" * 19 + "01", 0)]
    kept = prune(listed, SENDER, POOL)
    assert [e["address"] for e in kept] == [VAULT]  # target with 4 slots, sender, a precompile: dropped
    assert saving(kept, SENDER, POOL) == 600
    assert saving(listed, SENDER, POOL) < saving(kept, SENDER, POOL)


def test_prune_keeps_a_batch_target_with_many_slots():
    listed = [entry(POOL, 100), entry(VAULT, 104)]
    assert prune(listed, SENDER, POOL) == listed
    assert saving(listed, SENDER, POOL) == 7_600 + 10_500
