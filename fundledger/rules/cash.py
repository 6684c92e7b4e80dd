"""The cash rule: FL501."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..money import fmt
from . import Checker


def fl501_cash_below_zero(c: Checker) -> None:
    """A cash account (专户) never ends a day below zero."""
    balance: dict[str, Decimal] = defaultdict(Decimal)
    last: dict[str, Any] = {}  # account -> the day's last entry moving it
    day = None
    for when, account, amount, entry in c.state.cash_moves:  # in date order
        if when != day:
            _day_end(c, day, balance, last)
            day, last = when, {}
        balance[account] += amount
        last[account] = entry
    _day_end(c, day, balance, last)


def _day_end(c: Checker, day: Any, balance: dict[str, Decimal], last: dict[str, Any]) -> None:
    for account, entry in last.items():
        c.at = entry
        if balance[account] < 0:
            c.error("FL501", f"{day} 日终 {account} 余额 {fmt(balance[account])}，不应低于零",
                    f"{account} ends {day} at {balance[account]}", entry)


RULES = [fl501_cash_below_zero]
