"""Every payment path, measured as receipt gasUsed of one ordinary transaction.

"existing" = the earner / depositor / receiver already holds shares of the tier (a non-zero balance
slot is updated); "new" = a first credit (a zero slot is set). Profiles are the pools' defaults, so the
profile read is the same cold slot in both cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from eth_abi import encode
from web3.contract import Contract

from bench.chain import TxFailed, fresh_addresses, fresh_key
from bench.system import PROFILES, SOURCE, UNIT, Builder, Tiers, amounts, packed
from tributary.testing.permit import sign_permit_typed

CASES = ("existing", "new")
OVER_BLOCK = "over the block gas limit"
OWN_ONE_TIER = "one-tier (own profile)"
PAY_LISTED = "pay + access list"  # EIP-2930, tributary.access_list


@dataclass
class Row:
    """One measurement: whole-transaction gasUsed, and per earner when the tx credits a batch (for a workload:
    gasUsed summed over its `txs` transactions, `batch` = its payments, so `per_earner` is per payment)."""

    section: str
    path: str
    case: str = "-"
    profile: str = "-"
    gas: int = 0
    batch: int = 1
    param: str = "-"  # the scaling parameter (strategies, earners) or the workload, when there is one
    note: str = ""
    txs: int = 1  # transactions summed into `gas` (a workload's batches or transfers)

    @property
    def per_earner(self) -> float:
        return self.gas / self.batch

    @property
    def failed(self) -> bool:
        return self.gas == 0

    def key(self) -> str:
        return f"{self.section}|{self.path}|{self.case}|{self.profile}|{self.batch}|{self.param}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "per_earner": round(self.per_earner, 1), "key": self.key()}


@dataclass
class Recorder:
    rows: list[Row] = field(default_factory=list)
    on_row: Callable[[Row], None] | None = None

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        if self.on_row:
            self.on_row(row)
        return row


def has_fn(contract: Contract, name: str) -> bool:
    return any(i.get("type") == "function" and i.get("name") == name for i in contract.abi)


class PoolPaths:
    """The Pool's ingress paths and switchTier, over one set of tiers with a pool per default profile."""

    def __init__(
        self, builder: Builder, tiers: Tiers, rec: Recorder, section: str = "pool", param: str = "-"
    ) -> None:
        self.b, self.c, self.t, self.rec, self.section = builder, builder.chain, tiers, rec, section
        self.param = param
        self._n = 0

    def _tag(self, what: str) -> str:
        self._n += 1
        return f"{self.section}:{what}:{self._n}"

    def _earners(self, pool: Contract, case: str, count: int, what: str) -> list[str]:
        tag = self._tag(what)
        return self.b.existing(pool, tag, count) if case == "existing" else self.b.new(tag, count)

    def record(self, path: str, case: str, profile: str, gas: int, batch: int = 1) -> Row:
        return self.rec.add(Row(self.section, path, case, profile, gas, batch, param=self.param))

    # ------------------------------------------------------------------ ERC-20 approve paths

    def pay(self, profiles: Iterator[str] | None = None) -> None:
        for profile in profiles or PROFILES:
            pool = self.t.pools[profile]
            for case in CASES:
                (earner,) = self._earners(pool, case, 1, "pay")
                (value,) = amounts(earner, 1)
                gas = self.c.gas(pool.functions.pay(earner, value, SOURCE), self.b.payer)
                self.record("pay", case, profile, gas)
                if case == "existing":  # the same earner again, with the access list that pays for itself
                    (value,) = amounts(earner + ":listed", 1)
                    fn = pool.functions.pay(earner, value, SOURCE)
                    self.record(PAY_LISTED, case, profile, self.c.gas_with_access_list(fn, self.b.payer))

    def pay_own_profile(self) -> None:
        """pay to an earner who set a one-tier profile of their own (no read of the pool default)."""
        pool = self.t.pools["three-tier"]
        for case in CASES:
            (earner,) = fresh_addresses(self._tag("own-profile"), 1)
            self.c.impersonate(earner)
            self.c.send(pool.functions.setProfile(PROFILES["one-tier"]), earner)
            if case == "existing":
                self.b.credit(pool, [earner], self._tag("own-seed"))
            (value,) = amounts(earner, 1)
            gas = self.c.gas(pool.functions.pay(earner, value, SOURCE), self.b.payer)
            self.record("pay", case, OWN_ONE_TIER, gas)

    def pay_many(
        self, sizes: list[int], profiles: Iterator[str] | None = None, packed_too: bool = True
    ) -> None:
        for profile in profiles or PROFILES:
            pool = self.t.pools[profile]
            variants = ["payMany"] + (
                ["payManyPacked"] if packed_too and has_fn(pool, "payManyPacked") else []
            )
            for size in sizes:
                for case in CASES:
                    for variant in variants:
                        earners = self._earners(pool, case, size, f"{variant}{size}")
                        values = amounts(self._tag("v"), size)
                        if variant == "payMany":
                            fn = pool.functions.payMany(SOURCE, earners, values)
                        else:
                            fn = pool.functions.payManyPacked(SOURCE, packed(earners, values))
                        try:
                            self.record(variant, case, profile, self.c.gas(fn, self.b.payer), batch=size)
                        except TxFailed as err:
                            # A batch the contract accepts may still not fit one block: say so, don't hide it.
                            gas = self.c.estimate_or_none(fn, self.b.payer)
                            oog = gas is None and "'0x'" in str(err)  # empty revert data: out of gas
                            note = OVER_BLOCK if oog or (gas or 0) > self.c.block_gas_limit else str(err)
                            self.rec.add(Row(self.section, variant, case, profile, 0, size, self.param, note))

    def pay_with_permit(self) -> None:
        token = self.t.token
        name = token.functions.name().call()
        for profile, pool in self.t.pools.items():
            for case in CASES:
                key = fresh_key(self._tag("permit"))
                self.c.set_balance(key.address, 10**20)
                self.b.fund(token, key.address, 10 * UNIT)
                (earner,) = self._earners(pool, case, 1, "permit")
                (value,) = amounts(earner, 1)
                deadline = 2**40
                v, r, s = sign_permit_typed(
                    key.key,
                    name=name,
                    chain_id=self.c.chain_id(),
                    token=token.address,
                    owner=key.address,
                    spender=pool.address,
                    value=value,
                    nonce=token.functions.nonces(key.address).call(),
                    deadline=deadline,
                )
                fn = pool.functions.payWithPermit(
                    earner,
                    value,
                    SOURCE,
                    deadline,
                    v,
                    r,
                    s,
                )
                receipt = self.c.send_signed(fn, key)
                self.record("payWithPermit", case, profile, int(receipt["gasUsed"]))

    def erc1363(self) -> None:
        token = self.t.token
        fn_abi = token.get_function_by_signature("transferAndCall(address,uint256,bytes)")
        for profile, pool in self.t.pools.items():
            for case in CASES:
                (earner,) = self._earners(pool, case, 1, "1363")
                (value,) = amounts(earner, 1)
                data = encode(["address", "bytes32"], [earner, SOURCE])
                gas = self.c.gas(fn_abi(pool.address, value, data), self.b.payer)
                self.record("ERC-1363 transferAndCall", case, profile, gas)

    # ------------------------------------------------------------------ native ETH (WETH pools)

    def eth(self) -> None:
        assert self.t.is_weth
        for profile, pool in self.t.pools.items():
            for case in CASES:
                (earner,) = self._earners(pool, case, 1, "payETH")
                (value,) = amounts(earner, 1)
                gas = self.c.gas(pool.functions.payETH(earner, SOURCE), self.b.payer, value=value)
                self.record("payETH", case, profile, gas)
            for case in CASES:
                (sender,) = fresh_addresses(self._tag("plain-eth"), 1)
                self.c.impersonate(sender)
                (value,) = amounts(sender, 1)
                if case == "existing":
                    self.c.send_eth(sender, pool.address, value)  # set-up: the sender's first credit
                gas = int(self.c.send_eth(sender, pool.address, value)["gasUsed"])
                self.record("plain ETH transfer", case, profile, gas)

    # ------------------------------------------------------------------ holdings

    def switch_tier(self) -> None:
        """Move half of an earner's tier-0 shares to tier 1: "existing" already holds tier-1 shares
        (credited through the three-tier pool), "new" does not (one-tier pool)."""
        pool = self.t.pools["three-tier"]
        for case, via in (("existing", "three-tier"), ("new", "one-tier")):
            (earner,) = fresh_addresses(self._tag("switch"), 1)
            self.c.impersonate(earner)
            self.b.credit(self.t.pools[via], [earner], self._tag("switch-seed"))
            vault0 = self.t.vaults[0]
            shares = vault0.functions.balanceOf(earner).call()
            self.c.send(vault0.functions.approve(pool.address, shares), earner)
            gas = self.c.gas(pool.functions.switchTier(0, 1, shares // 2, 0), earner)
            self.record("switchTier", case, "-", gas)


class VaultPaths:
    """TierVault used directly (ERC-4626), its keeper paths, and the plain OpenZeppelin reference."""

    def __init__(
        self, builder: Builder, tiers: Tiers, rec: Recorder, section: str = "vault", param: str = "-"
    ) -> None:
        self.b, self.c, self.t, self.rec, self.section = builder, builder.chain, tiers, rec, section
        self.param = param
        self._n = 0

    def record(self, path: str, case: str, gas: int) -> Row:
        return self.rec.add(Row(self.section, path, case, "-", gas, param=self.param))

    def _depositor(self, vault: Contract) -> str:
        self._n += 1
        (who,) = fresh_addresses(f"{self.section}:depositor:{self._n}", 1)
        self.c.impersonate(who)
        self.b.fund(self.t.token, who, 10_000 * UNIT, self.t.is_weth)
        self.b.approve(self.t.token, who, vault.address)
        return who

    def deposit(self, vault: Contract, path: str = "TierVault deposit") -> None:
        who = self._depositor(vault)
        value = amounts(who, 1)[0]
        self.c.send(vault.functions.deposit(value, who), who)  # set-up: now an existing depositor
        self.record(path, "existing", self.c.gas(vault.functions.deposit(value, who), who))
        (fresh,) = fresh_addresses(f"{self.section}:receiver:{self._n}", 1)
        self.record(path, "new", self.c.gas(vault.functions.deposit(value, fresh), who))

    def exits(self, vault: Contract) -> None:
        """redeem / withdraw served from idle (partial and full exit), and a withdraw that must pull
        from a strategy because idle is short."""
        who = self._depositor(vault)
        self.c.send(vault.functions.deposit(100 * UNIT, who), who)
        shares = vault.functions.balanceOf(who).call()
        gas = self.c.gas(vault.functions.redeem(shares // 4, who, who), who)
        self.record("TierVault redeem", "partial (from idle)", gas)
        gas = self.c.gas(vault.functions.withdraw(UNIT, who, who), who)
        self.record("TierVault withdraw", "partial (from idle)", gas)
        rest = vault.functions.balanceOf(who).call()
        self.record(
            "TierVault redeem",
            "full exit (from idle)",
            self.c.gas(vault.functions.redeem(rest, who, who), who),
        )
        if self.t.strategies[0]:
            # Hold as much as everyone else, so that after allocate() the idle buffer is less than we own.
            stake = vault.functions.totalAssets().call() + 100 * UNIT
            self.b.fund(self.t.token, who, stake, self.t.is_weth)
            self.c.send(vault.functions.deposit(stake, who), who)
            self.c.send(vault.functions.allocate(), self.b.admin)
            idle = vault.functions.idle().call() if has_fn(vault, "idle") else 0
            gas = self.c.gas(vault.functions.withdraw(idle + UNIT, who, who), who)
            self.record("TierVault withdraw", "partial (idle short: strategy pull)", gas)

    def keeper(self, vault: Contract, strategies: list[Contract]) -> None:
        """allocate() after fresh idle arrives; report() of a strategy that earned yield."""
        who = self._depositor(vault)
        self.c.send(vault.functions.deposit(500 * UNIT, who), who)
        self.record("allocate", "-", self.c.gas(vault.functions.allocate(), self.b.admin))
        if strategies:
            self.c.advance(24 * 3600)
            self.b.make_yield(strategies[0], self.t)
            gas = self.c.gas(vault.functions.report(strategies[0].address), self.b.admin)
            self.record("report", "profit", gas)

    def peers(self, references: list[tuple[str, Contract]]) -> None:
        """Plain ERC-4626 vaults over the same asset (OpenZeppelin's, Solady's), measured alike: one
        depositor, one amount and one fresh receiver for all; "existing" = the depositor's second deposit."""
        if not references:
            return
        who = self._depositor(references[0][1])
        for _, reference in references[1:]:
            self.b.approve(self.t.token, who, reference.address)
        value = amounts(who, 1)[0]
        (fresh,) = fresh_addresses(f"{self.section}:oz-receiver", 1)
        for path, reference in references:
            self.c.send(reference.functions.deposit(value, who), who)  # set-up: now an existing depositor
            self.record(path, "existing", self.c.gas(reference.functions.deposit(value, who), who))
            self.record(path, "new", self.c.gas(reference.functions.deposit(value, fresh), who))
