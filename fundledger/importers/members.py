"""A member register (建档立卡台帐) as ``member`` directives and their reviews.

Columns by name (SPEC §6): 编号, 姓名, 支部, 类别, 困难等级, 审核日期 (and, if the register has
it, 建档日期). Each row becomes ``custom "member"`` with ``name:``, ``branch:`` and
``category:``, and, where a tier and a review date are given, ``custom "review"``. The member
is registered on its 建档日期, else on ``--date`` (default today), but never after its review.
An ID twice in the file, or already in the ledger, is refused.

Tiers and categories are read in English or Chinese through ``fundledger.vocab`` (特别困难 →
special, 农村党员 → rural) and written as the ledger convention spells them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from .. import vocab
from ..accounts import is_id
from ..entry.format import custom
from ..entry.writer import Draft
from ..fund import Fund
from .workbook import RowProblem, SheetErrors, day, read_rows, text

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "成员编号", "档案编号"),
    "name": ("姓名",),
    "branch": ("支部", "党支部", "所在支部", "所在党支部"),
    "category": ("类别", "人员类别"),
    "tier": ("困难等级", "困难程度", "等级"),
    "review": ("审核日期", "年审日期", "审核时间"),
    "registered": ("建档日期", "登记日期"),
}
REQUIRED = (("id",), ("name",), ("branch",))

def tier_of(word: str) -> str | None:
    """A tier in Chinese or English (``vocab``: 特别困难, special …), or None if it is none."""
    try:
        return vocab.canonical("tier", word)
    except vocab.UnknownWord:
        return None


TIER_EXPECTED = ("应为困难等级 一般困难/比较困难/特别困难/不再困难 或 general/relative/special/none "
                 "(expected a tier)")


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    branch: str
    category: str | None
    tier: str | None
    review: datetime.date | None
    registered: datetime.date | None
    problem_at: RowProblem  # where the row is (its 编号 cell), for a refusal found later


def _category(cell) -> str | None:
    """The category as the ledger writes it: 农村党员 → rural (``vocab``); others as written."""
    word = text(cell)
    return None if word is None else vocab.canonical("category", word)


def read_members(path: str | Path) -> tuple[list[MemberRow], list[str]]:
    """The register's rows of every sheet, and the sheets skipped for having no header;
    ``SheetErrors`` naming every bad row (an ID twice among them)."""
    rows, skipped = read_rows(path, COLUMNS, REQUIRED)
    out, problems = [], []
    first: dict[str, str] = {}
    for row in rows:
        bad = len(problems)
        mid = text(row.cells.get("id"))
        if not is_id(mid):
            problems.append(row.problem("id", f"{mid!r} 应为以字母开头、只含字母数字和 - 的编号，如 "
                                              "M0289 (expected an ID such as M0289)"))
        elif mid in first:
            problems.append(row.problem("id", f"{mid} 与第 {first[mid]} 行重复，应每人一个编号 "
                                              "(the ID is given twice)"))
        else:
            first[mid] = f"{row.sheet}:{row.number}" if row.sheet is not None else str(row.number)
        name, branch = text(row.cells.get("name")), text(row.cells.get("branch"))
        if name is None:
            problems.append(row.problem("name", "不能为空，应为姓名 (a name is required)"))
        if branch is None:
            problems.append(row.problem("branch", "不能为空，应为所在党支部 (a branch is required)"))
        word, tier = text(row.cells.get("tier")), None
        if word is not None:
            tier = tier_of(word)
            if tier is None:
                problems.append(row.problem("tier", f"{word!r} {TIER_EXPECTED}"))
        dates = {}
        for key in ("review", "registered"):
            try:
                dates[key] = day(row.cells.get(key))
            except ValueError as exc:
                problems.append(row.problem(key, str(exc)))
        if word is not None and "review" in dates and dates["review"] is None:
            problems.append(row.problem("review", "有困难等级时不能为空，应为审核日期 "
                                                  "(a tier needs its review date)"))
        if dates.get("review") is not None and word is None:
            problems.append(row.problem("tier", "有审核日期时不能为空，" + TIER_EXPECTED))
        if dates.get("review") and dates.get("registered") and dates["review"] < dates["registered"]:
            problems.append(row.problem("review", f"{dates['review']} 早于建档日期 {dates['registered']}，"
                                                  "应在建档之后 (reviewed before registered)"))
        if len(problems) == bad:
            out.append(MemberRow(mid, name, branch, _category(row.cells.get("category")), tier,
                                 dates["review"], dates["registered"], row.problem("id", "")))
    if problems:
        raise SheetErrors(problems)
    return out, skipped


def member_drafts(fund: Fund, members: list[MemberRow], date: datetime.date | None = None
                  ) -> list[Draft]:
    """``member`` (and ``review``) directives; ``SheetErrors`` for an ID the ledger has."""
    taken = [RowProblem(m.problem_at.sheet, m.problem_at.row, m.problem_at.column,
                        f"{m.id} 已在账本中登记，应为新的编号 (the ledger already has {m.id})")
             for m in members if m.id in fund.members]
    if taken:
        raise SheetErrors(taken)
    default = date or datetime.date.today()
    drafts = []
    for m in members:
        registered = m.registered or default
        if m.review is not None and m.review < registered:  # registered by the review at the latest
            registered = m.review
        drafts.append(Draft(custom(registered, "member", m.id, meta=[
            ("name", m.name), ("branch", m.branch), ("category", m.category)]), "members"))
        if m.tier is not None and m.review is not None:
            drafts.append(Draft(custom(m.review, "review", m.id, m.tier), "members"))
    return drafts
