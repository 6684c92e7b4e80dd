"""``fundledger consolidate``: many funds, one Parquet dataset, cross-fund figures by DuckDB.

The figures DuckDB computes from the dataset must equal what ``balances`` and ``loans``
report for each fund at each year end.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

import fundledger
from fundledger import reports, synth
from fundledger.cli_data import consolidate_cmd

D = datetime.date
AS_OF = "2018-06-30"
YEARS = [2016, 2017, 2018]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    root = tmp_path_factory.mktemp("funds")
    return {"east": synth.write(root / "east", 900, years=3, seed=11, first_year=2016,
                                title="东乡帮扶基金"),
            "west": synth.write(root / "west", 600, years=2, seed=12, first_year=2017,
                                title="西乡帮扶基金")}


@pytest.fixture(scope="module")
def funds(ledgers):
    return {name: fundledger.load(path) for name, path in ledgers.items()}


@pytest.fixture(scope="module")
def dataset(ledgers, tmp_path_factory):
    out = tmp_path_factory.mktemp("data")
    args = [f"{name}={path}" for name, path in ledgers.items()]
    result = CliRunner().invoke(consolidate_cmd, [*args, "--to", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output + result.stderr
    return out


def _query(dataset, *args):
    result = CliRunner().invoke(consolidate_cmd, ["--query", str(dataset), *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def test_the_dataset_is_partitioned_by_fund_and_year(dataset):
    years = sorted(p.name for p in (dataset / "relief" / "fund=east").iterdir())
    assert years == ["year=2016", "year=2017", "year=2018"]
    assert sorted(p.name for p in (dataset / "positions").iterdir()) == ["fund=east", "fund=west"]
    rows = duckdb.sql(f"""
        SELECT fund, year, typeof(amount) FROM read_parquet('{dataset}/relief/**/*.parquet',
            hive_partitioning = true) GROUP BY ALL ORDER BY ALL""").fetchall()
    assert {(f, y) for f, y, _ in rows} == {("east", 2016), ("east", 2017), ("east", 2018),
                                            ("west", 2017), ("west", 2018)}
    assert {t for _, _, t in rows} == {"DECIMAL(18,2)"}


def test_duckdb_figures_equal_balances_and_loans(dataset, funds):
    figures = json.loads(_query(dataset, "--format", "json"))
    seen = set()
    for row in figures:
        fund = funds[row["fund"]]
        day = D.fromisoformat(row["as_of"])
        assert day == min(D(row["year"], 12, 31), D.fromisoformat(AS_OF))
        assert {k: row[k] for k in ("cash", "loans_outstanding", "principal", "spendable")} == \
            reports.position_json(fund.position(day))
        book = reports.loan_book(fund.state, day)
        overdue = [r for r in book if r["status"] == "overdue"]
        assert Decimal(row["loans_outstanding"]) == sum((Decimal(r["outstanding"]) for r in book),
                                                         Decimal(0))
        assert row["overdue_count"] == len(overdue)
        assert Decimal(row["overdue_amount"]) == sum((Decimal(r["outstanding"]) for r in overdue),
                                                      Decimal(0))
        year = row["year"]
        raised = sum((i.amount for i in fund.donations if i.date.year == year and i.date <= day
                      and not getattr(i, "opening", False)),  # brought forward, not raised
                     Decimal(0))
        used = sum((r.amount for r in fund.relief if r.date.year == year and r.date <= day),
                   Decimal(0))
        assert (Decimal(row["raised"]), Decimal(row["used"])) == (raised, used)
        seen.add((row["fund"], year))
    assert seen == {("east", y) for y in YEARS} | {("west", y) for y in (2017, 2018)}
    assert any(row["overdue_count"] or row["loans_outstanding"] != "0.00" for row in figures)


def test_totals_add_up_across_funds(dataset):
    rows = json.loads(_query(dataset, "--format", "json", "--totals", "--year", "2017"))
    assert [r["fund"] for r in rows] == ["east", "west", "ALL"]
    for key in ("raised", "used", "cash", "loans_outstanding"):
        assert Decimal(rows[2][key]) == Decimal(rows[0][key]) + Decimal(rows[1][key])


def test_table_and_csv_formats(dataset):
    table = _query(dataset, "--fund", "west")
    assert "借出未还" in table and "east" not in table
    lines = _query(dataset, "--format", "csv", "--fund", "east", "--year", "2016").splitlines()
    assert lines[0].startswith("\ufefffund,year,as_of,raised,used")  # BOM first (SPEC §6)
    assert lines[1].startswith("east,2016,2016-12-31,")


def test_own_sql_over_the_views(dataset, funds):
    rows = json.loads(_query(dataset, "--format", "json", "--sql",
                             "SELECT fund, count(*) AS n FROM members GROUP BY fund ORDER BY fund"))
    day = D.fromisoformat(AS_OF)
    assert rows == [{"fund": name, "n": sum(m.registered <= day for m in funds[name].members.values())}
                    for name in ("east", "west")]


def test_pandas_reads_the_dataset_with_exact_decimals(dataset, funds):
    frame = pd.read_parquet(dataset / "donations", filters=[("fund", "=", "west")])
    total = sum(frame["amount"], Decimal(0))
    day = D.fromisoformat(AS_OF)
    assert total == sum((i.amount for i in funds["west"].donations if i.date <= day), Decimal(0))


def test_consolidating_a_fund_again_replaces_it(ledgers, dataset):
    before = duckdb.sql(f"SELECT count(*) FROM read_parquet('{dataset}/postings/**/*.parquet')").fetchall()
    result = CliRunner().invoke(consolidate_cmd, [f"west={ledgers['west']}", "--to", str(dataset),
                                                  "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    after = duckdb.sql(f"SELECT count(*) FROM read_parquet('{dataset}/postings/**/*.parquet')").fetchall()
    assert before == after


@pytest.mark.parametrize("args", [
    ["--query", "nowhere", "--to", "x"],
    ["a.beancount", "--query", "x"],
    ["--to", "x"],
    ["a=one.beancount", "a=two.beancount", "--to", "x"],
    ["中文=one.beancount", "--to", "x"],
])
def test_usage_problems_exit_2(args, tmp_path):
    result = CliRunner().invoke(consolidate_cmd, args)
    assert result.exit_code == 2


def test_query_of_a_folder_that_is_no_dataset_exits_2(tmp_path):
    result = CliRunner().invoke(consolidate_cmd, ["--query", str(tmp_path)])
    assert result.exit_code == 2
    assert "consolidate" in result.stderr
