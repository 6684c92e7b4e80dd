"""A donation list (一日捐名单, one sheet per branch or one for all) as donation entries.

Columns by name (SPEC §6): 日期, 单位 / 支部 / 党支部, 捐款人, 金额, 募捐活动 / 活动; the
date, the amount and one of unit or donor are required. Each row becomes one donation:
cash up, the source account down, ``donor:`` and ``campaign:``; the payee is the unit (the
donor when there is none).

    rows = read_donations("一日捐.xlsx")          # SheetErrors: every bad row, nothing read
    drafts = donation_drafts(fund, rows)           # then written like ``add``'s entries
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..accounts import Role
from ..entry import kinds
from ..entry.format import Posting, transaction
from ..entry.writer import Draft
from ..fund import Fund
from .amounts import BadAmount
from .workbook import SheetErrors, day, money, read_rows, text

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "捐款日期"),
    "unit": ("单位", "支部", "党支部", "所在支部", "所在党支部"),
    "donor": ("捐款人", "姓名"),
    "amount": ("金额", "捐款金额"),
    "campaign": ("募捐活动", "活动"),
}
REQUIRED = (("date",), ("amount",), ("unit", "donor"))


@dataclass(frozen=True)
class Donation:
    date: datetime.date
    amount: Decimal
    unit: str | None
    donor: str | None
    campaign: str | None
    where: str  # sheet:row, for messages


def read_donations(path: str | Path, campaign: str | None = None) -> tuple[list[Donation], list[str]]:
    """The donations of every sheet (``campaign`` for rows without one), and the sheets
    skipped for having no header; ``SheetErrors`` naming every bad row."""
    rows, skipped = read_rows(path, COLUMNS, REQUIRED)
    out, problems = [], []
    for row in rows:
        bad = len(problems)
        try:
            when = day(row.cells.get("date"))
            if when is None:
                problems.append(row.problem("date", "不能为空，" + "应为捐款日期 (a date is required)"))
        except ValueError as exc:
            problems.append(row.problem("date", str(exc)))
        try:
            number = money(row.cells.get("amount"))
            if number is None:
                problems.append(row.problem("amount", "不能为空，应为金额 (an amount is required)"))
            elif number <= 0:
                problems.append(row.problem("amount", f"{number} 应为大于零的金额 "
                                                      "(expected a positive amount)"))
        except BadAmount as exc:
            problems.append(row.problem("amount", str(exc)))
        unit, donor = text(row.cells.get("unit")), text(row.cells.get("donor"))
        if unit is None and donor is None:
            column = "unit" if "unit" in row.headers else "donor"
            problems.append(row.problem(column, "单位与捐款人不能都为空 (a unit or a donor is required)"))
        if len(problems) == bad:
            where = f"{row.sheet}:{row.number}" if row.sheet is not None else str(row.number)
            out.append(Donation(when, number, unit, donor,
                                text(row.cells.get("campaign")) or campaign, where))
    if problems:
        raise SheetErrors(problems)
    return out, skipped


def donation_drafts(fund: Fund, donations: list[Donation], account: str | None = None,
                    cash: str | None = None) -> list[Draft]:
    """One donation entry per row, to ``account`` (else the ledger's only
    ``Income:Donations*`` account: several or none is a usage error naming them)."""
    if not donations:
        return []
    last = max(d.date for d in donations)  # accounts as open at the list's last day
    source = kinds.pick_account(fund, account, last, Role.SOURCE, "Income:Donations", "捐款来源")
    bank = kinds.cash_account(fund, cash, last)
    cur = fund.currency
    drafts = []
    for d in donations:
        entry = transaction(d.date, d.unit or d.donor, d.campaign or "捐款",
                            [("donor", d.donor or d.unit), ("campaign", d.campaign)],
                            [Posting(bank, d.amount, cur), Posting(source)])
        drafts.append(Draft(entry, "funding"))
    return drafts
