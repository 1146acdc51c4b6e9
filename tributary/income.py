"""An earner's income statement, rebuilt from on-chain events only, at a cost proportional to the earner.

Nothing here reads a log or a receipt that does not concern the earner (all filters are indexed topics):

  query "to"        Pool `Paid(payer, earner=E, source)` and tier vaults' `Transfer(from, to=E)` — one
                    eth_getLogs: both events carry the earner in topic 2
  query "from"      Pool `TierSwitched(earner=E)`, `PaymentSkipped(earner=E)` and tier vaults'
                    `Transfer(from=E, to)` — topic 1
  query "withdraw"  tier vaults' `Withdraw(sender, receiver, owner=E)` — topic 3
  receipts          only of the transactions that minted tier shares to E (its payments, its deposits),
                    for what the receipt alone says: a batch's `PaidMany` entries for E (20-byte earner ‖
                    12-byte uint96 amount each), the batch price (`DepositMany`), the asset that reached
                    each vault

So a statement costs 3 log queries per block range (see `logs.LogScanner`) + one receipt per transaction of
the earner (+ one block read per payment block if the node's logs lack `blockTimestamp`) + 2 calls per tier
for the value now, however many payments other earners got. With a cache (`cache.ChainCache`), a rerun reads
only the blocks added since, plus the reorg window.

paid in, by source   `Paid` and the earner's `PaidMany` entries, minus the parts the pool skipped in the same
                     transaction (`PaymentSkipped`: a closed tier with no safer open tier; never taken from
                     the payer), exact
paid in, by tier     shares minted to the earner in those transactions, valued at what reached the vault:
                     a single payment's asset `Transfer(*, vault)` (one earner per tier), a batch's price
                     (`DepositMany`: shares × totalAssets / totalShares)
deposited            shares minted to the earner outside any payment (an ERC-4626 `deposit` for them)
moved                `TierSwitched`, `Withdraw` (owner = earner), share transfers to/from other wallets
value now            previewRedeem(balanceOf(earner)) per tier at the head block read
yield                value now + withdrawn + moved out - paid in - deposited - moved in
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from tributary.cache import DEFAULT_REORG_DEPTH, ChainCache, SyncReport, chain_key, sync
from tributary.logs import DEFAULT_CHUNK, LogQuery, LogScanner, Progress, Rpc

ZERO = "0x0000000000000000000000000000000000000000"
TIER_AMOUNTS = ("credited", "deposited", "switched_in", "switched_out", "withdrawn")


def topic(signature: str) -> str:
    return "0x" + keccak(text=signature).hex()


# Event signatures of our contracts (tests check each one against abi/<Contract>.json).
PAID = topic("Paid(address,address,bytes32,uint256)")
PAID_MANY = topic("PaidMany(address,bytes32,bytes)")
TIER_SWITCHED = topic("TierSwitched(address,uint256,uint256,uint256,uint256,uint256)")
PAYMENT_SKIPPED = topic("PaymentSkipped(address,uint256,uint256)")
DEPOSIT_MANY = topic("DepositMany(address,uint256,uint256,uint256)")
# ERC-20 / ERC-4626 standard events (the asset is a foreign contract: only its standard events are read).
TRANSFER = topic("Transfer(address,address,uint256)")
DEPOSIT = topic("Deposit(address,address,uint256,uint256)")
WITHDRAW = topic("Withdraw(address,address,address,uint256,uint256)")


def selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


@dataclass
class Payment:
    block: int
    timestamp: int
    tx: str
    source: str
    amount: int
    batch: bool
    payer: str = ""
    skipped: int = 0  # the part the pool skipped (closed tier): never taken from the payer

    @property
    def received(self) -> int:
        return self.amount - self.skipped


@dataclass
class TierLine:
    name: str
    vault: str
    credited: int = 0  # assets credited by payments
    deposited: int = 0  # assets deposited for the earner outside the pool (not income)
    switched_in: int = 0
    switched_out: int = 0
    withdrawn: int = 0
    shares_received: int = 0  # shares sent to the earner by another wallet (listed, not valued)
    shares_sent: int = 0  # shares the earner sent to another wallet
    shares: int = 0
    value: int = 0

    @property
    def yield_(self) -> int:
        return (
            self.value
            + self.withdrawn
            + self.switched_out
            - self.credited
            - self.deposited
            - self.switched_in
        )


@dataclass
class ScanInfo:
    """What the statement cost: RPC calls by method, the blocks whose logs were read, receipts fetched."""

    head: int = 0
    read_from: int = 0
    cached_to: int | None = None
    calls: dict[str, int] = field(default_factory=dict)
    receipts: int = 0
    chunk: int = DEFAULT_CHUNK
    range_shrinks: int = 0
    rate_limit_waits: int = 0
    logs_read: int = 0

    @property
    def rpc_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def blocks_read(self) -> int:
        return max(0, self.head - self.read_from + 1)


@dataclass
class IncomeStatement:
    earner: str
    decimals: int
    symbol: str
    payments: list[Payment] = field(default_factory=list)
    tiers: list[TierLine] = field(default_factory=list)
    profile_bps: list[int] = field(default_factory=list)  # the earner's split now (their profile or default)
    scan: ScanInfo = field(default_factory=ScanInfo)

    @property
    def paid_in(self) -> int:
        return sum(p.received for p in self.payments)

    @property
    def skipped(self) -> int:
        return sum(p.skipped for p in self.payments)

    @property
    def by_source(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for p in self.payments:
            totals[p.source] += p.received
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))

    @property
    def value(self) -> int:
        return sum(t.value for t in self.tiers)

    @property
    def withdrawn(self) -> int:
        return sum(t.withdrawn for t in self.tiers)

    @property
    def deposited(self) -> int:
        return sum(t.deposited for t in self.tiers)

    @property
    def yield_(self) -> int:
        return self.value + self.withdrawn - self.paid_in - self.deposited

    def to_json(self) -> dict[str, Any]:
        unit = 10**self.decimals

        def units(x: int) -> str:
            return f"{x / unit:.{self.decimals}f}"

        return {
            "earner": self.earner,
            "asset": {"symbol": self.symbol, "decimals": self.decimals},
            "profile_bps": self.profile_bps,
            "paid_in": units(self.paid_in),
            "skipped": units(self.skipped),
            "deposited": units(self.deposited),
            "value_now": units(self.value),
            "withdrawn": units(self.withdrawn),
            "yield": units(self.yield_),
            "by_source": {k: units(v) for k, v in self.by_source.items()},
            "by_tier": [
                {
                    "name": t.name,
                    "vault": t.vault,
                    "shares": t.shares,
                    **{k: units(getattr(t, k)) for k in TIER_AMOUNTS},
                    "shares_received": t.shares_received,
                    "shares_sent": t.shares_sent,
                    "value_now": units(t.value),
                    "yield": units(t.yield_),
                }
                for t in self.tiers
            ],
            "payments": [
                asdict(p) | {"amount": units(p.amount), "skipped": units(p.skipped)} for p in self.payments
            ],
            "scan": {
                "head": self.scan.head,
                "blocks_read": self.scan.blocks_read,
                "read_from": self.scan.read_from,
                "cached_to": self.scan.cached_to,
                "rpc_calls": self.scan.rpc_calls,
                "calls": self.scan.calls,
                "receipts": self.scan.receipts,
                "logs_read": self.scan.logs_read,
            },
        }


def decode_source(raw: bytes) -> str:
    """bytes32 source tag -> text when it is a short printable label ("ad-network"), else 0x-hex."""
    text = raw.rstrip(b"\x00")
    try:
        decoded = text.decode()
    except UnicodeDecodeError:
        return "0x" + raw.hex()
    return decoded if decoded and decoded.isprintable() else "0x" + raw.hex()


def encode_source(label: str) -> bytes:
    data = label.encode()
    if len(data) > 32:
        raise ValueError(f"source tag {label!r} is longer than 32 bytes")
    return data.ljust(32, b"\x00")


def unpack_payments(packed: bytes) -> list[tuple[str, int]]:
    """PaidMany's `payments`: N x (20-byte earner ‖ 12-byte big-endian uint96 amount)."""
    if len(packed) % 32:
        raise ValueError(f"packed payments of {len(packed)} bytes: not a multiple of 32")
    return [
        (Web3.to_checksum_address(packed[i : i + 20]), int.from_bytes(packed[i + 20 : i + 32], "big"))
        for i in range(0, len(packed), 32)
    ]


def address_topic(address: str) -> str:
    return "0x" + "00" * 12 + address.lower().removeprefix("0x")


def topic_address(word: str) -> str:
    return to_checksum_address("0x" + word[-40:])


def log_uint(log: dict[str, Any], index: int = 0) -> int:
    """The `index`-th 32-byte word of a log's data."""
    data = log["data"][2:]
    return int(data[64 * index : 64 * (index + 1)], 16)


def tx_of(log: dict[str, Any]) -> str:
    return str(log["transactionHash"]).lower()


def block_of(log: dict[str, Any]) -> int:
    return int(log["blockNumber"], 16)


@dataclass(frozen=True)
class ReadSettings:
    """How to read the chain: block range per query, the cache (None: in memory, nothing kept), the reorg
    window re-read on each run, an optional progress callback for long scans."""

    chunk: int = DEFAULT_CHUNK
    cache: ChainCache | None = None
    reorg_depth: int = DEFAULT_REORG_DEPTH
    progress: Progress | None = None


class Reader:
    """The shared plumbing of statements and reconciliations: RPC, scanner, cache, chain key."""

    def __init__(self, rpc: Rpc, settings: ReadSettings) -> None:
        self.rpc = rpc
        self.settings = settings
        self.scanner = LogScanner(rpc, chunk=settings.chunk)
        self.own_cache = settings.cache is None
        self.cache = settings.cache or ChainCache(None)
        self.chain = chain_key(rpc)
        self.receipts = 0

    def close(self) -> None:
        self.cache.commit()
        if self.own_cache:
            self.cache.close()

    def sync(
        self, scope: str, queries: Sequence[LogQuery], start: int, head: dict[str, Any] | None = None
    ) -> tuple[dict[str, list[dict[str, Any]]], SyncReport]:
        return sync(
            self.rpc, self.scanner, self.cache, self.chain, scope, queries, start,
            self.settings.reorg_depth, self.settings.progress, head,
        )  # fmt: skip

    def timestamp(self, block: int, log: dict[str, Any] | None = None) -> int:
        """The block's time: from the log when the node includes `blockTimestamp` (anvil, recent geth and
        reth do), else from the cache, else one eth_getBlockByNumber."""
        if log is not None and log.get("blockTimestamp"):
            return int(log["blockTimestamp"], 16)
        cached = self.cache.timestamp(self.chain, block)
        if cached is None:
            cached = int(self.rpc.block(block)["timestamp"], 16)
            self.cache.put_timestamp(self.chain, block, cached)
        return cached

    def facts(self, tx: str, pool: str, vaults: Sequence[str], asset: str) -> dict[str, Any]:
        """What a receipt says about the pool and its tiers (cached per transaction, earner-independent)."""
        cached = self.cache.facts(self.chain, tx)
        if cached is not None:
            return cached
        receipt = self.rpc.receipt(tx)
        self.receipts += 1
        facts = receipt_facts(receipt, pool, vaults, asset)
        self.cache.put_facts(self.chain, tx, int(receipt["blockNumber"], 16), facts)
        return facts

    def asset_meta(self, pool: str) -> tuple[str, int, str]:
        """(asset, decimals, symbol): immutable, read once per chain and pool."""
        key = f"asset:{pool.lower()}"
        cached = self.cache.meta(self.chain, key)
        if cached is None:
            (asset,) = decode(["address"], self.rpc.call(pool, selector("asset()")))
            (decimals,) = decode(["uint8"], self.rpc.call(asset, selector("decimals()")))
            (symbol,) = decode(["string"], self.rpc.call(asset, selector("symbol()")))
            cached = [to_checksum_address(asset), int(decimals), str(symbol)]
            self.cache.put_meta(self.chain, key, cached)
        return str(cached[0]), int(cached[1]), str(cached[2])


def receipt_facts(receipt: dict[str, Any], pool: str, vaults: Sequence[str], asset: str) -> dict[str, Any]:
    """The parts of a receipt a statement or a reconciliation needs, as plain JSON."""
    pool_l, asset_l = pool.lower(), asset.lower()
    vault_set = {v.lower() for v in vaults}
    facts: dict[str, Any] = {"paid_many": [], "deposit_many": {}, "deposits": [], "asset_in": {}}
    for log in receipt["logs"]:
        address, topics = str(log["address"]).lower(), log["topics"]
        if not topics:
            continue
        if address == pool_l and topics[0] == PAID_MANY:
            (payments,) = decode(["bytes"], bytes.fromhex(log["data"][2:]))
            facts["paid_many"].append(
                {"payer": topic_address(topics[1]), "source": topics[2], "payments": payments.hex()}
            )
        elif address in vault_set and topics[0] == DEPOSIT_MANY:
            price = facts["deposit_many"].setdefault(address, [0, 0])
            price[0] += log_uint(log, 1)
            price[1] += log_uint(log, 2)
        elif address in vault_set and topics[0] == DEPOSIT:
            facts["deposits"].append(
                {"vault": address, "owner": topic_address(topics[2]), "assets": log_uint(log, 0)}
            )
        elif address == asset_l and topics[0] == TRANSFER and topic_address(topics[2]).lower() in vault_set:
            vault = topic_address(topics[2]).lower()
            facts["asset_in"][vault] = facts["asset_in"].get(vault, 0) + log_uint(log, 0)
    return facts


def earner_queries(pool: str, vaults: Sequence[str], earner: str) -> list[LogQuery]:
    me = address_topic(earner)
    everything = (pool, *vaults)
    return [
        LogQuery("to", everything, ((PAID, TRANSFER), None, (me,))),
        LogQuery("from", everything, ((TIER_SWITCHED, PAYMENT_SKIPPED, TRANSFER), (me,))),
        LogQuery("withdraw", tuple(vaults), ((WITHDRAW,), None, None, (me,))),
    ]


def statement(
    rpc: Rpc,
    pool: str,
    tiers: list[tuple[str, str]],
    earner: str,
    from_block: int = 0,
    settings: ReadSettings | None = None,
) -> IncomeStatement:
    """`earner`'s statement from `pool`'s tiers (name, vault address), reading blocks from `from_block`."""
    before = dict(rpc.calls)
    reader = Reader(rpc, settings or ReadSettings())
    try:
        result = _statement(reader, to_checksum_address(pool), tiers, to_checksum_address(earner), from_block)
    finally:
        reader.close()
    result.scan.calls = {m: n - before.get(m, 0) for m, n in rpc.calls.items() if n - before.get(m, 0)}
    return result


def build_statement(
    w3: Web3,
    pool: str,
    tiers: list[tuple[str, str]],
    earner: str,
    from_block: int = 0,
    settings: ReadSettings | None = None,
) -> IncomeStatement:
    """`statement` over a web3 connection (an ape provider's `.web3`)."""
    return statement(Rpc.of(w3), pool, tiers, earner, from_block, settings)


def _statement(
    reader: Reader, pool: str, tiers: list[tuple[str, str]], earner: str, from_block: int
) -> IncomeStatement:
    rpc = reader.rpc
    vaults = [to_checksum_address(address) for _, address in tiers]
    index = {v.lower(): i for i, v in enumerate(vaults)}
    asset, decimals, symbol = reader.asset_meta(pool)
    scope = f"earner:v2:{pool.lower()}:{earner.lower()}:{','.join(v.lower() for v in vaults)}"
    logs, report = reader.sync(scope, earner_queries(pool, vaults, earner), from_block)
    head = report.head
    result = IncomeStatement(earner, decimals, symbol)
    lines = [TierLine(name, vault) for (name, _), vault in zip(tiers, vaults, strict=True)]

    singles: dict[str, list[dict[str, Any]]] = defaultdict(list)
    mints: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    mint_log: dict[str, dict[str, Any]] = {}
    received: list[dict[str, Any]] = []
    for log in logs["to"]:
        address = str(log["address"]).lower()
        if address == pool.lower():
            singles[tx_of(log)].append(log)
        elif topic_address(log["topics"][1]) == ZERO:
            mints[tx_of(log)][index[address]] += log_uint(log)
            mint_log[tx_of(log)] = log
        else:
            received.append(log)

    from_pool = [log for log in logs["from"] if str(log["address"]).lower() == pool.lower()]
    switches = [log for log in from_pool if log["topics"][0] == TIER_SWITCHED]
    skipped: dict[str, int] = defaultdict(int)
    for log in from_pool:
        if log["topics"][0] == PAYMENT_SKIPPED:
            skipped[tx_of(log)] += log_uint(log, 1)
    switch_txs = {tx_of(log) for log in switches}
    for log in switches:
        from_tier, to_tier, assets = log_uint(log, 0), log_uint(log, 1), log_uint(log, 3)
        lines[from_tier].switched_out += assets
        lines[to_tier].switched_in += assets
    for log in received:
        if not (tx_of(log) in switch_txs and topic_address(log["topics"][1]) == pool):
            lines[index[str(log["address"]).lower()]].shares_received += log_uint(log)
    for log in logs["from"]:
        address = str(log["address"]).lower()
        if address == pool.lower():
            continue
        to = topic_address(log["topics"][2])
        if to != ZERO and not (tx_of(log) in switch_txs and to == pool):
            lines[index[address]].shares_sent += log_uint(log)
    for log in logs["withdraw"]:
        if tx_of(log) not in switch_txs:
            lines[index[str(log["address"]).lower()]].withdrawn += log_uint(log, 0)

    for tx, paid in singles.items():  # single payments: the asset that reached each vault is the earner's
        block = block_of(paid[0])
        for log in paid:
            result.payments.append(
                Payment(
                    block, reader.timestamp(block, log), tx,
                    decode_source(bytes.fromhex(log["topics"][3][2:])),
                    log_uint(log), batch=False, payer=topic_address(log["topics"][1]),
                )
            )  # fmt: skip
        if tx in mints:
            facts = reader.facts(tx, pool, vaults, asset)
            for i in mints[tx]:
                lines[i].credited += int(facts["asset_in"].get(vaults[i].lower(), 0))

    for tx, minted in mints.items():
        if tx in singles or tx in switch_txs:
            continue
        facts = reader.facts(tx, pool, vaults, asset)
        block = block_of(mint_log[tx])
        mine = [
            (entry, amount)
            for entry in facts["paid_many"]
            for who, amount in unpack_payments(bytes.fromhex(entry["payments"]))
            if who == earner
        ]
        for entry, amount in mine:
            result.payments.append(
                Payment(
                    block, reader.timestamp(block, mint_log[tx]), tx,
                    decode_source(bytes.fromhex(entry["source"][2:])),
                    amount, batch=True, payer=entry["payer"],
                )
            )  # fmt: skip
        for i, shares in minted.items():
            vault = vaults[i].lower()
            if mine and vault in facts["deposit_many"]:
                total_assets, total_shares = facts["deposit_many"][vault]
                lines[i].credited += shares * total_assets // total_shares if total_shares else 0
            else:  # a deposit for the earner outside the pool: their own money, not income
                own = [d["assets"] for d in facts["deposits"] if d["vault"] == vault and d["owner"] == earner]
                lines[i].deposited += sum(own) if own else int(facts["asset_in"].get(vault, 0))

    for p in result.payments:  # a transaction's skipped parts, against its payments to the earner in order
        take = min(skipped.get(p.tx, 0), p.amount)
        if take:
            p.skipped = take
            skipped[p.tx] -= take
    result.payments.sort(key=lambda p: (p.block, p.tx))
    for i, line in enumerate(lines):
        (line.shares,) = decode(
            ["uint256"],
            rpc.call(vaults[i], selector("balanceOf(address)") + encode(["address"], [earner]), head),
        )
        if line.shares:
            (line.value,) = decode(
                ["uint256"],
                rpc.call(
                    vaults[i], selector("previewRedeem(uint256)") + encode(["uint256"], [line.shares]), head
                ),
            )
    (profile,) = decode(
        ["uint16[]"], rpc.call(pool, selector("profileOf(address)") + encode(["address"], [earner]), head)
    )
    result.profile_bps = [int(w) for w in profile]
    result.tiers = lines
    result.scan = ScanInfo(
        head, report.read_from, report.cached_to, {}, reader.receipts, reader.scanner.chunk,
        reader.scanner.shrinks, rpc.waits, reader.scanner.logs_read,
    )  # fmt: skip
    return result
