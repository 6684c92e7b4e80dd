"""Fava's own writes take the ledger's lock, the one the desk and ``fundledger add`` take.

Fava's source editor, entry editor, "add entry" form and document upload write the ledger's
files themselves — read the file, compare its sha256 with the one the page had, then truncate
and write it — under a lock of Fava's own, in its own process, that no other writer knows.
The desk (``fava/desk.py``) and ``fundledger add`` write under ``.fundledger.lock``
(``entry.writer``) and compare each file just before they replace it; but a compare and a
write are two steps. An entry the desk renamed into place between Fava's compare and Fava's
write was overwritten by the editor's text — lost, after its clerk had been told it was
written (16 desk posts beside an editor save lost one, about one run in twenty). The other
order lost the editor's line.

``guard(ledger)`` puts each of Fava's file-writing methods under ``.fundledger.lock``: an
editor save waits while an entry is being written (and the other way round), then compares
and writes as Fava always does — its sha256 check now sees the entry and asks the clerk to
reload the source, instead of writing over it. A lock held too long (``Busy``) is Fava's error
message, not a server error. Fava's reload after its write runs inside the lock, so the next
desk entry takes the reloaded ledger rather than loading it a second time.

Fava rewrites a file in place (truncate, then write), so a reload by another request in the
middle of it would read half a file — ``main.beancount`` without its ``option "title"``, which
changed the ledger's address and answered the page requests of that moment 404. Each write
therefore also holds the ledger's reload lock (``reload.reload_lock``): no reload in this
process reads a file while Fava writes it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..entry.writer import Busy, ledger_lock
from .reload import reload_lock

# FileModule's methods that write a file of the ledger (fava 1.26–1.30)
WRITERS = ("set_source", "save_entry_slice", "delete_entry_slice", "insert_metadata",
           "insert_entries")
_MARK = "_fundledger_guarded"


def guard(ledger: Any) -> None:
    """Put Fava's file writes for ``ledger`` under the ledger's lock (once; idempotent)."""
    module = getattr(ledger, "file", None)
    if module is None or getattr(module, _MARK, False):
        return
    for name in WRITERS:
        method = getattr(module, name, None)
        if callable(method):
            setattr(module, name, _locked(method, ledger))
    setattr(module, _MARK, True)


def _locked(method: Callable[..., Any], ledger: Any) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        try:
            with ledger_lock(Path(ledger.beancount_file_path)), reload_lock(ledger):
                return method(*args, **kwargs)
        except Busy as exc:
            from fava.helpers import FavaAPIError

            raise FavaAPIError(str(exc)) from None

    return locked
