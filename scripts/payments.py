"""ape run payments --payer 0x... | --source TAG
    [--from-block N --to-block M | --since 2026-01-01 --until ...] [--format csv|json] [--out FILE] [--verify]

Reconciliation for platforms: every entry a payer (or a source tag) paid through the pool to each earner,
as CSV or JSON, read from the Pool's indexed `Paid`/`PaidMany` logs. --verify also checks each transaction's
total against the asset transfers into the tier vaults (one receipt per transaction).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, guarded, manifest_option, network_option  # noqa: E402
from tributary.read_options import read_options  # noqa: E402


@click.command(cls=Command, short_help="What a payer or source paid to whom (CSV / JSON)")
@network_option
@manifest_option
@click.option("--payer", default=None, help="the payer's address")
@click.option("--source", default=None, help="a source tag: text (ad-network) or 0x + 64 hex digits")
@click.option(
    "--from-block", type=click.IntRange(min=0), default=None, help="first block (default: the pool's)"
)
@click.option("--to-block", type=click.IntRange(min=0), default=None, help="last block (default: the head)")
@click.option("--since", default=None, help="first time: ISO date/time (UTC) or unix seconds")
@click.option("--until", default=None, help="end time, exclusive: ISO date/time (UTC) or unix seconds")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="file (default: stdout)"
)
@click.option(
    "--verify", is_flag=True, help="check each transaction against the asset sent to the tier vaults"
)
@read_options
@guarded
def cli(
    network: str,
    manifest: Path | None,
    payer: str | None,
    source: str | None,
    from_block: int | None,
    to_block: int | None,
    since: str | None,
    until: str | None,
    fmt: str,
    out: Path | None,
    verify: bool,
    chunk: int,
    cache_path: Path | None,
    no_cache: bool,
    reorg_depth: int,
) -> None:
    import json

    from tributary.errors import TributaryError
    from tributary.income import ReadSettings
    from tributary.logs import Rpc
    from tributary.manifest import Manifest, check_deployment, default_manifest_path
    from tributary.network import connect
    from tributary.payments import list_payments, parse_payer, resolve_range, verify_report
    from tributary.read_options import open_cache
    from tributary.render import scan_progress

    who = parse_payer(payer)
    if who is None and source is None:
        raise TributaryError("give --payer or --source (or both)")
    cache = open_cache(cache_path, no_cache)
    with connect(network) as provider, scan_progress("payments") as progress:
        deployment = Manifest.load(manifest or default_manifest_path(provider))
        check_deployment(deployment, provider)
        rpc = Rpc.of(provider.web3)
        pool_block = int((deployment.contracts.get("pool") or {}).get("block") or 0)
        first, last = resolve_range(rpc, pool_block, from_block, to_block, since, until)
        report = list_payments(
            rpc, deployment.address("pool"), who, source, first, last,
            ReadSettings(chunk=chunk, cache=cache, reorg_depth=reorg_depth, progress=progress),
        )  # fmt: skip
        if verify:
            verify_report(rpc, report, [address for _, address in deployment.tier_vaults()])
    if cache is not None:
        cache.close()
    text = json.dumps(report.to_json(), indent=2) + "\n" if fmt == "json" else report.to_csv()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    click.echo(
        f"{len(report.rows):,} payments, total {report.units(report.total)} {report.symbol}, "
        f"blocks {report.from_block:,}–{report.to_block:,}"
        + (", verified against the vaults" if verify else ""),
        err=True,
    )
