"""User-facing words, Chinese first, English available (``--lang en``)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "position": ("资金状况", "Fund position"),
    "as_of": ("截至", "as of"),
    "item": ("项目", "Item"),
    "amount": ("金额", "Amount"),
    "cash": ("现金（专户余额）", "Cash"),
    "loans_outstanding": ("借出未还", "Loans outstanding"),
    "principal": ("本金", "Principal"),
    "spendable": ("可支用资金", "Spendable"),
    "cash_accounts": ("其中各现金账户", "Cash by account"),
    "account": ("账户", "Account"),
    "loan_book": ("借款台账", "Loan book"),
    "id": ("编号", "ID"),
    "member": ("成员", "Member"),
    "branch": ("支部", "Branch"),
    "disbursed": ("放款日", "Disbursed"),
    "lent": ("借款金额", "Lent"),
    "due": ("到期日", "Due"),
    "repaid": ("已还本金", "Repaid"),
    "outstanding": ("未还本金", "Outstanding"),
    "status": ("状态", "Status"),
    "days_past_due": ("逾期天数", "Days past due"),
    "aging": ("账龄", "Aging"),
    "total": ("合计", "Total"),
    "current": ("正常", "current"),
    "overdue": ("逾期", "overdue"),
    "written-off": ("已核销", "written off"),
    "undisbursed": ("未放款", "undisbursed"),
    "register": ("帮扶对象台账", "Member register"),
    "name": ("姓名", "Name"),
    "category": ("类别", "Category"),
    "contact": ("联系人", "Contact"),
    "registered": ("登记日", "Registered"),
    "exited": ("退出", "Exited"),
    "eligible": ("当日是否符合帮扶条件", "Eligible on that day"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "reviews": ("年度审核", "Reviews"),
    "date": ("日期", "Date"),
    "tier": ("困难等级", "Tier"),
    "applications": ("申请", "Applications"),
    "kind": ("类别", "Kind"),
    "applied": ("申请金额", "Applied"),
    "approved": ("批准金额", "Approved"),
    "paid": ("已付", "Paid"),
    "steps": ("步骤", "Steps"),
    "received": ("受助记录", "Relief received"),
    "loans": ("借款", "Loans"),
    "interest": ("利息", "Interest"),
    "none": ("无", "none"),
    "errors_found": ("发现 {n} 个错误", "{n} errors"),
    "no_errors": ("没有发现错误", "no errors"),
    "loan": ("借款", "loan"),
    "relief": ("救济", "relief"),
    "general": ("一般困难", "general"),
    "relative": ("比较困难", "relative"),
    "special": ("特别困难", "special"),
    "tier_none": ("不再困难", "none"),
}


class Words:
    def __init__(self, lang: str = "zh"):
        self.i = 0 if lang == "zh" else 1

    def __call__(self, key: str, **kw: object) -> str:
        pair = WORDS.get(key)
        text = pair[self.i] if pair else key
        return text.format(**kw) if kw else text
