"""The keeper's sweep step (tributary.sweep): discovery, threshold, plan, dry run, send, and who paid."""

from __future__ import annotations

import pytest

from tributary.chain import ApeSender
from tributary.errors import TributaryError
from tributary.sweep import SweepPolicy, deposit_payers, load_pairs, run_sweeps

ONE = 10**18


def _run(chain, project, dep, pairs, sender=None, tokens=(), min_amount=ONE // 10):
    return run_sweeps(
        chain.provider.web3,
        project,
        dep.router.address,
        pairs,
        SweepPolicy(min_amount),
        sender,
        tokens=tokens,
    )


def test_sweep_step__dry_run__plans_worthwhile_addresses_and_sends_nothing(
    chain, project, dep, game, game_pool, admin, platform, alice, bob, carol, tag
):
    junk = admin.deploy(project.MockToken, "Junk", "JNK", 18)
    dep.token.mint(platform, 10 * ONE, sender=platform)
    dep.token.transfer(dep.address_of(alice, "ads"), 3 * ONE, sender=platform)
    dep.token.transfer(dep.address_of(bob, "ads"), 2 * ONE, sender=platform)
    dep.token.transfer(dep.address_of(carol, "ads"), 1, sender=platform)  # dust: not worth the gas
    game.mint(dep.address_of(alice, "game"), 10 * ONE, sender=platform)
    junk.mint(dep.address_of(bob, "game"), ONE, sender=platform)  # unlisted: waits
    pairs = [(w.address, s) for w in (alice, bob, carol) for s in ("ads", "game")]
    run = _run(chain, project, dep, pairs, tokens=[game.address, junk.address])
    kinds = [(a.kind, a.earners) for a in run.actions]
    assert kinds == [("sweepMany", [alice.address, bob.address]), ("sweepToken", [alice.address])]
    reasons = sorted(why for _, why in run.skipped)
    assert reasons == ["below the sweep threshold", "token not listed: waits (or the earner reclaims it)"]
    assert not run.receipts
    assert dep.token.balanceOf(dep.address_of(alice, "ads")) == 3 * ONE  # nothing moved


def test_sweep_step__run__sweeps_then_a_rerun_finds_nothing(
    chain, project, dep, game, game_pool, platform, alice, bob, stranger
):
    dep.token.mint(dep.address_of(alice, "ads"), 3 * ONE, sender=platform)
    game.mint(dep.address_of(bob, "game"), 10 * ONE, sender=platform)
    pairs = [(alice.address, "ads"), (bob.address, "game")]
    run = _run(chain, project, dep, pairs, ApeSender(stranger), tokens=[game.address])
    assert len(run.receipts) == 2 and not run.failed
    assert dep.assets(alice) == 3 * ONE
    assert dep.assets(bob) >= dep.router.minAmountOut(game, 10 * ONE) - 3
    again = _run(chain, project, dep, pairs, ApeSender(stranger), tokens=[game.address])
    assert not again.actions and not again.receipts


def test_sweep_step__listed_tokens_found_from_the_router_events(
    chain, project, dep, game, game_pool, platform, alice
):
    game.mint(dep.address_of(alice, "game"), 10 * ONE, sender=platform)
    run = _run(chain, project, dep, [(alice.address, "game")])  # no token list: RouteListed events
    assert [a.kind for a in run.actions] == ["sweepToken"]


def test_deposit_payers__plain_transfers__name_the_platform(chain, dep, platform, alice, tag):
    dep.token.mint(platform, 5 * ONE, sender=platform)
    dep.token.transfer(dep.address_of(alice, "ads"), 5 * ONE, sender=platform)
    [paid] = deposit_payers(
        chain.provider.web3, dep.router.address, alice.address, ["ads"], [dep.token.address]
    )
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (
        platform.address,
        alice.address,
        tag("ads"),
        5 * ONE,
    )


def test_load_pairs__bad_line__one_line_error(tmp_path, alice):
    good = tmp_path / "pairs.csv"
    good.write_text(f"# earner,source\n{alice.address}, ads\n\n")
    assert load_pairs(good) == [(alice.address, "ads")]
    bad = tmp_path / "bad.csv"
    bad.write_text("not-an-address,ads\n")
    with pytest.raises(TributaryError, match=r"^Error: .*bad.csv:1: expected `earner,source`"):
        load_pairs(bad)
