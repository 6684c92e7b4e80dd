"""The books as the finance office prints them (SPEC §6; docs/BOOKS.md): ``vouchers`` (记账凭证,
a month's, several to an A4 page with cut lines) and ``journal`` (日记账/明细账 of one account
for a year). The figures come from ``FundView`` (``view_books``); this module only formats.

PDF and XLSX are bytes: they go to ``-o FILE``, or to standard output when it is not a
terminal (a pipe or a redirect); to a terminal they are refused (exit 2).
"""

from __future__ import annotations

import calendar
import datetime
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import click
import jinja2

from .cli_common import LEDGER, InputError, _json, _open, _report_errors, emit, year_covered
from .fund import Fund
from .money import as_str, fmt
from .table import render
from .view_books import PROGRAM, Journal, Voucher, account_name

OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      default=None, help="写入文件而不是标准输出 (write to FILE)")
LINES_PER_VOUCHER = 5  # rows of a printed voucher; more lines continue on the next (1/2, 2/2)
PER_PAGE = 3  # vouchers to an A4 page, cut apart along the dashed lines
SIGNATURES = ("主管", "记账", "审核", "出纳", "制单")
PROGRAM_MARK = "*"
PROGRAM_NOTE = "* 凭证号由程序按月编排（账本未写 voucher:）"
JOURNAL_HEADERS = ("日期", "凭证号", "摘要", "对方科目", "借方", "贷方", "余额")
_MONTH = re.compile(r"(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月?)")


def parse_month(text: str) -> tuple[int, int]:
    """``2025-03``, ``2025/3`` or ``2025年3月``."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    found = _MONTH.fullmatch(folded)
    month = int(found[2] or found[3]) if found else 0
    if not found or not 1 <= month <= 12:
        raise InputError(f"不是月份：“{text}”，应写成 2025-03、2025/3 或 2025年3月 "
                         f"(not a month: {text!r}; write 2025-03)")
    return int(found[1]), month


def _template(name: str, **context: Any) -> str:
    from .render import environment

    try:
        return environment().get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise InputError(f"模板错误 (template error): {exc}") from None


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- vouchers

def vouchers_json(year: int, month: int, found: list[Voucher]) -> dict[str, Any]:
    """SPEC §6 ``vouchers --format json``."""
    return {"month": f"{year:04d}-{month:02d}", "vouchers": [{
        "number": v.number, "numbered_by": v.numbered_by, "date": v.date.isoformat(),
        "summary": v.summary, "attachments": v.attachments,
        "lines": [{"account": ln.account, "name": ln.name, "debit": as_str(ln.debit),
                   "credit": as_str(ln.credit)} for ln in v.lines],
        "debit_total": as_str(v.debit_total), "credit_total": as_str(v.credit_total),
        "total_in_words": v.total_in_words} for v in found]}


def voucher_sheets(found: list[Voucher]) -> list[dict[str, Any]]:
    """Each voucher as printed: its lines in sheets of ``LINES_PER_VOUCHER`` (记字第 N 1/2 号),
    the totals on the last sheet, blank rows to fill the form."""
    sheets = []
    for v in found:
        parts = [v.lines[i:i + LINES_PER_VOUCHER]
                 for i in range(0, len(v.lines), LINES_PER_VOUCHER)] or [()]
        for i, lines in enumerate(parts, 1):
            sheets.append({
                "v": v, "lines": list(lines), "blank": LINES_PER_VOUCHER - len(lines),
                "part": f"{i}/{len(parts)}" if len(parts) > 1 else "",
                "last": i == len(parts), "date": chinese_date(v.date),
                "program": v.numbered_by == PROGRAM})
    return sheets


def _fit(doc: Any, text: str, width: float, size: float, smallest: float = 6.5
         ) -> tuple[str, float]:
    """``text`` at the largest size down to ``smallest`` that fits ``width`` mm, else cut
    with an ellipsis."""
    from .pdf_text import SERIF

    pdf = doc.pdf
    while True:
        pdf.set_font(SERIF, "", size)
        if pdf.get_string_width(text) <= width or size <= smallest:
            break
        size -= 0.5
    while text and pdf.get_string_width(text + "…") > width and pdf.get_string_width(text) > width:
        text = text[:-1]
    shown = text if pdf.get_string_width(text) <= width else text + "…"
    pdf.set_font(SERIF, "", doc.body_pt)
    return shown, size


def _rule(doc: Any, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.3) -> None:
    """A horizontal or vertical rule, drawn as a box of no height or width (``Document``'s
    ``line`` method is hidden behind its ``line`` height attribute)."""
    doc.box(x1, y1, x2 - x1, y2 - y1, width=width)


def vouchers_pdf(title: str, year: int, month: int, found: list[Voucher]) -> bytes:
    """The month's vouchers, three to an A4 page, dashed cut lines between them."""
    from .pdf import Document

    doc = Document(title=f"{title} {year}年{month}月 记账凭证", layout="plain")
    sheets = voucher_sheets(found)
    if not sheets:
        doc.title(f"{year}年{month}月 记账凭证")
        doc.paragraph("本月没有记账凭证。", indent=0, align="C")
        return doc.output()
    slot, top0 = 88.0, 10.0
    left, width = 15.0, 180.0
    cols = (50.0, 62.0, 34.0, 34.0)
    row = 7.0
    for i, sheet in enumerate(sheets):
        if i and i % PER_PAGE == 0:
            doc.page_break()
        k = i % PER_PAGE
        if k:
            doc.cut_line(top0 + k * slot)
        top = top0 + k * slot + 4
        v: Voucher = sheet["v"]
        doc.text_at(left, top, width, 5, title, align="C", size=8)
        doc.text_at(left, top + 5, width, 8, "记 账 凭 证", align="C", size=15, bold=True)
        _rule(doc, left + 70, top + 13.2, left + 110, top + 13.2, width=0.5)
        _rule(doc, left + 70, top + 14.2, left + 110, top + 14.2, width=0.2)
        y = top + 15
        doc.text_at(left, y, 60, 6, f"凭证号 {v.number}", size=8)
        doc.text_at(left + 60, y, 60, 6, sheet["date"], align="C", size=10)
        number = f"记字第 {v.sequence} 号" + (f" {sheet['part']}" if sheet["part"] else "")
        if sheet["program"]:
            number += PROGRAM_MARK
        doc.text_at(left + 120, y, 60, 6, number, align="R", size=10)
        y += 7
        table_top = y
        xs = [left]
        for w in cols:
            xs.append(xs[-1] + w)
        heads = ("摘要", "会计科目", "借方金额", "贷方金额")
        for j, head in enumerate(heads):
            doc.text_at(xs[j], y, cols[j], row, head, align="C", size=9.5, bold=True)
        y += row
        lines = sheet["lines"]
        for j in range(LINES_PER_VOUCHER):
            _rule(doc, left, y, left + width, y, width=0.2)
            if j < len(lines):
                ln = lines[j]
                text, size = _fit(doc, v.summary, cols[0] - 3, 9)
                doc.text_at(xs[0] + 1.5, y, cols[0] - 3, row, text, size=size)
                if ln.name != ln.account:  # the Chinese name, the account under it
                    name, size = _fit(doc, ln.name, cols[1] - 3, 9)
                    doc.text_at(xs[1] + 1.5, y + 0.3, cols[1] - 3, 4, name, size=size)
                    code, size = _fit(doc, ln.account, cols[1] - 3, 6.5, 5)
                    doc.text_at(xs[1] + 1.5, y + 4.1, cols[1] - 3, 2.6, code, size=size)
                else:
                    name, size = _fit(doc, ln.account, cols[1] - 3, 9)
                    doc.text_at(xs[1] + 1.5, y, cols[1] - 3, row, name, size=size)
                if ln.debit or not ln.credit:
                    doc.text_at(xs[2], y, cols[2] - 2, row, fmt(ln.debit), align="R", size=9.5)
                if ln.credit:
                    doc.text_at(xs[3], y, cols[3] - 2, row, fmt(ln.credit), align="R", size=9.5)
            y += row
        _rule(doc, left, y, left + width, y, width=0.4)
        if sheet["last"]:
            words, size = _fit(doc, f"合计  {v.total_in_words}", cols[0] + cols[1] - 3, 9.5)
            doc.text_at(xs[0] + 1.5, y, cols[0] + cols[1] - 3, row, words, size=size, bold=True)
            doc.text_at(xs[2], y, cols[2] - 2, row, fmt(v.debit_total), align="R", size=9.5,
                        bold=True)
            doc.text_at(xs[3], y, cols[3] - 2, row, fmt(v.credit_total), align="R", size=9.5,
                        bold=True)
        else:
            doc.text_at(xs[0] + 1.5, y, cols[0] + cols[1] - 3, row, "合计  转下张", size=9)
        y += row
        doc.box(left, table_top, width, y - table_top, width=0.5)
        _rule(doc, left, table_top + row, left + width, table_top + row, width=0.3)
        _rule(doc, xs[1], table_top, xs[1], y - row, width=0.3)  # 合计 spans 摘要 and 科目
        for x in xs[2:-1]:
            _rule(doc, x, table_top, x, y, width=0.3)
        doc.text_at(left + width - 30, top + 5, 30, 8, f"附件 {v.attachments} 张", align="R",
                    size=9)
        y += 1.5
        step = width / len(SIGNATURES)
        for j, role in enumerate(SIGNATURES):
            doc.text_at(left + j * step, y, step, 6, f"{role}：", size=9.5)
        if sheet["program"]:
            doc.text_at(left, y + 6, width, 4, PROGRAM_NOTE, size=7)
    return doc.output()


@click.command("vouchers")
@LEDGER
@click.option("--month", "month_", required=True, help="凭证月份，如 2025-03 (the month, YYYY-MM)")
@click.option("--format", "fmt_", type=click.Choice(["json", "html", "pdf"]), default="html",
              show_default=True)
@click.option("--names", is_flag=True, help="摘要保留成员全名 (keep members' full names in 摘要)")
@OUTPUT
def vouchers_cmd(ledger: str, month_: str, fmt_: str, names: bool, output: Path | None) -> None:
    """一个月的记账凭证 (the month's vouchers, SPEC §4)."""
    year, month = parse_month(month_)
    fund = _open(ledger)
    year_covered(fund, year)
    found = fund.view.vouchers(year, month, names)
    data: str | bytes
    if fmt_ == "json":
        data = _json(vouchers_json(year, month, found)) + "\n"
    elif fmt_ == "html":
        data = _template("vouchers.html.j2", title=fund.title, year=year, month=month,
                         sheets=voucher_sheets(found), per_page=PER_PAGE,
                         signatures=SIGNATURES, lines_per=LINES_PER_VOUCHER,
                         program_note=PROGRAM_NOTE, mark=PROGRAM_MARK)
    else:
        data = vouchers_pdf(fund.title, year, month, found)
    emit(data, output)
    sys.exit(_report_errors(fund))


# ---------------------------------------------------------------- journal

def journal_json(j: Journal) -> dict[str, Any]:
    """SPEC §6 ``journal --format json``."""
    return {"account": j.account, "year": j.year, "opening": as_str(j.opening), "rows": [{
        "date": r.date.isoformat(), "voucher": r.voucher, "summary": r.summary,
        "counter": list(r.counter), "debit": as_str(r.debit), "credit": as_str(r.credit),
        "balance": as_str(r.balance)} for r in j.rows],
        "debit_total": as_str(j.debit_total), "credit_total": as_str(j.credit_total),
        "closing": as_str(j.closing)}


def journal_lines(fund: Fund, j: Journal) -> list[dict[str, Any]]:
    """The journal as printed, row by row: 上年结转 (期初余额 the year the books begin), each
    transaction, and after each month its 本月合计 and 本年累计. Zero debits and credits are
    blank; ``kind`` is ``opening``, ``row`` or ``total``."""
    span = fund.view.span
    first = span is not None and span.first.year >= j.year
    out: list[dict[str, Any]] = [{
        "kind": "opening", "date": datetime.date(j.year, 1, 1), "voucher": "",
        "summary": "期初余额" if first else "上年结转", "counter": "", "debit": None,
        "credit": None, "balance": j.opening}]
    for totals, rows in j.by_month():
        for r in rows:
            out.append({
                "kind": "row", "date": r.date,
                "voucher": r.voucher + (PROGRAM_MARK if r.numbered_by == PROGRAM else ""),
                "summary": r.summary,
                "counter": "、".join(account_name(fund.state, a) for a in r.counter),
                "debit": r.debit or None, "credit": r.credit or None, "balance": r.balance})
        end = datetime.date(j.year, totals.month, calendar.monthrange(j.year, totals.month)[1])
        out.append({"kind": "total", "date": end, "voucher": "", "summary": "本月合计",
                    "counter": "", "debit": totals.debit, "credit": totals.credit,
                    "balance": totals.balance})
        out.append({"kind": "total", "date": end, "voucher": "", "summary": "本年累计",
                    "counter": "", "debit": totals.year_debit, "credit": totals.year_credit,
                    "balance": totals.balance})
    return out


def _cells(line: dict[str, Any]) -> list[Any]:
    return [line[k] for k in ("date", "voucher", "summary", "counter", "debit", "credit",
                              "balance")]


def journal_heading(fund: Fund, j: Journal) -> tuple[str, str]:
    """(title, subtitle): 银行存款日记账 / 现金日记账 / 明细账, and the account and year."""
    return (f"{j.name} {j.title}",
            f"{fund.title}　科目：{j.name}（{j.account}）　{j.year}年度　单位：元")


def journal_pdf(title: str, subtitle: str, lines: list[dict[str, Any]], marked: bool) -> bytes:
    """The journal on landscape A4: title, the account and year, the ruled table."""
    from .pdf import Document

    doc = Document(title=title, layout="plain", landscape=True)
    doc.title(title)
    doc.paragraph(subtitle, indent=0, align="C", size=9.5)
    doc.table(JOURNAL_HEADERS, [_cells(x) for x in lines], widths=[11, 14, 30, 30, 13, 13, 13])
    if marked:
        doc.paragraph(PROGRAM_NOTE, indent=0, size=8)
    return doc.output()


@click.command("journal")
@LEDGER
@click.option("--account", required=True, help="账户，如 Assets:Bank:Fund (the account)")
@click.option("--year", type=int, required=True, help="年度 (the year)")
@click.option("--format", "fmt_",
              type=click.Choice(["table", "json", "csv", "xlsx", "html", "pdf"]),
              default="table", show_default=True)
@OUTPUT
def journal_cmd(ledger: str, account: str, year: int, fmt_: str, output: Path | None) -> None:
    """一个账户的日记账或明细账 (an account's journal for a year, SPEC §6)."""
    fund = _open(ledger)
    year_covered(fund, year)
    j = fund.view.journal(account, year)
    if j is None:
        raise InputError(f"账本中没有账户 {account} (no account {account} in the ledger)")
    title, subtitle = journal_heading(fund, j)
    data: str | bytes
    if fmt_ == "json":
        data = _json(journal_json(j)) + "\n"
    else:
        lines = journal_lines(fund, j)
        if fmt_ == "html":
            data = _template("journal.html.j2", title=title, subtitle=subtitle, j=j,
                             lines=lines, headers=JOURNAL_HEADERS, program_note=PROGRAM_NOTE,
                             marked=any(r.numbered_by == PROGRAM for r in j.rows))
        elif fmt_ == "csv":
            from .csvtext import csv_text

            data = csv_text(JOURNAL_HEADERS, [_cells(x) for x in lines])
        elif fmt_ == "xlsx":
            from .xlsx import Sheet, write_xlsx

            data = write_xlsx([Sheet(name=j.title, title=f"{title}（{j.year}年度）",
                                     headers=JOURNAL_HEADERS,
                                     rows=[_cells(x) for x in lines])])
        elif fmt_ == "pdf":
            data = journal_pdf(title, subtitle, lines, any(r.numbered_by == PROGRAM for r in j.rows))
        else:
            data = render(list(JOURNAL_HEADERS),
                          [[x["date"], x["voucher"], x["summary"], x["counter"],
                            "" if x["debit"] is None else fmt(x["debit"]),
                            "" if x["credit"] is None else fmt(x["credit"]), fmt(x["balance"])]
                           for x in lines],
                          right=[False, False, False, False, True, True, True],
                          title=f"{title}\n{subtitle}") + "\n"
    emit(data, output)
    sys.exit(_report_errors(fund))
