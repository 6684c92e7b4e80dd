"""Synthetic fund ledgers of any size, written to the SPEC, for benchmarks and scale tests.

    python -m fundledger.synth OUT_DIR --transactions 100000 [--years 10] [--seed 1] [--bare]

A county revolving fund kept for ``years`` years, shaped like the seeds (DOMAIN.md): about
one registered member in hardship (建档立卡) for every eight transactions a year, all reviewed
each January, a few leaving in November and as many registered in February; about fifty loans
a year through the whole workflow, most repaid in two instalments with interest, some late,
some rescheduled, a few written off after a ``write-off`` decision; Spring Festival and 七一
visits; medical aid, education grants and quarterly subsidies, each by application; dues,
a fiscal grant, deposit interest, a yearly release and bank fees; and the one-day-pay drive
(一日捐) filling the rest. Nothing is dated after the last year, so the latest loans are still
outstanding. The ledger checks clean and the same arguments always write the same files;
``--bare`` leaves out the plugin line (for comparison).
"""

from __future__ import annotations

import argparse
import datetime
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .dates import ONE_DAY as DAY
from .dates import add_months

D = datetime.date
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "秀兰金明建国桂英志强玉华春梅德福永红海燕文军丽娟树林淑珍少华晓东家顺"
BRANCHES = ["中田村党支部", "上坪村党支部", "柳塘村党支部", "城西社区党支部", "卢村党支部"]
TIERS = ["general", "general", "relative", "relative", "special"]
SUBSIDY = {"general": 100, "special": 200}  # the policy defaults (SPEC §3)
CHILDREN = ["长子", "长女", "次子", "次女"]
RATE = Decimal("0.0435")

HEADER = """\
option "title" "{title}"
option "operating_currency" "CNY"
{plugin}
{first}-01-01 open Assets:Bank:Fund CNY
  name: "帮扶基金专户"
{first}-01-01 open Income:Donations:OneDay CNY
  name: "一日捐"
{first}-01-01 open Income:Dues CNY
  name: "留存党费划拨"
  pool: "spendable"
{first}-01-01 open Income:Fiscal:County CNY
  name: "县财政补助"
{first}-01-01 open Income:Interest:Loans CNY
  name: "借款利息"
{first}-01-01 open Income:Interest:Deposits CNY
  name: "存款利息"
{first}-01-01 open Expenses:Relief:Visits CNY
  name: "走访慰问"
{first}-01-01 open Expenses:Relief:Medical CNY
  name: "医疗救助"
{first}-01-01 open Expenses:Relief:Education CNY
  name: "助学"
{first}-01-01 open Expenses:Relief:Subsidy CNY
  name: "生活补助"
{first}-01-01 open Expenses:Fees:Bank CNY
  name: "银行手续费"
{first}-01-01 open Expenses:Losses:BadDebt CNY
  name: "借款核销"
{first}-01-01 open Equity:Opening-Balances CNY
  name: "原基金划转"
{first}-01-01 * "县委组织部" "基金启动资金"
  Assets:Bank:Fund  {opening}.00 CNY
  Equity:Opening-Balances
{first}-01-01 custom "fund-policy" "loan-min" 3000 CNY
{first}-01-01 custom "fund-policy" "loan-rate-max" 0.0435
"""


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


class _Ledger:
    """Dated text blocks, filed by year; transactions counted per year to size the drive."""

    def __init__(self, end: D):
        self.end = end
        self.blocks: dict[int, list[tuple[D, str]]] = defaultdict(list)
        self.transactions: dict[int, int] = defaultdict(int)

    def add(self, day: D, text: str, transaction: bool = True) -> bool:
        if day > self.end:  # the books stop at the end of the last year
            return False
        self.blocks[day.year].append((day, text))
        if transaction:
            self.transactions[day.year] += 1
        return True


class _Fund:
    def __init__(self, rng: random.Random, ledger: _Ledger, members: int, first: int):
        self.rng, self.ledger, self.first = rng, ledger, first
        self.names: list[str] = []
        self.active: list[int] = []
        self.free_from: dict[int, D] = {}  # a member may borrow again from this day (FL305)
        self.grants: set[tuple[int, str]] = set()  # (member, child) given an education grant
        self.minutes = 0
        self.register(D(first, 1, 1), members, review=False)

    def mid(self, m: int) -> str:
        return f"M{m:06d}"

    def minute(self, year: int) -> str:
        self.minutes += 1
        return f"〔{year}〕{self.minutes}号"

    def register(self, day: D, count: int, review: bool) -> list[int]:
        new = []
        for _ in range(count):
            m = len(self.names)
            self.names.append(_name(self.rng))
            self.ledger.add(day, f'{day} custom "member" "{self.mid(m)}"\n  name: "{self.names[m]}"\n'
                                 f'  branch: "{self.rng.choice(BRANCHES)}"\n', False)
            if review:
                self.ledger.add(day + 2 * DAY, f'{day + 2 * DAY} custom "review" "{self.mid(m)}" '
                                               f'"{self.rng.choice(TIERS)}"\n', False)
            new.append(m)
        self.active.extend(new)
        return new

    def apply(self, day: D, app: str, m: int, kind: str, amount: int, purpose: str) -> D:
        """An application through branch review, publicity and approval; the approval date."""
        y = day.year
        steps = [(day, f'{day} custom "apply" "{app}" "{self.mid(m)}" "{kind}" {amount} CNY\n'
                       f'  purpose: "{purpose}"\n'),
                 (day + 2 * DAY, f'{day + 2 * DAY} custom "branch-review" "{app}"\n'),
                 (day + 3 * DAY, f'{day + 3 * DAY} custom "publicity" "{app}"\n'),
                 (day + 10 * DAY, f'{day + 10 * DAY} custom "approve" "{app}" {amount} CNY\n'
                                  f'  body: "乡党委"\n  minutes: "{self.minute(y)}"\n')]
        if kind == "loan":
            steps.append((day + 12 * DAY, f'{day + 12 * DAY} custom "inspect" "{app}"\n'))
        for when, text in steps:
            self.ledger.add(when, text, False)
        return steps[-1][0]

    def relief(self, day: D, account: str, m: int, amount: int, app: str | None = None,
               extra: str = "", narration: str = "救助") -> int:
        meta = f'    member: "{self.mid(m)}"\n' + (f'    application: "{app}"\n' if app else "") + extra
        added = self.ledger.add(day, f'{day} * "{narration}"\n  {account}  {amount}.00 CNY\n{meta}'
                                     f'  Assets:Bank:Fund\n')
        return amount if added else 0

    def loan(self, y: int, k: int, m: int, start: D) -> None:
        rng, add = self.rng, self.ledger.add
        app, loan = f"A{y}-{k:03d}", f"L{y}-{k:03d}"
        amount = rng.randrange(30, 51) * 100
        day = self.apply(start, app, m, "loan", amount, "种养殖") + 3 * DAY
        due = add_months(day, 24)
        account = f"Assets:Loans:{loan}"
        add(day, f"{day} open {account} CNY\n", False)
        add(day, f'{day} * "{self.names[m]}" "借款"\n  application: "{app}"\n  due: {due}\n'
                 f'  guarantor: "村党支部"\n  rate: 0.0435\n  {account}  {amount}.00 CNY\n'
                 f'  Assets:Bank:Fund\n')
        interest = (Decimal(amount) * RATE).quantize(Decimal("0.01"))
        half = amount // 2
        outcome = rng.random()
        plan: list[tuple[D, int]] = []
        settled = None  # the day the loan's balance reaches zero
        if outcome < 0.05:  # bullet: all at once, shortly before the due date
            plan = [(due - rng.randrange(1, 60) * DAY, amount)]
        elif outcome < 0.13:  # late: the second half comes after the due date (overdue a while)
            plan = [(add_months(day, 12), half), (due + rng.randrange(60, 400) * DAY, amount - half)]
        elif outcome < 0.18:  # rescheduled (展期) before the due date, repaid by the new one
            new_due = add_months(due, rng.choice((6, 12)))
            add(due - 30 * DAY, f'{due - 30 * DAY} custom "reschedule" "{loan}" {new_due}\n'
                                f'  minutes: "{self.minute((due - 30 * DAY).year)}"\n', False)
            plan = [(add_months(day, 12), half), (new_due - rng.randrange(1, 30) * DAY, amount - half)]
        elif outcome < 0.21:  # defaulted: half repaid, the rest written off (核销) half a year late
            plan = [(add_months(day, 12), half)]
            settled = due + 180 * DAY
            if add(settled, f'{settled} custom "write-off" "{loan}"\n'
                            f'  minutes: "{self.minute(settled.year)}"\n', False):
                add(settled, f'{settled} * "借款核销"\n  Expenses:Losses:BadDebt  {amount - half}.00 CNY\n'
                             f'  {account}  -{amount - half}.00 CNY\n')
        else:
            plan = [(add_months(day, 12), half), (due - DAY, amount - half)]
        for when, part in plan:
            add(when, f'{when} * "{self.names[m]}" "还本付息"\n'
                      f'  Assets:Bank:Fund  {part + interest} CNY\n'
                      f'  {account}  -{part}.00 CNY\n  Income:Interest:Loans  -{interest} CNY\n')
        settled = max([settled or plan[-1][0]] + [when for when, _ in plan])
        self.free_from[m] = settled + DAY
        add(settled + DAY, f"{settled + DAY} close {account}\n", False)  # dropped if still open

def write(out: Path, transactions: int, years: int = 10, seed: int = 1, bare: bool = False,
          first_year: int = 2015, title: str | None = None) -> Path:
    """Write a fund ledger of about ``transactions`` transactions; return its main file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    per_year = max(transactions // years, 200)
    loans_per_year = min(50, per_year // 20)
    members = max(4 * loans_per_year + 10, per_year // 8)
    visits = min(2 * members, max(per_year // 10, 20))
    subsidised = max(1, members // 40)
    medical = max(2, per_year // 150)
    education = max(1, per_year // 600)
    last = first_year + years - 1
    ledger = _Ledger(D(last, 12, 31))
    fund = _Fund(rng, ledger, members, first_year)
    relief_total: dict[int, int] = defaultdict(int)
    for y in range(first_year, last + 1):
        add = ledger.add
        old = list(fund.active)  # newcomers are helped from their first January review
        tiers = {}
        for m in old:
            tiers[m] = "none" if rng.random() < 0.02 else rng.choice(TIERS)
            add(D(y, 1, 2), f'{y}-01-02 custom "review" "{fund.mid(m)}" "{tiers[m]}"\n', False)
        if y > first_year:  # as many registered in February as left last November
            fund.register(D(y, 2, 1), members - len(fund.active), review=True)
        helped = [m for m in old if tiers[m] != "none"]
        add(D(y, 1, 4), f'{y}-01-04 custom "release" 1000 CNY\n  minutes: "{fund.minute(y)}"\n', False)
        for i in range(visits):
            day = D(y, 6, 25) if i % 2 else D(y, 1, 20)
            relief_total[y] += fund.relief(day, "Expenses:Relief:Visits", rng.choice(helped),
                                           rng.choice((200, 300, 500)), narration="走访慰问")
        paid_monthly = [m for m in helped if tiers[m] in SUBSIDY]
        subsidy_members = sorted(rng.sample(paid_monthly, min(subsidised, len(paid_monthly))))
        for n, m in enumerate(subsidy_members):
            rate = SUBSIDY[tiers[m]]
            app = f"S{y}-{n:04d}"
            fund.apply(D(y, 2, 5), app, m, "relief", rate * 12, "生活补助")
            for month in (3, 6, 9, 12):
                relief_total[y] += fund.relief(D(y, month, 10), "Expenses:Relief:Subsidy", m, rate * 3,
                                               app, "    months: 3\n", "生活补助")
        for n in range(medical):
            m = rng.choice(helped)
            app = f"R{y}-{n:04d}"
            amount = rng.randrange(10, 81) * 100
            day = D(y, 3, 1) + rng.randrange(0, 240) * DAY
            paid = fund.apply(day, app, m, "relief", amount, "大病医疗") + 5 * DAY
            relief_total[y] += fund.relief(paid, "Expenses:Relief:Medical", m, amount, app,
                                           narration="医疗救助")
        for n in range(education):
            m = rng.choice(helped)
            child = next((c for c in CHILDREN if (m, c) not in fund.grants), None)
            if child is None:
                continue
            fund.grants.add((m, child))
            app = f"E{y}-{n:04d}"
            paid = fund.apply(D(y, 8, 1) + n % 10 * DAY, app, m, "relief", 1000, "子女考入大学")
            relief_total[y] += fund.relief(paid + 5 * DAY, "Expenses:Relief:Education", m, 1000, app,
                                           f'    child: "{child}"\n', "助学")
        borrowers = iter(sorted(helped, key=lambda m: (fund.free_from.get(m, D.min), m)))
        for k in range(loans_per_year):
            start = D(y, 3, 1) + k * 4 * DAY
            m = next(borrowers, None)
            if m is None or fund.free_from.get(m, D.min) > start:
                break  # nobody free to borrow: fewer loans this year
            fund.free_from[m] = D.max
            fund.loan(y, k, m, start)
        for month in range(1, 13):  # January's allocation covers the year's relief
            amount = relief_total[y] + 100 if month == 1 else 100
            add(D(y, month, 5), f'{y}-{month:02d}-05 * "县委组织部" "党费划拨"\n'
                                f'  Assets:Bank:Fund  {amount}.00 CNY\n  Income:Dues\n')
        add(D(y, 5, 15), f'{y}-05-15 * "县财政局" "财政补助"\n  Assets:Bank:Fund  '
                         f'{rng.randrange(10, 51) * 1000}.00 CNY\n  Income:Fiscal:County\n')
        for q in (3, 6, 9, 12):
            add(D(y, q, 21), f'{y}-{q:02d}-21 * "银行" "存款利息"\n  Assets:Bank:Fund  '
                             f'{rng.randrange(100, 900)}.{rng.randrange(100):02d} CNY\n'
                             f'  Income:Interest:Deposits\n')
            add(D(y, q, 28), f'{y}-{q:02d}-28 * "银行" "手续费"\n  Expenses:Fees:Bank  5.00 CNY\n'
                             f'  Assets:Bank:Fund\n')
        busy = set(subsidy_members)
        leaving = [m for m in old if m not in busy and fund.free_from.get(m, D.min) <= D(y, 11, 20)]
        for m in sorted(rng.sample(leaving, min(len(leaving), members // 50))):
            add(D(y, 11, 20), f'{y}-11-20 custom "exit" "{fund.mid(m)}"\n  reason: "脱贫"\n', False)
            fund.active.remove(m)
    for y in range(first_year, last + 1):  # the one-day-pay drive fills each year to size
        campaign = f"{y}一日捐"
        donations = max(per_year - ledger.transactions[y] - (y == first_year), 10)
        for i in range(donations):
            day = D(y, 3, 1) + datetime.timedelta(days=i * 60 // donations)
            ledger.add(day, f'{day} * "{_name(rng)}" "{campaign}"\n  campaign: "{campaign}"\n'
                            f'  Assets:Bank:Fund  {rng.randrange(50, 400)}.00 CNY\n'
                            f'  Income:Donations:OneDay\n')
    main = out / "main.beancount"
    opening = 3 * loans_per_year * 5000 + 50000
    lines = [HEADER.format(title=title or f"合成测试基金（{transactions} 笔交易）",
                           plugin="" if bare else 'plugin "fundledger.plugin"',
                           first=first_year, opening=opening)]
    includes = []
    for y in sorted(ledger.blocks):
        blocks = sorted(ledger.blocks[y], key=lambda b: b[0])  # stable: same-day order kept
        part = out / f"{y}.beancount"
        part.write_text("\n".join(text for _, text in blocks), encoding="utf-8")
        includes.append(f'include "{part.name}"')
    main.write_text("\n".join(lines + includes) + "\n", encoding="utf-8")
    return main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--transactions", type=int, default=10000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-year", type=int, default=2015)
    parser.add_argument("--title", default=None)
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()
    print(write(args.out, args.transactions, args.years, args.seed, args.bare, args.first_year,
                args.title))


if __name__ == "__main__":
    main()
