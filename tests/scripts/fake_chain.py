"""A fake JSON-RPC node for the log-reading tests: blocks, logs, and providers' refusals, without a chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _hash(number: int, fork: int) -> str:
    return "0x" + f"{fork:08x}{number:056x}"


@dataclass
class FakeNode:
    """`make_request` like a web3 provider. Logs are (block, address, topics); `max_range` refuses wider
    eth_getLogs ranges the way Alchemy does; `rate_limited` answers 429 that many times first."""

    head: int = 100
    logs: list[tuple[int, str, list[str]]] = field(default_factory=list)
    max_range: int | None = None
    rate_limited: int = 0
    fork_from: int | None = None  # blocks at or after this one have new hashes (a reorg)
    requests: list[tuple[str, list[Any]]] = field(default_factory=list)

    def block_hash(self, number: int) -> str:
        return _hash(number, 1 if self.fork_from is not None and number >= self.fork_from else 0)

    def make_request(self, method: str, params: list[Any]) -> dict[str, Any]:
        self.requests.append((method, params))
        if self.rate_limited:
            self.rate_limited -= 1
            return {"jsonrpc": "2.0", "id": 1, "error": {"code": 429, "message": "Too Many Requests"}}
        if method == "eth_chainId":
            return {"result": "0x7a69"}
        if method == "eth_getBlockByNumber":
            tag = params[0]
            number = self.head if tag == "latest" else int(tag, 16)
            if number > self.head:
                return {"result": None}
            return {
                "result": {
                    "number": hex(number),
                    "hash": self.block_hash(number),
                    "timestamp": hex(1000 + number),
                }
            }
        if method == "eth_getLogs":
            query = params[0]
            start, end = int(query["fromBlock"], 16), int(query["toBlock"], 16)
            if self.max_range is not None and end - start + 1 > self.max_range:
                return {
                    "error": {
                        "code": -32600,
                        "message": "Log response size exceeded. You can make eth_getLogs requests "
                        f"with up to a {self.max_range} block range.",
                    }
                }
            wanted = {a.lower() for a in query["address"]}
            out = []
            for i, (block, address, topics) in enumerate(self.logs):
                if not start <= block <= end or address.lower() not in wanted:
                    continue
                if any(
                    alternatives is not None and (k >= len(topics) or topics[k] not in alternatives)
                    for k, alternatives in enumerate(query["topics"])
                ):
                    continue
                out.append(
                    {
                        "address": address,
                        "topics": topics,
                        "data": "0x" + "00" * 32,
                        "blockNumber": hex(block),
                        "blockHash": self.block_hash(block),
                        "logIndex": hex(i),
                        "transactionHash": "0x" + f"{i:064x}",
                        "removed": False,
                    }
                )
            return {"result": out}
        return {"error": {"code": -32601, "message": f"method {method} not supported"}}

    def log_ranges(self) -> list[tuple[int, int]]:
        return [
            (int(p[0]["fromBlock"], 16), int(p[0]["toBlock"], 16))
            for m, p in self.requests
            if m == "eth_getLogs"
        ]
