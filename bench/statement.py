"""What one earner's income statement costs as the pool's history grows (`make bench`, section "statement").

A fresh anvil (no step tracing) gets three tier vaults and a three-tier pool, then payManyPacked batches of
100 entries through the lean JSON-RPC driver, up to 100,000 payments in 1,000 batches to 10,000 other
earners. At 1,000, 10,000 and 100,000 payments in the history we build the statement of one earner whose own
12 payments (10 batch entries, 2 single payments) never change: its RPC calls and seconds must stay flat.
Earners with 10, 100 and 1,000 payments of their own show what does grow (one receipt per own transaction).
A cached statement is then re-run after 10 more batches: it reads only the new blocks (plus the reorg
window). For contrast, "every batch" is the old approach: read and decode every `PaidMany` the pool emitted.

Each statement is checked exact: its paid-in equals what was sent to the earner, payment by payment.
Writes bench/statement.json and bench/statement.md (the README table).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eth_abi import decode
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.chain import Chain, fresh_addresses
from bench.node import anvil
from bench.system import THREE_TIER, Builder, amounts, packed
from tributary.cache import ChainCache
from tributary.income import PAID_MANY, ReadSettings, encode_source, statement, unpack_payments
from tributary.logs import DEFAULT_CHUNK, LogQuery, LogScanner, Rpc
from tributary.testing.lean import LeanChain, LeanContract

ROOT = Path(__file__).resolve().parent.parent
BATCH = 100
OTHERS = 10_000
STAGES = (10, 100, 1_000)  # batches in the history when a statement is measured (x 100 payments)
HEAVY = (10, 100, 1_000)  # own payments of the "heavy" earners (one entry in each of the first N batches)
SOURCE = encode_source("ad-network")
REPEATS = 3  # uncached statements are timed 3 times, best kept: the machine is shared, RPC counts are exact


@dataclass
class Measure:
    label: str
    history: int  # payments in the pool's history
    batches: int
    own_payments: int
    blocks_read: int
    rpc_calls: int
    get_logs: int
    receipts: int
    logs_read: int  # logs the node returned (the old approach: PaidMany logs, each carrying 100 entries)
    seconds: float
    exact: bool
    chunk: int = DEFAULT_CHUNK


class History:
    """The chain being grown: who got what, batch by batch."""

    def __init__(self, chain: Chain, lean: LeanChain, pool: Any, payer: str) -> None:
        self.chain, self.lean, self.pool, self.payer = chain, lean, pool, payer
        self.me = fresh_addresses("statement:me", 1)[0]
        self.heavy = {n: fresh_addresses(f"statement:heavy{n}", 1)[0] for n in HEAVY}
        self.others = fresh_addresses("statement:others", OTHERS)
        self.sent: dict[str, int] = {}
        self.batches = 0
        self.payments = 0
        self.cursor = 0
        self.pay_many = LeanContract(pool.address, pool.abi)

    def _credit(self, who: str, amount: int) -> None:
        self.sent[who] = self.sent.get(who, 0) + amount

    def batch(self) -> None:
        b = self.batches
        entries = [who for n, who in self.heavy.items() if b < n] + ([self.me] if b < 10 else [])
        while len(entries) < BATCH:
            entries.append(self.others[self.cursor % OTHERS])
            self.cursor += 1
        values = amounts(f"statement:{b}", BATCH)
        data = self.pay_many.data("payManyPacked", SOURCE, packed(entries, values))
        receipt = self.lean.transact(self.payer, self.pool.address, data, gas=25_000_000)
        if not receipt.ok:
            raise RuntimeError(f"batch {b} reverted")
        for who, value in zip(entries, values, strict=True):
            self._credit(who, value)
        self.batches += 1
        self.payments += BATCH

    def single(self, who: str, amount: int) -> None:
        data = self.pay_many.data("pay", who, amount, encode_source("tips"))
        if not self.lean.transact(self.payer, self.pool.address, data).ok:
            raise RuntimeError("single payment reverted")
        self._credit(who, amount)
        self.payments += 1


def _measure(
    label: str,
    history: History,
    who: str,
    own: int,
    tiers: Sequence[tuple[str, str]],
    cache: ChainCache | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> Measure:
    settings = ReadSettings(chunk=chunk, cache=cache)
    seconds = float("inf")
    for _ in range(1 if cache is not None else REPEATS):  # a cached run changes the cache: measured once
        rpc = Rpc.of(history.chain.w3)
        started = time.perf_counter()
        result = statement(rpc, history.pool.address, list(tiers), who, settings=settings)
        seconds = min(seconds, time.perf_counter() - started)
    exact = result.paid_in == history.sent.get(who, 0) and len(result.payments) == own
    return Measure(
        label, history.payments, history.batches, len(result.payments), result.scan.blocks_read,
        result.scan.rpc_calls, result.scan.calls.get("eth_getLogs", 0), result.scan.receipts,
        result.scan.logs_read, seconds, exact, chunk,
    )  # fmt: skip


def _every_batch(history: History, who: str) -> Measure:
    """The old approach, for contrast: every PaidMany of the pool, decoded to find one earner."""
    rpc = Rpc.of(history.chain.w3)
    started = time.perf_counter()
    head = int(rpc.block("latest")["number"], 16)
    scanner = LogScanner(rpc, chunk=DEFAULT_CHUNK)
    logs = scanner.scan([LogQuery("all", (history.pool.address,), ((PAID_MANY,),))], 0, head)["all"]
    found = [
        amount
        for log in logs
        for w, amount in unpack_payments(decode(["bytes"], bytes.fromhex(log["data"][2:]))[0])
        if w == who
    ]
    seconds = time.perf_counter() - started
    return Measure(
        "old way: decode every PaidMany", history.payments, history.batches, len(found), head + 1, rpc.total,
        rpc.calls["eth_getLogs"], 0, scanner.logs_read, seconds, True,
    )  # fmt: skip


def run(out_dir: Path, rpc_url: str | None = None) -> list[Measure]:
    if rpc_url is not None:
        return _run(Chain.connect(rpc_url), out_dir)
    from bench.gas import _hardfork

    with anvil(_hardfork()) as url:
        return _run(Chain.connect(url), out_dir)


def _run(chain: Chain, out_dir: Path) -> list[Measure]:
    console = Console()
    builder = Builder(chain)
    tiers_ = builder.pools(builder.tiers(n_strategies=0), {"three-tier": THREE_TIER})
    pool = tiers_.pools["three-tier"]
    tiers = [(f"tier{i}", v.address) for i, v in enumerate(tiers_.vaults)]
    lean = LeanChain(str(chain.w3.provider.endpoint_uri), timeout=120)  # type: ignore[attr-defined]
    history = History(chain, lean, pool, builder.payer)
    measures: list[Measure] = []
    built = time.perf_counter()
    history.single(history.me, 3 * 10**18)
    history.single(history.me, 10**16)
    columns = (
        TextColumn("statement bench: {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("batches", total=STAGES[-1] + 10)
        for stage in STAGES:
            while history.batches < stage:
                history.batch()
                progress.advance(task)
            measures.append(_measure("one earner, 12 payments", history, history.me, 12, tiers))
        for n, who in history.heavy.items():
            measures.append(_measure(f"earner with {n:,} payments", history, who, n, tiers))
        measures.append(_measure("one earner, 100-block ranges", history, history.me, 12, tiers, chunk=100))
        measures.append(_every_batch(history, history.me))
        with tempfile.TemporaryDirectory() as folder, ChainCache(Path(folder) / "cache.sqlite3") as cache:
            measures.append(_measure("cached: first run", history, history.me, 12, tiers, cache))
            for _ in range(10):
                history.batch()
                progress.advance(task)
            measures.append(_measure("cached: rerun after 10 batches", history, history.me, 12, tiers, cache))
    lean.close()
    elapsed = time.perf_counter() - built
    console.print(
        f"history: {history.payments:,} payments in {history.batches:,} batches; {elapsed:.0f} s in all"
    )
    if not all(m.exact for m in measures):
        raise AssertionError(f"a statement was not exact: {[m for m in measures if not m.exact]}")
    _write(measures, out_dir, console)
    return measures


def table_md(measures: list[Measure]) -> str:
    head = (
        "| statement | payments in history | batches | own payments | blocks read | block range | RPC calls "
        "| eth_getLogs | logs read | receipts | seconds |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    return head + "".join(
        f"| {m.label} | {m.history:,} | {m.batches:,} | {m.own_payments:,} | {m.blocks_read:,} | {m.chunk:,} "
        f"| {m.rpc_calls:,} | {m.get_logs:,} | {m.logs_read:,} | {m.receipts:,} | {m.seconds:.3f} |\n"
        for m in measures
    )


def _write(measures: list[Measure], out_dir: Path, console: Console) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "statement.json").write_text(
        json.dumps({"batch": BATCH, "others": OTHERS, "measures": [asdict(m) for m in measures]}, indent=2)
        + "\n"
    )
    (out_dir / "statement.md").write_text(table_md(measures))
    console.print(table_md(measures))


def main(out: str | None = None, rpc: str | None = None) -> None:
    run(Path(out) if out else ROOT / "bench", rpc)
