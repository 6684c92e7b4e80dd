"""The entries finance staff add most, each built from a few typed values and the loaded fund.

Each builder takes the fund as it is (for the currency, the cash account, names and IDs)
and returns the drafts to write. Every account, member, application and loan the clerk names
must be one the ledger has (``known_*``): a typo is refused with the closest names before
the ledger is checked, so no fund error that only follows from it is shown. What the fund
rules decide — eligibility, approvals, caps, balances — is not judged here: the whole ledger
is checked with the entry in it. Voucher numbers: ``vouchers.numbered``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, NoReturn

from ..accounts import Role, is_id, role_of
from ..explain_patterns import close_to
from ..fund import Fund
from ..state import add_months
from .format import (
    Entry,
    EntryError,
    Posting,
    amount,
    custom,
    parse_amount,
    parse_rate,
    transaction,
)
from .layout import ACCOUNTS
from .writer import Draft

Date = datetime.date
TIERS = ("general", "relative", "special", "none")


def day_or_today(value: Any) -> Date:
    if value is None:
        return Date.today()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, Date):
        return value
    try:
        return Date.fromisoformat(str(value).strip())
    except ValueError:
        raise EntryError(f"日期 {value!r} 应为 YYYY-MM-DD (a date is YYYY-MM-DD)") from None


def _id(text: str | None, what: str) -> str:
    if not is_id(text):
        raise EntryError(f"{what}编号 {text!r} 应以字母开头，只含字母、数字和 - "
                         f"(an ID is letters, digits and '-', starting with a letter: {text!r})")
    return str(text)


def _text(text: str | None, what: str) -> str:
    if text is None or not str(text).strip():
        raise EntryError(f"{what}不能为空 ({what} is required)")
    return str(text).strip()


def open_accounts(fund: Fund, day: Date, role: Role, prefix: str = "") -> list[str]:
    out = []
    for name, info in fund.state.accounts.items():
        if info.role is not role or not name.startswith(prefix) or info.open_entry is None:
            continue
        if info.open_entry.date > day or (info.closed is not None and info.closed <= day):
            continue
        out.append(name)
    return sorted(out)


# ---------------------------------------------------------------- what the clerk names

def _unknown(what_zh: str, what_en: str, name: str, near: list[str], listed: str = "") -> NoReturn:
    """Refuse a name the ledger does not have, with the closest it has (or ``listed``)."""
    zh = f"；您是否要写 {' 或 '.join(near)}？" if near else (f"；{listed}" if listed else "")
    en = f"; did you mean {' or '.join(near)}?" if near else ""
    raise EntryError(f"没有{what_zh} {name}{zh} (no {what_en} {name}{en})")


def opened_accounts(fund: Fund) -> list[str]:
    """Every account the ledger opens (whenever, and closed or not)."""
    return sorted(name for name, info in fund.state.accounts.items() if info.open_entry is not None)


def known_account(fund: Fund, account: str, role: Role | None = None) -> str:
    """``account`` if the ledger opens it; else refused with the closest opened accounts (of
    ``role`` first). An account opened later or closed is left to the check, which says so."""
    opened = opened_accounts(fund)
    if account in opened:
        return account
    same_role = [a for a in opened if role is None or role_of(a) is role]
    # accounts share long prefixes (Expenses:Relief:): only a near miss is a typo, as in explain
    near = close_to(account, same_role, 3, 0.8) or close_to(account, opened, 3, 0.8)
    listed = f"账本开立的这类账户有 {', '.join(same_role[:8])}；" if same_role else ""
    _unknown("账户", "account", account, near,
             f"{listed}若是新账户，请先开户：fundledger add open 账本 --account {account} --name 中文名")


def known_member(fund: Fund, text: str) -> str:
    """A registered member's ID (a name given instead of the ID is answered with the ID)."""
    text = str(text).strip()
    if text in fund.members:
        return text
    by_name = sorted(mid for mid, m in fund.members.items() if m.name == text)
    if by_name:
        raise EntryError(f"请写成员编号而不是姓名：{text} 的编号是 {' 或 '.join(by_name)}，未写入 "
                         f"(give the member's ID, not the name: {' or '.join(by_name)})")
    _unknown("成员", "member", _id(text, "成员"), close_to(text, fund.members))


def known_application(fund: Fund, text: str) -> str:
    app_id = _id(str(text).strip(), "申请")
    if app_id not in fund.applications:
        _unknown("申请", "application", app_id, close_to(app_id, fund.applications))
    return app_id


def known_loan(fund: Fund, text: str) -> str:
    """A loan the ledger has: disbursed, or its account opened."""
    loan_id = _id(str(text).strip(), "借款")
    if loan_id not in fund.loans:
        _unknown("借款", "loan", loan_id, close_to(loan_id, fund.loans))
    return loan_id


def cash_account(fund: Fund, given: str | None, day: Date) -> str:
    """``--cash``, else the ledger's only cash account open that day."""
    if given:
        given = known_account(fund, given.strip(), Role.CASH)
        if role_of(given) is not Role.CASH:
            raise EntryError(f"{given} 不是现金账户（Assets:Bank:* 或 Assets:Cash:*） "
                             f"({given} is not a cash account)")
        return given
    found = open_accounts(fund, day, Role.CASH)
    if len(found) == 1:
        return found[0]
    if not found:
        raise EntryError(f"{day} 账本中没有开立的现金账户，请用 --cash 指定 (no open cash account)")
    raise EntryError(f"账本有多个现金账户（{', '.join(found)}），请用 --cash 指定 "
                     f"(several cash accounts: choose one with --cash)")


def pick_account(fund: Fund, given: str | None, day: Date, role: Role, prefix: str, what: str) -> str:
    if given:
        given = known_account(fund, given.strip(), role)
        if role_of(given) is not role:
            raise EntryError(f"{given} 不是{what}账户 ({given} is not a {role.value} account)")
        return given
    found = open_accounts(fund, day, role, prefix)
    if len(found) == 1:
        return found[0]
    choices = f"（{', '.join(found)}）" if found else ""
    raise EntryError(f"请用 --account 指定{what}账户{choices} (choose the account with --account)")


def _label(fund: Fund, account: str, fallback: str) -> str:
    label = fund.state.account_label(account)
    return label if label != account else fallback


def _member_name(fund: Fund, member_id: str | None) -> str | None:
    member = fund.members.get(member_id) if member_id else None
    return member.name if member else None


def _next_id(existing: Any, prefix: str, digits: int) -> str:
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    numbers = [int(m[1]) for key in existing if (m := pattern.match(key))]
    widths = [len(m[1]) for key in existing if (m := pattern.match(key))]
    return f"{prefix}{max(numbers, default=0) + 1:0{max(widths, default=digits)}d}"


# ---------------------------------------------------------------- money in

def donation(fund: Fund, *, date: Any = None, amount_: str, account: str | None = None,
             donor: str, campaign: str | None = None, cash: str | None = None,
             narration: str | None = None) -> list[Draft]:
    """捐款: cash up, a donations account down; ``donor:`` and ``campaign:``."""
    day, cur = day_or_today(date), fund.currency
    number = parse_amount(amount_, cur)
    source = pick_account(fund, account, day, Role.SOURCE, "Income:Donations", "捐款来源")
    donor = _text(donor, "捐款人 donor")
    entry = transaction(day, donor, narration or campaign or "捐款",
                        [("donor", donor), ("campaign", campaign)],
                        [Posting(cash_account(fund, cash, day), number, cur), Posting(source)])
    return [Draft(entry, "funding")]


def allocation(fund: Fund, *, date: Any = None, amount_: str, account: str,
               payer: str | None = None, narration: str | None = None,
               cash: str | None = None) -> list[Draft]:
    """党费划拨、财政资金、划入: cash up, a source account (``Income:Dues``, ``Income:Fiscal``…) down."""
    day, cur = day_or_today(date), fund.currency
    number = parse_amount(amount_, cur)
    source = pick_account(fund, account, day, Role.SOURCE, "Income", "来源")
    entry = transaction(day, payer, narration or _label(fund, source, "资金划入"), [],
                        [Posting(cash_account(fund, cash, day), number, cur), Posting(source)])
    return [Draft(entry, "funding")]


# ---------------------------------------------------------------- registry and workflow

def member(fund: Fund, *, date: Any = None, id_: str | None = None, name: str, branch: str,
           category: str | None = None, contact: str | None = None) -> list[Draft]:
    """建档立卡."""
    day = day_or_today(date)
    mid = _id(id_, "成员") if id_ else _next_id(fund.members, "M", 4)
    entry = custom(day, "member", mid, meta=[
        ("name", _text(name, "姓名 name")), ("branch", _text(branch, "支部 branch")),
        ("category", category), ("contact", contact)])
    return [Draft(entry, "members")]


def review(fund: Fund, *, date: Any = None, member_id: str, tier: str) -> list[Draft]:
    """年度审核."""
    if tier not in TIERS:
        raise EntryError(f"审核等级应为 {'/'.join(TIERS)} 之一 (tier must be one of {', '.join(TIERS)})")
    return [Draft(custom(day_or_today(date), "review", known_member(fund, member_id), tier),
                  "members")]


def apply(fund: Fund, *, date: Any = None, id_: str | None = None, member_id: str, kind: str,
          amount_: str, purpose: str | None = None) -> list[Draft]:
    """申报."""
    day, cur = day_or_today(date), fund.currency
    if kind not in ("loan", "relief"):
        raise EntryError('申请类别应为 "loan" 或 "relief" (kind must be loan or relief)')
    app_id = _id(id_, "申请") if id_ else _next_id(fund.applications, f"A{day.year}-", 3)
    entry = custom(day, "apply", app_id, known_member(fund, member_id), kind,
                   amount(parse_amount(amount_, cur), cur), meta=[("purpose", purpose)])
    return [Draft(entry, "loans" if kind == "loan" else "relief")]


def _group_of_application(fund: Fund, app_id: str) -> str:
    app = fund.applications.get(app_id)
    return "relief" if app is not None and app.kind == "relief" else "loans"


def step(fund: Fund, *, date: Any = None, application: str, name: str) -> list[Draft]:
    """A workflow step (支部初审 branch-review, 公示 publicity, 实地考核 inspect…) or ``reject``."""
    app_id = known_application(fund, application)
    known = sorted(fund.state.step_names | {"reject"})
    if name == "approve":
        raise EntryError("审批请用 fundledger add approve（要写金额、机构和纪要） "
                         "(record approvals with `add approve`)")
    if name not in known:
        raise EntryError(f"步骤 {name!r} 不在政策的步骤中；可用的有 {', '.join(known)} "
                         f"(unknown step: the policy's steps are {', '.join(known)})")
    return [Draft(custom(day_or_today(date), name, app_id), _group_of_application(fund, app_id))]


def approve(fund: Fund, *, date: Any = None, application: str, amount_: str, body: str,
            minutes: str) -> list[Draft]:
    """集体研究审批."""
    day, cur = day_or_today(date), fund.currency
    app_id = known_application(fund, application)
    entry = custom(day, "approve", app_id, amount(parse_amount(amount_, cur), cur),
                   meta=[("body", _text(body, "审批机构 body")),
                         ("minutes", _text(minutes, "会议纪要 minutes"))])
    return [Draft(entry, _group_of_application(fund, app_id))]


# ---------------------------------------------------------------- loans

def loan(fund: Fund, *, date: Any = None, loan_id: str | None = None, application: str,
         amount_: str, due: Any = None, guarantor: str | None = None, rate: str | None = None,
         cash: str | None = None, narration: str | None = None) -> list[Draft]:
    """借款发放: ``open Assets:Loans:ID`` and the disbursement (application, due, guarantor, rate)."""
    day, cur = day_or_today(date), fund.currency
    app_id = known_application(fund, application)
    if loan_id is None:
        if not app_id.startswith("A"):
            raise EntryError("请用 --loan 指定借款编号 (give the loan ID with --loan)")
        loan_id = "L" + app_id[1:]
    loan_id = _id(loan_id, "借款")
    account = f"Assets:Loans:{loan_id}"
    due_day = day_or_today(due) if due is not None else add_months(
        day, fund.policy_at(day).loan_term_months)
    app = fund.applications.get(app_id)
    payee = _member_name(fund, app.member_id) if app else None
    purpose = app.purpose if app else None
    number = parse_amount(amount_, cur)
    drafts = []
    if account not in fund.state.accounts or fund.state.accounts[account].open_entry is None:
        drafts.append(Draft(Entry(day, f"open {account} {cur}"), "loans"))
    entry = transaction(
        day, payee, narration or (f"{purpose}借款" if purpose else "借款发放"),
        [("application", app_id), ("due", due_day),
         ("guarantor", guarantor.strip() if guarantor else None),
         ("rate", parse_rate(rate) if rate is not None else None)],
        [Posting(account, number, cur), Posting(cash_account(fund, cash, day))])
    drafts.append(Draft(entry, "loans"))
    return drafts


def repay(fund: Fund, *, date: Any = None, loan_id: str, principal: str,
          interest: str | None = None, cash: str | None = None,
          interest_account: str = "Income:Interest:Loans", narration: str | None = None,
          close: bool = False) -> list[Draft]:
    """还本付息: cash up, the loan down, interest to ``Income:Interest:Loans``."""
    day, cur = day_or_today(date), fund.currency
    loan_id = known_loan(fund, loan_id)
    account = f"Assets:Loans:{loan_id}"
    paid = parse_amount(principal, cur)
    earned = parse_amount(interest, cur, allow_zero=True) if interest is not None else Decimal(0)
    if earned:
        interest_account = known_account(fund, interest_account, Role.SOURCE)
    if role_of(interest_account) is not Role.SOURCE:
        raise EntryError(f"{interest_account} 不是收入账户 (not a source account)")
    record = fund.loans.get(loan_id)
    payee = _member_name(fund, record.member_id) if record else None
    postings = [Posting(cash_account(fund, cash, day), paid + earned, cur),
                Posting(account, -paid, cur)]
    if earned:
        postings.append(Posting(interest_account, -earned, cur))
    entry = transaction(day, payee, narration or ("还本付息" if earned else "还款"), [], postings)
    drafts = [Draft(entry, "repayments")]
    if close:
        drafts.append(Draft(Entry(day, f"close {account}"), "repayments"))
    return drafts


def reschedule(fund: Fund, *, date: Any = None, loan_id: str, due: Any,
               minutes: str) -> list[Draft]:
    """展期: ``custom "reschedule" LOAN-ID NEW-DUE`` with the decision's ``minutes:`` (SPEC §2)."""
    loan_id = known_loan(fund, loan_id)
    entry = custom(day_or_today(date), "reschedule", loan_id, day_or_today(due),
                   meta=[("minutes", _text(minutes, "会议纪要 minutes"))])
    return [Draft(entry, "loans")]


def write_off(fund: Fund, *, date: Any = None, loan_id: str, minutes: str) -> list[Draft]:
    """核销批准: ``custom "write-off" LOAN-ID`` with ``minutes:`` (SPEC §2); the loss itself
    is a transaction to ``Expenses:Losses`` on or after it (FL308)."""
    loan_id = known_loan(fund, loan_id)
    entry = custom(day_or_today(date), "write-off", loan_id,
                   meta=[("minutes", _text(minutes, "会议纪要 minutes"))])
    return [Draft(entry, "loans")]


def release(fund: Fund, *, date: Any = None, amount_: str, minutes: str) -> list[Draft]:
    """本金调剂: ``custom "release" AMOUNT`` moves principal to spendable (SPEC §1)."""
    cur = fund.currency
    entry = custom(day_or_today(date), "release", amount(parse_amount(amount_, cur), cur),
                   meta=[("minutes", _text(minutes, "会议纪要 minutes"))])
    return [Draft(entry, "funding")]


# ---------------------------------------------------------------- relief

def relief(fund: Fund, *, date: Any = None, member_id: str, account: str, amount_: str,
           application: str | None = None, months: int | None = None, child: str | None = None,
           cash: str | None = None, narration: str | None = None) -> list[Draft]:
    """无偿救济: a relief account up for one member, cash down."""
    day, cur = day_or_today(date), fund.currency
    account = account.strip()
    if ":" not in account:  # "Medical" -> "Expenses:Relief:Medical"
        account = f"Expenses:Relief:{account}"
    if role_of(account) is not Role.RELIEF:
        raise EntryError(f"{account} 不是救济账户（Expenses:Relief:*） ({account} is not a relief account)")
    account = known_account(fund, account, Role.RELIEF)
    mid = known_member(fund, member_id)
    if months is not None and months < 1:
        raise EntryError("--months 应为正整数 (months must be positive)")
    kind = account.split(":")[2]
    entry = transaction(
        day, _member_name(fund, mid), narration or _label(fund, account, kind), [],
        [Posting(account, parse_amount(amount_, cur), cur, [
            ("member", mid),
            ("application", known_application(fund, application) if application else None),
            ("months", Decimal(months) if months is not None else None),
            ("child", child)]),
         Posting(cash_account(fund, cash, day))])
    group = {"Visits": "visits", "Subsidy": "subsidies"}.get(kind, "relief")
    return [Draft(entry, group)]


# ---------------------------------------------------------------- accounts and follow-ups

ACCOUNT_NAME = re.compile(r"^[A-Z][A-Za-z]*(?::[A-Z0-9][A-Za-z0-9-]*)+$")
POOLS = ("principal", "spendable")
ROLES_ZH = ("Assets:Bank:*、Assets:Cash:*（现金）、Assets:Loans:编号（借款）、Income:*、Equity:Opening*"
            "（来源）、Expenses:Relief:*（救济）、Expenses:Losses（核销）、Expenses:Fees（手续费）")


def open_account(fund: Fund, *, date: Any = None, account: str, name: str | None = None,
                 pool: str | None = None) -> list[Draft]:
    """开户: ``open ACCOUNT CUR`` with its Chinese ``name:`` (and ``pool:`` for a source).

    Refused before the check: a name beancount cannot read (components are ASCII and start
    with an uppercase letter or digit), an account outside the fund's roles (FL102), one the
    ledger already opened, ``pool:`` on an account that is no source, and a missing ``name:``
    (reports and the notice show it) except on a loan account, whose name is personal data."""
    day = day_or_today(date)
    account = str(account).strip()
    if not ACCOUNT_NAME.match(account):
        raise EntryError(f"账户名 {account} 不合规：用英文冒号分段，每段以大写英文字母或数字开头，只含英文"
                         f"字母、数字和 -；中文名写在 --name (an account is ASCII components "
                         f"starting with an uppercase letter or digit, e.g. Income:Donations:Society)")
    role = role_of(account)
    if role is None:
        raise EntryError(f"FL102 {account} 不属于基金的任何用途（专款专用）；基金的账户是 {ROLES_ZH} "
                         f"({account} is outside the fund's roles, SPEC §1)")
    info = fund.state.accounts.get(account)
    if info is not None and info.open_entry is not None:
        meta = info.open_entry.meta or {}
        raise EntryError(f"账户 {account} 已开立（{meta.get('filename')}:{meta.get('lineno')}，"
                         f"{info.open_entry.date}） ({account} is already opened)")
    if pool is not None:
        if pool not in POOLS:
            raise EntryError('pool 应为 "principal"（本金）或 "spendable"（可支用） '
                             "(pool is principal or spendable)")
        if role is not Role.SOURCE:
            raise EntryError(f"只有来源账户（Income:*、Equity:Opening*）有 pool，{account} 不是 "
                             f"(only a source account has a pool)")
    if role is not Role.LOAN:
        name = _text(name, "账户中文名 --name")
    entry = Entry(day, f"open {account} {fund.currency}",
                  [("name", name.strip() if name else None), ("pool", pool)])
    return [Draft(entry, ACCOUNTS)]


def follow_up(fund: Fund, *, date: Any = None, member_id: str, contact: str,
              note: str | None = None) -> list[Draft]:
    """跟踪联系/回访 (SPEC v1.1 §2): ``custom "follow-up" "M-ID"`` with ``contact:``, ``note:``."""
    entry = custom(day_or_today(date), "follow-up", known_member(fund, member_id),
                   meta=[("contact", _text(contact, "跟踪联系人 --contact")),
                         ("note", note.strip() if note and note.strip() else None)])
    return [Draft(entry, "members")]
