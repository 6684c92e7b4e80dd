"""``fundledger import --kind donations|members``: a clerk's xlsx or csv as checked entries;
every bad row named FILE:SHEET:ROW and column, nothing written when one is refused."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

import fundledger
from fundledger.cli import main

SPEC = Path(__file__).parent / "ledgers" / "spec_example.beancount"
D = datetime.date


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "main.beancount"
    shutil.copy(SPEC, path)
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _book(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def _ledger_text(ledger):
    return "".join(p.read_text(encoding="utf-8") for p in sorted(ledger.parent.glob("*.beancount")))


DONATION_HEADER = ["日期", "党支部", "捐款人", "金额（元）", "募捐活动"]


def test_donations_from_a_workbook_of_branch_sheets(ledger, tmp_path):
    book = _book(tmp_path / "一日捐.xlsx", {
        "东山村": [["2026年一日捐名单（东山村党支部）"], DONATION_HEADER,
                 [D(2026, 3, 1), "东山村党支部", "王建国", 500, "2026一日捐"],
                 [datetime.datetime(2026, 3, 2), "东山村党支部", "李四", 120.5, None],
                 [None, "合计", None, 620.5, None]],
        "说明": [["本表由各支部填报"]],
        "中田村": [DONATION_HEADER, ["2026/3/3", "中田村党支部", None, "1,000.00", "2026一日捐"]],
    })
    result = run("import", ledger, book, "--kind", "donations", "--campaign", "2026一日捐")
    assert result.exit_code == 0, result.output
    assert "说明" in result.output  # the sheet without a header is named as skipped
    fund = fundledger.load(ledger)
    assert not fund.errors
    gifts = [e for e in fund.entries if getattr(e, "meta", {}).get("campaign") == "2026一日捐"
             and e.date.year == 2026]
    assert sorted((g.date, g.postings[0].units.number, g.meta["donor"], g.payee) for g in gifts) == [
        (D(2026, 3, 1), Decimal("500.00"), "王建国", "东山村党支部"),
        (D(2026, 3, 2), Decimal("120.50"), "李四", "东山村党支部"),
        (D(2026, 3, 3), Decimal("1000.00"), "中田村党支部", "中田村党支部")]
    assert all(g.postings[1].account == "Income:Donations:Members" for g in gifts)


def test_donations_from_a_gbk_csv(ledger, tmp_path):
    text = "日期,单位,捐款人,金额,活动\r\n2026年3月5日,县委办,张三,￥300,2026一日捐\r\n"
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode("gbk"))
    result = run("import", ledger, path, "--kind", "donations")
    assert result.exit_code == 0, result.output
    assert 'donor: "张三"' in _ledger_text(ledger) and "300.00 CNY" in _ledger_text(ledger)


def test_every_bad_row_is_named_and_nothing_is_written(ledger, tmp_path):
    before = _ledger_text(ledger)
    book = _book(tmp_path / "bad.xlsx", {
        "一支部": [DONATION_HEADER,
                 [D(2026, 3, 1), "一支部", "甲", 100, None],
                 ["2026-02-30", "一支部", "乙", 100, None],
                 [D(2026, 3, 1), "一支部", "丙", "1e40", None],
                 [D(2026, 3, 1), None, None, 50, None],
                 [D(2026, 3, 1), "一支部", "丁", -5, None]],
        "二支部": [DONATION_HEADER, [None, "二支部", "戊", 12.345, None]],
    })
    result = run("import", ledger, book, "--kind", "donations")
    assert result.exit_code == 2
    out = result.output
    assert f"{book}:一支部:3: 「日期」列" in out and "2 月只有 28 天" in out
    assert f"{book}:一支部:4: 「金额（元）」列" in out and "应为" in out
    assert f"{book}:一支部:5: 「党支部」列" in out
    assert f"{book}:一支部:6: 「金额（元）」列" in out and "大于零" in out
    assert f"{book}:二支部:2: 「日期」列" in out and f"{book}:二支部:2: 「金额（元）」列" in out
    assert "一行也没有导入" in out
    assert _ledger_text(ledger) == before


def test_donations_with_several_donation_accounts_ask_for_account(ledger, tmp_path):
    with ledger.open("a", encoding="utf-8") as f:
        f.write('\n2025-01-01 open Income:Donations:Society CNY\n')
    book = _book(tmp_path / "d.xlsx", {"S": [DONATION_HEADER, [D(2026, 3, 1), "一支部", "甲", 100, None]]})
    result = run("import", ledger, book, "--kind", "donations")
    assert result.exit_code == 2
    assert "Income:Donations:Members" in result.output and "Income:Donations:Society" in result.output
    ok = run("import", ledger, book, "--kind", "donations", "--account", "Income:Donations:Society")
    assert ok.exit_code == 0, ok.output


MEMBER_HEADER = ["编号", "姓名", "支部", "类别", "困难等级", "审核日期"]


def test_members_with_reviews(ledger, tmp_path):
    book = _book(tmp_path / "名册.xlsx", {"名册": [
        ["建档立卡困难党员名册"], MEMBER_HEADER,
        ["M0101", "李金明", "东山村党支部", "rural", "特别困难", D(2026, 1, 10)],
        ["M0102", "赵大", "中田村党支部", None, "general", "2026/1/12"],
        ["M0103", "钱二", "中田村党支部", "退休", None, None]]})  # a category in Chinese
    result = run("import", ledger, book, "--kind", "members", "--date", "2026-02-01")
    assert result.exit_code == 0, result.output
    fund = fundledger.load(ledger)
    assert not fund.errors
    m1, m2, m3 = (fund.members[m] for m in ("M0101", "M0102", "M0103"))
    assert (m1.name, m1.branch, m1.category, m1.registered) == ("李金明", "东山村党支部", "rural",
                                                               D(2026, 1, 10))
    assert [(r.date, r.tier) for r in m1.reviews] == [(D(2026, 1, 10), "special")]
    assert [(r.date, r.tier) for r in m2.reviews] == [(D(2026, 1, 12), "general")]
    assert m3.reviews == [] and m3.registered == D(2026, 2, 1)
    assert m3.category == "retired"  # written as the ledger convention spells it (vocab)


def test_member_rows_refused(ledger, tmp_path):
    before = _ledger_text(ledger)
    path = tmp_path / "m.csv"
    path.write_text("\ufeff" + "\r\n".join([
        ",".join(MEMBER_HEADER),
        "M0201,甲,一支部,,一般困难,2026-01-05",
        "M0201,乙,一支部,,,",
        "9X,丙,一支部,,,",
        "M0203,,一支部,,很困难,2026-01-05",
        "M0204,丁,一支部,,特别困难,",
    ]) + "\r\n", encoding="utf-8")
    result = run("import", ledger, path, "--kind", "members")
    assert result.exit_code == 2
    out = result.output
    assert f"{path}:3: 「编号」列" in out and "重复" in out
    assert f"{path}:4: 「编号」列" in out
    assert f"{path}:5: 「姓名」列" in out and f"{path}:5: 「困难等级」列" in out
    assert f"{path}:6: 「审核日期」列" in out
    assert _ledger_text(ledger) == before


def test_a_member_the_ledger_has_is_refused(ledger, tmp_path):
    before = _ledger_text(ledger)
    book = _book(tmp_path / "m.xlsx", {"名册": [MEMBER_HEADER,
                                               ["M0300", "甲", "一支部", None, None, None],
                                               ["M0007", "张秀兰", "中田村党支部", None, None, None]]})
    result = run("import", ledger, book, "--kind", "members")
    assert result.exit_code == 2
    assert f"{book}:名册:3: 「编号」列" in result.output and "已在账本中" in result.output
    assert _ledger_text(ledger) == before


def test_an_entry_the_rules_refuse_writes_nothing(ledger, tmp_path):
    """Checked like ``add``: a donation dated before the accounts open is a new error."""
    before = _ledger_text(ledger)
    book = _book(tmp_path / "d.xlsx", {"S": [DONATION_HEADER,
                                            [D(2026, 3, 1), "一支部", "甲", 100, None],
                                            [D(2024, 3, 1), "一支部", "乙", 100, None]]})
    result = run("import", ledger, book, "--kind", "donations")
    assert result.exit_code == 1, result.output
    assert _ledger_text(ledger) == before


def test_no_header_is_a_usage_problem(ledger, tmp_path):
    book = _book(tmp_path / "x.xlsx", {"S": [["a", "b"], [1, 2]]})
    result = run("import", ledger, book, "--kind", "members")
    assert result.exit_code == 2 and "表头" in result.output
