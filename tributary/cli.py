"""Shared pieces of the ape scripts: common options and turning failures into one clear line.

Every script body runs inside `clean_errors()`: a user mistake (TributaryError), a reverted transaction or
an unreachable node ends with `Error: <what was wrong>` on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from tributary.errors import TributaryError

F = TypeVar("F", bound=Callable[..., Any])

ROOT = Path(__file__).resolve().parents[1]


def fail(message: str, code: int = 1) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(code)


class Command(click.Command):
    """A click command whose usage mistakes (a missing --earner, a value out of range) end like every other
    bad input: one `Error:` line and exit code 1, instead of click's usage block and exit code 2."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as err:
            fail(f"{err.format_message()} (see --help)")
            raise  # unreachable: fail() exits


@contextmanager
def clean_errors() -> Iterator[None]:
    from ape.exceptions import ApeException

    try:
        yield
    except TributaryError as err:
        fail(str(err))
    except ApeException as err:  # reverts, signing refusals, RPC errors
        fail(f"{type(err).__name__}: {err}")
    except KeyboardInterrupt:
        fail("interrupted; rerun the same command to resume", code=130)


NETWORK_REQUIRED = (
    "--network is required: an RPC URL (--network http://127.0.0.1:8545), an ape network "
    "(--network ethereum:sepolia, base:sepolia), or --network ethereum:local for a throw-away anvil that "
    "ape starts and stops with this command (nothing deployed there survives it)"
)


def _require_network(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is None or not value.strip():
        fail(NETWORK_REQUIRED)
    return str(value).strip()


def network_option(f: F) -> F:
    """--network, required: without it ape would pick a throw-away local chain and the deploy would 'succeed'
    into a node that disappears when the command ends."""
    return click.option(
        "--network",
        default=None,
        callback=_require_network,
        help="an RPC URL such as http://127.0.0.1:8545, an ape network (ethereum:sepolia, base:sepolia...), "
        "or ethereum:local for a throw-away anvil",
    )(f)


def account_option(required: bool = True) -> Callable[[F], F]:
    return click.option(
        "--account",
        required=required,
        help="signer: an ape account alias (passphrase from APE_ACCOUNTS_<alias>_PASSPHRASE), "
        "env:VAR (hex private key in $VAR), or TEST::N on a local dev chain",
    )


def manifest_option(f: F) -> F:
    return click.option(
        "--manifest",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="deployment manifest (default: deployments/<network>.json)",
    )(f)


def guarded(f: F) -> F:
    """Decorator form of clean_errors for click command bodies."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with clean_errors():
            return f(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
