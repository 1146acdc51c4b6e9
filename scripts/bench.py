"""`ape run bench` (or `make bench`): the gas benchmark of every payment path. The work is in bench/gas.py;
it starts its own anvil (no step tracing) unless --rpc names a node."""

import click

from bench.gas import main


@click.command(short_help="Gas of every payment path -> bench/results.*")
@click.option("--quick", is_flag=True, help="Fewer scaling points (earners up to 1,000, strategies 1 and 8).")
@click.option(
    "--baseline", type=click.Path(exists=True, dir_okay=False), help="An earlier results.json to compare."
)
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: bench/).")
@click.option("--rpc", help="Use the node at this URL instead of starting an anvil (its state is changed).")
def cli(quick: bool, baseline: str | None, out: str | None, rpc: str | None) -> None:
    main(quick=quick, baseline=baseline, out=out, rpc=rpc)
