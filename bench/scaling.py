"""How the hot paths' gas moves with the number of strategies in the tier and of earners in the pool.

Strategies: since the loss-aware live price (issue 12) every entry and exit reads each strategy holding
debt, so these grow with the strategies; earners: a credit touches the earner's own slots only (flat).
Earners are created the way production creates them, by real MAX_BATCH payMany transactions (set-up, not
measured), never by writing storage behind the contracts' back.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.chain import fresh_addresses
from bench.paths import PoolPaths, Recorder, VaultPaths, has_fn
from bench.system import ONE_TIER, SOURCE, Builder, amounts, packed


def by_strategies(
    builder: Builder, rec: Recorder, counts: list[int], tick: Callable[[str], None] = lambda _: None
) -> None:
    """Tier 0 with 1, 4, 8 strategies (debt allocated to all of them): pay, payMany, deposit, keeper."""
    for k in counts:
        tick(f"strategies={k}: deploying")
        tiers = builder.tiers(n_strategies=[k, 1, 1])
        builder.pools(tiers, {"one-tier": ONE_TIER})
        pool_paths = PoolPaths(builder, tiers, rec, section="scaling: strategies", param=str(k))
        tick(f"strategies={k}: pool paths")
        pool_paths.pay(iter(["one-tier"]))
        pool_paths.pay_many([100], iter(["one-tier"]), packed_too=False)
        vault_paths = VaultPaths(builder, tiers, rec, section="scaling: strategies", param=str(k))
        tick(f"strategies={k}: vault paths")
        vault_paths.deposit(tiers.vaults[0])
        vault_paths.exits(tiers.vaults[0])  # every exit prices the strategies live (issue 12)
        vault_paths.keeper(tiers.vaults[0], tiers.strategies[0])


def by_earners(
    builder: Builder, rec: Recorder, checkpoints: list[int], tick: Callable[[str], None] = lambda _: None
) -> None:
    """One pool grown to 10 … 10,000 earners; at each size pay an existing and a new earner and a
    100-earner payMany of existing earners."""
    chain = builder.chain
    tiers = builder.tiers(n_strategies=1)
    builder.pools(tiers, {"one-tier": ONE_TIER})
    pool = tiers.pools["one-tier"]
    step = builder.max_batch(pool)
    use_packed = has_fn(pool, "payManyPacked")
    grown: list[str] = []
    for target in checkpoints:
        while len(grown) < target:
            start = len(grown)
            chunk = fresh_addresses("scale-earner", min(target, start + step), start=start)
            values = amounts("scale", len(chunk), 0)
            if use_packed:
                fn = pool.functions.payManyPacked(SOURCE, packed(chunk, values))
            else:
                fn = pool.functions.payMany(SOURCE, chunk, values)
            chain.send(fn, builder.payer)
            grown.extend(chunk)
            tick(f"earners: {len(grown):,} / {checkpoints[-1]:,}")
        paths = PoolPaths(builder, tiers, rec, section="scaling: earners", param=str(target))
        old = grown[len(grown) // 2]
        value = amounts(f"scale-pay:{target}", 1)[0]
        gas = chain.gas(pool.functions.pay(old, value, SOURCE), builder.payer)
        paths.record("pay", "existing", "one-tier", gas)
        (new,) = fresh_addresses(f"scale-new:{target}", 1)
        gas = chain.gas(pool.functions.pay(new, value, SOURCE), builder.payer)
        paths.record("pay", "new", "one-tier", gas)
        batch = grown[-100:] if len(grown) >= 100 else grown
        values = amounts(f"scale-batch:{target}", len(batch))
        gas = chain.gas(pool.functions.payMany(SOURCE, batch, values), builder.payer)
        paths.record("payMany", "existing", "one-tier", gas, batch=len(batch))
