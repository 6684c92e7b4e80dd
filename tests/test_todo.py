"""The to-do list (SPEC v1.1 §6 ``todo``), counted independently of fundledger.

``expected`` reads a ledger's entries as beancount leaves them — customs, transactions,
metadata — and applies each kind's SPEC sentence to them with its own date arithmetic,
never through fundledger's state or view. It is compared with ``fundledger todo --format
json`` on a generated county fund (tests/county_generator.py, with follow-ups and a
``follow-up-months`` added) for several as-of days and windows, and hand-written ledgers
pin each kind's boundaries.
"""

from __future__ import annotations

import datetime
import io
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core.data import Custom, Transaction
from click.testing import CliRunner
from county_generator import generate

from fundledger.cli import main

Date = datetime.date
KINDS = ("loan-overdue", "loan-due", "review-due", "publicity-ends", "follow-up-due")
DEFAULT_STEPS = {"loan": "branch-review publicity approve inspect",
                 "relief": "branch-review publicity approve"}


# -- the oracle: the SPEC's sentences over the raw entries
def months_later(day: Date, months: int) -> Date:
    """The same calendar day ``months`` later, a month end clamped (SPEC §2)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (Date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)).day
    return Date(year, month, min(day.day, last))


def _meta(txn: Transaction, posting: Any, key: str) -> Any:
    if posting.meta and key in posting.meta:
        return posting.meta[key]
    return txn.meta.get(key)


def expected(entries: list[Any], day: Date, within: int) -> list[dict[str, Any]]:
    order = lambda e: (e.date, e.meta.get("lineno", 0))  # noqa: E731
    customs = sorted((e for e in entries if isinstance(e, Custom)), key=order)
    vals = lambda e: [v.value for v in e.values or ()]  # noqa: E731
    policy: dict[str, list[tuple[Date, Any]]] = defaultdict(list)
    for e in customs:
        if e.type == "fund-policy":
            policy[vals(e)[0]].append((e.date, vals(e)[1]))

    def rule(key: str, default: Any, when: Date) -> Any:
        found = default
        for d, v in policy.get(key, []):
            if d <= when:
                found = v
        return found

    registered, reviews, exits, follow_ups = {}, defaultdict(list), {}, defaultdict(list)
    apps, steps, resched = {}, defaultdict(list), defaultdict(list)
    for e in customs:
        v = vals(e)
        if e.type == "member":
            registered.setdefault(v[0], e.date)
        elif e.type == "review":
            reviews[v[0]].append((e.date, v[1]))
        elif e.type == "exit":
            exits.setdefault(v[0], e.date)
        elif e.type == "follow-up":
            follow_ups[v[0]].append(e.date)
        elif e.type == "apply":
            apps[v[0]] = (v[1], v[2], e.date)
        elif e.type == "reschedule":
            resched[v[0]].append((e.date, v[1]))
        elif len(v) >= 1 and e.type not in ("fund-policy", "release", "write-off"):
            steps[v[0]].append((e.date, e.type))  # workflow steps, approve and reject
    # loans and relief from the transactions
    balance_moves: dict[str, list[tuple[Date, Decimal]]] = defaultdict(list)
    loan_due, loan_member = {}, {}
    relief: list[tuple[Date, str]] = []
    for txn in sorted((e for e in entries if isinstance(e, Transaction)), key=order):
        for p in txn.postings:
            if p.account.startswith("Assets:Loans:"):
                loan = p.account.split(":")[2]
                if p.units.number > 0 and loan not in loan_due:
                    loan_due[loan] = _meta(txn, p, "due")
                    app = _meta(txn, p, "application")
                    loan_member[loan] = apps[app][0] if app in apps else _meta(txn, p, "member")
                balance_moves[loan].append((txn.date, p.units.number))
            elif p.account.startswith("Expenses:Relief:") and p.units.number > 0:
                relief.append((txn.date, str(_meta(txn, p, "member"))))

    def balance(loan: str, when: Date) -> Decimal:
        return sum((n for d, n in balance_moves[loan] if d <= when), Decimal(0))

    def due_in_force(loan: str) -> Date | None:
        due = loan_due[loan]
        for d, new in resched.get(loan, []):
            if d <= day:
                due = new
        return due

    horizon = day + datetime.timedelta(days=within)
    items = []
    for loan in loan_due:
        first = min(d for d, n in balance_moves[loan] if n > 0)
        due = due_in_force(loan)
        if first > day or balance(loan, day) <= 0 or due is None:
            continue
        if due < day:
            items.append(("loan-overdue", loan, loan_member[loan], due, (day - due).days))
        elif due <= horizon:
            items.append(("loan-due", loan, loan_member[loan], due, (due - day).days))
    valid = int(rule("review-valid-months", 12, day))
    for mid, reg in registered.items():
        if reg > day or (mid in exits and exits[mid] < day):
            continue
        mine = [r for r in reviews[mid] if r[0] <= day]
        if mine and mine[-1][1] == "none":
            continue
        until = months_later(mine[-1][0], valid) if mine else reg
        if until <= horizon:
            items.append(("review-due", mid, mid, until, (until - day).days))
    for app, (mid, kind, filed) in apps.items():
        mine = [s for s in steps[app] if s[0] <= day]
        pubs = [n for n, s in enumerate(mine) if s[1] == "publicity"]
        if filed > day or not pubs:
            continue
        at = pubs[-1]
        pub_day = mine[at][0]
        words = str(rule("steps-" + kind, DEFAULT_STEPS[kind], pub_day)).split()
        before = set(words[:words.index("publicity")]) if "publicity" in words else set()
        if any(d > pub_day or (d == pub_day and name not in before)
               for n, (d, name) in enumerate(mine) if n != at and d >= pub_day):
            continue
        ends = pub_day + datetime.timedelta(days=int(rule("publicity-days", 5, pub_day)))
        if day <= ends <= horizon:
            items.append(("publicity-ends", app, mid, ends, (ends - day).days))
    months = rule("follow-up-months", None, day)
    if months is not None:
        start = day - datetime.timedelta(days=364)
        first_help: dict[str, Date] = {}
        for d, mid in relief:
            if start <= d <= day:
                first_help[mid] = min(first_help.get(mid, d), d)
        for loan in loan_due:
            days = [start] + sorted({d for d, _ in balance_moves[loan] if start < d <= day})
            out = next((d for d in days if balance(loan, d) > 0), None)
            if out is not None and loan_member[loan] is not None:
                mid = str(loan_member[loan])
                first_help[mid] = min(first_help.get(mid, out), out)
        for mid, helped in first_help.items():
            if mid not in registered:
                continue
            mine = [d for d in follow_ups[mid] if d <= day]
            since = max(mine) if mine else helped
            due = months_later(since, int(months))
            if due < day:
                items.append(("follow-up-due", mid, mid, due, (day - due).days))
    items.sort(key=lambda it: (KINDS.index(it[0]), it[3], it[1]))
    return [{"kind": k, "id": i, "member": m, "date": d.isoformat(), "days": n}
            for k, i, m, d, n in items]


# -- running the command
def todo_json(ledger: Path, day: Date, within: int | None = None) -> dict[str, Any]:
    args = ["todo", str(ledger), "--as-of", day.isoformat(), "--format", "json"]
    if within is not None:
        args += ["--within", str(within)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def entries_of(ledger: Path) -> list[Any]:
    entries, _, _ = loader.load_file(str(ledger))
    return entries


# -- a generated county fund, with tracking contacts and follow-ups added
@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county-todo")
    county = generate(folder, seed=1207, first_year=2021, last_year=2024)
    main_file = Path(county.main)
    text = main_file.read_text(encoding="utf-8")
    members = sorted(set(__import__("re").findall(r'custom "member" "(M\d+)"', "".join(
        p.read_text(encoding="utf-8") for p in folder.glob("*.beancount")))))
    rng = random.Random(1207)
    extra = ['2021-06-01 custom "fund-policy" "follow-up-months" 3\n',
             '2023-07-01 custom "fund-policy" "follow-up-months" 6\n']
    for mid in rng.sample(members, len(members) // 2):
        for _ in range(rng.randint(1, 4)):
            day = Date(2021, 3, 1) + datetime.timedelta(days=rng.randint(0, 1400))
            extra.append(f'{day} custom "follow-up" "{mid}"\n  contact: "支部书记"\n')
    main_file.write_text(text + "\n" + "".join(extra), encoding="utf-8")
    return main_file


DAYS = [Date(2021, 1, 20), Date(2021, 7, 1), Date(2022, 1, 10), Date(2022, 12, 31),
        Date(2023, 3, 15), Date(2024, 1, 14), Date(2024, 6, 30), Date(2025, 2, 1)]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_generated_county_lists_exactly_the_spec_items(county, day):
    entries = entries_of(county)
    for within in (0, 30, 90):
        got = todo_json(county, day, within)
        assert got["as_of"] == day.isoformat() and got["within"] == within
        assert got["items"] == expected(entries, day, within), (day, within)


def test_the_county_days_see_every_kind(county):
    entries = entries_of(county)
    kinds = {it["kind"] for day in DAYS for it in expected(entries, day, 90)}
    assert kinds == set(KINDS)


def test_within_defaults_to_30(county):
    got = todo_json(county, DAYS[3])
    assert got["within"] == 30
    assert got["items"] == expected(entries_of(county), DAYS[3], 30)


# -- boundaries, one hand-written ledger
HEAD = """option "title" "边界"
option "operating_currency" "CNY"
plugin "fundledger.plugin"
2024-01-01 open Assets:Bank:Fund CNY
2024-01-01 open Income:Dues CNY
  pool: "spendable"
2024-01-01 open Expenses:Relief:Visits CNY
2024-01-01 open Expenses:Relief:Medical CNY
2024-01-01 open Equity:Opening-Balances CNY
2024-01-02 * "党费"
  Assets:Bank:Fund  100000.00 CNY
  Income:Dues
2024-01-01 custom "fund-policy" "follow-up-months" 3
2024-01-01 custom "fund-policy" "loan-per-member" 5
"""


def member(mid: str, day: str, review: str | None = None, tier: str = "general") -> str:
    text = f'{day} custom "member" "{mid}"\n  name: "王建国"\n  branch: "一支部"\n'
    return text + (f'{review} custom "review" "{mid}" "{tier}"\n' if review else "")


def loan(lid: str, mid: str, day: str, due: str) -> str:
    """An opening loan (借款期初余额): no workflow to write."""
    return (f'{day} open Assets:Loans:{lid} CNY\n'
            f'{day} * "借款期初余额"\n  member: "{mid}"\n  due: {due}\n'
            f'  Assets:Loans:{lid}  1000.00 CNY\n  Equity:Opening-Balances\n')


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    parts = [HEAD]
    # loans: due yesterday, today, D+30, D+31 (as of 2025-03-10, within 30)
    parts += [member("B1", "2024-01-03", "2025-01-05")]
    parts += [loan(lid, "B1", "2024-02-01", due) for lid, due in
              (("L-Y", "2025-03-09"), ("L-T", "2025-03-10"), ("L-N", "2025-04-09"),
               ("L-N1", "2025-04-10"))]
    parts.append('2024-02-01 * "还款"\n  Assets:Bank:Fund  1000.00 CNY\n  Assets:Loans:L-N1\n')
    # reviews (valid 12 months): expiring exactly at D+30, one day later, expired yesterday,
    # never reviewed, tier none, exits dated D and D-1
    parts += [member("R-AT", "2024-01-03", "2024-04-09"), member("R-PAST", "2024-01-03", "2024-04-10"),
              member("R-YEST", "2024-01-03", "2024-03-09"), member("R-NEVER", "2024-01-04"),
              member("R-NONE", "2024-01-03", "2024-03-01", "none"),
              member("R-EXD", "2024-01-03", "2024-03-09"), member("R-EXD1", "2024-01-03", "2024-03-09"),
              member("R-LATE", "2025-03-11")]
    parts += ['2025-03-10 custom "exit" "R-EXD"\n  reason: "好转"\n',
              '2025-03-09 custom "exit" "R-EXD1"\n  reason: "好转"\n']
    # publicity (5 days): ends today, at D+30, at D+31, ended yesterday; one approved already
    for app, pub in (("P-T", "2025-03-05"), ("P-N", "2025-04-04"), ("P-N1", "2025-04-05"),
                     ("P-Y", "2025-03-04"), ("P-DONE", "2025-03-08")):
        parts.append(f'2025-03-01 custom "apply" "{app}" "B1" "relief" 500.00 CNY\n'
                     f'2025-03-01 custom "branch-review" "{app}"\n')
        parts.append(f'{pub} custom "publicity" "{app}"\n')
    parts.append('2025-03-09 custom "reject" "P-DONE"\n')
    # follow-ups (3 months, as of 2025-03-10): F + 3 months = D (not due) and = D-1 (due)
    parts += [member("F-EQ", "2024-01-03", "2025-01-05"), member("F-LT", "2024-01-03", "2025-01-05"),
              member("F-NONE", "2024-01-03", "2025-01-05"), member("F-OLD", "2024-01-03", "2024-02-01")]
    parts += [f'2024-01-04 custom "review" "{m}" "general"\n' for m in ("F-EQ", "F-LT", "F-NONE")]
    parts += ['2024-12-01 * "慰问"\n  Expenses:Relief:Visits  100.00 CNY\n    member: "F-EQ"\n  Assets:Bank:Fund\n',
              '2024-12-10 custom "follow-up" "F-EQ"\n  contact: "一支部书记"\n',
              '2024-11-15 * "慰问"\n  Expenses:Relief:Visits  100.00 CNY\n    member: "F-LT"\n  Assets:Bank:Fund\n',
              '2024-12-09 custom "follow-up" "F-LT"\n  contact: "C-07"\n  note: "电话回访"\n',
              # no follow-up: the first payment of the 365 days (2024-12-09 + 3 = 2025-03-09)
              '2024-12-09 * "慰问"\n  Expenses:Relief:Visits  100.00 CNY\n    member: "F-NONE"\n  Assets:Bank:Fund\n',
              '2025-01-20 * "慰问"\n  Expenses:Relief:Visits  100.00 CNY\n    member: "F-NONE"\n  Assets:Bank:Fund\n',
              # helped only 366 days before: not in the 365 days
              '2024-03-09 * "慰问"\n  Expenses:Relief:Visits  100.00 CNY\n    member: "F-OLD"\n  Assets:Bank:Fund\n']
    path = tmp_path_factory.mktemp("edges") / "main.beancount"
    path.write_text("".join(parts), encoding="utf-8")
    return path


AS_OF = Date(2025, 3, 10)


def test_the_boundary_ledger_is_clean(edges):
    result = CliRunner().invoke(main, ["check", str(edges)])
    assert result.exit_code == 0, result.output


def test_boundaries_of_each_kind(edges):
    got = {(it["kind"], it["id"]): (it["date"], it["days"])
           for it in todo_json(edges, AS_OF, 30)["items"]}
    assert got == {
        ("loan-overdue", "L-Y"): ("2025-03-09", 1),
        ("loan-due", "L-T"): ("2025-03-10", 0),
        ("loan-due", "L-N"): ("2025-04-09", 30),
        # L-N1 is repaid; B1's review runs to 2026-01-05
        ("review-due", "R-AT"): ("2025-04-09", 30),
        ("review-due", "R-YEST"): ("2025-03-09", -1),
        ("review-due", "R-NEVER"): ("2024-01-04", -431),
        ("review-due", "R-EXD"): ("2025-03-09", -1),  # an exit dated D takes effect after D
        ("review-due", "F-OLD"): ("2025-02-01", -37),
        ("publicity-ends", "P-T"): ("2025-03-10", 0),
        ("follow-up-due", "F-LT"): ("2025-03-09", 1),
        ("follow-up-due", "F-NONE"): ("2025-03-09", 1),
        # loans outstanding since before the 365 days, never followed up: F is their first day
        ("follow-up-due", "B1"): ("2024-06-11", 272),
    }


def test_boundaries_match_the_oracle(edges):
    entries = entries_of(edges)
    for day in (AS_OF, AS_OF - datetime.timedelta(1), Date(2025, 4, 4), Date(2025, 4, 10)):
        for within in (0, 30, 31, 90):
            assert todo_json(edges, day, within)["items"] == expected(entries, day, within)


def test_a_longer_window_takes_in_the_next_day(edges):
    got = {(it["kind"], it["id"]) for it in todo_json(edges, AS_OF, 31)["items"]}
    assert ("review-due", "R-PAST") in got
    assert ("publicity-ends", "P-N") not in got  # published after the day
    later = {(it["kind"], it["id"]): it["days"]
             for it in todo_json(edges, Date(2025, 4, 4), 5)["items"]}
    assert later[("publicity-ends", "P-N")] == 5 and ("publicity-ends", "P-N1") not in later


def test_no_follow_ups_without_the_policy(tmp_path, edges):
    path = tmp_path / "main.beancount"
    path.write_text(edges.read_text(encoding="utf-8").replace(
        '"follow-up-months" 3', '"review-valid-months" 12'), encoding="utf-8")
    assert not [it for it in todo_json(path, AS_OF, 30)["items"] if it["kind"] == "follow-up-due"]


def test_table_groups_by_kind_in_chinese_with_masked_names(edges):
    out = CliRunner().invoke(main, ["todo", str(edges), "--as-of", "2025-03-10"]).stdout
    heads = [line.split("（")[0] for line in out.splitlines() if line.endswith("）")
             and not line.startswith("边界")]
    assert heads == ["逾期借款", "即将到期借款", "年度审核到期", "公示期将满", "待回访"]
    assert "王*国" in out and "王建国" not in out and "C-07" in out
    assert "王建国" in CliRunner().invoke(main, ["todo", str(edges), "--as-of", "2025-03-10",
                                               "--names"]).stdout


def test_csv_and_xlsx(edges, tmp_path):
    from openpyxl import load_workbook

    out = CliRunner().invoke(main, ["todo", str(edges), "--as-of", "2025-03-10", "--format", "csv"])
    assert out.stdout.startswith("\ufeff类别,编号,")
    assert len(out.stdout.strip().splitlines()) == 1 + 12
    target = tmp_path / "todo.xlsx"
    result = CliRunner().invoke(main, ["todo", str(edges), "--as-of", "2025-03-10", "--format",
                                       "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[2]][:3] == ["类别", "编号", "成员编号"]
    assert sheet.max_row == 2 + 12
    piped = CliRunner().invoke(main, ["todo", str(edges), "--as-of", "2025-03-10", "--format",
                                      "xlsx"])
    assert piped.stdout_bytes[:2] == b"PK"
    assert load_workbook(io.BytesIO(piped.stdout_bytes)).active.max_row == 2 + 12
