"""ape run keeper --network <choice> --account <alias|env:VAR|TEST::N> [--dry-run] [thresholds]

One keeper pass over every tier of a deployment: report every strategy loss at once and profits worth the
gas, then allocate idle; warn about stray tokens. Idempotent: run it from cron; when nothing is worth doing
it sends nothing.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, account_option, guarded, manifest_option, network_option  # noqa: E402


@click.command(
    cls=Command, short_help="Report losses, profits worth the gas, allocate idle; warn about strays"
)
@network_option
@account_option(required=False)
@manifest_option
@click.option("--dry-run", is_flag=True, help="print the plan as a table and send nothing")
@click.option("--min-allocate", default="100", show_default=True, help="allocate when it moves at least this")
@click.option("--min-profit", default="1", show_default=True, help="report a profit of at least this")
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
    asset_per_eth: float | None,
    gas_multiple: float,
    deposits: Path | None,
    min_sweep: str,
) -> None:
    from ape import project

    from tributary.accounts import load_account
    from tributary.chain import ApeSender
    from tributary.errors import AccountError
    from tributary.keeper import (
        KeeperPolicy,
        asset_decimals,
        asset_symbol,
        check_role,
        run_keeper,
        stray_balances,
    )
    from tributary.manifest import Manifest, check_deployment, default_manifest_path
    from tributary.network import connect, is_dev_chain
    from tributary.render import console as render_console
    from tributary.render import keeper_table, tier_state_table
    from tributary.units import parse_amount

    console = render_console()
    with connect(network) as provider:
        w3 = provider.web3
        deployment = Manifest.load(manifest or default_manifest_path(provider))
        check_deployment(deployment, provider)
        tiers = deployment.tier_vaults()
        decimals = asset_decimals(w3, project, tiers[0][1])
        symbol = asset_symbol(w3, project, tiers[0][1])
        policy = KeeperPolicy(
            min_allocate=parse_amount(min_allocate, decimals, "--min-allocate"),
            min_profit=parse_amount(min_profit, decimals, "--min-profit"),
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
        strays = stray_balances(w3, project, deployment.address("pool"), tiers)
        sweeps = None
        if deposits is not None and "deposit-router" in deployment.contracts:  # issue 14: deposit addresses
            from tributary.sweep import SweepPolicy, load_pairs, run_sweeps

            sweep_policy = SweepPolicy(min_amount=parse_amount(min_sweep, decimals, "--min-sweep"))
            sweeps = run_sweeps(w3, project, deployment.address("deposit-router"), load_pairs(deposits),
                                sweep_policy, sender)  # fmt: skip
    console.print(tier_state_table(run, decimals, deployment.labels()))
    console.print(keeper_table(run, decimals, dry_run, deployment.labels()))
    if sweeps is not None:
        from tributary.sweep import sweep_table

        console.print(sweep_table(sweeps, decimals, dry_run))
    labels = deployment.labels()
    for action in run.actions:
        if action.kind == "report" and action.amount < 0:
            loss = -action.amount / 10**decimals
            verb = "would report" if dry_run else "reported"
            click.echo(
                f"LOSS    {action.tier}: {verb} {labels.get(action.target or '', action.target)} at once "
                f"({loss:,.6f} {symbol} below its debt; losses ignore every threshold)"
            )
    swept = sweeps.receipts if sweeps is not None else []
    if not run.actions and not (sweeps is not None and sweeps.actions):
        click.echo("nothing worth doing: no transaction sent")
    elif not dry_run:
        click.echo(f"sent {len(run.receipts) + len(swept)} transaction(s):")
        for action, receipt in zip(run.actions, run.receipts, strict=True):
            what = action.kind + (f" {labels.get(action.target, action.target)}" if action.target else "")
            click.echo(f"  {action.tier:<14} {what:<24} tx {_hex(receipt['transactionHash'])}")
        for receipt in swept:
            click.echo(f"  {'deposit addresses':<14} {'sweep':<24} tx {_hex(receipt['transactionHash'])}")
    for stray in strays:
        amount = f"{stray.amount / 10**decimals:,.6f} {symbol}"
        click.echo(
            f"WARNING {stray.holder} holds {amount} that nobody is credited for (sent by plain transfer); "
            f'the admin can return it: make recover RECOVER_ARGS="--network {network} --account <admin> '
            f'--from {stray.holder.removeprefix("vault:")} --token asset --amount all --to <recipient>"'
        )


def _hex(value: object) -> str:
    hex_method = getattr(value, "to_0x_hex", None)
    return str(hex_method()) if callable(hex_method) else str(value)
