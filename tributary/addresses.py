"""Address parsing shared by config, CLI options and the income statement."""

import re

from eth_utils import is_checksum_address, to_checksum_address

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
_HEX_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


def parse_address(value: object, where: str) -> str:
    """Return the checksummed form of `value` or raise ValueError naming `where`.

    All-lowercase / all-uppercase hex is accepted; mixed case must be a valid EIP-55 checksum, because a
    wrong checksum is the usual sign of a typo.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML reads an unquoted 0x... as a hexadecimal integer: show it as the address it was meant to be
        as_hex = f"0x{value:040x}" if 0 <= value < 2**160 else hex(value)
        raise ValueError(
            f"{where}: {as_hex} was read as a number, not an address: quote the address in the config "
            f'({where.rsplit(".", 1)[-1]}: "{as_hex}")'
        )
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected an address string (0x + 40 hex digits), got {value!r}")
    text = value.strip()
    if not _HEX_ADDRESS.match(text):
        raise ValueError(f"{where}: {text!r} is not an address (0x + 40 hex digits)")
    body = text[2:]
    if body != body.lower() and body != body.upper() and not is_checksum_address(text):
        raise ValueError(f"{where}: {text!r} has a wrong EIP-55 checksum (typo?)")
    return to_checksum_address(text)
