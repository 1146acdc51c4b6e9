"""abi/<Contract>.json for the production contracts, from the compiled artifacts (`make abi`; a test fails
when a committed file is stale): wallets, `cast` and ethers decode our events and custom errors with them.

    python -m tributary.abis write    rewrite abi/*.json from .build/__local__.json
    python -m tributary.abis check    exit 1 if any file differs from the artifacts (a test does the same)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = (
    "TierVault",
    "Pool",
    "DepositRouter",
    "AaveV3Strategy",
    "MorphoBlueStrategy",
    "UniswapV2Strategy",
)
ABI_DIR = ROOT / "abi"
ARTIFACTS = ROOT / ".build" / "__local__.json"


def render(abi: list[dict[str, Any]]) -> str:
    """One canonical text per ABI (sorted keys, 2-space indent, trailing newline): diffs stay readable."""
    return json.dumps(abi, indent=2, sort_keys=True) + "\n"


def compiled_abis(artifacts: Path = ARTIFACTS) -> dict[str, list[dict[str, Any]]]:
    if not artifacts.exists():
        raise FileNotFoundError(f"{artifacts} not found: run `make compile` first")
    types = json.loads(artifacts.read_text())["contractTypes"]
    missing = [name for name in PRODUCTION if name not in types]
    if missing:
        raise KeyError(f"not in the compiled artifacts: {', '.join(missing)}")
    return {name: types[name]["abi"] for name in PRODUCTION}


def stale(abis: dict[str, list[dict[str, Any]]], folder: Path = ABI_DIR) -> list[str]:
    """Names whose abi/<name>.json is missing or differs from `abis`."""
    out = []
    for name, abi in abis.items():
        path = folder / f"{name}.json"
        if not path.exists() or path.read_text() != render(abi):
            out.append(name)
    return out


def write(abis: dict[str, list[dict[str, Any]]], folder: Path = ABI_DIR) -> list[str]:
    """Rewrite the files that changed; return their names."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = stale(abis, folder)
    for name in changed:
        (folder / f"{name}.json").write_text(render(abis[name]))
    return changed


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "write"
    abis = compiled_abis()
    if command == "check":
        bad = stale(abis)
        if bad:
            print(f"Error: abi/ is stale for {', '.join(bad)}: run `make abi` and commit", file=sys.stderr)
            return 1
        return 0
    if command == "write":
        changed = write(abis)
        print(f"abi/: {', '.join(changed) + ' rewritten' if changed else 'up to date'}")
        return 0
    print(f"Error: unknown command {command!r} (write, check)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
