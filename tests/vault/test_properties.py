"""ERC-4626 properties (a16z-style) as hypothesis tests. Each example runs on one of three vaults with
a different history (fresh; holders + released profit + a strategy; holders after a loss), between
chain.snapshot() and chain.restore(); payers are pre-funded so an example costs 1-3 transactions."""

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vaultlib import OFFSET, UNIT

SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
RICH = 10**12 * UNIT
amounts = st.integers(min_value=1, max_value=10**9 * UNIT)
histories = st.sampled_from(["fresh", "profit", "loss"])


@pytest.fixture(scope="module")
def vaults(
    make_vault: Any, make_strategy, add_strategy, token_of, admin, alice, bob, carol, platform, allocator
) -> dict[str, Any]:
    built: dict[str, Any] = {}
    for history in ("fresh", "profit", "loss"):
        vault = make_vault(profit_unlock_time=0)
        token = token_of(vault)
        for payer in (alice, bob, platform):
            token.mint(payer, RICH, sender=payer)
            token.approve(vault, 2**256 - 1, sender=payer)
        if history != "fresh":
            strategy = make_strategy(vault, kind="lossy")
            add_strategy(vault, strategy, target_bps=5_000)
            token.mint(carol, 1_000 * UNIT + 7, sender=carol)
            token.approve(vault, 1_000 * UNIT + 7, sender=carol)
            vault.deposit(1_000 * UNIT + 7, carol, sender=carol)
            vault.allocate(sender=allocator)
            if history == "profit":
                token.mint(strategy, 137 * UNIT + 123_456_789, sender=carol)
            else:
                strategy.slash(333 * UNIT + 1, sender=admin)
            vault.report(strategy, sender=allocator)
        built[history] = vault
    return built


@pytest.fixture(scope="module", autouse=True)
def _module_vaults(vaults: dict[str, Any]) -> dict[str, Any]:
    return vaults


@pytest.fixture
def example(chain: Any) -> Iterator[Any]:
    """Run a hypothesis example in its own snapshot (ape's isolation is per test, not per example)."""

    class Example:
        def __enter__(self) -> None:
            self.sid = chain.snapshot()

        def __exit__(self, *exc: object) -> None:
            chain.restore(self.sid)

    yield Example()


@SETTINGS
@given(history=histories, assets=amounts)
def test_deposit_then_redeem__never_returns_more(vaults, token_of, alice, example, history, assets) -> None:
    vault = vaults[history]
    token = token_of(vault)
    with example:
        preview = vault.previewDeposit(assets)
        if preview == 0:
            return
        before = token.balanceOf(alice)
        shares = vault.deposit(assets, alice, sender=alice).return_value
        assert shares == preview == vault.balanceOf(alice)
        preview_out = vault.previewRedeem(shares)
        assert preview_out <= assets
        if preview_out == 0:
            return  # dust worth less than one unit: redeem refuses (ZeroAssets) rather than burn for nothing
        assert vault.redeem(shares, alice, alice, sender=alice).return_value == preview_out
        assert token.balanceOf(alice) == before - assets + preview_out


@SETTINGS
@given(history=histories, shares=st.integers(min_value=OFFSET, max_value=10**9 * UNIT * OFFSET))
def test_mint_then_withdraw__never_returns_more(vaults, alice, example, history, shares) -> None:
    vault = vaults[history]
    with example:
        cost = vault.previewMint(shares)
        assert vault.mint(shares, alice, sender=alice).return_value == cost
        out = vault.maxWithdraw(alice)
        assert out <= cost
        if out == 0:
            return
        burn = vault.previewWithdraw(out)
        assert vault.withdraw(out, alice, alice, sender=alice).return_value == burn
        assert burn <= shares


@SETTINGS
@given(history=histories, x=amounts)
def test_convert__independent_of_caller_and_round_trips_lose(vaults, alice, bob, history, x) -> None:
    vault = vaults[history]
    assert vault.convertToShares(x, sender=alice) == vault.convertToShares(x, sender=bob)
    assert vault.convertToAssets(x, sender=alice) == vault.convertToAssets(x, sender=bob)
    assert vault.convertToAssets(vault.convertToShares(x)) <= x
    assert vault.previewMint(vault.previewDeposit(x)) <= x
    assert vault.previewRedeem(vault.previewWithdraw(x)) >= x


@SETTINGS
@given(
    history=histories,
    batch=st.lists(st.integers(min_value=1, max_value=10**6 * UNIT), min_size=1, max_size=6),
)
def test_deposit_many__each_gets_its_preview_and_never_beats_one_deposit(
    vaults, platform, example, history, batch
) -> None:
    vault = vaults[history]
    with example:
        receivers = [f"0x{0xBEEF00 + i:040x}" for i in range(len(batch))]
        singles = [vault.previewDeposit(a) for a in batch]
        if min(singles) == 0:
            return
        shares = vault.depositMany(receivers, batch, sender=platform).return_value
        assert shares == singles  # one price: each receiver gets exactly its own previewDeposit
        assert sum(shares) <= vault.previewDeposit(sum(batch)) or sum(shares) <= vault.convertToShares(
            sum(batch)
        )
        assert [vault.balanceOf(r) for r in receivers] == shares
