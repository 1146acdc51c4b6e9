"""Constants and chain actions shared by the strategy-adapter tests (imported by conftest and tests)."""

from __future__ import annotations

from typing import Any

from ape import chain
from ape.contracts import ContractInstance
from eth_abi import encode
from eth_utils import keccak
from web3.exceptions import ContractCustomError
from web3.exceptions import ContractLogicError as Web3ContractLogicError

E18 = 10**18
TWAP_WINDOW = 30 * 60
SLIPPAGE_BPS = 100
ZERO = "0x0000000000000000000000000000000000000000"


def uniswap_swap(pair: ContractInstance, token_in: ContractInstance, amount: int, trader: Any) -> int:
    """Trade `amount` of `token_in` on the real pair (transfer + swap, as the router would). Returns out."""
    r0, r1, _ = pair.getReserves()
    in_is_0 = token_in.address == pair.token0()
    r_in, r_out = (r0, r1) if in_is_0 else (r1, r0)
    out = amount * 997 * r_out // (r_in * 1000 + amount * 997)
    token_in.mint(trader, amount, sender=trader)
    token_in.transfer(pair, amount, sender=trader)
    pair.swap(0 if in_is_0 else out, out if in_is_0 else 0, trader, b"", sender=trader)
    return out


def deploy_revert_data(container: Any, *args: Any) -> str:
    """Simulate deploying `container(*args)` with eth_call and return the revert data ("" if none).

    Fails the test if the deployment would succeed. Used instead of `ape.reverts` because ape 0.8 decodes
    a constructor's revert with whatever ABI it cached for the would-be address, which after a chain
    revert may belong to an unrelated contract from an earlier test.
    """
    ctor = container.contract_type.constructor
    types = [str(i.canonical_type) for i in ctor.inputs]
    values = [getattr(a, "address", a) for a in args]
    code = container.contract_type.deployment_bytecode.bytecode
    data = code + encode(types, values).hex()
    try:
        chain.provider.web3.eth.call({"data": data})
    except (Web3ContractLogicError, ContractCustomError) as err:
        return str(err.data or "")
    raise AssertionError("deployment did not revert")


def assert_deploy_reverts(container: Any, error: Any, *args: Any) -> None:
    """The constructor of `container(*args)` reverts with custom error `error` (None: any revert)."""
    data = deploy_revert_data(container, *args)
    if error is not None:
        selector = "0x" + keccak(text=error.abi.selector)[:4].hex()
        assert data.startswith(selector), f"expected {error.abi.selector}, got {data}"
