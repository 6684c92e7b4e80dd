"""The rendered notice: golden files, privacy, editions, formats, and the publicity list.

Set FUNDLEDGER_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change, then
read the diff before committing it.
"""

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import fundledger
from fundledger.cli import main

ROOT = Path(__file__).resolve().parent.parent
LEDGERS = ROOT / "ledgers"
GOLDEN = Path(__file__).parent / "golden"
COUNTY = LEDGERS / "county" / "main.beancount"
UPDATE = os.environ.get("FUNDLEDGER_UPDATE_GOLDEN") == "1"


def notice(ledger, *args):
    result = CliRunner().invoke(main, ["notice", str(ledger), *map(str, args),
                                       "--generated", "2026-03-01"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("edition", "fmt", "lang"), [
    ("public", "md", "zh"), ("internal", "md", "zh"), ("public", "html", "zh"),
    ("internal", "html", "zh"), ("public", "md", "en"), ("internal", "json", "zh"),
])
def test_county_2025_notice_matches_its_golden_file(edition, fmt, lang):
    text = notice(COUNTY, "--year", 2025, "--edition", edition, "--format", fmt, "--lang", lang)
    golden = GOLDEN / f"county-2025-{edition}-{lang}.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def _all_editions(ledger, year):
    for edition in ("public", "internal"):
        for fmt in ("md", "html", "json"):
            for lang in ("zh", "en"):
                if fmt == "json" and lang == "en":
                    continue
                yield edition, fmt, notice(ledger, "--year", year, "--edition", edition,
                                           "--format", fmt, "--lang", lang)


@pytest.mark.parametrize(("name", "year"), [("county", 2025), ("prefecture", 2014),
                                            ("taxbureau", 2025), ("district", 2025)])
def test_no_member_is_ever_named_in_any_edition(name, year):
    ledger = LEDGERS / name / "main.beancount"
    fund = fundledger.load(ledger)
    names = [m.name for m in fund.members.values()]
    contacts = [m.contact for m in fund.members.values() if m.contact and len(m.contact) > 4]
    assert names
    for edition, fmt, text in _all_editions(ledger, year):
        for full in names:
            assert full not in text, (edition, fmt, full)
        for contact in contacts:
            assert contact not in text, (edition, fmt, contact)
        assert not re.search(r"\d{17}[\dXx]", text), (edition, fmt)  # no national ID numbers


def test_internal_edition_lists_masked_beneficiaries_and_public_none():
    internal = json.loads(notice(COUNTY, "--year", 2025, "--edition", "internal", "--format", "json"))
    public = json.loads(notice(COUNTY, "--year", 2025, "--format", "json"))
    assert public["beneficiaries"] == []
    rows = internal["beneficiaries"]
    assert rows and all("*" in r["name"] for r in rows)
    total = sum(float(r["amount"]) for r in rows)  # compare to the cent, not for money
    assert round(total, 2) == float(internal["relief_total"])
    assert {k: v for k, v in internal.items() if k not in ("beneficiaries", "details")} == \
           {k: v for k, v in public.items() if k not in ("beneficiaries", "details")}


def test_masked_names_appear_only_in_the_internal_edition():
    md_public = notice(COUNTY, "--year", 2025, "--format", "md")
    md_internal = notice(COUNTY, "--year", 2025, "--edition", "internal", "--format", "md")
    masked = re.compile(r"\| [^|*\s]+\*[^|\s]* \|")  # a table cell such as | 张*兰 |
    assert not masked.search(md_public)
    assert masked.search(md_internal)


def test_notice_shows_capital_numerals_the_rate_definition_and_the_fingerprint():
    text = notice(COUNTY, "--year", 2025)
    data = json.loads(notice(COUNTY, "--year", 2025, "--format", "json"))
    assert "人民币壹拾万玖仟柒佰柒拾贰元柒角贰分" in text
    assert "还款率：截至年末已到期的借款本金中" in text
    assert data["details"]["sha256"] in text
    assert "监督小组签字" in text and "2025-01-01 至 2025-12-31" in text


def test_fingerprint_changes_with_the_ledger(tmp_path):
    import shutil
    copy = tmp_path / "county"
    shutil.copytree(LEDGERS / "county", copy)
    before = json.loads(notice(copy / "main.beancount", "--year", 2025, "--format", "json"))
    with open(copy / "2025" / "funding.beancount", "a", encoding="utf-8") as f:
        f.write("\n; a comment changes the fingerprint, not the figures\n")
    after = json.loads(notice(copy / "main.beancount", "--year", 2025, "--format", "json"))
    assert before["details"]["sha256"] != after["details"]["sha256"]
    assert before["raised"] == after["raised"]


def test_html_is_print_ready_with_charts():
    html = notice(COUNTY, "--year", 2025, "--format", "html")
    assert "@page { size: A4" in html and "<svg" in html and 'lang="zh-CN"' in html
    assert "Noto Serif CJK SC" in html


def test_output_file_and_templates_override(tmp_path):
    out = tmp_path / "notice.md"
    result = CliRunner().invoke(main, ["notice", str(COUNTY), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# 某县")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "notice.md.j2").write_text("{{ n.title }}：{{ n.this.raised_total | money }}\n",
                                                   encoding="utf-8")
    text = notice(COUNTY, "--year", 2025, "--templates", tmp_path / "tpl")
    assert text == "某县困难党员帮扶基金：109,772.72\n"


def test_a_broken_template_is_a_usage_error(tmp_path):
    (tmp_path / "notice.md.j2").write_text("{{ n.nothing_here }}", encoding="utf-8")
    result = CliRunner().invoke(main, ["notice", str(COUNTY), "--year", "2025",
                                       "--templates", str(tmp_path)])
    assert result.exit_code == 2 and "template error" in result.output


def test_a_year_without_activity_still_renders(tmp_path):
    # a year inside the books with nothing booked (a year outside them is refused: exit 2)
    ledger = tmp_path / "gap.beancount"
    ledger.write_text('option "operating_currency" "CNY"\nplugin "fundledger.plugin"\n'
                      "2019-01-01 open Assets:Bank:Fund CNY\n2019-01-01 open Income:Dues CNY\n"
                      + "".join(f'{y}-01-10 * "划拨"\n  Assets:Bank:Fund 5.00 CNY\n  Income:Dues\n'
                                for y in (2019, 2021)), encoding="utf-8")
    text = notice(ledger, "--year", 2020)
    assert "本年无救济支出" in text and "不计还款率" in text


def test_publicity_list_masks_names_and_gives_the_last_day():
    result = CliRunner().invoke(main, ["publicity", str(COUNTY), "--as-of", "2025-03-03",
                                       "--format", "json"])
    rows = json.loads(result.stdout)
    assert rows == [{"application": "A2025-023", "name": "孙*茂", "branch": "岭脚村党支部",
                     "kind": "relief", "amount": "5000.00", "published": "2025-03-03",
                     "objections_until": "2025-03-07"}]
    later = CliRunner().invoke(main, ["publicity", str(COUNTY), "--as-of", "2025-03-08",
                                      "--format", "json"])
    assert "A2025-023" not in later.stdout
    md = CliRunner().invoke(main, ["publicity", str(COUNTY), "--as-of", "2025-03-03", "--format", "md"])
    assert "孙*茂" in md.stdout and "异议截止日" in md.stdout


CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium to print the notice to PDF "
                                             "(.ci/run installs it with apt-get)")
def test_the_html_notice_prints_to_two_a4_pages(tmp_path):
    import subprocess
    html = tmp_path / "notice.html"
    html.write_text(notice(COUNTY, "--year", 2025, "--format", "html"), encoding="utf-8")
    pdf = tmp_path / "notice.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
                    "--no-pdf-header-footer", html.as_uri()],
                   capture_output=True, timeout=120, check=False)
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert data.startswith(b"%PDF") and 1 <= pages <= 3
    width, height = map(float, re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", data).groups())
    assert (round(width), round(height)) == (595, 842)  # A4 in points
