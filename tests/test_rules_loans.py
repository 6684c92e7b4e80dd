"""SPEC §5 FL301–FL308 (loans), written from the SPEC alone.

Default policy: loan-max 5000, loan-min 0, loan-term-months 24, loan-extension-months 12,
loan-annual-quota 50, loan-per-member 1, no loan-rate-max, guarantor-required TRUE.
Each loan below is applied for and taken through every step in February 2024.
"""

from __future__ import annotations

from ledgertools import (
    assert_clean,
    assert_fund_errors,
    ledger,
    load,
    loan,
    loan_application,
    repay,
)

# --------------------------------------------------------------------------- FL301


def test_loan_above_loan_max_is_FL301():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 6000),
        loan("L1", "A1", 6000, mark="FL301"),
    ), "FL301")


def test_FL301_message_says_what_was_expected_and_found():
    # SPEC §5: every message starts with its code, then says what was expected and found.
    _, errors, _ = load(ledger(loan_application("A1", "M1", 6000), loan("L1", "A1", 6000)))
    [message] = [e.message for e in errors]
    assert message.startswith("FL301")
    digits = message.replace(",", "")
    assert "5000" in digits and "6000" in digits, message


def test_loan_of_exactly_loan_max_is_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 5000),
        loan("L1", "A1", 5000),
    ))


def test_loan_above_a_raised_loan_max_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-max" 8000 CNY
    """, loan_application("A1", "M1", 6000), loan("L1", "A1", 6000)))


def test_loan_below_loan_min_is_FL301():
    assert_fund_errors(ledger("""
        2024-01-01 custom "fund-policy" "loan-min" 1000 CNY
    """, loan_application("A1", "M1", 500), loan("L1", "A1", 500, mark="FL301")), "FL301")


def test_loan_of_exactly_loan_min_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-min" 1000 CNY
    """, loan_application("A1", "M1", 1000), loan("L1", "A1", 1000)))


def test_loan_before_a_loan_max_change_is_judged_by_the_old_value():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 4000),
        loan("L1", "A1", 4000, "2024-03-01"),
        """
        2024-06-01 custom "fund-policy" "loan-max" 3000 CNY
        """,
        loan_application("A2", "M2", 4000, applied="2024-06-01"),
        loan("L2", "A2", 4000, "2024-07-01", mark="FL301"),
    ), "FL301")


def test_loan_on_the_day_of_a_loan_max_change_is_judged_by_the_new_value():
    # A policy is in force from its date (SPEC §3), whatever the line order that day.
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 4000),
        loan("L1", "A1", 4000, "2024-03-01", mark="FL301"),
        """
        2024-03-01 custom "fund-policy" "loan-max" 3000 CNY
        """,
    ), "FL301")


# --------------------------------------------------------------------------- FL302

def test_loan_without_due_is_FL302():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, due=None, mark="FL302"),
    ), "FL302")


def test_due_a_day_beyond_loan_term_months_is_FL302():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, "2024-03-01", due="2026-03-02", mark="FL302"),
    ), "FL302")


def test_due_exactly_loan_term_months_after_disbursement_is_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, "2024-03-01", due="2026-03-01"),
    ))


def test_due_beyond_a_shorter_loan_term_by_policy_is_FL302():
    assert_fund_errors(ledger("""
        2024-01-01 custom "fund-policy" "loan-term-months" 12
    """, loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, "2024-03-01", due="2025-03-02", mark="FL302"),
    ), "FL302")


def test_due_within_a_shorter_loan_term_by_policy_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-term-months" 12
    """, loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, "2024-03-01", due="2025-03-01"),
    ))


LOAN_DUE_2026 = (loan_application("A1", "M1", 3000)
                 + loan("L1", "A1", 3000, "2024-03-01", due="2026-03-01"))


def test_reschedule_beyond_loan_extension_months_is_FL302():
    assert_fund_errors(ledger(LOAN_DUE_2026, """
        2026-02-01 custom "reschedule" "L1" 2027-03-02 ; FL302
          minutes: "〔2026〕1号"
    """), "FL302")


def test_reschedule_by_exactly_loan_extension_months_is_clean():
    assert_clean(ledger(LOAN_DUE_2026, """
        2026-02-01 custom "reschedule" "L1" 2027-03-01
          minutes: "〔2026〕1号"
    """))


def test_reschedule_beyond_a_shorter_extension_by_policy_is_FL302():
    assert_fund_errors(ledger(LOAN_DUE_2026, """
        2025-01-01 custom "fund-policy" "loan-extension-months" 6
        2026-02-01 custom "reschedule" "L1" 2026-09-02 ; FL302
          minutes: "〔2026〕1号"
    """), "FL302")


def test_reschedule_within_a_shorter_extension_by_policy_is_clean():
    assert_clean(ledger(LOAN_DUE_2026, """
        2025-01-01 custom "fund-policy" "loan-extension-months" 6
        2026-02-01 custom "reschedule" "L1" 2026-09-01
          minutes: "〔2026〕1号"
    """))


def test_reschedule_to_something_not_a_date_is_FL106():
    assert_fund_errors(ledger(LOAN_DUE_2026, """
        2026-02-01 custom "reschedule" "L1" "2027-01-01" ; FL106
          minutes: "〔2026〕1号"
    """), "FL106")


# --------------------------------------------------------------------------- FL303

def test_loan_without_guarantor_is_FL303():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, guarantor=None, mark="FL303"),
    ), "FL303")


def test_loan_without_guarantor_when_not_required_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "guarantor-required" FALSE
    """, loan_application("A1", "M1", 3000), loan("L1", "A1", 3000, guarantor=None)))


# --------------------------------------------------------------------------- FL304

M3 = """
    2024-01-02 custom "member" "M3"
      name: "王建国"
      branch: "西岭村党支部"
    2024-01-03 custom "review" "M3" "special"
"""


def test_loans_beyond_the_annual_quota_are_FL304():
    assert_fund_errors(ledger(M3, """
        2024-01-01 custom "fund-policy" "loan-annual-quota" 1
    """, loan_application("A1", "M1", 3000),
        loan_application("A2", "M2", 3000),
        loan_application("A3", "M3", 3000),
        loan("L1", "A1", 3000, "2024-03-01"),
        loan("L2", "A2", 3000, "2024-03-05", mark="FL304"),
        loan("L3", "A3", 3000, "2024-11-05", mark="FL304"),
    ), "FL304", "FL304")


def test_loans_within_the_quota_of_each_calendar_year_are_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-annual-quota" 1
    """, loan_application("A1", "M1", 3000),
        loan_application("A2", "M2", 3000, applied="2024-12-01"),
        loan("L1", "A1", 3000, "2024-03-01"),
        loan("L2", "A2", 3000, "2025-01-02"),
    ))


# --------------------------------------------------------------------------- FL305

TWO_LOANS_OF_M1 = (loan_application("A1", "M1", 3000)
                   + loan_application("A2", "M1", 2000, applied="2024-03-10"))


def test_second_loan_while_the_first_is_outstanding_is_FL305():
    assert_fund_errors(ledger(
        TWO_LOANS_OF_M1,
        loan("L1", "A1", 3000, "2024-03-01"),
        loan("L2", "A2", 2000, "2024-04-01", mark="FL305"),
    ), "FL305")


def test_second_loan_while_the_first_is_partly_repaid_is_FL305():
    assert_fund_errors(ledger(
        TWO_LOANS_OF_M1,
        loan("L1", "A1", 3000, "2024-03-01"),
        repay("L1", 2999, "2024-03-20"),
        loan("L2", "A2", 2000, "2024-04-01", mark="FL305"),
    ), "FL305")


def test_second_loan_after_the_first_is_repaid_is_clean():
    assert_clean(ledger(
        TWO_LOANS_OF_M1,
        loan("L1", "A1", 3000, "2024-03-01"),
        repay("L1", 3000, "2024-03-20", interest=10),
        "2024-03-20 close Assets:Loans:L1",
        loan("L2", "A2", 2000, "2024-04-01"),
    ))


def test_first_loan_repaid_on_the_day_of_the_second_written_after_it_is_clean():
    assert_clean(ledger(
        TWO_LOANS_OF_M1,
        loan("L1", "A1", 3000, "2024-03-01"),
        loan("L2", "A2", 2000, "2024-04-01"),
        repay("L1", 3000, "2024-04-01"),
    ))


def test_second_loan_when_loan_per_member_is_two_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-per-member" 2
    """, TWO_LOANS_OF_M1,
        loan("L1", "A1", 3000, "2024-03-01"),
        loan("L2", "A2", 2000, "2024-04-01"),
    ))


def test_loans_of_two_different_members_at_once_are_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 3000),
        loan_application("A2", "M2", 3000),
        loan("L1", "A1", 3000, "2024-03-01"),
        loan("L2", "A2", 3000, "2024-03-01"),
    ))


# --------------------------------------------------------------------------- FL306

def test_rate_above_loan_rate_max_is_FL306():
    assert_fund_errors(ledger("""
        2024-01-01 custom "fund-policy" "loan-rate-max" 0.0435
    """, loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, rate="0.05", mark="FL306"),
    ), "FL306")


def test_rate_equal_to_loan_rate_max_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-rate-max" 0.0435
    """, loan_application("A1", "M1", 3000), loan("L1", "A1", 3000, rate="0.0435")))


def test_any_rate_without_loan_rate_max_is_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 3000),
        loan("L1", "A1", 3000, rate="0.08"),
    ))


def test_interest_free_loan_under_loan_rate_max_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "loan-rate-max" 0.0435
    """, loan_application("A1", "M1", 3000), loan("L1", "A1", 3000)))


# --------------------------------------------------------------------------- FL307

def test_loan_disbursed_twice_is_FL307_at_the_second():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 4000),
        loan("L1", "A1", 2000, "2024-03-01"),
        loan("L1", "A1", 2000, "2024-03-10", open_account=False, mark="FL307"),
    ), "FL307")


def test_loan_repaid_below_zero_is_FL307():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 4000),
        loan("L1", "A1", 4000, "2024-03-01"),
        repay("L1", 3000, "2024-09-01"),
        repay("L1", 1500, "2025-03-01", mark="FL307"),
    ), "FL307")


def test_loan_repaid_exactly_and_closed_is_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 4000),
        loan("L1", "A1", 4000, "2024-03-01"),
        repay("L1", 3000, "2024-09-01", interest=50),
        repay("L1", 1000, "2025-03-01", interest=20),
        "2025-03-01 close Assets:Loans:L1",
    ))


def test_loan_account_posted_to_before_disbursement_is_FL307():
    assert_fund_errors(ledger(
        loan_application("A1", "M1", 4000),
        """
        2024-02-20 open Assets:Loans:L1 CNY
        """,
        repay("L1", 100, "2024-02-25", mark="FL307"),
        loan("L1", "A1", 4000, "2024-03-01", open_account=False),
    ), "FL307")


def test_loan_account_opened_before_disbursement_is_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 4000),
        """
        2024-02-20 open Assets:Loans:L1 CNY
        """,
        loan("L1", "A1", 4000, "2024-03-01", open_account=False),
    ))


# --------------------------------------------------------------------------- FL308

ONE_LOAN = loan_application("A1", "M1", 4000) + loan("L1", "A1", 4000, "2024-03-01")



def write_off(mark: str = "") -> str:
    return (f'2026-06-01 * "核销呆账"{" ; " + mark if mark else ""}\n'
            "  Expenses:Losses           4000.00 CNY\n"
            "  Assets:Loans:L1\n")


def test_write_off_without_approval_is_FL308():
    assert_fund_errors(ledger(ONE_LOAN, write_off("FL308")), "FL308")


def test_write_off_approved_after_the_write_off_is_FL308():
    assert_fund_errors(ledger(ONE_LOAN, write_off("FL308"), """
        2026-06-10 custom "write-off" "L1"
          minutes: "〔2026〕7号"
    """), "FL308")


def test_write_off_after_approval_is_clean():
    assert_clean(ledger(ONE_LOAN, """
        2026-05-20 custom "write-off" "L1"
          minutes: "〔2026〕7号"
    """, write_off()))


def test_write_off_on_the_day_of_approval_written_above_it_is_clean():
    assert_clean(ledger(ONE_LOAN, write_off(), """
        2026-06-01 custom "write-off" "L1"
          minutes: "〔2026〕7号"
    """))
