"""tributary.payer: grouping, batching and packing of a platform's payments (pure, no chain)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tributary.payer import (
    UINT96_MAX,
    Payment,
    PaymentError,
    checked,
    group_by_earner,
    pack,
    plan_batches,
    send_batches,
    unpack,
)

A, B, C = ("0x" + f"{i:02x}" * 20 for i in (0xA1, 0xB2, 0xC3))


def test_group_keeps_first_appearance_order_and_every_payment():
    pays = checked([(A, 1), (B, 2), (A, 3), (C, 4), (B, 5), (A, 6)])
    groups = group_by_earner(pays)
    assert [[p.amount for p in g] for g in groups] == [[1, 3, 6], [2, 5], [4]]


def test_batches_are_cut_between_earners():
    pays = checked([(A, 1)] * 3 + [(B, 1)] * 3 + [(C, 1)] * 2)
    batches = plan_batches(pays, 5)
    assert [len(b) for b in batches] == [3, 5]
    assert {p.earner for p in batches[0]} == {checked([(A, 1)])[0].earner}


def test_an_earner_larger_than_a_batch_fills_whole_batches():
    pays = checked([(A, 1)] * 7 + [(B, 1)])
    assert [len(b) for b in plan_batches(pays, 3)] == [3, 3, 2]  # B fits beside the rest of A


@pytest.mark.parametrize(
    ("earner", "amount", "says"),
    [
        ("0x1234", 1, "not a 20-byte 0x address"),
        ("0x" + "00" * 20, 1, "zero address"),
        (A, 0, "not positive"),
        (A, -5, "not positive"),
        (A, UINT96_MAX + 1, "above a uint96"),
        (A, 1.5, "not an integer"),
        (A, True, "not an integer"),
    ],
)
def test_bad_payments_are_refused_with_one_line(earner, amount, says):
    with pytest.raises(PaymentError) as info:
        checked([(B, 1), (earner, amount)])
    message = str(info.value)
    assert message.startswith("Error: payment 1: ") and says in message and "\n" not in message


def test_a_bad_payment_sends_nothing():
    sent: list[bytes] = []
    with pytest.raises(PaymentError):
        send_batches([(A, 1), (B, 0)], 10, sent.append)
    assert sent == []


def test_bad_batch_size_and_packed_length():
    with pytest.raises(PaymentError, match="at least 1"):
        plan_batches([], 0)
    with pytest.raises(PaymentError, match="multiple of 32"):
        unpack(b"\x01" * 33)


def test_send_batches_reports_progress_and_packs_the_pool_format():
    progress: list[tuple[int, int]] = []
    sent = send_batches(
        [(A, 10**18), (B, 2), (A, 3)], 2, lambda packed: packed, lambda i, n: progress.append((i, n))
    )
    assert progress == [(1, 2), (2, 2)]
    assert sent[0] == bytes.fromhex(A[2:]) + (10**18).to_bytes(12, "big") + bytes.fromhex(A[2:]) + (
        3
    ).to_bytes(12, "big")
    assert unpack(sent[1]) == checked([(B, 2)])


earners = st.sampled_from([A, B, C, "0x" + "d4" * 20, "0x" + "e5" * 20])


@given(st.lists(st.tuples(earners, st.integers(1, UINT96_MAX)), max_size=60), st.integers(1, 12))
def test_batches_keep_every_payment_and_split_an_earner_only_when_it_must(pays, max_batch):
    payments = checked(pays)
    batches = plan_batches(payments, max_batch)
    assert all(1 <= len(b) <= max_batch for b in batches)
    flat = [p for b in batches for p in b]
    assert sorted(flat, key=repr) == sorted(payments, key=repr)  # nothing lost, nothing added
    for group in group_by_earner(payments):
        holding = [i for i, b in enumerate(batches) if group[0].earner in {p.earner for p in b}]
        if len(group) <= max_batch:
            assert len(holding) == 1  # fits: one batch, so one credit per tier
        assert [p.amount for b in batches for p in b if p.earner == group[0].earner] == [
            p.amount for p in group
        ]
    assert all(unpack(pack(b)) == b for b in batches)
    assert all(isinstance(p, Payment) for p in flat)
