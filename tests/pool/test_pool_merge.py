"""Issue 16: an earner's consecutive payments in a batch are credited ONCE per tier with the sum of their
parts (a several-tier earner's part also joins its tier's last entry when that entry is theirs), while
`PaidMany` still carries every payment. `tributary.payer` groups a platform's payments by earner, so each
earner gets one credit per tier per batch.

Differential (hypothesis), grouped and in any order, against the same payments credited separately: at the
batch's price (each part its own entry: Σ convertToShares(part) before the batch) and one by one (`pay` per
payment). For every earner and tier: the minted shares equal the model's runs, each run priced at the batch
price (floor: never more than the assets are worth); separate ≤ merged ≤ separate + (parts merged − 1);
one-by-one ≤ merged; and no other holder's claim falls.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pool_helpers import BPS, DAY, MAX_UINT, minted, pack, split, unpack

from tributary.payer import checked, group_by_earner, plan_batches

SRC = b"merge".ljust(32, b"\0")
ONE = 10**18
# `make test-deep` (TRIBUTARY_PROFILE=deep) explores much more; the default keeps this file near 40 s.
MAX_EXAMPLES = 300 if os.environ.get("TRIBUTARY_PROFILE") == "deep" else 25
SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
PROFILES = [None, [2_000, 3_000, 5_000], [0, 5_000, 5_000], [3_333, 3_333, 3_334]]  # None: the default


@pytest.fixture(scope="module")
def moved(project, make_system, admin, platform, carol, chain) -> Any:
    """A 3-tier pool whose tiers 0 and 1 have an odd price: profit half unlocked, then an unreported loss."""
    s = make_system()
    for i, tier in enumerate(s.tiers[:2]):
        tier.grantRole(tier.CURATOR_ROLE(), admin, sender=admin)
        tier.grantRole(tier.ALLOCATOR_ROLE(), admin, sender=admin)
        strategy = admin.deploy(project.LossyStrategy, s.token)
        tier.submit(tier.addStrategy.encode_input(strategy, 1, 6_000, MAX_UINT), sender=admin)
        chain.pending_timestamp += DAY
        tier.addStrategy(strategy, 1, 6_000, MAX_UINT, sender=admin)
        s.token.mint(platform, 10**24, sender=platform)
        s.token.approve(tier, MAX_UINT, sender=platform)
        tier.deposit(1_000 * ONE + 7 + i, carol, sender=platform)  # carol: the other holder
        tier.allocate(sender=admin)
        s.token.mint(strategy, 137 * ONE + 13, sender=admin)
        tier.report(strategy, sender=admin)
        strategy.slash(501 * ONE + 3 * (i + 1), sender=admin)
    chain.pending_timestamp += 3 * DAY + 17  # part of the profit unlocked
    chain.mine()
    s.fund(platform, 2**110)
    return s


@pytest.fixture(scope="module", autouse=True)
def _module_first(moved: Any) -> None:
    """Build the module fixture before ape's per-test snapshots."""


@pytest.fixture
def example(chain: Any) -> Iterator[Any]:
    class Example:
        def __enter__(self) -> None:
            self.sid = chain.snapshot()

        def __exit__(self, *exc: object) -> None:
            chain.restore(self.sid)

    yield Example


amounts = st.one_of(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**20),
    st.integers(min_value=10**20, max_value=2**96 - 1),
)


def runs(
    entries: list[tuple[Any, list[int]]], ntiers: int, one_tier: set[Any]
) -> list[list[tuple[Any, int]]]:
    """The Pool's merge rule: per tier, the (earner, Σ parts) credit entries. A one-tier earner's payment
    joins their entry only when the previous payment of the batch was theirs too; a several-tier earner's
    part joins its tier's last entry when that entry is theirs."""
    out: list[list[tuple[Any, int]]] = [[] for _ in range(ntiers)]
    previous = None
    for who, parts in entries:
        for t, part in enumerate(parts):
            if not part:
                continue
            if who in one_tier:
                merge = previous == who
            else:
                merge = bool(out[t]) and out[t][-1][0] == who
            if merge:
                out[t][-1] = (who, out[t][-1][1] + part)
            else:
                out[t].append((who, part))
        previous = who
    return out


@given(
    entries=st.lists(st.tuples(st.integers(0, 3), amounts), min_size=1, max_size=10),
    packed=st.booleans(),
    grouped=st.booleans(),
)
@SETTINGS
def test_merged_credit__vs_separate_and_one_by_one(
    moved: Any, example: Any, platform, alice, bob, stranger, guardian, carol, entries, packed, grouped
) -> None:
    s = moved
    people = [guardian, alice, bob, stranger]  # guardian: no profile (the pool default, all tier 0)
    if grouped:  # as tributary.payer sends them: each earner's payments together
        index = {str(p.address): i for i, p in enumerate(people)}
        order = group_by_earner(checked([(str(people[i].address), a) for i, a in entries]))
        entries = [(index[p.earner], p.amount) for g in order for p in g]
    with example():
        for who, profile in zip(people, PROFILES, strict=True):
            if profile:
                s.pool.setProfile(profile, sender=who)
        weights = [PROFILES[i] or [BPS, 0, 0] for i, _ in entries]
        parts = [split(a, w) for (_, a), w in zip(entries, weights, strict=True)]
        separate = {}  # (earner, tier) -> Σ shares of each part priced alone at the batch price
        total = {}  # (earner, tier) -> Σ parts
        count = {}  # (earner, tier) -> parts merged
        for (i, _), ps in zip(entries, parts, strict=True):
            for t, part in enumerate(ps):
                if part:
                    key = (i, t)
                    separate[key] = separate.get(key, 0) + s.tiers[t].convertToShares(part)
                    total[key] = total.get(key, 0) + part
                    count[key] = count.get(key, 0) + 1
        model = runs([(i, ps) for (i, _), ps in zip(entries, parts, strict=True)], 3, {0})  # 0: default
        expected: dict[tuple[int, int], int] = {}
        for t, tier_runs in enumerate(model):
            for i, x in tier_runs:
                expected[(i, t)] = expected.get((i, t), 0) + s.tiers[t].convertToShares(x)
        carol_before = [t.convertToAssets(t.balanceOf(carol)) for t in s.tiers]
        wire = [(people[i], a) for i, a in entries]
        if packed:
            tx = s.pool.payManyPacked(SRC, pack(wire), sender=platform)
        else:
            tx = s.pool.payMany(SRC, [w for w, _ in wire], [a for _, a in wire], sender=platform)
        merged = {}
        for i in {i for i, _ in entries}:
            got = minted(tx, s.tiers, people[i])
            for t in range(3):
                if (i, t) in total:
                    merged[(i, t)] = got[t]
                else:
                    assert got[t] == 0
        transfers = [
            [
                (e.to, e.amount)
                for e in t.Transfer.from_receipt(tx)
                if e.event_arguments["from"] == "0x" + "00" * 20
            ]
            for t in s.tiers
        ]
        carol_after = [t.convertToAssets(t.balanceOf(carol)) for t in s.tiers]
        [paid] = s.pool.PaidMany.from_receipt(tx)
        logged = unpack(paid.payments)

    with example():
        for who, profile in zip(people, PROFILES, strict=True):
            if profile:
                s.pool.setProfile(profile, sender=who)
        before = {(i, t): s.tiers[t].balanceOf(people[i]) for (i, t) in total}
        for who, a in wire:
            s.pool.pay(who, a, SRC, sender=platform)
        one_by_one = {(i, t): s.tiers[t].balanceOf(people[i]) - b for (i, t), b in before.items()}

    # every payment logged as sent, in order
    assert logged == [(str(w.address).lower(), a) for w, a in wire]
    # one share Transfer per run of the model; grouped: one per earner and tier
    for t, ts in enumerate(transfers):
        assert len(ts) == len(model[t])
        if grouped:
            assert len({to for to, _ in ts}) == len(ts)
    for key, m in merged.items():
        assert (
            m == expected[key]
        )  # each run: floor(Σ parts × price), the vault's favour against the exact value
        assert separate[key] <= m <= separate[key] + count[key] - 1
        assert one_by_one[key] <= m
    assert all(a >= b for a, b in zip(carol_after, carol_before, strict=True))  # no other holder loses


@pytest.mark.parametrize("grouped", [True, False])
def test_merge__full_batch__grouped_by_the_payer_helper_or_not(make_system, platform, grouped) -> None:
    """A full batch (333 entries, 120 earners): grouped by tributary.payer, each earner gets one credit of
    exactly convertToShares(Σ); scrambled, each run of one earner is one credit. Every entry is logged."""
    import random

    s = make_system()
    rng = random.Random(16)
    earners = ["0x" + rng.randbytes(20).hex() for _ in range(120)]
    n = int(s.pool.MAX_BATCH())
    entries = [(rng.choice(earners), rng.randint(1, 10**20)) for _ in range(n)]
    if grouped:
        [batch] = plan_batches(checked(entries), n)
        entries = [(p.earner.lower(), p.amount) for p in batch]
    s.fund(platform, sum(a for _, a in entries))
    model = runs([(e, [a, 0, 0]) for e, a in entries], 3, {e for e, _ in entries})[0]
    expected: dict[str, int] = {}
    for e, x in model:
        expected[e] = expected.get(e, 0) + s.tiers[0].convertToShares(x)
    tx = s.pool.payManyPacked(SRC, pack(entries), sender=platform)
    mints = list(s.tiers[0].Transfer.from_receipt(tx))
    assert len(mints) == (len(set(e for e, _ in entries)) if grouped else len(model))
    got: dict[str, int] = {}
    for ev in mints:
        got[ev.to.lower()] = got.get(ev.to.lower(), 0) + ev.amount
    assert got == expected
    [paid] = s.pool.PaidMany.from_receipt(tx)
    assert unpack(paid.payments) == [(e.lower(), a) for e, a in entries]
    [dm] = s.tiers[0].DepositMany.from_receipt(tx)
    assert (dm.count, dm.totalAssets) == (len(mints), sum(a for _, a in entries))


def test_merge__eight_tiers__parts_merge_per_tier(make_system, platform, alice, bob) -> None:
    """8 tiers: alice (every tier) gets one credit per tier for her three payments, though bob's come between
    (a several-tier part joins its tier's last entry when it is hers; her 7 and 1 wei are rest-only parts);
    bob (one tier) gets two credits: his payments are not consecutive."""
    s = make_system(ntiers=8)
    s.pool.setProfile([1_250] * 8, sender=alice)
    s.pool.setProfile([0] * 7 + [BPS], sender=bob)
    entries = [(alice, 8 * ONE + 5), (bob, 3), (alice, 7), (bob, ONE), (alice, 1)]
    s.fund(platform, sum(a for _, a in entries))
    weights = {alice.address: [1_250] * 8, bob.address: [0] * 7 + [BPS]}
    model = runs([(w.address, split(a, weights[w.address])) for w, a in entries], 8, {bob.address})
    expected = {alice.address: [0] * 8, bob.address: [0] * 8}
    for t, tier_runs in enumerate(model):
        for who, x in tier_runs:
            expected[who][t] += s.tiers[t].convertToShares(x)
    tx = s.pool.payMany(SRC, [w for w, _ in entries], [a for _, a in entries], sender=platform)
    assert minted(tx, s.tiers, alice) == expected[alice.address]
    assert minted(tx, s.tiers, bob) == expected[bob.address]
    for i, t in enumerate(s.tiers):
        receivers = [e.to for e in t.Transfer.from_receipt(tx)]
        assert receivers.count(alice.address) == 1
        assert receivers.count(bob.address) == (2 if i == 7 else 0)
