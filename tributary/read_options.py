"""Click options shared by the scripts that read history (income, payments): block range per query, cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tributary.cache import DEFAULT_REORG_DEPTH, ChainCache, default_cache_path
from tributary.logs import DEFAULT_CHUNK

F = TypeVar("F", bound=Callable[..., Any])


def read_options(f: F) -> F:
    options = [
        click.option(
            "--chunk",
            type=click.IntRange(min=1),
            default=DEFAULT_CHUNK,
            show_default=True,
            help="blocks per eth_getLogs (halved automatically when the provider refuses a range)",
        ),
        click.option(
            "--cache",
            "cache_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help=f"SQLite cache of what was read (default $TRIBUTARY_CACHE or {default_cache_path()}); "
            "safe to delete at any time",
        ),
        click.option("--no-cache", is_flag=True, help="read everything from the chain, keep nothing"),
        click.option(
            "--reorg-depth",
            type=click.IntRange(min=0),
            default=DEFAULT_REORG_DEPTH,
            show_default=True,
            help="blocks re-read on every run in case of a reorg",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def open_cache(cache_path: Path | None, no_cache: bool) -> ChainCache | None:
    """The cache the options ask for (None: an in-memory one per run)."""
    return None if no_cache else ChainCache(cache_path or default_cache_path())
