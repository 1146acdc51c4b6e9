"""Reconciliation for platforms: what a payer or a source paid to whom, as CSV and JSON, equal to the money
that reached the tier vaults."""

from __future__ import annotations

import csv
import io
import json

import pytest
from scripts_helpers import invoke, source

from tributary.errors import TributaryError
from tributary.logs import Rpc
from tributary.payments import list_payments, parse_time, resolve_range, verify

UNIT = 10**6


@pytest.fixture
def ledger(project, system, payer, stranger, alice, bob, carol):
    """platform: two ad-network batches, one packed game batch, a single tip; stranger: one game payment."""
    pool = project.Pool.at(system.address("pool"))
    asset = project.MockToken.at(system.address("asset"))
    asset.mint(stranger, 100 * UNIT, sender=stranger)
    asset.approve(pool.address, 2**256 - 1, sender=stranger)
    pool.setProfile([2_000, 3_000, 5_000], sender=carol)
    pool.payMany(source("ad-network"), [alice, bob, carol], [3 * UNIT, 5 * UNIT, 7 * UNIT], sender=payer)
    pool.payMany(source("ad-network"), [bob, alice], [1_234_567, 1], sender=payer)
    packed = b"".join(
        bytes.fromhex(e.address[2:]) + a.to_bytes(12, "big") for e, a in ((carol, 11), (alice, 9))
    )
    pool.payManyPacked(source("game"), packed, sender=payer)
    pool.pay(carol, 20 * UNIT, source("tips"), sender=payer)
    pool.pay(alice, 4 * UNIT, source("game"), sender=stranger)
    return pool


def _rpc(chain) -> Rpc:
    return Rpc.of(chain.provider.web3)


def test_payer__lists_every_entry_to_each_earner(chain, system, ledger, payer, alice, bob, carol):
    report = list_payments(_rpc(chain), system.address("pool"), payer=payer.address)
    assert [(r.earner, r.amount, r.source, r.batch) for r in report.rows] == [
        (alice.address, 3 * UNIT, "ad-network", True),
        (bob.address, 5 * UNIT, "ad-network", True),
        (carol.address, 7 * UNIT, "ad-network", True),
        (bob.address, 1_234_567, "ad-network", True),
        (alice.address, 1, "ad-network", True),
        (carol.address, 11, "game", True),
        (alice.address, 9, "game", True),
        (carol.address, 20 * UNIT, "tips", False),
    ]
    assert all(r.payer == payer.address for r in report.rows)
    assert report.by_earner == {
        carol.address: 27 * UNIT + 11,
        bob.address: 6_234_567,
        alice.address: 3 * UNIT + 10,
    }


def test_payer__totals_equal_the_asset_sent_into_the_tier_vaults(chain, system, ledger, payer, project):
    rpc = _rpc(chain)
    vaults = [address for _, address in system.tier_vaults()]
    report = list_payments(rpc, system.address("pool"), payer=payer.address)
    assert verify(rpc, report, vaults) == []
    asset = project.MockToken.at(system.address("asset"))
    into_vaults = sum(
        log.value
        for tx in {r.tx for r in report.rows}
        for log in chain.provider.get_receipt(tx).decode_logs(asset.Transfer)
        if log.to in vaults
    )
    assert report.total == into_vaults == 35 * UNIT + 1_234_567 + 21


def test_verify__a_row_off_by_one__is_reported(chain, system, ledger, payer):
    rpc = _rpc(chain)
    report = list_payments(rpc, system.address("pool"), payer=payer.address)
    report.rows[0].amount += 1
    (bad,) = verify(rpc, report, [address for _, address in system.tier_vaults()])
    assert bad.tx == report.rows[0].tx and bad.listed == bad.into_vaults + 1


def test_source__lists_every_payer_of_that_tag(chain, system, ledger, payer, stranger, alice, carol):
    report = list_payments(_rpc(chain), system.address("pool"), source="game")
    assert [(r.payer, r.earner, r.amount) for r in report.rows] == [
        (payer.address, carol.address, 11),
        (payer.address, alice.address, 9),
        (stranger.address, alice.address, 4 * UNIT),
    ]
    both = list_payments(_rpc(chain), system.address("pool"), payer=stranger.address, source="game")
    assert [r.amount for r in both.rows] == [4 * UNIT]


def test_block_range__trims_rows(chain, system, ledger, payer):
    rpc = _rpc(chain)
    everything = list_payments(rpc, system.address("pool"), payer=payer.address)
    last = everything.rows[-1].block
    report = list_payments(rpc, system.address("pool"), payer=payer.address, from_block=last, to_block=last)
    assert [r.source for r in report.rows] == ["tips"]


def test_time_range__finds_the_blocks_by_timestamp(chain, system, ledger, payer):
    rpc = _rpc(chain)
    everything = list_payments(rpc, system.address("pool"), payer=payer.address)
    tip = everything.rows[-1]
    first, last = resolve_range(rpc, 0, None, None, str(tip.timestamp), str(tip.timestamp + 1))
    assert first <= tip.block and (last is None or last >= tip.block)
    with pytest.raises(TributaryError, match="not both"):
        resolve_range(rpc, 0, 5, None, "2026-01-01", None)
    assert parse_time("1970-01-02", "--since") == 86_400
    with pytest.raises(TributaryError, match="--since 'yesterday'"):
        parse_time("yesterday", "--since")


def test_csv_and_json__carry_exact_base_units(chain, system, ledger, payer):
    report = list_payments(_rpc(chain), system.address("pool"), payer=payer.address)
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert sum(int(r["amount"]) for r in rows) == report.total
    assert rows[3]["amount_units"] == "1.234567"
    data = json.loads(json.dumps(report.to_json()))
    assert int(data["total"]) == report.total and data["total_units"] == "36.234588"
    assert data["payments"] == len(rows) == 8


def test_script__json_out_and_verify(chain, system, ledger, payer, tmp_path):
    out = tmp_path / "paid.json"
    result = invoke(
        "payments", "--network", chain.provider.uri, "--manifest", str(system.path), "--payer", payer.address,
        "--format", "json", "--out", str(out), "--verify", "--no-cache", "--chunk", "7",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["payments"] == 8
    assert "8 payments, total 36.234588 mUSD" in result.output and "verified" in result.output


def test_script__neither_payer_nor_source__is_refused(chain, system):
    result = invoke("payments", "--network", chain.provider.uri, "--manifest", str(system.path))
    assert result.exit_code == 1 and "Error: give --payer or --source" in result.output
