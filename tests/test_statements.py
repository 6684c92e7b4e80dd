"""The financial statements (SPEC §10): on a generated two-year ledger with opening entries in
both years (one of them an opening loan), every year's sheets equal ``balances`` at the start
(with the year's opening entries) and the end, income by pool equals a plain count over the
loaded entries, both identities hold; the xlsx, pdf and html carry the same figures; the
county's 2025 statements match their golden files (FUNDLEDGER_UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core.data import Custom, Open, Transaction
from click.testing import CliRunner

from fundledger.cli import main
from fundledger.view_statements import BalanceSheet, Statements, StatementsError, check

sys.path.insert(0, str(Path(__file__).parent))
from county_generator import generate  # noqa: E402

ROOT = Path(__file__).parent
GOLDEN = ROOT / "golden"
ARTIFACTS = ROOT / "artifacts" / "pdf"
COUNTY = ROOT.parent / "ledgers" / "county" / "main.beancount"
UPDATE = os.environ.get("FUNDLEDGER_UPDATE_GOLDEN") == "1"
YEARS = (2024, 2025)
D = Decimal

# a second opening entry in the second year: spendable money and a loan made before the books
EXTRA = """
2025-01-01 open Equity:Opening-Transfer CNY
  name: "乡基金并入"
  pool: "spendable"
2025-03-02 open Assets:Loans:LOPEN-1 CNY
2025-03-02 * "乡基金并入" "并入结余与借款期初余额"
  Assets:Bank:Fund           1500.00 CNY
  Equity:Opening-Transfer   -1500.00 CNY
  Assets:Loans:LOPEN-1       2000.00 CNY
    member: "{member}"
    due: 2027-03-01
  Equity:Opening-Balances   -2000.00 CNY
"""


def run(*args, ok=(0,)):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in ok, result.output
    return result


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    county = generate(tmp_path_factory.mktemp("two-years"), seed=7, first_year=2024,
                      last_year=2025)
    main_file = Path(county.main)
    text = main_file.read_text(encoding="utf-8")
    borrowers = {e.values[1].value for e in loader.load_file(str(main_file))[0]
                 if isinstance(e, Custom) and e.type == "apply"}
    member = next(f"M{n:04d}" for n in range(1, 999) if f"M{n:04d}" not in borrowers)
    main_file.write_text(text + EXTRA.format(member=member), encoding="utf-8")
    assert run("check", main_file).exit_code == 0
    return main_file


def raw(ledger: Path):
    entries, errors, _ = loader.load_file(str(ledger))
    return entries


def pool_of(entries) -> dict[str, str]:
    out = {}
    for e in entries:
        if isinstance(e, Open) and (e.account.startswith("Income:")
                                    or e.account.startswith("Equity:Opening")):
            default = "spendable" if e.account.startswith("Income:Interest") else "principal"
            out[e.account] = e.meta.get("pool", default)
    return out


def independent(entries, year):
    """What the year's statements should say, counted straight from the loaded entries."""
    pools = pool_of(entries)
    income = defaultdict(lambda: {"restricted": D(0), "unrestricted": D(0)})
    opening = {"restricted": D(0), "unrestricted": D(0), "loans": D(0), "cash": D(0)}
    relief = fees = losses = release = D(0)
    for e in entries:
        if e.date.year != year:
            continue
        if isinstance(e, Custom) and e.type == "release":
            release += e.values[0].value.number
        if not isinstance(e, Transaction):
            continue
        is_opening = any(p.account.startswith("Equity:Opening") for p in e.postings)
        for p in e.postings:
            n, a = p.units.number, p.account
            column = "restricted" if pools.get(a) == "principal" else "unrestricted"
            if a.startswith("Income:"):
                income[a][column] -= n
            elif a.startswith("Equity:Opening"):
                opening[column] -= n
            elif a.startswith("Expenses:Relief:"):
                relief += n
            elif a.startswith("Expenses:Fees"):
                fees += n
            elif a.startswith("Expenses:Losses"):
                losses += n
            elif is_opening and a.startswith("Assets:Loans:"):
                opening["loans"] += n
            elif is_opening:
                opening["cash"] += n
    return {a: v for a, v in income.items() if any(v.values())}, opening, relief, fees, losses, \
        release


def balances(ledger, day) -> dict[str, D]:
    got = json.loads(run("balances", ledger, "--as-of", day, "--format", "json").stdout)
    return {k: D(v) for k, v in got.items()}


def sheet(got: dict) -> dict[str, D]:
    return {k: D(v) for k, v in got.items()}


@pytest.mark.parametrize("year", YEARS)
def test_the_sheets_equal_balances_and_income_equals_the_entries(ledger, year):
    got = json.loads(run("statements", ledger, "--year", year, "--format", "json").stdout)
    assert got["year"] == year
    entries = raw(ledger)
    income, opening, relief, fees, losses, release = independent(entries, year)
    assert opening["restricted"] + opening["unrestricted"] > 0  # both years bring money in
    end = balances(ledger, f"{year}-12-31")
    before = balances(ledger, f"{year - 1}-12-31")
    start = {"cash": before["cash"] + opening["cash"],
             "loans": before["loans_outstanding"] + opening["loans"],
             "principal": before["principal"] + opening["restricted"],
             "spendable": before["spendable"] + opening["unrestricted"]}
    for name, want in (("start", start), ("end", end)):
        s = sheet(got["balance_sheet"][name])
        assert s["cash"] == want["cash"], name
        assert s["loans"] == (want.get("loans", want.get("loans_outstanding"))), name
        assert s["restricted"] == want["principal"] and s["unrestricted"] == want["spendable"]
        assert s["total_assets"] == s["cash"] + s["loans"] == s["total_net_assets"] \
            == s["restricted"] + s["unrestricted"]
    act = got["activities"]
    assert {a: sheet(v) for a, v in act["income"].items()} == income
    assert sheet(act["income_total"]) == {
        k: sum((v[k] for v in income.values()), D(0)) for k in ("restricted", "unrestricted")}
    assert (D(act["relief"]), D(act["fees"]), D(act["losses"]), D(act["release"])) == \
        (relief, fees, losses, release)
    change = sheet(act["change"])
    total = sheet(act["income_total"])
    assert change["restricted"] == total["restricted"] - losses - release
    assert change["unrestricted"] == total["unrestricted"] + release - relief - fees
    for key in ("restricted", "unrestricted"):
        assert sheet(got["balance_sheet"]["start"])[key] + change[key] == \
            sheet(got["balance_sheet"]["end"])[key]


def test_the_start_sheet_is_the_notice_start(ledger):
    for year in YEARS:
        notice = json.loads(run("notice", ledger, "--year", year, "--format", "json").stdout)
        got = json.loads(run("statements", ledger, "--year", year, "--format", "json").stdout)
        for name in ("start", "end"):
            s, n = got["balance_sheet"][name], notice[name]
            assert (s["cash"], s["loans"], s["restricted"], s["unrestricted"]) == \
                (n["cash"], n["loans_outstanding"], n["principal"], n["spendable"])


def test_a_statement_that_does_not_add_up_is_an_error_never_printed():
    good = BalanceSheet(D(10), D(5), D(12), D(3))
    Statements(2025, good, good, {}, D(0), D(0), D(0), D(0), {})  # fine: no change
    check(Statements(2025, good, good, {}, D(0), D(0), D(0), D(0), {}))
    with pytest.raises(StatementsError, match="资产总计"):
        check(Statements(2025, BalanceSheet(D(10), D(5), D(12), D(2)), good, {}, D(0), D(0),
                         D(0), D(0), {}))
    with pytest.raises(StatementsError, match="限定性净资产"):
        check(Statements(2025, good, good, {}, D(1), D(0), D(0), D(0), {}))


def test_money_outside_the_fund_stops_the_statements(tmp_path):
    bad = tmp_path / "bad.beancount"
    bad.write_text("""option "operating_currency" "CNY"
plugin "fundledger.plugin"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Dues CNY
2025-01-01 open Expenses:Office CNY
2025-01-02 * "拨入"
  Assets:Bank:Fund  100.00 CNY
  Income:Dues
2025-02-02 * "办公用品"
  Expenses:Office  30.00 CNY
  Assets:Bank:Fund
""", encoding="utf-8")
    result = run("statements", bad, "--year", 2025, ok=(1,))
    assert "资产总计" in result.stderr and "FL102" in result.stderr
    assert "业务活动表" not in result.stdout


def test_a_year_outside_the_books_is_a_usage_error(ledger):
    result = run("statements", ledger, "--year", 2019, ok=(2,))
    assert "2019" in result.stderr


def test_xlsx_has_both_statements_with_numbers_and_chinese_headers(ledger, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "s.xlsx"
    run("statements", ledger, "--year", 2025, "--format", "xlsx", "-o", out)
    got = json.loads(run("statements", ledger, "--year", 2025, "--format", "json").stdout)
    book = load_workbook(out)
    assert book.sheetnames == ["资产负债表", "业务活动表"]
    bs = book["资产负债表"]
    assert [c.value for c in bs[2]] == ["资产", "行次", "年初数", "年末数", "负债和净资产",
                                        "行次", "年初数", "年末数"]
    rows = {r[0].value: r for r in bs.iter_rows(min_row=3)}
    end = got["balance_sheet"]["end"]
    assert num(rows["货币资金"][3]) == D(end["cash"])
    assert rows["货币资金"][3].number_format == "#,##0.00"
    assert num(rows["资产总计"][3]) == D(end["total_assets"])
    assert num(rows["资产总计"][7]) == D(end["total_net_assets"])
    act = book["业务活动表"]
    assert [c.value for c in act[2]] == ["项目", "行次", "非限定性", "限定性", "合计"]
    lines = {r[0].value: r for r in act.iter_rows(min_row=3)}
    total = got["activities"]["income_total"]
    assert num(lines["收入合计"][2]) == D(total["unrestricted"])
    assert num(lines["收入合计"][3]) == D(total["restricted"])
    change = got["activities"]["change"]
    assert num(lines["四、净资产变动额"][4]) == D(change["restricted"]) + D(change["unrestricted"])
    assert lines["四、净资产变动额"][4].number_format == "#,##0.00"
    # the headings and subtotals in bold, as in the HTML and the PDF; the lines between not
    for label in ("一、收入", "收入合计", "二、费用", "费用合计", "四、净资产变动额"):
        assert lines[label][0].font.bold, label
    assert not lines["  救济支出"][0].font.bold


def num(cell) -> D:
    return D(str(cell.value))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def drawn_bold(data: bytes) -> tuple[str, str]:
    """The text of a PDF drawn with the glyphs stroked (fpdf's bold here: ``2 Tr``), and the rest."""
    from pypdf import PdfReader

    mode = [0]
    bold, plain = [], []

    def before(operator, operands, cm, tm):
        if operator == b"Tr":
            mode[0] = int(operands[0])

    def text(t, cm, tm, font, size):
        (bold if mode[0] == 2 else plain).append(t)

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(bold), "".join(plain)


def test_pdf_has_the_titles_and_totals_and_is_looked_at(ledger):
    data = run("statements", ledger, "--year", 2025, "--format", "pdf").stdout_bytes
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    got = json.loads(run("statements", ledger, "--year", 2025, "--format", "json").stdout)
    assert "资产负债表" in text and "业务活动表" in text
    end = got["balance_sheet"]["end"]
    assert f"{D(end['total_assets']):,.2f}" in text
    total = got["activities"]["income_total"]
    assert f"{D(total['restricted']) + D(total['unrestricted']):,.2f}" in text
    # the subtotals drawn bold (fpdf strokes the glyphs: text render mode 2) like the totals
    bold, plain = drawn_bold(data)
    for label in ("资产总计", "一、收入", "收入合计", "二、费用", "费用合计", "四、净资产变动额"):
        assert label in bold and label not in plain, label
    assert "救济支出" in plain and "救济支出" not in bold
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "statements-2025.pdf").write_bytes(data)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(ARTIFACTS / "statements-2025.pdf"),
                        str(ARTIFACTS / "statements-2025")], check=True)


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_county_2025_statements_match_their_golden_files(fmt):
    text = run("statements", COUNTY, "--year", 2025, "--format", fmt).stdout
    golden = GOLDEN / f"statements-county-2025.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_html_escapes_ledger_text(tmp_path):
    ledger = tmp_path / "x.beancount"
    ledger.write_text("""option "title" "<b>基金</b>"
option "operating_currency" "CNY"
plugin "fundledger.plugin"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Dues CNY
  name: "<script>党费</script>"
2025-01-02 * "拨入"
  Assets:Bank:Fund  100.00 CNY
  Income:Dues
""", encoding="utf-8")
    html = run("statements", ledger, "--year", 2025, "--format", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;党费" in html and "&lt;b&gt;基金" in html
