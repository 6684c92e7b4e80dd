"""The desk's ledger held in memory between entries (fundledger/entry/held.py): entries in a
row are checked against the held ledger without loading it again, and what is held after
each is what a load of the written files gives — entries, errors and fund state; any change
by anyone else (an appended file, a same-size copy with the old mtime renamed over a file, a
file written while it was loaded) makes the next entry load the files afresh."""

from __future__ import annotations

import datetime
import os
import shutil
import time
from pathlib import Path

import pytest
from test_resume import same_state

import fundledger
from fundledger.entry import held as held_module
from fundledger.entry import kinds, writer
from fundledger.entry.held import Held, Stamp, source_names

LEDGERS = Path(__file__).parent / "ledgers"


@pytest.fixture
def ledger(tmp_path) -> Path:
    shutil.copy(LEDGERS / "spec_example.beancount", tmp_path / "main.beancount")
    (tmp_path / "main.beancount").write_text(
        (tmp_path / "main.beancount").read_text(encoding="utf-8")
        + '\ninclude "2026.beancount"\n', encoding="utf-8")
    (tmp_path / "2026.beancount").write_text("; 2026\n", encoding="utf-8")
    time.sleep(0.2)  # older than the load that follows (a file written while loaded is not held)
    return tmp_path / "main.beancount"


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    seen: list[Path] = []
    real = writer.load

    def counted(path):
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(writer, "load", counted)
    return seen


def donate(top: Path, held: Held, day: str, amount: str, donor: str, **kw):
    def build(fund):
        return kinds.donation(fund, date=datetime.date.fromisoformat(day), amount_=amount,
                              donor=donor, **kw)
    return writer.write_entries(top, build, None, False, True, held)


def test_entries_in_a_row_load_once_and_hold_what_a_load_gives(ledger, loads):
    held = Held()
    for n in range(6):
        outcome = donate(ledger, held, f"2026-02-{n + 1:02d}", f"{100 + n}", f"捐款人{n}")
        assert outcome.written and not outcome.new_errors
    assert len(loads) == 1  # the first entry loaded the ledger; the others used the held one
    fresh = fundledger.load(ledger)
    kept = held.fund
    assert kept is not None
    assert kept.entries == fresh.entries
    assert [str(e.message) for e in kept.errors] == [str(e.message) for e in fresh.errors]
    assert same_state(kept.state, fresh.state) == []
    assert held.current() is not None


def test_a_refused_entry_leaves_the_held_ledger_as_it_was(ledger, loads):
    held = Held()
    donate(ledger, held, "2026-02-01", "100", "甲")
    before = held.fund
    def bad(fund):  # an account that was never opened
        from decimal import Decimal

        from fundledger.entry.format import Posting, transaction
        entry = transaction(datetime.date(2026, 2, 3), None, "无此账户", [],
                            [Posting("Assets:Bank:Fund", Decimal("-1.00"), "CNY"),
                             Posting("Expenses:Nowhere")])
        return [writer.Draft(entry, "funding")]

    outcome = writer.write_entries(ledger, bad, None, False, True, held)
    assert outcome.new_errors and not outcome.written
    assert held.fund is before
    assert donate(ledger, held, "2026-02-04", "100", "乙").written
    assert len(loads) == 1


@pytest.mark.parametrize("change", ["append", "same-size copy with the old mtime", "new file"])
def test_a_change_by_someone_else_makes_the_next_entry_load(ledger, loads, change):
    held = Held()
    donate(ledger, held, "2026-02-01", "100", "甲")
    year = ledger.parent / "2026.beancount"
    if change == "append":
        with year.open("a", encoding="utf-8") as out:
            out.write('\n2026-02-02 custom "member" "M0900"\n  name: "赵小红"\n  branch: "西山村党支部"\n')
    elif change == "same-size copy with the old mtime":
        text = year.read_text(encoding="utf-8")
        assert '"甲"' in text
        copy = ledger.parent / "copy.tmp"
        copy.write_text(text.replace('"甲"', '"丙"'), encoding="utf-8")
        st = year.stat()
        os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert copy.stat().st_size == st.st_size
        os.replace(copy, year)
    else:
        main = ledger.read_text(encoding="utf-8")
        ledger.write_text(main.replace('include "2026.beancount"', 'include "20*.beancount"'),
                          encoding="utf-8")
        (ledger.parent / "2027.beancount").write_text(
            '2027-01-01 custom "member" "M0901"\n  name: "钱多多"\n  branch: "西山村党支部"\n', encoding="utf-8")
    assert held.current() is None
    assert donate(ledger, held, "2026-02-03", "100", "乙").written
    assert len(loads) == 2
    fresh = fundledger.load(ledger)
    assert same_state(held.fund.state, fresh.state) == [] if held.fund else True
    if change == "same-size copy with the old mtime":
        assert any(getattr(e, "payee", None) == "丙" for e in fresh.entries)
    elif change == "append":
        assert "M0900" in fresh.members and (held.fund is None or "M0900" in held.fund.members)
    else:
        assert "M0901" in fresh.members


def test_a_file_written_while_it_was_loaded_is_not_held(ledger):
    fund = fundledger.load(ledger)
    held = Held()
    assert held.keep_loaded(fund, time.time_ns() - 10_000_000_000) is None  # began before
    assert held.fund is None
    assert held.keep_loaded(fund, None) is None  # when it began is not known
    assert held.keep_loaded(fund, time.time_ns()) is not None
    assert held.current()[0] is fund


def test_a_ledger_with_errors_of_beancount_is_loaded_again_after_each_entry(ledger, loads):
    year = ledger.parent / "2026.beancount"
    year.write_text("2026-01-10 balance Assets:Bank:Fund  1.00 CNY\n", encoding="utf-8")
    time.sleep(0.2)
    held = Held()
    assert fundledger.load(ledger).errors  # the balance assertion fails
    assert donate(ledger, held, "2026-02-01", "100", "甲").written
    assert held.fund is None  # only a load tells which old errors remain
    assert donate(ledger, held, "2026-02-02", "100", "乙").written
    assert len(loads) == 2


def test_the_stamp_names_every_file_and_glob(ledger):
    fund = fundledger.load(ledger)
    stamp = Stamp.of(source_names(fund.options))
    names = {Path(name).name for name, _ in stamp.files}
    assert names == {"main.beancount", "2026.beancount"}
    assert stamp.now() == stamp
    assert held_module.signature(str(ledger.parent / "nothing")) is None


def test_files_that_keep_changing_as_they_are_read_are_a_conflict(ledger, monkeypatch):
    """A held ledger whose files change between the check that it is current and the read of
    them is loaded again; when that goes on round after round the writer gives up with
    ``Conflict`` and writes nothing — never a silent empty outcome."""
    held = Held()
    donate(ledger, held, "2026-02-01", "100", "甲")
    before = {p: p.read_bytes() for p in ledger.parent.glob("*.beancount")}
    real = Held.current
    monkeypatch.setattr(Stamp, "now", lambda self: Stamp((), ()))  # never what was read

    def always(self):
        fund = fundledger.load(ledger)
        return fund, Stamp.of(source_names(fund.options))

    monkeypatch.setattr(Held, "current", always)
    with pytest.raises(writer.Conflict):
        donate(ledger, held, "2026-02-02", "100", "乙")
    assert {p: p.read_bytes() for p in ledger.parent.glob("*.beancount")} == before
    monkeypatch.setattr(Held, "current", real)
