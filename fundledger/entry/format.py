"""Entry text as finance staff write it: exact amounts, amounts lined up at one column.

Widths are display widths (``table.width``, wcwidth), so a line with Chinese text before the
amount lines up in an editor as well as one without; bean-format counts characters instead.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..money import FEN
from ..table import width
from ..values import MAX_INTEGER_DIGITS

AMOUNT_COLUMN = 50  # where amounts end when neither the file nor the ledger shows a habit

# What a Chinese input method types in full width: digits, point, comma, signs, yen.
FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)},
                            "．": ".", "，": ",", "－": "-", "−": "-", "＋": "+", "￥": "¥"})


class EntryError(ValueError):
    """A value the clerk typed that cannot become an entry (a usage problem, exit status 2)."""


_AMOUNT_RE = re.compile(r"^(?P<sign>[-+]?)\s*[¥￥]?\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)"
                        r"\s*(?P<cur>[A-Z][A-Z0-9'._-]*|元)?$")


def parse_amount(text: str, currency: str, allow_zero: bool = False) -> Decimal:
    """``"1,234.5"``, ``"1234.50 CNY"``, ``"￥300"``, ``"300元"`` -> ``Decimal("1234.50")``.

    Exact (never through float), positive, at most two decimals (fen), at most
    ``MAX_INTEGER_DIGITS`` digits of yuan, in ``currency``. Full-width digits are read as
    digits; ``NaN``, ``Infinity`` and exponents (``1e40``) are not amounts.
    """
    raw = str(text).strip().translate(FULL_WIDTH)
    match = _AMOUNT_RE.match(raw)
    if not match or not _grouped(match["num"]):
        raise EntryError(f"金额 {text!r} 无法识别，应如 1234.50 (not an amount: {text!r})")
    cur = match["cur"]
    if cur and cur != "元" and cur != currency:
        raise EntryError(f"金额币种应为 {currency}，实为 {cur} (amount must be in {currency})")
    if match["sign"] == "-":
        raise EntryError(f"金额应为正数，实为 {text} (amount must be positive)")
    digits = match["num"].replace(",", "")
    if len(digits.partition(".")[0].lstrip("0")) > MAX_INTEGER_DIGITS:
        raise EntryError(f"金额 {text} 超过 {MAX_INTEGER_DIGITS} 位整数，不是基金能有的数目 "
                         f"(amount has more than {MAX_INTEGER_DIGITS} integer digits)")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise EntryError(f"金额 {text!r} 无法识别 (not an amount)") from None
    if number != number.quantize(FEN):
        raise EntryError(f"金额 {text} 超过两位小数（分） (amount has more than two decimals)")
    if number == 0 and not allow_zero:
        raise EntryError(f"金额应大于零，实为 {text} (amount must be positive)")
    return number.quantize(FEN)


def _grouped(number: str) -> bool:
    """Thousands separators, if any, every three digits (``1,234.50``; not ``12,34``)."""
    whole = number.partition(".")[0]
    return "," not in whole or re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", whole) is not None


_RATE_RE = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{1,10})?%?$|^\.[0-9]{1,10}%?$")


def parse_rate(text: str) -> Decimal:
    """An annual rate: ``"0.0435"`` or ``"4.35%"`` -> ``Decimal("0.0435")``."""
    raw = str(text).strip().translate(FULL_WIDTH).replace("％", "%")
    if not _RATE_RE.match(raw):
        raise EntryError(f"利率 {text!r} 无法识别，应如 0.0435 或 4.35% (not a rate)")
    try:
        rate = Decimal(raw[:-1].strip()) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation:
        raise EntryError(f"利率 {text!r} 无法识别，应如 0.0435 或 4.35% (not a rate)") from None
    if not rate.is_finite() or rate < 0 or rate >= 1:
        raise EntryError(f"年利率应在 0 与 1 之间，实为 {text} (annual rate must be in [0, 1))")
    return rate.normalize() if rate != 0 else Decimal("0")


def money(number: Decimal) -> str:
    """``Decimal("-2000")`` -> ``"-2000.00"``: fen, no thousands separators."""
    return f"{number.quantize(FEN):f}"


def quote(text: str) -> str:
    """A beancount string literal."""
    text = str(text)
    if "\n" in text or "\r" in text:
        raise EntryError(f"文字中不能有换行：{text!r} (text may not contain line breaks)")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def value(val: Any) -> str:
    """A metadata or custom value as beancount writes it: strings quoted, the rest bare."""
    if isinstance(val, bool):
        return "TRUE" if val else "FALSE"
    if isinstance(val, Decimal):
        return f"{val:f}"  # never an exponent, which beancount cannot read
    if isinstance(val, datetime.date | int):
        return str(val)
    if isinstance(val, Raw):
        return val.text
    return quote(val)


@dataclass(frozen=True)
class Raw:
    """Text written as is (an amount such as ``4000.00 CNY``)."""

    text: str


Meta = list[tuple[str, Any]]


@dataclass
class Posting:
    account: str
    number: Decimal | None = None  # None: left for beancount to fill in
    currency: str = ""
    meta: Meta = field(default_factory=list)


@dataclass
class Entry:
    """One directive's text: a header line, metadata lines, postings (for a transaction)."""

    date: datetime.date
    head: str  # what follows the date, e.g. '* "张秀兰" "还本付息"' or 'custom "review" "M1" "general"'
    meta: Meta = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    amount: tuple[Decimal, str] | None = None  # on the header line, lined up (``balance``)

    def lines(self, column: int = AMOUNT_COLUMN) -> list[str]:
        out = [f"{self.date} {self.head}"]
        if self.amount is not None:
            number, currency = money(self.amount[0]), self.amount[1]
            gap = max(column - width(out[0]) - width(number), 2)
            out[0] = f"{out[0]}{' ' * gap}{number} {currency}"
        out += [f"  {key}: {value(val)}" for key, val in self.meta if val is not None]
        numbered = [p for p in self.postings if p.number is not None]
        # Every amount of the entry ends at one column: the habit, or further right if needed.
        need = max((width(f"  {p.account}  {money(p.number)}") for p in numbered), default=0)
        end = max(column, need)
        for p in self.postings:
            if p.number is None:
                out.append(f"  {p.account}")
            else:
                number = money(p.number)
                gap = end - width(f"  {p.account}") - width(number)
                out.append(f"  {p.account}{' ' * gap}{number} {p.currency}")
            out += [f"    {key}: {value(val)}" for key, val in p.meta if val is not None]
        return out

    def text(self, column: int = AMOUNT_COLUMN) -> str:
        return "\n".join(self.lines(column)) + "\n"


def transaction(date: datetime.date, payee: str | None, narration: str, meta: Meta,
                postings: list[Posting], flag: str = "*") -> Entry:
    head = f"{flag} {quote(payee)} {quote(narration)}" if payee else f"{flag} {quote(narration)}"
    return Entry(date, head, meta, postings)


def custom(date: datetime.date, kind: str, *values: Any, meta: Meta | None = None) -> Entry:
    head = " ".join([f"custom {quote(kind)}", *(value(v) for v in values)])
    return Entry(date, head, meta or [])


def amount(number: Decimal, currency: str) -> Raw:
    return Raw(f"{money(number)} {currency}")


_POSTING_AMOUNT = re.compile(
    r"^(?P<lead>\s+[!*]?\s*[A-Z][^\s;]*\s+-?[0-9][0-9,]*(?:\.[0-9]*)?)\s+[A-Z][A-Z0-9'._-]*")


def amount_ends(text: str) -> Counter[int]:
    """How many postings of ``text`` end their amount at each column."""
    ends: Counter[int] = Counter()
    for line in text.splitlines():
        match = _POSTING_AMOUNT.match(line)
        if match:
            ends[width(match["lead"])] += 1
    return ends


def most_common_end(ends: Counter[int]) -> int | None:
    if not ends:
        return None
    return max(ends.items(), key=lambda kv: (kv[1], kv[0]))[0]
