"""fund.frames(): the fund as DataFrames with exact decimals, real dates and Chinese names."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import fundledger
from fundledger import synth
from fundledger.frames import TABLES, tables

D = datetime.date
AS_OF = D(2018, 12, 31)
EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"


@pytest.fixture(scope="module")
def fund(tmp_path_factory):
    main = synth.write(tmp_path_factory.mktemp("synth") / "fund", 1000, years=4, seed=7)
    loaded = fundledger.load(main)
    assert loaded.errors == []
    return loaded


@pytest.fixture(scope="module")
def frames(fund):
    return fund.frames(AS_OF)


def _total(frame: pd.DataFrame, mask=None) -> Decimal:
    values = frame["amount"] if mask is None else frame.loc[mask, "amount"]
    return sum((v for v in values.tolist() if v is not None), Decimal(0))


def test_every_table_is_there_with_rows(frames):
    assert [name for name, _ in frames.items()] == list(TABLES)
    for name, frame in frames.items():
        assert len(frame) > 0, name


def test_no_float_column_holds_money(frames):
    for name, frame in frames.items():
        for column, dtype in frame.dtypes.items():
            assert isinstance(dtype, pd.ArrowDtype), (name, column, dtype)
            assert not pa.types.is_floating(dtype.pyarrow_dtype), (name, column)
    money = {"postings": ["amount"], "donations": ["amount"], "relief": ["amount"],
             "loans": ["principal", "repaid", "written_off", "interest", "outstanding"],
             "loan_moves": ["amount", "interest"], "applications": ["amount", "approved", "paid"],
             "releases": ["amount"],
             "positions": ["cash", "loans_outstanding", "principal", "spendable"],
             "loan_years": ["principal", "repaid", "written_off", "outstanding"]}
    for name, columns in money.items():
        frame = getattr(frames, name)
        for column in columns:
            assert frame[column].dtype == pd.ArrowDtype(pa.decimal128(18, 2)), (name, column)
    assert pa.types.is_decimal(frames.loans["rate"].dtype.pyarrow_dtype)
    assert frames.loans["rate"].dropna().iloc[0] == Decimal("0.0435")


def test_dates_are_dates(frames):
    assert frames.postings["date"].dtype == pd.ArrowDtype(pa.date32())
    assert frames.loans["disbursed"].dtype == pd.ArrowDtype(pa.date32())
    assert frames.postings["date"].max() <= AS_OF
    assert isinstance(frames.relief["date"].iloc[0], datetime.date)


def test_totals_equal_the_fund_position(fund, frames):
    pos = fund.position(AS_OF)
    postings, donations = frames.postings, frames.donations
    role = postings["role"]
    assert _total(postings, role == "cash") == pos.cash
    assert _total(postings, role == "loan") == pos.loans_outstanding
    assert sum(frames.loans["outstanding"].tolist(), Decimal(0)) == pos.loans_outstanding
    released = _total(frames.releases)
    principal = _total(donations, donations["pool"] == "principal") - released \
        - _total(postings, role == "loss")
    spendable = _total(donations, donations["pool"] == "spendable") + released \
        - _total(frames.relief) - _total(postings, role == "fees")
    assert principal == pos.principal
    assert spendable == pos.spendable
    assert pos.cash == pos.principal + pos.spendable - pos.loans_outstanding


def test_year_end_positions_are_the_fund_positions(fund, frames):
    for row in frames.positions.itertuples():
        pos = fund.position(row.as_of)
        assert (row.cash, row.loans_outstanding, row.principal, row.spendable) == \
            (pos.cash, pos.loans_outstanding, pos.principal, pos.spendable)
    assert frames.positions["year"].tolist() == [2015, 2016, 2017, 2018]


def test_loan_years_sum_to_loans_outstanding(fund, frames):
    by_year = frames.loan_years.groupby("year")["outstanding"].sum()
    for year, total in by_year.items():
        assert total == fund.position(D(year, 12, 31)).loans_outstanding


def test_loans_match_the_state(fund, frames):
    for row in frames.loans.itertuples():
        loan = fund.loans[row.id]
        assert row.outstanding == loan.balance_on(AS_OF)
        assert row.status == loan.status_on(AS_OF)
        assert row.member == loan.member_id
    assert set(frames.loans["status"]) <= {"current", "overdue", "repaid", "written-off"}


def test_chinese_account_names_are_columns(frames):
    names = dict(zip(frames.relief["account"], frames.relief["account_name"], strict=True))
    assert names["Expenses:Relief:Visits"] == "走访慰问"
    assert names["Expenses:Relief:Medical"] == "医疗救助"
    assert set(frames.donations["account_name"].dropna()) >= {"一日捐", "留存党费划拨"}


def test_names_are_left_out_unless_asked(fund, frames):
    people = {m.name for m in fund.members.values()}
    for name, frame in frames.items():
        for column, dtype in frame.dtypes.items():
            if dtype == pd.ArrowDtype(pa.string()):
                assert not people & set(frame[column].dropna()), (name, column)
    assert frames.members["name"].isna().all()
    assert frames.postings["payee"].isna().all()
    assert frames.applications["purpose"].isna().all()  # may name a child or a diagnosis
    loans = frames.postings[frames.postings["role"] == "loan"]
    assert loans["account_name"].isna().all()  # a loan account's name: names the borrower
    titles = set(frames.postings["account_name"].dropna())
    assert set(frames.postings["narration"]) <= titles | set(loans["loan"])  # kinds, not words
    named = fund.frames(AS_OF, names=True)
    assert named.members.set_index("id")["name"].to_dict() == \
        {m.id: m.name for m in fund.members.values() if m.registered <= AS_OF}
    assert named.relief["member_name"].notna().all()
    assert named.applications["purpose"].notna().any()


def test_the_spec_example_and_its_names():
    fund = fundledger.load(EXAMPLE)
    frames = fund.frames(D(2026, 12, 31))
    assert frames.relief[["account_name", "member", "amount"]].values.tolist() == \
        [["走访慰问", "M0007", Decimal("300.00")]]
    loan = frames.loans.iloc[0]
    assert (loan.id, loan.outstanding, loan.interest, loan.status) == \
        ("L2025-003", Decimal("2000.00"), Decimal("174.00"), "current")
    assert frames.postings["file"].unique().tolist() == ["spec_example.beancount"]


def test_finer_amounts_widen_the_scale(tmp_path):
    ledger = tmp_path / "fine.beancount"
    ledger.write_text(textwrap.dedent("""\
        option "operating_currency" "CNY"
        plugin "fundledger.plugin"
        2025-01-01 open Assets:Bank:Fund CNY
        2025-01-01 open Income:Interest:Deposits CNY
        2025-03-21 * "银行" "存款利息"
          Assets:Bank:Fund  12.345 CNY
          Income:Interest:Deposits
        """), encoding="utf-8")
    fund = fundledger.load(ledger)
    frames = fund.frames(D(2025, 12, 31))
    assert frames.postings["amount"].dtype == pd.ArrowDtype(pa.decimal128(19, 3))  # 16 digits + 3
    assert frames.donations["amount"].tolist() == [Decimal("12.345")]
    assert frames.positions["cash"].tolist() == [Decimal("12.345")]


def test_arrow_tables_round_trip_through_pandas(fund):
    built = tables(fund, AS_OF)
    for name, table in built.items():
        back = pa.Table.from_pandas(table.to_pandas(types_mapper=pd.ArrowDtype), preserve_index=False)
        assert back.cast(table.schema).equals(table), name


def test_the_plugin_imports_no_analysis_libraries():
    code = ("import sys, fundledger.plugin, fundledger; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_synthetic_ledgers_are_deterministic(tmp_path):
    one = synth.write(tmp_path / "one", 600, years=2, seed=5).parent
    two = synth.write(tmp_path / "two", 600, years=2, seed=5).parent
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir()) == \
        ["2015.beancount", "2016.beancount", "main.beancount"]
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes()
