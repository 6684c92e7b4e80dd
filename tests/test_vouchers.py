"""Vouchers (记账凭证, SPEC §4, §6 ``vouchers``): FL107, the JSON of a small ledger computed by
hand, the program's numbering, the printed forms (HTML golden file, PDF read back).

Set FUNDLEDGER_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate change, then read
the diff before committing it.
"""

import json
import os
import re
from io import BytesIO
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

import fundledger
from fundledger.cli import main

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ROOT / "ledgers" / "county" / "main.beancount"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FUNDLEDGER_UPDATE_GOLDEN") == "1"

HEAD = """option "title" "某乡困难党员帮扶基金"
option "operating_currency" "CNY"
plugin "fundledger.plugin"

2025-01-01 open Assets:Bank:Fund              CNY
  name: "帮扶基金专户"
2025-01-01 open Income:Dues                   CNY
  name: "留存党费划拨"
  pool: "spendable"
2025-01-01 open Income:Interest:Deposits      CNY
2025-01-01 open Expenses:Relief:Visits        CNY
  name: "走访慰问"
2025-01-01 open Expenses:Fees:Bank            CNY
  name: "银行手续费"
2025-01-02 custom "member" "M0007"
  name: "张秀兰"
  branch: "中田村党支部"
2025-01-06 custom "review" "M0007" "relative"
"""

SMALL = HEAD + """
2025-03-02 * "乡党委" "留存党费划拨"
  voucher: "记-2025-03-001"
  attachments: 2
  Assets:Bank:Fund          8000.00 CNY
  Income:Dues
2025-03-05 * "张秀兰" "走访慰问张秀兰"
  Expenses:Relief:Visits     300.00 CNY
    member: "M0007"
  Assets:Bank:Fund
2025-03-05 * "县农商行" "手续费"
  Expenses:Fees:Bank           1.50 CNY
  Assets:Bank:Fund
2025-03-31 * "县农商行" "存款利息"
  voucher: "记-2025-03-009"
  attachments: 1
  Assets:Bank:Fund            12.34 CNY
  Income:Interest:Deposits
2025-04-01 * "县农商行" "手续费"
  Expenses:Fees:Bank           1.00 CNY
  Assets:Bank:Fund
"""


def write(tmp_path, text, name="main.beancount"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def codes(path):
    return [e.message.split()[0] for e in fundledger.load(path).errors]


# -- FL107 -------------------------------------------------------------------------------------

def test_fl107_a_number_used_twice_names_the_first_use(tmp_path):
    path = write(tmp_path, HEAD + """
2025-03-02 * "留存党费划拨"
  voucher: "记-2025-03-001"
  Assets:Bank:Fund          8000.00 CNY
  Income:Dues
2025-03-05 * "走访慰问"
  voucher: "记-2025-03-001"
  Expenses:Relief:Visits     300.00 CNY
    member: "M0007"
  Assets:Bank:Fund
""")
    errors = fundledger.load(path).errors
    assert [e.message.split()[0] for e in errors] == ["FL107"]
    first_line = HEAD.count("\n") + 2
    assert errors[0].source["lineno"] == first_line + 4
    assert errors[0].message.startswith(f"FL107 凭证号 记-2025-03-001 已用于 {path}:{first_line}")


def test_fl107_clean_distinct_numbers_and_unnumbered_transactions(tmp_path):
    assert codes(write(tmp_path, SMALL)) == []


# -- the JSON, by hand -------------------------------------------------------------------------

def line(account, name, debit, credit):
    return {"account": account, "name": name, "debit": debit, "credit": credit}


def test_vouchers_json_of_a_small_month(tmp_path):
    result = run("vouchers", write(tmp_path, SMALL), "--month", "2025-03", "--format", "json")
    assert result.exit_code == 0, result.output
    bank = "帮扶基金专户"
    assert json.loads(result.stdout) == {"month": "2025-03", "vouchers": [
        {"number": "记-2025-03-001", "numbered_by": "ledger", "date": "2025-03-02",
         "summary": "留存党费划拨", "attachments": 2,
         "lines": [line("Assets:Bank:Fund", bank, "8000.00", "0.00"),
                   line("Income:Dues", "留存党费划拨", "0.00", "8000.00")],
         "debit_total": "8000.00", "credit_total": "8000.00", "total_in_words": "人民币捌仟元整"},
        # no voucher: — the month's first program number that the ledger does not use
        {"number": "记-2025-03-002", "numbered_by": "program", "date": "2025-03-05",
         "summary": "走访慰问张*兰", "attachments": 0,
         "lines": [line("Expenses:Relief:Visits", "走访慰问", "300.00", "0.00"),
                   line("Assets:Bank:Fund", bank, "0.00", "300.00")],
         "debit_total": "300.00", "credit_total": "300.00", "total_in_words": "人民币叁佰元整"},
        {"number": "记-2025-03-003", "numbered_by": "program", "date": "2025-03-05",
         "summary": "手续费", "attachments": 0,
         "lines": [line("Expenses:Fees:Bank", "银行手续费", "1.50", "0.00"),
                   line("Assets:Bank:Fund", bank, "0.00", "1.50")],
         "debit_total": "1.50", "credit_total": "1.50", "total_in_words": "人民币壹元伍角整"},
        {"number": "记-2025-03-009", "numbered_by": "ledger", "date": "2025-03-31",
         "summary": "存款利息", "attachments": 1,
         "lines": [line("Assets:Bank:Fund", bank, "12.34", "0.00"),
                   line("Income:Interest:Deposits", "Income:Interest:Deposits", "0.00", "12.34")],
         "debit_total": "12.34", "credit_total": "12.34",
         "total_in_words": "人民币壹拾贰元叁角肆分"},
    ]}


def test_names_keeps_the_member_s_name_and_no_output_has_the_payee(tmp_path):
    path = write(tmp_path, SMALL)
    shown = run("vouchers", path, "--month", "2025-03", "--format", "json", "--names").stdout
    assert json.loads(shown)["vouchers"][1]["summary"] == "走访慰问张秀兰"
    for fmt in ("json", "html"):
        text = run("vouchers", path, "--month", "2025-03", "--format", fmt).stdout
        assert "张秀兰" not in text and "乡党委" not in text and "县农商行" not in text


def test_program_numbers_run_per_month_and_skip_ledger_numbers(tmp_path):
    path = write(tmp_path, SMALL)
    april = json.loads(run("vouchers", path, "--month", "2025/4", "--format", "json").stdout)
    assert [(v["number"], v["numbered_by"]) for v in april["vouchers"]] == [
        ("记-2025-04-001", "program")]
    empty = json.loads(run("vouchers", path, "--month", "2025年2月", "--format", "json").stdout)
    assert empty == {"month": "2025-02", "vouchers": []}


def test_a_month_outside_the_books_or_no_month_is_exit_2(tmp_path):
    path = write(tmp_path, SMALL)
    outside = run("vouchers", path, "--month", "2019-03", "--format", "json")
    assert outside.exit_code == 2 and "2019" in outside.output
    assert run("vouchers", path, "--month", "2025-13").exit_code == 2
    assert run("vouchers", path, "--month", "March").exit_code == 2


def test_every_county_voucher_balances():
    fund = fundledger.load(COUNTY)
    seen = set()
    for year in (2023, 2024, 2025, 2026):
        for month in range(1, 13):
            for v in fund.view.vouchers(year, month):
                assert v.debit_total == v.credit_total > 0
                assert v.number not in seen
                seen.add(v.number)
    assert len(seen) == sum(1 for e in fund.entries if type(e).__name__ == "Transaction")


def test_a_long_voucher_continues_on_a_second_sheet(tmp_path):
    postings = "".join('  Expenses:Relief:Visits     100.00 CNY\n    member: "M0007"\n'
                       for _ in range(6))
    path = write(tmp_path, SMALL + f'2025-03-20 * "春节走访慰问"\n{postings}  Assets:Bank:Fund\n')
    html = run("vouchers", path, "--month", "2025-03", "--format", "html").stdout
    assert "记字第 4 号 1/2" in html and "记字第 4 号 2/2" in html and "合计　转下张" in html
    assert "人民币陆佰元整" in html


# -- printed -----------------------------------------------------------------------------------

def test_county_may_2025_vouchers_match_their_golden_file():
    result = run("vouchers", COUNTY, "--month", "2025-05", "--format", "html")
    assert result.exit_code == 0, result.output
    golden = GOLDEN / "vouchers-county-2025-05.html"
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_the_pdf_reads_back_with_its_title_numbers_and_totals(tmp_path):
    out = tmp_path / "v.pdf"
    result = run("vouchers", write(tmp_path, SMALL), "--month", "2025-03", "--format", "pdf",
                 "-o", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2  # three vouchers to a page
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for wanted in ("记账凭证", "记字第1号", "记字第2号*", "记字第9号", "附件2张", "8,000.00",
                   "人民币捌仟元整", "人民币壹拾贰元叁角肆分", "主管", "记账", "审核", "出纳",
                   "制单", "走访慰问张*兰"):
        assert wanted in text, wanted
    assert "张秀兰" not in text


def test_pdf_to_a_terminal_is_refused(tmp_path, monkeypatch):
    import fundledger.cli_common as common

    monkeypatch.setattr(common, "stdout_is_a_terminal", lambda: True)
    result = run("vouchers", write(tmp_path, SMALL), "--month", "2025-03", "--format", "pdf")
    assert result.exit_code == 2 and "-o" in result.output
