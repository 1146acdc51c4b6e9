"""An earner's income statement, rebuilt from on-chain events only.

paid in, by source   Pool `Paid` (earner indexed) and `PaidMany` (packed batch: 20-byte earner ‖ 12-byte
                     uint96 amount per entry) events
paid in, by tier     the tier vaults' mints to the earner (`Transfer(0, earner, shares)`) in those payment
                     transactions, valued at what reached that vault: a single payment's asset
                     `Transfer(*, vault, part)` in the same transaction (the pool credits one earner per
                     tier), or a batch's price (`DepositMany`)
moved                `TierSwitched` (pool) and `Withdraw` (vault, owner = earner) events
value now            previewRedeem(balanceOf(earner)) per tier: what the earner would get out today
yield                value now + withdrawn - paid in
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from web3 import Web3
from web3.logs import DISCARD

from tributary.chain import contract

ZERO = "0x0000000000000000000000000000000000000000"
TIER_AMOUNTS = ("credited", "switched_in", "switched_out", "withdrawn")


@dataclass
class Payment:
    block: int
    timestamp: int
    tx: str
    source: str
    amount: int
    batch: bool


@dataclass
class TierLine:
    name: str
    vault: str
    credited: int = 0  # assets credited by payments
    switched_in: int = 0
    switched_out: int = 0
    withdrawn: int = 0
    shares: int = 0
    value: int = 0

    @property
    def yield_(self) -> int:
        return self.value + self.withdrawn + self.switched_out - self.credited - self.switched_in


@dataclass
class IncomeStatement:
    earner: str
    decimals: int
    symbol: str
    payments: list[Payment] = field(default_factory=list)
    tiers: list[TierLine] = field(default_factory=list)

    @property
    def paid_in(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def by_source(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for p in self.payments:
            totals[p.source] += p.amount
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))

    @property
    def value(self) -> int:
        return sum(t.value for t in self.tiers)

    @property
    def withdrawn(self) -> int:
        return sum(t.withdrawn for t in self.tiers)

    @property
    def yield_(self) -> int:
        return self.value + self.withdrawn - self.paid_in

    def to_json(self) -> dict[str, Any]:
        unit = 10**self.decimals

        def units(x: int) -> str:
            return f"{x / unit:.{self.decimals}f}"

        return {
            "earner": self.earner,
            "asset": {"symbol": self.symbol, "decimals": self.decimals},
            "paid_in": units(self.paid_in),
            "value_now": units(self.value),
            "withdrawn": units(self.withdrawn),
            "yield": units(self.yield_),
            "by_source": {k: units(v) for k, v in self.by_source.items()},
            "by_tier": [
                {
                    **{k: v for k, v in asdict(t).items() if k in ("name", "vault", "shares")},
                    **{
                        k: units(getattr(t, k))
                        for k in ("credited", "switched_in", "switched_out", "withdrawn")
                    },
                    "value_now": units(t.value),
                    "yield": units(t.yield_),
                }
                for t in self.tiers
            ],
            "payments": [asdict(p) | {"amount": units(p.amount)} for p in self.payments],
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
    return [
        (Web3.to_checksum_address(packed[i : i + 20]), int.from_bytes(packed[i + 20 : i + 32], "big"))
        for i in range(0, len(packed), 32)
    ]


def build_statement(
    w3: Web3, project: Any, pool_address: str, tiers: list[tuple[str, str]], earner: str, from_block: int = 0
) -> IncomeStatement:
    earner = Web3.to_checksum_address(earner)
    pool = contract(w3, project, "Pool", pool_address)
    asset = contract(w3, project, "MockToken", pool.functions.asset().call())
    statement = IncomeStatement(earner, asset.functions.decimals().call(), asset.functions.symbol().call())
    timestamps: dict[int, int] = {}

    def timestamp(block: int) -> int:
        if block not in timestamps:
            timestamps[block] = int(w3.eth.get_block(block)["timestamp"])
        return timestamps[block]

    for log in pool.events.Paid.get_logs(from_block=from_block, argument_filters={"earner": earner}):
        statement.payments.append(
            Payment(
                log["blockNumber"],
                timestamp(log["blockNumber"]),
                log["transactionHash"].to_0x_hex(),
                decode_source(log["args"]["source"]),
                log["args"]["amount"],
                batch=False,
            )
        )
    for log in pool.events.PaidMany.get_logs(from_block=from_block):
        for who, amount in unpack_payments(log["args"]["payments"]):
            if who == earner:
                statement.payments.append(
                    Payment(
                        log["blockNumber"],
                        timestamp(log["blockNumber"]),
                        log["transactionHash"].to_0x_hex(),
                        decode_source(log["args"]["source"]),
                        amount,
                        batch=True,
                    )
                )
    statement.payments.sort(key=lambda p: (p.block, p.tx))
    payment_txs = {p.tx for p in statement.payments}

    switches = pool.events.TierSwitched.get_logs(from_block=from_block, argument_filters={"earner": earner})
    switch_txs = {log["transactionHash"].to_0x_hex() for log in switches}
    for index, (name, address) in enumerate(tiers):
        vault = contract(w3, project, "TierVault", address)
        line = TierLine(name, vault.address)
        for log in vault.events.Transfer.get_logs(
            from_block=from_block, argument_filters={"from": ZERO, "to": earner}
        ):
            tx = log["transactionHash"].to_0x_hex()
            if tx in payment_txs:
                line.credited += _assets_of_mint(w3, vault, asset, tx, earner, log["args"]["amount"])
        for log in vault.events.Withdraw.get_logs(from_block=from_block, argument_filters={"owner": earner}):
            if log["transactionHash"].to_0x_hex() not in switch_txs:
                line.withdrawn += log["args"]["assets"]
        for log in switches:
            if log["args"]["fromTier"] == index:
                line.switched_out += log["args"]["assets"]
            if log["args"]["toTier"] == index:
                line.switched_in += log["args"]["assets"]
        line.shares = vault.functions.balanceOf(earner).call()
        line.value = vault.functions.previewRedeem(line.shares).call() if line.shares else 0
        statement.tiers.append(line)
    return statement


def _assets_of_mint(w3: Web3, vault: Any, asset: Any, tx: str, earner: str, shares: int) -> int:
    """Assets behind `shares` minted to `earner` in `tx`: a batch's price (`DepositMany`), else the asset that
    reached the vault in the transaction (a single payment credits one earner per tier, with no `Deposit`
    event: the pool's `Paid` and the two `Transfer`s say it all), else a `Deposit` event's figure."""
    receipt = w3.eth.get_transaction_receipt(tx)
    for event in vault.events.DepositMany().process_receipt(receipt, errors=DISCARD):
        if event["address"] == vault.address and event["args"]["totalShares"]:
            return shares * event["args"]["totalAssets"] // event["args"]["totalShares"]
    for event in vault.events.Deposit().process_receipt(receipt, errors=DISCARD):
        if (
            event["address"] == vault.address
            and event["args"]["owner"] == earner
            and event["args"]["shares"] == shares
        ):
            return int(event["args"]["assets"])
    return sum(
        int(event["args"]["value"])
        for event in asset.events.Transfer().process_receipt(receipt, errors=DISCARD)
        if event["address"] == asset.address and event["args"]["to"] == vault.address
    )
