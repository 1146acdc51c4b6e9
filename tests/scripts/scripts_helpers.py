"""Helpers shared by the toolchain tests: run the scripts as a user does (subprocess) or in-process."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LOCAL_CONFIG = ROOT / "deploy" / "local.yaml"
APE = str(Path(sys.executable).with_name("ape"))


def ape_run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run `ape run ...` the way a user does, from the project root."""
    return subprocess.run(
        [APE, "run", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ape_popen(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [APE, "run", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def invoke(script: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run scripts/<script>.py's click command in this process (fast path for many small cases)."""

    from click.testing import CliRunner

    spec = importlib.util.spec_from_file_location(f"_script_{script}", ROOT / "scripts" / f"{script}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return CliRunner().invoke(module.cli, list(args), env=env, catch_exceptions=False)


def source(label: str) -> bytes:
    from tributary.income import encode_source

    return encode_source(label)
