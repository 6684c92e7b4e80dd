"""The bank statement importer (beangulp) and ``fundledger import``.

Regression tests in beangulp's style: each sample statement in tests/data/bank/ has its
expected output beside it (``NAME.csv.beancount``), the account, date and archive name in a
header and the extracted entries as beancount prints them.
"""

import io
import textwrap
from pathlib import Path

import pytest
from beancount import loader
from beangulp import testing
from click.testing import CliRunner

import fundledger
from fundledger.cli_entry import import_
from fundledger.importers.bank_csv import BankStatementImporter, parse, read_statement

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
