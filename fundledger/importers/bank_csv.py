"""A beangulp importer for the fund bank account's statement export (对账单/交易明细, CSV).

Bank exports are often GBK: the file is read as UTF-8 (with or without BOM), else GBK, else
GB18030. Lines before the header (账号, 户名, 起止日期…) and after the rows (合计…) are
skipped. Columns are found by name: 交易日期 (记账日期), 交易时间, 摘要 (用途, 附言),
收入金额 (贷方发生额), 支出金额 (借方发生额) or one signed 交易金额, 余额, 对方户名, 流水号.

Amounts are read strictly (decimal digits, thousands separators every three digits, full-width
digits, at most two decimals, at most 15 digits of yuan: never ``NaN``, ``Infinity`` or
``1e40``), and every refused cell is named by line and column. Signs are kept: a negative
amount in the income (贷方) column is a reversal (冲正/退回/红字) of money in, so money out —
its other leg is the income account; a negative amount in the expense (借方) column is money
back in, its other leg the expense account. With a running balance each row is checked:
previous balance + amount = balance; a row where that fails is refused.

Each row becomes a draft transaction flagged ``!``: the counterparty as payee, 摘要 as
narration, the bank account and one other leg — a classifying rule's account (by regex on
摘要 and 对方户名), else the default source for money in or the default for money out. The
statement's last running balance becomes a ``balance`` assertion dated the day after.
Rows already in the ledger (the same 流水号; or the same amount on the account within two days
and the same counterparty; or the same amount the same day) are marked duplicates, the surest
matches first, one ledger entry for one row at most.

    import beangulp
    from fundledger.importers.bank_csv import BankStatementImporter
    beangulp.Ingest([BankStatementImporter("Assets:Bank:Fund")]).cli()
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import beangulp
from beancount.core import data
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE

ENCODINGS = ("utf-8-sig", "gbk", "gb18030")
UNCLASSIFIED = "Expenses:Unclassified"  # outside the fund's roles: FL102 until classified
REF_KEY = "bank-ref"

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("交易日期", "记账日期", "入账日期", "交易日", "日期"),
    "time": ("交易时间", "时间"),
    "summary": ("摘要", "交易摘要", "用途", "附言", "备注", "交易用途"),
    "income": ("收入金额", "贷方发生额", "贷方金额", "收入", "存入金额", "贷方"),
    "expense": ("支出金额", "借方发生额", "借方金额", "支出", "支取金额", "取出金额", "借方"),
    "amount": ("交易金额", "发生额", "金额"),
    "direction": ("借贷标志", "借贷", "收支", "收/支"),
    "balance": ("余额", "账户余额", "当前余额", "联机余额"),
    "counterparty": ("对方户名", "对方账户名称", "对方名称", "对方单位", "收/付方名称", "对方账户户名"),
    "serial": ("流水号", "交易流水号", "柜员流水号", "凭证号", "交易序号"),
}


MAX_INTEGER_DIGITS = 15  # as fundledger.entry.format: more yuan than any fund holds
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One refused cell (or row): its line in the file, its column's header, what is wrong."""

    lineno: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"「{self.column}」列 (column {self.column})：" if self.column else ""
        return f"{self.lineno}: {where}{self.message}"


class StatementError(ValueError):
    """The statement cannot be read; ``problems`` name the line and column of each bad cell."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def lines(self, filename: str) -> list[str]:
        """``FILE:LINE: …`` for each problem (at most ``SHOWN_PROBLEMS``), else ``FILE: …``."""
        if not self.problems:
            return [f"{filename}: {self.message}"]
        out = [f"{filename}:{p}" for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            out.append(f"{filename}: … 共 {len(self.problems)} 处 ({len(self.problems)} in all)")
        out.append(f"{filename}: {self.message}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines("对账单"))


class NotAStatement(StatementError):
    """Not a statement this importer reads (no header, not GBK/UTF-8)."""


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


def _decode(raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise NotAStatement("对账单既不是 UTF-8 也不是 GBK/GB18030 编码 (neither UTF-8 nor GBK/GB18030)")


def _clean(cell: str) -> str:
    cell = cell.strip().strip("\t").strip()
    if cell.startswith('="') and cell.endswith('"'):  # Excel's "keep as text"
        cell = cell[2:-1]
    return cell.lstrip("'").strip()


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)"),
)


def _date(cell: str) -> datetime.date | None:
    for pattern in _DATE_RES:
        match = pattern.match(cell)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


# Full-width digits, point, comma and signs, as an input method types them; the minus sign.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)},
                             "．": ".", "，": ",", "－": "-", "−": "-", "＋": "+"})
_AMOUNT = re.compile(r"(?P<sign>[-+]?)(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_EXPECTED = "应为如 1234.50、-500.00 或 1,234.50 的金额 (expected an amount such as 1234.50)"


class _Bad(Exception):
    """A cell that is not an amount (the message says why)."""


def _number(cell: str) -> Decimal | None:
    """A statement's amount cell, exactly: None for an empty cell (``""``, ``-``, ``--``).

    Refused (``_Bad``): anything but digits with an optional sign, thousands separators every
    three digits and a decimal point — so never ``NaN``, ``Infinity`` or ``1e40`` — more than
    two decimals that are not zeros, more than ``MAX_INTEGER_DIGITS`` digits of yuan.
    """
    text = cell.translate(_FULL_WIDTH).replace("¥", "").replace("￥", "").replace("元", "")
    text = text.strip()
    if text in ("", "-", "--"):
        return None
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise _Bad(f"{cell!r} 不是金额，{_EXPECTED}")
    whole = match["whole"].replace(",", "")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise _Bad(f"{cell!r} 超过 {MAX_INTEGER_DIGITS} 位整数，不是基金能有的数目 "
                   f"(more than {MAX_INTEGER_DIGITS} integer digits)")
    frac = match["frac"] or ""
    if frac.rstrip("0") and len(frac.rstrip("0")) > 2:
        raise _Bad(f"{cell!r} 超过两位小数（分） (more than two decimals)")
    number = Decimal(f"{match['sign']}{whole}.{(frac + '00')[:2]}")
    return number


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows):
        cells = [_clean(c) for c in row]
        found: dict[str, int] = {}
        for key, names in COLUMNS.items():
            for name in names:
                if name in cells:
                    found[key] = cells.index(name)
                    break
        if "date" in found and ("income" in found and "expense" in found or "amount" in found):
            return index, found
    return None


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


def _header_and_table(raw: bytes) -> tuple[str, list[list[str]], int, dict[str, int], str | None]:
    text, encoding = _decode(raw)
    lines = text.splitlines()
    sample = next((ln for ln in lines if "\t" in ln or "," in ln), "")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = _find_header(table)
    if header is None:
        raise NotAStatement("找不到表头（交易日期、收入金额/支出金额…） (no statement header found)")
    start, cols = header
    account_number = None
    for row in table[:start]:
        cells = [_clean(c) for c in row if _clean(c)]
        if len(cells) >= 2 and re.search(r"账号|卡号", cells[0]):
            account_number = cells[1]
        elif cells and (m := re.match(r"^(?:账号|卡号)[:：]\s*(\S+)", cells[0])):
            account_number = m[1]
    return encoding, table, start, cols, account_number


def parse(raw: bytes) -> Statement:
    """The statement's rows; ``StatementError`` naming every bad cell, ``NotAStatement``."""
    encoding, table, start, cols, account_number = _header_and_table(raw)
    names = [_clean(c) for c in table[start]]
    lines = _physical_lines(raw.decode(encoding), len(table))

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return _clean(row[i]) if i is not None and i < len(row) else ""

    problems: list[Problem] = []
    rows = []
    for index in range(start + 1, len(table)):
        row, lineno = table[index], lines[index]

        def number(key: str, row: list[str] = row, lineno: int = lineno) -> Decimal | None:
            try:
                return _number(cell(row, key))
            except _Bad as exc:
                problems.append(Problem(lineno, names[cols[key]], str(exc)))
                return None

        day = _date(cell(row, "date"))
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


def _physical_lines(text: str, count: int) -> list[int]:
    """The line (1-based) each CSV record starts on: a quoted cell may hold a line break."""
    out, line = [], 1
    for record in _records(text):
        out.append(line)
        line += record.count("\n") + (record.count("\r") - record.count("\r\n"))
    while len(out) < count:
        out.append(line)
    return out


def _records(text: str) -> list[str]:
    """The raw text of each CSV record, its line break included."""
    records, current, quoted = [], [], False
    for chunk in re.split(r"(\r\n|\n|\r)", text):
        current.append(chunk)
        if chunk in ("\r\n", "\n", "\r"):
            if not quoted:
                records.append("".join(current))
                current = []
        else:
            quoted ^= chunk.count('"') % 2 == 1
    if current and "".join(current):
        records.append("".join(current))
    return records


@lru_cache(maxsize=16)
def _read(filepath: str, mtime: int, size: int) -> Statement:
    with open(filepath, "rb") as handle:
        return parse(handle.read())


def read_statement(filepath: str) -> Statement:
    stat = os.stat(filepath)
    return _read(os.path.abspath(filepath), stat.st_mtime_ns, stat.st_size)


def _similar_names(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = a.strip(), b.strip()
    return a in b or b in a


class BankStatementImporter(beangulp.Importer):
    """The fund bank account's CSV statement: draft transactions and a closing balance."""

    def __init__(self, account: str = "Assets:Bank:Fund",
                 income_account: str = "Income:Donations:Members",
                 expense_account: str = UNCLASSIFIED, currency: str = "CNY",
                 rules: Sequence[tuple[str, str]] = (), account_number: str | None = None,
                 flag: str = "!", window_days: int = 2):
        self.bank_account = account
        self.income_account = income_account
        self.expense_account = expense_account
        self.currency = currency
        self.rules = [(re.compile(pattern), target) for pattern, target in rules]
        self.account_number = account_number
        self.flag = flag
        self.window = datetime.timedelta(days=window_days)

    # -- beangulp's contract
    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith((".csv", ".txt")):
            return False
        # A statement with bad rows is still this importer's: extract then names the rows.
        try:
            with open(filepath, "rb") as handle:
                account_number = _header_and_table(handle.read())[4]
        except (OSError, NotAStatement, csv.Error):
            return False
        if self.account_number is None:
            return True
        return account_number is not None and \
            account_number.replace(" ", "").endswith(self.account_number.replace(" ", ""))

    def account(self, filepath: str) -> str:
        return self.bank_account

    def date(self, filepath: str) -> datetime.date | None:
        return read_statement(filepath).rows[-1].date

    def filename(self, filepath: str) -> str | None:
        rows = read_statement(filepath).rows
        return f"statement-{rows[0].date:%Y%m%d}-{rows[-1].date:%Y%m%d}.csv"

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        statement = read_statement(filepath)
        entries: list[Any] = [self._transaction(filepath, row) for row in statement.rows]
        last = statement.rows[-1]
        if last.balance is not None:
            day = max(r.date for r in statement.rows) + datetime.timedelta(days=1)
            entries.append(data.Balance(data.new_metadata(filepath, last.lineno), day,
                                        self.bank_account, Amount(last.balance, self.currency),
                                        None, None))
        if existing:
            self.deduplicate(entries, existing)
        return entries

    def sort(self, entries: data.Entries, reverse: bool = False) -> None:
        """By date only: within a day the rows keep the order the money moved (stable sort)."""
        entries.sort(key=lambda e: (e.date, isinstance(e, data.Balance)), reverse=reverse)

    def _transaction(self, filepath: str, row: Row) -> data.Transaction:
        meta = data.new_metadata(filepath, row.lineno)
        if row.serial:
            meta[REF_KEY] = row.serial
        other = self._classify(row)
        postings = [
            data.Posting(self.bank_account, Amount(row.amount, self.currency), None, None, None, None),
            data.Posting(other, None, None, None, None, None),
        ]
        return data.Transaction(meta, row.date, self.flag, row.counterparty,
                                row.summary or "银行交易", data.EMPTY_SET, data.EMPTY_SET, postings)

    def _classify(self, row: Row) -> str:
        text = f"{row.summary} {row.counterparty or ''}"
        for pattern, target in self.rules:
            if pattern.search(text):
                return target
        if row.column == "income":  # money in, or its reversal (冲正/退回, negative)
            return self.income_account
        if row.column == "expense":  # money out, or a payment coming back (negative)
            return self.expense_account
        return self.income_account if row.amount > 0 else self.expense_account

    # -- duplicates: one ledger entry answers for at most one statement row
    def cmp(self, entry: Any, other: Any) -> bool:  # type: ignore[override]
        return self._match_rank(entry, other) is not None

    def _bank_amount(self, entry: Any) -> Decimal | None:
        for posting in getattr(entry, "postings", ()):
            if posting.account == self.bank_account and posting.units is not None \
                    and posting.units.number is not None:
                return posting.units.number
        return None

    def _match_rank(self, entry: Any, other: Any) -> int | None:
        """How sure a match is: 0 the same bank reference; 1 the same day, amount and
        counterparty; 2 near days, the same amount and counterparty; 3 the same day and amount."""
        if isinstance(entry, data.Balance):
            if isinstance(other, data.Balance) and other.account == entry.account \
                    and other.date == entry.date and other.amount == entry.amount:
                return 0
            return None
        if not isinstance(entry, data.Transaction) or not isinstance(other, data.Transaction):
            return None
        ref = entry.meta.get(REF_KEY)
        if ref is not None and other.meta.get(REF_KEY) == ref:
            return 0
        if other.meta.get(REF_KEY) is not None and ref is not None:
            return None  # both carry a bank reference, and they differ
        amount = self._bank_amount(entry)
        if amount is None or self._bank_amount(other) != amount:
            return None
        named = _similar_names(entry.payee, other.payee) or _similar_names(
            entry.payee, other.meta.get("donor"))
        if named and other.date == entry.date:
            return 1
        if named and abs(other.date - entry.date) <= self.window:
            return 2
        if other.date == entry.date:
            return 3
        return None

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        by_day: dict[datetime.date, list[Any]] = {}
        for other in existing:
            if isinstance(other, data.Transaction | data.Balance):
                by_day.setdefault(other.date, []).append(other)
        span = range(-self.window.days, self.window.days + 1)
        used: set[int] = set()
        for rank in (0, 1, 2, 3):
            for entry in entries:
                if DUPLICATE in entry.meta:
                    continue
                near = [o for k in span for o in by_day.get(entry.date + datetime.timedelta(k), ())]
                for other in near:
                    if id(other) in used:
                        continue
                    if self._match_rank(entry, other) == rank:
                        entry.meta[DUPLICATE] = other
                        used.add(id(other))
                        break
