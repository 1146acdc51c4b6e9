"""Sweeping deposit addresses: find the ones worth sweeping, sweep them, and tell who paid them.

discovery   the tokens' `Transfer(from, to, value)` logs whose `to` is a known deposit address (the
            addresses of known (earner, source) pairs, derived off-chain: tributary.deposit). For a WETH
            pool, plain ETH leaves no log: every known address's ETH balance is read instead.
worth it    an address is swept when what it holds is worth at least `min_amount` of the asset: the asset
            (plus ETH for a WETH pool) at face value, a listed token at the router's oracle bound
            (`minAmountOut`). Below that, dust waits (a griefer's 1-wei transfers cost the keeper nothing).
actions     asset sweeps grouped by source into `sweepMany` batches of at most `max_batch`; one
            `sweepToken` per address holding a listed token; unlisted tokens are left (they wait for a
            listing or the earner's `reclaim`).
payers      the statement side: who paid a deposit address, from the same Transfer logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak
from web3 import Web3

from tributary.chain import Sender, contract
from tributary.deposit import deposit_address, source_tag

TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
# The standard ERC-20 functions the keeper reads (never a test mock's ABI).
ERC20_ABI: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "account", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
]
LOG_CHUNK = 100  # deposit addresses per eth_getLogs topic filter
DEFAULT_MAX_BATCH = 50  # a batch of first sweeps (forwarder deployments) costs ~85k gas per new earner


@dataclass(frozen=True)
class SweepPolicy:
    min_amount: int  # base units of the asset: sweep an address holding at least this much value
    max_batch: int = DEFAULT_MAX_BATCH


@dataclass(frozen=True)
class Holding:
    earner: str
    source: bytes
    address: str
    token: str  # the asset, a listed token, or another token (unlisted: left alone)
    amount: int  # in the token's base units (asset: plus native ETH for a WETH pool)
    value: int  # in the asset's base units (face value, or the oracle bound for a listed token)
    listed: bool


@dataclass
class SweepAction:
    kind: str  # "sweepMany" | "sweepToken"
    source: bytes
    earners: list[str]
    token: str
    value: int


@dataclass
class SweepRun:
    holdings: list[Holding]
    actions: list[SweepAction]
    skipped: list[tuple[Holding, str]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    failed: list[tuple[SweepAction, str]] = field(default_factory=list)  # a revert stops one action only


def pair_addresses(router: str, pairs: Iterable[tuple[str, str | bytes]]) -> dict[str, tuple[str, bytes]]:
    """deposit address -> (earner, source tag) for every known pair."""
    out: dict[str, tuple[str, bytes]] = {}
    for earner, source in pairs:
        earner = Web3.to_checksum_address(earner)
        out[deposit_address(router, earner, source)] = (earner, source_tag(source))
    return out


def _topic(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


def transfers_to(
    w3: Web3, token: str, addresses: Sequence[str], from_block: int = 0, to_block: int | str = "latest"
) -> list[dict[str, Any]]:
    """Every `Transfer` of `token` whose recipient is one of `addresses` (chunked topic filters)."""
    logs: list[dict[str, Any]] = []
    for i in range(0, len(addresses), LOG_CHUNK):
        chunk = [_topic(a) for a in addresses[i : i + LOG_CHUNK]]
        query: Any = {
            "address": Web3.to_checksum_address(token),
            "fromBlock": from_block,
            "toBlock": to_block,
            "topics": [TRANSFER_TOPIC, None, chunk],
        }
        logs.extend(dict(log) for log in w3.eth.get_logs(query))
    return logs


def discover(
    w3: Web3, tokens: Sequence[str], addresses: Sequence[str], from_block: int = 0
) -> dict[str, set[str]]:
    """token -> the known deposit addresses it was ever sent to since `from_block`."""
    found: dict[str, set[str]] = {}
    for token in tokens:
        logs = transfers_to(w3, token, addresses, from_block)
        hits: set[str] = {Web3.to_checksum_address("0x" + log["topics"][2].hex()[-40:]) for log in logs}
        if hits:
            found[Web3.to_checksum_address(token)] = hits
    return found


def listed_tokens(w3: Web3, project: Any, router: str, from_block: int = 0) -> list[str]:
    """Tokens the router converts now (RouteListed, still active)."""
    r = contract(w3, project, "DepositRouter", router)
    seen = {ev["args"]["token"] for ev in r.events.RouteListed().get_logs(from_block=from_block)}
    return sorted(t for t in seen if r.functions.route(t).call()[0] != "0x" + "00" * 20)


def read_holdings(
    w3: Web3,
    project: Any,
    router: str,
    known: dict[str, tuple[str, bytes]],
    tokens: Sequence[str] = (),
    from_block: int = 0,
) -> list[Holding]:
    """What every discovered deposit address holds of the asset and of `tokens`, valued in the asset (a
    token counts as listed when the router has an active route for it now)."""
    r = contract(w3, project, "DepositRouter", router)
    pool = contract(w3, project, "Pool", r.functions.pool().call())
    asset = Web3.to_checksum_address(r.functions.asset().call())
    weth_asset = Web3.to_checksum_address(pool.functions.weth().call()) == asset
    zero = "0x" + "00" * 20
    listed = {Web3.to_checksum_address(t) for t in tokens if r.functions.route(t).call()[0] != zero}
    all_tokens = [
        asset,
        *(Web3.to_checksum_address(t) for t in tokens if Web3.to_checksum_address(t) != asset),
    ]
    found = discover(w3, all_tokens, list(known), from_block)
    if weth_asset:  # plain ETH leaves no Transfer log: read every known address
        found.setdefault(asset, set()).update(known)
    holdings: list[Holding] = []
    for token, addrs in found.items():
        erc20 = w3.eth.contract(address=Web3.to_checksum_address(token), abi=ERC20_ABI)
        for addr in sorted(addrs):
            amount = int(erc20.functions.balanceOf(addr).call())
            if token == asset and weth_asset:
                amount += int(w3.eth.get_balance(Web3.to_checksum_address(addr)))
            if amount == 0:
                continue
            earner, source = known[addr]
            is_listed = token == asset or token in listed
            if token == asset:
                value = amount
            elif is_listed:
                value = int(r.functions.minAmountOut(token, amount).call())
            else:
                value = 0
            holdings.append(Holding(earner, source, addr, token, amount, value, is_listed))
    return holdings


def plan_sweeps(holdings: Sequence[Holding], asset: str, policy: SweepPolicy) -> SweepRun:
    """Batches of asset sweeps per source, single conversions, and what is left and why."""
    run = SweepRun(holdings=list(holdings), actions=[])
    by_source: dict[bytes, list[Holding]] = {}
    for h in holdings:
        if not h.listed:
            run.skipped.append((h, "token not listed: waits (or the earner reclaims it)"))
        elif h.value < policy.min_amount:
            run.skipped.append((h, "below the sweep threshold"))
        elif h.token == asset:
            by_source.setdefault(h.source, []).append(h)
        else:
            run.actions.append(SweepAction("sweepToken", h.source, [h.earner], h.token, h.value))
    conversions, run.actions = run.actions, []
    for source, group in by_source.items():
        for i in range(0, len(group), policy.max_batch):
            chunk = group[i : i + policy.max_batch]
            run.actions.append(
                SweepAction(
                    "sweepMany", source, [h.earner for h in chunk], asset, sum(h.value for h in chunk)
                )
            )
    run.actions.extend(conversions)  # batches first: they credit the most per gas
    return run


def run_sweeps(
    w3: Web3,
    project: Any,
    router: str,
    pairs: Iterable[tuple[str, str | bytes]],
    policy: SweepPolicy,
    sender: Sender | None,
    tokens: Sequence[str] = (),
    from_block: int = 0,
) -> SweepRun:
    """Discover, value, plan and (unless `sender` is None: dry run) sweep."""
    r = contract(w3, project, "DepositRouter", router)
    asset = Web3.to_checksum_address(r.functions.asset().call())
    known = pair_addresses(router, pairs)
    tokens = list(tokens) or listed_tokens(w3, project, router, from_block)
    holdings = read_holdings(w3, project, router, known, tokens, from_block)
    run = plan_sweeps(holdings, asset, policy)
    if sender is not None:
        for action in run.actions:
            try:
                if action.kind == "sweepMany":
                    run.receipts.append(sender.send(r, "sweepMany", action.source, action.earners))
                else:
                    args = (action.earners[0], action.source, action.token)
                    run.receipts.append(sender.send(r, "sweepToken", *args))
            except Exception as err:  # noqa: BLE001 (a front-run or a price outside the bound: the rest goes on)
                run.failed.append((action, str(err)))
    return run


@dataclass(frozen=True)
class DepositPayment:
    """One plain transfer into a deposit address: who paid which earner, for which source, in what."""

    payer: str
    earner: str
    source: bytes
    token: str
    amount: int
    block: int
    tx: str


def deposit_payers(
    w3: Web3,
    router: str,
    earner: str,
    sources: Iterable[str | bytes],
    tokens: Sequence[str],
    from_block: int = 0,
) -> list[DepositPayment]:
    """Who paid `earner`'s deposit addresses for `sources` (any of `tokens`), from the Transfer logs.

    The Pool's `Paid` / `PaidMany` of a sweep name the router as payer; this is where the real payer
    (the platform) shows, for the income statement."""
    known = pair_addresses(router, [(earner, s) for s in sources])
    out: list[DepositPayment] = []
    for token in tokens:
        for log in transfers_to(w3, token, list(known), from_block):
            to = Web3.to_checksum_address("0x" + log["topics"][2].hex()[-40:])
            payer = Web3.to_checksum_address("0x" + log["topics"][1].hex()[-40:])
            who, source = known[to]
            amount = int(log["data"].hex(), 16)
            tx = log["transactionHash"].to_0x_hex()
            token_address = Web3.to_checksum_address(token)
            out.append(DepositPayment(payer, who, source, token_address, amount, int(log["blockNumber"]), tx))
    return sorted(out, key=lambda p: (p.block, p.tx))


def load_pairs(path: str | Any) -> list[tuple[str, str]]:
    """Known (earner, source) pairs, one `earner,source` per line (`#` comments and blank lines ignored)."""
    from pathlib import Path

    from tributary.errors import TributaryError

    pairs: list[tuple[str, str]] = []
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 2 or not Web3.is_address(parts[0]):
            raise TributaryError(f"Error: {path}:{n}: expected `earner,source`, got {line!r}")
        try:
            source_tag(parts[1])
        except ValueError as err:
            raise TributaryError(f"{err} ({path}:{n})") from None
        pairs.append((Web3.to_checksum_address(parts[0]), parts[1]))
    return pairs


def sweep_table(run: SweepRun, decimals: int, dry_run: bool) -> Any:
    """What the sweep step did (or, dry run, would do): one row per action, then what waits and why."""
    from rich.table import Table

    from tributary.income import decode_source

    table = Table(title="deposit addresses: sweeps" + (" (dry run: nothing sent)" if dry_run else ""))
    for col in ("action", "source", "addresses", "token", "value (asset)"):
        table.add_column(col, justify="right" if col in ("addresses", "value (asset)") else "left")
    for a in run.actions:
        table.add_row(a.kind, decode_source(a.source), str(len(a.earners)), a.token[:10],
                      f"{a.value / 10**decimals:,.6f}")  # fmt: skip
    for h, why in run.skipped:
        table.add_row(
            "wait", decode_source(h.source), "1", h.token[:10], f"{h.value / 10**decimals:,.6f} ({why})"
        )
    for a, err in run.failed:
        table.add_row("FAILED", decode_source(a.source), str(len(a.earners)), a.token[:10], err[:60])
    return table


def deposit_payers_json(
    w3: Web3, project: Any, router: str, earner: str, sources: Sequence[str], from_block: int = 0
) -> list[dict[str, Any]]:
    """`deposit_payers` over the asset and every listed token, as JSON rows (the income statement's hook)."""
    from tributary.income import decode_source

    r = contract(w3, project, "DepositRouter", router)
    tokens = [
        Web3.to_checksum_address(r.functions.asset().call()),
        *listed_tokens(w3, project, router, from_block),
    ]
    rows = deposit_payers(w3, router, earner, sources, tokens, from_block)
    return [
        {"source": decode_source(p.source), "payer": p.payer, "token": p.token, "amount": str(p.amount),
         "block": p.block, "tx": p.tx}
        for p in rows
    ]  # fmt: skip


def payers_table(rows: Sequence[dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table(title="deposit addresses: who paid (plain transfers, base units)")
    for col in ("source", "payer", "token", "amount", "block"):
        table.add_column(col, justify="right" if col in ("amount", "block") else "left")
    for row in rows:
        table.add_row(row["source"], row["payer"], row["token"][:10], row["amount"], str(row["block"]))
    return table
