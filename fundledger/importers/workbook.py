"""A clerk's spreadsheet (xlsx or csv) as sheets of rows under a header found by its names.

Every sheet of a workbook is read (openpyxl, read-only, values only); a csv is one sheet,
decoded as the bank importer decodes (UTF-8 with or without BOM, GBK, GB18030). The header
is the first row, among the first ``HEADER_ROWS``, that names the required columns; a title
row above it, blank rows and totals rows (合计, 总计, 小计) are skipped. A bad cell is a
``RowProblem`` printed ``FILE:SHEET:ROW: 「列」列：…应为…`` (a csv has no sheet: ``FILE:ROW:``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..dates import DayError, parse_day
from .amounts import BadAmount, amount_cell
from .sheet import ENCODINGS, SHOWN_PROBLEMS, clean_cell, physical_lines

HEADER_ROWS = 20
TOTALS = ("合计", "总计", "小计", "总额")
_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")  # 金额（元）, 日期(年月日)


class NotASheet(ValueError):
    """The file is no workbook or csv this reads, or no sheet has the header."""


@dataclass(frozen=True)
class RowProblem:
    """One refused cell or row: the sheet (None for a csv), its row, its column, why."""

    sheet: str | None
    row: int
    column: str | None
    message: str

    def where(self, filename: str) -> str:
        sheet = f"{self.sheet}:" if self.sheet is not None else ""
        return f"{filename}:{sheet}{self.row}"

    def line(self, filename: str) -> str:
        column = f"「{self.column}」列 (column {self.column})：" if self.column else ""
        return f"{self.where(filename)}: {column}{self.message}"


class SheetErrors(ValueError):
    """Rows refused: nothing of the file is imported."""

    def __init__(self, problems: Sequence[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = list(problems)

    def lines(self, filename: str) -> list[str]:
        out = [p.line(filename) for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            out.append(f"{filename}: … 共 {len(self.problems)} 处 ({len(self.problems)} in all)")
        out.append(f"{filename}: 有 {len(self.problems)} 处不能导入，一行也没有导入 "
                   f"({len(self.problems)} problems: nothing imported)")
        return out


@dataclass(frozen=True)
class Row:
    """A data row: where it is and its cells by column key (raw values: str, number, date)."""

    sheet: str | None
    number: int
    cells: dict[str, Any]
    headers: dict[str, str]  # key -> the header as the sheet writes it

    def problem(self, key: str | None, message: str) -> RowProblem:
        return RowProblem(self.sheet, self.number, self.headers.get(key or "", key), message)


def read_rows(path: str | Path, columns: dict[str, tuple[str, ...]],
              required: Sequence[Sequence[str]]) -> tuple[list[Row], list[str]]:
    """The data rows of every sheet with a header; the names of the sheets skipped for none.

    ``columns`` maps each key to the header names it may have; ``required`` lists groups of
    keys of which the header must name at least one each (``[["date"], ["unit", "donor"]]``).
    """
    path = Path(path)
    sheets = _xlsx_sheets(path) if _is_xlsx(path) else [(None, _csv_rows(path))]
    rows: list[Row] = []
    skipped: list[str] = []
    for name, table in sheets:
        header = _find_header(table, columns, required)
        if header is None:
            skipped.append(name or path.name)
            continue
        start, found = header
        for number, cells in table[start + 1:]:
            values = {key: cells[index] if index < len(cells) else None
                      for key, (index, _) in found.items()}
            texts = [str(v).strip() for v in cells if v is not None and str(v).strip()]
            if not texts or any(_header_name(t) in TOTALS for t in texts):
                continue
            rows.append(Row(name, number, values, {k: h for k, (_, h) in found.items()}))
    if len(skipped) == len(sheets):
        names = "、".join(n for group in columns.values() for n in group[:1])
        raise NotASheet(f"找不到表头（应有 {names} 等列） (no header row naming the columns)")
    return rows, skipped


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"  # a zip: xlsx (an old binary .xls is not read)


def _xlsx_sheets(path: Path) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise NotASheet(f"无法读取工作簿 {exc} (cannot read the workbook)") from None
    try:
        return [(ws.title, [(number, list(values)) for number, values in
                            enumerate(ws.iter_rows(values_only=True), start=1)])
                for ws in book.worksheets]
    finally:
        book.close()


def _csv_rows(path: Path) -> list[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise NotASheet("既不是 UTF-8 也不是 GBK/GB18030 编码 (neither UTF-8 nor GBK/GB18030)")
    sample = next((ln for ln in text.splitlines() if "\t" in ln or "," in ln), "")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise NotASheet(f"CSV 格式错误 {exc} (malformed CSV)") from None
    lines = physical_lines(text, len(table))
    return [(lines[i], [clean_cell(c) for c in row]) for i, row in enumerate(table)]


def _header_name(cell: Any) -> str:
    text = re.sub(r"\s+", "", str(cell)) if cell is not None else ""
    return _SUFFIX.sub("", text)


def _find_header(table: list[tuple[int, list[Any]]], columns: dict[str, tuple[str, ...]],
                 required: Sequence[Sequence[str]]
                 ) -> tuple[int, dict[str, tuple[int, str]]] | None:
    for index, (_, cells) in enumerate(table[:HEADER_ROWS]):
        names = [_header_name(c) for c in cells]
        found: dict[str, tuple[int, str]] = {}
        for key, choices in columns.items():
            for choice in choices:
                if choice in names:
                    at = names.index(choice)
                    found[key] = (at, str(cells[at]).strip())
                    break
        if all(any(k in found for k in group) for group in required):
            return index, found
    return None


# ---------------------------------------------------------------- cells

def text(value: Any) -> str | None:
    """A text cell, stripped; None when empty. Numbers read as the clerk sees them."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = _as_day(value).isoformat()
    out = clean_cell(str(value))
    return out or None


_TIME = re.compile(r"[ T]0?0:00(?::00)?$")  # a date cell saved as text with midnight
DAY_EXPECTED = "应为日期，如 2026-03-01、2026/3/1 或 2026年3月1日 (expected a date)"


def day(value: Any) -> datetime.date | None:
    """A date cell: an Excel date, or ``2026-03-01``, ``2026/3/1``, ``2026年3月1日``.

    None for an empty cell; ``ValueError`` (with the reason) for anything else, an
    impossible day (2 月 30 日) among them, said as ``dates.parse_day`` says it.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return _as_day(value)
    if isinstance(value, int | float):
        raise ValueError(f"{value!r} 是数字，不是日期格子；{DAY_EXPECTED}")
    raw = _TIME.sub("", clean_cell(str(value)))
    try:
        return parse_day(raw)
    except DayError as exc:
        raise ValueError(f"{exc.zh}；{DAY_EXPECTED}") from None


def _as_day(value: datetime.date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def money(value: Any) -> Decimal | None:
    """An amount cell, strictly (``amounts.amount_cell``): None when empty; ``BadAmount``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadAmount(f"{value!r} 不是金额 (not an amount)")
    if isinstance(value, float):
        value = repr(value)  # the shortest text that is this double: 1234.5, never 1234.4999…
    return amount_cell(str(value))
