"""What the Fava pages show, as plain data read from the fund's one view (no Flask, no Fava).

Every figure comes from ``fundledger.view`` (``FundView``: positions, year figures, the loan
summary, application statuses and publicity periods, member standings) and the rows the
command line uses (``reports.loan_book``, ``reports.publicity_list``); this module only
arranges them for display. Names are always masked here: full names never leave this module.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..masking import mask_name
from ..money import ZERO
from ..reports import loan_book, publicity_list
from ..state import Application, FundState, Position
from ..view import view_of
from ..view_loans import LoanSummary

Date = datetime.date


def month_end(day: Date) -> Date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def years(state: FundState, as_of: Date) -> list[int]:
    """The years from the books' first to ``as_of``'s (``FundView.span``)."""
    span = view_of(state).span
    return [as_of.year] if span is None else span.years_to(as_of)


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
        """Each year's money raised (``YearFigures.raised_total``), for the years with a source."""
        shown = {y for row in self.sources for y in row.by_year}
        return {y.year: y.raised for y in self.years if y.year in shown}


def position_page(state: FundState, as_of: Date) -> PositionPage:
    view = view_of(state)
    span = years(state, as_of)
    figures = view.years(span, as_of)
    rows, sources = [], {}
    for y in span:
        day = min(Date(y, 12, 31), as_of)
        fig = figures[y]
        rows.append(YearRow(y, day, Date(y, 12, 31) <= as_of, view.position(day),
                            fig.raised_total, fig.relief_total, fig.interest, fig.fees,
                            fig.released, fig.loans.disbursed_amount, fig.losses))
        for account, amount in fig.by_source.items():
            src = sources.get(account)
            if src is None:
                info = state.accounts.get(account)
                src = sources[account] = SourceRow(account, state.account_label(account),
                                                   str(info.pool if info else None))
            src.by_year[y] = amount
    months = []
    first = view.span.first if view.span else None
    if first is not None and first <= as_of:
        day = month_end(first)
        while day < as_of:
            months.append((day, view.position(day)))
            day = month_end(day + datetime.timedelta(days=1))
        months.append((as_of, view.position(as_of)))
    labels = [(a, state.account_label(a), v) for a, v in view.cash_accounts(as_of).items()]
    return PositionPage(as_of, view.position(as_of), labels, rows,
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
    return LoanPage(as_of, rows, view_of(state).loans(as_of), rescheduled, written)


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
    return [MemberRow(st.member.id, mask_name(st.member.name), st.member.branch,
                      st.member.category, st.member.registered, st.tier,
                      st.review.date if st.review else None, st.eligible, st.why_not, st.exited,
                      st.relief, st.relief_count, st.applications, st.loans, st.outstanding)
            for st in view_of(state).members(as_of)]


# ---------------------------------------------------------------- applications

@dataclass
class AppRow:
    app: Application
    name: str  # masked
    branch: str
    steps: list[Any]  # state.Step, done by the day
    required: tuple[str, ...]
    missing: list[str]
    status: str  # view.STATUSES: pending, approved, paid, rejected
    approved: Decimal | None
    paid: Decimal
    publicity: tuple[Date, Date, Date] | None  # published, last day for objections, next step from
    in_publicity: bool
    payments: list[Any]


def app_rows(state: FundState, as_of: Date) -> list[AppRow]:
    """Every application filed by ``as_of``, with its steps and what the policy still needs
    (``FundView.application``: the steps required are the policy's on the first payment, or
    on the day shown for an application not yet paid; docs/RULES.md)."""
    rows = []
    for st in view_of(state).applications(as_of):
        member = state.members.get(st.app.member_id)
        pub = st.publicity
        rows.append(AppRow(
            st.app, mask_name(member.name) if member else "*", member.branch if member else "",
            list(st.steps), st.required, list(st.missing), st.status, st.approved, st.paid,
            (pub.published, pub.objections_until, pub.next_step_from) if pub else None,
            st.in_publicity, list(st.payments)))
    return rows


def in_publicity(state: FundState, as_of: Date) -> list[dict[str, Any]]:
    """``reports.publicity_list``: the 公示 list, names masked."""
    return publicity_list(state, as_of)
