"""Reading the fund's ``custom`` directives (SPEC §2) into typed records.

Each reader checks the directive's shape — number and types of values, required metadata,
ID syntax — and raises ``Malformed`` with what was expected (FL106; FL103 for policies).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core.amount import Amount
from beancount.core.data import Custom

from .accounts import is_id

TIERS = ("general", "relative", "special", "none")
TIER_ZH = {"general": "一般困难", "relative": "比较困难", "special": "特别困难", "none": "不再困难"}
KINDS = ("loan", "relief")

# Directive types with a meaning of their own; workflow steps are any other type named in
# the policy's steps lists (e.g. branch-review, publicity, inspect).
FUND_TYPES = frozenset({
    "fund-policy", "member", "review", "exit", "apply", "approve", "reject",
    "reschedule", "write-off", "release",
})


class Malformed(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def values(entry: Custom) -> list[Any]:
    """The directive's raw values (``custom "x"`` with none has ``values=None``)."""
    return [v.value for v in (entry.values or ())]


_CHECKS = {
    "id": is_id,
    "str": lambda v: isinstance(v, str),
    "amount": lambda v: isinstance(v, Amount),
    "date": lambda v: isinstance(v, datetime.date),
}
_WHAT = {"id": "编号（字母开头，字母、数字和 -）", "str": "字符串", "amount": "金额（如 100.00 CNY）",
         "date": "日期"}
_WHAT_EN = {"id": "an ID (a letter, then letters, digits or -)", "str": "a string",
            "amount": "an amount with its currency (e.g. 100.00 CNY)", "date": "a date"}


def as_written(value: Any) -> str:
    """A directive's value as the ledger spells it (not Python's repr)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Amount):
        return f"{value.number} {value.currency}"
    return str(value)


def _shape(entry: Custom, *types: str) -> list[Any]:
    """Check the values against ``types`` (str, id, amount, date); return them."""
    vals = [v.value for v in (entry.values or ())]
    if len(vals) != len(types):
        usage = " ".join(f"<{t}>" for t in types)
        raise Malformed(
            f'custom "{entry.type}" 应有 {len(types)} 个值 ({usage})，实有 {len(vals)} 个',
            f'"{entry.type}" takes {len(types)} value{"s" if len(types) != 1 else ""} '
            f'({usage}), found {len(vals)}')
    for val, kind in zip(vals, types, strict=True):
        if not _CHECKS[kind](val):
            raise Malformed(f'custom "{entry.type}" 的值 {as_written(val)} 应为{_WHAT[kind]}',
                            f'"{entry.type}" value {as_written(val)} should be {_WHAT_EN[kind]}')
    return vals


def _meta_text(entry: Custom, key: str, required: bool) -> str | None:
    val = entry.meta.get(key)
    if val is None or (isinstance(val, str) and not val.strip()):
        if required:
            raise Malformed(f'custom "{entry.type}" 缺少必填的 {key}:',
                            f'"{entry.type}" needs {key}:')
        return None
    return str(val)


def _amount(entry: Custom, amt: Amount, currency: str) -> Decimal:
    if amt.currency != currency:
        raise Malformed(f"金额币种应为 {currency}，实为 {amt.currency}",
                        f"amount should be in {currency}, found {amt.currency}")
    if amt.number <= 0:
        raise Malformed(f"金额应大于零，实为 {amt.number}", f"amount must be positive, found {amt.number}")
    return amt.number


@dataclass(frozen=True)
class MemberDecl:
    id: str
    name: str
    branch: str
    category: str | None
    contact: str | None


def read_member(entry: Custom) -> MemberDecl:
    (mid,) = _shape(entry, "id")
    return MemberDecl(mid, _meta_text(entry, "name", True), _meta_text(entry, "branch", True),
                      _meta_text(entry, "category", False), _meta_text(entry, "contact", False))


def read_review(entry: Custom) -> tuple[str, str]:
    vals = entry.values  # reviews are most of a ledger's directives: the plain case first
    if vals is not None and len(vals) == 2:
        mid, tier = vals[0].value, vals[1].value
        if tier in TIERS and is_id(mid):
            return mid, tier
    mid, tier = _shape(entry, "id", "str")
    if tier not in TIERS:
        raise Malformed(f"审核等级应为 {'/'.join(TIERS)} 之一，实为 \"{tier}\"",
                        f"tier should be one of {', '.join(TIERS)}, found \"{tier}\"")
    return mid, tier


def read_exit(entry: Custom) -> str:
    return _shape(entry, "id")[0]


@dataclass(frozen=True)
class ApplyDecl:
    id: str
    member_id: str
    kind: str
    amount: Decimal
    purpose: str | None


def read_apply(entry: Custom, currency: str) -> ApplyDecl:
    app_id, mid, kind, amt = _shape(entry, "id", "id", "str", "amount")
    if kind not in KINDS:
        raise Malformed(f'申请类别应为 "loan" 或 "relief"，实为 "{kind}"',
                        f'kind should be "loan" or "relief", found "{kind}"')
    return ApplyDecl(app_id, mid, kind, _amount(entry, amt, currency),
                     _meta_text(entry, "purpose", False))


def read_step(entry: Custom) -> str:
    vals = entry.values  # steps are the other many: the plain case first
    if vals is not None and len(vals) == 1 and is_id(vals[0].value):
        return vals[0].value
    return _shape(entry, "id")[0]


def read_approve(entry: Custom, currency: str) -> tuple[str, Decimal]:
    app_id, amt = _shape(entry, "id", "amount")
    return app_id, _amount(entry, amt, currency)


def read_reschedule(entry: Custom) -> tuple[str, datetime.date]:
    loan_id, new_due = _shape(entry, "id", "date")
    return loan_id, new_due


def read_release(entry: Custom, currency: str) -> Decimal:
    (amt,) = _shape(entry, "amount")
    return _amount(entry, amt, currency)


def read_policy(entry: Custom) -> tuple[str, Any]:
    vals = values(entry)
    if len(vals) != 2:
        raise Malformed(f'custom "fund-policy" 应为 "KEY" VALUE 两个值，实有 {len(vals)} 个',
                        f'"fund-policy" takes "KEY" VALUE, found {len(vals)} '
                        f'value{"s" if len(vals) != 1 else ""}')
    if not isinstance(vals[0], str):
        raise Malformed(f'custom "fund-policy" 的第一个值应为政策项名称（字符串，如 "loan-max"），'
                        f'实为 {as_written(vals[0])}',
                        f'"fund-policy" takes the key first, as a string such as "loan-max", '
                        f'found {as_written(vals[0])}')
    return vals[0], vals[1]
