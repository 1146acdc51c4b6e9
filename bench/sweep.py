"""Deposit addresses (DepositRouter): the gas of sweeping, next to the Pool's own paths.

A platform pays a deposit address by a plain transfer (set-up, not measured); the measured transaction is
the sweep a keeper (or anyone) sends. "deployed" = the address was swept before (its forwarder exists);
"first" = the sweep also deploys the forwarder. Earner cases as everywhere: "existing" holds shares already.
"""

from __future__ import annotations

from web3.contract import Contract

from bench.paths import Recorder, Row
from bench.system import SOURCE, UNIT, Builder, Tiers, amounts
from tributary.deposit import deposit_address
from tributary.testing.uniswap_v3 import FEE, deploy_uniswap_v3

SECTION = "deposit"
TWAP_WINDOW = 1_800
BATCH = 100


class SweepPaths:
    def __init__(self, builder: Builder, tiers: Tiers, rec: Recorder) -> None:
        self.b, self.c, self.t, self.rec = builder, builder.chain, tiers, rec
        self.pool = tiers.pools["one-tier"]
        self.uni = deploy_uniswap_v3(self.c.w3, self.b.admin, builder.weth().address)
        self.router = self.c.deploy(
            "DepositRouter", self.pool.address, self.uni.router.address, TWAP_WINDOW, 200, 1, self.b.admin,
            sender=self.b.admin,
        )  # fmt: skip
        self._n = 0

    def _earners(self, case: str, count: int) -> list[str]:
        self._n += 1
        tag = f"{SECTION}:{self._n}"
        return self.b.existing(self.pool, tag, count) if case == "existing" else self.b.new(tag, count)

    def _fund(self, token: Contract, earners: list[str], deployed: bool) -> None:
        """Pay each earner's deposit address (and sweep it once first when it must be deployed)."""
        addrs = [deposit_address(self.router.address, e, SOURCE) for e in earners]
        values = amounts(f"dep:{self._n}", len(earners))
        if deployed:
            for a, v in zip(addrs, values, strict=True):
                self.c.send(self.t.token.functions.transfer(a, v), self.b.payer)
            for i in range(0, len(earners), BATCH):
                self.c.send(self.router.functions.sweepMany(SOURCE, earners[i : i + BATCH]), self.b.payer)
        for a, v in zip(addrs, values, strict=True):
            if token.address == self.t.token.address:
                self.c.send(token.functions.transfer(a, v), self.b.payer)
            else:
                self.c.send(token.functions.mint(a, v * 2), self.b.admin)

    def _record(self, path: str, case: str, gas: int, batch: int = 1) -> None:
        self.rec.add(Row(SECTION, path, case, "one-tier", gas, batch))

    def sweeps(self) -> None:
        for deployed, label in ((True, "deployed"), (False, "first")):
            # after the deploying sweep the earner holds shares: a deployed address has only "existing"
            for case in ("existing",) if deployed else ("existing", "new"):
                (earner,) = self._earners(case, 1)
                self._fund(self.t.token, [earner], deployed)
                gas = self.c.gas(self.router.functions.sweep(earner, SOURCE), self.b.payer)
                self._record(f"sweep ({label})", case, gas)
                earners = self._earners(case, BATCH)
                self._fund(self.t.token, earners, deployed)
                gas = self.c.gas(self.router.functions.sweepMany(SOURCE, earners), self.b.payer)
                self._record(f"sweepMany ({label})", case, gas, batch=BATCH)

    def conversion(self) -> None:
        game = self.c.deploy("MockToken", "Game Gold", "GAME", 18, sender=self.b.admin)
        self.uni.create_pool(self.b.admin, game, self.t.token, 0.5, 10**6 * UNIT)
        self.c.advance(TWAP_WINDOW + 60)
        self.c.send(self.router.functions.proposeRoute(game.address, FEE), self.b.admin)
        self.c.advance(2)
        self.c.send(self.router.functions.listRoute(game.address), self.b.admin)
        for deployed, label in ((True, "deployed"), (False, "first")):
            (earner,) = self._earners("existing", 1)
            self._fund(game, [earner], deployed)
            gas = self.c.gas(self.router.functions.sweepToken(earner, SOURCE, game.address), self.b.payer)
            self._record(f"sweepToken via Uniswap V3 ({label})", "existing", gas)


def sweep_paths(builder: Builder, tiers: Tiers, rec: Recorder) -> None:
    if not builder.chain.has("DepositRouter"):
        return
    paths = SweepPaths(builder, tiers, rec)
    paths.sweeps()
    paths.conversion()
