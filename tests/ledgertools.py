"""Helpers for the SPEC-conformance tests: small fund ledgers written inline.

A test ledger is ``BASE`` (a typical account set and two registered, reviewed members)
followed by the test's own directives. A line that should draw a fund error carries a
trailing comment naming the code(s), e.g. ``2024-03-01 * "借款" ; FL301``; the tests then
assert that the fund errors found are exactly those marked, at exactly those lines.
"""

from __future__ import annotations

import datetime
import re
import textwrap
from decimal import Decimal

from beancount import loader

FUND_CODE = re.compile(r"^(FL\d{3})\b")
MARK = re.compile(r";\s*((?:FL\d{3}\s*)+)$")

BASE = """\
option "title" "测试乡困难党员帮扶基金"
option "operating_currency" "CNY"
plugin "fundledger.plugin"

2024-01-01 open Assets:Bank:Fund              CNY
  name: "帮扶基金专户"
2024-01-01 open Income:Dues                   CNY
  name: "留存党费划拨"
  pool: "spendable"
2024-01-01 open Income:Donations:Members      CNY
  name: "党员捐款"
2024-01-01 open Income:Interest:Loans         CNY
2024-01-01 open Expenses:Relief:Visits        CNY
  name: "走访慰问"
2024-01-01 open Expenses:Relief:Medical       CNY
2024-01-01 open Expenses:Relief:Subsidy       CNY
2024-01-01 open Expenses:Relief:Education     CNY
2024-01-01 open Expenses:Fees                 CNY
2024-01-01 open Expenses:Losses               CNY

2024-01-02 * "乡党委" "留存党费划拨"
  Assets:Bank:Fund          10000.00 CNY
  Income:Dues
2024-01-02 * "2024一日捐"
  Assets:Bank:Fund          50000.00 CNY
  Income:Donations:Members

2024-01-02 custom "member" "M1"
  name: "张秀兰"
  branch: "中田村党支部"
2024-01-02 custom "member" "M2"
  name: "李金明"
  branch: "东山村党支部"
2024-01-03 custom "review" "M1" "general"
2024-01-03 custom "review" "M2" "general"
"""
"""Spendable pool 10000 (Income:Dues), principal 50000, cash 60000; M1 and M2 are
registered and reviewed `general` on 2024-01-03, so eligible through 2025-01-03."""


def ledger(*parts: str, base: str = BASE) -> str:
    """``base`` followed by each part (each dedented on its own)."""
    return base + "".join("\n" + textwrap.dedent(p).strip("\n") + "\n" for p in parts)


def load(text: str):
    return loader.load_string(text, dedent=True)


def is_fund_error(error) -> bool:
    return bool(FUND_CODE.match(str(error.message)))


def split_errors(text: str):
    """(fund errors as sorted [(code, lineno)], other errors)."""
    _, errors, _ = load(text)
    fund = sorted(
        (FUND_CODE.match(e.message).group(1), e.source["lineno"])
        for e in errors
        if is_fund_error(e)
    )
    return fund, [e for e in errors if not is_fund_error(e)]


def fund_errors(text: str) -> list[tuple[str, int]]:
    """The fund errors of a ledger as sorted (code, lineno) pairs; the ledger must
    otherwise be valid beancount."""
    fund, other = split_errors(text)
    assert not other, "the test ledger has beancount errors: " + "; ".join(
        f"{e.source and e.source.get('lineno')}: {e.message}" for e in other
    )
    return fund


def marked(text: str) -> list[tuple[str, int]]:
    """The (code, lineno) pairs marked in the ledger with a trailing ``; FLxxx`` comment."""
    text = textwrap.dedent(text)
    found = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = MARK.search(line)
        if m:
            found.extend((code, lineno) for code in m.group(1).split())
    return sorted(found)


def show(text: str, errors) -> str:
    lines = textwrap.dedent(text).splitlines()
    return "\n".join(f"  {code} at {n}: {lines[n - 1].strip() if 0 < n <= len(lines) else '?'}"
                     for code, n in errors) or "  (none)"


def assert_fund_errors(text: str, *codes: str) -> None:
    """The ledger draws exactly the fund errors marked in it (which must be ``codes``)."""
    expected = marked(text)
    assert sorted(c for c, _ in expected) == sorted(codes), "test ledger marks the wrong codes"
    actual = fund_errors(text)
    assert actual == expected, (
        f"\nexpected:\n{show(text, expected)}\nactual:\n{show(text, actual)}"
    )


def assert_clean(text: str) -> None:
    """The ledger draws no fund error at all."""
    assert not marked(text), "a clean test ledger must not mark errors"
    actual = fund_errors(text)
    assert actual == [], f"\nexpected no fund errors, found:\n{show(text, actual)}"


# ---------------------------------------------------------------------------
# Building blocks: an application with its workflow, a loan, a repayment.

def _day(day: str | datetime.date, plus: int = 0) -> str:
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return (day + datetime.timedelta(days=plus)).isoformat()


STEPS = {
    "relief": ("branch-review", "publicity", "approve"),
    "loan": ("branch-review", "publicity", "approve", "inspect"),
}
# Days after the application for each step: publicity 2, approval 8 (6 days of publicity).
STEP_OFFSET = {"branch-review": 1, "publicity": 2, "approve": 8, "inspect": 9}


def application(app: str, member: str, kind: str, amount, applied="2024-02-01",
                steps=None, approved=None) -> str:
    """``apply`` and every step of the default policy for ``kind`` (all done by
    ``applied`` + 9 days), approving ``approved`` (default: the amount applied for)."""
    approved = amount if approved is None else approved
    out = [f'{_day(applied)} custom "apply" "{app}" "{member}" "{kind}" {amount} CNY',
           '  purpose: "帮扶"']
    for step in STEPS[kind] if steps is None else steps:
        day = _day(applied, STEP_OFFSET[step])
        if step == "approve":
            out += [f'{day} custom "approve" "{app}" {approved} CNY',
                    '  body: "乡党委"', '  minutes: "〔2024〕1号"']
        else:
            out.append(f'{day} custom "{step}" "{app}"')
    return "\n".join(out) + "\n"


def relief_application(app: str, member: str, amount, applied="2024-02-01", **kw) -> str:
    return application(app, member, "relief", amount, applied, **kw)


def loan_application(app: str, member: str, amount, applied="2024-02-01", **kw) -> str:
    return application(app, member, "loan", amount, applied, **kw)


def add_months(day: datetime.date, months: int) -> datetime.date:
    m = day.month - 1 + months
    return day.replace(year=day.year + m // 12, month=m % 12 + 1)


_DEFAULT = object()


def loan(loan_id: str, app: str | None, amount, day="2024-03-01", *, due=_DEFAULT,
         guarantor: str | None = "中田村党支部", rate=None, open_account=True,
         mark: str = "") -> str:
    """A loan disbursement (with the loan account's ``open`` on the same day); ``due``
    defaults to disbursement + 24 months. ``mark`` is put on the transaction line."""
    when = datetime.date.fromisoformat(day)
    if due is _DEFAULT:
        due = add_months(when, 24).isoformat()
    out = []
    if open_account:
        out.append(f"{day} open Assets:Loans:{loan_id} CNY")
    out.append(f'{day} * "借款人" "生产借款"' + (f" ; {mark}" if mark else ""))
    if app is not None:
        out.append(f'  application: "{app}"')
    if due is not None:
        out.append(f"  due: {due}")
    if guarantor is not None:
        out.append(f'  guarantor: "{guarantor}"')
    if rate is not None:
        out.append(f"  rate: {rate}")
    out.append(f"  Assets:Loans:{loan_id}  {Decimal(amount):.2f} CNY")
    out.append("  Assets:Bank:Fund")
    return "\n".join(out) + "\n"


def repay(loan_id: str, amount, day: str, interest=0, mark: str = "") -> str:
    out = [f'{day} * "借款人" "还款"' + (f" ; {mark}" if mark else ""),
           f"  Assets:Bank:Fund  {Decimal(amount) + Decimal(interest):.2f} CNY",
           f"  Assets:Loans:{loan_id}  {-Decimal(amount):.2f} CNY"]
    if interest:
        out.append(f"  Income:Interest:Loans  {-Decimal(interest):.2f} CNY")
    return "\n".join(out) + "\n"


def relief(account: str, amount, day: str, member: str | None, app: str | None = None,
           mark: str = "", **meta) -> str:
    """A relief payment from the bank; ``member``/``application``/other metadata on the
    relief posting."""
    out = [f'{day} * "救济"' + (f" ; {mark}" if mark else ""),
           f"  {account}  {Decimal(amount):.2f} CNY"]
    if member is not None:
        out.append(f'    member: "{member}"')
    if app is not None:
        out.append(f'    application: "{app}"')
    for key, value in meta.items():
        out.append(f"    {key}: {value if not isinstance(value, str) else chr(34) + value + chr(34)}")
    out.append("  Assets:Bank:Fund")
    return "\n".join(out) + "\n"
