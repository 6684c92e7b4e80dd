"""Reading the values a ledger writes in metadata (SPEC §4): dates, rates, ``months:``, and
the bound on amounts. Each reader says what it could not read by returning None."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core.data import Transaction

Date = datetime.date
# More than 15 integer digits of yuan is beyond any fund (and beyond what sums, rounding and
# formatting to the fen can carry exactly): such an amount is an error at its line (FL106).
MAX_INTEGER_DIGITS = 15
MAX_AMOUNT = Decimal(10) ** MAX_INTEGER_DIGITS
BEYOND_ZH = "超出基金可容纳的范围（元的整数部分至多 15 位）"


def beyond_en(shown: str) -> str:
    return f"amount beyond what a fund can hold: {shown} (at most 15 integer digits of yuan)"


def fits_a_fund(number: Decimal) -> bool:
    """At most 15 integer digits of yuan, either sign."""
    return -MAX_AMOUNT < number < MAX_AMOUNT


def meta_of(entry: Transaction, posting: Any, key: str) -> Any:
    """A posting's metadata value, falling back to its transaction's."""
    if posting is not None and posting.meta and key in posting.meta:
        return posting.meta[key]
    return entry.meta.get(key)


def as_date(value: Any) -> Date | None:
    """A date written as a date (``due: 2026-03-01``) or as ISO text (``due: "2026-03-01"``);
    a datetime is its day. None for anything else, None included."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, Date):
        return value
    if isinstance(value, str):
        try:
            return Date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_decimal(value: Any) -> Decimal | None:
    """A number (``rate: 0.0435``), as text too, a trailing ``%`` meaning hundredths
    (``rate: "4.35%"``); None for anything else."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str):
        text = str(value).strip()
        try:
            return Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ArithmeticError:
            return None
    return None


def months(raw: Any) -> int | None:
    """A subsidy posting's ``months:`` (SPEC §4): 1 when absent, else a positive whole number
    (``3``, ``3.0``, ``"3"``). None — not readable — for zero, a negative, a fraction, an
    infinity or NaN, and anything that is not a number (an amount, a boolean, other text)."""
    if raw is None:
        return 1
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        return None
    if not value.is_finite() or value != value.to_integral_value() or value < 1:
        return None
    return int(value)
