"""Writing entries safely: checked first, one writer at a time, never over someone's change.

``write_entries`` takes the lock ``.fundledger.lock`` beside the top-level file, loads the
ledger, builds the entries, checks the ledger with them in it (``memory``; a refusal, or what
memory cannot tell, by loading it in a copy: ``check``), only then appends them, each file replaced atomically (temporary file in the same folder, fsync, rename, fsync
of the folder). A symlinked file is written through: the temporary file goes beside the real
file, which is replaced, and the link stays. A file that cannot be replaced that way without
harm — read-only (no write bit, even for root), in a read-only folder, hard-linked (a rename
would split the names apart), a dangling link — is refused before anything is written
(``ReadOnly``, exit status 2). Just before each replace the file is compared with what was read before
the check; if someone else (Fava's editor, a text editor) changed any file of the ledger
meanwhile, the whole round — read, build, check — is done again, at most ``ATTEMPTS`` times.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..fund import Fund, load
from ..includes import includes_in
from ..twice import Pair, entered_twice
from .check import Found, found_all, load_mirrored, new_errors
from .format import AMOUNT_COLUMN, Entry, EntryError, amount_column
from .layout import ACCOUNTS, accounts_file, target_file
from .memory import check_plan

LOCK_NAME = ".fundledger.lock"
TMP_SUFFIX = ".fundledger-tmp"
ATTEMPTS = 3
NEW_FILE_HEADER = "; 由 fundledger 创建，记入的分录附在文末 (created by fundledger; entries are appended)\n"


class Conflict(Exception):
    """A file of the ledger changed under us; nothing of ours replaced it."""


class Busy(Exception):
    """Another writer held the lock for longer than the timeout."""


class ReadOnly(EntryError):
    """A file the writer must not replace: read-only, in a read-only folder, hard-linked."""


@dataclass
class Draft:
    """An entry to write, and the group of files it belongs to (layout.GROUPS)."""

    entry: Entry
    group: str


@dataclass
class Outcome:
    """What ``write_entries`` did."""

    texts: dict[Path, str] = field(default_factory=dict)  # appended text per file
    lines: dict[Path, int] = field(default_factory=dict)  # first line of it per file
    created: list[Path] = field(default_factory=list)
    included: list[Path] = field(default_factory=list)
    new_errors: list[Found] = field(default_factory=list)  # non-empty: refused, nothing written
    old_errors: list[Found] = field(default_factory=list)  # errors the ledger already had
    warnings: list[str] = field(default_factory=list)
    twice: list[Pair] = field(default_factory=list)  # new entries that repeat existing ones
    twice_refused: bool = False  # not written for ``twice`` (``allow_twice`` not given)
    written: bool = False
    attempts: int = 0
    seconds: float = 0.0


def lock_timeout() -> float:
    try:
        return float(os.environ.get("FUNDLEDGER_LOCK_TIMEOUT", "120"))
    except ValueError:
        return 120.0


def real_path(path: Path) -> Path:
    """Where writing ``path`` lands: every symlink (of the file or its folders) followed."""
    return Path(os.path.realpath(path))


def lock_path(top: Path) -> Path:
    """The lock file: beside the real top-level file, so two symlinks to one ledger share it."""
    return real_path(top.absolute()).parent / LOCK_NAME


@contextlib.contextmanager
def ledger_lock(top: Path) -> Iterator[None]:
    """The lock every fundledger writer of this ledger takes (released if the process dies)."""
    lock = FileLock(str(lock_path(top)), timeout=lock_timeout())
    try:
        lock.acquire()
    except Timeout:
        raise Busy(f"另一个 fundledger 命令正在写这本账（{lock.lock_file}），请稍后再试 "
                   "(another fundledger command is writing this ledger)") from None
    try:
        yield
    finally:
        lock.release()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _clean_stale(folder: Path) -> None:
    """Remove temporary files a killed writer left (we hold the lock: none is in use)."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.name.startswith(".") and child.name.endswith(TMP_SUFFIX):
            with contextlib.suppress(OSError):
                child.unlink()


_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _no_write_bit(mode: int) -> bool:
    return not mode & _WRITE_BITS


def write_problem(path: Path) -> str | None:
    """Why ``path`` must not be replaced (or created), in the clerk's words; None if it may.

    Read-only means: the file (or the folder that receives the rename) has no write bit at
    all — refused even for root, who could write it, because someone marked it so — or this
    user cannot write it (``os.access``). A file with several hard links is refused too: the
    rename would give this name a new file and leave the other names with the old text.
    """
    shown = str(path)
    if path.is_symlink() and not path.exists():
        return (f"{shown} 是指向不存在文件的符号链接（{os.readlink(path)}），未写入 "
                f"({shown} is a symlink to a missing file; nothing written)")
    try:
        real = real_path(path)
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"{shown} 无法读取：{exc.strerror}，未写入 ({shown}: {exc.strerror}; nothing written)"
    target = f"{shown}（实际文件 {real}）" if real != path else shown
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            return f"{target} 不是普通文件，未写入 ({shown} is not a regular file; nothing written)"
        if _no_write_bit(info.st_mode) or not os.access(real, os.W_OK):
            return (f"{target} 是只读文件（权限 {stat.filemode(info.st_mode)}），未写入；"
                    f"如确需记账，请先改为可写 (chmod u+w) "
                    f"({shown} is read-only; nothing written)")
        if info.st_nlink > 1:
            return (f"{target} 有 {info.st_nlink} 个硬链接；原子替换会使其他链接仍是旧内容，未写入。"
                    f"请改用符号链接（fundledger 会写到链接指向的文件）或 --file 另选文件 "
                    f"({shown} has {info.st_nlink} hard links, which replacing it would split; "
                    f"nothing written — use a symlink instead)")
    folder = real.parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent  # a new file's folders are made under the nearest existing one
    try:
        mode = os.stat(folder).st_mode
    except OSError as exc:
        return f"{folder} 无法读取：{exc.strerror}，未写入 ({folder}: {exc.strerror})"
    if _no_write_bit(mode) or not os.access(folder, os.W_OK | os.X_OK):
        return (f"{target} 所在的文件夹 {folder} 是只读的（权限 {stat.filemode(mode)}），"
                f"无法原子替换，未写入 (the folder {folder} is read-only; {shown} not written)")
    return None


def check_writable(paths: list[Path]) -> None:
    """Raise ``ReadOnly`` naming every path that must not be written."""
    problems = [p for p in (write_problem(path) for path in dict.fromkeys(paths)) if p]
    if problems:
        raise ReadOnly("\n".join(problems))


def write_temporary(real: Path, data: bytes, replacing: bool) -> Path:
    """``data`` in a new temporary file beside ``real``, on disk (fsynced), with the mode
    ``real`` has (``replacing``) or a new file's; the next step renames it over ``real``."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TMP_SUFFIX, dir=real.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        if replacing:
            info = os.stat(real)
            with contextlib.suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)  # root, or our own group
            os.chmod(tmp, info.st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
    return tmp


def atomic_replace(path: Path, data: bytes, expected: bytes | None) -> None:
    """Put ``data`` at ``path`` in one step, if ``path`` still holds ``expected``.

    ``expected`` None: the file must not exist (it is created, never overwritten).
    A symlink is written through: the real file is replaced, in its own folder, and keeps its
    mode (and owner and group, where this user may set them). Raises ``Conflict`` when the
    file is not what was read before the check, ``ReadOnly`` (see ``write_problem``).
    """
    problem = write_problem(path)
    if problem:
        raise ReadOnly(problem)
    real = real_path(path)
    folder = real.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = write_temporary(real, data, replacing=expected is not None)
    try:
        if _read(path) != expected or real_path(path) != real:
            raise Conflict(f"{path} 在检查后被修改（可能是 Fava 或编辑器），未覆盖 "
                           f"({path} changed since it was read; not overwritten)")
        if expected is None:
            try:
                os.link(tmp, real)  # creates, never replaces: fails if someone made it meanwhile
            except FileExistsError:
                raise Conflict(f"{path} 刚被他人创建，未覆盖 ({path} was just created by someone else)"
                               ) from None
            except OSError:
                os.replace(tmp, real)  # a file system without hard links
            else:
                tmp.unlink()
        else:
            os.replace(tmp, real)
        _fsync_dir(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


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
class _Plan:
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


def _plan(fund: Fund, top: Path, drafts: list[Draft], explicit: Path | None) -> _Plan:
    files = [Path(os.path.normpath(p.absolute())) for p in fund.source_files]
    if top not in files:
        files.insert(0, top)
    snapshot: dict[Path, bytes | None] = {p: _read(p) for p in files}
    top_text = (snapshot.get(top) or b"").decode("utf-8", "replace")
    by_file: dict[Path, list[Entry]] = {}
    for draft in drafts:
        if draft.group == ACCOUNTS and explicit is None:
            path = accounts_file(top, files, fund.entries)
        else:
            path = target_file(top, files, top_text, draft.entry.date.year, draft.group, explicit)
        by_file.setdefault(path, []).append(draft.entry)
    creates, includes, appends = [], [], {}
    habit = amount_column(d.decode("utf-8", "replace") for d in snapshot.values() if d)
    for path, entries in by_file.items():
        if path not in snapshot:
            snapshot[path] = _read(path)
            data = snapshot[path]
            if data is not None and _has_entries(data):
                raise EntryError(f"{path} 已存在但不在账本中（顶层文件没有 include 它）；请先 include 它"
                                 f"或另选文件 ({path} exists but is not part of the ledger)")
            if data is None:
                creates.append(path)
            if not covered_by_includes(path, {p: d for p, d in snapshot.items() if d}):
                includes.append(path)
        own = amount_column([snapshot[path].decode("utf-8", "replace")]) if snapshot[path] else None
        column = own or habit or AMOUNT_COLUMN
        appends[path] = "\n".join(entry.text(column) for entry in entries)
    return _Plan(files, snapshot, appends, creates, includes)


def _unchanged(plan: _Plan) -> None:
    for path, data in plan.snapshot.items():
        if _read(path) != data:
            raise Conflict(f"{path} 在检查期间被修改 ({path} changed during the check)")


def _apply(plan: _Plan, top: Path, outcome: Outcome) -> None:
    """Write the plan, step by step (``_Plan.steps``)."""
    _unchanged(plan)
    for what, path, data, old in plan.steps(top):
        atomic_replace(path, data, old)
        if what == "create":
            outcome.created.append(path)
        elif what == "include":
            outcome.included.extend(plan.includes)
        else:
            text = plan.appends[path]
            outcome.lines[path] = len(data.decode("utf-8").splitlines()) - len(text.splitlines()) + 1


def _places(entries: list[Any]) -> set[tuple[str, int]]:
    return {(str(e.meta.get("filename")), int(e.meta.get("lineno") or 0))
            for e in entries if e.meta}


def write_entries(top: str | Path, build: Callable[[Fund], list[Draft]],
                  explicit: str | Path | None = None, dry_run: bool = False,
                  allow_twice: bool = False) -> Outcome:
    """Load, build, check and (unless ``dry_run`` or refused) append; see the module doc.

    A new transaction that looks like an existing one entered again (``twice``) is in
    ``Outcome.twice``; unless ``allow_twice`` it is not written (``twice_refused``).

    Raises ``EntryError`` (bad input), ``Conflict`` (changed under us ``ATTEMPTS`` times),
    ``Busy`` (lock timeout), ``LedgerNotFound``/``OSError``.
    """
    started = time.monotonic()
    top = Path(os.path.normpath(Path(top).absolute()))
    target = Path(explicit) if explicit is not None else None
    outcome = Outcome()
    guard = contextlib.nullcontext() if dry_run else ledger_lock(top)
    with guard:
        for attempt in range(1, ATTEMPTS + 1):
            outcome = Outcome(attempts=attempt)
            fund = load(top)
            outcome.warnings = list(fund.warnings)
            drafts = build(fund)
            if not drafts:
                break
            plan = _plan(fund, top, drafts, target)
            check_writable([*plan.creates, *([top] if plan.includes else []), *plan.appends])
            if not dry_run:
                for folder in {real_path(p).parent for p in (top, *plan.appends)}:
                    _clean_stale(folder)
            outcome.texts = dict(plan.appends)
            outcome.old_errors = before = found_all(fund.errors, fund.entries, fund.options)
            final = plan.final(top)
            new_files = plan.creates + plan.includes
            verdict = check_plan(fund, new_files, plan.snapshot, final, plan.appends)
            if verdict is not None and not verdict.new_errors:
                outcome.twice, fresh = verdict.twice, []
            else:  # a refusal, or what only a full load can tell: the written ledger, loaded
                changed = [p for p, d in final.items() if plan.snapshot.get(p) != d]
                _, after, _, twice = load_mirrored(top, final, changed)
                # entries are only appended: a pair whose places the ledger had already is old
                had = {pair.places for pair in entered_twice(fund.entries)}
                outcome.twice = [pair.new_second(_places(fund.entries)) for pair in twice
                                 if pair.places not in had]
                fresh = new_errors(before, after)
            if fresh:
                # Perhaps the copy differs from the real folders, or a file changed since the
                # load: compare with the copy of the ledger as it stands.
                _, before, _, _ = load_mirrored(
                    top, {p: d for p, d in plan.snapshot.items() if d is not None}, [])
                fresh = new_errors(before, after)
            outcome.new_errors = fresh
            outcome.twice_refused = bool(outcome.twice) and not allow_twice
            if fresh or dry_run or outcome.twice_refused:
                break
            try:
                _apply(plan, top, outcome)
            except Conflict:
                if attempt == ATTEMPTS:
                    raise
                continue
            outcome.written = True
            break
    outcome.seconds = time.monotonic() - started
    return outcome
