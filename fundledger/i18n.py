"""User-facing words, Chinese first, English available (``--lang en``). The words of the
fund's vocabularies (tiers, steps, kinds, categories, statuses) come from ``vocab``."""

from __future__ import annotations

from . import vocab

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
    "register": ("帮扶对象台账", "Member register"),
    "name": ("姓名", "Name"),
    "account_name": ("账户名称", "Account name"),
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
    # --- the Fava pages (fundledger.fava); keys fv_*, status_*, step_*, cat_* -------------
    "fv_title": ("帮扶基金", "Assistance fund"),
    "fv_nav_position": ("资金状况", "Position"),
    "fv_nav_loans": ("借款台账", "Loan book"),
    "fv_nav_members": ("帮扶对象台账", "Members"),
    "fv_nav_applications": ("申请与审批", "Applications"),
    "fv_nav_notice": ("年度通报", "Annual notice"),
    "fv_as_of": ("统计截止日", "As of"),
    "fv_show": ("查看", "Show"),
    "fv_today": ("回到今天", "back to today"),
    "fv_readonly_note": ("本页只读，所有姓名均已遮蔽。", "Read-only; every name is masked."),
    "fv_errors": ("账本有 {n} 个错误，数字可能不准，请先核对", "the ledger has {n} errors: check them first"),
    "fv_pools_note": ("本金可出借、须保全；可支用资金方可用于救济和手续费。",
                      "Principal may be lent and is kept; only spendable money pays relief and fees."),
    "fv_by_year": ("历年年末资金状况与收支", "Position at each year end, and the year's flows"),
    "fv_year": ("年度", "Year"),
    "fv_partial": ("（截至当日）", "(to date)"),
    "fv_partial_year": ("当年数字截至 {day}。", "This year's figures run to {day}."),
    "fv_raised": ("筹集资金", "Raised"),
    "fv_of_which_interest": ("其中利息", "of which interest"),
    "fv_relief_paid": ("救济支出", "Relief paid"),
    "fv_lent": ("发放借款", "Lent"),
    "fv_losses": ("核销损失", "Written off"),
    "fv_fees": ("手续费", "Fees"),
    "fv_released": ("本金调剂", "Released"),
    "fv_by_source": ("资金来源（按年度）", "Money raised, by source and year"),
    "fv_pool": ("资金池", "Pool"),
    "fv_pool_principal": ("本金", "principal"),
    "fv_pool_spendable": ("可支用", "spendable"),
    "fv_over_time": ("资金状况走势（月末）", "Position at each month end"),
    "fv_cash_short": ("现金", "Cash"),
    "fv_spendable_short": ("可支用资金", "Spendable"),
    "fv_show_months": ("展开逐月数据", "Show every month"),
    "fv_month_end": ("月末", "Month end"),
    "fv_loans_unit": ("笔", "loans"),
    "fv_loans_made": ("累计发放借款", "Lent, all time"),
    "fv_loans_open_card": ("尚未还清", "Not yet repaid"),
    "fv_overdue_loans": ("逾期借款", "Overdue loans"),
    "fv_overdue_total": ("逾期合计", "All overdue"),
    "fv_rate": ("还款率", "Repayment rate"),
    "fv_rescheduled_written_off": ("展期 / 核销（笔）", "Rescheduled / written off"),
    "fv_sub_open": ("{n} 笔未结清", "{n} loans not repaid"),
    "fv_sub_count": ("{n} 笔", "{n} loans"),
    "fv_sub_par30": ("逾期30天以上的风险率", "at risk, over 30 days past due"),
    "fv_sub_par90": ("逾期90天以上的风险率", "at risk, over 90 days past due"),
    "fv_sub_rate": ("已到期本金的收回比例", "share of principal due that came back"),
    "fv_sub_written_off": ("核销 {amount} 元", "{amount} written off"),
    "fv_aging_title": ("逾期账龄", "Aging of overdue loans"),
    "fv_days": ("天", "days"),
    "fv_count": ("笔数", "Loans"),
    "fv_share": ("占借出未还", "Share of outstanding"),
    "fv_par30_def": ("逾期超过30天的借款的未还本金 ÷ 全部借出未还本金",
                     "outstanding balance of loans more than 30 days past due ÷ total outstanding balance"),
    "fv_par90_def": ("逾期超过90天的借款的未还本金 ÷ 全部借出未还本金",
                     "outstanding balance of loans more than 90 days past due ÷ total outstanding balance"),
    "fv_rate_def": ("截至统计截止日已到期（含展期后到期）的借款本金中已收回的部分 ÷ 这些借款的本金（按基金全部历史计算，核销不计为收回）",
                    "principal repaid by the day, of loans that had fallen due by then (after any reschedule) ÷ "
                    "their principal (over the fund's whole history; write-offs count as not repaid)"),
    "fv_aging_def": ("账龄按逾期天数分段：1–30、31–90、91–180、180天以上；逾期天数 = 统计截止日 − 到期日（展期后以新到期日为准）。"
                     "风险率按未还本金计算，不按笔数。",
                     "Buckets by days past due: 1–30, 31–90, 91–180, over 180; days past due = the day − "
                     "due date (the new one after a reschedule). At-risk ratios weigh balances, not counts."),
    "fv_all_loans": ("借款明细", "Loans"),
    "fv_loans_open": ("未结清", "not repaid"),
    "fv_loans_all": ("全部", "all"),
    "fv_guarantor": ("担保人（单位）", "Guarantor"),
    "fv_application": ("申请编号", "Application"),
    "fv_entries": ("账目", "Entries"),
    "fv_link_account": ("明细", "account"),
    "fv_link_entry": ("分录", "entry"),
    "fv_link_source": ("源文件", "source"),
    "fv_link_payment": ("付款", "payment"),
    "fv_rescheduled_mark": ("已展期", "rescheduled"),
    "fv_rescheduled_title": ("展期借款", "Rescheduled loans"),
    "fv_original_due": ("原到期日", "Original due"),
    "fv_new_due": ("展期后到期日", "New due"),
    "fv_approved_on": ("批准日期", "Approved on"),
    "fv_minutes": ("会议纪要 / 文号", "Minutes"),
    "fv_written_off_title": ("核销借款", "Written-off loans"),
    "fv_written_off_amount": ("核销金额", "Written off"),
    "fv_members_intro": ("累计登记 {n} 人（户），其中当日符合帮扶条件 {eligible} 人，已退出 {exited} 人。",
                         "{n} members or households registered; {eligible} eligible on the day, "
                         "{exited} exited."),
    "fv_names_masked": ("姓名已遮蔽，只留姓和末字（如 李*明）；身份证号、联系方式等个人信息不在此显示。",
                        "Names are masked to the surname and last character (e.g. 李*明); ID numbers "
                        "and contacts are never shown."),
    "fv_last_review": ("最近审核", "Last review"),
    "fv_eligible_today": ("符合帮扶条件", "Eligible"),
    "fv_relief_received": ("累计受助", "Relief received"),
    "fv_times": ("次数", "Times"),
    "fv_loan_outstanding": ("借款未还", "Loan outstanding"),
    "fv_back": ("返回台账", "Back to the register"),
    "fv_purpose": ("用途", "Purpose"),
    "fv_all_applications": ("全部申请", "Every application"),
    "fv_all_years": ("全部年度", "all years"),
    "fv_appfilter_all": ("全部", "all"),
    "fv_appfilter_open": ("办理中", "open"),
    "fv_appfilter_publicity": ("公示中", "in publicity"),
    "fv_appfilter_missing": ("缺少步骤", "steps missing"),
    "fv_applied_on": ("申请日", "Applied"),
    "fv_steps_done": ("已办步骤", "Steps done"),
    "fv_publicity_window": ("公示期", "Publicity"),
    "fv_in_publicity_now": ("正在公示", "In publicity now"),
    "fv_in_publicity_short": ("公示中", "now"),
    "fv_published": ("公示日", "Published"),
    "fv_next_from": ("{day} 起可办下一步", "next step from {day}"),
    "fv_missing": ("尚缺步骤", "Missing steps"),
    "fv_status_missing": ("状态 / 尚缺步骤", "Status / missing steps"),
    "fv_lacks": ("缺", "no "),
    "fv_missing_def": ("尚缺步骤：政策规定的步骤（已付款的按首次付款当日的政策，未付款的按统计截止日的政策）中尚未办理的。",
                       "Missing steps: the policy's steps (in force on the first payment, or on the day "
                       "shown if unpaid) not yet recorded."),
    "fv_paid_missing": ("已付款但缺步骤", "paid with steps missing"),
    "fv_complete": ("齐全", "complete"),
    "fv_edition": ("版本", "Edition"),
    "fv_ed_public": ("公开版", "public"),
    "fv_ed_internal": ("党内版", "internal"),
    "fv_download": ("下载", "Download"),
    "fv_notice_note": ("与命令行 fundledger notice 的输出相同，数字可复核。",
                       "The same as fundledger notice prints; every figure can be checked."),
    "fv_bad_as_of": ("截止日“{value}”不是日期，按 {day} 显示", "“{value}” is not a date; showing {day}"),
    "fv_as_of_clamped": ("截止日 {asked} 不在账本的日期范围（{first} 至 {last}）内，按 {day} 显示",
                         "{asked} is outside the ledger's days ({first} to {last}); showing {day}"),
    "fv_bad_year": ("年度“{value}”不是年份", "“{value}” is not a year"),
    # --- end of the Fava pages' words -----------------------------------------------------
}


def _vocabulary_words() -> dict[str, tuple[str, str]]:
    """The keys the templates and pages look the vocabularies' words up by: ``general``,
    ``tier_none``, ``loan``, ``current``, ``status_repaid``, ``fv_loans_<status>``,
    ``fv_app_<status>``, ``step_<name>``, ``step_short_<name>``, ``cat_<category>``."""
    def pair(kind: str, value: str, short: bool = False) -> tuple[str, str]:
        return vocab.word(kind, value, "zh", short), vocab.word(kind, value, "en", short)

    words = {t: pair("tier", t) for t in ("general", "relative", "special")}
    words["tier_none"] = pair("tier", "none")
    words.update({k: pair("kind", k) for k in vocab.values("kind")})
    words.update({s: pair("loan-status", s) for s in ("current", "overdue", "written-off",
                                                      "undisbursed")})
    words["status_repaid"] = pair("loan-status", "repaid")  # "repaid" is the column heading
    words.update({f"fv_loans_{s}": pair("loan-status", s) for s in vocab.values("loan-status")})
    words.update({f"fv_app_{s}": pair("app-status", s) for s in vocab.values("app-status")})
    words.update({f"fv_appfilter_{s}": pair("app-status", s) for s in ("paid", "rejected")})
    for step in vocab.values("step"):
        words[f"step_{step}"] = pair("step", step)
        words[f"step_short_{step}"] = pair("step", step, short=True)
    words.update({f"cat_{c}": pair("category", c) for c in vocab.values("category")})
    return words


WORDS.update(_vocabulary_words())


class Words:
    def __init__(self, lang: str = "zh"):
        self.i = 0 if lang == "zh" else 1

    @property
    def lang(self) -> str:
        return "zh" if self.i == 0 else "en"

    def status(self, status: str) -> str:
        """A loan's status (current, overdue, repaid, written-off) in words."""
        return vocab.word("loan-status", status, self.lang)

    def word(self, kind: str, value: str | None, short: bool = False) -> str:
        """A value of one of ``vocab``'s vocabularies in this language's word
        (``word("step", "publicity")`` is 公示); an unknown value as written."""
        return vocab.word(kind, value, self.lang, short)

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
