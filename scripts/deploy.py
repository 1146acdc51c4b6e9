"""ape run deploy --network <choice> --config deploy/<network>.yaml --account <alias|env:VAR|TEST::N>

Deploys (or resumes deploying) the whole Tributary system and checks its wiring; see tributary/deploy.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, account_option, fail, guarded, manifest_option, network_option  # noqa: E402


@click.command(cls=Command, short_help="Deploy Tributary from a config file (resumable, idempotent)")
@network_option
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="deploy config (default: deploy/<network>.yaml)",
)
@account_option()
@manifest_option
@guarded
def cli(network: str, config_path: Path | None, account: str, manifest: Path | None) -> None:
    from ape import project

    from tributary.accounts import load_account
    from tributary.config import load_config
    from tributary.deploy import deploy_system
    from tributary.errors import ConfigError
    from tributary.manifest import default_manifest_path
    from tributary.network import connect, is_dev_chain, network_label

    with connect(network) as provider:
        label = network_label(provider)
        default = Path("deploy") / f"{label}.yaml"
        if config_path is None and not default.is_file():
            shipped = ", ".join(str(p) for p in sorted(Path("deploy").glob("*.yaml")))
            suggestion = (
                "deploy/local.yaml" if is_dev_chain(provider) else "deploy/sepolia.yaml as a template"
            )
            raise ConfigError(
                f"no --config given and no {default} for this network: pass --config (e.g. --config "
                f"{suggestion}; shipped: {shipped or 'none'})"
            )
        config = load_config(config_path or default)
        signer = load_account(account, dev_chain=is_dev_chain(provider))
        click.echo(f"deploy  {config.path} to {label} (chain {config.chain_id}) as {signer.address}")
        result = deploy_system(
            config,
            project=project,
            provider=provider,
            account=signer,
            manifest_path=manifest or default_manifest_path(provider),
            network_label=label,
            log=click.echo,
        )
    path = result.manifest.path
    if result.report.pending:
        count = len(result.report.pending)
        click.echo(f"PENDING {count} step(s) wait for a timelock; rerun this command then.")
        for step, (_, reason) in result.report.pending.items():
            click.echo(f"        {step}: {reason}")
        click.echo(f"manifest {path}")
        return
    if result.problems:
        fail("wiring check failed:\n  " + "\n  ".join(result.problems) + f"\nmanifest {path}")
    click.echo(f"OK      deployed and verified: manifest {path}")
