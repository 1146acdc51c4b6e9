"""Loading the signing account for scripts: an ape keyfile account, a private key from the environment,
or (on a dev chain only) one of the well-known test accounts.

    --account deployer          ape keyfile account `deployer` (`ape accounts import deployer`); its
                                passphrase comes from APE_ACCOUNTS_deployer_PASSPHRASE, or a prompt
    --account env:DEPLOYER_KEY  the hex private key in the environment variable DEPLOYER_KEY
    --account TEST::0           ape test account 0 (anvil's funded dev key); refused on a real chain
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from tributary.errors import AccountError

TEST_PREFIX = "TEST::"
ENV_PREFIX = "env:"


def passphrase_env_var(alias: str) -> str:
    """The variable ape's KeyfileAccount.unlock reads for non-interactive use."""
    return f"APE_ACCOUNTS_{alias}_PASSPHRASE"


def load_account(spec: str, *, dev_chain: bool, interactive: bool | None = None) -> Any:
    """Return a ready-to-sign ape account for `spec` (see module doc), or raise AccountError."""
    from ape import accounts

    spec = spec.strip()
    if not spec:
        raise AccountError("--account is empty; give an ape account alias, env:VAR or TEST::N")
    if spec.upper().startswith(TEST_PREFIX):
        if not dev_chain:
            raise AccountError(
                f"{spec} is a public test key: test accounts are only allowed on a local dev chain. "
                "Use an ape keyfile account (`ape accounts import <alias>`) or env:VAR"
            )
        index_text = spec[len(TEST_PREFIX) :]
        if not index_text.isdigit():
            raise AccountError(f"{spec}: expected TEST::<index>, e.g. TEST::0")
        return accounts.test_accounts[int(index_text)]
    if spec.startswith(ENV_PREFIX):
        return _from_env_key(spec[len(ENV_PREFIX) :])
    return _from_keyfile(spec, interactive=sys.stdin.isatty() if interactive is None else interactive)


def _from_env_key(var: str) -> Any:
    from ape_accounts.accounts import ApeSigner
    from eth_account import Account

    key = os.environ.get(var)
    if not key:
        raise AccountError(f"environment variable {var} is not set (expected a hex private key)")
    try:
        Account.from_key(key)
    except (ValueError, TypeError) as err:
        raise AccountError(f"environment variable {var} does not hold a valid private key") from err
    return ApeSigner(private_key=key if key.startswith("0x") else "0x" + key)


def _from_keyfile(alias: str, *, interactive: bool) -> Any:
    from ape import accounts
    from ape.exceptions import AccountsError

    try:
        account = accounts.load(alias)
    except (IndexError, KeyError, AccountsError) as err:
        known = sorted(accounts.aliases)
        raise AccountError(
            f"no ape account with alias {alias!r} (known: {', '.join(known) or 'none'}). "
            f"Import one with `ape accounts import {alias}`"
        ) from err
    env_var = passphrase_env_var(alias)
    passphrase = os.environ.get(env_var)
    if passphrase is None and not interactive:
        raise AccountError(f"account {alias!r} is locked: set {env_var} for non-interactive use")
    logging.getLogger("ape").addFilter(_DropCachedKeyNotice())
    try:
        # Autosign: the operator chose this account for this run; prompting once per transaction would
        # make a 30-step deploy unusable. The passphrase is asked for (or read) once.
        account.set_autosign(True, passphrase=passphrase)
    except AccountsError as err:
        raise AccountError(f"cannot unlock account {alias!r}: wrong passphrase ({env_var})") from err
    return account


class _DropCachedKeyNotice(logging.Filter):
    """ape logs "Using cached key for <alias>" before every signature of an unlocked keyfile account: on
    a 30-transaction deploy that drowns the step log. The one-time "will now sign" warning stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Using cached key for")


def require_funds(account: Any, provider: Any, min_wei: int, purpose: str) -> None:
    """Refuse to start when the account cannot pay for what follows."""
    balance = int(provider.get_balance(account.address))
    if balance < min_wei:
        raise AccountError(
            f"account {account.address} has {balance / 1e18:.6f} ETH on chain {provider.web3.eth.chain_id}, "
            f"{purpose} needs about {min_wei / 1e18:.6f} ETH: fund it first"
        )
