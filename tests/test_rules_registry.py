"""SPEC §5 FL101–FL106 (sources, accounts, policy, registry), written from the SPEC alone;
plus the SPEC §8 example, bean-check itself, and ledgers split by ``include``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from beancount import loader
from ledgertools import (
    assert_clean,
    assert_fund_errors,
    is_fund_error,
    ledger,
    marked,
    relief,
    split_errors,
)

# --------------------------------------------------------------------------- FL101

FISCAL = """
    2024-01-01 open Income:Fiscal:County          CNY
      name: "县财政补助"
"""


def test_fiscal_income_while_fiscal_not_allowed_is_FL101():
    assert_fund_errors(ledger(FISCAL, """
        2024-01-01 custom "fund-policy" "fiscal-allowed" FALSE
        2024-03-01 * "县财政局" "财政补助" ; FL101
          Assets:Bank:Fund       20000.00 CNY
          Income:Fiscal:County
    """), "FL101")


def test_income_fiscal_itself_is_fiscal_FL101():
    assert_fund_errors(ledger("""
        2024-01-01 open Income:Fiscal CNY
        2024-01-01 custom "fund-policy" "fiscal-allowed" FALSE
        2024-03-01 * "县财政局" "财政补助" ; FL101
          Assets:Bank:Fund       20000.00 CNY
          Income:Fiscal
    """), "FL101")


def test_fiscal_income_when_fiscal_allowed_by_default_is_clean():
    assert_clean(ledger(FISCAL, """
        2024-03-01 * "县财政局" "财政补助"
          Assets:Bank:Fund       20000.00 CNY
          Income:Fiscal:County
    """))


def test_non_fiscal_income_while_fiscal_not_allowed_is_clean():
    assert_clean(ledger(FISCAL, """
        2024-01-01 custom "fund-policy" "fiscal-allowed" FALSE
        2024-03-01 * "王建国" "捐款"
          Assets:Bank:Fund         500.00 CNY
          Income:Donations:Members
    """))


def test_fiscal_income_before_fiscal_allowed_turns_false_is_clean():
    # A policy is in force from its date only (SPEC §3).
    assert_clean(ledger(FISCAL, """
        2024-03-01 * "县财政局" "财政补助"
          Assets:Bank:Fund       20000.00 CNY
          Income:Fiscal:County
        2024-06-01 custom "fund-policy" "fiscal-allowed" FALSE
    """))


def test_fiscal_income_after_fiscal_allowed_turns_false_is_FL101():
    assert_fund_errors(ledger(FISCAL, """
        2024-03-01 * "县财政局" "财政补助"
          Assets:Bank:Fund       20000.00 CNY
          Income:Fiscal:County
        2024-06-01 custom "fund-policy" "fiscal-allowed" FALSE
        2024-07-01 * "县财政局" "财政补助" ; FL101
          Assets:Bank:Fund       20000.00 CNY
          Income:Fiscal:County
    """), "FL101")


# --------------------------------------------------------------------------- FL102

@pytest.mark.parametrize("account", [
    "Expenses:Office",
    "Expenses:Travel:Meals",
    "Assets:Receivable",
    "Assets:Loans:L1:Interest",
    "Assets:Loans:2024-001",          # a loan ID starts with a letter
    "Liabilities:Payable",
    "Equity:Retained",
])
def test_account_outside_the_roles_is_FL102_at_its_open(account):
    assert_fund_errors(ledger(f"""
        2024-01-01 open {account} CNY ; FL102
    """), "FL102")


def test_spending_on_an_account_outside_the_roles_is_FL102_once_at_its_open():
    assert_fund_errors(ledger("""
        2024-01-01 open Expenses:Office CNY ; FL102
        2024-03-01 * "办公用品"
          Expenses:Office          200.00 CNY
          Assets:Bank:Fund
        2024-04-01 * "办公用品"
          Expenses:Office          100.00 CNY
          Assets:Bank:Fund
    """), "FL102")


def test_accounts_of_every_role_are_clean():
    assert_clean(ledger("""
        2024-01-01 open Assets:Bank:Savings                CNY
        2024-01-01 open Assets:Cash:Petty                  CNY
        2024-01-01 open Assets:Loans:L2025-003             CNY
        2024-01-01 open Income:Grassroots:Committee        CNY
        2024-01-01 open Income:Interest:Deposits           CNY
        2024-01-01 open Income:Fiscal                      CNY
        2024-01-01 open Equity:OpeningBalances             CNY
        2024-01-01 open Expenses:Relief:Emergency          CNY
        2024-01-01 open Expenses:Relief:InterestSubsidy    CNY
        2024-01-01 open Expenses:Relief:Medical:Surgery    CNY
        2024-01-01 open Expenses:Losses:Loans              CNY
        2024-01-01 open Expenses:Fees:Bank                 CNY
    """))


# --------------------------------------------------------------------------- FL103

def test_policy_with_unknown_key_is_FL103():
    assert_fund_errors(ledger("""
        2024-01-01 custom "fund-policy" "loan-maximum" 6000 CNY ; FL103
    """), "FL103")


@pytest.mark.parametrize("key, value", [
    ("loan-max", '"6000"'),
    ("loan-min", "TRUE"),
    ("loan-term-months", '"two years"'),
    ("loan-annual-quota", "50 CNY"),
    ("loan-rate-max", "4.35 CNY"),
    ("guarantor-required", '"yes"'),
    ("fiscal-allowed", "0"),
    ("publicity-days", "5 CNY"),
    ("review-valid-months", "FALSE"),
    ("steps-loan", "3"),
    ("steps-relief", "TRUE"),
    ("application-exempt", "5"),
    ("relief-cap-year", "TRUE"),
    ("education-grant", '"1000"'),
    ("subsidy-general", '"一百"'),
])
def test_policy_value_of_the_wrong_type_is_FL103(key, value):
    assert_fund_errors(ledger(f"""
        2024-01-01 custom "fund-policy" "{key}" {value} ; FL103
    """), "FL103")


@pytest.mark.parametrize("values", [
    '"loan-max"',                                  # no value
    '5000 CNY "loan-max"',                         # value first
    '"steps-loan" "branch-review approve" "x"',    # one value too many
    '"publicity-days" -3',                         # below the model's limit
])
def test_policy_directive_of_the_wrong_shape_is_FL103(values):
    assert_fund_errors(ledger(f"""
        2024-01-01 custom "fund-policy" {values} ; FL103
    """), "FL103")


def test_policy_messages_are_in_the_funds_words():
    from ledgertools import load
    _, errors, _ = load(ledger("""
        2024-01-01 custom "fund-policy" "publicity-days" -3
        2024-01-01 custom "fund-policy" 5000 CNY "loan-max"
    """))
    messages = [e.message for e in errors]
    assert len(messages) == 2 and all(m.startswith("FL103 ") for m in messages)
    assert any(m.startswith("FL103 publicity-days 的值 -3 无效：不能小于 0") for m in messages)
    assert all("Input should" not in m and "Decimal(" not in m for m in messages)
    assert any('takes the key first, as a string such as "loan-max", found 5000 CNY' in m
               for m in messages)


def test_policy_of_every_key_with_right_types_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-max" 6000 CNY
        2024-01-01 custom "fund-policy" "loan-min" 1000 CNY
        2024-01-01 custom "fund-policy" "loan-term-months" 24
        2024-01-01 custom "fund-policy" "loan-extension-months" 12
        2024-01-01 custom "fund-policy" "loan-annual-quota" 50
        2024-01-01 custom "fund-policy" "loan-per-member" 1
        2024-01-01 custom "fund-policy" "loan-rate-max" 0.0435
        2024-01-01 custom "fund-policy" "guarantor-required" TRUE
        2024-01-01 custom "fund-policy" "fiscal-allowed" FALSE
        2024-01-01 custom "fund-policy" "publicity-days" 7
        2024-01-01 custom "fund-policy" "review-valid-months" 12
        2024-01-01 custom "fund-policy" "steps-loan" "branch-review publicity approve inspect"
        2024-01-01 custom "fund-policy" "steps-relief" "branch-review publicity approve"
        2024-01-01 custom "fund-policy" "application-exempt" "Expenses:Relief:Visits Expenses:Relief:Medical"
        2024-01-01 custom "fund-policy" "relief-cap-year" 5000 CNY
        2024-01-01 custom "fund-policy" "education-grant" 1000 CNY
        2024-01-01 custom "fund-policy" "subsidy-general" 100 CNY
        2024-01-01 custom "fund-policy" "subsidy-relative" 150 CNY
        2024-01-01 custom "fund-policy" "subsidy-special" 200 CNY
    """))


# --------------------------------------------------------------------------- FL104

def test_member_registered_twice_is_FL104_at_the_second():
    assert_fund_errors(ledger("""
        2024-02-01 custom "member" "M1" ; FL104
          name: "张秀兰"
          branch: "中田村党支部"
    """), "FL104")


def test_application_id_used_twice_is_FL104_at_the_second():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 500 CNY
          purpose: "医疗救助"
        2024-02-05 custom "apply" "A1" "M2" "relief" 800 CNY ; FL104
          purpose: "医疗救助"
    """), "FL104")


def test_distinct_member_and_application_ids_are_clean():
    assert_clean(ledger("""
        2024-02-01 custom "member" "M3"
          name: "王建国"
          branch: "中田村党支部"
        2024-02-01 custom "apply" "A1" "M1" "relief" 500 CNY
          purpose: "医疗救助"
        2024-02-05 custom "apply" "A2" "M1" "relief" 800 CNY
          purpose: "医疗救助"
    """))


# --------------------------------------------------------------------------- FL105

def test_relief_posting_without_member_is_FL105():
    assert_fund_errors(ledger("""
        2024-07-01 * "七一走访慰问" ; FL105
          Expenses:Relief:Visits     300.00 CNY
          Assets:Bank:Fund
    """), "FL105")


def test_relief_posting_with_member_on_the_posting_is_clean():
    assert_clean(ledger("""
        2024-07-01 * "七一走访慰问"
          Expenses:Relief:Visits     300.00 CNY
            member: "M1"
          Assets:Bank:Fund
    """))


def test_relief_with_member_on_the_transaction_is_clean():
    assert_clean(ledger("""
        2024-07-01 * "七一走访慰问"
          member: "M1"
          Expenses:Relief:Visits     300.00 CNY
          Assets:Bank:Fund
    """))


def test_relief_transaction_with_a_member_on_each_posting_is_clean():
    assert_clean(ledger("""
        2024-07-01 * "七一走访慰问"
          Expenses:Relief:Visits     300.00 CNY
            member: "M1"
          Expenses:Relief:Visits     300.00 CNY
            member: "M2"
          Assets:Bank:Fund
    """))


def test_relief_transaction_with_one_posting_lacking_member_is_FL105():
    assert_fund_errors(ledger("""
        2024-07-01 * "七一走访慰问" ; FL105
          Expenses:Relief:Visits     300.00 CNY
            member: "M1"
          Expenses:Relief:Visits     300.00 CNY
          Assets:Bank:Fund
    """), "FL105")


# --------------------------------------------------------------------------- FL106

@pytest.mark.parametrize("directive", [
    'custom "review" "M1"',                                  # too few values
    'custom "review" "M1" "general" "special"',              # too many values
    'custom "review" "M1" "rich"',                           # no such tier
    'custom "review" "M1" 3',                                # tier of the wrong type
    'custom "review" "M9" "general"',                        # unknown member
    'custom "exit" "M9"\n  reason: "脱困"',                  # unknown member
    'custom "apply" "A1" "M9" "relief" 500 CNY',             # unknown member
    'custom "apply" "A1" "M1" "gift" 500 CNY',               # neither loan nor relief
    'custom "apply" "A1" "M1" "relief"',                     # no amount
    'custom "apply" "A1" "M1" "relief" "500"',               # amount of the wrong type
    'custom "branch-review" "A9"',                           # unknown application
    'custom "publicity" "A9"',                               # unknown application
    'custom "approve" "A9" 500 CNY',                         # unknown application
    'custom "reject" "A9"',                                  # unknown application
    'custom "release" "5000"',                               # amount of the wrong type
    'custom "member" "M3"\n  branch: "中田村党支部"',        # no name:
    'custom "member" "M3"\n  name: "王建国"',                # no branch:
])
def test_malformed_fund_directive_is_FL106(directive):
    first, _, rest = directive.partition("\n")
    assert_fund_errors(ledger(f"2024-02-01 {first} ; FL106\n{rest}"), "FL106")


def test_fund_directive_without_values_is_FL106():
    # beancount's own pad plugin fails on a valueless custom directive (PITFALLS); the
    # fund rules must still report it.
    text = ledger("""
        2024-02-01 custom "review" ; FL106
    """)
    fund, _ = split_errors(text)
    assert fund == marked(text)


def test_approval_of_something_not_an_amount_is_FL106():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 500 CNY
        2024-02-10 custom "approve" "A1" "all" ; FL106
          body: "乡党委"
    """), "FL106")


def test_review_before_the_member_is_registered_is_FL106():
    assert_fund_errors(ledger("""
        2024-02-01 custom "review" "M3" "general" ; FL106
        2024-03-01 custom "member" "M3"
          name: "王建国"
          branch: "中田村党支部"
    """), "FL106")


def test_step_before_the_application_is_made_is_FL106():
    assert_fund_errors(ledger("""
        2024-02-01 custom "branch-review" "A1" ; FL106
        2024-02-03 custom "apply" "A1" "M1" "relief" 500 CNY
    """), "FL106")


def test_well_formed_fund_directives_are_clean():
    assert_clean(ledger("""
        2024-02-01 custom "member" "M3"
          name: "王建国"
          branch: "中田村党支部"
          category: "rural"
          contact: "村支书"
        2024-02-02 custom "review" "M3" "special"
        2024-02-03 custom "review" "M3" "relative"
        2024-02-04 custom "review" "M3" "none"
        2024-02-05 custom "apply" "A1" "M3" "relief" 500 CNY
          purpose: "医疗救助"
        2024-02-06 custom "branch-review" "A1"
        2024-02-07 custom "reject" "A1"
        2024-02-08 custom "apply" "A2" "M1" "loan" 3000 CNY
          purpose: "养猪"
        2024-02-09 custom "branch-review" "A2"
        2024-02-10 custom "publicity" "A2"
        2024-02-20 custom "approve" "A2" 3000 CNY
          body: "乡党委"
          minutes: "〔2024〕2号"
        2024-03-01 custom "release" 2000 CNY
          minutes: "〔2024〕3号"
        2024-12-01 custom "exit" "M3"
          reason: "脱贫"
    """))


def test_review_on_the_day_of_registration_written_above_it_is_clean():
    # Acts on the same day count as in order, whatever the line order.
    assert_clean(ledger("""
        2024-02-01 custom "review" "M3" "general"
        2024-02-01 custom "member" "M3"
          name: "王建国"
          branch: "中田村党支部"
    """))


def test_metadata_other_than_name_and_branch_is_not_required():
    assert_clean(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "publicity" "A1"
        2024-02-10 custom "approve" "A1" 800 CNY
        2024-03-01 custom "release" 100 CNY
        2024-12-01 custom "exit" "M2"
    """, relief("Expenses:Relief:Medical", 800, "2024-03-01", "M1", "A1")))


# --------------------------------------------------------------------------- SPEC §8

SPEC_EXAMPLE = """\
option "title" "某乡困难党员帮扶基金"
option "operating_currency" "CNY"
plugin "fundledger.plugin"

2025-01-01 open Assets:Bank:Fund              CNY
  name: "帮扶基金专户"
2025-01-01 open Income:Dues                   CNY
  name: "留存党费划拨"
  pool: "spendable"
2025-01-01 open Income:Donations:Members      CNY
  name: "党员捐款"
2025-01-01 open Income:Interest:Loans         CNY
2025-01-01 open Expenses:Relief:Visits        CNY
  name: "走访慰问"
2025-01-01 custom "fund-policy" "loan-rate-max" 0.0435

2025-01-02 custom "member" "M0007"
  name: "张秀兰"
  branch: "中田村党支部"
  category: "rural"
2025-01-06 custom "review" "M0007" "relative"

2025-01-10 * "乡党委" "留存党费划拨"
  Assets:Bank:Fund          8000.00 CNY
  Income:Dues
2025-06-01 * "王建国" "2025一日捐"
  campaign: "2025一日捐"
  Assets:Bank:Fund           500.00 CNY
  Income:Donations:Members

2025-02-03 custom "apply" "A2025-003" "M0007" "loan" 4000 CNY
  purpose: "食用菌种植"
2025-02-08 custom "branch-review" "A2025-003"
2025-02-09 custom "publicity" "A2025-003"
2025-02-20 custom "approve" "A2025-003" 4000 CNY
  body: "乡党委"
  minutes: "〔2025〕4号"
2025-03-01 custom "inspect" "A2025-003"
2025-06-05 open Assets:Loans:L2025-003 CNY
2025-06-05 * "张秀兰" "食用菌种植借款"
  application: "A2025-003"
  due: 2027-06-05
  guarantor: "中田村党支部"
  rate: 0.0435
  Assets:Loans:L2025-003    4000.00 CNY
  Assets:Bank:Fund

2025-07-01 * "七一走访慰问"
  Expenses:Relief:Visits     300.00 CNY
    member: "M0007"
  Assets:Bank:Fund

2026-06-05 * "张秀兰" "还本付息"
  Assets:Bank:Fund          2174.00 CNY
  Assets:Loans:L2025-003   -2000.00 CNY
  Income:Interest:Loans     -174.00 CNY
"""


def test_spec_section_8_example_checks_clean():
    _, errors, _ = loader.load_string(SPEC_EXAMPLE, dedent=True)
    assert [e.message for e in errors] == []


# --------------------------------------------------------------------------- bean-check

def bean_check() -> str:
    beside = Path(sys.executable).parent / "bean-check"
    found = str(beside) if beside.exists() else shutil.which("bean-check")
    assert found, "bean-check not found"
    return found


def run_bean_check(path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    return subprocess.run([bean_check(), str(path)], capture_output=True, text=True,
                          env=env, timeout=60, cwd=path.parent)


def test_bean_check_reports_a_fund_error_at_file_and_line(tmp_path):
    text = ledger("""
        2024-01-01 open Expenses:Office CNY ; FL102
        2024-07-01 * "七一走访慰问" ; FL105
          Expenses:Relief:Visits     300.00 CNY
          Assets:Bank:Fund
    """)
    path = tmp_path / "fund.beancount"
    path.write_text(text, encoding="utf-8")
    result = run_bean_check(path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for code, line in marked(text):
        assert f"{path}:{line}: {code}" in output, output


def test_bean_check_passes_the_spec_example(tmp_path):
    path = tmp_path / "fund.beancount"
    path.write_text(SPEC_EXAMPLE, encoding="utf-8")
    result = run_bean_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FL" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- include

MEMBERS_FILE = """\
; 党员台帐
2024-02-01 custom "member" "M3"
  name: "王建国"
  branch: "中田村党支部"
2024-02-02 custom "review" "M9" "general" ; FL106
"""


def write_split_ledger(tmp_path: Path) -> tuple[Path, Path]:
    main = tmp_path / "main.beancount"
    members = tmp_path / "members.beancount"
    main.write_text(ledger('include "members.beancount"'), encoding="utf-8")
    members.write_text(MEMBERS_FILE, encoding="utf-8")
    return main, members


def test_error_in_an_included_file_is_reported_at_that_file_and_line(tmp_path):
    # A fresh tmp_path holds no stale pickle cache, so load_file is safe here.
    main, members = write_split_ledger(tmp_path)
    _, errors, _ = loader.load_file(str(main))
    assert [e.message for e in errors if not is_fund_error(e)] == []
    found = [(e.message[:5], Path(e.source["filename"]).resolve(), e.source["lineno"])
             for e in errors if is_fund_error(e)]
    assert found == [("FL106", members.resolve(), 5)]


def test_bean_check_reports_an_included_files_error_at_that_file(tmp_path):
    main, members = write_split_ledger(tmp_path)
    result = run_bean_check(main)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    lines = [ln for ln in output.splitlines() if ": FL" in ln]
    assert len(lines) == 1, output
    location = lines[0].split(": FL")[0]
    filename, _, lineno = location.rpartition(":")
    assert Path(filename).resolve() == members.resolve()
    assert lineno == "5"
    assert lines[0].split(": ", 1)[1].startswith("FL106")

