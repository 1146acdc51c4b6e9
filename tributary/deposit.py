"""Deposit addresses: derive them off-chain exactly as `DepositRouter.depositAddress(earner, source)` does.

A deposit address is the CREATE2 address of a 71-byte forwarder deployed by the router with salt
``keccak256(abi.encode(earner, source))``; its creation code embeds the router's address::

    init_code = 0x60478060095f395ff3 ‖ 0x73 ‖ router ‖ RUNTIME_TAIL      (= router.forwarderInitCode())
    address   = keccak256(0xff ‖ router ‖ salt ‖ keccak256(init_code))[12:]

Nothing here talks to a node: any client (wallet, platform, indexer) derives an earner's address from the
router's address alone (contracts/DepositRouter.sol documents the forwarder byte by byte).
"""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak, to_canonical_address, to_checksum_address

# Constructor (codecopy the 71-byte runtime, return it) and the runtime after PUSH20 <router>.
INIT_HEAD = bytes.fromhex("60478060095f395ff373")
RUNTIME_TAIL = bytes.fromhex(
    "331460245736156022575f5ffd5b005b604036038060405f375f5f825f6020355f355af13d5f5f3e6043573d5ffd5b3d5ff3"
)


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


def forwarder_init_code(router: str) -> bytes:
    """The creation code of every forwarder of `router` (what `router.forwarderInitCode()` returns)."""
    return INIT_HEAD + to_canonical_address(router) + RUNTIME_TAIL


def deposit_address(router: str, earner: str, source: str | bytes) -> str:
    """The deposit address of `earner` for `source` under `router` (checksummed)."""
    code_hash = keccak(forwarder_init_code(router))
    digest = keccak(b"\xff" + to_canonical_address(router) + salt_of(earner, source) + code_hash)
    return to_checksum_address(digest[12:])
