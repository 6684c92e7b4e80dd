#!/usr/bin/env python3
"""Generate the four demo fund ledgers under ledgers/ (stdlib only, fixed seeds).

    python ledgers/generate.py

rewrites ledgers/county/, ledgers/prefecture/, ledgers/taxbureau/ and ledgers/district/.
Each fund is planned as objects first (members, applications, loans, payments), then the
pools and cash are simulated day by day to size the committee's releases and the deposit
interest, the plan is checked against the ledger convention (docs/SPEC.md: pools, cash,
eligibility, workflow), and only then written out as a multi-file beancount ledger. Edit
this file, not the generated ones; ledgers/README.md says what each fund shows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import shutil
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
        self.id = f"T{book.nmember:05d}"  # renumbered by registration date
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
        for mb in sorted(self.members, key=lambda mb: mb.id):
            self.custom(f_of(mb.reg), mb.reg, "member", mb.id, meta={
                "name": mb.name, "branch": mb.branch, "category": mb.category,
                "contact": mb.contact})
            for rd, tier in self.reviews(mb):
                self.custom(f_of(rd), rd, "review", mb.id, tier)
            if mb.exit:
                self.custom(f_of(mb.exit), mb.exit, "exit", mb.id, meta={"reason": mb.exit_reason})

    def emit_apps(self, f_of):
        for a in sorted(self.apps, key=lambda a: a.id):
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
        """Number members by registration, applications and loans in date order by year."""
        for i, mb in enumerate(sorted(self.members, key=lambda mb: (mb.reg, mb.id)), 1):
            mb.id = f"M{i:04d}"
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


def county_interest(ln, pd, last):
    bal = ln.amount - sum((p for d, p, _ in ln.payments if d < pd), ZERO)
    return m(bal * ln.rate * (pd - last).days / 365)


def build_county():
    b = County("county", "某县困难党员帮扶基金", seed=20230101,
               start=day(2023, 1, 1), cutoff=day(2026, 11, 20))
    rng = b.rng
    b.minutes_format = lambda body, y, n: (
        f"{body}〔{y}〕{n}号" if body == FUND_GROUP else f"{body}会议纪要〔{y}〕{n}号")

    # --- loans: about 50 a year (每年确定扶贫党员50名)
    quotas = {2023: 50, 2024: 45, 2025: 50, 2026: 46}  # 2024: cash is tight until 2023's loans return
    borrowers: list[Member] = []
    rejects = {2023: 1, 2024: 2, 2025: 2, 2026: 1}

    for y, n in quotas.items():
        n += rejects[y]
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
              and day(2026, 3, 1) < ln.due < day(2026, 8, 31) and ln is not wo
              and ln is ln.member.loans[-1] and ln.member.name != "李金明"
              and ln.member.unit in ("宏村镇", "中田乡", "熊村镇"))
    rs.payments = rs.payments[:1]
    new_due = add_months(rs.due, 9)
    rs.reschedule = (wd(plus(rs.due, -20)), new_due,
                     "2024年洪灾致养殖项目受损，经集体研究同意展期")
    pd = day(2026, 9, 22)
    last = rs.payments[-1][0]
    rs.payments.append((pd, m(1000), county_interest(rs, pd, last)))
    # a handful overdue at the ledger's last day (逾期)
    overdue = [ln for ln in loans if day(2025, 9, 1) < ln.due < day(2026, 10, 31)
               and ln not in (wo, rs) and ln.payments[-1][0] >= plus(ln.due, -30)
               and len(ln.payments) >= 2 and ln is ln.member.loans[-1]
               and ln.member.name != "李金明"]
    for k, ln in enumerate(rng.sample(overdue, 5)):
        keep = ln.payments[:-1]
        if k == 0:
            # paid part late, still owing
            last = keep[-1][0]
            pd = plus(ln.due, 25)
            if pd <= b.cutoff:
                keep.append((pd, m(500), county_interest(ln, pd, last)))
        ln.payments = keep
        ln.overdue = True
    # drop what falls after the last day
    for ln in loans:
        ln.payments = [p for p in ln.payments if p[0] <= b.cutoff]
    # repeat borrowers may not hold two loans: verify
    for mb in borrowers:
        spans = sorted((ln.disb, ln.closed_on() or day(2100, 1, 1)) for ln in mb.loans)
        for (_, c1), (a2, _) in zip(spans, spans[1:], strict=False):
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
        if mb.kind == "household":
            continue
        p_die = 0.2 if mb.kind == "pre1949" else 0.05
        for y in (2023, 2024, 2025, 2026):
            if mb.exit is None and rng.random() < p_die:
                d = wd(rand_day(rng, day(y, 1, 1), day(y, 12, 31) if y < 2026 else day(2026, 10, 30)))
                if d > plus(mb.first_review, 60):
                    mb.exit, mb.exit_reason = d, "本人去世"
    for i in range(75):
        reg = wd(rand_day(rng, day(2023, 1, 4), day(2023, 5, 31)) if i < 45 else
                 rand_day(rng, day(2023, 7, 1), day(2026, 8, 31)))
        mb = county_member(b, reg, "household")
        if mb.tier0 == "special":
            mb.tier0 = "relative"
        carers.append(mb)
        if rng.random() < 0.25 and reg < day(2025, 6, 1):
            y = rng.choice([yy for yy in (2023, 2024, 2025) if day(yy, 12, 1) > plus(reg, 60)])
            mb.none_year = y
            mb.exit = wd(rand_day(rng, day(y + 1, 2, 20), day(y + 1, 3, 31)))
            mb.exit_reason = "家庭收入明显增加，经年度审核已不符合帮扶条件"
    movers = rng.sample([c for c in carers if c.exit is None and c.kind != "pre1949"], 2)
    for mb in movers:
        mb.exit = wd(rand_day(rng, day(2025, 4, 1), day(2025, 9, 30)))
        mb.exit_reason = "随子女迁居外省，组织关系转出"
    b.carers, b.borrowers = carers, borrowers
    b.freeze()

    # --- relief
    county_relief(b)
    b.number()
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
                go = rng.random() < 0.4
            else:
                go = tier == "relative" and rng.random() < 0.06
            if not go:
                continue
            amount = 800 if mb.kind == "pre1949" else {"special": 400, "relative": 300,
                                                        "general": 200}[tier]
            by_town[mb.unit].append((mb, m(amount)))
        towns = sorted(by_town, key=lambda t: list(COUNTY_TOWNS).index(t))
        visit_days = sorted(rand_day(rng, a, z) for _ in towns)
        batch = []
        for town, vd in zip(towns, visit_days, strict=True):
            rows = sorted(by_town[town], key=lambda r: r[0].id)
            for mb, _x in rows:
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
        for _ in range(6 if y > 2023 else 4):
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


def emit_loans(b: Book, bank: str, f_loans, f_rep, group: str):
    for ln in sorted(b.loans, key=lambda ln: ln.disb):
        mb = ln.member
        acct = Ref(lambda ln=ln: f"Assets:Loans:{ln.id}")
        fl = f_loans(ln.disb)
        # the open directive's account must be known when written: render late
        b.seq += 1
        b.entries.append((fl, ln.disb, b.seq, lambda ln=ln, mb=mb: (
            f"{ln.disb} open Assets:Loans:{ln.id} CNY" + meta_text(
                {"name": f"{mb.name}{ln.app.purpose}借款"}))))
        b.opened[f"Assets:Loans:@{id(ln)}"] = ln.disb
        b.tx_late(fl, ln.disb, mb.name, f"{ln.app.purpose}借款",
                  [(acct, ln.amount, None), (bank, -ln.amount, None)],
                  {"application": Ref(lambda ln=ln: ln.app.id), "due": ln.due,
                   "guarantor": ln.guarantor, "rate": ln.rate}, loan=ln)
        bal = ln.amount
        for pd, p, i in ln.payments:
            bal -= p
            narration = ("结清借款本息" if bal == 0 else "归还借款本息") if i else (
                "结清借款" if bal == 0 else "归还借款本金")
            posts = [(bank, p + i, None), (acct, -p, None)]
            if i:
                posts.append(("Income:Interest:Loans", -i, None))
            b.tx_late(f_rep(pd), pd, mb.name, narration, posts, loan=ln)
            if bal == 0:
                b.seq += 1
                b.entries.append((f_rep(pd), pd, b.seq, lambda ln=ln, pd=pd:
                                  f"{pd} close Assets:Loans:{ln.id}"))
        if ln.reschedule:
            d, new_due, why = ln.reschedule
            b.custom(f_loans(d), d, "reschedule", Ref(lambda ln=ln: ln.id), new_due,
                     meta={"minutes": b.meeting(group, d), "note": why})
        if ln.writeoff:
            d, post, why = ln.writeoff
            b.custom(f_loans(d), d, "write-off", Ref(lambda ln=ln: ln.id),
                     meta={"minutes": b.meeting(group, d), "note": why})
            b.tx_late(f_loans(post), post, mb.name, "核销无法收回的借款本金",
                      [("Expenses:Losses:Loans", bal, None), (acct, -bal, None)], loan=ln)
            b.seq += 1
            b.entries.append((f_loans(post), post, b.seq, lambda ln=ln, post=post:
                              f"{post} close Assets:Loans:{ln.id}"))


def tx_late(self, f, d, payee, narration, postings, meta=None, loan=None):
    """A transaction whose loan account is a Ref; ops use a per-loan placeholder name."""
    ops = []
    rendered = []
    for a, x, pm in postings:
        name = f"Assets:Loans:@{id(loan)}" if isinstance(a, Ref) else a
        ops.append((name, m(x)))
        rendered.append((a, m(x), pm))
    assert sum(x for _, x in ops) == 0
    for a, _ in ops:
        assert a in self.opened and self.opened[a] <= d, (a, d)

    def render():
        head = f"{d} * {q(payee)} {q(narration)}"
        lines = [head + meta_text(meta)]
        for i, (a, x, pm) in enumerate(rendered):
            a = a.fn() if isinstance(a, Ref) else a
            if i == len(rendered) - 1 and not pm:
                lines.append(f"  {a}")
            else:
                lines.append(f"  {a:<36} {x:>10.2f} CNY" + meta_text(pm, "    "))
        return "\n".join(lines)

    self.put(f, d, render)
    self.ops.append((d, self.seq, "tx", ops))


Book.tx_late = tx_late


def emit_reliefs(b: Book, cash: str, f_of):
    for app, pays, account, extra in b.reliefs:
        mb = app.member
        for pd, x in pays:
            meta = {"member": mb.id, "application": Ref(lambda a=app: a.id)}
            meta.update(extra)
            label = {"Medical": "医疗救助", "Education": "困难党员子女上大学资助",
                     "Emergency": "突发事件临时救助"}.get(account.split(":")[2], "救助")
            b.tx(f_of(pd), pd, mb.name, label, [(account, x, None), (cash, -x, None)], meta)
            app.paid.append((pd, x))
            b.relief_paid.append((pd, mb, account, x, app, extra))


def emit_county(b: County):
    rng = b.rng
    FA, FP = "accounts.beancount", "policy.beancount"
    yearly = ["members", "funding", "loans", "repayments", "relief", "visits", "treasury"]
    b.file_order = [FA, FP] + [f"{y}/{k}.beancount" for y in range(2023, 2027) for k in yearly]
    start = b.start
    bank, cash = "Assets:Bank:Fund", "Assets:Cash:Office"
    for acct, name, pool in [
        (bank, "困难党员帮扶基金专户（县农村商业银行）", None),
        (cash, "慰问金备用现金（县委组织部）", None),
        ("Income:Transfer:WelfareFund", "组织部农民党员福利基金划入", "principal"),
        ("Income:Committees", "基层党委筹集", "principal"),
        ("Income:Dues", "留存党费划拨", "principal"),
        ("Income:Fiscal", "县财政帮扶资金", "principal"),
        ("Income:Donations:Members", "党员捐款（含一日捐）", "principal"),
        ("Income:Donations:Society", "社会募集", "principal"),
        ("Income:Interest:Loans", "借款利息收入（创收）", "spendable"),
        ("Income:Interest:Deposits", "存款利息收入（创收）", "spendable"),
        ("Expenses:Relief:Visits", "七一、春节走访慰问", None),
        ("Expenses:Relief:Medical", "大额医疗费用资助", None),
        ("Expenses:Relief:Education", "困难党员子女上大学资助", None),
        ("Expenses:Relief:Emergency", "突发事件临时救助", None),
        ("Expenses:Losses:Loans", "借款核销损失", None),
        ("Expenses:Fees:Bank", "银行手续费", None),
    ]:
        b.open(FA, start, acct, name, pool)
    for key, value in [
        ("loan-max", Raw(amt(5000))), ("loan-min", Raw(amt(3000))),
        ("loan-term-months", 24), ("loan-extension-months", 12),
        ("loan-annual-quota", 50), ("loan-per-member", 1),
        ("loan-rate-max", D("0.0435")), ("guarantor-required", True),
        ("publicity-days", 5), ("review-valid-months", 12),
        ("steps-loan", "branch-review publicity approve inspect"),
        ("steps-relief", "branch-review publicity approve"),
        ("application-exempt", "Expenses:Relief:Visits"),
        ("education-grant", Raw(amt(1000))),
    ]:
        b.policy(FP, start, key, value)

    def fy(kind):
        return lambda d: f"{d.year}/{kind}.beancount"

    b.emit_members(fy("members"))
    b.emit_apps(lambda a, d=None: f"{(d or a.applied).year}/"
                f"{'loans' if a.kind == 'loan' else 'relief'}.beancount")
    emit_loans(b, bank, fy("loans"), fy("repayments"), FUND_GROUP)
    emit_reliefs(b, bank, fy("relief"))
    for label, wd_day, batch in b.visits:
        total = sum(x for _, _, rows in batch for _, x in rows)
        b.tx(fy("visits")(wd_day), wd_day, "县委组织部", f"提取现金备发{label}慰问金",
             [(cash, total, None), (bank, -total, None)])
        for town, vd, rows in batch:
            posts = [("Expenses:Relief:Visits", x, {"member": mb.id}) for mb, x in rows]
            posts.append((cash, -sum(x for _, x in rows), None))
            b.tx(fy("visits")(vd), vd, f"{town}党委", f"{label}走访慰问困难党员（{town}）", posts)
            for mb, x in rows:
                b.relief_paid.append((vd, mb, "Expenses:Relief:Visits", x, None, {}))

    # --- money raised: 27万 to start (20万 raised + 7万 transferred), then about 10万 a year
    f = fy("funding")
    b.tx(f(day(2023, 1, 3)), day(2023, 1, 3), "县委组织部", "组织部农民党员福利基金划入",
         [(bank, 70000, None), ("Income:Transfer:WelfareFund", -70000, None)])
    b.tx(f(day(2023, 1, 4)), day(2023, 1, 4), "县财政局", "财政帮扶资金拨付",
         [(bank, 50000, None), ("Income:Fiscal", -50000, None)])
    for i, town in enumerate(COUNTY_TOWNS):
        d = day(2023, 1, 4 + i % 3)
        b.tx(f(d), d, f"{town}党委", "基层党委筹集帮扶资金",
             [(bank, 7500, None), ("Income:Committees", -7500, None)], {"donor": f"{town}党委"})
    b.tx(f(day(2023, 1, 6)), day(2023, 1, 6), "县委组织部", "留存党费划拨",
         [(bank, 50000, None), ("Income:Dues", -50000, None)])
    organs = rng.sample(COUNTY_ORGANS, 16)
    shares = [rng.randint(15, 40) for _ in organs]
    left = m(40000)
    for i, (organ, s) in enumerate(zip(organs, shares, strict=True)):
        x = left if i == len(organs) - 1 else m(D(40000) * s / sum(shares) // 10 * 10)
        left -= x
        d = wd(day(2023, 1, 9 + i % 5))
        b.tx(f(d), d, organ, "机关单位党员募捐", [(bank, x, None), ("Income:Donations:Members", -x, None)],
             {"donor": organ, "campaign": "2023机关党员募捐"})
    for y in (2023, 2024, 2025, 2026):
        if y > 2023:
            d = wd(day(y, 2, rng.randint(18, 26)))
            b.tx(f(d), d, "县委组织部", f"{y}年留存党费划拨",
                 [(bank, 35000, None), ("Income:Dues", -35000, None)])
            d = wd(day(y, 3, rng.randint(10, 20)))
            b.tx(f(d), d, "县财政局", f"{y}年度财政帮扶资金",
                 [(bank, 30000, None), ("Income:Fiscal", -30000, None)])
            for c in rng.sample(COUNTY_COMPANIES, 3):
                d = wd(rand_day(rng, day(y, 9, 1), day(y, 11, 13)))
                x = m(rng.choice([2000, 3000, 5000, 8000, 10000]))
                b.tx(f(d), d, c, "社会捐赠困难党员帮扶基金",
                     [(bank, x, None), ("Income:Donations:Society", -x, None)], {"donor": c})
        campaign = f"{y}一日捐"
        for organ in COUNTY_ORGANS:
            d = wd(rand_day(rng, day(y, 7, 1), day(y, 7, 31)))
            x = m(D(rng.randint(40000, 160000)) / 100)
            b.tx(f(d), d, organ, f"{campaign}（{organ}）",
                 [(bank, x, None), ("Income:Donations:Members", -x, None)],
                 {"donor": organ, "campaign": campaign})

    # --- bank fees (quarterly SMS service, yearly account fee)
    t = fy("treasury")
    for y in (2023, 2024, 2025, 2026):
        for mo in (3, 6, 9, 12):
            d = day(y, mo, 25)
            if d > b.cutoff:
                continue
            posts = [("Expenses:Fees:Bank", m(6), None), (bank, m(-6), None)]
            b.tx(t(d), d, "县农村商业银行", "短信通知服务费", posts)
        d = day(y, 11, 18)
        b.tx(t(d), d, "县农村商业银行", "单位结算账户年度管理费",
             [("Expenses:Fees:Bank", m(100), None), (bank, m(-100), None)])
    rates = {2023: D("0.0030"), 2024: D("0.0025"), 2025: D("0.0015"), 2026: D("0.0010")}
    b.deposit_interest(t, bank, "Income:Interest:Deposits", lambda s: rates[s.year], "县农村商业银行")

    # --- releases (本金调剂用于救济) where earnings are not enough
    decisions = [day(2023, 6, 12), day(2024, 1, 15), day(2024, 6, 12), day(2025, 1, 6),
                 day(2025, 6, 11), day(2026, 1, 20), day(2026, 6, 10)]
    plan_releases(b, decisions, t, FUND_GROUP,
                  "基金创收部分不足以支付走访慰问和医疗救助，经监督小组集体研究从本金中调剂")
    # --- year-start reconciliation with the bank statement (对账)
    for y in (2024, 2025, 2026):
        d = day(y, 1, 1)
        for acct in (bank, cash):
            bal = b.cash_daily(acct, plus(d, -1))[plus(d, -1)]
            b.put(t(d), d, f"{d} balance {acct} {bal:.2f} CNY")


def plan_releases(b: Book, decisions, f_of, group, note, step=5000, margin=3000):
    decisions = list(decisions)
    for i, t in enumerate(decisions):
        nxt = decisions[i + 1] if i + 1 < len(decisions) else plus(b.cutoff, 1)
        states = b.simulate()
        before = [d for d in states if d < t]
        spend = states[max(before)][2] if before else ZERO
        needs = ZERO
        for d, _, kind, data in b.ops:
            if kind == "tx" and t <= d < nxt:
                needs += sum((x for a, x in data if role(a) in ("relief", "fees")), ZERO)
        deficit = needs - spend
        if deficit > 0:
            r = -(-int(deficit + margin) // step) * step
            b.release(f_of(t), t, r, b.meeting(group, t), note)


def summarize(b: Book):
    """Money raised and used per year (for the report and the README)."""
    out = defaultdict(lambda: defaultdict(lambda: ZERO))
    for d, _, kind, data in b.ops:
        if kind != "tx":
            continue
        for a, x in data:
            r = role(a)
            if r == "source":
                out[d.year]["raised"] -= x
                out[d.year]["raised:" + a] -= x
            elif r == "relief":
                out[d.year]["relief"] += x
                out[d.year]["relief:" + a] += x
            elif r == "fees":
                out[d.year]["fees"] += x
            elif r == "loss":
                out[d.year]["losses"] += x
            elif r == "loan" and x > 0:
                out[d.year]["lent"] += x
                out[d.year]["loans"] += 1
    for d, _, kind, data in b.ops:
        if kind == "release":
            out[d.year]["released"] += data
    return out



# =======================================================================================
# 2. The prefecture organs' fund (seed 002): one-day pay drives, no public money

PREF_UNITS = [
    "州委办公室", "州人大常委会办公室", "州政府办公室", "州政协办公室", "州纪委监察局", "州委组织部",
    "州委宣传部", "州委统战部", "州委政法委", "州直机关工委", "州委党校", "州发改委", "州经信委",
    "州教育局", "州科技局", "州民宗委", "州公安局", "州民政局", "州司法局", "州财政局", "州人社局",
    "州国土资源局", "州环保局", "州住建局", "州交通运输局", "州水务局", "州农业局", "州林业局",
    "州畜牧局", "州商务局", "州文化广电新闻出版局", "州卫生计生委", "州审计局", "州国资委",
    "州地税局", "州工商局", "州质监局", "州安监局", "州统计局", "州旅游局", "州粮食局",
    "州扶贫移民局", "州机关事务管理局", "州中级人民法院", "州人民检察院", "州总工会", "团州委",
    "州妇联", "州科协", "州残联", "州文联", "州人民医院", "州第二人民医院", "州藏医院", "州中医院",
    "州疾控中心", "州妇幼保健院", "州民族师范学校", "州档案局", "州气象局", "州广播电视台",
    "阿坝日报社", "州供销社", "州农科所", "州水文局", "州公路局", "州信访局", "州体育局",
    "州食药监局", "州老干局",
]
PREF_GROUP = "州直机关党内帮扶领导小组"
# (name, category, unit, batch, kind, plan): 35 persons/households helped 2013-2015
PREF_CASES = [
    ("余秀珍", "survivor", "州政协办公室", 1, "LongTerm", 1500,
     "原州政协秘书长李某遗孀，80余岁，患癫痫，靠遗属补贴生活"),
    ("杨建华", "serving", "州林业局", 1, "Medical", 35000, "尿毒症肾移植手术，自付费用巨大"),
    ("泽郎措", "retired", "州畜牧局", 1, "OneTime", 20000, "2013年7月特大山洪泥石流冲毁住房"),
    ("王德明", "serving", "州公路局", 1, "Composite", (30000, 15000), "妻子患白血病，一人工作供养全家"),
    ("马秀兰", "retired", "州民宗委", 1, "Medical", 25000, "肺癌手术及化疗"),
    ("陈志刚", "serving", "州人民医院", 1, "Temporary", 12000, "女儿突发重症住院"),
    ("仁青卓玛", "survivor", "州教育局", 1, "LongTerm", 1200, "丈夫因公殉职，独自抚养两个未成年子女"),
    ("李国富", "retired", "州农业局", 1, "OneTime", 15000, "老伴瘫痪在床，长期请人护理"),
    ("周永强", "serving", "州水务局", 1, "Medical", 30000, "脑出血手术"),
    ("罗桂芳", "survivor", "州交通运输局", 1, "OneTime", 18000, "丈夫病故，家中欠债"),
    ("刁志勇", "serving", "州文化广电新闻出版局", 2, "Composite", (20000, 16000),
     "身患皮肤癌，妻子有病不能打工，女儿读小学"),
    ("各郎", "serving", "州公安局", 2, "Temporary", 15000, "车祸致残，失去工作能力"),
    ("张德贵", "retired", "州粮食局", 2, "Medical", 28000, "食道癌手术"),
    ("泽旺", "serving", "州畜牧局", 2, "InterestSubsidy", 8000,
     "妻子无固定职业，开办藏式餐馆，银行创业贷款20万元，申请贴息三年"),
    ("刘春梅", "serving", "州妇幼保健院", 2, "Medical", 28000, "乳腺癌手术及放化疗"),
    ("何永福", "retired", "州供销社", 2, "LongTerm", 1500, "一拖三家庭，子女下岗无业"),
    ("赵秀英", "survivor", "州审计局", 2, "OneTime", 20000, "丈夫病故后独自赡养婆婆"),
    ("黄志明", "serving", "州气象局", 2, "Composite", (25000, 10000), "儿子患再生障碍性贫血"),
    ("王金花", "serving", "州疾控中心", 2, "Temporary", 10000, "家中失火，财物损毁"),
    ("唐建国", "retired", "州司法局", 2, "Medical", 28000, "冠心病搭桥手术"),
    ("徐文华", "serving", "州统计局", 2, "OneTime", 16000, "配偶长期患病，家庭人均收入低于最低工资"),
    ("谢玉兰", "survivor", "州水文局", 2, "LongTerm", 1200, "丈夫病故，无固定收入"),
    ("蒋光明", "serving", "州民族师范学校", 2, "Medical", 26000, "肝癌介入治疗"),
    ("高建平", "serving", "州国土资源局", 3, "Medical", 30000, "白血病骨髓移植"),
    ("彭秀珍", "retired", "州商务局", 3, "OneTime", 15000, "独居，住房年久失修"),
    ("多吉才让", "serving", "州藏医院", 3, "Temporary", 12000, "妻子产后大出血抢救"),
    ("孙立新", "serving", "州环保局", 3, "Composite", (20000, 10000), "本人尿毒症长期透析"),
    ("邓桂兰", "survivor", "州财政局", 3, "LongTerm", 1500, "丈夫病故，本人残疾"),
    ("韩志强", "serving", "州住建局", 3, "Medical", 24000, "鼻咽癌放疗"),
    ("曾德华", "retired", "州档案局", 3, "OneTime", 12000, "子女下岗，老两口多病"),
    ("曹红英", "serving", "州中医院", 3, "Temporary", 8000, "丈夫车祸住院"),
    ("董建军", "serving", "州农科所", 3, "Medical", 20000, "颅脑外伤手术"),
    ("袁秀芳", "survivor", "州卫生计生委", 3, "OneTime", 15000, "丈夫病故，两个孩子读中学"),
    ("潘永红", "retired", "州人社局", 3, "Medical", 22000, "老伴患阿尔茨海默病需专人护理"),
    ("秦国强", "serving", "州科技局", 3, "Temporary", 10000, "房屋因暴雨垮塌"),
]
PREF_REJECTED = [
    ("吴志军", "serving", "州工商局", 2, "OneTime", 20000, "家庭经营亏损",
     "经再次核实，家庭人均可支配收入高于全州最低工资标准"),
    ("郭明华", "serving", "州安监局", 3, "Medical", 30000, "本人住院治疗",
     "无正当理由长期不按时交纳党费，不列入党内经济帮扶范围"),
    ("林国平", "retired", "州旅游局", 3, "OneTime", 15000, "车辆事故赔偿",
     "未按规定购买相关保险引起的困难，不列入党内经济帮扶范围"),
]
KIND_LABEL = {"OneTime": "一次性资助", "LongTerm": "长期性资助", "Temporary": "临时性资助",
              "Composite": "复合性资助", "Medical": "大病医疗资助", "InterestSubsidy": "创业贷款贴息"}
PREF_STEPS = ["branch-review", "verify", "publicity", "approve"]


class Prefecture(Book):
    def annual_review_date(self, y, mb):
        if y < 2014:
            return None
        return wd(day(y, 8, 20 - 2 * (y - 2014) + sum(map(ord, mb.branch)) % 3))


def pref_branch(unit, category):
    if category == "retired":
        return f"{unit}离退休干部党支部"
    if unit.endswith(("医院", "学校", "中心", "保健院")):
        return f"{unit}党委第二党支部"
    return f"{unit}机关党支部"


def build_prefecture():
    b = Prefecture("prefecture", "州直机关党内经济帮扶资金", seed=20130501,
                   start=day(2013, 5, 6), cutoff=day(2015, 12, 31))
    rng = b.rng
    rounds = {  # batch -> (register from, to, apply to, verify from, to, publicity, approve, pay to)
        1: (day(2013, 9, 2), day(2013, 9, 10), day(2013, 9, 17), day(2013, 10, 14), day(2013, 10, 25),
            day(2013, 10, 28), day(2013, 11, 12), day(2013, 12, 10)),
        2: (day(2014, 3, 3), day(2014, 3, 14), day(2014, 3, 28), day(2014, 4, 21), day(2014, 5, 9),
            day(2014, 5, 19), day(2014, 6, 5), day(2014, 7, 4)),
        3: (day(2015, 3, 2), day(2015, 3, 13), day(2015, 3, 27), day(2015, 4, 20), day(2015, 5, 8),
            day(2015, 5, 18), day(2015, 6, 4), day(2015, 7, 3)),
    }
    renewals = {  # long-term aid is re-applied for every year
        2014: (day(2014, 10, 8), day(2014, 10, 14), day(2014, 10, 21), day(2014, 10, 27), day(2014, 11, 10)),
        2015: (day(2015, 10, 8), day(2015, 10, 14), day(2015, 10, 21), day(2015, 10, 27), day(2015, 11, 10)),
    }
    b.reliefs = []

    def new_member(name, category, unit, reg):
        contact = f"跟踪联系人：{rng.choice(['支部组织委员', '支部书记', '单位工会主席', '单位办公室党员干部'])}"
        mb = Member(b, b.names.take(name), pref_branch(unit, category), category, contact, reg,
                    rng.choice(["relative", "special"]) if category != "retired" else
                    rng.choice(["general", "relative", "special"]), unit=unit)
        return mb

    def in_round(app, batch, reject=None):
        r = rounds[batch]
        d = app.step("branch-review", wd(plus(app.applied, rng.randint(3, 8))))
        d = app.step("verify", wd(rand_day(rng, max(plus(d, 3), r[3]), max(plus(d, 4), r[4]))))
        if reject:
            app.rejected = (wd(plus(d, 2)), reject)
            return None
        app.step("publicity", r[5])
        return app.approve(r[6], app.amount, PREF_GROUP)

    def pay(app, account, d, x, extra=None):
        assert b.eligible(app.member, d), (app.member.name, d)
        app.member.touch(d)
        b.reliefs.append((app, [(d, m(x))], account, extra or {}))

    for name, cat, unit, batch, kind, plan, purpose in PREF_CASES:
        r = rounds[batch]
        if name == "各郎":  # ad hoc temporary aid after a car accident
            mb = new_member(name, cat, unit, day(2014, 2, 10))
            app = App(b, mb, "relief", plan, purpose, day(2014, 2, 14))
            app.step("branch-review", day(2014, 2, 18))
            app.step("verify", day(2014, 2, 25))
            app.step("publicity", day(2014, 2, 27))
            app.approve(day(2014, 3, 10), plan, PREF_GROUP)
            pay(app, f"Expenses:Relief:{kind}", day(2014, 3, 18), plan)
            continue
        mb = new_member(name, cat, unit, wd(rand_day(rng, r[0], r[1])))
        applied = wd(rand_day(rng, plus(mb.first_review, 1), max(plus(mb.first_review, 2), r[2])))
        account = f"Expenses:Relief:{kind}"
        if kind == "LongTerm":
            approved = []
            app = App(b, mb, "relief", plan * 4, purpose, applied)
            approved.append((in_round(app, batch), app))
            # renewals: batch 1 in the autumn, batch 2 with the next spring round
            if batch == 1:
                for y in (2014, 2015):
                    a_, br, ve, pu, ap = renewals[y]
                    app = App(b, mb, "relief", plan * 4, purpose + "（续报）", a_)
                    app.step("branch-review", br)
                    app.step("verify", ve)
                    app.step("publicity", pu)
                    app.approve(ap, plan * 4, PREF_GROUP)
                    approved.append((ap, app))
            elif batch == 2:
                r3 = rounds[3]
                app = App(b, mb, "relief", plan * 4, purpose + "（续报）", wd(rand_day(rng, r3[1], r3[2])))
                approved.append((in_round(app, 3), app))
            for k, (ap, app) in enumerate(approved):
                first = wd(plus(ap, rng.randint(18, 24)))
                for q_ in range(4):
                    d = wd(add_months(first, 3 * q_))
                    nxt = approved[k + 1][0] if k + 1 < len(approved) else b.cutoff
                    if d > nxt:
                        break
                    pay(app, account, d, plan, {"period": f"{d.year}年第{(d.month - 1) // 3 + 1}季度"})
            continue
        total = sum(plan) if isinstance(plan, tuple) else (plan * 3 if kind == "InterestSubsidy" else plan)
        app = App(b, mb, "relief", total, purpose, applied)
        ap = in_round(app, batch)
        d = wd(rand_day(rng, plus(ap, 6), r[7]))
        if kind == "Composite":
            pay(app, account, d, plan[0])
            d2 = wd(add_months(d, 6))
            if name != "刁志勇" and d2 <= b.cutoff:
                pay(app, account, d2, plan[1])
        elif kind == "InterestSubsidy":
            for y in (2014, 2015):
                pay(app, account, wd(day(y, 9, 22)), plan, {"period": f"{y}年度贴息"})
        else:
            pay(app, account, d, plan)
        if name == "刁志勇":
            mb.exit = day(2015, 1, 20)
            mb.exit_reason = "从亲戚处获得一定资助后，本人主动向组织报告，要求退出帮扶"
        if name == "陈志刚":
            mb.none_year = 2015
            mb.exit = day(2015, 9, 14)
            mb.exit_reason = "女儿康复出院，家庭困难已缓解，本人申请退出帮扶"
    for name, cat, unit, batch, _kind, amount, purpose, why in PREF_REJECTED:
        r = rounds[batch]
        mb = new_member(name, cat, unit, wd(rand_day(rng, r[0], r[1])))
        app = App(b, mb, "relief", amount, purpose, wd(rand_day(rng, plus(mb.first_review, 1),
                                                                max(plus(mb.first_review, 2), r[2]))))
        in_round(app, batch, reject=why)
        if "收入" in why:
            mb.none_year = 2015 if batch < 3 else None
    # applications still in progress at the year's end
    for name, cat, unit, _kind, amount, purpose in [
            ("罗志刚", "serving", "州交通运输局", "Medical", 30000, "胃癌手术"),
            ("泽让拉姆", "survivor", "州畜牧局", "OneTime", 15000, "丈夫病故，三个子女尚未成年")]:
        mb = new_member(name, cat, unit, wd(rand_day(rng, day(2015, 11, 16), day(2015, 11, 27))))
        app = App(b, mb, "relief", amount, purpose, wd(plus(mb.first_review, rng.randint(3, 7))))
        app.step("branch-review", wd(plus(app.applied, rng.randint(4, 8))))
    b.freeze()
    b.number()
    return b


def emit_prefecture(b: Prefecture):
    rng = b.rng
    FA, FP = "accounts.beancount", "policy.beancount"
    yearly = ["members", "funding", "relief", "treasury"]
    b.file_order = [FA, FP] + [f"{y}/{k}.beancount" for y in range(2013, 2016) for k in yearly]
    start = b.start
    bank, term = "Assets:Bank:Fund", "Assets:Bank:TimeDeposit"
    for acct, name, pool in [
        (bank, "党内帮扶资金专户（活期）", None),
        (term, "党内帮扶资金专户（一年期定期存款）", None),
        ("Income:Donations:OneDayPay", "党员\u201c一日捐\u201d", "spendable"),
        ("Income:Donations:Members", "党员个人捐款", "spendable"),
        ("Income:Dues", "党费划拨", "spendable"),
        ("Income:Interest:Deposits", "存款利息", "spendable"),
        ("Expenses:Relief:OneTime", "一次性资助", None),
        ("Expenses:Relief:LongTerm", "长期性资助", None),
        ("Expenses:Relief:Temporary", "临时性资助", None),
        ("Expenses:Relief:Composite", "复合性资助", None),
        ("Expenses:Relief:Medical", "大病医疗资助", None),
        ("Expenses:Relief:InterestSubsidy", "创业帮扶贷款贴息", None),
        ("Expenses:Fees:Bank", "银行手续费", None),
    ]:
        b.open(FA, start, acct, name, pool)
    for key, value in [
        ("fiscal-allowed", False),  # 不使用公共财政资金
        ("steps-relief", " ".join(PREF_STEPS)),  # 申报信息再次核实
        ("publicity-days", 5),
        ("review-valid-months", 12),
        ("relief-cap-year", Raw(amt(50000))),
        ("application-exempt", "Expenses:Relief:Visits"),
    ]:
        b.policy(FP, start, key, value)

    def fy(kind):
        return lambda d: f"{d.year}/{kind}.beancount"

    b.emit_members(fy("members"))
    b.emit_apps(lambda a, d=None: fy("relief")(d or a.applied))
    for app, pays, account, extra in b.reliefs:
        mb = app.member
        for pd, x in pays:
            pm = {"member": mb.id, "application": Ref(lambda a=app: a.id)}
            label = KIND_LABEL[account.split(":")[2]]
            b.tx(fy("relief")(pd), pd, mb.name, label, [(account, x, pm), (bank, -x, None)], extra)
            app.paid.append((pd, x))
            b.relief_paid.append((pd, mb, account, x, app, extra))

    f = fy("funding")
    # party dues allocated by the organs' working committee
    for d, x in [(day(2013, 5, 20), 20000), (day(2014, 3, 17), 20000), (day(2015, 3, 16), 20000)]:
        b.tx(f(d), d, "州直机关工委", f"{d.year}年党费划拨党内帮扶资金",
             [(bank, x, None), ("Income:Dues", -x, None)])
    # one-day pay drives (一日捐): every organ remits its members' day of pay
    targets = {2013: D("575318.60"), 2014: D("562947.35"), 2015: D("568206.80")}
    weights = {u: rng.randint(20, 140) for u in PREF_UNITS}
    for y, target in targets.items():
        campaign = f"{y}一日捐"
        units = list(PREF_UNITS)
        ws = [weights[u] * D(rng.randint(90, 110)) / 100 for u in units]
        left = target
        rows = []
        for i, (u, w) in enumerate(zip(units, ws, strict=True)):
            x = left if i == len(units) - 1 else m(target * w / sum(ws))
            left -= x
            rows.append((u, x))
        first = {2013: day(2013, 6, 24), 2014: day(2014, 6, 23), 2015: day(2015, 6, 22)}[y]
        for u, x in rows:
            d = wd(plus(first, rng.randint(0, 32)))
            org = pref_branch(u, "serving").replace("机关党支部", "机关党委")
            b.tx(f(d), d, org, f"{campaign}（{u}）",
                 [(bank, x, None), ("Income:Donations:OneDayPay", -x, None)],
                 {"campaign": campaign, "donor": u})
    # individual gifts from members, some retired leaders
    for y in (2013, 2014, 2015):
        for _ in range(rng.randint(4, 7)):
            d = wd(rand_day(rng, day(y, 7, 1) if y == 2013 else day(y, 1, 5), day(y, 12, 20)))
            who = b.names.new()
            x = m(rng.choice([500, 1000, 1000, 2000, 3000, 5000]))
            b.tx(f(d), d, who, "党员个人捐款", [(bank, x, None), ("Income:Donations:Members", -x, None)],
                 {"donor": who})
    t = fy("treasury")
    # a year's time deposit of the idle balance
    b.tx(t(day(2014, 1, 10)), day(2014, 1, 10), "州直机关工委", "转存一年期定期存款",
         [(term, 200000, None), (bank, -200000, None)])
    b.tx(t(day(2015, 1, 12)), day(2015, 1, 12), "中国建设银行阿坝分行", "一年期定期存款到期结息",
         [(term, 6000, None), ("Income:Interest:Deposits", -6000, None)],
         {"note": "本金200000元，年利率3.00%"})
    b.tx(t(day(2015, 1, 12)), day(2015, 1, 12), "州直机关工委", "定期存款本息转回活期",
         [(bank, 206000, None), (term, -206000, None)])
    b.tx(t(day(2015, 1, 15)), day(2015, 1, 15), "州直机关工委", "转存一年期定期存款",
         [(term, 600000, None), (bank, -600000, None)])
    for y in (2013, 2014, 2015):
        for mo in (6, 12) if y > 2013 else (12,):
            d = day(y, mo, 26)
            b.tx(t(d), d, "中国建设银行阿坝分行", "网银及短信服务费",
                 [("Expenses:Fees:Bank", m(30), None), (bank, m(-30), None)])
    b.deposit_interest(t, bank, "Income:Interest:Deposits", lambda s: D("0.0035"),
                       "中国建设银行阿坝分行")
    for y in (2014, 2015):
        d = day(y, 1, 1)
        for acct in (bank, term):
            bal = b.cash_daily(acct, plus(d, -1))[plus(d, -1)]
            b.put(t(d), d, f"{d} balance {acct} {bal:.2f} CNY")



# =======================================================================================
# 3. The county tax bureau's retirees (seed 004): monthly fixed subsidies 100 / 200

TAX_BR = ["县税务局离休干部党支部", "县税务局退休干部第一党支部", "县税务局退休干部第二党支部"]
# (name, category, branch index, tier at registration, subsidy?, note)
TAX_MEMBERS = [
    ("欧阳立德", "veteran-cadre", 0, "special", True),
    ("钱守义", "veteran-cadre", 0, "special", True),
    ("司马文清", "veteran-cadre", 0, "relative", False),
    ("黄桂英", "living-alone", 1, "general", True),
    ("周德福", "living-alone", 1, "general", True),
    ("吴秀兰", "living-alone", 2, "special", True),
    ("郑长生", "living-alone", 2, "general", True),
    ("刘建华", "seriously-ill", 1, "special", True),
    ("陈玉珍", "seriously-ill", 1, "general", True),
    ("杨光明", "seriously-ill", 2, "special", True),
    ("胡志强", "seriously-ill", 2, "relative", False),
    ("谭文", "seriously-ill", 1, "general", True),
    ("林秀英", "survivor", 1, "general", True),
    ("罗冬梅", "survivor", 2, "general", True),
    ("何翠华", "survivor", 2, "special", True),
    ("马国庆", "retired", 1, "relative", False),
    ("朱永平", "retired", 2, "relative", False),
    ("许金山", "retired", 1, "relative", False),
]
TAX_BODY = "县税务局党委"


class TaxBureau(Book):
    def annual_review_date(self, y, mb):
        if y > 2025:
            return None
        return wd(day(y, 12, 10 - (y - 2024) + TAX_BR.index(mb.branch) % 2))


def build_taxbureau():
    b = TaxBureau("taxbureau", "某县税务局离退休干部困难帮扶基金", seed=20240102,
                  start=day(2024, 1, 2), cutoff=day(2026, 11, 20))
    rng = b.rng
    b.subsidy_apps = []  # (App, [(pay date, months)])
    b.reliefs = []
    subsidised = []
    for k, (name, cat, br, tier, sub) in enumerate(TAX_MEMBERS):
        reg = wd(day(2024, 1, 3 + k % 3))
        contact = phone(rng) if cat not in ("veteran-cadre", "living-alone") or k % 2 else \
            "跟踪联系人：结对帮扶在职党员（人事教育股）"
        mb = Member(b, b.names.take(name), TAX_BR[br], cat, contact, reg, tier)
        mb.first_review = day(2024, 1, 8)
        mb.subsidy = sub
        if sub:
            subsidised.append(mb)
    byname = {mb.name: mb for mb in b.members}
    byname["陈玉珍"].tier_changes[2024] = "special"  # 病情加重，年度审核调整为特别困难
    byname["郑长生"].tier_changes[2025] = "special"
    byname["黄桂英"].none_year = 2025  # 子女接回同住，不再符合条件
    byname["黄桂英"].exit = day(2026, 1, 12)
    byname["黄桂英"].exit_reason = "子女接回同住照料，经年度审核不再符合帮扶条件，本人同意退出"
    qian = byname["钱守义"]
    qian.exit, qian.exit_reason = day(2025, 3, 5), "本人去世（离休干部，享年92岁）"
    # his widow, without income, is registered as a survivor household (困难遗属)
    sun = Member(b, b.names.take("孙桂芝"), TAX_BR[0], "survivor", "跟踪联系人：离休干部党支部书记",
                 day(2025, 3, 20), "special")
    sun.subsidy = True
    # a retiree whose house burned down (灾难) and one newly found seriously ill each year
    fire = Member(b, b.names.take("龚德贵"), TAX_BR[2], "disaster", phone(rng), day(2025, 7, 8), "special")
    fire.subsidy = False
    ill25 = Member(b, b.names.new(), TAX_BR[1], "seriously-ill", phone(rng), day(2025, 4, 14), "relative")
    ill26 = Member(b, b.names.new(), TAX_BR[2], "seriously-ill", phone(rng), day(2026, 3, 9), "relative")
    ill25.subsidy = ill26.subsidy = False
    b.freeze()

    rate = {"general": 100, "special": 200}

    def subsidy_year(mb, y, applied, steps, months, pays):
        tier = b.tier_on(mb, pays[0][0])
        app = App(b, mb, "relief", rate[tier] * months, f"{y}年度生活定补（{months}个月）", applied)
        app.monthly = m(rate[tier])
        for name, d in steps:
            if name == "approve":
                app.approve(d, app.amount, TAX_BODY)
            else:
                app.step(name, d)
        ok = []
        for d, mo in pays:
            if b.eligible(mb, d):
                assert b.tier_on(mb, d) == tier, (mb.name, d)
                ok.append((d, mo))
                mb.touch(d)
        b.subsidy_apps.append((app, ok))

    quarters = {y: [day(y, 1, 10), day(y, 4, 10), day(y, 7, 10), day(y, 10, 10)] for y in (2025, 2026)}
    quarters[2024] = [day(2024, 1, 25), day(2024, 4, 10), day(2024, 7, 10), day(2024, 10, 10)]
    for y in (2024, 2025, 2026):
        if y == 2024:
            applied = day(2024, 1, 9)
            steps = [("branch-review", day(2024, 1, 10)), ("publicity", day(2024, 1, 11)),
                     ("approve", day(2024, 1, 19))]
        else:
            applied = day(y - 1, 12, 16)
            steps = [("branch-review", day(y - 1, 12, 18)), ("publicity", day(y - 1, 12, 19)),
                     ("approve", day(y - 1, 12, 29) if y == 2025 else day(y - 1, 12, 26))]
        for mb in subsidised:
            if not b.eligible(mb, quarters[y][0]):
                continue
            subsidy_year(mb, y, wd(applied), steps, 12, [(d, 3) for d in quarters[y]])
    # 孙桂芝 from the second quarter of 2025
    subsidy_year(sun, 2025, day(2025, 3, 24), [("branch-review", day(2025, 3, 26)),
                 ("publicity", day(2025, 3, 27)), ("approve", day(2025, 4, 3))], 9,
                 [(d, 3) for d in quarters[2025][1:]])
    def relief(mb, account, asked, got, purpose, applied, extra=None):
        app = App(b, mb, "relief", asked, purpose, applied)
        d = app.run(rng, ["branch-review", "publicity", "approve"])
        app.approve(d, got, TAX_BODY)
        pd = wd(plus(d, rng.randint(2, 6)))
        assert b.eligible(mb, pd), (mb.name, pd)
        mb.touch(pd)
        b.reliefs.append((app, [(pd, m(got))], account, extra or {}))

    ill = [mb for mb in b.members if mb.category in ("seriously-ill", "veteran-cadre")]
    for y in (2024, 2025, 2026):
        for _ in range(4):
            ad = wd(rand_day(rng, day(y, 2, 20), day(y, 10, 20)))
            cands = [mb for mb in ill if b.eligible(mb, ad) and b.eligible(mb, plus(ad, 40))]
            mb = rng.choice(cands)
            asked = rng.choice([5000, 6000, 8000, 10000])
            relief(mb, "Expenses:Relief:Medical", asked, min(asked, rng.choice([3000, 4000, 5000, 6000])),
                   rng.choice(["恶性肿瘤住院治疗", "心脏支架手术", "脑梗塞住院康复", "慢性肾衰竭透析",
                               "髋关节置换手术"]), ad)
    relief(fire, "Expenses:Relief:Emergency", 8000, 5000, "2025年7月住房失火，家中财物损毁", day(2025, 7, 10))
    wu = byname["吴秀兰"]
    relief(wu, "Expenses:Relief:Care", 3000, 3000, "高龄独居、行动不便，资助入住县老年公寓", day(2025, 9, 8))

    # holiday visits: Spring Festival, 1 July, and the Double Ninth (重阳) for the old
    b.visits = []
    for label, d in [("2024年春节", day(2024, 2, 2)), ("2024年七一", day(2024, 6, 28)),
                     ("2024年重阳节", day(2024, 10, 11)), ("2025年春节", day(2025, 1, 21)),
                     ("2025年七一", day(2025, 6, 27)), ("2025年重阳节", day(2025, 10, 29)),
                     ("2026年春节", day(2026, 2, 10)), ("2026年七一", day(2026, 6, 26)),
                     ("2026年重阳节", day(2026, 10, 16))]:
        rows = []
        for mb in sorted(b.members, key=lambda x: x.id):
            if not b.eligible(mb, d):
                continue
            if "七一" in label and mb.category not in ("veteran-cadre",) and b.tier_on(mb, d) != "special":
                continue
            x = 800 if mb.category == "veteran-cadre" else {"special": 500, "relative": 400,
                                                             "general": 300}[b.tier_on(mb, d)]
            rows.append((mb, m(x)))
            mb.touch(d)
        b.visits.append((label, d, rows))
    b.number()
    return b


def emit_taxbureau(b: TaxBureau):
    rng = b.rng
    FA, FP = "accounts.beancount", "policy.beancount"
    yearly = ["members", "funding", "subsidies", "relief", "visits", "treasury"]
    b.file_order = [FA, FP] + [f"{y}/{k}.beancount" for y in range(2024, 2027) for k in yearly]
    bank = "Assets:Bank:Fund"
    for acct, name, pool in [
        (bank, "离退休干部帮扶基金专户", None),
        ("Income:Union", "工会困难补助资金", "spendable"),
        ("Income:SpecialFee", "特需费提取", "spendable"),
        ("Income:Dues", "党费提取", "spendable"),
        ("Income:Donations:Members", "党内捐赠（在职党员捐款）", "spendable"),
        ("Income:Fiscal", "县财政困难离退休干部帮扶补助", "spendable"),
        ("Income:Interest:Deposits", "存款利息", "spendable"),
        ("Expenses:Relief:Subsidy", "每月定补", None),
        ("Expenses:Relief:Visits", "节日走访慰问", None),
        ("Expenses:Relief:Medical", "重症医疗救助", None),
        ("Expenses:Relief:Emergency", "灾难临时救助", None),
        ("Expenses:Relief:Care", "入住养老机构资助", None),
        ("Expenses:Fees:Bank", "银行手续费", None),
    ]:
        b.open(FA, b.start, acct, name, pool)
    for key, value in [
        ("subsidy-general", Raw(amt(100))),  # 贫困党员每人每月100元
        ("subsidy-special", Raw(amt(200))),  # 特困党员每人每月200元
        ("review-valid-months", 12),
        ("publicity-days", 5),
        ("steps-relief", "branch-review publicity approve"),
        ("application-exempt", "Expenses:Relief:Visits"),
    ]:
        b.policy(FP, b.start, key, value)

    def fy(kind):
        return lambda d: f"{d.year}/{kind}.beancount"

    b.emit_members(fy("members"))
    b.emit_apps(lambda a, d=None: fy("subsidies" if "定补" in a.purpose else "relief")(d or a.applied))
    emit_reliefs(b, bank, fy("relief"))
    # subsidies: one payment per quarter, a posting per member with months:
    by_day = defaultdict(list)
    for app, pays in b.subsidy_apps:
        for d, months in pays:
            by_day[d].append((app, months))
    for d in sorted(by_day):
        rows = sorted(by_day[d], key=lambda r: r[0].member.id)
        posts = []
        for app, months in rows:
            x = app.monthly * months
            posts.append(("Expenses:Relief:Subsidy", x, {
                "member": app.member.id, "application": Ref(lambda a=app: a.id), "months": months}))
            app.paid.append((d, x))
            b.relief_paid.append((d, app.member, "Expenses:Relief:Subsidy", x, app, {}))
        posts.append((bank, -sum(x for _, x, _ in posts), None))
        qn = (d.month - 1) // 3 + 1
        b.tx(fy("subsidies")(d), d, "县税务局人事教育股", f"{d.year}年第{qn}季度困难党员生活定补", posts)
    for label, d, rows in b.visits:
        rows = sorted(rows, key=lambda r: r[0].id)
        posts = [("Expenses:Relief:Visits", x, {"member": mb.id}) for mb, x in rows]
        posts.append((bank, -sum(x for _, x in rows), None))
        b.tx(fy("visits")(d), d, "县税务局党委", f"{label}走访慰问困难离退休党员", posts)
        for mb, x in rows:
            b.relief_paid.append((d, mb, "Expenses:Relief:Visits", x, None, {}))

    f = fy("funding")
    for y in (2024, 2025, 2026):
        d = wd(day(y, 1, 3))
        b.tx(f(d), d, "县税务局工会", f"{y}年工会困难补助资金划入",
             [(bank, 20000, None), ("Income:Union", -20000, None)])
        d = wd(day(y, 1, 4))
        b.tx(f(d), d, "县税务局财务股", f"{y}年从特需费中提取帮扶资金",
             [(bank, 30000, None), ("Income:SpecialFee", -30000, None)])
        d = wd(day(y, 6, 10))
        b.tx(f(d), d, "县税务局机关党委", f"{y}年党费提取",
             [(bank, 10000, None), ("Income:Dues", -10000, None)])
        for _ in range(rng.randint(18, 26)):
            d = wd(rand_day(rng, day(y, 6, 18), day(y, 6, 30)))
            who = b.names.new()
            x = m(rng.choice([100, 200, 200, 300, 500, 500, 1000]))
            b.tx(f(d), d, who, f"{y}年七一党员捐款", [(bank, x, None), ("Income:Donations:Members", -x, None)],
                 {"donor": who, "campaign": f"{y}七一捐款"})
        d = wd(day(y, 9, 16))
        b.tx(f(d), d, "县财政局", f"{y}年困难离退休干部帮扶补助",
             [(bank, 20000, None), ("Income:Fiscal", -20000, None)])
    t = fy("treasury")
    for y in (2024, 2025, 2026):
        d = day(y, 11, 18)
        b.tx(t(d), d, "县工商银行", "单位结算账户年费",
             [("Expenses:Fees:Bank", m(50), None), (bank, m(-50), None)])
    rates = {2024: D("0.0025"), 2025: D("0.0015"), 2026: D("0.0010")}
    b.deposit_interest(t, bank, "Income:Interest:Deposits", lambda s: rates[s.year], "县工商银行")
    for y in (2025, 2026):
        d = day(y, 1, 1)
        bal = b.cash_daily(bank, plus(d, -1))[plus(d, -1)]
        b.put(t(d), d, f"{d} balance {bank} {bal:.2f} CNY")



# =======================================================================================
# 4. The district (seed 000): holiday visits to members in hardship and pre-1949 members

DIST_UNITS = {
    "霞城乡": ["五星村", "阳塘村", "霞城村", "团结村", "长丰村"],
    "板塘乡": ["摇泉村", "板塘村", "芙蓉村", "红旗村"],
    "荷塘乡": ["荷塘村", "金塘村", "双拥村", "建华村"],
    "昭山乡": ["昭山村", "七星村", "白鹤村"],
    "易家湾镇": ["易家湾村", "九华村", "新湾社区", "杉山村"],
    "双马镇": ["双马村", "和平村", "桃源村"],
    "建设路街道": ["霞光社区", "建设路社区", "湖湘社区"],
    "岳塘街道": ["岳塘社区", "东坪社区", "滴水社区"],
    "书院路街道": ["书院社区", "莲城社区"],
    "下摄司街道": ["下摄司社区", "五里堆社区", "湘机社区"],
}
DIST_ORGANS = [
    "区委办", "区政府办", "区纪委监委", "区委组织部", "区委宣传部", "区委统战部", "区委政法委",
    "区发改局", "区教育局", "区科工信局", "区公安分局", "区民政局", "区司法局", "区财政局", "区人社局",
    "区自然资源分局", "区住建局", "区交通运输局", "区农业农村局", "区水利局", "区商务局", "区文旅广体局",
    "区卫健局", "区退役军人事务局", "区应急管理局", "区审计局", "区市场监管局", "区统计局", "区医保局",
    "区城管执法局", "区信访局", "区机关事务中心", "区总工会", "团区委", "区妇联", "区科协", "区残联",
    "区工商联", "区人民法院", "区人民检察院", "区融媒体中心", "区档案馆", "区委党校", "区税务局",
    "区人民医院", "区妇幼保健院", "区疾控中心", "区教师发展中心", "区林业局", "区政务服务中心",
    "区供销社", "区委老干部局", "区机关工委",
]
FORCED_DIST = {9: "欧阳建国", 33: "司马秀英", 58: "热合曼·阿不都", 120: "上官德福", 201: "诸葛桂兰",
               260: "潘泽高"}


class District(Book):
    def annual_review_date(self, y, mb):
        if y > 2025:
            return None
        return wd(day(y, 12, 12 - (y - 2024) + sum(map(ord, mb.branch)) % 2))


def dist_body(unit):
    return f"{unit}党工委" if unit.endswith("街道") else f"{unit}党委"


def build_district():
    b = District("district", "岳塘区困难党员关爱帮扶资金", seed=20240110,
                 start=day(2024, 1, 2), cutoff=day(2026, 11, 20))
    rng = b.rng
    units = list(DIST_UNITS)

    def new_member(reg, category=None):
        unit = rng.choices(units, [5, 4, 4, 3, 4, 3, 3, 3, 2, 3])[0]
        place = rng.choice(DIST_UNITS[unit])
        forced = FORCED_DIST.get(b.nmember + 1)
        if forced == "潘泽高":
            unit, place = "板塘乡", "摇泉村"
        if category is None:
            if place.endswith("社区"):
                category = rng.choices(["urban-dibao", "pre-1949", "laid-off"], [70, 6, 24])[0]
            else:
                category = rng.choices(["rural", "pre-1949", "wubao"], [82, 6, 12])[0]
        if category in ("pre-1949", "wubao"):
            tier = rng.choice(["relative", "special", "special"])
        else:
            tier = rng.choices(["general", "relative", "special"], [40, 40, 20])[0]
        name = b.names.take(forced) if forced else b.names.new(
            female=rng.random() < (0.4 if category == "pre-1949" else 0.3))
        if category in ("pre-1949", "wubao") and rng.random() < 0.6:
            contact = rng.choice(["跟踪联系人：“一联一”结对机关党员", "跟踪联系人：村党支部书记",
                                  "跟踪联系人：社区党委委员"])
        else:
            contact = phone(rng)
        mb = Member(b, name, f"{place}党支部" if not place.endswith("社区") else f"{place}党委",
                    category, contact, reg, tier, unit=unit)
        for y in (2024, 2025):
            if rng.random() < 0.08:
                order = ["general", "relative", "special"]
                mb.tier_changes[y] = order[max(0, min(2, order.index(tier) + rng.choice([-1, 1])))]
        return mb

    # 391 members in hardship registered at the start (391/5939 = 6.6%)
    for _ in range(391):
        new_member(wd(rand_day(rng, day(2024, 1, 3), day(2024, 1, 17))))
    for y in (2024, 2025, 2026):
        for _ in range(rng.randint(22, 30)):
            end = day(y, 11, 20) if y < 2026 else day(2026, 9, 30)
            new_member(wd(rand_day(rng, day(y, 3, 1), end)))
    for mb in b.members:
        p = {"pre-1949": 0.18, "wubao": 0.07}.get(mb.category, 0.015)
        for y in (2024, 2025, 2026):
            if mb.exit is None and rng.random() < p:
                d = wd(rand_day(rng, day(y, 1, 1), day(y, 12, 31) if y < 2026 else day(2026, 11, 13)))
                if d > plus(mb.first_review, 30):
                    mb.exit, mb.exit_reason = d, "本人去世"
        if mb.exit is None and mb.category in ("rural", "urban-dibao", "laid-off") and rng.random() < 0.09:
            y = rng.choice([2024, 2025])
            if day(y, 12, 1) > plus(mb.reg, 90):
                mb.none_year = y
                mb.exit = wd(rand_day(rng, day(y + 1, 1, 20), day(y + 1, 3, 20)))
                mb.exit_reason = rng.choice(["家庭人均收入超过帮扶标准，退出帮扶",
                                             "子女就业后家庭经济好转，本人申请退出",
                                             "再就业后收入稳定，退出帮扶"])
    b.freeze()

    occasions = [("2024年春节", day(2024, 1, 25), day(2024, 2, 7)),
                 ("2024年七一", day(2024, 6, 20), day(2024, 6, 30)),
                 ("2025年春节", day(2025, 1, 13), day(2025, 1, 24)),
                 ("2025年七一", day(2025, 6, 20), day(2025, 6, 30)),
                 ("2026年春节", day(2026, 2, 2), day(2026, 2, 13)),
                 ("2026年七一", day(2026, 6, 22), day(2026, 6, 30))]
    b.visits = []
    for label, a, z in occasions:
        dates = {u: rand_day(rng, a, z) for u in units}
        must, rest = [], []
        for mb in b.members:
            if not b.eligible(mb, dates[mb.unit]):
                continue
            tier = b.tier_on(mb, dates[mb.unit])
            (must if mb.category in ("pre-1949", "wubao") or tier == "special" else rest).append(mb)
        picked = must + rng.sample(rest, max(0, 125 - len(must)))
        by_unit = defaultdict(list)
        for mb in picked:
            tier = b.tier_on(mb, dates[mb.unit])
            x = 800 if mb.category == "pre-1949" else (400 if mb.category == "wubao" else
                                                       {"special": 400, "relative": 300, "general": 200}[tier])
            by_unit[mb.unit].append((mb, m(x)))
            mb.touch(dates[mb.unit])
        b.visits.append((label, [(u, dates[u], by_unit[u]) for u in units if by_unit[u]]))

    b.reliefs = []

    def relief(mb, account, asked, got, purpose, applied):
        app = App(b, mb, "relief", asked, purpose, applied)
        d = app.run(rng, ["branch-review", "publicity", "approve"])
        app.approve(d, got, dist_body(mb.unit))
        pd = wd(plus(d, rng.randint(2, 7)))
        assert b.eligible(mb, pd), (mb.name, pd)
        mb.touch(pd)
        b.reliefs.append((app, [(pd, m(got))], account, {}))

    def pick(d, pred=lambda mb: True):
        cands = [mb for mb in b.members if pred(mb) and b.eligible(mb, d) and b.eligible(mb, plus(d, 40))]
        return rng.choice(cands)

    for y in (2024, 2025, 2026):
        for _ in range(6):
            ad = wd(rand_day(rng, day(y, 2, 20), day(y, 10, 15)))
            asked = rng.choice([3000, 5000, 6000, 8000])
            relief(pick(ad), "Expenses:Relief:Medical", asked, min(asked, rng.choice([2000, 3000, 4000, 5000])),
                   rng.choice(["癌症手术住院", "脑溢血住院", "骨折手术", "尿毒症透析", "心脏搭桥手术",
                               "重症肺炎住院"]), ad)
        for _ in range(3):
            ad = wd(rand_day(rng, day(y, 3, 1), day(y, 10, 30)))
            relief(pick(ad), "Expenses:Relief:Emergency", rng.choice([3000, 5000]),
                   rng.choice([2000, 2500, 3000]),
                   rng.choice(["家中突发火灾", "暴雨致房屋垮塌", "家人突发车祸", "突发重病住院"]), ad)
    # 易家湾镇: three homeless members in extreme hardship (two new houses, one repair)
    for x, purpose in [(3000, "无房户新建住房"), (2800, "无房户新建住房"), (1400, "危房翻修")]:
        ad = wd(day(2024, 4, 8))
        relief(pick(ad, lambda mb, ad=ad: mb.unit == "易家湾镇" and b.tier_on(mb, ad) == "special"),
               "Expenses:Relief:Housing", x, x, purpose, ad)
    b.number()
    return b


def emit_district(b: District):
    rng = b.rng
    FA, FP = "accounts.beancount", "policy.beancount"
    yearly = ["members", "funding", "relief", "visits", "treasury"]
    b.file_order = [FA, FP] + [f"{y}/{k}.beancount" for y in range(2024, 2027) for k in yearly]
    bank = "Assets:Bank:Fund"
    for acct, name, pool in [
        (bank, "困难党员关爱帮扶资金专户", None),
        ("Income:Dues", "区管党费划拨", "spendable"),
        ("Income:Fiscal", "区财政困难党员帮扶专项资金", "spendable"),
        ("Income:Donations:Organs", "“一联一”机关党员捐款", "spendable"),
        ("Income:Interest:Deposits", "存款利息", "spendable"),
        ("Expenses:Relief:Visits", "七一、春节走访慰问", None),
        ("Expenses:Relief:Medical", "医疗救助", None),
        ("Expenses:Relief:Emergency", "突发事件临时救助", None),
        ("Expenses:Relief:Housing", "特困党员住房救助", None),
        ("Expenses:Fees:Bank", "银行手续费", None),
    ]:
        b.open(FA, b.start, acct, name, pool)
    for key, value in [
        ("review-valid-months", 12),
        ("publicity-days", 5),
        ("steps-relief", "branch-review publicity approve"),
        ("application-exempt", "Expenses:Relief:Visits"),
    ]:
        b.policy(FP, b.start, key, value)

    def fy(kind):
        return lambda d: f"{d.year}/{kind}.beancount"

    b.emit_members(fy("members"))
    b.emit_apps(lambda a, d=None: fy("relief")(d or a.applied))
    emit_reliefs(b, bank, fy("relief"))
    for label, batch in b.visits:
        for unit, d, rows in batch:
            rows = sorted(rows, key=lambda r: r[0].id)
            posts = [("Expenses:Relief:Visits", x, {"member": mb.id}) for mb, x in rows]
            posts.append((bank, -sum(x for _, x in rows), None))
            b.tx(fy("visits")(d), d, dist_body(unit), f"{label}走访慰问困难党员（{unit}）", posts)
            for mb, x in rows:
                b.relief_paid.append((d, mb, "Expenses:Relief:Visits", x, None, {}))
    f = fy("funding")
    for y in (2024, 2025, 2026):
        d = wd(day(y, 1, 8))
        b.tx(f(d), d, "区委组织部", f"{y}年区管党费划拨（春节慰问）",
             [(bank, 70000, None), ("Income:Dues", -70000, None)])
        d = wd(day(y, 6, 10))
        b.tx(f(d), d, "区委组织部", f"{y}年区管党费划拨（七一慰问）",
             [(bank, 30000, None), ("Income:Dues", -30000, None)])
        d = wd(day(y, 3, 16))
        b.tx(f(d), d, "区财政局", f"{y}年困难党员帮扶专项资金",
             [(bank, 40000, None), ("Income:Fiscal", -40000, None)])
        campaign = f"{y}一联一"
        for organ in DIST_ORGANS:
            d = wd(rand_day(rng, day(y, 4, 1), day(y, 5, 31)))
            x = m(D(rng.randint(30000, 120000)) / 100)
            b.tx(f(d), d, f"{organ}机关党支部", f"{y}年“一联一”结对帮扶党员捐款",
                 [(bank, x, None), ("Income:Donations:Organs", -x, None)],
                 {"donor": organ, "campaign": campaign})
    t = fy("treasury")
    for y in (2024, 2025, 2026):
        d = day(y, 11, 18)
        b.tx(t(d), d, "湘潭农商银行", "单位结算账户年费",
             [("Expenses:Fees:Bank", m(80), None), (bank, m(-80), None)])
    rates = {2024: D("0.0025"), 2025: D("0.0015"), 2026: D("0.0010")}
    b.deposit_interest(t, bank, "Income:Interest:Deposits", lambda s: rates[s.year], "湘潭农商银行")
    for y in (2025, 2026):
        d = day(y, 1, 1)
        bal = b.cash_daily(bank, plus(d, -1))[plus(d, -1)]
        b.put(t(d), d, f"{d} balance {bank} {bal:.2f} CNY")


def run(build, emit, head_extra=""):
    b = build()
    emit(b)
    b.number_meetings()
    states = b.check_positions()
    sizes = b.write(main_head(b.title, head_extra))
    last = states[max(states)]
    return b, sizes, last


if __name__ == "__main__":
    results = {}
    for key, (build, emit) in {"county": (build_county, emit_county),
                               "prefecture": (build_prefecture, emit_prefecture),
                               "taxbureau": (build_taxbureau, emit_taxbureau),
                               "district": (build_district, emit_district)}.items():
        b, sizes, last = run(build, emit)
        total = sum(sizes.values())
        cash, principal, spendable, loans, _ = last
        print(f"== {key}: {len(sizes) + 1} files, {total:,} bytes; members {len(b.members)}, "
              f"applications {len(b.apps)}, loans {len(b.loans)}")
        print(f"   end: cash {sum(cash.values())} principal {principal} spendable {spendable} "
              f"loans {loans}")
        for y, row in sorted(summarize(b).items()):
            print(f"   {y}: raised {row['raised']:>12} relief {row['relief']:>11} fees {row['fees']:>7} "
                  f"lent {row['lent']:>10} ({row['loans']}) released {row['released']} "
                  f"losses {row['losses']}")
