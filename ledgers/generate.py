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


# =======================================================================================
# 1. The county revolving fund (seeds 001, 003) — the default demo

COUNTY_TOWNS = {
    "潭溪乡": ["文青村", "潭溪村", "石门村", "上坪村", "龙口村"],
    "社苹乡": ["社苹村", "下溪村", "枫林村", "高田村"],
    "熊村镇": ["熊村", "竹园村", "西山村", "柳塘村", "大坑村"],
    "中田乡": ["中田村", "水口村", "湖坑村", "岭脚村"],
    "日峰镇": ["城东社区", "城西社区", "杨梅村", "河口村", "茶岭村"],
    "宏村镇": ["宏村", "卢村", "屏山村", "塔川村"],
    "长岭乡": ["长岭村", "黄泥村", "桥头村"],
    "南山镇": ["南山村", "坪上村", "新塘村", "油坊村"],
}
LOAN_PURPOSES = [
    "养殖三元杂交猪", "烤烟种植", "食用菌种植", "特种水产养殖", "经营农家小超市", "茶叶种植",
    "油茶种植", "养殖蛋鸡", "养殖肉牛", "中药材种植", "竹木加工", "农家乐经营", "养蜂",
    "蔬菜大棚种植", "养殖山羊", "稻田养鱼", "水果种植", "经营小吃店", "农机维修", "香菇种植",
]
COUNTY_ORGANS = [
    "县委办机关党支部", "县政府办机关党支部", "县纪委监委机关党支部", "县委组织部机关党支部",
    "县委宣传部机关党支部", "县发改委机关党支部", "县财政局机关党支部", "县教育局机关党总支",
    "县公安局党委", "县民政局机关党支部", "县人社局机关党支部", "县自然资源局党支部",
    "县住建局机关党支部", "县交通运输局党支部", "县农业农村局党总支", "县水利局机关党支部",
    "县卫健委机关党支部", "县人民医院党委", "县审计局党支部", "县市场监管局党支部",
    "县税务局机关党委", "县供电公司党委", "县农商银行党委", "县文旅局机关党支部",
    "县总工会机关党支部", "团县委党支部", "县妇联党支部", "县统计局党支部",
]
COUNTY_COMPANIES = ["县农村商业银行", "徽茶茶业有限公司", "县建工集团有限公司", "绿源食品有限公司",
                    "县邮政分公司", "宏达竹木制品厂"]
FORCED_COUNTY = {3: "欧阳春华", 12: "司马德贵", 25: "上官秀英", 47: "阿依古丽·买买提",
                 88: "诸葛建平", 131: "欧阳桂兰", 170: "司马文清"}
FUND_GROUP = "县困难党员帮扶基金管理和监督小组"


class County(Book):
    def annual_review_date(self, y, mb):
        if y > 2025:
            return None  # the 2026 review falls after the ledger's last day
        off = (sum(map(ord, mb.branch)) % 3)
        return day(y, 12, 18 - 2 * (y - 2023) + off)


def county_member(b: County, reg, kind, name=None):
    rng = b.rng
    town = rng.choice(list(COUNTY_TOWNS))
    village = rng.choice(COUNTY_TOWNS[town])
    if kind == "pre1949":
        category = "pre-1949"
        tier = rng.choice(["relative", "special"])
    elif village.endswith("社区"):
        category = rng.choice(["urban", "urban", "laid-off"])
    else:
        category = "rural"
    if kind == "borrower":
        tier = rng.choices(["general", "relative", "special"], [50, 40, 10])[0]
    elif kind != "pre1949":
        tier = rng.choices(["general", "relative", "special"], [15, 45, 40])[0]
    forced = FORCED_COUNTY.get(b.nmember + 1)
    if name:
        b.names.take(name)
    elif forced:
        name = b.names.take(forced)
        if "·" in forced:
            town, village, category = "日峰镇", "城东社区", "urban"
    else:
        name = b.names.new(female=(rng.random() < (0.45 if kind != "borrower" else 0.2)))
    if kind in ("pre1949", "elder") and rng.random() < 0.5:
        contact = rng.choice(["跟踪联系人：村党支部书记", "跟踪联系人：村党支部组织委员",
                              "跟踪联系人：包村乡镇干部"])
    else:
        contact = phone(rng)
    mb = Member(b, name, f"{village}党支部", category, contact, reg, tier, unit=town)
    mb.kind = kind
    mb.village = village
    # dynamic management: a tier may move one step at an annual review
    t = tier
    for y in (2023, 2024, 2025):
        if rng.random() < 0.1:
            order = ["general", "relative", "special"]
            i = order.index(t) + rng.choice([-1, 1])
            t = order[max(0, min(2, i))]
            mb.tier_changes[y] = t
    return mb


def county_plan_loan(b: County, mb, applied, amount, purpose, rng, plan=None, rate=None,
                     reject=None):
    app = App(b, mb, "loan", amount, purpose, applied)
    d = app.run(rng, ["branch-review", "publicity", "approve", "inspect"])
    if reject:
        app.rejected = (d, reject)
        return None
    body = f"{mb.unit}党委"
    app.approve(d, amount, body)
    d = app.step("inspect", wd(plus(d, rng.randint(2, 6))))
    disb = wd(plus(d, rng.randint(3, 12)))
    assert b.eligible(mb, disb), (mb.id, disb)
    if rate is None:
        if mb.tier0 == "special":
            rate = rng.choices([D("0.0435"), D("0.0200"), D("0")], [40, 35, 25])[0]
        else:
            rate = rng.choices([D("0.0435"), D("0.0200"), D("0")], [86, 10, 4])[0]
    plan = plan or rng.choices(["annual", "two", "end", "three"], [25, 40, 20, 15])[0]
    due = add_months(disb, 12 if plan == "annual" else 24)
    guarantor = (f"{mb.unit}人民政府" if rng.random() < 0.6 else mb.branch)
    ln = Loan(app, disb, rate, due, guarantor)
    ln.plan = plan
    app.paid.append((disb, app.amount))
    mb.loans.append(ln)
    mb.touch(disb)
    b.loans.append(ln)
    # repayment schedule (两年还本): principal with simple interest on the balance
    amount = app.amount
    if plan == "annual":
        parts = [(rng.randint(300, 362), amount)]
    elif plan == "two":
        half = m(int(amount / 2 / 100) * 100)
        parts = [(rng.randint(345, 395), half), (rng.randint(670, 725), amount - half)]
    elif plan == "end":
        parts = [(rng.randint(560, 725), amount)]
    else:
        third = m(int(amount / 3 / 100) * 100)
        parts = [(rng.randint(230, 260), third), (rng.randint(470, 500), third),
                 (rng.randint(680, 725), amount - 2 * third)]
    bal = amount
    last = disb
    for days, p in parts:
        pd = min(plus(disb, days), due)
        interest = m(bal * rate * (pd - last).days / 365)
        ln.payments.append((pd, m(p), interest))
        bal -= p
        last = pd
    return ln


def county_interest(ln, pd, principal, last):
    bal = ln.amount - sum((p for d, p, _ in ln.payments if d < pd), ZERO)
    return m(bal * ln.rate * (pd - last).days / 365)


def build_county():
    b = County("county", "某县困难党员帮扶基金", seed=20230101,
               start=day(2023, 1, 1), cutoff=day(2026, 11, 20))
    rng = b.rng
    b.minutes_format = lambda body, y, n: (
        f"{body}〔{y}〕{n}号" if body == FUND_GROUP else f"{body}会议纪要〔{y}〕{n}号")

    # --- loans: about 50 a year (每年确定扶贫党员50名)
    quotas = {2023: 50, 2024: 50, 2025: 49, 2026: 44}
    borrowers: list[Member] = []
    rejects = {2023: 1, 2024: 2, 2025: 2, 2026: 1}
    for y, n in quotas.items():
        n_spring = round(n * 0.7)
        spring_start = day(y, 1, 10) if y == 2023 else day(y, 1, 6)
        dates = sorted(wd(rand_day(rng, spring_start, day(y, 3, 31))) for _ in range(n_spring))
        dates += sorted(wd(rand_day(rng, day(y, 7, 1), day(y, 9, 8))) for _ in range(n - n_spring))
        if y == 2023:
            dates[0] = day(2023, 1, 5)
        rej_at = set(rng.sample(range(3, n), rejects[y]))
        for i, ad in enumerate(dates):
            if y == 2023 and i == 0:
                # seed 003: 潭溪乡文青村 李金明, 5000 for cross-bred pigs, repaid at year end
                mb = Member(b, b.names.take("李金明"), "文青村党支部", "rural", phone(rng),
                            day(2023, 1, 3), "special", unit="潭溪乡")
                mb.kind, mb.village = "borrower", "文青村"
                mb.first_review = day(2023, 1, 4)
                borrowers.append(mb)
                app = App(b, mb, "loan", 5000, "养殖三元杂交猪", ad)
                app.step("branch-review", day(2023, 1, 6))
                app.step("publicity", day(2023, 1, 9))
                app.approve(day(2023, 1, 16), 5000, "潭溪乡党委")
                app.step("inspect", day(2023, 1, 18))
                disb = day(2023, 1, 30)
                ln = Loan(app, disb, D("0.0435"), add_months(disb, 24), "潭溪乡人民政府")
                ln.plan = "annual"
                app.paid.append((disb, app.amount))
                pd = day(2023, 12, 27)
                ln.payments.append((pd, m(5000), m(D(5000) * D("0.0435") * (pd - disb).days / 365)))
                mb.loans.append(ln)
                b.loans.append(ln)
                continue
            mb = None
            if rng.random() < 0.2:
                cands = [c for c in borrowers if c.exit is None and all(
                    ln.closed_on() and ln.closed_on() < plus(ad, -30) for ln in c.loans)
                    and c.loans and b.eligible(c, ad)]
                if cands:
                    mb = rng.choice(cands)
            if mb is None:
                reg = max(day(2023, 1, 3), wd(plus(ad, -rng.randint(8, 45))))
                mb = county_member(b, reg, "borrower")
                borrowers.append(mb)
            purpose = rng.choice(LOAN_PURPOSES)
            amount = rng.choice([3000, 3000, 3500, 4000, 4000, 4500, 5000, 5000, 5000])
            reason = None
            if i in rej_at:
                reason = rng.choice(["项目市场风险较大，经集体研究暂不予扶持",
                                     "申请人家庭收入已超过帮扶标准", "担保条件未落实"])
            county_plan_loan(b, mb, ad, amount, purpose, rng, reject=reason)

    loans = sorted(b.loans, key=lambda ln: ln.disb)
    # a write-off: a 2023 borrower dies with half the loan unpaid (核销)
    wo = next(ln for ln in loans if ln.disb.year == 2023 and ln.plan == "two" and ln.rate > 0
              and ln.disb.month >= 3 and len(ln.member.loans) == 1)
    wo.payments = wo.payments[:1]
    death = wd(day(2024, 8, 12))
    wo.member.exit, wo.member.exit_reason = death, "本人因病去世"
    approve_wo = day(2025, 4, 10)
    wo.writeoff = (approve_wo, day(2025, 4, 15),
                   "借款人已病故，家庭无偿还能力，经监督小组核实同意核销剩余本金")
    # a reschedule (展期): the 2024 flood ruined a borrower's crop
    rs = next(ln for ln in loans if ln.disb.year == 2024 and ln.plan == "two" and ln.rate > 0
              and day(2026, 3, 1) < ln.due < day(2026, 8, 31) and ln is not wo)
    rs.payments = rs.payments[:1]
    new_due = add_months(rs.due, 9)
    rs.reschedule = (wd(plus(rs.due, -20)), new_due,
                     "2024年洪灾致养殖项目受损，经集体研究同意展期")
    pd = day(2026, 9, 22)
    last = rs.payments[-1][0]
    rs.payments.append((pd, m(1000), county_interest(rs, pd, 1000, last)))
    # a handful overdue at the ledger's last day (逾期)
    overdue = [ln for ln in loans if day(2025, 9, 1) < ln.due < day(2026, 10, 31)
               and ln not in (wo, rs) and ln.payments[-1][0] >= plus(ln.due, -30)
               and len(ln.payments) >= 2]
    for k, ln in enumerate(rng.sample(overdue, 5)):
        keep = ln.payments[:-1]
        if k == 0:
            # paid part late, still owing
            last = keep[-1][0]
            pd = plus(ln.due, 25)
            if pd <= b.cutoff:
                keep.append((pd, m(500), county_interest(ln, pd, 500, last)))
        ln.payments = keep
        ln.overdue = True
    # drop what falls after the last day
    for ln in loans:
        ln.payments = [p for p in ln.payments if p[0] <= b.cutoff]
    # repeat borrowers may not hold two loans: verify
    for mb in borrowers:
        spans = sorted((ln.disb, ln.closed_on() or day(2100, 1, 1)) for ln in mb.loans)
        for (a1, c1), (a2, _) in zip(spans, spans[1:]):
            assert c1 < a2, (mb.id, spans)

    # --- exits: members out of hardship after repaying (脱贫退出), deaths, moves
    for mb in borrowers:
        if mb.exit or not mb.loans:
            continue
        closed = [ln.closed_on() for ln in mb.loans]
        if None in closed:
            continue
        done = max(closed)
        if done < day(2025, 10, 1) and rng.random() < 0.3:
            y = done.year if plus(done, 30) < b.annual_review_date(done.year, mb) else done.year + 1
            if y > 2025:
                continue
            mb.none_year = y
            mb.exit = wd(rand_day(rng, day(y + 1, 2, 20), day(y + 1, 3, 31)))
            mb.exit_reason = "家庭年收入已超过帮扶标准，经年度审核本人申请退出帮扶"

    # --- relief-only members: the old, the sick, members who joined before 1949
    carers: list[Member] = []
    for i in range(30):
        kind = "pre1949" if i < 6 else rng.choice(["elder", "elder", "ill"])
        reg = wd(rand_day(rng, day(2023, 1, 4), day(2023, 6, 2)))
        carers.append(county_member(b, reg, kind))
    for y in (2023, 2024, 2025, 2026):
        for _ in range(6):
            reg = wd(rand_day(rng, day(y, 7, 5), day(y, 11, 30)) if y < 2026
                     else rand_day(rng, day(2026, 1, 5), day(2026, 5, 30)))
            carers.append(county_member(b, reg, rng.choice(["elder", "ill", "ill"])))
    for mb in carers:
        p_die = 0.2 if mb.kind == "pre1949" else 0.05
        for y in (2023, 2024, 2025, 2026):
            if mb.exit is None and rng.random() < p_die:
                d = wd(rand_day(rng, day(y, 1, 1), day(y, 12, 31) if y < 2026 else day(2026, 10, 30)))
                if d > plus(mb.first_review, 60):
                    mb.exit, mb.exit_reason = d, "本人去世"
    movers = rng.sample([c for c in carers if c.exit is None and c.kind != "pre1949"], 2)
    for mb in movers:
        mb.exit = wd(rand_day(rng, day(2025, 4, 1), day(2025, 9, 30)))
        mb.exit_reason = "随子女迁居外省，组织关系转出"
    b.carers, b.borrowers = carers, borrowers
    b.freeze()

    # --- relief
    county_relief(b)
    b.number()
    b.number_meetings_later = True
    return b


def county_relief(b: County):
    rng = b.rng
    everyone = b.members
    occasions = [
        ("2023年七一", day(2023, 6, 25), day(2023, 6, 30)),
        ("2024年春节", day(2024, 1, 29), day(2024, 2, 6)),
        ("2024年七一", day(2024, 6, 24), day(2024, 6, 30)),
        ("2025年春节", day(2025, 1, 15), day(2025, 1, 24)),
        ("2025年七一", day(2025, 6, 23), day(2025, 6, 30)),
        ("2026年春节", day(2026, 2, 2), day(2026, 2, 12)),
        ("2026年七一", day(2026, 6, 24), day(2026, 6, 30)),
    ]
    b.visits = []
    for label, a, z in occasions:
        by_town = defaultdict(list)
        for mb in everyone:
            if not b.eligible(mb, a) or not b.eligible(mb, z):
                continue
            tier = b.tier_on(mb, a)
            if mb.kind in ("pre1949", "elder", "ill"):
                go = True
            elif tier == "special":
                go = True
            else:
                go = tier == "relative" and rng.random() < 0.12
            if not go:
                continue
            amount = 1000 if mb.kind == "pre1949" else {"special": 500, "relative": 300,
                                                         "general": 200}[tier]
            by_town[mb.unit].append((mb, m(amount)))
        towns = sorted(by_town, key=lambda t: list(COUNTY_TOWNS).index(t))
        visit_days = sorted(rand_day(rng, a, z) for _ in towns)
        batch = []
        for town, vd in zip(towns, visit_days):
            rows = sorted(by_town[town], key=lambda r: r[0].id)
            for mb, x in rows:
                assert b.eligible(mb, vd)
                mb.touch(vd)
            batch.append((town, vd, rows))
        b.visits.append((label, plus(a, -1), batch))

    # medical aid for large bills, grants for children admitted to university, flood relief
    b.reliefs = []  # (App, [(pay date, amount)], account, extra meta)

    def relief(mb, account, amount, purpose, applied, approve_amount=None, pay_parts=1,
               extra=None, reject=None):
        app = App(b, mb, "relief", amount, purpose, applied)
        d = app.run(rng, ["branch-review", "publicity", "approve"])
        if reject:
            app.rejected = (d, reject)
            return None
        approve_amount = m(approve_amount or amount)
        body = f"{mb.unit}党委"
        app.approve(d, approve_amount, body)
        pays = []
        left = approve_amount
        pd = d
        for k in range(pay_parts):
            pd = wd(plus(pd, rng.randint(3, 9) if k == 0 else rng.randint(25, 40)))
            x = left if k == pay_parts - 1 else m(int(approve_amount / pay_parts / 100) * 100)
            left -= x
            if pd > b.cutoff or not b.eligible(mb, pd):
                break
            pays.append((pd, x))
            mb.touch(pd)
        b.reliefs.append((app, pays, account, extra or {}))
        return app

    def pick(pool, d, n):
        cands = [mb for mb in pool if b.eligible(mb, d) and b.eligible(mb, plus(d, 60))]
        return rng.sample(cands, min(n, len(cands)))

    ill = [mb for mb in everyone if mb.kind in ("ill", "elder", "pre1949")]
    for y in (2023, 2024, 2025, 2026):
        for k in range(6 if y > 2023 else 4):
            ad = wd(rand_day(rng, day(y, 2, 15) if y > 2023 else day(y, 6, 1),
                             day(y, 10, 15) if y < 2026 else day(y, 9, 15)))
            pool = ill if rng.random() < 0.75 else b.borrowers
            for mb in pick(pool, ad, 1):
                asked = m(rng.choice([3000, 4000, 5000, 6000, 8000]))
                got = min(asked, m(rng.choice([2000, 3000, 3000, 4000, 5000])))
                relief(mb, "Expenses:Relief:Medical", asked,
                       rng.choice(["住院治疗费用较大", "恶性肿瘤放化疗", "脑梗塞住院",
                                   "尿毒症透析", "股骨骨折手术", "慢性肺病住院"]),
                       ad, got, pay_parts=2 if got >= 4000 else 1)
        # 考入大学的困难党员子女一次性资助1000元
        n_edu = {2023: 2, 2024: 3, 2025: 3, 2026: 2}[y]
        for mb in pick([x for x in b.borrowers if x.exit is None], day(y, 7, 20), n_edu):
            surname = mb.name[:2] if mb.name[:2] in COMPOUND else mb.name[0]
            if "·" in mb.name:
                continue
            child = b.names.new(surname=surname, female=rng.random() < 0.5)
            mb.children.append(child)
            ad = wd(rand_day(rng, day(y, 7, 20), day(y, 8, 5)))
            college = rng.choice(["安徽大学", "合肥工业大学", "安徽师范大学", "安徽农业大学",
                                  "黄山学院", "南昌大学", "江西师范大学"])
            relief(mb, "Expenses:Relief:Education", 1000, f"子女{child}考入{college}",
                   ad, extra={"child": child})
    # the June 2024 flood (突发事件临时救助)
    for mb in pick([x for x in everyone if x.unit in ("宏村镇", "中田乡", "熊村镇")],
                   day(2024, 7, 2), 5):
        relief(mb, "Expenses:Relief:Emergency", rng.choice([1500, 2000, 3000]),
               "2024年6月洪灾房屋进水、农作物受损", wd(rand_day(rng, day(2024, 7, 1), day(2024, 7, 4))))
    # one refused
    mb = pick(b.borrowers, day(2025, 3, 10), 1)[0]
    relief(mb, "Expenses:Relief:Medical", 5000, "门诊慢性病费用", day(2025, 3, 10),
           reject="经核实已享受城乡居民医保大病报销，个人负担不大，不予资助")
