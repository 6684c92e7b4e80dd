"""The ``include`` directives of a ledger's files, read and resolved as beancount does.

beancount (3.2, ``loader._parse_recursive``) joins a relative ``include`` name to the folder of
the file that holds it, expands it with ``glob.glob(name, recursive=True)`` (a plain name too:
a name that does not exist matches nothing) and parses every match once. The string is
unescaped by its lexer: ``\\n`` ``\\t`` ``\\r`` ``\\f`` ``\\b`` are control characters, a
backslash before any other character stands for that character.

Two users: the cache key (``fundledger.cachekey``), which must know every name a new file
could appear under, and ``fundledger.load``, which refuses an include that would hang the
parser (a FIFO, ``/dev/zero``) before beancount opens it.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import stat
from dataclasses import dataclass

# At the start of a line, after any indentation (beancount still includes an indented one,
# with a syntax error). Matching a little too much (an include-like line inside a multi-line
# string) only adds a name to watch or to check; matching too little would lose one.
_INCLUDE = re.compile(rb'^[ \t]*include[ \t]*"((?:[^"\\]|\\.)*)"', re.M | re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_CONTROL = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "b": "\b"}


@dataclass(frozen=True)
class Include:
    source: str  # the absolute, normalised name of the file holding the directive
    line: int
    name: str  # the file name or glob as the directive means it (unescaped)

    @property
    def search_path(self) -> str:
        """The name beancount hands to ``glob.glob``."""
        if os.path.isabs(self.name):
            return self.name
        return os.path.join(os.path.dirname(self.source), self.name)

    def matches(self) -> list[str]:
        """The files this directive includes now, as beancount would parse them."""
        return [os.path.normpath(m) for m in glob.glob(self.search_path, recursive=True)]

    def covers(self, path: str) -> bool:
        """Whether this directive would include ``path`` once that file exists (the writer
        asks before it creates one): ``glob.glob``'s rules, one folder at a time — ``*``, ``?``
        and ``[…]`` stay within a name and skip a leading ``.``; ``**`` spans any folders that
        do not start with ``.``."""
        return _covers(os.path.normpath(self.search_path).split(os.sep),
                       os.path.normpath(path).split(os.sep))


def _covers(pattern: list[str], parts: list[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_covers(rest, parts[i:]) for i in range(len(parts) + 1)
                   if not any(part.startswith(".") for part in parts[:i]))
    if not parts:
        return False
    if not glob.has_magic(head):
        return parts[0] == head and _covers(rest, parts[1:])
    if parts[0].startswith(".") and not head.startswith("."):
        return False
    return fnmatch.fnmatchcase(parts[0], head) and _covers(rest, parts[1:])


def _unescape(raw: str) -> str:
    return _ESCAPE.sub(lambda m: _CONTROL.get(m.group(1), m.group(1)), raw)


def includes_in(source: str, data: bytes) -> list[Include]:
    """The include directives of one file's text."""
    if b"include" not in data:
        return []
    found, line, at = [], 1, 0
    for match in _INCLUDE.finditer(data):
        line += data.count(b"\n", at, match.start())
        at = match.start()
        name = _unescape(match.group(1).decode("utf-8", "surrogateescape"))
        found.append(Include(source, line, name))
    return found


def read_includes(files: list[str]) -> list[Include]:
    """The include directives of the files a load read (``options["include"]``)."""
    found = []
    for source in files:
        try:
            with open(source, "rb") as file:
                data = file.read()
        except OSError:
            continue
        found.extend(includes_in(source, data))
    return found


class IncludeNotAFile(OSError):
    """An ``include`` names something that is not a regular file: beancount's parser would
    block forever on a FIFO, read ``/dev/zero`` without end, or crash on a folder."""


def check_include_targets(top: str) -> None:
    """Follow the includes from ``top`` as beancount will, and raise ``IncludeNotAFile``,
    naming the file and line, for the first one that reaches anything but a regular file (a
    folder makes beancount's parser raise ``IsADirectoryError`` with no file or line). Nothing
    but regular files is opened."""
    seen = {top}
    stack = [top]
    while stack:
        source = stack.pop()
        try:
            with open(source, "rb") as file:
                data = file.read()
        except OSError:
            continue  # beancount says so itself
        for include in includes_in(source, data):
            for target in include.matches():
                if target in seen:
                    continue
                seen.add(target)
                try:
                    mode = os.stat(target).st_mode
                except OSError:
                    continue  # does not exist (a dangling link): beancount says so
                if not stat.S_ISREG(mode):
                    raise IncludeNotAFile(
                        f"{include.source}:{include.line}: include 的目标 {target} 不是普通文件"
                        "（文件夹、管道、设备等），beancount 无法读取或会卡住 "
                        f"(the include names {target}, which is not a regular file)")
                stack.append(target)
