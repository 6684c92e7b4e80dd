"""The statistics table (慰问帮扶统计情况表, SPEC §6 ``stats``): on a generated two-year ledger,
for each year, the total equals the notice's members helped and relief and a plain count over
the loaded entries, the branches add up to the total, and the xlsx and pdf carry the figures.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core.data import Custom, Transaction
from click.testing import CliRunner

from fundledger.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from county_generator import generate  # noqa: E402

ARTIFACTS = Path(__file__).parent / "artifacts" / "pdf"
YEARS = (2024, 2025)
D = Decimal


def run(*args, ok=(0,)):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in ok, result.output
    return result


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    return Path(generate(tmp_path_factory.mktemp("stats"), seed=11, first_year=2024,
                         last_year=2025).main)


def independent(ledger: Path, year: int):
    """Counts straight from the loaded entries: members by branch, relief by member."""
    entries = loader.load_file(str(ledger))[0]
    branch, registered, exits, tiers, known = {}, Counter(), {}, {}, set()
    for e in entries:
        if not isinstance(e, Custom):
            continue
        if e.type == "member":
            branch[e.values[0].value] = e.meta["branch"]
            if e.date.year <= year:
                known.add(e.values[0].value)
            if e.date.year == year:
                registered[e.meta["branch"]] += 1
        elif e.type == "exit":
            exits[e.values[0].value] = e.date
        elif e.type == "review" and e.date.year <= year:
            tiers[e.values[0].value] = e.values[1].value  # entries are in date order
    members = Counter(branch[m] for m in known if m not in exits or exits[m].year > year)
    exited = Counter(branch[m] for m, d in exits.items() if d.year == year)
    helped, visits = defaultdict(set), Counter()
    relief = defaultdict(D)
    for e in entries:
        if isinstance(e, Transaction) and e.date.year == year:
            for p in e.postings:
                if p.account.startswith("Expenses:Relief:"):
                    who = (p.meta or {}).get("member") or e.meta.get("member")
                    helped[branch[who]].add(who)
                    relief[p.account] += p.units.number
                    if p.account.startswith("Expenses:Relief:Visits"):
                        visits[branch[who]] += 1
    by_tier = Counter(tiers.get(m, "unreviewed") for m in known
                      if m not in exits or exits[m].year > year)
    return members, registered, exited, helped, visits, relief, by_tier


@pytest.mark.parametrize("year", YEARS)
def test_totals_equal_the_notice_and_the_entries(ledger, year):
    got = json.loads(run("stats", ledger, "--year", year, "--format", "json").stdout)
    notice = json.loads(run("notice", ledger, "--year", year, "--format", "json").stdout)
    total = got["total"]
    assert "branch" not in total and got["year"] == year
    assert total["helped"] == notice["relief_members"]
    assert total["relief_total"] == notice["relief_total"]
    assert total["relief"] == {a: v["amount"] for a, v in notice["relief"].items()}
    assert total["loans_disbursed"] == notice["loans"]["disbursed_count"]
    assert total["loans_outstanding"] == notice["loans"]["outstanding"]
    assert total["loans_overdue"] == notice["loans"]["overdue_count"]
    members, registered, exited, helped, visits, relief, by_tier = independent(ledger, year)
    assert total["tiers"] == dict(by_tier)
    rows = {r["branch"]: r for r in got["branches"]}
    assert {b: r["members"] for b, r in rows.items() if r["members"]} == dict(members)
    assert {b: r["registered"] for b, r in rows.items() if r["registered"]} == dict(registered)
    assert {b: r["exited"] for b, r in rows.items() if r["exited"]} == dict(exited)
    assert {b: r["helped"] for b, r in rows.items() if r["helped"]} == \
        {b: len(s) for b, s in helped.items()}
    assert {b: r["visits"] for b, r in rows.items() if r["visits"]} == dict(visits)
    assert {a: D(v) for a, v in total["relief"].items()} == dict(relief)
    for r in [*got["branches"], total]:
        assert sum(r["tiers"].values()) == sum(r["categories"].values()) == r["members"]
        assert D(r["relief_total"]) == sum((D(v) for v in r["relief"].values()), D(0))
    for key in ("members", "registered", "exited", "helped", "visits", "loans_disbursed",
                "loans_overdue"):
        assert sum(r[key] for r in got["branches"]) == total[key], key
    assert sum(D(r["loans_outstanding"]) for r in got["branches"]) == \
        D(total["loans_outstanding"])


def test_members_carry_over_from_year_to_year(ledger):
    one, two = (json.loads(run("stats", ledger, "--year", y, "--format", "json").stdout)["total"]
                for y in YEARS)
    assert two["members"] == one["members"] + two["registered"] - two["exited"]


def test_an_opening_loan_is_outstanding_but_not_disbursed(tmp_path):
    ledger = tmp_path / "x.beancount"
    ledger.write_text("""option "operating_currency" "CNY"
plugin "fundledger.plugin"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Equity:Opening-Balances CNY
2025-01-01 open Assets:Loans:L-OLD CNY
2025-01-01 custom "member" "M1"
  name: "张三"
  branch: "东山村党支部"
2025-01-02 * "期初"
  Assets:Bank:Fund       1000.00 CNY
  Assets:Loans:L-OLD     3000.00 CNY
    member: "M1"
    due: 2026-01-01
  Equity:Opening-Balances
""", encoding="utf-8")
    got = json.loads(run("stats", ledger, "--year", 2025, "--format", "json").stdout)
    row = got["branches"][0]
    assert row["branch"] == "东山村党支部" and row["loans_disbursed"] == 0
    assert row["loans_outstanding"] == "3000.00"
    assert row["tiers"] == {"unreviewed": 1} and row["categories"] == {"unspecified": 1}


def test_relief_of_no_registered_member_has_its_own_row(tmp_path):
    ledger = tmp_path / "x.beancount"
    ledger.write_text("""option "operating_currency" "CNY"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Dues CNY
  pool: "spendable"
2025-01-01 open Expenses:Relief:Visits CNY
2025-01-02 * "拨入"
  Assets:Bank:Fund  1000.00 CNY
  Income:Dues
2025-02-01 * "慰问"
  Expenses:Relief:Visits  200.00 CNY
  Assets:Bank:Fund
""", encoding="utf-8")
    got = json.loads(run("stats", ledger, "--year", 2025, "--format", "json", ok=(1,)).stdout)
    assert [r["branch"] for r in got["branches"]] == [None]
    assert got["total"]["relief_total"] == "200.00" and got["total"]["visits"] == 1


def test_xlsx_pdf_and_html(ledger, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    got = json.loads(run("stats", ledger, "--year", 2025, "--format", "json").stdout)
    out = tmp_path / "s.xlsx"
    run("stats", ledger, "--year", 2025, "--format", "xlsx", "-o", out)
    sheet = load_workbook(out)["慰问帮扶统计"]
    headers = [c.value for c in sheet[2]]
    assert headers[:2] == ["支部", "在册人数"] and "救济合计" in headers and "帮扶人数" in headers
    last = [c for c in sheet[sheet.max_row]]
    assert last[0].value == "合计"
    assert last[1].value == got["total"]["members"]
    at = headers.index("救济合计")
    assert D(str(last[at].value)) == D(got["total"]["relief_total"])
    assert last[at].number_format == "#,##0.00"
    assert last[headers.index("帮扶人数")].value == got["total"]["helped"]
    data = run("stats", ledger, "--year", 2025, "--format", "pdf").stdout_bytes
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = "".join(p.extract_text() for p in reader.pages)
    assert "2025年度慰问帮扶统计情况表" in text and "合计" in text
    assert f"{D(got['total']['relief_total']):,.2f}" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "stats-2025.pdf").write_bytes(data)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(ARTIFACTS / "stats-2025.pdf"),
                        str(ARTIFACTS / "stats-2025")], check=True)
    html = run("stats", ledger, "--year", 2025, "--format", "html").stdout
    assert "慰问帮扶统计情况表" in html and f"{D(got['total']['relief_total']):,.2f}" in html
    table = run("stats", ledger, "--year", 2025).stdout
    assert "合计" in table


def test_a_year_outside_the_books_is_a_usage_error(ledger):
    assert "2030" in run("stats", ledger, "--year", 2030, ok=(2,)).stderr
