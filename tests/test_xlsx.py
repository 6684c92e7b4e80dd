"""``fundledger.xlsx`` and ``fundledger.csvtext``: what Excel and WPS are handed (SPEC §6)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fundledger.csvtext import csv_text
from fundledger.xlsx import Sheet, display_width, sheet_name, write_xlsx

D = datetime.date

LOANS = Sheet(
    name="贷款台账",
    title="2026年贷款台账",
    headers=["编号", "发放日期", "摘要", "金额（元）", "天数"],
    rows=[
        ["L-001", D(2026, 3, 1), "=HYPERLINK(\"http://x\")", Decimal("5000.00"), 30],
        ["L-002", D(2026, 4, 2), "-1,234.50", Decimal("0.10"), 0],
        ["L-003", None, "@SUM(A1)", Decimal("123456789012.35"), 7],
    ],
    totals=[["合计", None, None, Decimal("123456794012.45"), None]],
)


@pytest.fixture(scope="module")
def book():
    return load_workbook(io.BytesIO(write_xlsx([LOANS, Sheet("空表", ["项目"], [])])))


def test_sheets_headers_and_title_are_chinese(book):
    assert book.sheetnames == ["贷款台账", "空表"]
    ws = book["贷款台账"]
    assert ws["A1"].value == "2026年贷款台账" and ws["A1"].font.b
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["编号", "发放日期", "摘要", "金额（元）", "天数"]
    assert book["空表"]["A1"].value == "项目"


def test_amounts_are_exact_numbers_with_two_decimals(book):
    ws = book["贷款台账"]
    cells = [ws["D3"], ws["D4"], ws["D5"], ws["D6"]]
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in cells)
    assert [Decimal(str(c.value)) for c in cells] == [
        Decimal("5000"), Decimal("0.1"), Decimal("123456789012.35"), Decimal("123456794012.45")]
    assert ws["E3"].value == 30 and ws["E3"].data_type == "n"


def test_dates_are_dates(book):
    ws = book["贷款台账"]
    assert ws["B3"].is_date and ws["B3"].value == datetime.datetime(2026, 3, 1)
    assert ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["B5"].value is None


def test_formula_like_text_is_no_formula(book):
    ws = book["贷款台账"]
    for cell in (ws["C3"], ws["C5"]):
        assert cell.data_type == "s" and cell.value.startswith("'")
    assert ws["C3"].value == "'=HYPERLINK(\"http://x\")"
    assert ws["C4"].value == "-1,234.50"  # a number as text stays as it is


def test_header_frozen_totals_bold_widths_from_content(book):
    ws = book["贷款台账"]
    assert ws.freeze_panes == "A3"
    assert all(c.font.b for c in ws[6]) and not ws["A3"].font.b
    # "金额（元）" is 10 columns wide in CJK terms; "123,456,794,012.45" is 18
    assert ws.column_dimensions["D"].width == 20
    assert ws.column_dimensions["A"].width == display_width("编号") + 2 + 1  # "L-001" is 5
    assert book["空表"].freeze_panes == "A2"


def test_more_digits_than_excel_keeps_stays_exact_as_text():
    big = Decimal("1234567890123.456")  # 16 significant digits
    ws = load_workbook(io.BytesIO(write_xlsx([Sheet("x", ["金额"], [[big]])])))["x"]
    assert ws["A2"].value == "1234567890123.456"


def test_floats_and_wrong_widths_are_refused():
    with pytest.raises(TypeError, match="Decimal"):
        write_xlsx([Sheet("x", ["金额"], [[1.5]])])
    with pytest.raises(ValueError, match="cells"):
        write_xlsx([Sheet("x", ["a", "b"], [[1]])])


def test_cjk_counts_double_and_sheet_names_are_legal():
    assert display_width("编号") == 4 and display_width("L-001") == 5
    assert sheet_name("2026/3 贷款:台账[全部]" * 3)[:12] == "2026_3 贷款_台账"
    assert len(sheet_name("长" * 40)) == 31


def test_csv_starts_with_a_bom_and_neutralises_formulas():
    text = csv_text(["编号", "摘要", "金额", "日期"],
                    [["L-001", "=1+1", Decimal("1409.50"), D(2026, 3, 1)],
                     ["L-002", "-1,234.50", Decimal("-0.10"), None]])
    assert text.startswith("\ufeff编号,摘要,金额,日期\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == ["L-001", "'=1+1", "1409.50", "2026-03-01"]
    assert rows[2] == ["L-002", "-1,234.50", "-0.10", ""]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
