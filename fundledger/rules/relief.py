"""Rules on who is helped and from what money: FL401–FL405."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from ..accounts import under
from ..dates import ONE_DAY
from ..money import ZERO, fmt
from ..values import months as months_of
from . import Checker


def fl401_not_eligible(c: Checker) -> None:
    """Help goes to registered members whose annual review is current (动态管理)."""
    s = c.state
    people = [(r.member_id, r.date, r.entry, "救济") for r in s.relief if r.member_id is not None]
    # an opening loan was granted before these books: its borrower is checked as registered
    # (FL106), not as eligible on the day the books took it over
    people += [(ln.member_id, ln.disbursed_on, ln.disbursement, "借款") for ln in s.loans.values()
               if ln.disbursement is not None and ln.member_id is not None and not ln.opening]
    seen = set()
    for member_id, day, entry, what in c.each(people, lambda x: x[2]):
        member = s.members.get(member_id)
        if member is None:
            why = (f"{what}对象 {member_id} 未登记", f"{member_id} is not registered")
        else:
            why = member.ineligibility(day, s.policy_at(day).review_valid_months)
        if why and (id(entry), member_id) not in seen:
            seen.add((id(entry), member_id))
            c.error("FL401", why[0], why[1], entry)


def fl402_spendable_exceeded(c: Checker) -> None:
    """Relief and fees come only from the spendable pool (救济资金主要来源于基金的创收部分)."""
    s = c.state
    for day, uses in groupby(s.uses, key=lambda f: f.date):
        # the pool at the start of the day plus everything else that moved it that day
        available = s.position(day - ONE_DAY).spendable + s.spendable_added.get(day, ZERO)
        used = ZERO
        flagged = set()
        for flow in uses:
            c.at = flow.entry
            used -= flow.delta
            if used > available and id(flow.entry) not in flagged:
                flagged.add(id(flow.entry))
                c.error("FL402", f"{day} 救济及手续费累计 {fmt(used)}，超过当日可支用资金 "
                                 f"{fmt(available)}",
                        f"{used} paid, spendable {available} on {day}", flow.entry)


def fl403_relief_cap_year(c: Checker) -> None:
    total: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    flagged = set()
    for relief in c.each(c.state.relief, lambda r: r.entry):
        if relief.member_id is None:
            continue
        key = (relief.member_id, relief.date.year)
        total[key] += relief.amount
        cap = c.state.policy_at(relief.date).relief_cap_year
        if cap is not None and total[key] > cap and (id(relief.entry), key) not in flagged:
            flagged.add((id(relief.entry), key))
            c.error("FL403", f"成员 {relief.member_id} {relief.date.year} 年累计救济 {fmt(total[key])}，"
                             f"超过每年上限 {fmt(cap)}",
                    f"{relief.member_id} {total[key]} in {relief.date.year}, cap {cap}", relief.entry)


def fl404_subsidy_rate(c: Checker) -> None:
    """Monthly fixed subsidy (每月定补) = the tier's rate × months."""
    s = c.state
    for relief in c.each(s.relief, lambda r: r.entry):
        if not under(relief.account, "Expenses:Relief:Subsidy") or relief.member_id is None:
            continue
        member = s.members.get(relief.member_id)
        tier = member.tier_on(relief.date) if member else None
        if tier is None or tier == "none":
            continue  # not eligible: FL401
        months = months_of(relief.months)
        if months is None:
            c.error("FL404", f"months: {relief.months!r} 应为正整数", "months: not a whole number",
                    relief.entry)
            continue
        rate = s.policy_at(relief.date).subsidy(tier)
        if rate is None:
            c.error("FL404", f"等级 {tier} 没有生活补助标准（subsidy-{tier} 未设定）",
                    f"no subsidy-{tier} rate", relief.entry)
        elif relief.amount != rate * months:
            c.error("FL404", f"生活补助 {fmt(relief.amount)} 应为 {fmt(rate)} × {months} 个月 = "
                             f"{fmt(rate * months)}（等级 {tier}）",
                    f"expected {rate} x {months} = {rate * months}, found {relief.amount}", relief.entry)


def fl405_education_grant(c: Checker) -> None:
    """One grant per member and child (考入大学一次性资助), at most ``education-grant``."""
    seen: set[tuple[str | None, str | None]] = set()
    for relief in c.each(c.state.relief, lambda r: r.entry):
        if not under(relief.account, "Expenses:Relief:Education") or relief.amount <= 0:
            continue
        cap = c.state.policy_at(relief.date).education_grant
        key = (relief.member_id, relief.child)
        if relief.amount > cap:
            c.error("FL405", f"助学金 {fmt(relief.amount)} 超过标准 {fmt(cap)}",
                    f"grant {relief.amount} above {cap}", relief.entry)
        elif key in seen:
            c.error("FL405", f"成员 {relief.member_id} 的子女 {relief.child or '（未注明 child:）'} "
                             "已领取过助学金",
                    f"second grant for {relief.member_id} / {relief.child}", relief.entry)
        seen.add(key)


RULES = [fl401_not_eligible, fl402_spendable_exceeded, fl403_relief_cap_year,
         fl404_subsidy_rate, fl405_education_grant]
