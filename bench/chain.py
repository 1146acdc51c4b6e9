"""A thin, fast web3 layer over the benchmark's node: deploy from ape's compiled artifacts, send
transactions and read receipt `gasUsed`, fresh addresses and keys.

ape's own transaction path (gas estimation, tracing, rich receipts) costs ~100 ms per transaction; the
benchmark sends thousands, so it talks JSON-RPC through web3 and keeps ape for compilation and the node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.types import TxParams, TxReceipt, Wei

from tributary.access_list import with_access_list

# Every benchmark transaction carries an explicit limit, the block's (`gas_each`: a smaller one, stated): no
# eth_estimateGas round trip, and the receipt's gasUsed does not depend on the limit (no measured path behaves
# differently with more gas).


class TxFailed(RuntimeError):
    """A benchmark transaction reverted: the scenario is wrong or the contract refused it."""


def fresh_addresses(tag: str, count: int, start: int = 0) -> list[str]:
    """Deterministic addresses that never held anything. Hash-derived, so their calldata bytes are as
    non-zero as real addresses' (a low counter address would make calldata look 300 gas cheaper)."""
    return [to_checksum_address(keccak(text=f"tributary-bench:{tag}:{i}")[12:]) for i in range(start, count)]


def fresh_key(tag: str) -> LocalAccount:
    """A deterministic private key for paths that need a signature (EIP-2612 permit)."""
    key: LocalAccount = Account.from_key(keccak(text=f"tributary-bench-key:{tag}"))
    return key


@dataclass
class Chain:
    """The node plus every compiled contract of the project (name -> (abi, deployment bytecode))."""

    w3: Web3
    artifacts: dict[str, tuple[list[dict[str, Any]], str]]
    accounts: list[str]
    block_gas_limit: int = 30_000_000
    gas_price: int = 0
    sent: int = 0  # transactions mined so far (progress display)
    _errors: dict[bytes, str] = field(default_factory=dict)

    @classmethod
    def connect(cls, url: str) -> Chain:
        """A node at `url` and the compiled contracts of the ape project (compiled by `make bench`)."""
        from ape import project

        w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 300}))
        artifacts: dict[str, tuple[list[dict[str, Any]], str]] = {}
        for name in project.contracts:
            contract_type = project.contracts[name]
            abi = contract_type.model_dump(mode="json", by_alias=True)["abi"]
            bytecode = contract_type.get_deployment_bytecode() or b""
            artifacts[name] = (abi, "0x" + bytes(bytecode).hex() if bytecode else "0x")
        self = cls(w3=w3, artifacts=artifacts, accounts=list(w3.eth.accounts))
        self.block_gas_limit = int(w3.eth.get_block("latest")["gasLimit"])
        self.gas_price = int(w3.eth.gas_price)
        for abi, _ in artifacts.values():
            for item in abi:
                if item.get("type") == "error":
                    signature = f"{item['name']}({','.join(i['type'] for i in item['inputs'])})"
                    self._errors[keccak(text=signature)[:4]] = signature
        return self

    # ------------------------------------------------------------------ contracts

    def has(self, name: str) -> bool:
        return name in self.artifacts and self.artifacts[name][1] != "0x"

    def abi(self, name: str) -> list[dict[str, Any]]:
        return self.artifacts[name][0]

    def at(self, name: str, address: str) -> Contract:
        return self.w3.eth.contract(address=to_checksum_address(address), abi=self.abi(name))

    def deploy(self, name: str, *args: Any, sender: str | None = None) -> Contract:
        abi, bytecode = self.artifacts[name]
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        receipt = self._transact(factory.constructor(*args), sender or self.accounts[0], 0, label=name)
        address = receipt["contractAddress"]
        if address is None:
            raise TxFailed(f"{name}: the deployment receipt names no contract")
        return self.at(name, address)

    # ------------------------------------------------------------------ transactions

    def send(self, fn: ContractFunction, sender: str, value: int = 0) -> TxReceipt:
        """Send `fn` from an unlocked (or impersonated) account; raise TxFailed on revert."""
        return self._transact(fn, sender, value, label=fn.fn_name)

    def gas(self, fn: ContractFunction, sender: str, value: int = 0) -> int:
        """Receipt gasUsed of one transaction."""
        return int(self.send(fn, sender, value)["gasUsed"])

    def gas_with_access_list(self, fn: ContractFunction, sender: str) -> int:
        """Receipt gasUsed of `fn` sent with the EIP-2930 access list that pays for itself
        (`tributary.access_list.with_access_list`: the node's list, pruned of entries that cost more than they
        save); the list's own gas is part of the receipt."""
        tx = {"from": sender, "to": fn.address, "data": fn._encode_transaction_data()}
        listed = with_access_list(self.w3, tx)
        params = cast(TxParams, {**listed, "gas": self.block_gas_limit, "gasPrice": Wei(self.gas_price)})
        return int(self._wait(self.w3.eth.send_transaction(params), params, fn.fn_name)["gasUsed"])

    def gas_each(self, fns: Sequence[ContractFunction], sender: str, gas: int = 200_000) -> list[int]:
        """Receipt gasUsed of each of `fns`, sent in order by `sender` with automining paused, then mined
        together (a few blocks instead of one per transaction: ~3x faster, for the workloads' thousands of
        plain transfers), over raw JSON-RPC. Each transaction carries the limit `gas` (many fit a block).
        gasUsed is per transaction whatever shares its block (EIP-2929 access sets and EIP-2200 original
        values are per transaction): it is what one transaction per block shows."""
        hashes = []
        self.rpc("evm_setAutomine", [False])
        try:
            for fn in fns:
                tx = {"from": sender, "to": fn.address, "data": fn._encode_transaction_data(),
                      "gas": hex(gas), "gasPrice": hex(self.gas_price)}  # fmt: skip
                hashes.append(self.rpc("eth_sendTransaction", [tx]))
            receipts: list[dict[str, Any] | None] = [None] * len(hashes)
            for _ in range(len(hashes) + 1):
                if None not in receipts:
                    break
                self.rpc("evm_mine")  # as many pending transactions as fit the block, in nonce order
                receipts = [
                    r or self.rpc("eth_getTransactionReceipt", [h])
                    for r, h in zip(receipts, hashes, strict=True)
                ]
        finally:
            self.rpc("evm_setAutomine", [True])
        self.sent += len(hashes)
        out = []
        for fn, receipt in zip(fns, receipts, strict=True):
            if receipt is None:
                raise TxFailed(f"{fn.fn_name}: not mined")
            if int(receipt["status"], 16) != 1:
                raise TxFailed(f"{fn.fn_name}: reverted (gas limit {gas:,})")
            out.append(int(receipt["gasUsed"], 16))
        return out

    def estimate_or_none(self, fn: ContractFunction, sender: str) -> int | None:
        """eth_estimateGas with no block cap, or None when the call reverts anyway."""
        try:
            return int(fn.estimate_gas({"from": sender, "gas": 10 * self.block_gas_limit}))
        except Exception:
            return None

    def send_eth(self, sender: str, to: str, value: int) -> TxReceipt:
        tx: TxParams = {
            "from": sender,
            "to": to,
            "value": Wei(value),
            "gas": self.block_gas_limit,
            "gasPrice": Wei(self.gas_price),
        }
        return self._wait(self.w3.eth.send_transaction(tx), tx, "ETH transfer")

    def send_signed(self, fn: ContractFunction, key: LocalAccount, value: int = 0) -> TxReceipt:
        """Send `fn` signed by a local key (the permit path: the payer signs both permit and tx)."""
        params: TxParams = {
            "from": key.address,
            "gas": self.block_gas_limit,
            "gasPrice": Wei(self.gas_price),
            "nonce": self.w3.eth.get_transaction_count(key.address),
            "value": Wei(value),
            "chainId": self.w3.eth.chain_id,
        }
        tx = fn.build_transaction(params)
        signed = key.sign_transaction(cast(dict[str, Any], tx))
        return self._wait(self.w3.eth.send_raw_transaction(signed.raw_transaction), tx, fn.fn_name)

    def _transact(self, fn: Any, sender: str, value: int, label: str) -> TxReceipt:
        # Explicit gas and gas price: web3 then sends at once (no estimate, no fee-history round trips).
        tx: TxParams = {
            "from": sender, "gas": self.block_gas_limit, "value": Wei(value), "gasPrice": Wei(self.gas_price)
        }  # fmt: skip
        try:
            tx_hash = fn.transact(tx)
        except Exception as err:  # anvil rejects some reverts at submission
            raise TxFailed(f"{label}: {self._explain(err)}") from err
        return self._wait(tx_hash, lambda: {**fn.build_transaction(tx), "from": sender}, label)

    def _wait(self, tx_hash: bytes, tx: TxParams | Callable[[], TxParams], label: str) -> TxReceipt:
        receipt = self.w3.eth.wait_for_transaction_receipt(HexBytes(tx_hash), timeout=120, poll_latency=0.01)
        self.sent += 1
        if receipt["status"] != 1:
            tx = tx() if callable(tx) else tx
            call = cast(TxParams, {k: tx[k] for k in ("from", "to", "data", "value") if k in tx})
            try:
                self.w3.eth.call(call, receipt["blockNumber"] - 1)
                reason = "reverted (not reproducible by eth_call)"
            except Exception as err:
                reason = self._explain(err)
            raise TxFailed(f"{label}: {reason}")
        return receipt

    def _explain(self, err: Exception) -> str:
        """Name the custom error in a revert, when one of the project's ABIs declares it."""
        data = getattr(err, "data", None)
        if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
            signature = self._errors.get(bytes.fromhex(data[2:10]))
            if signature:
                return f"{signature} {data[10:]}"
        return str(err)

    # ------------------------------------------------------------------ node control (set-up only)

    def rpc(self, method: str, params: Iterable[Any] = ()) -> Any:
        response = self.w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
        if "error" in response:
            raise TxFailed(f"{method}: {response['error']}")
        return response.get("result")

    def set_balance(self, address: str, wei: int) -> None:
        self.rpc("anvil_setBalance", [address, hex(wei)])

    def impersonate(self, address: str, wei: int = 10**20) -> str:
        """Let the node sign for `address` (a fresh earner sending plain ETH); never used to edit storage."""
        self.set_balance(address, wei)
        self.rpc("anvil_impersonateAccount", [address])
        return address

    def advance(self, seconds: int) -> None:
        self.rpc("evm_increaseTime", [seconds])
        self.rpc("evm_mine")

    def snapshot(self) -> str:
        return str(self.rpc("evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        self.rpc("evm_revert", [snapshot_id])

    def chain_id(self) -> int:
        return int(self.w3.eth.chain_id)
