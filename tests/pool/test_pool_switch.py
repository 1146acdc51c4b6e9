"""switchTier: redeem from one tier and deposit into another for the caller, in one transaction."""

import ape
import pytest
from pool_helpers import MAX_UINT, sign_permit, source

SRC = source("switch")
ONE = 10**18


@pytest.fixture
def funded(system, platform, alice):
    """alice holds ONE worth of tier-0 shares."""
    system.fund(platform, ONE)
    system.pool.pay(alice, ONE, SRC, sender=platform)
    return system


def test_switch_tier__all_shares__moves_holdings(funded, alice):
    s = funded
    shares = s.tiers[0].balanceOf(alice)
    s.tiers[0].approve(s.pool, shares, sender=alice)
    tx = s.pool.switchTier(0, 2, shares, 0, sender=alice)

    assert s.tiers[0].balanceOf(alice) == 0
    out = s.tiers[2].balanceOf(alice)
    assert out == s.tiers[2].convertToShares(ONE) > 0
    [event] = s.pool.TierSwitched.from_receipt(tx)
    assert (event.earner, event.fromTier, event.toTier) == (alice, 0, 2)
    assert (event.sharesIn, event.assets, event.sharesOut) == (shares, ONE, out)
    assert tx.return_value == out
    assert s.token.balanceOf(s.pool) == 0


def test_switch_tier__part_of_shares__keeps_the_rest(funded, alice):
    s = funded
    shares = s.tiers[0].balanceOf(alice)
    s.tiers[0].approve(s.pool, MAX_UINT, sender=alice)
    s.pool.switchTier(0, 1, shares // 4, 0, sender=alice)
    assert s.tiers[0].balanceOf(alice) == shares - shares // 4
    assert s.tiers[1].balanceOf(alice) == s.tiers[1].convertToShares(ONE // 4)


def test_switch_tier__below_min_shares_out__reverts_slippage(funded, alice):
    s = funded
    shares = s.tiers[0].balanceOf(alice)
    s.tiers[0].approve(s.pool, shares, sender=alice)
    out = s.tiers[2].previewDeposit(s.tiers[0].previewRedeem(shares))
    with ape.reverts(s.pool.Slippage, out=out, min=out + 1):
        s.pool.switchTier(0, 2, shares, out + 1, sender=alice)
    s.pool.switchTier(0, 2, shares, out, sender=alice)  # exactly the minimum passes
    assert s.tiers[2].balanceOf(alice) == out


def test_switch_tier__without_share_allowance__reverts(funded, alice):
    s = funded
    with ape.reverts(s.tiers[0].InsufficientAllowance):
        s.pool.switchTier(0, 1, s.tiers[0].balanceOf(alice), 0, sender=alice)


def test_switch_tier__someone_elses_allowance_cannot_move_their_shares(funded, alice, stranger):
    s = funded
    s.tiers[0].approve(s.pool, MAX_UINT, sender=alice)
    # the pool redeems from msg.sender only: a stranger moves nothing of alice's
    with ape.reverts():
        s.pool.switchTier(0, 1, 1, 0, sender=stranger)
    assert s.tiers[1].balanceOf(alice) == 0


def test_switch_tier__bad_tiers_and_zero__revert(funded, alice):
    s = funded
    with ape.reverts(s.pool.UnknownTier, index=3):
        s.pool.switchTier(3, 0, 1, 0, sender=alice)
    with ape.reverts(s.pool.UnknownTier, index=3):
        s.pool.switchTier(0, 3, 1, 0, sender=alice)
    with ape.reverts(s.pool.SameTier, tier=1):
        s.pool.switchTier(1, 1, 1, 0, sender=alice)
    with ape.reverts(s.pool.ZeroAmount):
        s.pool.switchTier(0, 1, 0, 0, sender=alice)


def test_switch_tier__paused_target__reverts_tier_closed(funded, guardian, alice):
    s = funded
    s.tiers[0].approve(s.pool, MAX_UINT, sender=alice)
    s.tiers[2].pauseDeposits(sender=guardian)
    with ape.reverts(s.pool.TierClosed, tier=2):
        s.pool.switchTier(0, 2, s.tiers[0].balanceOf(alice), 0, sender=alice)


def test_switch_tier__paused_source__still_leaves(funded, guardian, alice):
    s = funded
    s.tiers[0].approve(s.pool, MAX_UINT, sender=alice)
    s.tiers[0].pauseDeposits(sender=guardian)
    s.pool.switchTier(0, 1, s.tiers[0].balanceOf(alice), 0, sender=alice)
    assert s.tiers[1].balanceOf(alice) == s.tiers[1].convertToShares(ONE)


def test_switch_tier_with_permit__no_prior_approve__moves(funded, chain, alice):
    s = funded
    shares = s.tiers[0].balanceOf(alice)
    deadline = chain.pending_timestamp + 3_600
    v, r, sig_s = sign_permit(s.tiers[0], alice, s.pool, shares, deadline, chain.chain_id)
    tx = s.pool.switchTierWithPermit(0, 1, shares, 0, deadline, v, r, sig_s, sender=alice)
    assert s.tiers[0].balanceOf(alice) == 0
    assert s.tiers[1].balanceOf(alice) == tx.return_value > 0


def test_switch_tier_with_permit__front_run_permit__still_moves(funded, chain, alice, stranger):
    s = funded
    shares = s.tiers[0].balanceOf(alice)
    deadline = chain.pending_timestamp + 3_600
    v, r, sig_s = sign_permit(s.tiers[0], alice, s.pool, shares, deadline, chain.chain_id)
    s.tiers[0].permit(alice, s.pool, shares, deadline, v, r, sig_s, sender=stranger)
    s.pool.switchTierWithPermit(0, 1, shares, 0, deadline, v, r, sig_s, sender=alice)
    assert s.tiers[0].balanceOf(alice) == 0


def test_switch_tier_with_permit__unknown_from_tier__reverts(funded, alice):
    s = funded
    with ape.reverts(s.pool.UnknownTier, index=7):
        s.pool.switchTierWithPermit(7, 0, 1, 0, 0, 27, b"\x00" * 32, b"\x00" * 32, sender=alice)
