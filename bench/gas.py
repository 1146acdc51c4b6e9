"""Gas benchmark of every Tributary payment path, side by side with OpenZeppelin's and Solady's plain
ERC-4626 and the EVM floor, and the workloads platforms have (bench/workloads.py), in one run on anvil.
Writes bench/results.json, bench/results.md (README table) and bench/gas.png. Run it with `make bench`
(optionally BENCH_ARGS="--quick" or "--baseline FILE").
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eth_abi import encode
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from bench.chain import Chain
from bench.floor import credit_floor
from bench.node import anvil
from bench.paths import PoolPaths, Recorder, Row, VaultPaths
from bench.report import Report
from bench.scaling import by_earners, by_strategies
from bench.sweep import sweep_paths
from bench.system import Builder, amounts, packed
from bench.workloads import workloads

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Plan:
    batch_sizes: list[int]  # MAX_BATCH is appended from the pool
    strategies: list[int]
    earners: list[int]

    @classmethod
    def full(cls) -> Plan:
        return cls([1, 10, 100], [1, 4, 8], [100, 1_000, 10_000])

    @classmethod
    def quick(cls) -> Plan:
        return cls([1, 10, 100], [1, 8], [100, 1_000])


def _meta(chain: Chain) -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    from ape import config

    sol = config.get_config("solidity")
    dirty = bool(git("status", "--porcelain", "--", "contracts"))
    return {
        "commit": git("rev-parse", "--short", "HEAD") + ("+dirty" if dirty else ""),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "node": str(chain.rpc("web3_clientVersion")),
        "hardfork": _hardfork(),
        "solc": str(getattr(sol, "version", "?")),
        "optimizer_runs": getattr(sol, "optimization_runs", "?"),
        "evm_version": getattr(sol, "evm_version", "?"),
    }


def _floor() -> dict[str, Any]:
    earner = "0x" + "ab" * 20
    (value,) = amounts("floor", 1)
    return credit_floor(encode(["address", "uint256"], [earner, value]), packed([earner], [value]))


def run(plan: Plan, out_dir: Path, baseline: Path | None = None, rpc: str | None = None) -> Report:
    """The whole benchmark on the node at `rpc`, or on a fresh anvil of the project's hardfork."""
    if rpc:
        return _run(Chain.connect(rpc), plan, out_dir, baseline)
    with anvil(_hardfork()) as url:
        return _run(Chain.connect(url), plan, out_dir, baseline)


def _hardfork() -> str:
    from ape import config

    return str(getattr(config.get_config("foundry"), "evm_version", None) or "cancun")


def _run(chain: Chain, plan: Plan, out_dir: Path, baseline: Path | None) -> Report:
    console = Console()
    builder = Builder(chain)
    rows: list[Row] = []
    rec = Recorder(rows)
    started = time.monotonic()

    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console) as progress:
        state: dict[str, Any] = {}

        def tick(detail: str) -> None:
            progress.update(state["task"], detail=f"{detail} · {len(rows)} rows · {chain.sent:,} txs")

        rec.on_row = lambda row: tick(f"{row.path} {row.case} {row.profile}")
        main_tiers: dict[str, Any] = {}

        def build_main() -> None:
            tiers = builder.pools(builder.tiers(n_strategies=1))
            main_tiers["t"] = tiers
            main_tiers["sizes"] = sorted(set(plan.batch_sizes + [builder.max_batch(tiers.pools["one-tier"])]))

        def pool_paths() -> None:
            paths = PoolPaths(builder, main_tiers["t"], rec)
            paths.pay()
            paths.pay_own_profile()
            paths.pay_with_permit()
            paths.erc1363()
            paths.switch_tier()

        def batches() -> None:
            PoolPaths(builder, main_tiers["t"], rec).pay_many(main_tiers["sizes"])

        def eth_paths() -> None:
            PoolPaths(builder, builder.pools(builder.tiers(n_strategies=1, weth=True)), rec).eth()

        def vault_paths() -> None:
            tiers = main_tiers["t"]
            paths = VaultPaths(builder, tiers, rec)
            paths.deposit(tiers.vaults[0])
            paths.exits(tiers.vaults[0])
            paths.keeper(tiers.vaults[0], tiers.strategies[0])
            paths.peers(builder.peer_vaults(tiers.token))

        steps: list[tuple[str, Callable[[], None]]] = [
            ("deploy: 3 tiers + pools", build_main),
            ("pool: pay / permit / ERC-1363 / switchTier", pool_paths),
            ("pool: payMany batches", batches),
            ("pool: native ETH (WETH tiers)", eth_paths),
            (
                "deposit addresses: sweep / sweepMany / conversion",
                lambda: sweep_paths(builder, main_tiers["t"], rec),
            ),
            (
                "workloads: 100×1, 100×5, 20×25 (payMany, packed, deposit addresses)",
                lambda: workloads(builder, main_tiers["t"], rec, tick),
            ),
            ("vault: ERC-4626, keeper, OZ and Solady peers", vault_paths),
            ("scaling: strategies 1/4/8", lambda: by_strategies(builder, rec, plan.strategies, tick)),
            ("scaling: earners", lambda: by_earners(builder, rec, plan.earners, tick)),
        ]
        state["task"] = progress.add_task("gas benchmark", total=len(steps), detail="")
        step_seconds: dict[str, float] = {}
        for title, step in steps:
            progress.update(state["task"], description=title)
            began = time.monotonic()
            step()
            step_seconds[title] = round(time.monotonic() - began, 1)
            progress.advance(state["task"])

    meta = _meta(chain)
    meta["transactions"] = chain.sent
    meta["seconds"] = round(time.monotonic() - started, 1)
    meta["step_seconds"] = step_seconds
    base = json.loads(baseline.read_text()) if baseline else None
    report = Report(rows, _floor(), meta, base)
    written = report.write(out_dir)
    _summary(console, report)
    console.print(
        f"{chain.sent:,} transactions in {meta['seconds']} s; wrote " + ", ".join(map(str, written))
    )
    return report


def _summary(console: Console, report: Report) -> None:
    table = Table(title="Targets (receipt gasUsed)")
    for col in ("metric", "target", "measured", "before", ""):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for t in report.targets():
        table.add_row(
            t["name"], "—" if t["target"] is None else f"≤ {t['target']:,.0f}",
            "—" if t["measured"] is None else f"{t['measured']:,.0f}",
            "—" if t["before"] is None else f"{t['before']:,.0f}",
            "[green]ok" if t["ok"] else "[red]over",
        )  # fmt: skip
    console.print(table)


def main(
    quick: bool = False, baseline: str | None = None, out: str | None = None, rpc: str | None = None
) -> None:
    """Entry point of `ape run bench` (scripts/bench.py)."""
    run(Plan.quick() if quick else Plan.full(), Path(out) if out else ROOT / "bench",
        Path(baseline) if baseline else None, rpc)  # fmt: skip
