"""CSV that Excel and WPS open in Chinese (SPEC §6): UTF-8 with a byte-order mark, CRLF.

Cells go through ``spreadsheet.safe_cell``, so none runs as a formula; amounts are written
plain (``1409.50``, no thousands separator) so a spreadsheet reads them as numbers.

    from fundledger.csvtext import csv_text
    text = csv_text(["编号", "金额"], [["L-001", Decimal("5000.00")]])
    Path("loans.csv").write_text(text, encoding="utf-8", newline="")
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fundledger.spreadsheet import safe_cell

BOM = "\ufeff"


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The table as CSV text, BOM first; write it with ``newline=""``."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError("money is a Decimal, never a float")
    return safe_cell(str(value))
