"""The member's register printable (``member --format html|pdf|xlsx``, ``member --all --format
xlsx``) and the xlsx/BOM of the other tabular commands (``loans``, ``export``)."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from fundledger.cli import main

SPEC = Path(__file__).parent / "ledgers" / "spec_example.beancount"
ARTIFACTS = Path(__file__).parent / "artifacts"
AS_OF = "2026-12-31"
EXTRA = '''
2025-01-03 custom "member" "M0008"
  name: "李<b>明</b>"
  branch: "<script>alert(1)</script>东山村党支部"
2025-01-04 custom "review" "M0008" "special"
'''


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "main.beancount"
    shutil.copy(SPEC, path)
    with path.open("a", encoding="utf-8") as f:
        f.write(EXTRA)
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_html_is_escaped_and_masked(ledger):
    result = run("member", ledger, "M0008", "--as-of", AS_OF, "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.output
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;东山村党支部" in html
    assert "<b>" not in html and "明</b>" not in html
    seven = run("member", ledger, "M0007", "--as-of", AS_OF, "--format", "html").output
    assert "张*兰" in seven and "张秀兰" not in seven
    for part in ("基本情况", "年度审核", "申请", "受助记录", "借款", "还款记录", "跟踪回访"):
        assert f"<h2>{part}</h2>" in seven
    assert "A2025-003" in seven and "2,000.00" in seven and "174.00" in seven
    named = run("member", ledger, "M0007", "--as-of", AS_OF, "--format", "html", "--names").output
    assert "张秀兰" in named


def test_pdf_text_has_the_title_and_totals(ledger, tmp_path):
    out = tmp_path / "m.pdf"
    result = run("member", ledger, "M0007", "--as-of", AS_OF, "--format", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    squeezed = "".join(text.split())
    assert "帮扶对象台账" in squeezed and "张*兰" in squeezed and "张秀兰" not in squeezed
    assert "合计" in squeezed and "300.00" in squeezed and "4,000.00" in squeezed
    assert "2,000.00" in squeezed  # repaid principal, in the loans' totals and the repayments
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(out, ARTIFACTS / "member_register.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                        str(ARTIFACTS / "member_register")], check=True)


def test_binary_output_to_stdout_when_redirected(ledger):
    result = CliRunner().invoke(main, ["member", str(ledger), "M0007", "--as-of", AS_OF,
                                       "--format", "xlsx"])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"PK")


def test_member_xlsx_is_typed_with_chinese_headers(ledger, tmp_path):
    out = tmp_path / "m.xlsx"
    assert run("member", ledger, "M0007", "--as-of", AS_OF, "--format", "xlsx", "-o", out
               ).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames[:3] == ["基本情况", "年度审核", "申请"]
    loans = book["借款"]
    assert [c.value for c in loans[1]] == ["编号", "放款日", "借款金额", "到期日", "已还本金", "利息",
                                           "未还本金", "状态"]
    row = [c for c in loans[2]]
    assert row[0].value == "L2025-003"
    assert row[1].value == datetime.datetime(2025, 6, 5) and row[1].number_format == "yyyy-mm-dd"
    assert Decimal(str(row[2].value)) == Decimal("4000") and row[2].number_format == "#,##0.00"
    assert loans.freeze_panes == "A2"
    facts = {r[0].value: r[1].value for r in book["基本情况"].iter_rows(min_row=3)}
    assert facts["姓名"] == "张*兰"


def test_all_xlsx_is_the_whole_register_and_names_only_with_names(ledger, tmp_path):
    masked, named = tmp_path / "all.xlsx", tmp_path / "named.xlsx"
    assert run("member", ledger, "--all", "--as-of", AS_OF, "--format", "xlsx", "-o", masked
               ).exit_code == 0
    assert run("member", ledger, "--all", "--as-of", AS_OF, "--format", "xlsx", "--names",
               "-o", named).exit_code == 0
    sheet = load_workbook(masked)["成员"]
    assert [c.value for c in sheet[2]][:3] == ["编号", "姓名", "支部"]
    ids = [r[0].value for r in sheet.iter_rows(min_row=3)]
    assert ids == ["M0007", "M0008", "合计"]
    assert "张秀兰" not in [r[1].value for r in sheet.iter_rows(min_row=3)]
    full = [r[1].value for r in load_workbook(named)["成员"].iter_rows(min_row=3)]
    assert "张秀兰" in full and "李<b>明</b>" in full
    relief = load_workbook(masked)["受助记录"]
    assert [c.value for c in relief[2]][:1] == ["M0007"]


def test_member_usage(ledger):
    assert run("member", ledger, "--as-of", AS_OF).exit_code == 2
    assert run("member", ledger, "--all", "--format", "html").exit_code == 2
    assert run("member", ledger, "M9999", "--format", "html").exit_code == 2


def test_loans_xlsx_and_csv_with_bom(ledger, tmp_path):
    result = CliRunner().invoke(main, ["loans", str(ledger), "--as-of", "2027-07-01",
                                       "--format", "xlsx"])
    assert result.exit_code == 0
    ws = load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert ws.title == "借款台账"
    headers = [c.value for c in ws[2]]
    assert headers[:3] == ["编号", "成员编号", "姓名"] and "未还本金" in headers
    row = [c.value for c in ws[3]]
    assert row[headers.index("到期日")] == datetime.datetime(2027, 6, 5)
    assert Decimal(str(row[headers.index("未还本金")])) == Decimal("2000")
    assert row[headers.index("状态")] == "逾期" and row[headers.index("姓名")] == "张*兰"
    raw = run("loans", ledger, "--as-of", "2027-07-01", "--format", "csv").stdout_bytes
    assert raw.startswith("\ufeffid,".encode()) and b"\r\n" in raw
    text = raw.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["id"] == "L2025-003" and rows[0]["outstanding"] == "2000.00"


def test_export_xlsx_one_workbook_a_sheet_per_table(ledger, tmp_path):
    from fundledger.frames import TABLES

    result = run("export", ledger, "--to", tmp_path, "--format", "xlsx", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "tables.xlsx")
    assert len(book.sheetnames) == len(TABLES)
    postings = book["分录"]
    headers = [c.value for c in postings[1]]
    assert headers[:2] == ["日期", "交易序号"] and "金额" in headers
    amounts = [r[headers.index("金额")] for r in postings.iter_rows(min_row=2)]
    assert all(c.number_format == "#,##0.00" for c in amounts)
    assert sum(Decimal(str(c.value)) for c in amounts) == 0
    assert "张秀兰" not in str([c.value for r in book["成员"].iter_rows() for c in r])


def test_export_csv_has_a_bom(ledger, tmp_path):
    assert run("export", ledger, "--to", tmp_path, "--format", "csv", "--as-of", AS_OF
               ).exit_code == 0
    assert (tmp_path / "members.csv").read_bytes().startswith(b'\xef\xbb\xbf"id",')
