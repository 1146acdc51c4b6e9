"""The Python model of what the chain should hold, independent of how the contracts compute it.

Per tier the model keeps a book of money in and out (deposits, withdrawals, realised profit and loss)
and, per earner, a *claim*: what the earner has paid in, minus what they took out, plus their exact
share of every change of the share price while they held shares. The price is the vault's own ERC-4626
price with virtual shares, (totalAssets + 1) / (totalSupply + 10**6), as an exact Fraction.

Why this bound is the right one: an earner's holdings are worth shares × price. Every operation of
theirs may move that value by at most what they paid in / took out (rounding in the vault's favour,
≤ 1 asset unit per operation); everything else that changes their value must come through the price,
and the price may rise only by unlocked, *realised* profit (checked globally by conservation) and fall
only by a reported loss. So |shares × price − claim| ≤ operations is exact up to 1 unit per operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

# (tier of the parts by profile, tier credited, [(earner, part)]) of one credit / creditMany
Call = tuple[int, int, list[tuple[str, int]]]
Skip = tuple[str, int, int]  # (earner, closed tier, part) of a skipped part

VIRTUAL_SHARES = 10**6  # TierVault: _decimalsOffset() = 6
BPS = 10_000


def share_price(total_assets: int, total_supply: int) -> Fraction:
    """Assets per share, exactly as the vault prices conversions (before rounding)."""
    return Fraction(total_assets + 1, total_supply + VIRTUAL_SHARES)


def convert_to_assets(shares: int, total_assets: int, total_supply: int) -> int:
    """ERC-4626 convertToAssets, rounded down."""
    return shares * (total_assets + 1) // (total_supply + VIRTUAL_SHARES)


def split_payment(amount: int, weights: Sequence[int]) -> list[int]:
    """How the pool splits `amount` across tiers by a profile.

    Each non-heaviest tier gets floor(amount × w / 10,000); the heaviest tier (first of the largest
    weights) gets the rest, so the parts sum to `amount` exactly.
    """
    heaviest = 0
    for i, w in enumerate(weights):
        if w > weights[heaviest]:
            heaviest = i
    parts = [0] * len(weights)
    rest = amount
    for i, w in enumerate(weights):
        if i == heaviest or w == 0:
            continue
        part = amount * w // BPS
        parts[i] = part
        rest -= part
    parts[heaviest] = rest
    return parts


@dataclass
class TierBook:
    """What one tier vault has taken in and given out, and every earner's claim on it."""

    paused: bool = False
    shutdown: bool = False
    deposited: int = 0  # assets credited by the pool (pay paths and switches in)
    withdrawn: int = 0  # assets paid out to earners (withdraw, redeem, switches out)
    profit: int = 0  # realised by report / emergency withdraw
    loss: int = 0
    unreported_loss: bool = False  # a strategy of this tier was slashed since its last report
    claim: dict[str, Fraction] = field(default_factory=dict)
    ops: dict[str, int] = field(default_factory=dict)
    paid_in: dict[str, int] = field(default_factory=dict)
    taken_out: dict[str, int] = field(default_factory=dict)

    @property
    def accepts_deposits(self) -> bool:
        return not (self.paused or self.shutdown)

    def credit(self, earner: str, assets: int) -> None:
        self.deposited += assets
        self.paid_in[earner] = self.paid_in.get(earner, 0) + assets
        self.claim[earner] = self.claim.get(earner, Fraction(0)) + assets
        self.ops[earner] = self.ops.get(earner, 0) + 1

    def debit(self, earner: str, assets: int) -> None:
        self.withdrawn += assets
        self.taken_out[earner] = self.taken_out.get(earner, 0) + assets
        self.claim[earner] = self.claim.get(earner, Fraction(0)) - assets
        self.ops[earner] = self.ops.get(earner, 0) + 1

    def reprice(self, held: dict[str, int], price_before: Fraction, price_after: Fraction) -> None:
        """Give every holder their exact share of a price move (yield released, loss reported, dust), for
        the shares they `held` throughout the move."""
        delta = price_after - price_before
        if delta == 0:
            return
        for earner, shares in held.items():
            if shares:
                self.claim[earner] = self.claim.get(earner, Fraction(0)) + shares * delta


@dataclass
class SystemModel:
    """Everything the chain should hold: per-tier books, profiles and every wallet's asset balance."""

    n_tiers: int
    default_profile: list[int]
    wallets: dict[str, int]
    risk_ceilings: Sequence[int] = ()
    profiles: dict[str, list[int]] = field(default_factory=dict)
    books: list[TierBook] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.books:
            self.books = [TierBook() for _ in range(self.n_tiers)]

    def profile_of(self, earner: str) -> list[int]:
        return self.profiles.get(earner, self.default_profile)

    def parts(self, earner: str, amount: int) -> list[int]:
        return split_payment(amount, self.profile_of(earner))

    def route(self, tier: int) -> int | None:
        """Where the pool sends a part of `tier` now: the tier while open; else the open tier with the highest
        risk ceiling not above its own (ties: lower index); None = skipped (stays with the payer)."""
        if self.books[tier].accepts_deposits:
            return tier
        ceiling = self.risk_ceilings
        lower = [u for u in range(self.n_tiers) if u != tier and ceiling[u] <= ceiling[tier]]
        for u in sorted(lower, key=lambda u: (-ceiling[u], u)):
            if self.books[u].accepts_deposits:
                return u
        return None

    def plan(self, entries: Sequence[tuple[str, int]], batch: bool) -> tuple[list[Call], list[Skip]]:
        """The tier calls a payment makes, in the pool's order, and the parts it skips.

        Single payment: one `credit` per non-zero part, the heaviest tier last. Batch: one `creditMany` per
        tier with a non-zero part, tiers ascending; consecutive payments of an earner are one entry (one
        credit, one skip): a one-tier earner's joins the previous payment's, a several-tier earner's part
        joins its tier's last entry when that is theirs; a closed tier's list goes to its route as it is.
        """
        calls: list[Call] = []
        skips: list[Skip] = []
        split = [(earner, self.parts(earner, amount)) for earner, amount in entries]
        if batch:
            for t in range(self.n_tiers):
                tier_parts: list[tuple[str, int]] = []
                previous = None
                for earner, parts in split:
                    if parts[t]:
                        if max(self.profile_of(earner)) == BPS:  # one tier: merged with the previous payment
                            merge = previous == earner
                        else:  # several tiers: merged with the tier's last entry
                            merge = bool(tier_parts) and tier_parts[-1][0] == earner
                        if merge:
                            tier_parts[-1] = (earner, tier_parts[-1][1] + parts[t])
                        else:
                            tier_parts.append((earner, parts[t]))
                    previous = earner
                if tier_parts:
                    to = self.route(t)
                    if to is None:
                        skips += [(earner, t, part) for earner, part in tier_parts]
                    else:
                        calls.append((t, to, tier_parts))
            return calls, skips
        ((earner, parts),) = split
        weights = self.profile_of(earner)
        heaviest = max(range(self.n_tiers), key=lambda t: (weights[t], -t))
        for t in [t for t in range(self.n_tiers) if t != heaviest] + [heaviest]:
            if parts[t]:
                to = self.route(t)
                if to is None:
                    skips.append((earner, t, parts[t]))
                else:
                    calls.append((t, to, [(earner, parts[t])]))
        return calls, skips

    def record_payment(self, payer: str, calls: Sequence[Call]) -> None:
        """Book a payment that went through: only the routed parts left the payer (skipped ones never did)."""
        for _, to, tier_parts in calls:
            for earner, part in tier_parts:
                self.wallets[payer] -= part
                self.books[to].credit(earner, part)
