"""Uniswap V3 on the local chain, from the published npm artifacts (@uniswap/v3-core 1.0.1,
@uniswap/v3-periphery 1.4.4): factory, SwapRouter, NonfungiblePositionManager, and full-range pools."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ape.contracts import ContractContainer, ContractInstance
from ethpm_types import ContractType

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "node_modules/@uniswap/v3-core/artifacts/contracts"
PERIPHERY = ROOT / "node_modules/@uniswap/v3-periphery/artifacts/contracts"
MAX_UINT = 2**256 - 1
FEE = 3_000  # 0.3 %, tick spacing 60
FULL_RANGE = (-887_220, 887_220)  # the widest ticks spaced by 60


@cache
def artifact(name: str) -> dict[str, Any]:
    folder = CORE if name.startswith("UniswapV3") else PERIPHERY
    return json.loads((folder / f"{name}.sol" / f"{name}.json").read_text())


def container(name: str) -> ContractContainer:
    art = artifact(name)
    return ContractContainer(
        ContractType.model_validate(
            {"contractName": name, "abi": art["abi"], "deploymentBytecode": {"bytecode": art["bytecode"]}}
        )
    )


def at(name: str, address: str) -> ContractInstance:
    return container(name).at(address)


@dataclass
class UniswapV3:
    factory: Any
    router: Any  # SwapRouter
    positions: Any  # NonfungiblePositionManager

    def pool(self, token_a: Any, token_b: Any, fee: int = FEE) -> Any:
        return at("UniswapV3Pool", self.factory.getPool(token_a, token_b, fee))

    def create_pool(
        self,
        lp: Any,
        token: Any,
        asset: Any,
        price: float,
        liquidity_asset: int,
        fee: int = FEE,
        cardinality: int = 50,
    ) -> Any:
        """A full-range `token`/`asset` pool where 1 raw unit of `token` is worth `price` raw units of
        `asset`,
        holding `liquidity_asset` of the asset (and the matching amount of token), minted by `lp` (a MockToken
        minter), with room for `cardinality` oracle observations."""
        t0, t1 = sorted([token, asset], key=lambda c: int(c.address, 16))
        price_1_per_0 = price if t0.address == token.address else 1 / price
        sqrt_price = int(math.isqrt(int(price_1_per_0 * 2**192)))
        self.positions.createAndInitializePoolIfNecessary(t0, t1, fee, sqrt_price, sender=lp)
        amount_token = int(liquidity_asset / price)
        amounts = {token.address: amount_token, asset.address: liquidity_asset}
        for t in (token, asset):
            t.mint(lp, amounts[t.address], sender=lp)
            t.approve(self.positions, MAX_UINT, sender=lp)
        self.positions.mint(
            (
                t0.address,
                t1.address,
                fee,
                FULL_RANGE[0],
                FULL_RANGE[1],
                amounts[t0.address],
                amounts[t1.address],
                0,
                0,
                lp.address,
                2**40,
            ),
            sender=lp,
        )
        pool = self.pool(token, asset, fee)
        pool.increaseObservationCardinalityNext(cardinality, sender=lp)
        return pool


def deploy_uniswap_v3(deployer: Any, weth: Any) -> UniswapV3:
    factory = deployer.deploy(container("UniswapV3Factory"))
    router = deployer.deploy(container("SwapRouter"), factory, weth)
    positions = deployer.deploy(container("NonfungiblePositionManager"), factory, weth, "0x" + "00" * 20)
    return UniswapV3(factory=factory, router=router, positions=positions)
