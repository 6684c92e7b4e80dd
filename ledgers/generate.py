#!/usr/bin/env python3
"""Generate the four demo fund ledgers under ledgers/ (stdlib only, fixed seeds).

    python ledgers/generate.py

rewrites ledgers/county/, ledgers/prefecture/, ledgers/taxbureau/ and ledgers/district/.
Each fund is planned as objects first (members, applications, loans, payments), then the
pools and cash are simulated day by day to size the committee's releases and the deposit
interest, the plan is checked against the ledger convention (docs: /work/shared/SPEC.md),
and only then written out as a multi-file beancount ledger.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import shutil
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
D = Decimal
CENT = D("0.01")
ZERO = D("0")


def m(x) -> Decimal:
    """Money: a Decimal rounded to the fen."""
    return D(str(x)).quantize(CENT, ROUND_HALF_UP)


def day(y: int, mo: int, d: int) -> dt.date:
    return dt.date(y, mo, d)


def plus(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def add_months(d: dt.date, n: int) -> dt.date:
    y, mo = divmod(d.month - 1 + n, 12)
    y += d.year
    mo += 1
    return dt.date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))


def wd(d: dt.date) -> dt.date:
    """The next working day (offices meet Monday to Friday)."""
    while d.weekday() >= 5:
        d = plus(d, 1)
    return d


def rand_day(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    return plus(a, rng.randint(0, (b - a).days))


def q(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def amt(x) -> str:
    return f"{m(x):.2f} CNY"


# ---------------------------------------------------------------------------------------
# Names (台帐 needs realistic names; the notice masks them)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤舒查俞詹胡柯章项凌"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫")
MALE_A = "建国志德金永文立春新长学光明玉振树家宏卫红胜来水福运庆兴国忠世良有成"
MALE_B = "国明强华平林军生荣才民良福贵海忠祥成辉伟斌东山发根义富全胜清茂元松"
FEMALE_A = "秀桂玉金春美凤月翠淑丽爱冬小兰素雪红彩银巧"
FEMALE_B = "英兰珍芳华梅花霞莲娥琴芬凤云香红娟萍菊妹琼"
MINORITY = ("阿依古丽·买买提", "热合曼·阿不都", "古丽娜尔·吐尔逊", "艾力·买买提", "努尔兰·沙吾提")


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def take(self, name: str) -> str:
        assert name not in self.used, name
        self.used.add(name)
        return name

    def surname(self) -> str:
        n = len(SURNAMES)
        i = min(int(self.rng.expovariate(1 / 22)), n - 1)
        return SURNAMES[i]

    def given(self, female: bool | None = None) -> str:
        r = self.rng
        if female is None:
            female = r.random() < 0.3
        a, b = (FEMALE_A, FEMALE_B) if female else (MALE_A, MALE_B)
        if r.random() < 0.15:
            return r.choice(b)
        return r.choice(a) + r.choice(b)

    def new(self, female: bool | None = None, surname: str | None = None) -> str:
        for _ in range(1000):
            s = surname or self.surname()
            name = s + self.given(female)
            if name not in self.used and name[-1] != name[-2]:
                return self.take(name)
        raise RuntimeError("names exhausted")


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3579')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"


# ---------------------------------------------------------------------------------------
# Plan objects


class Member:
    def __init__(self, book, name, branch, category, contact, reg, tier, unit=None):
        book.nmember += 1
        self.id = f"M{book.nmember:04d}"
        self.name, self.branch, self.category, self.contact = name, branch, category, contact
        self.unit = unit  # township / work unit the branch belongs to
        self.reg = reg
        self.first_review = plus(reg, book.rng.randint(1, 3))
        self.tier0 = tier
        self.tier_changes: dict[int, str] = {}  # Dec/annual review of year Y gives this tier
        self.none_year: int | None = None  # the annual review of this year finds no hardship
        self.exit: dt.date | None = None
        self.exit_reason: str | None = None
        self.last_activity = self.first_review
        self.loans: list[Loan] = []
        self.children: list[str] = []
        self._reviews = None
        book.members.append(self)

    def touch(self, d):
        self.last_activity = max(self.last_activity, d)


class App:
    """An application (申报) and its workflow."""

    def __init__(self, book, member, kind, amount, purpose, applied):
        self.book, self.member, self.kind = book, member, kind
        self.amount, self.purpose, self.applied = m(amount), purpose, applied
        self.steps: list[tuple[str, dt.date]] = []
        self.approved: tuple[dt.date, Decimal, str] | None = None  # (date, amount, body)
        self.minutes: str | None = None
        self.rejected: tuple[dt.date, str] | None = None
        self.paid: list[tuple[dt.date, Decimal]] = []
        self.id = None
        book.apps.append(self)

    def step(self, name, d):
        last = self.steps[-1][1] if self.steps else self.applied
        assert d > last, (name, d, last)
        self.steps.append((name, d))
        return d

    def approve(self, d, amount, body):
        self.step("approve", d)
        self.approved = (d, m(amount), body)
        return d

    def run(self, rng, names, start_gap=(2, 5), gap=(1, 3), pub_gap=(7, 11)):
        """Walk the policy's steps up to approval; returns the approval date."""
        d = self.applied
        prev = None
        for name in names:
            if name == "approve":
                break
            if prev == "publicity":
                d = wd(plus(d, rng.randint(*pub_gap)))
            else:
                d = wd(plus(d, rng.randint(*(start_gap if prev is None else gap))))
            self.step(name, d)
            prev = name
        return wd(plus(d, rng.randint(*(pub_gap if prev == "publicity" else gap))))


class Loan:
    def __init__(self, app, disb, rate, due, guarantor):
        self.app, self.member, self.amount = app, app.member, app.amount
        self.disb, self.rate, self.due, self.guarantor = disb, rate, due, guarantor
        self.payments: list[tuple[dt.date, Decimal, Decimal]] = []  # (date, principal, interest)
        self.reschedule: tuple[dt.date, dt.date, str] | None = None
        self.writeoff: tuple[dt.date, dt.date, str] | None = None  # approval, posting, reason
        self.id = None

    def repaid(self):
        return sum((p for _, p, _ in self.payments), ZERO)

    def closed_on(self):
        """The day the loan reached zero (repaid or written off), or None."""
        if self.writeoff:
            return self.writeoff[1]
        if self.repaid() == self.amount:
            return self.payments[-1][0]
        return None


# ---------------------------------------------------------------------------------------
# The book: plan + simulation + rendering


def role(a: str) -> str:
    if a.startswith(("Assets:Bank:", "Assets:Cash:")):
        return "cash"
    if a.startswith("Assets:Loans:"):
        return "loan"
    if a.startswith("Income:") or a.startswith("Equity:Opening"):
        return "source"
    if a.startswith("Expenses:Relief:"):
        return "relief"
    if a == "Expenses:Losses" or a.startswith("Expenses:Losses:"):
        return "loss"
    if a == "Expenses:Fees" or a.startswith("Expenses:Fees:"):
        return "fees"
    raise ValueError(f"account outside the fund's roles: {a}")


class Ref:
    """A value rendered late (IDs are numbered after planning)."""

    def __init__(self, fn):
        self.fn = fn


def metaval(v) -> str:
    if isinstance(v, Ref):
        v = v.fn()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal | int):
        return str(v)
    return q(v)


def meta_text(meta, indent="  "):
    return "".join(f"\n{indent}{k}: {metaval(v)}" for k, v in (meta or {}).items() if v is not None)


class Book:
    def __init__(self, key, title, seed, start, cutoff, review_valid_days=360):
        self.key, self.title, self.start, self.cutoff = key, title, start, cutoff
        self.rng = random.Random(seed)
        self.names = Names(self.rng)
        self.entries: list[tuple[str, dt.date, int, object]] = []  # (file, date, seq, text|fn)
        self.seq = 0
        self.ops: list[tuple[dt.date, int, str, object]] = []
        self.pools: dict[str, str] = {}
        self.opened: dict[str, dt.date] = {}
        self.members: list[Member] = []
        self.nmember = 0
        self.apps: list[App] = []
        self.loans: list[Loan] = []
        self.relief_paid: list[tuple[dt.date, Member, str, Decimal, App | None, dict]] = []
        self.review_valid_days = review_valid_days
        self.file_order: list[str] = []
        self.meetings: set = set()
        self.minutes_no: dict = {}

    # --- low-level emission
    def put(self, f, d, text):
        assert self.start <= d <= self.cutoff, (self.key, d, f)
        self.seq += 1
        self.entries.append((f, d, self.seq, text))

    def open(self, f, d, acct, name, pool=None, ops=True):
        assert acct not in self.opened, acct
        role(acct)
        self.opened[acct] = d
        if role(acct) == "source":
            self.pools[acct] = pool or ("spendable" if acct.startswith("Income:Interest") else "principal")
        self.put(f, d, f"{d} open {acct} CNY" + meta_text({"name": name, "pool": pool}))

    def close(self, f, d, acct):
        self.put(f, d, f"{d} close {acct}")

    def custom(self, f, d, typ, *values, meta=None):
        def render():
            vals = " ".join(metaval(v) if not isinstance(v, Raw) else v.s for v in values)
            return f"{d} custom {q(typ)} {vals}" + meta_text(meta)
        self.put(f, d, render)

    def policy(self, f, d, key, value):
        self.custom(f, d, "fund-policy", key, value)

    def tx(self, f, d, payee, narration, postings, meta=None, elide=True):
        """postings: [(account, amount, meta|None)]; the last one's amount is elided."""
        postings = [(a, m(x), pm) for a, x, pm in postings]
        assert sum(x for _, x, _ in postings) == 0, (d, narration, postings)
        for a, _, _ in postings:
            assert a in self.opened and self.opened[a] <= d, (a, d)

        def render():
            head = f"{d} * {q(payee)} {q(narration)}" if payee else f"{d} * {q(narration)}"
            lines = [head + meta_text(meta)]
            for i, (a, x, pm) in enumerate(postings):
                if elide and i == len(postings) - 1 and not pm:
                    lines.append(f"  {a}")
                else:
                    lines.append(f"  {a:<36} {x:>10.2f} CNY" + meta_text(pm, "    "))
            return "\n".join(lines)

        self.put(f, d, render)
        self.ops.append((d, self.seq, "tx", [(a, x) for a, x, _ in postings]))

    def release(self, f, d, amount, minutes, note):
        self.custom(f, d, "release", Raw(amt(amount)), meta={"minutes": minutes, "note": note})
        self.ops.append((d, self.seq, "release", m(amount)))

    # --- members
    def annual_review_date(self, y: int, mb: Member) -> dt.date | None:
        raise NotImplementedError

    def reviews(self, mb: Member):
        if mb._reviews is not None:
            return mb._reviews
        out = [(mb.first_review, mb.tier0)]
        tier = mb.tier0
        for y in range(mb.first_review.year, self.cutoff.year + 1):
            rd = self.annual_review_date(y, mb)
            if rd is None or rd <= mb.first_review or rd > self.cutoff:
                continue
            if mb.exit and rd >= mb.exit:
                break
            tier = "none" if mb.none_year == y else mb.tier_changes.get(y, tier)
            out.append((rd, tier))
            if tier == "none":
                break
        return out

    def freeze(self):
        for mb in self.members:
            mb._reviews = self.reviews(mb)

    def eligible(self, mb: Member, d: dt.date) -> bool:
        if d <= mb.first_review or (mb.exit and d >= mb.exit):
            return False
        last = None
        for rd, t in self.reviews(mb):
            if rd < d:
                last = (rd, t)
        return bool(last) and last[1] != "none" and (d - last[0]).days <= self.review_valid_days

    def tier_on(self, mb, d):
        last = None
        for rd, t in self.reviews(mb):
            if rd < d:
                last = t
        return last

    def active(self, mb, d):
        """Registered, not exited and not found out of hardship: may still be helped."""
        return self.eligible(mb, d)

    # --- simulation of cash and pools (SPEC §1)
    def simulate(self):
        """Day-end states: {date: (cash by account, principal, spendable, loans, outflow)}."""
        ops = sorted(self.ops, key=lambda o: (o[0], o[1]))
        cash = defaultdict(lambda: ZERO)
        principal = spendable = loans = ZERO
        states = {}
        i = 0
        while i < len(ops):
            d = ops[i][0]
            start_spendable = spendable
            out = ZERO
            while i < len(ops) and ops[i][0] == d:
                _, _, kind, data = ops[i]
                if kind == "release":
                    principal -= data
                    spendable += data
                else:
                    for a, x in data:
                        r = role(a)
                        if r == "cash":
                            cash[a] += x
                        elif r == "loan":
                            loans += x
                        elif r == "source":
                            if self.pools[a] == "spendable":
                                spendable -= x
                            else:
                                principal -= x
                        elif r in ("relief", "fees"):
                            spendable -= x
                            out += x
                        elif r == "loss":
                            principal -= x
                i += 1
            states[d] = (dict(cash), principal, spendable, loans, start_spendable - out)
        return states

    def check_positions(self):
        states = self.simulate()
        for d, (cash, principal, spendable, loans, worst) in states.items():
            for a, x in cash.items():
                assert x >= 0, (self.key, d, a, x)
            assert spendable >= 0 and worst >= 0, (self.key, d, spendable, worst)
            assert principal >= 0, (self.key, d, principal)
            assert sum(cash.values()) == principal + spendable - loans, (self.key, d)
        return states

    def cash_daily(self, account, until):
        """End-of-day balance of one cash account for every day up to ``until``."""
        ops = sorted(self.ops, key=lambda o: (o[0], o[1]))
        deltas = defaultdict(lambda: ZERO)
        for d, _, kind, data in ops:
            if kind == "tx":
                for a, x in data:
                    if a == account:
                        deltas[d] += x
        out = {}
        bal = ZERO
        d = self.start
        while d <= until:
            bal += deltas.get(d, ZERO)
            out[d] = bal
            d = plus(d, 1)
        return out

    def deposit_interest(self, f_of, account, income, rates, payee):
        """Quarterly demand-deposit interest (结息日 the 20th of Mar/Jun/Sep/Dec, 积数/360)."""
        d = self.start
        settle = []
        for y in range(self.start.year, self.cutoff.year + 1):
            for mo in (3, 6, 9, 12):
                s = day(y, mo, 21)
                if self.start < s <= self.cutoff:
                    settle.append(s)
        prev = self.start
        for s in settle:
            bal = self.cash_daily(account, s)
            acc = ZERO
            t = prev
            while t < s:
                acc += bal[t]
                t = plus(t, 1)
            rate = rates(s)
            interest = m(acc * rate / 360)
            if interest > 0:
                self.tx(f_of(s), s, payee, "活期存款结息", [
                    (account, interest, None), (income, -interest, None)])
            prev = s
        return d

    # --- meetings: minutes numbered per body and year in date order
    def meeting(self, body, d):
        self.meetings.add((body, d))
        return Ref(lambda: self.minutes_no[(body, d)])

    def minutes_format(self, body, year, n):
        return f"{body}会议纪要〔{year}〕{n}号"

    def number_meetings(self):
        self.minutes_no = {}
        count = defaultdict(int)
        for body, d in sorted(self.meetings, key=lambda x: (x[1], x[0])):
            count[(body, d.year)] += 1
            self.minutes_no[(body, d)] = self.minutes_format(body, d.year, count[(body, d.year)])

    # --- rendering of the plan
    def emit_members(self, f_of):
        for mb in self.members:
            self.custom(f_of(mb.reg), mb.reg, "member", mb.id, meta={
                "name": mb.name, "branch": mb.branch, "category": mb.category,
                "contact": mb.contact})
            for rd, tier in self.reviews(mb):
                self.custom(f_of(rd), rd, "review", mb.id, tier)
            if mb.exit:
                self.custom(f_of(mb.exit), mb.exit, "exit", mb.id, meta={"reason": mb.exit_reason})

    def emit_apps(self, f_of):
        for a in self.apps:
            ref = Ref(lambda a=a: a.id)
            self.custom(f_of(a), a.applied, "apply", ref, a.member.id, a.kind, Raw(amt(a.amount)),
                        meta={"purpose": a.purpose})
            for name, d in a.steps:
                if name == "approve":
                    _, amount, body = a.approved
                    self.custom(f_of(a, d), d, "approve", ref, Raw(amt(amount)), meta={
                        "body": body, "minutes": self.meeting(body, d)})
                else:
                    self.custom(f_of(a, d), d, name, ref)
            if a.rejected:
                d, reason = a.rejected
                self.custom(f_of(a, d), d, "reject", ref, meta={"reason": reason})

    # --- numbering and writing
    def number(self):
        """Number applications and loans in date order within each year."""
        by_year = defaultdict(list)
        for a in self.apps:
            by_year[a.applied.year].append(a)
        for y, apps in by_year.items():
            apps.sort(key=lambda a: (a.applied, a.member.id))
            for i, a in enumerate(apps, 1):
                a.id = f"A{y}-{i:03d}"
        by_year = defaultdict(list)
        for ln in self.loans:
            by_year[ln.disb.year].append(ln)
        for y, loans in by_year.items():
            loans.sort(key=lambda ln: (ln.disb, ln.app.id))
            for i, ln in enumerate(loans, 1):
                ln.id = f"L{y}-{i:03d}"

    def write(self, main_head: str):
        out = HERE / self.key
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        files = defaultdict(list)
        for f, d, seq, text in self.entries:
            files[f].append((d, seq, text))
        order = [f for f in self.file_order if f in files] + sorted(set(files) - set(self.file_order))
        sizes = {}
        for f in order:
            items = sorted(files[f], key=lambda e: (e[0], e[1]))
            body = [FILE_HEADS.get(f.split("/")[-1], "") .format(title=self.title, year=f.split("/")[0])]
            for _, _, text in items:
                body.append((text() if callable(text) else text) + "\n")
            p = out / f
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("\n".join(s for s in body if s) , encoding="utf-8")
            sizes[f] = p.stat().st_size
        inc = "\n".join(f'include "{f}"' for f in order)
        main = main_head.rstrip() + "\n\n" + inc + "\n"
        (out / "main.beancount").write_text(main, encoding="utf-8")
        return sizes


class Raw:
    def __init__(self, s):
        self.s = s


FILE_HEADS = {
    "accounts.beancount": "; {title}: 账户（Accounts）\n",
    "policy.beancount": "; {title}: 基金政策（Fund policy, SPEC §3）\n",
    "members.beancount": "; {year}: 建档立卡、年度审核、退出（Members, reviews, exits）\n",
    "funding.beancount": "; {year}: 资金筹集（Money raised）\n",
    "loans.beancount": "; {year}: 有偿扶助借款：申报、审批、发放、展期、核销（Loans）\n",
    "repayments.beancount": "; {year}: 还本付息（Repayments）\n",
    "relief.beancount": "; {year}: 无偿救济：申报、审批、发放（Relief）\n",
    "visits.beancount": "; {year}: 七一、春节等走访慰问（Holiday visits）\n",
    "subsidies.beancount": "; {year}: 每月定补（Monthly subsidies）\n",
    "treasury.beancount": "; {year}: 资金调剂、存款利息、手续费、对账（Releases, interest, fees, balances）\n",
}


def main_head(title, extra=""):
    return (
        f'option "title" {q(title)}\n'
        'option "operating_currency" "CNY"\n\n'
        'plugin "fundledger.plugin"\n' + extra
    )
