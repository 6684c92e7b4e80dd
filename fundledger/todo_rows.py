"""The to-do list's rows and words (待办, SPEC v1.1 §6): the items of ``FundView.todo`` with
the people concerned, as ``fundledger todo`` and the Fava to-do page show them — the member's
name masked (SPEC §7) unless names are asked for, the branch, the tracking contact as
``reports.contact_shown`` shows it."""

from __future__ import annotations

import datetime
from typing import Any

from . import privacy
from .reports import contact_shown
from .state import FundState
from .view_todo import KINDS, TodoItem

Date = datetime.date

# Each kind's heading, and what its date and its days are (zh, en).
KIND_WORDS: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    "loan-overdue": (("逾期借款", "Loans overdue"), ("到期日", "Due"), ("逾期天数", "Days past due")),
    "loan-due": (("即将到期借款", "Loans falling due"), ("到期日", "Due"), ("剩余天数", "Days left")),
    "review-due": (("年度审核到期", "Annual reviews due"), ("审核有效至", "Review valid until"),
                   ("剩余天数", "Days left")),
    "publicity-ends": (("公示期将满", "Publicity periods ending"), ("公示期满日", "Publicity ends"),
                       ("剩余天数", "Days left")),
    "follow-up-due": (("待回访", "Follow-ups due"), ("应回访日", "Follow-up due"),
                      ("逾期天数", "Days overdue")),
}
WORDS: dict[str, tuple[str, str]] = {
    "title": ("待办事项", "To do"),
    "kind": ("类别", "Kind"),
    "id": ("编号", "ID"),
    "member": ("成员编号", "Member"),
    "name": ("姓名", "Name"),
    "branch": ("支部", "Branch"),
    "contact": ("跟踪联系人", "Tracking contact"),
    "phone": ("联系方式", "Member's contact"),
    "date": ("日期", "Date"),
    "days": ("天数", "Days"),
    "as_of": ("截至", "as of"),
    "within": ("未来 {n} 天内", "within {n} days"),
    "none": ("没有待办事项", "Nothing to do"),
    "items": ("共 {n} 项", "{n} items"),
}


def word(key: str, lang: str, **kw: Any) -> str:
    pair = WORDS[key]
    text = pair[0 if lang == "zh" else 1]
    return text.format(**kw) if kw else text


def kind_words(kind: str, lang: str) -> tuple[str, str, str]:
    """A kind's heading, its date's name and its days' name in ``lang``."""
    i = 0 if lang == "zh" else 1
    heading, date, days = KIND_WORDS[kind]
    return heading[i], date[i], days[i]


def todo_rows(state: FundState, items: list[TodoItem], as_of: Date,
              names: bool = False) -> list[dict[str, Any]]:
    """The items with the people concerned, as the table, the sheets and Fava show them; the
    contact is the latest follow-up's on or before ``as_of``."""
    people = privacy.full_names(state)
    rows = []
    for item in items:
        member = state.members.get(item.member or "")
        latest = member.follow_up_on(as_of) if member else None
        contact = latest.contact if latest else None
        rows.append({
            **item.json(),
            "name": privacy.member_name(member.name if member else None, names),
            "branch": member.branch if member else "",
            "contact": contact_shown(contact, people, names) or "",
            "phone": privacy.kept(member.contact if member else None, names) or "",
        })
    return rows


def grouped(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows by kind, in the list's order, kinds without items left out."""
    return [(k, [r for r in rows if r["kind"] == k]) for k in KINDS
            if any(r["kind"] == k for r in rows)]


