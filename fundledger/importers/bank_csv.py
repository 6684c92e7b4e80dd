"""A beangulp importer for the fund bank account's statement export (对账单/交易明细, CSV).

Bank exports are often GBK: the file is read as UTF-8 (with or without BOM), else GBK, else
GB18030. Lines before the header (账号, 户名, 起止日期…) and after the rows (合计…) are
skipped. Columns are found by name: 交易日期 (记账日期), 交易时间, 摘要 (用途, 附言),
收入金额 (贷方发生额), 支出金额 (借方发生额) or one signed 交易金额, 余额, 对方户名, 流水号.

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
from decimal import Decimal, InvalidOperation
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


class StatementError(ValueError):
    pass


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
    raise StatementError("对账单既不是 UTF-8 也不是 GBK/GB18030 编码 (neither UTF-8 nor GBK/GB18030)")


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


def _number(cell: str) -> Decimal | None:
    text = cell.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    if text in ("", "-", "--"):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise StatementError(f"金额 {cell!r} 无法识别 (not an amount)") from None


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


def _ordered(rows: list[Row]) -> list[Row]:
    """Rows in the order the money moved: many banks list the newest first."""
    def consistent(seq: list[Row]) -> bool:
        pairs = [(a, b) for a, b in zip(seq, seq[1:], strict=False)
                 if a.balance is not None and b.balance is not None]
        return bool(pairs) and all(a.balance + b.amount == b.balance for a, b in pairs)

    if len(rows) < 2:
        return rows
    backwards = rows[::-1]
    if consistent(rows):
        return rows
    if consistent(backwards):
        return backwards
    if rows[0].date > rows[-1].date:
        return backwards
    return rows


def parse(raw: bytes) -> Statement:
    text, encoding = _decode(raw)
    lines = text.splitlines()
    sample = next((ln for ln in lines if "\t" in ln or "," in ln), "")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = _find_header(table)
    if header is None:
        raise StatementError("找不到表头（交易日期、收入金额/支出金额…） (no statement header found)")
    start, cols = header
    account_number = None
    for row in table[:start]:
        cells = [_clean(c) for c in row if _clean(c)]
        if len(cells) >= 2 and re.search(r"账号|卡号", cells[0]):
            account_number = cells[1]
        elif cells and (m := re.match(r"^(?:账号|卡号)[:：]\s*(\S+)", cells[0])):
            account_number = m[1]

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return _clean(row[i]) if i is not None and i < len(row) else ""

    rows = []
    for offset, row in enumerate(table[start + 1:], start + 2):
        day = _date(cell(row, "date"))
        if day is None:
            continue  # blank lines, 合计, notes
        if "amount" in cols and not ("income" in cols and "expense" in cols):
            signed = _number(cell(row, "amount")) or Decimal(0)
            direction = cell(row, "direction")
            if direction and direction[0] in "借支出付" and signed > 0:
                signed = -signed
        else:
            signed = abs(_number(cell(row, "income")) or Decimal(0)) \
                - abs(_number(cell(row, "expense")) or Decimal(0))
        if signed == 0:
            continue
        time = cell(row, "time") or None
        if time is None and re.match(r"^\S+\s+\d{1,2}:\d{2}", cell(row, "date")):
            time = cell(row, "date").split()[1]
        rows.append(Row(offset, day, time, cell(row, "summary"), signed,
                        _number(cell(row, "balance")) if "balance" in cols else None,
                        cell(row, "counterparty") or None, cell(row, "serial") or None))
    if not rows:
        raise StatementError("对账单中没有交易 (the statement has no transactions)")
    return Statement(encoding, tuple(_ordered(rows)), account_number)


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
        try:
            statement = read_statement(filepath)
        except (OSError, StatementError, csv.Error):
            return False
        if self.account_number is None:
            return True
        return statement.account_number is not None and \
            statement.account_number.replace(" ", "").endswith(self.account_number.replace(" ", ""))

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
