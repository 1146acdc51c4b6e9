"""The benchmark's own anvil: the project's hardfork, automining, no step tracing.

ape's anvil runs with `--steps-tracing`, which keeps a memory snapshot of every EVM step of every
transaction; a few dozen 500-earner batches then take gigabytes and the node dies. Receipts' gasUsed
does not need traces, so the benchmark starts a plain anvil of its own (and stops it afterwards).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from web3 import Web3

STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def anvil(hardfork: str) -> Iterator[str]:
    """Start anvil on a free loopback port; yield its RPC URL; stop it on exit."""
    binary = shutil.which("anvil")
    if binary is None:
        raise RuntimeError("anvil not on PATH: run through `make bench` (it adds node_modules' anvil)")
    port = _free_port()
    cmd = [binary, "--port", str(port), "--hardfork", hardfork, "--silent",
           "--gas-price", "0", "--block-base-fee-per-gas", "0", "--balance", "1000000"]  # fmt: skip
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        w3 = Web3(Web3.HTTPProvider(url))
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"anvil exited at start-up: {err.strip()}")
            try:
                if w3.eth.chain_id:
                    break
            except Exception:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"anvil did not answer on {url} within {STARTUP_SECONDS} s") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
