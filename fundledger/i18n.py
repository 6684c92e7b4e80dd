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
    # the annual notice
    "notice_title": ("{year}年度帮扶资金筹集使用情况通报",
                     "Report on the raising and use of the assistance fund, {year}"),
    "edition_public": ("公开版（不含个人信息）", "Public edition (no personal data)"),
    "edition_internal": ("党内版（仅限党内传阅）", "Internal edition (party members only)"),
    "intro": ("现将{year}年度帮扶资金筹集、使用情况通报如下。",
              "This reports how the fund's money was raised and used in {year}."),
    "s_position": ("一、资金总体情况", "1. Fund position"),
    "col_start": ("年初", "Start of year"),
    "col_end": ("年末", "End of year"),
    "col_change": ("增减", "Change"),
    "position_note": ("现金 = 本金 + 可支用资金 − 借出未还。",
                      "Cash = principal + spendable − loans outstanding."),
    "s_raised": ("二、资金筹集情况", "2. Money raised"),
    "raised_text": ("本年共筹集资金 {amount} 元（{upper}），上年 {last} 元，{change}。",
                    "The fund raised {amount} yuan ({upper}) this year, against {last} last year, {change}."),
    "source": ("来源", "Source"),
    "share": ("占比", "Share"),
    "donors_text": ("出资党员和单位共 {n} 个。", "{n} members and bodies contributed."),
    "campaign": ("募捐活动", "Drive"),
    "s_used": ("三、资金使用情况", "3. Money used"),
    "relief_head": ("（一）无偿救济", "(1) Free relief"),
    "relief_text": ("共支出 {amount} 元（{upper}），帮扶 {n} 人（户）；上年 {last} 元，{change}。",
                    "{amount} yuan ({upper}) paid to {n} members or households; {last} last year, {change}."),
    "relief_none": ("本年无救济支出。", "No relief was paid this year."),
    "relief_kind": ("类别", "Kind"),
    "members_helped": ("人数", "Members"),
    "loans_head": ("（二）有偿扶助（借款）", "(2) Repayable help (loans)"),
    "loans_text": ("本年发放借款 {count} 笔，计 {amount} 元；收回本金 {repaid} 元；核销 {written_off} 元。"
                   "年末借出未还 {outstanding} 元，其中逾期 {overdue_count} 笔、{overdue_amount} 元。",
                   "{count} loans of {amount} yuan in all were made; {repaid} of principal came back; "
                   "{written_off} was written off. At year end {outstanding} was lent out, of which "
                   "{overdue_count} loans and {overdue_amount} overdue."),
    "rate_text": ("还款率 {rate}。", "Repayment rate {rate}."),
    "rate_none": ("截至年末尚无到期借款，不计还款率。", "No loan had fallen due by year end."),
    "rate_definition": ("还款率：截至年末已到期的借款本金中，到年末已收回本金所占的比例（按基金全部历史计算，核销部分不计为收回）。",
                        "Repayment rate: of the principal that had fallen due by year end over the fund's "
                        "whole history, the share repaid by then (amounts written off count as not repaid)."),
    "other_head": ("（三）收益与其他", "(3) Earnings and other movements"),
    "other_text": ("利息收入 {interest} 元；银行手续费 {fees} 元；经集体研究由本金转入可支用资金 {released} 元。",
                   "Interest earned {interest}; bank fees {fees}; moved from principal to spendable by "
                   "committee decision {released}."),
    "s_beneficiaries": ("四、受助人员名单", "4. Members helped"),
    "beneficiaries_note": ("姓名已作遮蔽处理，仅限党内传阅，不得公开或转载。",
                           "Names are masked; for party members only, not to be published."),
    "s_verify": ("说明与核验", "Notes and verification"),
    "privacy_public": ("本通报不列受助人员姓名及任何个人信息。",
                       "This edition names nobody and shows no personal data."),
    "privacy_internal": ("本通报仅在党内通报，不在媒体或公开场合发布。",
                         "This edition is circulated inside the party only, never in the media."),
    "period": ("统计期间", "Period"),
    "generated": ("生成日期", "Generated"),
    "fingerprint": ("账本指纹（SHA-256）", "Ledger fingerprint (SHA-256)"),
    "ledger_files": ("账本文件", "Ledger files"),
    "verify_text": ("以同一账本运行 fundledger notice，可复核本通报的指纹和全部数字。",
                    "Running fundledger notice on the same ledger reproduces this fingerprint and every figure."),
    "signatures": ("基金管理和监督小组签字", "Signatures of the fund's supervisory group"),
    "leader": ("组长", "Chair"),
    "member_sign": ("成员", "Member"),
    "sign_date": ("日期", "Date"),
    "yuan": ("元", "yuan"),
    "unit": ("金额单位：元。", " Amounts in yuan."),
    "files_text": ("{first} 及其包含的文件，共 {n} 个", "{first} and its includes, {n} files"),
    "up": ("比上年增长 {p}", "up {p} on last year"),
    "down": ("比上年减少 {p}", "down {p} on last year"),
    "same": ("与上年持平", "the same as last year"),
    "no_compare": ("上年无可比数据", "no figure last year to compare"),
    "chart_raised": ("资金来源", "Sources"),
    "chart_used": ("救济支出", "Relief by kind"),
    "to": ("至", "to"),
    # the publicity list
    "publicity_title": ("帮扶申请公示", "Applications in publicity"),
    "publicity_intro": ("以下申请正在公示。如有异议，请于截止日前向支部或监督小组反映。",
                        "These applications are in publicity. Objections go to the branch or the "
                        "supervisory group by the last day."),
    "objections_until": ("异议截止日", "Objections until"),
    "proposed": ("拟帮扶金额", "Proposed amount"),
    "publicity_none": ("当前没有处于公示期的申请。", "No application is in publicity."),
}


class Words:
    def __init__(self, lang: str = "zh"):
        self.i = 0 if lang == "zh" else 1

    @property
    def lang(self) -> str:
        return "zh" if self.i == 0 else "en"

    def change(self, value) -> str:
        """A relative change over last year, in words (``比上年增长 12.3%``)."""
        if value is None:
            return self("no_compare")
        if value == 0:
            return self("same")
        return self("up" if value > 0 else "down", p=f"{abs(value) * 100:.1f}%")

    def __call__(self, key: str, **kw: object) -> str:
        pair = WORDS.get(key)
        text = pair[self.i] if pair else key
        return text.format(**kw) if kw else text
