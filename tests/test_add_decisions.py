"""``add reschedule``, ``add write-off`` and ``add release``: the committee's decisions on
loans and pools (SPEC §2), written and checked like every entry."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from click.testing import CliRunner

import fundledger
from fundledger.cli import main

COUNTY = Path(__file__).resolve().parent.parent / "ledgers" / "county"
DAY = "2026-11-20"


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(COUNTY, tmp_path / "county")
    return tmp_path / "county" / "main.beancount"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_reschedule_is_written_and_moves_the_due_date(tmp_path):
    ledger = _copy(tmp_path)
    result = run("add", "reschedule", ledger, "--loan", "L2024-016", "--due", "2027年3月1日",
                 "--minutes", "〔2026〕9号", "--date", DAY)
    assert result.exit_code == 0, result.output
    fund = fundledger.load(ledger)
    assert not fund.errors
    assert fund.loans["L2024-016"].due_on(datetime.date(2026, 11, 20)) == datetime.date(2027, 3, 1)


def test_a_reschedule_beyond_the_extension_is_refused_and_nothing_written(tmp_path):
    ledger = _copy(tmp_path)
    before = {p: p.read_bytes() for p in ledger.parent.rglob("*.beancount")}
    result = run("add", "reschedule", ledger, "--loan", "L2024-016", "--due", "2030-01-01",
                 "--minutes", "〔2026〕9号", "--date", DAY)
    assert result.exit_code == 1 and "FL302" in result.output, result.output
    assert {p: p.read_bytes() for p in ledger.parent.rglob("*.beancount")} == before


def test_a_typo_in_the_loan_is_refused_first(tmp_path):
    ledger = _copy(tmp_path)
    result = run("add", "write-off", ledger, "--loan", "L2024-0166", "--minutes", "x",
                 "--date", DAY)
    assert result.exit_code == 2 and "L2024-016" in result.output, result.output


def test_a_write_off_approval_and_a_release_are_written(tmp_path):
    ledger = _copy(tmp_path)
    assert run("add", "write-off", ledger, "--loan", "L2024-016", "--minutes", "〔2026〕10号",
               "--date", DAY).exit_code == 0
    released = fundledger.load(ledger).position(datetime.date(2026, 11, 20))
    result = run("add", "release", ledger, "--amount", "1000", "--minutes", "〔2026〕11号",
                 "--date", DAY)
    assert result.exit_code == 0, result.output
    fund = fundledger.load(ledger)
    assert not fund.errors
    assert fund.loans["L2024-016"].write_offs
    after = fund.position(datetime.date(2026, 11, 20))
    assert after.spendable - released.spendable == 1000
    assert released.principal - after.principal == 1000
