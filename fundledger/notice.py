"""The annual transparency notice (年度帮扶资金筹集使用情况通报, SPEC §7) as plain data.

``build_notice(fund, year, edition)`` computes every figure the notice shows from the fund
state; ``notice_json`` is the object ``notice --format json`` prints. Templates only format.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from .fund import Fund
from .gcpause import paused
from .masking import mask_name
from .money import ZERO, as_str
from .reports import position_json
from .state import FundState, Position

Date = datetime.date
EDITIONS = ("public", "internal")


@dataclass
class LoanFigures:
    disbursed_count: int = 0
    disbursed_amount: Decimal = ZERO
    repaid: Decimal = ZERO  # principal repaid during the year
    written_off: Decimal = ZERO
    outstanding: Decimal = ZERO  # at year end
    overdue_count: int = 0
    overdue_amount: Decimal = ZERO
    fell_due: Decimal = ZERO  # principal due by year end, over the fund's history
    repaid_of_due: Decimal = ZERO  # of which repaid by year end

    @property
    def repayment_rate(self) -> Decimal | None:
        """Share of the principal due by year end that had been repaid by then."""
        if self.fell_due == 0:
            return None
        return (self.repaid_of_due / self.fell_due).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class Beneficiary:
    name: str  # masked
    branch: str
    kind: str  # relief account
    kind_name: str
    amount: Decimal


@dataclass
class YearFigures:
    """What a year raised and used; the notice shows one year and compares with the last."""

    raised: dict[str, Decimal] = field(default_factory=dict)  # opening entries left out
    brought_forward: Decimal = ZERO  # the opening entries dated in the year (上年结转/期初)
    relief: dict[str, Decimal] = field(default_factory=dict)
    relief_members_by_account: dict[str, int] = field(default_factory=dict)
    relief_members: int = 0
    interest: Decimal = ZERO
    fees: Decimal = ZERO
    released: Decimal = ZERO
    donors: int = 0
    campaigns: dict[str, Decimal] = field(default_factory=dict)
    loans: LoanFigures = field(default_factory=LoanFigures)

    @property
    def raised_total(self) -> Decimal:
        return sum(self.raised.values(), ZERO)

    @property
    def relief_total(self) -> Decimal:
        return sum(self.relief.values(), ZERO)


@dataclass
class Notice:
    title: str
    currency: str
    year: int
    edition: str
    start: Position
    end: Position
    this: YearFigures
    last: YearFigures
    labels: dict[str, str]  # account -> Chinese name
    beneficiaries: list[Beneficiary]
    fingerprint: str
    files: list[str]


def _in_year(day: Date, year: int) -> bool:
    return day.year == year


def year_figures(state: FundState, year: int) -> YearFigures:
    """The raising and use of money in ``year`` (one pass over the year's records)."""
    out = YearFigures()
    raised: dict[str, Decimal] = defaultdict(Decimal)
    donors: set[str] = set()
    campaigns: dict[str, Decimal] = defaultdict(Decimal)
    for inflow in state.inflows:
        if not _in_year(inflow.date, year):
            continue
        if inflow.opening:  # brought forward, never raised; its payee is no donor (SPEC §1, §7)
            out.brought_forward += inflow.amount
            continue
        raised[inflow.account] += inflow.amount
        if inflow.account.startswith("Income:Interest"):
            out.interest += inflow.amount
        elif inflow.donor:
            donors.add(inflow.donor)
        if inflow.campaign:
            campaigns[inflow.campaign] += inflow.amount
    out.raised = {a: v for a, v in sorted(raised.items()) if v != 0}
    out.donors = len(donors)
    out.campaigns = dict(sorted(campaigns.items()))
    relief: dict[str, Decimal] = defaultdict(Decimal)
    helped: dict[str, set[str]] = defaultdict(set)
    everyone: set[str] = set()
    for r in state.relief:
        if _in_year(r.date, year):
            relief[r.account] += r.amount
            if r.member_id:
                helped[r.account].add(r.member_id)
                everyone.add(r.member_id)
    out.relief = dict(sorted(relief.items()))
    out.relief_members_by_account = {a: len(helped[a]) for a in out.relief}
    out.relief_members = len(everyone)
    out.fees = sum((amt for day, _, amt, _ in state.fees if _in_year(day, year)), ZERO)
    out.released = sum((amt for day, amt, _ in state.releases if _in_year(day, year)), ZERO)
    out.loans = loan_figures(state, year)
    return out


def loan_figures(state: FundState, year: int) -> LoanFigures:
    end = Date(year, 12, 31)
    fig = LoanFigures()
    for loan in state.loans.values():
        if loan.disbursed_on is None or loan.disbursed_on > end:
            continue
        if loan.disbursed_on.year == year and not loan.opening:  # brought in, not disbursed
            fig.disbursed_count += 1
            fig.disbursed_amount += loan.principal
        for move in loan.moves:
            if move.date.year == year and move.kind == "repay":
                fig.repaid -= move.amount
            elif move.date.year == year and move.kind == "write-off":
                fig.written_off -= move.amount
        balance = loan.balance_on(end)
        fig.outstanding += balance
        if loan.status_on(end) == "overdue":
            fig.overdue_count += 1
            fig.overdue_amount += balance
        due = loan.due_on(end)
        if due is not None and due <= end:
            fig.fell_due += loan.principal
            fig.repaid_of_due += loan.repaid_on(end)
    return fig


def fingerprint(files: list[Path]) -> str:
    """SHA-256 over the ledger's source files (names relative to the first, then contents)."""
    digest = hashlib.sha256()
    root = files[0].parent if files else Path(".")  # the top-level file comes first
    for path in sorted(files, key=lambda p: p.as_posix()):
        digest.update(_relative(path, root).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def beneficiaries(state: FundState, year: int) -> list[Beneficiary]:
    """One row per member and relief kind, names masked (党内 edition only)."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in state.relief:
        if _in_year(r.date, year) and r.member_id:
            totals[(r.member_id, r.account)] += r.amount
    rows = []
    for (member_id, account), amount in totals.items():
        member = state.members.get(member_id)
        rows.append(Beneficiary(mask_name(member.name) if member else "*",
                                member.branch if member else "", account,
                                state.account_label(account), amount))
    rows.sort(key=lambda b: (b.branch, b.kind, b.name, -b.amount))
    return rows


def build_notice(fund: Fund, year: int, edition: str = "public") -> Notice:
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}")
    with paused():
        return _build_notice(fund, year, edition)


def _build_notice(fund: Fund, year: int, edition: str) -> Notice:
    state = fund.state
    this, last = year_figures(state, year), year_figures(state, year - 1)
    accounts = set(this.raised) | set(last.raised) | set(this.relief) | set(last.relief)
    top = fund.path.resolve()
    files = sorted(fund.source_files, key=lambda p: (p.resolve() != top, p.as_posix()))
    return Notice(
        title=fund.title, currency=fund.currency, year=year, edition=edition,
        start=state.year_start(year), end=state.position(Date(year, 12, 31)),
        this=this, last=last, labels={a: state.account_label(a) for a in sorted(accounts)},
        beneficiaries=beneficiaries(state, year) if edition == "internal" else [],
        fingerprint=fingerprint(files),
        files=[_relative(p, files[0].parent) for p in files],
    )


def notice_json(notice: Notice) -> dict[str, Any]:
    """The object ``notice --format json`` prints: the SPEC §7 keys, then ``details``."""
    this, loans = notice.this, notice.this.loans
    rate = loans.repayment_rate
    return {
        "year": notice.year,
        "start": position_json(notice.start),
        "end": position_json(notice.end),
        "raised": {a: as_str(v) for a, v in this.raised.items()},
        "raised_total": as_str(this.raised_total),
        "brought_forward": as_str(this.brought_forward),
        "relief": {a: {"amount": as_str(v), "members": this.relief_members_by_account[a]}
                   for a, v in this.relief.items()},
        "relief_total": as_str(this.relief_total),
        "relief_members": this.relief_members,
        "loans": {
            "disbursed_count": loans.disbursed_count,
            "disbursed_amount": as_str(loans.disbursed_amount),
            "repaid": as_str(loans.repaid),
            "outstanding": as_str(loans.outstanding),
            "overdue_count": loans.overdue_count,
            "overdue_amount": as_str(loans.overdue_amount),
            "repayment_rate": None if rate is None else f"{rate:.4f}",
        },
        "interest": as_str(this.interest),
        "beneficiaries": [
            {"name": b.name, "branch": b.branch, "kind": b.kind, "kind_name": b.kind_name,
             "amount": as_str(b.amount)} for b in notice.beneficiaries],
        "details": {
            "edition": notice.edition,
            "donors": this.donors,
            "campaigns": {c: as_str(v) for c, v in this.campaigns.items()},
            "written_off": as_str(loans.written_off),
            "fees": as_str(this.fees),
            "released": as_str(this.released),
            "previous_year": {
                "raised_total": as_str(notice.last.raised_total),
                "relief_total": as_str(notice.last.relief_total),
                "relief_members": notice.last.relief_members,
                "disbursed_amount": as_str(notice.last.loans.disbursed_amount),
                "interest": as_str(notice.last.interest),
            },
            "sha256": notice.fingerprint,
        },
    }
