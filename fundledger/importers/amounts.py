"""A bank statement's amount cell, read strictly: an exact signed ``Decimal`` or a reason.

Decimal digits, thousands separators every three digits, full-width digits, at most two
decimals, at most 15 digits of yuan: never ``NaN``, ``Infinity`` or ``1e40``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..values import MAX_INTEGER_DIGITS

# Full-width digits, point, comma and signs, as an input method types them; the minus sign.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)},
                             "．": ".", "，": ",", "－": "-", "−": "-", "＋": "+"})
_AMOUNT = re.compile(r"(?P<sign>[-+]?)(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_EXPECTED = "应为如 1234.50、-500.00 或 1,234.50 的金额 (expected an amount such as 1234.50)"


class BadAmount(Exception):
    """A cell that is not an amount (the message says why)."""


def amount_cell(cell: str) -> Decimal | None:
    """A statement's amount cell, exactly: None for an empty cell (``""``, ``-``, ``--``).

    Refused (``BadAmount``): anything but digits with an optional sign, thousands separators
    every three digits and a decimal point — so never ``NaN``, ``Infinity`` or ``1e40`` — more
    than two decimals that are not zeros, more than ``MAX_INTEGER_DIGITS`` digits of yuan.
    """
    text = cell.translate(_FULL_WIDTH).replace("¥", "").replace("￥", "").replace("元", "")
    text = text.strip()
    if text in ("", "-", "--"):
        return None
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise BadAmount(f"{cell!r} 不是金额，{_EXPECTED}")
    whole = match["whole"].replace(",", "")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise BadAmount(f"{cell!r} 超过 {MAX_INTEGER_DIGITS} 位整数，不是基金能有的数目 "
                        f"(more than {MAX_INTEGER_DIGITS} integer digits)")
    frac = match["frac"] or ""
    if frac.rstrip("0") and len(frac.rstrip("0")) > 2:
        raise BadAmount(f"{cell!r} 超过两位小数（分） (more than two decimals)")
    return Decimal(f"{match['sign']}{whole}.{(frac + '00')[:2]}")
