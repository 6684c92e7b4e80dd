"""The shared writer of the demo ledgers: dates and money, the story's objects, and a `Book`.

A `Book` collects a fund's entries (accounts, policy, members and reviews, applications and
their steps, transactions, releases) and writes them as a multi-file beancount ledger under
ledgers/<key>/: `main.beancount` with the options, the plugin and one `include` per file,
`accounts.beancount`, `policy.beancount` and a file per year and kind (`2024/relief.beancount`).

The writer has no rule logic. `Pools` is the story's own arithmetic: it tallies cash and the
principal / spendable pools so that a fund module can size its committee's releases and the
bank's deposit interest. Whether the ledgers keep the rules (pools, eligibility, workflow) is
for fundledger to say: tests/test_demo_ledgers.py loads every demo ledger and checks it clean.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import shutil
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent  # ledgers/
D = Decimal
CENT = D("0.01")
ZERO = D("0")
FA, FP = "accounts.beancount", "policy.beancount"


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


def quarter(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


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
TIERS = ["general", "relative", "special"]


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def take(self, name: str) -> str:
        assert name not in self.used, name
        self.used.add(name)
        return name

    def surname(self) -> str:
        i = min(int(self.rng.expovariate(1 / 22)), len(SURNAMES) - 1)
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
            name = (surname or self.surname()) + self.given(female)
            if name not in self.used and name[-1] != name[-2]:
                return self.take(name)
        raise RuntimeError("names exhausted")


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3579')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"


def tier_step(rng: random.Random, tier: str) -> str:
    """A tier one step up or down (dynamic management at an annual review)."""
    return TIERS[max(0, min(2, TIERS.index(tier) + rng.choice([-1, 1])))]


# ---------------------------------------------------------------------------------------
# The story's objects


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
        self.loans: list[Loan] = []
        self._reviews = None
        book.members.append(self)


class App:
    """An application (申报) and its steps."""

    def __init__(self, book, member, kind, amount, purpose, applied):
        self.member, self.kind = member, kind
        self.amount, self.purpose, self.applied = m(amount), purpose, applied
        self.steps: list[tuple[str, dt.date]] = []
        self.approved: tuple[dt.date, Decimal, str] | None = None  # (date, amount, body)
        self.rejected: tuple[dt.date, str] | None = None
        self.id = None
        book.apps.append(self)

    def step(self, name, d):
        self.steps.append((name, d))
        return d

    def approve(self, d, amount, body):
        self.step("approve", d)
        self.approved = (d, m(amount), body)
        return d

    def run(self, rng, names, start_gap=(2, 5), gap=(1, 3), pub_gap=(7, 11)):
        """Walk the steps up to approval; returns the approval date."""
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

    def walk(self, steps, body):
        """Take the given (step, date) pairs, approving the amount asked for."""
        for name, d in steps:
            if name == "approve":
                self.approve(d, self.amount, body)
            else:
                self.step(name, d)


class Loan:
    def __init__(self, app, disb, rate, due, guarantor):
        self.app, self.member, self.amount = app, app.member, app.amount
        self.disb, self.rate, self.due, self.guarantor = disb, rate, due, guarantor
        self.payments: list[tuple[dt.date, Decimal, Decimal]] = []  # (date, principal, interest)
        self.reschedule: tuple[dt.date, dt.date, str] | None = None
        self.writeoff: tuple[dt.date, dt.date, str] | None = None  # approval, posting, reason
        self.id = None
        app.member.loans.append(self)

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
# Rendering of values


class Ref:
    """A value rendered late (IDs are numbered after planning)."""

    def __init__(self, fn):
        self.fn = fn


class Raw:
    """A value written as it is (an amount)."""

    def __init__(self, s):
        self.s = s


def metaval(v) -> str:
    if isinstance(v, Ref):
        v = v.fn()
    if isinstance(v, Raw):
        return v.s
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal | int):
        return str(v)
    return q(v)


def meta_text(meta, indent="  "):
    return "".join(f"\n{indent}{k}: {metaval(v)}" for k, v in (meta or {}).items() if v is not None)


def role(a: str) -> str:
    if a.startswith(("Assets:Bank:", "Assets:Cash:")):
        return "cash"
    if a.startswith("Assets:Loans:"):
        return "loan"
    if a.startswith(("Income:", "Equity:Opening")):
        return "source"
    if a.startswith("Expenses:Relief:"):
        return "relief"
    if a == "Expenses:Losses" or a.startswith("Expenses:Losses:"):
        return "loss"
    if a == "Expenses:Fees" or a.startswith("Expenses:Fees:"):
        return "fees"
    raise ValueError(f"account outside the fund's roles: {a}")


# ---------------------------------------------------------------------------------------
# The story's tally of cash and pools (SPEC §1), for sizing releases and deposit interest


class Pools:
    def __init__(self):
        self.pool_of: dict[str, str] = {}  # source account -> "principal" | "spendable"
        self.ops: list[tuple[dt.date, int, str, object]] = []  # (date, seq, kind, data)

    def days(self):
        """Day-end states: {date: (cash by account, principal, spendable, loans)}."""
        cash = defaultdict(lambda: ZERO)
        principal = spendable = loans = ZERO
        states = {}
        for d, _, kind, data in sorted(self.ops, key=lambda o: (o[0], o[1])):
            if kind == "release":
                principal -= data
                spendable += data
                data = []
            for a, x in data:
                r = role(a)
                if r == "cash":
                    cash[a] += x
                elif r == "loan":
                    loans += x
                elif r == "source" and self.pool_of[a] == "spendable" or r in ("relief", "fees"):
                    spendable -= x
                elif r in ("source", "loss"):
                    principal -= x
            states[d] = (dict(cash), principal, spendable, loans)
        return states

    def postings(self):
        return ((d, a, x) for d, _, kind, data in self.ops if kind == "tx" for a, x in data)

    def cash_daily(self, account, start, until):
        """End-of-day balance of one cash account for every day from ``start`` to ``until``."""
        deltas = defaultdict(lambda: ZERO)
        for d, a, x in self.postings():
            if a == account:
                deltas[d] += x
        out = {}
        bal = ZERO
        while start <= until:
            bal += deltas.get(start, ZERO)
            out[start] = bal
            start = plus(start, 1)
        return out

    def spendable_before(self, t):
        before = [(d, s) for d, s in self.days().items() if d < t]
        return max(before)[1][2] if before else ZERO

    def paid_out(self, a, b):
        """Relief and fees paid from day a up to (not including) day b."""
        return sum((x for d, acct, x in self.postings()
                    if a <= d < b and role(acct) in ("relief", "fees")), ZERO)

    def by_year(self):
        """Money raised and used per year (for the report and the README)."""
        out = defaultdict(lambda: defaultdict(lambda: ZERO))
        names = {"source": "raised", "relief": "relief", "fees": "fees", "loss": "losses"}
        for d, a, x in self.postings():
            r = role(a)
            if r in names:
                out[d.year][names[r]] += -x if r == "source" else x
            elif r == "loan" and x > 0:
                out[d.year]["lent"] += x
                out[d.year]["loans"] += 1
        for d, _, kind, data in self.ops:
            if kind == "release":
                out[d.year]["released"] += data
        return out


# ---------------------------------------------------------------------------------------
# The book

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


RELIEF_LABELS = {"Medical": "医疗救助", "Education": "困难党员子女上大学资助",
                 "Emergency": "突发事件临时救助"}  # narrations of relief payments; others "救助"


def path(kind: str, d: dt.date) -> str:
    """The file an entry goes to: a named file, or `<year>/<kind>.beancount`."""
    return kind if kind.endswith(".beancount") else f"{d.year}/{kind}.beancount"


class Book:
    bank = "Assets:Bank:Fund"
    years: tuple[int, ...] = ()
    yearly: tuple[str, ...] = ()  # the kinds of yearly files, in include order

    def __init__(self, key, title, seed, start, cutoff):
        self.key, self.title, self.start, self.cutoff = key, title, start, cutoff
        self.rng = random.Random(seed)
        self.names = Names(self.rng)
        self.entries: list[tuple[str, dt.date, int, object]] = []  # (file, date, seq, text|fn)
        self.seq = 0
        self.pools = Pools()
        self.members: list[Member] = []
        self.nmember = 0
        self.apps: list[App] = []
        self.loans: list[Loan] = []
        self.reliefs: list[tuple[App, list, str, dict]] = []  # (app, [(day, x)], account, meta)
        self.visits: list = []
        self.meetings: set = set()
        self.minutes_no: dict = {}

    # --- entries
    def put(self, kind, d, text):
        assert self.start <= d <= self.cutoff, (self.key, d, kind)
        self.seq += 1
        self.entries.append((path(kind, d), d, self.seq, text))

    def open(self, acct, name, pool=None):
        if role(acct) == "source":
            self.pools.pool_of[acct] = pool or (
                "spendable" if acct.startswith("Income:Interest") else "principal")
        self.put(FA, self.start, f"{self.start} open {acct} CNY" + meta_text({"name": name, "pool": pool}))

    def setup(self, accounts, policy):
        """accounts.beancount and policy.beancount, all dated the first day."""
        for acct, name, pool in accounts:
            self.open(acct, name, pool)
        for key, value in policy:
            self.custom(FP, self.start, "fund-policy", key, value)

    def custom(self, kind, d, typ, *values, meta=None):
        self.put(kind, d, lambda: f"{d} custom {q(typ)} {' '.join(map(metaval, values))}"
                 + meta_text(meta))

    def tx(self, kind, d, payee, narration, postings, meta=None):
        """postings: [(account, amount, meta|None)]; the last one's amount is elided unless it
        has metadata. An account may be a Ref (a loan's account, named once loans are numbered)."""
        postings = [(a, m(x), pm) for a, x, pm in postings]

        def render():
            head = f"{d} * {q(payee)} {q(narration)}" if payee else f"{d} * {q(narration)}"
            lines = [head + meta_text(meta)]
            for i, (a, x, pm) in enumerate(postings):
                a = a.fn() if isinstance(a, Ref) else a
                if i == len(postings) - 1 and not pm:
                    lines.append(f"  {a}")
                else:
                    lines.append(f"  {a:<36} {x:>10.2f} CNY" + meta_text(pm, "    "))
            return "\n".join(lines)

        self.put(kind, d, render)
        self.pools.ops.append((d, self.seq, "tx", [
            ("Assets:Loans:" if isinstance(a, Ref) else a, x) for a, x, _ in postings]))

    def receive(self, kind, d, payee, narration, source, x, meta=None, into=None):
        """``x`` from ``source`` (an income account, or cash) into the bank (or ``into``)."""
        self.tx(kind, d, payee, narration, [(into or self.bank, x, None), (source, -x, None)], meta)

    def fee(self, d, payee, narration, x):
        self.tx("treasury", d, payee, narration,
                [("Expenses:Fees:Bank", x, None), (self.bank, -x, None)])

    def release(self, d, amount, minutes, note):
        self.custom("treasury", d, "release", Raw(amt(amount)), meta={"minutes": minutes, "note": note})
        self.pools.ops.append((d, self.seq, "release", m(amount)))

    def visit(self, d, payee, narration, rows, cash=None):
        """A visits round's payment: a posting per member, from the bank (or ``cash``)."""
        posts = [("Expenses:Relief:Visits", x, {"member": mb.id}) for mb, x in rows]
        posts.append((cash or self.bank, -sum(x for _, x in rows), None))
        self.tx("visits", d, payee, narration, posts)

    def deposit_interest(self, rate_of_year, payee, account=None):
        """Quarterly demand-deposit interest (结息日 the 20th of Mar/Jun/Sep/Dec, 积数/360)."""
        account = account or self.bank
        prev = self.start
        for y in range(self.start.year, self.cutoff.year + 1):
            for mo in (3, 6, 9, 12):
                s = day(y, mo, 21)
                if not self.start < s <= self.cutoff:
                    continue
                bal = self.pools.cash_daily(account, self.start, s)
                acc = sum((bal[plus(prev, i)] for i in range((s - prev).days)), ZERO)
                interest = m(acc * rate_of_year[s.year] / 360)
                if interest > 0:
                    self.receive("treasury", s, payee, "活期存款结息", "Income:Interest:Deposits",
                                 interest, into=account)
                prev = s

    def year_start_balances(self, years, accounts=None):
        """A `balance` per cash account on 1 January, as the bank statement shows (对账)."""
        for y in years:
            d, eve = day(y, 1, 1), day(y - 1, 12, 31)
            for acct in accounts or (self.bank,):
                bal = self.pools.cash_daily(acct, self.start, eve)[eve]
                self.put("treasury", d, f"{d} balance {acct} {bal:.2f} CNY")

    def plan_releases(self, decisions, group, note, step=5000, margin=3000):
        """The committee's releases of principal: at each decision, enough (rounded up to
        ``step``, with ``margin``) for the relief and fees until the next decision that the
        spendable pool of the day before cannot pay."""
        decisions = list(decisions)
        for i, t in enumerate(decisions):
            nxt = decisions[i + 1] if i + 1 < len(decisions) else plus(self.cutoff, 1)
            deficit = self.pools.paid_out(t, nxt) - self.pools.spendable_before(t)
            if deficit > 0:
                r = -(-int(deficit + margin) // step) * step
                self.release(t, r, self.meeting(group, t), note)

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

    def tier_on(self, mb, d):
        """The tier of the member's latest review before day d (None before the first)."""
        last = None
        for rd, t in self.reviews(mb):
            if rd < d:
                last = t
        return last

    def active(self, mb: Member, d: dt.date) -> bool:
        """Whether the story still counts the member on day d: first reviewed before d, not
        yet exited, and the latest review found hardship. (Whether that makes a payment
        eligible is fundledger's rule, checked on the output.)"""
        if d <= mb.first_review or (mb.exit and d >= mb.exit):
            return False
        return self.tier_on(mb, d) != "none"

    def on_books(self, members, d, ahead):
        """The members the story counts on day d and still ``ahead`` days later."""
        return [mb for mb in members if self.active(mb, d) and self.active(mb, plus(d, ahead))]

    # --- relief: an application walked to approval and paid in one or more parts
    def relief(self, mb, account, asked, got, purpose, applied, body, first_gap=(2, 6),
               parts=1, meta=None, reject=None):
        rng = self.rng
        app = App(self, mb, "relief", asked, purpose, applied)
        d = app.run(rng, ["branch-review", "publicity", "approve"])
        if reject:
            app.rejected = (d, reject)
            return None
        got = m(got)
        app.approve(d, got, body)
        pays = []
        left = got
        pd = d
        for k in range(parts):
            pd = wd(plus(pd, rng.randint(*first_gap) if k == 0 else rng.randint(25, 40)))
            x = left if k == parts - 1 else m(int(got / parts / 100) * 100)
            left -= x
            if pd > self.cutoff or not self.active(mb, pd):
                break
            pays.append((pd, x))
        self.reliefs.append((app, pays, account, meta or {}))
        return app

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

    # --- writing the plan
    def emit_members(self):
        for mb in sorted(self.members, key=lambda mb: mb.id):
            self.custom("members", mb.reg, "member", mb.id, meta={
                "name": mb.name, "branch": mb.branch, "category": mb.category,
                "contact": mb.contact})
            for rd, tier in self.reviews(mb):
                self.custom("members", rd, "review", mb.id, tier)
            if mb.exit:
                self.custom("members", mb.exit, "exit", mb.id, meta={"reason": mb.exit_reason})

    def emit_apps(self, kind_of=lambda app: "relief"):
        for a in sorted(self.apps, key=lambda a: a.id):
            ref, kind = Ref(lambda a=a: a.id), kind_of(a)
            self.custom(kind, a.applied, "apply", ref, a.member.id, a.kind, Raw(amt(a.amount)),
                        meta={"purpose": a.purpose})
            for name, d in a.steps:
                if name == "approve":
                    _, amount, body = a.approved
                    self.custom(kind, d, "approve", ref, Raw(amt(amount)), meta={
                        "body": body, "minutes": self.meeting(body, d)})
                else:
                    self.custom(kind, d, name, ref)
            if a.rejected:
                d, reason = a.rejected
                self.custom(kind, d, "reject", ref, meta={"reason": reason})

    def emit_reliefs(self, labels=RELIEF_LABELS, on_posting=False):
        """A transaction per relief payment; the member and application in the transaction's
        metadata, or (``on_posting``) on the relief posting."""
        for app, pays, account, extra in self.reliefs:
            mb = app.member
            for pd, x in pays:
                ids = {"member": mb.id, "application": Ref(lambda a=app: a.id)}
                meta, pm = (extra, ids) if on_posting else ({**ids, **extra}, None)
                self.tx("relief", pd, mb.name, labels.get(account.split(":")[2], "救助"),
                        [(account, x, pm), (self.bank, -x, None)], meta)

    def number(self):
        """Number members by registration, applications and loans in date order by year."""
        for i, mb in enumerate(sorted(self.members, key=lambda mb: (mb.reg, mb.id)), 1):
            mb.id = f"M{i:04d}"
        _number_by_year("A", self.apps, lambda a: (a.applied, a.member.id))
        _number_by_year("L", self.loans, lambda ln: (ln.disb, ln.app.id))

    def write(self):
        out = OUT / self.key
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        files = defaultdict(list)
        for f, d, seq, text in self.entries:
            files[f].append((d, seq, text))
        file_order = [FA, FP] + [f"{y}/{k}.beancount" for y in self.years for k in self.yearly]
        order = [f for f in file_order if f in files] + sorted(set(files) - set(file_order))
        sizes = {}
        for f in order:
            items = sorted(files[f], key=lambda e: (e[0], e[1]))
            body = [FILE_HEADS.get(f.split("/")[-1], "").format(title=self.title, year=f.split("/")[0])]
            for _, _, text in items:
                body.append((text() if callable(text) else text) + "\n")
            p = out / f
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("\n".join(s for s in body if s), encoding="utf-8")
            sizes[f] = p.stat().st_size
        head = (f'option "title" {q(self.title)}\n'
                'option "operating_currency" "CNY"\n\n'
                'plugin "fundledger.plugin"\n')
        inc = "\n".join(f'include "{f}"' for f in order)
        (out / "main.beancount").write_text(head + "\n" + inc + "\n", encoding="utf-8")
        return sizes

    def report(self, sizes):
        """What the book holds, for the console (the figures of ledgers/README.md)."""
        cash, principal, spendable, loans = self.pools.days()[max(self.pools.days())]
        print(f"== {self.key}: {len(sizes) + 1} files, {sum(sizes.values()):,} bytes; members "
              f"{len(self.members)}, applications {len(self.apps)}, loans {len(self.loans)}")
        print(f"   end: cash {sum(cash.values())} principal {principal} spendable {spendable} "
              f"loans {loans}")
        for y, row in sorted(self.pools.by_year().items()):
            print(f"   {y}: raised {row['raised']:>12} relief {row['relief']:>11} fees {row['fees']:>7} "
                  f"lent {row['lent']:>10} ({row['loans']}) released {row['released']} "
                  f"losses {row['losses']}")


def _number_by_year(prefix, items, key):
    """IDs `<prefix><year>-001`… in the order of ``key`` (whose first part is a date)."""
    by_year = defaultdict(list)
    for it in items:
        by_year[key(it)[0].year].append(it)
    for y, group in by_year.items():
        for i, it in enumerate(sorted(group, key=key), 1):
            it.id = f"{prefix}{y}-{i:03d}"


def run(build, emit):
    """Plan a fund, write its entries, number its minutes and write its folder."""
    b = build()
    emit(b)
    b.number_meetings()
    b.report(b.write())
    return b
