"""Workloads platforms have: many payments, some of them to the same earners, sent the way a payer sends them.

Three workloads over the one-tier pool: (a) 100 distinct earners × 1 payment, (b) 100 earners × 5 payments
each, (c) 20 earners × 25 payments each. The payments arrive interleaved (A, B, C, …, A, B, C, …), as a
platform's do; the payer batches them with `tributary.payer.plan_batches` (each earner's payments kept in one
batch) under the pool's MAX_BATCH, so 500 payments are 2 transactions. Measured per workload: Σ receipt
gasUsed ÷ payments, and the number of transactions, for

- `payManyPacked` and `payMany` (same batches, ABI-encoded), `payManyPacked` *ungrouped* (100 × 5 sent in
  arrival order, cut every MAX_BATCH payments without `plan_batches`), and `payManyPacked` with the EIP-2930
  access list that pays for itself (`tributary.access_list`: the earners' profile and balance slots named up
  front, −100 gas each);
- the deposit-address route (DepositRouter): every payment is a plain ERC-20 transfer to the earner's deposit
  address (the payers' gas), then the keeper sends one `sweepMany(source, earners)` per ≤ MAX_BATCH earners
  (the keeper's gas). Existing earners' addresses are deployed (swept before); a new earner's first sweep also
  deploys its forwarder.

Earners are "existing" (they already hold shares: set-up `payMany`, or for deposit addresses a set-up
transfer and sweep) — and new ones for (a). Each multi-payment workload runs on the same earners as a
one-payment-each run just before it, so the marginal cost of a repeated payment can be read off
(`repeat_marginal`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from web3.contract import Contract

from bench.paths import Recorder, Row
from bench.system import SOURCE, Builder, Tiers, amounts
from tributary.deposit import deposit_address
from tributary.payer import Payment, checked, pack, plan_batches

SECTION = "workload"
PROFILE = "one-tier"
ZERO = "0x" + "00" * 20

PACKED = "payManyPacked"
ABI = "payMany"
UNGROUPED = "payManyPacked, ungrouped"
LISTED = "payManyPacked + access list"  # EIP-2930, tributary.access_list
TRANSFERS = "deposit address: payers' transfers"
SWEEP = "deposit address: keeper's sweepMany"
TRANSFER_CHUNK = 100  # transfers mined together (Chain.gas_each); the progress moves after each chunk


@dataclass(frozen=True)
class Workload:
    earners: int
    each: int  # payments per earner

    @property
    def payments(self) -> int:
        return self.earners * self.each

    @property
    def label(self) -> str:
        """The rows' `param`."""
        return f"{self.earners} earners × {self.each}"


DISTINCT = Workload(100, 1)  # (a)
FIVE_EACH = Workload(100, 5)  # (b)
TWENTY_FIVE_EACH = Workload(20, 25)  # (c)
WORKLOADS = (DISTINCT, FIVE_EACH, TWENTY_FIVE_EACH)
# Each multi-payment workload and the one-payment-each run on the same earners it is compared with.
REPEATS = ((FIVE_EACH, DISTINCT), (TWENTY_FIVE_EACH, Workload(20, 1)))


def repeat_marginal(gas_many: float, gas_once: float, earners: int, each: int) -> float:
    """Gas of one repeated payment inside a batch: what E earners × P payments cost beyond the same E earners
    paid once each, per extra payment: (gas(E × P) − gas(E × 1)) ÷ (E × (P − 1))."""
    if earners < 1 or each < 2:
        raise ValueError(f"a repeated payment needs earners ≥ 1 and payments each ≥ 2, got {earners}, {each}")
    return (gas_many - gas_once) / (earners * (each - 1))


def interleaved(earners: Sequence[str], each: int, tag: str) -> list[Payment]:
    """`each` payments to every earner in arrival order: round after round, every earner once per round."""
    values = amounts(f"workload:{tag}", len(earners) * each)
    return checked((earners[i % len(earners)], v) for i, v in enumerate(values))


def ungrouped(payments: Sequence[Payment], max_batch: int) -> list[list[Payment]]:
    """Batches cut every `max_batch` payments in arrival order (no grouping by earner)."""
    return [list(payments[i : i + max_batch]) for i in range(0, len(payments), max_batch)]


def distinct_earners(payments: Sequence[Payment]) -> list[str]:
    """Earners in order of first appearance (a deposit address is swept once, whatever it received)."""
    return list(dict.fromkeys(p.earner for p in payments))


class Workloads:
    def __init__(
        self, builder: Builder, tiers: Tiers, rec: Recorder, tick: Callable[[str], None] = lambda _: None
    ) -> None:
        self.b, self.c, self.t, self.rec, self.tick = builder, builder.chain, tiers, rec, tick
        self.pool = tiers.pools[PROFILE]
        self.max_batch = builder.max_batch(self.pool)
        self._n = 0

    def _tag(self, what: str) -> str:
        self._n += 1
        return f"{SECTION}:{what}:{self._n}"

    def _record(self, path: str, case: str, w: Workload, gas: int, txs: int) -> None:
        self.rec.add(Row(SECTION, path, case, PROFILE, gas, batch=w.payments, param=w.label, txs=txs))

    # ------------------------------------------------------------------ the Pool's batch entries

    def _send(self, variant: str, batches: list[list[Payment]]) -> int:
        total = 0
        for batch in batches:
            if variant == ABI:
                fn = self.pool.functions.payMany(SOURCE, [p.earner for p in batch], [p.amount for p in batch])
            else:
                fn = self.pool.functions.payManyPacked(SOURCE, pack(batch))
            if variant == LISTED:
                total += self.c.gas_with_access_list(fn, self.b.payer)
            else:
                total += self.c.gas(fn, self.b.payer)
        return total

    def _pay(self, variant: str, case: str, w: Workload, earners: list[str]) -> None:
        self.tick(f"{variant}: {w.label}, {case}")
        payments = interleaved(earners, w.each, self._tag(variant))
        if variant == UNGROUPED:
            batches = ungrouped(payments, self.max_batch)
        else:
            batches = plan_batches(payments, self.max_batch)
        self._record(variant, case, w, self._send(variant, batches), len(batches))

    def pool_entries(self) -> None:
        for variant in (PACKED, ABI, LISTED):
            for many, once in REPEATS:
                earners = self.b.existing(self.pool, self._tag(f"{variant}-earners"), once.earners)
                self._pay(variant, "existing", once, earners)
                self._pay(variant, "existing", many, earners)
            self._pay(variant, "new", DISTINCT, self.b.new(self._tag(variant), DISTINCT.earners))
        earners = self.b.existing(self.pool, self._tag("ungrouped-earners"), DISTINCT.earners)
        self._pay(UNGROUPED, "existing", DISTINCT, earners)  # one batch of distinct earners: as grouped
        self._pay(UNGROUPED, "existing", FIVE_EACH, earners)

    # ------------------------------------------------------------------ deposit addresses

    def _router(self) -> Contract:
        # conversions disabled (no swap router): the asset only, as every workload here pays it
        return self.c.deploy(
            "DepositRouter", self.pool.address, ZERO, 1, 0, 1, self.b.admin, sender=self.b.admin
        )

    def _transfers(self, router: Contract, payments: Sequence[Payment], what: str) -> int:
        """Σ gasUsed of the payers' plain transfers, one per payment, to the earners' deposit addresses."""
        token, total = self.t.token, 0
        for i in range(0, len(payments), TRANSFER_CHUNK):
            chunk = payments[i : i + TRANSFER_CHUNK]
            addrs = [deposit_address(router.address, p.earner, SOURCE) for p in chunk]
            fns = [token.functions.transfer(a, p.amount) for a, p in zip(addrs, chunk, strict=True)]
            total += sum(self.c.gas_each(fns, self.b.payer))
            self.tick(f"{what}: transfers {i + len(chunk)}/{len(payments)}")
        return total

    def _sweeps(self, router: Contract, earners: list[str]) -> tuple[int, int]:
        chunks = [earners[i : i + self.max_batch] for i in range(0, len(earners), self.max_batch)]
        gas = sum(self.c.gas(router.functions.sweepMany(SOURCE, chunk), self.b.payer) for chunk in chunks)
        return gas, len(chunks)

    def _deposit(self, router: Contract, case: str, w: Workload, earners: list[str]) -> None:
        what = f"deposit addresses: {w.label}, {case}"
        self.tick(what)
        payments = interleaved(earners, w.each, self._tag("deposit"))
        self._record(TRANSFERS, case, w, self._transfers(router, payments, what), len(payments))
        gas, txs = self._sweeps(router, distinct_earners(payments))
        self._record(SWEEP, case, w, gas, txs)

    def deposit_addresses(self) -> None:
        if not self.c.has("DepositRouter"):
            return
        router = self._router()
        for many, once in REPEATS:
            earners = self.b.new(self._tag("deposit-earners"), once.earners)
            # set-up: a first payment and sweep deploy the forwarders and make the earners existing
            seed = interleaved(earners, 1, self._tag("deposit-seed"))
            self._transfers(router, seed, "deposit addresses: set-up")
            self._sweeps(router, earners)
            self._deposit(router, "existing", once, earners)
            self._deposit(router, "existing", many, earners)
        self._deposit(router, "new", DISTINCT, self.b.new(self._tag("deposit-new"), DISTINCT.earners))


def workloads(
    builder: Builder, tiers: Tiers, rec: Recorder, tick: Callable[[str], None] = lambda _: None
) -> None:
    w = Workloads(builder, tiers, rec, tick)
    w.pool_entries()
    w.deposit_addresses()
