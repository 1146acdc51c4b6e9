"""ape run income --earner 0x... [--network ...] [--json] [--png out/income.png]

An earner's income statement from on-chain events: income by source and by tier, value now, yield.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, guarded, manifest_option, network_option  # noqa: E402


@click.command(cls=Command, short_help="Income statement of one earner (table, JSON, PNG)")
@network_option
@manifest_option
@click.option("--earner", required=True, help="the earner's address")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
@click.option(
    "--png", type=click.Path(dir_okay=False, path_type=Path), default=None, help="also save a chart"
)
@guarded
def cli(network: str, manifest: Path | None, earner: str, as_json: bool, png: Path | None) -> None:
    import json

    from ape import project

    from tributary.addresses import parse_address
    from tributary.errors import TributaryError
    from tributary.income import build_statement
    from tributary.manifest import Manifest, check_deployment, default_manifest_path
    from tributary.network import connect
    from tributary.render import console as render_console
    from tributary.render import income_png, income_tables

    try:
        who = parse_address(earner, "--earner")
    except ValueError as err:
        raise TributaryError(str(err)) from None
    with connect(network) as provider:
        deployment = Manifest.load(manifest or default_manifest_path(provider))
        check_deployment(deployment, provider)
        pool = deployment.contracts.get("pool") or {}
        statement = build_statement(
            provider.web3,
            project,
            deployment.address("pool"),
            deployment.tier_vaults(),
            who,
            from_block=int(pool.get("block") or 0),
        )
    if as_json:
        click.echo(json.dumps(statement.to_json(), indent=2))
    else:
        console = render_console()
        for table in income_tables(statement):
            console.print(table)
    if png is not None:
        income_png(statement, png)
        click.echo(f"chart saved to {png}", err=as_json)
