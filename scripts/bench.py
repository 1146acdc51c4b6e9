"""`ape run bench` (or `make bench`): the gas benchmark of every payment path (bench/gas.py) and the cost of
an income statement as the history grows (bench/statement.py). Each starts its own anvil (no step tracing)
unless --rpc names a node."""

import click


@click.command(short_help="Gas of every payment path and statement cost -> bench/results.*, statement.*")
@click.option("--quick", is_flag=True, help="Fewer scaling points (earners up to 1,000, strategies 1 and 8).")
@click.option(
    "--baseline", type=click.Path(exists=True, dir_okay=False), help="An earlier results.json to compare."
)
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: bench/).")
@click.option("--rpc", help="Use the node at this URL instead of starting an anvil (its state is changed).")
@click.option(
    "--only", type=click.Choice(["gas", "statement"]), default=None, help="Run one section (default: both)."
)
def cli(quick: bool, baseline: str | None, out: str | None, rpc: str | None, only: str | None) -> None:
    if only in (None, "gas"):
        from bench.gas import main

        main(quick=quick, baseline=baseline, out=out, rpc=rpc)
    if only in (None, "statement"):
        from bench.statement import main as statement_main

        statement_main(out=out, rpc=rpc)
