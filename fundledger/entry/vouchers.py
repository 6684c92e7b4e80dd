"""Voucher numbers (记账凭证号, SPEC v1.1 §4) for the transactions ``add`` writes.

Each gets ``voucher:`` — the one the clerk gives, or the month's next ``记-YYYY-MM-NNN`` after
the highest the ledger has for that month — and ``attachments:`` when given. A number the
ledger already uses is refused before anything is checked (FL107: one number, one transaction).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ..fund import Fund
from .format import EntryError
from .writer import Draft

Date = datetime.date

VOUCHER = re.compile(r"^记-(\d{4})-(\d{2})-(\d+)$")


def _vouchers(fund: Fund) -> dict[str, Any]:
    """Every ``voucher:`` the ledger's transactions give -> the first transaction giving it."""
    # the state lists (voucher:, transaction) for every transaction, in order: the first wins
    return {str(number).strip(): entry for number, entry in reversed(fund.state.vouchers)
            if number is not None}


def next_voucher(used: Any, day: Date) -> str:
    """The month's next number ``记-YYYY-MM-NNN``: one past the highest of that month."""
    month = (f"{day.year:04d}", f"{day.month:02d}")
    numbers = [int(m[3]) for number in used if (m := VOUCHER.match(number)) and m.groups()[:2] == month]
    return f"记-{month[0]}-{month[1]}-{max(numbers, default=0) + 1:03d}"


def numbered(fund: Fund, drafts: list[Draft], voucher: str | None = None,
             attachments: int | None = None) -> list[Draft]:
    """Each transaction of ``drafts`` with ``voucher:`` (``voucher``, else the month's next
    number) and ``attachments:`` first in its metadata. A given number the ledger already
    uses is refused (FL107: one number, one transaction)."""
    used = _vouchers(fund)
    transactions = [d for d in drafts if d.entry.postings]
    if voucher is not None:
        voucher = str(voucher).strip()
        if not voucher:
            raise EntryError("--voucher 不能为空 (the voucher number is empty)")
        if voucher in used:
            meta = used[voucher].meta
            raise EntryError(f"FL107 凭证号 {voucher} 已用于 {meta.get('filename')}:{meta.get('lineno')}"
                             f"，一个凭证号只能用于一笔交易 (voucher {voucher} is already used)")
        if len(transactions) > 1:
            raise EntryError("这次记入多笔交易，不能共用一个 --voucher (several transactions: "
                             "one --voucher cannot number them all)")
    if attachments is not None and attachments < 0:
        raise EntryError("--attachments 应为 0 或正整数 (attachments is a count)")
    for draft in transactions:
        number = voucher or next_voucher(used, draft.entry.date)
        used[number] = None
        draft.entry.meta[:0] = [("voucher", number), ("attachments", attachments)]
    return drafts
