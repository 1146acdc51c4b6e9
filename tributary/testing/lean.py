"""A lean JSON-RPC driver for property tests against a local anvil.

ape is the right tool to *deploy* and to write readable unit tests, but driving thousands of
hypothesis steps through it costs ~80 ms per step (ABI lookups, estimateGas, local signing,
receipt enrichment, trace fetching). This module talks to the same anvil directly:

- unlocked anvil accounts send with ``eth_sendTransactionSync`` (one round trip, receipt included,
  no local signing, gas given explicitly so nothing is estimated);
- calldata is built from selectors and ABI types computed once per function;
- reads are plain ``eth_call`` (one per step via the test-only ``InvariantLens``);
- ``evm_snapshot`` / ``evm_revert`` reset the chain between hypothesis examples;
- JSON over one keep-alive socket (see ``_JsonHttp``), not a generic HTTP client.

Nothing here is ape-specific: give it the node URI (``chain.provider.uri`` in a test).
"""

from __future__ import annotations

import itertools
import json
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

DEFAULT_GAS = 3_000_000


class RpcError(RuntimeError):
    """The node answered a JSON-RPC request with an error object."""

    def __init__(self, method: str, error: dict[str, Any]) -> None:
        super().__init__(f"{method}: {error.get('message')} {error.get('data', '')}")
        self.method = method
        self.error = error


def _canonical_type(param: dict[str, Any]) -> str:
    """ABI type string of one parameter, expanding tuples (structs) recursively."""
    kind: str = param["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in param["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


@dataclass(frozen=True)
class Fn:
    """One ABI function with its selector and types resolved once."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...] = ()
    selector: bytes = field(init=False)

    def __post_init__(self) -> None:
        signature = f"{self.name}({','.join(self.inputs)})"
        object.__setattr__(self, "selector", keccak(text=signature)[:4])

    @classmethod
    def from_abi(cls, entry: dict[str, Any]) -> Fn:
        return cls(
            entry["name"],
            tuple(_canonical_type(p) for p in entry.get("inputs", [])),
            tuple(_canonical_type(p) for p in entry.get("outputs", [])),
        )

    def data(self, *args: Any) -> str:
        """Hex calldata for a call with `args`."""
        return "0x" + (self.selector + encode(list(self.inputs), list(args))).hex()

    def decode(self, raw: bytes) -> tuple[Any, ...]:
        return tuple(decode(list(self.outputs), raw))


@dataclass(frozen=True)
class Receipt:
    """The parts of a receipt the property tests use."""

    ok: bool
    gas_used: int
    block: int
    logs: tuple[dict[str, Any], ...]

    def events(self, topic0: bytes, address: str | None = None) -> list[dict[str, Any]]:
        """Raw logs whose first topic is `topic0` (optionally emitted by `address`)."""
        wanted = "0x" + topic0.hex()
        addr = address.lower() if address else None
        return [
            log
            for log in self.logs
            if log["topics"]
            and log["topics"][0] == wanted
            and (addr is None or log["address"].lower() == addr)
        ]


class LeanContract:
    """Selectors and encoders of one deployed contract, built once from its ABI."""

    def __init__(self, address: str, abi: Iterable[dict[str, Any]]) -> None:
        self.address = to_checksum_address(address)
        self.fns: dict[str, Fn] = {}
        self.errors: dict[bytes, str] = {}
        self.event_topics: dict[str, bytes] = {}
        for entry in abi:
            kind = entry.get("type")
            if kind == "function":
                fn = Fn.from_abi(entry)
                # overloaded names are reachable by full signature; the first one also by bare name
                self.fns.setdefault(fn.name, fn)
                self.fns[f"{fn.name}({','.join(fn.inputs)})"] = fn
            elif kind == "error":
                types = ",".join(_canonical_type(p) for p in entry.get("inputs", []))
                self.errors[keccak(text=f"{entry['name']}({types})")[:4]] = entry["name"]
            elif kind == "event":
                types = ",".join(_canonical_type(p) for p in entry.get("inputs", []))
                self.event_topics[entry["name"]] = keccak(text=f"{entry['name']}({types})")

    @classmethod
    def from_ape(cls, contract: Any) -> LeanContract:
        """Wrap an ape ContractInstance (uses its address and ABI; no ape calls afterwards)."""
        abi = [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]
        return cls(contract.address, abi)

    def data(self, name: str, *args: Any) -> str:
        return self.fns[name].data(*args)


class _JsonHttp:
    """JSON over one keep-alive HTTP/1.1 connection with TCP_NODELAY: a request is one `sendall`.

    A generic HTTP client costs ~1-2 ms of Python per request (proxy lookups, header objects, two
    writes); against a local anvil that answers in ~1 ms, that overhead would dominate a property test.
    """

    def __init__(self, uri: str) -> None:
        url = urlsplit(uri)
        self._address = (url.hostname or "127.0.0.1", url.port or 80)
        self._head = (
            f"POST {url.path or '/'} HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/json\r\n"
        )
        self._sock: socket.socket | None = None
        self._buffer = bytearray()

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self._address)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = bytearray()
        self._sock = sock
        return sock

    def post(self, payload: Any, timeout: float) -> Any:
        body = json.dumps(payload).encode()
        request = f"{self._head}Content-Length: {len(body)}\r\n\r\n".encode() + body
        sock = self._sock or self._connect()
        try:
            sock.sendall(request)
        except OSError:  # the node closed an idle keep-alive connection: reconnect once (nothing was sent)
            sock = self._connect()
            sock.sendall(request)
        sock.settimeout(timeout)
        return json.loads(self._read_response(sock))

    def _read_response(self, sock: socket.socket) -> bytes:
        buf = self._buffer
        while (end := buf.find(b"\r\n\r\n")) < 0:
            self._fill(sock, buf)
        length = 0
        for line in bytes(buf[:end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        start = end + 4
        while len(buf) < start + length:
            self._fill(sock, buf)
        body = bytes(buf[start : start + length])
        del buf[: start + length]
        return body

    def _fill(self, sock: socket.socket, buf: bytearray) -> None:
        chunk = sock.recv(1 << 20)
        if not chunk:
            self._sock = None
            raise ConnectionError(f"node at {self._address} closed the connection")
        buf += chunk

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


class LeanChain:
    """Minimal JSON-RPC client for a local anvil: transact, call, snapshot, time."""

    def __init__(self, uri: str, timeout: float = 30.0) -> None:
        self.uri = uri
        self.timeout = timeout
        self._http = _JsonHttp(uri)
        self._ids = itertools.count(1)
        self.error_names: dict[bytes, str] = {}

    def close(self) -> None:
        self._http.close()

    # -- raw JSON-RPC ---------------------------------------------------------------------------
    def rpc(self, method: str, params: Sequence[Any] = (), timeout: float | None = None) -> Any:
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        reply = self._http.post(body, timeout or self.timeout)
        if "error" in reply:
            raise RpcError(method, reply["error"])
        return reply["result"]

    def batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Several independent requests in one HTTP round trip (results in request order). The node may
        run them concurrently: never batch a read with a transaction it should observe."""
        body = [
            {"jsonrpc": "2.0", "id": i, "method": method, "params": list(params)}
            for i, (method, params) in enumerate(calls)
        ]
        replies = sorted(self._http.post(body, self.timeout), key=lambda r: r["id"])
        out = []
        for (method, _), reply in zip(calls, replies, strict=True):
            if "error" in reply:
                raise RpcError(method, reply["error"])
            out.append(reply["result"])
        return out

    # -- transactions and calls -----------------------------------------------------------------
    def transact(self, sender: str, to: str, data: str, gas: int = DEFAULT_GAS, value: int = 0) -> Receipt:
        """Send from an unlocked account and wait for the (automined) receipt in one round trip."""
        tx = {"from": sender, "to": to, "data": data, "gas": hex(gas), "value": hex(value)}
        raw = self.rpc("eth_sendTransactionSync", [tx])
        return Receipt(
            ok=raw["status"] == "0x1",
            gas_used=int(raw["gasUsed"], 16),
            block=int(raw["blockNumber"], 16),
            logs=tuple(raw["logs"]),
        )

    def call(self, to: str, data: str, block: str | int = "latest", sender: str | None = None) -> bytes:
        tx: dict[str, Any] = {"to": to, "data": data}
        if sender:
            tx["from"] = sender
        tag = hex(block) if isinstance(block, int) else block
        return bytes.fromhex(self.rpc("eth_call", [tx, tag])[2:])

    def why_reverted(self, sender: str, to: str, data: str, block: int, value: int = 0) -> str:
        """Replay a failed transaction as a call on the state before its block; name the error."""
        tx = {"from": sender, "to": to, "data": data, "value": hex(value)}
        try:
            self.rpc("eth_call", [tx, hex(block - 1)])
        except RpcError as err:
            raw = err.error.get("data") or ""
            if isinstance(raw, str) and raw.startswith("0x") and len(raw) >= 10:
                selector = bytes.fromhex(raw[2:10])
                return self.error_names.get(selector, raw)
            return str(err.error.get("message"))
        return "no revert when replayed on the parent block"

    def register_errors(self, *contracts: LeanContract) -> None:
        for contract in contracts:
            self.error_names.update(contract.errors)

    # -- chain control --------------------------------------------------------------------------
    def snapshot(self) -> str:
        return str(self.rpc("evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        if not self.rpc("evm_revert", [snapshot_id]):
            raise RuntimeError(f"evm_revert({snapshot_id}) refused")

    def timestamp(self) -> int:
        return int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    def mine_at(self, timestamp: int) -> None:
        """Mine an empty block at exactly `timestamp` (time passes for yield sources and unlocks)."""
        self.rpc("evm_mine", [timestamp])

    def fixed_block_interval(self, seconds: int | None) -> None:
        """Make every automined block `seconds` after its parent (deterministic replays), or undo it."""
        if seconds is None:
            self.rpc("anvil_removeBlockTimestampInterval")
        else:
            self.rpc("anvil_setBlockTimestampInterval", [seconds])
