"""Constants and small helpers shared by the TierVault tests (imported as `vaultlib`)."""

from typing import Any

DAY = 86_400
WEEK = 7 * DAY
MAX_UINT = 2**256 - 1
UNIT = 10**18
OFFSET = 10**6  # virtual shares per asset unit (TierVault._decimalsOffset() == 6)


def warp(chain: Any, seconds: int) -> None:
    """Advance the chain clock and mine a block at the new time."""
    chain.pending_timestamp += seconds
    chain.mine()


def near(actual: int, expected: int, wei: int = 2) -> bool:
    """Equal up to `wei` units: an OZ ERC-4626 strategy keeps a unit or two for its virtual share, so
    values read back through previewRedeem are 1-2 wei below what was put in."""
    return abs(actual - expected) <= wei


def submit(vault: Any, method: str, *args: Any, sender: Any) -> bytes:
    """Start the timelock of `vault.<method>(*args)` (its exact calldata); returns that calldata."""
    data = bytes(getattr(vault, method).encode_input(*args))
    vault.submit(data, sender=sender)
    return data
