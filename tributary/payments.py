"""Reconciliation for platforms: what a payer (or a source tag) paid to whom over a block or time range.

Reads the Pool's `Paid` and `PaidMany` logs filtered by indexed topics (payer: topic 1 of both; source:
topic 3 of `Paid`, topic 2 of `PaidMany`), in bounded block ranges and through the same cache as
statements. Every row is one credited entry: a single payment, or one 32-byte entry of a batch
(earner ‖ uint96 amount).

`verify` checks the rows against the money: per transaction, the amounts listed equal the asset `Transfer`s
into the tier vaults in that transaction's receipt.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from eth_abi import decode
from eth_utils import to_checksum_address

from tributary.cache import SyncReport
from tributary.errors import TributaryError
from tributary.income import (
    PAID,
    PAID_MANY,
    PAYMENT_SKIPPED,
    TRANSFER,
    Reader,
    ReadSettings,
    address_topic,
    block_of,
    decode_source,
    encode_source,
    log_uint,
    topic_address,
    tx_of,
    unpack_payments,
)
from tributary.logs import LogQuery, Rpc


@dataclass
class PaymentRow:
    block: int
    timestamp: int
    tx: str
    log_index: int
    payer: str
    source: str
    earner: str
    amount: int  # base units of the asset
    batch: bool


@dataclass
class PaymentReport:
    pool: str
    asset: str
    symbol: str
    decimals: int
    payer: str | None
    source: str | None
    from_block: int
    to_block: int
    rows: list[PaymentRow] = field(default_factory=list)
    sync: SyncReport | None = None
    calls: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)

    @property
    def by_earner(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for r in self.rows:
            totals[r.earner] += r.amount
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def units(self, x: int) -> str:
        whole, frac = divmod(x, 10**self.decimals)
        return f"{whole}.{frac:0{self.decimals}d}" if self.decimals else str(whole)

    def to_json(self) -> dict[str, Any]:
        return {
            "pool": self.pool,
            "asset": {"address": self.asset, "symbol": self.symbol, "decimals": self.decimals},
            "payer": self.payer,
            "source": self.source,
            "from_block": self.from_block,
            "to_block": self.to_block,
            "payments": len(self.rows),
            "total": str(self.total),
            "total_units": self.units(self.total),
            "by_earner": {k: str(v) for k, v in self.by_earner.items()},
            "rows": [
                asdict(r) | {"amount": str(r.amount), "amount_units": self.units(r.amount)} for r in self.rows
            ],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        columns = ["block", "timestamp", "tx", "log_index", "payer", "source", "earner", "amount", "batch"]
        writer.writerow([*columns, "amount_units"])
        for r in self.rows:
            row = asdict(r)
            writer.writerow([*(row[c] for c in columns), self.units(r.amount)])
        return out.getvalue()


def source_topic(source: str) -> str:
    """A source given as text ("ad-network") or as 0x + 64 hex digits, as its bytes32 topic."""
    if source.startswith("0x") and len(source) == 66:
        return source.lower()
    try:
        return "0x" + encode_source(source).hex()
    except ValueError as err:
        raise TributaryError(str(err)) from None


def block_at_time(rpc: Rpc, timestamp: int, head: int) -> int:
    """The first block at or after `timestamp` (head + 1 when none): a binary search, ~log2(head) calls."""
    low, high = 0, head + 1
    while low < high:
        mid = (low + high) // 2
        if int(rpc.block(mid)["timestamp"], 16) >= timestamp:
            high = mid
        else:
            low = mid + 1
    return low


def payment_queries(pool: str, payer: str | None, source: str | None) -> list[LogQuery]:
    if payer is not None:  # topic 1 of both events; a source is then filtered in Python
        return [LogQuery("paid", (pool,), ((PAID, PAID_MANY), (address_topic(payer),)))]
    if source is not None:
        tag = source_topic(source)
        return [
            LogQuery("paid", (pool,), ((PAID,), None, None, (tag,))),
            LogQuery("paid_many", (pool,), ((PAID_MANY,), None, (tag,))),
        ]
    return [LogQuery("paid", (pool,), ((PAID, PAID_MANY),))]


def list_payments(
    rpc: Rpc,
    pool: str,
    payer: str | None = None,
    source: str | None = None,
    from_block: int = 0,
    to_block: int | None = None,
    settings: ReadSettings | None = None,
) -> PaymentReport:
    """Every entry `payer` (and/or `source`) paid through `pool` in [from_block, to_block] (None: the head).

    The cache keeps the scope's logs from `from_block` to the head; `to_block` only trims the rows."""
    before = dict(rpc.calls)
    pool = to_checksum_address(pool)
    payer = to_checksum_address(payer) if payer else None
    tag = source_topic(source) if source is not None else None
    reader = Reader(rpc, settings or ReadSettings())
    try:
        asset, decimals, symbol = reader.asset_meta(pool)
        queries = payment_queries(pool, payer, source)
        scope = f"payments:{pool.lower()}:{(payer or '').lower()}:{'' if payer else tag or ''}"
        logs, report = reader.sync(scope, queries, from_block)
        end = report.head if to_block is None else min(to_block, report.head)
        result = PaymentReport(pool, asset, symbol, decimals, payer, source, from_block, end, sync=report)
        merged = sorted(
            (log for q in queries for log in logs[q.name]),
            key=lambda log: (block_of(log), int(log["logIndex"], 16)),
        )
        for log in merged:
            block = block_of(log)
            if block > end:
                continue
            topics = log["topics"]
            index = int(log["logIndex"], 16)
            if topics[0] == PAID:
                if tag is not None and topics[3] != tag:
                    continue
                rows = [(topic_address(topics[2]), log_uint(log), topics[3], False)]
            else:
                if tag is not None and topics[2] != tag:
                    continue
                (packed,) = decode(["bytes"], bytes.fromhex(log["data"][2:]))
                rows = [(who, amount, topics[2], True) for who, amount in unpack_payments(packed)]
            for earner, amount, raw_source, batch in rows:
                result.rows.append(
                    PaymentRow(
                        block, reader.timestamp(block, log), tx_of(log), index, topic_address(topics[1]),
                        decode_source(bytes.fromhex(raw_source[2:])), earner, amount, batch,
                    )
                )  # fmt: skip
    finally:
        reader.close()
    result.calls = {m: n - before.get(m, 0) for m, n in rpc.calls.items() if n - before.get(m, 0)}
    return result


@dataclass(frozen=True)
class Mismatch:
    tx: str
    listed: int  # Σ of the rows of this transaction
    into_vaults: int  # Σ asset Transfer(*, tier vault) in its receipt
    skipped: int = 0  # Σ the pool's PaymentSkipped in its receipt (closed tiers: never taken from the payer)


def verify(rpc: Rpc, report: PaymentReport, vaults: Sequence[str]) -> list[Mismatch]:
    """Per transaction, the rows' total against the asset that reached the tier vaults plus the parts the pool
    skipped (`PaymentSkipped`: a closed tier, left with the payer) — one receipt per transaction. A
    transaction may hold other payers' payments only if a contract batches several pool calls; then list
    without a payer filter to reconcile it."""
    listed: dict[str, int] = defaultdict(int)
    for row in report.rows:
        listed[row.tx] += row.amount
    vault_set = {v.lower() for v in vaults}
    asset = report.asset.lower()
    mismatches = []
    for tx, total in listed.items():
        receipt = rpc.receipt(tx)
        into = sum(
            log_uint(log)
            for log in receipt["logs"]
            if str(log["address"]).lower() == asset
            and log["topics"]
            and log["topics"][0] == TRANSFER
            and topic_address(log["topics"][2]).lower() in vault_set
        )
        skipped = sum(
            log_uint(log, 1)
            for log in receipt["logs"]
            if str(log["address"]).lower() == report.pool.lower()
            and log["topics"]
            and log["topics"][0] == PAYMENT_SKIPPED
        )
        if into + skipped != total:
            mismatches.append(Mismatch(tx, total, into, skipped))
    return mismatches


def parse_payer(payer: str | None) -> str | None:
    from tributary.addresses import parse_address

    if payer is None:
        return None
    try:
        return parse_address(payer, "--payer")
    except ValueError as err:
        raise TributaryError(str(err)) from None


def parse_time(value: str, option: str) -> int:
    """Unix seconds, or an ISO date / date-time (UTC unless it names a zone)."""
    from datetime import UTC, datetime

    if value.isdigit():
        return int(value)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise TributaryError(f"{option} {value!r} is neither unix seconds nor an ISO date/time") from None
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())


def resolve_range(
    rpc: Rpc,
    pool_block: int,
    from_block: int | None,
    to_block: int | None,
    since: str | None,
    until: str | None,
) -> tuple[int, int | None]:
    """[first, last] blocks from block numbers or times (times are found by binary search on the chain)."""
    if since is not None and from_block is not None or until is not None and to_block is not None:
        raise TributaryError("give a block or a time for each end of the range, not both")
    first = from_block if from_block is not None else pool_block
    last = to_block
    if since is not None or until is not None:
        head = int(rpc.block("latest")["number"], 16)
        if since is not None:
            first = block_at_time(rpc, parse_time(since, "--since"), head)
        if until is not None:
            last = block_at_time(rpc, parse_time(until, "--until"), head) - 1
    if last is not None and last < first:
        raise TributaryError(f"empty range: block {first} to block {last}")
    return first, last


def verify_report(rpc: Rpc, report: PaymentReport, vaults: Sequence[str]) -> None:
    """`verify`, raising with the first mismatches (a user-facing error: the listing is not the money)."""
    bad = verify(rpc, report, vaults)
    if bad:
        shown = "; ".join(f"{m.tx}: listed {m.listed}, into vaults {m.into_vaults}" for m in bad[:3])
        raise TributaryError(f"{len(bad)} transaction(s) do not reconcile: {shown}")
