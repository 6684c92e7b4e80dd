"""What the fundledger commands share: the ledger argument and the common options, the
parameter types for days (``DAY``, SPEC §6) and for the fund's vocabularies (``VocabChoice``),
opening a ledger, printing its errors as bean-check does, JSON and CSV output, and
``InputError`` (exit 2). The command modules (cli.py, cli_data.py, cli_entry.py) import from
here; cli.py alone puts the commands together under ``main``.

A day more than a year after today is refused where it is the day of an act to be written
(``entry_date``: ``add``'s ``--date``) unless ``--yes`` is given: it is far likelier a slip
(2062 for 2026) than a plan. A day to look at (``--as-of``, ``--generated``) or a loan's
``--due`` may be any day.
"""

from __future__ import annotations

import datetime
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from beancount.parser import printer

from . import vocab
from .dates import DayError, add_months, parse_day
from .explain import explain_all
from .fund import Fund, LedgerNotFound, load


class OptionError(click.BadParameter):
    """A value on the command line that cannot be used: exit 2 like click's usage errors,
    printed ``错误：--date 2026-11-31：11 月只有 30 天 (…)``, Chinese first (click's own
    ``Error: Invalid value for …`` would put English first)."""

    def show(self, file: Any = None) -> None:
        where = "/".join(self.param.opts) if self.param is not None else (self.param_hint or "")
        click.echo(f"错误：{where} {self.message}".replace("错误： ", "错误："), file=file,
                   err=file is None, color=self.show_color)
        if self.ctx is not None:
            click.echo(f"（{self.ctx.command_path} -h 查看用法 / see -h for usage）", file=file,
                       err=file is None, color=self.show_color)


FAR_FUTURE_MONTHS = 12
_YES = "fundledger.yes"


def far_future(day: datetime.date, today: datetime.date | None = None) -> bool:
    """More than a year after today: the day of an act that is likely a slip of the keys."""
    return day > add_months(today or datetime.date.today(), FAR_FUTURE_MONTHS)


def far_future_refusal(day: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why ``day`` is refused without ``--yes`` (Chinese first), or None when it is not far."""
    today = today or datetime.date.today()
    if not far_future(day, today):
        return None
    return (f"{day} 在今天（{today}）一年以后，像是写错了；确是这一天请加 --yes "
            f"({day} is more than a year after today, {today}; add --yes if it is meant)")


class Day(click.ParamType):
    """A day as the clerks write it (``dates.parse_day``: 2026-03-01, 2026/3/1, 2026年3月1日),
    a ``datetime.date``. With ``confirm_future`` a day more than a year ahead needs ``--yes``
    (``entry_date`` puts the two options together)."""

    name = "date"

    def __init__(self, confirm_future: bool = False):
        self.confirm_future = confirm_future

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "日期"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime.date:
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            try:
                day = parse_day(value)
            except DayError as exc:
                raise OptionError(str(exc), ctx, param) from None
        if self.confirm_future and ctx is not None and not ctx.meta.get(_YES):
            why = far_future_refusal(day)
            if why:
                raise OptionError(why, ctx, param)
        return day


DAY = Day()


def _note_yes(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta[_YES] = bool(value)


# eager, so that it is known whatever its place on the command line when the day is read
YES = click.option("--yes", is_flag=True, is_eager=True, expose_value=False, callback=_note_yes,
                   help="确认无误后写入：一年以后的日期、看似重复记账的交易 (write anyway: a date "
                        "more than a year after today, a transaction that looks entered twice)")


def entry_date(*decls: str, help: str) -> Callable[[Any], Any]:
    """The day of an act to be written, with ``--yes`` for a day more than a year ahead."""
    date_option = click.option(*decls, type=Day(confirm_future=True), default=None, help=help)
    return lambda func: date_option(YES(func))


class VocabChoice(click.ParamType):
    """One of ``vocab``'s vocabularies, typed in Chinese or English (``--tier 特别困难`` or
    ``--tier special``); the value is the English one the ledger holds. An open vocabulary
    (steps, categories) lets an unknown word through as written."""

    def __init__(self, kind: str, only: tuple[str, ...] | None = None):
        self.kind, self.only = kind, only
        self.name = vocab.VOCABULARIES[kind].en

    def _terms(self) -> list[vocab.Term]:
        return [t for t in vocab.terms(self.kind) if self.only is None or t.value in self.only]

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        vocabulary = vocab.VOCABULARIES[self.kind]
        if vocabulary.open:
            return vocabulary.zh
        return "[" + "|".join(t.zh for t in self._terms()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return vocab.canonical(self.kind, str(value), self.only)
        except vocab.UnknownWord as exc:
            raise OptionError(str(exc), ctx, param) from None

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(t.value, help=t.zh) for t in self._terms()
                if t.value.startswith(incomplete) or t.zh.startswith(incomplete)]


LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="输出语言 (language of headings)")
AS_OF = click.option("--as-of", "as_of", type=DAY, default=None,
                     help="截至该日日终，如 2026-03-01、2026/3/1 或 2026年3月1日，默认今天 "
                          "(end of this day; default today)")
LEDGER = click.argument("ledger", type=click.Path(dir_okay=False, path_type=str))


def _day(value: datetime.date | None) -> datetime.date:
    """An option's day (``DAY`` gives a date; a datetime is taken as its day), else today."""
    if value is None:
        return datetime.date.today()
    return value.date() if isinstance(value, datetime.datetime) else value


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


def emit(data: bytes | str, output: Path | None = None) -> None:
    """What a command prints: to ``output`` (``-o FILE``), else to standard output. Text goes
    as it is; bytes (PDF, xlsx) never to a terminal, where they would be garbage — to a pipe
    or a redirect they go as they are."""
    if output is not None:
        try:
            if isinstance(data, str):
                Path(output).write_text(data, encoding="utf-8", newline="")
            else:
                Path(output).write_bytes(data)
        except OSError as exc:
            raise InputError(f"无法写入 {output}: {exc} (cannot write)") from None
    elif isinstance(data, str):
        click.echo(data, nl=False)
    else:
        if stdout_is_a_terminal():
            raise InputError("PDF 和 XLSX 是二进制文件，请用 -o FILE 写入文件或重定向输出 "
                             "(PDF and XLSX are binary: give -o FILE or redirect the output)")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def stdout_is_a_terminal() -> bool:
    return sys.stdout.isatty()


def year_outside(years: range | None, year: int) -> tuple[str, str] | None:
    """Why ``year`` cannot be reported (zh, en), naming the years covered; None if it can."""
    if years is None:
        return (f"账本中没有任何分录，没有 {year} 年度的账目",
                f"the ledger has no entries, so nothing for {year}")
    if year in years:
        return None
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else f"{years[0]}"
    return (f"账本没有 {year} 年度的账目：账本记录的年度为 {span}",
            f"no accounts for {year}: the ledger covers {span}")


def year_covered(fund: Fund, year: int) -> None:
    """InputError (exit 2) for a year the books do not cover (``Span.report_years``: the
    first entry's year to the last's, or to this year), naming the years they cover."""
    span = fund.view.span
    why = year_outside(span.report_years() if span is not None else None, year)
    if why is not None:
        raise InputError(f"{why[0]} ({why[1]})")
