"""Income statements rebuilt from events: by source, by tier, value now, yield; JSON and PNG."""

from __future__ import annotations

import json

import pytest
from scripts_helpers import ROOT, invoke, source

from tributary.cache import ChainCache
from tributary.chain import UnlockedSender
from tributary.income import (
    DEPOSIT,
    DEPOSIT_MANY,
    PAID,
    PAID_MANY,
    TIER_SWITCHED,
    TRANSFER,
    WITHDRAW,
    ReadSettings,
    build_statement,
    decode_source,
    encode_source,
    topic,
    unpack_payments,
)
from tributary.keeper import KeeperPolicy, run_keeper
from tributary.render import income_png

UNIT = 10**6


def _statement(chain, project, system, earner, **settings):
    return build_statement(
        chain.provider.web3,
        system.address("pool"),
        system.tier_vaults(),
        earner.address,
        settings=ReadSettings(**settings),
    )


@pytest.fixture
def income(project, system, payer, alice, bob):
    """alice: conservative-only profile; bob: the pool default (50/30/20). Two sources, batch and single."""
    pool = project.Pool.at(system.address("pool"))
    pool.setProfile([10_000, 0, 0], sender=alice)
    pool.payMany(source("ad-network"), [alice, bob], [3 * UNIT, 5 * UNIT], sender=payer)
    pool.payMany(source("ad-network"), [bob, alice], [7 * UNIT, 1 * UNIT], sender=payer)
    pool.pay(alice, 20 * UNIT, source("tips"), sender=payer)
    pool.pay(bob, 10 * UNIT, source("game"), sender=payer)
    return pool


def test_source_tags__round_trip_text_and_fall_back_to_hex() -> None:
    assert decode_source(encode_source("storage-market")) == "storage-market"
    assert decode_source(b"\xff" * 32) == "0x" + "ff" * 32
    with pytest.raises(ValueError, match="longer than 32 bytes"):
        encode_source("x" * 33)


def test_unpack_payments__reads_20_byte_earner_and_12_byte_amount() -> None:
    earner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    packed = bytes.fromhex(earner[2:]) + (12345).to_bytes(12, "big")
    assert unpack_payments(packed * 2) == [(earner, 12345), (earner, 12345)]


def test_statement__by_source__sums_batch_and_single_payments(chain, project, system, income, alice, bob):
    mine = _statement(chain, project, system, alice)
    assert mine.by_source == {"tips": 20 * UNIT, "ad-network": 4 * UNIT}
    assert [p.batch for p in mine.payments] == [True, True, False]
    theirs = _statement(chain, project, system, bob)
    assert theirs.by_source == {"ad-network": 12 * UNIT, "game": 10 * UNIT}


def test_statement__by_tier__follows_each_profile(chain, project, system, income, alice, bob):
    mine = _statement(chain, project, system, alice)
    assert [t.credited for t in mine.tiers] == [24 * UNIT, 0, 0]
    theirs = _statement(chain, project, system, bob)
    assert [t.credited for t in theirs.tiers] == [11 * UNIT, 6_600_000, 4_400_000]  # 50/30/20 of 22
    for statement in (mine, theirs):
        assert statement.value == statement.paid_in  # no yield yet, nothing lost to rounding here
        assert statement.yield_ == 0


def test_statement__after_yield__value_and_yield_grow(chain, project, system, admin, income, alice):
    sender = UnlockedSender(chain.provider.web3, admin.address)
    policy = KeeperPolicy(min_allocate=1, min_profit=1)
    run_keeper(chain.provider.web3, project, system.tier_vaults(), policy, sender)
    chain.pending_timestamp += 60 * 86_400
    chain.mine()
    run_keeper(chain.provider.web3, project, system.tier_vaults(), policy, sender)
    chain.pending_timestamp += 4 * 86_400  # past the profit unlock window
    chain.mine()
    statement = _statement(chain, project, system, alice)
    assert statement.yield_ > 0 and statement.value == statement.paid_in + statement.yield_


def test_statement__switch_and_withdraw__are_moves_not_income(chain, project, system, income, alice):
    conservative = project.TierVault.at(system.address("vault:conservative"))
    half = conservative.balanceOf(alice) // 2
    conservative.approve(income.address, half, sender=alice)
    income.switchTier(0, 2, half, 0, sender=alice)
    conservative.withdraw(2 * UNIT, alice, alice, sender=alice)

    statement = _statement(chain, project, system, alice)
    assert statement.paid_in == 24 * UNIT  # unchanged: moves are not income
    tiers = {t.name: t for t in statement.tiers}
    assert tiers["conservative"].switched_out == tiers["growth"].switched_in == 12 * UNIT
    assert tiers["conservative"].withdrawn == 2 * UNIT
    assert statement.value + statement.withdrawn == statement.paid_in


def test_statement__json_and_png__are_written(chain, project, system, income, alice, tmp_path):
    statement = _statement(chain, project, system, alice)
    data = statement.to_json()
    assert data["paid_in"] == "24.000000" and data["by_source"]["tips"] == "20.000000"
    assert [t["name"] for t in data["by_tier"]] == ["conservative", "balanced", "growth"]
    json.dumps(data)  # serialisable as is
    png = income_png(statement, tmp_path / "income.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_statement__earner_never_paid__is_empty_not_an_error(chain, project, system, income, carol):
    statement = _statement(chain, project, system, carol)
    assert statement.payments == [] and statement.value == 0 and statement.yield_ == 0


# ---------------------------------------------------------------- cost proportional to the earner


def test_statement__others_paid__reads_only_the_earners_logs_and_receipts(
    chain, project, system, income, payer, alice, bob, carol
):
    before = _statement(chain, project, system, alice)
    others = [carol.address, bob.address] * 50
    for _ in range(3):  # 300 payments to other earners in 3 more batches
        income.payMany(source("ad-network"), others, [UNIT] * len(others), sender=payer)
    after = _statement(chain, project, system, alice)
    assert after.paid_in == before.paid_in
    # 3 log queries per block range, one receipt per transaction that minted to alice (2 batches, 1 single)
    assert after.scan.calls["eth_getLogs"] == before.scan.calls["eth_getLogs"] == 3
    assert after.scan.receipts == before.scan.receipts == 3
    assert after.scan.rpc_calls == before.scan.rpc_calls


def test_statement__small_block_ranges__give_the_same_statement(chain, project, system, income, alice):
    whole = _statement(chain, project, system, alice)
    chunked = _statement(chain, project, system, alice, chunk=2)
    assert chunked.to_json()["by_tier"] == whole.to_json()["by_tier"]
    assert chunked.payments == whole.payments
    assert chunked.scan.calls["eth_getLogs"] == 3 * -(-(whole.scan.head + 1) // 2)


def test_statement__cached_rerun__reads_only_new_blocks(
    chain, project, system, income, payer, alice, tmp_path
):
    chain.mine(3)  # alice's payments are older than the reorg window
    with ChainCache(tmp_path / "cache.sqlite3") as cache:
        first = _statement(chain, project, system, alice, cache=cache, reorg_depth=2)
        income.pay(alice, 5 * UNIT, source("tips"), sender=payer)
        chain.mine(3)
        second = _statement(chain, project, system, alice, cache=cache, reorg_depth=2)
    assert first.scan.read_from == 0 and first.scan.cached_to is None
    assert second.scan.cached_to == first.scan.head
    assert second.scan.read_from == first.scan.head - 1  # the 2-block reorg window, then new blocks only
    assert second.scan.receipts == 1  # the new payment; earlier receipts come from the cache
    assert second.paid_in == first.paid_in + 5 * UNIT
    fresh = _statement(chain, project, system, alice)  # no cache: the same statement
    assert fresh.to_json() | {"scan": None} == second.to_json() | {"scan": None}


def test_statement__deposit_for_the_earner__is_not_income(chain, project, system, income, payer, alice):
    asset = project.MockToken.at(system.address("asset"))
    growth = project.TierVault.at(system.address("vault:growth"))
    asset.approve(growth.address, 7 * UNIT, sender=payer)
    growth.deposit(7 * UNIT, alice, sender=payer)
    statement = _statement(chain, project, system, alice)
    assert statement.paid_in == 24 * UNIT and statement.deposited == 7 * UNIT
    assert statement.yield_ == 0


def test_statement__profile__is_reported(chain, project, system, income, alice, bob):
    assert _statement(chain, project, system, alice).profile_bps == [10_000, 0, 0]
    assert _statement(chain, project, system, bob).profile_bps == [5_000, 3_000, 2_000]


def test_event_topics__match_the_committed_abis() -> None:
    abis = {name: json.loads((ROOT / "abi" / f"{name}.json").read_text()) for name in ("Pool", "TierVault")}
    signatures = {
        f"{e['name']}({','.join(i['type'] for i in e['inputs'])})"
        for abi in abis.values()
        for e in abi
        if e["type"] == "event"
    }
    for name, value in {"Paid": PAID, "PaidMany": PAID_MANY, "TierSwitched": TIER_SWITCHED}.items():
        assert any(topic(s) == value for s in signatures if s.startswith(name + "(")), name
    for value in (TRANSFER, DEPOSIT, WITHDRAW, DEPOSIT_MANY):
        assert value in {topic(s) for s in signatures}


def test_income_script__cache_and_chunk__second_run_reads_only_new_blocks(
    chain, system, income, alice, tmp_path
):
    common = ["--network", chain.provider.uri, "--manifest", str(system.path), "--earner", alice.address]
    cache = ["--cache", str(tmp_path / "c.sqlite3"), "--chunk", "5", "--reorg-depth", "0"]
    first = invoke("income", *common, *cache, "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output[: first.output.rindex("}") + 1])
    assert data["paid_in"] == "24.000000" and data["profile_bps"] == [10_000, 0, 0]
    chain.mine(2)
    second = invoke("income", *common, *cache)
    assert second.exit_code == 0, second.output
    head = data["scan"]["head"]
    assert f"read blocks {head + 1:,}–{head + 2:,} (2 blocks)" in second.output
    assert "conservative" in second.output and "100%" in second.output  # the weight column


def test_statement__a_part_skipped_for_a_closed_tier__is_not_paid_in(
    chain, project, system, payer, admin, alice, bob
):
    """bob on the default 50/30/20: with the conservative tier shut down (no safer open tier) the pool skips
    its part (`PaymentSkipped`, never taken from the payer). The statement counts what bob received, for a
    single payment and for a batch with his two consecutive payments merged; `verify` reconciles."""
    from tributary.logs import Rpc
    from tributary.payments import list_payments, verify

    pool = project.Pool.at(system.address("pool"))
    vaults = system.tier_vaults()
    project.TierVault.at(vaults[0][1]).shutdown(sender=admin)
    pool.pay(bob, 10 * UNIT, source("tips"), sender=payer)
    pool.payMany(source("ad-network"), [bob, bob, alice], [4 * UNIT, 6 * UNIT, 2 * UNIT], sender=payer)
    mine = _statement(chain, project, system, bob)
    assert [(p.amount, p.skipped) for p in mine.payments] == [
        (10 * UNIT, 5 * UNIT),
        (4 * UNIT, 4 * UNIT),  # the batch's skipped 5: against his payments of that transaction, in order
        (6 * UNIT, 1 * UNIT),
    ]
    assert mine.paid_in == 10 * UNIT and mine.skipped == 10 * UNIT
    assert mine.by_source == {"tips": 5 * UNIT, "ad-network": 5 * UNIT}
    assert mine.paid_in == sum(t.credited for t in mine.tiers)
    rpc = Rpc.of(chain.provider.web3)
    report = list_payments(rpc, system.address("pool"), payer=payer.address)
    assert verify(rpc, report, [address for _, address in vaults]) == []
