"""Ledger text escaped wherever it is rendered (SPEC §6, §9): spreadsheets, Markdown, HTML."""

from __future__ import annotations

import pyarrow as pa
import pytest

from fundledger.render import environment, markdown_text
from fundledger.spreadsheet import safe_cell, safe_columns


@pytest.mark.parametrize(("cell", "written"), [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-", "'-"),
    ("-e5", "'-e5"),
    # numbers stay numbers
    ("-1234.50", "-1234.50"), ("-1,234.50", "-1,234.50"), ("+5", "+5"), ("-.5", "-.5"),
    ("-2e-3", "-2e-3"),
    # nothing else is touched
    ("2025-01-01", "2025-01-01"), ("中田村党支部", "中田村党支部"), ("a=b", "a=b"), ("", ""),
    (None, None), (12, 12),
])
def test_safe_cell(cell, written):
    assert safe_cell(cell) == written


def test_arrow_text_columns_are_neutralised_like_cells():
    cells = ['=1+1', '-1,234.50', None, 'ok', '-', '@x', '+cmd|x']
    table = pa.table({"text": pa.array(cells, pa.string()), "n": list(range(len(cells)))})
    out = safe_columns(table)
    assert out.column("text").to_pylist() == [safe_cell(c) for c in cells]
    assert out.column("n").to_pylist() == list(range(len(cells)))
    assert out.schema == table.schema


@pytest.mark.parametrize(("text", "shown"), [
    ("a|b", r"a\|b"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("A&B", "A&amp;B"),
    ("two\nlines\r\nhere", "two lines here"),
    ("`code`", r"\`code\`"),
    ("[link](http://x)", r"\[link\](http://x)"),
    ("**bold** _it_ ~~del~~", r"\*\*bold\*\* \_it\_ \~\~del\~\~"),
    ("阿**丽·买*提", r"阿\*\*丽·买\*提"),
    (r"back\slash", r"back\\slash"),
    # one run cannot make emphasis: masked names keep their look
    ("李*明", "李*明"), ("李**明", "李**明"), ("main_2025.beancount", "main_2025.beancount"),
    # numbers and the program's words are unchanged
    ("-1,234.50", "-1,234.50"), ("95.0%", "95.0%"), (2025, "2025"), ("〔2025〕4号", "〔2025〕4号"),
])
def test_markdown_text(text, shown):
    assert markdown_text(text) == shown


def test_markdown_templates_escape_every_output(tmp_path):
    (tmp_path / "t.md.j2").write_text("| {{ x }} | {{ n }} |\n", encoding="utf-8")
    env = environment(tmp_path, markdown=True)
    assert env.get_template("t.md.j2").render(x="a|<b>", n=-5) == "| a\\|&lt;b&gt; | -5 |\n"


def test_html_templates_autoescape(tmp_path):
    (tmp_path / "t.html.j2").write_text("<td>{{ x }}</td>\n", encoding="utf-8")
    env = environment(tmp_path)
    assert env.get_template("t.html.j2").render(x="<script>|") == "<td>&lt;script&gt;|</td>\n"
    assert env.autoescape("notice.html.j2") is True  # the notice's own template too
    assert environment(tmp_path, markdown=True).autoescape("notice.md.j2") is False
