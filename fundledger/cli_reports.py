"""The year-end reports: ``statements`` (资产负债表 and 业务活动表, SPEC §10) and ``stats``
(慰问帮扶统计情况表 by branch, SPEC §6), each as a table, JSON, xlsx, HTML or PDF.

The figures come from the view (``FundView.statements``, ``FundView.stats``); this module
lays them out once (``balance_rows``, ``activity_rows``, ``stats_table``) and every format
prints that one layout. docs/STATEMENTS.md describes it. cli.py registers the commands.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import jinja2

from .cli_common import LEDGER, InputError, _json, _open, _report_errors, emit, year_covered
from .fund import Fund
from .i18n import WORDS
from .money import ZERO, as_str, fmt
from .table import render
from .view_statements import BalanceSheet, Split, Statements, StatementsError
from .view_stats import UNCATEGORISED, UNREVIEWED, StatsError, StatsRow, YearStats

FORMATS = ["table", "json", "xlsx", "html", "pdf"]
YEAR = click.option("--year", type=int, required=True, help="报表年度 (the year reported)")
FORMAT = click.option("--format", "fmt_", type=click.Choice(FORMATS), default="table",
                      show_default=True)
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      default=None, help="写入文件而不是标准输出 (write to FILE)")
UNIT = "单位：元"
BALANCE_HEADERS = ("资产", "行次", "年初数", "年末数", "负债和净资产", "行次", "年初数", "年末数")
ACTIVITY_HEADERS = ("项目", "行次", "非限定性", "限定性", "合计")

Row = list[Any]


# ---------------------------------------------------------------- the layout

def balance_rows(st: Statements) -> tuple[list[Row], Row]:
    """资产负债表: assets on the left, liabilities (none) and net assets on the right, the
    start (年初数) and end (年末数) of the year; the last row is the totals row."""
    s, e = st.start, st.end

    def pair(get: Any) -> list[Decimal]:
        return [get(s), get(e)]

    left: list[Row] = [["货币资金", 1, *pair(lambda x: x.cash)],
                       ["借出款项", 2, *pair(lambda x: x.loans)],
                       ["", None, None, None], ["", None, None, None]]
    right: list[Row] = [["负债合计", 4, ZERO, ZERO],
                        ["限定性净资产", 5, *pair(lambda x: x.restricted)],
                        ["非限定性净资产", 6, *pair(lambda x: x.unrestricted)],
                        ["净资产合计", 7, *pair(lambda x: x.total_net_assets)]]
    total = ["资产总计", 3, *pair(lambda x: x.total_assets),
             "负债和净资产总计", 8, *pair(lambda x: x.total_net_assets)]
    return [a + b for a, b in zip(left, right, strict=True)], total


def activity_rows(st: Statements) -> tuple[list[Row], set[int]]:
    """业务活动表: 项目 | 行次 | 非限定性 | 限定性 | 合计; the indices of its bold rows.

    A cell that cannot hold money (a restricted relief, an income of the other pool) is
    blank; every total is printed, zero or not."""
    rows: list[Row] = [["一、收入", None, None, None, None]]
    bold: set[int] = {0}
    line = 0

    def add(label: str, split: Split | None, un: bool = True, re: bool = True,
            strong: bool = False) -> None:
        nonlocal line
        line += 1
        if strong:
            bold.add(len(rows))
        value = split or Split()
        rows.append([label, line, value.unrestricted if un else None,
                     value.restricted if re else None, value.total])

    for account, split in st.income.items():
        add(f"  {st.labels[account]}", split, un=split.unrestricted != 0 or split.restricted == 0,
            re=split.restricted != 0)
    add("收入合计", st.income_total, strong=True)
    bold.add(len(rows))
    rows.append(["二、费用", None, None, None, None])
    add("  救济支出", Split(ZERO, st.relief), re=False)
    add("  手续费", Split(ZERO, st.fees), re=False)
    add("  核销损失", Split(st.losses, ZERO), un=False)
    add("费用合计", st.expenses, strong=True)
    add("三、限定性净资产转为非限定性净资产", Split(-st.release, st.release), strong=True)
    add("四、净资产变动额", st.change, strong=True)
    return rows, bold


def tier_columns() -> list[tuple[str, str]]:
    return [("general", "一般困难"), ("relative", "比较困难"), ("special", "特别困难"),
            ("none", "不再困难"), (UNREVIEWED, "未审核")]


def category_label(category: str) -> str:
    if category == UNCATEGORISED:
        return "未分类"
    pair = WORDS.get(f"cat_{category}")
    return pair[0] if pair else category


def stats_table(ys: YearStats, labels: dict[str, str]) -> tuple[list[str], list[Row], Row]:
    """The statistics table: one row per branch, then 合计; tiers and categories that occur,
    relief by account (its Chinese name)."""
    rows = [*ys.branches, ys.total]
    tiers = [(k, v) for k, v in tier_columns() if any(r.tiers.get(k) for r in rows)]
    categories = sorted({c for r in rows for c in r.categories})
    accounts = sorted({a for r in rows for a in r.relief})
    headers = ["支部", "在册人数", *(v for _, v in tiers), *(category_label(c) for c in categories),
               "本年新增", "本年退出", "帮扶人数", "走访慰问次数",
               *(labels.get(a, a) for a in accounts), "救济合计", "本年发放借款笔数",
               "年末借款余额", "年末逾期笔数"]

    def line(r: StatsRow, name: str) -> Row:
        return [name, r.members, *(r.tiers.get(k, 0) for k, _ in tiers),
                *(r.categories.get(c, 0) for c in categories), r.registered, r.exited, r.helped,
                r.visits, *(r.relief.get(a, ZERO) for a in accounts), r.relief_total,
                r.loans_disbursed, r.loans_outstanding, r.loans_overdue]

    body = [line(r, r.branch if r.branch is not None else "（未登记成员）") for r in ys.branches]
    return headers, body, line(ys.total, "合计")


# ---------------------------------------------------------------- JSON

def statements_json(st: Statements) -> dict[str, Any]:
    """The object ``statements --format json`` prints (SPEC §10)."""
    def sheet(x: BalanceSheet) -> dict[str, str]:
        return {"cash": as_str(x.cash), "loans": as_str(x.loans),
                "total_assets": as_str(x.total_assets), "restricted": as_str(x.restricted),
                "unrestricted": as_str(x.unrestricted),
                "total_net_assets": as_str(x.total_net_assets)}

    def split(x: Split) -> dict[str, str]:
        return {"restricted": as_str(x.restricted), "unrestricted": as_str(x.unrestricted)}

    return {"year": st.year,
            "balance_sheet": {"start": sheet(st.start), "end": sheet(st.end)},
            "activities": {"income": {a: split(s) for a, s in st.income.items()},
                           "income_total": split(st.income_total),
                           "relief": as_str(st.relief), "fees": as_str(st.fees),
                           "losses": as_str(st.losses), "release": as_str(st.release),
                           "change": split(st.change)}}


def stats_json(ys: YearStats) -> dict[str, Any]:
    """The object ``stats --format json`` prints (SPEC §6), plus ``categories`` in each row."""
    def row(r: StatsRow, branch: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"branch": r.branch} if branch else {}
        out.update({"members": r.members, "tiers": r.tiers, "categories": r.categories,
                    "registered": r.registered, "exited": r.exited, "helped": r.helped,
                    "visits": r.visits, "relief": {a: as_str(v) for a, v in r.relief.items()},
                    "relief_total": as_str(r.relief_total), "loans_disbursed": r.loans_disbursed,
                    "loans_outstanding": as_str(r.loans_outstanding),
                    "loans_overdue": r.loans_overdue})
        return out

    return {"year": ys.year, "branches": [row(r, True) for r in ys.branches],
            "total": row(ys.total, False)}


# ---------------------------------------------------------------- the formats

def _text(rows: list[Row]) -> list[list[str]]:
    return [["" if c is None else fmt(c) if isinstance(c, Decimal) else str(c) for c in r]
            for r in rows]


def _right(rows: list[Row], headers: Any) -> list[bool]:
    return [any(isinstance(r[i], (Decimal, int)) and not isinstance(r[i], bool)
                for r in rows if r[i] is not None and not isinstance(r[i], str))
            for i in range(len(headers))]


def statements_table(fund: Fund, st: Statements) -> str:
    rows, total = balance_rows(st)
    head = f"{fund.title} 资产负债表 {st.year}年12月31日 {UNIT}"
    one = render(BALANCE_HEADERS, _text([*rows, total]), _right([*rows, total], BALANCE_HEADERS),
                 title=head)
    act, _ = activity_rows(st)
    two = render(ACTIVITY_HEADERS, _text(act), _right(act, ACTIVITY_HEADERS),
                 title=f"{fund.title} 业务活动表 {st.year}年度 {UNIT}")
    return f"{one}\n\n{two}\n"


def statements_xlsx(fund: Fund, st: Statements) -> bytes:
    from .xlsx import Sheet, write_xlsx

    rows, total = balance_rows(st)
    act, bold = activity_rows(st)
    return write_xlsx([
        Sheet("资产负债表", BALANCE_HEADERS, rows, totals=[total],
              title=f"{fund.title} 资产负债表（{st.year}年12月31日，{UNIT}）"),
        Sheet("业务活动表", ACTIVITY_HEADERS, act[:-1], totals=[act[-1]],
              title=f"{fund.title} 业务活动表（{st.year}年度，{UNIT}）", bold=frozenset(bold)),
    ])


def statements_pdf(fund: Fund, st: Statements) -> bytes:
    from .pdf import Document

    rows, total = balance_rows(st)
    act, bold = activity_rows(st)
    doc = Document(title=f"{fund.title} {st.year}年度财务报表", layout="plain")
    doc.title("资产负债表")
    doc.paragraph(f"编制单位：{fund.title}　　{st.year}年12月31日　　{UNIT}", indent=0, align="C")
    doc.table(BALANCE_HEADERS, rows, totals=[total], widths=[3.2, 1, 2.2, 2.2, 3.8, 1, 2.2, 2.2])
    doc.spacer(8)
    doc.title("业务活动表")
    doc.paragraph(f"编制单位：{fund.title}　　{st.year}年度　　{UNIT}", indent=0, align="C")
    doc.table(ACTIVITY_HEADERS, act[:-1], totals=[act[-1]], widths=[6, 1, 2.4, 2.4, 2.4],
              bold=bold)
    return doc.output()


def stats_text(fund: Fund, ys: YearStats) -> str:
    headers, body, total = stats_table(ys, _labels(fund, ys))
    return render(headers, _text([*body, total]), _right([*body, total], headers),
                  title=f"{fund.title} {ys.year}年度慰问帮扶统计情况表") + "\n"


def stats_xlsx(fund: Fund, ys: YearStats) -> bytes:
    from .xlsx import Sheet, write_xlsx

    headers, body, total = stats_table(ys, _labels(fund, ys))
    return write_xlsx([Sheet("慰问帮扶统计", headers, body, totals=[total],
                             title=f"{fund.title} {ys.year}年度慰问帮扶统计情况表")])


def stats_pdf(fund: Fund, ys: YearStats) -> bytes:
    from .pdf import table_pdf

    headers, body, total = stats_table(ys, _labels(fund, ys))
    return table_pdf(f"{ys.year}年度慰问帮扶统计情况表", headers, body, totals=[total],
                     subtitle=f"填报单位：{fund.title}　　截至{ys.year}年12月31日　　金额{UNIT}",
                     landscape=True)


def _labels(fund: Fund, ys: YearStats) -> dict[str, str]:
    return {a: fund.state.account_label(a) for a in ys.total.relief}


def html_cells(rows: list[Row], ints: str = "num") -> list[list[dict[str, str]]]:
    """Each cell as ``{"text", "css"}`` for the HTML templates (money formatted, the text
    left to the template's autoescape); ``ints`` is the class of an int cell."""
    def one(value: Any) -> dict[str, str]:
        if value is None:
            return {"text": "", "css": ""}
        if isinstance(value, Decimal):
            return {"text": fmt(value), "css": "num"}
        if isinstance(value, int):
            return {"text": str(value), "css": ints}
        text = str(value)
        return {"text": text.strip(), "css": "indent" if text.startswith("  ") else ""}

    return [[one(v) for v in row] for row in rows]


def _html(name: str, **context: Any) -> str:
    from .render import environment

    try:
        return environment().get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise InputError(f"模板错误 (template error): {exc}") from None


def _does_not_add_up(fund: Fund, exc: ValueError) -> None:
    """The figures do not add up (money outside the fund's accounts): say so, with the
    ledger's errors, and exit 1 — never print a statement that does not balance."""
    click.echo(f"错误：{exc}", err=True)
    _report_errors(fund)
    sys.exit(1)


# ---------------------------------------------------------------- the commands

def _fund_for(ledger: str, year: int) -> Fund:
    fund = _open(ledger)
    year_covered(fund, year)
    return fund


@click.command("statements")
@LEDGER
@YEAR
@FORMAT
@OUTPUT
def statements_cmd(ledger: str, year: int, fmt_: str, output: Path | None) -> None:
    """财务报表：资产负债表与业务活动表 (the financial statements, SPEC §10)."""
    fund = _fund_for(ledger, year)
    try:
        st = fund.view.statements(year)
    except StatementsError as exc:
        _does_not_add_up(fund, exc)
        return
    if fmt_ == "json":
        data: str | bytes = _json(statements_json(st)) + "\n"
    elif fmt_ == "xlsx":
        data = statements_xlsx(fund, st)
    elif fmt_ == "pdf":
        data = statements_pdf(fund, st)
    elif fmt_ == "html":
        sheet, total = balance_rows(st)
        act, bold = activity_rows(st)
        data = _html("statements.html.j2", title=fund.title, year=st.year, unit=UNIT,
                     balance_headers=BALANCE_HEADERS, balance=html_cells(sheet, "line"),
                     balance_total=html_cells([total], "line")[0],
                     activity_headers=ACTIVITY_HEADERS, activities=html_cells(act, "line"),
                     bold=bold)
    else:
        data = statements_table(fund, st)
    emit(data, output)
    sys.exit(_report_errors(fund))


@click.command("stats")
@LEDGER
@YEAR
@FORMAT
@OUTPUT
def stats_cmd(ledger: str, year: int, fmt_: str, output: Path | None) -> None:
    """慰问帮扶统计情况表：按支部统计 (the year-end statistics table by branch)."""
    fund = _fund_for(ledger, year)
    try:
        ys = fund.view.stats(year)
    except StatsError as exc:
        _does_not_add_up(fund, exc)
        return
    if fmt_ == "json":
        data: str | bytes = _json(stats_json(ys)) + "\n"
    elif fmt_ == "xlsx":
        data = stats_xlsx(fund, ys)
    elif fmt_ == "pdf":
        data = stats_pdf(fund, ys)
    elif fmt_ == "html":
        headers, body, total = stats_table(ys, _labels(fund, ys))
        data = _html("stats.html.j2", title=fund.title, year=ys.year, unit=UNIT,
                     headers=headers, rows=html_cells(body), total=html_cells([total])[0])
    else:
        data = stats_text(fund, ys)
    emit(data, output)
    sys.exit(_report_errors(fund))
