"""SPEC §5 FL201–FL206 (applications and their workflow), written from the SPEC alone.

Default policy: steps-relief `branch-review publicity approve`, steps-loan
`branch-review publicity approve inspect`, publicity-days 5, application-exempt
`Expenses:Relief:Visits`.
"""

from __future__ import annotations

import os
from pathlib import Path

from beancount import loader
from ledgertools import (
    assert_clean,
    assert_fund_errors,
    is_fund_error,
    ledger,
    loan,
    loan_application,
    relief,
    relief_application,
)

MEDICAL = "Expenses:Relief:Medical"

# --------------------------------------------------------------------------- FL201


def test_relief_without_application_where_required_is_FL201():
    assert_fund_errors(ledger(
        relief(MEDICAL, 800, "2024-03-01", "M1", mark="FL201"),
    ), "FL201")


def test_relief_naming_an_unknown_application_is_FL201():
    assert_fund_errors(ledger(
        relief(MEDICAL, 800, "2024-03-01", "M1", "A9", mark="FL201"),
    ), "FL201")


def test_relief_paid_before_its_application_was_made_is_FL201():
    assert_fund_errors(ledger(
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1", mark="FL201"),
        relief_application("A1", "M1", 800, applied="2024-04-01"),
    ), "FL201")


def test_loan_without_application_is_FL201():
    assert_fund_errors(ledger(
        loan("L1", None, 3000, mark="FL201"),
    ), "FL201")


def test_exempt_relief_without_application_is_clean():
    assert_clean(ledger(
        relief("Expenses:Relief:Visits", 300, "2024-07-01", "M1"),
    ))


def test_relief_exempted_by_policy_without_application_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "application-exempt" "Expenses:Relief:Visits Expenses:Relief:Medical"
    """, relief(MEDICAL, 800, "2024-03-01", "M1")))


def test_visits_no_longer_exempt_by_policy_need_an_application_FL201():
    assert_fund_errors(ledger("""
        2024-01-01 open Expenses:Relief:Emergency CNY
        2024-06-01 custom "fund-policy" "application-exempt" "Expenses:Relief:Emergency"
    """, relief("Expenses:Relief:Visits", 300, "2024-05-01", "M1"),
        relief("Expenses:Relief:Visits", 300, "2024-07-01", "M1", mark="FL201"),
    ), "FL201")


def test_relief_with_an_approved_application_is_clean():
    assert_clean(ledger(
        relief_application("A1", "M1", 800),
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1"),
    ))


def test_application_on_the_transaction_is_clean():
    assert_clean(ledger(relief_application("A1", "M1", 800), """
        2024-03-01 * "医疗救助"
          application: "A1"
          member: "M1"
          Expenses:Relief:Medical    800.00 CNY
          Assets:Bank:Fund
    """))


# --------------------------------------------------------------------------- FL202

def test_loan_application_used_for_relief_is_FL202():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 2000),
        relief(MEDICAL, 1000, "2024-03-01", "M1", "A1", mark="FL202"),
    ), "FL202")


def test_relief_application_used_for_a_loan_is_FL202():
    # Both kinds need the same steps here, so only the kind is wrong.
    assert_fund_errors(ledger("""
        2024-01-01 custom "fund-policy" "steps-loan" "branch-review publicity approve"
    """, relief_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, mark="FL202"),
    ), "FL202")


def test_relief_to_another_member_than_the_applicant_is_FL202():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 800),
        relief(MEDICAL, 800, "2024-03-01", "M2", "A1", mark="FL202"),
    ), "FL202")


def test_relief_to_the_applicant_on_a_relief_application_is_clean():
    assert_clean(ledger(
        relief_application("A1", "M2", 800),
        relief(MEDICAL, 800, "2024-03-01", "M2", "A1"),
    ))


# --------------------------------------------------------------------------- FL203

def test_relief_without_publicity_is_FL203():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 800, steps=("branch-review", "approve")),
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1", mark="FL203"),
    ), "FL203")


def test_relief_without_approval_is_FL203():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 800, steps=("branch-review", "publicity")),
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1", mark="FL203"),
    ), "FL203")


def test_relief_paid_before_its_approval_is_FL203():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 800, steps=("branch-review", "publicity")),
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1", mark="FL203"),
        """
        2024-03-05 custom "approve" "A1" 800 CNY
          body: "乡党委"
          minutes: "〔2024〕5号"
        """,
    ), "FL203")


def test_loan_without_inspection_is_FL203():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 3000, steps=("branch-review", "publicity", "approve")),
        loan("L1", "A1", 3000, mark="FL203"),
    ), "FL203")


def test_loan_with_every_step_is_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000),
    ))


def test_relief_paid_on_the_day_of_its_approval_is_clean():
    assert_clean(ledger(
        relief_application("A1", "M1", 800, steps=("branch-review", "publicity")),
        """
        2024-03-01 custom "approve" "A1" 800 CNY
          body: "乡党委"
          minutes: "〔2024〕5号"
        """,
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1"),
    ))


def test_relief_without_publicity_when_policy_needs_none_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "steps-relief" "branch-review approve"
    """, relief_application("A1", "M1", 800, steps=("branch-review", "approve")),
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1"),
    ))


def test_a_step_added_to_the_policy_later_binds_only_later_payments_FL203():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 800),
        relief_application("A2", "M2", 800),
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1"),
        """
        2024-06-01 custom "fund-policy" "steps-relief" "branch-review publicity approve inspect"
        """,
        relief(MEDICAL, 800, "2024-07-01", "M2", "A2", mark="FL203"),
    ), "FL203")


# --------------------------------------------------------------------------- FL204

def test_publicity_before_branch_review_is_FL204_at_the_branch_review():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "publicity" "A1"
        2024-02-03 custom "branch-review" "A1" ; FL204
        2024-02-10 custom "approve" "A1" 800 CNY
          body: "乡党委"
          minutes: "〔2024〕5号"
    """, relief(MEDICAL, 800, "2024-03-01", "M1", "A1")), "FL204")


def test_inspection_before_approval_of_a_loan_is_FL204_at_the_approval():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "loan" 3000 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "publicity" "A1"
        2024-02-05 custom "inspect" "A1"
        2024-02-10 custom "approve" "A1" 3000 CNY ; FL204
          body: "乡党委"
          minutes: "〔2024〕5号"
    """, loan("L1", "A1", 3000)), "FL204")


def test_steps_on_the_same_day_written_out_of_order_are_clean():
    assert_clean(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "publicity" "A1"
        2024-02-02 custom "branch-review" "A1"
        2024-02-10 custom "approve" "A1" 800 CNY
          body: "乡党委"
          minutes: "〔2024〕5号"
    """, relief(MEDICAL, 800, "2024-03-01", "M1", "A1")))


def test_step_after_rejection_is_FL204():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "reject" "A1"
        2024-02-04 custom "publicity" "A1" ; FL204
    """), "FL204")


def test_approval_after_rejection_is_FL204():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "publicity" "A1"
        2024-02-05 custom "reject" "A1"
        2024-02-10 custom "approve" "A1" 800 CNY ; FL204
          body: "乡党委"
          minutes: "〔2024〕5号"
    """), "FL204")


def test_payment_after_rejection_is_FL204():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 800),
        """
        2024-02-20 custom "reject" "A1"
        """,
        relief(MEDICAL, 800, "2024-03-01", "M1", "A1", mark="FL204"),
    ), "FL204")


def test_rejection_with_nothing_after_it_is_clean():
    assert_clean(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "reject" "A1"
    """))


# --------------------------------------------------------------------------- FL205

def test_approval_three_days_after_publicity_is_FL205():
    assert_fund_errors(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "publicity" "A1"
        2024-02-06 custom "approve" "A1" 800 CNY ; FL205
          body: "乡党委"
          minutes: "〔2024〕5号"
    """, relief(MEDICAL, 800, "2024-03-01", "M1", "A1")), "FL205")


def test_approval_exactly_publicity_days_after_publicity_is_clean():
    assert_clean(ledger("""
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "publicity" "A1"
        2024-02-08 custom "approve" "A1" 800 CNY
          body: "乡党委"
          minutes: "〔2024〕5号"
    """, relief(MEDICAL, 800, "2024-03-01", "M1", "A1")))


def test_longer_publicity_days_by_policy_is_FL205():
    assert_fund_errors(ledger("""
        2024-01-01 custom "fund-policy" "publicity-days" 7
        2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
        2024-02-02 custom "branch-review" "A1"
        2024-02-03 custom "publicity" "A1"
        2024-02-09 custom "approve" "A1" 800 CNY ; FL205
          body: "乡党委"
          minutes: "〔2024〕5号"
    """, relief(MEDICAL, 800, "2024-03-01", "M1", "A1")), "FL205")


PUBLICITY_LAST = """
    2024-01-01 custom "fund-policy" "steps-relief" "branch-review approve publicity"
    2024-02-01 custom "apply" "A1" "M1" "relief" 800 CNY
    2024-02-02 custom "branch-review" "A1"
    2024-02-03 custom "approve" "A1" 800 CNY
      body: "乡党委"
      minutes: "〔2024〕5号"
    2024-02-04 custom "publicity" "A1"
"""


def test_payment_two_days_after_publicity_as_last_step_is_FL205():
    assert_fund_errors(ledger(
        PUBLICITY_LAST,
        relief(MEDICAL, 800, "2024-02-06", "M1", "A1", mark="FL205"),
    ), "FL205")


def test_payment_five_days_after_publicity_as_last_step_is_clean():
    assert_clean(ledger(
        PUBLICITY_LAST,
        relief(MEDICAL, 800, "2024-02-09", "M1", "A1"),
    ))


# --------------------------------------------------------------------------- FL206

def test_payments_adding_up_to_more_than_approved_is_FL206_at_the_one_that_crosses():
    assert_fund_errors(ledger(
        relief_application("A1", "M1", 2000),
        relief(MEDICAL, 1500, "2024-03-01", "M1", "A1"),
        relief(MEDICAL, 1000, "2024-03-05", "M1", "A1", mark="FL206"),
    ), "FL206")


def test_payments_adding_up_to_the_approved_amount_are_clean():
    assert_clean(ledger(
        relief_application("A1", "M1", 2000),
        relief(MEDICAL, 1500, "2024-03-01", "M1", "A1"),
        relief(MEDICAL, 500, "2024-03-05", "M1", "A1"),
    ))


def test_loan_above_its_approval_is_FL206():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 4000, approved=3000),
        loan("L1", "A1", 4000, mark="FL206"),
    ), "FL206")


def test_a_later_larger_approval_raises_the_limit_clean():
    assert_clean(ledger(relief_application("A1", "M1", 2000, approved=1000), """
        2024-02-15 custom "approve" "A1" 2000 CNY
          body: "乡党委"
          minutes: "〔2024〕6号"
    """, relief(MEDICAL, 2000, "2024-03-01", "M1", "A1")))


def test_a_later_smaller_approval_lowers_the_limit_FL206():
    assert_fund_errors(ledger(relief_application("A1", "M1", 2000), """
        2024-02-15 custom "approve" "A1" 1000 CNY
          body: "乡党委"
          minutes: "〔2024〕6号"
    """, relief(MEDICAL, 1500, "2024-03-01", "M1", "A1", mark="FL206")), "FL206")


# --------------------------------------------------------------------------- files

PAYMENTS_FILE = """\
2024-03-01 * "医疗救助"
  Expenses:Relief:Medical    800.00 CNY
    member: "M1"
    application: "A1"
  Assets:Bank:Fund
"""


def _split(tmp_path: Path, approve_day: str) -> Path:
    main = tmp_path / "main.beancount"
    (tmp_path / "payments.beancount").write_text(PAYMENTS_FILE, encoding="utf-8")
    main.write_text(ledger(
        'include "payments.beancount"',
        relief_application("A1", "M1", 800, steps=("branch-review", "publicity")),
        f"""
        {approve_day} custom "approve" "A1" 800 CNY
          body: "乡党委"
          minutes: "〔2024〕5号"
        """,
    ), encoding="utf-8")
    return main


def _fund_errors_of_file(path: Path):
    # A fresh tmp_path holds no stale pickle cache, so load_file is safe here.
    _, errors, _ = loader.load_file(str(path))
    assert [e.message for e in errors if not is_fund_error(e)] == []
    return [(e.message[:5], os.path.basename(e.source["filename"]), e.source["lineno"])
            for e in errors if is_fund_error(e)]


def test_approval_and_payment_on_the_same_day_in_different_files_are_in_order(tmp_path):
    # beancount sorts the payment (line 1 of its file) before the approval (a later line
    # of the main file); acts on the same day still count as in order.
    assert _fund_errors_of_file(_split(tmp_path, "2024-03-01")) == []


def test_approval_a_day_after_a_payment_in_another_file_is_FL203_there(tmp_path):
    assert _fund_errors_of_file(_split(tmp_path, "2024-03-02")) == [
        ("FL203", "payments.beancount", 1)]
