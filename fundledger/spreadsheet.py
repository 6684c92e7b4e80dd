"""Cells no spreadsheet runs as a formula (SPEC §6; OWASP "CSV injection").

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking for one) and is not a number gets a leading ``'``:
Excel, WPS and LibreOffice then show it as text, ``'`` hidden in Excel and WPS, and a reader
of the raw file still sees the original after the first character. Numbers such as
``-1234.50`` or ``-1,234.50`` are left alone so they stay numbers.

Every CSV writer passes its cells through here: ``safe_cell`` for rows of Python values,
``safe_columns`` for Arrow tables. Parquet keeps the raw values: it is data for programs, not a
spreadsheet, and an analyst must get back exactly what the ledger says.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_START = r"^[=+\-@\t\r]"
# A plain number, as a spreadsheet would read it: sign, digits (with thousands commas or not),
# decimals, exponent.
_NUMBER = r"^[+-]?(?:(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
NUMBER = re.compile(_NUMBER)


def is_number(text: str) -> bool:
    return NUMBER.match(text) is not None


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell: a formula-like text gets a leading ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not is_number(value):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}


def safe_columns(table: Any) -> Any:
    """The Arrow table with every text column's cells passed through ``safe_cell``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            risky = pc.and_(pc.match_substring_regex(column, _START),
                            pc.invert(pc.match_substring_regex(column, _NUMBER)))
            risky = pc.fill_null(risky, False)
            quoted = pc.binary_join_element_wise(pa.scalar("'", field.type), column,
                                                 pa.scalar("", field.type))
            column = pc.if_else(risky, quoted, column)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)
