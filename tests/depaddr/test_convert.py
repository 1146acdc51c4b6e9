"""Any token in: a listed token at a deposit address is converted into the asset on a real Uniswap V3 pool
(npm artifacts) at no less than the TWAP quote minus the maximum slippage, then credited."""

from __future__ import annotations

import ape
import pytest
from conftest import DAY, GAME_PRICE, LISTING_DELAY, MAX_SLIPPAGE_BPS, TWAP_WINDOW
from eth_abi import encode
from eth_utils import keccak
from uniswap_v3 import FEE

ONE = 10**18
GAMES = "game"
ZERO = "0x" + "00" * 20


def test_sweep_token__listed_token__converted_at_twap_bound_and_credited(
    dep, game, game_pool, platform, alice, tag
):
    addr = dep.address_of(alice, GAMES)
    game.mint(addr, 100 * ONE, sender=platform)  # a game pays in its own token
    quote = 100 * ONE * GAME_PRICE
    min_out = dep.router.minAmountOut(game, 100 * ONE)
    assert min_out == pytest.approx(quote * (10_000 - MAX_SLIPPAGE_BPS) / 10_000, rel=1e-4)
    tx = dep.router.sweepToken(alice, tag(GAMES), game, sender=platform)
    [conv] = dep.router.Converted.from_receipt(tx)
    [paid] = dep.pool.Paid.from_receipt(tx)
    assert conv.amountIn == 100 * ONE and conv.minOut == min_out
    assert conv.amountOut >= min_out
    assert conv.amountOut == pytest.approx(quote * 0.997, rel=1e-3)  # 0.3 % pool fee, deep pool
    assert (paid.payer, paid.earner, paid.source, paid.amount) == (
        dep.router.address,
        alice.address,
        tag(GAMES),
        conv.amountOut,
    )
    assert dep.assets(alice) == conv.amountOut
    assert (
        game.balanceOf(addr) == 0 and game.balanceOf(dep.router) == 0 and dep.token.balanceOf(dep.router) == 0
    )


def test_sweep_token__asset__same_as_sweep(dep, platform, alice, tag):
    dep.token.mint(dep.address_of(alice, GAMES), ONE, sender=platform)
    dep.router.sweepToken(alice, tag(GAMES), dep.token, sender=platform)
    assert dep.assets(alice) == ONE


def test_sweep_token__unlisted__waits_at_the_address(project, dep, admin, platform, alice, tag):
    other = admin.deploy(project.MockToken, "Other", "OTH", 18)
    other.mint(dep.address_of(alice, GAMES), ONE, sender=platform)
    with ape.reverts(dep.router.NotListed, token=other.address):
        dep.router.sweepToken(alice, tag(GAMES), other, sender=platform)
    with ape.reverts(dep.router.NotListed, token=other.address):
        dep.router.minAmountOut(other, ONE)
    assert other.balanceOf(dep.address_of(alice, GAMES)) == ONE


def test_sweep_token__empty__reverts(dep, game, game_pool, alice, stranger, tag):
    with ape.reverts(dep.router.NothingToSweep, depositAddress=dep.address_of(alice, GAMES)):
        dep.router.sweepToken(alice, tag(GAMES), game, sender=stranger)


def test_sweep_token__delisted_while_funds_wait__waits_then_reclaimed_or_relisted(
    chain, dep, game, game_pool, admin, platform, alice, tag
):
    addr = dep.address_of(alice, GAMES)
    game.mint(addr, 10 * ONE, sender=platform)
    tx = dep.router.removeRoute(game, sender=admin)  # removing is instant
    assert dep.router.RouteRemoved.from_receipt(tx)
    assert dep.router.route(game) == (ZERO, 0)
    with ape.reverts(dep.router.NotListed, token=game.address):
        dep.router.sweepToken(alice, tag(GAMES), game, sender=platform)
    # listing again waits the timelock; meanwhile the earner could take it back (not convertible now)
    dep.router.proposeRoute(game, FEE, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    dep.router.listRoute(game, sender=admin)
    dep.router.sweepToken(alice, tag(GAMES), game, sender=platform)
    assert dep.assets(alice) > 0 and game.balanceOf(addr) == 0


def test_reclaim__delisted_token__back_to_the_earner(dep, game, game_pool, admin, platform, alice, tag):
    addr = dep.address_of(alice, GAMES)
    game.mint(addr, 10 * ONE, sender=platform)
    dep.router.removeRoute(game, sender=admin)
    dep.router.reclaim(alice, tag(GAMES), game, sender=alice)
    assert game.balanceOf(alice) == 10 * ONE


def test_sweep_token__pool_manipulated_in_the_same_block__oracle_bound_holds(
    project, uni, dep, game, game_pool, admin, platform, alice, stranger, tag
):
    addr = dep.address_of(alice, GAMES)
    game.mint(addr, 1_000 * ONE, sender=platform)
    bound = dep.router.minAmountOut(game, 1_000 * ONE)
    attacker = stranger.deploy(project.V3SweepSandwich)
    game.mint(attacker, 2_000_000 * ONE, sender=stranger)  # dumps GAME to crash its price, then sweeps
    args = (uni.router, dep.router, game, dep.token, FEE, 2_000_000 * ONE, alice, tag(GAMES), game)
    with ape.reverts(dep.router.PriceBelowOracle):
        attacker.attack(*args, sender=stranger)
    assert game.balanceOf(addr) == 1_000 * ONE  # nothing was sold at the manipulated price
    assert dep.router.minAmountOut(game, 1_000 * ONE) == bound  # the TWAP did not move either


def test_sweep_token__small_move_inside_the_slippage__credited_at_least_the_bound(
    project, uni, dep, game, game_pool, platform, alice, stranger, tag
):
    addr = dep.address_of(alice, GAMES)
    game.mint(addr, 1_000 * ONE, sender=platform)
    bound = dep.router.minAmountOut(game, 1_000 * ONE)
    attacker = stranger.deploy(project.V3SweepSandwich)
    game.mint(attacker, 1_000 * ONE, sender=stranger)  # ~0.1 % of the pool: inside the 2 % slippage
    attacker.attack(
        uni.router, dep.router, game, dep.token, FEE, 1_000 * ONE, alice, tag(GAMES), game, sender=stranger
    )
    assert bound <= dep.assets(alice) < 1_000 * ONE * GAME_PRICE


def test_sweep_token__reentrant_token__reentry_refused(project, chain, uni, dep, admin, platform, alice, tag):
    evil = admin.deploy(project.ReentrantToken)
    uni.create_pool(admin, evil, dep.token, 1.0, 10**22)
    chain.mine(1, deltatime=TWAP_WINDOW + 60)
    dep.router.proposeRoute(evil, FEE, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    dep.router.listRoute(evil, sender=admin)
    addr = dep.address_of(alice, GAMES)
    evil.mint(addr, ONE, sender=platform)
    dep.token.mint(dep.address_of(alice, "ads"), ONE, sender=platform)
    # the token's transfer hook (forwarder -> router) tries to sweep another address mid-sweep
    evil.arm(dep.router, dep.router.sweep.encode_input(alice, tag("ads")), sender=platform)
    with ape.reverts(dep.router.ReentrancyGuardReentrantCall):
        dep.router.sweepToken(alice, tag(GAMES), evil, sender=platform)
    assert evil.balanceOf(addr) == ONE and dep.assets(alice) == 0


# ---------------------------------------------------------------- listing (admin, timelock)


def test_list_route__before_the_timelock__reverts_and_after__lists(chain, uni, dep, project, admin, tag):
    token = admin.deploy(project.MockToken, "New", "NEW", 18)
    uni.create_pool(admin, token, dep.token, 2.0, 10**22)
    chain.mine(1, deltatime=TWAP_WINDOW + 60)
    tx = dep.router.proposeRoute(token, FEE, sender=admin)
    [ev] = dep.router.RouteProposed.from_receipt(tx)
    assert dep.router.pendingRoute(token) == (FEE, ev.eta)
    with ape.reverts(dep.router.RouteTimelocked, token=token.address, eta=ev.eta):
        dep.router.listRoute(token, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    tx = dep.router.listRoute(token, sender=admin)
    [listed] = dep.router.RouteListed.from_receipt(tx)
    assert listed.uniswapPool == uni.factory.getPool(token, dep.token, FEE)
    assert dep.router.route(token) == (listed.uniswapPool, FEE)
    assert dep.router.pendingRoute(token) == (0, 0)
    assert dep.router.minAmountOut(token, ONE) == pytest.approx(2 * ONE * 0.98, rel=1e-4)


def test_list_route__pool_history_shorter_than_the_window__reverts(chain, uni, dep, project, admin):
    token = admin.deploy(project.MockToken, "Young", "YNG", 18)
    uni.create_pool(admin, token, dep.token, 1.0, 10**22, cardinality=1)  # one observation slot
    dep.router.proposeRoute(token, FEE, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    token.mint(admin, ONE, sender=admin)
    token.approve(uni.router, ONE, sender=admin)
    params = (token.address, dep.token.address, FEE, admin.address, 2**40, ONE, 0, 0)
    uni.router.exactInputSingle(params, sender=admin)  # overwrites the only observation: history starts now
    with ape.reverts("OLD"):  # Uniswap's own error: the pool cannot answer a 30-minute TWAP yet
        dep.router.listRoute(token, sender=admin)


def test_propose_route__no_uniswap_pool__reverts(project, dep, admin):
    token = admin.deploy(project.MockToken, "Lonely", "LNL", 18)
    with ape.reverts(dep.router.NoUniswapPool, token=token.address, fee=FEE):
        dep.router.proposeRoute(token, FEE, sender=admin)


@pytest.mark.parametrize("which", ["zero", "asset"])
def test_propose_route__zero_or_the_asset__reverts(dep, admin, which):
    token = ZERO if which == "zero" else dep.token.address
    with ape.reverts(dep.router.InvalidToken, token=token):
        dep.router.proposeRoute(token, FEE, sender=admin)


def test_list_route__nothing_pending__reverts(dep, game, admin):
    with ape.reverts(dep.router.NoPendingRoute, token=game.address):
        dep.router.listRoute(game, sender=admin)


def test_remove_route__nothing_listed_or_pending__reverts(project, dep, admin):
    token = admin.deploy(project.MockToken, "None", "NON", 18)
    with ape.reverts(dep.router.NotListed, token=token.address):
        dep.router.removeRoute(token, sender=admin)


def test_remove_route__pending__cancels_it(chain, uni, dep, project, admin):
    token = admin.deploy(project.MockToken, "Pend", "PND", 18)
    uni.create_pool(admin, token, dep.token, 1.0, 10**22)
    dep.router.proposeRoute(token, FEE, sender=admin)
    dep.router.removeRoute(token, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    with ape.reverts(dep.router.NoPendingRoute, token=token.address):
        dep.router.listRoute(token, sender=admin)


@pytest.mark.parametrize("fn", ["proposeRoute", "listRoute", "removeRoute"])
def test_admin__called_by_a_stranger__reverts(dep, game, stranger, fn):
    args = (game, FEE) if fn == "proposeRoute" else (game,)
    with ape.reverts(dep.router.OwnableUnauthorizedAccount, account=stranger.address):
        getattr(dep.router, fn)(*args, sender=stranger)


def test_conversions_disabled__propose_route__reverts_no_uniswap_pool(eth_dep, game, admin):
    with ape.reverts(eth_dep.router.NoUniswapPool, token=game.address, fee=FEE):
        eth_dep.router.proposeRoute(game, FEE, sender=admin)


# ---------------------------------------------------------------- deployment


@pytest.mark.parametrize(
    ("window", "slippage", "delay", "what"),
    [
        (0, 200, DAY, "twapWindow"),
        (8 * DAY, 200, DAY, "twapWindow"),
        (1800, 2_001, DAY, "maxSlippageBps"),
        (1800, 200, 0, "listingDelay"),
    ],
)
def test_constructor__bad_config__reverts(project, uni, dep, admin, window, slippage, delay, what):
    with ape.reverts(project.DepositRouter.BadConfig, what=what):
        admin.deploy(project.DepositRouter, dep.pool, uni.router, window, slippage, delay, admin)


def test_constructor__reads_the_pool(dep, uni):
    r = dep.router
    assert (r.pool(), r.asset(), r.SWAP_ROUTER(), r.UNISWAP_FACTORY()) == (
        dep.pool.address,
        dep.token.address,
        uni.router.address,
        uni.factory.address,
    )
    assert (r.TWAP_WINDOW(), r.MAX_SLIPPAGE_BPS(), r.LISTING_DELAY()) == (
        TWAP_WINDOW,
        MAX_SLIPPAGE_BPS,
        LISTING_DELAY,
    )
    assert dep.token.allowance(r, dep.pool) == 2**256 - 1


def test_salt__matches_abi_encode(dep, alice, tag):
    from tributary.deposit import salt_of

    assert salt_of(alice.address, "ads") == keccak(
        encode(["address", "bytes32"], [alice.address, tag("ads")])
    )


def test_min_amount_out__token_sorted_below_or_above_the_asset__same_quote(chain, uni, dep, project, admin):
    """The TWAP direction: Uniswap prices token0 in token1, so a token sorted above the asset is inverted."""
    below = above = None
    for i in range(12):
        t = admin.deploy(project.MockToken, f"T{i}", f"T{i}", 18)
        if int(t.address, 16) < int(dep.token.address, 16):
            below = below or t
        else:
            above = above or t
        if below and above:
            break
    assert below is not None and above is not None
    for token in (below, above):
        uni.create_pool(admin, token, dep.token, 4.0, 10**22)  # 1 token = 4 mUSD
    chain.mine(1, deltatime=TWAP_WINDOW + 60)
    for token in (below, above):
        dep.router.proposeRoute(token, FEE, sender=admin)
    chain.mine(1, deltatime=LISTING_DELAY)
    for token in (below, above):
        dep.router.listRoute(token, sender=admin)
        assert dep.router.minAmountOut(token, ONE) == pytest.approx(4 * ONE * 0.98, rel=1e-4)
