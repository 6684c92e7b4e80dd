"""Exact money: Decimal amounts, quantised to the fen, formatted the Chinese way.

Every function here is exact for any finite Decimal (30 digits, ``1E+40``): Decimal's default
context holds 28 digits and raises on ``quantize`` beyond them, so each call gets a context
just wide enough for its value.
"""

from __future__ import annotations

from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

ZERO = Decimal("0")
FEN = Decimal("0.01")


def _wide(value: Decimal, rounding: str = ROUND_HALF_UP) -> Context:
    """A context whose precision holds ``value`` to the fen, and every digit it has."""
    digits = max(value.adjusted(), 0) + 3
    return Context(prec=max(digits, len(value.as_tuple().digits), 28), rounding=rounding,
                   Emax=MAX_EMAX, Emin=MIN_EMIN)


def q(value: Decimal) -> Decimal:
    """Round to the fen (分), half up as Chinese accounting does."""
    if not value.is_finite():
        return value
    return value.quantize(FEN, context=_wide(value))


def fmt(value: Decimal, thousands: bool = True) -> str:
    """``12345.6`` -> ``12,345.60``."""
    if not value.is_finite():
        return str(value)
    return f"{q(value):,.2f}" if thousands else f"{q(value):.2f}"


def as_str(value: Decimal) -> str:
    """Exact decimal string for JSON/CSV, at least two decimals (``"-1234.50"``, ``"0.125"``)."""
    if not value.is_finite():
        return str(value)
    ctx = _wide(value)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        value = value.normalize(ctx)  # 0.1250 -> 0.125; 1.500 -> 1.5, padded again below
    if value.as_tuple().exponent >= -2:  # type: ignore[operator]
        value = value.quantize(FEN, context=ctx)  # exact: only adds zeros
    return f"{value:f}"


def pct(value: Decimal | None, places: int = 1) -> str:
    """A share as a percentage (``0.2570`` -> ``25.7%``); ``—`` where there is none."""
    return "—" if value is None else f"{value * 100:.{places}f}%"
