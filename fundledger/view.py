"""One view of the fund: every figure derived from the state, computed in one place.

``FundView(state)`` (``fund.view``, or ``view_of(state)``) answers the position on a day, a
year's figures, the loan book's summary, each application's status and publicity window and
each member's eligibility. The notice, the reports, the Fava pages, the frames and the
consolidation read it and only format; the plugin's rules read the state itself.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO
from .state import (
    Application,
    FundState,
    Loan,
    Member,
    Payment,
    Position,
    Review,
    Step,
    add_months,
)
from .view_books import Journal, Voucher, journal, known_account, vouchers
from .view_loans import LoanSummary, held_on, loan_summary
from .view_statements import Statements, build_statements
from .view_stats import YearStats, build_stats
from .view_todo import TodoItem, todo
from .view_years import YearFigures, year_figures

Date = datetime.date

# An application's status on a day, one vocabulary everywhere (frames, Fava, i18n ``fv_app_*``):
# rejected once a ``reject`` is recorded; else paid once money was paid on it; else approved
# once an ``approve`` is recorded; else pending (filed, still in its workflow).
STATUSES = ("pending", "approved", "paid", "rejected")


@dataclass(frozen=True)
class Span:
    """The days the books cover: the first entry's day to the last entry's (the one
    definition of the fund's first day)."""

    first: Date
    last: Date

    @classmethod
    def of(cls, days: Iterable[Date]) -> Span | None:
        days = list(days)
        return cls(min(days), max(days)) if days else None

    def until(self, today: Date | None = None) -> Date:
        """The last day a report may stand at: the last entry's, or today if later."""
        return max(self.last, today or Date.today())

    def report_years(self, today: Date | None = None) -> range:
        """The years a report may be asked for (this year too, for one under way)."""
        # year 1 would need the end of year 0 for its start: no date holds it
        return range(max(self.first.year, datetime.MINYEAR + 1), self.until(today).year + 1)

    def years_to(self, as_of: Date) -> list[int]:
        """The years from the first to ``as_of``'s (``[as_of.year]`` before the books begin)."""
        if self.first > as_of:
            return [as_of.year]
        return list(range(self.first.year, as_of.year + 1))

    def year_ends(self, as_of: Date) -> list[tuple[int, Date]]:
        """Each year the books were kept in up to ``as_of``, with the day its figures stand at."""
        if self.first > as_of:
            return []
        return [(y, min(Date(y, 12, 31), as_of))
                for y in range(self.first.year, min(self.last.year, as_of.year) + 1)]


@dataclass(frozen=True)
class Publicity:
    """One publicity period (公示): from the ``publicity`` step for ``publicity-days`` days
    (at least the day itself); objections until its last day; the next step from the day after."""

    published: Date
    objections_until: Date
    next_step_from: Date
    step: Step

    def open_on(self, day: Date) -> bool:
        return self.published <= day <= self.objections_until


@dataclass(frozen=True)
class AppStatus:
    """An application at the end of ``day``: its status (``STATUSES``) and what it still needs.

    The steps required are the policy's on the first payment, or on ``day`` when unpaid."""

    app: Application
    day: Date
    status: str
    steps: tuple[Step, ...]  # recorded by the day
    payments: tuple[Payment, ...]
    required: tuple[str, ...]
    missing: tuple[str, ...]
    approved: Decimal | None  # the latest approved amount
    approved_on: Date | None
    rejected_on: Date | None
    paid: Decimal
    windows: tuple[Publicity, ...]  # one per publicity step recorded by the day

    @property
    def publicity(self) -> Publicity | None:
        """The first publicity period."""
        return self.windows[0] if self.windows else None

    @property
    def open_windows(self) -> tuple[Publicity, ...]:
        """The periods still open for objections at the end of the day (none once rejected)."""
        if self.rejected_on is not None:
            return ()
        return tuple(w for w in self.windows if w.open_on(self.day))

    @property
    def in_publicity(self) -> bool:
        return bool(self.open_windows)


@dataclass(frozen=True)
class Standing:
    """A member at the end of ``day``: eligibility, the latest review and how long it holds,
    and what the member received."""

    member: Member
    day: Date
    why_not: tuple[str, str] | None  # (zh, en), None when eligible
    review: Review | None  # the latest on or before the day
    review_valid_until: Date | None  # the last day the review holds (review-valid-months)
    exited: Date | None  # by the day
    relief: Decimal = ZERO
    relief_count: int = 0
    applications: int = 0
    loans: int = 0
    outstanding: Decimal = ZERO

    @property
    def eligible(self) -> bool:
        return self.why_not is None

    @property
    def tier(self) -> str | None:
        return self.review.tier if self.review else None


class FundView:
    """Every derived figure of one fund state (built once per loaded fund: ``fund.view``)."""

    def __init__(self, state: FundState):
        self.state = state

    # -- position
    @property
    def span(self) -> Span | None:
        first, last = self.state.first_day, self.state.last_day
        return None if first is None or last is None else Span(first, last)

    def position(self, day: Date) -> Position:
        """The position at the end of ``day``."""
        return self.state.position(day)

    def year_start(self, year: int) -> Position:
        """The position the year starts with (SPEC §7), opening entries dated in it included."""
        return self.state.year_start(year)

    def cash_accounts(self, day: Date) -> dict[str, Decimal]:
        """Cash by account at the end of ``day`` (every cash account open by then)."""
        out: dict[str, Decimal] = {}
        for when, account, amount, _ in self.state.cash_moves:
            if when > day:
                break
            out[account] = out.get(account, ZERO) + amount
        for name, info in self.state.accounts.items():
            if info.role is not None and info.role.value == "cash" and info.open_entry is not None \
                    and info.open_entry.date <= day:
                out.setdefault(name, ZERO)
        return dict(sorted(out.items()))

    # -- years
    def year(self, year: int, through: Date | None = None) -> YearFigures:
        """``year``'s figures, to its end or to the end of ``through`` if sooner."""
        found = year_figures(self.state, [year], through)
        return found.get(year) or YearFigures(year, Date(year, 1, 1))

    def years(self, years: Iterable[int], through: Date | None = None) -> dict[int, YearFigures]:
        """Several years' figures in one pass (a year after ``through`` is left out)."""
        return year_figures(self.state, years, through)

    def relief_received(self, year: int) -> dict[tuple[str, str], Decimal]:
        """Relief paid in ``year`` by member and relief account (the notice's 党内 list)."""
        out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for r in self.state.relief:
            if r.date.year == year and r.member_id:
                out[(r.member_id, r.account)] += r.amount
        return dict(out)

    def statements(self, year: int) -> Statements:
        """``year``'s financial statements (SPEC §10), their identities checked."""
        return build_statements(self, year)

    def stats(self, year: int) -> YearStats:
        """``year``'s statistics table by branch (SPEC §6 ``stats``)."""
        return build_stats(self, year)

    # -- loans
    def book(self, day: Date) -> list[Loan]:
        """The loans the books hold by the end of ``day``, in the order they took them."""
        return held_on(self.state.loans.values(), day)

    def loans(self, day: Date) -> LoanSummary:
        return loan_summary(self.state.loans.values(), day)

    def loans_in_year(self, year: int, day: Date) -> list[Loan]:
        """The loans held at ``day`` (in ``year``) that were not settled before the year began."""
        start = Date(year, 1, 1)
        return [ln for ln in self.book(day) if ln.disbursed_on >= start  # type: ignore[operator]
                or ln.balance_on(start - datetime.timedelta(1)) > 0]

    # -- applications
    def application(self, app: Application | str, day: Date) -> AppStatus:
        s = self.state
        app = s.applications[app] if isinstance(app, str) else app
        steps = tuple(x for x in app.steps if x.date <= day)
        payments = tuple(p for p in app.payments if p.date <= day)
        required = tuple(s.policy_at(payments[0].date if payments else day).steps(app.kind))
        approvals = [(when, amount) for when, amount, _ in app.approvals if when <= day]
        rejected = app.rejected()
        rejected_on = rejected.date if rejected is not None and rejected.date <= day else None
        paid = sum((p.amount for p in payments), ZERO)
        status = ("rejected" if rejected_on is not None else "paid" if paid > 0 else
                  "approved" if approvals else "pending")
        done = {x.name for x in steps}
        missing = () if rejected_on is not None else tuple(r for r in required if r not in done)
        windows = tuple(self._window(x) for x in steps if x.name == "publicity")
        return AppStatus(app, day, status, steps, payments, required, missing,
                         approvals[-1][1] if approvals else None,
                         approvals[-1][0] if approvals else None, rejected_on, paid, windows)

    def _window(self, step: Step) -> Publicity:
        days = self.state.policy_at(step.date).publicity_days
        return Publicity(step.date, step.date + datetime.timedelta(days=max(days, 1) - 1),
                         step.date + datetime.timedelta(days=days), step)

    def applications(self, day: Date) -> list[AppStatus]:
        """Every application filed by the end of ``day``, by date filed, then ID."""
        apps = sorted((a for a in self.state.applications.values() if a.date <= day),
                      key=lambda a: (a.date, a.id))
        return [self.application(a, day) for a in apps]

    def in_publicity(self, day: Date) -> list[tuple[AppStatus, Publicity]]:
        """Each publicity period open at the end of ``day``, by publication day, then ID."""
        found = [(st, w) for st in self.applications(day) for w in st.open_windows]
        found.sort(key=lambda x: (x[1].published, x[0].app.id))
        return found

    # -- members
    def member(self, member: Member | str, day: Date) -> Standing:
        member = self.state.members[member] if isinstance(member, str) else member
        return self._standings([member], day)[0]

    def members(self, day: Date) -> list[Standing]:
        """Every member registered by the end of ``day``, by ID."""
        return self._standings(sorted((m for m in self.state.members.values()
                                       if m.registered <= day), key=lambda m: m.id), day)

    def _standings(self, members: list[Member], day: Date) -> list[Standing]:
        s, wanted = self.state, {m.id for m in members}
        valid = s.policy_at(day).review_valid_months
        relief: dict[str, list[Decimal]] = defaultdict(list)
        for r in s.relief:
            if r.date <= day and r.member_id in wanted:
                relief[r.member_id].append(r.amount)  # type: ignore[index]
        apps: dict[str, int] = defaultdict(int)
        for app in s.applications.values():
            if app.date <= day and app.member_id in wanted:
                apps[app.member_id] += 1
        loans: dict[str, list[Decimal]] = defaultdict(list)
        for loan in self.book(day):
            if loan.member_id in wanted:
                loans[loan.member_id].append(loan.balance_on(day))  # type: ignore[index]
        out = []
        for m in members:
            review = m.review_on(day)
            out.append(Standing(
                m, day, m.ineligibility(day, valid), review,
                add_months(review.date, valid) if review else None,
                m.exited if m.exited is not None and m.exited <= day else None,
                sum(relief[m.id], ZERO), len(relief[m.id]), apps[m.id], len(loans[m.id]),
                sum(loans[m.id], ZERO)))
        return out

    # -- books (记账凭证, 日记账/明细账: view_books)
    def vouchers(self, year: int, month: int, names: bool = False) -> list[Voucher]:
        """The month's vouchers, one per transaction, in date and then file order."""
        return vouchers(self.state, year, month, names)

    def journal(self, account: str, year: int) -> Journal | None:
        """``account``'s journal for ``year`` (None when the ledger has no such account)."""
        if not known_account(self.state, account):
            return None
        return journal(self.state, account, year)

    # -- the to-do list (待办, SPEC §6 todo)
    def todo(self, as_of: Date, within: int = 30) -> list[TodoItem]:
        """Loans overdue and falling due, reviews running out, publicity periods ending and
        follow-ups due at the end of ``as_of``, ``within`` days ahead (``view_todo``)."""
        return todo(self, as_of, within)


def view_of(state: FundState) -> FundView:
    """The view of ``state`` (kept with the state, so that every consumer shares one)."""
    view = state.__dict__.get("_fundledger_view")
    if view is None or view.state is not state:
        view = state.__dict__["_fundledger_view"] = FundView(state)
    return view
