"""A beangulp importer for the fund bank account's statement export (对账单/交易明细, CSV).

The statement is read by ``sheet`` (encodings, header, columns by name), ``statement`` (the
rows, their signs and order, the running balance checked) and ``amounts`` (each amount cell,
strictly); every refused cell is named by line and column. This module makes the entries.
A reversal keeps its sign and its column's leg: a negative amount in the income (贷方) column
is money out whose other leg is the income account, in the expense (借方) column money back in
whose other leg is the expense account.

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
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import beangulp
from beancount.core import data
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE

from .sheet import NotAStatement, Problem, StatementError, header_and_table
from .statement import Row, Statement, parse, read_statement

__all__ = ["REF_KEY", "UNCLASSIFIED", "BankStatementImporter", "NotAStatement", "Problem", "Row",
           "Statement", "StatementError", "parse", "read_statement"]

UNCLASSIFIED = "Expenses:Unclassified"  # outside the fund's roles: FL102 until classified
REF_KEY = "bank-ref"


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
                account_number = header_and_table(handle.read())[4]
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
