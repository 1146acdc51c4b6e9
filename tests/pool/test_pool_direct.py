"""Money flow: a payer's funds go straight to the tier vaults (never through the pool), and each vault credits
the earners through its trusted-depositor entry (credit / creditMany), which checks the vault's balance."""

import ape
from pool_helpers import BPS, source, split

SRC = source("adnet")
ONE = 10**18


def _transfers(system, tx):
    return [(e["from"], e.to, e.value) for e in system.token.Transfer.from_receipt(tx)]


def test_pay__moves_the_payment_straight_from_payer_to_the_tier_vault(system, platform, alice):
    system.fund(platform, ONE)
    tx = system.pool.pay(alice, ONE, SRC, sender=platform)
    assert _transfers(system, tx) == [(platform.address, system.tiers[0].address, ONE)]
    assert system.tiers[0].idle() == ONE
    assert system.token.balanceOf(system.pool) == 0


def test_pay_many__moves_each_tier_total_straight_to_its_vault(system, platform, alice, bob):
    weights = [2_000, 3_000, 5_000]
    system.pool.setProfile(weights, sender=bob)
    amounts = [ONE, 3 * ONE + 7]
    system.fund(platform, sum(amounts))
    tx = system.pool.payMany(SRC, [alice, bob], amounts, sender=platform)
    parts = split(amounts[1], weights)
    tier_totals = [amounts[0] + parts[0], parts[1], parts[2]]
    assert _transfers(system, tx) == [
        (platform.address, t.address, total) for t, total in zip(system.tiers, tier_totals, strict=True)
    ]
    assert [t.idle() for t in system.tiers] == tier_totals
    assert system.token.balanceOf(system.pool) == 0


def test_pay__pool_without_depositor_role__reverts_and_moves_nothing(system, admin, platform, alice):
    vault = system.tiers[0]
    vault.revokeRole(vault.DEPOSITOR_ROLE(), system.pool, sender=admin)
    system.fund(platform, ONE)
    with ape.reverts(
        vault.AccessControlUnauthorizedAccount, account=system.pool, neededRole=vault.DEPOSITOR_ROLE()
    ):
        system.pool.pay(alice, ONE, SRC, sender=platform)
    assert system.token.balanceOf(platform) == ONE
    assert vault.balanceOf(alice) == 0


def test_pay_many__pool_without_depositor_role__reverts_whole_batch(system, admin, platform, alice, bob):
    vault = system.tiers[0]
    vault.revokeRole(vault.DEPOSITOR_ROLE(), system.pool, sender=admin)
    system.fund(platform, 2 * ONE)
    with ape.reverts(vault.AccessControlUnauthorizedAccount):
        system.pool.payMany(SRC, [alice, bob], [ONE, ONE], sender=platform)
    assert system.token.balanceOf(platform) == 2 * ONE


def test_pay__split_profile__each_part_goes_to_its_vault(system, platform, alice):
    weights = [BPS // 2, BPS // 4, BPS // 4]
    system.pool.setProfile(weights, sender=alice)
    system.fund(platform, 4 * ONE + 1)
    tx = system.pool.pay(alice, 4 * ONE + 1, SRC, sender=platform)
    parts = split(4 * ONE + 1, weights)
    # the heaviest tier is credited last (it takes the rounding rest): compare as a set of transfers
    assert sorted(_transfers(system, tx)) == sorted(
        (platform.address, t.address, p) for t, p in zip(system.tiers, parts, strict=True) if p
    )
