"""Property: payMany and payManyPacked credit exactly what the same sequence of pays credits."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pool_helpers import BPS, pack, source

SRC = source("prop")
# `make test-deep` (TRIBUTARY_PROFILE=deep) explores much more; the default keeps tests/pool well under 3 min.
MAX_EXAMPLES = 200 if os.environ.get("TRIBUTARY_PROFILE") == "deep" else 12
PROFILES = [None, [BPS, 0, 0], [0, 0, BPS], [3_333, 3_334, 3_333], [1, 0, BPS - 1], [5_000, 5_000, 0]]

entries_st = st.lists(
    st.tuples(st.integers(0, 3), st.integers(1, 2**96 - 1)),  # (earner index, amount)
    min_size=1,
    max_size=12,
)
profiles_st = st.lists(st.sampled_from(range(len(PROFILES))), min_size=4, max_size=4)


@settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=entries_st, profile_ids=profiles_st, packed=st.booleans())
def test_pay_many__equals_sequence_of_pays(chain, system, accounts, platform, entries, profile_ids, packed):
    earners = [accounts[5 + i] for i in range(4)]
    sid = chain.snapshot()
    try:
        for earner, pid in zip(earners, profile_ids, strict=False):
            if PROFILES[pid] is not None:
                system.pool.setProfile(PROFILES[pid], sender=earner)
        total = sum(x for _, x in entries)
        system.fund(platform, total)
        base = chain.snapshot()

        for i, amount in entries:
            system.pool.pay(earners[i], amount, SRC, sender=platform)
        one_by_one = [system.shares(e) for e in earners]
        supplies = [t.totalSupply() for t in system.tiers]
        chain.restore(base)

        if packed:
            system.pool.payManyPacked(SRC, pack([(earners[i], x) for i, x in entries]), sender=platform)
        else:
            system.pool.payMany(
                SRC, [earners[i] for i, _ in entries], [x for _, x in entries], sender=platform
            )
        batched = [system.shares(e) for e in earners]

        assert batched == one_by_one
        assert [t.totalSupply() for t in system.tiers] == supplies
        assert sum(t.totalAssets() for t in system.tiers) == total
        assert system.token.balanceOf(system.pool) == 0
    finally:
        chain.restore(sid)
