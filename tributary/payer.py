"""A platform's payments, ready for `Pool.payManyPacked`: grouped by earner, packed, cut into batches.

The Pool credits an earner named more than once in a batch once per tier, with the sum of that earner's
parts (its `PaidMany` log still carries every payment). So what matters to the payer is that all of an
earner's payments land in the same batch: `plan_batches` keeps each earner's payments together (in the
order the earner first appears, each earner's own payments in their original order) and cuts batches only
between earners, unless one earner alone has more payments than a batch holds.

`send_batches` sends through any callable that sends one `payManyPacked(source, packed)`; `send_packed` is
that callable for a web3 connection and a node-held account: each batch carries the EIP-2930 access list that
pays for itself (`tributary.access_list`: about −185 gas per earner) and its gas is estimated with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from eth_abi import encode
from eth_utils import (
    function_signature_to_4byte_selector,
    is_address,
    to_canonical_address,
    to_checksum_address,
)

from tributary.access_list import with_access_list
from tributary.errors import TributaryError

PAY_MANY_PACKED = "payManyPacked(bytes32,bytes)"
UINT96_MAX = (1 << 96) - 1
ENTRY_BYTES = 32  # 20-byte earner ‖ 12-byte big-endian uint96 amount

R = TypeVar("R")


class PaymentError(TributaryError):
    """A payment the Pool would refuse (zero or malformed earner, zero amount, above a uint96)."""


@dataclass(frozen=True)
class Payment:
    earner: str  # checksummed
    amount: int


def payment(earner: str, amount: int, index: int = 0) -> Payment:
    """One checked payment; `index` names it in the error message."""
    if not isinstance(earner, str) or not is_address(earner):
        raise PaymentError(f"Error: payment {index}: earner {earner!r} is not a 20-byte 0x address")
    if int(earner, 16) == 0:
        raise PaymentError(f"Error: payment {index}: earner is the zero address")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PaymentError(f"Error: payment {index}: amount {amount!r} is not an integer (base units)")
    if amount <= 0:
        raise PaymentError(f"Error: payment {index}: amount {amount} is not positive")
    if amount > UINT96_MAX:
        raise PaymentError(f"Error: payment {index}: amount {amount} is above a uint96 ({UINT96_MAX})")
    return Payment(to_checksum_address(earner), amount)


def checked(payments: Iterable[tuple[str, int]]) -> list[Payment]:
    """Every (earner, amount) checked, in order."""
    return [payment(earner, amount, i) for i, (earner, amount) in enumerate(payments)]


def group_by_earner(payments: Sequence[Payment]) -> list[list[Payment]]:
    """The payments of each earner together: earners in order of first appearance, each earner's payments in
    their original order. Nothing is summed: every payment stays a payment (and an entry of `PaidMany`)."""
    groups: dict[str, list[Payment]] = {}
    for p in payments:
        groups.setdefault(p.earner, []).append(p)
    return list(groups.values())


def plan_batches(payments: Sequence[Payment], max_batch: int) -> list[list[Payment]]:
    """Batches of at most `max_batch` payments, each earner's payments in one batch whenever they fit in one
    (then the earner is credited once per tier for all of them). A batch is closed before an earner that would
    not fit in what is left of it; an earner with more than `max_batch` payments fills whole batches."""
    if max_batch < 1:
        raise PaymentError(f"Error: max_batch is {max_batch}; it must be at least 1 (the Pool's MAX_BATCH)")
    batches: list[list[Payment]] = []
    current: list[Payment] = []
    for group in group_by_earner(payments):
        if current and len(current) + len(group) > max_batch:
            batches.append(current)
            current = []
        for p in group:
            if len(current) == max_batch:
                batches.append(current)
                current = []
            current.append(p)
    if current:
        batches.append(current)
    return batches


def pack(batch: Sequence[Payment]) -> bytes:
    """`payManyPacked`'s calldata argument (and `PaidMany`'s log format) for one batch."""
    return b"".join(to_canonical_address(p.earner) + p.amount.to_bytes(12, "big") for p in batch)


def unpack(packed: bytes) -> list[Payment]:
    """The inverse of `pack` (a `PaidMany` log's `payments`)."""
    if len(packed) % ENTRY_BYTES:
        raise PaymentError(f"Error: packed payments are {len(packed)} bytes, not a multiple of {ENTRY_BYTES}")
    return [
        Payment(to_checksum_address(packed[i : i + 20]), int.from_bytes(packed[i + 20 : i + 32], "big"))
        for i in range(0, len(packed), ENTRY_BYTES)
    ]


def send_batches(
    payments: Iterable[tuple[str, int]],
    max_batch: int,
    send: Callable[[bytes], R],
    on_batch: Callable[[int, int], None] | None = None,
) -> list[R]:
    """Check, group and batch `payments`, then call `send(packed)` once per batch (in order); `on_batch(i, n)`
    after each (progress). Every payment is checked before anything is sent: a bad one sends nothing."""
    batches = plan_batches(checked(payments), max_batch)
    results = []
    for i, batch in enumerate(batches):
        results.append(send(pack(batch)))
        if on_batch:
            on_batch(i + 1, len(batches))
    return results


def pay_many_packed_data(source: bytes, packed: bytes) -> str:
    """Calldata of `Pool.payManyPacked(source, packed)`."""
    if len(source) != 32:
        raise PaymentError(f"Error: a source tag is 32 bytes, got {len(source)}")
    selector = function_signature_to_4byte_selector(PAY_MANY_PACKED)
    return "0x" + (selector + encode(["bytes32", "bytes"], [source, packed])).hex()


def send_packed(
    w3: Any,
    pool: str,
    payer: str,
    source: bytes,
    payments: Iterable[tuple[str, int]],
    max_batch: int,
    access_list: bool = True,
    on_batch: Callable[[int, int], None] | None = None,
    poll_latency: float = 0.5,
) -> list[dict[str, Any]]:
    """Pay `payments` from `payer` (an account the node signs for) through `pool.payManyPacked`, grouped and
    batched as `send_batches` does; each batch with the access list that pays for itself unless `access_list`
    is false. Returns the receipts; a reverted batch raises `PaymentError` (the batches before it stand).
    `poll_latency`: seconds between receipt polls (a public node: the default; a local anvil: 0.002)."""

    def send(packed: bytes) -> dict[str, Any]:
        tx: dict[str, Any] = {"from": payer, "to": pool, "data": pay_many_packed_data(source, packed)}
        try:  # both simulate the batch: a batch the pool refuses fails here, before anything is sent
            if access_list:
                tx = with_access_list(w3, tx)
            tx["gas"] = w3.eth.estimate_gas(tx)
        except Exception as err:  # web3 raises per node and error kind; the message is what matters
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise PaymentError(f"Error: the pool refuses this payManyPacked from {payer}: {reason}") from err
        tx_hash = w3.eth.send_transaction(tx)
        receipt = dict(w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=poll_latency))
        if receipt["status"] != 1:
            raise PaymentError(f"Error: payManyPacked from {payer} reverted (tx {tx_hash.to_0x_hex()})")
        return receipt

    return send_batches(payments, max_batch, send, on_batch)
