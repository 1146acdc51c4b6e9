"""Profiles: per-earner weights (one packed slot), the pool default, and when changes take effect."""

import ape
from pool_helpers import BPS, deposited, source

SRC = source("game")
ONE = 10**18


def test_profile_of__unset__is_default(system, alice):
    assert not system.pool.hasProfile(alice)
    assert system.pool.profileOf(alice) == [BPS, 0, 0] == system.pool.defaultProfile()


def test_set_profile__stores_weights_and_emits(system, alice):
    tx = system.pool.setProfile([1_000, 2_500, 6_500], sender=alice)
    assert system.pool.hasProfile(alice)
    assert system.pool.profileOf(alice) == [1_000, 2_500, 6_500]
    [event] = system.pool.ProfileSet.from_receipt(tx)
    assert event.earner == alice
    assert list(event.weightsBps) == [1_000, 2_500, 6_500]


def test_set_profile__wrong_length__reverts(system, alice):
    with ape.reverts(system.pool.ProfileLength, got=2, want=3):
        system.pool.setProfile([5_000, 5_000], sender=alice)


def test_set_profile__sum_not_10000__reverts(system, alice):
    with ape.reverts(system.pool.ProfileSum, got=9_999):
        system.pool.setProfile([3_333, 3_333, 3_333], sender=alice)
    with ape.reverts(system.pool.ProfileSum, got=3 * 65_535):
        system.pool.setProfile([65_535, 65_535, 65_535], sender=alice)


def test_clear_profile__falls_back_to_default(system, alice):
    system.pool.setProfile([0, 0, BPS], sender=alice)
    tx = system.pool.clearProfile(sender=alice)
    assert not system.pool.hasProfile(alice)
    assert system.pool.profileOf(alice) == [BPS, 0, 0]
    [event] = system.pool.ProfileCleared.from_receipt(tx)
    assert event.earner == alice


def test_clear_profile__when_unset__reverts(system, alice):
    with ape.reverts(system.pool.ProfileNotSet, earner=alice):
        system.pool.clearProfile(sender=alice)


def test_set_default_profile__by_admin__moves_only_earners_without_profile(
    system, admin, platform, alice, bob
):
    system.pool.setProfile([BPS, 0, 0], sender=alice)
    tx = system.pool.setDefaultProfile([0, BPS, 0], sender=admin)
    [event] = system.pool.DefaultProfileSet.from_receipt(tx)
    assert list(event.weightsBps) == [0, BPS, 0]
    assert system.pool.defaultProfile() == [0, BPS, 0]
    assert system.pool.profileOf(bob) == [0, BPS, 0]

    system.fund(platform, 2 * ONE)
    tx_alice = system.pool.pay(alice, ONE, SRC, sender=platform)
    tx_bob = system.pool.pay(bob, ONE, SRC, sender=platform)
    assert deposited(tx_alice, system.tiers, alice) == [ONE, 0, 0]
    assert deposited(tx_bob, system.tiers, bob) == [0, ONE, 0]


def test_set_default_profile__by_stranger__reverts(system, stranger):
    with ape.reverts(system.pool.OwnableUnauthorizedAccount, account=stranger):
        system.pool.setDefaultProfile([0, BPS, 0], sender=stranger)


def test_set_default_profile__invalid__reverts(system, admin):
    with ape.reverts(system.pool.ProfileSum, got=BPS + 1):
        system.pool.setDefaultProfile([BPS, 1, 0], sender=admin)
    with ape.reverts(system.pool.ProfileLength, got=4, want=3):
        system.pool.setDefaultProfile([BPS, 0, 0, 0], sender=admin)


def test_profile_change__affects_only_later_payments(system, platform, alice):
    system.fund(platform, 2 * ONE)
    first = system.pool.pay(alice, ONE, SRC, sender=platform)
    system.pool.setProfile([0, 0, BPS], sender=alice)
    second = system.pool.pay(alice, ONE, SRC, sender=platform)

    assert deposited(first, system.tiers, alice) == [ONE, 0, 0]
    assert deposited(second, system.tiers, alice) == [0, 0, ONE]
    assert system.shares(alice) == [
        system.tiers[0].convertToShares(ONE),
        0,
        system.tiers[2].convertToShares(ONE),
    ]


def test_profile__eight_tiers__round_trips_every_weight(make_system, alice):
    s = make_system(ntiers=8)
    weights = [1, 2, 3, 4, 5, 6, 7, BPS - 28]
    s.pool.setProfile(weights, sender=alice)
    assert s.pool.profileOf(alice) == weights


def test_ownership__two_step_transfer__new_admin_can_act(system, admin, bob):
    system.pool.transferOwnership(bob, sender=admin)
    assert system.pool.owner() == admin  # nothing changes until accepted
    system.pool.acceptOwnership(sender=bob)
    assert system.pool.owner() == bob
    system.pool.setDefaultProfile([0, 0, BPS], sender=bob)
    with ape.reverts(system.pool.OwnableUnauthorizedAccount, account=admin):
        system.pool.setDefaultProfile([BPS, 0, 0], sender=admin)
