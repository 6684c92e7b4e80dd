"""``fundledger.pdf``: A4 pages, the CJK font embedded, the title and totals extractable.

Page 1 of each document is also drawn to PNG with poppler's ``pdftoppm`` into
``tests/artifacts/pdf/`` (git-ignored; ``FUNDLEDGER_ARTIFACTS=DIR`` chooses another folder),
for a person to look at.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from fundledger.pdf import Document, break_lines, cell_text, table_pdf

ROOT = Path(__file__).resolve().parent.parent
A4 = (595.28, 841.89)  # points
MM = 72 / 25.4

ROWS = [["一日捐", Decimal("15000.00"), 12], ["个人捐款", Decimal("1409.02"), 3]]
TOTAL = [["合计", Decimal("16409.02"), 15]]


def notice() -> bytes:
    doc = Document(title="关于2026年度帮扶资金筹集使用情况的通报", layout="official")
    doc.issuer("中共某某县委组织部文件")
    doc.doc_number("某组通〔2026〕3号")
    doc.title("关于2026年度困难党员帮扶资金\n筹集使用情况的通报")
    doc.paragraph("各党支部：", indent=0)
    doc.paragraph("现将2026年度困难党员帮扶基金筹集、使用情况通报如下。")
    doc.heading("一、资金筹集情况", level=1)
    doc.heading("（一）一日捐", level=2)
    doc.table(["项目", "金额（元）", "人数"], ROWS, totals=TOTAL, widths=[3, 2, 1])
    doc.heading("二、资金使用情况", level=1)
    for _ in range(12):  # enough to run onto a second page
        doc.paragraph("帮扶资金严格按照规定用途使用，经集体研究决定，做到专款专用、公开透明。")
    doc.signature(["中共某某县委组织部"], "2026年3月1日")
    doc.circulation("中共某某县委组织部办公室", "2026年3月1日印发")
    return doc.output()


def journal() -> bytes:
    rows = [[datetime.date(2026, 1, d), f"记{d}", "收一日捐", Decimal("100.00"), None,
             Decimal(100 * d)] for d in range(1, 29)]
    return table_pdf("银行存款日记账", ["日期", "凭证号", "摘要", "借方", "贷方", "余额"], rows,
                     totals=[["", "", "本月合计", Decimal("2800.00"), Decimal("0.00"),
                              Decimal("2800.00")]],
                     subtitle="科目：银行存款　2026年1月", landscape=True)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fonts_of(data: bytes) -> list[dict]:
    """Each page font's descendant FontDescriptor."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                found.append(descendant.get_object()["/FontDescriptor"].get_object())
    return found


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("FUNDLEDGER_ARTIFACTS") or ROOT / "tests" / "artifacts") / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_notice_reads_back_with_its_title_and_totals():
    text = text_of(notice())
    assert "关于2026年度困难党员帮扶资金" in text and "筹集使用情况的通报" in text
    assert "某组通〔2026〕3号" in text
    assert "16,409.02" in text and "合计" in text
    assert "2026年3月1日印发" in text
    assert text.count("一、资金筹集情况") == 1  # each call drawn once, however it is made


def test_a_table_reads_back_with_its_title_and_totals():
    text = text_of(journal())
    assert "银行存款日记账" in text
    assert "本月合计" in text and "2,800.00" in text


@pytest.mark.parametrize("make", [notice, journal])
def test_the_cjk_font_is_embedded(make):
    descriptors = fonts_of(make())
    assert descriptors
    for descriptor in descriptors:
        assert "/FontFile2" in descriptor, descriptor  # TrueType: every reader can extract it
        assert "NotoS" in str(descriptor["/FontName"])


def test_pages_are_a4_and_numbered():
    reader = PdfReader(io.BytesIO(notice()))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
        assert f"— {number} —" in page.extract_text()
    landscape = PdfReader(io.BytesIO(journal())).pages[0]
    assert round(float(landscape.mediabox.width), 1) == 841.9
    assert re.search(r"第 1 页 共 \d+ 页", landscape.extract_text())


def test_official_text_area_is_gb_t_9704():
    """Body text starts 37 mm from the top and 28 mm from the left edge (GB/T 9704 §5.2.1)."""
    xs, tops = [], []

    def visit(text, cm, tm, font, size):
        if text.strip():
            xs.append(tm[4] * cm[0] + cm[4])
            tops.append(A4[1] - (tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(notice())).pages[1].extract_text(visitor_text=visit)
    assert min(xs) == pytest.approx(28 * MM, abs=1.5)
    # the first baseline lies within the first of 22 lines of the 225 mm text area
    assert 37 * MM < min(tops) < (37 + 225 / 22) * MM
    assert max(tops) < (37 + 225) * MM + 7 * MM + 14  # the page number, 7 mm below


def test_page_numbers_stand_right_on_odd_pages_and_left_on_even_ones():
    """GB/T 9704 §7.5: 单页码居右空一字，双页码居左空一字 (one 4号 character in)."""
    reader = PdfReader(io.BytesIO(notice()))
    assert len(reader.pages) >= 2
    found: dict[int, list[tuple[float, str]]] = {}
    for n, page in enumerate(reader.pages[:2]):
        def visit(text, cm, tm, font, size, n=n):
            if "—" in text:
                found.setdefault(n, []).append((tm[4] * cm[0] + cm[4], text))
        page.extract_text(visitor_text=visit)
    one = 14 * 25.4 / 72 * MM  # a 4号 character, in points
    odd_x, odd_text = found[0][0]
    even_x, even_text = found[1][0]
    assert odd_text.strip() == "— 1 —" and even_text.strip() == "— 2 —"
    assert even_x == pytest.approx(28 * MM + one, abs=1.0)
    assert odd_x > (28 + 156 / 2) * MM  # the right half; its right end one character in


def test_no_line_starts_with_a_closing_mark():
    def chars(text: str) -> float:  # every character one unit wide
        return float(len(text))

    assert break_lines("现将通报如下。", 6, chars) == ["现将通报如", "下。"]
    assert break_lines("甲乙。”丙", 3, chars) == ["甲", "乙。”", "丙"]
    assert break_lines("甲（乙丙", 2, chars) == ["甲", "（乙", "丙"]  # nor ends with an opening one
    doc = Document(title="x", layout="official")
    doc.paragraph("现将2026年度困难党员帮扶基金筹集、使用情况通报如下。")
    lines = [line for line in text_of(doc.output()).splitlines() if line.strip()]
    assert not any(line.strip()[0] in "。，" for line in lines)


def test_a_number_is_never_broken_across_lines():
    def chars(text: str) -> float:
        return float(len(text))

    assert break_lines("收回本金191,400.00元", 10, chars) == ["收回本金", "191,400.00", "元"]
    assert break_lines("1234567890", 4, chars) == ["1234", "5678", "90"]  # wider than a line
    assert break_lines("甲\n乙", 9, chars) == ["甲", "乙"]
    doc = Document(title="x", layout="official")
    for n in range(40):  # numbers at every position of a line
        doc.paragraph("本年发放借款" + "款" * n + "50 笔，计 210,500.00 元；收回本金 191,400.00 元。")
    text = text_of(doc.output())
    for line in (line.strip() for line in text.splitlines() if line.strip()):
        assert not re.search(r"[0-9,.]$", line) or re.search(r"(210,500\.00|191,400\.00|50)$",
                                                            line), line
        assert not re.match(r"^[0-9,.]", line) or re.match(r"^(210,500\.00|191,400\.00|50)",
                                                           line), line


def test_cells_print_money_with_separators():
    assert cell_text(Decimal("1234567.5")) == "1,234,567.50"
    assert cell_text(datetime.date(2026, 3, 1)) == "2026-03-01"
    assert cell_text(None) == ""


def test_a_row_of_the_wrong_width_is_refused():
    doc = Document(title="x")
    with pytest.raises(ValueError, match="cells"):
        doc.table(["a", "b"], [["only one"]])


def test_the_output_is_the_same_every_time():
    assert notice() == notice()


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="pdftoppm (Debian's poppler-utils) is not installed")
@pytest.mark.parametrize("make", [notice, journal])
def test_page_one_renders_to_png(make, artifacts, tmp_path):
    source = tmp_path / f"{make.__name__}.pdf"
    source.write_bytes(make())
    (artifacts / source.name).write_bytes(source.read_bytes())
    stem = artifacts / make.__name__
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(stem)], check=True)
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000  # text drawn, not a blank page


def test_a_long_cell_squeezes_no_column_below_a_character(tmp_path):
    # fpdf2 wraps a cell narrower than one character for ever: the widths must leave room
    script = tmp_path / "squeeze.py"
    script.write_text(
        "from decimal import Decimal\n"
        "from fundledger.pdf import Document\n"
        "doc = Document(title='t', layout='plain')\n"
        "doc.table(['编号', '日期', '类别', '申请', '批准', '发放', '步骤', '备注'],\n"
        "          [['A2025-001', '2025-02-03', '借款', Decimal('4000'), Decimal('4000'),\n"
        "            Decimal('4000'), '支部初审 02-08 → 公示 02-09 → 审批 02-20 ' * 8, 'x']])\n"
        "assert doc.output().startswith(b'%PDF')\n", encoding="utf-8")
    import subprocess
    import sys
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_rule_can_be_drawn_and_the_line_height_read():
    # Document.line (a rule, for boxed forms) was hidden by the line height of the same name
    doc = Document(title="t", layout="plain")
    doc.line(10, 10, 100, 10)
    assert doc.line_height > 0 and doc.output().startswith(b"%PDF")
