"""The to-do list (待办, SPEC v1.1 §6 ``todo``): what the supervisory group and the clerk must
see to on a day — loans overdue and falling due, annual reviews running out, publicity
periods ending, follow-up visits due. ``FundView.todo`` is how consumers reach it; each kind's
definition is the SPEC's, sentence by sentence, in its function below.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dates import add_months
from .state import Application, Loan, Member

if TYPE_CHECKING:
    from .view import FundView

Date = datetime.date
ONE_DAY = datetime.timedelta(days=1)
# The kinds, in the order the list gives them (SPEC §6): most pressing first.
KINDS = ("loan-overdue", "loan-due", "review-due", "publicity-ends", "follow-up-due")
HELP_DAYS = 365  # "some day of the 365 days up to D" (follow-up-due)


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: ``id`` is the loan, the member or the application; ``member`` the
    member concerned (borrower, member, applicant); ``days`` as the SPEC counts each kind."""

    kind: str
    id: str
    member: str | None
    date: Date
    days: int

    def json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "member": self.member,
                "date": self.date.isoformat(), "days": self.days}


def todo(view: FundView, as_of: Date, within: int = 30) -> list[TodoItem]:
    """Every item of the list at the end of ``as_of``, looking ``within`` days ahead; by kind
    (``KINDS``), then date, then ID."""
    if within < 0:
        raise ValueError("within must be 0 or more days")
    horizon = as_of + datetime.timedelta(days=min(within, (Date.max - as_of).days))
    items = [*_loans(view, as_of, horizon), *_reviews(view, as_of, horizon),
             *_publicity(view, as_of, horizon), *_follow_ups(view, as_of)]
    order = {k: n for n, k in enumerate(KINDS)}
    items.sort(key=lambda it: (order[it.kind], it.date, it.id))
    return items


def _loans(view: FundView, day: Date, horizon: Date) -> list[TodoItem]:
    """``loan-overdue``: outstanding at the end of D, the due date in force before D;
    ``loan-due``: outstanding, due in force from D to D + N."""
    out = []
    for loan in view.book(day):
        due = loan.due_on(day)
        if due is None or loan.balance_on(day) <= 0:
            continue
        if due < day:
            out.append(TodoItem("loan-overdue", loan.id, loan.member_id, due, (day - due).days))
        elif due <= horizon:
            out.append(TodoItem("loan-due", loan.id, loan.member_id, due, (due - day).days))
    return out


def _reviews(view: FundView, day: Date, horizon: Date) -> list[TodoItem]:
    """``review-due``: registered, no exit dated before D, the latest review on or before D
    not ``none``, none valid beyond D + N; dated the review's last valid day (or the
    registration day if never reviewed)."""
    out = []
    for st in view.members(day):
        m = st.member
        if m.exited is not None and m.exited < day:
            continue
        if st.review is None:
            until = m.registered
        elif st.review.tier == "none":
            continue
        else:
            until = st.review_valid_until  # type: ignore[assignment]
        if until <= horizon:
            out.append(TodoItem("review-due", m.id, m.id, until, (until - day).days))
    return out


def _publicity(view: FundView, day: Date, horizon: Date) -> list[TodoItem]:
    """``publicity-ends``: a ``publicity`` step on or before D and no later step of the
    workflow yet, the period ending (publicity date + ``publicity-days``) from D to D + N."""
    out = []
    for app in view.state.applications.values():
        if app.date > day:
            continue
        st = view.application(app, day)
        if not st.windows:
            continue
        window = st.windows[-1]
        if _later_step(view, app, window.step, day):
            continue
        ends = window.next_step_from
        if day <= ends <= horizon:
            out.append(TodoItem("publicity-ends", app.id, app.member_id, ends, (ends - day).days))
    return out


def _later_step(view: FundView, app: Application, publicity: Any, day: Date) -> bool:
    """Whether a step after ``publicity`` is recorded by ``day``. Acts of one day count as in
    the valid order (SPEC §2): a same-day step the policy puts before publicity is earlier."""
    before = _steps_before_publicity(view, app.kind, publicity.date)
    for step in app.steps:
        if step is publicity or step.date > day or step.date < publicity.date:
            continue
        if step.date > publicity.date or step.name not in before:
            return True
    return False


def _steps_before_publicity(view: FundView, kind: str, day: Date) -> frozenset[str]:
    steps = tuple(view.state.policy_at(day).steps(kind))
    return frozenset(steps[:steps.index("publicity")]) if "publicity" in steps else frozenset()


def _follow_ups(view: FundView, day: Date) -> list[TodoItem]:
    """``follow-up-due`` (only with ``follow-up-months``): a member paid relief or with a loan
    outstanding on some day of the 365 up to D, whose latest follow-up on or before D — else
    the first such help in those days — is dated F with F + months < D."""
    months = view.state.policy_at(day).follow_up_months
    if months is None:
        return []
    first = day - datetime.timedelta(days=HELP_DAYS - 1)
    helped: dict[str, Date] = {}  # member -> the first day helped in the 365 days

    def seen(member_id: str | None, when: Date) -> None:
        if member_id is not None and (member_id not in helped or when < helped[member_id]):
            helped[member_id] = when

    for relief in view.state.relief:
        if first <= relief.date <= day and relief.amount > 0:
            seen(relief.member_id, relief.date)
    for loan in view.book(day):
        when = _first_day_outstanding(loan, first, day)
        if when is not None:
            seen(loan.member_id, when)
    out = []
    for member_id, helped_on in helped.items():
        member: Member | None = view.state.members.get(member_id)
        if member is None:
            continue
        latest = member.follow_up_on(day)
        since = latest.date if latest is not None else helped_on
        due = add_months(since, months)
        if due < day:
            out.append(TodoItem("follow-up-due", member_id, member_id, due, (day - due).days))
    return out


def _first_day_outstanding(loan: Loan, first: Date, last: Date) -> Date | None:
    """The first day from ``first`` to ``last`` at whose end ``loan`` is outstanding: its
    disbursement when made in those days, ``first`` when it was outstanding already."""
    if loan.balance_on(first) > 0:
        return first
    for move in loan.moves:
        if first < move.date <= last and loan.balance_on(move.date) > 0:
            return move.date
    return None
