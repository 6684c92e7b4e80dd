"""Amounts in capital numerals (人民币大写) by the accounting rules.

cn2an spells the digits; what it gets wrong is fixed here: 整 also after 角 (壹元伍角整),
a negative amount is written 负…, and zero is 零元整. The rules: 整 after 元 and after 角;
one 零 for a run of zeros inside the integer part; 零 after 元 when 角 is zero and 分 is not
(壹仟元零伍分).
Capital numerals reach 仟万亿 (16 integer digits); a larger amount, which no fund holds (the
ledger has an FL106 error at it), is said to be beyond them rather than spelled.
"""

from __future__ import annotations

from decimal import Decimal

from .money import q

MAX_DIGITS = 16  # 玖仟玖佰玖拾玖万…亿…: as far as cn2an, and the numerals, go


def rmb_upper(amount: Decimal, prefix: str = "人民币") -> str:
    """``Decimal("1000.50")`` -> ``人民币壹仟元伍角整``."""
    value = q(amount)
    sign = "负" if value < 0 else ""
    value = abs(value)
    if value == 0:
        return f"{prefix}零元整"
    if value.adjusted() >= MAX_DIGITS:
        return f"{prefix}金额超出大写范围"
    import cn2an  # 70 ms to import: only when an amount is spelled

    text = cn2an.an2cn(f"{value:f}", "rmb")
    fen = int(value * 100) % 10
    if fen == 0 and not text.endswith("整"):
        text += "整"  # 伍角 -> 伍角整
    return f"{prefix}{sign}{text}"
