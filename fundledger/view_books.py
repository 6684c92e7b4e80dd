"""The books the finance office keeps (SPEC §4 Vouchers, §6 ``vouchers``/``journal``; docs/BOOKS.md):
one voucher (记账凭证) per transaction, numbered by its ``voucher:`` or by the program, and the
journal of one account for a year (日记账 for cash, 明细账 for any other) with its opening
(上年结转), running balance, 本月合计 and 本年累计. Read through ``FundView``; the commands only
format what these return.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core.data import Transaction

from .accounts import Role, loan_id_of, role_of, under
from .capital import rmb_upper
from .masking import mask_name
from .money import ZERO
from .privacy import account_title
from .privacy import summary as kind_summary
from .records import FundState

Date = datetime.date

LEDGER, PROGRAM = "ledger", "program"
# The number the program gives a transaction without ``voucher:``: 记-YYYY-MM-NNN, the form
# ``add`` writes, counting the month's unnumbered transactions and skipping every number the
# ledger uses anywhere, so that a program number never equals a ledger's.
PROGRAM_FORM = "记-{year:04d}-{month:02d}-{n:03d}"
_SEQUENCE = re.compile(r"^记-\d{4}-\d{2}-0*(\d+)$")


@dataclass(frozen=True)
class VoucherLine:
    """One posting of a voucher: debit (借方) an increase of an asset or an expense (a
    positive amount), credit (贷方) the opposite (a negative amount, shown positive)."""

    account: str
    name: str  # the account's Chinese name (a loan account's only with names: its ID else)
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Voucher:
    """One transaction's voucher (记账凭证)."""

    number: str
    numbered_by: str  # LEDGER (``voucher:``) or PROGRAM
    date: Date
    summary: str  # 摘要: never a member's name unless names
    attachments: int  # 附件 N 张
    lines: tuple[VoucherLine, ...]  # debits first, then credits, each in posting order
    entry: Transaction

    @property
    def debit_total(self) -> Decimal:
        return sum((ln.debit for ln in self.lines), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((ln.credit for ln in self.lines), ZERO)

    @property
    def total_in_words(self) -> str:
        return rmb_upper(self.debit_total)

    @property
    def sequence(self) -> str:
        """What 记字第 N 号 prints: N of 记-YYYY-MM-NNN, else the number as written."""
        found = _SEQUENCE.match(self.number)
        return found.group(1) if found else self.number


@dataclass(frozen=True)
class JournalRow:
    date: Date
    voucher: str
    numbered_by: str
    summary: str
    counter: tuple[str, ...]  # the transaction's other accounts, in posting order
    debit: Decimal
    credit: Decimal
    balance: Decimal  # after the row, in the account's natural sign
    entry: Transaction


@dataclass(frozen=True)
class MonthTotals:
    """本月合计 and 本年累计 at the end of a month that has rows."""

    month: int
    debit: Decimal
    credit: Decimal
    year_debit: Decimal
    year_credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Journal:
    """The journal of ``account`` (and the accounts below it) for ``year``."""

    account: str
    year: int
    name: str  # the account's Chinese name
    kind: str  # "cash" (日记账) or "detail" (明细账)
    credit_normal: bool  # sources: the balance is credits − debits
    opening: Decimal  # 上年结转: the balance at the start of the year, opening entries in it
    rows: tuple[JournalRow, ...]
    months: tuple[MonthTotals, ...]

    @property
    def debit_total(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening

    @property
    def title(self) -> str:
        """银行存款日记账 / 现金日记账 for cash, 明细账 for any other account."""
        if self.kind == "cash":
            return "现金日记账" if self.account.startswith("Assets:Cash") else "银行存款日记账"
        return "明细账"

    def by_month(self) -> list[tuple[MonthTotals, list[JournalRow]]]:
        return [(m, [r for r in self.rows if r.date.month == m.month]) for m in self.months]


# -- the transactions the books hold ----------------------------------------------------------
def _counted(state: FundState) -> list[tuple[Any, Transaction]]:
    """Every transaction the fund counts, in the state's order (date, then file order); one the
    fund left out (FL106: beyond what a fund can hold) is in no book."""
    left_out = {id(r.entry) for r in state.rejected if isinstance(r.entry, Transaction)}
    return [(raw, e) for raw, e in state.vouchers if id(e) not in left_out]


def _ledger_number(raw: Any) -> str | None:
    text = str(raw).strip() if raw is not None else ""
    return text or None


def numbers(state: FundState) -> dict[int, tuple[str, str]]:
    """Each counted transaction's voucher number and who numbered it, by ``id(entry)``.

    A ``voucher:`` stands as written (a second use is FL107 but prints as written); the rest
    are numbered per month, in date and then file order, 记-YYYY-MM-001 up, skipping the
    numbers the ledger uses."""
    counted = _counted(state)
    used = {n for raw, _ in counted if (n := _ledger_number(raw)) is not None}
    out: dict[int, tuple[str, str]] = {}
    next_n: dict[tuple[int, int], int] = {}
    for raw, entry in counted:
        number = _ledger_number(raw)
        if number is not None:
            out[id(entry)] = (number, LEDGER)
            continue
        key = (entry.date.year, entry.date.month)
        n = next_n.get(key, 1)
        while (number := PROGRAM_FORM.format(year=key[0], month=key[1], n=n)) in used:
            n += 1
        next_n[key] = n + 1
        out[id(entry)] = (number, PROGRAM)
    return out


def member_names(state: FundState) -> list[str]:
    """Members' full names to look for in a narration, longest first (李金明 before 李金);
    one character is no name to look for."""
    return sorted({m.name.strip() for m in state.members.values()
                   if m.name and len(m.name.strip()) >= 2}, key=len, reverse=True)


def book_summary(entry: Transaction, state: FundState, names: bool = False,
                 full: list[str] | None = None) -> str:
    """摘要: the narration; without ``names`` every registered member's full name in it masked
    (李金明 → 李*明) and the payee left out. A transaction without a narration says its kind
    (``privacy.summary``). ``full`` is ``member_names(state)``, when the caller has it."""
    narration = (entry.narration or "").strip()
    if not narration:
        return kind_summary(entry, state)
    if names:
        return narration
    for name in member_names(state) if full is None else full:
        if name in narration:
            narration = narration.replace(name, mask_name(name))
    return narration


def account_name(state: FundState, account: str, names: bool = False) -> str:
    """The account's Chinese name on a voucher or a journal; a loan account's ``name:`` may
    name the borrower, so without ``names`` it is 借款 and the loan's ID."""
    info = state.accounts.get(account)
    title = account_title(account, info.title if info else None, names)
    if title:
        return title
    if account.startswith("Assets:Loans:"):
        return f"借款 {loan_id_of(account)}"
    return account


def _amounts(entry: Transaction, currency: str) -> list[tuple[str, Decimal]]:
    return [(p.account, p.units.number) for p in entry.postings
            if p.units is not None and p.units.currency == currency and p.units.number is not None]


# -- vouchers ---------------------------------------------------------------------------------
def vouchers(state: FundState, year: int, month: int, names: bool = False) -> list[Voucher]:
    """The month's vouchers, one per transaction, in date and then file order."""
    numbered, full = numbers(state), member_names(state)
    out = []
    for _, entry in _counted(state):
        if (entry.date.year, entry.date.month) != (year, month):
            continue
        number, by = numbered[id(entry)]
        moves = _amounts(entry, state.currency)
        debits = [VoucherLine(a, account_name(state, a, names), n, ZERO) for a, n in moves if n >= 0]
        credits = [VoucherLine(a, account_name(state, a, names), ZERO, -n) for a, n in moves if n < 0]
        out.append(Voucher(number, by, entry.date, book_summary(entry, state, names, full),
                           attachments(entry.meta.get("attachments")), tuple(debits + credits),
                           entry))
    return out


def attachments(raw: Any) -> int:
    """``attachments:`` as a count: a whole number of at least zero, else 0."""
    try:
        value = Decimal(str(raw).strip()) if raw is not None else ZERO
    except ArithmeticError:
        return 0
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        return 0
    return int(value)


# -- journals ---------------------------------------------------------------------------------
def known_account(state: FundState, account: str) -> bool:
    """``account`` is one of the ledger's accounts, or a parent of some."""
    return any(under(name, account) for name in state.accounts)


def journal(state: FundState, account: str, year: int) -> Journal:
    """The journal of ``account`` and the accounts below it for ``year`` (SPEC §6)."""
    credit_normal = account.split(":")[0] in ("Income", "Equity")
    sign = -1 if credit_normal else 1
    cash = role_of(account) is Role.CASH or account in ("Assets:Bank", "Assets:Cash")
    start = Date(year, 1, 1)
    openings = {id(op.entry) for op in state.openings}
    numbered, full = numbers(state), member_names(state)
    opening = ZERO
    found: list[tuple[Transaction, list[tuple[str, Decimal]], list[Decimal]]] = []
    for _, entry in _counted(state):
        if entry.date.year > year:
            break
        moves = _amounts(entry, state.currency)
        here = [n for a, n in moves if under(a, account)]
        if not here:
            continue
        if entry.date < start or id(entry) in openings:  # 上年结转, and the year's 期初
            opening += sign * sum(here, ZERO)
        else:
            found.append((entry, moves, here))
    rows: list[JournalRow] = []
    months: list[MonthTotals] = []
    balance, year_debit, year_credit = opening, ZERO, ZERO
    for entry, moves, here in found:
        debit = sum((n for n in here if n > 0), ZERO)
        credit = -sum((n for n in here if n < 0), ZERO)
        balance += sign * (debit - credit)
        year_debit += debit
        year_credit += credit
        counter = tuple(dict.fromkeys(a for a, _ in moves if not under(a, account)))
        number, by = numbered[id(entry)]
        rows.append(JournalRow(entry.date, number, by, book_summary(entry, state, False, full), counter,
                               debit, credit, balance, entry))
        if months and months[-1].month == entry.date.month:
            last = months[-1]
            months[-1] = MonthTotals(last.month, last.debit + debit, last.credit + credit,
                                     year_debit, year_credit, balance)
        else:
            months.append(MonthTotals(entry.date.month, debit, credit, year_debit, year_credit,
                                      balance))
    return Journal(account, year, account_name(state, account), "cash" if cash else "detail",
                   credit_normal, opening, tuple(rows), tuple(months))
