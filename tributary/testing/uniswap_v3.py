"""Uniswap V3 on a local anvil through web3, from the published npm artifacts (@uniswap/v3-core 1.0.1,
@uniswap/v3-periphery 1.4.4): factory, SwapRouter, NonfungiblePositionManager and a full-range pool with
an oracle history. Used by the benchmark and the demo (the tests use the ape twin in tests/depaddr)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from web3 import Web3
from web3.contract import Contract

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "node_modules/@uniswap/v3-core/artifacts/contracts"
PERIPHERY = ROOT / "node_modules/@uniswap/v3-periphery/artifacts/contracts"
MAX_UINT = 2**256 - 1
FEE = 3_000  # 0.3 %, tick spacing 60
FULL_RANGE = (-887_220, 887_220)
ZERO = "0x" + "00" * 20


@cache
def artifact(name: str) -> dict[str, Any]:
    folder = CORE if name.startswith("UniswapV3") else PERIPHERY
    loaded: dict[str, Any] = json.loads((folder / f"{name}.sol" / f"{name}.json").read_text())
    return loaded


def _send(w3: Web3, fn: Any, sender: str) -> dict[str, Any]:
    receipt = w3.eth.wait_for_transaction_receipt(fn.transact({"from": sender, "gas": 15_000_000}))
    if receipt["status"] != 1:
        raise RuntimeError(f"Error: Uniswap V3 set-up transaction {fn.fn_name} reverted")
    return dict(receipt)


def _deploy(w3: Web3, name: str, sender: str, *args: Any) -> Contract:
    art = artifact(name)
    factory = w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    tx = factory.constructor(*args).transact({"from": sender, "gas": 15_000_000})
    receipt = w3.eth.wait_for_transaction_receipt(tx)
    address = receipt["contractAddress"]
    if address is None:
        raise RuntimeError(f"Error: Uniswap V3 {name} deployment created no contract")
    return w3.eth.contract(address=address, abi=art["abi"])


@dataclass
class UniswapV3:
    w3: Web3
    factory: Contract
    router: Contract  # SwapRouter
    positions: Contract  # NonfungiblePositionManager

    def pool(self, token_a: str, token_b: str, fee: int = FEE) -> Contract:
        address = Web3.to_checksum_address(self.factory.functions.getPool(token_a, token_b, fee).call())
        return self.w3.eth.contract(address=address, abi=artifact("UniswapV3Pool")["abi"])

    def create_pool(
        self,
        lp: str,
        token: Contract,
        asset: Contract,
        price: float,
        liquidity_asset: int,
        cardinality: int = 50,
    ) -> Contract:
        """A full-range pool where 1 raw unit of `token` is worth `price` raw units of `asset`, holding
        `liquidity_asset` of the asset (both MockToken-style `mint(to, amount)` tokens, minted to `lp`)."""
        t0, t1 = sorted([token, asset], key=lambda c: int(c.address, 16))
        ratio = price if t0.address == token.address else 1 / price
        sqrt_price = math.isqrt(int(ratio * 2**192))
        create = self.positions.functions.createAndInitializePoolIfNecessary
        _send(self.w3, create(t0.address, t1.address, FEE, sqrt_price), lp)
        amounts = {token.address: int(liquidity_asset / price), asset.address: liquidity_asset}
        for t in (token, asset):
            _send(self.w3, t.functions.mint(lp, amounts[t.address]), lp)
            _send(self.w3, t.functions.approve(self.positions.address, MAX_UINT), lp)
        a0, a1 = amounts[t0.address], amounts[t1.address]
        params = (t0.address, t1.address, FEE, *FULL_RANGE, a0, a1, 0, 0, lp, 2**40)
        _send(self.w3, self.positions.functions.mint(params), lp)
        pool = self.pool(token.address, asset.address)
        _send(self.w3, pool.functions.increaseObservationCardinalityNext(cardinality), lp)
        return pool


def deploy_uniswap_v3(w3: Web3, deployer: str, weth: str) -> UniswapV3:
    factory = _deploy(w3, "UniswapV3Factory", deployer)
    router = _deploy(w3, "SwapRouter", deployer, factory.address, weth)
    positions = _deploy(w3, "NonfungiblePositionManager", deployer, factory.address, weth, ZERO)
    return UniswapV3(w3=w3, factory=factory, router=router, positions=positions)
