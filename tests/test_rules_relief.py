"""SPEC §5 FL401–FL405 (beneficiaries, the spendable pool, caps, subsidies, grants), written
from the SPEC alone.

In BASE the spendable pool is 10000 (Income:Dues, pool "spendable"), the principal 50000
(member donations); M1 and M2 were reviewed `general` on 2024-01-03.
Default policy: review-valid-months 12, no relief-cap-year, education-grant 1000,
subsidy-general 100, no subsidy-relative, subsidy-special 200.
"""

from __future__ import annotations

from ledgertools import (
    assert_clean,
    assert_fund_errors,
    ledger,
    loan,
    loan_application,
    relief,
    relief_application,
)

VISITS = "Expenses:Relief:Visits"
SUBSIDY = "Expenses:Relief:Subsidy"
EDUCATION = "Expenses:Relief:Education"

M3_UNREVIEWED = """
    2024-01-02 custom "member" "M3"
      name: "王建国"
      branch: "西岭村党支部"
"""

# --------------------------------------------------------------------------- FL401


def test_relief_to_an_unregistered_member_is_FL401():
    assert_fund_errors(ledger(relief(VISITS, 300, "2024-07-01", "M9", mark="FL401")), "FL401")


def test_relief_before_the_member_is_registered_is_FL401():
    assert_fund_errors(ledger(
        relief(VISITS, 300, "2024-03-01", "M3", mark="FL401"),
        """
        2024-04-01 custom "member" "M3"
          name: "王建国"
          branch: "西岭村党支部"
        2024-04-01 custom "review" "M3" "general"
        """,
    ), "FL401")


def test_relief_on_the_day_of_registration_written_above_it_is_clean():
    # Acts on the same day count as in order, whatever their line order.
    assert_clean(ledger(relief(VISITS, 300, "2024-03-01", "M3"), """
        2024-03-01 custom "member" "M3"
          name: "王建国"
          branch: "西岭村党支部"
        2024-03-01 custom "review" "M3" "general"
    """))


def test_relief_to_a_member_never_reviewed_is_FL401():
    assert_fund_errors(ledger(
        M3_UNREVIEWED,
        relief(VISITS, 300, "2024-07-01", "M3", mark="FL401"),
    ), "FL401")


def test_relief_to_a_member_whose_latest_review_is_none_is_FL401():
    assert_fund_errors(ledger("""
        2024-06-01 custom "review" "M1" "none"
    """, relief(VISITS, 300, "2024-07-01", "M1", mark="FL401")), "FL401")


def test_relief_on_the_last_day_of_a_review_is_clean():
    assert_clean(ledger(relief(VISITS, 300, "2025-01-03", "M1")))


def test_relief_a_day_after_the_review_expired_is_FL401():
    assert_fund_errors(ledger(relief(VISITS, 300, "2025-01-04", "M1", mark="FL401")), "FL401")


def test_relief_after_a_new_review_is_clean():
    assert_clean(ledger("""
        2025-01-10 custom "review" "M1" "relative"
    """, relief(VISITS, 300, "2025-02-01", "M1")))


def test_relief_within_a_longer_review_validity_by_policy_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "review-valid-months" 24
    """, relief(VISITS, 300, "2025-06-01", "M1")))


def test_relief_on_the_day_of_exit_is_clean():
    assert_clean(ledger("""
        2024-05-01 custom "exit" "M1"
          reason: "脱贫"
    """, relief(VISITS, 300, "2024-05-01", "M1")))


def test_relief_after_exit_is_FL401():
    assert_fund_errors(ledger("""
        2024-05-01 custom "exit" "M1"
          reason: "脱贫"
    """, relief(VISITS, 300, "2024-05-02", "M1", mark="FL401")), "FL401")


def test_loan_to_a_borrower_not_eligible_is_FL401():
    assert_fund_errors(ledger(
        M3_UNREVIEWED,
        loan_application("A1", "M3", 3000),
        loan("L1", "A1", 3000, mark="FL401"),
    ), "FL401")


def test_loan_to_an_eligible_borrower_is_clean():
    assert_clean(ledger(
        M3_UNREVIEWED,
        """
        2024-01-20 custom "review" "M3" "special"
        """,
        loan_application("A1", "M3", 3000),
        loan("L1", "A1", 3000),
    ))


# --------------------------------------------------------------------------- FL402

def test_relief_larger_than_the_spendable_pool_is_FL402():
    assert_fund_errors(ledger(relief(VISITS, 12000, "2024-03-01", "M1", mark="FL402")),
                       "FL402")


def test_relief_equal_to_the_spendable_pool_is_clean():
    assert_clean(ledger(relief(VISITS, 10000, "2024-03-01", "M1")))


def test_principal_inflows_do_not_make_relief_spendable_FL402():
    assert_fund_errors(ledger("""
        2024-03-01 * "捐款"
          Assets:Bank:Fund        5000.00 CNY
          Income:Donations:Members
    """, relief(VISITS, 12000, "2024-03-01", "M1", mark="FL402")), "FL402")


def test_release_before_the_relief_makes_it_spendable_clean():
    assert_clean(ledger("""
        2024-02-20 custom "release" 5000 CNY
          minutes: "〔2024〕3号"
    """, relief(VISITS, 12000, "2024-03-01", "M1")))


def test_release_later_the_same_day_counts_clean():
    assert_clean(ledger(relief(VISITS, 12000, "2024-03-01", "M1"), """
        2024-03-01 custom "release" 5000 CNY
          minutes: "〔2024〕3号"
    """))


def test_release_on_a_later_day_does_not_count_FL402():
    assert_fund_errors(ledger(relief(VISITS, 12000, "2024-03-01", "M1", mark="FL402"), """
        2024-03-02 custom "release" 5000 CNY
          minutes: "〔2024〕3号"
    """), "FL402")


def test_spendable_inflow_later_the_same_day_counts_clean():
    assert_clean(ledger("""
        2024-01-01 open Income:Interest:Deposits CNY
    """, relief(VISITS, 12000, "2024-03-01", "M1"), """
        2024-03-01 * "银行" "存款利息"
          Assets:Bank:Fund        2000.00 CNY
          Income:Interest:Deposits
    """))


def test_source_with_pool_spendable_counts_clean():
    assert_clean(ledger("""
        2024-01-01 open Income:Donations:Relief CNY
          pool: "spendable"
        2024-02-01 * "捐款" "救济专项捐款"
          Assets:Bank:Fund        2000.00 CNY
          Income:Donations:Relief
    """, relief(VISITS, 12000, "2024-03-01", "M1")))


def test_interest_with_pool_principal_does_not_count_FL402():
    assert_fund_errors(ledger("""
        2024-01-01 open Income:Interest:Deposits CNY
          pool: "principal"
        2024-02-01 * "银行" "存款利息"
          Assets:Bank:Fund        2000.00 CNY
          Income:Interest:Deposits
    """, relief(VISITS, 12000, "2024-03-01", "M1", mark="FL402")), "FL402")


def test_second_relief_of_a_day_beyond_the_pool_is_FL402():
    assert_fund_errors(ledger(
        relief(VISITS, 6000, "2024-03-01", "M1"),
        relief(VISITS, 6000, "2024-03-01", "M2", mark="FL402"),
    ), "FL402")


def test_relief_beyond_what_earlier_days_left_is_FL402():
    assert_fund_errors(ledger(
        relief(VISITS, 8000, "2024-03-01", "M1"),
        relief(VISITS, 3000, "2024-03-02", "M2", mark="FL402"),
    ), "FL402")


def test_fees_beyond_the_pool_are_FL402():
    assert_fund_errors(ledger(relief(VISITS, 10000, "2024-03-01", "M1"), """
        2024-03-05 * "银行" "手续费" ; FL402
          Expenses:Fees              10.00 CNY
          Assets:Bank:Fund
    """), "FL402")


def test_loans_do_not_draw_on_the_spendable_pool_clean():
    assert_clean(ledger(
        loan_application("A1", "M1", 5000),
        loan("L1", "A1", 5000, "2024-03-01"),
        relief(VISITS, 10000, "2024-03-01", "M2"),
    ))


# --------------------------------------------------------------------------- FL403

CAP_1000 = """
    2024-01-01 custom "fund-policy" "relief-cap-year" 1000 CNY
"""


def test_relief_above_relief_cap_year_is_FL403_from_the_crossing_payment_on():
    assert_fund_errors(ledger(
        CAP_1000,
        relief(VISITS, 600, "2024-03-01", "M1"),
        relief(VISITS, 500, "2024-07-01", "M1", mark="FL403"),
        relief(VISITS, 100, "2024-09-01", "M1", mark="FL403"),
    ), "FL403", "FL403")


def test_relief_up_to_relief_cap_year_is_clean():
    assert_clean(ledger(
        CAP_1000,
        relief(VISITS, 600, "2024-03-01", "M1"),
        relief(VISITS, 400, "2024-07-01", "M1"),
    ))


def test_relief_cap_counts_every_kind_of_relief_FL403():
    assert_fund_errors(ledger(
        CAP_1000,
        relief_application("A1", "M1", 800),
        relief(VISITS, 300, "2024-01-20", "M1"),
        relief("Expenses:Relief:Medical", 800, "2024-03-01", "M1", "A1", mark="FL403"),
    ), "FL403")


def test_relief_cap_is_per_calendar_year_clean():
    assert_clean(ledger(
        CAP_1000,
        relief(VISITS, 600, "2024-12-31", "M1"),
        relief(VISITS, 600, "2025-01-02", "M1"),
    ))


def test_relief_cap_is_per_member_clean():
    assert_clean(ledger(
        CAP_1000,
        relief(VISITS, 1000, "2024-03-01", "M1"),
        relief(VISITS, 1000, "2024-03-01", "M2"),
    ))


# --------------------------------------------------------------------------- FL404

def subsidy_application(member: str = "M1") -> str:
    return relief_application("A1", member, 2400)


def test_subsidy_not_the_general_rate_is_FL404():
    assert_fund_errors(ledger(
        subsidy_application(),
        relief(SUBSIDY, 150, "2024-03-01", "M1", "A1", mark="FL404"),
    ), "FL404")


def test_subsidy_at_the_general_rate_is_clean():
    assert_clean(ledger(
        subsidy_application(),
        relief(SUBSIDY, 100, "2024-03-01", "M1", "A1"),
    ))


def test_subsidy_for_three_months_at_the_rate_is_clean():
    assert_clean(ledger(
        subsidy_application(),
        relief(SUBSIDY, 300, "2024-03-01", "M1", "A1", months=3),
    ))


def test_subsidy_for_three_months_paid_as_two_is_FL404():
    assert_fund_errors(ledger(
        subsidy_application(),
        relief(SUBSIDY, 200, "2024-03-01", "M1", "A1", months=3, mark="FL404"),
    ), "FL404")


def test_subsidy_follows_the_latest_review_tier_FL404():
    assert_fund_errors(ledger(subsidy_application(), """
        2024-02-15 custom "review" "M1" "special"
    """, relief(SUBSIDY, 200, "2024-03-01", "M1", "A1"),
        relief(SUBSIDY, 100, "2024-04-01", "M1", "A1", mark="FL404"),
    ), "FL404")


def test_subsidy_for_a_tier_without_a_rate_is_FL404():
    assert_fund_errors(ledger(subsidy_application(), """
        2024-01-20 custom "review" "M1" "relative"
    """, relief(SUBSIDY, 100, "2024-03-01", "M1", "A1", mark="FL404")), "FL404")


def test_subsidy_at_a_rate_set_by_policy_is_clean():
    assert_clean(ledger(subsidy_application(), """
        2024-01-01 custom "fund-policy" "subsidy-relative" 150 CNY
        2024-01-20 custom "review" "M1" "relative"
    """, relief(SUBSIDY, 150, "2024-03-01", "M1", "A1")))


def test_subsidy_rate_change_binds_from_its_date_FL404():
    assert_fund_errors(ledger(subsidy_application(), """
        2024-06-01 custom "fund-policy" "subsidy-general" 120 CNY
    """, relief(SUBSIDY, 100, "2024-03-01", "M1", "A1"),
        relief(SUBSIDY, 120, "2024-06-01", "M1", "A1"),
        relief(SUBSIDY, 100, "2024-07-01", "M1", "A1", mark="FL404"),
    ), "FL404")


# --------------------------------------------------------------------------- FL405

def grants(*apps: str, member: str = "M1") -> str:
    return "".join(relief_application(app, member, 2000) for app in apps)


def test_education_grant_above_education_grant_is_FL405():
    assert_fund_errors(ledger(
        grants("A1"),
        relief(EDUCATION, 1200, "2024-09-01", "M1", "A1", child="张小明", mark="FL405"),
    ), "FL405")


def test_education_grant_of_education_grant_is_clean():
    assert_clean(ledger(
        grants("A1"),
        relief(EDUCATION, 1000, "2024-09-01", "M1", "A1", child="张小明"),
    ))


def test_education_grant_within_a_raised_cap_is_clean():
    assert_clean(ledger("""
        2024-01-01 custom "fund-policy" "education-grant" 2000 CNY
    """, grants("A1"), relief(EDUCATION, 1500, "2024-09-01", "M1", "A1", child="张小明")))


def test_second_education_grant_for_the_same_child_is_FL405():
    assert_fund_errors(ledger(
        grants("A1", "A2"),
        relief(EDUCATION, 1000, "2024-09-01", "M1", "A1", child="张小明"),
        relief(EDUCATION, 1000, "2024-10-01", "M1", "A2", child="张小明", mark="FL405"),
    ), "FL405")


def test_education_grants_for_two_children_are_clean():
    assert_clean(ledger(
        grants("A1", "A2"),
        relief(EDUCATION, 1000, "2024-09-01", "M1", "A1", child="张小明"),
        relief(EDUCATION, 1000, "2024-09-01", "M1", "A2", child="张小红"),
    ))


def test_education_grants_to_two_members_for_children_of_one_name_are_clean():
    assert_clean(ledger(
        grants("A1"),
        grants("A2", member="M2"),
        relief(EDUCATION, 1000, "2024-09-01", "M1", "A1", child="小明"),
        relief(EDUCATION, 1000, "2024-09-01", "M2", "A2", child="小明"),
    ))
