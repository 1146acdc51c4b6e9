"""The benchmark's own anvil: the project's hardfork, automining, no step tracing.

ape's anvil runs with `--steps-tracing`, which keeps a memory snapshot of every EVM step of every
transaction; a few dozen 500-earner batches then take gigabytes and the node dies. Receipts' gasUsed
does not need traces, so the benchmark starts a plain anvil of its own (and stops it afterwards).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tributary.anvil import AnvilProcess

STARTUP_SECONDS = 30


@contextmanager
def anvil(hardfork: str) -> Iterator[str]:
    """Start anvil on a free loopback port; yield its RPC URL; stop it on exit."""
    node = AnvilProcess.start(
        Path(tempfile.mkdtemp(prefix="tributary-bench-")),
        timeout=STARTUP_SECONDS,
        extra_args=[
            "--hardfork",
            hardfork,
            "--gas-price",
            "0",
            "--block-base-fee-per-gas",
            "0",
            "--balance",
            "1000000",
        ],  # fmt: skip
    )
    try:
        yield node.url
    finally:
        node.stop()
