"""A seeded generator of a multi-year county revolving fund ledger, written to SPEC.md alone.

``generate(directory, seed, first_year, last_year)`` writes ``main.beancount`` (options, the
plugin line, the accounts with their ``name:``/``pool:``, the fund policy, one ``include`` per
year) and one ``YYYY.beancount`` per year, and returns a :class:`County` holding what the
generator itself tallied while writing, in plain ``Decimal``: the fund's position (SPEC §1
pools) after every dated move, and every loan with its repayments, write-offs and reschedules,
so that the expected loan book on any day can be computed without fundledger.

What a year holds (SPEC §2, §4; DOMAIN.md):

* members registered (建档立卡) and every member reviewed each January (年度审核), a few
  reviewed ``none``; a few leave the programme (退出) in November;
* dues (spendable), departments' donations (spendable), the 一日捐 drive and social
  donations (principal), a fiscal grant (principal), deposit interest (spendable), and in the
  first year a transfer in from another fund (``Equity:Opening-Balances``, principal);
* 44–50 loan applications of 3,000–5,000 CNY through apply → branch-review → publicity →
  (≥ publicity-days) → approve → inspect → disbursement with ``application:``/``due:``/
  ``guarantor:``/``rate:``; some are rejected; repayments with interest to
  ``Income:Interest:Loans``, some late, some partial, some never; a reschedule; write-offs
  after a ``write-off`` approval; some repaid loan accounts closed;
* Spring Festival and 七一 visits (``Expenses:Relief:Visits``, exempt, ``member:`` on every
  posting) paid from petty cash topped up from the bank, and medical relief by application,
  paid only when the spendable pool allows — otherwise a committee ``release`` comes first;
* quarterly bank fees, paid only from the spendable pool.

Only the standard library is used; the same seed always writes the same ledger.
Run ``python tests/county_generator.py DIR [SEED]`` to write one for inspection.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

Date = datetime.date
ZERO = Decimal("0")
FEN = Decimal("0.01")
BANK = "Assets:Bank:Fund"
PETTY = "Assets:Cash:Petty"
CASH_ACCOUNTS = (BANK, PETTY)

# account -> (Chinese name, pool written in ``pool:`` or None for the default)
SOURCES: dict[str, tuple[str, str | None]] = {
    "Equity:Opening-Balances": ("农民党员福利基金转入", None),
    "Income:Dues": ("留存党费划拨", "spendable"),
    "Income:Donations:Members": ("党员捐款", None),
    "Income:Donations:Departments": ("部门捐赠", "spendable"),
    "Income:Donations:Society": ("社会募集", "principal"),
    "Income:Fiscal:County": ("县财政补助", None),
    "Income:Interest:Loans": ("借款利息", None),
    "Income:Interest:Deposits": ("存款利息", None),
}
SPENDABLE_SOURCES = tuple(a for a, (_, pool) in SOURCES.items()
                          if pool == "spendable" or (pool is None and a.startswith("Income:Interest")))
PRINCIPAL_SOURCES = tuple(a for a in SOURCES if a not in SPENDABLE_SOURCES)
VISITS = "Expenses:Relief:Visits"
MEDICAL = "Expenses:Relief:Medical"
LOSSES = "Expenses:Losses:BadDebt"
FEES = "Expenses:Fees:Bank"
LOAN_RATE_MAX = Decimal("0.0435")

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱",
            "高", "林", "何", "郭", "马", "罗", "欧阳", "司马"]
GIVEN = "秀兰金明建国桂英玉华志强淑珍德胜春梅永福凤英海涛丽娟国平文军红霞长林"
BRANCHES = ["中田村党支部", "东山村党支部", "西河村党支部", "南岭村党支部", "北坪村党支部",
            "城关社区党支部", "老干部党支部", "退休职工党支部", "石桥村党支部", "柳湾村党支部"]
CATEGORIES = ["rural", "rural", "rural", "retired", "urban", "survivor"]
PURPOSES = ["食用菌种植", "生猪养殖", "蔬菜大棚", "茶叶种植", "养鸡", "小卖部经营", "果树种植",
            "农机购置", "养牛", "竹编加工"]
TIERS = ["general", "general", "relative", "relative", "special"]


def add_months(day: Date, months: int) -> Date:
    """The same day ``months`` later (callers keep the day of month at or below 28)."""
    month0 = day.month - 1 + months
    return day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)


def money(value: Decimal) -> str:
    return f"{value.quantize(FEN):f}"


# --------------------------------------------------------------------------- the tallies


@dataclass
class LoanTally:
    """One loan as the generator wrote it: enough to know its state on any day."""

    id: str
    member: str
    application: str
    amount: Decimal
    disbursed: Date
    due: Date
    rate: Decimal | None
    repayments: list[tuple[Date, Decimal, Decimal]] = field(default_factory=list)  # principal, interest
    write_offs: list[tuple[Date, Decimal]] = field(default_factory=list)
    write_off_approvals: list[Date] = field(default_factory=list)
    reschedules: list[tuple[Date, Date]] = field(default_factory=list)  # (approved on, new due)
    closed: Date | None = None

    def repaid(self, as_of: Date) -> Decimal:
        return sum((p for d, p, _ in self.repayments if d <= as_of), ZERO)

    def written_off(self, as_of: Date) -> Decimal:
        return sum((a for d, a in self.write_offs if d <= as_of), ZERO)

    def outstanding(self, as_of: Date) -> Decimal:
        if as_of < self.disbursed:
            return ZERO
        return self.amount - self.repaid(as_of) - self.written_off(as_of)

    def due_on(self, as_of: Date) -> Date:
        due = self.due
        for approved, new_due in sorted(self.reschedules):
            if approved <= as_of:
                due = new_due
        return due

    def status(self, as_of: Date) -> str:
        if self.outstanding(as_of) <= 0:
            return "written-off" if self.written_off(as_of) > 0 else "repaid"
        return "overdue" if as_of > self.due_on(as_of) else "current"

    def days_past_due(self, as_of: Date) -> int:
        if self.status(as_of) != "overdue":
            return 0
        return (as_of - self.due_on(as_of)).days


@dataclass
class Move:
    """One dated change to the fund's position (SPEC §1)."""

    date: Date
    cash: dict[str, Decimal] = field(default_factory=dict)
    loans: Decimal = ZERO
    principal: Decimal = ZERO
    spendable: Decimal = ZERO


@dataclass
class County:
    """The generated ledger and the figures the generator tallied while writing it."""

    main: Path
    files: list[Path]
    first_year: int
    last_year: int
    moves: list[Move]
    loans: dict[str, LoanTally]
    releases: list[tuple[Date, Decimal]]
    stats: Counter

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def position(self, as_of: Date) -> dict[str, Decimal]:
        """cash, loans_outstanding, principal, spendable at the end of ``as_of``."""
        out = {"cash": ZERO, "loans_outstanding": ZERO, "principal": ZERO, "spendable": ZERO}
        for move in self.moves:
            if move.date > as_of:
                continue
            out["cash"] += sum(move.cash.values(), ZERO)
            out["loans_outstanding"] += move.loans
            out["principal"] += move.principal
            out["spendable"] += move.spendable
        return out

    def cash_by_account(self, as_of: Date) -> dict[str, Decimal]:
        out = dict.fromkeys(CASH_ACCOUNTS, ZERO)
        for move in self.moves:
            if move.date <= as_of:
                for account, amount in move.cash.items():
                    out[account] += amount
        return out

    def released(self, as_of: Date) -> Decimal:
        return sum((a for d, a in self.releases if d <= as_of), ZERO)

    def loan_book(self, as_of: Date) -> dict[str, dict[str, Any]]:
        """Every loan disbursed by the end of ``as_of``, by loan ID."""
        return {
            loan.id: {
                "member": loan.member,
                "amount": loan.amount,
                "disbursed": loan.disbursed.isoformat(),
                "due": loan.due_on(as_of).isoformat(),
                "outstanding": loan.outstanding(as_of),
                "status": loan.status(as_of),
                "days_past_due": loan.days_past_due(as_of),
            }
            for loan in sorted(self.loans.values(), key=lambda ln: (ln.disbursed, ln.id))
            if loan.disbursed <= as_of
        }


# --------------------------------------------------------------------------- the generator


@dataclass
class MemberRec:
    id: str
    name: str
    branch: str
    registered: Date
    tiers: dict[int, str] = field(default_factory=dict)
    exited: Date | None = None
    loan_busy: bool = False  # a loan applied for and not yet fully repaid
    relief_busy: bool = False  # a relief application still open
    blocked: bool = False  # defaulted once: never lent to again

    def eligible_in(self, year: int) -> bool:
        return self.exited is None and self.tiers.get(year, "none") != "none"


class _Generator:
    def __init__(self, seed: int, first_year: int, last_year: int):
        self.rng = random.Random(seed)
        self.first_year, self.last_year = first_year, last_year
        self.end = Date(last_year, 12, 31)
        self.queue: list[tuple[Date, int, Any, tuple[Any, ...]]] = []
        self.seq = itertools.count()
        self.lines: dict[int, list[str]] = {y: [] for y in range(first_year, last_year + 1)}
        self.moves: list[Move] = []
        self.cash = dict.fromkeys(CASH_ACCOUNTS, ZERO)
        self.principal = ZERO
        self.spendable = ZERO
        self.today: Date | None = None
        self.spendable_at_dawn = ZERO
        self.used_today = ZERO
        self.members: dict[str, MemberRec] = {}
        self.loans: dict[str, LoanTally] = {}
        self.releases: list[tuple[Date, Decimal]] = []
        self.stats: Counter = Counter()
        self.counters: Counter = Counter()
        self.forced_outcomes = ["reschedule", "default-write-off", "partial", "late"]

    # -- plumbing
    def at(self, day: Date, action: Any, *args: Any) -> None:
        if day <= self.end:
            heapq.heappush(self.queue, (day, next(self.seq), action, args))

    def run(self) -> None:
        for year in range(self.first_year, self.last_year + 1):
            self.at(Date(year, 1, 1), self.plan_year, year)
        while self.queue:
            day, _, action, args = heapq.heappop(self.queue)
            if day != self.today:
                self.today = day
                self.spendable_at_dawn = self.spendable
                self.used_today = ZERO
            action(day, *args)

    def emit(self, day: Date, text: str) -> None:
        self.lines[day.year].append(text.rstrip("\n") + "\n")

    def move(self, day: Date, cash: dict[str, Decimal] | None = None, loans: Decimal = ZERO,
             principal: Decimal = ZERO, spendable: Decimal = ZERO) -> None:
        cash = cash or {}
        for account, amount in cash.items():
            self.cash[account] += amount
            assert self.cash[account] >= 0, (day, account, self.cash[account])
        self.principal += principal
        self.spendable += spendable
        self.moves.append(Move(day, dict(cash), loans, principal, spendable))

    def minutes(self, day: Date) -> str:
        self.counters[("minutes", day.year)] += 1
        return f"〔{day.year}〕{self.counters[('minutes', day.year)]}号"

    def can_spend(self, amount: Decimal) -> bool:
        """Relief or fees of ``amount`` now stay within the pool as it stood at dawn (FL402)."""
        return self.used_today + amount <= self.spendable_at_dawn

    def spend(self, amount: Decimal) -> None:
        self.used_today += amount

    def release(self, day: Date, shortfall: Decimal) -> None:
        amount = ((shortfall + Decimal(5000)) / 5000).to_integral_value(rounding=ROUND_CEILING) * 5000
        assert amount < self.principal, "principal too small to release"
        self.emit(day, f'{day} custom "release" {money(amount)} CNY\n'
                       f'  minutes: "{self.minutes(day)}"\n')
        self.releases.append((day, amount))
        self.move(day, principal=-amount, spendable=amount)
        self.stats["releases"] += 1

    def rand_day(self, start: Date, end: Date) -> Date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def later(self, day: Date, low: int, high: int) -> Date:
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def publicity_days(self, day: Date) -> int:
        return 7 if day.year >= 2023 else 5

    def new_name(self) -> str:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2, 2])))
        return surname + given

    def inflow(self, day: Date, account: str, amount: Decimal, payee: str, narration: str,
               meta: str = "") -> None:
        self.emit(day, f'{day} * "{payee}" "{narration}"\n{meta}'
                       f"  {BANK:<32} {money(amount):>10} CNY\n  {account}\n")
        pool = "spendable" if account in SPENDABLE_SOURCES else "principal"
        self.move(day, cash={BANK: amount}, **{pool: amount})
        self.stats["inflows"] += 1

    # -- the year's plan
    def plan_year(self, day: Date, year: int) -> None:
        rng = self.rng
        first = year == self.first_year
        self.at(Date(year, 1, 2), self.register, rng.randint(140, 160) if first else rng.randint(10, 20))
        self.at(Date(year, 1, 2), self.reviews)
        if first:
            self.at(Date(year, 1, 2), self.founding)
        self.at(Date(year, 1, 10), self.dues, Decimal(8000) if first else Decimal(rng.randint(15, 30) * 1000))
        self.at(self.rand_day(Date(year, 2, 2), Date(year, 2, 8)), self.visits, "春节走访慰问")
        self.at(self.rand_day(Date(year, 3, 10), Date(year, 3, 20)), self.fiscal)
        self.at(self.rand_day(Date(year, 5, 1), Date(year, 5, 28)), self.departments)
        self.at(self.rand_day(Date(year, 6, 26), Date(year, 6, 30)), self.visits, "七一走访慰问")
        self.at(self.rand_day(Date(year, 7, 1), Date(year, 7, 10)), self.one_day_pay)
        self.at(self.rand_day(Date(year, 9, 1), Date(year, 9, 28)), self.society)
        for month in (3, 6, 9, 12):
            self.at(Date(year, month, 20), self.fee)
            self.at(Date(year, month, 21), self.deposit_interest)
        for _ in range(rng.randint(44, 50)):
            self.at(self.rand_day(Date(year, 2, 10), Date(year, 9, 30)), self.loan_apply)
        for _ in range(rng.randint(5, 8)):
            self.at(self.rand_day(Date(year, 2, 15), Date(year, 10, 31)), self.relief_apply)
        if not first:
            self.at(self.rand_day(Date(year, 11, 15), Date(year, 11, 25)), self.exits)

    def founding(self, day: Date) -> None:
        self.inflow(day, "Equity:Opening-Balances", Decimal(70000), "县委组织部",
                    "农民党员福利基金转入")
        for i in range(8):
            self.inflow(day, "Income:Donations:Members", Decimal(self.rng.randint(10, 40) * 1000),
                        f"{BRANCHES[i]}", "建立基金募捐",
                        f'  campaign: "{day.year}建立基金募捐"\n  donor: "{BRANCHES[i]}"\n')

    def register(self, day: Date, count: int) -> None:
        for _ in range(count):
            self.counters["member"] += 1
            mid = f"M{self.counters['member']:04d}"
            name = self.new_name()
            if self.rng.random() < 0.02:
                name = "买买提·" + name
            member = MemberRec(mid, name, self.rng.choice(BRANCHES), day)
            self.members[mid] = member
            self.emit(day, f'{day} custom "member" "{mid}"\n  name: "{name}"\n'
                           f'  branch: "{member.branch}"\n  category: "{self.rng.choice(CATEGORIES)}"\n'
                           f'  contact: "13{self.rng.randint(100000000, 999999999)}"\n')
            self.stats["members"] += 1

    def reviews(self, day: Date) -> None:
        for member in self.members.values():
            if member.exited is None:
                when = self.rand_day(Date(day.year, 1, 3), Date(day.year, 1, 8))
                tier = "none" if self.rng.random() < 0.04 else self.rng.choice(TIERS)
                self.at(when, self.review, member, tier)

    def review(self, day: Date, member: MemberRec, tier: str) -> None:
        member.tiers[day.year] = tier
        self.emit(day, f'{day} custom "review" "{member.id}" "{tier}"\n')
        self.stats["reviews"] += 1

    def exits(self, day: Date) -> None:
        free = [m for m in self.members.values() if m.exited is None and not m.loan_busy
                and not m.relief_busy and not m.blocked and m.registered.year < day.year]
        for member in self.rng.sample(free, min(len(free), self.rng.randint(1, 3))):
            member.exited = day
            self.emit(day, f'{day} custom "exit" "{member.id}"\n  reason: "家庭经济好转，本人申请退出"\n')
            self.stats["exits"] += 1

    # -- money in
    def dues(self, day: Date, amount: Decimal) -> None:
        self.inflow(day, "Income:Dues", amount, "县委组织部", "留存党费划拨")

    def fiscal(self, day: Date) -> None:
        self.inflow(day, "Income:Fiscal:County", Decimal(self.rng.choice([80000, 100000, 120000])),
                    "县财政局", "财政补助帮扶基金")

    def departments(self, day: Date) -> None:
        self.inflow(day, "Income:Donations:Departments", Decimal(self.rng.randint(5, 20) * 1000),
                    "县直机关工委", "部门捐赠", '  donor: "县直机关工委"\n')

    def society(self, day: Date) -> None:
        amount = Decimal(self.rng.randint(200, 3000) * 10)
        self.inflow(day, "Income:Donations:Society", amount, "爱心企业", "社会募集",
                    '  donor: "县工商联"\n')

    def one_day_pay(self, day: Date) -> None:
        for _ in range(self.rng.randint(5, 12)):
            donor = self.new_name()
            amount = Decimal(self.rng.randint(20, 400) * 5)
            self.inflow(day, "Income:Donations:Members", amount, donor, f"{day.year}一日捐",
                        f'  campaign: "{day.year}一日捐"\n  donor: "{donor}"\n')

    def deposit_interest(self, day: Date) -> None:
        amount = (self.cash[BANK] * Decimal("0.0035") / 4).quantize(FEN, ROUND_HALF_UP)
        if amount > 0:
            self.inflow(day, "Income:Interest:Deposits", amount, "农村信用社", "活期存款利息")

    # -- money out: fees and relief
    def fee(self, day: Date) -> None:
        amount = Decimal(self.rng.randint(500, 6000)) / 100
        if not self.can_spend(amount) or self.cash[BANK] < amount:
            self.stats["fees_skipped"] += 1
            return
        self.spend(amount)
        self.emit(day, f'{day} * "农村信用社" "账户管理费"\n'
                       f"  {FEES:<32} {money(amount):>10} CNY\n  {BANK}\n")
        self.move(day, cash={BANK: -amount}, spendable=-amount)
        self.stats["fees"] += 1

    def visits(self, day: Date, title: str) -> None:
        people = [m for m in self.members.values() if m.eligible_in(day.year)]
        chosen = sorted(self.rng.sample(people, min(len(people), self.rng.randint(8, 15))),
                        key=lambda m: m.id)
        if not chosen:
            return
        amounts = [Decimal(self.rng.choice([300, 400, 500, 800])) for _ in chosen]
        total = sum(amounts, ZERO)
        if not self.can_spend(total):
            self.release(day, total - (self.spendable_at_dawn - self.used_today))
            self.at(day + datetime.timedelta(days=1), self.visits, title)
            return
        top_up = max(ZERO, total - self.cash[PETTY])
        top_up = (top_up / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000
        assert self.cash[BANK] >= top_up
        self.spend(total)
        if top_up:
            self.emit(day, f'{day} * "提取备用金" "走访慰问备用金"\n'
                           f"  {PETTY:<32} {money(top_up):>10} CNY\n  {BANK}\n")
            self.move(day, cash={PETTY: top_up, BANK: -top_up})
        postings = "".join(f"  {VISITS:<32} {money(a):>10} CNY\n    member: \"{m.id}\"\n"
                           for m, a in zip(chosen, amounts, strict=True))
        self.emit(day, f'{day} * "县委组织部" "{title}"\n{postings}  {PETTY}\n')
        self.move(day, cash={PETTY: -total}, spendable=-total)
        self.stats["visits"] += len(chosen)

    def relief_apply(self, day: Date) -> None:
        people = [m for m in self.members.values() if m.eligible_in(day.year) and not m.relief_busy]
        if not people:
            return
        member = self.rng.choice(people)
        member.relief_busy = True
        self.counters[("relief", day.year)] += 1
        app = f"R{day.year}-{self.counters[('relief', day.year)]:03d}"
        amount = Decimal(self.rng.randint(4, 20) * 500)
        self.emit(day, f'{day} custom "apply" "{app}" "{member.id}" "relief" {money(amount)} CNY\n'
                       f'  purpose: "住院医疗费用过大"\n')
        self.stats["relief_applications"] += 1
        chain = {"app": app, "member": member, "amount": amount, "kind": "relief"}
        self.at(self.later(day, 2, 5), self.step, chain, "branch-review")

    def relief_pay(self, day: Date, chain: dict[str, Any], amount: Decimal, rest: Decimal) -> None:
        if day > Date(day.year, 12, 20):
            chain["member"].relief_busy = False
            return
        if not self.can_spend(amount):
            self.release(day, amount - (self.spendable_at_dawn - self.used_today))
            self.at(day + datetime.timedelta(days=1), self.relief_pay, chain, amount, rest)
            return
        if self.cash[BANK] < amount:
            self.at(day + datetime.timedelta(days=7), self.relief_pay, chain, amount, rest)
            return
        self.spend(amount)
        member = chain["member"]
        self.emit(day, f'{day} * "{member.name}" "医疗救助"\n'
                       f"  {MEDICAL:<32} {money(amount):>10} CNY\n"
                       f'    member: "{member.id}"\n    application: "{chain["app"]}"\n'
                       f"  {BANK}\n")
        self.move(day, cash={BANK: -amount}, spendable=-amount)
        self.stats["medical_payments"] += 1
        if rest > 0:
            self.at(self.later(day, 20, 40), self.relief_pay, chain, rest, ZERO)
        else:
            member.relief_busy = False

    # -- the workflow shared by loans and relief
    def step(self, day: Date, chain: dict[str, Any], name: str) -> None:
        app, kind = chain["app"], chain["kind"]
        if name == "approve":
            approved = chain["amount"]
            if self.rng.random() < 0.2 and approved - 500 >= (3000 if kind == "loan" else 1000):
                approved -= 500
            chain["approved"] = approved
            body = "县委组织部" if kind == "loan" else "乡党委"
            self.emit(day, f'{day} custom "approve" "{app}" {money(approved)} CNY\n'
                           f'  body: "{body}"\n  minutes: "{self.minutes(day)}"\n')
        else:
            self.emit(day, f'{day} custom "{name}" "{app}"\n')
        if name == "branch-review" and self.rng.random() < 0.08:
            self.at(self.later(day, 1, 3), self.reject, chain)
        elif name == "branch-review":
            self.at(self.later(day, 1, 4), self.step, chain, "publicity")
        elif name == "publicity":
            days = self.publicity_days(day)
            self.at(self.later(day, days, days + 7), self.step, chain, "approve")
        elif name == "approve" and kind == "loan":
            self.at(self.later(day, 1, 5), self.step, chain, "inspect")
        elif name == "approve":
            approved = chain["approved"]
            first = approved if self.rng.random() < 0.7 else (approved * Decimal("0.6")).quantize(FEN)
            self.at(self.later(day, 1, 7), self.relief_pay, chain, first, approved - first)
        elif name == "inspect":
            when = self.later(day, 1, 10)
            if when.day > 28:
                when = (when.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
            self.at(when, self.disburse, chain)

    def reject(self, day: Date, chain: dict[str, Any]) -> None:
        self.emit(day, f'{day} custom "reject" "{chain["app"]}"\n')
        self.stats["rejections"] += 1
        if chain["kind"] == "loan":
            chain["member"].loan_busy = False
        else:
            chain["member"].relief_busy = False

    # -- loans
    def loan_apply(self, day: Date) -> None:
        people = [m for m in self.members.values()
                  if m.eligible_in(day.year) and not m.loan_busy and not m.blocked]
        if not people:
            self.stats["loan_applications_unfilled"] += 1
            return
        member = self.rng.choice(people)
        member.loan_busy = True
        self.counters[("loan", day.year)] += 1
        number = self.counters[("loan", day.year)]
        app = f"A{day.year}-{number:03d}"
        amount = Decimal(self.rng.randint(6, 10) * 500)
        purpose = self.rng.choice(PURPOSES)
        self.emit(day, f'{day} custom "apply" "{app}" "{member.id}" "loan" {money(amount)} CNY\n'
                       f'  purpose: "{purpose}"\n')
        self.stats["loan_applications"] += 1
        chain = {"app": app, "loan": f"L{day.year}-{number:03d}", "member": member,
                 "amount": amount, "kind": "loan", "purpose": purpose}
        self.at(self.later(day, 2, 6), self.step, chain, "branch-review")

    def disburse(self, day: Date, chain: dict[str, Any]) -> None:
        member: MemberRec = chain["member"]
        amount: Decimal = chain["approved"]
        if day > Date(day.year, 12, 20):
            member.loan_busy = False
            self.stats["loans_never_disbursed"] += 1
            return
        if self.cash[BANK] < amount:
            later = day + datetime.timedelta(days=7)
            self.at(later if later.day <= 28 else later.replace(day=28), self.disburse, chain)
            return
        rng = self.rng
        loan_id = chain["loan"]
        term = rng.choice([24, 24, 24, 24, 18, 12])
        due = add_months(day, term)
        rate = rng.choice([LOAN_RATE_MAX, LOAN_RATE_MAX, Decimal("0.03"), Decimal("0"), None])
        rate_line = "" if rate is None else f"  rate: {rate}\n"
        guarantor = rng.choice([member.branch, "乡镇人民政府", self.new_name()])
        self.emit(day, f"{day} open Assets:Loans:{loan_id} CNY\n")
        self.emit(day, f'{day} * "{member.name}" "{chain["purpose"]}借款"\n'
                       f'  application: "{chain["app"]}"\n  due: {due}\n'
                       f'  guarantor: "{guarantor}"\n{rate_line}'
                       f"  Assets:Loans:{loan_id:<19} {money(amount):>10} CNY\n"
                       f"  {BANK:<32} {money(-amount):>10} CNY\n")
        loan = LoanTally(loan_id, member.id, chain["app"], amount, day, due, rate)
        self.loans[loan_id] = loan
        self.move(day, cash={BANK: -amount}, loans=amount)
        self.stats["loans"] += 1
        self.plan_repayment(loan, member)

    def plan_repayment(self, loan: LoanTally, member: MemberRec) -> None:
        rng = self.rng
        outcome = self.forced_outcomes.pop(0) if self.forced_outcomes else rng.choices(
            ["instalments", "bullet", "late", "partial", "default", "default-write-off",
             "reschedule"], weights=[45, 22, 12, 6, 3, 7, 5])[0]
        self.stats[f"outcome_{outcome}"] += 1
        due = loan.due
        term_days = (due - loan.disbursed).days

        def on_time() -> Date:
            return due - datetime.timedelta(days=rng.randint(0, 10))

        if outcome == "instalments":
            half = (loan.amount / 2).quantize(FEN)
            self.at(loan.disbursed + datetime.timedelta(days=term_days // 2 + rng.randint(-5, 5)),
                    self.repay, loan, member, half, False)
            self.at(on_time(), self.repay, loan, member, loan.amount - half, True)
        elif outcome == "bullet":
            self.at(on_time(), self.repay, loan, member, loan.amount, True)
        elif outcome == "late":
            self.at(due + datetime.timedelta(days=rng.randint(1, 120)), self.repay, loan, member,
                    loan.amount, True)
        elif outcome == "partial":
            part = Decimal(rng.choice([1000, 1500, 2000]))
            self.at(loan.disbursed + datetime.timedelta(days=term_days // 2), self.repay, loan,
                    member, part, False)
            member.blocked = True
            if rng.random() < 0.5:
                self.at(due + datetime.timedelta(days=rng.randint(200, 400)), self.approve_write_off,
                        loan, member)
        elif outcome == "default":
            member.blocked = True
        elif outcome == "default-write-off":
            member.blocked = True
            self.at(due + datetime.timedelta(days=rng.randint(150, 400)), self.approve_write_off,
                    loan, member)
        elif outcome == "reschedule":
            new_due = add_months(due, rng.choice([3, 6, 12]))
            self.at(due - datetime.timedelta(days=rng.randint(3, 20)), self.reschedule, loan, new_due)
            self.at(new_due + datetime.timedelta(days=rng.randint(-5, 30)), self.repay, loan, member,
                    loan.amount, True)

    def repay(self, day: Date, loan: LoanTally, member: MemberRec, principal: Decimal,
              final: bool) -> None:
        since = loan.repayments[-1][0] if loan.repayments else loan.disbursed
        rate = loan.rate or ZERO
        interest = (principal * rate * (day - since).days / 365).quantize(FEN, ROUND_HALF_UP)
        lines = (f'{day} * "{member.name}" "{"还本付息" if interest else "归还借款"}"\n'
                 f"  {BANK:<32} {money(principal + interest):>10} CNY\n"
                 f"  Assets:Loans:{loan.id:<19} {money(-principal):>10} CNY\n")
        if interest:
            lines += f"  {'Income:Interest:Loans':<32} {money(-interest):>10} CNY\n"
        self.emit(day, lines)
        loan.repayments.append((day, principal, interest))
        self.move(day, cash={BANK: principal + interest}, loans=-principal, spendable=interest)
        self.stats["repayments"] += 1
        if final:
            assert loan.outstanding(day) == 0
            member.loan_busy = False
            if self.rng.random() < 0.3:
                self.at(self.later(day, 1, 20), self.close_loan, loan)

    def close_loan(self, day: Date, loan: LoanTally) -> None:
        loan.closed = day
        self.emit(day, f"{day} close Assets:Loans:{loan.id}\n")
        self.stats["closed"] += 1

    def reschedule(self, day: Date, loan: LoanTally, new_due: Date) -> None:
        loan.reschedules.append((day, new_due))
        self.emit(day, f'{day} custom "reschedule" "{loan.id}" {new_due}\n'
                       f'  minutes: "{self.minutes(day)}"\n')
        self.stats["reschedules"] += 1

    def approve_write_off(self, day: Date, loan: LoanTally, member: MemberRec) -> None:
        loan.write_off_approvals.append(day)
        self.emit(day, f'{day} custom "write-off" "{loan.id}"\n  minutes: "{self.minutes(day)}"\n')
        self.at(self.later(day, 0, 15), self.write_off, loan)

    def write_off(self, day: Date, loan: LoanTally) -> None:
        amount = loan.outstanding(day)
        self.emit(day, f'{day} * "核销呆账" "借款 {loan.id} 经批准核销"\n'
                       f"  {LOSSES:<32} {money(amount):>10} CNY\n"
                       f"  Assets:Loans:{loan.id:<19} {money(-amount):>10} CNY\n")
        loan.write_offs.append((day, amount))
        self.move(day, loans=-amount, principal=-amount)
        self.stats["write_offs"] += 1

    # -- writing the files
    def write(self, directory: Path) -> tuple[Path, list[Path]]:
        directory.mkdir(parents=True, exist_ok=True)
        start = Date(self.first_year, 1, 1)
        head = [
            'option "title" "某县困难党员帮扶基金"\n',
            'option "operating_currency" "CNY"\n',
            'plugin "fundledger.plugin"\n',
            "\n",
        ]
        head += [f'include "{y}.beancount"\n' for y in self.lines]
        head.append("\n")
        accounts = {BANK: "帮扶基金专户", PETTY: "走访慰问备用金"}
        for account, title in accounts.items():
            head.append(f'{start} open {account:<32} CNY\n  name: "{title}"\n')
        for account, (title, pool) in SOURCES.items():
            head.append(f'{start} open {account:<32} CNY\n  name: "{title}"\n')
            if pool:
                head.append(f'  pool: "{pool}"\n')
        for account, title in ((VISITS, "走访慰问"), (MEDICAL, "医疗救助"),
                               (LOSSES, "呆账核销"), (FEES, "银行手续费")):
            head.append(f'{start} open {account:<32} CNY\n  name: "{title}"\n')
        head.append("\n")
        policy = [
            ("loan-max", "5000 CNY"), ("loan-min", "3000 CNY"), ("loan-term-months", "24"),
            ("loan-extension-months", "12"), ("loan-annual-quota", "50"),
            ("loan-per-member", "1"), ("loan-rate-max", str(LOAN_RATE_MAX)),
            ("guarantor-required", "TRUE"), ("fiscal-allowed", "TRUE"), ("publicity-days", "5"),
            ("review-valid-months", "12"),
            ("steps-loan", '"branch-review publicity approve inspect"'),
            ("steps-relief", '"branch-review publicity approve"'),
            ("application-exempt", f'"{VISITS}"'),
        ]
        head += [f'{start} custom "fund-policy" "{k}" {v}\n' for k, v in policy]
        if self.first_year <= 2023 <= self.last_year:
            head.append('2023-01-01 custom "fund-policy" "publicity-days" 7\n')
        main = directory / "main.beancount"
        main.write_text("".join(head), encoding="utf-8")
        files = [main]
        for year, lines in self.lines.items():
            path = directory / f"{year}.beancount"
            path.write_text(f"; {year} 年度\n\n" + "\n".join(lines), encoding="utf-8")
            files.append(path)
        return main, files


def generate(directory: Path | str, seed: int = 2025, first_year: int = 2020,
             last_year: int = 2025) -> County:
    """Write the county ledger into ``directory``; what it should report, tallied independently."""
    gen = _Generator(seed, first_year, last_year)
    gen.run()
    main, files = gen.write(Path(directory))
    return County(main, files, first_year, last_year, gen.moves, gen.loans, gen.releases,
                  gen.stats)


if __name__ == "__main__":
    county = generate(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2025)
    print(county.main)
    for key, value in sorted(county.stats.items()):
        print(f"{key:28} {value}")
    for year in county.years:
        print(year, {k: str(v) for k, v in county.position(Date(year, 12, 31)).items()})
