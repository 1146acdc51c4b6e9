"""Payments sent with tributary.access_list's EIP-2930 list: exactly the same credits, less gas (differential
against the same transaction without a list, on the same state)."""

from typing import Any

import pytest
from pool_helpers import pack

from tributary.access_list import with_access_list

SRC = b"listed".ljust(32, b"\0")


def _send(w3: Any, tx: dict[str, Any]) -> Any:
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({**tx, "gas": 5_000_000}))
    assert receipt["status"] == 1
    return receipt


@pytest.mark.parametrize("kind", ["pay", "payManyPacked"])
def test_access_list__same_credits_less_gas(system, platform, alice, bob, carol, chain, kind) -> None:
    w3 = chain.provider.web3
    system.pool.setProfile([2_000, 3_000, 5_000], sender=bob)
    system.fund(platform, 10**24)
    system.pool.payMany(SRC, [alice, bob, carol], [10**18, 10**18, 10**18], sender=platform)  # existing
    if kind == "pay":
        data = system.pool.pay.encode_input(alice, 10**17 + 3, SRC)
    else:
        entries = [(alice, 10**17 + 1), (alice, 5), (bob, 10**17 + 7), (carol, 3), (carol, 9)]
        data = system.pool.payManyPacked.encode_input(SRC, pack(entries))
    tx = {"from": platform.address, "to": system.pool.address, "data": data}
    people = [alice, bob, carol]
    results = []
    for listed in (False, True):
        snap = chain.snapshot()
        sent = with_access_list(w3, tx) if listed else tx
        receipt = _send(w3, sent)
        results.append(([system.shares(p) for p in people], receipt["gasUsed"], sent.get("accessList")))
        chain.restore(snap)
    (plain_shares, plain_gas, _), (listed_shares, listed_gas, access_list) = results
    assert listed_shares == plain_shares
    assert access_list  # the tiers' balance slots at least
    # the pool is the target (warm anyway): with < 25 of its slots, naming it would cost more than it saves
    assert str(system.pool.address) not in {e["address"] for e in access_list}
    assert listed_gas < plain_gas


def test_send_packed__groups_lists_and_credits_each_earner_once(system, platform, alice, bob, carol, chain):
    from tributary.payer import send_packed

    w3 = chain.provider.web3
    system.fund(platform, 10**24)
    system.pool.payMany(SRC, [alice, bob, carol], [10**18] * 3, sender=platform)  # existing
    a, b, c = alice.address, bob.address, carol.address
    payments = [(a, 10**17), (b, 7), (a, 5), (c, 3), (a, 1)]
    expected = {p.address: system.tiers[0].convertToShares(sum(a for w, a in payments if w == p.address))
                for p in (alice, bob, carol)}  # fmt: skip
    before = {p.address: system.tiers[0].balanceOf(p) for p in (alice, bob, carol)}
    progress: list[tuple[int, int]] = []
    receipts = send_packed(w3, str(system.pool.address), platform.address, SRC, payments, 2,
                           on_batch=lambda i, n: progress.append((i, n)), poll_latency=0.002)  # fmt: skip
    # max_batch 2: alice's three payments cannot share a batch; bob and carol fit together
    assert progress == [(1, 3), (2, 3), (3, 3)]
    tx = w3.eth.get_transaction(receipts[-1]["transactionHash"])
    assert tx["accessList"]  # sent with the list that pays for itself
    got = {p.address: system.tiers[0].balanceOf(p) - before[p.address] for p in (alice, bob, carol)}
    assert got[bob.address] == expected[bob.address] and got[carol.address] == expected[carol.address]
    whole = expected[alice.address]  # priced before: her two credits (batches 1 and 2) round down twice
    assert whole - 2 <= got[alice.address] <= whole


def test_send_packed__a_refused_batch_is_one_error_line(system, stranger, alice, chain):
    from tributary.payer import PaymentError, pay_many_packed_data, send_packed

    w3 = chain.provider.web3
    with pytest.raises(PaymentError) as info:  # no allowance: the simulation reverts, nothing is sent
        send_packed(w3, str(system.pool.address), stranger.address, SRC, [(alice.address, 10)], 10)
    assert str(info.value).startswith("Error: the pool refuses") and "\n" not in str(info.value)
    with pytest.raises(PaymentError, match="source tag is 32 bytes"):
        pay_many_packed_data(b"short", b"")
