"""The prefecture organs' fund (seed 002): ledgers/prefecture/.

No public money (`fiscal-allowed` FALSE): three one-day-pay drives (a donation per work unit)
and party dues; 35 persons or households helped in three rounds with the four kinds of aid,
medical aid and an interest subsidy, each application verified a second time; every
beneficiary's tracking contact (跟踪联系人) visits after each payment and then about every
five months (回访), a few visits lapse in 2015; 刁志勇 leaves after relatives help him, three
applications are refused and two are still open at the end.
"""

from __future__ import annotations

import random

from .writer import App, Book, D, Member, Raw, add_months, amt, day, m, plus, quarter, rand_day, wd

UNITS = [
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
GROUP = "州直机关党内帮扶领导小组"
# (name, category, unit, batch, kind, plan, purpose): 35 persons/households helped 2013-2015
CASES = [
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
REJECTED = [
    ("吴志军", "serving", "州工商局", 2, "OneTime", 20000, "家庭经营亏损",
     "经再次核实，家庭人均可支配收入高于全州最低工资标准"),
    ("郭明华", "serving", "州安监局", 3, "Medical", 30000, "本人住院治疗",
     "无正当理由长期不按时交纳党费，不列入党内经济帮扶范围"),
    ("林国平", "retired", "州旅游局", 3, "OneTime", 15000, "车辆事故赔偿",
     "未按规定购买相关保险引起的困难，不列入党内经济帮扶范围"),
]
OPEN_AT_END = [("罗志刚", "serving", "州交通运输局", 30000, "胃癌手术"),
               ("泽让拉姆", "survivor", "州畜牧局", 15000, "丈夫病故，三个子女尚未成年")]
KIND_LABEL = {"OneTime": "一次性资助", "LongTerm": "长期性资助", "Temporary": "临时性资助",
              "Composite": "复合性资助", "Medical": "大病医疗资助", "InterestSubsidy": "创业贷款贴息"}
STEPS = ["branch-review", "verify", "publicity", "approve"]
# batch -> (register from, to, apply to, verify from, to, publicity, approve, pay to)
ROUNDS = {
    1: (day(2013, 9, 2), day(2013, 9, 10), day(2013, 9, 17), day(2013, 10, 14), day(2013, 10, 25),
        day(2013, 10, 28), day(2013, 11, 12), day(2013, 12, 10)),
    2: (day(2014, 3, 3), day(2014, 3, 14), day(2014, 3, 28), day(2014, 4, 21), day(2014, 5, 9),
        day(2014, 5, 19), day(2014, 6, 5), day(2014, 7, 4)),
    3: (day(2015, 3, 2), day(2015, 3, 13), day(2015, 3, 27), day(2015, 4, 20), day(2015, 5, 8),
        day(2015, 5, 18), day(2015, 6, 4), day(2015, 7, 3)),
}
# long-term aid is re-applied for every year: (applied, branch-review, verify, publicity, approve)
RENEWALS = {y: (day(y, 10, 8), day(y, 10, 14), day(y, 10, 21), day(y, 10, 27), day(y, 11, 10))
            for y in (2014, 2015)}
BANK, TERM = "Assets:Bank:Fund", "Assets:Bank:TimeDeposit"
ACCOUNTS = [
    (BANK, "党内帮扶资金专户（活期）", None),
    (TERM, "党内帮扶资金专户（一年期定期存款）", None),
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
]
POLICY = [
    ("fiscal-allowed", False),  # 不使用公共财政资金
    ("steps-relief", " ".join(STEPS)),  # 申报信息再次核实
    ("publicity-days", 5),
    ("review-valid-months", 12),
    ("relief-cap-year", Raw(amt(50000))),
    ("application-exempt", "Expenses:Relief:Visits"),
    ("follow-up-months", 6),  # 跟踪联系人定期回访
]


class Prefecture(Book):
    years = (2013, 2014, 2015)
    yearly = ("members", "funding", "relief", "treasury")

    def annual_review_date(self, y, mb):
        if y < 2014:
            return None
        return wd(day(y, 8, 20 - 2 * (y - 2014) + sum(map(ord, mb.branch)) % 3))


def branch(unit, category):
    if category == "retired":
        return f"{unit}离退休干部党支部"
    if unit.endswith(("医院", "学校", "中心", "保健院")):
        return f"{unit}党委第二党支部"
    return f"{unit}机关党支部"


class Plan:
    """The three rounds of applications (申报、支部评议、再次核实、公示、领导小组审批)."""

    def __init__(self, b: Prefecture):
        self.b, self.rng = b, b.rng

    def member(self, name, category, unit, reg):
        rng = self.rng
        contact = f"跟踪联系人：{rng.choice(['支部组织委员', '支部书记', '单位工会主席', '单位办公室党员干部'])}"
        return Member(self.b, self.b.names.take(name), branch(unit, category), category, contact, reg,
                      rng.choice(["relative", "special"]) if category != "retired" else
                      rng.choice(["general", "relative", "special"]), unit=unit)

    def apply(self, name, category, unit, batch, amount, purpose):
        """A member registered in a round's window who applies before its closing day."""
        r, rng = ROUNDS[batch], self.rng
        mb = self.member(name, category, unit, wd(rand_day(rng, r[0], r[1])))
        applied = wd(rand_day(rng, plus(mb.first_review, 1), max(plus(mb.first_review, 2), r[2])))
        return App(self.b, mb, "relief", amount, purpose, applied)

    def in_round(self, app, batch, reject=None):
        r, rng = ROUNDS[batch], self.rng
        d = app.step("branch-review", wd(plus(app.applied, rng.randint(3, 8))))
        d = app.step("verify", wd(rand_day(rng, max(plus(d, 3), r[3]), max(plus(d, 4), r[4]))))
        if reject:
            app.rejected = (wd(plus(d, 2)), reject)
            return None
        app.step("publicity", r[5])
        return app.approve(r[6], app.amount, GROUP)

    def pay(self, app, account, d, x, extra=None):
        self.b.reliefs.append((app, [(d, m(x))], account, extra or {}))

    def long_term(self, mb, batch, plan, purpose, first_app):
        """Quarterly long-term aid, re-applied for every year."""
        b, rng = self.b, self.rng
        approved = [(self.in_round(first_app, batch), first_app)]
        # renewals: batch 1 in the autumn, batch 2 with the next spring round
        if batch == 1:
            for y in (2014, 2015):
                a_, br, ve, pu, ap = RENEWALS[y]
                app = App(b, mb, "relief", plan * 4, purpose + "（续报）", a_)
                app.walk([("branch-review", br), ("verify", ve), ("publicity", pu), ("approve", ap)],
                         GROUP)
                approved.append((ap, app))
        elif batch == 2:
            r3 = ROUNDS[3]
            app = App(b, mb, "relief", plan * 4, purpose + "（续报）", wd(rand_day(rng, r3[1], r3[2])))
            approved.append((self.in_round(app, 3), app))
        for k, (ap, app) in enumerate(approved):
            first = wd(plus(ap, rng.randint(18, 24)))
            nxt = approved[k + 1][0] if k + 1 < len(approved) else b.cutoff
            for q_ in range(4):
                d = wd(add_months(first, 3 * q_))
                if d > nxt:
                    break
                self.pay(app, "Expenses:Relief:LongTerm", d, plan,
                         {"period": f"{d.year}年第{quarter(d)}季度"})

    def case(self, name, cat, unit, batch, kind, plan, purpose):
        b, rng = self.b, self.rng
        account = f"Expenses:Relief:{kind}"
        if name == "各郎":  # ad hoc temporary aid after a car accident
            app = App(b, self.member(name, cat, unit, day(2014, 2, 10)), "relief", plan, purpose,
                      day(2014, 2, 14))
            app.walk([("branch-review", day(2014, 2, 18)), ("verify", day(2014, 2, 25)),
                      ("publicity", day(2014, 2, 27)), ("approve", day(2014, 3, 10))], GROUP)
            self.pay(app, account, day(2014, 3, 18), plan)
            return
        if kind == "LongTerm":
            app = self.apply(name, cat, unit, batch, plan * 4, purpose)
            self.long_term(app.member, batch, plan, purpose, app)
            return
        total = sum(plan) if isinstance(plan, tuple) else (plan * 3 if kind == "InterestSubsidy" else plan)
        app = self.apply(name, cat, unit, batch, total, purpose)
        mb = app.member
        ap = self.in_round(app, batch)
        d = wd(rand_day(rng, plus(ap, 6), ROUNDS[batch][7]))
        if kind == "Composite":
            self.pay(app, account, d, plan[0])
            d2 = wd(add_months(d, 6))
            if name != "刁志勇" and d2 <= b.cutoff:
                self.pay(app, account, d2, plan[1])
        elif kind == "InterestSubsidy":
            for y in (2014, 2015):
                self.pay(app, account, wd(day(y, 9, 22)), plan, {"period": f"{y}年度贴息"})
        else:
            self.pay(app, account, d, plan)
        if name == "刁志勇":
            mb.exit = day(2015, 1, 20)
            mb.exit_reason = "从亲戚处获得一定资助后，本人主动向组织报告，要求退出帮扶"
        if name == "陈志刚":
            mb.none_year = 2015
            mb.exit = day(2015, 9, 14)
            mb.exit_reason = "女儿康复出院，家庭困难已缓解，本人申请退出帮扶"


def build():
    b = Prefecture("prefecture", "州直机关党内经济帮扶资金", seed=20130501,
                   start=day(2013, 5, 6), cutoff=day(2015, 12, 31))
    rng = b.rng
    plan = Plan(b)
    for row in CASES:
        plan.case(*row)
    for name, cat, unit, batch, _kind, amount, purpose, why in REJECTED:
        app = plan.apply(name, cat, unit, batch, amount, purpose)
        plan.in_round(app, batch, reject=why)
        if "收入" in why:
            app.member.none_year = 2015 if batch < 3 else None
    # applications still in progress at the year's end
    for name, cat, unit, amount, purpose in OPEN_AT_END:
        mb = plan.member(name, cat, unit, wd(rand_day(rng, day(2015, 11, 16), day(2015, 11, 27))))
        app = App(b, mb, "relief", amount, purpose, wd(plus(mb.first_review, rng.randint(3, 7))))
        app.step("branch-review", wd(plus(app.applied, rng.randint(4, 8))))
    b.freeze()
    b.number()
    return b


def emit_funding(b: Prefecture):
    rng = b.rng
    # party dues allocated by the organs' working committee
    for d in (day(2013, 5, 20), day(2014, 3, 17), day(2015, 3, 16)):
        b.receive("funding", d, "州直机关工委", f"{d.year}年党费划拨党内帮扶资金", "Income:Dues", 20000)
    # one-day pay drives (一日捐): every organ remits its members' day of pay
    targets = {2013: D("575318.60"), 2014: D("562947.35"), 2015: D("568206.80")}
    first = {2013: day(2013, 6, 24), 2014: day(2014, 6, 23), 2015: day(2015, 6, 22)}
    weights = {u: rng.randint(20, 140) for u in UNITS}
    for y, target in targets.items():
        campaign = f"{y}一日捐"
        ws = [weights[u] * D(rng.randint(90, 110)) / 100 for u in UNITS]
        left = target
        rows = []
        for i, (u, w) in enumerate(zip(UNITS, ws, strict=True)):
            x = left if i == len(UNITS) - 1 else m(target * w / sum(ws))
            left -= x
            rows.append((u, x))
        for u, x in rows:
            d = wd(plus(first[y], rng.randint(0, 32)))
            org = branch(u, "serving").replace("机关党支部", "机关党委")
            b.receive("funding", d, org, f"{campaign}（{u}）", "Income:Donations:OneDayPay", x,
                      {"campaign": campaign, "donor": u})
    # individual gifts from members, some retired leaders
    for y in Prefecture.years:
        for _ in range(rng.randint(4, 7)):
            d = wd(rand_day(rng, day(y, 7, 1) if y == 2013 else day(y, 1, 5), day(y, 12, 20)))
            who = b.names.new()
            x = m(rng.choice([500, 1000, 1000, 2000, 3000, 5000]))
            b.receive("funding", d, who, "党员个人捐款", "Income:Donations:Members", x, {"donor": who})


def emit(b: Prefecture):
    b.setup(ACCOUNTS, POLICY)
    b.emit_members()
    b.emit_apps()
    b.emit_reliefs(KIND_LABEL, on_posting=True)
    emit_funding(b)
    # a year's time deposit of the idle balance
    bank = "中国建设银行阿坝分行"
    b.receive("treasury", day(2014, 1, 10), "州直机关工委", "转存一年期定期存款", BANK, 200000, into=TERM)
    b.receive("treasury", day(2015, 1, 12), bank, "一年期定期存款到期结息", "Income:Interest:Deposits",
              6000, {"note": "本金200000元，年利率3.00%"}, into=TERM)
    b.receive("treasury", day(2015, 1, 12), "州直机关工委", "定期存款本息转回活期", TERM, 206000)
    b.receive("treasury", day(2015, 1, 15), "州直机关工委", "转存一年期定期存款", BANK, 600000, into=TERM)
    for y in Prefecture.years:
        for mo in (6, 12) if y > 2013 else (12,):
            b.fee(day(y, mo, 26), bank, "网银及短信服务费", 30)
    b.deposit_interest(dict.fromkeys(Prefecture.years, D("0.0035")), bank)
    b.year_start_balances((2014, 2015), (BANK, TERM))
    emit_follow_ups(b)


NOTES = ["了解资金使用情况", "家庭生活基本稳定", "病情好转，已恢复工作", "转达组织关心，听取困难和诉求",
         "协助办理医保报销", "子女就学情况良好"]


def emit_follow_ups(b: Prefecture):
    """The tracking contact's follow-up visits (回访): after each payment, then about every
    five months while helped; one beneficiary in seven is not visited after March 2015.
    Their own random stream, so that the rest of the ledger stays as it was."""
    rng = random.Random(20151231)
    paid: dict = {}
    for app, payments, _account, _meta in b.reliefs:
        paid.setdefault(app.member.id, (app.member, []))[1].extend(d for d, _ in payments)
    for n, (mid, (mb, days)) in enumerate(sorted(paid.items())):
        contact = mb.contact.split("：")[-1]
        end = min(mb.exit or b.cutoff, b.cutoff)
        if n % 7 == 3:
            end = min(end, day(2015, 3, 31))
        visits = {wd(plus(d, rng.randint(20, 40))) for d in days}
        d = min(days)
        while True:
            d = wd(plus(d, rng.randint(130, 160)))
            if d > end:
                break
            visits.add(d)
        for v in sorted(x for x in visits if x <= end):
            b.custom("members", v, "follow-up", mid,
                     meta={"contact": contact, "note": rng.choice(NOTES)})
