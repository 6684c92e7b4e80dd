"""A bank statement's rows as drafts for ``fundledger import`` (docs/ENTRY.md): read strictly,
classified by the ledger's own accounts, rows the ledger already has left out.

The importer (``importers.bank_csv``) reads and classifies; this module picks its accounts
from the loaded fund and turns its directives into our aligned entry text.
"""

from __future__ import annotations

import csv
import datetime
from typing import Any

from ..fund import Fund
from . import kinds
from .format import Entry, EntryError, Posting, transaction
from .writer import Draft

__all__ = ["statement_drafts"]


def _default_rules(fund: Fund, day: datetime.date) -> list[tuple[str, str]]:
    """Interest and bank charges are known by their words, when the ledger has one such account."""
    from ..accounts import Role

    rules = []
    interest = [a for a in kinds.open_accounts(fund, day, Role.SOURCE, "Income:Interest")
                if a != "Income:Interest:Loans"]
    if len(interest) == 1:
        rules.append(("结息|利息", interest[0]))
    fees = kinds.open_accounts(fund, day, Role.FEES)
    if len(fees) == 1:
        rules.append(("手续费|服务费|工本费|年费|管理费|短信", fees[0]))
    return rules


def statement_drafts(fund: Fund, statement: str, account: str | None, income: str | None,
                   expense: str | None, report: dict[str, Any]) -> list[Draft]:
    from ..accounts import Role
    from ..importers.bank_csv import (
        UNCLASSIFIED,
        BankStatementImporter,
        NotAStatement,
        StatementError,
        read_statement,
    )

    try:
        rows = read_statement(statement).rows
    except NotAStatement as exc:
        raise EntryError(f"{statement} 不是能识别的银行对账单 CSV (not a bank statement CSV): "
                         f"{exc.message}") from None
    except StatementError as exc:
        raise EntryError("\n".join(exc.lines(statement))) from None
    except csv.Error as exc:
        raise EntryError(f"{statement}: CSV 格式错误 {exc} (malformed CSV)") from None
    last = rows[-1].date  # accounts open at the statement's end
    bank = kinds.cash_account(fund, account, last) if account else kinds.pick_account(
        fund, None, last, Role.CASH, "Assets:Bank", "银行")
    if income is None:
        donations = kinds.open_accounts(fund, last, Role.SOURCE, "Income:Donations")
        income = donations[0] if len(donations) == 1 else "Income:Donations:Members"
    importer = BankStatementImporter(bank, income, expense or UNCLASSIFIED, fund.currency,
                                     _default_rules(fund, last))
    try:
        if not importer.identify(statement):
            raise EntryError(f"{statement} 不是能识别的银行对账单 CSV (not a bank statement CSV)")
        entries = importer.extract(statement, fund.entries)
    except StatementError as exc:
        raise EntryError("\n".join(exc.lines(statement))) from None
    report["duplicates"] = [e for e in entries if "__duplicate__" in e.meta]
    fresh = [e for e in entries if "__duplicate__" not in e.meta]
    report["fresh"] = fresh
    return [Draft(_as_entry(e), "bank") for e in fresh]


def _as_entry(directive: Any) -> Entry:
    """An importer's directive as our aligned text."""
    from beancount.core import data

    meta = [(k, v) for k, v in directive.meta.items()
            if k not in ("filename", "lineno") and not k.startswith("_")]
    if isinstance(directive, data.Balance):
        return Entry(directive.date, f"balance {directive.account}", meta,
                     amount=(directive.amount.number, directive.amount.currency))
    postings = [Posting(p.account, p.units.number if p.units else None,
                        p.units.currency if p.units else "") for p in directive.postings]
    return transaction(directive.date, directive.payee, directive.narration, meta, postings,
                       flag=directive.flag)
