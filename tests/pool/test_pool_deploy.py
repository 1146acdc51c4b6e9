"""Deployment: tier wiring and every constructor check."""

import ape
from pool_helpers import BPS, default_profile, deploy_reverts

ZERO = "0x" + "00" * 20


def test_constructor__wires_tiers_asset_and_admin(system, admin):
    pool = system.pool
    assert pool.tierCount() == 3
    assert pool.tiers() == [t.address for t in system.tiers]
    assert [pool.tier(i) for i in range(3)] == [t.address for t in system.tiers]
    assert pool.asset() == system.token.address
    assert pool.weth() == ZERO
    assert pool.owner() == admin
    assert pool.defaultProfile() == [BPS, 0, 0]
    # payments go straight from payer to tier: the pool grants no allowance to anyone
    assert [system.token.allowance(pool, t) for t in system.tiers] == [0] * 3


def test_tier__unknown_index__reverts(system):
    with ape.reverts(system.pool.UnknownTier, index=3):
        system.pool.tier(3)


def test_constructor__too_few_or_many_tiers__reverts(project, system, admin, stranger):
    t = system.tiers
    with deploy_reverts(project.Pool, "TierCount", 1, 2, 8):
        stranger.deploy(project.Pool, system.token, t[:1], [BPS], admin, ZERO)
    with deploy_reverts(project.Pool, "TierCount", 9, 2, 8):
        stranger.deploy(project.Pool, system.token, t * 3, default_profile(9), admin, ZERO)


def test_constructor__tier_over_other_asset__reverts(
    project, system, make_token, deploy_tiers, admin, stranger
):
    [foreign] = deploy_tiers(make_token(18), 1)
    with deploy_reverts(project.Pool, "TierAssetMismatch", 1, foreign.asset()):
        stranger.deploy(project.Pool, system.token, [system.tiers[0], foreign], [BPS, 0], admin, ZERO)


def test_constructor__duplicate_tier__reverts(project, system, admin, stranger):
    t = system.tiers
    with deploy_reverts(project.Pool, "DuplicateTier", 2):
        stranger.deploy(project.Pool, system.token, [t[0], t[1], t[0]], [BPS, 0, 0], admin, ZERO)


def test_constructor__bad_default_profile__reverts(project, system, admin, stranger):
    t = system.tiers
    with deploy_reverts(project.Pool, "ProfileSum", BPS - 1):
        stranger.deploy(project.Pool, system.token, t, [BPS - 1, 0, 0], admin, ZERO)
    with deploy_reverts(project.Pool, "ProfileLength", 2, 3):
        stranger.deploy(project.Pool, system.token, t, [BPS, 0], admin, ZERO)


def test_constructor__zero_admin__reverts(project, system, admin, stranger):
    with deploy_reverts(project.Pool, "OwnableInvalidOwner", ZERO):
        stranger.deploy(project.Pool, system.token, system.tiers, [BPS, 0, 0], ZERO, ZERO)


def test_constructor__emits_default_profile(project, system, admin):
    pool = admin.deploy(project.Pool, system.token, system.tiers, [0, BPS, 0], admin, ZERO)
    [event] = pool.DefaultProfileSet.from_receipt(pool.creation_metadata.receipt)
    assert list(event.weightsBps) == [0, BPS, 0]


def test_max_batch__shrinks_with_tier_count__so_a_full_batch_fits_a_block(project, system, admin, stranger):
    """Every entry of a batch may be split across every tier: the credit budget is shared by the tiers."""
    budget = system.pool.MAX_CREDITS_PER_BATCH()
    assert budget == 1_000
    assert system.pool.MAX_BATCH() == budget // 3 == 333
    two = stranger.deploy(project.Pool, system.token, system.tiers[:2], [BPS, 0], admin, ZERO)
    assert two.MAX_BATCH() == 500
