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
from tributary.network import DEFAULT_NETWORK

F = TypeVar("F", bound=Callable[..., Any])

ROOT = Path(__file__).resolve().parents[1]


def fail(message: str, code: int = 1) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(code)


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


def network_option(f: F) -> F:
    return click.option(
        "--network",
        default=DEFAULT_NETWORK,
        show_default=True,
        help="ape network choice (ecosystem:network:provider) or an RPC URL such as http://127.0.0.1:8545",
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
