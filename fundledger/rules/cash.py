"""The cash rule: FL501."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from ..money import fmt
from . import Checker


def fl501_cash_below_zero(c: Checker) -> None:
    """A cash account (专户) never ends a day below zero."""
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for day, moves in groupby(c.state.cash_moves, key=lambda m: m[0]):
        last = {}
        for _, account, amount, entry in moves:
            balance[account] += amount
            last[account] = entry
        for account, entry in last.items():
            c.at = entry
            if balance[account] < 0:
                c.error("FL501", f"{day} 日终 {account} 余额 {fmt(balance[account])}，不应低于零",
                        f"{account} ends {day} at {balance[account]}", entry)


RULES = [fl501_cash_below_zero]
