"""Deposit addresses: derive them off-chain exactly as `DepositRouter.depositAddress(earner, source)` does.

A deposit address is the CREATE2 address of an ERC-1167 minimal clone of the router's forwarder
implementation, deployed by the router with salt ``keccak256(abi.encode(earner, source))``::

    init_code = 0x3d602d80600a3d3981f3363d3d373d3d3d363d73 ‖ implementation ‖ 0x5af43d82803e903d91602b57fd5bf3
    address   = keccak256(0xff ‖ router ‖ salt ‖ keccak256(init_code))[12:]

Nothing here talks to a node: any client (wallet, platform, indexer) can derive an earner's address from the
router's address and its `forwarderImplementation()`, both fixed at deployment.
"""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak, to_canonical_address, to_checksum_address

# ERC-1167 minimal proxy creation code around the 20-byte implementation (EIP-1167, as OpenZeppelin's Clones).
_CLONE_PREFIX = bytes.fromhex("3d602d80600a3d3981f3363d3d373d3d3d363d73")
_CLONE_SUFFIX = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def source_tag(source: str | bytes) -> bytes:
    """A source tag as the contracts store it: bytes32, a short text left-aligned and zero-padded
    (Solidity's `bytes32("ads")`), or 32 raw bytes / 0x-hex as is."""
    if isinstance(source, bytes):
        raw = source
    elif source.startswith("0x") and len(source) == 66:
        raw = bytes.fromhex(source[2:])
    else:
        raw = source.encode()
    if len(raw) > 32:
        raise ValueError(f"Error: source tag {source!r} is longer than 32 bytes")
    return raw.ljust(32, b"\0")


def salt_of(earner: str, source: str | bytes) -> bytes:
    """The CREATE2 salt of (earner, source): keccak256(abi.encode(earner, source))."""
    return keccak(encode(["address", "bytes32"], [to_checksum_address(earner), source_tag(source)]))


def deposit_address(router: str, implementation: str, earner: str, source: str | bytes) -> str:
    """The deposit address of `earner` for `source` under `router` (checksummed)."""
    init_code = _CLONE_PREFIX + to_canonical_address(implementation) + _CLONE_SUFFIX
    digest = keccak(b"\xff" + to_canonical_address(router) + salt_of(earner, source) + keccak(init_code))
    return to_checksum_address(digest[12:])
