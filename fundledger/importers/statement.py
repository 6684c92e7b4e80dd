"""A bank statement's rows: each cell read, the amounts signed, the rows put in the order the
money moved and the running balance checked; every refused cell named (``StatementError``).

Signs are kept: a negative amount in the income (贷方) column is a reversal (冲正/退回/红字)
of money in, so money out; a negative amount in the expense (借方) column is money back in.
With a running balance each row is checked: previous balance + amount = balance; a row where
that fails is refused.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .amounts import BadAmount, amount_cell
from .sheet import Problem, StatementError, clean_cell, header_and_table, parse_date, physical_lines


@dataclass(frozen=True)
class Row:
    lineno: int
    date: datetime.date
    time: str | None
    summary: str
    amount: Decimal  # signed: money into the account is positive
    balance: Decimal | None
    counterparty: str | None
    serial: str | None
    column: str = "amount"  # where the amount stood: "income", "expense" or "amount" (signed)


@dataclass(frozen=True)
class Statement:
    encoding: str
    rows: tuple[Row, ...]  # in the order the money moved
    account_number: str | None


def _breaks(rows: Sequence[Row]) -> list[tuple[Row, Row, Decimal]]:
    """Where the running balance does not follow: (previous row with a balance, row, expected).

    Rows without a balance carry their amount on to the next row that has one.
    """
    out = []
    last: Row | None = None
    running: Decimal | None = None
    for row in rows:
        if running is not None:
            running += row.amount
        if row.balance is not None:
            if last is not None and running != row.balance:
                out.append((last, row, running))
            last, running = row, row.balance
    return out


def _ordered(rows: list[Row]) -> list[Row]:
    """Rows in the order the money moved: many banks list the newest first.

    The order whose running balance follows the amounts, among those the dates allow (a
    statement dated forwards is never read backwards); the file's order first.
    """
    if len(rows) < 2:
        return rows
    backwards = rows[::-1]
    pairs = list(zip(rows, rows[1:], strict=False))
    forward_dated = all(a.date <= b.date for a, b in pairs)
    backward_dated = all(a.date >= b.date for a, b in pairs)
    allowed = [order for order, dated in ((rows, forward_dated), (backwards, backward_dated))
               if dated] or [rows, backwards]
    if sum(1 for r in rows if r.balance is not None) >= 2:
        for order in allowed:
            if not _breaks(order):
                return order
    if len(allowed) == 1:
        return allowed[0]
    return backwards if rows[0].date > rows[-1].date else rows


def parse(raw: bytes) -> Statement:
    """The statement's rows; ``StatementError`` naming every bad cell, ``NotAStatement``."""
    encoding, table, start, cols, account_number = header_and_table(raw)
    names = [clean_cell(c) for c in table[start]]
    lines = physical_lines(raw.decode(encoding), len(table))

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return clean_cell(row[i]) if i is not None and i < len(row) else ""

    problems: list[Problem] = []
    rows = []
    for index in range(start + 1, len(table)):
        row, lineno = table[index], lines[index]

        def number(key: str, row: list[str] = row, lineno: int = lineno) -> Decimal | None:
            try:
                return amount_cell(cell(row, key))
            except BadAmount as exc:
                problems.append(Problem(lineno, names[cols[key]], str(exc)))
                return None

        day = parse_date(cell(row, "date"))
        if day is None:
            continue  # blank lines, 合计, notes
        if "amount" in cols and not ("income" in cols and "expense" in cols):
            column = "amount"
            signed = number("amount") or Decimal(0)
            direction = cell(row, "direction")
            if direction and direction[0] in "借支出付" and signed > 0:
                signed = -signed
        else:
            money_in, money_out = number("income"), number("expense")
            if money_in and money_out:
                problems.append(Problem(lineno, None, (
                    f"「{names[cols['income']]}」与「{names[cols['expense']]}」两列都有金额，"
                    "应只填一列 (both the income and the expense column hold an amount)")))
                continue
            # Signs are kept: -500 in the income column is a reversal, money out.
            column = "expense" if money_out else "income"
            signed = (money_in or Decimal(0)) - (money_out or Decimal(0))
        balance = number("balance") if "balance" in cols else None
        if signed == 0:
            continue
        time = cell(row, "time") or None
        if time is None and re.match(r"^\S+\s+\d{1,2}:\d{2}", cell(row, "date")):
            time = cell(row, "date").split()[1]
        rows.append(Row(lineno, day, time, cell(row, "summary"), signed, balance,
                        cell(row, "counterparty") or None, cell(row, "serial") or None, column))
    if problems:
        raise StatementError("对账单有无法识别的金额，未导入任何一行 "
                             "(cells that are not amounts; nothing imported)", problems)
    if not rows:
        raise StatementError("对账单中没有交易 (the statement has no transactions)")
    ordered = _ordered(rows)
    breaks = _breaks(ordered)
    if breaks:
        column = names[cols["balance"]]
        raise StatementError(
            "余额与收支金额对不上，可能漏了行或金额的正负号读错，未导入任何一行 "
            "(the running balance does not follow the amounts; nothing imported)",
            [Problem(row.lineno, column,
                     f"余额 {row.balance:f}，而第 {prev.lineno} 行余额 {prev.balance:f} 加上其后的收支"
                     f"应为 {expected:f} (balance {row.balance:f}; line {prev.lineno}'s "
                     f"{prev.balance:f} with the amounts since makes {expected:f})")
             for prev, row, expected in breaks])
    return Statement(encoding, tuple(ordered), account_number)


@lru_cache(maxsize=16)
def _read(filepath: str, mtime: int, size: int) -> Statement:
    with open(filepath, "rb") as handle:
        return parse(handle.read())


def read_statement(filepath: str) -> Statement:
    stat = os.stat(filepath)
    return _read(os.path.abspath(filepath), stat.st_mtime_ns, stat.st_size)
