"""Stray tokens: the admin's recovery of tokens sent by plain transfer to the Pool or to a tier vault.

The Pool holds nothing between transactions and a tier vault books only what it credits (`idle`), so any
balance above that is a mistaken transfer nobody is credited for. Only the admin can move it:

  Pool.recover(token, to)                   sends the pool's WHOLE balance of `token` (address(0) = ETH)
  Pool/TierVault.recover(token, to, amount) sends `amount`; a vault refuses to touch what it has booked

The keeper warns about strays (tributary.keeper.stray_balances); `make recover` (scripts/recover.py) plans
one recovery from a manifest, checks it against the chain, and sends it with the admin account.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from web3 import Web3

from tributary.addresses import ZERO_ADDRESS, parse_address
from tributary.chain import Sender, contract, standard
from tributary.errors import TributaryError
from tributary.manifest import Manifest
from tributary.units import parse_amount

ETH = "eth"


def _units(value: int, decimals: int) -> str:
    """Base units as a person writes them: 5000000 at 6 decimals -> "5", 2500000 -> "2.5"."""
    return f"{Decimal(value).scaleb(-decimals).normalize():,f}"


@dataclass(frozen=True)
class Recovery:
    holder: str  # "pool" or "vault:<tier>"
    contract_name: str  # "Pool" | "TierVault"
    address: str
    token: str  # checksummed; ZERO_ADDRESS = native ETH
    symbol: str
    decimals: int
    to: str
    amount: int  # base units
    available: int  # what may be recovered: the holder's balance, minus what a vault has booked
    with_amount: bool  # recover(token, to, amount) exists; else recover(token, to) sends the whole balance

    def describe(self) -> str:
        whole = self.amount / 10**self.decimals
        return f"recover {whole:,.{min(self.decimals, 6)}f} {self.symbol} from {self.holder} to {self.to}"


def _recover_inputs(abi: list[dict[str, Any]]) -> set[int]:
    return {
        len(item["inputs"]) for item in abi if item.get("type") == "function" and item["name"] == "recover"
    }


def plan_recovery(
    w3: Web3, project: Any, manifest: Manifest, source: str, token: str, to: str, amount: str
) -> Recovery:
    """Check every input against the chain; raise TributaryError naming the option that is wrong."""
    if source == "pool":
        holder, name, address = "pool", "Pool", manifest.address("pool")
    else:
        tiers = dict(manifest.tier_vaults())
        tier = source.removeprefix("vault:")
        if tier not in tiers:
            choices = ", ".join(["pool", *tiers])
            raise TributaryError(f"--from: {source!r} is neither the pool nor a tier ({choices})")
        holder, name, address = f"vault:{tier}", "TierVault", tiers[tier]
    instance = contract(w3, project, name, address)
    arities = _recover_inputs([dict(item) for item in instance.abi])
    if not arities:
        raise TributaryError(
            f"--from {source}: this {name} has no recover function (deployed before the vault's recovery "
            "existed); only the pool's strays can be recovered"
        )
    try:
        recipient = parse_address(to, "--to")
    except ValueError as err:
        raise TributaryError(str(err)) from None
    if recipient == ZERO_ADDRESS:
        raise TributaryError("--to: the zero address would burn the tokens; give the recipient's address")
    asset = Web3.to_checksum_address(instance.functions.asset().call())
    if token.lower() == ETH and name != "Pool":
        raise TributaryError("--token eth: only the pool accepts ETH (a WETH pool); a tier vault holds none")
    if token.lower() == ETH:
        token_address, symbol, decimals = ZERO_ADDRESS, "ETH", 18
        balance = int(w3.eth.get_balance(Web3.to_checksum_address(address)))
    else:
        try:
            token_address = asset if token.lower() == "asset" else parse_address(token, "--token")
        except ValueError as err:
            raise TributaryError(f"{err} (or 'asset', or 'eth')") from None
        if len(w3.eth.get_code(Web3.to_checksum_address(token_address))) == 0:
            raise TributaryError(f"--token: {token_address} has no code on this chain: not a token here")
        erc20 = standard(w3, "IERC20Metadata", token_address)
        symbol = str(erc20.functions.symbol().call())
        decimals = int(erc20.functions.decimals().call())
        balance = int(erc20.functions.balanceOf(Web3.to_checksum_address(address)).call())
    if name == "TierVault" and token_address in instance.functions.strategies().call():
        raise TributaryError(
            f"--token {token_address} is the share token of an active strategy of {holder}: those shares are "
            "the vault's booked debt, not strays"
        )
    booked = int(instance.functions.idle().call()) if name == "TierVault" and token_address == asset else 0
    available = max(0, balance - booked)
    if available == 0:
        raise TributaryError(
            f"{holder} holds no stray {symbol} (balance {_units(balance, decimals)}, booked "
            f"{_units(booked, decimals)}): nothing to recover"
        )
    wanted = available if amount == "all" else parse_amount(amount, decimals, "--amount")
    if wanted == 0:
        raise TributaryError("--amount: must be more than 0")
    if wanted > available:
        raise TributaryError(
            f"--amount: {amount} {symbol} is more than the {_units(available, decimals)} {symbol} stray in "
            f"{holder}" + (f" (it has booked {_units(booked, decimals)} for depositors)" if booked else "")
        )
    with_amount = 3 in arities
    if not with_amount and wanted != balance:
        raise TributaryError(
            f"--amount: the {holder}'s recover sends its whole balance "
            f"({_units(balance, decimals)} {symbol}); pass --amount all"
        )
    return Recovery(
        holder, name, Web3.to_checksum_address(address), token_address, symbol, decimals, recipient, wanted,
        available, with_amount,
    )  # fmt: skip


def execute_recovery(w3: Web3, project: Any, recovery: Recovery, sender: Sender) -> dict[str, Any]:
    instance = contract(w3, project, recovery.contract_name, recovery.address)
    if recovery.with_amount:
        return sender.send(instance, "recover", recovery.token, recovery.to, recovery.amount)
    return sender.send(instance, "recover", recovery.token, recovery.to)


def may_recover(w3: Web3, project: Any, recovery: Recovery, who: str) -> bool:
    instance = contract(w3, project, recovery.contract_name, recovery.address)
    if recovery.contract_name == "Pool":
        return bool(instance.functions.owner().call() == Web3.to_checksum_address(who))
    return bool(instance.functions.hasRole(b"\x00" * 32, Web3.to_checksum_address(who)).call())
