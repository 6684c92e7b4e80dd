"""What the Fava pages show, as plain data read from the one fund state (no Flask, no Fava).

Every figure comes from ``FundState`` and the functions the command line and the notice
use (``reports.loan_book``, ``reports.member_register``, ``reports.publicity_list``,
``reports.cash_by_account``, ``FundState.position``); this module only groups and sums those
rows for display. Names are always masked here: full names never leave this module.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..masking import mask_name
from ..money import ZERO
from ..reports import AGING, cash_by_account, loan_book, publicity_list
from ..state import Application, FundState, Position

Date = datetime.date
RATE = Decimal("0.0001")

def first_day(state: FundState) -> Date | None:
    """The day money first moved (or the first registration, for a fund without money)."""
    days = [state.cash_moves[0][0]] if state.cash_moves else []
    days += [m.registered for m in state.members.values()]
    return min(days) if days else None


def month_end(day: Date) -> Date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def years(state: FundState, as_of: Date) -> list[int]:
    start = first_day(state)
    if start is None or start > as_of:
        return [as_of.year]
    return list(range(start.year, as_of.year + 1))


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` to four places, half up (as the notice's repayment rate); None for 0/0."""
    if whole == 0:
        return None
    return (part / whole).quantize(RATE, ROUND_HALF_UP)


# ---------------------------------------------------------------- fund position

@dataclass
class YearRow:
    year: int
    day: Date  # year end, or the as-of day for the current year
    complete: bool
    position: Position
    raised: Decimal = ZERO
    relief: Decimal = ZERO
    interest: Decimal = ZERO
    fees: Decimal = ZERO
    released: Decimal = ZERO
    lent: Decimal = ZERO
    losses: Decimal = ZERO


@dataclass
class SourceRow:
    account: str
    label: str
    pool: str
    by_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), ZERO)


@dataclass
class PositionPage:
    as_of: Date
    position: Position
    cash_accounts: list[tuple[str, str, Decimal]]
    years: list[YearRow]
    sources: list[SourceRow]
    months: list[tuple[Date, Position]]

    @property
    def year_numbers(self) -> list[int]:
        return [y.year for y in self.years]

    @property
    def source_totals(self) -> dict[int, Decimal]:
        out: dict[int, Decimal] = defaultdict(Decimal)
        for row in self.sources:
            for year, amount in row.by_year.items():
                out[year] += amount
        return dict(out)


def position_page(state: FundState, as_of: Date) -> PositionPage:
    span = years(state, as_of)
    rows = {y: YearRow(y, min(Date(y, 12, 31), as_of), Date(y, 12, 31) <= as_of,
                       state.position(min(Date(y, 12, 31), as_of))) for y in span}
    sources: dict[str, SourceRow] = {}
    for inflow in state.inflows:
        if inflow.date > as_of or inflow.date.year not in rows:
            continue
        if inflow.opening:  # brought forward (期初), never money raised
            continue
        row = rows[inflow.date.year]
        row.raised += inflow.amount
        if inflow.account.startswith("Income:Interest"):
            row.interest += inflow.amount
        src = sources.get(inflow.account)
        if src is None:
            src = sources[inflow.account] = SourceRow(
                inflow.account, state.account_label(inflow.account), str(inflow.pool))
        src.by_year[inflow.date.year] = src.by_year.get(inflow.date.year, ZERO) + inflow.amount
    for relief in state.relief:
        if relief.date <= as_of and relief.date.year in rows:
            rows[relief.date.year].relief += relief.amount
    for day, _, amount, _ in state.fees:
        if day <= as_of and day.year in rows:
            rows[day.year].fees += amount
    for day, amount, _ in state.releases:
        if day <= as_of and day.year in rows:
            rows[day.year].released += amount
    for day, _, amount, _ in state.losses:
        if day <= as_of and day.year in rows:
            rows[day.year].losses += amount
    for loan in state.loans.values():  # an opening loan is brought forward, not lent (§4)
        if loan.disbursed_on and loan.disbursed_on <= as_of and loan.disbursed_on.year in rows \
                and not loan.opening:
            rows[loan.disbursed_on.year].lent += loan.principal
    months = []
    start = first_day(state)
    if start is not None and start <= as_of:
        day = month_end(start)
        while day < as_of:
            months.append((day, state.position(day)))
            day = month_end(day + datetime.timedelta(days=1))
        months.append((as_of, state.position(as_of)))
    labels = [(a, state.account_label(a), v) for a, v in cash_by_account(state, as_of).items()]
    return PositionPage(as_of, state.position(as_of), labels, [rows[y] for y in span],
                        sorted(sources.values(), key=lambda s: (s.pool, -s.total, s.account)),
                        months)


def chart_data(page: PositionPage, names: dict[str, str]) -> list[dict[str, Any]]:
    """Month-end positions as one Fava line chart (``<svelte-component type="charts">``)."""
    keys = ("cash", "loans_outstanding", "principal", "spendable")
    return [{
        "type": "balances",
        "label": names["chart"],
        "data": [{"date": day.isoformat(),
                  "balance": {names[k]: float(getattr(pos, k)) for k in keys}}
                 for day, pos in page.months],
    }]


# ---------------------------------------------------------------- loan book

@dataclass
class Bucket:
    label: str
    count: int = 0
    outstanding: Decimal = ZERO
    share: Decimal | None = None


@dataclass
class LoanSummary:
    """The loan book at a glance: aging, portfolio at risk, repayment rate (as of a day)."""

    count: int = 0  # loans disbursed by the day
    lent: Decimal = ZERO
    open_count: int = 0  # with a balance
    outstanding: Decimal = ZERO
    overdue_count: int = 0
    overdue_amount: Decimal = ZERO
    buckets: list[Bucket] = field(default_factory=list)
    at_risk_30: Decimal = ZERO  # outstanding of loans more than 30 days past due
    at_risk_90: Decimal = ZERO
    fell_due: Decimal = ZERO  # principal due by the day, over the fund's history
    repaid_of_due: Decimal = ZERO
    rescheduled: int = 0
    written_off_count: int = 0
    written_off: Decimal = ZERO
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def par30(self) -> Decimal | None:
        return ratio(self.at_risk_30, self.outstanding)

    @property
    def par90(self) -> Decimal | None:
        return ratio(self.at_risk_90, self.outstanding)

    @property
    def repayment_rate(self) -> Decimal | None:
        """Share of the principal due by the day that had been repaid by then (as the notice)."""
        return ratio(self.repaid_of_due, self.fell_due)


def loan_summary(rows: list[dict[str, Any]], as_of: Date) -> LoanSummary:
    """Sums over ``reports.loan_book`` rows as of ``as_of``; PAR by outstanding balance."""
    out = LoanSummary(buckets=[Bucket(label) for _, _, label in AGING])
    by_label = {b.label: b for b in out.buckets}
    status: dict[str, int] = defaultdict(int)
    for row in rows:
        amount, balance = Decimal(row["amount"]), Decimal(row["outstanding"])
        days = row["days_past_due"]
        out.count += 1
        out.lent += amount
        status[row["status"]] += 1
        if balance > 0:
            out.open_count += 1
            out.outstanding += balance
        if row["status"] == "overdue":
            out.overdue_count += 1
            out.overdue_amount += balance
        if row["aging"]:
            bucket = by_label[row["aging"]]
            bucket.count += 1
            bucket.outstanding += balance
        if days > 30:
            out.at_risk_30 += balance
        if days > 90:
            out.at_risk_90 += balance
        if row["due"] is not None and row["due"] <= as_of.isoformat():
            out.fell_due += amount
            out.repaid_of_due += Decimal(row["repaid"])
        if row["rescheduled"]:
            out.rescheduled += 1
        if Decimal(row["written_off"]) > 0:
            out.written_off_count += 1
            out.written_off += Decimal(row["written_off"])
    for bucket in out.buckets:
        bucket.share = ratio(bucket.outstanding, out.outstanding)
    out.by_status = dict(status)
    return out


@dataclass
class LoanPage:
    as_of: Date
    rows: list[dict[str, Any]]  # reports.loan_row, + entry and original_due
    summary: LoanSummary
    rescheduled: list[dict[str, Any]]
    written_off: list[dict[str, Any]]


def loan_page(state: FundState, as_of: Date) -> LoanPage:
    rows = loan_book(state, as_of)  # guarantors as privacy.guarantor_shown
    rescheduled, written = [], []
    for row in rows:
        loan = state.loans[row["id"]]
        row["entry"] = loan.disbursement
        row["original_due"] = loan.due.isoformat() if loan.due else None
        for when, new_due, entry in loan.reschedules:
            if when <= as_of:
                rescheduled.append({"row": row, "date": when, "due": new_due,
                                    "minutes": entry.meta.get("minutes"), "entry": entry})
        for when, entry in loan.write_offs:
            if when <= as_of:
                written.append({"row": row, "date": when, "minutes": entry.meta.get("minutes"),
                                "entry": entry})
    return LoanPage(as_of, rows, loan_summary(rows, as_of), rescheduled, written)


# ---------------------------------------------------------------- members

@dataclass
class MemberRow:
    id: str
    name: str  # masked
    branch: str
    category: str | None
    registered: Date
    tier: str | None
    last_review: Date | None
    eligible: bool
    why_not: tuple[str, str] | None
    exited: Date | None
    relief: Decimal
    relief_count: int
    applications: int
    loans: int
    outstanding: Decimal


def member_rows(state: FundState, as_of: Date) -> list[MemberRow]:
    """The register (台帐) at the end of ``as_of``: every member registered by then."""
    valid_months = state.policy_at(as_of).review_valid_months
    relief: dict[str, list[Decimal]] = defaultdict(list)
    for r in state.relief:
        if r.date <= as_of and r.member_id:
            relief[r.member_id].append(r.amount)
    apps: dict[str, int] = defaultdict(int)
    for app in state.applications.values():
        if app.date <= as_of:
            apps[app.member_id] += 1
    loans: dict[str, list[Decimal]] = defaultdict(list)
    for loan in state.loans.values():
        if loan.member_id and loan.disbursed_on and loan.disbursed_on <= as_of:
            loans[loan.member_id].append(loan.balance_on(as_of))
    rows = []
    for member in sorted(state.members.values(), key=lambda m: m.id):
        if member.registered > as_of:
            continue
        review = member.review_on(as_of)
        why = member.ineligibility(as_of, valid_months)
        exited = member.exited if member.exited and member.exited <= as_of else None
        rows.append(MemberRow(
            member.id, mask_name(member.name), member.branch, member.category, member.registered,
            review.tier if review else None, review.date if review else None, why is None, why,
            exited, sum(relief[member.id], ZERO), len(relief[member.id]), apps[member.id],
            len(loans[member.id]), sum(loans[member.id], ZERO)))
    return rows


# ---------------------------------------------------------------- applications

@dataclass
class AppRow:
    app: Application
    name: str  # masked
    branch: str
    steps: list[Any]  # state.Step, done by the day
    required: tuple[str, ...]
    missing: list[str]
    status: str  # rejected, paid, approved, in-progress
    approved: Decimal | None
    paid: Decimal
    publicity: tuple[Date, Date, Date] | None  # published, last day for objections, next step from
    in_publicity: bool
    payments: list[Any]


def app_rows(state: FundState, as_of: Date) -> list[AppRow]:
    """Every application filed by ``as_of``, with its steps and what the policy still needs.

    The steps required are the policy's on the first payment (docs/RULES.md), or on the day
    shown for an application not yet paid.
    """
    rows = []
    for app in sorted(state.applications.values(), key=lambda a: (a.date, a.id)):
        if app.date > as_of:
            continue
        steps = [s for s in app.steps if s.date <= as_of]
        payments = [p for p in app.payments if p.date <= as_of]
        policy = state.policy_at(payments[0].date if payments else as_of)
        required = policy.steps(app.kind)
        done = {s.name for s in steps}
        rejected = any(s.name == "reject" for s in steps)
        approved = app.approved_on(as_of)
        if rejected:
            status = "rejected"
        elif payments:
            status = "paid"
        elif approved is not None:
            status = "approved"
        else:
            status = "in-progress"
        missing = [] if rejected else [s for s in required if s not in done]
        publicity = None
        pub = next((s for s in steps if s.name == "publicity"), None)
        if pub is not None:
            days = state.policy_at(pub.date).publicity_days
            publicity = (pub.date, pub.date + datetime.timedelta(days=max(days, 1) - 1),
                         pub.date + datetime.timedelta(days=days))
        member = state.members.get(app.member_id)
        rows.append(AppRow(
            app, mask_name(member.name) if member else "*", member.branch if member else "",
            steps, required, missing, status, approved, sum((p.amount for p in payments), ZERO),
            publicity, bool(publicity and not rejected and publicity[0] <= as_of <= publicity[1]),
            payments))
    return rows


def in_publicity(state: FundState, as_of: Date) -> list[dict[str, Any]]:
    """``reports.publicity_list``: the 公示 list, names masked."""
    return publicity_list(state, as_of)
