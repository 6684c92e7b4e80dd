"""Journals (日记账/明细账, SPEC §6 ``journal``): on a generated two-year ledger with opening
balances the cash journals close on ``balances``' cash and their debits and credits are the
money in and out counted from the entries themselves; a small journal computed by hand; the
xlsx, csv and pdf read back; the county's petty-cash journal against its golden file.

Set FUNDLEDGER_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate change, then read
the diff before committing it.
"""

import datetime
import json
import os
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from beancount.core.data import Transaction
from click.testing import CliRunner
from county_generator import generate
from pypdf import PdfReader

import fundledger
from fundledger.cli import main
from fundledger.money import fmt

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ROOT / "ledgers" / "county" / "main.beancount"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FUNDLEDGER_UPDATE_GOLDEN") == "1"
YEARS = (2024, 2025)
CASH = ("Assets:Bank:Fund", "Assets:Cash:Petty")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def journal(ledger, account, year, *more):
    result = run("journal", ledger, "--account", account, "--year", year, *more)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("books"), seed=7, first_year=YEARS[0],
                    last_year=YEARS[1])


def moved(entries, account, year):
    """Money into and out of ``account`` in ``year``, opening entries left out, counted from
    beancount's own entries."""
    money_in = money_out = Decimal(0)
    for e in entries:
        if not isinstance(e, Transaction) or e.date.year != year:
            continue
        if any(p.account.startswith("Equity:Opening") for p in e.postings):
            continue
        for p in e.postings:
            if p.account == account:
                if p.units.number > 0:
                    money_in += p.units.number
                else:
                    money_out -= p.units.number
    return money_in, money_out


@pytest.mark.parametrize("year", YEARS)
def test_cash_journals_close_on_the_balances_and_count_the_money(county, year):
    fund = fundledger.load(county.main)
    end = datetime.date(year, 12, 31)
    balances = json.loads(run("balances", county.main, "--as-of", end, "--format",
                              "json").stdout)
    closings = Decimal(0)
    for account in CASH:
        j = json.loads(journal(county.main, account, year, "--format", "json").stdout)
        money_in, money_out = moved(fund.entries, account, year)
        assert Decimal(j["debit_total"]) == money_in
        assert Decimal(j["credit_total"]) == money_out
        assert Decimal(j["closing"]) == county.cash_by_account(end)[account]
        assert Decimal(j["opening"]) + money_in - money_out == Decimal(j["closing"])
        assert Decimal(j["rows"][-1]["balance"] if j["rows"] else j["opening"]) == \
            Decimal(j["closing"])
        closings += Decimal(j["closing"])
    assert closings == Decimal(balances["cash"])
    if year == YEARS[0]:  # the books begin: the opening is what the opening entry brought in
        bank = json.loads(journal(county.main, CASH[0], year, "--format", "json").stdout)
        brought = fund.state.brought_in(datetime.date(year, 1, 1), end).cash
        assert brought > 0 and Decimal(bank["opening"]) == brought


def test_a_source_journal_runs_credit_normal(county):
    year = YEARS[1]
    j = json.loads(journal(county.main, "Income:Dues", year, "--format", "json").stdout)
    fund = fundledger.load(county.main)
    total = -sum((p.units.number for e in fund.entries if isinstance(e, Transaction)
                  and e.date.year <= year for p in e.postings if p.account == "Income:Dues"),
                 Decimal(0))
    assert Decimal(j["closing"]) == total
    assert Decimal(j["opening"]) + Decimal(j["credit_total"]) - Decimal(j["debit_total"]) == total


SMALL = """option "title" "某乡困难党员帮扶基金"
option "operating_currency" "CNY"
plugin "fundledger.plugin"

2025-01-01 open Assets:Bank:Fund              CNY
  name: "帮扶基金专户"
2025-01-01 open Equity:Opening-Balances       CNY
  name: "上年结转"
2025-01-01 open Income:Dues                   CNY
  name: "留存党费划拨"
  pool: "spendable"
2025-01-01 open Expenses:Fees:Bank            CNY
  name: "银行手续费"

2025-03-01 * "期初余额"
  Assets:Bank:Fund          1000.00 CNY
  Equity:Opening-Balances
2025-02-10 * "乡党委" "留存党费划拨"
  voucher: "记-2025-02-007"
  Assets:Bank:Fund           500.00 CNY
  Income:Dues
2025-02-20 * "手续费"
  Expenses:Fees:Bank           2.00 CNY
  Assets:Bank:Fund
2025-04-02 * "手续费"
  Expenses:Fees:Bank           3.00 CNY
  Assets:Bank:Fund
2026-01-05 * "手续费"
  Expenses:Fees:Bank           1.00 CNY
  Assets:Bank:Fund
"""


def test_a_small_journal_by_hand(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_text(SMALL, encoding="utf-8")
    j = json.loads(journal(path, "Assets:Bank:Fund", 2025, "--format", "json").stdout)
    # the opening entry (dated in March) is in the opening, as the notice's start; the rest
    # run from it in date order
    assert j == {"account": "Assets:Bank:Fund", "year": 2025, "opening": "1000.00", "rows": [
        {"date": "2025-02-10", "voucher": "记-2025-02-007", "summary": "留存党费划拨",
         "counter": ["Income:Dues"], "debit": "500.00", "credit": "0.00", "balance": "1500.00"},
        {"date": "2025-02-20", "voucher": "记-2025-02-001", "summary": "手续费",
         "counter": ["Expenses:Fees:Bank"], "debit": "0.00", "credit": "2.00",
         "balance": "1498.00"},
        {"date": "2025-04-02", "voucher": "记-2025-04-001", "summary": "手续费",
         "counter": ["Expenses:Fees:Bank"], "debit": "0.00", "credit": "3.00",
         "balance": "1495.00"},
    ], "debit_total": "500.00", "credit_total": "5.00", "closing": "1495.00"}
    nxt = json.loads(journal(path, "Assets:Bank:Fund", 2026, "--format", "json").stdout)
    assert (nxt["opening"], nxt["closing"]) == ("1495.00", "1494.00")
    fees = json.loads(journal(path, "Expenses:Fees", 2025, "--format", "json").stdout)
    assert (fees["opening"], fees["debit_total"], fees["closing"]) == ("0.00", "5.00", "5.00")
    table = journal(path, "Assets:Bank:Fund", 2025).stdout
    assert "期初余额" in table and "银行存款日记账" in table
    assert table.count("本月合计") == 2 and table.count("本年累计") == 2
    assert "记-2025-02-001*" in table and "程序按月编排" not in table  # the mark; the note is printed forms'
    nxt_table = journal(path, "Assets:Bank:Fund", 2026).stdout
    assert "上年结转" in nxt_table


def test_unknown_account_and_year_outside_are_exit_2(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_text(SMALL, encoding="utf-8")
    assert run("journal", path, "--account", "Assets:Bank:Other", "--year", 2025).exit_code == 2
    outside = run("journal", path, "--account", "Assets:Bank:Fund", "--year", 2019)
    assert outside.exit_code == 2 and "2019" in outside.output


def test_xlsx_csv_and_pdf_read_back(tmp_path):
    account, year = "Assets:Bank:Fund", 2025
    j = json.loads(journal(COUNTY, account, year, "--format", "json").stdout)
    xlsx = tmp_path / "j.xlsx"
    journal(COUNTY, account, year, "--format", "xlsx", "-o", xlsx)
    ws = openpyxl.load_workbook(xlsx).active
    assert "银行存款日记账" in ws.cell(1, 1).value
    assert [c.value for c in ws[2]] == ["日期", "凭证号", "摘要", "对方科目", "借方", "贷方", "余额"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][2] == "上年结转" and Decimal(str(rows[0][6])) == Decimal(j["opening"])
    last = rows[-1]
    assert last[2] == "本年累计"
    assert Decimal(str(last[4])).quantize(Decimal("0.01")) == Decimal(j["debit_total"])
    assert Decimal(str(last[5])).quantize(Decimal("0.01")) == Decimal(j["credit_total"])
    assert Decimal(str(last[6])).quantize(Decimal("0.01")) == Decimal(j["closing"])
    assert ws.cell(3, 7).number_format == "#,##0.00"
    assert isinstance(ws.cell(4, 1).value, datetime.datetime)

    csv = tmp_path / "j.csv"
    journal(COUNTY, account, year, "--format", "csv", "-o", csv)
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "日期,凭证号,摘要,对方科目,借方,贷方,余额"
    assert f"本年累计,,{j['debit_total']},{j['credit_total']},{j['closing']}" in text

    pdf = tmp_path / "j.pdf"
    journal(COUNTY, account, year, "--format", "pdf", "-o", pdf)
    reader = PdfReader(BytesIO(pdf.read_bytes()))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    extracted = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    for wanted in ("银行存款日记账", "上年结转", "本年累计", fmt(Decimal(j["debit_total"])),
                   fmt(Decimal(j["credit_total"])), fmt(Decimal(j["closing"]))):
        assert wanted in extracted, wanted


def test_no_member_or_payee_is_named(county):
    fund = fundledger.load(county.main)
    names = {m.name for m in fund.members.values()}
    payees = {e.payee for e in fund.entries if isinstance(e, Transaction) and e.payee}
    for account in (*CASH, "Expenses:Relief:Medical", "Income:Interest:Loans"):
        text = journal(county.main, account, YEARS[1], "--format", "csv").stdout
        assert not [n for n in names | payees if len(n) >= 2 and n in text and
                    n not in ("县委组织部",)]


def test_county_petty_cash_journal_matches_its_golden_file():
    result = journal(COUNTY, "Assets:Cash:Office", 2025, "--format", "html")
    golden = GOLDEN / "journal-county-2025-cash-office.html"
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
