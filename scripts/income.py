"""ape run income --earner 0x... [--network ...] [--json] [--png out/income.png] [--cache FILE | --no-cache]

An earner's income statement from on-chain events: income by source and by tier, value now, yield. Reads only
the earner's own events (indexed topics) in block ranges of --chunk, and caches them (rerun: new blocks only).
"""

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, guarded, manifest_option, network_option  # noqa: E402
from tributary.read_options import read_options  # noqa: E402


@click.command(cls=Command, short_help="Income statement of one earner (table, JSON, PNG)")
@network_option
@manifest_option
@click.option("--earner", required=True, help="the earner's address")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
@click.option(
    "--png", type=click.Path(dir_okay=False, path_type=Path), default=None, help="also save a chart"
)
@read_options
@guarded
def cli(
    network: str,
    manifest: Path | None,
    earner: str,
    as_json: bool,
    png: Path | None,
    chunk: int,
    cache_path: Path | None,
    no_cache: bool,
    reorg_depth: int,
) -> None:
    import json

    from ape import project

    from tributary.addresses import parse_address
    from tributary.errors import TributaryError
    from tributary.income import ReadSettings, build_statement
    from tributary.manifest import Manifest, check_deployment, default_manifest_path
    from tributary.network import connect
    from tributary.read_options import open_cache
    from tributary.render import console as render_console
    from tributary.render import income_png, income_tables, scan_progress

    try:
        who = parse_address(earner, "--earner")
    except ValueError as err:
        raise TributaryError(str(err)) from None
    cache = open_cache(cache_path, no_cache)
    with connect(network) as provider, scan_progress("income") as progress:
        deployment = Manifest.load(manifest or default_manifest_path(provider))
        check_deployment(deployment, provider)
        pool = deployment.contracts.get("pool") or {}
        statement = build_statement(
            provider.web3,
            deployment.address("pool"),
            deployment.tier_vaults(),
            who,
            from_block=int(pool.get("block") or 0),
            settings=ReadSettings(chunk=chunk, cache=cache, reorg_depth=reorg_depth, progress=progress),
        )
        payers = _deposit_payers(provider.web3, project, deployment, who, statement)
    if cache is not None:
        cache.close()
    if as_json:
        click.echo(json.dumps({**statement.to_json(), "deposit_payers": payers}, indent=2))
    else:
        console = render_console()
        for table in income_tables(statement):
            console.print(table)
        if payers:
            from tributary.sweep import payers_table

            console.print(payers_table(payers))
        scan = statement.scan
        click.echo(
            f"read blocks {scan.read_from:,}–{scan.head:,} ({scan.blocks_read:,} blocks), "
            f"{scan.rpc_calls} RPC calls, {scan.receipts} receipts",
            err=True,
        )
    if png is not None:
        income_png(statement, png)
        click.echo(f"chart saved to {png}", err=as_json)


def _deposit_payers(
    w3: Any, project: Any, deployment: Any, earner: str, statement: Any
) -> list[dict[str, Any]]:
    """Issue 14: who paid the earner's deposit addresses (the Pool's events name the router as payer)."""
    if "deposit-router" not in deployment.contracts:
        return []
    from tributary.sweep import deposit_payers_json

    router = deployment.address("deposit-router")
    block = int((deployment.contracts.get("deposit-router") or {}).get("block") or 0)
    return deposit_payers_json(w3, project, router, earner, list(statement.by_source), block)
