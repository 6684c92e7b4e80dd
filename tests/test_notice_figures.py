"""Every figure of ``notice --format json`` equals what beanquery computes from the ledger.

The expected figures here come from beancount's entries and beanquery alone, following SPEC
§1 (pools) and §7 (the notice), never from fundledger's own state.
"""

import datetime
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core.data import Custom, Open, Transaction
from beanquery.query import run_query
from click.testing import CliRunner

from fundledger.cli import main

LEDGERS = Path(__file__).resolve().parent.parent / "ledgers"
# A township fund moving onto fundledger mid-2025 with opening cash and an old loan book.
MIGRATED = Path(__file__).resolve().parent / "ledgers" / "migrated" / "main.beancount"
CASES = [("county", y) for y in (2023, 2024, 2025, 2026)] + [
    ("prefecture", y) for y in (2013, 2014, 2015)] + [
    ("taxbureau", y) for y in (2024, 2025)] + [("district", y) for y in (2025, 2026)] + [
    ("migrated", y) for y in (2025, 2026)]
ZERO = Decimal(0)


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


@pytest.fixture(scope="module")
def ledgers():
    return {}


def _path(name: str) -> Path:
    return MIGRATED if name == "migrated" else LEDGERS / name / "main.beancount"


def _loaded(cache, name):
    if name not in cache:
        cache[name] = loader.load_file(str(_path(name)))
    return cache[name]


def _query(loaded, sql):
    entries, _, options = loaded
    return run_query(entries, options, sql)[1]


def _pools(entries):
    pools = {}
    for entry in entries:
        if isinstance(entry, Open) and (entry.account.startswith("Income:")
                                        or entry.account.startswith("Equity:Opening")):
            default = "spendable" if entry.account.startswith("Income:Interest") else "principal"
            pools[entry.account] = entry.meta.get("pool", default)
    return pools


def _opening_entries(entries, year: int) -> list[Transaction]:
    """SPEC §1: a transaction posting to an Equity:Opening* account is an opening entry."""
    return [e for e in entries if isinstance(e, Transaction) and e.date.year == year
            and any(p.account.startswith("Equity:Opening") for p in e.postings)]


def expected_position(loaded, day: datetime.date, brought: list[Transaction] = ()) -> dict[str, str]:
    """The position at the end of ``day``, plus the opening entries ``brought`` (SPEC §7: the
    start of a year is the end of the last plus the opening entries dated in the year)."""
    entries = loaded[0]
    pools = _pools(entries)
    balances = defaultdict(Decimal, _query(
        loaded, f"SELECT account, sum(number) WHERE date <= {day} GROUP BY account"))
    for entry in brought:
        for posting in entry.postings:
            balances[posting.account] += posting.units.number
    released = sum((e.values[0].value.number for e in entries
                    if isinstance(e, Custom) and e.type == "release" and e.date <= day), ZERO)

    def total(*prefixes):
        return sum((v for a, v in balances.items() if a.startswith(prefixes)), ZERO)

    spendable = -sum((v for a, v in balances.items() if pools.get(a) == "spendable"), ZERO)
    principal = -sum((v for a, v in balances.items() if pools.get(a) == "principal"), ZERO)
    spendable += released - total("Expenses:Relief:", "Expenses:Fees")
    principal -= released + total("Expenses:Losses")
    return {"cash": money(total("Assets:Bank:", "Assets:Cash:")),
            "loans_outstanding": money(total("Assets:Loans:")),
            "principal": money(principal), "spendable": money(spendable)}


def expected_loans(loaded, year: int) -> dict:
    end = datetime.date(year, 12, 31)
    entries = loaded[0]
    rows = _query(loaded, "SELECT date, account, number, other_accounts, "
                          "coalesce(meta('due'), entry_meta('due')) "
                          f"WHERE date <= {end} AND account ~ '^Assets:Loans:'")
    due, principal, repaid, balance = {}, defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    fig = {"disbursed_count": 0, "disbursed_amount": ZERO, "repaid": ZERO}
    for day, account, number, others, due_meta in rows:
        balance[account] += number
        if number > 0:
            principal[account] += number
            due[account] = due_meta
            opening = any(o.startswith("Equity:Opening") for o in others)
            if day.year == year and not opening:  # an opening loan is brought forward (§4)
                fig["disbursed_count"] += 1
                fig["disbursed_amount"] += number
        elif not any(o.startswith("Expenses:Losses") for o in others):
            repaid[account] -= number
            if day.year == year:
                fig["repaid"] -= number
    for e in entries:
        if isinstance(e, Custom) and e.type == "reschedule" and e.date <= end:
            due["Assets:Loans:" + e.values[0].value] = e.values[1].value
    overdue = [a for a, b in balance.items() if b > 0 and due[a] < end]
    fell_due = [a for a in principal if due[a] <= end]
    rate = None
    if fell_due:
        share = sum(repaid[a] for a in fell_due) / sum(principal[a] for a in fell_due)
        rate = f"{share.quantize(Decimal('0.0001'), ROUND_HALF_UP):.4f}"
    return {
        "disbursed_count": fig["disbursed_count"],
        "disbursed_amount": money(fig["disbursed_amount"]),
        "repaid": money(fig["repaid"]),
        "outstanding": money(sum(balance.values(), ZERO)),
        "overdue_count": len(overdue),
        "overdue_amount": money(sum((balance[a] for a in overdue), ZERO)),
        "repayment_rate": rate,
    }


def expected_notice(loaded, year: int) -> dict:
    # Opening entries are brought forward, never raised (SPEC §1, §7).
    raised = {a: -v for a, v in _query(
        loaded, f"SELECT account, sum(number) WHERE year = {year} AND "
                "account ~ '^Income:' GROUP BY account") if v != 0}
    brought = _opening_entries(loaded[0], year)
    brought_forward = -sum((p.units.number for e in brought for p in e.postings
                            if p.account.startswith("Equity:Opening")), ZERO)
    relief_rows = _query(loaded, "SELECT account, number, meta('member'), entry_meta('member') "
                                 f"WHERE year = {year} AND account ~ '^Expenses:Relief:'")
    relief, helped = defaultdict(Decimal), defaultdict(set)
    for account, number, member, entry_member in relief_rows:
        relief[account] += number
        helped[account].add(member or entry_member)
    return {
        "year": year,
        "start": expected_position(loaded, datetime.date(year - 1, 12, 31), brought),
        "end": expected_position(loaded, datetime.date(year, 12, 31)),
        "raised": {a: money(v) for a, v in sorted(raised.items())},
        "raised_total": money(sum(raised.values(), ZERO)),
        "brought_forward": money(brought_forward),
        "relief": {a: {"amount": money(v), "members": len(helped[a])} for a, v in sorted(relief.items())},
        "relief_total": money(sum(relief.values(), ZERO)),
        "relief_members": len(set().union(*helped.values())) if helped else 0,
        "loans": expected_loans(loaded, year),
        "interest": money(sum((v for a, v in raised.items() if a.startswith("Income:Interest")), ZERO)),
    }


@pytest.mark.parametrize(("name", "year"), CASES)
def test_notice_json_equals_beanquery(ledgers, name, year):
    result = CliRunner().invoke(main, ["notice", str(_path(name)),
                                       "--year", str(year), "--format", "json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    want = expected_notice(_loaded(ledgers, name), year)
    for key, value in want.items():
        assert got[key] == value, key
    assert got["beneficiaries"] == []  # the public edition names nobody
