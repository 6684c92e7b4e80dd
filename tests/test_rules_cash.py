"""SPEC §5 FL501 (a cash account below zero at the end of a day), written from the SPEC
alone. BASE holds 60000 in Assets:Bank:Fund; the petty cash below starts empty."""

from __future__ import annotations

from ledgertools import assert_clean, assert_fund_errors, ledger

PETTY = """
    2024-01-01 open Assets:Cash:Petty CNY
      name: "备用金"
"""


def fee(day: str, amount: str, mark: str = "") -> str:
    return (f'{day} * "银行" "手续费"{" ; " + mark if mark else ""}\n'
            f"  Expenses:Fees  {amount} CNY\n"
            "  Assets:Cash:Petty\n")


def top_up(day: str, amount: str, mark: str = "") -> str:
    return (f'{day} * "提取备用金"{" ; " + mark if mark else ""}\n'
            f"  Assets:Cash:Petty  {amount} CNY\n"
            "  Assets:Bank:Fund\n")


def test_cash_account_below_zero_at_the_end_of_a_day_is_FL501():
    assert_fund_errors(ledger(PETTY, fee("2024-03-01", "10.00", mark="FL501")), "FL501")


def test_cash_account_below_zero_only_during_the_day_is_clean():
    assert_clean(ledger(PETTY, fee("2024-03-01", "10.00"), top_up("2024-03-01", "100.00")))


def test_cash_account_topped_up_only_the_next_day_is_FL501():
    assert_fund_errors(ledger(
        PETTY,
        fee("2024-03-01", "10.00", mark="FL501"),
        top_up("2024-03-02", "100.00"),
    ), "FL501")


def test_FL501_is_at_the_last_transaction_of_the_day_on_that_account():
    assert_fund_errors(ledger(
        PETTY,
        fee("2024-03-01", "10.00"),
        fee("2024-03-01", "5.00", mark="FL501"),
    ), "FL501")


def test_FL501_is_reported_for_each_day_that_ends_below_zero():
    assert_fund_errors(ledger(
        PETTY,
        fee("2024-03-01", "10.00", mark="FL501"),
        fee("2024-03-04", "5.00", mark="FL501"),
        top_up("2024-03-05", "100.00"),
        fee("2024-03-06", "5.00"),
    ), "FL501", "FL501")


def test_cash_account_at_exactly_zero_is_clean():
    assert_clean(ledger(PETTY, top_up("2024-03-01", "10.00"), fee("2024-03-02", "10.00")))


def test_bank_account_overdrawn_by_a_transfer_is_FL501_at_the_transfer():
    assert_fund_errors(ledger(PETTY, top_up("2024-03-01", "70000.00", mark="FL501")), "FL501")


PADDED = """
    2024-01-01 open Assets:Cash:Petty CNY
      name: "备用金"
    2024-01-01 open Equity:Opening-Balances CNY
    2024-01-01 pad Assets:Cash:Petty Equity:Opening-Balances
    2024-01-02 balance Assets:Cash:Petty 500.00 CNY
"""


def test_money_added_by_pad_counts_for_the_cash_account():
    # beancount adds pad's money after every plugin; the rules must see it as reports do
    assert_clean(ledger(PADDED, fee("2024-03-01", "10.00")))


def test_spending_more_than_pad_added_is_FL501():
    assert_fund_errors(ledger(PADDED, fee("2024-03-01", "510.00", mark="FL501")), "FL501")
