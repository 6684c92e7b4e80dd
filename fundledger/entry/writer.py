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

from ..errors import FundError
from ..fund import Fund, load
from ..twice import Pair, entered_twice
from .check import Found, found_all, load_mirrored, new_errors
from .format import EntryError
from .held import Held, Signature, Stamp, signature
from .memory import check_plan, first_line, index_appended
from .plan import NEW_FILE_HEADER, Draft, Plan, append_text, make_plan, read_file  # noqa: F401 - also reached here

LOCK_NAME = ".fundledger.lock"
TMP_SUFFIX = ".fundledger-tmp"
ATTEMPTS = 3


class Conflict(Exception):
    """A file of the ledger changed under us; nothing of ours replaced it."""


class Busy(Exception):
    """Another writer held the lock for longer than the timeout."""


class PartlyWritten(EntryError):
    """A write failed half-way and a file already written could not be put back."""


class ReadOnly(EntryError):
    """A file the writer must not replace: read-only, in a read-only folder, hard-linked."""


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
    signatures: dict[Path, Signature | None] = field(default_factory=dict)  # as written
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


def atomic_replace(path: Path, data: bytes, expected: bytes | None) -> Signature | None:
    """Put ``data`` at ``path`` in one step, if ``path`` still holds ``expected``.

    ``expected`` None: the file must not exist (it is created, never overwritten).
    A symlink is written through: the real file is replaced, in its own folder, and keeps its
    mode (and owner and group, where this user may set them). Raises ``Conflict`` when the
    file is not what was read before the check, ``ReadOnly`` (see ``write_problem``).
    Gives the new file's inode, size and mtime as written (``entry.held``: a write by someone
    else just after the rename changes one of them).
    """
    problem = write_problem(path)
    if problem:
        raise ReadOnly(problem)
    real = real_path(path)
    folder = real.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = write_temporary(real, data, replacing=expected is not None)
    written = signature(str(tmp))
    try:
        if read_file(path) != expected or real_path(path) != real:
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
    return written


def _unchanged(plan: Plan) -> None:
    for path, data in plan.snapshot.items():
        if read_file(path) != data:
            raise Conflict(f"{path} 在检查期间被修改 ({path} changed during the check)")


def _apply(plan: Plan, top: Path, outcome: Outcome) -> None:
    """Write the plan, step by step (``Plan.steps``). If a step fails — a file changed by
    someone else (``Conflict``), a full disk — the steps done are undone first, so that the
    round can be done again from the files as they were: never half an entry list written."""
    _unchanged(plan)
    done: list[tuple[Path, bytes, bytes | None]] = []
    try:
        for what, path, data, old in plan.steps(top):
            outcome.signatures[path] = atomic_replace(path, data, old)
            done.append((path, data, old))
            if what == "create":
                outcome.created.append(path)
            elif what == "include":
                outcome.included.extend(plan.includes)
            else:
                text = plan.appends[path]
                outcome.lines[path] = first_line(data, text)
    except Exception:
        _undo(done)
        outcome.created.clear()
        outcome.included.clear()
        outcome.lines.clear()
        outcome.signatures.clear()
        raise


def _undo(done: list[tuple[Path, bytes, bytes | None]]) -> None:
    """Put back what each step replaced, last first, where the file still holds what the step
    wrote; ``PartlyWritten`` names what could not be put back."""
    stuck = []
    for path, data, old in reversed(done):
        try:
            if old is None:
                if read_file(path) == data:
                    path.unlink()
            else:
                atomic_replace(path, old, data)
        except (Conflict, OSError) as exc:
            stuck.append(f"{path}: {exc}")
    if stuck:
        raise PartlyWritten(
            "写入中途失败，以下文件已写入、且在撤回前又被他人修改，请核对后手工处理 "
            "(a write failed half-way and these files, changed by someone since, could not be "
            "put back):\n" + "\n".join(stuck))


def _places(entries: list[Any]) -> set[tuple[str, int]]:
    return {(str(e.meta.get("filename")), int(e.meta.get("lineno") or 0))
            for e in entries if e.meta}


def _ledger(top: Path, held: Held | None) -> tuple[Fund, Stamp | None]:
    """The ledger as it is on disk: the one ``held`` holds while it is current, else loaded
    (and held, if it can be)."""
    if held is not None:
        current = held.current()
        if current is not None:
            return current
    started_ns = time.time_ns()
    fund = load(top)
    return fund, held.keep_loaded(fund, started_ns) if held is not None else None


def _hold_written(held: Held, fund: Fund, stamp: Stamp | None, verdict: Any,
                  outcome: Outcome) -> None:
    """After a write: hold the ledger with the new entries in, as the in-memory check made it,
    where that is the ledger a load would give (``held``); else let the next entry load it."""
    if stamp is None or verdict is None or verdict.new_errors or outcome.created \
            or outcome.included or not fund.plugin_declared \
            or not all(isinstance(e, FundError) for e in fund.errors):
        held.forget()
        return
    after = Fund(fund.path, verdict.entries, list(verdict.fund_errors), verdict.options,
                 verdict.state, fund.plugin_declared, list(fund.warnings))
    if held.keep_written(after, stamp, {str(p): outcome.signatures.get(p) for p in outcome.texts}):
        index_appended(fund.state, verdict)


def write_entries(top: str | Path, build: Callable[[Fund], list[Draft]],
                  explicit: str | Path | None = None, dry_run: bool = False,
                  allow_twice: bool = False, held: Held | None = None) -> Outcome:
    """Load (or take the ledger ``held`` holds), build, check and (unless ``dry_run`` or
    refused) append; see the module doc. With ``held``, the written ledger is held for the
    next entry (``entry.held``).

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
            fund, stamp = _ledger(top, held)
            outcome.warnings = list(fund.warnings)
            drafts = build(fund)
            if not drafts:
                break
            plan = make_plan(fund, top, drafts, target)
            if stamp is not None and stamp.now() != stamp:  # changed under us as it was read
                held.forget()  # type: ignore[union-attr]
                if attempt == ATTEMPTS:
                    raise Conflict(f"{top} 的账本文件在读取时被反复修改，未写入 "
                                   "(the ledger's files kept changing as they were read; "
                                   "nothing written)")
                continue
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
            if held is not None:
                _hold_written(held, fund, stamp, verdict, outcome)
            break
    outcome.seconds = time.monotonic() - started
    return outcome
