"""A year's figures: what the fund raised and brought forward, and how it used the money.

One pass over the state's records files each under its year (``year_figures``); the notice,
the Fava position page and the consolidation's ``years`` table read these through
``FundView.year`` / ``FundView.years`` and only format them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .accounts import is_interest
from .money import ZERO
from .state import FundState
from .view_loans import LoanFigures, loan_figures

Date = datetime.date


@dataclass(frozen=True)
class YearFigures:
    """What a year raised and used, up to the end of ``end`` (its 31 December, or an
    earlier as-of day for the year under way)."""

    year: int
    end: Date
    by_source: dict[str, Decimal] = field(default_factory=dict)  # opening entries left out
    brought_forward: Decimal = ZERO  # the opening entries dated in the year (上年结转/期初)
    relief: dict[str, Decimal] = field(default_factory=dict)  # by relief account
    relief_members_by_account: dict[str, int] = field(default_factory=dict)
    relief_members: int = 0  # members helped, each once
    interest: Decimal = ZERO  # raised from ``Income:Interest`` and below
    fees: Decimal = ZERO
    released: Decimal = ZERO  # principal released to the spendable pool
    losses: Decimal = ZERO  # loans written off, as booked to the loss accounts
    donors: int = 0
    campaigns: dict[str, Decimal] = field(default_factory=dict)
    loans: LoanFigures = field(default_factory=LoanFigures)

    @property
    def raised(self) -> dict[str, Decimal]:
        """Money raised by source account (an account whose year nets to zero left out)."""
        return {a: v for a, v in self.by_source.items() if v != 0}

    @property
    def raised_total(self) -> Decimal:
        return sum(self.by_source.values(), ZERO)

    @property
    def relief_total(self) -> Decimal:
        return sum(self.relief.values(), ZERO)


class _Year:
    """A year's running sums while the records are read."""

    def __init__(self) -> None:
        self.raised: dict[str, Decimal] = defaultdict(Decimal)
        self.donors: set[str] = set()
        self.campaigns: dict[str, Decimal] = defaultdict(Decimal)
        self.relief: dict[str, Decimal] = defaultdict(Decimal)
        self.helped: dict[str, set[str]] = defaultdict(set)
        self.interest = self.fees = self.released = self.losses = ZERO


def year_figures(state: FundState, years: Iterable[int], through: Date | None = None
                 ) -> dict[int, YearFigures]:
    """Each of ``years``' figures, each year up to the end of its 31 December or of
    ``through``, whichever is sooner (a year after ``through`` is left out)."""
    ends = {y: Date(y, 12, 31) if through is None else min(Date(y, 12, 31), through)
            for y in years}
    ends = {y: end for y, end in ends.items() if end.year == y}
    acc = {y: _Year() for y in ends}

    def year_of(day: Date) -> _Year | None:
        found = acc.get(day.year)
        return found if found is not None and day <= ends[day.year] else None

    for inflow in state.inflows:
        a = year_of(inflow.date)
        if a is None or inflow.opening:  # brought forward, never raised; no donor (SPEC §1, §7)
            continue
        a.raised[inflow.account] += inflow.amount
        if is_interest(inflow.account):
            a.interest += inflow.amount
        elif inflow.donor:
            a.donors.add(inflow.donor)
        if inflow.campaign:
            a.campaigns[inflow.campaign] += inflow.amount
    for r in state.relief:
        a = year_of(r.date)
        if a is not None:
            a.relief[r.account] += r.amount
            if r.member_id:
                a.helped[r.account].add(r.member_id)
    for day, _, amount, _ in state.fees:
        if (a := year_of(day)) is not None:
            a.fees += amount
    for day, amount, _ in state.releases:
        if (a := year_of(day)) is not None:
            a.released += amount
    for day, _, amount, _ in state.losses:
        if (a := year_of(day)) is not None:
            a.losses += amount
    loans = list(state.loans.values())
    out = {}
    for y, a in acc.items():
        opened = state.brought_in(Date(y, 1, 1), ends[y])
        relief = dict(sorted(a.relief.items()))
        out[y] = YearFigures(
            y, ends[y], dict(sorted(a.raised.items())), opened.principal + opened.spendable,
            relief, {k: len(a.helped[k]) for k in relief},
            len(set().union(*a.helped.values())), a.interest, a.fees, a.released, a.losses,
            len(a.donors), dict(sorted(a.campaigns.items())), loan_figures(loans, y, ends[y]))
    return out
