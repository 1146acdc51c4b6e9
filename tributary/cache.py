"""An embedded SQLite cache of chain reads, so a rerun of a statement or reconciliation reads only new blocks.

Nothing in it is authoritative: every row is a copy of something the chain still serves, so the file can be
deleted at any time (the next run reads everything again). Reorgs: each run re-reads the last
`reorg_depth` blocks it had cached. The block just before that window is the anchor: its hash is stored,
and if the next run finds another hash there (a deeper reorg, a restarted dev chain), the scope is dropped
and read again from its start. Since each block hash commits to its parent, an unchanged anchor proves
every cached block before it unchanged.

Tables (keyed by `chain` = chain id + genesis hash, so two chains never share rows):
  scans     one row per scope (what was read: a pool + earner, a pool + payer...): start, done_to, anchor
  logs      the raw logs of a scope's queries
  facts     what a transaction's receipt says (earner-independent, shared by every scope)
  blocks    block timestamps
  meta      immutable reads (an asset's symbol and decimals)
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tributary.logs import LogQuery, LogScanner, Progress, Rpc, RpcError

DEFAULT_REORG_DEPTH = 64  # blocks re-read on every run: deeper than any reorg seen on Ethereum or its L2s
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (chain TEXT, scope TEXT, start INTEGER, done_to INTEGER, anchor INTEGER,
    anchor_hash TEXT, PRIMARY KEY (chain, scope));
CREATE TABLE IF NOT EXISTS logs (chain TEXT, scope TEXT, query TEXT, block INTEGER, log_index INTEGER,
    body TEXT, PRIMARY KEY (chain, scope, query, block, log_index));
CREATE TABLE IF NOT EXISTS facts (chain TEXT, tx TEXT, block INTEGER, body TEXT, PRIMARY KEY (chain, tx));
CREATE TABLE IF NOT EXISTS blocks (chain TEXT, number INTEGER, timestamp INTEGER,
    PRIMARY KEY (chain, number));
CREATE TABLE IF NOT EXISTS meta (chain TEXT, key TEXT, body TEXT, PRIMARY KEY (chain, key));
"""


def default_cache_path() -> Path:
    """$TRIBUTARY_CACHE, else ~/.cache/tributary/chain.sqlite3 (XDG_CACHE_HOME honoured)."""
    if env := os.environ.get("TRIBUTARY_CACHE"):
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tributary" / "chain.sqlite3"


class ChainCache:
    """The SQLite file (or an in-memory database when `path` is None: same code path, nothing kept)."""

    def __init__(self, path: Path | str | None = None) -> None:
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(":memory:" if path is None else str(path))
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):  # an older layout: it is only a cache, start afresh
            for table in ("scans", "logs", "facts", "blocks", "meta"):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ChainCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- scans and logs -------------------------------------------------------------------------------------
    def scan_state(self, chain: str, scope: str) -> tuple[int, int, int, str] | None:
        """(start, done_to, anchor block, anchor hash) of a scope read before, or None."""
        row = self.db.execute(
            "SELECT start, done_to, anchor, anchor_hash FROM scans WHERE chain = ? AND scope = ?",
            (chain, scope),
        ).fetchone()
        return (int(row[0]), int(row[1]), int(row[2]), str(row[3])) if row else None

    def drop_scope(self, chain: str, scope: str) -> None:
        self.db.execute("DELETE FROM scans WHERE chain = ? AND scope = ?", (chain, scope))
        self.db.execute("DELETE FROM logs WHERE chain = ? AND scope = ?", (chain, scope))

    def forget_from(self, chain: str, scope: str, block: int) -> None:
        """Drop what was read at or after `block` (it is read again: a reorg may have changed it)."""
        self.db.execute(
            "DELETE FROM logs WHERE chain = ? AND scope = ? AND block >= ?", (chain, scope, block)
        )
        self.db.execute("DELETE FROM facts WHERE chain = ? AND block >= ?", (chain, block))
        self.db.execute("DELETE FROM blocks WHERE chain = ? AND number >= ?", (chain, block))

    def add_logs(self, chain: str, scope: str, query: str, logs: Sequence[dict[str, Any]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO logs VALUES (?, ?, ?, ?, ?, ?)",
            [
                (chain, scope, query, int(log["blockNumber"], 16), int(log["logIndex"], 16), json.dumps(log))
                for log in logs
            ],
        )

    def logs(self, chain: str, scope: str, query: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT body FROM logs WHERE chain = ? AND scope = ? AND query = ? ORDER BY block, log_index",
            (chain, scope, query),
        )
        return [json.loads(body) for (body,) in rows]

    def set_scan(
        self, chain: str, scope: str, start: int, done_to: int, anchor: int, anchor_hash: str
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO scans VALUES (?, ?, ?, ?, ?, ?)",
            (chain, scope, start, done_to, anchor, anchor_hash),
        )
        self.db.commit()

    # -- per transaction / block / constant -----------------------------------------------------------------
    def facts(self, chain: str, tx: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT body FROM facts WHERE chain = ? AND tx = ?", (chain, tx)).fetchone()
        return json.loads(row[0]) if row else None

    def put_facts(self, chain: str, tx: str, block: int, facts: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)", (chain, tx, block, json.dumps(facts))
        )

    def timestamp(self, chain: str, number: int) -> int | None:
        row = self.db.execute(
            "SELECT timestamp FROM blocks WHERE chain = ? AND number = ?", (chain, number)
        ).fetchone()
        return int(row[0]) if row else None

    def put_timestamp(self, chain: str, number: int, timestamp: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)", (chain, number, timestamp))

    def meta(self, chain: str, key: str) -> Any:
        row = self.db.execute("SELECT body FROM meta WHERE chain = ? AND key = ?", (chain, key)).fetchone()
        return json.loads(row[0]) if row else None

    def put_meta(self, chain: str, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (chain, key, json.dumps(value)))

    def commit(self) -> None:
        self.db.commit()


@dataclass
class SyncReport:
    """What one incremental read did: the blocks it asked logs for and the chain head it stopped at."""

    head: int
    read_from: int  # first block whose logs were read this run
    cached_to: int | None  # where the cache stood before (None: nothing cached or dropped)
    dropped: bool = False  # the cached tip was no longer on the chain: read from the start again

    @property
    def blocks_read(self) -> int:
        return max(0, self.head - self.read_from + 1)


def chain_key(rpc: Rpc) -> str:
    """chain id + genesis hash: a restarted dev chain (same id, new genesis) never reuses rows."""
    chain_id = int(rpc.request("eth_chainId"), 16)
    return f"{chain_id}:{rpc.block(0)['hash']}"


def sync(
    rpc: Rpc,
    scanner: LogScanner,
    cache: ChainCache,
    chain: str,
    scope: str,
    queries: Sequence[LogQuery],
    start: int,
    reorg_depth: int = DEFAULT_REORG_DEPTH,
    progress: Progress | None = None,
    head: dict[str, Any] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], SyncReport]:
    """All logs of `queries` over [start, head], reading from the chain only the blocks the cache lacks plus
    the last `reorg_depth` blocks it had."""
    if reorg_depth < 0:
        raise ValueError(f"reorg depth must be >= 0, got {reorg_depth}")
    tip = head or rpc.block("latest")
    head_number = int(tip["number"], 16)
    state = cache.scan_state(chain, scope)
    read_from, cached_to, dropped = start, None, False
    if state is not None:
        cached_start, done_to, anchor, anchor_hash = state
        unchanged = cached_start == start and done_to <= head_number + reorg_depth
        if unchanged and anchor >= start:
            unchanged = anchor <= head_number and rpc.block(anchor)["hash"] == anchor_hash
        if unchanged:
            cached_to = done_to
            read_from = max(start, anchor + 1)
        else:
            dropped = True
            cache.drop_scope(chain, scope)
        cache.forget_from(chain, scope, read_from)
    if read_from <= head_number:
        fresh = scanner.scan(queries, read_from, head_number, progress)
        for query in queries:
            cache.add_logs(chain, scope, query.name, fresh[query.name])
    anchor, anchor_hash = start - 1, ""  # no anchor: a rerun reads from the start
    if cache.path is not None and head_number - reorg_depth >= start:  # in memory: there is no rerun
        anchor = head_number - reorg_depth  # the last block a rerun will not read again
        try:
            anchor_hash = str(tip["hash"]) if anchor == head_number else str(rpc.block(anchor)["hash"])
        except RpcError:  # a node without that block (a state-only copy of a chain): no anchor
            anchor, anchor_hash = start - 1, ""
    cache.set_scan(chain, scope, start, head_number, anchor, anchor_hash)
    logs = {q.name: cache.logs(chain, scope, q.name) for q in queries}
    return logs, SyncReport(head_number, read_from, cached_to, dropped)
