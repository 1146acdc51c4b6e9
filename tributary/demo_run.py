"""`ape run demo` end to end: connect, deploy with the library, simulate with a progress bar, report."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tributary.accounts import load_account
from tributary.anvil import AnvilProcess
from tributary.config import load_config
from tributary.demo import DemoResult, DemoSettings, Simulation
from tributary.deploy import deploy_system
from tributary.errors import NetworkError
from tributary.network import connect, is_dev_chain
from tributary.render import console as wide_console
from tributary.render import demo_png, demo_tables

AUTO = "auto"  # start a private anvil for the demo


def run_demo(*, network: str, config_path: Path, settings: DemoSettings, out: Path) -> DemoResult:
    from ape import project
    from ape.logging import LogLevel, logger

    console = wide_console()
    node = None
    if network == AUTO:
        # A private anvil (free 127.0.0.1 port, no step tracing): several times faster per transaction
        # than the test provider, and always stopped below.
        node = AnvilProcess.start(Path(tempfile.mkdtemp(prefix="tributary-demo-")))
        network = node.url
        console.print(f"started anvil on {node.url}")
    try:
        # The demo prints its own progress; ape's per-transaction lines would be noise.
        with logger.at_level(LogLevel.WARNING):
            return _run(
                project, console, network=network, config_path=config_path, settings=settings, out=out
            )
    finally:
        if node is not None:
            node.stop()


def _run(
    project: Any, console: Console, *, network: str, config_path: Path, settings: DemoSettings, out: Path
) -> DemoResult:
    started = time.monotonic()
    config = load_config(config_path)
    with connect(network) as provider:
        if not is_dev_chain(provider):
            raise NetworkError(
                f"the demo mints test tokens and bends time: {network!r} is not a local dev chain"
            )
        operator = load_account("TEST::0", dev_chain=True)
        manifest_path = out / "demo-deployment.json"
        manifest_path.unlink(missing_ok=True)  # the demo always starts from a fresh chain
        # Issue 14: a local Uniswap V3 (npm artifacts) so the deposit router converts a second token.
        from tributary.testing.uniswap_v3 import deploy_uniswap_v3

        uni = deploy_uniswap_v3(provider.web3, operator.address, operator.address)
        config.raw["deposit_router"] = {"swap_router": uni.router.address, "max_slippage_bps": 200}
        with console.status("deploying Tributary (same library as `ape run deploy`)..."):
            deployment = deploy_system(
                config,
                project=project,
                provider=provider,
                account=operator,
                manifest_path=manifest_path,
                network_label="demo",
                log=lambda _: None,
            )
        if not deployment.complete:
            raise NetworkError(
                f"demo deployment incomplete: {deployment.problems or deployment.report.pending}"
            )
        console.print(f"deployed and verified in {time.monotonic() - started:.1f} s -> {manifest_path}")

        sim = Simulation(
            provider.web3, project, deployment.manifest, operator.address, settings, console.print
        )
        sim.uniswap = uni
        days = settings.weeks * 7
        with Progress(
            TextColumn("[bold]simulating[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[txs]} txs"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("set-up", total=days, txs=0)
            sim.setup()
            sim.snapshot()
            for day in range(days):
                progress.update(task, description=f"day {day + 1}/{days}", txs=sim.transactions)
                sim.run_day()
                progress.advance(task)
            progress.update(task, description="done", txs=sim.transactions)
        sim.keeper()  # a final pass: what the tables show is realised where worth it
        result = sim.result()

    for table in demo_tables(result):
        console.print(table)
    chart = demo_png(result, out / "demo.png")
    summary = out / "demo.json"
    summary.write_text(json.dumps(_summary(result), indent=2))
    elapsed = time.monotonic() - started
    console.print(f"{result.transactions} transactions, {days} simulated days, {elapsed:.1f} s")
    console.print(f"chart {chart}, data {summary}")
    return result


def _summary(result: DemoResult) -> dict:
    unit = 10**result.decimals
    return {
        "asset": result.symbol,
        "days": len(result.history) - 1,
        "transactions": result.transactions,
        "sources": {k: v / unit for k, v in result.sources.items()},
        "tiers": result.tier_rows,
        "earners": [
            {
                "address": e.address,
                "profile": e.profile,
                "weights_bps": e.weights_bps,
                "payments": e.payments,
                "paid_in": e.paid / unit,
                "value_now": result.earner_values[e.address] / unit,
            }
            for e in result.earners
        ],
        "events": result.events,
    }
