"""The fund's policy (SPEC §3): a typed model, effective-dated by ``fund-policy`` directives."""

from __future__ import annotations

import bisect
import datetime
import re
from decimal import Decimal
from typing import Any

from beancount.core.amount import Amount
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .accounts import Role, role_of
from .directives import FUND_TYPES

STEP_RE = re.compile(r"^[a-z][a-z0-9-]*$")


class Policy(BaseModel):
    """The policy values in force on one day. Field names are the SPEC keys with '_' for '-'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    loan_max: Decimal = Field(Decimal("5000"), ge=0, description="借款上限")
    loan_min: Decimal = Field(Decimal("0"), ge=0, description="借款下限")
    loan_term_months: int = Field(24, ge=0, description="借款期限（月）")
    loan_extension_months: int = Field(12, ge=0, description="展期上限（月）")
    loan_annual_quota: int = Field(50, ge=0, description="每年借款笔数上限")
    loan_per_member: int = Field(1, ge=0, description="每人同时未还借款笔数上限")
    loan_rate_max: Decimal | None = Field(None, ge=0, description="年利率上限")
    guarantor_required: bool = Field(True, description="是否须有担保")
    fiscal_allowed: bool = Field(True, description="是否允许财政资金")
    publicity_days: int = Field(5, ge=0, description="公示天数")
    review_valid_months: int = Field(12, ge=0, description="年度审核有效期（月）")
    steps_loan: tuple[str, ...] = ("branch-review", "publicity", "approve", "inspect")
    steps_relief: tuple[str, ...] = ("branch-review", "publicity", "approve")
    application_exempt: tuple[str, ...] = ("Expenses:Relief:Visits",)
    relief_cap_year: Decimal | None = Field(None, ge=0, description="每人每年救济上限")
    education_grant: Decimal = Field(Decimal("1000"), ge=0, description="助学金标准")
    subsidy_general: Decimal | None = Field(Decimal("100"), ge=0)
    subsidy_relative: Decimal | None = Field(None, ge=0)
    subsidy_special: Decimal | None = Field(Decimal("200"), ge=0)

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
}

EXPECTED = {
    "amount": ("金额，如 5000 {cur}", "an amount such as 5000 {cur}"),
    "count": ("非负整数，如 24", "a whole number such as 24"),
    "rate": ("年利率小数，如 0.0435", "an annual rate such as 0.0435"),
    "bool": ("TRUE 或 FALSE", "TRUE or FALSE"),
    "steps": ('以空格分隔的步骤名，如 "branch-review publicity approve"',
              'space-separated step names such as "branch-review publicity approve"'),
    "accounts": ('以空格分隔的救济账户，如 "Expenses:Relief:Visits"',
                 'space-separated relief accounts such as "Expenses:Relief:Visits"'),
}


class PolicyValueError(ValueError):
    """A policy value of the wrong type; the message says what was expected (zh, en)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _shown(value: Any) -> str:
    return str(value) if not isinstance(value, str) else f'"{value}"'


def convert(key: str, value: Any, currency: str) -> Any:
    """The Python value of policy ``key`` from a directive's value, or PolicyValueError."""
    kind = KINDS[key]
    zh, en = (s.format(cur=currency) for s in EXPECTED[kind])
    bad = PolicyValueError(f"{key} 的值应为{zh}，实为 {_shown(value)}",
                           f"{key} expects {en}, found {_shown(value)}")
    if kind == "amount":
        if not isinstance(value, Amount) or value.currency != currency:
            raise bad
        return value.number
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, Decimal) or value != value.to_integral_value():
            raise bad
        return int(value)
    if kind == "rate":
        if isinstance(value, bool) or not isinstance(value, Decimal):
            raise bad
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if not isinstance(value, str):
        raise bad
    words = tuple(value.split())
    if kind == "steps":
        if (not words or len(set(words)) != len(words)
                or not all(STEP_RE.match(w) and (w == "approve" or w not in FUND_TYPES)
                           for w in words)):
            raise bad
        return words
    if not all(role_of(w) is Role.RELIEF for w in words):
        raise bad
    return words


def with_value(policy: Policy, key: str, value: Any) -> Policy:
    """``policy`` with ``key`` replaced; PolicyValueError if the model rejects the value."""
    fields = policy.model_dump()
    fields[key.replace("-", "_")] = value
    try:
        return Policy.model_validate(fields)
    except ValidationError as exc:
        zh, en = zip(*(_reason(e) for e in exc.errors()), strict=True)
        raise PolicyValueError(f"{key} 的值 {_shown(value)} 无效：{'；'.join(zh)}",
                               f"{key}: {'; '.join(en)}, found {_shown(value)}") from None


# The model's limits, in the fund's words (anything else keeps pydantic's English).
_REASONS = {
    "greater_than_equal": ("不能小于 {ge}", "must not be below {ge}"),
    "less_than_equal": ("不能大于 {le}", "must not be above {le}"),
}


def _reason(error: Any) -> tuple[str, str]:
    known, ctx = _REASONS.get(error["type"]), error.get("ctx") or {}
    if known is None:
        return error["msg"], error["msg"]
    return known[0].format(**ctx), known[1].format(**ctx)


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
