"""recover: the admin returns tokens sent to the pool by plain transfer; credited funds are out of reach."""

import ape
from pool_helpers import source

ONE = 10**18
ZERO = "0x" + "00" * 20


def test_recover__stray_asset__sent_to_recipient(system, admin, alice, bob):
    system.token.mint(alice, ONE, sender=alice)
    system.token.transfer(system.pool, ONE, sender=alice)  # a mistake: no earner to credit
    tx = system.pool.recover(system.token, alice, sender=admin)

    assert system.token.balanceOf(alice) == ONE
    assert system.token.balanceOf(system.pool) == 0
    [event] = system.pool.Recovered.from_receipt(tx)
    assert (event.token, event.to, event.amount) == (system.token, alice, ONE)


def test_recover__stray_asset__never_touches_credited_shares(system, admin, platform, alice, bob):
    system.fund(platform, 5 * ONE)
    system.pool.pay(bob, 4 * ONE, source("x"), sender=platform)
    system.token.transfer(system.pool, ONE, sender=platform)
    system.pool.recover(system.token, alice, sender=admin)
    assert system.token.balanceOf(alice) == ONE
    assert system.tiers[0].totalAssets() == 4 * ONE
    assert system.tiers[0].balanceOf(bob) == system.tiers[0].convertToShares(4 * ONE)


def test_pay__with_stray_balance_present__credits_only_the_payment(system, platform, alice):
    system.fund(platform, 3 * ONE)
    system.token.transfer(system.pool, ONE, sender=platform)
    system.pool.pay(alice, ONE, source("x"), sender=platform)
    assert system.tiers[0].totalAssets() == ONE
    assert system.token.balanceOf(system.pool) == ONE  # still recoverable, still unattributed


def test_recover__other_token(system, make_token, admin, alice):
    other = make_token(6)
    other.mint(system.pool, 123, sender=alice)
    system.pool.recover(other, alice, sender=admin)
    assert other.balanceOf(alice) == 123


def test_recover__native_eth(system, chain, admin, bob):
    chain.set_balance(system.pool.address, ONE)  # e.g. forced in by a selfdestruct
    before = bob.balance
    tx = system.pool.recover(ZERO, bob, sender=admin)
    assert bob.balance == before + ONE
    [event] = system.pool.Recovered.from_receipt(tx)
    assert (event.token, event.amount) == (ZERO, ONE)


def test_recover__nothing_to_recover__reverts(system, admin, alice):
    with ape.reverts(system.pool.ZeroAmount):
        system.pool.recover(system.token, alice, sender=admin)
    with ape.reverts(system.pool.ZeroAmount):
        system.pool.recover(ZERO, alice, sender=admin)


def test_recover__to_zero__reverts(system, admin):
    with ape.reverts(system.pool.ZeroRecipient):
        system.pool.recover(system.token, ZERO, sender=admin)


def test_recover__by_stranger__reverts(system, alice, stranger):
    system.token.mint(system.pool, ONE, sender=alice)
    with ape.reverts(system.pool.OwnableUnauthorizedAccount, account=stranger):
        system.pool.recover(system.token, stranger, sender=stranger)


def test_recover__eth_recipient_refuses__reverts(system, chain, admin):
    # MockToken has no receive(): it refuses ETH
    chain.set_balance(system.pool.address, ONE)
    with ape.reverts(system.pool.EthTransferFailed, to=system.token, amount=ONE):
        system.pool.recover(ZERO, system.token, sender=admin)
