"""payMany / payManyPacked: one transfer in, one depositMany per tier, one PaidMany event."""

import ape
from pool_helpers import BPS, minted, pack, source, split, unpack

SRC = source("adnet")
ONE = 10**18
ZERO = "0x" + "00" * 20


def _profiles(system, alice, bob, carol):
    system.pool.setProfile([BPS, 0, 0], sender=alice)
    system.pool.setProfile([2_000, 3_000, 5_000], sender=bob)
    # carol: no profile -> default (all tier 0)


def test_pay_many__mixed_profiles__credits_each_split_and_logs_once(system, platform, alice, bob, carol):
    _profiles(system, alice, bob, carol)
    amounts = [ONE, 7 * ONE + 3, 11]
    system.fund(platform, sum(amounts))
    tx = system.pool.payMany(SRC, [alice, bob, carol], amounts, sender=platform)

    expected = {alice: [ONE, 0, 0], bob: split(7 * ONE + 3, [2_000, 3_000, 5_000]), carol: [11, 0, 0]}
    for earner, parts in expected.items():
        assert minted(tx, system.tiers, earner) == [
            t.convertToShares(p) for t, p in zip(system.tiers, parts, strict=False)
        ]
    [event] = system.pool.PaidMany.from_receipt(tx)
    assert (event.payer, event.source) == (platform, SRC)
    assert unpack(event.payments) == [
        (a.address.lower(), x) for a, x in zip([alice, bob, carol], amounts, strict=False)
    ]
    assert not system.pool.Paid.from_receipt(tx)
    # one depositMany per tier that received something
    assert [len(t.DepositMany.from_receipt(tx)) for t in system.tiers] == [1, 1, 1]
    assert system.token.balanceOf(system.pool) == 0


def test_pay_many__untouched_tier__is_not_called(system, platform, alice, bob):
    system.fund(platform, 2 * ONE)
    tx = system.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)
    assert [len(t.DepositMany.from_receipt(tx)) for t in system.tiers] == [1, 0, 0]
    assert system.shares(alice) == system.shares(bob) == [system.tiers[0].convertToShares(ONE), 0, 0]


def test_pay_many__duplicate_earner__credited_once_with_the_sum(system, platform, alice):
    system.fund(platform, 3)
    expected = system.tiers[0].convertToShares(3)
    tx = system.pool.payMany(SRC, [alice, alice], [1, 2], sender=platform)
    assert [(e.to, e.amount) for e in system.tiers[0].Transfer.from_receipt(tx)] == [
        (alice.address, expected)
    ]
    assert unpack(system.pool.PaidMany.from_receipt(tx)[0].payments) == [
        (alice.address.lower(), 1),
        (alice.address.lower(), 2),
    ]


def test_pay_many_packed__same_credits_and_event_as_arrays(system, platform, alice, bob, carol):
    _profiles(system, alice, bob, carol)
    entries = [(alice, ONE), (bob, 2**96 - 1), (carol, 1)]
    system.fund(platform, sum(x for _, x in entries))
    tx = system.pool.payManyPacked(SRC, pack(entries), sender=platform)

    assert minted(tx, system.tiers, bob) == [
        t.convertToShares(p)
        for t, p in zip(system.tiers, split(2**96 - 1, [2_000, 3_000, 5_000]), strict=False)
    ]
    assert system.shares(alice) == [system.tiers[0].convertToShares(ONE), 0, 0]
    assert system.shares(carol) == [system.tiers[0].convertToShares(1), 0, 0]
    [event] = system.pool.PaidMany.from_receipt(tx)
    assert bytes(event.payments) == pack(entries)
    assert system.token.balanceOf(system.pool) == 0


def test_pay_many__length_mismatch__reverts(system, platform, alice, bob):
    with ape.reverts(system.pool.LengthMismatch, earners=2, amounts=1):
        system.pool.payMany(SRC, [alice, bob], [ONE], sender=platform)


def test_pay_many__empty__reverts(system, platform):
    with ape.reverts(system.pool.EmptyBatch):
        system.pool.payMany(SRC, [], [], sender=platform)
    with ape.reverts(system.pool.EmptyBatch):
        system.pool.payManyPacked(SRC, b"", sender=platform)


def test_pay_many__above_max_batch__reverts(system, platform, alice):
    size = system.pool.MAX_BATCH() + 1
    with ape.reverts(system.pool.BatchTooLarge, size=size, max=size - 1):
        system.pool.payMany(SRC, [alice] * size, [1] * size, sender=platform)
    with ape.reverts(system.pool.BatchTooLarge, size=size, max=size - 1):
        system.pool.payManyPacked(SRC, pack([(alice, 1)] * size), sender=platform)


def test_pay_many__zero_earner__reverts_with_index(system, platform, alice):
    system.fund(platform, 2)
    with ape.reverts(system.pool.ZeroEarner, index=1):
        system.pool.payMany(SRC, [alice, ZERO], [1, 1], sender=platform)
    with ape.reverts(system.pool.ZeroEarner, index=1):
        system.pool.payManyPacked(SRC, pack([(alice, 1), (ZERO, 1)]), sender=platform)


def test_pay_many__zero_amount__reverts_with_index(system, platform, alice, bob):
    system.fund(platform, 2)
    with ape.reverts(system.pool.ZeroAmountAt, index=1):
        system.pool.payMany(SRC, [alice, bob], [1, 0], sender=platform)
    with ape.reverts(system.pool.ZeroAmountAt, index=0):
        system.pool.payManyPacked(SRC, pack([(alice, 0), (bob, 1)]), sender=platform)


def test_pay_many__amount_above_uint96__reverts(system, platform, alice):
    with ape.reverts(system.pool.AmountTooLarge, index=0, amount=2**96):
        system.pool.payMany(SRC, [alice], [2**96], sender=platform)


def test_pay_many_packed__ragged_length__reverts(system, platform, alice):
    with ape.reverts(system.pool.PackedLength, length=33):
        system.pool.payManyPacked(SRC, pack([(alice, 1)]) + b"\x01", sender=platform)


def test_pay_many__insufficient_allowance__reverts_whole_batch(system, platform, alice, bob):
    system.fund(platform, 2 * ONE, approve=2 * ONE - 1)
    with ape.reverts(system.token.ERC20InsufficientAllowance):
        system.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)
    assert system.shares(alice) == [0, 0, 0]


def test_pay_many__fee_on_transfer_asset__reverts_shortfall(
    project, make_system, admin, platform, alice, bob
):
    fot = admin.deploy(project.FeeOnTransferToken, 50)
    s = make_system(token=fot)
    s.fund(platform, 2 * ONE)
    with ape.reverts(s.pool.TransferShortfall, expected=2 * ONE, received=2 * ONE - 2 * ONE * 50 // BPS):
        s.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)


def test_pay_many__paused_tier__reroutes_its_parts_and_credits_everyone(
    system, platform, guardian, alice, bob
):
    system.pool.setProfile([5_000, 0, 5_000], sender=bob)
    system.tiers[2].pauseDeposits(sender=guardian)
    system.fund(platform, 4 * ONE)
    tx = system.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)
    assert [(e.fromTier, e.toTier) for e in system.pool.TierRerouted.from_receipt(tx)] == [(2, 1)]
    tx = system.pool.payManyPacked(SRC, pack([(alice, ONE), (bob, ONE)]), sender=platform)
    assert [(e.fromTier, e.toTier) for e in system.pool.TierRerouted.from_receipt(tx)] == [(2, 1)]
    assert system.token.balanceOf(platform) == 0
    assert system.assets(alice) == [2 * ONE, 0, 0]
    assert system.assets(bob) == [ONE, ONE, 0]  # tier 2's halves went to tier 1 (ceiling 2 <= 3)


def test_pay_many__max_batch_all_tiers__credits_every_entry(make_system, accounts, platform):
    s = make_system(ntiers=3)
    n = s.pool.MAX_BATCH()
    earners = [accounts[i % 10] for i in range(n)]
    amounts = [10**12 + i for i in range(n)]
    s.pool.setProfile([3_000, 3_000, 4_000], sender=accounts[5])
    s.fund(platform, sum(amounts))
    s.pool.payMany(SRC, earners, amounts, sender=platform)
    credited = sum(t.totalAssets() for t in s.tiers)
    assert credited == sum(amounts)
    assert s.token.balanceOf(s.pool) == 0


def test_pay_many__address_with_dirty_upper_bits__reverts(system, platform, alice):
    system.fund(platform, 1)
    data = bytearray(system.pool.payMany.encode_input(SRC, [alice], [1]))
    # selector(4) | source | earners offset | amounts offset | earners.length | earners[0] ...
    earner_word = 4 + 32 * 4
    assert data[earner_word : earner_word + 12] == b"\x00" * 12
    data[earner_word] = 0xFF
    with ape.reverts():
        platform.transfer(system.pool, 0, data=bytes(data), gas=1_000_000)
    assert system.shares(alice) == [0, 0, 0]
