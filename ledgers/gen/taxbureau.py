"""The county tax bureau's retirees (seed 004): ledgers/taxbureau/.

Five spendable sources; monthly subsidies of 100 (general) / 200 (special) approved yearly and
paid quarterly with `months: 3`; veteran cadres, the old living alone, the seriously ill,
survivors and a fire victim; Spring Festival, 1 July and Double Ninth visits; 钱守义 dies and
his widow 孙桂芝 is taken on as a survivor household; a grant towards an old people's home.
"""

from __future__ import annotations

from collections import defaultdict

from .writer import App, Book, D, Member, Raw, Ref, amt, day, m, phone, quarter, rand_day, wd

BRANCHES = ["县税务局离休干部党支部", "县税务局退休干部第一党支部", "县税务局退休干部第二党支部"]
# (name, category, branch index, tier at registration, monthly subsidy?)
MEMBERS = [
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
BODY = "县税务局党委"
RATE = {"general": 100, "special": 200}
VISITS = [("2024年春节", day(2024, 2, 2)), ("2024年七一", day(2024, 6, 28)),
          ("2024年重阳节", day(2024, 10, 11)), ("2025年春节", day(2025, 1, 21)),
          ("2025年七一", day(2025, 6, 27)), ("2025年重阳节", day(2025, 10, 29)),
          ("2026年春节", day(2026, 2, 10)), ("2026年七一", day(2026, 6, 26)),
          ("2026年重阳节", day(2026, 10, 16))]
BANK = "Assets:Bank:Fund"
ACCOUNTS = [
    (BANK, "离退休干部帮扶基金专户", None),
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
]
POLICY = [
    ("subsidy-general", Raw(amt(100))),  # 贫困党员每人每月100元
    ("subsidy-special", Raw(amt(200))),  # 特困党员每人每月200元
    ("review-valid-months", 12),
    ("publicity-days", 5),
    ("steps-relief", "branch-review publicity approve"),
    ("application-exempt", "Expenses:Relief:Visits"),
]


class TaxBureau(Book):
    years = (2024, 2025, 2026)
    yearly = ("members", "funding", "subsidies", "relief", "visits", "treasury")

    def annual_review_date(self, y, mb):
        if y > 2025:
            return None
        return wd(day(y, 12, 10 - (y - 2024) + BRANCHES.index(mb.branch) % 2))


def plan_members(b: TaxBureau):
    rng = b.rng
    subsidised = []
    for k, (name, cat, br, tier, sub) in enumerate(MEMBERS):
        reg = wd(day(2024, 1, 3 + k % 3))
        contact = phone(rng) if cat not in ("veteran-cadre", "living-alone") or k % 2 else \
            "跟踪联系人：结对帮扶在职党员（人事教育股）"
        mb = Member(b, b.names.take(name), BRANCHES[br], cat, contact, reg, tier)
        mb.first_review = day(2024, 1, 8)
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
    sun = Member(b, b.names.take("孙桂芝"), BRANCHES[0], "survivor", "跟踪联系人：离休干部党支部书记",
                 day(2025, 3, 20), "special")
    # a retiree whose house burned down (灾难) and one newly found seriously ill each year
    fire = Member(b, b.names.take("龚德贵"), BRANCHES[2], "disaster", phone(rng), day(2025, 7, 8), "special")
    Member(b, b.names.new(), BRANCHES[1], "seriously-ill", phone(rng), day(2025, 4, 14), "relative")
    Member(b, b.names.new(), BRANCHES[2], "seriously-ill", phone(rng), day(2026, 3, 9), "relative")
    b.freeze()
    return byname, subsidised, sun, fire


def subsidy_year(b: TaxBureau, mb, y, applied, steps, months, pays):
    """A year's (or the rest of a year's) monthly subsidy, paid on the days it is on the books."""
    tier = b.tier_on(mb, pays[0][0])
    app = App(b, mb, "relief", RATE[tier] * months, f"{y}年度生活定补（{months}个月）", applied)
    app.monthly = m(RATE[tier])
    app.walk(steps, BODY)
    b.subsidy_apps.append((app, [(d, mo) for d, mo in pays if b.active(mb, d)]))


def plan_subsidies(b: TaxBureau, subsidised, sun):
    quarters = {y: [day(y, 1, 10), day(y, 4, 10), day(y, 7, 10), day(y, 10, 10)] for y in (2025, 2026)}
    quarters[2024] = [day(2024, 1, 25), day(2024, 4, 10), day(2024, 7, 10), day(2024, 10, 10)]
    b.subsidy_apps = []  # (App, [(pay date, months)])
    for y in TaxBureau.years:
        if y == 2024:
            applied = day(2024, 1, 9)
            steps = [("branch-review", day(2024, 1, 10)), ("publicity", day(2024, 1, 11)),
                     ("approve", day(2024, 1, 19))]
        else:
            applied = day(y - 1, 12, 16)
            steps = [("branch-review", day(y - 1, 12, 18)), ("publicity", day(y - 1, 12, 19)),
                     ("approve", day(y - 1, 12, 29) if y == 2025 else day(y - 1, 12, 26))]
        for mb in subsidised:
            if b.active(mb, quarters[y][0]):
                subsidy_year(b, mb, y, wd(applied), steps, 12, [(d, 3) for d in quarters[y]])
    # 孙桂芝 from the second quarter of 2025
    subsidy_year(b, sun, 2025, day(2025, 3, 24), [("branch-review", day(2025, 3, 26)),
                 ("publicity", day(2025, 3, 27)), ("approve", day(2025, 4, 3))], 9,
                 [(d, 3) for d in quarters[2025][1:]])


def plan_relief(b: TaxBureau, byname, fire):
    rng = b.rng

    def relief(mb, account, asked, got, purpose, applied):
        b.relief(mb, account, asked, got, purpose, applied, BODY, first_gap=(2, 6))

    ill = [mb for mb in b.members if mb.category in ("seriously-ill", "veteran-cadre")]
    for y in TaxBureau.years:
        for _ in range(4):
            ad = wd(rand_day(rng, day(y, 2, 20), day(y, 10, 20)))
            mb = rng.choice(b.on_books(ill, ad, 40))
            asked = rng.choice([5000, 6000, 8000, 10000])
            relief(mb, "Expenses:Relief:Medical", asked, min(asked, rng.choice([3000, 4000, 5000, 6000])),
                   rng.choice(["恶性肿瘤住院治疗", "心脏支架手术", "脑梗塞住院康复", "慢性肾衰竭透析",
                               "髋关节置换手术"]), ad)
    relief(fire, "Expenses:Relief:Emergency", 8000, 5000, "2025年7月住房失火，家中财物损毁", day(2025, 7, 10))
    relief(byname["吴秀兰"], "Expenses:Relief:Care", 3000, 3000, "高龄独居、行动不便，资助入住县老年公寓",
           day(2025, 9, 8))


def plan_visits(b: TaxBureau):
    """Spring Festival and the Double Ninth (重阳) for all; 1 July for cadres and the poorest."""
    for label, d in VISITS:
        rows = []
        for mb in sorted(b.members, key=lambda x: x.id):
            if not b.active(mb, d):
                continue
            tier = b.tier_on(mb, d)
            if "七一" in label and mb.category != "veteran-cadre" and tier != "special":
                continue
            x = 800 if mb.category == "veteran-cadre" else {"special": 500, "relative": 400,
                                                             "general": 300}[tier]
            rows.append((mb, m(x)))
        b.visits.append((label, d, rows))


def build():
    b = TaxBureau("taxbureau", "某县税务局离退休干部困难帮扶基金", seed=20240102,
                  start=day(2024, 1, 2), cutoff=day(2026, 11, 20))
    byname, subsidised, sun, fire = plan_members(b)
    plan_subsidies(b, subsidised, sun)
    plan_relief(b, byname, fire)
    plan_visits(b)
    b.number()
    return b


def emit(b: TaxBureau):
    rng = b.rng
    b.setup(ACCOUNTS, POLICY)
    b.emit_members()
    b.emit_apps(lambda a: "subsidies" if "定补" in a.purpose else "relief")
    b.emit_reliefs()
    # subsidies: one payment per quarter, a posting per member with months:
    by_day = defaultdict(list)
    for app, pays in b.subsidy_apps:
        for d, months in pays:
            by_day[d].append((app, months))
    for d in sorted(by_day):
        posts = [("Expenses:Relief:Subsidy", app.monthly * months, {
            "member": app.member.id, "application": Ref(lambda a=app: a.id), "months": months})
            for app, months in sorted(by_day[d], key=lambda r: r[0].member.id)]
        posts.append((BANK, -sum(x for _, x, _ in posts), None))
        b.tx("subsidies", d, "县税务局人事教育股", f"{d.year}年第{quarter(d)}季度困难党员生活定补", posts)
    for label, d, rows in b.visits:
        b.visit(d, BODY, f"{label}走访慰问困难离退休党员", sorted(rows, key=lambda r: r[0].id))
    for y in TaxBureau.years:
        b.receive("funding", wd(day(y, 1, 3)), "县税务局工会", f"{y}年工会困难补助资金划入",
                  "Income:Union", 20000)
        b.receive("funding", wd(day(y, 1, 4)), "县税务局财务股", f"{y}年从特需费中提取帮扶资金",
                  "Income:SpecialFee", 30000)
        b.receive("funding", wd(day(y, 6, 10)), "县税务局机关党委", f"{y}年党费提取", "Income:Dues", 10000)
        for _ in range(rng.randint(18, 26)):
            d = wd(rand_day(rng, day(y, 6, 18), day(y, 6, 30)))
            who = b.names.new()
            x = m(rng.choice([100, 200, 200, 300, 500, 500, 1000]))
            b.receive("funding", d, who, f"{y}年七一党员捐款", "Income:Donations:Members", x,
                      {"donor": who, "campaign": f"{y}七一捐款"})
        b.receive("funding", wd(day(y, 9, 16)), "县财政局", f"{y}年困难离退休干部帮扶补助",
                  "Income:Fiscal", 20000)
    for y in TaxBureau.years:
        b.fee(day(y, 11, 18), "县工商银行", "单位结算账户年费", 50)
    b.deposit_interest({2024: D("0.0025"), 2025: D("0.0015"), 2026: D("0.0010")}, "县工商银行")
    b.year_start_balances((2025, 2026))
