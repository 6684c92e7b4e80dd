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


def test_favas_reloads_of_a_ledger_run_one_at_a_time(tmp_path, monkeypatch):
    """Two requests reloading at once (a page's ``changed()``, the editor's write) must not
    run ``FavaLedger.load_file`` side by side: its watcher's ``update`` stops and starts
    threads, and two at once crashed a desk post with an HTML 500 ("threads can only be
    started once") when the desk had just created a year file (a blind race test found it).
    A slow load counts how many run at once; with the serialization it is one."""
    import threading

    from fava.core import FavaLedger

    main = tmp_path / "main.beancount"
    main.write_text((LEDGERS / "spec_example.beancount").read_text(encoding="utf-8")
                    + '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n',
                    encoding="utf-8")
    ledger = FavaLedger(str(main), poll_watcher=True)
    real, running, most = reload._REAL, [0], [0]
    count = threading.Lock()

    def slow(*args, **kwargs):
        with count:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        try:
            return real(*args, **kwargs)
        finally:
            with count:
                running[0] -= 1

    monkeypatch.setattr(reload, "_REAL", slow)
    reload.held_for(str(main)).forget()  # every reload reads the files (through ``slow``)
    main.write_text(main.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    threads = [threading.Thread(target=ledger.load_file) for _ in range(3)]
    threads += [threading.Thread(target=ledger.changed) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert most[0] == 1
    assert not any(thread.is_alive() for thread in threads)
    assert FavaLedger.load_file.__wrapped__ is not None  # Fava's own, wrapped once
    assert not hasattr(FavaLedger.load_file.__wrapped__, "__wrapped__")


def test_no_reload_reads_a_file_fava_is_writing(tmp_path, monkeypatch):
    """Fava rewrites a file in place (truncate, write): a reload by another request in the
    middle read half a file — ``main.beancount`` without its title, so the ledger's address
    changed and pages answered 404 (the blind race test's fresh-clone run). Fava's writes hold
    the reload lock (fava/guard.py): a reload asked for during a slow write waits for it."""
    import threading

    from fava.core import FavaLedger
    from fava.core.file import FileModule

    events: list[str] = []

    def slow_write(self, path, source, sha256sum):
        events.append("write begins")
        time.sleep(0.4)
        events.append("write ends")
        return ""

    monkeypatch.setattr(FileModule, "set_source", slow_write)
    main = tmp_path / "main.beancount"
    main.write_text((LEDGERS / "spec_example.beancount").read_text(encoding="utf-8")
                    + '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n',
                    encoding="utf-8")
    ledger = FavaLedger(str(main), poll_watcher=True)
    real = reload._REAL

    def counted(*args, **kwargs):
        events.append("load")
        return real(*args, **kwargs)

    monkeypatch.setattr(reload, "_REAL", counted)
    reload.held_for(str(main)).forget()  # the reload reads the files (through ``counted``)
    writing = threading.Thread(target=ledger.file.set_source, args=(main, "", ""))
    writing.start()
    while not events:
        time.sleep(0.01)
    ledger.load_file()
    writing.join(timeout=30)
    assert events == ["write begins", "write ends", "load"]
