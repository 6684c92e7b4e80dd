"""``fundledger todo``: the to-do list (待办, SPEC v1.1 §6) — the items of ``FundView.todo``
as a table grouped by kind, JSON (exactly the SPEC's items), CSV or XLSX.

The table, the CSV and the XLSX show the people concerned as the office needs them: the
member's name masked (SPEC §7), the branch, and the tracking contact (the latest follow-up's
``contact:``, a role or an ID) as ``reports.contact_shown`` shows it — an ID (C-07) or a
role (一支部书记) as written, anything that may be a person's name masked. ``--names`` shows full
names, the contact as written and the member's own ``contact:``. The Fava to-do page reads
``todo_rows`` too.

XLSX is bytes: ``-o FILE`` writes them; without ``-o`` they go to standard output only when it
is not a terminal (``todo … --format xlsx > todo.xlsx``).
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

import click

from .cli_common import AS_OF, LANG, LEDGER, _day, _json, _open, _report_errors, emit
from .csvtext import csv_text
from .table import render
from .todo_rows import grouped, kind_words, todo_rows, word
from .view import view_of
from .xlsx import Sheet, write_xlsx

Date = datetime.date

def _columns(names: bool) -> list[str]:
    return ["id", "member", "name", "branch", "contact", *(["phone"] if names else []),
            "date", "days"]


@click.command("todo")
@LEDGER
@AS_OF
@click.option("--within", type=click.IntRange(min=0), default=30, show_default=True,
              help="向前看的天数 (days ahead)")
@click.option("--format", "fmt_", type=click.Choice(["table", "json", "csv", "xlsx"]),
              default="table", show_default=True)
@click.option("--names", is_flag=True,
              help="显示全名和成员联系方式 (show full names and members' contacts)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="写入文件（xlsx 必须，除非重定向）(write to FILE)")
@LANG
def todo_cmd(ledger: str, as_of: datetime.datetime | None, within: int, fmt_: str, names: bool,
             output: str | None, lang: str) -> None:
    """待办事项：逾期和即将到期的借款、年度审核、公示期、回访 (the to-do list)."""
    fund, day = _open(ledger), _day(as_of)
    items = view_of(fund.state).todo(day, within)
    if fmt_ == "json":
        data: str | bytes = _json({"as_of": day.isoformat(), "within": within,
                                   "items": [it.json() for it in items]}) + "\n"
    else:
        rows = todo_rows(fund.state, items, day, names)
        title = (f"{fund.title} {word('title', lang)} {word('as_of', lang)} {day} "
                 f"（{word('within', lang, n=within)}）")
        data = (_table(rows, title, lang, names) if fmt_ == "table" else
                _csv(rows, lang, names) if fmt_ == "csv" else _xlsx(rows, title, lang, names))
    emit(data, output)
    sys.exit(_report_errors(fund))


def _table(rows: list[dict[str, Any]], title: str, lang: str, names: bool) -> str:
    cols = _columns(names)
    out = [title, ""]
    if not rows:
        out.append(word("none", lang))
    for kind, group in grouped(rows):
        heading, date, days = kind_words(kind, lang)
        heads = [word(c, lang) for c in cols[:-2]] + [date, days]
        out.append(render(heads, [[r[c] for c in cols] for r in group],
                          right=[False] * (len(cols) - 1) + [True],
                          title=f"{heading}（{len(group)}）"))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _flat_heads(lang: str, names: bool) -> list[str]:
    return [word("kind", lang)] + [word(c, lang) for c in _columns(names)]


def _flat(rows: list[dict[str, Any]], lang: str, names: bool) -> list[list[Any]]:
    return [[kind_words(r["kind"], lang)[0]]
            + [Date.fromisoformat(r[c]) if c == "date" else r[c] for c in _columns(names)]
            for r in rows]


def _csv(rows: list[dict[str, Any]], lang: str, names: bool) -> str:
    return csv_text(_flat_heads(lang, names), _flat(rows, lang, names))


def _xlsx(rows: list[dict[str, Any]], title: str, lang: str, names: bool) -> bytes:
    return write_xlsx([Sheet(name=word("title", lang), title=title,
                             headers=_flat_heads(lang, names), rows=_flat(rows, lang, names))])


