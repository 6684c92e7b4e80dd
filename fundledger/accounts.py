"""Account roles and pools (SPEC §1): what each account is for in the fund."""

from __future__ import annotations

import re
from enum import StrEnum

ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")


class Role(StrEnum):
    CASH = "cash"
    LOAN = "loan"
    SOURCE = "source"
    RELIEF = "relief"
    LOSS = "loss"
    FEES = "fees"


class Pool(StrEnum):
    PRINCIPAL = "principal"  # 本金: lendable capital, kept
    SPENDABLE = "spendable"  # 可支用: may pay relief


def is_id(text: object) -> bool:
    """IDs (loan, member, application) are letters, digits and '-', starting with a letter."""
    return isinstance(text, str) and bool(ID_RE.match(text))


def under(account: str, parent: str) -> bool:
    """``account`` is ``parent`` or below it, component by component (``Income:Interest``
    is under itself, ``Income:Interest:Loans`` is under it, ``Income:InterestFree`` is not)."""
    return account == parent or account.startswith(parent + ":")


def role_of(account: str) -> Role | None:
    """The account's role, or None when it is outside the fund's dedicated use (FL102)."""
    if account.startswith(("Assets:Bank:", "Assets:Cash:")):
        return Role.CASH
    if account.startswith("Assets:Loans:"):
        loan_id = loan_id_of(account)
        return Role.LOAN if is_id(loan_id) and ":" not in loan_id else None
    if account.startswith("Income:") or is_opening(account):
        return Role.SOURCE
    if account.startswith("Expenses:Relief:"):
        return Role.RELIEF
    if under(account, "Expenses:Losses"):
        return Role.LOSS
    if under(account, "Expenses:Fees"):
        return Role.FEES
    return None


def is_opening(account: str) -> bool:
    """An ``Equity:Opening*`` account: what the fund held before these books began (期初)."""
    return account.startswith("Equity:Opening")


def loan_id_of(account: str) -> str:
    return account[len("Assets:Loans:"):]


def is_fiscal(account: str) -> bool:
    """Public money (财政资金)."""
    return under(account, "Income:Fiscal")


def is_interest(account: str) -> bool:
    """The fund's earnings from interest: ``Income:Interest`` and below."""
    return under(account, "Income:Interest")


def default_pool(account: str) -> Pool:
    """Without ``pool:``, interest earned is spendable and every other source is principal."""
    return Pool.SPENDABLE if is_interest(account) else Pool.PRINCIPAL


def relief_kind(account: str) -> str:
    """``Expenses:Relief:Medical:Surgery`` -> ``Medical``."""
    return account.split(":")[2]


def under_any(account: str, parents: tuple[str, ...]) -> bool:
    return any(under(account, p) for p in parents)
