"""The fund as tables for analysts: pandas DataFrames and Arrow tables, exact to the fen.

    frames = fundledger.load("ledgers/county/main.beancount").frames(datetime.date(2025, 12, 31))
    frames.relief.groupby("account_name")["amount"].sum()

Every table is read from the one fund state and its view (``fundledger.view``: statuses,
eligibility, year figures; ``postings`` from the entries themselves); nothing here computes
a balance of its own. Money is an Arrow decimal (never a float),
dates are Arrow ``date32``, accounts carry their Chinese ``name:``. Without ``names=True`` the
tables carry none of the personal texts of SPEC §9 (``privacy.PERSONAL``: names, payees,
narrations, purposes, children, guarantors, contacts, exit reasons, donors, loan accounts'
names): they are left out, and a narration is replaced by ``privacy.summary``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
from beancount.core.data import Transaction

from . import privacy
from .accounts import Role, loan_id_of, role_of
from .gcpause import paused
from .reports import aging_bucket
from .values import months

if TYPE_CHECKING:
    from .fund import Fund

Date = datetime.date

# The tables, in the order exports write them. Each row is dated; ``YEAR_OF`` names the date
# that files it under a year in consolidated datasets (``positions``/``loan_years`` have one).
TABLES = ("postings", "donations", "relief", "loans", "loan_moves", "applications", "members",
          "releases", "positions", "loan_years", "years")
YEAR_OF = {"postings": "date", "donations": "date", "relief": "date", "loans": "disbursed",
           "loan_moves": "date", "applications": "date", "members": "registered",
           "releases": "date", "positions": "year", "loan_years": "year", "years": "year"}


def money_type(values: list[Decimal | None], min_scale: int = 2) -> pa.DataType:
    """``decimal128(18, 2)``, or as many places and digits as the values need (exact)."""
    scale, digits = min_scale, 18 - min_scale
    for value in values:
        if value is None:
            continue
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > scale:
            scale = -exponent
        digits = max(digits, value.adjusted() + 1)
    if digits + scale > 38:
        raise ValueError(f"amount too large for a 38-digit decimal ({digits} digits, {scale} places)")
    return pa.decimal128(max(18, digits + scale), scale)


def _money(values: list[Decimal | None], min_scale: int = 2) -> pa.Array:
    if min_scale == 2:
        try:  # the usual case: every amount in fen
            return pa.array(values, type=pa.decimal128(18, 2))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    return pa.array(values, type=money_type(values, min_scale))


_TYPES: dict[str, Callable[[list[Any]], pa.Array]] = {
    "money": _money,
    "rate": lambda v: _money(v, 4),
    "date": lambda v: pa.array(v, type=pa.date32()),
    "str": lambda v: pa.array(v, type=pa.string()),
    "int": lambda v: pa.array(v, type=pa.int64()),
    "bool": lambda v: pa.array(v, type=pa.bool_()),
}


POSTING_COLUMNS = [("date", "date"), ("txn", "int"), ("flag", "str"), ("payee", "str"),
                   ("narration", "str"), ("account", "str"), ("account_name", "str"),
                   ("role", "str"), ("pool", "str"), ("amount", "money"), ("currency", "str"),
                   ("member", "str"), ("application", "str"), ("loan", "str"),
                   ("file", "str"), ("line", "int")]


class _Rows:
    """Columns filled row by row, each with its kind (money, rate, date, str, int, bool)."""

    def __init__(self, columns: list[tuple[str, str]]):
        self.columns = columns
        self.names = [name for name, _ in columns]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **row: Any) -> None:
        self.rows.append(tuple(map(row.get, self.names)))

    def table(self) -> pa.Table:
        values = list(zip(*self.rows, strict=True)) or [()] * len(self.columns)
        return pa.table({name: _TYPES[kind](list(column))
                         for (name, kind), column in zip(self.columns, values, strict=True)})


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class _Builder:
    def __init__(self, fund: Fund, as_of: Date, names: bool):
        self.fund, self.state, self.as_of, self.names = fund, fund.state, as_of, names
        self.view = fund.view
        self.root = fund.path.resolve().parent
        self.files: dict[str, str] = {}

    def file(self, filename: str | None) -> str | None:
        """The entry's file, relative to the ledger's folder (no machine paths in exports)."""
        if filename is None:
            return None
        if filename not in self.files:
            path = Path(filename)
            try:
                self.files[filename] = path.resolve().relative_to(self.root).as_posix()
            except ValueError:
                self.files[filename] = path.as_posix()
        return self.files[filename]

    def where(self, entry: Any) -> dict[str, Any]:
        """The ``file`` and ``line`` columns of a row read from ``entry``."""
        meta = getattr(entry, "meta", None) or {}
        return {"file": self.file(meta.get("filename")), "line": meta.get("lineno")}

    def person(self, value: Any) -> str | None:
        return privacy.kept(value, self.names)

    def narration(self, entry: Any) -> str | None:
        """The narration with ``names``; otherwise what kind of transaction it was."""
        return entry.narration if self.names else privacy.summary(entry, self.state)

    def member_name(self, member_id: str | None) -> str | None:
        member = self.state.members.get(member_id or "")
        return member.name if member is not None and self.names else None

    def branch(self, member_id: str | None) -> str | None:
        member = self.state.members.get(member_id or "")
        return member.branch if member is not None else None

    def postings(self) -> pa.Table:
        """Every posting up to ``as_of``: the one table as long as the ledger, so it is filled
        column by column, with what it shows of each account worked out once per account."""
        accounts, cur, names = self.state.accounts, self.state.currency, self.names
        cols: dict[str, list[Any]] = {name: [] for name, _ in POSTING_COLUMNS}
        (date, txn, flag, payee, narration, account, account_name, role, pool, amount, currency,
         member, application, loan, file, line) = (cols[name].append for name, _ in POSTING_COLUMNS)
        shown: dict[str, tuple[str | None, str | None, str | None, bool]] = {}
        n = -1
        for entry in self.fund.entries:
            if not isinstance(entry, Transaction):
                continue
            n += 1
            if entry.date > self.as_of:
                break
            emeta = entry.meta
            filename = self.file(emeta.get("filename"))
            who = _text(entry.payee) if names else None
            said = entry.narration if names else privacy.summary(entry, self.state)
            for posting in entry.postings:
                units = posting.units
                if units is None or units.number is None:
                    continue
                name = posting.account
                about = shown.get(name)
                if about is None:
                    info = accounts.get(name)
                    kind = info.role if info is not None else role_of(name)
                    about = shown[name] = (
                        privacy.account_title(name, info.title if info is not None else None,
                                              names), kind and kind.value,
                        info.pool.value if info is not None and info.pool is not None else None,
                        kind is Role.LOAN)
                pmeta = posting.meta
                date(entry.date)
                txn(n)
                flag(entry.flag)
                payee(who)
                narration(said)
                account(name)
                account_name(about[0])
                role(about[1])
                pool(about[2])
                amount(units.number)
                currency(units.currency)
                member(_text(pmeta["member"] if pmeta and "member" in pmeta else emeta.get("member")))
                application(_text(pmeta["application"] if pmeta and "application" in pmeta
                                  else emeta.get("application")))
                loan(loan_id_of(name) if about[3] and units.currency == cur else None)
                file(filename)
                line((pmeta or emeta).get("lineno"))
        return pa.table({name: _TYPES[kind](cols[name]) for name, kind in POSTING_COLUMNS})

    def donations(self) -> pa.Table:
        """Every inflow up to ``as_of`` (a row per donor and drive: long, so rows are tuples
        in column order, with what each account shows worked out once)."""
        rows = _Rows([("date", "date"), ("account", "str"), ("account_name", "str"), ("pool", "str"),
                      ("amount", "money"), ("campaign", "str"), ("donor", "str"),
                      ("fiscal", "bool"), ("interest", "bool"), ("opening", "bool"),
                      ("narration", "str"), ("file", "str"), ("line", "int")])
        add, accounts, names, file, as_of = rows.rows.append, self.state.accounts, self.names, \
            self.file, self.as_of
        shown: dict[str, tuple[str | None, bool, bool]] = {}
        for inflow in self.state.inflows:
            if inflow.date > as_of:
                continue
            about = shown.get(inflow.account)
            if about is None:
                info = accounts.get(inflow.account)
                about = shown[inflow.account] = (info and info.title, bool(info and info.fiscal),
                                                 bool(info and info.interest))
            meta = inflow.entry.meta
            add((inflow.date, inflow.account, about[0], inflow.pool.value, inflow.amount,
                 inflow.campaign, _text(inflow.donor) if names else None, about[1], about[2],
                 inflow.opening, self.narration(inflow.entry),
                 file(meta.get("filename")), meta.get("lineno")))
        return rows.table()

    def relief(self) -> pa.Table:
        rows = _Rows([("date", "date"), ("account", "str"), ("account_name", "str"), ("kind", "str"),
                      ("amount", "money"), ("member", "str"), ("member_name", "str"),
                      ("branch", "str"), ("application", "str"), ("months", "int"),
                      ("child", "str"), ("narration", "str"), ("file", "str"), ("line", "int")])
        for r in self._upto(self.state.relief):
            info = self.state.accounts.get(r.account)
            rows.add(date=r.date, account=r.account, account_name=info and info.title, kind=r.kind,
                     amount=r.amount, member=r.member_id, member_name=self.member_name(r.member_id),
                     branch=self.branch(r.member_id), application=r.application_id,
                     months=months(r.months) if r.kind == "Subsidy" else None,
                     child=self.person(r.child), narration=self.narration(r.entry),
                     **self.where(r.entry))
        return rows.table()

    def loans(self) -> pa.Table:
        rows = _Rows([("id", "str"), ("account", "str"), ("member", "str"), ("member_name", "str"),
                      ("branch", "str"), ("application", "str"), ("disbursed", "date"),
                      ("opening", "bool"), ("disbursed_original", "date"), ("principal", "money"), ("rate", "rate"), ("guarantor", "str"),
                      ("due", "date"), ("due_in_force", "date"), ("rescheduled", "bool"),
                      ("repaid", "money"), ("written_off", "money"), ("interest", "money"),
                      ("outstanding", "money"), ("status", "str"), ("days_past_due", "int"),
                      ("aging", "str")])
        day = self.as_of
        for loan in self.view.book(day):
            days = loan.days_past_due(day)
            rows.add(id=loan.id, account=loan.account, member=loan.member_id,
                     member_name=self.member_name(loan.member_id), branch=self.branch(loan.member_id),
                     application=loan.application_id, disbursed=loan.disbursed_on,
                     opening=loan.opening,
                     disbursed_original=loan.disbursed_original,
                     principal=loan.principal, rate=loan.rate, guarantor=self.person(loan.guarantor),
                     due=loan.due, due_in_force=loan.due_on(day),
                     rescheduled=any(when <= day for when, _, _ in loan.reschedules),
                     repaid=loan.repaid_on(day), written_off=loan.written_off_on(day),
                     interest=loan.interest_on(day), outstanding=loan.balance_on(day),
                     status=loan.status_on(day), days_past_due=days, aging=aging_bucket(days))
        return rows.table()

    def loan_moves(self) -> pa.Table:
        rows = _Rows([("date", "date"), ("loan", "str"), ("kind", "str"), ("amount", "money"),
                      ("interest", "money"), ("file", "str"), ("line", "int")])
        moves = [(m, loan.id) for loan in self.state.loans.values() for m in loan.moves
                 if m.date <= self.as_of]
        moves.sort(key=lambda x: (x[0].date, x[1], x[0].entry.meta.get("lineno", 0)))
        for move, loan_id in moves:
            rows.add(date=move.date, loan=loan_id, kind=move.kind, amount=move.amount,
                     interest=move.interest, **self.where(move.entry))
        return rows.table()

    def applications(self) -> pa.Table:
        rows = _Rows([("id", "str"), ("member", "str"), ("member_name", "str"), ("branch", "str"),
                      ("kind", "str"), ("date", "date"), ("amount", "money"), ("purpose", "str"),
                      ("steps", "str"), ("approved", "money"), ("approved_on", "date"),
                      ("rejected_on", "date"), ("paid", "money"), ("status", "str")])
        for st in self.view.applications(self.as_of):
            app = st.app
            rows.add(id=app.id, member=app.member_id, member_name=self.member_name(app.member_id),
                     branch=self.branch(app.member_id), kind=app.kind, date=app.date,
                     amount=app.amount, purpose=self.person(app.purpose),
                     steps=" ".join(s.name for s in st.steps), approved=st.approved,
                     approved_on=st.approved_on, rejected_on=st.rejected_on, paid=st.paid,
                     status=st.status)
        return rows.table()

    def members(self) -> pa.Table:
        rows = _Rows([("id", "str"), ("name", "str"), ("contact", "str"), ("branch", "str"),
                      ("category", "str"), ("registered", "date"), ("exited", "date"),
                      ("exit_reason", "str"), ("tier", "str"), ("last_review", "date"),
                      ("review_valid_until", "date"), ("eligible", "bool")])
        for st in sorted(self.view.members(self.as_of),
                         key=lambda st: (st.member.registered, st.member.id)):
            member, exited, review = st.member, st.exited, st.review
            rows.add(id=member.id, name=self.person(member.name), contact=self.person(member.contact),
                     branch=member.branch, category=member.category, registered=member.registered,
                     exited=exited, exit_reason=self.person(member.exit_reason) if exited else None,
                     tier=review and review.tier, last_review=review and review.date,
                     review_valid_until=st.review_valid_until, eligible=st.eligible)
        return rows.table()

    def releases(self) -> pa.Table:
        rows = _Rows([("date", "date"), ("amount", "money"), ("minutes", "str"),
                      ("file", "str"), ("line", "int")])
        for day, amount, entry in self.state.releases:
            if day <= self.as_of:
                rows.add(date=day, amount=amount, minutes=_text(entry.meta.get("minutes")),
                         **self.where(entry))
        return rows.table()

    def year_ends(self) -> list[tuple[int, Date]]:
        """Each year the books were kept in, up to ``as_of``, with the day its figures stand at."""
        span = self.view.span
        return [] if span is None else span.year_ends(self.as_of)

    def positions(self) -> pa.Table:
        rows = _Rows([("year", "int"), ("as_of", "date"), ("cash", "money"),
                      ("loans_outstanding", "money"), ("principal", "money"), ("spendable", "money")])
        for year, day in self.year_ends():
            pos = self.view.position(day)
            rows.add(year=year, as_of=day, cash=pos.cash, loans_outstanding=pos.loans_outstanding,
                     principal=pos.principal, spendable=pos.spendable)
        return rows.table()

    def loan_years(self) -> pa.Table:
        """Each loan at the end of every year it was outstanding in (its status then)."""
        rows = _Rows([("year", "int"), ("as_of", "date"), ("loan", "str"), ("member", "str"),
                      ("branch", "str"), ("disbursed", "date"), ("principal", "money"),
                      ("due_in_force", "date"), ("repaid", "money"), ("written_off", "money"),
                      ("outstanding", "money"), ("status", "str"), ("days_past_due", "int")])
        for year, day in self.year_ends():
            for loan in self.view.loans_in_year(year, day):
                rows.add(year=year, as_of=day, loan=loan.id, member=loan.member_id,
                         branch=self.branch(loan.member_id), disbursed=loan.disbursed_on,
                         principal=loan.principal, due_in_force=loan.due_on(day),
                         repaid=loan.repaid_on(day), written_off=loan.written_off_on(day),
                         outstanding=loan.balance_on(day), status=loan.status_on(day),
                         days_past_due=loan.days_past_due(day))
        return rows.table()

    def years(self) -> pa.Table:
        """Each year's figures (``FundView.year``) and its year-end position: the table the
        cross-fund figures read (``consolidate --query``)."""
        rows = _Rows([("year", "int"), ("as_of", "date"), ("raised", "money"),
                      ("brought_forward", "money"), ("relief", "money"), ("helped", "int"),
                      ("fees", "money"), ("released", "money"), ("losses", "money"),
                      ("interest", "money"), ("loans_disbursed", "int"), ("lent", "money"),
                      ("loans_outstanding", "money"), ("overdue_count", "int"),
                      ("overdue_amount", "money"), ("cash", "money"), ("principal", "money"),
                      ("spendable", "money")])
        ends = self.year_ends()
        figures = self.view.years([year for year, _ in ends], self.as_of)
        for year, day in ends:
            fig, pos = figures[year], self.view.position(day)
            rows.add(year=year, as_of=day, raised=fig.raised_total,
                     brought_forward=fig.brought_forward, relief=fig.relief_total,
                     helped=fig.relief_members, fees=fig.fees, released=fig.released,
                     losses=fig.losses, interest=fig.interest,
                     loans_disbursed=fig.loans.disbursed_count, lent=fig.loans.disbursed_amount,
                     loans_outstanding=fig.loans.outstanding, overdue_count=fig.loans.overdue_count,
                     overdue_amount=fig.loans.overdue_amount, cash=pos.cash,
                     principal=pos.principal, spendable=pos.spendable)
        return rows.table()

    def _upto(self, records: list[Any]) -> Iterator[Any]:
        for record in records:
            if record.date <= self.as_of:
                yield record


def tables(fund: Fund, as_of: Date | None = None, names: bool = False) -> dict[str, pa.Table]:
    """Every table of ``TABLES`` as an Arrow table, as of the end of ``as_of`` (default today)."""
    as_of = as_of or datetime.date.today()
    builder = _Builder(fund, as_of, names)
    with paused():  # millions of row tuples and no cycles: collections would only slow it (~30%)
        out = {name: getattr(builder, name)() for name in TABLES}
    meta = {"fundledger.title": fund.title, "fundledger.currency": fund.currency,
            "fundledger.as_of": as_of.isoformat(), "fundledger.names": str(names).lower()}
    return {name: table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
            for name, table in out.items()}


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A DataFrame whose every column keeps its Arrow type (decimals stay exact)."""
    return table.to_pandas(types_mapper=pd.ArrowDtype)


@dataclass
class Frames:
    """The fund's tables as DataFrames (``fund.frames()``); see ``TABLES`` and docs/ANALYSTS.md."""

    as_of: Date
    names: bool
    postings: pd.DataFrame
    donations: pd.DataFrame  # every inflow from a source: donations, dues, grants, interest
    relief: pd.DataFrame
    loans: pd.DataFrame
    loan_moves: pd.DataFrame
    applications: pd.DataFrame
    members: pd.DataFrame
    releases: pd.DataFrame
    positions: pd.DataFrame  # the position at each year end
    loan_years: pd.DataFrame  # each loan at each year end it was outstanding in
    years: pd.DataFrame  # each year's figures (``FundView.year``) and year-end position

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        for name in TABLES:
            yield name, getattr(self, name)


def frames(fund: Fund, as_of: Date | None = None, names: bool = False) -> Frames:
    as_of = as_of or datetime.date.today()
    built = tables(fund, as_of, names)
    with paused():
        return Frames(as_of, names, **{name: to_pandas(table) for name, table in built.items()})
