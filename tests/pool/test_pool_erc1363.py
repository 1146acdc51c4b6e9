"""ERC-1363: a wallet pays with one transferAndCall; data empty (credit the sender) or (earner, source)."""

import ape
from eth_abi import encode
from pool_helpers import BPS, deposited, source

SRC = source("tips")
ONE = 10**18


def test_transfer_and_call__empty_data__credits_sender(system, alice):
    system.token.mint(alice, ONE, sender=alice)
    tx = system.token.transferAndCall(system.pool, ONE, sender=alice)

    assert deposited(tx, system.tiers, alice) == [ONE, 0, 0]
    [paid] = system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (alice, alice, source("erc1363"), ONE)
    assert system.pool.SOURCE_ERC1363() == source("erc1363")
    assert system.token.balanceOf(system.pool) == 0


def test_transfer_and_call__earner_and_source__credits_earner_by_profile(system, alice, bob):
    system.pool.setProfile([0, 2_500, 7_500], sender=bob)
    system.token.mint(alice, 4 * ONE, sender=alice)
    data = encode(["address", "bytes32"], [bob.address, SRC])
    tx = system.token.transferAndCall(system.pool, 4 * ONE, data, sender=alice)

    assert deposited(tx, system.tiers, bob) == [0, ONE, 3 * ONE]
    [paid] = system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (alice, bob, SRC, 4 * ONE)


def test_transfer_from_and_call__operator__payer_is_token_owner(system, platform, alice, bob):
    system.token.mint(alice, ONE, sender=alice)
    system.token.approve(platform, ONE, sender=alice)
    data = encode(["address", "bytes32"], [bob.address, SRC])
    tx = system.token.transferFromAndCall(alice, system.pool, ONE, data, sender=platform)
    [paid] = system.pool.Paid.from_receipt(tx)
    assert (paid.payer, paid.earner) == (alice, bob)
    assert deposited(tx, system.tiers, bob) == [ONE, 0, 0]


def test_on_transfer_received__not_from_asset__reverts(system, stranger, alice):
    with ape.reverts(system.pool.NotAsset, caller=stranger):
        system.pool.onTransferReceived(stranger, stranger, ONE, b"", sender=stranger)


def test_transfer_and_call__malformed_data__reverts(system, alice):
    system.token.mint(alice, ONE, sender=alice)
    with ape.reverts(system.pool.BadTransferData, length=32):
        system.token.transferAndCall(system.pool, ONE, b"\x01" * 32, sender=alice)
    assert system.token.balanceOf(alice) == ONE


def test_transfer_and_call__zero_earner__reverts(system, alice):
    system.token.mint(alice, ONE, sender=alice)
    data = encode(["address", "bytes32"], ["0x" + "00" * 20, SRC])
    with ape.reverts(system.pool.ZeroEarner, index=0):
        system.token.transferAndCall(system.pool, ONE, data, sender=alice)


def test_transfer_and_call__zero_value__reverts(system, alice):
    with ape.reverts(system.pool.ZeroAmount):
        system.token.transferAndCall(system.pool, 0, sender=alice)


def test_transfer_and_call__fee_on_transfer__reverts_shortfall(project, make_system, admin, alice):
    fot = admin.deploy(project.FeeOnTransferToken, 100)
    s = make_system(token=fot)
    fot.mint(alice, ONE, sender=alice)
    with ape.reverts(s.pool.TransferShortfall, expected=ONE, received=ONE - ONE // 100):
        fot.transferAndCall(s.pool, ONE, sender=alice)


def test_transfer_and_call__paused_tier__reroutes_to_lower_ceiling(system, guardian, alice):
    system.pool.setProfile([0, BPS, 0], sender=alice)
    system.tiers[1].pauseDeposits(sender=guardian)
    system.token.mint(alice, ONE, sender=alice)
    tx = system.token.transferAndCall(system.pool, ONE, sender=alice)
    assert [(e.fromTier, e.toTier) for e in system.pool.TierRerouted.from_receipt(tx)] == [(1, 0)]
    assert system.assets(alice) == [ONE, 0, 0]
    assert system.token.balanceOf(system.pool) == 0
