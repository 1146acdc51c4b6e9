"""Edge amounts: 1 wei, the uint96 ceiling of batch entries, the vault's 2**128 book bound, and batches at
the pool's MAX_BATCH size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ape
import pytest

from tributary.testing.lean import LeanChain, LeanContract
from tributary.testing.node import untraced_clone
from tributary.testing.system import deploy_system

SOURCE = b"edge".ljust(32, b"\x00")
MAX_UINT96 = 2**96 - 1


@pytest.fixture(scope="module", params=[6, 18], ids=["6dec", "18dec"])
def sys(request, project, roles, payers) -> Any:
    return deploy_system(
        project, roles, payers, decimals=request.param, strategies=(), approvers=tuple(payers)
    )


def test_pay__one_wei__lands_whole_in_the_heaviest_tier_and_comes_back(sys, platform, alice) -> None:
    sys.pool.pay(
        alice, 1, SOURCE, sender=platform
    )  # default profile 50/30/20: parts 0, 0 -> rest 1 to tier 0
    assert [v.totalAssets() for v in sys.vaults] == [1, 0, 0]
    shares = sys.vaults[0].balanceOf(alice)
    assert shares == 10**6  # virtual offset: 1 asset unit = 10**6 shares at the start
    before = sys.token.balanceOf(alice)
    sys.vaults[0].redeem(shares, alice, alice, sender=alice)
    assert sys.token.balanceOf(alice) - before == 1


def test_redeem__less_than_one_unit_of_shares__refused_not_rounded_to_zero(sys, platform, alice) -> None:
    sys.pool.pay(alice, 1, SOURCE, sender=platform)
    with ape.reverts(sys.vaults[0].ZeroAssets, shares=10**6 - 1):
        sys.vaults[0].redeem(10**6 - 1, alice, alice, sender=alice)


def test_pay_many__max_uint96_entries__credited_and_one_more__refused(sys, platform, alice, bob) -> None:
    sys.pool.payMany(SOURCE, [alice, bob], [MAX_UINT96, MAX_UINT96], sender=platform)
    held = sum(v.convertToAssets(v.balanceOf(alice)) for v in sys.vaults)
    assert MAX_UINT96 - 3 <= held <= MAX_UINT96  # ≤ 1 unit of rounding per tier, in the vault's favour
    with ape.reverts(sys.pool.AmountTooLarge, index=1, amount=MAX_UINT96 + 1):
        sys.pool.payMany(SOURCE, [alice, bob], [1, MAX_UINT96 + 1], sender=platform)


def test_pay__beyond_the_vault_book_bound__refused(sys, platform, alice) -> None:
    sys.pool.setProfile([10_000, 0, 0], sender=alice)
    sys.token.mint(platform, 2**128, sender=platform)
    assert sys.vaults[0].maxDeposit(alice) == 2**128 - 1
    with ape.reverts():
        sys.pool.pay(alice, 2**128, SOURCE, sender=platform)
    assert sys.vaults[0].totalSupply() == 0


BIG_BATCH_PROFILES = {"one-tier": (10_000, 0, 0), "three-tiers": (5_000, 3_000, 2_000)}


@pytest.fixture(scope="module")
def pools_by_default(project, sys, admin, platform) -> dict[tuple[int, ...], Any]:
    """A pool over the module's tiers per default profile (the default is immutable: one pool each)."""
    pools = {}
    for profile in BIG_BATCH_PROFILES.values():
        pool = admin.deploy(project.Pool, sys.token, sys.vaults, list(profile), admin, "0x" + "00" * 20)
        for vault in sys.vaults:
            vault.grantRole(vault.DEPOSITOR_ROLE(), pool, sender=admin)
        sys.token.approve(pool, 2**256 - 1, sender=platform)
        pools[profile] = pool
    return pools


@pytest.fixture(scope="module")
def untraced(chain, sys, pools_by_default) -> Iterator[LeanChain]:
    """The module's system on an untraced anvil copy: ape's anvil records every EVM step of a transaction,
    and a full batch is millions of steps (gigabytes of trace)."""
    with untraced_clone(LeanChain(chain.provider.uri), chain.provider.anvil_bin) as clone:
        yield clone


def _view(node: LeanChain, contract: LeanContract, fn: str, *args: Any) -> int:
    return int.from_bytes(node.call(contract.address, contract.data(fn, *args)), "big")


@pytest.mark.parametrize(
    "profile",
    # three-tiers was found by this suite: with a fixed MAX_BATCH of 500 it needed ~41M gas. The bound is now
    # MAX_CREDITS_PER_BATCH / tier count (333 here).
    [pytest.param(p, id=name) for name, p in BIG_BATCH_PROFILES.items()],
)
def test_pay_many__max_batch_of_new_earners__fits_in_a_30m_block(
    sys, untraced, pools_by_default, platform, profile
) -> None:
    node = untraced
    snapshot = node.snapshot()
    pool = LeanContract.from_ape(pools_by_default[profile])
    vaults = [LeanContract.from_ape(v) for v in sys.vaults]
    try:
        n = _view(node, pool, "MAX_BATCH")
        earners = [f"0x{i + 1:040x}" for i in range(n)]
        data = pool.data("payMany", SOURCE, earners, [10**6] * n)
        receipt = node.transact(platform.address, pool.address, data, gas=30_000_000)
        assert receipt.ok, f"a full batch of {n} runs out of a 30M block ({receipt.gas_used} gas used)"
        for v, weight in zip(vaults, profile, strict=True):
            part = 10**6 * weight // 10_000
            assert _view(node, v, "totalAssets") == part * n
            assert _view(node, v, "convertToAssets", _view(node, v, "balanceOf", earners[-1])) == part
    finally:
        node.revert(snapshot)


def test_pay_many__one_more_than_max_batch__refused(sys, platform) -> None:
    n = sys.pool.MAX_BATCH() + 1
    earners = [f"0x{i + 1:040x}" for i in range(n)]
    with ape.reverts(sys.pool.BatchTooLarge, size=n, max=n - 1):
        sys.pool.payMany(SOURCE, earners, [10**6] * n, sender=platform)


@pytest.mark.parametrize(
    ("earners", "amounts", "error", "args"),
    [
        (["alice", "bob"], [1], "LengthMismatch", {"earners": 2, "amounts": 1}),
        ([], [], "EmptyBatch", {}),
        (["alice", "zero"], [1, 1], "ZeroEarner", {"index": 1}),
        (["alice", "bob"], [1, 0], "ZeroAmountAt", {"index": 1}),
    ],
)
def test_pay_many__malformed_batch__refused_with_what_was_wrong(
    sys, payers, platform, earners, amounts, error, args
):
    addresses = [payers[e] if e in payers else "0x" + "00" * 20 for e in earners]
    with ape.reverts(getattr(sys.pool, error), **args):
        sys.pool.payMany(SOURCE, addresses, amounts, sender=platform)
