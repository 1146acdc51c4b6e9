"""Decode one ``InvariantLens.snapshot`` eth_call into named Python values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tributary.testing.lean import Fn, LeanChain

FAILED = 2**256 - 1
TIER_FIXED = 6
SNAPSHOT = Fn("snapshot", ("address", "address[]", "address[]", "address[]"), ("uint256[]",))


@dataclass(frozen=True)
class TierView:
    total_supply: int
    total_assets: int
    idle: int
    total_debt: int
    locked_profit: int
    asset_balance: int
    shares: tuple[int, ...]  # per holder
    max_withdraw: tuple[int, ...]  # per holder
    max_redeem: tuple[int, ...]  # per holder
    strategy_shares: tuple[int, ...]  # per strategy: shares of the strategy held by this tier
    strategy_value: tuple[int, ...]  # per strategy: convertToAssets of those shares (FAILED if it reverted)


@dataclass(frozen=True)
class SystemView:
    asset_balances: tuple[int, ...]  # per holder
    tiers: tuple[TierView, ...]
    strategy_asset_balance: tuple[int, ...]
    strategy_total_assets: tuple[int, ...]


class Lens:
    """Binds a deployed InvariantLens to fixed lists of tiers, holders and strategies."""

    def __init__(
        self,
        chain: LeanChain,
        lens_address: str,
        asset: str,
        tiers: Sequence[str],
        holders: Sequence[str],
        strategies: Sequence[str] = (),
    ) -> None:
        self.chain = chain
        self.address = lens_address
        self.n_holders = len(holders)
        self.n_tiers = len(tiers)
        self.n_strategies = len(strategies)
        self._data = SNAPSHOT.data(asset, list(tiers), list(holders), list(strategies))

    def read(self, block: str = "latest") -> SystemView:
        """One eth_call; `block="pending"` reads the state as the next block will see it (its timestamp)."""
        raw = self.chain.call(self.address, self._data, block)
        return self.decode(raw)

    def decode(self, raw: bytes) -> SystemView:
        # ABI of a returned uint256[]: offset word, length word, then the words (sliced by hand: faster
        # than a generic decoder, and this runs after every step)
        length = int.from_bytes(raw[32:64], "big")
        words = [int.from_bytes(raw[64 + 32 * k : 96 + 32 * k], "big") for k in range(length)]
        h, s = self.n_holders, self.n_strategies
        k = h
        tiers = []
        for _ in range(self.n_tiers):
            fixed = words[k : k + TIER_FIXED]
            k += TIER_FIXED
            per_holder = words[k : k + 3 * h]
            k += 3 * h
            per_strategy = words[k : k + 2 * s]
            k += 2 * s
            tiers.append(
                TierView(
                    total_supply=fixed[0],
                    total_assets=fixed[1],
                    idle=fixed[2],
                    total_debt=fixed[3],
                    locked_profit=fixed[4],
                    asset_balance=fixed[5],
                    shares=tuple(per_holder[0::3]),
                    max_withdraw=tuple(per_holder[1::3]),
                    max_redeem=tuple(per_holder[2::3]),
                    strategy_shares=tuple(per_strategy[0::2]),
                    strategy_value=tuple(per_strategy[1::2]),
                )
            )
        tail = words[k:]
        return SystemView(
            asset_balances=tuple(words[:h]),
            tiers=tuple(tiers),
            strategy_asset_balance=tuple(tail[0::2]),
            strategy_total_assets=tuple(tail[1::2]),
        )
