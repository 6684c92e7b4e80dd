"""The bank statement importer (beangulp) and ``fundledger import``.

Regression tests in beangulp's style: each sample statement in tests/data/bank/ has its
expected output beside it (``NAME.csv.beancount``), the account, date and archive name in a
header and the extracted entries as beancount prints them.
"""

import io
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beangulp import testing
from click.testing import CliRunner

import fundledger
from fundledger.cli_entry import import_
from fundledger.importers.bank_csv import (
    BankStatementImporter,
    StatementError,
    parse,
    read_statement,
)

BANK = Path(__file__).parent / "data" / "bank"
STATEMENTS = sorted(BANK.glob("*.csv"))
IMPORTER = BankStatementImporter(
    "Assets:Bank:Fund", income_account="Income:Donations:Members",
    rules=[("结息|利息", "Income:Interest:Deposits"), ("手续费|服务费", "Expenses:Fees:Bank")])


@pytest.mark.parametrize("document", STATEMENTS, ids=lambda p: p.name)
def test_statement_matches_its_golden_file(document):
    assert IMPORTER.identify(str(document))
    account, date, name, entries = testing.run_importer(IMPORTER, str(document))
    out = io.StringIO()
    testing.write_expected(out, account, date, name, entries)
    expected = Path(f"{document}.beancount").read_text(encoding="utf-8")
    assert out.getvalue() == expected


def test_encodings_are_detected():
    assert {p.name: read_statement(str(p)).encoding for p in STATEMENTS} == {
        "fund-2026-07.csv": "utf-8-sig",
        "fund-2026-08-gbk.csv": "gbk",
        "fund-2026-09-gb18030.csv": "gb18030",
        "fund-2026-10-reversals.csv": "utf-8-sig",
    }


def test_newest_first_statements_are_put_in_the_order_the_money_moved():
    rows = read_statement(str(BANK / "fund-2026-08-gbk.csv")).rows
    assert [r.balance for r in rows][-1] == max(rows, key=lambda r: r.date).balance
    assert all(a.balance + b.amount == b.balance for a, b in zip(rows, rows[1:], strict=False))


def test_identify_is_strict(tmp_path):
    assert not IMPORTER.identify(str(BANK / "fund-2026-07.csv.beancount"))
    other = tmp_path / "people.csv"
    other.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    assert not IMPORTER.identify(str(other))
    numbered = BankStatementImporter(account_number="1234 567")
    assert numbered.identify(str(BANK / "fund-2026-07.csv"))
    assert not BankStatementImporter(account_number="9999").identify(str(BANK / "fund-2026-07.csv"))


def test_importer_contract():
    doc = str(BANK / "fund-2026-07.csv")
    assert IMPORTER.account(doc) == "Assets:Bank:Fund"
    assert str(IMPORTER.date(doc)) == "2026-07-21"
    assert IMPORTER.filename(doc) == "statement-20260701-20260721.csv"


def test_duplicates_are_matched_one_to_one_surest_first(tmp_path):
    raw = textwrap.dedent("""\
        交易日期,摘要,收入金额,支出金额,余额,对方户名
        2026-07-01,一日捐,100.00,,100.00,李金明
        2026-07-01,一日捐,100.00,,200.00,王建国
        2026-07-01,一日捐,100.00,,300.00,王建国
        2026-07-03,捐款,50.00,,350.00,县妇联党支部
        """).encode("gbk")
    statement = parse(raw)
    assert len(statement.rows) == 4
    existing, _, _ = loader.load_string(textwrap.dedent("""\
        2026-01-01 open Assets:Bank:Fund CNY
        2026-01-01 open Income:Donations:Members CNY
        2026-07-01 * "王建国" "一日捐"
          Assets:Bank:Fund  100.00 CNY
          Income:Donations:Members
        2026-07-02 * "县妇联" "捐款"
          Assets:Bank:Fund  50.00 CNY
          Income:Donations:Members
        """))
    path = tmp_path / "dup.csv"
    path.write_bytes(raw)
    entries = IMPORTER.extract(str(path), existing)
    marked = [e for e in entries if "__duplicate__" in e.meta]
    assert [(str(e.date), e.payee) for e in marked] == [
        ("2026-07-01", "王建国"), ("2026-07-03", "县妇联党支部")]


# ---------------------------------------------------------------- fundledger import

LEDGER = textwrap.dedent("""\
    option "title" "测试乡困难党员帮扶基金"
    option "operating_currency" "CNY"
    plugin "fundledger.plugin"

    2026-01-01 open Assets:Bank:Fund              CNY
    2026-01-01 open Equity:Opening-Balances       CNY
      pool: "spendable"
    2026-01-01 open Income:Donations:Members      CNY
    2026-01-01 open Income:Interest:Deposits      CNY
    2026-01-01 open Expenses:Fees:Bank            CNY
    2026-01-01 open Expenses:Relief:Medical       CNY

    2026-01-02 * "期初余额"
      Assets:Bank:Fund          6374.00 CNY
      Equity:Opening-Balances

    2026-01-02 custom "member" "M1"
      name: "张秀兰"
      branch: "中田村党支部"
    2026-01-03 custom "review" "M1" "general"
    2026-07-01 custom "apply" "A2026-001" "M1" "relief" 3000.00 CNY
      purpose: "医疗"
    2026-07-02 custom "branch-review" "A2026-001"
    2026-07-03 custom "publicity" "A2026-001"
    2026-07-10 custom "approve" "A2026-001" 3000.00 CNY
      body: "乡党委"
      minutes: "〔2026〕5号"

    2026-07-01 * "王建国" "2026一日捐"
      Assets:Bank:Fund           500.00 CNY
      Income:Donations:Members

    2026-07-20 * "张秀兰" "医疗救助"
      Expenses:Relief:Medical   3000.00 CNY
        member: "M1"
        application: "A2026-001"
      Assets:Bank:Fund
    """)


@pytest.fixture
def top(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.beancount"))}


def run(*args):
    return CliRunner().invoke(import_, [str(a) for a in args])


def test_import_appends_new_drafts_and_the_balance_skipping_duplicates(top):
    result = run(top, BANK / "fund-2026-07.csv")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("跳过重复") == 2
    text = (top.parent / "2026.beancount").read_text(encoding="utf-8")
    assert text.count(" ! ") == 4 and "王建国" not in text and "医疗救助" not in text
    assert '2026-07-02 ! "乡党委" "留存党费划拨"\n  bank-ref: "FL20260702000045"\n' \
           "  Assets:Bank:Fund          3000.00 CNY\n  Income:Donations:Members\n" in text
    assert "  Expenses:Fees:Bank\n" in text and "  Income:Interest:Deposits\n" in text
    assert text.endswith("2026-07-22 balance Assets:Bank:Fund  6980.34 CNY\n")
    assert fundledger.load(top).errors == []
    # the same statement again: everything is already there
    before = files_of(top.parent)
    again = run(top, BANK / "fund-2026-07.csv")
    assert again.exit_code == 0 and "没有新的交易" in again.stderr
    assert files_of(top.parent) == before


def test_import_dry_run_prints_drafts_and_writes_nothing(top):
    before = files_of(top.parent)
    result = run(top, BANK / "fund-2026-07.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    assert '2026-07-21 ! "活期存款结息"' in result.stdout
    assert files_of(top.parent) == before


def test_unclassified_money_out_is_refused_and_nothing_is_written(top):
    before = files_of(top.parent)
    result = run(top, BANK / "fund-2026-08-gbk.csv")
    assert result.exit_code == 1
    assert "Expenses:Unclassified" in result.stdout and "FL102" in result.stderr
    assert "未写入" in result.stderr
    assert files_of(top.parent) == before


def test_not_a_statement_is_a_usage_error(top, tmp_path):
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(top, other)
    assert result.exit_code == 2 and "不是能识别的银行对账单" in result.output


# ---------------------------------------------------------------- signs and strict amounts

def _extract(tmp_path, text, name="s.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [e for e in IMPORTER.extract(str(path), []) if hasattr(e, "postings")]


def _legs(entry):
    return [(p.account, p.units.number if p.units else None) for p in entry.postings]


def test_a_reversal_in_the_income_column_is_money_out_without_a_balance_column(tmp_path):
    entries = _extract(tmp_path, "交易日期,摘要,收入金额,支出金额\n"
                                 "2026-07-01,捐款,500.00,\n2026-07-02,冲正,-500.00,\n")
    assert _legs(entries[1]) == [("Assets:Bank:Fund", Decimal("-500.00")),
                                 ("Income:Donations:Members", None)]  # the credit is reversed


def test_a_negative_amount_in_the_expense_column_is_money_back_in(tmp_path):
    entries = _extract(tmp_path, "交易日期,摘要,收入金额,支出金额\n"
                                 "2026-07-01,医疗救助,,800.00\n2026-07-02,退回,,-800.00\n")
    assert _legs(entries[0])[0] == ("Assets:Bank:Fund", Decimal("-800.00"))
    assert _legs(entries[1]) == [("Assets:Bank:Fund", Decimal("800.00")),
                                 ("Expenses:Unclassified", None)]  # not a donation


@pytest.mark.parametrize("header", ["借方发生额,贷方发生额", "支出金额,收入金额"])
def test_reversals_with_a_balance_column_follow_the_balance(tmp_path, header):
    out, into = header.split(",")
    text = (f"记账日期,摘要,{out},{into},余额\n20261001,一日捐,,500.00,1500.00\n"
            "20261002,冲正,,-500.00,1000.00\n20261003,慰问,300.00,,700.00\n"
            "20261004,退回,-300.00,,1000.00\n")
    rows = parse(text.encode("gbk")).rows
    assert [r.amount for r in rows] == [Decimal(500), Decimal(-500), Decimal(-300), Decimal(300)]


def test_a_balance_that_contradicts_the_signs_is_refused_with_its_line(tmp_path):
    # A bank that prints the reversal unsigned in the income column: the balance went down.
    with pytest.raises(StatementError) as caught:
        parse("交易日期,摘要,收入金额,支出金额,余额\n2026-07-01,捐款,500.00,,1500.00\n"
              "2026-07-02,冲正,500.00,,1000.00\n".encode())
    [problem] = caught.value.problems
    assert (problem.lineno, problem.column) == (3, "余额")
    assert "1500.00" in problem.message and "2000.00" in problem.message


def test_the_balance_is_checked_across_rows_without_one(tmp_path):
    ok = "交易日期,摘要,收入金额,支出金额,余额\n2026-07-01,a,100.00,,100.00\n" \
         "2026-07-02,b,50.00,,\n2026-07-03,c,,30.00,120.00\n"
    assert [r.amount for r in parse(ok.encode()).rows] == [100, 50, -30]
    with pytest.raises(StatementError) as caught:
        parse(ok.replace("120.00", "170.00").encode())
    assert [p.lineno for p in caught.value.problems] == [4]


def test_an_amount_in_both_columns_is_refused(tmp_path):
    with pytest.raises(StatementError) as caught:
        parse("交易日期,摘要,收入金额,支出金额\n2026-07-01,a,100.00,5.00\n".encode())
    assert caught.value.problems[0].lineno == 2


@pytest.mark.parametrize("cell,number", [
    ('"1,234.50"', "1234.50"), ('"１，２３４．５０"', "1234.50"), ("¥1234.5", "1234.50"),
    ("500.000", "500.00"), ("999999999999999.99", "999999999999999.99"), ("+12", "12.00"),
    ("−12.00", "-12.00")])
def test_amounts_that_are_read(cell, number):
    [row] = parse(f"交易日期,摘要,收入金额,支出金额\n2026-07-01,a,{cell},\n".encode()).rows
    assert row.amount == Decimal(number) and str(row.amount) == number


BAD_AMOUNTS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "sNaN", "1e40", "1E5",
               "1" + "0" * 29, "1" + "0" * 15, "1.234", "12,34", "(500.00)", "0x10", "5 00",
               "500.00.00", "五百"]


@pytest.mark.parametrize("cell", BAD_AMOUNTS)
@pytest.mark.parametrize("column", ["收入金额", "支出金额", "余额"])
def test_a_bad_amount_is_an_error_naming_its_line_and_column(cell, column):
    cells = {"收入金额": "100.00", "支出金额": "", "余额": "100.00"}
    cells[column] = f'"{cell}"'
    text = ("交易日期,摘要,收入金额,支出金额,余额\n2026-06-30,期初,1.00,,1.00\n"
            f"2026-07-01,a,{cells['收入金额']},{cells['支出金额']},{cells['余额']}\n")
    with pytest.raises(StatementError) as caught:
        parse(text.encode())
    [problem] = caught.value.problems
    assert (problem.lineno, problem.column) == (3, column)
    assert repr(cell) in problem.message


@pytest.mark.parametrize("cell", ["NaN", "Infinity", "1e40", "1" + "0" * 29])
def test_a_bad_amount_in_a_signed_amount_column(cell):
    with pytest.raises(StatementError) as caught:
        parse(f"交易日期\t摘要\t交易金额\n2026-07-01\tb\t{cell}\n".encode())
    assert (caught.value.problems[0].lineno, caught.value.problems[0].column) == (2, "交易金额")


def test_every_bad_row_is_named_and_lines_count_quoted_line_breaks():
    text = ('交易日期,摘要,收入金额,支出金额\n2026-07-01,"两行\n摘要",1.00,\n'
            "2026-07-02,a,NaN,\n2026-07-03,b,,1e40\n")
    with pytest.raises(StatementError) as caught:
        parse(text.encode())
    assert [(p.lineno, p.column) for p in caught.value.problems] == [(4, "收入金额"), (5, "支出金额")]


def test_a_statement_with_bad_rows_is_still_identified_so_the_error_is_seen(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("交易日期,摘要,收入金额,支出金额\n2026-07-01,a,NaN,\n", encoding="utf-8")
    assert IMPORTER.identify(str(path))
    with pytest.raises(StatementError, match="NaN"):
        IMPORTER.extract(str(path), [])


@pytest.mark.parametrize("cell", ["NaN", "Infinity", "1e40", "1" + "0" * 29, "1.234"])
def test_import_of_a_bad_amount_exits_2_naming_file_line_and_column(top, tmp_path, cell):
    statement = tmp_path / "statement.csv"
    statement.write_text("交易日期,摘要,收入金额,支出金额,余额\n"
                         "2026-07-21,活期存款结息,12.34,,6386.34\n"
                         f"2026-07-22,捐款,{cell},,6400.00\n", encoding="utf-8")
    before = files_of(top.parent)
    result = run(top, statement)
    assert result.exit_code == 2, result.output
    assert f"{statement}:3: 「收入金额」列" in result.output and repr(cell) in result.output
    assert "未导入任何一行" in result.output and "Traceback" not in result.output
    assert files_of(top.parent) == before


def test_import_of_a_reversal_drafts_money_out(top, tmp_path):
    statement = tmp_path / "statement.csv"
    statement.write_text("交易日期,摘要,收入金额,支出金额,余额,对方户名\n"
                         "2026-07-22,捐款,500.00,,6374.00,赵六\n"
                         "2026-07-23,冲正,-500.00,,5874.00,赵六\n", encoding="utf-8")
    result = run(top, statement, "--dry-run")
    assert result.exit_code in (0, 1), result.output
    assert '2026-07-23 ! "赵六" "冲正"\n  Assets:Bank:Fund          -500.00 CNY\n' \
           "  Income:Donations:Members\n" in result.stdout


def test_import_of_a_balance_that_does_not_follow_exits_2(top, tmp_path):
    statement = tmp_path / "statement.csv"
    statement.write_text("交易日期,摘要,收入金额,支出金额,余额\n2026-07-22,a,500.00,,6374.00\n"
                         "2026-07-23,冲正,500.00,,5874.00\n", encoding="utf-8")
    before = files_of(top.parent)
    result = run(top, statement)
    assert result.exit_code == 2 and f"{statement}:3: 「余额」列" in result.output
    assert files_of(top.parent) == before
