"""Which texts of a ledger are personal data (SPEC §9), and what each output shows instead.

The one place that decides it; the exports, the consolidated dataset, the reports, the notice
and the Fava pages ask here. Two kinds of output:

- *name-free* (the public notice, ``export`` without ``--names``, ``consolidate``): none of the
  texts of ``PERSONAL`` — dropped (``None``), or a narration replaced by ``summary``;
- *showing people* (``loans``, ``member``, ``publicity``, the internal notice, Fava): a member's
  name masked (``masked``, SPEC §7), a guarantor as ``guarantor_shown``, the other free texts
  dropped — a child's name or a diagnosis inside ``purpose:`` cannot be masked, only left out.

``names=True`` (``--names``) keeps every text as the ledger wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .accounts import Role, loan_id_of, role_of
from .masking import SEPARATORS, mask_name

if TYPE_CHECKING:
    from .state import FundState

# Every free text of a ledger, and what a name-free output does with it. The keys are what the
# ledger writes (metadata keys, or the transaction's own fields).
PERSONAL: dict[str, str] = {
    "member name:": "dropped; the member's ID stays; outputs that show people show it masked",
    "contact:": "dropped (a member's phone or a follow-up's contact)",
    "payee": "dropped",
    "narration": "replaced by summary(): the kind of the transaction, never its words",
    "purpose:": "dropped; the application's kind (loan/relief) stays",
    "child:": "dropped (education grants)",
    "note:": "dropped (follow-ups)",
    "guarantor:": "dropped; outputs that show people show guarantor_shown()",
    "reason:": "dropped (an exit's reason may say who died or where they went)",
    "donor:": "dropped; the notice counts donors, never names them",
    "loan account name:": "dropped; the loan's ID stays (李金明养殖借款 names the borrower)",
}

# Free texts that are not personal data: organisations, drives and document numbers. They are
# kept everywhere (and escaped wherever rendered, like every text).
NOT_PERSONAL: dict[str, str] = {
    "branch:": "the member's party branch (an organisation)",
    "category:": "the member's category (rural, retired…)",
    "campaign:": "a fund drive (2025一日捐); the public notice totals by it (SPEC §7)",
    "body:": "the approving body (乡党委)",
    "minutes:": "a decision's document number (〔2025〕4号)",
    "voucher:": "a voucher number",
    "account name:": "an account's Chinese name, other than a loan account's",
    "title": "the fund's title",
}

# Words that make a guarantor an organisation (担保单位) rather than a person.
ORG_WORDS = ("支部", "总支", "党委", "政府", "委员会", "村委", "居委", "社区", "公司", "合作社",
             "工会", "妇联", "银行", "信用社", "单位", "街道", "办事处")

LOANS = "Assets:Loans:"  # any account under it, well formed or not, may name a borrower

masked = mask_name


def kept(value: Any, names: bool) -> str | None:
    """A personal free text as an output shows it: as written with ``names``, else nothing."""
    if value is None or not names:
        return None
    return str(value)


def member_name(name: str | None, names: bool) -> str:
    """A member's name where an output shows people: masked unless ``names``."""
    if names and name:
        return name
    return mask_name(name)


def guarantor_shown(text: str | None, full_names: Iterable[str] = ()) -> str | None:
    """A guarantor where an output shows people: an organisation as written, anything else
    masked as a name. An organisation word does not save a text that holds a member's name."""
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    if any(sep in text for sep in SEPARATORS) or any(n and n in text for n in full_names):
        return mask_name(text)
    if any(word in text for word in ORG_WORDS):
        return text
    return mask_name(text)


def account_title(account: str, title: str | None, names: bool) -> str | None:
    """An account's Chinese name in a name-free output: a loan account's is left out."""
    if names or title is None:
        return title
    return None if account.startswith(LOANS) else title


def summary(entry: Any, state: FundState) -> str:
    """What a name-free output says of a transaction instead of its narration: the Chinese
    name of its first account other than cash (its kind, e.g. 走访慰问, 党员捐款), a loan by
    its ID, and the first account for a transfer between cash accounts."""
    postings = getattr(entry, "postings", None) or []
    chosen = next((p.account for p in postings if role_of(p.account) is not Role.CASH), None)
    if chosen is None:
        chosen = postings[0].account if postings else ""
    if chosen.startswith(LOANS):
        return loan_id_of(chosen) or chosen
    info = state.accounts.get(chosen)
    return (info.title if info is not None and info.title else None) or chosen


def full_names(state: FundState) -> frozenset[str]:
    """Every member's full name (what ``guarantor_shown`` and the privacy tests look for)."""
    return frozenset(m.name.strip() for m in state.members.values() if m.name and m.name.strip())
