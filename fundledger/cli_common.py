"""What the fundledger commands share: the ledger argument and the common options, opening a
ledger, printing its errors as bean-check does, JSON and CSV output, and ``InputError``
(exit 2). The command modules (cli.py, cli_data.py, cli_entry.py) import from here; cli.py
alone puts the commands together under ``main``.
"""

from __future__ import annotations

import datetime
import json
import textwrap
from typing import Any

import click
from beancount.parser import printer

from .explain import explain_all
from .fund import Fund, LedgerNotFound, load

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="输出语言 (language of headings)")
AS_OF = click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                     help="截至该日日终，默认今天 (end of this day; default today)")
LEDGER = click.argument("ledger", type=click.Path(dir_okay=False, path_type=str))


def _day(value: datetime.datetime | None) -> datetime.date:
    return value.date() if value else datetime.date.today()


def _open(ledger: str) -> Fund:
    try:
        return load(ledger)
    except LedgerNotFound as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"无法读取 {ledger}: {exc} (cannot read ledger)") from None
    except ArithmeticError as exc:
        # beancount's own booking quantizes in a 28-digit context: a 30-digit amount with
        # the other leg left blank fails inside its loader (bean-check too), before any line
        raise InputError(f"beancount 无法载入 {ledger}：金额超出其计算精度（28 位有效数字），"
                         f"请检查过大的金额 (beancount failed on an amount too large to "
                         f"compute: {type(exc).__name__})") from None


def _report_errors(fund: Fund, verbose: bool = False, lang: str = "zh") -> int:
    """Print warnings and errors to stderr; the exit status they call for.

    Each error is printed ``FILE:LINE: message``; beancount's own are explained in ``lang``
    (``fundledger.explain``: Chinese first, the hint, the English in brackets), fund errors
    (FLxxx) as the rules wrote them. ``verbose`` adds the entry, as bean-check -v does."""
    for warning in fund.warnings:
        click.echo(f"warning: {warning}", err=True)
    explained = explain_all(fund.errors, fund.entries, fund.options)
    for error, said in sorted(zip(fund.errors, explained, strict=True),
                              key=lambda pair: (pair[1].filename, pair[1].lineno)):
        click.echo(said.line(lang), err=True)
        if verbose:
            click.echo(_entry_text(error), err=True)
    return 1 if fund.errors else 0


def _entry_text(error: Any) -> str:
    """The error's entry (or entries) as bean-check -v prints them, indented; "" if none."""
    if error.entry is None:
        return ""
    entries = error.entry if isinstance(error.entry, list) else [error.entry]
    text = "\n".join(printer.format_entry(entry) for entry in entries)
    return "\n" + textwrap.indent(text, "   ").rstrip("\n") + "\n"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV for Excel and WPS (``csvtext.csv_text``: UTF-8 with a byte-order mark,
    CRLF, no cell a live formula, SPEC §6). The header row is the column keys, as the JSON
    has them, so a program reads it as well as a spreadsheet; xlsx has the Chinese headers."""
    from .csvtext import csv_text

    if not rows:
        return ""
    keys = list(rows[0])
    return csv_text(keys, [[row.get(key) for key in keys] for row in rows])


class InputError(click.ClickException):
    """An I/O or usage problem: exit status 2, like click's own usage errors.

    Printed ``错误：<message>``: the message is Chinese first with its English in brackets,
    so click's English ``Error:`` prefix would put English first."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", file=file, err=file is None,
                   color=self.show_color)
