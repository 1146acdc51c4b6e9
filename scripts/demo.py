"""ape run demo [--weeks 6] [--earners 36] [--seed 7] [--out out]

Deploys Tributary on a local anvil with the deploy library, simulates weeks of micro-payments from several
sources to dozens of earners (yield, keeper runs, one strategy loss), and ends with per-tier and per-earner
tables plus a PNG chart of the value held per tier over time.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, guarded  # noqa: E402


@click.command(cls=Command, short_help="Simulate weeks of micro-income on a local anvil (tables + PNG)")
@click.option(
    "--network",
    default="auto",
    show_default=True,
    help="'auto' starts a private anvil; or a local dev network / RPC URL such as http://127.0.0.1:8545",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--weeks", type=click.IntRange(1, 52), default=6, show_default=True)
@click.option("--earners", type=click.IntRange(4, 400), default=36, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True
)
@guarded
def cli(network: str, config_path: Path | None, weeks: int, earners: int, seed: int, out: Path) -> None:
    from tributary.demo import DemoSettings
    from tributary.demo_run import run_demo

    run_demo(
        network=network,
        config_path=config_path or Path("deploy") / "local.yaml",
        settings=DemoSettings(weeks=weeks, earners=earners, seed=seed),
        out=out,
    )
