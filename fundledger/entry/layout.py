"""Which file a new entry goes to (the file layout convention, docs/ENTRY.md).

1. ``--file PATH``;
2. else a pragma in the top-level file, a comment beancount ignores::

       ;; fundledger-entry-file: "{year}/{group}.beancount"

   (``{year}`` the entry's year, ``{group}`` its group: members, funding, loans, repayments,
   relief, visits, subsidies, bank; relative paths are relative to the top-level file);
3. else the ledger's own per-year layout: the files whose path names the latest year (e.g.
   ``2025/funding.beancount``, ``2025/loans.beancount`` or ``2025.beancount``) with the
   entry's year put in its place; in a layout of one file per group, the group's file;
4. else ``YEAR.beancount`` next to the top-level file.

An ``open`` of an account (group ``accounts``, ``add open``) is no entry of a year: it goes
to ``--file``, else to the file that holds most of the ledger's other opens (loan accounts
aside, which open beside their loans), else to the top-level file (``accounts_file``).

A file that does not exist yet is created and ``include``d at the end of the top-level file.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from beancount.core import data

from .format import EntryError

PRAGMA = re.compile(r"^\s*;+\s*fundledger-entry-file:\s*\"?(?P<pattern>[^\"\s]+)\"?\s*$", re.M)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

# The file stems each kind of entry goes to in a layout of one file per group, best first.
GROUPS: dict[str, tuple[str, ...]] = {
    "members": ("members",),
    "funding": ("funding",),
    "loans": ("loans",),
    "relief": ("relief",),
    "repayments": ("repayments", "loans"),
    "visits": ("visits", "relief"),
    "subsidies": ("subsidies", "relief"),
    "bank": ("bank", "treasury", "funding"),
}
KNOWN_STEMS = frozenset(stem for stems in GROUPS.values() for stem in stems)
ACCOUNTS = "accounts"  # the group of ``open`` directives: see accounts_file


def accounts_file(top: Path, files: list[Path], entries: list[Any]) -> Path:
    """The ledger file holding most ``open`` directives of accounts other than loans (the
    first such file on a tie), else the top-level file."""
    ledger = {Path(os.path.normpath(p.absolute())) for p in files}
    counts: Counter[Path] = Counter()
    for entry in entries:
        if isinstance(entry, data.Open) and not entry.account.startswith("Assets:Loans:"):
            path = Path(os.path.normpath(str((entry.meta or {}).get("filename", ""))))
            if path in ledger:
                counts[path] += 1
    return counts.most_common(1)[0][0] if counts else top.absolute()


def target_file(top: Path, files: list[Path], top_text: str, year: int, group: str,
                explicit: Path | None = None) -> Path:
    """The absolute path of the file an entry of ``group`` dated in ``year`` goes to."""
    top = top.absolute()
    if explicit is not None:
        return _absolute(explicit, Path.cwd())
    match = PRAGMA.search(top_text)
    if match:
        pattern = match["pattern"]
        try:
            name = pattern.format(year=year, group=GROUPS[group][0])
        except (KeyError, IndexError, ValueError):
            raise EntryError(f"{top}: fundledger-entry-file 模式 {pattern!r} 只能用 {{year}} 和 "
                             f"{{group}} (the pattern may use {{year}} and {{group}} only)") from None
        return _absolute(Path(name), top.parent)
    inferred = _per_year(top, files, year, group)
    return inferred if inferred is not None else top.parent / f"{year}.beancount"


def _absolute(path: Path, base: Path) -> Path:
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


def _per_year(top: Path, files: list[Path], year: int, group: str) -> Path | None:
    """The ledger's own layout for ``year``, from the files of the latest year it has."""
    by_year: dict[int, list[str]] = {}
    for path in files:
        try:
            rel = path.absolute().relative_to(top.parent).as_posix()
        except ValueError:
            continue  # a file outside the top-level folder says nothing about the layout
        years = {int(y) for y in YEAR.findall(rel)}
        if len(years) == 1:
            by_year.setdefault(years.pop(), []).append(rel)
    if not by_year:
        return None
    latest = max(by_year)
    templates = sorted({YEAR.sub("{year}", rel) for rel in by_year[latest]})
    grouped = [t for t in templates if Path(t).stem in KNOWN_STEMS]
    if grouped:
        stems = {Path(t).stem: t for t in grouped}
        for stem in GROUPS[group]:
            if stem in stems:
                return top.parent / stems[stem].format(year=year)
        # One file per group, but none yet for this group: start it where the others are.
        folder = str(Path(grouped[0]).parent).format(year=year)
        return top.parent / folder / f"{GROUPS[group][0]}.beancount"
    if len(templates) == 1:
        return top.parent / templates[0].format(year=year)
    raise EntryError(
        f"无法确定写入哪个文件：{year} 年有 {', '.join(templates)} 等多个文件；请用 --file 指定，"
        f'或在顶层文件写 ;; fundledger-entry-file: "..." '
        f"(cannot choose the file for {year}: use --file or the fundledger-entry-file pragma)")
