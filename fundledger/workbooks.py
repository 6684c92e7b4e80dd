"""The xlsx of the tabular commands that have no printable of their own: ``loans --format
xlsx`` (the loan book) and ``export --format xlsx`` (one workbook, a sheet per table), with
Chinese headers and typed cells (``xlsx.write_xlsx``); and binary output to ``-o`` or stdout.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from .i18n import Words
from .xlsx import Sheet, write_xlsx

LOAN_COLUMNS = ("id", "member", "member_name", "branch", "disbursed", "amount", "due",
                "repaid", "interest", "outstanding", "status", "days_past_due", "aging")

# The export's sheet names and column headers in Chinese; a column not listed keeps its key.
TABLE_NAMES = {
    "postings": "分录", "donations": "筹集", "relief": "救助", "loans": "借款",
    "loan_moves": "借款变动", "applications": "申请", "members": "成员", "releases": "转入可支用",
    "positions": "年末资金状况", "loan_years": "借款年末状况", "years": "年度数据",
}
HEADERS = {
    "date": "日期", "txn": "交易序号", "flag": "标记", "payee": "收付款人", "narration": "摘要",
    "account": "账户", "account_name": "账户名称", "role": "用途类别", "pool": "资金池",
    "amount": "金额", "currency": "币种", "member": "成员编号", "member_name": "姓名",
    "application": "申请编号", "loan": "借款编号", "file": "文件", "line": "行号",
    "campaign": "募捐活动", "donor": "捐款人", "fiscal": "财政资金", "interest": "利息",
    "opening": "期初", "kind": "类别", "branch": "支部", "months": "月数", "child": "子女",
    "id": "编号", "disbursed": "放款日", "disbursed_original": "原放款日", "principal": "本金",
    "rate": "年利率", "guarantor": "担保人", "due": "到期日", "due_in_force": "现行到期日",
    "rescheduled": "已展期", "repaid": "已还本金", "written_off": "已核销", "outstanding": "未还本金",
    "status": "状态", "days_past_due": "逾期天数", "aging": "账龄", "purpose": "用途",
    "steps": "步骤", "approved": "批准金额", "approved_on": "批准日", "rejected_on": "不予帮扶日",
    "paid": "已付", "name": "姓名", "contact": "联系方式", "category": "类别",
    "registered": "登记日", "exited": "退出日", "exit_reason": "退出原因", "tier": "困难等级",
    "last_review": "最近审核", "review_valid_until": "审核有效至", "eligible": "符合条件",
    "minutes": "会议纪要", "year": "年度", "as_of": "截至", "cash": "现金",
    "loans_outstanding": "借出未还", "spendable": "可支用", "raised": "筹集",
    "brought_forward": "上年结转", "helped": "受助人数", "fees": "手续费", "released": "转入可支用",
    "losses": "核销损失", "loans_disbursed": "放款笔数", "lent": "放款金额",
    "overdue_count": "逾期笔数", "overdue_amount": "逾期金额",
}
LOAN_HEADERS = {"member": "成员编号", "member_name": "姓名", "amount": "借款金额",
                "interest": "已收利息"}


def loans_xlsx(rows: list[dict[str, Any]], title: str, lang: str = "zh") -> bytes:
    """The loan book (``reports.loan_book`` rows): amounts as numbers, dates as dates."""
    w = Words(lang)
    heads = [LOAN_HEADERS.get(c, HEADERS.get(c, c)) if lang == "zh" else c for c in LOAN_COLUMNS]
    cells = []
    for r in rows:
        cells.append([_typed(c, r[c]) if c != "status" else w.status(r[c]) for c in LOAN_COLUMNS])
    totals = [[w("total"), f"{len(rows)}", *[None] * 3,
               sum((Decimal(r["amount"]) for r in rows), Decimal(0)), None,
               sum((Decimal(r["repaid"]) for r in rows), Decimal(0)),
               sum((Decimal(r["interest"]) for r in rows), Decimal(0)),
               sum((Decimal(r["outstanding"]) for r in rows), Decimal(0)), None, None, None]]
    return write_xlsx([Sheet(w("loan_book"), heads, cells, title=title,
                             totals=totals if rows else ())])


def _typed(column: str, value: Any) -> Any:
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    if column in ("disbursed", "due"):
        return datetime.date.fromisoformat(value)
    if column in ("amount", "repaid", "interest", "outstanding"):
        return Decimal(value)
    return str(value)


def tables_xlsx(built: dict[str, Any]) -> bytes:
    """``frames.tables`` (pyarrow tables) as one workbook, a sheet per table: Arrow decimals
    as Decimal cells, dates as dates, booleans as 是/否."""
    sheets = []
    for name, table in built.items():
        columns = table.column_names
        data = table.to_pydict()
        rows = [[_cell(data[c][i]) for c in columns] for i in range(table.num_rows)]
        sheets.append(Sheet(TABLE_NAMES.get(name, name), [HEADERS.get(c, c) for c in columns], rows))
    return write_xlsx(sheets)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return value


