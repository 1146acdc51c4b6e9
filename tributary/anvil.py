"""Start and stop a separate anvil node on a free loopback port (tests, and anyone who wants a node that
outlives one `ape run`). Only ever binds 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tributary.errors import NetworkError

# anvil's well-known dev keys (mnemonic "test test ... junk"), funded with 10,000 ETH on every dev chain.
DEV_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
)


LOCAL_ANVIL_DIR = Path(__file__).resolve().parents[1] / "node_modules/@foundry-rs/anvil-linux-amd64/bin"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AnvilProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(
        cls,
        log_dir: Path,
        chain_id: int = 31337,
        timeout: float = 15.0,
        extra_args: Sequence[str] = (),
    ) -> AnvilProcess:
        """Start anvil on a free 127.0.0.1 port (plus `extra_args`: a hardfork, …); return once it answers."""
        binary = shutil.which("anvil") or shutil.which("anvil", path=str(LOCAL_ANVIL_DIR))
        if binary is None:
            raise NetworkError("anvil not found on PATH (node_modules/@foundry-rs/anvil-linux-amd64/bin)")
        port = free_port()
        log_path = log_dir / f"anvil-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    binary,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--chain-id",
                    str(chain_id),
                    *extra_args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        node = cls(process, port, log_path)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise NetworkError(f"anvil exited with {process.returncode}: {log_path.read_text()[-500:]}")
            if node.rpc_ready():
                return node
            time.sleep(0.1)
        node.stop()
        raise NetworkError(f"anvil did not answer on {node.url} within {timeout} s")

    def rpc_ready(self) -> bool:
        request = urllib.request.Request(
            self.url,
            data=b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=0.5) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
