"""Tables (rich) and charts (matplotlib, Agg: no display needed) for the scripts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

if TYPE_CHECKING:
    from tributary.demo import DemoResult
    from tributary.income import IncomeStatement
    from tributary.keeper import Action, KeeperRun

TIER_COLOURS = ["#2b8cbe", "#7bccc4", "#f03b20", "#fd8d3c", "#756bb1", "#31a354", "#636363", "#e7298a"]


def console() -> Console:
    """A console at least 120 columns wide: piped output (CI logs, files) would otherwise wrap at 80."""
    width = Console().width
    return Console(width=max(width, 120))


def amount(value: int, decimals: int, places: int = 2) -> str:
    return f"{value / 10**decimals:,.{places}f}"


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


@contextmanager
def scan_progress(label: str, min_blocks: int = 20_000) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for a log scan of at least `min_blocks` blocks (silent below that)."""
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("blocks"), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        task = None

        def update(done: int, total: int) -> None:
            nonlocal task
            if total < min_blocks:
                return
            if task is None:
                task = bar.add_task(label, total=total)
            bar.update(task, completed=done)

        yield update


# --- keeper ----------------------------------------------------------------------------------------------
def label(address: str, labels: dict[str, str] | None) -> str:
    return (labels or {}).get(address) or short(address)


def keeper_table(run: KeeperRun, decimals: int, dry_run: bool, labels: dict[str, str] | None = None) -> Table:
    title = "Keeper plan (dry run: nothing sent)" if dry_run else "Keeper actions"
    table = Table(title=title)
    for column in ("tier", "action", "strategy", "amount", "reason", "decision"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for action in run.actions:
        decision = "would send" if dry_run else "sent"
        table.add_row(*_keeper_row(action, decimals, labels), decision)
    for action in run.skipped:
        bar = "" if action.threshold is None else f" {amount(action.threshold, decimals, 4)}"
        table.add_row(*_keeper_row(action, decimals, labels), f"skip: below threshold{bar}", style="dim")
    if not run.actions and not run.skipped:
        table.add_row("-", "nothing to do", "", "", "idle allocated, P/L realised", "")
    return table


def _keeper_row(action: Action, decimals: int, labels: dict[str, str] | None) -> tuple[str, ...]:
    return (
        action.tier,
        action.kind,
        label(action.target, labels) if action.target else "",
        amount(action.amount, decimals, 4),
        action.reason,
    )


def tier_state_table(run: KeeperRun, decimals: int, labels: dict[str, str] | None = None) -> Table:
    table = Table(title="Tiers")
    for column in ("tier", "idle", "debt", "strategy", "target", "debt (s)", "value (s)", "unrealised"):
        table.add_column(column, justify="left" if column in ("tier", "strategy") else "right")
    for tier in run.states:
        table.add_row(
            tier.name, amount(tier.idle, decimals), amount(tier.total_debt, decimals), "", "", "", "", ""
        )
        for s in tier.strategies:
            table.add_row(
                "",
                "",
                "",
                label(s.address, labels),
                f"{s.target_bps / 100:.0f}%",
                amount(s.debt, decimals),
                amount(s.value, decimals),
                amount(s.pnl, decimals, 4),
            )
    return table


# --- income statement ------------------------------------------------------------------------------------
def income_tables(statement: IncomeStatement) -> list[Table]:
    d = statement.decimals
    sources = Table(title=f"Income by source ({statement.symbol})", caption=f"earner {statement.earner}")
    for column in ("source", "payments", "paid in", "share"):
        sources.add_column(column, justify="left" if column == "source" else "right")
    counts: dict[str, int] = {}
    for p in statement.payments:
        counts[p.source] = counts.get(p.source, 0) + 1
    total = statement.paid_in or 1
    for source, value in statement.by_source.items():
        sources.add_row(source, str(counts[source]), amount(value, d, 4), f"{value / total:.1%}")
    sources.add_row("total", str(len(statement.payments)), amount(statement.paid_in, d, 4), "", style="bold")
    if statement.skipped:  # sent but never taken: a closed tier without a safer open one (PaymentSkipped)
        sources.add_row("not received (tier closed)", "", amount(statement.skipped, d, 4), "", style="dim")

    tiers = Table(title="By tier")
    columns = ("tier", "weight", "credited", "deposited", "switched in", "switched out", "withdrawn")
    for column in (*columns, "value now", "yield"):
        tiers.add_column(column, justify="left" if column == "tier" else "right")
    weights = statement.profile_bps or [0] * len(statement.tiers)
    for t, w in zip(statement.tiers, weights, strict=False):
        tiers.add_row(
            t.name,
            f"{w / 100:g}%",
            *(
                amount(x, d, 4)
                for x in (
                    t.credited,
                    t.deposited,
                    t.switched_in,
                    t.switched_out,
                    t.withdrawn,
                    t.value,
                    t.yield_,
                )
            ),
        )
    tiers.add_row(
        "total",
        "",
        amount(sum(t.credited for t in statement.tiers), d, 4),
        amount(statement.deposited, d, 4),
        "",
        "",
        amount(statement.withdrawn, d, 4),
        amount(statement.value, d, 4),
        amount(statement.yield_, d, 4),
        style="bold",
    )
    return [sources, tiers]


def income_png(statement: IncomeStatement, path: Path) -> Path:
    d = 10**statement.decimals
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    # Cumulative income stacked by source, one point per payment (chronological). Over less than a day
    # (a fresh deployment, a test) the payment number reads better than a squeezed time axis.
    payments = sorted(statement.payments, key=lambda p: (p.timestamp, p.block))
    sources = list(statement.by_source)
    totals = dict.fromkeys(sources, 0)
    series: dict[str, list[float]] = {source: [0.0] for source in sources}
    for p in payments:
        totals[p.source] += p.received
        for source in sources:
            series[source].append(totals[source] / d)
    span = payments[-1].timestamp - payments[0].timestamp if payments else 0
    if span >= 86_400:
        xs: list = [datetime.fromtimestamp(payments[0].timestamp, UTC)]
        xs += [datetime.fromtimestamp(p.timestamp, UTC) for p in payments]
        left.set_xlabel("date (UTC)")
        left.tick_params(axis="x", labelrotation=30)
        step = "post"  # a payment's amount counts from its time on
    else:
        xs = list(range(len(payments) + 1))
        left.set_xlabel("payment #")
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        step = "pre"  # the bar ending at k includes payment k
    if payments:
        left.stackplot(xs, [series[s] for s in sources], labels=sources, step=step, alpha=0.85)
        left.legend(loc="upper left", fontsize=8)
    left.set_title("Cumulative income by source")
    left.set_ylabel(statement.symbol)
    left.grid(alpha=0.3)

    # Per tier (and in total): what went in next to where it is now. "Where it is" stacks the value now
    # with what the earner took out (withdrawn) or moved to another tier: a withdrawal is not a loss.
    names = [t.name for t in statement.tiers] + ["total"]
    xs = list(range(len(names)))
    put_in = [t.credited + t.deposited + t.switched_in for t in statement.tiers]
    put_in.append(statement.paid_in + statement.deposited)
    values = [t.value for t in statement.tiers] + [statement.value]
    withdrawn = [t.withdrawn for t in statement.tiers] + [statement.withdrawn]
    moved = [t.switched_out for t in statement.tiers] + [0]  # switches net out in the total
    colours = [TIER_COLOURS[i % len(TIER_COLOURS)] for i in range(len(statement.tiers))] + ["#525252"]
    right.bar([x - 0.2 for x in xs], [v / d for v in put_in], 0.4, label="paid in", color="#bdbdbd")
    right.bar([x + 0.2 for x in xs], [v / d for v in values], 0.4, label="value now", color=colours)
    right.bar(
        [x + 0.2 for x in xs], [v / d for v in withdrawn], 0.4, bottom=[v / d for v in values],
        label="withdrawn", color="white", edgecolor="#525252", hatch="///",
    )  # fmt: skip
    if any(moved):
        right.bar(
            [x + 0.2 for x in xs], [v / d for v in moved], 0.4,
            bottom=[(a + b) / d for a, b in zip(values, withdrawn, strict=True)],
            label="switched out", color="white", edgecolor="#969696", hatch="..",
        )  # fmt: skip
    right.set_xticks(list(xs), names)
    right.set_title(
        f"Paid in vs value now + withdrawn — yield {statement.yield_ / d:+,.4f} {statement.symbol}",
        fontsize=10,
    )
    right.legend(fontsize=8)
    right.grid(axis="y", alpha=0.3)
    profile = "/".join(f"{w / 100:g}" for w in statement.profile_bps)
    fig.suptitle(
        f"Income statement {short(statement.earner)}" + (f" — profile {profile} %" if profile else "")
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# --- demo --------------------------------------------------------------------------------------------------
def demo_tables(result: DemoResult) -> list[Table]:
    d = result.decimals
    tiers = Table(title=f"Tiers after {len(result.history) - 1} days ({result.symbol})")  # [0] = the start
    for column in (
        "tier",
        "strategies",
        "idle",
        "in strategies",
        "total assets",
        "locked profit",
        "share price",
    ):
        tiers.add_column(column, justify="left" if column == "tier" else "right")
    for row in result.tier_rows:
        tiers.add_row(
            row["tier"],
            str(row["strategies"]),
            amount(row["idle"], d),
            amount(row["debt"], d),
            amount(row["total_assets"], d),
            amount(row["locked_profit"], d),
            f"{row['share_price']:.6f} ({row['price_change']:+.3%})",
        )

    earners = Table(title=f"Earners ({len(result.earners)})")
    weights_title = "weights % (" + "/".join(result.tiers) + ")"
    for column in (
        "earner",
        "profile",
        weights_title,
        "payments",
        "paid in",
        "value now",
        "yield",
        "yield %",
    ):
        earners.add_column(column, justify="left" if column in ("earner", "profile") else "right")
    for e in sorted(result.earners, key=lambda e: (e.profile, -e.paid)):
        value = result.earner_values[e.address]
        gain = value - e.paid
        earners.add_row(
            short(e.address),
            e.profile,
            "/".join(f"{w / 100:g}" for w in e.weights_bps),
            str(e.payments),
            amount(e.paid, d, 4),
            amount(value, d, 4),
            amount(gain, d, 4),
            f"{gain / e.paid:+.3%}" if e.paid else "",
        )
    paid = sum(e.paid for e in result.earners)
    value = sum(result.earner_values.values())
    earners.add_row(
        "all",
        "",
        "",
        "",
        amount(paid, d, 4),
        amount(value, d, 4),
        amount(value - paid, d, 4),
        "",
        style="bold",
    )
    return [tiers, earners]


def demo_png(result: DemoResult, path: Path) -> Path:
    d = 10**result.decimals
    days = [s.day for s in result.history]
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(11, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    stacks = [[s.tier_assets[i] / d for s in result.history] for i in range(len(result.tiers))]
    colours = [TIER_COLOURS[i % len(TIER_COLOURS)] for i in range(len(result.tiers))]
    top.stackplot(days, stacks, labels=result.tiers, colors=colours, alpha=0.85)
    top.plot(
        days, [s.paid_total / d for s in result.history], color="black", lw=1.2, ls="--", label="paid in"
    )
    top.set_ylabel(f"value held ({result.symbol})")
    top.set_title("Tributary demo: value per tier over time (stacked) vs. total paid in")
    top.legend(loc="upper left", fontsize=9)
    top.grid(alpha=0.3)

    for i, name in enumerate(result.tiers):
        base = result.history[0].share_price[i] if result.history else 1.0
        series = [(s.share_price[i] / base - 1) * 100 for s in result.history]
        bottom.plot(days, series, color=colours[i], lw=1.8, label=name)
        if series:  # the end value at the line's end: small yields stay readable next to a loss
            bottom.annotate(
                f"{series[-1]:+.2f}%", (days[-1], series[-1]), xytext=(4, 0), textcoords="offset points",
                va="center", fontsize=8, color=colours[i],
            )  # fmt: skip
    bottom.axhline(0, color="grey", lw=0.8)
    bottom.set_ylabel("share price change (%)")
    bottom.set_xlabel("day")
    bottom.set_xlim(days[0] if days else 0, (days[-1] if days else 1) * 1.07)
    bottom.grid(alpha=0.3)
    bottom.legend(loc="lower left", fontsize=9)
    by_day: dict[int, list[str]] = {}
    for day, text in result.events:
        by_day.setdefault(day, []).append(text)
    for day, texts in sorted(by_day.items()):
        for axis in (top, bottom):
            axis.axvline(day, color="#a50f15", lw=0.9, ls=":")
        top.annotate(
            "\n".join(texts), (day, 0.55), xycoords=("data", "axes fraction"), xytext=(-6, 0),
            textcoords="offset points", ha="right", fontsize=8, color="#a50f15",
            bbox={"boxstyle": "round", "fc": "white", "ec": "#a50f15", "alpha": 0.9},
        )  # fmt: skip
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
