"""Raw JSON-RPC reads for statements and reconciliations: counted calls, log scans in bounded block ranges.

Public providers refuse `eth_getLogs` over wide ranges ("block range too large", "query returned more than
10000 results") and throttle bursts (HTTP 429, "rate limit"). `LogScanner` asks for at most `chunk` blocks
at a time, halves the range when a provider says it is too large (down to one block), and backs off
exponentially on rate limits. Every request goes through `Rpc`, which counts calls by method: the
statement benchmark reports those counts.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from tributary.errors import NetworkError

DEFAULT_CHUNK = 2_000  # blocks per eth_getLogs: Alchemy's free tier and most public endpoints accept it
DEFAULT_RETRIES = 8
DEFAULT_BACKOFF = 0.5  # seconds, doubled per retry, capped at MAX_BACKOFF
MAX_BACKOFF = 30.0

# Providers word these differently; each pattern is one provider's answer seen in the wild.
_RANGE_TOO_LARGE = re.compile(
    r"block range|range (is )?too (large|wide|big)|too many blocks|exceed(s|ed)? (the )?max(imum)? "
    r"(block )?range|returned more than|more than \d+ (results|logs)|response size|limited to a [\d,]+ "
    r"(block )?range|max range|query timeout|logs? (are )?limited",
    re.IGNORECASE,
)
_RATE_LIMITED = re.compile(
    r"rate.?limit|too many requests|\b429\b|compute units|capacity|throttl|request limit|"
    r"limit exceeded|temporarily unavailable|\b503\b|timed? ?out|connection (reset|refused|aborted)",
    re.IGNORECASE,
)


class RpcError(NetworkError):
    """The node answered a request with an error (after any retries)."""

    def __init__(self, method: str, message: str) -> None:
        super().__init__(f"{method}: {message}")
        self.method = method
        self.message = message


class Transport(Protocol):
    """What `Rpc` needs from a node: web3's providers (`w3.provider`) have this method."""

    def make_request(self, method: Any, params: Any) -> Any: ...


@dataclass
class Rpc:
    """JSON-RPC over a web3 provider, counting calls by method, backing off exponentially on rate limits
    (`retries` times, from `backoff` seconds, doubling up to MAX_BACKOFF); other errors become `RpcError`."""

    transport: Transport
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    sleep: Callable[[float], None] = time.sleep
    calls: Counter[str] = field(default_factory=Counter)
    waits: int = 0  # rate-limit back-offs taken

    @classmethod
    def of(cls, w3: Any) -> Rpc:
        return cls(w3.provider)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def request(self, method: str, params: Sequence[Any] = ()) -> Any:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return self._once(method, params)
            except RpcError as err:
                if is_range_error(err.message) or not is_rate_limit(err.message) or attempt == self.retries:
                    raise
                self.waits += 1
                self.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, method: str, params: Sequence[Any]) -> Any:
        self.calls[method] += 1
        try:
            reply = self.transport.make_request(method, list(params))
        except Exception as err:  # HTTP 429/503, timeouts, refused connections: classified by the caller
            raise RpcError(method, f"{type(err).__name__}: {err}") from err
        if isinstance(reply, dict) and reply.get("error"):
            error = reply["error"]
            message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
            if isinstance(error, dict) and error.get("data") and isinstance(error["data"], str):
                message = f"{message} {error['data']}"
            raise RpcError(method, message)
        return reply["result"] if isinstance(reply, dict) else reply

    # -- small typed helpers --------------------------------------------------------------------------------
    def block(self, tag: int | str = "latest") -> dict[str, Any]:
        block = self.request("eth_getBlockByNumber", [hex(tag) if isinstance(tag, int) else tag, False])
        if block is None:
            raise RpcError("eth_getBlockByNumber", f"block {tag} not found")
        return dict(block)

    def call(self, to: str, data: bytes, block: int | str = "latest") -> bytes:
        tag = hex(block) if isinstance(block, int) else block
        return bytes.fromhex(self.request("eth_call", [{"to": to, "data": "0x" + data.hex()}, tag])[2:])

    def receipt(self, tx: str) -> dict[str, Any]:
        receipt = self.request("eth_getTransactionReceipt", [tx])
        if receipt is None:
            raise RpcError("eth_getTransactionReceipt", f"no receipt for {tx} (dropped by a reorg?)")
        return dict(receipt)


def is_range_error(message: str) -> bool:
    return bool(_RANGE_TOO_LARGE.search(message))


def is_rate_limit(message: str) -> bool:
    return bool(_RATE_LIMITED.search(message))


@dataclass(frozen=True)
class LogQuery:
    """One `eth_getLogs` filter without its block range: contract addresses and topic positions (each
    position None = any, or a list of alternatives)."""

    name: str
    addresses: tuple[str, ...]
    topics: tuple[tuple[str, ...] | None, ...]

    def params(self, start: int, end: int) -> dict[str, Any]:
        return {
            "fromBlock": hex(start),
            "toBlock": hex(end),
            "address": list(self.addresses),
            "topics": [list(t) if t is not None else None for t in self.topics],
        }


Progress = Callable[[int, int], None]  # (blocks done, blocks in total)


@dataclass
class LogScanner:
    """Reads logs over [start, end] in chunks a provider accepts, with retries."""

    rpc: Rpc
    chunk: int = DEFAULT_CHUNK
    shrinks: int = 0  # times a provider refused a range (reported by the benchmark and tests)
    logs_read: int = 0  # logs the node returned

    def __post_init__(self) -> None:
        if self.chunk < 1:
            raise ValueError(f"block range per query must be at least 1, got {self.chunk}")

    def scan(
        self, queries: Sequence[LogQuery], start: int, end: int, progress: Progress | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """Every query's logs over [start, end], in chain order. Chunks advance together: a refused range
        shrinks the chunk for the rest of the scan (the provider's limit does not change mid-scan)."""
        out: dict[str, list[dict[str, Any]]] = {q.name: [] for q in queries}
        at = start
        total = max(0, end - start + 1)
        while at <= end:
            span = min(self.chunk, end - at + 1)
            while True:
                try:
                    batch = [self._get_logs(q, at, at + span - 1) for q in queries]
                    break
                except _RangeRefused as refused:
                    if span == 1:
                        raise RpcError(
                            "eth_getLogs", f"the node refuses even a one-block range at {at}"
                        ) from refused
                    span = max(1, span // 2)
                    self.chunk = span
                    self.shrinks += 1
            for q, logs in zip(queries, batch, strict=True):
                self.logs_read += len(logs)
                out[q.name].extend(log for log in logs if not log.get("removed"))
            at += span
            if progress is not None:
                progress(at - start, total)
        return out

    def _get_logs(self, query: LogQuery, start: int, end: int) -> list[dict[str, Any]]:
        try:
            return list(self.rpc.request("eth_getLogs", [query.params(start, end)]))
        except RpcError as err:
            if is_range_error(err.message):
                raise _RangeRefused from err
            raise


class _RangeRefused(Exception):
    pass
