"""``entry.memory.check_in_memory`` gives a full load's verdict: random entries — good and bad,
dated anywhere (before and after balance assertions, on parent accounts too), into any file
of a three-file ledger — checked in memory and by loading the written ledger."""

import datetime
import tempfile
from collections import Counter
from pathlib import Path

from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.entry.check import found, new_errors
from fundledger.entry.memory import check_in_memory, texts_for
from fundledger.entry.writer import append_text
from fundledger.fund import load

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"

YEAR_2025 = """\
2025-01-01 open Expenses:Relief
2025-06-02 balance Assets:Bank:Fund            8500.00 CNY
2025-08-01 balance Assets:Loans:L2025-003      4000.00 CNY
2025-09-01 balance Expenses:Relief              300.00 CNY

2025-09-10 * "李四" "2025一日捐"
  Assets:Bank:Fund            100.00 CNY
  Income:Donations:Members
"""

YEAR_2026 = """\
2026-01-01 balance Assets:Bank:Fund            4300.00 CNY
2026-12-31 balance Assets:Bank:Fund            6474.00 CNY
"""

FILES = ("main.beancount", "2025.beancount", "2026.beancount")


def ledger(folder: Path) -> dict[Path, bytes]:
    top = EXAMPLE.read_text(encoding="utf-8") + 'include "2025.beancount"\ninclude "2026.beancount"\n'
    texts = {FILES[0]: top, FILES[1]: YEAR_2025, FILES[2]: YEAR_2026}
    out = {}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        out[folder / name] = text.encode("utf-8")
    return out


dates = st.one_of(  # after every entry (the clerk's usual case), or anywhere
    st.dates(min_value=datetime.date(2027, 1, 1), max_value=datetime.date(2027, 2, 1)),
    st.dates(min_value=datetime.date(2024, 12, 1), max_value=datetime.date(2027, 2, 1)))
amounts = st.sampled_from(["50.00", "100.00", "50.00", "300.00", "4000.00", "20000.00"])
cash = st.sampled_from(["Assets:Bank:Fund"] * 6 + ["Assets:Bank:Other"])  # mostly good


@st.composite
def entry(draw) -> str:
    day, amount, bank = draw(dates), draw(amounts), draw(cash)
    kind = draw(st.sampled_from(["donation", "relief", "balance", "unbalanced", "open",
                                 "close", "repay", "member"]))
    if kind == "donation":
        source = draw(st.sampled_from(["Income:Donations:Members"] * 3
                                      + ["Income:Donations:Membrs", "Income:Dues"]))
        return f'{day} * "王五" "捐款"\n  {bank}  {amount} CNY\n  {source}\n'
    if kind == "relief":
        member = draw(st.sampled_from(["", '  member: "M0007"\n', '  member: "M0007"\n',
                                       '  member: "M0099"\n']))
        account = draw(st.sampled_from(["Expenses:Relief:Visits", "Expenses:Relief:Medical",
                                        "Expenses:Relief"]))
        return f'{day} * "慰问"\n{member}  {account}  {amount} CNY\n  {bank}\n'
    if kind == "balance":
        account = draw(st.sampled_from(["Assets:Bank:Fund", "Expenses:Relief",
                                        "Assets:Loans:L2025-003", "Assets:Bank"]))
        figure = draw(st.sampled_from(["8000.00", "4200.00", "4300.00", "300.00", amount]))
        return f"{day} balance {account}  {figure} CNY\n"
    if kind == "unbalanced":
        return (f'{day} * "错账"\n  Assets:Bank:Fund  {amount} CNY\n'
                f'  Income:Dues  -1.00 CNY\n')
    if kind == "open":
        account = draw(st.sampled_from(["Expenses:Relief:Medical", "Assets:Bank:Fund",
                                        "Income:Donations:Membrs"]))
        return f"{day} open {account} CNY\n"
    if kind == "close":
        account = draw(st.sampled_from(["Expenses:Relief:Visits", "Income:Dues"]))
        return f"{day} close {account}\n"
    if kind == "repay":
        return (f'{day} * "张秀兰" "还款"\n  Assets:Bank:Fund  {amount} CNY\n'
                f'  Assets:Loans:L2025-003\n')
    return f'{day} custom "review" "{draw(st.sampled_from(["M0007", "M0099"]))}" "general"\n'


def full_errors(top: Path) -> list:
    _, errors, _ = loader._load([(str(top), True)], None, None, None)
    return [found(e) for e in errors]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(FILES), st.lists(entry(), min_size=1, max_size=3)),
                min_size=1, max_size=2))
def test_in_memory_verdict_is_a_full_loads(writes):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        snapshot = ledger(folder)
        top = folder / FILES[0]
        fund = load(top)
        before = full_errors(top)
        appends: dict[Path, str] = {}
        for file_name, texts in writes:
            appends[folder / file_name] = (appends.get(folder / file_name, "")
                                           + "\n".join(texts))
        final = dict(snapshot)
        for path, text in appends.items():
            final[path] = append_text(snapshot[path], text)
            path.write_bytes(final[path])
        verdict = check_in_memory(fund.entries, fund.errors, fund.options, fund.state,
                                  texts_for(final, appends))
        expected = new_errors(before, full_errors(top))
        if verdict is None:  # only a tie in the sort order falls back here
            return
        assert Counter(verdict.new_errors) == Counter(expected), (appends, verdict.new_errors,
                                                                  expected)


def test_a_clean_entry_is_checked_in_memory(tmp_path):
    snapshot = ledger(tmp_path)
    top = tmp_path / FILES[0]
    fund = load(top)
    text = '2027-01-30 * "王五" "捐款"\n  Assets:Bank:Fund  100.00 CNY\n  Income:Dues\n'
    path = tmp_path / FILES[2]
    final = {**snapshot, path: append_text(snapshot[path], text)}
    verdict = check_in_memory(fund.entries, fund.errors, fund.options, fund.state, texts_for(final, {path: text}))
    assert verdict is not None
    assert verdict.new_errors == []
    # before every assertion on the bank account, in another file: all three fail
    text = '2025-06-01 * "王五" "捐款"\n  Assets:Bank:Fund  100.00 CNY\n  Income:Dues\n'
    final = {**snapshot, path: append_text(snapshot[path], text)}
    verdict = check_in_memory(fund.entries, fund.errors, fund.options, fund.state, texts_for(final, {path: text}))
    assert sorted((Path(e.filename).name, e.lineno) for e in verdict.new_errors) == [
        ("2025.beancount", 2), ("2026.beancount", 1), ("2026.beancount", 2)]
