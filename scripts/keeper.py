"""ape run keeper --network <choice> --account <alias|env:VAR|TEST::N> [--dry-run] [thresholds]

One keeper pass over every tier of a deployment: report strategies whose unrealised P/L is worth the gas,
then allocate idle. Idempotent: run it from cron; when nothing is worth doing it sends nothing.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import account_option, guarded, manifest_option, network_option  # noqa: E402


@click.command(short_help="Allocate idle and report strategy P/L when worth it")
@network_option
@account_option(required=False)
@manifest_option
@click.option("--dry-run", is_flag=True, help="print the plan as a table and send nothing")
@click.option("--min-allocate", default="100", show_default=True, help="allocate when it moves at least this")
@click.option("--min-profit", default="1", show_default=True, help="report a profit of at least this")
@click.option("--min-loss", default="0.000001", show_default=True, help="report a loss of at least this")
@click.option(
    "--asset-per-eth", type=float, default=None, help="ETH price in asset units: profit must beat gas"
)
@click.option(
    "--gas-multiple", type=float, default=2.0, show_default=True, help="profit must be >= this x gas"
)
@click.option(
    "--deposits",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="sweep the deposit addresses of these `earner,source` lines (one per line)",
)
@click.option("--min-sweep", default="1", show_default=True, help="sweep an address worth at least this")
@guarded
def cli(
    network: str,
    account: str | None,
    manifest: Path | None,
    dry_run: bool,
    min_allocate: str,
    min_profit: str,
    min_loss: str,
    asset_per_eth: float | None,
    gas_multiple: float,
    deposits: Path | None,
    min_sweep: str,
) -> None:
    from ape import project

    from tributary.accounts import load_account
    from tributary.chain import ApeSender
    from tributary.deploy import manifest_path_for
    from tributary.errors import AccountError
    from tributary.keeper import KeeperPolicy, asset_decimals, check_role, run_keeper
    from tributary.manifest import Manifest
    from tributary.network import connect, is_dev_chain, network_label
    from tributary.render import console as render_console
    from tributary.render import keeper_table, tier_state_table
    from tributary.units import parse_amount

    console = render_console()
    with connect(network) as provider:
        w3 = provider.web3
        deployment = Manifest.load(manifest or manifest_path_for(network_label(provider)))
        tiers = deployment.tier_vaults()
        decimals = asset_decimals(w3, project, tiers[0][1])
        policy = KeeperPolicy(
            min_allocate=parse_amount(min_allocate, decimals, "--min-allocate"),
            min_profit=parse_amount(min_profit, decimals, "--min-profit"),
            min_loss=max(1, parse_amount(min_loss, decimals, "--min-loss")),
            asset_per_eth=asset_per_eth,
            gas_multiple=gas_multiple,
        )
        sender = None
        if not dry_run:
            if account is None:
                raise AccountError("--account is required unless --dry-run")
            signer = load_account(account, dev_chain=is_dev_chain(provider))
            missing = check_role(w3, project, tiers, signer.address)
            if missing:
                raise AccountError(f"{signer.address} lacks ALLOCATOR_ROLE on tier(s) {', '.join(missing)}")
            sender = ApeSender(signer)
        run = run_keeper(w3, project, tiers, policy, sender)
        sweeps = None
        if deposits is not None and "deposit-router" in deployment.contracts:  # issue 14: deposit addresses
            from tributary.sweep import SweepPolicy, load_pairs, run_sweeps, sweep_table

            sweep_policy = SweepPolicy(min_amount=parse_amount(min_sweep, decimals, "--min-sweep"))
            sweeps = run_sweeps(w3, project, deployment.address("deposit-router"), load_pairs(deposits),
                                sweep_policy, sender)  # fmt: skip
    console.print(tier_state_table(run, decimals, deployment.labels()))
    console.print(keeper_table(run, decimals, dry_run, deployment.labels()))
    if sweeps is not None:
        console.print(sweep_table(sweeps, decimals, dry_run))
    swept = sweeps.receipts if sweeps is not None else []
    if not run.actions and not (sweeps is not None and sweeps.actions):
        console.print("nothing worth doing: no transaction sent")
    elif not dry_run:
        console.print(f"sent {len(run.receipts) + len(swept)} transaction(s)")
