"""Workbooks that Excel and WPS open as the fund office expects (SPEC §6).

Chinese sheet names and headers; amounts as numbers formatted ``#,##0.00``, dates as dates
(``yyyy-mm-dd``); the header row frozen; columns as wide as their content (a CJK character
counts two); totals rows in bold; a text that a spreadsheet would run as a formula passed
through ``spreadsheet.safe_cell`` and stored as text.

    from fundledger.xlsx import Sheet, write_xlsx
    data: bytes = write_xlsx([Sheet(
        name="贷款台账", title="2026年贷款台账",
        headers=["编号", "发放日期", "金额（元）"],
        rows=[["L-001", date(2026, 3, 1), Decimal("5000.00")]],
        totals=[["合计", None, Decimal("5000.00")]],
    )])
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wcwidth import wcswidth

from fundledger.spreadsheet import safe_cell

if TYPE_CHECKING:
    from openpyxl import Workbook

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
# Excel keeps 15 significant digits; openpyxl writes a Decimal as "%.16g".
EXCEL_DIGITS = 15
MAX_WIDTH = 60
_BAD_NAME = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``title`` (optional) above the header row, then ``rows`` (those whose index
    is in ``bold`` in bold), then ``totals`` in bold. Cells are ``Decimal`` (money), ``date``/``datetime``, ``int``, ``str`` or ``None``."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    totals: Sequence[Sequence[Any]] = ()
    bold: frozenset[int] = frozenset()  # rows (their indices) in bold too: the subtotals


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets``, in order, as the bytes of an ``.xlsx`` file."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    from openpyxl import Workbook  # 120 ms to import: only when a workbook is written

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _write_sheet(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet_name(sheet.name))
    columns = len(sheet.headers)
    widths = [display_width(str(h)) for h in sheet.headers]
    row_no = 1
    if sheet.title:
        cell = ws.cell(row=1, column=1, value=safe_cell(sheet.title))
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if columns > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
        ws.row_dimensions[1].height = 24
        row_no = 2
    header_fill = PatternFill("solid", fgColor="EBEBEB")
    for col, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=row_no, column=col, value=safe_cell(str(header)))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_row = row_no
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    bold = Font(bold=True)
    for values, is_total in [*((r, i in sheet.bold) for i, r in enumerate(sheet.rows)),
                             *((r, True) for r in sheet.totals)]:
        if len(values) != columns:
            raise ValueError(f"sheet {sheet.name!r}: a row has {len(values)} cells, "
                             f"the headers {columns}")
        row_no += 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=col)
            shown = _put(cell, value)
            if is_total:
                cell.font = bold
            widths[col - 1] = max(widths[col - 1], display_width(shown))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, MAX_WIDTH)
    ws.print_options.gridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{header_row}:{header_row}"  # the header row on every printed page


def _put(cell: Any, value: Any) -> str:
    """Store ``value`` in ``cell`` with its type and format; returns the text it shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("a cell is a Decimal, date, int or str, not a bool")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        if len(value.as_tuple().digits) > EXCEL_DIGITS:
            # Beyond 15 significant digits Excel would round the number: keep it exact, as text.
            cell.value = str(value)
            cell.data_type = "s"
            from openpyxl.styles import Alignment

            cell.alignment = Alignment(horizontal="right")
            return str(value)
        cell.value = value
        cell.number_format = MONEY
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        cell.value = value
        cell.number_format = DATETIME
        return "0000-00-00 00:00"
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE
        return "0000-00-00"
    if isinstance(value, int):
        cell.value = value
        return str(value)
    if isinstance(value, float):
        raise TypeError("money is a Decimal, never a float")
    text = safe_cell(str(value))
    cell.value = text
    cell.data_type = "s"  # never "f": openpyxl would take a leading "=" for a formula
    return text


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: a CJK (wide) character two, others one."""
    longest = max(text.splitlines() or [""], key=lambda line: len(line))
    width = wcswidth(longest)
    return width if width >= 0 else len(longest) * 2


def sheet_name(name: str) -> str:
    """``name`` as Excel allows a sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = name.translate(_BAD_NAME).strip("'")[:31]
    return cleaned or "Sheet"
