"""fava/reload.py's wrapper of Fava's file watcher: it is Fava's watcher (every attribute and
call passes through, the poll watcher's and watchfiles' alike), and it also answers "changed"
while Fava shows a ledger older than the one the desk holds — but not to a desk entry."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fava.core.watcher import Watcher, WatchfilesWatcher

import fundledger
from fundledger.fava import reload

LEDGERS = Path(__file__).parent / "ledgers"


class FakeLedger:
    def __init__(self, path: Path, entries: list):
        self.beancount_file_path = str(path)
        self.all_entries = entries


@pytest.mark.parametrize("kind", [Watcher, WatchfilesWatcher])
def test_the_wrapper_is_favas_watcher(kind, tmp_path):
    ledger = FakeLedger(tmp_path / "none.beancount", [])
    inner = kind()
    ledger.watcher = inner
    reload.watch(ledger)
    reload.watch(ledger)  # once only
    wrapped = ledger.watcher
    assert isinstance(wrapped, reload._Watcher) and wrapped._inner is inner
    wrapped.last_checked = 7
    assert inner.last_checked == 7 == wrapped.last_checked
    (tmp_path / "a.beancount").write_text("; a\n", encoding="utf-8")
    wrapped.update([tmp_path / "a.beancount"], [])
    wrapped.notify(tmp_path / "a.beancount")
    if kind is Watcher:  # the poll watcher answers at once (watchfiles' thread in its time)
        wrapped.last_checked = 0
        assert wrapped.check() is True
        assert wrapped.check() is False
    if hasattr(inner, "__exit__"):
        with wrapped:
            pass


def test_changed_while_fava_shows_an_older_ledger_than_the_desk_holds(tmp_path):
    main = tmp_path / "main.beancount"
    main.write_bytes((LEDGERS / "spec_example.beancount").read_bytes())
    time.sleep(0.2)
    fund = fundledger.load(main)
    held = reload.held_for(str(main))
    assert held.keep_loaded(fund, time.time_ns()) is not None
    ledger = FakeLedger(main, fund.entries)
    ledger.watcher = Watcher()
    reload.watch(ledger)
    ledger.watcher.update([main], [])
    assert ledger.watcher.check() is False  # Fava shows the held ledger
    ledger.all_entries = list(fund.entries)  # Fava's is another (older) one
    assert ledger.watcher.check() is True
    from flask import Flask

    app = Flask(__name__)
    with app.test_request_context("/x/extension/FundLedger/entry", method="POST"):
        assert ledger.watcher.check() is False  # a desk entry does not wait for Fava's reload
    with app.test_request_context("/x/income_statement/"):
        assert ledger.watcher.check() is True
    held.forget()
    assert ledger.watcher.check() is False  # nothing held: Fava's watcher alone decides
