"""Steps per second of a stateful property-test step: plain ape vs the lean driver, same workload.

A "step" is what one state-machine rule plus the invariant checks cost: one state-changing transaction,
then a read of every balance, supply and book the invariants compare. All drivers run the same seeded
plan against the same anvil (ape-foundry), each from the same snapshot:

  ape            ape contract calls for the transaction, one ape view call per value read (what a
                 straightforward ape + hypothesis machine does)
  ape + lens     ape transaction, then ONE ape call of the InvariantLens for all reads
  lean (traced)  tributary.testing.lean on ape's own anvil (started with --steps-tracing):
                 eth_sendTransactionSync from an unlocked account, calldata pre-encoded, gas given,
                 then one raw eth_call of the lens, over one keep-alive socket
  lean           the same on an untraced copy of that anvil (tributary.testing.node.untraced_clone):
                 what tests/stateful runs on

Workload "system" (default): the whole system of tests/stateful (pool, 3 tiers, 6 strategies) with a mix
of pay / payMany / withdraw / allocate / time. Workload "token": MockToken transfers (no vaults needed).

    python bench/stateful_speed.py                       # from the project root, venv active
    python bench/stateful_speed.py --steps 500 --json out/stateful_speed.json

The ape drivers run a prefix of the plan (--ape-steps): at ~1-5 steps/s the full plan would take minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ape import accounts, chain, networks, project
from ape.logging import logger

from tributary.testing.lean import LeanChain, LeanContract
from tributary.testing.lens import Lens
from tributary.testing.node import untraced_clone
from tributary.testing.system import Deployed, Roles, deploy_system, lean_view

EARNERS = ("alice", "bob", "carol", "dave", "platform")
SOURCE = b"bench".ljust(32, b"\x00")
Op = tuple[Any, ...]


def _system_plan(steps: int, seed: int) -> list[Op]:
    rng = random.Random(seed)
    plan: list[Op] = []
    for _ in range(steps):
        roll = rng.random()
        earner = rng.choice(EARNERS)
        if roll < 0.45:
            plan.append(("pay", earner, rng.randrange(1, 10**21)))
        elif roll < 0.6:
            plan.append(("payMany", [(rng.choice(EARNERS), rng.randrange(1, 10**21)) for _ in range(4)]))
        elif roll < 0.8:
            plan.append(("withdraw", earner, rng.randrange(3)))
        elif roll < 0.95:
            plan.append(("allocate", rng.randrange(3)))
        else:
            plan.append(("time", 3_600))
    return plan


# ---------------------------------------------------------------------------------------- system drivers
def _ape_reads(d: Deployed, names: list[str]) -> list[int]:
    """Every value the lens returns, one ape call each."""
    out = [d.token.balanceOf(d.wallets[n]) for n in names]
    for v in d.vaults:
        out += [
            v.totalSupply(),
            v.totalAssets(),
            v.idle(),
            v.totalDebt(),
            v.lockedProfit(),
            d.token.balanceOf(v),
        ]
        for n in names:
            out += [v.balanceOf(d.wallets[n]), v.maxWithdraw(d.wallets[n]), v.maxRedeem(d.wallets[n])]
    return out


def _ape_step(d: Deployed, op: Op) -> None:
    kind = op[0]
    if kind == "pay":
        d.pool.pay(d.wallets[op[1]], op[2], SOURCE, sender=d.wallets["platform"])
    elif kind == "payMany":
        d.pool.payMany(
            SOURCE, [d.wallets[e] for e, _ in op[1]], [a for _, a in op[1]], sender=d.wallets["platform"]
        )
    elif kind == "withdraw":
        who = d.wallets[op[1]]
        amount = d.vaults[op[2]].maxWithdraw(who) // 2
        if amount:
            d.vaults[op[2]].withdraw(amount, who, who, sender=who)
    elif kind == "allocate":
        d.vaults[op[1]].allocate(sender=d.roles.allocator)
    else:
        chain.pending_timestamp += op[1]
        chain.mine()


def run_ape(d: Deployed, plan: list[Op], with_lens: bool) -> float:
    names = list(EARNERS)
    lens_args = (d.token, d.vaults, [d.wallets[n] for n in names], [s for _, s in d.strategies.values()])
    start = time.perf_counter()
    for op in plan:
        _ape_step(d, op)
        if with_lens:
            d.lens.snapshot(*lens_args)
        else:
            _ape_reads(d, names)
    return len(plan) / (time.perf_counter() - start)


def run_lean(d: Deployed, lean: LeanChain, plan: list[Op]) -> float:
    sys = lean_view(d, lean)
    addr = sys.addresses
    pool = sys.pool
    start = time.perf_counter()
    view = sys.lens.read("pending")
    for op in plan:
        kind = op[0]
        if kind == "pay":
            lean.transact(addr["platform"], pool.address, pool.data("pay", addr[op[1]], op[2], SOURCE))
        elif kind == "payMany":
            data = pool.data("payMany", SOURCE, [addr[e] for e, _ in op[1]], [a for _, a in op[1]])
            lean.transact(addr["platform"], pool.address, data)
        elif kind == "withdraw":
            amount = view.tiers[op[2]].max_withdraw[sys.holder_names.index(op[1])] // 2
            if amount:
                vault = sys.vaults[op[2]]
                lean.transact(
                    addr[op[1]], vault.address, vault.data("withdraw", amount, addr[op[1]], addr[op[1]])
                )
        elif kind == "allocate":
            vault = sys.vaults[op[1]]
            lean.transact(addr["allocator"], vault.address, vault.data("allocate"))
        else:
            lean.mine_at(lean.timestamp() + op[1])
        view = sys.lens.read("pending")
    return len(plan) / (time.perf_counter() - start)


# ---------------------------------------------------------------------------------------- token drivers
def run_token(steps: int, seed: int, lean: LeanChain) -> dict[str, float]:
    holders = [accounts.test_accounts[i] for i in range(8)]
    token = holders[0].deploy(project.MockToken, "Bench USD", "bUSD", 18)
    for h in holders:
        token.mint(h, 10**24, sender=holders[0])
    lens_contract = holders[0].deploy(project.InvariantLens)
    rng = random.Random(seed)
    plan = [(rng.randrange(8), rng.randrange(8), rng.randrange(1, 10**18)) for _ in range(steps)]
    base = lean.snapshot()

    start = time.perf_counter()
    for src, dst, amount in plan:
        token.transfer(holders[dst], amount, sender=holders[src])
        [token.balanceOf(h) for h in holders]
    ape_rate = steps / (time.perf_counter() - start)
    lean.revert(base)

    lean_token = LeanContract.from_ape(token)
    addresses = [h.address for h in holders]
    lens = Lens(lean, lens_contract.address, token.address, [], addresses)
    transfer = lean_token.fns["transfer"]
    start = time.perf_counter()
    for src, dst, amount in plan:
        lean.transact(addresses[src], token.address, transfer.data(addresses[dst], amount), gas=100_000)
        lens.read()
    return {"ape": ape_rate, "lean": steps / (time.perf_counter() - start)}


def _timed(label: str, fn: Callable[[], float], results: dict[str, float]) -> None:
    results[label] = fn()
    print(f"{label:<14} {results[label]:8.1f} steps/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="steps per lean run")
    parser.add_argument(
        "--ape-steps", type=int, default=40, help="steps per (slow) ape run: a prefix of the plan"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workload", choices=["system", "token"], default="system")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args()
    logger.set_level("ERROR")  # one INFO line per ape transaction would drown the result

    results: dict[str, float] = {}
    with networks.ethereum.local.use_provider("foundry") as provider:
        lean = LeanChain(provider.uri)
        if args.workload == "token":
            results = run_token(args.steps, args.seed, lean)
            for label, rate in results.items():
                print(f"{label:<14} {rate:8.1f} steps/s")
        else:
            t = accounts.test_accounts
            roles = Roles(admin=t[0], curator=t[1], allocator=t[2], guardian=t[3])
            wallets = {"alice": t[5], "bob": t[6], "carol": t[7], "dave": t[8], "platform": t[4]}
            deployed = deploy_system(project, roles, wallets)
            plan = _system_plan(args.steps, args.seed)
            lean.fixed_block_interval(1)
            base = lean.snapshot()
            ape_plan = plan[: args.ape_steps]
            _timed("ape", lambda: run_ape(deployed, ape_plan, with_lens=False), results)
            lean.revert(base)
            base = lean.snapshot()
            _timed("ape + lens", lambda: run_ape(deployed, ape_plan, with_lens=True), results)
            lean.revert(base)
            base = lean.snapshot()
            _timed("lean (traced)", lambda: run_lean(deployed, lean, plan), results)
            lean.revert(base)
            with untraced_clone(lean, provider.anvil_bin) as clone:
                clone.fixed_block_interval(1)
                _timed("lean", lambda: run_lean(deployed, clone, plan), results)
    print(f"lean / ape: x{results['lean'] / results['ape']:.1f}   (load average {os.getloadavg()[0]:.1f})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "workload": args.workload,
            "steps": args.steps,
            **{k: round(v, 1) for k, v in results.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
