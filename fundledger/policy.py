"""The fund's policy (SPEC §3): a typed model, effective-dated by ``fund-policy`` directives.

``Policy`` is a frozen dataclass: ``convert`` checks each value's type and limits itself, in
the fund's words, so the model needs no validation library (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core.amount import Amount

from .accounts import Role, role_of
from .directives import FUND_TYPES, as_written

STEP_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Policy:
    """The policy values in force on one day. Field names are the SPEC keys with '_' for '-';
    every amount, count and rate is at least 0 (``convert``, ``with_value``)."""

    loan_max: Decimal = Decimal("5000")  # 借款上限
    loan_min: Decimal = Decimal("0")  # 借款下限
    loan_term_months: int = 24  # 借款期限（月）
    loan_extension_months: int = 12  # 展期上限（月）
    loan_annual_quota: int = 50  # 每年借款笔数上限
    loan_per_member: int = 1  # 每人同时未还借款笔数上限
    loan_rate_max: Decimal | None = None  # 年利率上限
    guarantor_required: bool = True  # 是否须有担保
    fiscal_allowed: bool = True  # 是否允许财政资金
    publicity_days: int = 5  # 公示天数
    review_valid_months: int = 12  # 年度审核有效期（月）
    steps_loan: tuple[str, ...] = ("branch-review", "publicity", "approve", "inspect")
    steps_relief: tuple[str, ...] = ("branch-review", "publicity", "approve")
    application_exempt: tuple[str, ...] = ("Expenses:Relief:Visits",)
    relief_cap_year: Decimal | None = None  # 每人每年救济上限
    education_grant: Decimal = Decimal("1000")  # 助学金标准
    subsidy_general: Decimal | None = Decimal("100")
    subsidy_relative: Decimal | None = None
    subsidy_special: Decimal | None = Decimal("200")
    follow_up_months: int | None = None  # 跟踪回访间隔（月）

    def steps(self, kind: str) -> tuple[str, ...]:
        return self.steps_loan if kind == "loan" else self.steps_relief

    def subsidy(self, tier: str) -> Decimal | None:
        return {
            "general": self.subsidy_general,
            "relative": self.subsidy_relative,
            "special": self.subsidy_special,
        }.get(tier)


# key -> what its value must be; the words are shown in FL103 messages.
KINDS: dict[str, str] = {
    "loan-max": "amount",
    "loan-min": "amount",
    "loan-term-months": "count",
    "loan-extension-months": "count",
    "loan-annual-quota": "count",
    "loan-per-member": "count",
    "loan-rate-max": "rate",
    "guarantor-required": "bool",
    "fiscal-allowed": "bool",
    "publicity-days": "count",
    "review-valid-months": "count",
    "steps-loan": "steps",
    "steps-relief": "steps",
    "application-exempt": "accounts",
    "relief-cap-year": "amount",
    "education-grant": "amount",
    "subsidy-general": "amount",
    "subsidy-relative": "amount",
    "subsidy-special": "amount",
    "follow-up-months": "count",
}

# What each kind of value is, in the fund's words (zh, en); FL103 messages add an example.
EXPECTED = {
    "amount": ("金额（数字后写币种）", "an amount with its currency"),
    "count": ("非负整数", "a whole number"),
    "rate": ("年利率（小数）", "an annual rate as a decimal"),
    "bool": ("TRUE 或 FALSE", "TRUE or FALSE"),
    "steps": ("以空格分隔的步骤名（写在引号内）", "space-separated step names in quotes"),
    "accounts": ("以空格分隔的救济账户（写在引号内）", "space-separated relief accounts in quotes"),
}

# A value that fits each key, as the ledger writes it ({cur}: the fund's currency).
EXAMPLES: dict[str, str] = {
    "loan-max": "5000 {cur}",
    "loan-min": "500 {cur}",
    "loan-term-months": "24",
    "loan-extension-months": "12",
    "loan-annual-quota": "50",
    "loan-per-member": "1",
    "loan-rate-max": "0.0435",
    "guarantor-required": "TRUE",
    "fiscal-allowed": "TRUE",
    "publicity-days": "5",
    "review-valid-months": "12",
    "steps-loan": '"branch-review publicity approve inspect"',
    "steps-relief": '"branch-review publicity approve"',
    "application-exempt": '"Expenses:Relief:Visits"',
    "relief-cap-year": "3000 {cur}",
    "education-grant": "1000 {cur}",
    "subsidy-general": "100 {cur}",
    "subsidy-relative": "150 {cur}",
    "subsidy-special": "200 {cur}",
    "follow-up-months": "6",
}


class PolicyValueError(ValueError):
    """A policy value of the wrong type; the message says what was expected (zh, en)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _shown(value: Any) -> str:
    """A value as the ledger spells it: TRUE, "text", 5000 CNY, 0.0435."""
    if type(value) is tuple:  # steps or accounts (an Amount is a tuple too)
        return f'"{" ".join(value)}"'
    return as_written(value)


def _wrong(key: str, value: Any, currency: str, why: tuple[str, str] | None = None
           ) -> PolicyValueError:
    """``loan-max 的值应为金额（数字后写币种），如 5000 CNY，实为 5000（缺少币种 CNY）``."""
    kind = KINDS[key]
    zh, en = EXPECTED[kind]
    example = EXAMPLES[key].format(cur=currency)
    found = _shown(value)
    zh_why, en_why = (f"（{why[0]}）", f" ({why[1]})") if why else ("", "")
    if kind == "bool":  # the expected words are the example
        return PolicyValueError(f"{key} 的值应为 TRUE 或 FALSE，实为 {found}{zh_why}",
                                f"{key} expects TRUE or FALSE, found {found}{en_why}")
    return PolicyValueError(f"{key} 的值应为{zh}，如 {example}，实为 {found}{zh_why}",
                            f"{key} expects {en} such as {example}, found {found}{en_why}")


def _step_trouble(words: tuple[str, ...]) -> tuple[str, str] | None:
    if not words:
        return "不能为空", "empty"
    for n, word in enumerate(words):
        if not STEP_RE.match(word):
            return (f"{word} 不是步骤名：小写字母开头，由小写字母、数字和 - 组成",
                    f"{word} is not a step name: a lowercase letter, then letters, digits or -")
        if word != "approve" and word in FUND_TYPES:
            return f"{word} 是基金指令，不是步骤", f"{word} is a fund directive, not a step"
        if word in words[:n]:
            return f"步骤 {word} 重复", f"step {word} twice"
    return None


def convert(key: str, value: Any, currency: str) -> Any:
    """The Python value of policy ``key`` from a directive's value, or PolicyValueError."""
    kind = KINDS[key]
    if kind == "amount":
        if isinstance(value, Decimal) and not isinstance(value, bool):
            raise _wrong(key, value, currency, (f"缺少币种 {currency}", f"no currency {currency}"))
        if not isinstance(value, Amount):
            raise _wrong(key, value, currency)
        if value.currency != currency:
            raise _wrong(key, value, currency, (f"币种应为 {currency}", f"not in {currency}"))
        return _within_limits(key, value.number, value)
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, Decimal) or value != value.to_integral_value():
            raise _wrong(key, value, currency)
        return _within_limits(key, int(value), value)
    if kind == "rate":
        if isinstance(value, bool) or not isinstance(value, Decimal):
            raise _wrong(key, value, currency)
        return _within_limits(key, value, value)
    if kind == "bool":
        if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
            raise _wrong(key, value, currency, ("TRUE 和 FALSE 不加引号", "without quotes"))
        if not isinstance(value, bool):
            raise _wrong(key, value, currency)
        return value
    if not isinstance(value, str):
        raise _wrong(key, value, currency)
    words = tuple(value.split())
    if kind == "steps":
        trouble = _step_trouble(words)
        if trouble is not None:
            raise _wrong(key, value, currency, trouble)
        return words
    if not words:
        raise _wrong(key, value, currency, ("不能为空", "empty"))
    for word in words:
        if role_of(word) is not Role.RELIEF:
            raise _wrong(key, value, currency, (f"{word} 不是救济账户 Expenses:Relief:…",
                                                f"{word} is not a relief account"))
    return words


# The kinds of value that are numbers, and so must not be below 0.
NUMBERS = frozenset({"amount", "count", "rate"})


def _within_limits(key: str, converted: Any, written: Any) -> Any:
    """``converted`` if the model's limits allow it; else PolicyValueError naming ``written``,
    the value as the ledger has it (``-1 CNY``, not ``-1``)."""
    if KINDS[key] not in NUMBERS or converted is None:
        return converted
    if isinstance(converted, Decimal) and not converted.is_finite():
        why = ("应为有限的数", "must be a finite number")
    elif converted < 0:
        why = ("不能小于 0", "must not be below 0")
    else:
        return converted
    raise _invalid(key, written, why)


def with_value(policy: Policy, key: str, value: Any) -> Policy:
    """``policy`` with ``key`` replaced by ``value`` (as ``convert`` gives it); PolicyValueError
    if the key is unknown or the value outside the model's limits."""
    if key not in KINDS:
        raise PolicyValueError(f"未知的政策项 {key}", f"unknown policy key {key}")
    return dataclasses.replace(policy, **{key.replace("-", "_"): _within_limits(key, value, value)})


def _invalid(key: str, value: Any, why: tuple[str, str]) -> PolicyValueError:
    return PolicyValueError(f"{key} 的值 {_shown(value)} 无效：{why[0]}",
                            f"{key}: {why[1]}, found {_shown(value)}")


class PolicyTimeline:
    """Policies in force by date: each ``fund-policy`` holds from its date until replaced."""

    def __init__(self) -> None:
        self._dates: list[datetime.date] = []
        self._policies: list[Policy] = [Policy()]

    def set(self, day: datetime.date, key: str, value: Any) -> None:
        """Apply one directive; directives must arrive in date order."""
        new = with_value(self._policies[-1], key, value)
        if self._dates and self._dates[-1] == day:
            self._policies[-1] = new
        else:
            self._dates.append(day)
            self._policies.append(new)

    def at(self, day: datetime.date) -> Policy:
        """The policy in force at the end of ``day``."""
        return self._policies[bisect.bisect_right(self._dates, day)]

    def all(self) -> list[Policy]:
        return list(self._policies)
