"""ape run recover --network <choice> --account <admin> --from pool|<tier> --token asset|eth|0x... \
    --amount <units>|all --to 0x... [--dry-run]

The admin's recovery of stray tokens (sent to the Pool or a tier vault by plain transfer; the keeper warns
about them). Every input is checked against the chain before anything is sent; see tributary/recover.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, account_option, guarded, manifest_option, network_option  # noqa: E402


@click.command(cls=Command, short_help="Admin: return stray tokens held by the Pool or a tier vault")
@network_option
@account_option(required=False)
@manifest_option
@click.option("--from", "source", required=True, help="'pool' or a tier name (e.g. growth)")
@click.option("--token", default="asset", show_default=True, help="'asset', 'eth' or a token address")
@click.option("--amount", required=True, help="in whole token units (e.g. 12.5), or 'all'")
@click.option("--to", "to", required=True, help="the recipient's address")
@click.option("--dry-run", is_flag=True, help="check and print the recovery, send nothing")
@guarded
def cli(
    network: str,
    account: str | None,
    manifest: Path | None,
    source: str,
    token: str,
    amount: str,
    to: str,
    dry_run: bool,
) -> None:
    from ape import project

    from tributary.accounts import load_account, require_funds
    from tributary.chain import ApeSender
    from tributary.errors import AccountError
    from tributary.manifest import Manifest, check_deployment, default_manifest_path
    from tributary.network import connect, is_dev_chain
    from tributary.recover import execute_recovery, may_recover, plan_recovery

    with connect(network) as provider:
        w3 = provider.web3
        deployment = Manifest.load(manifest or default_manifest_path(provider))
        check_deployment(deployment, provider)
        recovery = plan_recovery(w3, project, deployment, source, token, to, amount)
        if dry_run:
            click.echo(f"dry run: would {recovery.describe()}")
            return
        if account is None:
            raise AccountError("--account is required unless --dry-run (the Pool's owner or a vault admin)")
        signer = load_account(account, dev_chain=is_dev_chain(provider))
        if not may_recover(w3, project, recovery, signer.address):
            who = "the pool's owner" if recovery.holder == "pool" else "a holder of the vault's admin role"
            raise AccountError(f"{signer.address} may not recover from {recovery.holder}: only {who} may")
        require_funds(signer, provider, 150_000 * int(w3.eth.gas_price), "the recovery")
        receipt = execute_recovery(w3, project, recovery, ApeSender(signer))
    click.echo(f"done    {recovery.describe()} tx {receipt['transactionHash']}")
