"""credit / creditMany: a trusted depositor (the Pool) transfers the assets to the vault first, then the vault
credits the receivers and checks that its balance covers the new idle (measure, don't trust). The batch
mint writes Solady ERC20's documented storage directly (lean loop): its layout is pinned here."""

from typing import Any

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from vaultlib import OFFSET, UNIT

ZERO = "0x" + "00" * 20


@pytest.fixture
def depositor(vault: Any, token: Any, admin: Any, platform: Any) -> Any:
    """`platform` holds the trusted-depositor role and 1,000 units of the asset (no approval needed)."""
    vault.grantRole(vault.DEPOSITOR_ROLE(), platform, sender=admin)
    token.mint(platform, 1_000 * UNIT, sender=platform)
    return platform


def test_credit_many__after_transfer__mints_at_one_price_and_books_idle(
    vault: Any, token: Any, depositor: Any, alice, bob, carol
) -> None:
    token.transfer(vault, 3 * UNIT + 3, sender=depositor)
    tx = vault.creditMany([alice, bob, carol], [UNIT, 2 * UNIT, 3], sender=depositor)
    assert [vault.balanceOf(x) for x in (alice, bob, carol)] == [UNIT * OFFSET, 2 * UNIT * OFFSET, 3 * OFFSET]
    assert vault.totalSupply() == (3 * UNIT + 3) * OFFSET == tx.return_value
    assert vault.idle() == token.balanceOf(vault) == 3 * UNIT + 3
    [batch] = vault.DepositMany.from_receipt(tx)
    assert (batch.caller, batch.count, batch.totalAssets) == (depositor, 3, 3 * UNIT + 3)
    mints = [(e.to, e.amount) for e in vault.Transfer.from_receipt(tx) if e["from"] == ZERO]
    assert mints == [
        (alice.address, UNIT * OFFSET),
        (bob.address, 2 * UNIT * OFFSET),
        (carol.address, 3 * OFFSET),
    ]
    assert vault.Deposit.from_receipt(tx) == []


def test_credit_many__after_profit__uses_the_deposit_price(
    vault: Any, token: Any, fund, depositor: Any, alice, bob
) -> None:
    fund(vault, alice, 10 * UNIT)
    vault.deposit(10 * UNIT, alice, sender=alice)
    expected = vault.previewDeposit(7 * UNIT)
    token.transfer(vault, 14 * UNIT, sender=depositor)
    vault.creditMany([bob, bob], [7 * UNIT, 7 * UNIT], sender=depositor)
    assert vault.balanceOf(bob) == 2 * expected


def test_credit_many__credited_shares_are_ordinary_erc20_balances(
    vault: Any, token: Any, depositor: Any, alice, bob
) -> None:
    token.transfer(vault, 2 * UNIT, sender=depositor)
    vault.creditMany([alice], [2 * UNIT], sender=depositor)
    vault.transfer(bob, UNIT * OFFSET, sender=alice)
    assets = vault.redeem(vault.balanceOf(bob), bob, bob, sender=bob).return_value
    assert assets == UNIT == token.balanceOf(bob)
    assert vault.totalSupply() == vault.balanceOf(alice) == UNIT * OFFSET


def test_lean_mint__storage_layout__matches_solady_erc20(
    chain: Any, vault: Any, token: Any, depositor: Any, alice
) -> None:
    """The batch mint writes where Solady ERC20 documents its storage: balance slot
    keccak256(owner ‖ 8 zero bytes ‖ 0x87a211a2), totalSupply at 0x05345cdf77eb68f44c."""
    token.transfer(vault, UNIT, sender=depositor)
    vault.creditMany([alice], [UNIT], sender=depositor)
    seed = bytes.fromhex("87a211a2")
    balance_slot = int.from_bytes(keccak(bytes.fromhex(alice.address[2:]) + b"\x00" * 8 + seed), "big")
    assert (
        int.from_bytes(chain.provider.get_storage(vault.address, balance_slot), "big")
        == vault.balanceOf(alice)
        > 0
    )
    supply_slot = 0x05345CDF77EB68F44C
    assert (
        int.from_bytes(chain.provider.get_storage(vault.address, supply_slot), "big")
        == vault.totalSupply()
        > 0
    )


def test_credit_many__without_transfer__reverts_transfer_shortfall(vault: Any, depositor: Any, alice) -> None:
    with ape.reverts(vault.TransferShortfall, expected=UNIT, received=0):
        vault.creditMany([alice], [UNIT], sender=depositor)


def test_credit_many__partial_transfer__reverts_with_what_arrived(
    vault: Any, token: Any, depositor: Any, alice, bob
) -> None:
    token.transfer(vault, UNIT, sender=depositor)
    with ape.reverts(vault.TransferShortfall, expected=2 * UNIT, received=UNIT):
        vault.creditMany([alice, bob], [UNIT, UNIT], sender=depositor)
    assert vault.totalSupply() == 0 and vault.idle() == 0


def test_credit_many__booked_assets_cannot_be_credited_twice(
    vault: Any, token: Any, depositor: Any, alice
) -> None:
    token.transfer(vault, UNIT, sender=depositor)
    vault.creditMany([alice], [UNIT], sender=depositor)
    with ape.reverts(vault.TransferShortfall, expected=UNIT, received=0):
        vault.creditMany([alice], [UNIT], sender=depositor)


def test_credit_many__without_depositor_role__reverts(vault: Any, token: Any, stranger, alice) -> None:
    token.mint(stranger, UNIT, sender=stranger)
    token.transfer(vault, UNIT, sender=stranger)
    with ape.reverts(
        vault.AccessControlUnauthorizedAccount, account=stranger, neededRole=vault.DEPOSITOR_ROLE()
    ):
        vault.creditMany([alice], [UNIT], sender=stranger)


def test_credit_many__bad_batches__revert_with_the_entry(
    vault: Any, token: Any, depositor: Any, alice, bob
) -> None:
    token.transfer(vault, 10 * UNIT, sender=depositor)
    with ape.reverts(vault.EmptyBatch):
        vault.creditMany([], [], sender=depositor)
    with ape.reverts(vault.LengthMismatch, receivers=2, assets=1):
        vault.creditMany([alice, bob], [UNIT], sender=depositor)
    with ape.reverts(vault.ZeroReceiver, index=1):
        vault.creditMany([alice, ZERO], [UNIT, UNIT], sender=depositor)
    with ape.reverts(vault.ZeroAmountAt, index=1):
        vault.creditMany([alice, bob], [UNIT, 0], sender=depositor)
    room = vault.maxDeposit(alice)
    with ape.reverts(vault.ERC4626ExceededMaxDeposit, receiver=depositor, assets=2**128, max=room):
        vault.creditMany([alice], [2**128], sender=depositor)


def test_credit_many__receiver_word_with_dirty_high_bits__reverts_zero_receiver(
    chain: Any, vault: Any, token: Any, depositor: Any, alice
) -> None:
    """The loop reads calldata raw: an address word with bits above 160 set must not mint to its low bits."""
    token.transfer(vault, UNIT, sender=depositor)
    dirty = (1 << 200) | int(alice.address, 16)
    selector = keccak(text="creditMany(address[],uint256[])")[:4]
    data = selector + encode(["uint256[]", "uint256[]"], [[dirty], [UNIT]])
    expected = keccak(text="ZeroReceiver(uint256)")[:4] + encode(["uint256"], [0])
    call = {"from": depositor.address, "to": vault.address, "data": "0x" + data.hex()}
    with pytest.raises(Exception) as info:
        chain.provider.web3.eth.call(call)
    assert getattr(info.value, "data", None) == "0x" + expected.hex()


def test_credit_many__dust_worth_no_share__reverts_zero_shares(
    vault: Any, token: Any, fund, depositor: Any, alice, bob, make_strategy, add_strategy, allocator, admin
) -> None:
    # A share worth more than 1 asset unit (as in the depositMany test): a huge reported gain, no unlock.
    vault.setProfitUnlockTime(0, sender=admin)
    fund(vault, alice, 1)
    vault.deposit(1, alice, sender=alice)
    strategy = make_strategy(vault, kind="lossy")
    add_strategy(vault, strategy, target_bps=10_000)
    vault.allocate(sender=allocator)
    token.mint(strategy, 10**13, sender=alice)
    vault.report(strategy, sender=allocator)
    assert vault.previewDeposit(1) == 0
    token.transfer(vault, UNIT + 1, sender=depositor)
    with ape.reverts(vault.ZeroSharesAt, index=1, assets=1):
        vault.creditMany([alice, bob], [UNIT, 1], sender=depositor)


def test_credit_many__paused__reverts_deposits_paused(
    vault: Any, token: Any, guardian, depositor: Any, alice
) -> None:
    token.transfer(vault, UNIT, sender=depositor)
    vault.pauseDeposits(sender=guardian)
    with ape.reverts(vault.DepositsPaused):
        vault.creditMany([alice], [UNIT], sender=depositor)
    with ape.reverts(vault.DepositsPaused):
        vault.credit(alice, UNIT, sender=depositor)


def test_credit__after_transfer__mints_like_deposit_with_one_transfer_log_and_no_deposit_event(
    vault: Any, token: Any, fund, depositor: Any, alice, bob
) -> None:
    fund(vault, alice, 5 * UNIT)
    vault.deposit(5 * UNIT, alice, sender=alice)
    expected = vault.previewDeposit(3 * UNIT)
    supply = vault.totalSupply()
    token.transfer(vault, 3 * UNIT, sender=depositor)
    tx = vault.credit(bob, 3 * UNIT, sender=depositor)
    assert tx.return_value == expected == vault.balanceOf(bob)
    assert vault.totalSupply() == supply + expected
    assert vault.idle() == 8 * UNIT
    [mint] = vault.Transfer.from_receipt(tx)
    assert (mint.event_arguments["from"], mint.to, mint.amount) == (ZERO, bob.address, expected)
    # not an ERC-4626 deposit: the pool's Paid and the asset transfer into the vault carry the assets
    assert vault.Deposit.from_receipt(tx) == []


def test_credit__zero_receiver__reverts_zero_address(vault: Any, token: Any, depositor: Any) -> None:
    token.transfer(vault, UNIT, sender=depositor)
    with ape.reverts(vault.ZeroAddress):
        vault.credit(ZERO, UNIT, sender=depositor)


def test_credit__without_transfer__reverts_transfer_shortfall(vault: Any, depositor: Any, alice) -> None:
    with ape.reverts(vault.TransferShortfall, expected=UNIT, received=0):
        vault.credit(alice, UNIT, sender=depositor)


def test_credit__zero__reverts_zero_amount(vault: Any, depositor: Any, alice) -> None:
    with ape.reverts(vault.ZeroAmount):
        vault.credit(alice, 0, sender=depositor)


def test_credit__without_depositor_role__reverts(vault: Any, stranger, alice) -> None:
    with ape.reverts(
        vault.AccessControlUnauthorizedAccount, account=stranger, neededRole=vault.DEPOSITOR_ROLE()
    ):
        vault.credit(alice, UNIT, sender=stranger)


def test_deposit__donation_in_the_vault__is_not_credited_to_the_depositor(
    vault: Any, token: Any, fund, alice, bob
) -> None:
    """The single balance check (balance ≥ new idle) never books a donation: idle grows by `assets` only."""
    fund(vault, alice, UNIT)
    token.mint(vault, 5 * UNIT, sender=bob)
    vault.deposit(UNIT, alice, sender=alice)
    assert vault.idle() == UNIT
    assert vault.balanceOf(alice) == UNIT * OFFSET


def test_credit_many__amount_beyond_the_fast_path__priced_by_muldiv_like_deposit(
    vault: Any, token: Any, fund, depositor: Any, alice, bob
) -> None:
    """Above 2**256 / (supply + 10**6) the loop leaves its Yul fast path for mulDiv: same floor price."""
    big = 2**110  # supply becomes ~2**130 shares, so the fast path stops at ~2**126 assets
    fund(vault, alice, big)
    vault.deposit(big, alice, sender=alice)
    amount = 2**127
    expected = vault.previewDeposit(amount)
    token.mint(depositor, amount, sender=depositor)
    token.transfer(vault, amount + UNIT, sender=depositor)
    vault.creditMany([bob, alice], [amount, UNIT], sender=depositor)
    assert vault.balanceOf(bob) == expected > 0
    assert vault.idle() == big + amount + UNIT
