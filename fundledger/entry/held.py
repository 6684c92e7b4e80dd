"""A ledger kept in memory from one entry to the next (the desk's), and the proof that it is
still the ledger on disk.

A load of 100,000 transactions takes seconds; the desk writes an entry in a fraction of that
by checking it against the ledger it already holds (``memory``) and, once written, holding
the ledger with the entry in (``keep_written``) instead of reading it again. That is only
right while the files are exactly those the held ledger was read from. ``Stamp`` is what
says so: for every file the load read, its inode, size, mtime and ctime, and what each
``include`` glob matches. ``Held.current`` gives the ledger only while the disk's stamp
equals the held one — any write by anyone (a text editor, Fava's editor, ``fundledger add``,
``cp -p`` over a file, a new file a glob matches) changes an inode, a size or a ctime, and the
ledger is loaded afresh.

A ledger is held only when it is known to be what its stamp says:

* after a load (``keep_loaded``), when no file was written or appeared after the load began
  (``cachekey.changed_during_the_load``; a file written during the load may not be the text
  that was read);
* after the desk's own write (``keep_written``), when the files it wrote are the ones it put
  there (the inode, size and mtime it wrote them with) and no other file changed since the
  held ledger's stamp — the ledger then is the held one with the new entries, as the
  in-memory check computed it, errors included (held only where every old error is a fund
  rule's, which that check recomputes whole).
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass
from typing import Any

from ..cachekey import CacheKey, changed_during_the_load
from ..includes import read_includes

Signature = tuple[int, int, int, int]  # inode, size, mtime, ctime (ns)


def signature(path: str) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def source_names(options: dict[str, Any]) -> list[str]:
    """The files a load read (``options["include"]`` without fundledger's cache key)."""
    return sorted({os.path.normpath(str(p)) for p in options.get("include", [])
                   if not isinstance(p, CacheKey)})


@dataclass(frozen=True)
class Stamp:
    files: tuple[tuple[str, Signature | None], ...]
    searches: tuple[tuple[str, tuple[str, ...]], ...]  # include glob -> what it matches

    @classmethod
    def of(cls, names: list[str]) -> Stamp:
        searches = sorted({i.search_path for i in read_includes(names)})
        return cls._taken(tuple(names), tuple(searches))

    @classmethod
    def _taken(cls, names: tuple[str, ...], searches: tuple[str, ...]) -> Stamp:
        return cls(tuple((name, signature(name)) for name in names),
                   tuple((search, tuple(sorted(glob.glob(search, recursive=True))))
                         for search in searches))

    def now(self) -> Stamp:
        """The same files and globs as the disk has them now."""
        return self._taken(tuple(name for name, _ in self.files),
                           tuple(search for search, _ in self.searches))


class Held:
    """The desk's ledger between entries; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fund: Any = None
        self._stamp: Stamp | None = None

    @property
    def fund(self) -> Any:
        """The ledger last held, current or not (what Fava may be showing)."""
        return self._fund

    def current(self) -> tuple[Any, Stamp] | None:
        """The held ledger and its stamp, if the disk still is what it was read from."""
        with self._lock:
            fund, stamp = self._fund, self._stamp
        if fund is None or stamp is None or stamp.now() != stamp:
            return None
        return fund, stamp

    def keep_loaded(self, fund: Any, started_ns: int | None) -> Stamp | None:
        """Hold ``fund``, loaded by a load that began at ``started_ns``; its stamp, or None
        (not held) if a file may have changed while it was read."""
        names = source_names(fund.options)
        stamp = Stamp.of(names)
        searches = tuple(search for search, _ in stamp.searches)
        if started_ns is None or changed_during_the_load(names, searches, started_ns):
            # Not held; a ledger held already stays while it is current: it may be newer than
            # this load (the desk wrote while the load ran), and Fava must come back to it.
            if self.current() is None:
                self.forget()
            return None
        with self._lock:
            self._fund, self._stamp = fund, stamp
        return stamp

    def keep_written(self, fund: Any, before: Stamp, written: dict[str, Signature | None]
                     ) -> bool:
        """Hold ``fund``, the held ledger (stamp ``before``) with the entries just written to
        ``written`` (file -> its signature as written, before the rename: the rename changes
        only its ctime), if nothing else changed."""
        now = before.now()
        mine = {os.path.normpath(name): sig for name, sig in written.items()}
        same = now.searches == before.searches and set(mine) <= {n for n, _ in now.files}
        for (name, sig), (_, was) in zip(now.files, before.files, strict=True):
            if name in mine:
                ours = mine[name]
                same = same and sig is not None and ours is not None and sig[:3] == ours[:3]
            else:
                same = same and sig == was
        if not same:
            self.forget()
            return False
        with self._lock:
            self._fund, self._stamp = fund, now
        return True

    def forget(self) -> None:
        with self._lock:
            self._fund, self._stamp = None, None
