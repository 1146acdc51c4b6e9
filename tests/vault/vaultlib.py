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
