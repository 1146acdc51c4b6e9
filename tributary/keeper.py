"""The keeper: per tier, report strategies whose unrealised P/L is worth realising, then allocate idle.

Safe on a schedule: every decision is recomputed from chain state, so a second run right after the first
finds nothing to do (profit was realised, idle was allocated) and sends nothing.

Rules, per strategy (value = strategy.convertToAssets(strategy.balanceOf(vault)) through the standard
IERC4626 interface, debt = vault.strategyParams(strategy).debt):
  - loss  (value < debt): ALWAYS reported, whatever the thresholds — a loss must show in the share price at
    once, never sit hidden behind a stale debt figure (withdrawals are priced at the last report);
  - profit (value > debt): report when it is at least `min_profit` AND, when a gas price for the asset is
    known, at least `gas_multiple` x the report's gas cost in asset units;
and per tier: `allocate()` when the idle that allocate would move into strategies under their target (or
the debt it would pull back from strategies above target) is at least `min_allocate`.
Reports run before allocate so allocate sizes targets on the realised figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from web3 import Web3

from tributary.chain import Sender, contract, standard
from tributary.errors import AccountError

BPS = 10_000


@dataclass(frozen=True)
class KeeperPolicy:
    min_allocate: int  # base units
    min_profit: int  # base units
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
    threshold: int | None = None  # the threshold (base units) the amount was held against; None: none applies


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
            strategy = standard(w3, "IERC4626", s)  # a foreign ERC-4626: the standard interface only
            shares = _try_call(strategy.functions.balanceOf(vault.address), -1)
            # a strategy whose views revert: nothing the keeper can realise (the vault skips it too)
            value = debt if shares < 0 else _try_call(strategy.functions.convertToAssets(shares), debt)
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
                reason = f"LOSS: value {s.value} < debt {s.debt}: realised now, whatever the thresholds"
                todo.append(Action(tier.name, tier.vault, "report", s.address, s.pnl, reason))
            elif s.pnl > 0:
                bar = max(policy.min_profit, ceil(policy.gas_multiple * gas_cost))
                worth = s.pnl >= bar
                reason = (
                    f"unrealised profit (gas ~{gas_cost:.0f} base units)" if gas_cost else "unrealised profit"
                )
                action = Action(tier.name, tier.vault, "report", s.address, s.pnl, reason, threshold=bar)
                (todo if worth else skipped).append(action)
        push, pull = tier.allocation_moves()
        moved = max(push, pull)
        if tier.strategies and moved > 0:
            reason = f"push {push} from idle" + (f", pull {pull} above target" if pull else "")
            action = Action(tier.name, tier.vault, "allocate", None, moved, reason, policy.min_allocate)
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


ALLOCATE_GAS = 600_000  # allocate over 8 strategies measured 519k (README, bench)


def asset_decimals(w3: Web3, project: Any, vault: str) -> int:
    asset = contract(w3, project, "TierVault", vault).functions.asset().call()
    return int(standard(w3, "IERC20Metadata", asset).functions.decimals().call())


def asset_symbol(w3: Web3, project: Any, vault: str) -> str:
    asset = contract(w3, project, "TierVault", vault).functions.asset().call()
    return str(standard(w3, "IERC20Metadata", asset).functions.symbol().call())


def require_gas_funds(w3: Web3, who: str, actions: list[Action]) -> None:
    """Refuse to send when `who` cannot pay for the planned transactions (as deploy does), instead of
    letting the first one end in a raw gas-estimation error."""
    gas = sum(ALLOCATE_GAS if a.kind == "allocate" else REPORT_GAS for a in actions)
    need = gas * int(w3.eth.gas_price)
    balance = int(w3.eth.get_balance(Web3.to_checksum_address(who)))
    if balance < need:
        raise AccountError(
            f"account {who} has {balance / 1e18:.6f} ETH on chain {w3.eth.chain_id}, the keeper's "
            f"{len(actions)} transaction(s) need about {need / 1e18:.6f} ETH: fund it first"
        )


@dataclass(frozen=True)
class Stray:
    """Asset sitting where nothing books it: in the pool (which holds nothing between transactions) or in a
    tier vault above what it has booked as idle. Only the admin's `recover` moves it."""

    holder: str  # "pool" or "vault:<tier>"
    address: str
    amount: int


def stray_balances(w3: Web3, project: Any, pool: str, tiers: list[tuple[str, str]]) -> list[Stray]:
    asset = standard(w3, "IERC20", contract(w3, project, "Pool", pool).functions.asset().call())
    found = []
    held = int(asset.functions.balanceOf(Web3.to_checksum_address(pool)).call())
    if held > 0:
        found.append(Stray("pool", Web3.to_checksum_address(pool), held))
    for name, address in tiers:
        vault = contract(w3, project, "TierVault", address)
        extra = int(asset.functions.balanceOf(vault.address).call()) - int(vault.functions.idle().call())
        if extra > 0:
            found.append(Stray(f"vault:{name}", vault.address, extra))
    return found


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
        require_gas_funds(w3, sender.address, actions)
        run.receipts = execute(w3, project, actions, sender)
    return run
