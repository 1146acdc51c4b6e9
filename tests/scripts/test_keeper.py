"""The keeper library on a deployed system: what it plans, what it sends, and that a rerun is a no-op."""

from __future__ import annotations

import pytest
from scripts_helpers import source

from tributary.chain import ApeSender, UnlockedSender
from tributary.keeper import KeeperPolicy, StrategyState, TierState, check_role, run_keeper

UNIT = 10**6  # the local config's mock asset has 6 decimals
EAGER = KeeperPolicy(min_allocate=UNIT, min_profit=UNIT // 100)


@pytest.fixture
def paid(project, system, payer, alice, bob, carol):
    pool = project.Pool.at(system.address("pool"))
    pool.payMany(
        source("ad-network"), [alice, bob, carol], [300 * UNIT, 200 * UNIT, 100 * UNIT], sender=payer
    )
    return 600 * UNIT


def _keeper(chain, project, system, policy=EAGER, sender=None):
    return run_keeper(chain.provider.web3, project, system.tier_vaults(), policy, sender)


def test_keeper__idle_after_payments__allocates_every_tier_then_rerun_sends_nothing(
    chain, project, system, admin, paid
) -> None:
    first = _keeper(chain, project, system, sender=UnlockedSender(chain.provider.web3, admin.address))
    assert [a.kind for a in first.actions] == ["allocate"] * 3
    assert len(first.receipts) == 3
    for _, address in system.tier_vaults():
        vault = project.TierVault.at(address)
        assert vault.totalDebt() > 0 and vault.idle() < vault.totalAssets()

    block = chain.blocks.head.number
    second = _keeper(chain, project, system, sender=UnlockedSender(chain.provider.web3, admin.address))
    assert second.actions == [] and second.receipts == []
    assert chain.blocks.head.number == block  # nothing was sent


def test_keeper__dry_run__plans_but_sends_nothing(chain, project, system, paid) -> None:
    block = chain.blocks.head.number
    run = _keeper(chain, project, system, sender=None)
    assert {a.tier for a in run.actions if a.kind == "allocate"} == {"conservative", "balanced", "growth"}
    assert run.receipts == [] and chain.blocks.head.number == block


def test_keeper__idle_below_threshold__is_skipped_not_sent(chain, project, system, paid) -> None:
    run = _keeper(chain, project, system, KeeperPolicy(min_allocate=10_000 * UNIT, min_profit=UNIT))
    assert run.actions == []
    assert [a.kind for a in run.skipped] == ["allocate"] * 3


def test_keeper__yield_accrued__reports_profit_and_then_has_nothing_left(chain, project, system, admin, paid):
    sender = UnlockedSender(chain.provider.web3, admin.address)
    _keeper(chain, project, system, sender=sender)
    chain.pending_timestamp += 30 * 86_400
    chain.mine()
    run = _keeper(chain, project, system, sender=sender)
    reports = [a for a in run.actions if a.kind == "report"]
    assert len(reports) == 4 and all(a.amount > 0 for a in reports)  # the four mock-yield sources
    after = _keeper(chain, project, system, sender=sender)
    assert [a for a in after.actions if a.kind == "report"] == []


def test_keeper__profit_not_worth_the_gas__is_skipped(chain, project, system, admin, paid) -> None:
    _keeper(chain, project, system, sender=UnlockedSender(chain.provider.web3, admin.address))
    chain.pending_timestamp += 86_400
    chain.mine()
    # At 1 ETH = 10^9 asset units a report costs far more than a day of interest on a few hundred units.
    pricey = KeeperPolicy(min_allocate=UNIT, min_profit=1, asset_per_eth=1e9)
    run = _keeper(chain, project, system, pricey)
    assert [a for a in run.actions if a.kind == "report"] == []
    assert len([a for a in run.skipped if a.kind == "report"]) == 4


def test_keeper__strategy_loss__is_reported_whatever_the_profit_threshold(
    chain, project, system, admin, paid
):
    _keeper(chain, project, system, sender=UnlockedSender(chain.provider.web3, admin.address))
    lossy = project.LossyStrategy.at(system.address("strategy:gro-degen"))
    growth = project.TierVault.at(system.address("vault:growth"))
    price_before = growth.convertToAssets(10**18)
    lossy.slash(lossy.totalAssets() // 10, sender=admin)
    price_after_loss = growth.convertToAssets(10**18)
    assert price_after_loss < price_before  # live pricing: the loss shows in the share price at once

    strict = KeeperPolicy(min_allocate=10**30, min_profit=10**30)
    run = _keeper(chain, project, system, strict, sender=ApeSender(admin))  # the operator's signing path
    losses = [a for a in run.actions if a.kind == "report"]
    assert len(losses) == 1 and losses[0].target == lossy.address and losses[0].amount < 0
    # realising it moves no value between holders: the price stays (locked profit may only unlock meanwhile)
    assert price_after_loss - 1 <= growth.convertToAssets(10**18) < price_before


def test_check_role__account_without_allocator_role__lists_every_tier(
    chain, project, system, stranger, admin
):
    tiers = system.tier_vaults()
    assert check_role(chain.provider.web3, project, tiers, stranger.address) == [n for n, _ in tiers]
    assert check_role(chain.provider.web3, project, tiers, admin.address) == []


def _tier(idle: int, *strategies: StrategyState) -> TierState:
    return TierState("t", "0xvault", idle, sum(s.debt for s in strategies), list(strategies))


def _strategy(target_bps: int, debt: int, cap: int = 10**30, room: int = 10**30, liquid: int = 10**30):
    return StrategyState("0xs", target_bps, cap, debt, debt, 0, room, liquid)


def test_allocation_moves__targets_capped_like_the_vault() -> None:
    # managed 1,000: a 60 % target is 600, but the cap holds it at 250.
    assert _tier(1_000, _strategy(6_000, 0, cap=250)).allocation_moves() == (250, 0)


def test_allocation_moves__full_strategy__is_no_reason_to_allocate() -> None:
    assert _tier(1_000, _strategy(6_000, 0, room=0)).allocation_moves() == (0, 0)


def test_allocation_moves__illiquid_strategy_above_target__pulls_only_what_it_lets_go() -> None:
    # managed 1,000 + 900 debt; target 10 % = 190, 710 above target, only 50 withdrawable.
    assert _tier(1_000, _strategy(1_000, 900, liquid=50)).allocation_moves() == (0, 50)
