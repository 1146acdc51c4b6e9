"""Turn measured rows into bench/results.json, the README's markdown tables and a PNG chart."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bench.floor import (
    ETH_PRICE_USD,
    GAS_PRICES_GWEI,
    MAX_GAS_SHARE,
    FloorLine,
    micro_payment_floor_usd,
)
from bench.paths import OWN_ONE_TIER, PAY_LISTED, Row
from bench.workloads import (
    ABI,
    DISTINCT,
    FIVE_EACH,
    LISTED,
    PACKED,
    REPEATS,
    SWEEP,
    TRANSFERS,
    TWENTY_FIVE_EACH,
    UNGROUPED,
    WORKLOADS,
    Workload,
    repeat_marginal,
)
from bench.workloads import SECTION as WORKLOAD


@dataclass(frozen=True)
class Target:
    """`limit` is absolute, or — with `base` — added to what the `base` path measured in the same run.
    `derive`, when given, computes the measured number from all rows instead of reading the `pick` row."""

    name: str
    limit: int
    pick: Callable[[Row], bool]
    per_earner: bool = False
    base: Callable[[Row], bool] | None = None
    derive: Callable[[list[Row]], float | None] | None = None
    on_chart: bool = True  # a per-earner limit drawn on the batch-size chart


def _is(section: str, path: str, case: str, profile: str = "-", batch: int = 1) -> Callable[[Row], bool]:
    return lambda r: (r.section, r.path, r.case, r.profile, r.batch) == (section, path, case, profile, batch)


PAY = _is("pool", "pay", "existing", "one-tier")
PAY_MANY_100 = _is("pool", "payMany", "existing", "one-tier", 100)


def _run(path: str, case: str, label: str) -> Callable[[Row], bool]:
    return lambda r: (r.section, r.path, r.case, r.param) == (WORKLOAD, path, case, label)


def _workload(path: str, case: str, w: Workload) -> Callable[[Row], bool]:
    return _run(path, case, w.label)


def _once_of(many: Workload) -> Workload:
    """The one-payment-each run on the same earners a multi-payment workload is compared with."""
    return next(once for m, once in REPEATS if m == many)


def marginal(rows: list[Row], path: str, many: Workload) -> float | None:
    """Gas of a repeated payment inside a batch: `many` against one payment each to the same earners."""
    once = _once_of(many)
    big, one = _find(rows, _workload(path, "existing", many)), _find(rows, _workload(path, "existing", once))
    if big is None or one is None:
        return None
    return repeat_marginal(big.gas, one.gas, many.earners, many.each)


TARGETS = [
    # issue 12 (live loss-aware pricing must not give away what issue 8 won; one strategy per tier)
    Target("payMany per existing earner (one-tier, batch 100)", 11_400, PAY_MANY_100, per_earner=True),
    Target("pay to an existing earner (one-tier)", 80_000, PAY),
    # issue 14 (deposit addresses): pay + 15,000; that + 60,000 with the deployment; payMany/earner + 8,000
    Target("sweep of a deployed deposit address (one-tier): pay +", 15_000,
           _is("deposit", "sweep (deployed)", "existing", "one-tier"), base=PAY),
    Target("first sweep, forwarder deployment included (one-tier): pay +", 75_000,
           _is("deposit", "sweep (first)", "existing", "one-tier"), base=PAY),
    Target("sweepMany per deployed address (one-tier, batch 100): payMany +", 8_000,
           _is("deposit", "sweepMany (deployed)", "existing", "one-tier", 100), per_earner=True,
           base=PAY_MANY_100),
    # issue 16 (payments to the same earner in a batch; workloads over the one-tier pool, existing earners)
    Target("a repeated payment inside a batch (payManyPacked, 100 earners × 5 vs × 1)", 1_500,
           _workload(PACKED, "existing", FIVE_EACH), derive=lambda rows: marginal(rows, PACKED, FIVE_EACH)),
    Target("a repeated payment inside a batch (payManyPacked, 20 earners × 25 vs × 1)", 1_500,
           _workload(PACKED, "existing", TWENTY_FIVE_EACH),
           derive=lambda rows: marginal(rows, PACKED, TWENTY_FIVE_EACH)),
    Target("100 earners × 5 payments, per payment (payManyPacked)", 3_500,
           _workload(PACKED, "existing", FIVE_EACH), per_earner=True, on_chart=False),
    Target("100 distinct existing earners, per earner (payManyPacked)", 10_500,
           _workload(PACKED, "existing", DISTINCT), per_earner=True),
    Target("100 distinct new earners, per earner (payManyPacked)", 27_500,
           _workload(PACKED, "new", DISTINCT), per_earner=True),
    # 89,664: the value measured after the TierVault rework (commit 85c7b16) — round 3 must not add to it
    Target("pay to an existing earner (one-tier), no regression", 89_664, PAY),
    # the same issue-16 targets as tributary.payer sends (EIP-2930 access list that pays for itself)
    Target("100 distinct existing earners, per earner (payManyPacked + access list)", 10_500,
           _workload(LISTED, "existing", DISTINCT), per_earner=True, on_chart=False),
    Target("100 distinct new earners, per earner (payManyPacked + access list)", 27_500,
           _workload(LISTED, "new", DISTINCT), per_earner=True, on_chart=False),
    Target("pay to an existing earner (one-tier) + access list, no regression", 89_664,
           _is("pool", PAY_LISTED, "existing", "one-tier")),
]  # fmt: skip

DEPOSIT_TOTAL = "deposit address: payers + keeper"
WORKLOAD_PATHS = (PACKED, ABI, UNGROUPED, LISTED, TRANSFERS, SWEEP, DEPOSIT_TOTAL)
PEER_PATHS = {"oz": "OZ ERC4626 deposit", "solady": "Solady ERC4626 deposit"}

# Paths whose micro-payment floor is worth showing (one-tier profile: the cheapest routing).
MICRO_PATHS = [
    ("pay", "existing", 1),
    ("pay", "new", 1),
    ("payMany", "existing", 100),
    ("payMany", "new", 100),
    ("payManyPacked", "existing", 100),
    ("payManyPacked", "new", 100),
    ("payETH", "existing", 1),
    ("plain ETH transfer", "existing", 1),
]


def _find(rows: list[Row], pick: Callable[[Row], bool], failed: bool = False) -> Row | None:
    """The first row `pick` selects; rows of failed transactions only when `failed`."""
    return next((r for r in rows if pick(r) and (failed or not r.failed)), None)


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _usd(x: float) -> str:
    return f"${x:,.2f}" if x >= 0.01 else f"${x:.4f}"


class Report:
    def __init__(
        self,
        rows: list[Row],
        floor: dict[str, list[FloorLine]],
        meta: dict[str, Any],
        baseline: dict[str, Any] | None = None,
    ) -> None:
        self.rows, self.floor, self.meta = rows, floor, meta
        self.baseline: dict[str, float] = {}
        self.baseline_rows: list[Row] = []
        if baseline:
            self.baseline = {r["key"]: r["per_earner"] for r in baseline.get("rows", [])}
            self.baseline_meta = baseline.get("meta", {})
            names = {f.name for f in fields(Row)}
            self.baseline_rows = [Row(**{k: v for k, v in r.items() if k in names}) for r in baseline["rows"]]

    # ------------------------------------------------------------------ derived numbers

    def targets(self) -> list[dict[str, Any]]:
        out = []
        for t in TARGETS:
            row = _find(self.rows, t.pick)
            got: float | None = None if row is None else (row.per_earner if t.per_earner else row.gas)
            before = self.baseline.get(row.key()) if row else None
            if t.derive is not None:
                got = t.derive(self.rows)
                before = t.derive(self.baseline_rows) if self.baseline_rows else None
            limit: float | None = t.limit
            if t.base is not None:
                base = _find(self.rows, t.base)
                limit = None if base is None else (base.per_earner if t.per_earner else base.gas) + t.limit
            out.append(
                {"name": t.name, "target": limit, "measured": got, "before": before,
                 "ok": got is not None and limit is not None and got <= limit}
            )  # fmt: skip
        return out

    def micro(self) -> list[dict[str, Any]]:
        out = []
        for path, case, batch in MICRO_PATHS:
            row = _find(self.rows, _is("pool", path, case, "one-tier", batch))
            if row is None:
                continue
            entry: dict[str, Any] = {
                "path": path,
                "case": case,
                "batch": batch,
                "gas_per_earner": row.per_earner,
            }
            for label, gwei in GAS_PRICES_GWEI.items():
                entry[label] = micro_payment_floor_usd(row.per_earner, gwei)
            out.append(entry)
        return out

    def _gas(self, pick: Callable[[Row], bool], per_earner: bool = False) -> float | None:
        row = _find(self.rows, pick)
        return None if row is None else (row.per_earner if per_earner else row.gas)

    def peers(self) -> list[dict[str, Any]]:
        """Single deposits of TierVault and its plain ERC-4626 peers, and the Pool's batch path per earner
        (one-tier, batch 100), each with its ratio to OpenZeppelin's and Solady's single deposit of the same
        earner case."""
        lines: list[tuple[str, Callable[[str], Callable[[Row], bool]], bool]] = [
            ("TierVault deposit", lambda case: _is("vault", "TierVault deposit", case), False),
            *((path, lambda case, p=path: _is("vault", p, case), False) for path in PEER_PATHS.values()),
            *(
                (f"{v} per earner (one-tier, batch 100)",
                 lambda case, v=v: _is("pool", v, case, "one-tier", 100), True)
                for v in (PACKED, ABI)
            ),
        ]  # fmt: skip
        out = []
        for name, pick, per_earner in lines:
            entry: dict[str, Any] = {"path": name}
            for case in ("existing", "new"):
                gas = entry[case] = self._gas(pick(case), per_earner)
                for key, peer in PEER_PATHS.items():
                    ref = self._gas(_is("vault", peer, case))
                    entry[f"ratio_to_{key}_{case}"] = None if gas is None or not ref else gas / ref
            out.append(entry)
        return out

    def workloads(self) -> list[dict[str, Any]]:
        """Every workload run: Σ gasUsed, transactions, gas per payment; the deposit-address route also as
        payers + keeper."""
        runs = sorted({(r.param, r.batch) for r in self.rows if r.section == WORKLOAD}, key=lambda x: x[::-1])
        out = []
        for path in WORKLOAD_PATHS:
            for param, payments in runs:
                for case in ("existing", "new"):
                    parts = [TRANSFERS, SWEEP] if path == DEPOSIT_TOTAL else [path]
                    got = [_find(self.rows, _run(p, case, param)) for p in parts]
                    if any(r is None for r in got):
                        continue
                    gas = sum(r.gas for r in got if r)
                    out.append({"path": path, "workload": param, "case": case, "payments": payments,
                                "txs": sum(r.txs for r in got if r), "gas": gas,
                                "gas_per_payment": gas / payments})  # fmt: skip
        return out

    def repeats(self) -> list[dict[str, Any]]:
        """The marginal gas of a repeated payment inside a batch, per variant and multi-payment workload."""
        out = []
        for path in (PACKED, ABI, UNGROUPED, LISTED):
            for many, once in REPEATS:
                big = _find(self.rows, _workload(path, "existing", many))
                one = _find(self.rows, _workload(path, "existing", once))
                value = marginal(self.rows, path, many)
                if big is None or one is None or value is None:
                    continue
                out.append({"path": path, "workload": many.label, "gas": big.gas, "txs": big.txs,
                            "once": once.label, "gas_once": one.gas, "txs_once": one.txs,
                            "repeated_payment": value})  # fmt: skip
        return out

    def micro_workloads(self) -> list[dict[str, Any]]:
        out = []
        for w in self.workloads():
            if w["workload"] not in {x.label for x in WORKLOADS}:
                continue
            entry = {k: w[k] for k in ("path", "workload", "case", "gas_per_payment")}
            for label, gwei in GAS_PRICES_GWEI.items():
                entry[label] = micro_payment_floor_usd(w["gas_per_payment"], gwei)
            out.append(entry)
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "constants": {
                "eth_price_usd": ETH_PRICE_USD,
                "gas_prices_gwei": GAS_PRICES_GWEI,
                "max_gas_share_of_payment": MAX_GAS_SHARE,
            },
            "targets": self.targets(),
            "floor": {
                name: {"total": sum(x.gas for x in lines), "lines": [x.__dict__ for x in lines]}
                for name, lines in self.floor.items()
            },
            "micro_payment_floor_usd": self.micro(),
            "peers": self.peers(),
            "workloads": self.workloads(),
            "repeated_payment_marginal": self.repeats(),
            "micro_payment_floor_usd_workloads": self.micro_workloads(),
            "rows": [r.as_dict() for r in self.rows],
            "baseline_meta": getattr(self, "baseline_meta", None),
        }

    # ------------------------------------------------------------------ markdown

    def markdown(self) -> str:
        m = self.meta
        out = [
            "## Gas benchmark",
            "",
            f"Receipt `gasUsed` of whole transactions on anvil (hardfork {m['hardfork']}), solc {m['solc']} "
            f"optimizer runs {m['optimizer_runs']}; commit `{m['commit']}`. Produced by `make bench` "
            "(bench/gas.py); raw numbers in bench/results.json. *existing* = the earner already holds "
            "shares of the tier (a balance slot is updated), *new* = a first credit (a zero slot is set). "
            "Amounts are 0.01–0.10 of an 18-decimal asset with every digit significant.",
            "",
            "### Targets",
            "",
        ]
        with_before = bool(self.baseline)
        head = "| metric | target | measured |" + (" baseline |" if with_before else "") + " |"
        out += [head, "|---|---:|---:|" + ("---:|" if with_before else "") + "---|"]
        for t in self.targets():
            line = f"| {t['name']} | ≤ {_fmt(t['target'])} | {_fmt(t['measured'])} |"
            if with_before:
                line += f" {_fmt(t['before'])} |"
            out.append(line + (" ✅ |" if t["ok"] else " ❌ |"))
        out += self._ingress() + self._batches() + self._decomposition() + self._peers() + self._workloads()
        out += self._repeats() + self._vault() + self._floor() + self._scaling() + self._micro()
        out += self._micro_workloads()
        if with_before:
            out += self._before_after()
        return "\n".join(out) + "\n"

    def _cell(self, pick: Callable[[Row], bool], per_earner: bool = False) -> str:
        row = _find(self.rows, pick, failed=True)
        if row is None:
            return "—"
        if row.failed:
            return row.note
        return _fmt(row.per_earner if per_earner else row.gas)

    def _ingress(self) -> list[str]:
        paths = ["pay", PAY_LISTED, "payWithPermit", "ERC-1363 transferAndCall", "payETH"]
        paths.append("plain ETH transfer")
        out = [
            "",
            "### Pool ingress, one payment (whole tx)",
            "",
            "| path | one-tier, existing | one-tier, new | three-tier, existing | three-tier, new |",
            "|---|---:|---:|---:|---:|",
        ]
        for p in paths:
            cells = [
                self._cell(_is("pool", p, case, prof))
                for prof in ("one-tier", "three-tier")
                for case in ("existing", "new")
            ]
            out.append(f"| {p} | " + " | ".join(cells) + " |")
        cells = [self._cell(_is("pool", "pay", case, OWN_ONE_TIER)) for case in ("existing", "new")]
        out.append(f"| pay, earner's own one-tier profile (no default read) | {cells[0]} | {cells[1]} | | |")
        cells = [self._cell(_is("pool", "switchTier", case)) for case in ("existing", "new")]
        out.append(f"| switchTier (tier 0 → 1; target tier held / not held) | {cells[0]} | {cells[1]} | | |")
        return out

    def batch_sizes(self) -> list[int]:
        return sorted({r.batch for r in self.rows if r.section == "pool" and r.path.startswith("payMany")})

    def _batches(self) -> list[str]:
        sizes = self.batch_sizes()
        out = [
            "",
            "### payMany: gas per earner by batch size (whole tx ÷ earners)",
            "",
            "| variant | profile | earner | " + " | ".join(f"batch {s}" for s in sizes) + " |",
            "|---|---|---|" + "---:|" * len(sizes),
        ]
        for variant in ("payMany", "payManyPacked"):
            for prof in ("one-tier", "three-tier"):
                for case in ("existing", "new"):
                    cells = [self._cell(_is("pool", variant, case, prof, s), per_earner=True) for s in sizes]
                    if all(c == "—" for c in cells):
                        continue
                    out.append(f"| {variant} | {prof} | {case} | " + " | ".join(cells) + " |")
        return out

    def _decomposition(self) -> list[str]:
        """Fixed cost per transaction and marginal cost per earner, from the batch-1 and largest batches."""
        sizes = [s for s in self.batch_sizes() if s > 1]
        out = ["", "### payMany: fixed cost per transaction and marginal cost per earner (one-tier)", "",
               "Marginal = (gas(N) − gas(1)) ÷ (N − 1) for the largest N measured; "
               "fixed = gas(1) − marginal. "
               "The floor is the EVM price of one credit (table below) plus the 32 bytes of `PaidMany` "
               "log data per earner; gas per earner at batch B = marginal + fixed ÷ B.", "",
               "| variant | earner | fixed per tx | marginal per earner | floor per earner | "
               "marginal − floor | per earner at 100 |",
               "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        if not sizes:
            return out
        floors = {name: sum(x.gas for x in lines) for name, lines in self.floor.items()}
        for variant, fmt in (("payMany", "ABI"), ("payManyPacked", "packed")):
            for case in ("existing", "new"):
                one = _find(self.rows, _is("pool", variant, case, "one-tier", 1))
                big = next(
                    (
                        r
                        for s in reversed(sizes)
                        if (r := _find(self.rows, _is("pool", variant, case, "one-tier", s)))
                    ),
                    None,
                )
                if one is None or big is None:
                    continue
                marginal = (big.gas - one.gas) / (big.batch - 1)
                fixed = one.gas - marginal
                floor = floors[f"{case}, profile-routed, with log ({fmt})"] + 32 * 8
                out.append(
                    f"| {variant} | {case} | {fixed:,.0f} | {marginal:,.0f} | {floor:,} "
                    f"| {marginal - floor:+,.0f} | {marginal + fixed / 100:,.0f} |"
                )
        return out

    def _peers(self) -> list[str]:
        out = ["", "### Peers: TierVault and the Pool's batch next to plain ERC-4626 vaults (same run)", "",
               "OpenZeppelin's ERC4626 (contracts/test/PlainERC4626.sol) and Solady's "
               "(contracts/test/SoladyERC4626Peer.sol), as shipped, over the same asset: same depositor, "
               "same amount, same fresh receiver. Single deposits are whole transactions; the Pool's batch "
               "paths are gas per earner at batch 100 (one-tier profile). Ratio = this ÷ the peer's single "
               "deposit of the same case.", "",
               "| path | existing | new | ÷ OZ, existing | ÷ OZ, new | ÷ Solady, existing | ÷ Solady, new |",
               "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        for e in self.peers():
            ratios = [e[f"ratio_to_{k}_{c}"] for k in PEER_PATHS for c in ("existing", "new")]
            cells = [_fmt(e["existing"]), _fmt(e["new"])] + [
                "—" if x is None else f"{x:.2f}×" for x in ratios
            ]
            out.append(f"| {e['path']} | " + " | ".join(cells) + " |")
        return out

    def _workloads(self) -> list[str]:
        cols = [
            (DISTINCT, "existing"),
            (DISTINCT, "new"),
            (FIVE_EACH, "existing"),
            (TWENTY_FIVE_EACH, "existing"),
        ]
        out = ["", "### Workloads: gas per payment (one-tier; Σ receipt gasUsed ÷ payments; transactions)",
               "",
               "Payments arrive interleaved (A, B, C, …, A, B, C, …) and are batched with "
               "`tributary.payer.plan_batches` (an earner's payments kept in one batch) under the pool's "
               "MAX_BATCH; *ungrouped* = the same payments cut every MAX_BATCH in arrival order, without "
               "`plan_batches`. Deposit addresses: each payment is a plain ERC-20 transfer by the payer to "
               "the earner's deposit address; the keeper then sends one `sweepMany` per ≤ MAX_BATCH earners "
               "(existing earners' addresses are deployed; a new earner's sweep deploys its forwarder).", "",
               "| path | " + " | ".join(f"{w.label}, {c}" for w, c in cols) + " |",
               "|---|" + "---:|" * len(cols)]  # fmt: skip
        found = {(w["path"], w["workload"], w["case"]): w for w in self.workloads()}
        for path in WORKLOAD_PATHS:
            cells = []
            for w, c in cols:
                e = found.get((path, w.label, c))
                cells.append("—" if e is None else f"{e['gas_per_payment']:,.0f} ({e['txs']} tx)")
            if any(x != "—" for x in cells):
                out.append(f"| {path} | " + " | ".join(cells) + " |")
        return out

    def _repeats(self) -> list[str]:
        out = ["", "### A repeated payment inside a batch (existing earners, one-tier)", "",
               "(gas(E earners × P payments) − gas(same E earners × 1)) ÷ (E × (P − 1)), whole runs (Σ of "
               "their transactions). The E × P run may take more transactions than E × 1: its extra fixed "
               "cost per transaction is part of the marginal.", "",
               "| variant | E × P | gas (txs) | E × 1, same earners | gas (txs) | per repeated payment |",
               "|---|---|---:|---|---:|---:|"]  # fmt: skip
        for e in self.repeats():
            out.append(f"| {e['path']} | {e['workload']} | {e['gas']:,} ({e['txs']}) | {e['once']} | "
                       f"{e['gas_once']:,} ({e['txs_once']}) | {e['repeated_payment']:,.0f} |")  # fmt: skip
        return out

    def _micro_workloads(self) -> list[str]:
        labels = list(GAS_PRICES_GWEI)
        out = ["", "### Micro-payment floor of the workloads (same constants; gas per payment)", "",
               "| path (one-tier) | workload | earner | gas per payment | " + " | ".join(labels) + " |",
               "|---|---|---|---:|" + "---:|" * len(labels)]  # fmt: skip
        for e in self.micro_workloads():
            cells = " | ".join(_usd(e[label]) for label in labels)
            out.append(
                f"| {e['path']} | {e['workload']} | {e['case']} | {e['gas_per_payment']:,.0f} | {cells} |"
            )
        return out

    def _vault(self) -> list[str]:
        out = ["", "### TierVault directly, keeper paths and the OpenZeppelin / Solady peers", "",
               "| path | case | gas |", "|---|---|---:|"]  # fmt: skip
        for r in self.rows:
            if r.section == "vault":
                out.append(f"| {r.path} | {r.case} | {r.gas:,} |")
        return out

    def _floor(self) -> list[str]:
        """The floor as arithmetic: one row per EVM cost, a column per earner kind."""
        ex = {x.item: x for x in self.floor["existing, profile-routed, with log (ABI)"]}
        nw = {x.item: x for x in self.floor["new, profile-routed, with log (ABI)"]}
        packed = {x.item: x for x in self.floor["existing, profile-routed, with log (packed)"]}
        balance_e, balance_n = ex["balance: existing"], nw["balance: new"]
        slot, abi = ex["balance slot hash"], ex["calldata (ABI: 2 words)"]
        cd_packed, log, profile = (
            packed["calldata (packed: 20+12 bytes)"],
            ex["ERC-20 Transfer log"],
            ex["profile read (cold slot)"],
        )
        out = ["", "### EVM floor of one credit inside a batch (EIP-2929 / EIP-2200, cancun)", "",
               "| cost | arithmetic | existing earner | new earner |", "|---|---|---:|---:|",
               f"| share balance | {balance_e.arithmetic} / {balance_n.arithmetic} | {balance_e.gas:,} "
               f"| {balance_n.gas:,} |",
               f"| balance slot hash | {slot.arithmetic} | {slot.gas:,} | {slot.gas:,} |",
               f"| calldata, ABI (address word + amount word) | {abi.arithmetic} | {abi.gas:,} "
               f"| {abi.gas:,} |"]  # fmt: skip
        base_e = balance_e.gas + slot.gas + abi.gas
        base_n = balance_n.gas + slot.gas + abi.gas
        out += [
            f"| **= credit in a batch** (spec: ~5,700 / ~22,800) | | **{base_e:,}** | **{base_n:,}** |",
            f"| + ERC-20 `Transfer` log | {log.arithmetic} | {log.gas:,} | {log.gas:,} |",
            f"| + earner's profile (cold slot) | {profile.arithmetic} | {profile.gas:,} | {profile.gas:,} |",
            f"| **= profile-routed credit with its log, ABI calldata** | "
            f"| **{base_e + log.gas + profile.gas:,}** | **{base_n + log.gas + profile.gas:,}** |",
            f"| calldata packed instead (20-byte address ‖ 12-byte amount) | {cd_packed.arithmetic} "
            f"| {cd_packed.gas - abi.gas:+,} | {cd_packed.gas - abi.gas:+,} |",
            f"| **= profile-routed credit with its log, packed calldata** | "
            f"| **{base_e + log.gas + profile.gas + cd_packed.gas - abi.gas:,}** "
            f"| **{base_n + log.gas + profile.gas + cd_packed.gas - abi.gas:,}** |",
        ]
        return out

    def _scaling(self) -> list[str]:
        out = ["", "### Scaling: strategies in the tier (one-tier profile)", "",
               "| strategies | pay existing | pay new | payMany/earner (100, existing) "
               "| deposit existing | deposit new | withdraw (idle) | withdraw (strategy pull) "
               "| allocate | report |",
               "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        sec = "scaling: strategies"
        params = sorted({int(r.param) for r in self.rows if r.section == sec})
        for k in params:

            def c(path: str, case: str, prof: str = "-", batch: int = 1, k: int = k) -> str:
                pick = _is(sec, path, case, prof, batch)
                return self._cell(lambda r: pick(r) and r.param == str(k), per_earner=batch > 1)

            out.append(
                f"| {k} | {c('pay', 'existing', 'one-tier')} | {c('pay', 'new', 'one-tier')} | "
                f"{c('payMany', 'existing', 'one-tier', 100)} | {c('TierVault deposit', 'existing')} | "
                f"{c('TierVault deposit', 'new')} | {c('TierVault withdraw', 'partial (from idle)')} | "
                f"{c('TierVault withdraw', 'partial (idle short: strategy pull)')} | "
                f"{c('allocate', '-')} | {c('report', 'profit')} |"
            )
        out += ["", "### Scaling: earners in the pool (one-tier profile)", "",
                "| earners | pay existing | pay new | payMany/earner (100, existing) |",
                "|---:|---:|---:|---:|"]  # fmt: skip
        sec = "scaling: earners"
        for n in sorted({int(r.param) for r in self.rows if r.section == sec}):

            def e(path: str, case: str, n: int = n) -> str:
                want = (sec, path, case, str(n))
                row = _find(self.rows, lambda row: (row.section, row.path, row.case, row.param) == want)
                return "—" if row is None else _fmt(row.per_earner)

            out.append(f"| {n:,} | {e('pay', 'existing')} | {e('pay', 'new')} | {e('payMany', 'existing')} |")
        return out

    def _micro(self) -> list[str]:
        labels = list(GAS_PRICES_GWEI)
        out = [
            "",
            f"### Micro-payment floor: smallest payment whose gas is ≤ {MAX_GAS_SHARE:.0%} of it "
            f"(ETH = ${ETH_PRICE_USD:,.0f}; L2 = execution gas only, without the L1 data fee)",
            "",
            "| path (one-tier) | earner | gas per earner | " + " | ".join(labels) + " |",
            "|---|---|---:|" + "---:|" * len(labels),
        ]
        for e in self.micro():
            name = e["path"] + (f" (batch {e['batch']})" if e["batch"] > 1 else "")
            cells = " | ".join(_usd(e[label]) for label in labels)
            out.append(f"| {name} | {e['case']} | {e['gas_per_earner']:,.0f} | {cells} |")
        return out

    def _before_after(self) -> list[str]:
        out = ["", "### Before → after optimisation (gas per earner for batches, whole tx otherwise)", "",
               "| section | path | earner | profile | batch | before | after | change |",
               "|---|---|---|---|---:|---:|---:|---:|"]  # fmt: skip
        for r in self.rows:
            before = self.baseline.get(r.key())
            if before is None or r.failed or r.section not in ("pool", "vault"):
                continue
            change = (r.per_earner - before) / before if before else 0.0
            out.append(
                f"| {r.section} | {r.path} | {r.case} | {r.profile} | {r.batch} | {before:,.0f} | "
                f"{r.per_earner:,.0f} | {change:+.1%} |"
            )
        return out

    # ------------------------------------------------------------------ files

    def write(self, out_dir: Path) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = [out_dir / "results.json", out_dir / "results.md"]
        written[0].write_text(json.dumps(self.as_json(), indent=2) + "\n")
        written[1].write_text(self.markdown())
        png = self.chart(out_dir / "gas.png")
        if png:
            written.append(png)
        return written

    def chart(self, path: Path) -> Path | None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        sizes = self.batch_sizes()
        if not sizes:
            return None
        fig, ax = plt.subplots(figsize=(8, 5))
        colors = {
            ("payMany", "one-tier"): "tab:blue",
            ("payManyPacked", "one-tier"): "tab:orange",
            ("payMany", "three-tier"): "tab:green",
            ("payManyPacked", "three-tier"): "tab:purple",
        }
        styles = {"existing": "-", "new": "--"}
        for (variant, prof), color in colors.items():
            for case in ("existing", "new"):
                pts = [
                    (s, row.per_earner)
                    for s in sizes
                    if (row := _find(self.rows, _is("pool", variant, case, prof, s)))
                ]
                if pts:
                    xs, ys = zip(*pts, strict=True)
                    ax.plot(
                        xs,
                        ys,
                        styles[case],
                        color=color,
                        marker="o",
                        ms=4,
                        label=f"{variant}, {prof}, {case}",
                    )
        for name, lines in self.floor.items():
            if "packed" in name:
                total = sum(x.gas for x in lines)
                ax.axhline(total, color="grey", linestyle=":", linewidth=1)
                label = f"EVM floor, {name.split(',')[0]} earner: {total:,}"
                ax.annotate(label, (sizes[0], total), fontsize=7, va="bottom", color="grey")
        limits = [t.limit for t in TARGETS if t.per_earner and t.base is None and t.on_chart]
        for limit in limits:
            ax.axhline(limit, color="tab:red", linestyle=":", linewidth=1)
            # a label just under a nearby higher target's goes below its line, not onto the other label
            crowded = any(limit < other <= limit * 1.15 for other in limits)
            va = "top" if crowded else "bottom"
            ax.annotate(
                f"target {limit:,}", (sizes[-1], limit), fontsize=7, va=va, ha="right", color="tab:red"
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("earners per transaction")
        ax.set_ylabel("gas per earner (receipt gasUsed ÷ earners)")
        ax.set_title("Tributary: gas per credited earner vs batch size")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(path, dpi=130)
        plt.close(fig)
        return path
