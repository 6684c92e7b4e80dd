"""The year-end statistics table (慰问帮扶统计情况表, SPEC §6 ``stats``; seed 004), by branch
and in total, from the view's member standings, relief by member, loan book and year figures.

A member's branch is the ``branch:`` of their ``member`` directive; relief or a loan whose
member is not registered goes to a row with no branch, so the branches always add up to the
total, and the total equals the year's figures (the notice's relief and lending). Both are
checked on every build (``StatsError``).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .accounts import under
from .money import ZERO
from .view_years import YearFigures

if TYPE_CHECKING:
    from .view import FundView

Date = datetime.date
VISITS = "Expenses:Relief:Visits"
UNREVIEWED = "unreviewed"  # a member with no review by the year's end (``tiers`` key)
UNCATEGORISED = "unspecified"  # a member without ``category:`` (``categories`` key)


class StatsError(ValueError):
    """The branch rows do not add up to the year's figures."""


@dataclass
class StatsRow:
    """One row: a branch (``None``: relief or loans of no registered member), or the total."""

    branch: str | None
    members: int = 0  # registered and not exited at the end of the year
    tiers: dict[str, int] = field(default_factory=dict)  # those members by latest tier
    categories: dict[str, int] = field(default_factory=dict)  # …and by ``category:``
    registered: int = 0  # during the year
    exited: int = 0  # during the year
    helped: int = 0  # distinct members paid relief in the year
    visits: int = 0  # relief postings to Expenses:Relief:Visits and below in the year
    relief: dict[str, Decimal] = field(default_factory=dict)  # by relief account
    loans_disbursed: int = 0  # in the year; an opening loan is not a disbursement (SPEC §4)
    loans_outstanding: Decimal = ZERO  # every loan's balance at the year's end
    loans_overdue: int = 0  # at the year's end

    @property
    def relief_total(self) -> Decimal:
        return sum(self.relief.values(), ZERO)


@dataclass(frozen=True)
class YearStats:
    year: int
    branches: list[StatsRow]
    total: StatsRow


def build_stats(view: FundView, year: int) -> YearStats:
    """``year``'s statistics table; raises ``StatsError`` if the rows miss the year's figures."""
    state, end = view.state, Date(year, 12, 31)
    rows: dict[str | None, StatsRow] = {}

    def row(member_id: str | None) -> StatsRow:
        member = state.members.get(member_id) if member_id else None
        branch = member.branch if member is not None else None
        if branch not in rows:
            rows[branch] = StatsRow(branch)
        return rows[branch]

    for st in view.members(end):
        r, m = row(st.member.id), st.member
        if m.registered.year == year:
            r.registered += 1
        if st.exited is not None:
            r.exited += st.exited.year == year
            continue
        r.members += 1
        tier = st.tier or UNREVIEWED
        r.tiers[tier] = r.tiers.get(tier, 0) + 1
        category = m.category or UNCATEGORISED
        r.categories[category] = r.categories.get(category, 0) + 1
    figures = view.year(year)
    received = view.relief_received(year)
    helped: dict[str | None, set[str]] = defaultdict(set)
    attributed: dict[str, Decimal] = defaultdict(Decimal)
    for (member_id, account), amount in received.items():
        r = row(member_id)
        r.relief[account] = r.relief.get(account, ZERO) + amount
        helped[r.branch].add(member_id)
        attributed[account] += amount
    for account, amount in figures.relief.items():  # relief naming no member
        if amount != attributed[account]:
            r = row(None)
            r.relief[account] = r.relief.get(account, ZERO) + amount - attributed[account]
    for branch, ids in helped.items():
        rows[branch].helped = len(ids)
    visits = Counter(r.member_id for r in state.relief
                     if r.date.year == year and under(r.account, VISITS))
    for member_id, n in visits.items():
        row(member_id).visits += n
    for loan in view.book(end):
        r = row(loan.member_id)
        if loan.disbursed_on.year == year and not loan.opening:  # type: ignore[union-attr]
            r.loans_disbursed += 1
        r.loans_outstanding += loan.balance_on(end)
        r.loans_overdue += loan.status_on(end) == "overdue"
    branches = [rows[b] for b in sorted(rows, key=lambda b: (b is None, b or ""))]
    for r in branches:
        r.relief = dict(sorted(r.relief.items()))
        r.tiers = dict(sorted(r.tiers.items()))
        r.categories = dict(sorted(r.categories.items()))
    total = _total(branches)
    _check(year, total, figures, sum(visits.values()))
    return YearStats(year, branches, total)


def _total(branches: list[StatsRow]) -> StatsRow:
    total = StatsRow(None)
    for r in branches:
        for name in ("members", "registered", "exited", "helped", "visits", "loans_disbursed",
                     "loans_outstanding", "loans_overdue"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        for attr in ("tiers", "categories", "relief"):
            mine, theirs = getattr(total, attr), getattr(r, attr)
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
    total.tiers = dict(sorted(total.tiers.items()))
    total.categories = dict(sorted(total.categories.items()))
    total.relief = dict(sorted(total.relief.items()))
    return total


def _check(year: int, total: StatsRow, figures: YearFigures, visits: int) -> None:
    """The total row is the year's figures: what the notice reports for the same year."""
    expected = {
        "helped": figures.relief_members, "relief_total": figures.relief_total,
        "loans_disbursed": figures.loans.disbursed_count,
        "loans_outstanding": figures.loans.outstanding,
        "loans_overdue": figures.loans.overdue_count, "visits": visits,
    }
    found = {"helped": total.helped, "relief_total": total.relief_total,
             "loans_disbursed": total.loans_disbursed,
             "loans_outstanding": total.loans_outstanding, "loans_overdue": total.loans_overdue,
             "visits": total.visits}
    wrong = [f"{k}: {found[k]} ≠ {v}" for k, v in expected.items() if found[k] != v]
    if {a: v for a, v in total.relief.items() if v} != {a: v for a, v in figures.relief.items() if v}:
        wrong.append("relief by account")
    if wrong:
        raise StatsError(f"{year} 年统计表合计与年度数据不符 (the statistics table's total "
                         f"differs from the year's figures): " + "; ".join(wrong))
