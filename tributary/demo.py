"""The demo: weeks of micro-income on a local anvil, through the real contracts.

Deploys with the same library as `ape run deploy`, then simulates day by day:
  - sources pay many earners: an ad network (daily revenue share to everyone, fractions of a cent to cents),
    a game (a reward per game won: 1-5 per player and day, grouped by `tributary.payer` into
    `payManyPacked` batches, so each player gets one credit per tier however many rewards), a storage market
    (weekly rent to its hosts) with `payMany` batches, and tippers paying single earners with `pay`;
  - earners hold different profiles (conservative, balanced, growth, or the pool default);
  - the mock yield sources earn interest as time passes (their views include it); the keeper library
    allocates idle and reports P/L;
  - one growth strategy is slashed half-way (a loss the share price shows at once);
  - two platforms know nothing of Tributary's ABI and pay by plain transfers to each earner's deposit
    address: a browser's ad rewards in the asset, and a game ("gold-quest") in its own token GAME, which the
    deposit router converts on a local Uniswap V3 pool; the keeper's sweep step credits them (issue 14).
Transactions go through web3 from anvil-unlocked accounts: hundreds of them run in seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from web3 import Web3
from web3.logs import DISCARD
from web3.types import RPCEndpoint

from tributary.chain import UnlockedSender, abi_of, contract
from tributary.income import encode_source
from tributary.keeper import KeeperPolicy, run_keeper
from tributary.payer import send_packed
from tributary.sweep import SweepPolicy, run_sweeps

DAY = 86_400
PROFILES: dict[str, list[int] | None] = {
    "conservative": [10_000, 0, 0],
    "balanced": [2_000, 6_000, 2_000],
    "growth": [0, 3_000, 7_000],
    "default": None,  # no profile: the pool's default split
}


@dataclass(frozen=True)
class DemoSettings:
    weeks: int = 6
    earners: int = 36
    seed: int = 7
    keeper_every_days: int = 3
    loss_day: int | None = None  # default: half-way
    loss_bps: int = 2_500  # share of the lossy strategy's assets that is slashed


@dataclass
class Snapshot:
    day: int
    timestamp: int
    tier_assets: list[int]
    share_price: list[float]
    paid_total: int


@dataclass
class Earner:
    address: str
    profile: str
    paid: int = 0
    payments: int = 0
    weights_bps: list[int] = field(default_factory=list)  # the split payments follow (profile or default)


@dataclass
class DemoResult:
    tiers: list[str]
    decimals: int
    symbol: str
    earners: list[Earner]
    history: list[Snapshot]
    events: list[tuple[int, str]] = field(default_factory=list)  # (day, label) for the chart
    tier_rows: list[dict[str, Any]] = field(default_factory=list)
    earner_values: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    transactions: int = 0


class Simulation:
    def __init__(
        self,
        w3: Web3,
        project: Any,
        manifest: Any,
        operator: str,
        settings: DemoSettings,
        tick: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.w3 = w3
        self.project = project
        self.settings = settings
        self.rng = random.Random(settings.seed)
        self.tick = tick
        self.tier_names = [name for name, _ in manifest.tier_vaults()]
        self.tiers = manifest.tier_vaults()
        self.vaults = [contract(w3, project, "TierVault", address) for _, address in self.tiers]
        self.pool = contract(w3, project, "Pool", manifest.address("pool"))
        self.asset = contract(w3, project, "MockToken", manifest.address("asset"))
        self.decimals = self.asset.functions.decimals().call()
        self.symbol = self.asset.functions.symbol().call()
        self.unit = 10**self.decimals
        self.operator = UnlockedSender(w3, operator)
        self.strategies = {
            key.split(":", 1)[1]: (record["contract"], record["address"])
            for key, record in manifest.contracts.items()
            if key.startswith("strategy:")
        }
        self.day = 0
        self.transactions = 0
        self.events: list[tuple[int, str]] = []
        self.sources: dict[str, int] = {}
        self.history: list[Snapshot] = []
        # issue 14: deposit-address platforms (set up when the deployment has a router and `uniswap` is set)
        self.router = (
            contract(w3, project, "DepositRouter", manifest.address("deposit-router"))
            if "deposit-router" in manifest.contracts
            else None
        )
        self.uniswap: Any = None
        self.gold: Any = None
        self.pending_plain: dict[tuple[str, str], int] = {}  # (earner, source) -> sent, not yet swept

    # --- set-up --------------------------------------------------------------------------------------------
    def setup(self) -> None:
        self.w3.provider.make_request(RPCEndpoint("anvil_autoImpersonateAccount"), [True])
        names = list(PROFILES)
        self.earners = [
            Earner(self._address(f"earner-{i}"), names[i % len(names)]) for i in range(self.settings.earners)
        ]
        third = max(1, len(self.earners) // 3)
        self.players = self.earners[::2]
        self.hosts = self.earners[1::3][:third]
        self.payers = {
            label: self._address(f"payer-{label}")
            for label in ("ad-network", "game", "storage-market", "tips")
        }
        self.tippers = [self._address(f"tipper-{i}") for i in range(4)]
        for who in [*self.payers.values(), *self.tippers, *(e.address for e in self.earners)]:
            self.w3.provider.make_request(RPCEndpoint("anvil_setBalance"), [who, hex(10**20)])
        for who in [*self.payers.values(), *self.tippers]:
            self._send(who, self.asset, "mint", who, 10_000_000 * self.unit)
            self._send(who, self.asset, "approve", self.pool.address, 2**256 - 1)
        default = [int(w) for w in self.pool.functions.defaultProfile().call()]
        for earner in self.earners:
            weights = PROFILES[earner.profile]
            if weights is not None:
                self._send(earner.address, self.pool, "setProfile", weights)
            earner.weights_bps = list(weights) if weights is not None else default

        self._setup_deposit_platforms()

    def _setup_deposit_platforms(self) -> None:
        """A GAME token, a GAME/asset Uniswap V3 pool (1 GAME = 0.05 asset), and the route listed on the
        deposit router after its timelock (the demo bends time)."""
        if self.router is None or self.uniswap is None:
            return
        from tributary.testing.uniswap_v3 import FEE

        op = self.operator.address
        art = self.project.MockToken.contract_type
        factory = self.w3.eth.contract(abi=abi_of(self.project, "MockToken"),
                                       bytecode=bytes(art.get_deployment_bytecode() or b""))  # fmt: skip
        tx = factory.constructor("Gold Quest", "GAME", 18).transact({"from": op, "gas": 5_000_000})
        address = self.w3.eth.wait_for_transaction_receipt(tx)["contractAddress"]
        if address is None:
            raise RuntimeError("Error: the demo's GAME token deployment created no contract")
        self.gold = contract(self.w3, self.project, "MockToken", address)
        price = 0.05 * self.unit / 10**18  # raw asset units per raw GAME unit
        self.uniswap.create_pool(op, self.gold, self.asset, price, 1_000_000 * self.unit)
        self.advance(3_600)
        self.operator.send(self.router, "proposeRoute", self.gold.address, FEE)
        self.advance(3_600)
        self.operator.send(self.router, "listRoute", self.gold.address)
        self.transactions += 2
        for label in ("browser-ads", "gold-quest"):
            self.payers[label] = self._address(f"payer-{label}")
            self.w3.provider.make_request(RPCEndpoint("anvil_setBalance"), [self.payers[label], hex(10**20)])
        self._send(
            self.payers["browser-ads"], self.asset, "mint", self.payers["browser-ads"], 10**7 * self.unit
        )
        self._send(self.payers["gold-quest"], self.gold, "mint", self.payers["gold-quest"], 10**9 * 10**18)

    def pay_plain(self, source: str, token: Any, earner: Earner, amount: int) -> None:
        """A platform that knows nothing of Tributary: a plain ERC-20 transfer to a deposit address."""
        from tributary.deposit import deposit_address

        if self.router is None:
            raise RuntimeError("Error: the demo has no deposit router to pay through")
        to = deposit_address(self.router.address, earner.address, source)
        self._send(self.payers[source], token, "transfer", to, amount)
        key = (earner.address, source)
        self.pending_plain[key] = self.pending_plain.get(key, 0) + amount

    def sweep(self) -> None:
        """The keeper's sweep step: credit what the deposit addresses hold (asset batched, GAME converted)."""
        if self.router is None or self.gold is None or not self.pending_plain:
            return
        pairs = list(self.pending_plain)
        policy = SweepPolicy(min_amount=self.unit // 100)
        tokens = [self.gold.address]
        run = run_sweeps(
            self.w3, self.project, self.router.address, pairs, policy, self.operator, tokens=tokens
        )
        self.transactions += len(run.receipts)
        by_address = {e.address: e for e in self.earners}
        for action, receipt in zip(run.actions, run.receipts, strict=False):
            if action.kind == "sweepMany":
                for who in action.earners:
                    amount = self.pending_plain.pop((who, "browser-ads"), 0)
                    by_address[who].paid += amount
                    by_address[who].payments += 1
                    self.sources["browser-ads"] = self.sources.get("browser-ads", 0) + amount
            else:
                for ev in self.router.events.Converted().process_receipt(receipt, errors=DISCARD):
                    who = ev["args"]["earner"]
                    self.pending_plain.pop((who, "gold-quest"), None)
                    by_address[who].paid += ev["args"]["amountOut"]
                    by_address[who].payments += 1
                    self.sources["gold-quest"] = self.sources.get("gold-quest", 0) + ev["args"]["amountOut"]

    def _address(self, label: str) -> str:
        return Web3.to_checksum_address(Web3.keccak(text=f"tributary-demo/{self.settings.seed}/{label}")[12:])

    def _send(self, sender: str, target: Any, fn: str, *args: Any) -> dict[str, Any]:
        self.transactions += 1
        return UnlockedSender(self.w3, sender).send(target, fn, *args)

    # --- one simulated day ----------------------------------------------------------------------------------
    def micro(self, low: float, high: float) -> int:
        """A log-uniform amount between low and high whole units: many tiny payments, a few larger ones."""
        exponent = self.rng.uniform(_log10(low), _log10(high))
        return max(1, int(10**exponent * self.unit))

    def pay_batch(self, source: str, earners: list[Earner], low: float, high: float) -> None:
        amounts = [self.micro(low, high) for _ in earners]
        self._send(
            self.payers[source],
            self.pool,
            "payMany",
            encode_source(source),
            [e.address for e in earners],
            amounts,
        )
        for earner, amount in zip(earners, amounts, strict=True):
            earner.paid += amount
            earner.payments += 1
        self.sources[source] = self.sources.get(source, 0) + sum(amounts)

    def pay_rewards(self, source: str, players: list[Earner], low: float, high: float) -> None:
        """A reward per game won (1-5 per player), as a platform would list them (in the order games end);
        `tributary.payer` groups them by player and sends `payManyPacked` batches with access lists."""
        rewards = [(p, self.micro(low, high)) for p in players for _ in range(self.rng.randint(1, 5))]
        self.rng.shuffle(rewards)
        receipts = send_packed(
            self.w3,
            self.pool.address,
            self.payers[source],
            encode_source(source),
            [(p.address, amount) for p, amount in rewards],
            self.pool.functions.MAX_BATCH().call(),
            poll_latency=0.002,  # anvil mines on arrival
        )
        self.transactions += len(receipts)
        for player, amount in rewards:
            player.paid += amount
            player.payments += 1
        self.sources[source] = self.sources.get(source, 0) + sum(a for _, a in rewards)

    def pay_single(self, payer: str, earner: Earner, amount: int, source: str) -> None:
        self._send(payer, self.pool, "pay", earner.address, amount, encode_source(source))
        earner.paid += amount
        earner.payments += 1
        self.sources[source] = self.sources.get(source, 0) + amount

    def run_day(self) -> None:
        self.pay_batch("ad-network", self.earners, 0.001, 0.25)
        self.pay_rewards(
            "game", self.rng.sample(self.players, k=max(1, len(self.players) * 2 // 3)), 0.01, 0.5
        )
        if self.day % 7 == 6:
            self.pay_batch("storage-market", self.hosts, 2.0, 40.0)
        for _ in range(self.rng.randint(2, 5)):
            self.pay_single(
                self.rng.choice(self.tippers), self.rng.choice(self.earners), self.micro(0.2, 10), "tips"
            )
        if self.gold is not None:  # plain-transfer platforms (deposit addresses)
            for earner in self.rng.sample(self.earners, k=max(1, len(self.earners) // 3)):
                self.pay_plain("browser-ads", self.asset, earner, self.micro(0.01, 0.5))
            for earner in self.rng.sample(self.players, k=max(1, len(self.players) // 3)):
                self.pay_plain("gold-quest", self.gold, earner, int(self.rng.uniform(0.5, 20) * 10**18))
        if self.day == self._loss_day():
            self.slash()
        if self.day % self.settings.keeper_every_days == 0:
            self.keeper()
        self.advance(DAY)
        self.day += 1
        self.snapshot()

    def _loss_day(self) -> int:
        return self.settings.loss_day if self.settings.loss_day is not None else self.settings.weeks * 7 // 2

    def slash(self) -> None:
        for name, (kind, address) in self.strategies.items():
            if kind == "LossyStrategy":
                strategy = contract(self.w3, self.project, "LossyStrategy", address)
                held = strategy.functions.totalAssets().call()
                self.operator.send(strategy, "slash", held * self.settings.loss_bps // 10_000)
                self.transactions += 1
                self.events.append((self.day, f"{name} slashed {self.settings.loss_bps / 100:.0f}%"))
                self.tick(
                    f"day {self.day}: strategy {name} lost {self.settings.loss_bps / 100:.0f}% of its assets"
                )

    def keeper(self) -> None:
        # Small thresholds: the demo's volumes are small and it wants to show every allocation and report.
        policy = KeeperPolicy(min_allocate=self.unit, min_profit=self.unit // 100)
        self.sweep()
        run = run_keeper(self.w3, self.project, self.tiers, policy, self.operator)
        self.transactions += len(run.receipts)
        losses = [a for a in run.actions if a.kind == "report" and a.amount < 0]
        for action in losses:
            loss = -action.amount / self.unit
            self.events.append((self.day, f"keeper reports a {loss:,.0f} {self.symbol} loss ({action.tier})"))

    def advance(self, seconds: int) -> None:
        self.w3.provider.make_request(RPCEndpoint("evm_increaseTime"), [seconds])
        self.w3.provider.make_request(RPCEndpoint("evm_mine"), [])

    def snapshot(self) -> None:
        block = self.w3.eth.get_block("latest")
        prices = []
        for vault in self.vaults:
            one_share = 10 ** vault.functions.decimals().call()
            prices.append(vault.functions.convertToAssets(one_share).call() / self.unit)
        self.history.append(
            Snapshot(
                day=self.day,
                timestamp=int(block["timestamp"]),
                tier_assets=[vault.functions.totalAssets().call() for vault in self.vaults],
                share_price=prices,
                paid_total=sum(e.paid for e in self.earners),
            )
        )

    # --- results --------------------------------------------------------------------------------------------
    def result(self) -> DemoResult:
        values = {}
        for earner in self.earners:
            total = 0
            for vault in self.vaults:
                shares = vault.functions.balanceOf(earner.address).call()
                total += vault.functions.previewRedeem(shares).call() if shares else 0
            values[earner.address] = total
        rows = []
        first = self.history[0] if self.history else None
        for index, (name, vault) in enumerate(zip(self.tier_names, self.vaults, strict=True)):
            strategies = vault.functions.strategies().call()
            price = self.history[-1].share_price[index] if self.history else 1.0
            start = first.share_price[index] if first else 1.0
            rows.append(
                {
                    "tier": name,
                    "strategies": len(strategies),
                    "idle": vault.functions.idle().call(),
                    "debt": vault.functions.totalDebt().call(),
                    "total_assets": vault.functions.totalAssets().call(),
                    "locked_profit": vault.functions.lockedProfit().call(),
                    "share_price": price,
                    "price_change": price / start - 1 if start else 0.0,
                }
            )
        return DemoResult(
            tiers=self.tier_names,
            decimals=self.decimals,
            symbol=self.symbol,
            earners=self.earners,
            history=self.history,
            events=self.events,
            tier_rows=rows,
            earner_values=values,
            sources=self.sources,
            transactions=self.transactions,
        )


def _log10(x: float) -> float:
    import math

    return math.log10(x)
