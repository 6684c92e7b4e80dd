"""The fund's state, built in one pass over the entries (SPEC §1–§4).

Members and their reviews and exits, applications and their steps, loans, relief, money
raised, and the pools day by day. The plugin's rules, the commands, the notice and the
exports all read this one state; nothing else recomputes balances its own way.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core.data import Close, Custom, Open, Pad, Transaction

from . import directives as d
from .accounts import (
    Pool,
    Role,
    default_pool,
    is_fiscal,
    is_opening,
    loan_id_of,
    relief_kind,
    role_of,
)
from .gcpause import paused
from .money import ZERO
from .policy import KINDS as POLICY_KINDS
from .policy import Policy, PolicyTimeline, PolicyValueError, convert

Date = datetime.date
_CASH, _SOURCE, _LOAN, _RELIEF, _FEES, _LOSS = (Role.CASH, Role.SOURCE, Role.LOAN, Role.RELIEF,
                                                Role.FEES, Role.LOSS)
_SPENDABLE = Pool.SPENDABLE
_LOAN_PREFIX = len("Assets:Loans:")
# More than 15 integer digits of yuan is beyond any fund (and beyond what sums, rounding and
# formatting to the fen can carry exactly): such an amount is an error at its line (FL106).
MAX_AMOUNT = Decimal(10) ** 15


def add_months(day: Date, months: int) -> Date:
    """Same day ``months`` later, clamped to the month's end (2024-01-31 + 1 -> 2024-02-29)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > Date.max.year:  # "forever": a term of a thousand years is not a fault
        return Date.max
    if year < Date.min.year:
        return Date.min
    for dd in (day.day, 30, 29, 28):
        try:
            return Date(year, month, min(day.day, dd))
        except ValueError:
            continue
    raise ValueError(day)


def meta_of(entry: Transaction, posting: Any, key: str) -> Any:
    """A posting's metadata value, falling back to its transaction's."""
    if posting is not None and posting.meta and key in posting.meta:
        return posting.meta[key]
    return entry.meta.get(key)


# ---------------------------------------------------------------- records

@dataclass
class Account:
    name: str
    role: Role | None
    pool: Pool | None
    title: str | None  # Chinese name from ``name:``
    open_entry: Open | None = None
    closed: Date | None = None
    first_use: Transaction | None = None  # for accounts used without an ``open``
    fiscal: bool = False  # public money (财政资金)
    interest: bool = False  # the fund's earnings from interest
    opening: bool = False  # ``Equity:Opening*``: brought forward (期初), never raised

    def __post_init__(self) -> None:
        self.fiscal = self.role is Role.SOURCE and is_fiscal(self.name)
        self.interest = self.role is Role.SOURCE and self.name.startswith("Income:Interest")
        self.opening = self.role is Role.SOURCE and is_opening(self.name)

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass
class Review:
    date: Date
    tier: str
    entry: Custom


@dataclass
class Member:
    """A registered member or survivor household (建档立卡)."""

    id: str
    name: str
    branch: str
    category: str | None
    contact: str | None
    registered: Date
    entry: Custom
    reviews: list[Review] = field(default_factory=list)
    exited: Date | None = None
    exit_reason: str | None = None
    exit_entry: Custom | None = None

    def review_on(self, day: Date) -> Review | None:
        """The latest annual review (年度审核) on or before ``day``."""
        found = None
        for review in self.reviews:
            if review.date > day:
                break
            found = review
        return found

    def tier_on(self, day: Date) -> str | None:
        review = self.review_on(day)
        return review.tier if review else None

    def ineligibility(self, day: Date, valid_months: int) -> tuple[str, str] | None:
        """Why the member may not be helped on ``day`` (zh, en), or None when eligible."""
        if self.registered > day:
            return f"成员 {self.id} 在 {day} 尚未登记", f"member {self.id} not registered on {day}"
        if self.exited is not None and self.exited < day:
            return (f"成员 {self.id} 已于 {self.exited} 退出", f"member {self.id} exited on {self.exited}")
        review = self.review_on(day)
        if review is None:
            return f"成员 {self.id} 在 {day} 前没有年度审核", f"member {self.id} has no review by {day}"
        if review.tier == "none":
            return (f"成员 {self.id} 在 {review.date} 审核为不再困难",
                    f"member {self.id} reviewed as tier none on {review.date}")
        if add_months(review.date, valid_months) < day:
            return (f"成员 {self.id} 最近一次审核 {review.date} 已超过 {valid_months} 个月",
                    f"member {self.id}'s last review {review.date} is older than {valid_months} months")
        return None

    def eligible_on(self, day: Date, policy: Policy) -> bool:
        return self.ineligibility(day, policy.review_valid_months) is None


@dataclass
class Step:
    name: str
    date: Date
    entry: Custom


@dataclass
class Payment:
    """Money moved on an application: a relief posting or a loan disbursement."""

    date: Date
    amount: Decimal
    entry: Transaction
    kind: str  # "loan" or "relief"
    member_id: str | None
    account: str


@dataclass
class Application:
    """An application (申报) and its workflow."""

    id: str
    member_id: str
    kind: str
    amount: Decimal
    purpose: str | None
    date: Date
    entry: Custom
    steps: list[Step] = field(default_factory=list)  # in date order, incl. approve and reject
    approvals: list[tuple[Date, Decimal, Custom]] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)

    def first(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def approved_on(self, day: Date) -> Decimal | None:
        """The latest approved amount on or before ``day``."""
        amount = None
        for when, value, _ in self.approvals:
            if when <= day:
                amount = value
        return amount

    def rejected(self) -> Step | None:
        return self.first("reject")

    def paid(self, day: Date | None = None) -> Decimal:
        return sum((p.amount for p in self.payments if day is None or p.date <= day), ZERO)


@dataclass
class LoanMove:
    date: Date
    amount: Decimal  # change of the loan's balance
    kind: str  # "disburse", "repay", "write-off"
    interest: Decimal
    entry: Transaction


@dataclass
class Loan:
    """One loan (有偿扶助), its own account ``Assets:Loans:<ID>``.

    An *opening* loan (借款期初余额) was made before these books began and is brought in by an
    opening entry (the loan account up against ``Equity:Opening*``): ``disbursed_on`` is the
    opening entry's date, the day these books first hold it, ``principal`` the balance brought
    in, and ``disbursed_original`` its ``disbursed:`` (the original date) when given.
    """

    id: str
    account: str
    open_entry: Open | None = None
    disbursement: Transaction | None = None
    disbursed_on: Date | None = None
    principal: Decimal = ZERO
    application_id: str | None = None
    member_id: str | None = None
    due: Date | None = None
    guarantor: str | None = None
    rate: Decimal | None = None
    rate_raw: Any = None
    due_raw: Any = None
    opening: bool = False
    disbursed_original: Date | None = None
    disbursed_raw: Any = None  # ``disbursed:`` as written (an opening loan's original date)
    member_raw: Any = None  # an opening loan's ``member:`` as written
    moves: list[LoanMove] = field(default_factory=list)
    reschedules: list[tuple[Date, Date, Custom]] = field(default_factory=list)
    write_offs: list[tuple[Date, Custom]] = field(default_factory=list)  # approvals (核销)

    def _sum(self, day: Date, kinds: tuple[str, ...]) -> Decimal:
        return sum((m.amount for m in self.moves if m.date <= day and m.kind in kinds), ZERO)

    def balance_on(self, day: Date) -> Decimal:
        return self._sum(day, ("disburse", "repay", "write-off"))

    def repaid_on(self, day: Date) -> Decimal:
        return -self._sum(day, ("repay",))

    def written_off_on(self, day: Date) -> Decimal:
        return -self._sum(day, ("write-off",))

    def interest_on(self, day: Date) -> Decimal:
        return sum((m.interest for m in self.moves if m.date <= day), ZERO)

    def due_on(self, day: Date) -> Date | None:
        """The due date in force on ``day``: the latest approved reschedule, else ``due:``."""
        due = self.due
        for when, new_due, _ in self.reschedules:
            if when <= day:
                due = new_due
        return due

    def status_on(self, day: Date) -> str:
        """``current``, ``overdue``, ``repaid``, ``written-off`` (or ``undisbursed``)."""
        if self.disbursed_on is None or self.disbursed_on > day:
            return "undisbursed"
        if self.balance_on(day) <= 0:
            return "written-off" if self.written_off_on(day) > 0 else "repaid"
        due = self.due_on(day)
        return "overdue" if due is not None and day > due else "current"

    def days_past_due(self, day: Date) -> int:
        due = self.due_on(day)
        if self.status_on(day) != "overdue" or due is None:
            return 0
        return (day - due).days


@dataclass
class Relief:
    """One relief posting (无偿救济)."""

    date: Date
    account: str
    amount: Decimal
    member_id: str | None
    application_id: str | None
    months: Any
    child: str | None
    entry: Transaction

    @property
    def kind(self) -> str:
        return relief_kind(self.account)


@dataclass
class Inflow:
    """Money into the fund from a source account (donation, dues, grant, interest…)."""

    date: Date
    account: str
    pool: Pool
    amount: Decimal
    donor: str | None
    campaign: str | None
    entry: Transaction
    opening: bool = False  # from ``Equity:Opening*``: brought forward, not raised


@dataclass(frozen=True)
class Position:
    """The fund's position at the end of a day; cash = principal + spendable − loans."""

    cash: Decimal = ZERO
    loans_outstanding: Decimal = ZERO
    principal: Decimal = ZERO
    spendable: Decimal = ZERO


@dataclass(frozen=True)
class Opening:
    """What one opening entry (期初) brought in, as a change of the position.

    ``principal`` and ``spendable`` are the opening postings by pool, ``loans`` the opening
    loans; ``cash`` is the rest (brought forward − loans), so cash = principal + spendable −
    loans holds for the brought-forward figures too.
    """

    date: Date
    cash: Decimal
    loans: Decimal
    principal: Decimal
    spendable: Decimal
    entry: Transaction

    @property
    def amount(self) -> Decimal:
        return self.principal + self.spendable


@dataclass
class Flow:
    """Relief or fees taken from the spendable pool (for FL402)."""

    date: Date
    delta: Decimal
    is_use: bool  # relief or fees paid
    entry: Any


@dataclass
class Rejected:
    """A fund directive or metadata that could not be read (kind: policy|directive|duplicate)."""

    kind: str
    zh: str
    en: str
    entry: Any


@dataclass
class Ref:
    """A directive that refers to a member, application or loan by ID, linked after the pass."""

    kind: str  # review, exit, step, approve, reject, reschedule, write-off
    ref: str
    date: Date
    entry: Custom
    value: Any = None


@dataclass
class FundState:
    currency: str
    policies: PolicyTimeline = field(default_factory=PolicyTimeline)
    accounts: dict[str, Account] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    loans: dict[str, Loan] = field(default_factory=dict)
    relief: list[Relief] = field(default_factory=list)
    inflows: list[Inflow] = field(default_factory=list)
    releases: list[tuple[Date, Decimal, Custom]] = field(default_factory=list)
    fees: list[tuple[Date, str, Decimal, Transaction]] = field(default_factory=list)
    losses: list[tuple[Date, str, Decimal, Transaction]] = field(default_factory=list)
    fiscal: list[tuple[Transaction, Decimal]] = field(default_factory=list)
    uses: list[Flow] = field(default_factory=list)  # relief and fees paid, in entry order
    spendable_added: dict[Date, Decimal] = field(default_factory=dict)  # all else, per day
    cash_moves: list[tuple[Date, str, Decimal, Transaction]] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)  # opening entries, in date order
    rejected: list[Rejected] = field(default_factory=list)
    orphans: list[Ref] = field(default_factory=list)  # refer to IDs that exist nowhere
    refs: list[Ref] = field(default_factory=list)
    step_names: frozenset[str] = frozenset()
    faults: list[tuple[Any, BaseException]] = field(default_factory=list)
    valueless_customs: int = 0  # ``custom "x"`` with ``values=None`` (the plugin mends them)
    pads: int = 0  # ``pad`` directives: beancount adds their money after the plugins run
    _days: list[Date] = field(default_factory=list)
    _positions: list[Position] = field(default_factory=list)

    def policy_at(self, day: Date) -> Policy:
        return self.policies.at(day)

    def position(self, as_of: Date) -> Position:
        """The fund's position at the end of ``as_of``."""
        i = bisect.bisect_right(self._days, as_of)
        return self._positions[i - 1] if i else Position()

    def brought_in(self, first: Date, last: Date) -> Position:
        """What the opening entries dated ``first`` to ``last`` brought in."""
        cash = loans = principal = spendable = ZERO
        for op in self.openings:
            if first <= op.date <= last:
                cash += op.cash
                loans += op.loans
                principal += op.principal
                spendable += op.spendable
        return Position(cash, loans, principal, spendable)

    def brought_forward(self, year: int) -> Decimal:
        """The opening entries dated in ``year`` (上年结转/期初), in the net assets they add."""
        pos = self.brought_in(Date(year, 1, 1), Date(year, 12, 31))
        return pos.principal + pos.spendable

    def year_start(self, year: int) -> Position:
        """The position at the start of ``year`` (SPEC §7): the end of the year before, plus
        the opening entries dated in ``year`` — a fund starts the year its books begin with
        what it brought forward, whatever day that is."""
        before = self.position(Date(year - 1, 12, 31))
        new = self.brought_in(Date(year, 1, 1), Date(year, 12, 31))
        return Position(before.cash + new.cash, before.loans_outstanding + new.loans_outstanding,
                        before.principal + new.principal, before.spendable + new.spendable)

    @property
    def first_day(self) -> Date | None:
        """The date of the ledger's first entry (None for an empty ledger)."""
        return self._days[0] if self._days else None

    @property
    def last_day(self) -> Date | None:
        """The date of the ledger's last entry (None for an empty ledger)."""
        return self._days[-1] if self._days else None

    def account_label(self, account: str) -> str:
        info = self.accounts.get(account)
        return info.label if info else account


# ---------------------------------------------------------------- the pass

class _Builder:
    def __init__(self, currency: str):
        self.s = FundState(currency)
        self.cash = self.loans = self.principal = self.spendable = ZERO
        self.day: Date | None = None
        self.step_candidates: list[Custom] = []

    def run(self, entries: list[Any]) -> FundState:
        for entry in entries:
            try:
                if entry.date != self.day:
                    self._close_day(entry.date)
                if isinstance(entry, Transaction):
                    self._transaction(entry)
                elif isinstance(entry, Custom):
                    self._custom(entry)
                elif isinstance(entry, Open):
                    self._open(entry)
                elif isinstance(entry, Close) and entry.account in self.s.accounts:
                    self.s.accounts[entry.account].closed = entry.date
                elif isinstance(entry, Pad):
                    self.s.pads += 1
            except Exception as exc:  # noqa: BLE001 - a fault names its entry, never escapes
                self.s.faults.append((entry, exc))
        self._close_day(None)
        self._link()
        return self.s

    def _close_day(self, new_day: Date | None) -> None:
        if self.day is not None:
            self.s._days.append(self.day)
            self.s._positions.append(Position(self.cash, self.loans, self.principal, self.spendable))
        self.day = new_day

    # -- accounts
    def _open(self, entry: Open) -> None:
        role = role_of(entry.account)
        pool = None
        if role is Role.SOURCE:
            raw = entry.meta.get("pool")
            if raw is None:
                pool = default_pool(entry.account)
            elif isinstance(raw, str) and raw in ("principal", "spendable"):
                pool = Pool(raw)
            else:
                pool = default_pool(entry.account)
                self.s.rejected.append(Rejected(
                    "directive", f'pool: 应为 "principal" 或 "spendable"，实为 {raw!r}',
                    f'pool: should be "principal" or "spendable", found {raw!r}', entry))
        title = entry.meta.get("name")
        info = Account(entry.account, role, pool, str(title) if title else None, entry)
        if role is Role.LOAN:
            loan_id = loan_id_of(entry.account)
            if loan_id in self.s.loans and self.s.loans[loan_id].open_entry is not None:
                self.s.rejected.append(Rejected(
                    "duplicate", f"借款编号 {loan_id} 重复开户", f"loan {loan_id} opened twice", entry))
            else:
                self.s.loans.setdefault(loan_id, Loan(loan_id, entry.account)).open_entry = entry
        if entry.account not in self.s.accounts:
            self.s.accounts[entry.account] = info

    def _account(self, name: str, entry: Transaction) -> Account:
        info = self.s.accounts.get(name)
        if info is None:  # used without an ``open``: beancount reports that; classify anyway
            role = role_of(name)
            info = Account(name, role, default_pool(name) if role is Role.SOURCE else None, None,
                           first_use=entry)
            self.s.accounts[name] = info
        return info

    # -- transactions
    def _spendable(self, day: Date, delta: Decimal, entry: Any, is_use: bool) -> None:
        self.spendable += delta
        if is_use and delta < 0:
            self.s.uses.append(Flow(day, delta, True, entry))
        else:
            avail = self.s.spendable_added
            avail[day] = avail.get(day, ZERO) + delta

    def _transaction(self, entry: Transaction) -> None:
        # The hot loop of the plugin (one call per transaction): locals instead of attribute
        # look-ups, the account's record straight from the dict, posting metadata read once.
        s = self.s
        cur, day, emeta = s.currency, entry.date, entry.meta
        accounts = s.accounts
        loans_here: list[tuple[str, Decimal]] = []
        interest = ZERO
        has_loss = False
        opening: list[Decimal] | None = None  # [principal, spendable] from Equity:Opening*
        for posting in entry.postings:
            units = posting.units
            if units is not None and units.currency == cur and not -MAX_AMOUNT < units.number < MAX_AMOUNT:
                self._too_big(entry, posting)
                return
        for posting in entry.postings:
            units = posting.units
            if units is None or units.currency != cur:
                continue
            number = units.number
            account = posting.account
            info = accounts.get(account) or self._account(account, entry)
            role = info.role
            if role is _CASH:
                self.cash += number
                s.cash_moves.append((day, account, number, entry))
            elif role is _SOURCE:
                inflow = -number
                if info.pool is _SPENDABLE:
                    self._spendable(day, inflow, entry, False)
                else:
                    self.principal += inflow
                pmeta = posting.meta
                donor = (pmeta["donor"] if pmeta and "donor" in pmeta else emeta.get("donor")) \
                    or entry.payee
                campaign = pmeta["campaign"] if pmeta and "campaign" in pmeta else emeta.get("campaign")
                s.inflows.append(Inflow(day, account, info.pool, inflow,
                                        str(donor) if donor else None,
                                        str(campaign) if campaign else None, entry, info.opening))
                if info.opening:
                    if opening is None:
                        opening = [ZERO, ZERO]
                    opening[info.pool is _SPENDABLE] += inflow
                if info.fiscal:
                    s.fiscal.append((entry, inflow))
                if info.interest:
                    interest += inflow
            elif role is _LOAN:
                self.loans += number
                loans_here.append((account[_LOAN_PREFIX:], number))
            elif role is _RELIEF:
                self._spendable(day, -number, entry, True)
                pmeta = posting.meta
                if pmeta:
                    member = pmeta["member"] if "member" in pmeta else emeta.get("member")
                    app = pmeta["application"] if "application" in pmeta else emeta.get("application")
                    child = pmeta["child"] if "child" in pmeta else emeta.get("child")
                    months = pmeta["months"] if "months" in pmeta else emeta.get("months")
                else:
                    member, app = emeta.get("member"), emeta.get("application")
                    child, months = emeta.get("child"), emeta.get("months")
                s.relief.append(Relief(
                    day, account, number,
                    str(member) if member is not None else None,
                    str(app) if app is not None else None,
                    months,
                    str(child) if child is not None else None, entry))
            elif role is _FEES:
                self._spendable(day, -number, entry, True)
                s.fees.append((day, account, number, entry))
            elif role is _LOSS:
                self.principal -= number
                s.losses.append((day, account, number, entry))
                has_loss = True
        for loan_id, number in loans_here:
            self._loan_move(entry, loan_id, number, has_loss,
                            interest if len(loans_here) == 1 else ZERO, opening is not None)
        if opening is not None:
            lent = sum((n for _, n in loans_here if n > 0), ZERO)
            s.openings.append(Opening(day, opening[0] + opening[1] - lent, lent, opening[0],
                                      opening[1], entry))

    def _too_big(self, entry: Transaction, posting: Any) -> None:
        """A posting beyond what a fund can hold: FL106, and the transaction is left out of
        the state (all its postings: half a transaction would unbalance the pools)."""
        number = posting.units.number
        self.s.rejected.append(Rejected(
            "directive",
            f"{posting.account} 的金额 {number:f} {posting.units.currency} 超出基金可容纳的范围"
            f"（元的整数部分至多 15 位）；本笔交易未计入基金",
            f"amount beyond what a fund can hold: {posting.account} {number:f} "
            f"(at most 15 integer digits of yuan); the transaction is left out", entry))

    def _loan_move(self, entry: Transaction, loan_id: str, number: Decimal, has_loss: bool,
                   interest: Decimal, opening: bool = False) -> None:
        loan = self.s.loans.setdefault(loan_id, Loan(loan_id, "Assets:Loans:" + loan_id))
        if number > 0:
            kind = "disburse"
            if loan.disbursement is None:
                loan.disbursement = entry
                loan.disbursed_on = entry.date
                loan.principal = number
                posting = next(p for p in entry.postings if p.account == loan.account)
                if opening:  # brought in (借款期初余额): the borrower is named, no application
                    loan.opening = True
                    loan.member_raw = meta_of(entry, posting, "member")
                    loan.disbursed_raw = meta_of(entry, posting, "disbursed")
                    loan.disbursed_original = _as_date(loan.disbursed_raw)
                else:
                    app = meta_of(entry, posting, "application")
                    loan.application_id = str(app) if app is not None else None
                loan.due = _as_date(meta_of(entry, posting, "due"))
                guarantor = meta_of(entry, posting, "guarantor")
                loan.guarantor = str(guarantor).strip() if guarantor is not None else None
                loan.rate_raw = meta_of(entry, posting, "rate")
                loan.rate = _as_decimal(loan.rate_raw)
                loan.due_raw = meta_of(entry, posting, "due")
        else:
            kind = "write-off" if has_loss else "repay"
        loan.moves.append(LoanMove(entry.date, number, kind, interest, entry))

    # -- custom directives
    def _custom(self, entry: Custom) -> None:
        kind, s = entry.type, self.s
        if entry.values is None:
            s.valueless_customs += 1
        if kind not in d.FUND_TYPES:
            self.step_candidates.append(entry)
            return
        try:
            if kind == "fund-policy":
                self._policy(entry)
            elif kind == "member":
                decl = d.read_member(entry)
                if decl.id in s.members:
                    s.rejected.append(Rejected("duplicate", f"成员编号 {decl.id} 重复登记",
                                               f"member {decl.id} registered twice", entry))
                else:
                    s.members[decl.id] = Member(decl.id, decl.name, decl.branch, decl.category,
                                                decl.contact, entry.date, entry)
            elif kind == "apply":
                decl = d.read_apply(entry, s.currency)
                _within_a_fund(decl.amount)
                if decl.id in s.applications:
                    s.rejected.append(Rejected("duplicate", f"申请编号 {decl.id} 重复",
                                               f"application {decl.id} filed twice", entry))
                else:
                    s.applications[decl.id] = Application(decl.id, decl.member_id, decl.kind,
                                                          decl.amount, decl.purpose, entry.date, entry)
            elif kind == "review":
                mid, tier = d.read_review(entry)
                s.refs.append(Ref("review", mid, entry.date, entry, tier))
            elif kind == "exit":
                s.refs.append(Ref("exit", d.read_exit(entry), entry.date, entry))
            elif kind == "approve":
                app_id, amount = d.read_approve(entry, s.currency)
                _within_a_fund(amount)
                s.refs.append(Ref("approve", app_id, entry.date, entry, amount))
            elif kind == "reject":
                s.refs.append(Ref("reject", d.read_step(entry), entry.date, entry))
            elif kind == "reschedule":
                loan_id, new_due = d.read_reschedule(entry)
                s.refs.append(Ref("reschedule", loan_id, entry.date, entry, new_due))
            elif kind == "write-off":
                s.refs.append(Ref("write-off", d.read_step(entry), entry.date, entry))
            elif kind == "release":
                amount = d.read_release(entry, s.currency)
                _within_a_fund(amount)
                s.releases.append((entry.date, amount, entry))
                self.principal -= amount
                self._spendable(entry.date, amount, entry, False)
        except d.Malformed as bad:
            s.rejected.append(Rejected("directive", bad.zh, bad.en, entry))

    def _policy(self, entry: Custom) -> None:
        try:  # a policy directive of the wrong shape is a bad policy directive too (FL103)
            key, value = d.read_policy(entry)
        except d.Malformed as bad:
            self.s.rejected.append(Rejected("policy", bad.zh, bad.en, entry))
            return
        if key not in _POLICY_KEYS:
            self.s.rejected.append(Rejected(
                "policy", f'未知的政策项 "{key}"；可用的有 {", ".join(_POLICY_KEYS)}',
                f'unknown key "{key}"; valid keys: {", ".join(_POLICY_KEYS)}', entry))
            return
        try:
            converted = convert(key, value, self.s.currency)
            if isinstance(converted, Decimal) and POLICY_KINDS[key] == "amount" \
                    and not -MAX_AMOUNT < converted < MAX_AMOUNT:
                self.s.rejected.append(Rejected(
                    "policy", f"政策项 {key} 的金额 {converted:f} 超出基金可容纳的范围（元的整数部分至多 15 位）",
                    f"{key}: amount beyond what a fund can hold: {converted:f} "
                    "(at most 15 integer digits of yuan)", entry))
                return
            self.s.policies.set(entry.date, key, converted)
        except PolicyValueError as bad:
            self.s.rejected.append(Rejected("policy", bad.zh, bad.en, entry))

    # -- linking references after the pass (registrations may sort after their uses)
    def _link(self) -> None:
        s = self.s
        s.step_names = frozenset(
            name for policy in s.policies.all() for name in policy.steps_loan + policy.steps_relief
        ) - {"approve"}
        for entry in self.step_candidates:
            if entry.type in s.step_names:
                try:
                    s.refs.append(Ref("step", d.read_step(entry), entry.date, entry))
                except d.Malformed as bad:
                    s.rejected.append(Rejected("directive", bad.zh, bad.en, entry))
        s.refs.sort(key=lambda r: (r.date, r.entry.meta.get("lineno", 0)))
        for ref in s.refs:
            target: Any
            if ref.kind in ("review", "exit"):
                target = s.members.get(ref.ref)
            elif ref.kind in ("step", "approve", "reject"):
                target = s.applications.get(ref.ref)
            else:
                target = s.loans.get(ref.ref)
                if target is not None and target.disbursement is None:
                    target = None
            if target is None:
                s.orphans.append(ref)
                continue
            if ref.kind == "review":
                target.reviews.append(Review(ref.date, ref.value, ref.entry))
            elif ref.kind == "exit":
                if target.exited is None:
                    target.exited, target.exit_entry = ref.date, ref.entry
                    target.exit_reason = ref.entry.meta.get("reason")
            elif ref.kind in ("step", "approve", "reject"):
                target.steps.append(Step(ref.entry.type, ref.date, ref.entry))
                if ref.kind == "approve":
                    target.approvals.append((ref.date, ref.value, ref.entry))
            elif ref.kind == "reschedule":
                target.reschedules.append((ref.date, ref.value, ref.entry))
            else:
                target.write_offs.append((ref.date, ref.entry))
        for relief in s.relief:
            app = s.applications.get(relief.application_id) if relief.application_id else None
            if app is not None:
                app.payments.append(Payment(relief.date, relief.amount, relief.entry, "relief",
                                            relief.member_id, relief.account))
        for loan in s.loans.values():
            app = s.applications.get(loan.application_id) if loan.application_id else None
            if app is not None:
                loan.member_id = app.member_id
                app.payments.append(Payment(loan.disbursed_on, loan.principal, loan.disbursement,
                                            "loan", app.member_id, loan.account))
            elif loan.opening:
                loan.member_id = str(loan.member_raw) if loan.member_raw is not None else None
            elif loan.disbursement is not None:
                member = loan.disbursement.meta.get("member")
                loan.member_id = str(member) if member is not None else None
        for app in s.applications.values():
            app.payments.sort(key=lambda p: (p.date, p.entry.meta.get("lineno", 0)))


_POLICY_KEYS = tuple(POLICY_KINDS)


def _within_a_fund(amount: Decimal) -> None:
    """A directive's amount beyond what a fund can hold (more than 15 integer digits of yuan)."""
    if not -MAX_AMOUNT < amount < MAX_AMOUNT:
        raise d.Malformed(f"金额 {amount:f} 超出基金可容纳的范围（元的整数部分至多 15 位）",
                          f"amount beyond what a fund can hold: {amount:f} "
                          "(at most 15 integer digits of yuan)")


def _as_date(value: Any) -> Date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, Date):
        return value
    if isinstance(value, str):
        try:
            return Date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str):
        try:
            return Decimal(str(value).strip().rstrip("%")) / (100 if str(value).strip().endswith("%") else 1)
        except ArithmeticError:
            return None
    return None


def build_state(entries: list[Any], currency: str) -> FundState:
    """The fund's state from beancount entries (sorted as the loader leaves them)."""
    with paused():  # the pass makes no cycles; collections over a large ledger's heap cost ~70%
        return _Builder(currency).run(entries)


def group_by(items, key) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out
