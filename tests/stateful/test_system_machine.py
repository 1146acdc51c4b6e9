"""The whole system (pool + 3 tier vaults + 6 strategies) as one hypothesis state machine.

Rules are what payers, earners, the allocator, the guardian, strategies and time do. After every chain
action ONE eth_call reads the InvariantLens as the next block will see it (``pending``: the state after
the action, one second later, since every block is 1 s after its parent). That view is the exact state
the next transaction executes on, so the machine predicts every share amount exactly. The invariants
then compare chain and Python model (tests/stateful/stateful_model.py) after every rule.

A failure prints as a short sequence of named rules, e.g.
    state.fresh_system(decimals=6)
    state.pay(earner='bob', amount=1)
    state.withdraw(earner='bob', tier=0, portion='all')
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

from eth_abi import encode
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from stateful_model import VIRTUAL_SHARES, SystemModel, convert_to_assets, share_price
from stateful_profiles import STATS, machine_settings

from tributary.testing.lean import LeanChain, Receipt
from tributary.testing.lens import FAILED
from tributary.testing.permit import sign_permit
from tributary.testing.system import (
    DAY,
    DEFAULT_PROFILE,
    PLENTY,
    RISK_CEILINGS,
    STRATEGIES,
    WALLET_FUNDS,
    LeanSystem,
    lean_view,
)

EARNERS = ("alice", "bob", "carol", "dave", "platform")
TIERS = (0, 1, 2)
SOURCE = b"game".ljust(32, b"\x00")

# what a payer sends: dust, ordinary amounts, and the largest a batch entry may carry (uint96)
amounts = st.one_of(st.integers(1, 100), st.integers(10**4, 10**22), st.just(2**96 - 1))
earners = st.sampled_from(EARNERS)
tiers = st.sampled_from(TIERS)
portions = st.sampled_from(["all", "half", "tenth", "one unit"])
profiles = st.sampled_from(
    [(10_000, 0, 0), (0, 10_000, 0), (0, 0, 10_000), (3_334, 3_333, 3_333), (5_000, 5_000, 0), (1, 0, 9_999)]
)
all_strategies = st.sampled_from([s.name for s in STRATEGIES])
lossy_strategies = st.sampled_from([s.name for s in STRATEGIES if s.kind == "lossy"])
illiquid_strategies = st.sampled_from([s.name for s in STRATEGIES if s.kind == "illiquid"])


def checked(rule_fn: Callable[..., None]) -> Callable[..., None]:
    """Run every invariant after the rule and its model update have finished."""

    @functools.wraps(rule_fn)
    def run(self: SystemMachine, *args: Any, **kwargs: Any) -> None:
        rule_fn(self, *args, **kwargs)
        self._check_invariants()

    return run


def _words(log: dict[str, Any], n: int) -> list[int]:
    """The first `n` 32-byte words of a log's data (its non-indexed arguments)."""
    raw = log["data"][2:]
    return [int(raw[64 * k : 64 * (k + 1)], 16) for k in range(n)]


def _portion(maximum: int, portion: str) -> int:
    return {"all": maximum, "half": maximum // 2, "tenth": maximum // 10, "one unit": min(maximum, 1)}[
        portion
    ]


def _shares_for(assets: int, total_assets: int, total_supply: int, round_up: bool = False) -> int:
    """ERC-4626 convertToShares with the vault's virtual offset (floor: deposits; ceil: withdrawals)."""
    num, den = assets * (total_supply + VIRTUAL_SHARES), total_assets + 1
    return -(-num // den) if round_up else num // den


class SystemMachine(RuleBasedStateMachine):
    """One example = one fresh system (18 or 6 decimals) reverted to the deployment snapshot."""

    systems: ClassVar[dict[int, LeanSystem]] = {}
    chain: ClassVar[LeanChain]
    base: ClassVar[dict[str, str]] = {}
    steps: ClassVar[int] = 0

    # ------------------------------------------------------------------ plumbing
    @initialize(decimals=st.sampled_from([18, 6]))
    def fresh_system(self, decimals: int) -> None:
        chain = self.chain
        chain.revert(self.base["id"])
        self.base["id"] = chain.snapshot()
        self.sys = self.systems[decimals]
        self.model = SystemModel(
            n_tiers=3,
            default_profile=list(DEFAULT_PROFILE),
            wallets=dict.fromkeys(EARNERS, WALLET_FUNDS),
            risk_ceilings=RISK_CEILINGS,
        )
        self.view = self.sys.lens.read("pending")  # what the next transaction will execute on
        self.before = self.view  # the state the last operation started from
        self.slack = [0, 0, 0]  # strategy-side rounding tolerated by the coverage check
        self.slashed: set[str] = set()  # strategies that lost money since their last report / emptying
        self.removed: set[str] = set()  # strategies force-removed (written off) from their tier
        self._check_invariants()

    def _holder(self, name: str) -> int:
        return self.sys.holder_names.index(name)

    def _strategy_index(self, name: str) -> int:
        return list(self.sys.strategies).index(name)

    def _send(
        self,
        label: str,
        sender: str,
        to: str,
        data: str,
        expect: bool | str | None,
        loss_tiers: frozenset[int] = frozenset(),
    ) -> Receipt:
        """Send, check success or the exact custom error, then observe.

        `expect`: True = must succeed, a string = must revert with that error, None = either is fine.
        """
        chain = self.chain
        receipt = chain.transact(self.sys.addresses[sender], to, data)
        type(self).steps += 1
        if expect is True and not receipt.ok:
            why = chain.why_reverted(self.sys.addresses[sender], to, data, receipt.block)
            raise AssertionError(f"{label}: expected success, reverted with {why}")
        if isinstance(expect, str):
            assert not receipt.ok, f"{label}: expected revert {expect}, but it succeeded"
            why = chain.why_reverted(self.sys.addresses[sender], to, data, receipt.block)
            assert why == expect, f"{label}: expected revert {expect}, got {why}"
        self._observe(label, loss_tiers)
        return receipt

    def _observe(self, label: str, loss_tiers: frozenset[int] = frozenset()) -> None:
        """Read the chain as the next block will see it, and give every holder their exact share of each
        tier's price move since the last view.

        The move is the operation (executed on the last view) plus one second of time (profit unlocking).
        Shares held after the operation earn it: exact for the time part, and the operation's own rounding
        dust (< 1 asset unit, in the vault's favour) is within the 1-unit-per-operation tolerance.
        """
        view = self.sys.lens.read("pending")
        for t in TIERS:
            ta, tb = self.view.tiers[t], view.tiers[t]
            p0 = share_price(ta.total_assets, ta.total_supply)
            p1 = share_price(tb.total_assets, tb.total_supply)
            if p1 < p0:
                assert t in loss_tiers, f"{label}: tier {t} share price fell from {float(p0)} to {float(p1)}"
            held = {n: tb.shares[self._holder(n)] for n in EARNERS}
            self.model.books[t].reprice(held, p0, p1)
        self.before, self.view = self.view, view

    def _received(self, name: str) -> int:
        i = self._holder(name)
        return self.view.asset_balances[i] - self.before.asset_balances[i]

    def _share_delta(self, tier: int, name: str) -> int:
        i = self._holder(name)
        return self.view.tiers[tier].shares[i] - self.before.tiers[tier].shares[i]

    def _mint_preview(self, tier: int, assets: int) -> int:
        tv = self.view.tiers[tier]
        return _shares_for(assets, tv.total_assets, tv.total_supply)

    # ------------------------------------------------------------------ payments
    def _pay(
        self, label: str, payer: str, to: str, data: str, entries: list[tuple[str, int]], batch: bool
    ) -> None:
        """Predict the pool's tier calls (closed tiers rerouted down or skipped, never up), the shares
        each call mints (each call at its tier's price when it runs) and the only allowed revert (a
        zero-share dust part: ZeroShares / ZeroSharesAt); a closed tier never makes a payment revert."""
        calls, skips = self.model.plan(entries, batch)
        if skips:
            event("payment: a closed tier's part skipped")
        if any(origin != tier for origin, tier, _ in calls):
            event("payment: a closed tier's part rerouted")
        ceilings, books = self.model.risk_ceilings, self.model.books
        for origin, tier, _ in calls:  # the chain must follow this plan exactly (share deltas below)
            assert books[tier].accepts_deposits, f"{label}: part of tier {origin} sent to closed tier {tier}"
            assert origin == tier or not books[origin].accepts_deposits, f"{label}: open {origin} rerouted"
            assert ceilings[tier] <= ceilings[origin], f"{label}: tier {origin} rerouted to riskier {tier}"
        book = {t: (self.view.tiers[t].total_assets, self.view.tiers[t].total_supply) for t in TIERS}
        minted: dict[tuple[int, str], int] = {}
        error: str | None = None
        for _, tier, tier_parts in calls:
            total_assets, total_supply = book[tier]
            shares = [_shares_for(part, total_assets, total_supply) for _, part in tier_parts]
            if 0 in shares:
                error = "ZeroSharesAt" if batch else "ZeroShares"
                break
            for (earner, _), got in zip(tier_parts, shares, strict=True):
                minted[(tier, earner)] = minted.get((tier, earner), 0) + got
            book[tier] = (total_assets + sum(p for _, p in tier_parts), total_supply + sum(shares))
        receipt = self._send(label, payer, to, data, error or True)
        if error:
            return
        for t in TIERS:
            for name in EARNERS:
                got, want = self._share_delta(t, name), minted.get((t, name), 0)
                assert got == want, f"{label}: {name} got {got} shares of tier {t}, expected {want}"
        pool = self.sys.pool
        logged = [_words(log, 2) for log in receipt.events(pool.event_topics["PaymentSkipped"], pool.address)]
        assert logged == [[t, part] for _, t, part in skips], f"{label}: skipped {logged}, expected {skips}"
        self.model.record_payment(payer, calls)

    @rule(earner=earners, amount=amounts)
    @checked
    def pay(self, earner: str, amount: int) -> None:
        """platform pays by approve + pay."""
        data = self.sys.pool.data("pay", self.sys.addresses[earner], amount, SOURCE)
        self._pay("pay", "platform", self.sys.pool.address, data, [(earner, amount)], batch=False)

    @rule(entries=st.lists(st.tuples(earners, amounts), min_size=1, max_size=6), grouped=st.booleans())
    @checked
    def pay_many(self, entries: list[tuple[str, int]], grouped: bool) -> None:
        """platform pays a batch (earners may repeat): one transfer in, one creditMany per tier; an earner's
        consecutive payments are one credit (grouped: as tributary.payer sends them, one per earner)."""
        if grouped:
            order = {e: i for i, (e, _) in reversed(list(enumerate(entries)))}
            entries = sorted(entries, key=lambda entry: order[entry[0]])  # stable: each earner's order kept
            if len(entries) > len({e for e, _ in entries}):
                event("payMany: repeated earner merged")
        addresses = [self.sys.addresses[e] for e, _ in entries]
        data = self.sys.pool.data("payMany", SOURCE, addresses, [a for _, a in entries])
        self._pay("payMany", "platform", self.sys.pool.address, data, entries, batch=True)

    @rule(earner=earners, amount=amounts)
    @checked
    def pay_with_permit(self, earner: str, amount: int) -> None:
        """carol never approved the pool: she signs an EIP-2612 permit for each payment."""
        sys = self.sys
        owner = sys.addresses["carol"]
        nonce = int.from_bytes(self.chain.call(sys.token.address, sys.token.data("nonces", owner)), "big")
        deadline = 2**64
        v, r, s = sign_permit(
            sys.keys["carol"], sys.domain_separator, owner, sys.pool.address, amount, nonce, deadline
        )
        data = sys.pool.data("payWithPermit", sys.addresses[earner], amount, SOURCE, deadline, v, r, s)
        self._pay("payWithPermit", "carol", sys.pool.address, data, [(earner, amount)], batch=False)

    @rule(earner=st.one_of(st.just("self"), earners), amount=amounts)
    @checked
    def pay_by_transfer_and_call(self, earner: str, amount: int) -> None:
        """alice pays with one ERC-1363 transferAndCall; empty data credits herself."""
        sys = self.sys
        target = "alice" if earner == "self" else earner
        payload = b"" if earner == "self" else encode(["address", "bytes32"], [sys.addresses[earner], SOURCE])
        data = sys.token.data("transferAndCall(address,uint256,bytes)", sys.pool.address, amount, payload)
        self._pay("transferAndCall", "alice", sys.token.address, data, [(target, amount)], batch=False)

    @rule(tier=tiers, amount=amounts)
    @checked
    def donate(self, tier: int, amount: int) -> None:
        """A plain transfer to a vault: mints nothing and leaves the books alone (idle is book-kept, not
        read from balanceOf), so no price moves but by time."""
        sys = self.sys
        data = sys.token.data("transfer", sys.vaults[tier].address, amount)
        self._send("donate", "platform", sys.token.address, data, True)
        self.model.wallets["platform"] -= amount
        for t in TIERS:
            a, b = self.before.tiers[t], self.view.tiers[t]
            assert (b.total_supply, b.idle, b.total_debt) == (a.total_supply, a.idle, a.total_debt), (
                f"a donation to tier {tier} changed tier {t}'s supply or books"
            )

    # ------------------------------------------------------------------ profiles
    @rule(earner=earners, weights=profiles)
    @checked
    def set_profile(self, earner: str, weights: tuple[int, int, int]) -> None:
        """A profile with weight on a closed tier is refused (TierClosed)."""
        closed = any(w and not self.model.books[t].accepts_deposits for t, w in enumerate(weights))
        data = self.sys.pool.data("setProfile", list(weights))
        self._send("setProfile", earner, self.sys.pool.address, data, "TierClosed" if closed else True)
        if not closed:
            self.model.profiles[earner] = list(weights)

    @rule(earner=earners, weights=st.sampled_from([(5_000, 5_000, 1), (0, 0, 0), (9_999, 0, 0)]))
    @checked
    def set_bad_profile(self, earner: str, weights: tuple[int, int, int]) -> None:
        data = self.sys.pool.data("setProfile", list(weights))
        self._send("setProfile (bad sum)", earner, self.sys.pool.address, data, "ProfileSum")

    @rule(earner=earners)
    @checked
    def clear_profile(self, earner: str) -> None:
        expect = True if earner in self.model.profiles else "ProfileNotSet"
        self._send("clearProfile", earner, self.sys.pool.address, self.sys.pool.data("clearProfile"), expect)
        self.model.profiles.pop(earner, None)

    # ------------------------------------------------------------------ exits
    @rule(earner=earners, tier=tiers, portion=portions)
    @checked
    def withdraw(self, earner: str, tier: int, portion: str) -> None:
        """withdraw(assets ≤ maxWithdraw): must succeed whether deposits are paused or the tier is shut."""
        tv = self.view.tiers[tier]
        assets = _portion(tv.max_withdraw[self._holder(earner)], portion)
        burn = _shares_for(assets, tv.total_assets, tv.total_supply, round_up=True)
        vault, addr = self.sys.vaults[tier], self.sys.addresses[earner]
        data = vault.data("withdraw", assets, addr, addr)
        receipt = self._send(
            f"withdraw tier {tier}", earner, vault.address, data, True if assets else "ZeroAmount"
        )
        self.slack[tier] += len(STRATEGIES)
        if receipt.ok:
            assert self._received(earner) == assets, f"withdraw({assets}) paid {self._received(earner)}"
            assert -self._share_delta(tier, earner) == burn, (
                f"withdraw({assets}) burnt {-self._share_delta(tier, earner)} != {burn}"
            )
            self.model.books[tier].debit(earner, assets)
            self.model.wallets[earner] += assets

    @rule(earner=earners, tier=tiers, portion=portions)
    @checked
    def redeem(self, earner: str, tier: int, portion: str) -> None:
        """redeem(shares ≤ maxRedeem): pays exactly previewRedeem, paused or not."""
        tv = self.view.tiers[tier]
        shares = _portion(tv.max_redeem[self._holder(earner)], portion)
        preview = convert_to_assets(shares, tv.total_assets, tv.total_supply)
        expect: bool | str = "ZeroAmount" if shares == 0 else (True if preview else "ZeroAssets")
        vault, addr = self.sys.vaults[tier], self.sys.addresses[earner]
        receipt = self._send(
            f"redeem tier {tier}", earner, vault.address, vault.data("redeem", shares, addr, addr), expect
        )
        self.slack[tier] += len(STRATEGIES)
        if receipt.ok:
            assert self._received(earner) == preview, (
                f"redeem({shares}) paid {self._received(earner)} != {preview}"
            )
            self.model.books[tier].debit(earner, preview)
            self.model.wallets[earner] += preview

    @rule(earner=earners, src=tiers, dst=tiers, portion=portions)
    @checked
    def switch_tier(self, earner: str, src: int, dst: int, portion: str) -> None:
        """Move holdings between tiers through the pool (earners approved the pool for their shares)."""
        sys = self.sys
        tv = self.view.tiers[src]
        shares = _portion(tv.max_redeem[self._holder(earner)], portion)
        moved = convert_to_assets(shares, tv.total_assets, tv.total_supply)
        minted = self._mint_preview(dst, moved) if src != dst else 0
        expect: bool | str = True
        if src == dst:
            expect = "SameTier"
        elif shares == 0:
            expect = "ZeroAmount"
        elif not self.model.books[dst].accepts_deposits:
            expect = "TierClosed"
        elif moved == 0:
            expect = "ZeroAssets"
        elif minted == 0:
            expect = "ZeroShares"
        receipt = self._send(
            f"switchTier {src}->{dst}",
            earner,
            sys.pool.address,
            sys.pool.data("switchTier", src, dst, shares, 0),
            expect,
        )
        self.slack[src] += len(STRATEGIES)
        if receipt.ok:
            (log,) = receipt.events(sys.pool.event_topics["TierSwitched"], sys.pool.address)
            assert _words(log, 5)[3:] == [moved, minted], (
                f"switch moved/minted {_words(log, 5)[3:]} != {[moved, minted]}"
            )
            assert self._share_delta(dst, earner) == minted and -self._share_delta(src, earner) == shares
            self.model.books[src].debit(earner, moved)
            self.model.books[dst].credit(earner, moved)

    # ------------------------------------------------------------------ allocator, strategies, time
    @rule(tier=tiers)
    @checked
    def allocate(self, tier: int) -> None:
        vault = self.sys.vaults[tier]
        self._send(f"allocate tier {tier}", "allocator", vault.address, vault.data("allocate"), True)
        self.slack[tier] += len(STRATEGIES)

    def _realise(self, name: str, tier: int, profit: int, loss: int, emptied: bool) -> None:
        book = self.model.books[tier]
        book.profit += profit
        book.loss += loss
        if emptied:
            self.slashed.discard(name)
        book.unreported_loss = any(self.sys.strategies[s][0].tier == tier for s in self.slashed)

    @rule(strategy=all_strategies)
    @checked
    def report(self, strategy: str) -> None:
        """The allocator realises a strategy's gain (locked, released linearly) or loss (at once)."""
        spec, contract = self.sys.strategies[strategy]
        vault = self.sys.vaults[spec.tier]
        data = vault.data("report", contract.address)
        if strategy in self.removed:
            self._send(f"report {strategy}", "allocator", vault.address, data, "StrategyNotActive")
            return
        receipt = self._send(
            f"report {strategy}", "allocator", vault.address, data, True, frozenset({spec.tier})
        )
        (log,) = receipt.events(vault.event_topics["StrategyReported"], vault.address)
        profit, loss = _words(log, 2)
        self._realise(strategy, spec.tier, profit, loss, emptied=True)

    @rule(strategy=lossy_strategies, bps=st.sampled_from([1, 500, 5_000, 10_000]))
    @checked
    def slash(self, strategy: str, bps: int) -> None:
        """A strategy loses `bps` of what it holds (hack, bad debt). Live pricing: the tier's share price
        falls in this very block (every holder bears their share); the next report realises it without moving
        the price."""
        spec, contract = self.sys.strategies[strategy]
        amount = self.view.strategy_asset_balance[self._strategy_index(strategy)] * bps // 10_000
        self._send(
            f"slash {strategy}",
            "admin",
            contract.address,
            contract.data("slash", amount),
            True,
            frozenset({spec.tier}),
        )
        if amount and strategy not in self.removed:
            self.slashed.add(strategy)
            self.model.books[spec.tier].unreported_loss = True

    @rule(strategy=illiquid_strategies, level=st.sampled_from(["none", "half", "plenty"]))
    @checked
    def set_liquidity(self, strategy: str, level: str) -> None:
        """How much an illiquid strategy lets go right now."""
        _, contract = self.sys.strategies[strategy]
        held = self.view.strategy_asset_balance[self._strategy_index(strategy)]
        liquidity = {"none": 0, "half": held // 2, "plenty": PLENTY}[level]
        self._send(
            f"liquidity {strategy}", "admin", contract.address, contract.data("setLiquidity", liquidity), True
        )

    @rule(strategy=all_strategies)
    @checked
    def emergency_withdraw(self, strategy: str) -> None:
        """The guardian pulls all a strategy lets go; P/L realised, its target set to 0."""
        spec, contract = self.sys.strategies[strategy]
        vault = self.sys.vaults[spec.tier]
        data = vault.data("emergencyWithdraw", contract.address)
        if strategy in self.removed:
            self._send(f"emergencyWithdraw {strategy}", "guardian", vault.address, data, "StrategyNotActive")
            return
        receipt = self._send(
            f"emergencyWithdraw {strategy}", "guardian", vault.address, data, True, frozenset({spec.tier})
        )
        (log,) = receipt.events(vault.event_topics["EmergencyWithdrawn"], vault.address)
        _, profit, loss = _words(log, 3)
        emptied = self.view.tiers[spec.tier].strategy_shares[self._strategy_index(strategy)] == 0
        self._realise(strategy, spec.tier, profit, loss, emptied)

    @rule(strategy=all_strategies)
    @checked
    def force_remove(self, strategy: str) -> None:
        """The curator writes a strategy off (submit, then run: the system's timelock is 0). Its debt is a
        loss at once, first against locked profit; the holders of its tier share it."""
        spec, contract = self.sys.strategies[strategy]
        vault = self.sys.vaults[spec.tier]
        data = vault.data("forceRemoveStrategy", contract.address)
        if strategy in self.removed:
            self._send(f"forceRemove {strategy}", "curator", vault.address, data, "StrategyNotActive")
            return
        self._send(
            f"submit forceRemove {strategy}",
            "curator",
            vault.address,
            vault.data("submit", bytes.fromhex(data[2:])),
            True,
        )
        receipt = self._send(
            f"forceRemove {strategy}", "curator", vault.address, data, True, frozenset({spec.tier})
        )
        (log,) = receipt.events(vault.event_topics["StrategyForceRemoved"], vault.address)
        (loss,) = _words(log, 1)
        self.removed.add(strategy)
        self._realise(strategy, spec.tier, 0, loss, emptied=True)

    @rule(seconds=st.sampled_from([60, 3_600, DAY // 2, DAY, 7 * DAY]))
    @checked
    def time_passes(self, seconds: int) -> None:
        """Yield accrues in the strategies, locked profit unlocks."""
        self.chain.mine_at(self.chain.timestamp() + seconds)
        type(self).steps += 1
        self._observe(f"{seconds} s pass")

    @rule(tier=tiers)
    @checked
    def reverse_withdraw_order(self, tier: int) -> None:
        """The curator reverses the order in which withdrawals pull from the tier's strategies."""
        vault = self.sys.vaults[tier]
        fn = vault.fns["strategies"]
        (order,) = fn.decode(self.chain.call(vault.address, fn.data()))
        data = vault.data("setWithdrawOrder", list(reversed(order)))
        self._send(f"reverse withdraw order tier {tier}", "curator", vault.address, data, True)

    @rule(tier=tiers, bps=st.sampled_from([0, 1_000, 2_000, 2_001]))
    @checked
    def set_performance_fee(self, tier: int, bps: int) -> None:
        """The admin sets the fee minted as shares on reported profit (hard max 20 %)."""
        vault = self.sys.vaults[tier]
        data = vault.data("setPerformanceFee", bps, self.sys.addresses["fees"])
        self._send(f"fee tier {tier}", "admin", vault.address, data, True if bps <= 2_000 else "FeeTooHigh")

    # ------------------------------------------------------------------ guardian
    @rule(tier=tiers)
    @checked
    def pause(self, tier: int) -> None:
        vault = self.sys.vaults[tier]
        self._send(f"pause tier {tier}", "guardian", vault.address, vault.data("pauseDeposits"), True)
        self.model.books[tier].paused = True
        self._everyone_can_exit(tier)

    @rule(tier=tiers)
    @checked
    def unpause(self, tier: int) -> None:
        vault = self.sys.vaults[tier]
        self._send(f"unpause tier {tier}", "guardian", vault.address, vault.data("unpauseDeposits"), True)
        self.model.books[tier].paused = False

    @rule(tier=tiers)
    @checked
    def shutdown(self, tier: int) -> None:
        book = self.model.books[tier]
        vault = self.sys.vaults[tier]
        expect = "VaultShutdown" if book.shutdown else True
        self._send(f"shutdown tier {tier}", "guardian", vault.address, vault.data("shutdown"), expect)
        book.shutdown = True
        self._everyone_can_exit(tier)

    def _everyone_can_exit(self, tier: int) -> None:
        """Simulate every holder redeeming maxRedeem in the next block: none may revert (nothing trapped)."""
        vault = self.sys.vaults[tier]
        tv = self.view.tiers[tier]
        calls = []
        for name in EARNERS:
            shares = tv.max_redeem[self._holder(name)]
            if shares and convert_to_assets(shares, tv.total_assets, tv.total_supply):
                addr = self.sys.addresses[name]
                tx = {"from": addr, "to": vault.address, "data": vault.data("redeem", shares, addr, addr)}
                calls.append(("eth_call", [tx, "pending"]))
        if calls:
            self.chain.batch(calls)  # raises RpcError naming the revert if any exit fails

    # ------------------------------------------------------------------ invariants
    def _check_invariants(self) -> None:
        """Every invariant; run after every rule by @checked (plain methods rather than @invariant, so a
        failing example prints as the sequence of rules alone)."""
        self.check_shares_sum_to_total_supply()
        self.check_pool_holds_nothing()
        self.check_books_balance()
        self.check_assets_cover_what_shares_redeem()
        self.check_no_earner_gets_more_than_paid_plus_yield()
        self.check_wallets_match()
        self.check_liquid_funds_are_withdrawable()

    def check_shares_sum_to_total_supply(self) -> None:
        for t, tv in enumerate(self.view.tiers):
            assert sum(tv.shares) == tv.total_supply, f"tier {t}: Σ balances {sum(tv.shares)} != totalSupply"

    def check_pool_holds_nothing(self) -> None:
        p = self._holder("pool")
        assert self.view.asset_balances[p] == 0, "the pool kept assets after a transaction"
        assert all(tv.shares[p] == 0 for tv in self.view.tiers), "the pool kept tier shares"

    def check_books_balance(self) -> None:
        """idle + debt = paid in − paid out + realised profit − realised loss, exactly."""
        for t, (tv, book) in enumerate(zip(self.view.tiers, self.model.books, strict=True)):
            expected = book.deposited - book.withdrawn + book.profit - book.loss
            assert tv.idle + tv.total_debt == expected, (
                f"tier {t}: idle+debt {tv.idle + tv.total_debt} != {expected}"
            )
            # live pricing: idle + debt − max(locked, unrealised loss); without a slash since the last report
            # the            # unrealised loss is only the strategies' own rounding (≤ 1 unit each)
            book_price = max(tv.idle + tv.total_debt - tv.locked_profit, 0)
            assert tv.total_assets <= book_price, f"tier {t}: totalAssets above the book"
            if not book.unreported_loss:
                assert tv.total_assets + len(tv.strategy_value) >= book_price, f"tier {t}: totalAssets"
            assert tv.asset_balance >= tv.idle, f"tier {t}: holds {tv.asset_balance} < idle {tv.idle}"

    def check_assets_cover_what_shares_redeem(self) -> None:
        for t, tv in enumerate(self.view.tiers):
            owed = convert_to_assets(tv.total_supply, tv.total_assets, tv.total_supply)
            assert owed <= tv.total_assets, f"tier {t}: shares redeem {owed} > totalAssets {tv.total_assets}"
            held = tv.asset_balance + sum(v for v in tv.strategy_value if v != FAILED)
            assert held + self.slack[t] >= owed, f"tier {t}: holds {held} < owed {owed}"

    def check_no_earner_gets_more_than_paid_plus_yield(self) -> None:
        """|value of shares − (paid in − taken out + share of every price move)| ≤ 1 unit per operation."""
        for t, (tv, book) in enumerate(zip(self.view.tiers, self.model.books, strict=True)):
            price = share_price(tv.total_assets, tv.total_supply)
            for name in EARNERS:
                value = tv.shares[self._holder(name)] * price
                claim = book.claim.get(name, Fraction(0))
                ops = book.ops.get(name, 0)
                if abs(value - claim) > ops:
                    paid, taken = book.paid_in.get(name, 0), book.taken_out.get(name, 0)
                    raise AssertionError(
                        f"tier {t}: {name} paid in {paid}, took out {taken}, holds {float(value)}, "
                        f"but is owed {float(claim)} (paid − taken + yield share), tolerance {ops}"
                    )

    def check_wallets_match(self) -> None:
        for name in EARNERS:
            got = self.view.asset_balances[self._holder(name)]
            assert got == self.model.wallets[name], (
                f"{name}'s wallet {got} != model {self.model.wallets[name]}"
            )

    def check_liquid_funds_are_withdrawable(self) -> None:
        """maxWithdraw never overstates a claim; if idle covers a claim, all of it is withdrawable."""
        for t, tv in enumerate(self.view.tiers):
            for name in EARNERS:
                i = self._holder(name)
                value = convert_to_assets(tv.shares[i], tv.total_assets, tv.total_supply)
                assert tv.max_withdraw[i] <= value, f"tier {t}: {name} maxWithdraw > value"
                assert tv.max_redeem[i] <= tv.shares[i], f"tier {t}: {name} maxRedeem > shares"
                if tv.idle >= value:
                    assert tv.max_withdraw[i] == value, (
                        f"tier {t}: {name} can withdraw {tv.max_withdraw[i]} of {value}"
                    )


def test_system_machine(chain, systems, lean_chain) -> None:
    SystemMachine.chain = lean_chain
    SystemMachine.systems = {dec: lean_view(d, lean_chain) for dec, d in systems.items()}
    SystemMachine.base["id"] = lean_chain.snapshot()
    SystemMachine.steps = 0
    start = time.perf_counter()
    try:
        run_state_machine_as_test(SystemMachine, settings=machine_settings())
    finally:
        STATS["steps"] += SystemMachine.steps
        STATS["seconds"] += time.perf_counter() - start
        lean_chain.revert(SystemMachine.base["id"])
