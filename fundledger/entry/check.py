"""Check the ledger as it would be with the new text in it, before anything is written.

The changed files are written into a private copy of the ledger's folders (a mirror: the
ledger's files copied, everything else beside them linked), and the copy is loaded the way
bean-check loads the real one: the top-level file's plugins run. Errors are compared with
those of the ledger as it is, by code, file, line and message; entries are only ever
appended, so the lines already there keep their numbers.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beancount import loader

from ..explain import Explanation, explain_all
from ..twice import Pair, entered_twice
from .format import EntryError

_CODE = re.compile(r"^(FL\d{3})\b")
_SKIP = re.compile(r"(\.picklecache$|^\.fundledger\.lock$|\.fundledger-tmp$)")


@dataclass(frozen=True)
class Found:
    """An error as ``fundledger check`` prints it.

    Compared on the original message: the explanation's hints (the closest accounts) may
    change when the new entries open an account, which must not make an old error new."""

    code: str
    filename: str
    lineno: int
    message: str
    explained: str = field(default="", compare=False)  # ``explain``'s line, in Chinese

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}: {self.message}"

    @property
    def shown(self) -> str:
        """The line a clerk reads: the explanation where there is one."""
        return self.explained or str(self)


def found(error: Any, rename: Any = None, said: Explanation | None = None) -> Found:
    source = error.source or {}
    filename = str(source.get("filename", "<unknown>"))
    message = str(error.message)
    explained = said.line("zh") if said is not None else ""
    if rename is not None:
        filename, message, explained = rename(filename), rename(message), rename(explained)
    match = _CODE.match(message)
    code = match[1] if match else type(error).__name__
    return Found(code, filename, int(source.get("lineno") or 0), message, explained)


def found_all(errors: list[Any], entries: list[Any], options: dict[str, Any],
              rename: Any = None) -> list[Found]:
    """Every error as ``found``, explained while the files it points at can still be read."""
    return [found(error, rename, said)
            for error, said in zip(errors, explain_all(errors, entries, options), strict=True)]


def new_errors(before: list[Found], after: list[Found]) -> list[Found]:
    """The errors of ``after`` that ``before`` does not have (as many times as it has them)."""
    left = Counter(before)
    out = []
    for error in after:
        if left[error] > 0:
            left[error] -= 1
        else:
            out.append(error)
    return out


class Mirror:
    """A private copy of the folders holding ``contents`` (absolute path -> bytes)."""

    def __init__(self, contents: dict[Path, bytes]):
        self.root = Path(os.path.commonpath([str(p.parent) for p in contents]))
        self.dir = Path(tempfile.mkdtemp(prefix="fundledger-check-"))
        try:
            self._build(contents)
        except BaseException:
            self.close()
            raise

    def _build(self, contents: dict[Path, bytes]) -> None:
        folders: set[Path] = set()
        for path in contents:
            folder = path.parent
            while folder not in folders:
                folders.add(folder)
                if folder == self.root:
                    break
                folder = folder.parent
        for folder in sorted(folders):
            self.inside(folder).mkdir(parents=True, exist_ok=True)
            if not folder.is_dir():
                continue
            for child in folder.iterdir():
                if child in contents or child in folders or _SKIP.search(child.name):
                    continue
                os.symlink(child, self.inside(child))
        for path, data in contents.items():
            self.inside(path).write_bytes(data)

    def inside(self, path: Path) -> Path:
        return self.dir / path.relative_to(self.root)

    def rename(self, text: str) -> str:
        """Mirror paths in ``text`` back to the real ones."""
        return text.replace(str(self.dir), str(self.root).rstrip(os.sep))

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Mirror:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_mirrored(top: Path, contents: dict[Path, bytes], must_read: list[Path]
                  ) -> tuple[list[Any], list[Found], dict[str, Any], list[Pair]]:
    """Load the ledger whose files hold ``contents``; errors named by their real paths,
    explained (``explain``), and the transactions that look entered twice (``twice``).

    ``must_read`` are the changed files: if the ledger reaches them by an absolute path, the
    copy would read the real ones and the check would prove nothing, so that is refused.
    """
    from ..fund import PLUGIN
    from ..plugin import currency_of
    from ..rules import check
    from ..state import build_state

    with Mirror(contents) as mirror:
        mirror_top = mirror.inside(top)
        entries, errors, options = loader._load([(str(mirror_top), True)], None, None, None)
        read = {os.path.normpath(p) for p in options.get("include", [])}
        for path in must_read:
            if os.path.normpath(str(mirror.inside(path))) not in read or str(path) in read:
                raise EntryError(
                    f"{path} 不是通过相对路径 include 的，无法在写入前检查；请改为相对路径 "
                    f"(the ledger reaches {path} by an absolute path: cannot check before writing)")
        if not any(name == PLUGIN for name, _ in options.get("plugin", [])):
            # Not declared: check the fund rules all the same, as ``fundledger.load`` does.
            errors = [*errors, *check(build_state(entries, currency_of(options)))]
        # explained here: the mirror's files, which the hints quote, are gone after it
        return (entries, found_all(errors, entries, options, mirror.rename), options,
                [pair.renamed(mirror.rename) for pair in entered_twice(entries)])
