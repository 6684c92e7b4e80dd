"""A bank statement export as a sheet: the table, its header row and columns, and the errors
that name a line and a column.

Bank exports are often GBK: the file is read as UTF-8 (with or without BOM), else GBK, else
GB18030. Lines before the header (账号, 户名, 起止日期…) and after the rows (合计…) are
skipped. Columns are found by name: 交易日期 (记账日期), 交易时间, 摘要 (用途, 附言),
收入金额 (贷方发生额), 支出金额 (借方发生额) or one signed 交易金额, 余额, 对方户名, 流水号.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

ENCODINGS = ("utf-8-sig", "gbk", "gb18030")

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("交易日期", "记账日期", "入账日期", "交易日", "日期"),
    "time": ("交易时间", "时间"),
    "summary": ("摘要", "交易摘要", "用途", "附言", "备注", "交易用途"),
    "income": ("收入金额", "贷方发生额", "贷方金额", "收入", "存入金额", "贷方"),
    "expense": ("支出金额", "借方发生额", "借方金额", "支出", "支取金额", "取出金额", "借方"),
    "amount": ("交易金额", "发生额", "金额"),
    "direction": ("借贷标志", "借贷", "收支", "收/支"),
    "balance": ("余额", "账户余额", "当前余额", "联机余额"),
    "counterparty": ("对方户名", "对方账户名称", "对方名称", "对方单位", "收/付方名称", "对方账户户名"),
    "serial": ("流水号", "交易流水号", "柜员流水号", "凭证号", "交易序号"),
}
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One refused cell (or row): its line in the file, its column's header, what is wrong."""

    lineno: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"「{self.column}」列 (column {self.column})：" if self.column else ""
        return f"{self.lineno}: {where}{self.message}"


class StatementError(ValueError):
    """The statement cannot be read; ``problems`` name the line and column of each bad cell."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def lines(self, filename: str) -> list[str]:
        """``FILE:LINE: …`` for each problem (at most ``SHOWN_PROBLEMS``), else ``FILE: …``."""
        if not self.problems:
            return [f"{filename}: {self.message}"]
        out = [f"{filename}:{p}" for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            out.append(f"{filename}: … 共 {len(self.problems)} 处 ({len(self.problems)} in all)")
        out.append(f"{filename}: {self.message}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines("对账单"))


class NotAStatement(StatementError):
    """Not a statement this importer reads (no header, not GBK/UTF-8)."""


def _decode(raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise NotAStatement("对账单既不是 UTF-8 也不是 GBK/GB18030 编码 (neither UTF-8 nor GBK/GB18030)")


def clean_cell(cell: str) -> str:
    cell = cell.strip().strip("\t").strip()
    if cell.startswith('="') and cell.endswith('"'):  # Excel's "keep as text"
        cell = cell[2:-1]
    return cell.lstrip("'").strip()


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)"),
)


def parse_date(cell: str) -> datetime.date | None:
    for pattern in _DATE_RES:
        match = pattern.match(cell)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows):
        cells = [clean_cell(c) for c in row]
        found: dict[str, int] = {}
        for key, names in COLUMNS.items():
            for name in names:
                if name in cells:
                    found[key] = cells.index(name)
                    break
        if "date" in found and ("income" in found and "expense" in found or "amount" in found):
            return index, found
    return None


def header_and_table(raw: bytes) -> tuple[str, list[list[str]], int, dict[str, int], str | None]:
    """(encoding, the CSV table, the header's index in it, column key -> index, the account
    number above the header); ``NotAStatement`` when there is no header."""
    text, encoding = _decode(raw)
    lines = text.splitlines()
    sample = next((ln for ln in lines if "\t" in ln or "," in ln), "")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = _find_header(table)
    if header is None:
        raise NotAStatement("找不到表头（交易日期、收入金额/支出金额…） (no statement header found)")
    start, cols = header
    account_number = None
    for row in table[:start]:
        cells = [clean_cell(c) for c in row if clean_cell(c)]
        if len(cells) >= 2 and re.search(r"账号|卡号", cells[0]):
            account_number = cells[1]
        elif cells and (m := re.match(r"^(?:账号|卡号)[:：]\s*(\S+)", cells[0])):
            account_number = m[1]
    return encoding, table, start, cols, account_number


def physical_lines(text: str, count: int) -> list[int]:
    """The line (1-based) each CSV record starts on: a quoted cell may hold a line break."""
    out, line = [], 1
    for record in _records(text):
        out.append(line)
        line += record.count("\n") + (record.count("\r") - record.count("\r\n"))
    while len(out) < count:
        out.append(line)
    return out


def _records(text: str) -> list[str]:
    """The raw text of each CSV record, its line break included."""
    out, current, quoted = [], [], False
    for chunk in re.split(r"(\r\n|\n|\r)", text):
        current.append(chunk)
        if chunk in ("\r\n", "\n", "\r"):
            if not quoted:
                out.append("".join(current))
                current = []
        else:
            quoted ^= chunk.count('"') % 2 == 1
    if current and "".join(current):
        out.append("".join(current))
    return out
