"""Native ETH when the asset is WETH: payETH and a plain transfer to the pool."""

import ape
from pool_helpers import BPS, deposited, source

SRC = source("cpu")
ONE = 10**18


def test_pay_eth__wraps_and_credits_earner(eth_system, weth, alice, bob):
    tx = eth_system.pool.payETH(bob, SRC, value=ONE, sender=alice)

    assert deposited(tx, eth_system.tiers, bob) == [ONE, 0, 0]
    [paid] = eth_system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (alice, bob, SRC, ONE)
    assert eth_system.pool.balance == 0
    assert weth.balanceOf(eth_system.pool) == 0
    assert weth.balanceOf(eth_system.tiers[0]) == ONE


def test_pay_eth__split_profile__odd_wei(eth_system, alice, bob):
    eth_system.pool.setProfile([3_000, 3_000, 4_000], sender=bob)
    tx = eth_system.pool.payETH(bob, SRC, value=1_000_003, sender=alice)
    assert deposited(tx, eth_system.tiers, bob) == [300_000, 300_000, 400_003]


def test_receive__plain_transfer__credits_sender_by_profile(eth_system, alice):
    eth_system.pool.setProfile([0, 0, BPS], sender=alice)
    tx = alice.transfer(eth_system.pool, ONE)

    assert eth_system.tiers[2].balanceOf(alice) == eth_system.tiers[2].convertToShares(ONE)
    [paid] = eth_system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (alice, alice, source("eth"), ONE)
    assert eth_system.pool.SOURCE_ETH() == source("eth")
    assert eth_system.pool.balance == 0


def test_pay_eth__zero_value__reverts(eth_system, alice, bob):
    with ape.reverts(eth_system.pool.ZeroAmount):
        eth_system.pool.payETH(bob, SRC, value=0, sender=alice)


def test_pay_eth__zero_earner__reverts(eth_system, alice):
    with ape.reverts(eth_system.pool.ZeroEarner, index=0):
        eth_system.pool.payETH("0x" + "00" * 20, SRC, value=ONE, sender=alice)


def test_pay_eth__asset_not_weth__reverts(system, alice, bob):
    with ape.reverts(system.pool.NotWETH):
        system.pool.payETH(bob, SRC, value=ONE, sender=alice)
    with ape.reverts(system.pool.NotWETH):
        alice.transfer(system.pool, ONE, gas=200_000)


def test_pay_eth__weth_configured_but_asset_differs__reverts(make_system, weth, alice, bob):
    s = make_system(weth=weth)  # asset is a MockToken, weth given: ETH still refused
    assert s.pool.weth() == weth.address
    with ape.reverts(s.pool.NotWETH):
        s.pool.payETH(bob, SRC, value=ONE, sender=alice)


def test_pay_eth__paused_tier_without_fallback__returns_the_eth(eth_system, weth, guardian, alice, bob):
    eth_system.tiers[0].pauseDeposits(sender=guardian)
    before = alice.balance
    tx = eth_system.pool.payETH(bob, SRC, value=ONE, sender=alice, gas=1_000_000)
    assert before - alice.balance == tx.total_fees_paid  # the ETH came back; only gas was spent
    assert [(e.earner, e.tier, e.amount) for e in eth_system.pool.PaymentSkipped.from_receipt(tx)] == [
        (bob.address, 0, ONE)
    ]
    assert eth_system.pool.balance == 0
    assert weth.balanceOf(eth_system.pool) == 0
    assert eth_system.shares(bob) == [0, 0, 0]
