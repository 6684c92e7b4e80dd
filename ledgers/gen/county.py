"""The county revolving fund (seeds 001, 003), the default demo: ledgers/county/.

27万 to start (20万 raised + 7万 from the organisation department's welfare fund), then about
10万 a year; about 50 production loans of 3,000–5,000 a year through the whole loan workflow,
李金明's 5,000 pig-farming loan repaid at year end, a write-off, a reschedule and five loans
overdue on the last day; holiday visits from petty cash, medical aid, university grants and
the 2024 flood relief; the committee's releases of principal where earnings fall short.
"""

from __future__ import annotations

from .writer import (
    COMPOUND,
    ZERO,
    App,
    Book,
    D,
    Loan,
    Member,
    Raw,
    Ref,
    add_months,
    amt,
    day,
    m,
    meta_text,
    phone,
    plus,
    rand_day,
    tier_step,
    wd,
)

TOWNS = {
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
ORGANS = [
    "县委办机关党支部", "县政府办机关党支部", "县纪委监委机关党支部", "县委组织部机关党支部",
    "县委宣传部机关党支部", "县发改委机关党支部", "县财政局机关党支部", "县教育局机关党总支",
    "县公安局党委", "县民政局机关党支部", "县人社局机关党支部", "县自然资源局党支部",
    "县住建局机关党支部", "县交通运输局党支部", "县农业农村局党总支", "县水利局机关党支部",
    "县卫健委机关党支部", "县人民医院党委", "县审计局党支部", "县市场监管局党支部",
    "县税务局机关党委", "县供电公司党委", "县农商银行党委", "县文旅局机关党支部",
    "县总工会机关党支部", "团县委党支部", "县妇联党支部", "县统计局党支部",
]
COMPANIES = ["县农村商业银行", "徽茶茶业有限公司", "县建工集团有限公司", "绿源食品有限公司",
             "县邮政分公司", "宏达竹木制品厂"]
FORCED = {3: "欧阳春华", 12: "司马德贵", 25: "上官秀英", 47: "阿依古丽·买买提",
          88: "诸葛建平", 131: "欧阳桂兰", 170: "司马文清"}
FUND_GROUP = "县困难党员帮扶基金管理和监督小组"
BANK, CASH = "Assets:Bank:Fund", "Assets:Cash:Office"
ACCOUNTS = [
    (BANK, "困难党员帮扶基金专户（县农村商业银行）", None),
    (CASH, "慰问金备用现金（县委组织部）", None),
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
]
POLICY = [
    ("loan-max", Raw(amt(5000))), ("loan-min", Raw(amt(3000))),
    ("loan-term-months", 24), ("loan-extension-months", 12),
    ("loan-annual-quota", 50), ("loan-per-member", 1),
    ("loan-rate-max", D("0.0435")), ("guarantor-required", True),
    ("publicity-days", 5), ("review-valid-months", 12),
    ("steps-loan", "branch-review publicity approve inspect"),
    ("steps-relief", "branch-review publicity approve"),
    ("application-exempt", "Expenses:Relief:Visits"),
    ("education-grant", Raw(amt(1000))),
]
VISITS = [
    ("2023年七一", day(2023, 6, 25), day(2023, 6, 30)),
    ("2024年春节", day(2024, 1, 29), day(2024, 2, 6)),
    ("2024年七一", day(2024, 6, 24), day(2024, 6, 30)),
    ("2025年春节", day(2025, 1, 15), day(2025, 1, 24)),
    ("2025年七一", day(2025, 6, 23), day(2025, 6, 30)),
    ("2026年春节", day(2026, 2, 2), day(2026, 2, 12)),
    ("2026年七一", day(2026, 6, 24), day(2026, 6, 30)),
]


class County(Book):
    years = (2023, 2024, 2025, 2026)
    yearly = ("members", "funding", "loans", "repayments", "relief", "visits", "treasury")

    def annual_review_date(self, y, mb):
        if y > 2025:
            return None  # the 2026 review falls after the ledger's last day
        off = (sum(map(ord, mb.branch)) % 3)
        return day(y, 12, 18 - 2 * (y - 2023) + off)

    def minutes_format(self, body, year, n):
        return f"{body}〔{year}〕{n}号" if body == FUND_GROUP else f"{body}会议纪要〔{year}〕{n}号"


def new_member(b: County, reg, kind):
    rng = b.rng
    town = rng.choice(list(TOWNS))
    village = rng.choice(TOWNS[town])
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
    forced = FORCED.get(b.nmember + 1)
    if forced:
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
            t = tier_step(rng, t)
            mb.tier_changes[y] = t
    return mb


def plan_loan(b: County, mb, applied, amount, purpose, reject=None):
    rng = b.rng
    app = App(b, mb, "loan", amount, purpose, applied)
    d = app.run(rng, ["branch-review", "publicity", "approve", "inspect"])
    if reject:
        app.rejected = (d, reject)
        return None
    app.approve(d, amount, f"{mb.unit}党委")
    d = app.step("inspect", wd(plus(d, rng.randint(2, 6))))
    disb = wd(plus(d, rng.randint(3, 12)))
    weights = [40, 35, 25] if mb.tier0 == "special" else [86, 10, 4]
    rate = rng.choices([D("0.0435"), D("0.0200"), D("0")], weights)[0]
    plan = rng.choices(["annual", "two", "end", "three"], [25, 40, 20, 15])[0]
    due = add_months(disb, 12 if plan == "annual" else 24)
    guarantor = (f"{mb.unit}人民政府" if rng.random() < 0.6 else mb.branch)
    ln = Loan(app, disb, rate, due, guarantor)
    ln.plan = plan
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
        ln.payments.append((pd, m(p), m(bal * rate * (pd - last).days / 365)))
        bal -= p
        last = pd
    return ln


def interest(ln, pd, last):
    bal = ln.amount - sum((p for d, p, _ in ln.payments if d < pd), ZERO)
    return m(bal * ln.rate * (pd - last).days / 365)


def li_jinming(b: County, applied):
    """Seed 003: 潭溪乡文青村 李金明, 5000 for cross-bred pigs, repaid at year end."""
    mb = Member(b, b.names.take("李金明"), "文青村党支部", "rural", phone(b.rng),
                day(2023, 1, 3), "special", unit="潭溪乡")
    mb.kind, mb.village = "borrower", "文青村"
    mb.first_review = day(2023, 1, 4)
    app = App(b, mb, "loan", 5000, "养殖三元杂交猪", applied)
    app.walk([("branch-review", day(2023, 1, 6)), ("publicity", day(2023, 1, 9)),
              ("approve", day(2023, 1, 16)), ("inspect", day(2023, 1, 18))], "潭溪乡党委")
    disb = day(2023, 1, 30)
    ln = Loan(app, disb, D("0.0435"), add_months(disb, 24), "潭溪乡人民政府")
    ln.plan = "annual"
    pd = day(2023, 12, 27)
    ln.payments.append((pd, m(5000), m(D(5000) * D("0.0435") * (pd - disb).days / 365)))
    b.loans.append(ln)
    return mb


def plan_loans(b: County):
    """About 50 loans a year (每年确定扶贫党员50名), some to earlier borrowers."""
    rng = b.rng
    quotas = {2023: 50, 2024: 45, 2025: 50, 2026: 46}  # 2024: cash is tight until 2023's loans return
    rejects = {2023: 1, 2024: 2, 2025: 2, 2026: 1}
    borrowers: list[Member] = []
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
                borrowers.append(li_jinming(b, ad))
                continue
            mb = None
            if rng.random() < 0.2:
                cands = [c for c in borrowers if c.exit is None and all(
                    ln.closed_on() and ln.closed_on() < plus(ad, -30) for ln in c.loans)
                    and c.loans and b.active(c, ad)]
                if cands:
                    mb = rng.choice(cands)
            if mb is None:
                reg = max(day(2023, 1, 3), wd(plus(ad, -rng.randint(8, 45))))
                mb = new_member(b, reg, "borrower")
                borrowers.append(mb)
            purpose = rng.choice(LOAN_PURPOSES)
            amount = rng.choice([3000, 3000, 3500, 4000, 4000, 4500, 5000, 5000, 5000])
            reason = None
            if i in rej_at:
                reason = rng.choice(["项目市场风险较大，经集体研究暂不予扶持",
                                     "申请人家庭收入已超过帮扶标准", "担保条件未落实"])
            plan_loan(b, mb, ad, amount, purpose, reject=reason)
    return borrowers


def troubled_loans(b: County):
    """A write-off, a reschedule and five loans overdue at the ledger's last day."""
    rng = b.rng
    loans = sorted(b.loans, key=lambda ln: ln.disb)
    # a write-off: a 2023 borrower dies with half the loan unpaid (核销)
    wo = next(ln for ln in loans if ln.disb.year == 2023 and ln.plan == "two" and ln.rate > 0
              and ln.disb.month >= 3 and len(ln.member.loans) == 1)
    wo.payments = wo.payments[:1]
    wo.member.exit, wo.member.exit_reason = wd(day(2024, 8, 12)), "本人因病去世"
    wo.writeoff = (day(2025, 4, 10), day(2025, 4, 15),
                   "借款人已病故，家庭无偿还能力，经监督小组核实同意核销剩余本金")
    # a reschedule (展期): the 2024 flood ruined a borrower's crop
    rs = next(ln for ln in loans if ln.disb.year == 2024 and ln.plan == "two" and ln.rate > 0
              and day(2026, 3, 1) < ln.due < day(2026, 8, 31) and ln is not wo
              and ln is ln.member.loans[-1] and ln.member.name != "李金明"
              and ln.member.unit in ("宏村镇", "中田乡", "熊村镇"))
    rs.payments = rs.payments[:1]
    rs.reschedule = (wd(plus(rs.due, -20)), add_months(rs.due, 9),
                     "2024年洪灾致养殖项目受损，经集体研究同意展期")
    pd = day(2026, 9, 22)
    rs.payments.append((pd, m(1000), interest(rs, pd, rs.payments[-1][0])))
    # a handful overdue at the ledger's last day (逾期)
    overdue = [ln for ln in loans if day(2025, 9, 1) < ln.due < day(2026, 10, 31)
               and ln not in (wo, rs) and ln.payments[-1][0] >= plus(ln.due, -30)
               and len(ln.payments) >= 2 and ln is ln.member.loans[-1]
               and ln.member.name != "李金明"]
    for k, ln in enumerate(rng.sample(overdue, 5)):
        keep = ln.payments[:-1]
        if k == 0:
            # paid part late, still owing
            pd = plus(ln.due, 25)
            if pd <= b.cutoff:
                keep.append((pd, m(500), interest(ln, pd, keep[-1][0])))
        ln.payments = keep
    # drop what falls after the last day
    for ln in loans:
        ln.payments = [p for p in ln.payments if p[0] <= b.cutoff]


def borrowers_leave(b: County, borrowers):
    """Members out of hardship after repaying (脱贫退出)."""
    rng = b.rng
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


def plan_carers(b: County):
    """Relief-only members: the old, the sick, members who joined before 1949, households."""
    rng = b.rng
    carers: list[Member] = []
    for i in range(30):
        kind = "pre1949" if i < 6 else rng.choice(["elder", "elder", "ill"])
        reg = wd(rand_day(rng, day(2023, 1, 4), day(2023, 6, 2)))
        carers.append(new_member(b, reg, kind))
    for y in (2023, 2024, 2025, 2026):
        for _ in range(6):
            reg = wd(rand_day(rng, day(y, 7, 5), day(y, 11, 30)) if y < 2026
                     else rand_day(rng, day(2026, 1, 5), day(2026, 5, 30)))
            carers.append(new_member(b, reg, rng.choice(["elder", "ill", "ill"])))
    for mb in carers:
        p_die = 0.2 if mb.kind == "pre1949" else 0.05
        for y in (2023, 2024, 2025, 2026):
            if mb.exit is None and rng.random() < p_die:
                d = wd(rand_day(rng, day(y, 1, 1), day(y, 12, 31) if y < 2026 else day(2026, 10, 30)))
                if d > plus(mb.first_review, 60):
                    mb.exit, mb.exit_reason = d, "本人去世"
    for i in range(75):
        reg = wd(rand_day(rng, day(2023, 1, 4), day(2023, 5, 31)) if i < 45 else
                 rand_day(rng, day(2023, 7, 1), day(2026, 8, 31)))
        mb = new_member(b, reg, "household")
        if mb.tier0 == "special":
            mb.tier0 = "relative"
        carers.append(mb)
        if rng.random() < 0.25 and reg < day(2025, 6, 1):
            y = rng.choice([yy for yy in (2023, 2024, 2025) if day(yy, 12, 1) > plus(reg, 60)])
            mb.none_year = y
            mb.exit = wd(rand_day(rng, day(y + 1, 2, 20), day(y + 1, 3, 31)))
            mb.exit_reason = "家庭收入明显增加，经年度审核已不符合帮扶条件"
    for mb in rng.sample([c for c in carers if c.exit is None and c.kind != "pre1949"], 2):
        mb.exit = wd(rand_day(rng, day(2025, 4, 1), day(2025, 9, 30)))
        mb.exit_reason = "随子女迁居外省，组织关系转出"
    return carers


def plan_visits(b: County):
    """七一 and Spring Festival visits, a round per town, from petty cash."""
    rng = b.rng
    for label, a, z in VISITS:
        by_town = {}
        for mb in b.members:
            if not b.active(mb, a) or not b.active(mb, z):
                continue
            tier = b.tier_on(mb, a)
            if mb.kind in ("pre1949", "elder", "ill"):
                go = True
            elif tier == "special":
                go = rng.random() < 0.4
            else:
                go = tier == "relative" and rng.random() < 0.06
            if go:
                x = 800 if mb.kind == "pre1949" else {"special": 400, "relative": 300,
                                                       "general": 200}[tier]
                by_town.setdefault(mb.unit, []).append((mb, m(x)))
        towns = sorted(by_town, key=lambda t: list(TOWNS).index(t))
        visit_days = sorted(rand_day(rng, a, z) for _ in towns)
        batch = [(town, vd, sorted(by_town[town], key=lambda r: r[0].id))
                 for town, vd in zip(towns, visit_days, strict=True)]
        b.visits.append((label, plus(a, -1), batch))


def plan_relief(b: County):
    """Medical aid for large bills, grants for children admitted to university, flood relief."""
    rng = b.rng

    def relief(mb, account, asked, got, purpose, applied, meta=None, reject=None):
        b.relief(mb, account, asked, got, purpose, applied, f"{mb.unit}党委", first_gap=(3, 9),
                 parts=2 if m(got) >= 4000 else 1, meta=meta, reject=reject)

    def pick(pool, d, n):
        cands = b.on_books(pool, d, 60)
        return rng.sample(cands, min(n, len(cands)))

    ill = [mb for mb in b.members if mb.kind in ("ill", "elder", "pre1949")]
    for y in (2023, 2024, 2025, 2026):
        for _ in range(6 if y > 2023 else 4):
            ad = wd(rand_day(rng, day(y, 2, 15) if y > 2023 else day(y, 6, 1),
                             day(y, 10, 15) if y < 2026 else day(y, 9, 15)))
            pool = ill if rng.random() < 0.75 else b.borrowers
            for mb in pick(pool, ad, 1):
                asked = m(rng.choice([3000, 4000, 5000, 6000, 8000]))
                got = min(asked, m(rng.choice([2000, 3000, 3000, 4000, 5000])))
                relief(mb, "Expenses:Relief:Medical", asked,
                       got, rng.choice(["住院治疗费用较大", "恶性肿瘤放化疗", "脑梗塞住院",
                                        "尿毒症透析", "股骨骨折手术", "慢性肺病住院"]), ad)
        # 考入大学的困难党员子女一次性资助1000元
        n_edu = {2023: 2, 2024: 3, 2025: 3, 2026: 2}[y]
        for mb in pick([x for x in b.borrowers if x.exit is None], day(y, 7, 20), n_edu):
            surname = mb.name[:2] if mb.name[:2] in COMPOUND else mb.name[0]
            if "·" in mb.name:
                continue
            child = b.names.new(surname=surname, female=rng.random() < 0.5)
            ad = wd(rand_day(rng, day(y, 7, 20), day(y, 8, 5)))
            college = rng.choice(["安徽大学", "合肥工业大学", "安徽师范大学", "安徽农业大学",
                                  "黄山学院", "南昌大学", "江西师范大学"])
            relief(mb, "Expenses:Relief:Education", 1000, 1000, f"子女{child}考入{college}",
                   ad, meta={"child": child})
    # the June 2024 flood (突发事件临时救助)
    for mb in pick([x for x in b.members if x.unit in ("宏村镇", "中田乡", "熊村镇")],
                   day(2024, 7, 2), 5):
        x = rng.choice([1500, 2000, 3000])
        relief(mb, "Expenses:Relief:Emergency", x, x, "2024年6月洪灾房屋进水、农作物受损",
               wd(rand_day(rng, day(2024, 7, 1), day(2024, 7, 4))))
    # one refused
    mb = pick(b.borrowers, day(2025, 3, 10), 1)[0]
    relief(mb, "Expenses:Relief:Medical", 5000, 5000, "门诊慢性病费用", day(2025, 3, 10),
           reject="经核实已享受城乡居民医保大病报销，个人负担不大，不予资助")


def build():
    b = County("county", "某县困难党员帮扶基金", seed=20230101,
               start=day(2023, 1, 1), cutoff=day(2026, 11, 20))
    b.borrowers = plan_loans(b)
    troubled_loans(b)
    borrowers_leave(b, b.borrowers)
    b.carers = plan_carers(b)
    b.freeze()
    plan_visits(b)
    plan_relief(b)
    b.number()
    return b


def emit_loans(b: County):
    for ln in sorted(b.loans, key=lambda ln: ln.disb):
        mb = ln.member
        acct = Ref(lambda ln=ln: f"Assets:Loans:{ln.id}")
        b.put("loans", ln.disb, lambda ln=ln, mb=mb: (
            f"{ln.disb} open Assets:Loans:{ln.id} CNY" + meta_text(
                {"name": f"{mb.name}{ln.app.purpose}借款"})))
        b.tx("loans", ln.disb, mb.name, f"{ln.app.purpose}借款",
             [(acct, ln.amount, None), (BANK, -ln.amount, None)],
             {"application": Ref(lambda ln=ln: ln.app.id), "due": ln.due,
              "guarantor": ln.guarantor, "rate": ln.rate})
        bal = ln.amount
        for pd, p, i in ln.payments:
            bal -= p
            narration = ("结清借款本息" if bal == 0 else "归还借款本息") if i else (
                "结清借款" if bal == 0 else "归还借款本金")
            posts = [(BANK, p + i, None), (acct, -p, None)]
            if i:
                posts.append(("Income:Interest:Loans", -i, None))
            b.tx("repayments", pd, mb.name, narration, posts)
            if bal == 0:
                b.put("repayments", pd, lambda ln=ln, pd=pd: f"{pd} close Assets:Loans:{ln.id}")
        if ln.reschedule:
            d, new_due, why = ln.reschedule
            b.custom("loans", d, "reschedule", Ref(lambda ln=ln: ln.id), new_due,
                     meta={"minutes": b.meeting(FUND_GROUP, d), "note": why})
        if ln.writeoff:
            d, post, why = ln.writeoff
            b.custom("loans", d, "write-off", Ref(lambda ln=ln: ln.id),
                     meta={"minutes": b.meeting(FUND_GROUP, d), "note": why})
            b.tx("loans", post, mb.name, "核销无法收回的借款本金",
                 [("Expenses:Losses:Loans", bal, None), (acct, -bal, None)])
            b.put("loans", post, lambda ln=ln, post=post: f"{post} close Assets:Loans:{ln.id}")


def emit_funding(b: County):
    """27万 to start (20万 raised + 7万 transferred), then about 10万 a year."""
    rng = b.rng
    b.receive("funding", day(2023, 1, 3), "县委组织部", "组织部农民党员福利基金划入",
              "Income:Transfer:WelfareFund", 70000)
    b.receive("funding", day(2023, 1, 4), "县财政局", "财政帮扶资金拨付", "Income:Fiscal", 50000)
    for i, town in enumerate(TOWNS):
        b.receive("funding", day(2023, 1, 4 + i % 3), f"{town}党委", "基层党委筹集帮扶资金",
                  "Income:Committees", 7500, {"donor": f"{town}党委"})
    b.receive("funding", day(2023, 1, 6), "县委组织部", "留存党费划拨", "Income:Dues", 50000)
    organs = rng.sample(ORGANS, 16)
    shares = [rng.randint(15, 40) for _ in organs]
    left = m(40000)
    for i, (organ, s) in enumerate(zip(organs, shares, strict=True)):
        x = left if i == len(organs) - 1 else m(D(40000) * s / sum(shares) // 10 * 10)
        left -= x
        b.receive("funding", wd(day(2023, 1, 9 + i % 5)), organ, "机关单位党员募捐",
                  "Income:Donations:Members", x, {"donor": organ, "campaign": "2023机关党员募捐"})
    for y in County.years:
        if y > 2023:
            b.receive("funding", wd(day(y, 2, rng.randint(18, 26))), "县委组织部",
                      f"{y}年留存党费划拨", "Income:Dues", 35000)
            b.receive("funding", wd(day(y, 3, rng.randint(10, 20))), "县财政局",
                      f"{y}年度财政帮扶资金", "Income:Fiscal", 30000)
            for c in rng.sample(COMPANIES, 3):
                d = wd(rand_day(rng, day(y, 9, 1), day(y, 11, 13)))
                x = m(rng.choice([2000, 3000, 5000, 8000, 10000]))
                b.receive("funding", d, c, "社会捐赠困难党员帮扶基金", "Income:Donations:Society", x,
                          {"donor": c})
        campaign = f"{y}一日捐"
        for organ in ORGANS:
            d = wd(rand_day(rng, day(y, 7, 1), day(y, 7, 31)))
            x = m(D(rng.randint(40000, 160000)) / 100)
            b.receive("funding", d, organ, f"{campaign}（{organ}）", "Income:Donations:Members", x,
                      {"donor": organ, "campaign": campaign})


def emit(b: County):
    b.setup(ACCOUNTS, POLICY)
    b.emit_members()
    b.emit_apps(lambda a: "loans" if a.kind == "loan" else "relief")
    emit_loans(b)
    b.emit_reliefs()
    for label, eve, batch in b.visits:
        total = sum(x for _, _, rows in batch for _, x in rows)
        b.receive("visits", eve, "县委组织部", f"提取现金备发{label}慰问金", BANK, total, into=CASH)
        for town, vd, rows in batch:
            b.visit(vd, f"{town}党委", f"{label}走访慰问困难党员（{town}）", rows, cash=CASH)
    emit_funding(b)
    # bank fees (quarterly SMS service, yearly account fee)
    for y in County.years:
        for mo in (3, 6, 9, 12):
            if day(y, mo, 25) <= b.cutoff:
                b.fee(day(y, mo, 25), "县农村商业银行", "短信通知服务费", 6)
        b.fee(day(y, 11, 18), "县农村商业银行", "单位结算账户年度管理费", 100)
    b.deposit_interest({2023: D("0.0030"), 2024: D("0.0025"), 2025: D("0.0015"),
                        2026: D("0.0010")}, "县农村商业银行")
    # releases (本金调剂用于救济) where earnings are not enough
    decisions = [day(2023, 6, 12), day(2024, 1, 15), day(2024, 6, 12), day(2025, 1, 6),
                 day(2025, 6, 11), day(2026, 1, 20), day(2026, 6, 10)]
    b.plan_releases(decisions, FUND_GROUP,
                    "基金创收部分不足以支付走访慰问和医疗救助，经监督小组集体研究从本金中调剂")
    b.year_start_balances((2024, 2025, 2026), (BANK, CASH))
