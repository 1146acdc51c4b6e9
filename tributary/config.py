"""Per-network deploy configuration: `deploy/<network>.yaml` (or .json), parsed and validated up front.

Everything a deployment needs is checked before the first transaction: a typo in a role address or a
weight that overflows 100 % is a clear `ConfigError` naming the key, never a revert half-way through.

Amounts (strategy caps, fee thresholds) are written in whole asset units ("250000", "12.5") and converted
with the asset's decimals at deploy time, so one config reads the same for a 6- and an 18-decimal asset.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from tributary.addresses import parse_address
from tributary.errors import ConfigError

# Chain ids of throwaway development chains (anvil / hardhat 31337, geth --dev and ganache 1337).
# Test-only contracts (mock asset, mock yield sources) and test accounts are allowed only there.
DEV_CHAIN_IDS = frozenset({31337, 1337})

MAX_BPS = 10_000
MAX_PERFORMANCE_FEE_BPS = 2_000  # the vault's hard maximum (20 %)
MIN_TIERS, MAX_TIERS = 2, 8
DEPLOYER = "deployer"

# Strategy kinds: an already deployed ERC-4626 over the asset (any network), or a test-only mock.
STRATEGY_KINDS = ("erc4626", "mock-yield", "lossy")
MOCK_STRATEGY_KINDS = frozenset({"mock-yield", "lossy"})
ROLE_NAMES = ("admin", "curator", "allocator", "guardian")

# Every key the loader reads, per level: anything else is a typo (`performence_fee:`) that would otherwise be
# ignored silently and leave a default in place, so it is refused with the nearest valid key.
TOP_KEYS = (
    "chain_id", "asset", "mock_asset", "tiers", "default_profile", "roles", "timelock",
    "profit_unlock_time", "performance_fee", "weth",
)  # fmt: skip
MOCK_ASSET_KEYS = ("name", "symbol", "decimals")
TIER_KEYS = ("name", "symbol", "risk_ceiling", "strategies")
STRATEGY_KEYS = ("name", "kind", "risk", "weight_bps", "cap", "address", "apr_bps")
FEE_KEYS = ("bps", "recipient")


@dataclass(frozen=True)
class MockAsset:
    name: str = "Mock USD"
    symbol: str = "mUSD"
    decimals: int = 6


@dataclass(frozen=True)
class StrategyConfig:
    name: str
    kind: str
    risk: int
    weight_bps: int
    cap: Decimal | None  # whole asset units; None = unlimited
    address: str | None = None  # kind == "erc4626"
    apr_bps: int = 0  # mock kinds: simulated yield per year


@dataclass(frozen=True)
class TierConfig:
    name: str
    symbol: str
    risk_ceiling: int
    strategies: tuple[StrategyConfig, ...]

    # A WETH pool's and a USDC pool's tiers must not share a name or ticker: the asset's symbol is in both.
    def share_name(self, asset_symbol: str) -> str:
        """ERC-20 name of the tier's shares: "Tributary Conservative USDC"."""
        return f"Tributary {self.name.capitalize()} {asset_symbol}"

    def share_symbol(self, asset_symbol: str) -> str:
        """ERC-20 symbol of the tier's shares: "trCONS-USDC"."""
        return f"{self.symbol}-{asset_symbol}"


@dataclass(frozen=True)
class PerformanceFee:
    bps: int = 0
    recipient: str | None = None  # address or "deployer"


@dataclass(frozen=True)
class DeployConfig:
    path: Path
    chain_id: int
    asset: str  # checksummed address or "mock"
    mock_asset: MockAsset
    tiers: tuple[TierConfig, ...]
    default_profile: tuple[int, ...]
    roles: dict[str, str]  # role name -> address or "deployer"
    timelock: int
    profit_unlock_time: int
    performance_fee: PerformanceFee
    weth: str | None
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def is_dev_chain(self) -> bool:
        return self.chain_id in DEV_CHAIN_IDS

    @property
    def hash(self) -> str:
        """sha256 of the canonical JSON of the parsed file: the manifest pins the config it was made with."""
        canonical = json.dumps(self.raw, sort_keys=True, separators=(",", ":"), default=str)
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()

    def role_address(self, role: str, deployer: str) -> str:
        value = self.roles[role]
        return deployer if value == DEPLOYER else value


def load_config(path: str | Path) -> DeployConfig:
    """Read and validate a deploy config; raise ConfigError with the file and key on any problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    text = path.read_text()
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {err}") from err
    try:
        return _parse(path, raw)
    except ValueError as err:
        raise ConfigError(f"{path}: {err}") from err


def _parse(path: Path, raw: Any) -> DeployConfig:
    if not isinstance(raw, dict):
        raise ValueError("top level must be a mapping of keys (chain_id, asset, tiers, ...)")
    r = _Reader(raw, "")
    r.only(TOP_KEYS)
    chain_id = r.integer("chain_id", minimum=1)
    is_dev = chain_id in DEV_CHAIN_IDS

    asset_value = r.require("asset")
    if asset_value == "mock":
        if not is_dev:
            raise ValueError(
                f"asset: 'mock' is only allowed on a local dev chain (chain_id {sorted(DEV_CHAIN_IDS)}), "
                f"this config is for chain_id {chain_id}; give the asset's address"
            )
        asset = "mock"
    else:
        asset = parse_address(asset_value, "asset")
    mock = r.sub("mock_asset", optional=True)
    mock.only(MOCK_ASSET_KEYS)
    mock_asset = MockAsset(
        name=mock.text("name", default="Mock USD"),
        symbol=mock.text("symbol", default="mUSD"),
        decimals=mock.integer("decimals", default=6, minimum=0, maximum=36),
    )

    tiers_raw = r.items("tiers")
    if not MIN_TIERS <= len(tiers_raw) <= MAX_TIERS:
        raise ValueError(f"tiers: need {MIN_TIERS} to {MAX_TIERS} tiers, got {len(tiers_raw)}")
    tiers = tuple(_parse_tier(_Reader(t, f"tiers[{i}]"), is_dev) for i, t in enumerate(tiers_raw))
    names = [t.name for t in tiers]
    if len(set(names)) != len(names):
        raise ValueError(f"tiers: tier names must be unique, got {names}")
    strategy_names = [s.name for t in tiers for s in t.strategies]
    if len(set(strategy_names)) != len(strategy_names):
        raise ValueError(f"tiers: strategy names must be unique across tiers, got {strategy_names}")

    profile = r.items("default_profile")
    if len(profile) != len(tiers):
        raise ValueError(f"default_profile: one weight per tier ({len(tiers)}), got {len(profile)}")
    weights = tuple(_int(w, f"default_profile[{i}]", 0, MAX_BPS) for i, w in enumerate(profile))
    if sum(weights) != MAX_BPS:
        raise ValueError(f"default_profile: weights must sum to {MAX_BPS} bps, got {sum(weights)}")

    roles_r = r.sub("roles")
    roles_r.only(ROLE_NAMES)
    roles: dict[str, str] = {}
    for role in ROLE_NAMES:
        value = roles_r.require(role)
        roles[role] = DEPLOYER if value == DEPLOYER else parse_address(value, f"roles.{role}")

    fee_r = r.sub("performance_fee", optional=True)
    fee_r.only(FEE_KEYS)
    fee_bps = fee_r.integer("bps", default=0, minimum=0, maximum=MAX_PERFORMANCE_FEE_BPS)
    recipient_value = fee_r.data.get("recipient")
    recipient = None
    if fee_bps:
        if recipient_value is None:
            raise ValueError("performance_fee.recipient: required when performance_fee.bps > 0")
        recipient = (
            DEPLOYER
            if recipient_value == DEPLOYER
            else parse_address(recipient_value, "performance_fee.recipient")
        )

    weth_value = raw.get("weth")
    return DeployConfig(
        path=path,
        chain_id=chain_id,
        asset=asset,
        mock_asset=mock_asset,
        tiers=tiers,
        default_profile=weights,
        roles=roles,
        timelock=r.integer("timelock", minimum=0),
        profit_unlock_time=r.integer("profit_unlock_time", minimum=0),
        performance_fee=PerformanceFee(bps=fee_bps, recipient=recipient),
        weth=None if weth_value is None else parse_address(weth_value, "weth"),
        raw=raw,
    )


def _parse_tier(r: _Reader, is_dev: bool) -> TierConfig:
    r.only(TIER_KEYS)
    name = r.text("name")
    ceiling = r.integer("risk_ceiling", minimum=1, maximum=5)
    strategies = tuple(
        _parse_strategy(_Reader(s, f"{r.where}.strategies[{j}]"), ceiling, is_dev)
        for j, s in enumerate(r.items("strategies", default=[]))
    )
    total = sum(s.weight_bps for s in strategies)
    if total > MAX_BPS:
        raise ValueError(f"{r.where}.strategies: weights sum to {total} bps, above {MAX_BPS}")
    return TierConfig(name=name, symbol=r.text("symbol"), risk_ceiling=ceiling, strategies=strategies)


def _parse_strategy(r: _Reader, ceiling: int, is_dev: bool) -> StrategyConfig:
    r.only(STRATEGY_KEYS)
    kind = r.text("kind")
    if kind not in STRATEGY_KINDS:
        raise ValueError(f"{r.where}.kind: {kind!r} is not one of {list(STRATEGY_KINDS)}")
    if kind in MOCK_STRATEGY_KINDS and not is_dev:
        raise ValueError(f"{r.where}.kind: {kind!r} is a test-only mock, allowed on a local dev chain only")
    risk = r.integer("risk", minimum=1, maximum=5)
    if risk > ceiling:
        raise ValueError(f"{r.where}.risk: {risk} is above the tier's risk_ceiling {ceiling}")
    address = parse_address(r.require("address"), f"{r.where}.address") if kind == "erc4626" else None
    return StrategyConfig(
        name=r.text("name"),
        kind=kind,
        risk=risk,
        weight_bps=r.integer("weight_bps", minimum=0, maximum=MAX_BPS),
        cap=r.amount("cap"),
        address=address,
        apr_bps=_apr(r, kind),
    )


def _apr(r: _Reader, kind: str) -> int:
    if kind == "mock-yield":
        return r.integer("apr_bps", default=0, minimum=0, maximum=100 * MAX_BPS)
    if "apr_bps" in r.data:
        raise ValueError(f"{r.where}.apr_bps: only a mock-yield strategy takes a simulated rate")
    return 0


def _int(value: Any, where: str, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: expected an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{where}: {value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{where}: {value} is above the maximum {maximum}")
    return value


_MISSING = object()


class _Reader:
    """Typed access to one mapping of the config, with the key path in every error."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ValueError(f"{where or 'top level'}: expected a mapping, got {data!r}")
        self.data = data
        self.where = where

    def _key(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def only(self, allowed: tuple[str, ...]) -> None:
        """Refuse any key not in `allowed`, suggesting the nearest valid one (a typo is never ignored)."""
        for key in self.data:
            if key in allowed:
                continue
            near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{self._key(near[0])}'?" if near else f"valid keys: {', '.join(allowed)}"
            raise ValueError(f"unknown key '{self._key(str(key))}': {hint}")

    def require(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.data or self.data[key] is None:
            if default is not _MISSING:
                return default
            raise ValueError(f"missing required key '{self._key(key)}'")
        return self.data[key]

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.require(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{self._key(key)}: expected a non-empty string, got {value!r}")
        return value

    def integer(
        self, key: str, default: Any = _MISSING, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        return _int(self.require(key, default), self._key(key), minimum, maximum)

    def items(self, key: str, default: Any = _MISSING) -> list[Any]:
        value = self.require(key, default)
        if not isinstance(value, list):
            raise ValueError(f"{self._key(key)}: expected a list, got {value!r}")
        return value

    def sub(self, key: str, optional: bool = False) -> _Reader:
        value = self.require(key, {} if optional else _MISSING)
        return _Reader(value, self._key(key))

    def amount(self, key: str) -> Decimal | None:
        value = self.require(key)
        if value == "unlimited":
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            amount = Decimal(-1)
        if isinstance(value, bool) or not amount.is_finite() or amount < 0:
            raise ValueError(
                f"{self._key(key)}: expected an amount >= 0 in asset units or 'unlimited', got {value!r}"
            )
        return amount


def to_base_units(amount: Decimal | None, decimals: int) -> int:
    """Whole asset units -> integer base units; None (unlimited) -> 2**256 - 1."""
    if amount is None:
        return 2**256 - 1
    return int(amount.scaleb(decimals).to_integral_value())
