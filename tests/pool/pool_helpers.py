"""Pure helpers of the pool tests: the System handle, the split model, packing, permits."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from ape.exceptions import ContractLogicError
from eth_abi import encode
from eth_utils import keccak
from hexbytes import HexBytes

from tributary.testing.permit import sign_permit_typed

BPS = 10_000
MAX_UINT = 2**256 - 1
DAY = 86_400
TRANSFER_TOPIC = keccak(text="Transfer(address,address,uint256)")


@dataclass
class System:
    """One deployed Pool and everything around it."""

    token: Any
    tiers: list[Any]
    pool: Any

    def fund(self, payer: Any, amount: int, approve: int = MAX_UINT) -> None:
        """Mint `amount` to `payer` and approve the pool for `approve`."""
        self.token.mint(payer, amount, sender=payer)
        self.token.approve(self.pool, approve, sender=payer)

    def shares(self, who: Any) -> list[int]:
        return [t.balanceOf(who) for t in self.tiers]

    def assets(self, who: Any) -> list[int]:
        return [t.convertToAssets(t.balanceOf(who)) for t in self.tiers]


def default_profile(ntiers: int) -> list[int]:
    """Everything to tier 0 (the conservative tier) unless an earner chooses."""
    return [BPS] + [0] * (ntiers - 1)


def sign_permit(token: Any, owner: Any, spender: Any, value: int, deadline: int, chain_id: int) -> tuple:
    """EIP-2612 signature (v, r, s) of `owner` for `token` (MockToken or a TierVault share)."""
    return sign_permit_typed(
        owner.private_key,
        name=token.name(),
        chain_id=chain_id,
        token=token.address,
        owner=owner.address,
        spender=str(spender.address if hasattr(spender, "address") else spender),
        value=value,
        nonce=token.nonces(owner),
        deadline=deadline,
    )


def split(amount: int, weights: Sequence[int]) -> list[int]:
    """The Pool split rule: floor each part, the heaviest (first of equals) tier takes the rest."""
    heaviest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    parts = [amount * w // BPS if i != heaviest else 0 for i, w in enumerate(weights)]
    parts[heaviest] = amount - sum(parts)
    return parts


def pack(entries: Sequence[tuple[Any, int]]) -> bytes:
    """payManyPacked / PaidMany format: 20-byte address ‖ 12-byte uint96 per entry."""
    out = b""
    for who, amount in entries:
        address = str(who.address if hasattr(who, "address") else who)
        out += bytes.fromhex(address[2:]) + amount.to_bytes(12, "big")
    return out


def unpack(payments: bytes) -> list[tuple[str, int]]:
    return [
        ("0x" + payments[i : i + 20].hex(), int.from_bytes(payments[i + 20 : i + 32], "big"))
        for i in range(0, len(payments), 32)
    ]


def source(tag: str) -> bytes:
    """A bytes32 source tag as the contracts see it."""
    return tag.encode().ljust(32, b"\x00")


def deposited(tx: Any, tiers: Sequence[Any], earner: Any) -> list[int]:
    """Assets each tier took in for `earner` in a single payment `tx`: the asset `Transfer`s into the tier in
    that transaction, when the tier minted `earner` shares (the pool credits one earner per tier; `credit`
    emits no ERC-4626 `Deposit`)."""
    out = []
    for tier, shares in zip(tiers, minted(tx, tiers, earner), strict=True):
        received = 0
        for log in tx.logs:
            topics = [bytes(HexBytes(t)) for t in log["topics"]]
            if (
                len(topics) == 3
                and topics[0] == TRANSFER_TOPIC
                and log["address"].lower() != str(tier.address).lower()
                and topics[2][12:] == bytes(HexBytes(str(tier.address)))
            ):
                received += int.from_bytes(bytes(HexBytes(log["data"])), "big")
        out.append(received if shares else 0)
    return out


def minted(tx: Any, tiers: Sequence[Any], earner: Any) -> list[int]:
    """Shares each tier minted to `earner` in `tx` (its ERC-20 `Transfer` events from address 0)."""
    address = str(earner.address if hasattr(earner, "address") else earner)
    zero = "0x" + "00" * 20
    return [
        sum(
            log.amount
            for log in t.Transfer.from_receipt(tx)
            if log.to == address and log.event_arguments["from"] == zero
        )
        for t in tiers
    ]


@contextmanager
def deploy_reverts(container: Any, error: str, *args: Any) -> Iterator[None]:
    """Expect a constructor to revert with custom error `error(*args)` of `container`.

    A failed deployment has no contract address, so ape cannot map its revert data to a custom error:
    compare the raw revert data with the ABI encoding instead. Deploy from an account that never deploys
    successfully (e.g. `stranger`): ape caches contract types by address, and after a snapshot restore a
    reused deployment address would be decoded with the wrong contract's ABI.
    """
    [abi] = [e for e in container.contract_type.errors if e.name == error]
    types = [i.canonical_type for i in abi.inputs]
    expected = keccak(text=f"{error}({','.join(types)})")[:4] + encode(types, list(args))
    with pytest.raises(ContractLogicError) as info:
        yield
    assert info.value.revert_message == "0x" + expected.hex()
