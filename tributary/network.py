"""Connecting to an ape network by name or RPC URL, with clean errors instead of tracebacks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tributary.config import DEV_CHAIN_IDS
from tributary.errors import NetworkError

# "127.0.0.1:8545", "localhost:8545", "my-node.lan:8545": a node address typed without http://
_HOST_PORT = re.compile(r"^[A-Za-z0-9.-]+:\d{1,5}/?$")


@contextmanager
def connect(choice: str) -> Iterator[Any]:
    """Connect to `choice` ("ethereum:sepolia:node", "ethereum:local", "http://127.0.0.1:8545"...).

    Yields the ape provider. Unknown names and unreachable nodes raise NetworkError with ape's reason.
    """
    from ape import networks
    from ape.exceptions import ApeException

    if _HOST_PORT.match(choice):
        raise NetworkError(
            f"unknown network {choice!r}: an RPC URL needs its scheme: --network http://{choice}"
        )
    try:
        context = networks.parse_network_choice(choice)
    except ApeException as err:
        raise NetworkError(f"unknown network {choice!r}: {_first_lines(err)}") from err
    try:
        provider = context.__enter__()
    except (ApeException, OSError) as err:
        raise NetworkError(
            f"cannot connect to {choice!r}: {_first_lines(err)}{_uri_hint(choice, err)}"
        ) from err
    try:
        real = chain_id_of(provider)
        if int(provider.chain_id) != real:
            raise NetworkError(
                f"{choice!r}: ape assumes chain id {provider.chain_id} but the node reports {real}, so "
                "transactions would be signed for the wrong chain; pass the bare RPC URL instead "
                "(e.g. --network http://127.0.0.1:8545)"
            )
        yield provider
    finally:
        context.__exit__(None, None, None)


def chain_id_of(provider: Any) -> int:
    """The chain id the node itself reports (ape may report a placeholder for a local URI)."""
    return int(provider.web3.eth.chain_id)


def genesis_hash(provider: Any) -> str:
    """Block 0's hash: tells two chains with the same id apart (a restarted anvil, a fork)."""
    return str(provider.web3.eth.get_block(0)["hash"].to_0x_hex())


def is_dev_chain(provider: Any) -> bool:
    return chain_id_of(provider) in DEV_CHAIN_IDS


def network_label(provider: Any) -> str:
    """A file-name friendly name for manifests: "local", "sepolia", "base-mainnet", "custom-31337"."""
    network = provider.network
    name = network.name
    if name == "custom":
        return f"custom-{chain_id_of(provider)}"
    ecosystem = network.ecosystem.name
    return name if ecosystem == "ethereum" else f"{ecosystem}-{name}"


def _uri_hint(choice: str, err: BaseException) -> str:
    """ape's "Missing URI" names no remedy: say how to give a named network its RPC endpoint."""
    if "Missing URI" not in str(err):
        return ""
    name = ":".join(choice.split(":")[:2])
    return (
        f" — give ape the node's RPC URL: --network {name}:https://<your-rpc>, or WEB3_PROVIDER_URI, or "
        "a `node:` entry in ape-config.yaml (README, 'Testnets and L2s')"
    )


def _first_lines(err: BaseException, limit: int = 4) -> str:
    lines = [line for line in str(err).splitlines() if line.strip()]
    text = " ".join(lines[:limit])
    return text + (" ..." if len(lines) > limit else "")
