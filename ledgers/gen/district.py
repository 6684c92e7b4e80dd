"""The urban district (seed 000): ledgers/district/.

391 members in hardship registered (6.6% of 5,939), pre-1949 members and "five guarantees"
households among them; six Spring Festival / 1 July rounds of visits, about 125 members each;
dues, fiscal money and the 53 organs' "一联一" donations; some medical and emergency relief and
housing aid for three homeless members of 易家湾镇.
"""

from __future__ import annotations

from collections import defaultdict

from .writer import TIERS, Book, D, Member, day, m, phone, plus, rand_day, tier_step, wd

UNITS = {
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
ORGANS = [
    "区委办", "区政府办", "区纪委监委", "区委组织部", "区委宣传部", "区委统战部", "区委政法委",
    "区发改局", "区教育局", "区科工信局", "区公安分局", "区民政局", "区司法局", "区财政局", "区人社局",
    "区自然资源分局", "区住建局", "区交通运输局", "区农业农村局", "区水利局", "区商务局", "区文旅广体局",
    "区卫健局", "区退役军人事务局", "区应急管理局", "区审计局", "区市场监管局", "区统计局", "区医保局",
    "区城管执法局", "区信访局", "区机关事务中心", "区总工会", "团区委", "区妇联", "区科协", "区残联",
    "区工商联", "区人民法院", "区人民检察院", "区融媒体中心", "区档案馆", "区委党校", "区税务局",
    "区人民医院", "区妇幼保健院", "区疾控中心", "区教师发展中心", "区林业局", "区政务服务中心",
    "区供销社", "区委老干部局", "区机关工委",
]
FORCED = {9: "欧阳建国", 33: "司马秀英", 58: "热合曼·阿不都", 120: "上官德福", 201: "诸葛桂兰",
          260: "潘泽高"}
VISITS = [("2024年春节", day(2024, 1, 25), day(2024, 2, 7)),
          ("2024年七一", day(2024, 6, 20), day(2024, 6, 30)),
          ("2025年春节", day(2025, 1, 13), day(2025, 1, 24)),
          ("2025年七一", day(2025, 6, 20), day(2025, 6, 30)),
          ("2026年春节", day(2026, 2, 2), day(2026, 2, 13)),
          ("2026年七一", day(2026, 6, 22), day(2026, 6, 30))]
BANK = "Assets:Bank:Fund"
ACCOUNTS = [
    (BANK, "困难党员关爱帮扶资金专户", None),
    ("Income:Dues", "区管党费划拨", "spendable"),
    ("Income:Fiscal", "区财政困难党员帮扶专项资金", "spendable"),
    ("Income:Donations:Organs", "“一联一”机关党员捐款", "spendable"),
    ("Income:Interest:Deposits", "存款利息", "spendable"),
    ("Expenses:Relief:Visits", "七一、春节走访慰问", None),
    ("Expenses:Relief:Medical", "医疗救助", None),
    ("Expenses:Relief:Emergency", "突发事件临时救助", None),
    ("Expenses:Relief:Housing", "特困党员住房救助", None),
    ("Expenses:Fees:Bank", "银行手续费", None),
]
POLICY = [
    ("review-valid-months", 12),
    ("publicity-days", 5),
    ("steps-relief", "branch-review publicity approve"),
    ("application-exempt", "Expenses:Relief:Visits"),
]


class District(Book):
    years = (2024, 2025, 2026)
    yearly = ("members", "funding", "relief", "visits", "treasury")

    def annual_review_date(self, y, mb):
        if y > 2025:
            return None
        return wd(day(y, 12, 12 - (y - 2024) + sum(map(ord, mb.branch)) % 2))


def body(unit):
    return f"{unit}党工委" if unit.endswith("街道") else f"{unit}党委"


def new_member(b: District, reg):
    rng = b.rng
    unit = rng.choices(list(UNITS), [5, 4, 4, 3, 4, 3, 3, 3, 2, 3])[0]
    place = rng.choice(UNITS[unit])
    forced = FORCED.get(b.nmember + 1)
    if forced == "潘泽高":
        unit, place = "板塘乡", "摇泉村"
    if place.endswith("社区"):
        category = rng.choices(["urban-dibao", "pre-1949", "laid-off"], [70, 6, 24])[0]
    else:
        category = rng.choices(["rural", "pre-1949", "wubao"], [82, 6, 12])[0]
    if category in ("pre-1949", "wubao"):
        tier = rng.choice(["relative", "special", "special"])
    else:
        tier = rng.choices(TIERS, [40, 40, 20])[0]
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
            mb.tier_changes[y] = tier_step(rng, tier)
    return mb


def plan_members(b: District):
    rng = b.rng
    # 391 members in hardship registered at the start (391/5939 = 6.6%)
    for _ in range(391):
        new_member(b, wd(rand_day(rng, day(2024, 1, 3), day(2024, 1, 17))))
    for y in District.years:
        for _ in range(rng.randint(22, 30)):
            end = day(y, 11, 20) if y < 2026 else day(2026, 9, 30)
            new_member(b, wd(rand_day(rng, day(y, 3, 1), end)))
    for mb in b.members:
        p = {"pre-1949": 0.18, "wubao": 0.07}.get(mb.category, 0.015)
        for y in District.years:
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


def plan_visits(b: District):
    """About 125 members a round: every pre-1949, five-guarantees and special-tier member."""
    rng = b.rng
    for label, a, z in VISITS:
        dates = {u: rand_day(rng, a, z) for u in UNITS}
        must, rest = [], []
        for mb in b.members:
            if not b.active(mb, dates[mb.unit]):
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
        b.visits.append((label, [(u, dates[u], by_unit[u]) for u in UNITS if by_unit[u]]))


def plan_relief(b: District):
    rng = b.rng

    def relief(mb, account, asked, got, purpose, applied):
        b.relief(mb, account, asked, got, purpose, applied, body(mb.unit), first_gap=(2, 7))

    def pick(d, pred=lambda mb: True):
        return rng.choice(b.on_books([mb for mb in b.members if pred(mb)], d, 40))

    for y in District.years:
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


def build():
    b = District("district", "岳塘区困难党员关爱帮扶资金", seed=20240110,
                 start=day(2024, 1, 2), cutoff=day(2026, 11, 20))
    plan_members(b)
    plan_visits(b)
    plan_relief(b)
    b.number()
    return b


def emit(b: District):
    rng = b.rng
    b.setup(ACCOUNTS, POLICY)
    b.emit_members()
    b.emit_apps()
    b.emit_reliefs()
    for label, batch in b.visits:
        for unit, d, rows in batch:
            b.visit(d, body(unit), f"{label}走访慰问困难党员（{unit}）", sorted(rows, key=lambda r: r[0].id))
    for y in District.years:
        b.receive("funding", wd(day(y, 1, 8)), "区委组织部", f"{y}年区管党费划拨（春节慰问）",
                  "Income:Dues", 70000)
        b.receive("funding", wd(day(y, 6, 10)), "区委组织部", f"{y}年区管党费划拨（七一慰问）",
                  "Income:Dues", 30000)
        b.receive("funding", wd(day(y, 3, 16)), "区财政局", f"{y}年困难党员帮扶专项资金",
                  "Income:Fiscal", 40000)
        campaign = f"{y}一联一"
        for organ in ORGANS:
            d = wd(rand_day(rng, day(y, 4, 1), day(y, 5, 31)))
            x = m(D(rng.randint(30000, 120000)) / 100)
            b.receive("funding", d, f"{organ}机关党支部", f"{y}年“一联一”结对帮扶党员捐款",
                      "Income:Donations:Organs", x, {"donor": organ, "campaign": campaign})
    for y in District.years:
        b.fee(day(y, 11, 18), "湘潭农商银行", "单位结算账户年费", 80)
    b.deposit_interest({2024: D("0.0025"), 2025: D("0.0015"), 2026: D("0.0010")}, "湘潭农商银行")
    b.year_start_balances((2025, 2026))
