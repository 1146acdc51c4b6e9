"""Whole-unit amounts typed by people ("12.5") <-> integer base units."""

from decimal import Decimal, InvalidOperation

from tributary.errors import TributaryError


def parse_amount(text: str, decimals: int, what: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise TributaryError(f"{what}: {text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise TributaryError(f"{what}: {text!r} must be a number >= 0")
    return int(value.scaleb(decimals).to_integral_value())
