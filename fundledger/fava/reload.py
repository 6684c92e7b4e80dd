"""Fava and the desk share one ledger in memory (issue 14): the desk checks each entry
against the ledger Fava loaded, and Fava shows the desk's ledger after each entry without
reading the files again.

* ``held_for(path)`` is the desk's ``entry.held.Held`` for a ledger file.
* Fava loads through ``fava.core.load_uncached``; ``install`` wraps it: while the held ledger
  is current (its files' inodes, sizes, mtimes and ctimes as they were) Fava gets it as
  loaded; otherwise Fava loads, and the result is held if no file changed while it was read.
* Fava's first load comes before this module is imported; ``adopt`` holds it afterwards if
  every file is older than the process (``process_started_ns``), else the desk's first entry
  loads the ledger itself.

A write by the desk is taken back into Fava lazily: the desk tells Fava's file watcher that
it has seen its own write (``absorb``), so the next desk entry does not wait for Fava to
rebuild its pages' indexes; any other request finds Fava's ledger older than the held one
(``stale``) and reloads it, from memory. Any write by anyone else is seen as before, by
Fava's watcher and by the stamp.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from typing import Any

from ..entry.held import Held

_HELD: dict[str, Held] = {}
_OFFERED: dict[str, int] = {}  # ledger -> id of the entries its last load through _load gave
_LOCK = threading.Lock()
_REAL: Any = None
_RELOADING: dict[int, threading.RLock] = {}  # id of a FavaLedger -> its reload lock


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def held_for(path: str) -> Held:
    with _LOCK:
        return _HELD.setdefault(_key(path), Held())


def install() -> None:
    """Route Fava's loads through ``_load``, and serialize each ledger's reloads (once per
    process)."""
    global _REAL
    import fava.core

    with _LOCK:
        if _REAL is None:
            _REAL = fava.core.load_uncached
            fava.core.load_uncached = _load
            for name in ("load_file", "changed"):  # one reload at a time (``_serialized``)
                setattr(fava.core.FavaLedger, name, _serialized(getattr(fava.core.FavaLedger, name)))


def _load(path: str, *args: Any, is_encrypted: bool = False, **kwargs: Any) -> Any:
    held = None if is_encrypted or args or kwargs else _HELD.get(_key(path))
    if held is not None:
        current = held.current()
        if current is not None:
            fund = current[0]
            return fund.entries, list(fund.errors), fund.options
    started_ns = time.time_ns()
    entries, errors, options = _REAL(path, *args, is_encrypted=is_encrypted, **kwargs)
    if held is not None:
        _OFFERED[_key(path)] = id(entries)
        _keep(held, path, entries, errors, options, started_ns)
    return entries, errors, options


def _keep(held: Held, path: str, entries: list[Any], errors: list[Any],
          options: dict[str, Any], started_ns: int | None) -> None:
    from pathlib import Path

    from ..fund import assemble

    try:
        held.keep_loaded(assemble(Path(path), entries, list(errors), options), started_ns)
    except Exception:  # noqa: BLE001 - the desk then loads the ledger itself
        held.forget()


def adopt(ledger: Any) -> None:
    """After Fava's load: hold what it loaded, if the load did not go through ``_load``
    (Fava's first) and every file is older than this process."""
    held = held_for(ledger.beancount_file_path)
    fund = held.fund
    if fund is not None and fund.entries is ledger.all_entries:
        return
    if _OFFERED.get(_key(ledger.beancount_file_path)) == id(ledger.all_entries):
        return  # ``_load`` offered it already (held, or not holdable): not built twice
    _keep(held, ledger.beancount_file_path, ledger.all_entries, ledger.load_errors,
          ledger.options, process_started_ns())


def process_started_ns() -> int | None:
    """When this process began (Linux ``/proc``), a second early for the boot time's
    rounding; None where that cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22, starttime, in clock ticks since boot
        with open("/proc/stat", encoding="ascii") as proc:
            boot = next(int(line.split()[1]) for line in proc if line.startswith("btime "))
        return (boot - 1) * 1_000_000_000 + ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def stale(ledger: Any) -> bool:
    """Whether Fava shows a ledger other than the one on disk that the desk holds, or one
    the disk no longer matches."""
    held = _HELD.get(_key(ledger.beancount_file_path))
    if held is None or held.fund is None:
        return False
    return held.fund.entries is not ledger.all_entries or held.current() is None


class _Watcher:
    """Fava's file watcher, which also answers "changed" while Fava shows a ledger older than
    the one the desk holds (``stale``) — to every request but a desk entry, which does not wait
    for Fava to rebuild its pages' indexes. So Fava's pages, and ``/api/changed`` that open
    pages poll, learn of a desk entry at once; they then load it from memory (``_load``)."""

    def __init__(self, inner: Any, ledger: Any):
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_ledger", ledger)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)

    def __enter__(self) -> Any:  # dunders are looked up on the class, not via __getattr__
        return self._inner.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._inner.__exit__(*exc)

    def check(self) -> bool:
        changed = self._inner.check()
        if changed or in_a_desk_entry():
            return bool(changed)
        return stale(self._ledger)


def reload_lock(ledger: Any) -> threading.RLock:
    """The lock each reload of Fava's ``ledger`` holds (``_serialized``); Fava's own writes,
    which rewrite a file in place, hold it too (``fava/guard.py``), so no reload reads a file
    half-written."""
    with _LOCK:
        return _RELOADING.setdefault(id(ledger), threading.RLock())


def _serialized(method: Any) -> Any:
    """``FavaLedger.method``, one call at a time per ledger (``install``).

    Fava serves requests on several threads and each may reload: a page's ``changed()``, the
    editor's write, the extension's ``before_request``. ``FavaLedger.load_file`` is not safe
    to run twice at once — its file watcher (``WatchfilesWatcher.update``) stops and starts
    threads when the set of files changes, and two reloads at once after the desk created a
    year file crashed a request with an HTML 500 (``threads can only be started once``),
    leaving the clerk unable to tell whether the entry was written. ``changed`` is serialized
    too, so a request that arrives while another reloads waits and then shows the new ledger
    instead of the one being replaced. Reentrant: Fava's writes reload inside ``changed``."""

    @functools.wraps(method)
    def serialized(self: Any, *args: Any, **kwargs: Any) -> Any:
        with reload_lock(self):
            return method(self, *args, **kwargs)

    return serialized


def in_a_desk_entry() -> bool:
    """Whether the request being served is a desk entry (``POST …/extension/FundLedger/entry``)."""
    from flask import has_request_context, request

    return has_request_context() and request.method == "POST" and \
        request.path.endswith("/extension/FundLedger/entry")


def watch(ledger: Any) -> None:
    """Put ``_Watcher`` around the watcher of Fava's ``ledger`` (once)."""
    watcher = getattr(ledger, "watcher", None)
    if watcher is not None and not isinstance(watcher, _Watcher):
        ledger.watcher = _Watcher(watcher, ledger)


def absorb(ledger: Any, paths: list[str]) -> None:
    """Tell Fava's watcher the desk has seen its own writes to ``paths``."""
    watcher = getattr(ledger, "watcher", None)
    if watcher is None or not hasattr(watcher, "last_checked"):
        return
    mtimes = []
    for path in paths:
        try:  # the file's, and its folder's: Fava's watcher takes the later for a new file
            mtimes.append(os.stat(path).st_mtime_ns)
            mtimes.append(os.stat(os.path.dirname(os.path.realpath(path))).st_mtime_ns)
        except OSError:
            return
    if mtimes:
        watcher.last_checked = max(watcher.last_checked, *mtimes)


def notify(ledger: Any, paths: list[str]) -> None:
    """Tell Fava's watcher the desk changed ``paths``: its next check loads them."""
    from pathlib import Path

    watcher = getattr(ledger, "watcher", None)
    if watcher is not None and hasattr(watcher, "notify"):
        for path in paths:
            watcher.notify(Path(path))
