"""Hostile asset: a transfer hook re-entering the pool mid-payment is refused by the reentrancy guard."""

import ape
import pytest
from pool_helpers import pack, source

SRC = source("hook")
ONE = 10**18


@pytest.fixture
def hostile(project, make_system, admin):
    return make_system(token=admin.deploy(project.ReentrantToken))


def test_pay__hook_reenters_pay__reverts(hostile, platform, alice):
    s = hostile
    s.fund(platform, 2 * ONE)
    s.token.arm(s.pool, s.pool.pay.encode_input(alice, ONE, SRC), sender=platform)
    with ape.reverts(s.pool.ReentrancyGuardReentrantCall):
        s.pool.pay(alice, ONE, SRC, sender=platform)
    assert s.shares(alice) == [0, 0, 0]


def test_pay_many__hook_reenters_pay_many_packed__reverts(hostile, platform, alice, bob):
    s = hostile
    s.fund(platform, 2 * ONE)
    s.token.arm(s.pool, s.pool.payManyPacked.encode_input(SRC, pack([(bob, 1)])), sender=platform)
    with ape.reverts(s.pool.ReentrancyGuardReentrantCall):
        s.pool.payMany(SRC, [alice], [ONE], sender=platform)


def test_switch_tier__hook_reenters_switch__reverts(hostile, platform, alice):
    s = hostile
    s.fund(platform, ONE)
    s.pool.pay(alice, ONE, SRC, sender=platform)
    s.tiers[0].approve(s.pool, 2**256 - 1, sender=alice)
    shares = s.tiers[0].balanceOf(alice)
    s.token.arm(s.pool, s.pool.switchTier.encode_input(0, 1, 1, 0), sender=platform)
    with ape.reverts(s.pool.ReentrancyGuardReentrantCall):
        s.pool.switchTier(0, 1, shares, 0, sender=alice)
    assert s.tiers[0].balanceOf(alice) == shares


def test_pay__unarmed_hostile_token__pays_normally(hostile, platform, alice):
    s = hostile
    s.fund(platform, ONE)
    s.pool.pay(alice, ONE, SRC, sender=platform)
    assert s.shares(alice)[0] == s.tiers[0].convertToShares(ONE)
