"""The keeper: per tier, report strategies whose unrealised P/L is worth realising, then allocate idle.

Safe on a schedule: every decision is recomputed from chain state, so a second run right after the first
finds nothing to do (profit was realised, idle was allocated) and sends nothing.

Rules, per strategy (value = strategy.previewRedeem(shares the vault holds), what `report` will book):
  - loss  (value < debt): report whenever it is at least `min_loss` — a loss must show in the share price
    at once, never sit hidden behind a stale debt figure;
  - profit (value > debt): report when it is at least `min_profit` AND, when a gas price for the asset is
    known, at least `gas_multiple` x the report's gas cost in asset units;
and per tier: `allocate()` when the idle that allocate would move into strategies under their target (or
the debt it would pull back from strategies above target) is at least `min_allocate`.
Reports run before allocate so allocate sizes targets on the realised figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from web3 import Web3

from tributary.chain import Sender, contract

BPS = 10_000


@dataclass(frozen=True)
class KeeperPolicy:
    min_allocate: int  # base units
    min_profit: int  # base units
    min_loss: int = 1  # base units
    asset_per_eth: float | None = None  # price of 1 ETH in whole asset units, to weigh gas against profit
    gas_multiple: float = 2.0


@dataclass
class StrategyState:
    address: str
    target_bps: int
    cap: int
    debt: int
    value: int
    last_report: int
    room: int  # strategy.maxDeposit(vault): allocate never pushes more
    liquid: int  # strategy.maxWithdraw(vault): allocate cannot pull back more

    @property
    def pnl(self) -> int:
        return self.value - self.debt


@dataclass
class TierState:
    name: str
    vault: str
    idle: int
    total_debt: int
    strategies: list[StrategyState]

    @property
    def managed(self) -> int:
        return self.idle + self.total_debt

    def allocation_moves(self) -> tuple[int, int]:
        """(idle allocate would push into strategies, debt it would pull back), as the vault computes it:
        target = min(cap, managed x targetBps), limited by what each strategy accepts or lets go. Limits
        matter for idempotence: a full or illiquid strategy must not trigger an allocate on every run."""
        push = pull = 0
        for s in self.strategies:
            target = min(self.managed * s.target_bps // BPS, s.cap)
            if s.debt > target:
                pull += min(s.debt - target, s.liquid)
            else:
                push += min(target - s.debt, s.room)
        return min(push, self.idle + pull), pull


@dataclass
class Action:
    tier: str
    vault: str
    kind: str  # "report" | "allocate"
    target: str | None  # strategy for reports
    amount: int  # P/L for reports (signed), assets moved for allocate
    reason: str


@dataclass
class KeeperRun:
    states: list[TierState]
    actions: list[Action]
    skipped: list[Action] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)


def _try_call(call: Any, fallback: int) -> int:
    """A strategy view, or `fallback` when the strategy reverts (the vault treats it the same way)."""
    try:
        return int(call.call())
    except Exception:
        return fallback


def read_tiers(w3: Web3, project: Any, tiers: list[tuple[str, str]]) -> list[TierState]:
    states = []
    for name, address in tiers:
        vault = contract(w3, project, "TierVault", address)
        strategies = []
        for s in vault.functions.strategies().call():
            params = vault.functions.strategyParams(s).call()
            risk, target_bps, last_report, active, debt, cap = params
            del risk, active
            strategy = contract(w3, project, "TierVault", s)  # any ERC-4626 ABI will do
            shares = strategy.functions.balanceOf(vault.address).call()
            value = _try_call(strategy.functions.previewRedeem(shares), debt)  # broken: nothing to realise
            room = _try_call(strategy.functions.maxDeposit(vault.address), 0)
            liquid = _try_call(strategy.functions.maxWithdraw(vault.address), 0)
            strategies.append(StrategyState(s, target_bps, cap, debt, value, last_report, room, liquid))
        states.append(
            TierState(
                name=name,
                vault=vault.address,
                idle=vault.functions.idle().call(),
                total_debt=vault.functions.totalDebt().call(),
                strategies=strategies,
            )
        )
    return states


def plan(
    states: list[TierState], policy: KeeperPolicy, gas_price: int, decimals: int
) -> tuple[list[Action], list[Action]]:
    """(actions worth doing, actions considered and skipped), reports first within each tier."""
    todo: list[Action] = []
    skipped: list[Action] = []
    gas_cost = gas_cost_in_asset(gas_price, decimals, policy)
    for tier in states:
        for s in tier.strategies:
            if s.pnl < 0:
                action = Action(tier.name, tier.vault, "report", s.address, s.pnl, "unrealised loss")
                (todo if -s.pnl >= policy.min_loss else skipped).append(action)
            elif s.pnl > 0:
                worth = s.pnl >= policy.min_profit and s.pnl >= policy.gas_multiple * gas_cost
                reason = (
                    f"unrealised profit (gas ~{gas_cost:.0f} base units)" if gas_cost else "unrealised profit"
                )
                action = Action(tier.name, tier.vault, "report", s.address, s.pnl, reason)
                (todo if worth else skipped).append(action)
        push, pull = tier.allocation_moves()
        moved = max(push, pull)
        if tier.strategies and moved > 0:
            reason = f"push {push} from idle" + (f", pull {pull} above target" if pull else "")
            action = Action(tier.name, tier.vault, "allocate", None, moved, reason)
            (todo if moved >= policy.min_allocate else skipped).append(action)
    return todo, skipped


REPORT_GAS = 120_000  # a report: two strategy views and the vault's book-keeping, measured ~80-110k


def gas_cost_in_asset(gas_price: int, decimals: int, policy: KeeperPolicy) -> float:
    """What one report costs in asset base units at `gas_price`, or 0 when no ETH price is given."""
    if policy.asset_per_eth is None:
        return 0.0
    return float(REPORT_GAS * gas_price / 1e18 * policy.asset_per_eth * 10**decimals)


def execute(w3: Web3, project: Any, actions: list[Action], sender: Sender) -> list[dict[str, Any]]:
    receipts = []
    for action in actions:
        vault = contract(w3, project, "TierVault", action.vault)
        if action.kind == "report":
            receipts.append(sender.send(vault, "report", action.target))
        else:
            receipts.append(sender.send(vault, "allocate"))
    return receipts


def asset_decimals(w3: Web3, project: Any, vault: str) -> int:
    asset = contract(w3, project, "TierVault", vault).functions.asset().call()
    return int(contract(w3, project, "MockToken", asset).functions.decimals().call())


def check_role(w3: Web3, project: Any, tiers: list[tuple[str, str]], who: str) -> list[str]:
    """Tiers on which `who` lacks ALLOCATOR_ROLE (allocate and report need it)."""
    missing = []
    for name, address in tiers:
        vault = contract(w3, project, "TierVault", address)
        role = vault.functions.ALLOCATOR_ROLE().call()
        if not vault.functions.hasRole(role, who).call():
            missing.append(name)
    return missing


def run_keeper(
    w3: Web3,
    project: Any,
    tiers: list[tuple[str, str]],
    policy: KeeperPolicy,
    sender: Sender | None,
) -> KeeperRun:
    """Read, plan and (unless `sender` is None: dry run) execute one keeper pass."""
    states = read_tiers(w3, project, tiers)
    decimals = asset_decimals(w3, project, tiers[0][1])
    actions, skipped = plan(states, policy, int(w3.eth.gas_price), decimals)
    run = KeeperRun(states, actions, skipped)
    if sender is not None and actions:
        run.receipts = execute(w3, project, actions, sender)
    return run
