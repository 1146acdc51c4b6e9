"""Builders of the systems the benchmark measures: an asset, three tier vaults with strategies, pools
with a one-tier and a three-tier default profile, and the plain ERC-4626 peers (OpenZeppelin's, Solady's).

Set-up transactions (deploys, mints, approvals, seeding earners) are never measured; every measured
transaction is an ordinary call a user would send. No storage is ever written with anvil_setStorageAt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak
from web3.contract import Contract

from bench.chain import Chain, fresh_addresses

UNIT = 10**18
MAX_UINT = 2**256 - 1
TIMELOCK = 0  # risk-raising actions may be accepted at once: set-up only, never on a measured path
PROFIT_UNLOCK = 7 * 24 * 3600
SOURCE = keccak(text="ad-network:campaign-42")  # a realistic 32-byte source tag (non-zero bytes)
ONE_TIER = [10_000, 0, 0]
THREE_TIER = [5_000, 3_000, 2_000]
PROFILES = {"one-tier": ONE_TIER, "three-tier": THREE_TIER}
RISKS = (1, 3, 5)
STRATEGY_SHARE_BPS = 9_000  # the tier lends 90% to its strategies, 10% stays idle as the buffer
# Strategies are plain OpenZeppelin ERC-4626 vaults over the asset (what the generic adapter wraps); their
# yield is a donation, which raises their share price exactly as interest would.
STRATEGY_KINDS = ("PlainERC4626",)


SEED_BATCH = 100  # set-up batches: small enough for any profile to fit a block


def amounts(tag: str, count: int, start: int = 0) -> list[int]:
    """Deterministic micro-payments of 0.01–0.10 of an 18-decimal asset, every digit significant
    (8 non-zero calldata bytes each, like real amounts; round numbers would flatter calldata)."""
    out = []
    for i in range(start, count):
        noise = int.from_bytes(keccak(text=f"amount:{tag}:{i}")[:8], "big")
        out.append(UNIT // 100 + noise % (9 * UNIT // 100))
    return out


def packed(earners: list[str], values: list[int]) -> bytes:
    """payManyPacked's format: 20-byte earner ‖ 12-byte big-endian uint96 amount per entry."""
    return b"".join(
        bytes.fromhex(e[2:]) + v.to_bytes(12, "big") for e, v in zip(earners, values, strict=True)
    )


@dataclass
class Tiers:
    """One asset, its tier vaults (lowest risk first), their strategies and the pools in front."""

    token: Contract
    vaults: list[Contract]
    strategies: list[list[Contract]]
    pools: dict[str, Contract] = field(default_factory=dict)
    is_weth: bool = False


class Builder:
    """Deploys and wires systems; every actor is one of anvil's unlocked accounts."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        acc = chain.accounts
        self.admin, self.payer, self.alice, self.bob = acc[0], acc[4], acc[5], acc[6]

    # ------------------------------------------------------------------ assets

    def token(self) -> Contract:
        return self.chain.deploy("MockToken", "Mock USD", "mUSD", 18, sender=self.admin)

    def weth(self) -> Contract:
        return self.chain.deploy("MockWETH", sender=self.admin)

    def fund(self, token: Contract, holder: str, amount: int, is_weth: bool = False) -> None:
        if is_weth:
            self.chain.set_balance(holder, amount * 2 + 10**22)
            self.chain.send(token.functions.deposit(), holder, value=amount)
        else:
            self.chain.send(token.functions.mint(holder, amount), self.admin)

    def approve(self, token: Contract, owner: str, spender: str) -> None:
        self.chain.send(token.functions.approve(spender, MAX_UINT), owner)

    # ------------------------------------------------------------------ vaults and strategies

    def strategy_kind(self) -> str:
        for kind in STRATEGY_KINDS:
            if self.chain.has(kind):
                return kind
        raise RuntimeError(f"no strategy mock among {STRATEGY_KINDS} is compiled")

    def erc4626(self, kind: str, token: Contract) -> Contract:
        """Deploy an ERC-4626 over `token` whatever its constructor (address: the asset, string: a name)."""
        ctor: dict[str, Any] = next(
            (i for i in self.chain.abi(kind) if i["type"] == "constructor"), {"inputs": []}
        )
        args: list[Any] = []
        for inp in ctor["inputs"]:
            if inp["type"] == "address":
                args.append(token.address)
            elif inp["type"] == "string":
                args.append(f"bench {inp['name']}")
            else:
                args.append(0)
        return self.chain.deploy(kind, *args, sender=self.admin)

    def strategy(self, token: Contract) -> Contract:
        return self.erc4626(self.strategy_kind(), token)

    def vault(
        self, token: Contract, risk: int, n_strategies: int, label: str
    ) -> tuple[Contract, list[Contract]]:
        c = self.chain
        vault = c.deploy(
            "TierVault", token.address, f"Tributary {label}", f"tr{label}", risk, self.admin, TIMELOCK,
            PROFIT_UNLOCK, sender=self.admin,
        )  # fmt: skip
        for role in ("CURATOR_ROLE", "ALLOCATOR_ROLE", "GUARDIAN_ROLE"):
            if any(i.get("name") == role for i in c.abi("TierVault")):
                c.send(
                    vault.functions.grantRole(getattr(vault.functions, role)().call(), self.admin), self.admin
                )
        strategies = []
        for k in range(n_strategies):
            s = self.strategy(token)
            target = STRATEGY_SHARE_BPS // n_strategies
            add = vault.functions.addStrategy(s.address, 1 + k % risk, target, 2**128)
            c.send(vault.functions.submit(add._encode_transaction_data()), self.admin)  # timelock 0
            c.send(add, self.admin)
            strategies.append(s)
        return vault, strategies

    def seed(self, tiers: Tiers, per_vault: int = 1_000 * UNIT) -> None:
        """A first depositor in every tier, then one allocation: the vaults measured hold shares, idle and
        strategy debt, as in production (an empty vault would price its first deposits differently)."""
        for vault, strategies in zip(tiers.vaults, tiers.strategies, strict=True):
            self.fund(tiers.token, self.admin, per_vault, tiers.is_weth)
            self.approve(tiers.token, self.admin, vault.address)
            self.chain.send(vault.functions.deposit(per_vault, self.admin), self.admin)
            if strategies:
                self.chain.send(vault.functions.allocate(), self.admin)

    def tiers(self, n_strategies: int | list[int] = 1, weth: bool = False, tier_count: int = 3) -> Tiers:
        """`n_strategies`: per tier, or one count for every tier."""
        counts = n_strategies if isinstance(n_strategies, list) else [n_strategies] * tier_count
        token = self.weth() if weth else self.token()
        vaults, strategies = [], []
        for i in range(tier_count):
            v, s = self.vault(token, RISKS[i % len(RISKS)], counts[i], f"T{i}")
            vaults.append(v)
            strategies.append(s)
        tiers = Tiers(token=token, vaults=vaults, strategies=strategies, is_weth=weth)
        self.seed(tiers)
        return tiers

    def pools(self, tiers: Tiers, profiles: dict[str, list[int]] | None = None) -> Tiers:
        """One pool per default profile over the same tiers; the payer funds and approves each."""
        weth = tiers.token.address if tiers.is_weth else "0x" + "00" * 20
        for name, profile in (profiles or PROFILES).items():
            pool = self.chain.deploy(
                "Pool", tiers.token.address, [v.address for v in tiers.vaults], profile, self.admin, weth,
                sender=self.admin,
            )  # fmt: skip
            self.authorize(tiers, pool)
            tiers.pools[name] = pool
            self.approve(tiers.token, self.payer, pool.address)
        self.fund(tiers.token, self.payer, 10**9 * UNIT if not tiers.is_weth else 10**6 * UNIT, tiers.is_weth)
        return tiers

    def authorize(self, tiers: Tiers, pool: Contract) -> None:
        """Grant the pool the vaults' trusted-depositor role when the vault has one (optimised design)."""
        names = {i.get("name") for i in self.chain.abi("TierVault")}
        if "DEPOSITOR_ROLE" in names:
            for vault in tiers.vaults:
                role = vault.functions.DEPOSITOR_ROLE().call()
                self.chain.send(vault.functions.grantRole(role, pool.address), self.admin)

    def make_yield(self, strategy: Contract, tiers: Tiers, bps: int = 10) -> None:
        """Give a strategy a gain of `bps` of its assets (a donation, as a yield source's interest lands)."""
        gain = strategy.functions.totalAssets().call() * bps // 10_000 + 1
        if tiers.is_weth:
            self.fund(tiers.token, self.admin, gain, True)
            self.chain.send(tiers.token.functions.transfer(strategy.address, gain), self.admin)
        else:
            self.chain.send(tiers.token.functions.mint(strategy.address, gain), self.admin)

    def plain_erc4626(self, token: Contract) -> Contract:
        return self.erc4626("PlainERC4626", token)

    def peer_vaults(self, token: Contract) -> list[tuple[str, Contract]]:
        """The plain ERC-4626 peers deposits are compared with: OpenZeppelin's and Solady's, as shipped."""
        peers = [("OZ ERC4626 deposit", "PlainERC4626"), ("Solady ERC4626 deposit", "SoladyERC4626Peer")]
        return [(path, self.erc4626(kind, token)) for path, kind in peers if self.chain.has(kind)]

    # ------------------------------------------------------------------ earners

    def max_batch(self, pool: Contract) -> int:
        names = {i.get("name") for i in pool.abi}
        return int(pool.functions.MAX_BATCH().call()) if "MAX_BATCH" in names else 256

    def credit(self, pool: Contract, earners: list[str], tag: str) -> None:
        """Give `earners` shares (set-up: batched payMany, never measured)."""
        step = SEED_BATCH
        for i in range(0, len(earners), step):
            chunk = earners[i : i + step]
            values = amounts(f"seed:{tag}", len(chunk))
            self.chain.send(pool.functions.payMany(SOURCE, chunk, values), self.payer)

    def existing(self, pool: Contract, tag: str, count: int) -> list[str]:
        earners = fresh_addresses(f"existing:{tag}", count)
        self.credit(pool, earners, tag)
        return earners

    @staticmethod
    def new(tag: str, count: int) -> list[str]:
        return fresh_addresses(f"new:{tag}", count)
