"""Transactions that look entered twice (issue 12, item 4): ``check`` warns (exit status
unchanged), ``add`` asks for ``--yes`` before writing one, with both lines shown."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner

from fundledger.cli import main
from fundledger.importers import bank_csv
from fundledger.twice import REF_KEY, entered_twice

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"
HEAD = '''option "operating_currency" "CNY"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Donations:Members CNY
2025-01-01 open Income:Donations:Society CNY
2025-01-01 open Expenses:Relief:Visits CNY
'''


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


def pairs(body: str):
    entries, errors, _ = loader.load_string(HEAD + textwrap.dedent(body))
    assert not errors, errors
    return entered_twice(entries)


def gift(day="2025-03-01", payee="王建国", amount="500.00", meta=""):
    return f'{day} * "{payee}" "捐款"\n{meta}  Assets:Bank:Fund {amount} CNY\n  Income:Donations:Members\n'


def test_the_same_gift_twice_is_one_pair_with_both_lines():
    (pair,) = pairs(gift() + gift())
    assert (pair.first.lineno, pair.second.lineno) == (6, 9)
    text = str(pair)
    assert "疑似重复记账" in text and ":6: 2025-03-01" in text and ":9: 2025-03-01" in text


@pytest.mark.parametrize("other", [
    gift(day="2025-03-02"), gift(payee="李四"), gift(amount="500.01"),
    '2025-03-01 * "王建国" "捐款"\n  Assets:Bank:Fund 500.00 CNY\n  Income:Donations:Society\n',
])
def test_another_day_amount_account_or_payee_is_another_transaction(other):
    assert pairs(gift() + other) == []


def test_the_donor_counts_when_there_is_no_payee():
    one = '2025-03-01 * "捐款"\n  donor: "王建国"\n  Assets:Bank:Fund 5.00 CNY\n  Income:Donations:Members\n'
    assert len(pairs(one + one)) == 1
    assert pairs(one + one.replace("王建国", "李四")) == []


def test_two_visits_to_two_members_are_two():
    visit = ('2025-07-01 * "七一走访慰问"\n  Expenses:Relief:Visits 300.00 CNY\n    member: "{m}"\n'
             '  Assets:Bank:Fund\n')
    assert pairs(visit.format(m="M1") + visit.format(m="M2")) == []
    assert len(pairs(visit.format(m="M1") + visit.format(m="M1"))) == 1


def test_the_bank_reference_decides_where_both_have_one():
    assert REF_KEY == bank_csv.REF_KEY  # the key the statement importer skips rows by
    ref = '  bank-ref: "{r}"\n'
    assert pairs(gift(meta=ref.format(r="A1")) + gift(meta=ref.format(r="A2"))) == []
    same = gift(meta=ref.format(r="A1")) + gift(payee="王 建国", meta=ref.format(r="A1"))
    assert len(pairs(same)) == 1
    assert len(pairs(gift(meta=ref.format(r="A1")) + gift())) == 1  # one without: the payee


def test_three_alike_are_two_pairs_each_with_the_first():
    found = pairs(gift() * 3)
    assert [(p.first.lineno, p.second.lineno) for p in found] == [(6, 9), (6, 12)]


def test_one_pass_over_a_big_ledger():
    body = "".join(gift(day=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", amount=f"{i}.00")
                   for i in range(1, 20001))
    entries, _, _ = loader.load_string(HEAD + body)
    started = time.perf_counter()
    assert entered_twice(entries) == []
    assert time.perf_counter() - started < 2


# -- through the commands

@pytest.fixture
def top(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_warns_and_keeps_the_exit_status(top):
    assert run("check", top).exit_code == 0
    with top.open("a", encoding="utf-8") as out:
        out.write('\n2025-06-01 * "王建国" "2025一日捐"\n  Assets:Bank:Fund 500.00 CNY\n'
                  '  Income:Donations:Members\n')
    n = len(top.read_text(encoding="utf-8").splitlines()) - 2
    result = run("check", top)
    assert result.exit_code == 0, result.output
    assert f"warning: {top}:{n}: 疑似重复记账" in result.stderr
    assert f"  {top}:28: 2025-06-01" in result.stderr and f"  {top}:{n}: 2025-06-01" in result.stderr


ADD_AGAIN = ["add", "donation", "--amount", "500", "--donor", "王建国", "--campaign", "2025一日捐",
             "--date", "2025-06-01"]


def test_add_refuses_a_transaction_entered_twice_without_yes(top):
    before = top.read_bytes()
    result = run(*ADD_AGAIN[:2], top, *ADD_AGAIN[2:])
    assert result.exit_code == 2, result.output
    target = top.parent / "2025.beancount"
    lines = result.stderr.splitlines()
    # the existing transaction first, the one that was to be written second, at its line
    assert lines[0] == f"warning: {target}:3: 疑似重复记账：与 {top}:28 同日、同金额、同账户、同对方 " \
                       "(looks entered twice)"
    assert lines[1].startswith(f"  {top}:28: 2025-06-01 \"王建国\"")
    assert lines[2].startswith(f"  {target}:3: 2025-06-01 \"王建国\"")
    assert "--yes" in result.stderr and "未写入" in result.stderr
    assert top.read_bytes() == before and not target.exists()


def test_add_writes_it_with_yes(top):
    result = run(*ADD_AGAIN[:2], top, *ADD_AGAIN[2:], "--yes")
    assert result.exit_code == 0, result.output
    assert "疑似重复记账" in result.stderr and "已写入" in result.stderr


def test_a_pair_the_ledger_had_already_does_not_stop_add(top):
    with top.open("a", encoding="utf-8") as out:
        out.write('\n2025-06-01 * "王建国" "2025一日捐"\n  Assets:Bank:Fund 500.00 CNY\n'
                  '  Income:Donations:Members\n')
    result = run("add", "donation", top, "--amount", "5", "--donor", "李四", "--date", "2025-06-02")
    assert result.exit_code == 0, result.output
    assert "疑似重复记账" not in result.stderr
