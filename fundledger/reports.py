"""The fund's reports as plain data: position, loan book, member register.

Rows read from the fund's view (``fundledger.view``) and its records; the command line, the
notice and Fava format these.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from . import privacy
from .accounts import is_id
from .masking import mask_name
from .money import as_str
from .state import FundState, Loan, Position
from .view import view_of
from .view_loans import AGING, aging_bucket

__all__ = ["AGING", "aging_bucket", "cash_by_account", "contact_shown", "loan_book", "loan_row",
           "member_register", "position_json", "publicity_list"]

Date = datetime.date

def position_json(pos: Position) -> dict[str, str]:
    """The object ``balances --format json`` prints (SPEC §6)."""
    return {"cash": as_str(pos.cash), "loans_outstanding": as_str(pos.loans_outstanding),
            "principal": as_str(pos.principal), "spendable": as_str(pos.spendable)}


def cash_by_account(state: FundState, as_of: Date) -> dict[str, Decimal]:
    """Cash by account at the end of ``as_of`` (``FundView.cash_accounts``)."""
    return view_of(state).cash_accounts(as_of)


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
    people = privacy.full_names(state)
    return [loan_row(state, ln, as_of, people) for ln in view_of(state).book(as_of)]


def contact_shown(contact: str | None, people: frozenset[str], names: bool = False) -> str | None:
    """A follow-up's ``contact:`` (SPEC §2: the tracking contact's role or ID) where an output
    shows people: an ID (C-07) or a role (一支部书记) as written, anything that may be a
    person's name masked (``privacy.guarantor_shown``); as written with ``names``."""
    if contact is None or names:
        return contact
    text = contact.strip()
    if is_id(text) and not any(n and n in text for n in people):
        return text
    return privacy.guarantor_shown(text, people)


def member_register(state: FundState, member_id: str, as_of: Date, *,
                    names: bool = False) -> dict[str, Any]:
    """One member's register (台帐): reviews, applications, relief received, loans, follow-ups.

    An application's ``purpose:`` may name a child or a diagnosis: only with ``names``."""
    view = view_of(state)
    member = state.members[member_id]
    standing = view.member(member, as_of)
    apps = [view.application(a, as_of) for a in state.applications.values()
            if a.member_id == member_id and a.date <= as_of]
    relief = [r for r in state.relief if r.member_id == member_id and r.date <= as_of]
    loans = [ln for ln in view.book(as_of) if ln.member_id == member_id]
    people = privacy.full_names(state)
    why = standing.why_not
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
        "tier": standing.tier,
        "eligible": standing.eligible,
        "ineligible_because": why[0] if why else None,
        "ineligible_because_en": why[1] if why else None,
        "reviews": [{"date": r.date.isoformat(), "tier": r.tier}
                    for r in member.reviews if r.date <= as_of],
        "applications": [{
            "id": a.app.id, "kind": a.app.kind, "date": a.app.date.isoformat(),
            "amount": as_str(a.app.amount), "purpose": privacy.kept(a.app.purpose, names),
            "steps": [{"step": s.name, "date": s.date.isoformat()} for s in a.steps],
            "approved": None if a.approved is None else as_str(a.approved),
            "paid": as_str(a.paid),
        } for a in sorted(apps, key=lambda a: a.app.date)],
        "relief": [{"date": r.date.isoformat(), "account": r.account, "kind": r.kind,
                    "label": state.account_label(r.account), "amount": as_str(r.amount),
                    "application": r.application_id} for r in relief],
        "relief_total": as_str(standing.relief),
        "loans": [loan_row(state, ln, as_of) for ln in loans],
        # the tracking contact's visits and calls (跟踪联系/回访); a note is free text
        "follow_ups": [{"date": f.date.isoformat(), "contact": contact_shown(f.contact, people, names),
                        "note": privacy.kept(f.note, names)}
                       for f in member.follow_ups if f.date <= as_of],
    }


def publicity_list(state: FundState, as_of: Date) -> list[dict[str, Any]]:
    """Applications in their publicity period (公示) at the end of ``as_of``, names masked:
    one row per period open then (``FundView.in_publicity``); rejected ones are left out."""
    rows = []
    for st, window in view_of(state).in_publicity(as_of):
        member = state.members.get(st.app.member_id)
        rows.append({
            "application": st.app.id,
            "name": privacy.member_name(member.name if member else None, names=False),
            "branch": member.branch if member else "",
            "kind": st.app.kind,
            "amount": as_str(st.app.amount),
            "published": window.published.isoformat(),
            "objections_until": window.objections_until.isoformat(),
        })
    return rows
