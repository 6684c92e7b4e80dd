"""Exact money: Decimal amounts, quantised to the fen, formatted the Chinese way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
FEN = Decimal("0.01")


def q(value: Decimal) -> Decimal:
    """Round to the fen (分), half up as Chinese accounting does."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def fmt(value: Decimal, thousands: bool = True) -> str:
    """``12345.6`` -> ``12,345.60``."""
    return f"{q(value):,.2f}" if thousands else f"{q(value):.2f}"


def as_str(value: Decimal) -> str:
    """Exact decimal string for JSON/CSV, at least two decimals (``"-1234.50"``, ``"0.125"``)."""
    if value.as_tuple().exponent >= -2:  # type: ignore[operator]
        return f"{value.quantize(FEN):f}"
    return f"{value.normalize():f}"
