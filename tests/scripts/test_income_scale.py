"""A statement among thousands of payments to others, on an untraced copy of the test chain (lean driver):
exact, and its RPC calls do not grow with the history. CI: 3,000 payments in 30 batches to 1,000 earners;
TRIBUTARY_PROFILE=deep: 100,000 in 1,000 batches to 10,000 earners (`make bench` reports the same numbers)."""

from __future__ import annotations

import os

from eth_utils import keccak, to_checksum_address
from scripts_helpers import source
from web3 import Web3

from tributary.cache import ChainCache
from tributary.income import ReadSettings, statement
from tributary.logs import Rpc
from tributary.testing.lean import LeanChain, LeanContract
from tributary.testing.node import untraced_clone

DEEP = os.environ.get("TRIBUTARY_PROFILE") == "deep"
BATCHES, OTHERS = (1_000, 10_000) if DEEP else (30, 1_000)
BATCH = 100


def _addresses(tag: str, count: int) -> list[str]:
    return [to_checksum_address(keccak(text=f"{tag}:{i}")[12:]) for i in range(count)]


def test_statement__thousands_paid_to_others__exact_and_flat_cost(chain, project, system, payer, tmp_path):
    pool_ape = project.Pool.at(system.address("pool"))
    me = _addresses("scale:me", 1)[0]
    others = _addresses("scale:others", OTHERS)
    with untraced_clone(LeanChain(chain.provider.uri), chain.provider.anvil_bin) as clone:
        pool = LeanContract.from_ape(pool_ape)
        rpc = Rpc(Web3(Web3.HTTPProvider(clone.uri)).provider)
        tiers = system.tier_vaults()

        def pay(entries: list[tuple[str, int]]) -> None:
            packed = b"".join(bytes.fromhex(who[2:]) + amount.to_bytes(12, "big") for who, amount in entries)
            data = pool.data("payManyPacked", source("ad-network"), packed)
            assert clone.transact(payer.address, pool.address, data, gas=25_000_000).ok

        mine = 0
        costs = []
        cursor = 0
        with ChainCache(tmp_path / "cache.sqlite3") as cache:
            for b in range(BATCHES):
                entries = [(me, 1_000 + b)] if b < 5 else []
                mine += sum(a for _, a in entries)
                while len(entries) < BATCH:
                    entries.append((others[cursor % OTHERS], 10_000 + cursor))
                    cursor += 1
                pay(entries)
                if b + 1 in (10, BATCHES):
                    result = statement(rpc, pool.address, tiers, me)
                    assert result.paid_in == mine and len(result.payments) == 5
                    # only the earner's own share mints were read: one per tier per payment
                    assert result.scan.logs_read == 5 * len(tiers)
                    costs.append(result.scan.rpc_calls)
            first = statement(rpc, pool.address, tiers, me, settings=ReadSettings(cache=cache, reorg_depth=4))
            pay([(others[0], 1)])
            again = statement(rpc, pool.address, tiers, me, settings=ReadSettings(cache=cache, reorg_depth=4))
    assert costs[0] == costs[-1]  # 1,000 vs 3,000 (or 100,000) payments to others: the same calls
    assert again.paid_in == first.paid_in == mine
    assert again.scan.read_from == first.scan.head - 3 and again.scan.receipts == 0
