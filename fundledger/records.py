"""The fund's records (SPEC §1–§4): accounts, members and their reviews, applications and
their steps, loans, relief, money raised, and ``FundState``, the one state that the rules,
the commands, the notice and the exports read. ``build.build_state`` fills it in one pass.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core.data import Custom, Open, Transaction

from .accounts import Pool, Role, is_fiscal, is_interest, is_opening, relief_kind
from .dates import Date, add_months
from .money import ZERO
from .policy import Policy, PolicyTimeline

__all__ = [
    "Account", "Application", "Flow", "FollowUp", "FundState", "Inflow", "Loan", "LoanMove", "Member",
    "Opening", "Payment", "Position", "Ref", "Rejected", "Relief", "Review", "Step",
]

@dataclass
class Account:
    name: str
    role: Role | None
    pool: Pool | None
    title: str | None  # Chinese name from ``name:``
    open_entry: Open | None = None
    closed: Date | None = None
    first_use: Transaction | None = None  # for accounts used without an ``open``
    fiscal: bool = False  # public money (财政资金)
    interest: bool = False  # the fund's earnings from interest
    opening: bool = False  # ``Equity:Opening*``: brought forward (期初), never raised

    def __post_init__(self) -> None:
        self.fiscal = self.role is Role.SOURCE and is_fiscal(self.name)
        self.interest = self.role is Role.SOURCE and is_interest(self.name)
        self.opening = self.role is Role.SOURCE and is_opening(self.name)

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass
class Review:
    date: Date
    tier: str
    entry: Custom


@dataclass
class FollowUp:
    """A tracking contact's follow-up visit or call (跟踪联系/回访)."""

    date: Date
    contact: str  # the contact's role or ID
    note: str | None
    entry: Custom


@dataclass
class Member:
    """A registered member or survivor household (建档立卡)."""

    id: str
    name: str
    branch: str
    category: str | None
    contact: str | None
    registered: Date
    entry: Custom
    reviews: list[Review] = field(default_factory=list)
    exited: Date | None = None
    exit_reason: str | None = None
    exit_entry: Custom | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)  # in date order

    def follow_up_on(self, day: Date) -> FollowUp | None:
        """The latest follow-up on or before ``day``."""
        found = None
        for follow_up in self.follow_ups:
            if follow_up.date > day:
                break
            found = follow_up
        return found

    def review_on(self, day: Date) -> Review | None:
        """The latest annual review (年度审核) on or before ``day``."""
        found = None
        for review in self.reviews:
            if review.date > day:
                break
            found = review
        return found

    def tier_on(self, day: Date) -> str | None:
        review = self.review_on(day)
        return review.tier if review else None

    def ineligibility(self, day: Date, valid_months: int) -> tuple[str, str] | None:
        """Why the member may not be helped on ``day`` (zh, en), or None when eligible."""
        if self.registered > day:
            return f"成员 {self.id} 在 {day} 尚未登记", f"member {self.id} not registered on {day}"
        if self.exited is not None and self.exited < day:
            return (f"成员 {self.id} 已于 {self.exited} 退出", f"member {self.id} exited on {self.exited}")
        review = self.review_on(day)
        if review is None:
            return f"成员 {self.id} 在 {day} 前没有年度审核", f"member {self.id} has no review by {day}"
        if review.tier == "none":
            return (f"成员 {self.id} 在 {review.date} 审核为不再困难",
                    f"member {self.id} reviewed as tier none on {review.date}")
        if add_months(review.date, valid_months) < day:
            return (f"成员 {self.id} 最近一次审核 {review.date} 已超过 {valid_months} 个月",
                    f"member {self.id}'s last review {review.date} is older than {valid_months} months")
        return None

    def eligible_on(self, day: Date, policy: Policy) -> bool:
        return self.ineligibility(day, policy.review_valid_months) is None


@dataclass
class Step:
    name: str
    date: Date
    entry: Custom


@dataclass
class Payment:
    """Money moved on an application: a relief posting or a loan disbursement."""

    date: Date
    amount: Decimal
    entry: Transaction
    kind: str  # "loan" or "relief"
    member_id: str | None
    account: str


@dataclass
class Application:
    """An application (申报) and its workflow."""

    id: str
    member_id: str
    kind: str
    amount: Decimal
    purpose: str | None
    date: Date
    entry: Custom
    steps: list[Step] = field(default_factory=list)  # in date order, incl. approve and reject
    approvals: list[tuple[Date, Decimal, Custom]] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)

    def first(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def approved_on(self, day: Date) -> Decimal | None:
        """The latest approved amount on or before ``day``."""
        amount = None
        for when, value, _ in self.approvals:
            if when <= day:
                amount = value
        return amount

    def rejected(self) -> Step | None:
        return self.first("reject")

    def paid(self, day: Date | None = None) -> Decimal:
        return sum((p.amount for p in self.payments if day is None or p.date <= day), ZERO)


@dataclass
class LoanMove:
    date: Date
    amount: Decimal  # change of the loan's balance
    kind: str  # "disburse", "repay", "write-off"
    interest: Decimal
    entry: Transaction


@dataclass
class Loan:
    """One loan (有偿扶助), its own account ``Assets:Loans:<ID>``.

    An *opening* loan (借款期初余额) was made before these books began and is brought in by an
    opening entry (the loan account up against ``Equity:Opening*``): ``disbursed_on`` is the
    opening entry's date, the day these books first hold it, ``principal`` the balance brought
    in, and ``disbursed_original`` its ``disbursed:`` (the original date) when given.
    """

    id: str
    account: str
    open_entry: Open | None = None
    disbursement: Transaction | None = None
    disbursed_on: Date | None = None
    principal: Decimal = ZERO
    application_id: str | None = None
    member_id: str | None = None
    due: Date | None = None
    guarantor: str | None = None
    rate: Decimal | None = None
    rate_raw: Any = None
    due_raw: Any = None
    opening: bool = False
    disbursed_original: Date | None = None
    disbursed_raw: Any = None  # ``disbursed:`` as written (an opening loan's original date)
    member_raw: Any = None  # an opening loan's ``member:`` as written
    moves: list[LoanMove] = field(default_factory=list)
    reschedules: list[tuple[Date, Date, Custom]] = field(default_factory=list)
    write_offs: list[tuple[Date, Custom]] = field(default_factory=list)  # approvals (核销)

    def _sum(self, day: Date, kinds: tuple[str, ...]) -> Decimal:
        return sum((m.amount for m in self.moves if m.date <= day and m.kind in kinds), ZERO)

    def balance_on(self, day: Date) -> Decimal:
        return self._sum(day, ("disburse", "repay", "write-off"))

    def repaid_on(self, day: Date) -> Decimal:
        return -self._sum(day, ("repay",))

    def written_off_on(self, day: Date) -> Decimal:
        return -self._sum(day, ("write-off",))

    def interest_on(self, day: Date) -> Decimal:
        return sum((m.interest for m in self.moves if m.date <= day), ZERO)

    def due_on(self, day: Date) -> Date | None:
        """The due date in force on ``day``: the latest approved reschedule, else ``due:``."""
        due = self.due
        for when, new_due, _ in self.reschedules:
            if when <= day:
                due = new_due
        return due

    def status_on(self, day: Date) -> str:
        """``current``, ``overdue``, ``repaid``, ``written-off`` (or ``undisbursed``)."""
        if self.disbursed_on is None or self.disbursed_on > day:
            return "undisbursed"
        if self.balance_on(day) <= 0:
            return "written-off" if self.written_off_on(day) > 0 else "repaid"
        due = self.due_on(day)
        return "overdue" if due is not None and day > due else "current"

    def days_past_due(self, day: Date) -> int:
        due = self.due_on(day)
        if self.status_on(day) != "overdue" or due is None:
            return 0
        return (day - due).days


@dataclass
class Relief:
    """One relief posting (无偿救济)."""

    date: Date
    account: str
    amount: Decimal
    member_id: str | None
    application_id: str | None
    months: Any
    child: str | None
    entry: Transaction

    @property
    def kind(self) -> str:
        return relief_kind(self.account)


@dataclass
class Inflow:
    """Money into the fund from a source account (donation, dues, grant, interest…)."""

    date: Date
    account: str
    pool: Pool
    amount: Decimal
    donor: str | None
    campaign: str | None
    entry: Transaction
    opening: bool = False  # from ``Equity:Opening*``: brought forward, not raised


@dataclass(frozen=True)
class Position:
    """The fund's position at the end of a day; cash = principal + spendable − loans."""

    cash: Decimal = ZERO
    loans_outstanding: Decimal = ZERO
    principal: Decimal = ZERO
    spendable: Decimal = ZERO


@dataclass(frozen=True)
class Opening:
    """What one opening entry (期初) brought in, as a change of the position.

    ``principal`` and ``spendable`` are the opening postings by pool, ``loans`` the opening
    loans; ``cash`` is the rest (brought forward − loans), so cash = principal + spendable −
    loans holds for the brought-forward figures too.
    """

    date: Date
    cash: Decimal
    loans: Decimal
    principal: Decimal
    spendable: Decimal
    entry: Transaction

    @property
    def amount(self) -> Decimal:
        return self.principal + self.spendable


@dataclass
class Flow:
    """Relief or fees taken from the spendable pool (for FL402)."""

    date: Date
    delta: Decimal
    entry: Any


@dataclass
class Rejected:
    """A fund directive or metadata that could not be read (kind: policy|directive|duplicate)."""

    kind: str
    zh: str
    en: str
    entry: Any


@dataclass
class Ref:
    """A directive that refers to a member, application or loan by ID, linked after the pass."""

    kind: str  # review, exit, follow-up, step, approve, reject, reschedule, write-off
    ref: str
    date: Date
    entry: Custom
    value: Any = None

    @property
    def table(self) -> str:
        """The ``FundState`` table of what it refers to: members, applications or loans."""
        return _REF_TABLES.get(self.kind, "loans")


_REF_TABLES = {"review": "members", "exit": "members", "follow-up": "members",
               "step": "applications", "approve": "applications", "reject": "applications"}


@dataclass
class FundState:
    currency: str
    policies: PolicyTimeline = field(default_factory=PolicyTimeline)
    accounts: dict[str, Account] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    loans: dict[str, Loan] = field(default_factory=dict)
    relief: list[Relief] = field(default_factory=list)
    inflows: list[Inflow] = field(default_factory=list)
    releases: list[tuple[Date, Decimal, Custom]] = field(default_factory=list)
    fees: list[tuple[Date, str, Decimal, Transaction]] = field(default_factory=list)
    losses: list[tuple[Date, str, Decimal, Transaction]] = field(default_factory=list)
    fiscal: list[tuple[Transaction, Decimal]] = field(default_factory=list)
    uses: list[Flow] = field(default_factory=list)  # relief and fees paid, in entry order
    spendable_added: dict[Date, Decimal] = field(default_factory=dict)  # all else, per day
    cash_moves: list[tuple[Date, str, Decimal, Transaction]] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)  # opening entries, in date order
    vouchers: list[tuple[Any, Transaction]] = field(default_factory=list)  # (voucher:, entry) per transaction
    rejected: list[Rejected] = field(default_factory=list)
    orphans: list[Ref] = field(default_factory=list)  # refer to IDs that exist nowhere
    refs: list[Ref] = field(default_factory=list)
    step_names: frozenset[str] = frozenset()
    faults: list[tuple[Any, BaseException]] = field(default_factory=list)
    valueless_customs: int = 0  # ``custom "x"`` with ``values=None`` (the plugin mends them)
    pads: int = 0  # ``pad`` directives: beancount adds their money after the plugins run
    _days: list[Date] = field(default_factory=list)
    _positions: list[Position] = field(default_factory=list)

    def policy_at(self, day: Date) -> Policy:
        return self.policies.at(day)

    def position(self, as_of: Date) -> Position:
        """The fund's position at the end of ``as_of``."""
        i = bisect.bisect_right(self._days, as_of)
        return self._positions[i - 1] if i else Position()

    def brought_in(self, first: Date, last: Date) -> Position:
        """What the opening entries dated ``first`` to ``last`` brought in."""
        cash = loans = principal = spendable = ZERO
        for op in self.openings:
            if first <= op.date <= last:
                cash += op.cash
                loans += op.loans
                principal += op.principal
                spendable += op.spendable
        return Position(cash, loans, principal, spendable)

    def brought_forward(self, year: int) -> Decimal:
        """The opening entries dated in ``year`` (上年结转/期初), in the net assets they add."""
        pos = self.brought_in(Date(year, 1, 1), Date(year, 12, 31))
        return pos.principal + pos.spendable

    def year_start(self, year: int) -> Position:
        """The position at the start of ``year`` (SPEC §7): the end of the year before, plus
        the opening entries dated in ``year`` — a fund starts the year its books begin with
        what it brought forward, whatever day that is."""
        before = self.position(Date(year - 1, 12, 31))
        new = self.brought_in(Date(year, 1, 1), Date(year, 12, 31))
        return Position(before.cash + new.cash, before.loans_outstanding + new.loans_outstanding,
                        before.principal + new.principal, before.spendable + new.spendable)

    @property
    def first_day(self) -> Date | None:
        """The date of the ledger's first entry (None for an empty ledger)."""
        return self._days[0] if self._days else None

    @property
    def last_day(self) -> Date | None:
        """The date of the ledger's last entry (None for an empty ledger)."""
        return self._days[-1] if self._days else None

    def account_label(self, account: str) -> str:
        info = self.accounts.get(account)
        return info.label if info else account
