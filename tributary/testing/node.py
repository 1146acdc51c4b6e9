"""An untraced copy of ape's anvil for the hot loop of property tests.

ape-foundry always starts anvil with ``--steps-tracing``: every EVM step of every transaction is recorded
so ape can show rich traces. That is what makes failing unit tests readable, and it also makes a pay
through three vaults 5–10× slower. Property machines never read those traces, so after deploying with
ape we copy the complete chain state (``anvil_dumpState``: code, storage, balances, nonces) into a second
anvil started without tracing, and drive that one. The original node is left untouched.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tributary.anvil import free_port
from tributary.testing.lean import LeanChain, RpcError


def _accounts_only(dump: str) -> str:
    """Keep code, storage, balances, nonces and the head block; drop the transaction history (with ape's
    step traces that is megabytes per hundred transactions, more than anvil accepts in one request)."""
    state = json.loads(gzip.decompress(bytes.fromhex(dump.removeprefix("0x"))))
    head = [b for b in state["blocks"] if int(b["header"]["number"], 16) == state["best_block_number"]]
    for block in head:
        block["transactions"] = []
    state.update(blocks=head, transactions=[], historical_states=None)
    return "0x" + gzip.compress(json.dumps(state).encode()).hex()


@contextmanager
def untraced_clone(
    source: LeanChain, anvil_bin: str | None = None, hardfork: str = "cancun"
) -> Iterator[LeanChain]:
    """Start an anvil without step tracing holding `source`'s state; stop it (only it) on exit.

    Every address can send (auto-impersonation), gas is free (base fee 0), the chain id and the head block
    (number, timestamp) are those of `source`, so EIP-712 domains and time-based state stay valid.
    """
    binary = anvil_bin or shutil.which("anvil")
    if binary is None:
        raise FileNotFoundError("anvil not on PATH (node_modules/@foundry-rs/anvil-linux-amd64/bin)")
    # the dump serialises every kept transaction with its step trace: seconds per hundred transactions
    state = _accounts_only(source.rpc("anvil_dumpState", timeout=300))
    chain_id = int(source.rpc("eth_chainId"), 16)
    port = free_port()
    cmd = [binary, "--port", str(port), "--hardfork", hardfork, "--chain-id", str(chain_id)]
    cmd += ["--block-base-fee-per-gas", "0", "--gas-price", "0", "--accounts", "0"]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        clone = LeanChain(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 20
        while True:
            try:
                clone.rpc("eth_chainId")
                break
            except (OSError, RpcError) as err:  # not listening yet
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"untraced anvil did not start: {err}") from err
                time.sleep(0.05)
        clone.rpc("anvil_loadState", [state])
        clone.rpc("anvil_autoImpersonateAccount", [True])
        yield clone
        clone.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
