"""The annual transparency notice (年度帮扶资金筹集使用情况通报, SPEC §7) as plain data.

``build_notice(fund, year, edition)`` gathers the figures the notice shows from the fund's
view (``FundView.year``, ``position``, ``year_start``); ``notice_json`` is the object
``notice --format json`` prints. Templates only format.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .fund import Fund
from .gcpause import paused
from .masking import mask_name
from .money import as_str
from .reports import position_json
from .state import FundState, Position
from .view import view_of
from .view_years import YearFigures

Date = datetime.date
EDITIONS = ("public", "internal")


@dataclass
class Beneficiary:
    name: str  # masked
    branch: str
    kind: str  # relief account
    kind_name: str
    amount: Decimal


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
    rows = []
    for (member_id, account), amount in view_of(state).relief_received(year).items():
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
    state, view = fund.state, fund.view
    figures = view.years((year - 1, year))
    this, last = figures[year], figures[year - 1]
    accounts = set(this.raised) | set(last.raised) | set(this.relief) | set(last.relief)
    top = fund.path.resolve()
    files = sorted(fund.source_files, key=lambda p: (p.resolve() != top, p.as_posix()))
    return Notice(
        title=fund.title, currency=fund.currency, year=year, edition=edition,
        start=view.year_start(year), end=view.position(Date(year, 12, 31)),
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
