"""Deploy real protocol contracts on the local chain from their published npm packages.

Nothing here is a re-implementation: every bytecode comes from a package pinned in package.json.
- Uniswap V2: @uniswap/v2-core build/*.json (solc 0.5.16 artifacts with bytecode).
- Aave V3: @aave/core-v3 artifacts/ (hardhat artifacts; Pool and PoolConfigurator need their logic
  libraries linked into the bytecode placeholders).
- Morpho Blue: @morpho-org/morpho-blue ships only its sources, so they are compiled here with the
  solc version their exact pragma names (npm alias `solc-0.8.19`) and Morpho's own settings (via-IR,
  999999 runs), cached under .build/.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ape.contracts import ContractContainer, ContractInstance
from ethpm_types import ContractType

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"


def container(name: str, abi: list[dict[str, Any]], bytecode: str) -> ContractContainer:
    """An ape ContractContainer from a published ABI and (linked) creation bytecode."""
    code = bytecode if bytecode.startswith("0x") else "0x" + bytecode
    contract_type = ContractType.model_validate(
        {"contractName": name, "abi": abi, "deploymentBytecode": {"bytecode": code}}
    )
    return ContractContainer(contract_type)


def at(name: str, abi: list[dict[str, Any]], address: str) -> ContractInstance:
    """A handle on an already deployed protocol contract (e.g. a pair created by a factory)."""
    return container(name, abi, "0x").at(address)


# ---------------------------------------------------------------- Uniswap V2


@cache
def _uniswap_artifact(name: str) -> dict[str, Any]:
    return json.loads((NODE_MODULES / "@uniswap/v2-core/build" / f"{name}.json").read_text())


def uniswap(name: str) -> ContractContainer:
    """`UniswapV2Factory`, `UniswapV2Pair`, … from @uniswap/v2-core."""
    art = _uniswap_artifact(name)
    return container(name, art["abi"], art["bytecode"])


def uniswap_pair_at(address: str) -> ContractInstance:
    return at("UniswapV2Pair", _uniswap_artifact("UniswapV2Pair")["abi"], address)
