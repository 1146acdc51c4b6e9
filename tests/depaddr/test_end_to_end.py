"""The issue's "done when": a platform that knows nothing of Tributary's ABI pays 1,000 earners by plain
ERC-20 transfers — in the pool's asset and in a second token (GAME, converted on Uniswap V3) — and after the
keeper's sweeps every earner's income by source is exactly right.

Runs on an untraced copy of the test node (ape's anvil records every EVM step) and sends the 2,000 plain
transfers through the lean JSON-RPC driver; the sweeps are the keeper's own code (tributary.sweep)."""

from __future__ import annotations

from collections import defaultdict

from conftest import TWAP_WINDOW
from web3 import Web3

from tributary.chain import UnlockedSender, contract
from tributary.deposit import deposit_address, source_tag
from tributary.income import build_statement, unpack_payments
from tributary.sweep import SweepPolicy, run_sweeps
from tributary.testing.lean import LeanChain, LeanContract
from tributary.testing.node import untraced_clone

N = 1_000
CENT = 10**16  # 0.01 mUSD
ADS, GAMES = "ads", "game"


def test_platform_pays_1000_earners_by_plain_transfers__keeper_sweeps__income_by_source_exact(
    chain, project, dep, game, game_pool, platform, stranger
):
    with untraced_clone(LeanChain(chain.provider.uri), chain.provider.anvil_bin) as node:
        w3 = Web3(Web3.HTTPProvider(node.uri))
        router = dep.router.address
        token, gold = LeanContract.from_ape(dep.token), LeanContract.from_ape(game)
        earners = [Web3.to_checksum_address(f"0x{0xE000 + i:040x}") for i in range(N)]
        ads = {e: (i % 97 + 1) * CENT for i, e in enumerate(earners)}  # 0.01 - 0.97 mUSD
        gold_paid = {e: (i % 13 + 1) * 10**18 for i, e in enumerate(earners)}  # 1 - 13 GAME
        start = node.rpc("eth_blockNumber")

        # the platform: mint its budget, then 2,000 plain transfers to addresses it was given
        for c, total in ((token, sum(ads.values())), (gold, sum(gold_paid.values()))):
            assert node.transact(platform.address, c.address, c.data("mint", platform.address, total)).ok
        for e in earners:
            for c, amount, source in ((token, ads[e], ADS), (gold, gold_paid[e], GAMES)):
                data = c.data("transfer", deposit_address(router, e, source), amount)
                assert node.transact(platform.address, c.address, data).ok

        node.rpc("evm_increaseTime", [TWAP_WINDOW])  # the keeper passes later: a TWAP window of history
        node.rpc("evm_mine")
        # one block a minute: the GAME pool's 50 oracle observations then span more than the 30-minute window
        # even when every block holds a swap (a listed pool needs cardinality >= window / block time)
        node.fixed_block_interval(60)

        # the keeper: a dry run plans, the real run sweeps (asset in batches of 50, GAME one by one)
        pairs = [(e, s) for e in earners for s in (ADS, GAMES)]
        policy = SweepPolicy(min_amount=1, max_batch=50)
        plan = run_sweeps(
            w3, project, router, pairs, policy, None, tokens=[game.address], from_block=int(start, 16)
        )
        assert [a.kind for a in plan.actions].count("sweepMany") == N // 50
        assert [a.kind for a in plan.actions].count("sweepToken") == N
        run = run_sweeps(
            w3, project, router, pairs, policy, UnlockedSender(w3, stranger.address), tokens=[game.address],
            from_block=int(start, 16),
        )  # fmt: skip
        assert not run.failed
        assert len(run.receipts) == len(plan.actions)

        # every earner's income by source, from the Pool's own events (what the statement reads)
        pool = contract(w3, project, "Pool", dep.pool.address)
        r = contract(w3, project, "DepositRouter", router)
        by_source: dict[str, dict[bytes, int]] = defaultdict(lambda: defaultdict(int))
        for ev in pool.events.PaidMany().get_logs(from_block=int(start, 16)):
            assert ev["args"]["payer"] == router
            for e, amount in unpack_payments(bytes(ev["args"]["payments"])):
                by_source[e][bytes(ev["args"]["source"])] += amount
        for ev in pool.events.Paid().get_logs(from_block=int(start, 16)):
            assert ev["args"]["payer"] == router
            by_source[ev["args"]["earner"]][bytes(ev["args"]["source"])] += ev["args"]["amount"]
        converted = {
            ev["args"]["earner"]: ev["args"]
            for ev in r.events.Converted().get_logs(from_block=int(start, 16))
        }
        for e in earners:
            assert by_source[e][source_tag(ADS)] == ads[e]  # the asset: to the wei
            conv = converted[e]
            assert conv["amountIn"] == gold_paid[e]
            assert by_source[e][source_tag(GAMES)] == conv["amountOut"] >= conv["minOut"]
            # 1 GAME = 0.5 mUSD, minus the 0.3 % pool fee and the drift of 1,000 swaps on a 1M-deep pool
            assert 0.99 * 0.5 * gold_paid[e] < conv["amountOut"] <= 0.5 * gold_paid[e]

        # and each earner's income statement (the statement builder itself) shows the same by source
        tier_list = [(f"tier{i}", t.address) for i, t in enumerate(dep.tiers)]
        for e in earners[:: N // 10]:
            statement = build_statement(w3, dep.pool.address, tier_list, e, from_block=int(start, 16))
            assert statement.by_source == {ADS: ads[e], GAMES: converted[e]["amountOut"]}

        # and the shares really are there: each earner's tier holdings are worth what was credited (the
        # vaults round each credit down in their favour: at most a few wei per credit and tier)
        tiers = [LeanContract.from_ape(t) for t in dep.tiers]
        for i in range(0, N, 200):
            chunk = earners[i : i + 200]
            pairs_ = [(e, t) for e in chunk for t in tiers]
            shares = node.batch([("eth_call", [{"to": t.address, "data": t.data("balanceOf", e)}, "latest"])
                                 for e, t in pairs_])  # fmt: skip
            reads = [t.data("convertToAssets", int(x, 16)) for (_, t), x in zip(pairs_, shares, strict=True)]
            values = node.batch([("eth_call", [{"to": t.address, "data": d}, "latest"])
                                 for (_, t), d in zip(pairs_, reads, strict=True)])  # fmt: skip
            for k, e in enumerate(chunk):
                held = sum(int(x, 16) for x in values[3 * k : 3 * k + 3])
                credited = by_source[e][source_tag(ADS)] + by_source[e][source_tag(GAMES)]
                assert credited - 6 <= held <= credited
        # nothing stays anywhere in between
        for e in earners[:: N // 10]:
            assert (
                int.from_bytes(
                    node.call(token.address, token.data("balanceOf", deposit_address(router, e, ADS)))
                )
                == 0
            )
        assert int.from_bytes(node.call(token.address, token.data("balanceOf", router))) == 0
