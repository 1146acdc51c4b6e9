"""bench/workloads.py and its report tables: the arithmetic and the batching, on synthetic rows (no chain)."""

from __future__ import annotations

import pytest
from eth_utils import to_checksum_address

from bench.floor import credit_floor
from bench.paths import Row
from bench.report import Report, marginal
from bench.system import packed
from bench.workloads import (
    DISTINCT,
    FIVE_EACH,
    PACKED,
    SECTION,
    SWEEP,
    TRANSFERS,
    distinct_earners,
    interleaved,
    repeat_marginal,
    ungrouped,
)
from tributary.payer import plan_batches

A, B, C = (to_checksum_address("0x" + f"{i:02x}" * 20) for i in (0xA1, 0xB2, 0xC3))


def test_repeat_marginal_is_the_extra_gas_per_extra_payment():
    # 100 earners once: 1,000,000; five times: 1,000,000 + 400 repeated payments × 2,500
    assert repeat_marginal(2_000_000, 1_000_000, 100, 5) == 2_500
    assert repeat_marginal(1_000_000 + 20 * 24 * 1_234, 1_000_000, 20, 25) == 1_234


@pytest.mark.parametrize("earners, each", [(0, 5), (100, 1), (100, 0)])
def test_repeat_marginal_needs_a_repeat(earners, each):
    with pytest.raises(ValueError):
        repeat_marginal(2, 1, earners, each)


def test_interleaved_is_round_after_round():
    pays = interleaved([A, B, C], 2, "t")
    assert [p.earner for p in pays] == [A, B, C, A, B, C]
    assert all(p.amount > 0 for p in pays) and len({p.amount for p in pays}) == 6


def test_ungrouped_cuts_in_arrival_order_and_plan_batches_groups():
    pays = interleaved([A, B, C], 3, "t")
    assert [[p.earner for p in b] for b in ungrouped(pays, 4)] == [[A, B, C, A], [B, C, A, B], [C]]
    assert [[p.earner for p in b] for b in plan_batches(pays, 4)] == [[A, A, A], [B, B, B], [C, C, C]]
    assert distinct_earners(pays) == [A, B, C]


def test_workload_sizes_fit_the_issue():
    # 100 × 5 and 20 × 25 are 500 payments: two batches under the 3-tier pool's MAX_BATCH of 333
    assert FIVE_EACH.payments == 500 and DISTINCT.payments == 100
    assert len(plan_batches(interleaved([f"0x{i + 1:040x}" for i in range(100)], 5, "t"), 333)) == 2


def _rows(once: int, many: int) -> list[Row]:
    return [
        Row(SECTION, PACKED, "existing", "one-tier", once, batch=100, param=DISTINCT.label),
        Row(SECTION, PACKED, "existing", "one-tier", many, batch=500, param=FIVE_EACH.label, txs=2),
        Row(
            SECTION,
            TRANSFERS,
            "existing",
            "one-tier",
            500 * 30_000,
            batch=500,
            param=FIVE_EACH.label,
            txs=500,
        ),
        Row(SECTION, SWEEP, "existing", "one-tier", 2_000_000, batch=500, param=FIVE_EACH.label),
    ]


def test_report_derives_the_repeated_payment_target_and_the_deposit_total():
    rows = _rows(1_100_000, 1_100_000 + 400 * 1_400)
    assert marginal(rows, PACKED, FIVE_EACH) == 1_400
    baseline = {"rows": [r.as_dict() for r in _rows(1_100_000, 1_100_000 + 400 * 3_800)]}
    meta = {"hardfork": "cancun", "solc": "0.8.28", "optimizer_runs": 180, "commit": "x"}
    floor = credit_floor(
        bytes.fromhex(A[2:]).rjust(32, b"\0") + (10**16).to_bytes(32, "big"), packed([A], [10**16])
    )
    report = Report(rows, floor, meta, baseline)
    targets = {t["name"]: t for t in report.targets()}
    repeated = targets["a repeated payment inside a batch (payManyPacked, 100 earners × 5 vs × 1)"]
    assert (repeated["measured"], repeated["before"], repeated["ok"]) == (1_400, 3_800, True)
    per_payment = targets["100 earners × 5 payments, per payment (payManyPacked)"]
    assert per_payment["measured"] == (1_100_000 + 400 * 1_400) / 500
    total = next(w for w in report.workloads() if w["path"] == "deposit address: payers + keeper")
    assert (total["gas_per_payment"], total["txs"]) == (30_000 + 4_000, 501)
    markdown = report.markdown()
    assert (
        "| payManyPacked | 100 earners × 5 | 1,660,000 (2) | 100 earners × 1 | 1,100,000 (1) | 1,400 |"
        in markdown
    )
    assert "| deposit address: payers + keeper | — | — | 34,000 (501 tx) | — |" in markdown
