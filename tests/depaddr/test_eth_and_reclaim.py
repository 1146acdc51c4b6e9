"""Native ETH at deposit addresses, and the earner's escape hatch for what Tributary cannot convert."""

from __future__ import annotations

import ape

ONE = 10**18
ADS = "ads"
ZERO = "0x" + "00" * 20


def test_sweep__eth_to_weth_pool_address_before_deployment__wrapped_and_credited(
    eth_dep, platform, alice, tag
):
    addr = eth_dep.address_of(alice, ADS)
    platform.transfer(addr, 2 * ONE)  # plain ETH, like a browser's reward payout
    tx = eth_dep.router.sweep(alice, tag(ADS), sender=platform)
    [paid] = eth_dep.pool.Paid.from_receipt(tx)
    assert (paid.earner, paid.amount) == (alice.address, 2 * ONE)
    assert eth_dep.assets(alice) == 2 * ONE
    assert ape.chain.provider.get_balance(addr) == 0


def test_sweep__eth_and_weth_after_deployment__both_credited(eth_dep, weth, platform, alice, tag):
    addr = eth_dep.address_of(alice, ADS)
    platform.transfer(addr, ONE)
    eth_dep.router.sweep(alice, tag(ADS), sender=platform)  # deploys the forwarder
    platform.transfer(addr, ONE)  # a plain call with gas: the deployed clone accepts it
    weth.deposit(value=3 * ONE, sender=platform)
    weth.transfer(addr, 3 * ONE, sender=platform)
    eth_dep.router.sweepMany(tag(ADS), [alice], sender=platform)
    assert eth_dep.assets(alice) == 5 * ONE


def test_reclaim__eth_of_a_weth_pool__refused_convertible(eth_dep, platform, alice, tag):
    eth_dep.token.deposit(value=ONE, sender=platform)
    platform.transfer(eth_dep.address_of(alice, ADS), ONE)
    with ape.reverts(eth_dep.router.Convertible, token=ZERO):
        eth_dep.router.reclaim(alice, tag(ADS), ZERO, sender=alice)


def test_sweep__eth_to_non_weth_pool_address__stays_until_the_earner_takes_it_back(dep, platform, alice, tag):
    addr = dep.address_of(alice, ADS)
    platform.transfer(addr, ONE)
    with ape.reverts(dep.router.NothingToSweep, depositAddress=addr):  # ETH is not this pool's asset
        dep.router.sweep(alice, tag(ADS), sender=platform)
    assert ape.chain.provider.get_balance(addr) == ONE
    before = ape.chain.provider.get_balance(alice.address)
    tx = dep.router.reclaim(alice, tag(ADS), ZERO, sender=alice)
    [ev] = dep.router.Reclaimed.from_receipt(tx)
    assert (ev.earner, ev.token, ev.amount) == (alice.address, ZERO, ONE)
    assert ape.chain.provider.get_balance(alice.address) == before + ONE - tx.total_fees_paid
    assert ape.chain.provider.get_balance(addr) == 0


def test_reclaim__by_anyone_but_the_earner__refused(project, dep, platform, alice, stranger, tag, admin):
    junk = admin.deploy(project.MockToken, "Junk", "JNK", 18)
    addr = dep.address_of(alice, ADS)
    junk.mint(addr, ONE, sender=platform)
    platform.transfer(addr, ONE)
    for caller in (stranger, admin, platform):  # not even the admin or the payer
        with ape.reverts(dep.router.NotEarner, caller=caller.address, earner=alice.address):
            dep.router.reclaim(alice, tag(ADS), junk, sender=caller)
        with ape.reverts(dep.router.NotEarner, caller=caller.address, earner=alice.address):
            dep.router.reclaim(alice, tag(ADS), ZERO, sender=caller)
    assert junk.balanceOf(addr) == ONE


def test_reclaim__unlisted_token__back_to_the_earner(project, dep, platform, alice, admin, tag):
    junk = admin.deploy(project.MockToken, "Junk", "JNK", 18)
    addr = dep.address_of(alice, ADS)
    junk.mint(addr, 7 * ONE, sender=platform)
    with ape.reverts(dep.router.NotListed, token=junk.address):  # unlisted: it waits
        dep.router.sweepToken(alice, tag(ADS), junk, sender=platform)
    tx = dep.router.reclaim(alice, tag(ADS), junk, sender=alice)
    assert dep.router.ForwarderDeployed.from_receipt(tx)  # the escape hatch deploys the forwarder if needed
    assert junk.balanceOf(alice) == 7 * ONE
    assert junk.balanceOf(addr) == 0


def test_reclaim__the_asset_or_a_listed_token__refused_convertible(
    dep, game, game_pool, platform, alice, tag
):
    dep.token.mint(dep.address_of(alice, ADS), ONE, sender=platform)
    game.mint(dep.address_of(alice, ADS), ONE, sender=platform)
    with ape.reverts(dep.router.Convertible, token=dep.token.address):
        dep.router.reclaim(alice, tag(ADS), dep.token, sender=alice)
    with ape.reverts(dep.router.Convertible, token=game.address):
        dep.router.reclaim(alice, tag(ADS), game, sender=alice)


def test_reclaim__nothing_there__reverts(project, dep, alice, admin, tag):
    junk = admin.deploy(project.MockToken, "Junk", "JNK", 18)
    with ape.reverts(dep.router.NothingToSweep, depositAddress=dep.address_of(alice, ADS)):
        dep.router.reclaim(alice, tag(ADS), junk, sender=alice)
