"""The EVM's own price of a credit (EIP-2929 cold/warm access, EIP-2200/3529 SSTORE, logs, calldata) and the
smallest payment whose gas is worth paying. Pure arithmetic: no chain needed, every step is shown."""

from __future__ import annotations

from dataclasses import dataclass

# Cancun gas schedule (the pieces a credit touches).
COLD_SLOAD = 2_100  # EIP-2929: first touch of a storage slot in the transaction
WARM_ACCESS = 100
SSTORE_SET = 20_000  # zero -> non-zero (EIP-2200)
SSTORE_RESET = 5_000  # non-zero -> other non-zero, of which COLD_SLOAD is paid by the first touch
LOG_BASE = 375
LOG_TOPIC = 375
LOG_DATA_BYTE = 8
CALLDATA_ZERO = 4
CALLDATA_NONZERO = 16
KECCAK_BASE = 30
KECCAK_WORD = 6
MSTORE = 3

# Stated constants of the micro-payment floor.
ETH_PRICE_USD = 3_000.0
GAS_PRICES_GWEI = {"L1 (10 gwei)": 10.0, "L2 (0.01 gwei)": 0.01}
MAX_GAS_SHARE = 0.01  # gas may cost at most 1% of the payment


def calldata_gas(data: bytes) -> int:
    return sum(CALLDATA_ZERO if b == 0 else CALLDATA_NONZERO for b in data)


@dataclass(frozen=True)
class FloorLine:
    item: str
    gas: int
    arithmetic: str


def mapping_slot_hash() -> int:
    """keccak256(key ‖ slot): two MSTOREs and a two-word hash."""
    return 2 * MSTORE + KECCAK_BASE + 2 * KECCAK_WORD


def credit_floor(abi_entry: bytes, packed_entry: bytes) -> dict[str, list[FloorLine]]:
    """Per-earner floor of a batch credit, for one sample entry of the benchmark's calldata."""
    hash_gas = mapping_slot_hash()
    abi_cd = calldata_gas(abi_entry)
    packed_cd = calldata_gas(packed_entry)
    log3 = LOG_BASE + 3 * LOG_TOPIC + 32 * LOG_DATA_BYTE + MSTORE
    existing = FloorLine(
        "balance: existing",
        COLD_SLOAD + (SSTORE_RESET - COLD_SLOAD),
        f"cold SLOAD {COLD_SLOAD} + warm SSTORE non-zero->non-zero {SSTORE_RESET - COLD_SLOAD}",
    )
    new = FloorLine(
        "balance: new",
        COLD_SLOAD + SSTORE_SET,
        f"cold SLOAD {COLD_SLOAD} + SSTORE zero->non-zero {SSTORE_SET}",
    )
    slot = FloorLine("balance slot hash", hash_gas, f"2 MSTORE + keccak {KECCAK_BASE}+2x{KECCAK_WORD}")
    cd_abi = FloorLine(
        "calldata (ABI: 2 words)",
        abi_cd,
        f"{sum(1 for b in abi_entry if b)} non-zero x {CALLDATA_NONZERO} + "
        f"{sum(1 for b in abi_entry if not b)} zero x {CALLDATA_ZERO}",
    )
    cd_packed = FloorLine(
        "calldata (packed: 20+12 bytes)",
        packed_cd,
        f"{sum(1 for b in packed_entry if b)} non-zero x {CALLDATA_NONZERO} + "
        f"{sum(1 for b in packed_entry if not b)} zero x {CALLDATA_ZERO}",
    )
    log = FloorLine(
        "ERC-20 Transfer log",
        log3,
        f"LOG3 {LOG_BASE} + 3 topics x {LOG_TOPIC} + 32 bytes x {LOG_DATA_BYTE} + MSTORE {MSTORE}",
    )
    profile = FloorLine("profile read (cold slot)", COLD_SLOAD, f"cold SLOAD {COLD_SLOAD}")
    return {
        "existing (ABI)": [existing, slot, cd_abi],
        "new (ABI)": [new, slot, cd_abi],
        "existing, profile-routed, with log (ABI)": [existing, slot, cd_abi, log, profile],
        "new, profile-routed, with log (ABI)": [new, slot, cd_abi, log, profile],
        "existing, profile-routed, with log (packed)": [existing, slot, cd_packed, log, profile],
        "new, profile-routed, with log (packed)": [new, slot, cd_packed, log, profile],
    }


def micro_payment_floor_usd(gas: float, gwei: float, eth_usd: float = ETH_PRICE_USD) -> float:
    """Smallest payment (USD) whose gas costs at most MAX_GAS_SHARE of it."""
    gas_usd = gas * gwei * 1e-9 * eth_usd
    return gas_usd / MAX_GAS_SHARE
