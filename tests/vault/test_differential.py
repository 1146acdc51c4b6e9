"""Differential tests of the vault's hand-written fast paths against the plain ones (hypothesis).

- FastMulDiv.mulDivDown (the deposit / credit hot path) vs OpenZeppelin's Math.mulDiv, results and reverts;
- the Yul batch mint (depositMany / creditMany) vs the plain conversion (previewDeposit, Solady fullMulDiv)
  per entry, and vs the same deposits made one by one.
"""

from collections.abc import Iterator
from typing import Any

import ape
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vaultlib import UNIT

MAX = 2**256 - 1
MULDIV_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
BATCH_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

words = st.one_of(
    st.integers(min_value=0, max_value=MAX),
    st.integers(min_value=0, max_value=2**128),
    st.integers(min_value=0, max_value=10**30),
    st.sampled_from([0, 1, 2, 10**6, 2**128 - 1, 2**128, 2**255, MAX - 1, MAX]),
)


@pytest.fixture(scope="module")
def harness(project: Any, admin: Any) -> Any:
    return admin.deploy(project.MulDivHarness)


@given(a=words, b=words, c=words)
@MULDIV_SETTINGS
def test_fast_mul_div__equals_openzeppelin_mul_div(harness: Any, a: int, b: int, c: int) -> None:
    expected = None if c == 0 or a * b // c > MAX else a * b // c
    if expected is None:
        with ape.reverts():
            harness.oz(a, b, c)
        with ape.reverts():
            harness.fast(a, b, c)
    else:
        assert harness.oz(a, b, c) == expected
        assert harness.fast(a, b, c) == expected


# --------------------------------------------------------------------------------------------- batch mint
RICH = 2**200
amounts = st.one_of(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**24),
    st.integers(
        min_value=10**30, max_value=2**100
    ),  # beyond the Yul loop's `fast` bound once shares are cheap
)


@pytest.fixture(scope="module")
def batch_vaults(
    make_vault: Any,
    make_strategy: Any,
    add_strategy: Any,
    token_of: Any,
    admin,
    allocator,
    alice,
    bob,
    carol,
    platform,
) -> dict[str, Any]:
    """Two histories: a fresh vault and one whose price moved (profit released, then a loss)."""
    built = {}
    for history in ("fresh", "moved"):
        vault = make_vault(profit_unlock_time=0)
        token = token_of(vault)
        token.mint(platform, RICH, sender=platform)
        token.approve(vault, 2**256 - 1, sender=platform)
        if history == "moved":
            strategy = make_strategy(vault, kind="lossy")
            add_strategy(vault, strategy, target_bps=6_000)
            vault.deposit(1_000 * UNIT + 7, carol, sender=platform)
            vault.allocate(sender=allocator)
            token.mint(strategy, 137 * UNIT + 13, sender=admin)
            vault.report(strategy, sender=allocator)
            strategy.slash(501 * UNIT + 3, sender=admin)  # unreported: priced live
        built[history] = vault
    return built


@pytest.fixture(scope="module", autouse=True)
def _module_batch_vaults(batch_vaults: dict[str, Any], harness: Any) -> None:
    """Build module fixtures before ape's per-test snapshots."""


@pytest.fixture
def example(chain: Any) -> Iterator[Any]:
    class Example:
        def __enter__(self) -> None:
            self.sid = chain.snapshot()

        def __exit__(self, *exc: object) -> None:
            chain.restore(self.sid)

    yield Example


@given(
    history=st.sampled_from(["fresh", "moved"]),
    entries=st.lists(st.tuples(st.integers(min_value=0, max_value=3), amounts), min_size=1, max_size=6),
)
@BATCH_SETTINGS
def test_deposit_many__equals_plain_conversion_and_never_beats_one_by_one(
    batch_vaults: dict[str, Any],
    example: Any,
    platform,
    alice,
    bob,
    carol,
    stranger,
    history: str,
    entries: list[tuple[int, int]],
) -> None:
    vault = batch_vaults[history]
    people = [alice, bob, carol, stranger]
    receivers = [people[i] for i, _ in entries]
    assets = [a for _, a in entries]
    total_before = vault.totalAssets()
    plain = [vault.previewDeposit(a) for a in assets]  # Solady fullMulDiv at the batch's one price
    if any(p == 0 for p in plain):
        return  # a zero-share entry reverts (ZeroSharesAt): covered by test_deposit_many.py
    with example():
        shares = vault.depositMany(receivers, assets, sender=platform).return_value
        assert list(shares) == plain
        batch_balances = [vault.balanceOf(p) for p in people]
    with example():
        balances0 = [vault.balanceOf(p) for p in people]
        one_by_one = [
            vault.deposit(a, r, sender=platform).return_value for r, a in zip(receivers, assets, strict=True)
        ]
        for j, (batch, single) in enumerate(zip(plain, one_by_one, strict=True)):
            # each single deposit rounds down in the vault's favour, so later ones price a hair higher
            assert single <= batch <= single + assets[j] * j // (total_before + 1) * 10**6 + j + 1
        seq_balances = [vault.balanceOf(p) for p in people]
    for b0, batch_bal, seq_bal in zip(balances0, batch_balances, seq_balances, strict=True):
        assert batch_bal >= seq_bal >= b0
