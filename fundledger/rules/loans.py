"""Rules on loans (有偿扶助: 两年还本、滚动利用): FL301–FL308."""

from __future__ import annotations

from collections import defaultdict

from ..dates import add_months
from ..money import fmt
from ..records import Loan
from . import Checker


def _disbursed(c: Checker) -> list[Loan]:
    """Every loan the books hold, opening loans (借款期初余额) included, in date order."""
    loans = [loan for loan in c.state.loans.values() if loan.disbursement is not None]
    return sorted(loans, key=lambda ln: (ln.disbursed_on, ln.disbursement.meta.get("lineno", 0)))


def _new(c: Checker) -> list[Loan]:
    """The loans these books disbursed: an opening loan was decided before them (SPEC §4), so
    the rules on making a loan (amount, term, guarantor, quota, rate) do not judge it."""
    return [loan for loan in _disbursed(c) if not loan.opening]


def fl301_loan_amount(c: Checker) -> None:
    cur = c.state.currency
    for loan in c.each(_new(c), lambda ln: ln.disbursement):
        policy = c.state.policy_at(loan.disbursed_on)
        if loan.principal > policy.loan_max:
            c.error("FL301", f"借款金额 {fmt(loan.principal)} {cur} 超过上限 {fmt(policy.loan_max)} {cur}",
                    f"loan-max {policy.loan_max}, found {loan.principal}", loan.disbursement)
        elif loan.principal < policy.loan_min:
            c.error("FL301", f"借款金额 {fmt(loan.principal)} {cur} 低于下限 {fmt(policy.loan_min)} {cur}",
                    f"loan-min {policy.loan_min}, found {loan.principal}", loan.disbursement)


def fl302_loan_term(c: Checker) -> None:
    """Principal back within the term (两年还本); reschedules within the extension."""
    for loan in c.each(_disbursed(c), lambda ln: ln.disbursement):
        if loan.opening:
            _opening_term(c, loan)
            continue
        policy = c.state.policy_at(loan.disbursed_on)
        latest = add_months(loan.disbursed_on, policy.loan_term_months)
        if loan.due is None:
            found = "缺少 due:" if loan.due_raw is None else f"due: {loan.due_raw!r} 不是日期"
            c.error("FL302", f"借款 {loan.id} {found}；应注明不晚于 {latest} 的还款日",
                    f"due: missing or not a date; expected by {latest}", loan.disbursement)
        elif loan.due > latest:
            c.error("FL302", f"借款 {loan.id} 还款日 {loan.due} 晚于放款日加 "
                             f"{policy.loan_term_months} 个月（{latest}）",
                    f"due {loan.due} after {latest}", loan.disbursement)
        base = loan.due or latest
        for when, new_due, entry in loan.reschedules:
            c.at = entry
            ext = c.state.policy_at(when).loan_extension_months
            limit = add_months(base, ext)
            if new_due > limit:
                c.error("FL302", f"借款 {loan.id} 展期至 {new_due}，超过原还款日 {base} 加 {ext} 个月（{limit}）",
                        f"reschedule to {new_due} beyond {limit}", entry)


def _opening_term(c: Checker, loan: Loan) -> None:
    """An opening loan needs its ``due:``; no term is checked (it was made before these books),
    but reschedules are measured from that ``due:`` like any loan's."""
    if loan.due is None:
        found = "缺少 due:" if loan.due_raw is None else f"due: {loan.due_raw!r} 不是日期"
        c.error("FL302", f"期初借款 {loan.id} {found}；应注明原定的还款日",
                "due: missing or not a date on an opening loan", loan.disbursement)
        return
    for when, new_due, entry in loan.reschedules:
        c.at = entry
        ext = c.state.policy_at(when).loan_extension_months
        limit = add_months(loan.due, ext)
        if new_due > limit:
            c.error("FL302", f"期初借款 {loan.id} 展期至 {new_due}，超过原还款日 {loan.due} 加 {ext} 个月（{limit}）",
                    f"reschedule to {new_due} beyond {limit}", entry)


def fl303_guarantor(c: Checker) -> None:
    for loan in c.each(_new(c), lambda ln: ln.disbursement):
        if not loan.guarantor and c.state.policy_at(loan.disbursed_on).guarantor_required:
            c.error("FL303", f"借款 {loan.id} 缺少担保 guarantor:（政策要求担保）",
                    "guarantor: missing", loan.disbursement)


def fl304_annual_quota(c: Checker) -> None:
    count: dict[int, int] = defaultdict(int)
    for loan in c.each(_new(c), lambda ln: ln.disbursement):
        year = loan.disbursed_on.year
        count[year] += 1
        quota = c.state.policy_at(loan.disbursed_on).loan_annual_quota
        if count[year] > quota:
            c.error("FL304", f"{year} 年第 {count[year]} 笔借款，超过年度名额 {quota} 笔",
                    f"loan {count[year]} of {year}, quota {quota}", loan.disbursement)


def fl305_loans_per_member(c: Checker) -> None:
    earlier: dict[str, list[Loan]] = defaultdict(list)
    for loan in c.each(_disbursed(c), lambda ln: ln.disbursement):
        if loan.member_id is None:
            continue
        day = loan.disbursed_on
        limit = c.state.policy_at(day).loan_per_member
        open_loans = [o for o in earlier[loan.member_id] if o.balance_on(day) > 0]
        if len(open_loans) >= limit:
            ids = " ".join(o.id for o in open_loans)
            c.error("FL305", f"成员 {loan.member_id} 已有 {len(open_loans)} 笔未还借款（{ids}），"
                             f"每人最多 {limit} 笔",
                    f"{loan.member_id} has {len(open_loans)} outstanding, limit {limit}", loan.disbursement)
        earlier[loan.member_id].append(loan)


def fl306_rate(c: Checker) -> None:
    for loan in c.each(_new(c), lambda ln: ln.disbursement):
        cap = c.state.policy_at(loan.disbursed_on).loan_rate_max
        if loan.rate_raw is not None and loan.rate is None:
            c.error("FL306", f"借款 {loan.id} 的 rate: {loan.rate_raw!r} 不是年利率小数",
                    f"rate: {loan.rate_raw!r} is not a number", loan.disbursement)
        elif cap is not None and loan.rate is not None and loan.rate > cap:
            c.error("FL306", f"借款 {loan.id} 年利率 {loan.rate} 超过上限 {cap}",
                    f"rate {loan.rate} above {cap}", loan.disbursement)


def fl307_loan_postings(c: Checker) -> None:
    for loan in c.each(c.state.loans.values(), lambda ln: ln.disbursement or ln.open_entry):
        moves = sorted(loan.moves, key=lambda m: (m.date, m.amount < 0))
        balance = 0
        flagged = set()
        for move in moves:
            c.at = move.entry
            balance += move.amount
            problem = None
            if loan.disbursed_on is None or move.date < loan.disbursed_on:
                problem = ((f"借款 {loan.id} 在期初转入（{loan.disbursed_on}）前就有记账",
                            f"{loan.id} posted before its opening entry") if loan.opening else
                           (f"借款 {loan.id} 在放款前就有记账", f"{loan.id} posted before disbursement"))
            elif move.kind == "disburse" and move.entry is not loan.disbursement:
                done = "作为期初借款转入" if loan.opening else "放款"
                problem = (f"借款 {loan.id} 已于 {loan.disbursed_on} {done}，不能再次放款或转入",
                           f"{loan.id} disbursed twice")
            elif balance < 0:
                problem = (f"借款 {loan.id} 还款后余额为 {fmt(balance)}，低于零",
                           f"{loan.id} repaid below zero ({balance})")
            if problem and id(move.entry) not in flagged:
                flagged.add(id(move.entry))
                c.error("FL307", problem[0], problem[1], move.entry)


def fl308_write_off_approval(c: Checker) -> None:
    """A loss (核销) needs a ``write-off`` decision on or before its date."""
    written: dict[int, list[Loan]] = defaultdict(list)
    for loan in c.state.loans.values():
        for move in loan.moves:
            if move.kind == "write-off":
                written[id(move.entry)].append(loan)
    seen = set()
    for day, _account, _amount, entry in c.each(c.state.losses, lambda x: x[3]):
        if id(entry) in seen:
            continue
        seen.add(id(entry))
        loans = written.get(id(entry), [])
        if not loans:
            c.error("FL308", "损失核销没有对应的借款账户", "loss without a loan written off", entry)
        for loan in loans:
            if not any(when <= day for when, _ in loan.write_offs):
                c.error("FL308", f"借款 {loan.id} 核销前没有 write-off 批准",
                        f"{loan.id} written off without a write-off decision", entry)


RULES = [fl301_loan_amount, fl302_loan_term, fl303_guarantor, fl304_annual_quota,
         fl305_loans_per_member, fl306_rate, fl307_loan_postings, fl308_write_off_approval]
