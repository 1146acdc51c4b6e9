"""ape run account --alias operator --key-env OPERATOR_KEY

Creates an ape keyfile account WITHOUT prompts (CI, provisioning scripts): the private key comes from the
environment variable named by --key-env, the passphrase from APE_ACCOUNTS_<alias>_PASSPHRASE — the same
variable the deploy, keeper and recover scripts read to unlock it. The key never appears on a command line.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, guarded  # noqa: E402


@click.command(
    cls=Command, short_help="Create an ape keyfile account from a key in the environment (no prompts)"
)
@click.option("--alias", required=True, help="the account's ape alias (then: --account <alias>)")
@click.option("--key-env", required=True, help="name of the environment variable holding the hex private key")
@guarded
def cli(alias: str, key_env: str) -> None:
    import os
    import re

    from ape import accounts
    from ape_accounts.accounts import import_account_from_private_key
    from eth_account import Account

    from tributary.accounts import passphrase_env_var
    from tributary.errors import AccountError

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", alias):
        raise AccountError(f"--alias {alias!r}: use letters, digits, '_' or '-' (it becomes a variable name)")
    if alias in accounts.aliases:
        raise AccountError(
            f"an ape account {alias!r} already exists; pick another --alias or remove it first"
        )
    key = os.environ.get(key_env, "").strip()
    if not key:
        raise AccountError(f"environment variable {key_env} is not set (expected a hex private key)")
    try:
        address = Account.from_key(key).address
    except (ValueError, TypeError) as err:
        raise AccountError(f"environment variable {key_env} does not hold a valid private key") from err
    env_var = passphrase_env_var(alias)
    passphrase = os.environ.get(env_var)
    if not passphrase:
        raise AccountError(f"set {env_var} to the passphrase that will encrypt (and later unlock) the key")
    import_account_from_private_key(alias, passphrase, key if key.startswith("0x") else "0x" + key)
    click.echo(f"done    ape account {alias!r} = {address}; unlocked by ${env_var} in later runs")
