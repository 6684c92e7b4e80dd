"""A year's financial statements (SPEC §10, 民间非营利组织会计制度): the balance sheet at the
start and end of the year and the statement of activities, built from the view's position
and year figures; the principal pool is restricted net assets (限定性净资产), the spendable
pool unrestricted (非限定性净资产), a ``release`` the transfer between them.

Both identities are checked on every build (assets = net assets on each sheet; start +
change = end for each net asset); a failure raises ``StatementsError``, never a statement
that does not add up. docs/STATEMENTS.md shows the layout.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .accounts import Pool, default_pool
from .money import ZERO, fmt
from .state import Position

if TYPE_CHECKING:
    from .view import FundView

Date = datetime.date


class StatementsError(ValueError):
    """The statements do not add up: the books hold money outside the fund's pools."""


@dataclass(frozen=True)
class BalanceSheet:
    """资产负债表 on one day. A fund has no liabilities: assets = net assets."""

    cash: Decimal = ZERO  # 货币资金
    loans: Decimal = ZERO  # 借出款项 (every loan's balance)
    restricted: Decimal = ZERO  # 限定性净资产: the principal pool
    unrestricted: Decimal = ZERO  # 非限定性净资产: the spendable pool

    @classmethod
    def of(cls, pos: Position) -> BalanceSheet:
        return cls(pos.cash, pos.loans_outstanding, pos.principal, pos.spendable)

    @property
    def total_assets(self) -> Decimal:
        return self.cash + self.loans

    @property
    def total_net_assets(self) -> Decimal:
        return self.restricted + self.unrestricted


@dataclass(frozen=True)
class Split:
    """An amount in the two columns of the statement of activities."""

    restricted: Decimal = ZERO
    unrestricted: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.restricted + self.unrestricted


@dataclass(frozen=True)
class Statements:
    """A year's statements. Relief and fees are unrestricted expenses (paid from the spendable
    pool), losses restricted (written off the principal); the release moves restricted →
    unrestricted."""

    year: int
    start: BalanceSheet  # the year's start, its opening entries included (SPEC §7)
    end: BalanceSheet  # the end of 31 December
    income: dict[str, Split]  # by source account, opening entries left out
    relief: Decimal
    fees: Decimal
    losses: Decimal
    release: Decimal
    labels: dict[str, str]  # source account -> its Chinese name

    @property
    def income_total(self) -> Split:
        return Split(sum((s.restricted for s in self.income.values()), ZERO),
                     sum((s.unrestricted for s in self.income.values()), ZERO))

    @property
    def expenses(self) -> Split:
        """费用合计: relief and fees unrestricted, losses restricted."""
        return Split(self.losses, self.relief + self.fees)

    @property
    def change(self) -> Split:
        """净资产变动额: restricted income − losses − release; unrestricted income + release −
        relief − fees."""
        income = self.income_total
        return Split(income.restricted - self.losses - self.release,
                     income.unrestricted + self.release - self.relief - self.fees)


def build_statements(view: FundView, year: int) -> Statements:
    """``year``'s statements from the view; raises ``StatementsError`` when they do not add up."""
    state, figures = view.state, view.year(year)
    income = {}
    for account, amount in figures.raised.items():
        info = state.accounts.get(account)
        pool = info.pool if info is not None and info.pool is not None else default_pool(account)
        income[account] = (Split(amount, ZERO) if pool is Pool.PRINCIPAL else Split(ZERO, amount))
    found = Statements(
        year, BalanceSheet.of(view.year_start(year)),
        BalanceSheet.of(view.position(Date(year, 12, 31))), income,
        figures.relief_total, figures.fees, figures.losses, figures.released,
        {a: state.account_label(a) for a in income})
    check(found)
    return found


def check(st: Statements) -> None:
    """Both identities of SPEC §10, or ``StatementsError`` naming the figures that differ."""
    problems = []
    for when, sheet in (("年初 start", st.start), ("年末 end", st.end)):
        if sheet.total_assets != sheet.total_net_assets:
            problems.append(
                f"{st.year} {when}: 资产总计 {fmt(sheet.total_assets)} ≠ 净资产合计 "
                f"{fmt(sheet.total_net_assets)} (assets ≠ net assets: cash {fmt(sheet.cash)} + "
                f"loans {fmt(sheet.loans)} vs restricted {fmt(sheet.restricted)} + "
                f"unrestricted {fmt(sheet.unrestricted)})")
    change = st.change
    for name, zh, start, moved, end in (
            ("restricted", "限定性净资产", st.start.restricted, change.restricted, st.end.restricted),
            ("unrestricted", "非限定性净资产", st.start.unrestricted, change.unrestricted,
             st.end.unrestricted)):
        if start + moved != end:
            problems.append(f"{st.year} {zh}：年初 {fmt(start)} + 变动 {fmt(moved)} ≠ 年末 "
                            f"{fmt(end)} ({name}: start + change ≠ end)")
    if problems:
        raise StatementsError("财务报表不平衡，账本中有基金之外的资金往来，请先运行 check "
                              "(the statements do not balance; run check): " + "; ".join(problems))

