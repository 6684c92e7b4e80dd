"""``fundledger export``: one fund's tables as Parquet or CSV, exact and without names."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import fundledger
from fundledger import synth
from fundledger.cli_data import export_cmd
from fundledger.frames import TABLES, tables

D = datetime.date
AS_OF = "2017-12-31"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return synth.write(tmp_path_factory.mktemp("synth") / "fund", 800, years=3, seed=3)


@pytest.fixture(scope="module")
def fund(ledger):
    return fundledger.load(ledger)


def _export(ledger, out, *args):
    return CliRunner().invoke(export_cmd, [str(ledger), "--to", str(out), "--as-of", AS_OF, *args])


def test_parquet_round_trip_is_exact(ledger, fund, tmp_path):
    result = _export(ledger, tmp_path)
    assert result.exit_code == 0, result.output
    expected = tables(fund, D(2017, 12, 31))
    for name in TABLES:
        back = pq.read_table(tmp_path / f"{name}.parquet")
        assert back.equals(expected[name]), name
        assert back.schema.metadata[b"fundledger.as_of"] == b"2017-12-31"
    postings = pq.read_table(tmp_path / "postings.parquet")
    assert postings.schema.field("amount").type == pa.decimal128(18, 2)
    assert postings.schema.field("date").type == pa.date32()
    frame = postings.to_pandas()  # plain pandas: decimals come back as Decimal objects
    cash = sum(frame.loc[frame["role"] == "cash", "amount"], Decimal(0))
    assert cash == fund.position(D(2017, 12, 31)).cash
    assert f"{tmp_path / 'postings.parquet'}\t{postings.num_rows}" in result.output


def test_csv_holds_exact_decimal_strings(ledger, fund, tmp_path):
    result = _export(ledger, tmp_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "positions.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    last = rows[-1]
    pos = fund.position(D(2017, 12, 31))
    assert (last["year"], last["as_of"]) == ("2017", "2017-12-31")
    assert Decimal(last["cash"]) == pos.cash and Decimal(last["spendable"]) == pos.spendable
    with open(tmp_path / "relief.csv", encoding="utf-8-sig", newline="") as f:
        relief = list(csv.DictReader(f))
    assert all(r["amount"].endswith((".00", "0")) and "." in r["amount"] for r in relief)
    assert {r["account_name"] for r in relief} >= {"走访慰问", "医疗救助"}


def test_names_only_with_names(ledger, fund, tmp_path):
    people = {m.name for m in fund.members.values()}
    plain, named = tmp_path / "plain", tmp_path / "named"
    assert _export(ledger, plain, "--format", "csv").exit_code == 0
    assert _export(ledger, named, "--format", "csv", "--names").exit_code == 0
    text = "".join((plain / f"{name}.csv").read_text(encoding="utf-8") for name in TABLES)
    assert not any(person in text for person in people)
    members = (named / "members.csv").read_text(encoding="utf-8")
    assert sum(person in members for person in people) > len(people) // 2


def test_missing_ledger_is_a_usage_problem(tmp_path):
    result = _export(tmp_path / "nothing.beancount", tmp_path / "out")
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_a_ledger_with_errors_is_exported_and_exits_1(tmp_path):
    ledger = tmp_path / "bad.beancount"
    ledger.write_text('option "operating_currency" "CNY"\nplugin "fundledger.plugin"\n'
                      "2025-01-01 open Assets:Bank:Fund CNY\n2025-01-01 open Assets:Other CNY\n",
                      encoding="utf-8")
    result = CliRunner().invoke(export_cmd, [str(ledger), "--to", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "FL102" in result.stderr
    assert (tmp_path / "out" / "postings.parquet").is_file()
