"""The policy model (SPEC §3): defaults, types, and dates in force."""

import datetime
from decimal import Decimal

import pytest
from beancount.core.amount import Amount

from fundledger.policy import Policy, PolicyTimeline, PolicyValueError, convert

D = datetime.date


def test_defaults_are_the_specs():
    p = Policy()
    assert (p.loan_max, p.loan_min, p.loan_term_months, p.loan_extension_months) == (
        Decimal(5000), Decimal(0), 24, 12)
    assert (p.loan_annual_quota, p.loan_per_member, p.loan_rate_max) == (50, 1, None)
    assert p.guarantor_required and p.fiscal_allowed
    assert (p.publicity_days, p.review_valid_months) == (5, 12)
    assert p.steps("loan") == ("branch-review", "publicity", "approve", "inspect")
    assert p.steps("relief") == ("branch-review", "publicity", "approve")
    assert p.application_exempt == ("Expenses:Relief:Visits",)
    assert p.relief_cap_year is None and p.education_grant == Decimal(1000)
    assert [p.subsidy(t) for t in ("general", "relative", "special")] == [
        Decimal(100), None, Decimal(200)]


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("loan-max", Amount(Decimal("3000"), "CNY"), Decimal("3000")),
    ("loan-term-months", Decimal("36"), 36),
    ("loan-rate-max", Decimal("0.0435"), Decimal("0.0435")),
    ("fiscal-allowed", False, False),
    ("steps-relief", "branch-review verify publicity approve",
     ("branch-review", "verify", "publicity", "approve")),
    ("application-exempt", "Expenses:Relief:Visits Expenses:Relief:Emergency",
     ("Expenses:Relief:Visits", "Expenses:Relief:Emergency")),
])
def test_values_of_the_right_type(key, value, expected):
    assert convert(key, value, "CNY") == expected


@pytest.mark.parametrize(("key", "value"), [
    ("loan-max", Decimal("3000")),                  # a number, not an amount
    ("loan-max", Amount(Decimal("3000"), "USD")),   # another currency
    ("loan-term-months", Decimal("24.5")),
    ("loan-term-months", True),
    ("fiscal-allowed", "FALSE"),
    ("steps-loan", ""),
    ("steps-loan", "approve apply"),                # a directive name is not a step
    ("application-exempt", "Expenses:Office"),
])
def test_values_of_the_wrong_type_say_what_was_expected(key, value):
    with pytest.raises(PolicyValueError) as info:
        convert(key, value, "CNY")
    assert key in info.value.zh and "expects" in info.value.en


def test_negative_values_are_refused_by_the_model():
    timeline = PolicyTimeline()
    with pytest.raises(PolicyValueError):
        timeline.set(D(2025, 1, 1), "loan-max", Decimal("-1"))


def test_a_value_is_in_force_from_its_date_until_replaced():
    timeline = PolicyTimeline()
    timeline.set(D(2025, 1, 1), "loan-max", Decimal("3000"))
    timeline.set(D(2025, 7, 1), "loan-max", Decimal("4000"))
    timeline.set(D(2025, 7, 1), "loan-min", Decimal("1000"))
    assert timeline.at(D(2024, 12, 31)).loan_max == Decimal(5000)
    assert timeline.at(D(2025, 1, 1)).loan_max == Decimal(3000)
    assert timeline.at(D(2025, 6, 30)).loan_max == Decimal(3000)
    assert timeline.at(D(2025, 7, 1)).loan_max == Decimal(4000)
    assert timeline.at(D(2025, 7, 1)).loan_min == Decimal(1000)
    assert timeline.at(D(2030, 1, 1)).loan_max == Decimal(4000)


@pytest.mark.parametrize(("key", "value", "zh", "en"), [
    # a bare number where an amount is expected (SPEC §3)
    ("loan-max", Decimal("5000"), "loan-max 的值应为金额（数字后写币种），如 5000 CNY，实为 5000（缺少币种 CNY）",
     "loan-max expects an amount with its currency such as 5000 CNY, found 5000 (no currency CNY)"),
    ("loan-max", Amount(Decimal("3000"), "USD"), "如 5000 CNY，实为 3000 USD（币种应为 CNY）",
     "found 3000 USD (not in CNY)"),
    ("guarantor-required", "yes", 'guarantor-required 的值应为 TRUE 或 FALSE，实为 "yes"',
     'guarantor-required expects TRUE or FALSE, found "yes"'),
    ("fiscal-allowed", "FALSE", '实为 "FALSE"（TRUE 和 FALSE 不加引号）', "without quotes"),
    ("loan-term-months", True, "loan-term-months 的值应为非负整数，如 24，实为 TRUE",
     "loan-term-months expects a whole number such as 24, found TRUE"),
    ("steps-loan", "approve apply", '如 "branch-review publicity approve inspect"，实为 "approve apply"'
     "（apply 是基金指令，不是步骤）", "apply is a fund directive"),
    ("steps-relief", "branch-review approve branch-review", '如 "branch-review publicity approve"',
     "step branch-review twice"),
    ("application-exempt", "Expenses:Office", "Expenses:Office 不是救济账户", "not a relief account"),
    ("loan-rate-max", Amount(Decimal("4.35"), "CNY"), "如 0.0435，实为 4.35 CNY", "such as 0.0435"),
    ("relief-cap-year", True, "如 3000 CNY，实为 TRUE", "such as 3000 CNY, found TRUE"),
    ("loan-max", Amount(Decimal("-1"), "CNY"), "loan-max 的值 -1 CNY 无效：不能小于 0",
     "must not be below 0, found -1 CNY"),
])
def test_messages_spell_values_as_the_ledger_and_give_an_example_that_fits(key, value, zh, en):
    with pytest.raises(PolicyValueError) as info:
        convert(key, value, "CNY")
    assert zh in info.value.zh and en in info.value.en
    assert "True" not in info.value.zh and "应为T" not in info.value.zh  # ledger spelling, spaced


def test_follow_up_months_is_a_key():
    assert convert("follow-up-months", Decimal("6"), "CNY") == 6
    assert Policy().follow_up_months is None
