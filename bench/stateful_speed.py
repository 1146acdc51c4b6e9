"""Steps per second of a stateful property-test step: plain ape vs the lean driver, same workload.

A "step" is what one hypothesis rule plus the invariant checks cost on the chain: one state-changing
transaction, then a read of every balance / supply the invariants compare. Both drivers run the same
seeded sequence against the same anvil (ape-foundry), from the same snapshot.

    python bench/stateful_speed.py            # default 300 steps per driver
    python bench/stateful_speed.py --steps 1000 --json out/stateful_speed.json

Run from the project root with the venv active (see Makefile / COMMON set-up).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

from ape import accounts, networks, project
from ape.logging import logger

from tributary.testing.lean import LeanChain, LeanContract
from tributary.testing.lens import Lens

N_HOLDERS = 8


def _plan(steps: int, seed: int) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    return [
        (rng.randrange(N_HOLDERS), rng.randrange(N_HOLDERS), rng.randrange(1, 10**18)) for _ in range(steps)
    ]


def run_ape(token: Any, holders: list[Any], plan: list[tuple[int, int, int]]) -> float:
    """What a straightforward ape + hypothesis machine does: contract calls, one view per invariant read."""
    start = time.perf_counter()
    for src, dst, amount in plan:
        token.transfer(holders[dst], amount, sender=holders[src])
        balances = [token.balanceOf(h) for h in holders]
        assert sum(balances) == token.totalSupply()
    return len(plan) / (time.perf_counter() - start)


def run_lean(chain: LeanChain, token: LeanContract, lens: Lens, holders: list[str], plan: list) -> float:
    """The lean driver: eth_sendTransactionSync with pre-encoded calldata, one lens eth_call per step."""
    transfer = token.fns["transfer"]
    supply = 10**18 * N_HOLDERS * 10**6
    start = time.perf_counter()
    for src, dst, amount in plan:
        receipt = chain.transact(
            holders[src], token.address, transfer.data(holders[dst], amount), gas=100_000
        )
        assert receipt.ok
        view = lens.read()
        assert sum(view.asset_balances) == supply
    return len(plan) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args()
    logger.set_level("ERROR")  # one INFO line per ape transaction would drown the result

    with networks.ethereum.local.use_provider("foundry") as provider:
        test_accounts = accounts.test_accounts
        deployer = test_accounts[0]
        holders = [test_accounts[i] for i in range(N_HOLDERS)]
        token = deployer.deploy(project.MockToken, "Bench USD", "bUSD", 18)
        for h in holders:
            token.mint(h, 10**18 * 10**6, sender=deployer)
        lens_contract = deployer.deploy(project.InvariantLens)
        plan = _plan(args.steps, args.seed)

        chain = LeanChain(provider.uri)
        base = chain.snapshot()
        ape_rate = run_ape(token, holders, plan)
        chain.revert(base)
        lean_token = LeanContract.from_ape(token)
        addresses = [h.address for h in holders]
        lens = Lens(chain, lens_contract.address, token.address, [], addresses)
        lean_rate = run_lean(chain, lean_token, lens, addresses, plan)

    result = {
        "steps": args.steps,
        "ape_steps_per_s": round(ape_rate, 1),
        "lean_steps_per_s": round(lean_rate, 1),
    }
    print(f"plain ape : {ape_rate:8.1f} steps/s")
    print(f"lean      : {lean_rate:8.1f} steps/s  (x{lean_rate / ape_rate:.1f})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
