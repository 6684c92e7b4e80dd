"""The notice as an official document (GB/T 9704, SPEC §7): HTML and PDF from one text.

The PDF is read back with pypdf; page 1 of each is drawn to PNG with poppler's ``pdftoppm``
into ``tests/artifacts/notice/`` (git-ignored; ``FUNDLEDGER_ARTIFACTS=DIR`` chooses another
folder) for a person to look at.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from fundledger.cli import main
from fundledger.notice_text import chinese_date, document_number

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ROOT / "ledgers" / "county" / "main.beancount"
PRIVACY = Path(__file__).parent / "ledgers" / "privacy" / "main.beancount"
ISSUER = "中共某某县委组织部"
OFFICIAL = ("--issuer", ISSUER, "--number", "某组通〔2026〕3号", "--to", "各乡镇党委",
            "--date", "2026-03-01")


def run(ledger: Path, *args: str) -> bytes:
    result = CliRunner().invoke(main, ["notice", str(ledger), "--year", "2025", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def html(ledger: Path = COUNTY, *args: str) -> str:
    return run(ledger, "--format", "html", *args).decode()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    base = Path(os.environ.get("FUNDLEDGER_ARTIFACTS") or ROOT / "tests" / "artifacts")
    folder = base / "notice"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def county_pdf() -> bytes:
    return run(COUNTY, "--format", "pdf", "--edition", "internal", *OFFICIAL)


@pytest.fixture(scope="module")
def figures() -> dict:
    return json.loads(run(COUNTY, "--format", "json"))


# ---------------------------------------------------------------- the parts, as words

def test_document_numbers_and_dates_are_written_as_gb_t_9704_wants():
    assert document_number("3", 2026) == "〔2026〕3号"
    assert document_number("某组通[2026]3号", 2026) == "某组通〔2026〕3号"
    assert document_number("某组通（2026）12号", 2026) == "某组通〔2026〕12号"
    assert document_number("某组通〔2026〕3号", 2027) == "某组通〔2026〕3号"
    assert document_number(None, 2026) is None and document_number("  ", 2026) is None
    assert chinese_date(datetime.date(2026, 3, 1)) == "2026年3月1日"
    assert chinese_date(datetime.date(2026, 12, 31), "en") == "31 December 2026"


# ---------------------------------------------------------------- HTML

def test_the_html_has_every_part_of_an_official_document():
    text = html(COUNTY, *OFFICIAL)
    assert f'<div class="issuer">{ISSUER}</div>' in text
    assert '<div class="doc-number">某组通〔2026〕3号</div>' in text
    assert '<div class="red-rule"></div>' in text
    assert "某县困难党员帮扶基金<br>2025年度帮扶资金筹集使用情况通报</h1>" in text
    assert '<p class="to">各乡镇党委：</p>' in text
    for heading in ("<h2>一、资金总体情况</h2>", "<h2>二、资金筹集情况</h2>",
                    "<h3>（一）无偿救济</h3>", "<h3>（二）有偿扶助（借款）</h3>",
                    "<h2>四、说明与核验</h2>"):
        assert heading in text
    signature = text[text.index('<section class="signature">'):]
    assert f'<div class="signer">{ISSUER}</div>' in signature
    assert '<div class="date">2026年3月1日</div>' in signature
    assert f'<span class="by">{ISSUER}</span>' in text
    assert '<span class="on">2026年3月1日印发</span>' in text
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm;" in text
    assert 'content: "— " counter(page) " —"' in text


def test_without_the_options_the_fund_issues_it_to_the_branches_today():
    text = html(COUNTY)
    assert '<div class="issuer">某县困难党员帮扶基金</div>' in text
    assert '<div class="doc-number">' not in text  # no number given, none printed
    assert '<p class="to">各党支部：</p>' in text
    assert chinese_date(datetime.date.today()) + "印发" in text


def test_a_bare_number_takes_the_year_of_the_date_and_generated_is_date():
    text = html(COUNTY, "--number", "7", "--generated", "2027/1/5")
    assert '<div class="doc-number">〔2027〕7号</div>' in text
    assert '<div class="date">2027年1月5日</div>' in text
    assert html(COUNTY, "--date", "2027年1月5日") == html(COUNTY, "--generated", "2027-01-05")


def test_the_internal_edition_adds_the_masked_list_as_section_four():
    text = html(COUNTY, "--edition", "internal")
    assert "<h2>四、受助人员名单</h2>" in text and "<h2>五、说明与核验</h2>" in text
    assert "党内版（仅限党内传阅）" in text


def test_the_english_html_has_the_same_layout():
    text = html(COUNTY, "--lang", "en", "--number", "3", "--date", "2026-03-01")
    assert 'lang="en"' in text and '<p class="to">All party branches:</p>' in text
    assert '<div class="doc-number">〔2026〕3号</div>' in text
    assert '<div class="date">1 March 2026</div>' in text
    assert "<h2>4. Notes and verification</h2>" in text


def test_ledger_text_and_options_are_escaped_in_the_html(tmp_path):
    ledger = tmp_path / "x.beancount"
    ledger.write_text(
        'option "title" "<script>alert(1)</script>基金"\noption "operating_currency" "CNY"\n'
        'plugin "fundledger.plugin"\n2025-01-01 open Assets:Bank:Fund CNY\n'
        '2025-01-01 open Income:Dues CNY\n  name: "党费<b>划拨</b>"\n'
        '2025-01-10 * "划拨"\n  Assets:Bank:Fund 5.00 CNY\n  Income:Dues\n', encoding="utf-8")
    text = html(ledger, "--issuer", "<i>组织部</i>", "--to", "<u>各支部</u>")
    assert "<script>" not in text and "<b>" not in text
    assert "<i>" not in text and "<u>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;基金" in text
    assert "党费&lt;b&gt;划拨&lt;/b&gt;" in text and "&lt;i&gt;组织部&lt;/i&gt;" in text


# ---------------------------------------------------------------- PDF

def test_the_pdf_reads_back_with_its_parts_and_totals(county_pdf, figures):
    text = pdf_text(county_pdf)
    for part in (ISSUER, "某组通〔2026〕3号", "2025年度帮扶资金筹集使用情况通报", "各乡镇党委：",
                 "一、资金总体情况", "（一）无偿救济", "四、受助人员名单", "五、说明与核验",
                 "2026年3月1日", "2026年3月1日印发", "— 1 —", "监督小组签字"):
        assert part in text, part
    for key in ("raised_total", "relief_total"):
        amount = f"{float(figures[key]):,.2f}"  # 109,772.72 as the notice prints it
        assert amount in text, key
    assert "人民币壹拾万玖仟柒佰柒拾贰元柒角贰分" in text.replace("\n", "")


def test_the_pdf_and_the_html_say_the_same_sentences(county_pdf):
    import re

    page = html(COUNTY, "--edition", "internal", *OFFICIAL)
    text = pdf_text(county_pdf).replace("\n", "")
    sentences = re.findall(r"<p>([^<]{12,})</p>", page)
    assert len(sentences) > 8
    for sentence in sentences:
        plain = sentence.replace("&amp;", "&").replace("\u3000", "")
        assert plain.replace(" ", "") in text.replace(" ", "").replace("\u3000", ""), sentence


def test_the_pdf_is_a4_numbered_and_embeds_its_font(county_pdf):
    reader = PdfReader(io.BytesIO(county_pdf))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
        assert f"— {number} —" in page.extract_text()
        for ref in page["/Resources"]["/Font"].values():
            for descendant in ref.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # the subset is in the file itself


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_the_pdf_names_nobody_the_public_one_not_even_masked(edition):
    from test_privacy import EVERY_NAME, MASKED

    text = pdf_text(run(PRIVACY, "--format", "pdf", "--edition", edition)).replace("\n", "")
    assert [name for name in EVERY_NAME if name in text] == []
    masked = [name for name in MASKED if name in text]
    assert masked == [] if edition == "public" else masked


def test_pdf_to_a_terminal_needs_an_output_file(tmp_path):
    import pty
    import sys

    command = [sys.executable, "-m", "fundledger.cli", "notice", str(COUNTY), "--year", "2025",
               "--format", "pdf"]
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, timeout=120,
                              check=False)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2 and "-o" in done.stderr.decode()
    out = tmp_path / "notice.pdf"
    result = CliRunner().invoke(main, ["notice", str(COUNTY), "--year", "2025", "--format",
                                       "pdf", "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils' pdftoppm")
@pytest.mark.parametrize(("name", "args"), [
    ("internal-zh", ("--edition", "internal", *OFFICIAL)),
    ("public-zh", ("--date", "2026-03-01")),
    ("public-en", ("--lang", "en", "--number", "3", "--date", "2026-03-01")),
])
def test_page_one_draws_to_png(name, args, artifacts):
    pdf = artifacts / f"county-2025-{name}.pdf"
    pdf.write_bytes(run(COUNTY, "--format", "pdf", *args))
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(artifacts / f"county-2025-{name}")], check=True, timeout=60)
    png = artifacts / f"county-2025-{name}.png"
    assert png.read_bytes().startswith(b"\x89PNG")
