"""Every consumer reports the figures of the one view (``fundledger.view.FundView``).

On random valid ledgers (``test_properties``' generator, with extra applications left
pending, rejected or still in publicity, and a member's exit) and random days: the command
line's ``balances``, ``notice`` and ``publicity``, the Fava pages' data, the frames and the
consolidated ``years`` table show the view's position, year figures, loan summary,
application statuses, publicity periods and member standings, and the view's position is
the generator's own tally.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_properties import MEMBERS, PROGRAMS, START, build

import fundledger
from fundledger.cli import main as cli
from fundledger.cli_data import consolidate_cmd
from fundledger.fava import pages
from fundledger.reports import loan_book, member_register, position_json, publicity_list
from fundledger.view import STATUSES

Date = datetime.date
ZERO = Decimal(0)
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Applications outside the generator's workflows: (day offset, member, steps, rejected).
EXTRA = st.lists(st.tuples(st.integers(0, 200), st.sampled_from(MEMBERS),
                           st.lists(st.sampled_from(["branch-review", "publicity", "approve"]),
                                    max_size=3, unique=True), st.booleans()), max_size=3)
EXIT = st.one_of(st.none(), st.tuples(st.integers(0, 300), st.sampled_from(MEMBERS)))


def _text(program, extra, exit_):
    """The generated ledger's text with the extra directives, its last day + 10, its tally."""
    ledger = build(program)
    text = ledger.text()
    for n, (offset, member, steps, rejected) in enumerate(extra):
        day = START + datetime.timedelta(days=20 + offset)
        text += f'\n{day} custom "apply" "X{n}" "{member}" "relief" 300.00 CNY\n'
        for i, step in enumerate(steps):
            when = day + datetime.timedelta(days=i + 1)
            text += (f'{when} custom "approve" "X{n}" 300.00 CNY\n' if step == "approve"
                     else f'{when} custom "{step}" "X{n}"\n')
        if rejected:
            text += f'{day + datetime.timedelta(days=5)} custom "reject" "X{n}"\n'
    if exit_ is not None:
        text += f'\n{START + datetime.timedelta(days=30 + exit_[0])} custom "exit" "{exit_[1]}"\n'
    return text, ledger.day + datetime.timedelta(days=10), ledger


def _days(data, end: Date, extra) -> list[Date]:
    """Random days up to well past the last entry (loans fall due), and one in the week
    after an extra application was filed (its publicity period, its rejection)."""
    days = data.draw(st.lists(st.dates(START - datetime.timedelta(days=3),
                                       end + datetime.timedelta(days=400)),
                              min_size=1, max_size=3, unique=True), label="days")
    if extra:
        offset = data.draw(st.sampled_from([o for o, *_ in extra]), label="extra")
        near = START + datetime.timedelta(days=20 + offset + data.draw(st.integers(0, 7)))
        days.append(near)
    return days


def _json(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _money(value: str) -> Decimal:
    return Decimal(value)


@SETTINGS
@given(program=PROGRAMS, extra=EXTRA, exit_=EXIT, data=st.data())
def test_every_consumer_shows_the_views_figures(program, extra, exit_, data):
    text, end, tally = _text(program, extra, exit_)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fund.beancount"
        path.write_text(text, encoding="utf-8")
        fund = fundledger.load(path)
        view, state = fund.view, fund.state
        for day in _days(data, end, extra):
            # the position: balances --format json, and the generator's own tally
            pos = view.position(day)
            assert _json("balances", str(path), "--as-of", day.isoformat(), "--format",
                         "json") == position_json(pos)
            if not extra and exit_ is None:
                assert {k: getattr(pos, k) for k in tally.position_at(day)} == tally.position_at(day)
            assert pos.cash == pos.principal + pos.spendable - pos.loans_outstanding

            # the loan book: Fava's summary is the view's, and agrees with the book's rows
            summary = view.loans(day)
            assert pages.loan_page(state, day).summary == summary
            rows = loan_book(state, day)
            assert summary.count == len(rows)
            assert summary.outstanding == sum((_money(r["outstanding"]) for r in rows
                                               if _money(r["outstanding"]) > 0), ZERO)
            overdue = [r for r in rows if r["status"] == "overdue"]
            assert (summary.overdue_count, summary.overdue_amount) == (
                len(overdue), sum((_money(r["outstanding"]) for r in overdue), ZERO))
            assert summary.balance == pos.loans_outstanding

            # applications: Fava and the frames show the view's status and publicity
            statuses = {s.app.id: s for s in view.applications(day)}
            assert {s.status for s in statuses.values()} <= set(STATUSES)
            event(f"statuses: {' '.join(sorted({s.status for s in statuses.values()}))}")
            event(f"in publicity: {bool(view.in_publicity(day))}, overdue: {bool(summary.overdue_count)}")
            event(f"ineligible: {any(not s.eligible for s in view.members(day))}")
            for row in pages.app_rows(state, day):
                s = statuses[row.app.id]
                assert (row.status, row.missing, row.in_publicity) == (
                    s.status, list(s.missing), s.in_publicity)
            frames = fund.frames(day)
            assert dict(zip(frames.applications["id"], frames.applications["status"],
                            strict=True)) == {k: s.status for k, s in statuses.items()}
            windows = [(s.app.id, w.published.isoformat(), w.objections_until.isoformat())
                       for s, w in view.in_publicity(day)]
            assert [(r["application"], r["published"], r["objections_until"])
                    for r in publicity_list(state, day)] == windows
            assert [(r["application"], r["published"], r["objections_until"])
                    for r in _json("publicity", str(path), "--as-of", day.isoformat(),
                                   "--format", "json")] == windows
            in_fava = {r.app.id for r in pages.app_rows(state, day) if r.in_publicity}
            assert in_fava == {app for app, _, _ in windows}

            # members: Fava's register, the frames and the member report show the view's standing
            standings = {s.member.id: s for s in view.members(day)}
            assert {r.id: (r.eligible, r.why_not, r.last_review, r.relief)
                    for r in pages.member_rows(state, day)} == {
                k: (s.eligible, s.why_not, s.review and s.review.date, s.relief)
                for k, s in standings.items()}
            members = frames.members
            assert dict(zip(members["id"], members["eligible"], strict=True)) == {
                k: s.eligible for k, s in standings.items()}
            # a missing date is pandas' NA in an Arrow-typed frame
            assert {k: None if pd.isna(v) else v for k, v in zip(
                members["id"], members["review_valid_until"], strict=True)} == {
                k: s.review_valid_until for k, s in standings.items()}
            for k, s in standings.items():
                reg = member_register(state, k, day)
                assert (reg["eligible"], _money(reg["relief_total"])) == (s.eligible, s.relief)

            # the year figures: the notice, Fava's position page and the frames' years table
            page = pages.position_page(state, day)
            ends = view.span.year_ends(day) if view.span else []
            years = view.years([y for y, _ in ends], day)
            for row in page.years:
                fig = view.year(row.year, day)
                assert (row.raised, row.relief, row.interest, row.fees, row.released, row.lent,
                        row.losses) == (fig.raised_total, fig.relief_total, fig.interest,
                                        fig.fees, fig.released, fig.loans.disbursed_amount,
                                        fig.losses)
            table = frames.years
            assert list(table["year"]) == list(years)
            for rec in table.itertuples():
                fig = years[rec.year]
                assert (rec.raised, rec.relief, rec.helped, rec.fees, rec.lent,
                        rec.loans_outstanding, rec.overdue_count) == (
                    fig.raised_total, fig.relief_total, fig.relief_members, fig.fees,
                    fig.loans.disbursed_amount, fig.loans.outstanding, fig.loans.overdue_count)
        for year in view.span.report_years(end) if view.span else ():
            if year > end.year:
                continue
            _check_notice(path, view, year)


def _check_notice(path: Path, view, year: int) -> None:
    got = _json("notice", str(path), "--year", str(year), "--format", "json")
    fig = view.year(year)
    assert got["raised"] == {a: f"{v:.2f}" for a, v in fig.raised.items()}
    assert _money(got["raised_total"]) == fig.raised_total
    assert _money(got["brought_forward"]) == fig.brought_forward
    assert {a: (_money(v["amount"]), v["members"]) for a, v in got["relief"].items()} == {
        a: (v, fig.relief_members_by_account[a]) for a, v in fig.relief.items()}
    assert got["relief_members"] == fig.relief_members
    loans = got["loans"]
    assert (loans["disbursed_count"], _money(loans["disbursed_amount"]), _money(loans["repaid"]),
            _money(loans["outstanding"]), loans["overdue_count"],
            _money(loans["overdue_amount"])) == (
        fig.loans.disbursed_count, fig.loans.disbursed_amount, fig.loans.repaid,
        fig.loans.outstanding, fig.loans.overdue_count, fig.loans.overdue_amount)
    rate = fig.loans.repayment_rate
    assert loans["repayment_rate"] == (None if rate is None else f"{rate:.4f}")
    assert view.loans(Date(year, 12, 31)).repayment_rate == rate
    assert got["start"] == position_json(view.year_start(year))
    assert got["end"] == position_json(view.position(Date(year, 12, 31)))
    assert _money(got["details"]["fees"]) == fig.fees
    assert _money(got["details"]["released"]) == fig.released


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=PROGRAMS, data=st.data())
def test_the_consolidated_figures_are_the_views(program, data):
    text, end, _ = _text(program, [], None)
    day = data.draw(st.dates(START, end), label="as_of")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fund.beancount"
        path.write_text(text, encoding="utf-8")
        out = Path(tmp) / "data"
        runner = CliRunner()
        done = runner.invoke(consolidate_cmd, [f"f={path}", "--to", str(out), "--as-of",
                                               day.isoformat()])
        assert done.exit_code == 0, done.output
        got = json.loads(runner.invoke(consolidate_cmd, ["--query", str(out), "--format",
                                                         "json"]).stdout)
        view = fundledger.load(path).view
        ends = view.span.year_ends(day)
        figures = view.years([y for y, _ in ends], day)
        assert [(r["year"], r["as_of"]) for r in got] == [(y, d.isoformat()) for y, d in ends]
        for row in got:
            fig, pos = figures[row["year"]], view.position(Date.fromisoformat(row["as_of"]))
            assert {k: _money(row[k]) for k in ("raised", "used", "fees", "lent",
                                                "loans_outstanding", "overdue_amount", "cash",
                                                "principal", "spendable")} == {
                "raised": fig.raised_total, "used": fig.relief_total, "fees": fig.fees,
                "lent": fig.loans.disbursed_amount, "loans_outstanding": fig.loans.outstanding,
                "overdue_amount": fig.loans.overdue_amount, "cash": pos.cash,
                "principal": pos.principal, "spendable": pos.spendable}
            assert (row["helped"], row["loans_disbursed"], row["overdue_count"]) == (
                fig.relief_members, fig.loans.disbursed_count, fig.loans.overdue_count)
