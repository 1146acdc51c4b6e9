"""A resumable step runner: each step knows how to tell, from the chain, whether it already happened.

A step is skipped when its on-chain effect is visible (code at the recorded address, role granted,
strategy active) and run otherwise. The manifest is saved after every step, and the deployer's nonce is
saved just before each transaction, so a process killed between "sent" and "recorded" is recognised on
the next run: a contract at the address that nonce creates is adopted instead of deployed twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rlp
from eth_utils import keccak, to_canonical_address, to_checksum_address

from tributary.errors import DeployError, ManifestError
from tributary.manifest import Manifest


def create_address(sender: str, nonce: int) -> str:
    """The address a CREATE from `sender` at `nonce` deploys to (yellow paper eq. 85)."""
    return to_checksum_address(keccak(rlp.encode([to_canonical_address(sender), nonce]))[12:])


class Pending(Exception):
    """Raised by a step that cannot run yet (e.g. a timelock not yet elapsed); the run goes on."""

    def __init__(self, due: int, reason: str) -> None:
        super().__init__(reason)
        self.due = due
        self.reason = reason


@dataclass
class Step:
    id: str
    done: Callable[[], bool]
    run: Callable[[], None]
    # Steps that must not run while anything earlier is pending (role handover, final verification).
    needs_all_before: bool = False


@dataclass
class RunReport:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pending: dict[str, tuple[int, str]] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.pending and not self.blocked


class StepRunner:
    """Runs steps in order against one manifest; `after_step` is called after each executed step."""

    def __init__(
        self,
        manifest: Manifest,
        account: Any,
        provider: Any,
        log: Callable[[str], None],
        after_step: Callable[[str], None] | None = None,
    ) -> None:
        self.manifest = manifest
        self.account = account
        self.provider = provider
        self.log = log
        self.after_step = after_step

    # --- building blocks for steps -------------------------------------------------------------------
    def has_code(self, address: str) -> bool:
        return len(self.provider.web3.eth.get_code(address)) > 0

    def deployed(self, key: str) -> bool:
        """Is contract `key` on chain? Checks the recorded address, or adopts an interrupted deployment."""
        record = self.manifest.contracts.get(key)
        if record is not None:
            if not self.has_code(record["address"]):
                raise ManifestError(
                    f"{self.manifest.path} records {key} at {record['address']} but there is no code there: "
                    "the chain was reset or this is another network. Move the manifest away to deploy afresh"
                )
            return True
        inflight = self.manifest.inflight
        if inflight and inflight["step"] == f"deploy:{key}":
            candidate = create_address(self.account.address, inflight["nonce"])
            if self.has_code(candidate):
                self.log(f"adopt   deploy:{key} {candidate} (sent before an interruption, found on chain)")
                self.manifest.record_contract(key, inflight.get("contract", "?"), candidate, None, None)
                return True
        return False

    def sent_before_interruption(self, step_id: str) -> bool:
        """A transaction step whose nonce was used after it was marked inflight was mined already."""
        inflight = self.manifest.inflight
        return bool(inflight and inflight["step"] == step_id and self.account.nonce > inflight["nonce"])

    def deploy(self, key: str, container: Any, *args: Any) -> Any:
        step_id = f"deploy:{key}"
        self.manifest.data["inflight"] = {
            "step": step_id,
            "nonce": self.account.nonce,
            "contract": container.name,
        }
        self.manifest.save()
        instance = self.account.deploy(container, *args)
        receipt = self.provider.get_receipt(instance.txn_hash)
        self.manifest.record_contract(
            key, container.name, instance.address, instance.txn_hash, receipt.block_number
        )
        self.log(f"done    {step_id} {instance.address} tx {instance.txn_hash} block {receipt.block_number}")
        return instance

    def transact(self, step_id: str, method: Any, *args: Any, **extra: Any) -> Any:
        self.manifest.mark_inflight(step_id, self.account.nonce)
        receipt = method(*args, sender=self.account)
        if receipt.failed:
            raise DeployError(f"{step_id}: transaction {receipt.txn_hash} reverted")
        timestamp = int(self.provider.web3.eth.get_block(receipt.block_number)["timestamp"])
        self.manifest.record_step(
            step_id, receipt.txn_hash, receipt.block_number, timestamp=timestamp, **extra
        )
        self.log(f"done    {step_id} tx {receipt.txn_hash} block {receipt.block_number}")
        return receipt

    # --- the loop ------------------------------------------------------------------------------------
    def run(self, steps: list[Step]) -> RunReport:
        report = RunReport()
        for step in steps:
            if step.needs_all_before and (report.pending or report.blocked):
                report.blocked.append(step.id)
                self.log(f"blocked {step.id} (waits for the pending steps above)")
                continue
            if step.done():
                report.skipped.append(step.id)
                self.log(f"exists  {step.id}")
                continue
            try:
                step.run()
            except Pending as pending:
                self.manifest.set_pending(step.id, pending.due, pending.reason)
                report.pending[step.id] = (pending.due, pending.reason)
                self.log(f"pending {step.id}: {pending.reason}")
                continue
            report.ran.append(step.id)
            if self.after_step is not None:
                self.after_step(step.id)
        return report
