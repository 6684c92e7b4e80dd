"""Rules on the fund's registers and directives: FL101–FL107."""

from __future__ import annotations

from typing import Any

from ..accounts import is_fiscal
from ..money import fmt
from . import Checker


def fl101_fiscal_not_allowed(c: Checker) -> None:
    """Public money while ``fiscal-allowed`` is FALSE (seed 002: 不使用公共财政资金)."""
    seen = set()
    for entry, amount in c.each(c.state.fiscal, lambda x: x[0]):
        if amount > 0 and id(entry) not in seen and not c.state.policy_at(entry.date).fiscal_allowed:
            seen.add(id(entry))
            fiscal = ", ".join(p.account for p in entry.postings if is_fiscal(p.account))
            c.error("FL101", f"收到财政资金 {fmt(amount)} {c.state.currency}（{fiscal}），"
                             "但政策 fiscal-allowed 为 FALSE，本基金不使用公共财政资金",
                    f"{fiscal} {amount} {c.state.currency}", entry)


def fl102_account_outside_roles(c: Checker) -> None:
    """Every account is cash, a loan, a source, relief, a loss or fees (专款专用)."""
    for info in c.each(c.state.accounts.values(), lambda a: a.open_entry or a.first_use):
        if info.role is None:
            c.error("FL102",
                    f"账户 {info.name} 不属于基金的任何用途；应为 Assets:Bank:*、Assets:Cash:*、"
                    "Assets:Loans:<编号>、Income:*、Equity:Opening*、Expenses:Relief:<类别>、"
                    "Expenses:Losses 或 Expenses:Fees",
                    f"{info.name} is none of cash, loan, source, relief, loss, fees",
                    info.open_entry or info.first_use)


def _rejected(c: Checker, kind: str, code: str) -> None:
    for bad in c.each(c.state.rejected, lambda r: r.entry):
        if bad.kind == kind:
            c.error(code, bad.zh, bad.en, bad.entry)


def fl103_bad_policy(c: Checker) -> None:
    _rejected(c, "policy", "FL103")


def fl104_duplicate_id(c: Checker) -> None:
    _rejected(c, "duplicate", "FL104")


def fl105_relief_without_member(c: Checker) -> None:
    seen = set()
    for relief in c.each(c.state.relief, lambda r: r.entry):
        if relief.member_id is None and (id(relief.entry), relief.account) not in seen:
            seen.add((id(relief.entry), relief.account))
            c.error("FL105", f"救济分录 {relief.account} 未注明受助人 member:",
                    f"{relief.account} posting has no member:", relief.entry)


_TARGET = {"members": "成员", "applications": "申请", "loans": "借款"}  # by ``Ref.table``
_TARGET_EN = {"成员": "member", "申请": "application", "借款": "loan"}


def fl106_malformed_directive(c: Checker) -> None:
    """Malformed fund directives, and directives naming an unknown member, application or loan."""
    s = c.state
    _rejected(c, "directive", "FL106")
    for ref in c.each(s.orphans, lambda r: r.entry):
        what = _TARGET[ref.table]
        c.error("FL106", f'custom "{ref.entry.type}" 引用了未知的{what} {ref.ref}',
                f"unknown {_TARGET_EN[what]} {ref.ref}", ref.entry)
    for ref in c.each(s.refs, lambda r: r.entry):
        target = getattr(s, ref.table).get(ref.ref)
        since = None if target is None else target.registered if ref.table == "members" \
            else target.date if ref.table == "applications" else target.disbursed_on
        if since is not None and ref.date < since:
            what = _TARGET[ref.table]
            c.error("FL106", f'custom "{ref.entry.type}" 日期 {ref.date} 早于{what} {ref.ref} 的登记日 {since}',
                    f"{_TARGET_EN[what]} {ref.ref} unknown on {ref.date} (from {since})", ref.entry)
    for app in c.each(s.applications.values(), lambda a: a.entry):
        member = s.members.get(app.member_id)
        if member is None or member.registered > app.date:
            c.error("FL106", f"申请 {app.id} 的成员 {app.member_id} 在 {app.date} 尚未登记",
                    f"unknown member {app.member_id}", app.entry)
    _opening_loans(c)


def _opening_loans(c: Checker) -> None:
    """An opening loan (借款期初余额) names its borrower, registered by the opening entry's
    date, with ``member:``; ``disbursed:``, when given, is a date not after it."""
    loans = [ln for ln in c.state.loans.values() if ln.opening]
    for loan in c.each(loans, lambda ln: ln.disbursement):
        day, entry = loan.disbursed_on, loan.disbursement
        member = c.state.members.get(loan.member_id) if loan.member_id is not None else None
        if loan.member_id is None:
            c.error("FL106", f"期初借款 {loan.id} 缺少必填的 member:（借款人）",
                    f"opening loan {loan.id} needs member: (the borrower)", entry)
        elif member is None or member.registered > day:
            c.error("FL106", f"期初借款 {loan.id} 的借款人 {loan.member_id} 在 {day} 尚未登记",
                    f"unknown member {loan.member_id}", entry)
        if loan.disbursed_raw is not None and loan.disbursed_original is None:
            c.error("FL106", f"期初借款 {loan.id} 的 disbursed: {loan.disbursed_raw!r} 不是日期",
                    f"disbursed: {loan.disbursed_raw!r} is not a date", entry)
        elif loan.disbursed_original is not None and loan.disbursed_original > day:
            c.error("FL106", f"期初借款 {loan.id} 的原放款日 disbursed: {loan.disbursed_original} "
                             f"晚于期初记账日 {day}",
                    f"disbursed: {loan.disbursed_original} after the opening entry ({day})", entry)


def fl107_voucher_twice(c: Checker) -> None:
    """A ``voucher:`` number used by two transactions (记账凭证号重复): the first, by date and
    then file order, owns it; each later use is an error naming where the number was used."""
    first: dict[str, Any] = {}
    for raw, entry in c.each(c.state.vouchers, lambda v: v[1]):
        number = str(raw).strip() if raw is not None else ""
        if not number:
            continue
        if number not in first:
            first[number] = entry
            continue
        meta = first[number].meta or {}
        where = f"{meta.get('filename', '<unknown>')}:{meta.get('lineno', 0)}"
        c.error("FL107", f"凭证号 {number} 已用于 {where}",
                f"voucher {number} already used at {where}", entry)


RULES = [fl101_fiscal_not_allowed, fl102_account_outside_roles, fl103_bad_policy,
         fl104_duplicate_id, fl105_relief_without_member, fl106_malformed_directive,
         fl107_voucher_twice]
