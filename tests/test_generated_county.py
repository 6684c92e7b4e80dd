"""A generated multi-year county fund, checked against the generator's own tallies.

``county_generator`` writes six years (2020–2025) of a county revolving fund to SPEC.md —
members, annual reviews, ~50 loans a year through the whole workflow, repayments with
interest, overdue loans, a reschedule, write-offs, donations, dues, fiscal grants, visits,
medical relief, releases and fees — and tallies in plain Decimal what every year end should
show. These tests use only the public command line (``fundledger`` and ``bean-check`` in
subprocesses, with the load cache off) and beancount/beanquery themselves.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core.data import Custom
from beanquery.query import run_query
from county_generator import (
    CASH_ACCOUNTS,
    FEES,
    LOSSES,
    PRINCIPAL_SOURCES,
    SPENDABLE_SOURCES,
    County,
    generate,
)

FIRST, LAST = 2020, 2025
YEARS = list(range(FIRST, LAST + 1))
SEED = 20250701
DECIMAL_STRING = re.compile(r"^-?\d+(\.\d+)?$")
BIN = Path(sys.executable).parent
ENV = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}


def _command(name: str) -> list[str]:
    script = BIN / name
    if script.exists():
        return [str(script)]
    if name == "fundledger":
        return [sys.executable, "-m", "fundledger.cli"]
    return [sys.executable, "-m", "beancount.scripts.check"]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=120, check=False)


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    return generate(tmp_path_factory.mktemp("county"), seed=SEED, first_year=FIRST, last_year=LAST)


@pytest.fixture(scope="module")
def cli(county: County) -> dict[tuple[str, int], subprocess.CompletedProcess[str]]:
    """Every command the tests read, run once (two at a time) against the generated ledger."""
    main = str(county.main)
    jobs: dict[tuple[str, int], list[str]] = {
        ("check", 0): _command("fundledger") + ["check", main],
        ("bean-check", 0): _command("bean-check") + [main],
    }
    for year in YEARS:
        as_of = _year_end(year).isoformat()
        jobs[("balances", year)] = _command("fundledger") + [
            "balances", main, "--as-of", as_of, "--format", "json"]
        jobs[("loans", year)] = _command("fundledger") + [
            "loans", main, "--as-of", as_of, "--format", "json"]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = dict(zip(jobs, pool.map(_run, jobs.values()), strict=True))
    return results


@pytest.fixture(scope="module")
def loaded(county: County):
    entries, errors, options = loader.load_file(str(county.main))
    return entries, errors, options


# ---------------------------------------------------------------- the generator itself


def test_generator_is_deterministic(county: County, tmp_path: Path):
    again = generate(tmp_path, seed=SEED, first_year=FIRST, last_year=LAST)
    for ours, theirs in zip(county.files, again.files, strict=True):
        assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8")


def test_generator_covers_the_whole_programme(county: County):
    stats = county.stats
    for key in ("releases", "write_offs", "reschedules", "rejections", "closed", "exits",
                "medical_payments", "visits", "fees", "repayments"):
        assert stats[key] >= 1, key
    per_year: dict[int, int] = {}
    for loan in county.loans.values():
        per_year[loan.disbursed.year] = per_year.get(loan.disbursed.year, 0) + 1
        assert Decimal(3000) <= loan.amount <= Decimal(5000)
    assert set(per_year) == set(YEARS)
    assert all(35 <= n <= 50 for n in per_year.values()), per_year
    last = county.loan_book(_year_end(LAST))
    statuses = {row["status"] for row in last.values()}
    assert statuses == {"current", "overdue", "repaid", "written-off"}
    # a reschedule in force at some year end, and a loan overdue at every year end from 2022
    assert any(loan.due_on(_year_end(y)) != loan.due for loan in county.loans.values()
               for y in YEARS)
    for year in YEARS[2:]:
        assert any(r["status"] == "overdue" for r in county.loan_book(_year_end(year)).values())


def test_tallies_keep_the_pool_identity(county: County):
    for year in YEARS:
        pos = county.position(_year_end(year))
        assert pos["cash"] == pos["principal"] + pos["spendable"] - pos["loans_outstanding"]
        assert pos["spendable"] >= 0
        book = county.loan_book(_year_end(year))
        assert sum((r["outstanding"] for r in book.values()), Decimal(0)) == pos["loans_outstanding"]


# ---------------------------------------------------------------- checks clean


def test_fundledger_check_is_clean(cli):
    result = cli[("check", 0)]
    assert result.returncode == 0, result.stderr
    assert not re.search(r":\d+: ", result.stderr), result.stderr


def test_bean_check_prints_nothing(cli):
    result = cli[("bean-check", 0)]
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_beancount_load_has_no_errors(loaded):
    _, errors, _ = loaded
    assert errors == []


# ---------------------------------------------------------------- balances


@pytest.mark.parametrize("year", YEARS)
def test_balances_equal_the_tallies(county: County, cli, year: int):
    result = cli[("balances", year)]
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found) == {"cash", "loans_outstanding", "principal", "spendable"}
    for key, value in found.items():
        assert isinstance(value, str) and DECIMAL_STRING.match(value), (key, value)
    expected = county.position(_year_end(year))
    assert {k: Decimal(v) for k, v in found.items()} == expected


# ---------------------------------------------------------------- the loan book


@pytest.mark.parametrize("year", YEARS)
def test_loan_book_equals_the_tallies(county: County, cli, year: int):
    result = cli[("loans", year)]
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    expected = county.loan_book(_year_end(year))
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows), "a loan listed twice"
    assert set(by_id) == set(expected)
    for loan_id, want in expected.items():
        row = by_id[loan_id]
        got = {
            "member": row["member"],
            "amount": Decimal(row["amount"]),
            "disbursed": row["disbursed"],
            "due": row["due"],
            "outstanding": Decimal(row["outstanding"]),
            "status": row["status"],
            "days_past_due": row["days_past_due"],
        }
        assert got == want, loan_id
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert len(overdue) == sum(1 for r in expected.values() if r["status"] == "overdue")
    assert sum((Decimal(r["outstanding"]) for r in rows), Decimal(0)) == \
        county.position(_year_end(year))["loans_outstanding"]


@pytest.mark.parametrize("year", YEARS)
def test_loan_book_agrees_with_balances(cli, year: int):
    rows = json.loads(cli[("loans", year)].stdout)
    balances = json.loads(cli[("balances", year)].stdout)
    total = sum((Decimal(r["outstanding"]) for r in rows), Decimal(0))
    assert total == Decimal(balances["loans_outstanding"])


# ---------------------------------------------------------------- beanquery


@pytest.fixture(scope="module")
def bq(loaded) -> dict[int, dict[str, Decimal]]:
    """Each account's balance at each year end, from one beanquery query per year."""
    entries, _, options = loaded
    out = {}
    for year in YEARS:
        _, rows = run_query(entries, options, "SELECT account, sum(number) "
                            f"WHERE date <= {_year_end(year)} GROUP BY account")
        out[year] = {account: number for account, number in rows}
    return out


def _total(balances: dict[str, Decimal], *prefixes: str) -> Decimal:
    return sum((n for a, n in balances.items()
                if any(a == p or a.startswith(p + ":") for p in prefixes)), Decimal(0))


@pytest.mark.parametrize("year", YEARS)
def test_beanquery_agrees_with_the_tallies(county: County, loaded, bq, year: int):
    entries, _, _ = loaded
    day = _year_end(year)
    balances = bq[year]
    released = sum((c.values[0].value.number for c in entries
                    if isinstance(c, Custom) and c.type == "release" and c.date <= day), Decimal(0))
    assert released == county.released(day)
    found = {
        "cash": _total(balances, "Assets:Bank", "Assets:Cash"),
        "loans_outstanding": _total(balances, "Assets:Loans"),
        "principal": -_total(balances, *PRINCIPAL_SOURCES) - released
        - _total(balances, "Expenses:Losses"),
        "spendable": -_total(balances, *SPENDABLE_SOURCES) + released
        - _total(balances, "Expenses:Relief") - _total(balances, FEES),
    }
    assert found == county.position(day)
    cash = {a: _total(balances, a) for a in CASH_ACCOUNTS}
    assert cash == county.cash_by_account(day)
    assert all(n >= 0 for n in cash.values())
    # nothing outside the fund's accounts (SPEC §1) ever moved
    assert {a.split(":")[0] for a in balances} <= {"Assets", "Income", "Equity", "Expenses"}
    assert _total(balances, LOSSES) == _total(balances, "Expenses:Losses")


@pytest.mark.parametrize("year", YEARS)
def test_beanquery_loan_book_agrees_with_the_cli(county: County, loaded, bq, cli, year: int):
    """Per-loan balances and dues from beanquery; overdue = balance > 0 past the due in force."""
    entries, _, options = loaded
    day = _year_end(year)
    balance = {a.rsplit(":", 1)[1]: n for a, n in bq[year].items() if a.startswith("Assets:Loans:")}
    _, rows = run_query(entries, options,
                        f"SELECT account, entry_meta('due') WHERE account ~ '^Assets:Loans:' "
                        f"AND number > 0 AND date <= {day}")
    due = {account.rsplit(":", 1)[1]: value for account, value in rows}
    for custom in sorted((e for e in entries if isinstance(e, Custom) and e.type == "reschedule"
                          and e.date <= day), key=lambda e: e.date):
        due[custom.values[0].value] = custom.values[1].value
    overdue = {loan for loan, n in balance.items() if n > 0 and day > due[loan]}
    dpd = {loan: (day - due[loan]).days for loan in overdue}

    book = json.loads(cli[("loans", year)].stdout)
    assert {r["id"] for r in book} == set(balance)
    assert {r["id"]: Decimal(r["outstanding"]) for r in book} == balance
    assert {r["id"] for r in book if r["status"] == "overdue"} == overdue
    assert {r["id"]: r["days_past_due"] for r in book if r["status"] == "overdue"} == dpd
    assert {r["id"]: r["due"] for r in book} == {k: v.isoformat() for k, v in due.items()}
    expected = county.loan_book(day)
    assert overdue == {k for k, r in expected.items() if r["status"] == "overdue"}
