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
    "reschedule", "write-off", "release", "follow-up",
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
_WHAT = {"id": "编号（字母开头，由字母、数字和 - 组成）", "str": "字符串（写在引号内）",
         "amount": "金额（如 100.00 {cur}）", "date": "日期（如 2027-06-05）"}
_WHAT_EN = {"id": "an ID (a letter, then letters, digits or -)", "str": "a string in quotes",
            "amount": "an amount with its currency (e.g. 100.00 {cur})", "date": "a date (e.g. 2027-06-05)"}

# How each directive is written: in the fund's words, in the SPEC's, and each value's name.
# A workflow step (any other type) is written like "reject".
_SHAPES: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "member": ('"成员编号"', '"M-ID"', (("成员编号", "the member ID"),)),
    "review": ('"成员编号" "general、relative、special 或 none"', '"M-ID" "TIER"',
               (("成员编号", "the member ID"), ("困难等级", "the tier"))),
    "exit": ('"成员编号"', '"M-ID"', (("成员编号", "the member ID"),)),
    "apply": ('"申请编号" "成员编号" "loan 或 relief" 金额 {cur}',
              '"APP-ID" "M-ID" "loan"|"relief" AMOUNT',
              (("申请编号", "the application ID"), ("成员编号", "the member ID"),
               ("申请类别", "the kind"), ("申请金额", "the amount"))),
    "approve": ('"申请编号" 批准金额 {cur}', '"APP-ID" AMOUNT',
                (("申请编号", "the application ID"), ("批准金额", "the amount approved"))),
    "reschedule": ('"借款编号" 新的到期日', '"LOAN-ID" DATE',
                   (("借款编号", "the loan ID"), ("新的到期日", "the new due date"))),
    "write-off": ('"借款编号"', '"LOAN-ID"', (("借款编号", "the loan ID"),)),
    "release": ("金额 {cur}", "AMOUNT", (("金额", "the amount"),)),
    "follow-up": ('"成员编号"', '"M-ID"', (("成员编号", "the member ID"),)),
}
_STEP_SHAPE = ('"申请编号"', '"APP-ID"', (("申请编号", "the application ID"),))


def usage(entry_type: str, currency: str = "CNY") -> tuple[str, str]:
    """How a directive is written (zh, en): ``custom "apply" "申请编号" "成员编号" …``."""
    zh, en, _ = _SHAPES.get(entry_type, _STEP_SHAPE)
    return (f'custom "{entry_type}" {zh.format(cur=currency)}', f'custom "{entry_type}" {en}')


def as_written(value: Any) -> str:
    """A directive's value as the ledger spells it (not Python's repr)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Amount):
        return f"{value.number} {value.currency}"
    return str(value)


def _shape(entry: Custom, *types: str, currency: str = "CNY") -> list[Any]:
    """Check the values against ``types`` (str, id, amount, date); return them."""
    vals = [v.value for v in (entry.values or ())]
    zh_usage, en_usage = usage(entry.type, currency)
    if len(vals) != len(types):
        raise Malformed(
            f'custom "{entry.type}" 应有 {len(types)} 个值，实有 {len(vals)} 个；应写成 {zh_usage}',
            f'"{entry.type}" takes {len(types)} value{"s" if len(types) != 1 else ""}, '
            f"found {len(vals)}: {en_usage}")
    names = _SHAPES.get(entry.type, _STEP_SHAPE)[2]
    for n, (val, kind) in enumerate(zip(vals, types, strict=True)):
        if not _CHECKS[kind](val):
            zh_name, en_name = names[n] if n < len(names) else ("值", "value")
            raise Malformed(
                f'custom "{entry.type}" 的第 {n + 1} 个值（{zh_name}）应为'
                f"{_WHAT[kind].format(cur=currency)}，实为 {as_written(val)}；应写成 {zh_usage}",
                f'"{entry.type}" value {n + 1} ({en_name}) should be '
                f"{_WHAT_EN[kind].format(cur=currency)}, found {as_written(val)}: {en_usage}")
    return vals


def _meta_text(entry: Custom, key: str, required: bool) -> str | None:
    val = entry.meta.get(key)
    if val is None or (isinstance(val, str) and not val.strip()):
        if required:
            raise Malformed(f'custom "{entry.type}" 缺少必填的元数据 {key}:',
                            f'"{entry.type}" needs {key}:')
        return None
    return str(val)


def _amount(entry: Custom, amt: Amount, currency: str) -> Decimal:
    if amt.currency != currency:
        raise Malformed(f'custom "{entry.type}" 的金额币种应为 {currency}，实为 {as_written(amt)}',
                        f"amount should be in {currency}, found {as_written(amt)}")
    if amt.number <= 0:
        raise Malformed(f'custom "{entry.type}" 的金额应大于零，实为 {as_written(amt)}',
                        f"amount must be positive, found {as_written(amt)}")
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
        if isinstance(tier, str) and tier in TIERS and is_id(mid):  # Amount == str raises
            return mid, tier
    mid, tier = _shape(entry, "id", "str")
    if tier not in TIERS:
        raise Malformed(f"审核等级应为 {'、'.join(TIERS)} 之一，实为 \"{tier}\"",
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
    app_id, mid, kind, amt = _shape(entry, "id", "id", "str", "amount", currency=currency)
    if kind not in KINDS:
        raise Malformed(f'申请类别应为 "loan" 或 "relief"，实为 "{kind}"；应写成 {usage("apply", currency)[0]}',
                        f'kind should be "loan" or "relief", found "{kind}"')
    return ApplyDecl(app_id, mid, kind, _amount(entry, amt, currency),
                     _meta_text(entry, "purpose", False))


def read_step(entry: Custom) -> str:
    vals = entry.values  # steps are the other many: the plain case first
    if vals is not None and len(vals) == 1 and is_id(vals[0].value):
        return vals[0].value
    return _shape(entry, "id")[0]


@dataclass(frozen=True)
class FollowUpDecl:
    contact: str
    note: str | None


def read_follow_up(entry: Custom) -> tuple[str, FollowUpDecl]:
    """A tracking contact's visit or call (跟踪联系/回访): ``contact:`` required, ``note:`` not."""
    (mid,) = _shape(entry, "id")
    return mid, FollowUpDecl(_meta_text(entry, "contact", True), _meta_text(entry, "note", False))


def read_approve(entry: Custom, currency: str) -> tuple[str, Decimal]:
    app_id, amt = _shape(entry, "id", "amount", currency=currency)
    return app_id, _amount(entry, amt, currency)


def read_reschedule(entry: Custom) -> tuple[str, datetime.date]:
    loan_id, new_due = _shape(entry, "id", "date")
    return loan_id, new_due


def read_release(entry: Custom, currency: str) -> Decimal:
    (amt,) = _shape(entry, "amount", currency=currency)
    return _amount(entry, amt, currency)


def read_policy(entry: Custom) -> tuple[str, Any]:
    vals = values(entry)
    if len(vals) != 2:
        raise Malformed(f'custom "fund-policy" 应有 2 个值，实有 {len(vals)} 个；应写成 '
                        f'custom "fund-policy" "政策项" 值，如 custom "fund-policy" "loan-max" 5000 CNY',
                        f'"fund-policy" takes "KEY" VALUE, found {len(vals)} '
                        f'value{"s" if len(vals) != 1 else ""}')
    if not isinstance(vals[0], str):
        raise Malformed(f'custom "fund-policy" 的第一个值应为政策项名称（写在引号内，如 "loan-max"），'
                        f'实为 {as_written(vals[0])}',
                        f'"fund-policy" takes the key first, as a string such as "loan-max", '
                        f'found {as_written(vals[0])}')
    return vals[0], vals[1]
