"""The one pass over the entries that builds the fund's ``FundState`` (SPEC §1–§4), then
links what refers to members, applications and loans by ID (registrations may sort after
their uses). A fault while reading an entry is kept with the entry, never raised.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from beancount.core.data import Close, Custom, Open, Pad, Transaction

from . import directives as d
from .accounts import Pool, Role, default_pool, loan_id_of, role_of
from .dates import Date
from .gcpause import paused
from .money import ZERO
from .policy import KINDS as POLICY_KINDS
from .policy import PolicyValueError, convert
from .records import (
    Account,
    Application,
    Flow,
    FollowUp,
    FundState,
    Inflow,
    Loan,
    LoanMove,
    Member,
    Opening,
    Payment,
    Position,
    Ref,
    Rejected,
    Relief,
    Review,
    Step,
)
from .values import BEYOND_ZH, as_date, as_decimal, beyond_en, fits_a_fund, meta_of

_CASH, _SOURCE, _LOAN, _RELIEF, _FEES, _LOSS = (Role.CASH, Role.SOURCE, Role.LOAN, Role.RELIEF,
                                                Role.FEES, Role.LOSS)
_SPENDABLE = Pool.SPENDABLE
_POLICY_KEYS = tuple(POLICY_KINDS)
# The directives that refer to a member, application or loan by ID: what they refer to and
# their value, linked after the pass (``approve`` is read with the currency, below).
_REFERS: dict[str, Callable[[Custom], tuple[str, Any]]] = {
    "review": d.read_review,
    "exit": lambda entry: (d.read_exit(entry), None),
    "reject": lambda entry: (d.read_step(entry), None),
    "reschedule": d.read_reschedule,
    "write-off": lambda entry: (d.read_step(entry), None),
    "follow-up": d.read_follow_up,
}


def build_state(entries: list[Any], currency: str) -> FundState:
    """The fund's state from beancount entries (sorted as the loader leaves them)."""
    with paused():  # the pass makes no cycles; collections over a large ledger's heap cost ~70%
        return _Builder(currency).run(entries)


class _Builder:
    def __init__(self, currency: str):
        self.s = FundState(currency)
        self.cash = self.loans = self.principal = self.spendable = ZERO
        self.day: Date | None = None
        self.step_candidates: list[Custom] = []

    def run(self, entries: list[Any]) -> FundState:
        self.feed(entries)
        self._close_day(None)
        self._link()
        return self.s

    def feed(self, entries: list[Any]) -> None:
        """The pass itself, entry by entry (``run`` then closes the last day and links)."""
        for entry in entries:
            try:
                if entry.date != self.day:
                    self._close_day(entry.date)
                if isinstance(entry, Transaction):
                    self._transaction(entry)
                elif isinstance(entry, Custom):
                    self._custom(entry)
                elif isinstance(entry, Open):
                    self._open(entry)
                elif isinstance(entry, Close) and entry.account in self.s.accounts:
                    self.s.accounts[entry.account].closed = entry.date
                elif isinstance(entry, Pad):
                    self.s.pads += 1
            except Exception as exc:  # noqa: BLE001 - a fault names its entry, never escapes
                self.s.faults.append((entry, exc))

    def _close_day(self, new_day: Date | None) -> None:
        if self.day is not None:
            self.s._days.append(self.day)
            self.s._positions.append(Position(self.cash, self.loans, self.principal, self.spendable))
        self.day = new_day

    # -- accounts
    def _open(self, entry: Open) -> None:
        role = role_of(entry.account)
        pool = None
        if role is Role.SOURCE:
            raw = entry.meta.get("pool")
            if raw is None:
                pool = default_pool(entry.account)
            elif isinstance(raw, str) and raw in ("principal", "spendable"):
                pool = Pool(raw)
            else:
                pool = default_pool(entry.account)
                self.s.rejected.append(Rejected(
                    "directive", f'pool: 应为 "principal" 或 "spendable"，实为 {raw!r}',
                    f'pool: should be "principal" or "spendable", found {raw!r}', entry))
        title = entry.meta.get("name")
        info = Account(entry.account, role, pool, str(title) if title else None, entry)
        if role is Role.LOAN:
            loan_id = loan_id_of(entry.account)
            if loan_id in self.s.loans and self.s.loans[loan_id].open_entry is not None:
                self.s.rejected.append(Rejected(
                    "duplicate", f"借款编号 {loan_id} 重复开户", f"loan {loan_id} opened twice", entry))
            else:
                self.s.loans.setdefault(loan_id, Loan(loan_id, entry.account)).open_entry = entry
        if entry.account not in self.s.accounts:
            self.s.accounts[entry.account] = info

    def _account(self, name: str, entry: Transaction) -> Account:
        info = self.s.accounts.get(name)
        if info is None:  # used without an ``open``: beancount reports that; classify anyway
            role = role_of(name)
            info = Account(name, role, default_pool(name) if role is Role.SOURCE else None, None,
                           first_use=entry)
            self.s.accounts[name] = info
        return info

    # -- transactions
    def _spendable(self, day: Date, delta: Decimal, entry: Any, is_use: bool) -> None:
        self.spendable += delta
        if is_use and delta < 0:
            self.s.uses.append(Flow(day, delta, entry))
        else:
            avail = self.s.spendable_added
            avail[day] = avail.get(day, ZERO) + delta

    def _transaction(self, entry: Transaction) -> None:
        # The hot loop of the plugin (one call per transaction): locals instead of attribute
        # look-ups, the account's record straight from the dict, posting metadata read once.
        s = self.s
        cur, day, emeta = s.currency, entry.date, entry.meta
        accounts = s.accounts
        s.vouchers.append((emeta.get("voucher"), entry))  # every transaction, for FL107 and vouchers
        loans_here: list[tuple[str, Decimal]] = []
        interest = ZERO
        has_loss = False
        opening: list[Decimal] | None = None  # [principal, spendable] from Equity:Opening*
        for posting in entry.postings:
            units = posting.units
            if units is not None and units.currency == cur and not fits_a_fund(units.number):
                self._too_big(entry, posting)
                return
        for posting in entry.postings:
            units = posting.units
            if units is None or units.currency != cur:
                continue
            number = units.number
            account = posting.account
            info = accounts.get(account) or self._account(account, entry)
            role = info.role
            if role is _CASH:
                self.cash += number
                s.cash_moves.append((day, account, number, entry))
            elif role is _SOURCE:
                inflow = -number
                if info.pool is _SPENDABLE:
                    self._spendable(day, inflow, entry, False)
                else:
                    self.principal += inflow
                pmeta = posting.meta
                donor = (pmeta["donor"] if pmeta and "donor" in pmeta else emeta.get("donor")) \
                    or entry.payee
                campaign = pmeta["campaign"] if pmeta and "campaign" in pmeta else emeta.get("campaign")
                s.inflows.append(Inflow(day, account, info.pool, inflow,
                                        str(donor) if donor else None,
                                        str(campaign) if campaign else None, entry, info.opening))
                if info.opening:
                    if opening is None:
                        opening = [ZERO, ZERO]
                    opening[info.pool is _SPENDABLE] += inflow
                if info.fiscal:
                    s.fiscal.append((entry, inflow))
                if info.interest:
                    interest += inflow
            elif role is _LOAN:
                self.loans += number
                loans_here.append((loan_id_of(account), number))
            elif role is _RELIEF:
                self._spendable(day, -number, entry, True)
                pmeta = posting.meta
                if pmeta:
                    member = pmeta["member"] if "member" in pmeta else emeta.get("member")
                    app = pmeta["application"] if "application" in pmeta else emeta.get("application")
                    child = pmeta["child"] if "child" in pmeta else emeta.get("child")
                    months = pmeta["months"] if "months" in pmeta else emeta.get("months")
                else:
                    member, app = emeta.get("member"), emeta.get("application")
                    child, months = emeta.get("child"), emeta.get("months")
                s.relief.append(Relief(
                    day, account, number,
                    str(member) if member is not None else None,
                    str(app) if app is not None else None,
                    months,
                    str(child) if child is not None else None, entry))
            elif role is _FEES:
                self._spendable(day, -number, entry, True)
                s.fees.append((day, account, number, entry))
            elif role is _LOSS:
                self.principal -= number
                s.losses.append((day, account, number, entry))
                has_loss = True
        for loan_id, number in loans_here:
            self._loan_move(entry, loan_id, number, has_loss,
                            interest if len(loans_here) == 1 else ZERO, opening is not None)
        if opening is not None:
            lent = sum((n for _, n in loans_here if n > 0), ZERO)
            s.openings.append(Opening(day, opening[0] + opening[1] - lent, lent, opening[0],
                                      opening[1], entry))

    def _too_big(self, entry: Transaction, posting: Any) -> None:
        """A posting beyond what a fund can hold: FL106, and the transaction is left out of
        the state (all its postings: half a transaction would unbalance the pools)."""
        number = posting.units.number
        self.s.rejected.append(Rejected(
            "directive",
            f"{posting.account} 的金额 {number:f} {posting.units.currency} {BEYOND_ZH}；本笔交易未计入基金",
            beyond_en(f"{posting.account} {number:f}") + "; the transaction is left out", entry))

    def _loan_move(self, entry: Transaction, loan_id: str, number: Decimal, has_loss: bool,
                   interest: Decimal, opening: bool = False) -> None:
        loan = self.s.loans.setdefault(loan_id, Loan(loan_id, "Assets:Loans:" + loan_id))
        if number > 0:
            kind = "disburse"
            if loan.disbursement is None:
                loan.disbursement = entry
                loan.disbursed_on = entry.date
                loan.principal = number
                posting = next(p for p in entry.postings if p.account == loan.account)
                if opening:  # brought in (借款期初余额): the borrower is named, no application
                    loan.opening = True
                    loan.member_raw = meta_of(entry, posting, "member")
                    loan.disbursed_raw = meta_of(entry, posting, "disbursed")
                    loan.disbursed_original = as_date(loan.disbursed_raw)
                else:
                    app = meta_of(entry, posting, "application")
                    loan.application_id = str(app) if app is not None else None
                loan.due = as_date(meta_of(entry, posting, "due"))
                guarantor = meta_of(entry, posting, "guarantor")
                loan.guarantor = str(guarantor).strip() if guarantor is not None else None
                loan.rate_raw = meta_of(entry, posting, "rate")
                loan.rate = as_decimal(loan.rate_raw)
                loan.due_raw = meta_of(entry, posting, "due")
        else:
            kind = "write-off" if has_loss else "repay"
        loan.moves.append(LoanMove(entry.date, number, kind, interest, entry))

    # -- custom directives
    def _custom(self, entry: Custom) -> None:
        kind, s = entry.type, self.s
        if entry.values is None:
            s.valueless_customs += 1
        if kind not in d.FUND_TYPES:
            self.step_candidates.append(entry)
            return
        try:
            if kind == "fund-policy":
                self._policy(entry)
            elif kind == "member":
                m = d.read_member(entry)
                self._first(s.members, m.id, entry, f"成员编号 {m.id} 重复登记",
                            f"member {m.id} registered twice",
                            lambda: Member(m.id, m.name, m.branch, m.category, m.contact,
                                           entry.date, entry))
            elif kind == "apply":
                a = d.read_apply(entry, s.currency)
                _within_a_fund(a.amount)
                self._first(s.applications, a.id, entry, f"申请编号 {a.id} 重复",
                            f"application {a.id} filed twice",
                            lambda: Application(a.id, a.member_id, a.kind, a.amount, a.purpose,
                                                entry.date, entry))
            elif kind in _REFERS:
                ref, value = _REFERS[kind](entry)
                s.refs.append(Ref(kind, ref, entry.date, entry, value))
            elif kind == "approve":
                app_id, amount = d.read_approve(entry, s.currency)
                _within_a_fund(amount)
                s.refs.append(Ref(kind, app_id, entry.date, entry, amount))
            elif kind == "release":
                amount = d.read_release(entry, s.currency)
                _within_a_fund(amount)
                s.releases.append((entry.date, amount, entry))
                self.principal -= amount
                self._spendable(entry.date, amount, entry, False)
        except d.Malformed as bad:
            s.rejected.append(Rejected("directive", bad.zh, bad.en, entry))

    def _first(self, table: dict[str, Any], key: str, entry: Custom, zh: str, en: str,
               record: Callable[[], Any]) -> None:
        """The first registration of an ID stands; another is a duplicate (FL104)."""
        if key in table:
            self.s.rejected.append(Rejected("duplicate", zh, en, entry))
        else:
            table[key] = record()

    def _policy(self, entry: Custom) -> None:
        try:  # a policy directive of the wrong shape is a bad policy directive too (FL103)
            key, value = d.read_policy(entry)
        except d.Malformed as bad:
            self.s.rejected.append(Rejected("policy", bad.zh, bad.en, entry))
            return
        if key not in _POLICY_KEYS:
            self.s.rejected.append(Rejected(
                "policy", f'未知的政策项 "{key}"；可用的有 {", ".join(_POLICY_KEYS)}',
                f'unknown key "{key}"; valid keys: {", ".join(_POLICY_KEYS)}', entry))
            return
        try:
            converted = convert(key, value, self.s.currency)
            if isinstance(converted, Decimal) and POLICY_KINDS[key] == "amount" \
                    and not fits_a_fund(converted):
                self.s.rejected.append(Rejected(
                    "policy", f"政策项 {key} 的金额 {converted:f} {BEYOND_ZH}",
                    f"{key}: {beyond_en(f'{converted:f}')}", entry))
                return
            self.s.policies.set(entry.date, key, converted)
        except PolicyValueError as bad:
            self.s.rejected.append(Rejected("policy", bad.zh, bad.en, entry))

    # -- linking references after the pass (registrations may sort after their uses)
    def _link(self) -> None:
        s = self.s
        s.step_names = frozenset(
            name for policy in s.policies.all() for name in policy.steps_loan + policy.steps_relief
        ) - {"approve"}
        s.refs.extend(self.step_refs(self.step_candidates))
        s.refs.sort(key=ref_order)
        for ref in s.refs:
            self.link_ref(ref)
        for relief in s.relief:
            self.link_relief(relief)
        for loan in s.loans.values():
            self.link_loan(loan)
        for app in s.applications.values():
            app.payments.sort(key=payment_order)

    def step_refs(self, candidates: list[Custom]) -> list[Ref]:
        """The customs named as workflow steps by the policy, as references to applications."""
        s, refs = self.s, []
        for entry in candidates:
            if entry.type in s.step_names:
                try:
                    refs.append(Ref("step", d.read_step(entry), entry.date, entry))
                except d.Malformed as bad:
                    s.rejected.append(Rejected("directive", bad.zh, bad.en, entry))
        return refs

    def ref_target(self, ref: Ref) -> Any:
        """What ``ref`` refers to (a member, an application, a disbursed loan), or None."""
        target = getattr(self.s, ref.table).get(ref.ref)
        if ref.table == "loans" and target is not None and target.disbursement is None:
            return None  # a loan is referred to once it is disbursed
        return target

    def link_ref(self, ref: Ref) -> None:
        target = self.ref_target(ref)
        if target is None:
            self.s.orphans.append(ref)
        elif ref.kind == "review":
            target.reviews.append(Review(ref.date, ref.value, ref.entry))
        elif ref.kind == "follow-up":
            target.follow_ups.append(FollowUp(ref.date, ref.value.contact, ref.value.note,
                                              ref.entry))
        elif ref.kind == "exit":
            if target.exited is None:
                target.exited, target.exit_entry = ref.date, ref.entry
                target.exit_reason = ref.entry.meta.get("reason")
        elif ref.table == "applications":
            target.steps.append(Step(ref.entry.type, ref.date, ref.entry))
            if ref.kind == "approve":
                target.approvals.append((ref.date, ref.value, ref.entry))
        elif ref.kind == "reschedule":
            target.reschedules.append((ref.date, ref.value, ref.entry))
        else:
            target.write_offs.append((ref.date, ref.entry))

    def link_relief(self, relief: Relief) -> None:
        s = self.s
        app = s.applications.get(relief.application_id) if relief.application_id else None
        if app is not None:
            app.payments.append(Payment(relief.date, relief.amount, relief.entry, "relief",
                                        relief.member_id, relief.account))

    def link_loan(self, loan: Loan) -> None:
        s = self.s
        app = s.applications.get(loan.application_id) if loan.application_id else None
        if app is not None:
            loan.member_id = app.member_id
            app.payments.append(Payment(loan.disbursed_on, loan.principal, loan.disbursement,
                                        "loan", app.member_id, loan.account))
        elif loan.opening:
            loan.member_id = str(loan.member_raw) if loan.member_raw is not None else None
        elif loan.disbursement is not None:
            member = loan.disbursement.meta.get("member")
            loan.member_id = str(member) if member is not None else None


def ref_order(ref: Ref) -> tuple[Date, int]:
    return ref.date, ref.entry.meta.get("lineno", 0)


def payment_order(payment: Payment) -> tuple[Date, int]:
    return payment.date, payment.entry.meta.get("lineno", 0)


def _within_a_fund(amount: Decimal) -> None:
    """A directive's amount beyond what a fund can hold (more than 15 integer digits of yuan)."""
    if not fits_a_fund(amount):
        raise d.Malformed(f"金额 {amount:f} {BEYOND_ZH}", beyond_en(f"{amount:f}"))

