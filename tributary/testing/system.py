"""Deploy a whole Tributary system for property tests and benchmarks (ape), then hand it to the lean driver.

One asset, three tier vaults (conservative / balanced / growth) with test strategies, one pool and the
InvariantLens. Deployment goes through ape (readable, checked); everything after it can run through
:mod:`tributary.testing.lean`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tributary.testing.lean import LeanChain, LeanContract
from tributary.testing.lens import Lens

MAX_UINT = 2**256 - 1
DAY = 86_400
TIER_NAMES = ("conservative", "balanced", "growth")
RISK_CEILINGS = (1, 3, 5)
DEFAULT_PROFILE = (5_000, 3_000, 2_000)
PROFIT_UNLOCK_TIME = DAY
PLENTY = 2**128  # "unlimited" liquidity that still leaves ERC-4626 conversions room below 2**256
WALLET_FUNDS = 2**110  # every payer can pay max-uint96 amounts thousands of times


@dataclass(frozen=True)
class StrategySpec:
    """A test strategy of one tier: `kind` is "yield" (grows with time), "lossy" (can be slashed) or
    "illiquid" (holds funds it will not always release)."""

    name: str
    tier: int
    kind: str
    risk: int
    target_bps: int


STRATEGIES: tuple[StrategySpec, ...] = (
    StrategySpec("yield0", 0, "yield", 1, 6_000),
    StrategySpec("yield1", 1, "yield", 2, 4_000),
    StrategySpec("lossy1", 1, "lossy", 3, 3_000),
    StrategySpec("yield2", 2, "yield", 3, 3_000),
    StrategySpec("lossy2", 2, "lossy", 5, 3_000),
    StrategySpec("illiquid2", 2, "illiquid", 4, 2_000),
)


@dataclass
class Roles:
    admin: Any
    curator: Any
    allocator: Any
    guardian: Any


@dataclass
class Deployed:
    """ape handles of one deployed system plus the named wallets that use it."""

    token: Any
    vaults: list[Any]
    pool: Any
    strategies: dict[str, tuple[StrategySpec, Any]]
    lens: Any
    roles: Roles
    wallets: dict[str, Any]  # name -> ape account (earners and payers)
    decimals: int
    extra_holders: dict[str, str] = field(default_factory=dict)  # name -> address (pool, fee recipient)


def make_strategy(project: Any, deployer: Any, token: Any, kind: str) -> Any:
    """One test strategy over `token` (mocks from contracts/test)."""
    if kind == "yield":
        return deployer.deploy(project.MockYieldSource, token, 1_000)  # 10 %/year, minted as time passes
    if kind == "lossy":
        return deployer.deploy(project.LossyStrategy, token)
    if kind == "illiquid":
        return deployer.deploy(project.IlliquidStrategy, token, PLENTY)  # liquid until a test says otherwise
    raise ValueError(f"unknown strategy kind {kind!r}")


def deploy_vault(project: Any, roles: Roles, token: Any, tier: int, unlock: int = PROFIT_UNLOCK_TIME) -> Any:
    """A TierVault with the standard roles granted and no timelock (tests accept strategies at once)."""
    admin = roles.admin
    vault = admin.deploy(
        project.TierVault,
        token,
        f"Tributary {TIER_NAMES[tier % 3]}",
        f"tr{tier}",
        RISK_CEILINGS[tier % 3],
        admin,
        0,
        unlock,
    )
    vault.grantRole(vault.CURATOR_ROLE(), roles.curator, sender=admin)
    vault.grantRole(vault.ALLOCATOR_ROLE(), roles.allocator, sender=admin)
    vault.grantRole(vault.GUARDIAN_ROLE(), roles.guardian, sender=admin)
    return vault


def add_strategy(
    vault: Any, strategy: Any, roles: Roles, risk: int, target_bps: int, cap: int = MAX_UINT
) -> None:
    """Timelocked: submit the exact `addStrategy` call, then run it (the system's timelock is 0)."""
    vault.submit(vault.addStrategy.encode_input(strategy, risk, target_bps, cap), sender=roles.curator)
    vault.addStrategy(strategy, risk, target_bps, cap, sender=roles.curator)


def deploy_system(
    project: Any,
    roles: Roles,
    wallets: dict[str, Any],
    decimals: int = 18,
    token: Any = None,
    strategies: Sequence[StrategySpec] = STRATEGIES,
    approvers: Sequence[str] = ("platform",),
    fee_recipient: Any = None,
) -> Deployed:
    """Deploy token (unless given), 3 tiers with `strategies`, the pool and the lens; fund `wallets`.

    Every wallet gets WALLET_FUNDS of the asset and approves the pool for every tier's shares (switchTier);
    only the wallets named in `approvers` also approve the pool for the asset (the others pay by permit or
    ERC-1363 transferAndCall). A `fee_recipient` (who receives performance-fee shares once the admin sets
    a fee) is watched by the lens too.
    """
    admin = roles.admin
    if token is None:
        token = admin.deploy(project.MockToken, "Mock USD", "mUSD", decimals)
    vaults = [deploy_vault(project, roles, token, t) for t in range(3)]
    deployed_strategies: dict[str, tuple[StrategySpec, Any]] = {}
    for spec in strategies:
        strategy = make_strategy(project, admin, token, spec.kind)
        add_strategy(vaults[spec.tier], strategy, roles, spec.risk, spec.target_bps)
        deployed_strategies[spec.name] = (spec, strategy)
    pool = admin.deploy(project.Pool, token, vaults, list(DEFAULT_PROFILE), admin, "0x" + "00" * 20)
    for vault in vaults:
        vault.grantRole(vault.DEPOSITOR_ROLE(), pool, sender=admin)
    lens = admin.deploy(project.InvariantLens)
    for name, wallet in wallets.items():
        token.mint(wallet, WALLET_FUNDS, sender=admin)
        if name in approvers:
            token.approve(pool, MAX_UINT, sender=wallet)
        for vault in vaults:
            vault.approve(pool, MAX_UINT, sender=wallet)
    return Deployed(
        token=token,
        vaults=vaults,
        pool=pool,
        strategies=deployed_strategies,
        lens=lens,
        roles=roles,
        wallets=wallets,
        decimals=decimals,
        extra_holders={"pool": pool.address, **({"fees": fee_recipient.address} if fee_recipient else {})},
    )


@dataclass
class LeanSystem:
    """The same system as selectors and addresses only: what the property machine drives."""

    chain: LeanChain
    token: LeanContract
    vaults: list[LeanContract]
    pool: LeanContract
    strategies: dict[str, tuple[StrategySpec, LeanContract]]
    lens: Lens
    holder_names: list[str]
    addresses: dict[str, str]  # wallet / role name -> address
    keys: dict[str, str]  # wallet name -> private key (permit signing)
    domain_separator: bytes
    chain_id: int
    decimals: int


def lean_view(deployed: Deployed, chain: LeanChain) -> LeanSystem:
    """Wrap a deployed system for the lean driver; holders are the wallets, then the extra holders."""
    token = LeanContract.from_ape(deployed.token)
    vaults = [LeanContract.from_ape(v) for v in deployed.vaults]
    pool = LeanContract.from_ape(deployed.pool)
    strategies = {name: (spec, LeanContract.from_ape(s)) for name, (spec, s) in deployed.strategies.items()}
    addresses = {name: w.address for name, w in deployed.wallets.items()}
    addresses.update(deployed.extra_holders)
    holder_names = list(addresses)
    for role in ("admin", "curator", "allocator", "guardian"):
        addresses[role] = getattr(deployed.roles, role).address
    lens = Lens(
        chain,
        deployed.lens.address,
        token.address,
        [v.address for v in vaults],
        [addresses[n] for n in holder_names],
        [s.address for _, s in strategies.values()],
    )
    chain.register_errors(token, pool, *vaults, *(s for _, s in strategies.values()))
    keys = {name: w.private_key for name, w in deployed.wallets.items()}
    return LeanSystem(
        chain=chain,
        token=token,
        vaults=vaults,
        pool=pool,
        strategies=strategies,
        lens=lens,
        holder_names=holder_names,
        addresses=addresses,
        keys=keys,
        domain_separator=bytes(deployed.token.DOMAIN_SEPARATOR()),
        chain_id=int(chain.rpc("eth_chainId"), 16),
        decimals=deployed.decimals,
    )
