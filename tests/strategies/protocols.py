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

import hashlib
import json
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ape.contracts import ContractContainer, ContractInstance
from eth_abi import encode
from eth_utils import keccak
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


# ---------------------------------------------------------------- Aave V3

AAVE = NODE_MODULES / "@aave/core-v3/artifacts/contracts"
RAY = 10**27
AAVE_LIBRARIES = (
    "SupplyLogic",
    "BorrowLogic",
    "LiquidationLogic",
    "EModeLogic",
    "BridgeLogic",
    "PoolLogic",
    "FlashLoanLogic",  # linked against BorrowLogic: deployed after it
    "ConfiguratorLogic",
)


@cache
def _aave_artifact(name: str) -> dict[str, Any]:
    [path] = [p for p in AAVE.rglob(f"{name}.json") if p.parent.name == f"{name}.sol"]
    return json.loads(path.read_text())


def link(
    bytecode: str, link_references: dict[str, dict[str, list[dict[str, int]]]], libs: dict[str, str]
) -> str:
    """Write library addresses into a hardhat artifact's placeholders (offsets are in bytes)."""
    code = bytecode.removeprefix("0x")  # placeholders like __$…$__ are not hex: splice the text
    for by_name in link_references.values():
        for name, spots in by_name.items():
            address = libs[name].removeprefix("0x").lower()
            for spot in spots:
                start = 2 * spot["start"]
                code = code[:start] + address + code[start + 2 * spot["length"] :]
    return "0x" + code


def aave(name: str, libs: dict[str, str] | None = None) -> ContractContainer:
    """An @aave/core-v3 contract (Pool, AToken, PoolConfigurator, …), its libraries linked from `libs`."""
    art = _aave_artifact(name)
    return container(name, art["abi"], link(art["bytecode"], art["linkReferences"], libs or {}))


def aave_at(name: str, address: str) -> ContractInstance:
    return at(name, _aave_artifact(name)["abi"], address)


@dataclass
class AaveMarket:
    provider: ContractInstance
    pool: ContractInstance
    configurator: ContractInstance
    oracle: ContractInstance
    atoken_impl: ContractInstance
    stable_impl: ContractInstance
    variable_impl: ContractInstance
    rates: ContractInstance
    treasury: str


def deploy_aave(admin: Any, treasury: Any) -> AaveMarket:
    """A fresh Aave V3 market the way Aave's deploy scripts wire one: provider, ACL, Pool and
    PoolConfigurator behind the provider's proxies, token implementations, a rate strategy, an oracle.
    `admin` is ACL admin, pool admin, emergency admin and risk admin."""
    provider = admin.deploy(aave("PoolAddressesProvider"), "Tributary test market", admin)
    provider.setACLAdmin(admin, sender=admin)
    acl = admin.deploy(aave("ACLManager"), provider)
    provider.setACLManager(acl, sender=admin)
    for grant in (acl.addPoolAdmin, acl.addEmergencyAdmin, acl.addRiskAdmin):
        grant(admin, sender=admin)

    libs: dict[str, str] = {}
    for name in AAVE_LIBRARIES:
        libs[name] = admin.deploy(aave(name, libs)).address
    provider.setPoolImpl(admin.deploy(aave("Pool", libs), provider), sender=admin)
    provider.setPoolConfiguratorImpl(admin.deploy(aave("PoolConfigurator", libs)), sender=admin)
    oracle = admin.deploy(aave("PriceOracle"))
    provider.setPriceOracle(oracle, sender=admin)

    pool = aave_at("Pool", provider.getPool())
    # 80% optimal usage, 0% base, 4% slope below it, 75% above (Aave's stablecoin profile); no stable rate.
    rates = admin.deploy(
        aave("DefaultReserveInterestRateStrategy"),
        provider,
        RAY * 80 // 100,
        0,
        RAY * 4 // 100,
        RAY * 75 // 100,
        0,
        0,
        0,
        0,
        RAY * 20 // 100,
    )
    return AaveMarket(
        provider=provider,
        pool=pool,
        configurator=aave_at("PoolConfigurator", provider.getPoolConfigurator()),
        oracle=oracle,
        atoken_impl=admin.deploy(aave("AToken"), pool),
        stable_impl=admin.deploy(aave("StableDebtToken"), pool),
        variable_impl=admin.deploy(aave("VariableDebtToken"), pool),
        rates=rates,
        treasury=str(getattr(treasury, "address", treasury)),
    )


def aave_list_reserve(
    market: AaveMarket,
    admin: Any,
    token: ContractInstance,
    price_usd_8: int,
    *,
    collateral: bool = False,
    borrowable: bool = False,
) -> ContractInstance:
    """List `token` on the market (through PoolConfigurator.initReserves, like governance does) and return
    its aToken."""
    symbol = token.symbol()
    init = (
        market.atoken_impl.address,
        market.stable_impl.address,
        market.variable_impl.address,
        token.decimals(),
        market.rates.address,
        token.address,
        market.treasury,
        "0x0000000000000000000000000000000000000000",
        f"Aave {symbol}",
        f"a{symbol}",
        f"Aave variable debt {symbol}",
        f"variableDebt{symbol}",
        f"Aave stable debt {symbol}",
        f"stableDebt{symbol}",
        b"",
    )
    market.configurator.initReserves([init], sender=admin)
    market.oracle.setAssetPrice(token, price_usd_8, sender=admin)
    if collateral:
        market.configurator.configureReserveAsCollateral(token, 8_000, 8_500, 10_500, sender=admin)
    if borrowable:
        market.configurator.setReserveBorrowing(token, True, sender=admin)
    return aave_at("AToken", market.pool.getReserveData(token).aTokenAddress)


# ---------------------------------------------------------------- Morpho Blue

MORPHO_SRC = NODE_MODULES / "@morpho-org/morpho-blue/src"
MORPHO_SOLC = NODE_MODULES / "solc-0.8.19"  # npm alias of solc@0.8.19, the exact pragma of Morpho.sol
MORPHO_SOURCES = ("Morpho.sol", "mocks/IrmMock.sol", "mocks/OracleMock.sol")
MORPHO_CACHE_DIR = ROOT / ".build" / "protocols"
_SOLCJS = """
const fs = require("fs"), path = require("path");
const solc = require(process.argv[1]), root = process.argv[2];
const find = (p) => { const f = path.resolve(root, p);
  return fs.existsSync(f) ? { contents: fs.readFileSync(f, "utf8") } : { error: "not found: " + p }; };
process.stdout.write(solc.compile(fs.readFileSync(0, "utf8"), { import: find }));
"""


def _morpho_request() -> dict[str, Any]:
    return {
        "language": "Solidity",
        "sources": {name: {"content": (MORPHO_SRC / name).read_text()} for name in MORPHO_SOURCES},
        "settings": {
            "optimizer": {"enabled": True, "runs": 999_999},
            "viaIR": True,
            "evmVersion": "paris",
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}},
        },
    }


def _compile_morpho(request: dict[str, Any]) -> dict[str, Any]:
    """Compile Morpho Blue's published sources with Morpho's own settings (via-IR, 999,999 runs)."""
    out = subprocess.run(
        ["node", "-e", _SOLCJS, str(MORPHO_SOLC), str(MORPHO_SRC)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    errors = [e["formattedMessage"] for e in result.get("errors", []) if e["severity"] == "error"]
    if errors:
        raise RuntimeError("Morpho Blue did not compile:\n" + "\n".join(errors))
    return {
        name: {"abi": c["abi"], "bytecode": c["evm"]["bytecode"]["object"]}
        for unit in result["contracts"].values()
        for name, c in unit.items()
    }


@cache
def _morpho_artifacts() -> dict[str, Any]:
    """Compiled once (~15 s) and cached under .build/ (git-ignored, wiped by `make clean`), keyed by a hash
    of the exact sources and settings so a package upgrade recompiles."""
    request = _morpho_request()
    digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:16]
    cached = MORPHO_CACHE_DIR / f"morpho-blue-{digest}.json"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(_compile_morpho(request)))
    return json.loads(cached.read_text())


def morpho(name: str) -> ContractContainer:
    """`Morpho`, `IrmMock` or `OracleMock` from @morpho-org/morpho-blue 1.0.0."""
    art = _morpho_artifacts()[name]
    return container(name, art["abi"], art["bytecode"])


def morpho_market_id(params: tuple[str, str, str, str, int]) -> bytes:
    return keccak(encode(["address", "address", "address", "address", "uint256"], list(params)))
