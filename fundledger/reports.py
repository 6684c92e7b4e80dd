"""The fund's reports as plain data: position, loan book, member register.

Pure functions of the fund state; the command line, the notice and Fava format these.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from . import privacy
from .masking import mask_name
from .money import ZERO, as_str
from .state import FundState, Loan, Position

Date = datetime.date

AGING = ((1, 30, "1-30"), (31, 90, "31-90"), (91, 180, "91-180"), (181, None, ">180"))


def aging_bucket(days_past_due: int) -> str:
    """The aging bucket of a loan's days past due ('' when not past due)."""
    for low, high, label in AGING:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return label
    return ""


def position_json(pos: Position) -> dict[str, str]:
    """The object ``balances --format json`` prints (SPEC §6)."""
    return {"cash": as_str(pos.cash), "loans_outstanding": as_str(pos.loans_outstanding),
            "principal": as_str(pos.principal), "spendable": as_str(pos.spendable)}


def cash_by_account(state: FundState, as_of: Date) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for day, account, amount, _ in state.cash_moves:
        if day > as_of:
            break
        out[account] = out.get(account, ZERO) + amount
    for name, info in state.accounts.items():
        if info.role is not None and info.role.value == "cash" and info.open_entry is not None \
                and info.open_entry.date <= as_of:
            out.setdefault(name, ZERO)
    return dict(sorted(out.items()))


def loan_row(state: FundState, loan: Loan, as_of: Date,
             people: frozenset[str] | None = None) -> dict[str, Any]:
    """One loan as of the end of ``as_of``; amounts are exact decimal strings. The guarantor
    is shown as ``privacy.guarantor_shown`` (``people``: every member's full name, from
    ``privacy.full_names``, computed once by callers that list many loans)."""
    member = state.members.get(loan.member_id or "")
    if people is None:
        people = privacy.full_names(state)
    days = loan.days_past_due(as_of)
    due = loan.due_on(as_of)
    return {
        "id": loan.id,
        "member": loan.member_id,
        "member_name": mask_name(member.name) if member else None,
        "branch": member.branch if member else None,
        "application": loan.application_id,
        "guarantor": privacy.guarantor_shown(loan.guarantor, people),
        "rate": None if loan.rate is None else str(loan.rate),
        "amount": as_str(loan.principal),
        # an opening loan (借款期初余额) shows its original ``disbursed:`` when given; ``entered``
        # is always the day these books first hold the loan (its disbursement or opening entry)
        "disbursed": _iso(loan.disbursed_original or loan.disbursed_on),
        "entered": _iso(loan.disbursed_on),
        "opening": loan.opening,
        "due": due.isoformat() if due else None,
        "rescheduled": any(when <= as_of for when, _, _ in loan.reschedules),
        "repaid": as_str(loan.repaid_on(as_of)),
        "written_off": as_str(loan.written_off_on(as_of)),
        "interest": as_str(loan.interest_on(as_of)),
        "outstanding": as_str(loan.balance_on(as_of)),
        "status": loan.status_on(as_of),
        "days_past_due": days,
        "aging": aging_bucket(days),
    }


def _iso(day: Date | None) -> str | None:
    return day.isoformat() if day else None


def loan_book(state: FundState, as_of: Date) -> list[dict[str, Any]]:
    """Every loan the books hold by the end of ``as_of`` (opening loans from their opening
    entry), in the order the books took them: date entered, then ID."""
    loans = [ln for ln in state.loans.values() if ln.disbursed_on and ln.disbursed_on <= as_of]
    loans.sort(key=lambda ln: (ln.disbursed_on, ln.id))
    people = privacy.full_names(state)
    return [loan_row(state, ln, as_of, people) for ln in loans]


def member_register(state: FundState, member_id: str, as_of: Date, *,
                    names: bool = False) -> dict[str, Any]:
    """One member's register (台帐): reviews, applications, relief received, loans.

    An application's ``purpose:`` may name a child or a diagnosis: only with ``names``."""
    member = state.members[member_id]
    policy = state.policy_at(as_of)
    apps = [a for a in state.applications.values() if a.member_id == member_id and a.date <= as_of]
    relief = [r for r in state.relief if r.member_id == member_id and r.date <= as_of]
    loans = [ln for ln in state.loans.values()
             if ln.member_id == member_id and ln.disbursed_on and ln.disbursed_on <= as_of]
    why = member.ineligibility(as_of, policy.review_valid_months)
    return {
        "id": member.id,
        "name": privacy.member_name(member.name, names),
        "branch": member.branch,
        "category": member.category,
        "registered": member.registered.isoformat(),
        "exited": member.exited.isoformat() if member.exited and member.exited <= as_of else None,
        "exit_reason": privacy.kept(member.exit_reason, names)
        if member.exited and member.exited <= as_of else None,
        "as_of": as_of.isoformat(),
        "tier": member.tier_on(as_of),
        "eligible": why is None,
        "ineligible_because": why[0] if why else None,
        "reviews": [{"date": r.date.isoformat(), "tier": r.tier}
                    for r in member.reviews if r.date <= as_of],
        "applications": [{
            "id": a.id, "kind": a.kind, "date": a.date.isoformat(), "amount": as_str(a.amount),
            "purpose": privacy.kept(a.purpose, names),
            "steps": [{"step": s.name, "date": s.date.isoformat()} for s in a.steps if s.date <= as_of],
            "approved": None if a.approved_on(as_of) is None else as_str(a.approved_on(as_of)),
            "paid": as_str(a.paid(as_of)),
        } for a in sorted(apps, key=lambda a: a.date)],
        "relief": [{"date": r.date.isoformat(), "account": r.account, "kind": r.kind,
                    "label": state.account_label(r.account), "amount": as_str(r.amount),
                    "application": r.application_id} for r in relief],
        "relief_total": as_str(sum((r.amount for r in relief), ZERO)),
        "loans": [loan_row(state, ln, as_of) for ln in sorted(loans, key=lambda ln: ln.disbursed_on)],
    }


def publicity_list(state: FundState, as_of: Date) -> list[dict[str, Any]]:
    """Applications in their publicity period (公示) at the end of ``as_of``, names masked.

    The period runs from the ``publicity`` step for ``publicity-days`` days (at least the day
    itself); the last of them is the last day for objections. Rejected ones are left out.
    """
    rows = []
    for app in state.applications.values():
        rejected = app.rejected()
        if rejected is not None and rejected.date <= as_of:
            continue
        for step in app.steps:
            if step.name != "publicity" or step.date > as_of:
                continue
            days = state.policy_at(step.date).publicity_days
            until = step.date + datetime.timedelta(days=max(days, 1) - 1)
            if as_of <= until:
                member = state.members.get(app.member_id)
                rows.append({
                    "application": app.id,
                    "name": privacy.member_name(member.name if member else None, names=False),
                    "branch": member.branch if member else "",
                    "kind": app.kind,
                    "amount": as_str(app.amount),
                    "published": step.date.isoformat(),
                    "objections_until": until.isoformat(),
                })
    rows.sort(key=lambda r: (r["published"], r["application"]))
    return rows
