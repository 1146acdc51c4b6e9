"""depositMany: one pull, one price, one batch event plus one Transfer per receiver."""

from typing import Any

import ape
import pytest
from vaultlib import OFFSET, UNIT


@pytest.fixture
def paid(vault: Any, fund: Any, platform: Any) -> Any:
    fund(vault, platform, 1_000 * UNIT)
    return vault


def test_deposit_many__mints_each_receiver_at_one_price(
    paid: Any, token: Any, platform, alice, bob, carol
) -> None:
    tx = paid.depositMany([alice, bob, carol], [UNIT, 2 * UNIT, 3], sender=platform)
    assert paid.balanceOf(alice) == UNIT * OFFSET
    assert paid.balanceOf(bob) == 2 * UNIT * OFFSET
    assert paid.balanceOf(carol) == 3 * OFFSET
    assert paid.idle() == 2 * UNIT + UNIT + 3
    assert token.balanceOf(paid) == 3 * UNIT + 3
    assert tx.return_value == [UNIT * OFFSET, 2 * UNIT * OFFSET, 3 * OFFSET]


def test_deposit_many__emits_one_batch_event_and_a_transfer_per_receiver(
    paid: Any, platform, alice, bob
) -> None:
    tx = paid.depositMany([alice, bob], [UNIT, UNIT], sender=platform)
    [batch] = paid.DepositMany.from_receipt(tx)
    assert batch.caller == platform
    assert batch.count == 2 and batch.totalAssets == 2 * UNIT and batch.totalShares == 2 * UNIT * OFFSET
    mints = [e for e in paid.Transfer.from_receipt(tx) if e["from"] == ape.utils.ZERO_ADDRESS]
    assert [(m.to, m.amount) for m in mints] == [(alice.address, UNIT * OFFSET), (bob.address, UNIT * OFFSET)]
    assert paid.Deposit.from_receipt(tx) == []


def test_deposit_many__after_profit__uses_the_pre_batch_price_for_everyone(
    paid: Any, token: Any, fund, alice, bob, carol, platform
) -> None:
    fund(paid, alice, 10 * UNIT)
    paid.deposit(10 * UNIT, alice, sender=alice)
    supply, assets = paid.totalSupply(), paid.totalAssets()
    tx = paid.depositMany([bob, carol], [7 * UNIT, 7 * UNIT], sender=platform)
    expected = 7 * UNIT * (supply + OFFSET) // (assets + 1)
    assert paid.balanceOf(bob) == paid.balanceOf(carol) == expected
    assert tx.return_value == [expected, expected]


def test_deposit_many__same_receiver_twice__accumulates(paid: Any, platform, alice) -> None:
    paid.depositMany([alice, alice], [UNIT, UNIT], sender=platform)
    assert paid.balanceOf(alice) == 2 * UNIT * OFFSET


def test_deposit_many__empty__reverts_empty_batch(paid: Any, platform) -> None:
    with ape.reverts(paid.EmptyBatch):
        paid.depositMany([], [], sender=platform)


def test_deposit_many__length_mismatch__reverts_with_both_lengths(paid: Any, platform, alice, bob) -> None:
    with ape.reverts(paid.LengthMismatch, receivers=2, assets=1):
        paid.depositMany([alice, bob], [UNIT], sender=platform)


def test_deposit_many__zero_receiver__reverts_with_index(paid: Any, platform, alice) -> None:
    with ape.reverts(paid.ZeroReceiver, index=1):
        paid.depositMany([alice, ape.utils.ZERO_ADDRESS], [UNIT, UNIT], sender=platform)


def test_deposit_many__zero_amount__reverts_with_index(paid: Any, platform, alice, bob) -> None:
    with ape.reverts(paid.ZeroAmountAt, index=1):
        paid.depositMany([alice, bob], [UNIT, 0], sender=platform)


def test_deposit_many__dust_worth_no_share__reverts_zero_shares(
    paid: Any, token: Any, fund, alice, bob, platform, make_strategy, add_strategy, allocator, chain
) -> None:
    # Price a share above 1 wei: one share unit costs > 1 asset unit only once assets/supply > 1,
    # i.e. after a big gain. A report of 2 * 10**6 x profit with no unlock time does it.
    paid.setProfitUnlockTime(0, sender=ape.accounts.test_accounts[0])
    fund(paid, alice, 1)
    paid.deposit(1, alice, sender=alice)
    strategy = make_strategy(paid, kind="lossy")
    add_strategy(paid, strategy, target_bps=10_000)
    paid.allocate(sender=allocator)
    token.mint(strategy, 10**13, sender=alice)
    paid.report(strategy, sender=allocator)
    assert paid.previewDeposit(1) == 0
    with ape.reverts(paid.ZeroSharesAt, index=1, assets=1):
        paid.depositMany([alice, bob], [UNIT, 1], sender=platform)


def test_deposit_many__when_paused__reverts(paid: Any, guardian, platform, alice) -> None:
    paid.pauseDeposits(sender=guardian)
    with ape.reverts(paid.DepositsPaused):
        paid.depositMany([alice], [UNIT], sender=platform)


def test_deposit_many__after_shutdown__reverts(paid: Any, guardian, platform, alice) -> None:
    paid.shutdown(sender=guardian)
    with ape.reverts(paid.VaultShutdown):
        paid.depositMany([alice], [UNIT], sender=platform)


def test_deposit_many__fee_on_transfer_asset__reverts_transfer_shortfall(
    project: Any, make_vault, admin, platform, alice
) -> None:
    skim = admin.deploy(project.SkimmingToken, 100)  # 1 % burnt on every transfer
    vault = make_vault(asset=skim)
    skim.mint(platform, 100 * UNIT, sender=platform)
    skim.approve(vault, 100 * UNIT, sender=platform)
    with ape.reverts(vault.TransferShortfall, expected=10 * UNIT, received=10 * UNIT * 99 // 100):
        vault.depositMany([alice], [10 * UNIT], sender=platform)
    with ape.reverts(vault.TransferShortfall):
        vault.deposit(10 * UNIT, alice, sender=platform)


def test_deposit_many__without_allowance__reverts_and_credits_nobody(
    vault: Any, token, platform, alice
) -> None:
    token.mint(platform, UNIT, sender=platform)
    with ape.reverts():
        vault.depositMany([alice], [UNIT], sender=platform)
    assert vault.balanceOf(alice) == 0
