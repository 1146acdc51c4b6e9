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


def test_default_profile__is_immutable__no_setter_and_admin_cannot_move_earners(system, admin, platform, bob):
    # The admin cannot move the risk of earners who never chose: the default is fixed at deployment.
    assert not any(getattr(a, "name", None) == "setDefaultProfile" for a in system.pool.contract_type.abi)
    system.fund(platform, ONE)
    tx = system.pool.pay(bob, ONE, SRC, sender=platform)
    assert deposited(tx, system.tiers, bob) == [ONE, 0, 0]
    assert system.pool.profileOf(bob) == system.pool.defaultProfile() == [BPS, 0, 0]


def test_default_profile__own_profile_wins_over_default(make_system, platform, alice, bob):
    s = make_system(profile=[0, BPS, 0])
    s.pool.setProfile([BPS, 0, 0], sender=alice)
    s.fund(platform, 2 * ONE)
    assert deposited(s.pool.pay(alice, ONE, SRC, sender=platform), s.tiers, alice) == [ONE, 0, 0]
    assert deposited(s.pool.pay(bob, ONE, SRC, sender=platform), s.tiers, bob) == [0, ONE, 0]


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
    system.token.mint(system.pool, 7, sender=admin)  # tokens sent to the pool by plain transfer
    with ape.reverts(system.pool.OwnableUnauthorizedAccount, account=admin):
        system.pool.recover(system.token, admin, sender=admin)
    system.pool.recover(system.token, bob, sender=bob)
    assert system.token.balanceOf(bob) == 7
