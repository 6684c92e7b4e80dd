"""What the writer will write: which file each entry goes to, the text appended to it, the
files to create and include (``layout`` decides the file), and every file as it will be."""

from __future__ import annotations

import functools
import os
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..fund import Fund
from ..includes import includes_in
from .format import AMOUNT_COLUMN, Entry, EntryError, amount_ends, most_common_end
from .layout import ACCOUNTS, accounts_file, target_file

NEW_FILE_HEADER = "; 由 fundledger 创建，记入的分录附在文末 (created by fundledger; entries are appended)\n"


@dataclass
class Draft:
    """An entry to write, and the group of files it belongs to (layout.GROUPS)."""

    entry: Entry
    group: str


_ENDS: dict[Path, tuple[int, bytes, Counter[int]]] = {}  # file -> (lines counted, text, ends)
_ENDS_LOCK = threading.Lock()


def file_ends(path: Path, data: bytes) -> Counter[int]:
    """``amount_ends`` of a file's text, counted again only for what was appended since the
    last time this file was counted (the desk appends to the same file entry after entry):
    the text counted is kept and compared, byte for byte, with the start of the new one.
    Only the alignment of the text written depends on it."""
    cut = data.rfind(b"\n") + 1  # whole lines; a last line without its newline is apart
    with _ENDS_LOCK:
        known = _ENDS.get(path)
    if known is not None and known[0] <= cut and \
            memoryview(data)[:known[0]] == memoryview(known[1])[:known[0]]:
        start, ends = known[0], Counter(known[2])
    else:
        start, ends = 0, Counter()
    if cut > start:
        ends += amount_ends(data[start:cut].decode("utf-8", "replace"))
    with _ENDS_LOCK:
        _ENDS[path] = (cut, data, Counter(ends))
    return ends + amount_ends(data[cut:].decode("utf-8", "replace"))


def read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def append_text(old: bytes | None, text: str) -> bytes:
    """``old`` with ``text`` appended after a blank line, in the file's own line endings."""
    if old is None:
        old = NEW_FILE_HEADER.encode("utf-8")
    try:
        current = old.decode("utf-8")
    except UnicodeDecodeError:
        raise EntryError("账本文件不是 UTF-8 编码，无法追加 (the ledger file is not UTF-8)") from None
    newline = "\r\n" if "\r\n" in current else "\n"
    if current and not current.endswith("\n"):
        current += newline
    if current.strip() and not current.endswith(newline * 2):
        current += newline
    body = text.replace("\r\n", "\n").replace("\n", newline)
    return (current + body).encode("utf-8")


def covered_by_includes(path: Path, texts: dict[Path, bytes]) -> bool:
    """Whether an ``include`` of the ledger (a glob, say ``2026/*.beancount``) names ``path``."""
    return any(include.covers(str(path))
               for source, data in texts.items() for include in includes_in(str(source), data))


def _has_entries(data: bytes) -> bool:
    return any(line.strip() and not line.lstrip().startswith((";", "#", "*"))
               for line in data.decode("utf-8", "replace").splitlines())


def _include_line(top: Path, path: Path) -> str:
    return f'include "{Path(os.path.relpath(path, top.parent)).as_posix()}"\n'


@dataclass
class Plan:
    files: list[Path]  # the ledger's files, as read
    snapshot: dict[Path, bytes | None]  # what each file held before the check
    appends: dict[Path, str]  # file -> entry text to append
    creates: list[Path]  # files to create (header only, first)
    includes: list[Path]  # files to include at the end of the top-level file

    def steps(self, top: Path) -> Iterator[tuple[str, Path, bytes, bytes | None]]:
        """Each write in order, as (what, file, its new text, the text it replaces): new files
        (header only), the includes, then the entries. Each step leaves a ledger that loads:
        a killed writer leaves at most an empty file."""
        current = dict(self.snapshot)

        def step(what: str, path: Path, data: bytes) -> tuple[str, Path, bytes, bytes | None]:
            old, current[path] = current.get(path), data
            return what, path, data, old

        for path in self.creates:
            yield step("create", path, NEW_FILE_HEADER.encode("utf-8"))
        if self.includes:
            lines = "".join(_include_line(top, p) for p in self.includes)
            yield step("include", top, append_text(current[top], lines))
        for path, text in self.appends.items():
            yield step("append", path, append_text(current.get(path), text))

    def final(self, top: Path) -> dict[Path, bytes]:
        """Every file as it will be once written."""
        out = {p: d for p, d in self.snapshot.items() if d is not None}
        out.update((path, data) for _, path, data, _ in self.steps(top))
        return out


def make_plan(fund: Fund, top: Path, drafts: list[Draft], explicit: Path | None) -> Plan:
    files = [Path(os.path.normpath(p.absolute())) for p in fund.source_files]
    if top not in files:
        files.insert(0, top)
    snapshot: dict[Path, bytes | None] = {p: read_file(p) for p in files}
    top_text = (snapshot.get(top) or b"").decode("utf-8", "replace")
    by_file: dict[Path, list[Entry]] = {}
    for draft in drafts:
        if draft.group == ACCOUNTS and explicit is None:
            path = accounts_file(top, files, fund.entries)
        else:
            path = target_file(top, files, top_text, draft.entry.date.year, draft.group, explicit)
        by_file.setdefault(path, []).append(draft.entry)
    creates, includes, appends = [], [], {}

    @functools.cache
    def ledger_habit() -> int | None:  # the ledger's column: counted only if a file has none
        return most_common_end(sum((file_ends(p, d) for p, d in snapshot.items() if d),
                                   Counter()))

    for path, entries in by_file.items():
        if path not in snapshot:
            snapshot[path] = read_file(path)
            data = snapshot[path]
            if data is not None and _has_entries(data):
                raise EntryError(f"{path} 已存在但不在账本中（顶层文件没有 include 它）；请先 include 它"
                                 f"或另选文件 ({path} exists but is not part of the ledger)")
            if data is None:
                creates.append(path)
            if not covered_by_includes(path, {p: d for p, d in snapshot.items() if d}):
                includes.append(path)
        data = snapshot[path]
        own = most_common_end(file_ends(path, data)) if data else None
        column = own or ledger_habit() or AMOUNT_COLUMN
        appends[path] = "\n".join(entry.text(column) for entry in entries)
    return Plan(files, snapshot, appends, creates, includes)


