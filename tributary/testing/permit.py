"""EIP-2612 permit signatures computed locally (no RPC), for the lean driver and tests."""

from __future__ import annotations

import functools

from eth_abi import encode
from eth_keys import keys
from eth_keys.datatypes import PrivateKey
from eth_utils import keccak

PERMIT_TYPEHASH = keccak(
    text="Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)


@functools.cache
def _key(private_key: bytes) -> PrivateKey:
    """Deriving the public key is most of the cost of a pure-Python signature: do it once per key."""
    return keys.PrivateKey(private_key)


def permit_digest(
    domain_separator: bytes, owner: str, spender: str, value: int, nonce: int, deadline: int
) -> bytes:
    """The EIP-712 digest an owner signs to approve `spender` for `value` (ERC20Permit layout)."""
    struct = keccak(
        encode(
            ["bytes32", "address", "address", "uint256", "uint256", "uint256"],
            [PERMIT_TYPEHASH, owner, spender, value, nonce, deadline],
        )
    )
    return keccak(b"\x19\x01" + domain_separator + struct)


def sign_permit(
    private_key: str | bytes,
    domain_separator: bytes,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of the owner's permit signature (`private_key` as hex string or raw bytes)."""
    if isinstance(private_key, str):
        private_key = bytes.fromhex(private_key.removeprefix("0x"))
    digest = permit_digest(domain_separator, owner, spender, value, nonce, deadline)
    signature = _key(private_key).sign_msg_hash(digest)
    return signature.v + 27, signature.r.to_bytes(32, "big"), signature.s.to_bytes(32, "big")


PERMIT_TYPES = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


def sign_permit_typed(
    private_key: str | bytes,
    *,
    name: str,
    chain_id: int,
    token: str,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an EIP-2612 permit signed over the full EIP-712 typed data (domain: the token's name,
    version "1", chain id, token address) — what a wallet signs; for tests that check the domain too."""
    from eth_account import Account

    signed = Account.sign_typed_data(
        private_key,
        domain_data={"name": name, "version": "1", "chainId": chain_id, "verifyingContract": token},
        message_types={"Permit": PERMIT_TYPES},
        message_data={
            "owner": owner,
            "spender": spender,
            "value": value,
            "nonce": nonce,
            "deadline": deadline,
        },
    )
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
