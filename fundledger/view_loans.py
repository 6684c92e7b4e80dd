"""The loan book's derived figures (有偿扶助), computed once from the ``Loan`` records.

``loan_summary`` is the book on a day (outstanding, overdue, PAR30/90, aging, repayment
rate); ``loan_figures`` a year's lending for the notice and the consolidation. Both compare
``date`` objects; ``FundView.loans`` and ``FundView.year`` are how consumers reach them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .money import ZERO
from .state import Loan

Date = datetime.date
RATE = Decimal("0.0001")
AGING = ((1, 30, "1-30"), (31, 90, "31-90"), (91, 180, "91-180"), (181, None, ">180"))


def aging_bucket(days_past_due: int) -> str:
    """The aging bucket of a loan's days past due ('' when not past due)."""
    for low, high, label in AGING:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return label
    return ""


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` to four places, half up (every rate and share); None for x/0."""
    if whole == 0:
        return None
    return (part / whole).quantize(RATE, ROUND_HALF_UP)


def held_on(loans: Iterable[Loan], day: Date) -> list[Loan]:
    """The loans the books hold by the end of ``day`` (opening loans from their opening
    entry), in the order the books took them: date entered, then ID."""
    held = [ln for ln in loans if ln.disbursed_on is not None and ln.disbursed_on <= day]
    held.sort(key=lambda ln: (ln.disbursed_on, ln.id))
    return held


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int = 0
    outstanding: Decimal = ZERO
    share: Decimal | None = None  # of the outstanding balance


@dataclass(frozen=True)
class LoanSummary:
    """The loan book at the end of a day: aging, portfolio at risk, repayment rate."""

    day: Date
    count: int = 0  # loans the books hold by the day
    lent: Decimal = ZERO
    open_count: int = 0  # with a balance
    outstanding: Decimal = ZERO  # of the loans with a balance
    balance: Decimal = ZERO  # every loan's balance (an overpaid one below zero)
    overdue_count: int = 0
    overdue_amount: Decimal = ZERO
    buckets: tuple[Bucket, ...] = ()
    at_risk_30: Decimal = ZERO  # outstanding of loans more than 30 days past due
    at_risk_90: Decimal = ZERO
    fell_due: Decimal = ZERO  # principal due by the day, over the fund's history
    repaid_of_due: Decimal = ZERO  # of which repaid by the day
    rescheduled: int = 0
    written_off_count: int = 0
    written_off: Decimal = ZERO
    by_status: tuple[tuple[str, int], ...] = ()

    @property
    def overdue_share(self) -> Decimal | None:
        """Overdue balance as a share of the outstanding balance."""
        return ratio(self.overdue_amount, self.outstanding)

    @property
    def par30(self) -> Decimal | None:
        return ratio(self.at_risk_30, self.outstanding)

    @property
    def par90(self) -> Decimal | None:
        return ratio(self.at_risk_90, self.outstanding)

    @property
    def repayment_rate(self) -> Decimal | None:
        """Share of the principal due by the day that had been repaid by then."""
        return ratio(self.repaid_of_due, self.fell_due)


def loan_summary(loans: Iterable[Loan], day: Date) -> LoanSummary:
    """The summary of the loans held by the end of ``day``; PAR by outstanding balance."""
    count = open_count = overdue_count = rescheduled = written_off_count = 0
    lent = outstanding = balance_sum = overdue_amount = at_30 = at_90 = ZERO
    fell_due = repaid_of_due = written_off = ZERO
    aging: dict[str, list[Decimal]] = {label: [] for _, _, label in AGING}
    status: dict[str, int] = {}
    for loan in held_on(loans, day):
        balance, state = loan.balance_on(day), loan.status_on(day)
        days, due = loan.days_past_due(day), loan.due_on(day)
        count += 1
        lent += loan.principal
        balance_sum += balance
        status[state] = status.get(state, 0) + 1
        if balance > 0:
            open_count += 1
            outstanding += balance
        if state == "overdue":
            overdue_count += 1
            overdue_amount += balance
        if days > 0:
            aging[aging_bucket(days)].append(balance)
        if days > 30:
            at_30 += balance
        if days > 90:
            at_90 += balance
        if due is not None and due <= day:
            fell_due += loan.principal
            repaid_of_due += loan.repaid_on(day)
        if any(when <= day for when, _, _ in loan.reschedules):
            rescheduled += 1
        gone = loan.written_off_on(day)
        if gone > 0:
            written_off_count += 1
            written_off += gone
    buckets = tuple(Bucket(label, len(v), sum(v, ZERO), ratio(sum(v, ZERO), outstanding))
                    for label, v in aging.items())
    return LoanSummary(day, count, lent, open_count, outstanding, balance_sum, overdue_count,
                       overdue_amount, buckets, at_30, at_90, fell_due, repaid_of_due,
                       rescheduled, written_off_count, written_off, tuple(status.items()))


@dataclass(frozen=True)
class LoanFigures:
    """A year's lending (the notice's 有偿扶助 figures); the book as at the year's end."""

    disbursed_count: int = 0  # opening loans are brought in, never disbursed (SPEC §4)
    disbursed_amount: Decimal = ZERO
    repaid: Decimal = ZERO  # principal repaid during the year
    written_off: Decimal = ZERO  # during the year
    outstanding: Decimal = ZERO  # at year end: every loan's balance (``LoanSummary.balance``)
    overdue_count: int = 0
    overdue_amount: Decimal = ZERO
    fell_due: Decimal = ZERO  # principal due by year end, over the fund's history
    repaid_of_due: Decimal = ZERO  # of which repaid by year end

    @property
    def repayment_rate(self) -> Decimal | None:
        """Share of the principal due by year end that had been repaid by then."""
        return ratio(self.repaid_of_due, self.fell_due)


def loan_figures(loans: Iterable[Loan], year: int, end: Date) -> LoanFigures:
    """``year``'s lending up to the end of ``end`` (its 31 December, or an earlier as-of day)."""
    held = held_on(loans, end)
    count, amount, repaid, gone = 0, ZERO, ZERO, ZERO
    for loan in held:
        if loan.disbursed_on.year == year and not loan.opening:  # type: ignore[union-attr]
            count += 1
            amount += loan.principal
        for move in loan.moves:
            if move.date.year == year and move.date <= end:
                if move.kind == "repay":
                    repaid -= move.amount
                elif move.kind == "write-off":
                    gone -= move.amount
    book = loan_summary(held, end)
    return LoanFigures(count, amount, repaid, gone, book.balance, book.overdue_count,
                       book.overdue_amount, book.fell_due, book.repaid_of_due)
