"""Donation / inflation attack on the first deposit, for 18- and 6-decimal assets.

A direct transfer to the vault is not counted at all (idle is book-kept); a donation routed through a
strategy is counted only after report + unlock, and the 10**6 virtual shares make it cost the attacker
far more than the victim could lose."""

from typing import Any

import pytest
from vaultlib import WEEK, warp


@pytest.mark.parametrize("asset_decimals", [18, 6], ids=["18dec", "6dec"])
def test_donation_to_vault__is_ignored_and_victim_keeps_everything(
    make_vault: Any, token_of, asset_decimals: int, alice, bob
) -> None:
    vault = make_vault(decimals=asset_decimals)
    token = token_of(vault)
    unit = 10**asset_decimals
    attacker, victim = alice, bob
    token.mint(attacker, 1_000 * unit + 1, sender=attacker)
    token.approve(vault, 1, sender=attacker)
    vault.deposit(1, attacker, sender=attacker)
    token.transfer(vault, 1_000 * unit, sender=attacker)  # the donation
    assert vault.totalAssets() == 1
    token.mint(victim, 10 * unit, sender=victim)
    token.approve(vault, 10 * unit, sender=victim)
    vault.deposit(10 * unit, victim, sender=victim)
    vault.redeem(vault.balanceOf(victim), victim, victim, sender=victim)
    assert token.balanceOf(victim) == 10 * unit
    vault.redeem(vault.balanceOf(attacker), attacker, attacker, sender=attacker)
    assert token.balanceOf(attacker) <= 1  # the donation is lost to the attacker


@pytest.mark.parametrize("asset_decimals", [18, 6], ids=["18dec", "6dec"])
def test_donation_through_strategy__costs_attacker_more_than_victim_loses(
    make_vault: Any, make_strategy, add_strategy, token_of, asset_decimals: int, alice, bob, allocator, chain
) -> None:
    vault = make_vault(decimals=asset_decimals)
    token = token_of(vault)
    unit = 10**asset_decimals
    attacker, victim = alice, bob
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    donation, deposit = 1_000 * unit, 10 * unit
    token.mint(attacker, donation + 1, sender=attacker)
    token.approve(vault, 1, sender=attacker)
    vault.deposit(1, attacker, sender=attacker)
    vault.allocate(sender=allocator)
    token.transfer(strategy, donation, sender=attacker)
    vault.report(strategy, sender=allocator)
    warp(chain, WEEK)  # the "profit" is fully unlocked: the worst case for the victim
    token.mint(victim, deposit, sender=victim)
    token.approve(vault, deposit, sender=victim)
    vault.deposit(deposit, victim, sender=victim)
    victim_value = vault.convertToAssets(vault.balanceOf(victim))
    attacker_value = vault.convertToAssets(vault.balanceOf(attacker))
    victim_loss = deposit - victim_value
    attacker_gain = attacker_value - (donation + 1)
    assert attacker_gain < 0
    assert victim_loss <= -attacker_gain // 10**5  # stealing X costs the attacker ~10**6 X
