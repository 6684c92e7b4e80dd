"""Fava's own writes racing the desk and ``fundledger add`` (a blind adversarial test).

In a writable Fava that loads ``fundledger.fava``, every acknowledged write — a desk post
(``POST /<slug>/extension/FundLedger/entry``), a ``fundledger add`` run as its own process, and
Fava's own ``PUT /api/add_entries``, ``PUT /api/source_slice`` and ``DELETE /api/source_slice``
— must be on disk exactly once, and nothing else may change. Each race runs a few rounds, each
round on a fresh copy of ``spec_example.beancount`` with its own Fava.

The oracles do not use fundledger's internals: the text of the files on disk, ``bean-check``
in a subprocess, a fresh ``fundledger.load(main).errors == []``, and what Fava's own JSON API
shows afterwards. A Fava write answered with an error that says the file changed (or that the
ledger's lock is busy) was not acknowledged: the clerk reads again and retries, as the
frontend asks them to; so is a 404 "No entry found for hash" (a delete above the entry moved
it: the clerk reloads the page). Any other error answer is recorded and fails the test — after
the loss/duplicate oracles have run on what was acknowledged. ``FUNDLEDGER_RACE_ROUNDS``
(default 3) sets the rounds of each race.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fava_helpers import FavaServer, fava_copy

import fundledger

LEDGERS = Path(__file__).parent / "ledgers"
ADD = "from fundledger.cli_entry import add; add()"
BEAN_CHECK = Path(sys.executable).with_name("bean-check")
ROUNDS = int(os.environ.get("FUNDLEDGER_RACE_ROUNDS", "3"))
POSTS = 10
# what Fava (or fundledger's guard) answers when a write was refused and not done: retry
RETRYABLE = ("changed externally", "另一个 fundledger 命令正在写这本账", "No entry found for hash")
DROPPED = (ConnectionError, http.client.RemoteDisconnected, urllib.error.URLError)


# --------------------------------------------------------------------------- HTTP helpers


def _send(request: urllib.request.Request, timeout: float = 120) -> tuple[int, Any]:
    """Status and decoded JSON body (or ``{"raw": ...}``) of one request.

    Fava's server (cheroot) closes a connection still queued, its request unread, after
    ~10 s: that request never ran, so it is sent again (only then)."""
    for _ in range(5):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            body = exc.read()
            try:
                return exc.code, json.loads(body)
            except ValueError:
                return exc.code, {"raw": body.decode("utf-8", "replace")}
        except DROPPED as exc:
            if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError):
                raise
            continue
    return 0, {"never answered": request.full_url}


def desk_post(server: FavaServer, fields: dict[str, str]) -> tuple[int, Any]:
    data = urllib.parse.urlencode(fields).encode()
    return _send(urllib.request.Request(server.base + "/extension/FundLedger/entry", data=data,
                                        method="POST"))


def api(server: FavaServer, method: str, endpoint: str, query: dict[str, str] | None = None,
        body: dict[str, Any] | None = None) -> tuple[int, Any]:
    url = f"{server.base}/api/{endpoint}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    return _send(urllib.request.Request(url, data=data, method=method, headers=headers))


def retryable(status: int, answer: Any) -> bool:
    """A Fava write error that says nothing was written (the file changed; the lock busy)."""
    message = answer.get("error", "") if isinstance(answer, dict) else ""
    return status != 200 and any(word in message for word in RETRYABLE)


def journal(server: FavaServer) -> list[dict[str, Any]]:
    status, answer = api(server, "GET", "journal")
    assert status == 200, answer
    return answer["data"]


def entry_of(server: FavaServer, payee: str) -> dict[str, Any] | None:
    found = [e for e in journal(server) if e.get("payee") == payee]
    assert len(found) <= 1, f"Fava shows {payee!r} {len(found)} times"
    return found[0] if found else None


# --------------------------------------------------------------------------- oracles


def nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def bean_check(main: Path) -> None:
    run = subprocess.run([str(BEAN_CHECK), str(main)], capture_output=True, text=True,
                         timeout=120, cwd=main.parent)
    assert run.returncode == 0 and not run.stdout.strip() and not run.stderr.strip(), (
        f"bean-check exit {run.returncode}:\n{run.stdout}\n{run.stderr}")


def ledger_is_clean(main: Path) -> None:
    bean_check(main)
    fund = fundledger.load(main)
    assert fund.errors == [], fund.errors
    everything = "".join(p.read_text(encoding="utf-8") for p in main.parent.glob("*.beancount"))
    vouchers = Counter(re.findall(r'^\s+voucher: "([^"]+)"', everything, re.M))
    assert not [v for v, n in vouchers.items() if n != 1], vouchers
    leftovers = [p.name for p in main.parent.iterdir()
                 if p.suffix != ".beancount" and p.name != ".fundledger.lock"]
    assert not leftovers, f"left behind: {leftovers}"


def all_text(main: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(main.parent.glob("*.beancount")))


def drop_entries(lines: list[str], heads: list[str]) -> list[str]:
    """LINES without each entry (a line containing one of HEADS, with its indented lines)."""
    kept: list[str] = []
    dropping = False
    for line in lines:
        if line[:1].isspace() and dropping:
            continue
        dropping = any(head in line for head in heads)
        if not dropping:
            kept.append(line)
    return kept


def strip_once(text: str, block: str, what: str) -> str:
    """TEXT without BLOCK, which must be there exactly once."""
    assert text.count(block) == 1, f"{what} is on disk {text.count(block)} times:\n{block}"
    return text.replace(block, "", 1)


# --------------------------------------------------------------------------- the ledger


def fresh_desk(folder: Path) -> tuple[FavaServer, Path]:
    source = folder / "src"
    source.mkdir(parents=True)
    (source / "main.beancount").write_bytes((LEDGERS / "spec_example.beancount").read_bytes())
    main = fava_copy(source, folder / "ledger")
    return FavaServer(main, folder / "fava.log", read_only=False), main


def donation(date: str, donor: str, amount: str = "10") -> dict[str, str]:
    return {"kind": "donation", "date": date, "amount": amount, "donor": donor}


def posters(server: FavaServer, fields: list[dict[str, str]], barrier: threading.Barrier,
            results: dict[str, tuple[int, Any]], crashed: list[str]) -> list[threading.Thread]:
    def one(f: dict[str, str]) -> None:
        barrier.wait(timeout=60)
        results[f["donor"]] = desk_post(server, f)

    return [spawn(crashed, one, f) for f in fields]


def spawn(crashed: list[str], target: Any, *args: Any) -> threading.Thread:
    """A thread running TARGET(*ARGS); an exception in it is put in CRASHED."""
    def run() -> None:
        try:
            target(*args)
        except BaseException as exc:
            crashed.append(f"{type(exc).__name__}: {exc}")
            raise

    return threading.Thread(target=run)


def run_all(threads: list[threading.Thread], crashed: list[str], timeout: float = 120) -> None:
    """Start THREADS and wait for them: none may hang (a deadlock) or crash."""
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"still running after {timeout} s (deadlock?): {stuck}"
    assert not crashed, crashed


def check_posts(results: dict[str, tuple[int, Any]], expected: int, main: Path
                ) -> tuple[dict[str, tuple[int, Any]], dict[str, tuple[int, Any]]]:
    """The acknowledged posts and the others. A post not acknowledged must not be on disk
    (its clerk, told it failed, enters it again); the others are checked by the caller, and
    ``all_answered`` fails the test at its end if any post had no proper answer."""
    assert len(results) == expected, results
    acked = {donor: answer for donor, answer in results.items() if answer[0] == 200}
    failed = {donor: answer for donor, answer in results.items() if answer[0] != 200}
    for donor, (_, body) in acked.items():
        assert body.get("ok") is True and body.get("text"), (donor, body)
    text = all_text(main)
    landed = [donor for donor in failed if f'"{donor}"' in text]
    assert not landed, f"posts answered as failed but written: {landed} {failed}"
    return acked, failed


def all_answered(failed: dict[str, tuple[int, Any]], server: FavaServer) -> None:
    """Every desk post had its JSON answer: 200 (it is written) or 422 (why not)."""
    assert not failed, (f"desk posts without a proper answer: {failed}\n"
                        f"--- fava log\n{server.log()}")


def fava_sees(server: FavaServer, payees: list[str], gone: tuple[str, ...] = ()) -> None:
    """Fava's own view after the race: every payee once, the deleted ones not at all."""
    shown = Counter(e.get("payee") for e in journal(server))
    wrong = {p: shown[p] for p in payees if shown[p] != 1}
    wrong.update({p: shown[p] for p in gone if shown[p]})
    assert not wrong, f"Fava's journal after the race shows (payee: times): {wrong}"


# --------------------------------------------------------------------------- 1. add_entries


def _fava_transaction(date: str, payee: str, amount: str) -> dict[str, Any]:
    """A transaction as Fava's "add entry" form sends it (frontend/src/entries)."""
    return {"t": "Transaction", "date": date, "flag": "*", "payee": payee,
            "narration": "Fava 添加分录", "tags": [], "links": [], "meta": {},
            "postings": [{"account": "Assets:Bank:Fund", "amount": f"{amount} CNY", "meta": {}},
                         {"account": "Income:Donations:Members", "amount": "", "meta": {}}]}


def _add_entries(server: FavaServer, entry: dict[str, Any], attempts: list[Any]) -> tuple[int, Any]:
    for _ in range(100):
        status, answer = api(server, "PUT", "add_entries", body={"entries": [entry]})
        attempts.append((status, answer))
        if not retryable(status, answer):
            return status, answer
        time.sleep(0.05)
    return status, answer


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_add_entries_races_desk_posts_and_a_command(tmp_path, round_):
    """Two "add entry" saves from Fava (into main.beancount), ten desk posts (half of them
    in 2027, whose first creates 2027.beancount and an ``include`` in main.beancount) and a
    ``fundledger add`` process, all at once: each lands exactly once, the ledger checks."""
    server, main = fresh_desk(tmp_path)
    main_before = main.read_text(encoding="utf-8")
    try:
        fields = [donation(f"2027-01-{n + 1:02d}" if n % 2 else f"2026-11-{n + 1:02d}",
                           f"并发{round_}-{n:02d}") for n in range(POSTS)]
        fava_entries = [_fava_transaction("2026-11-20", f"法瓦{round_}-a", "3.00"),
                        _fava_transaction("2027-02-01", f"法瓦{round_}-b", "4.00")]
        barrier = threading.Barrier(POSTS + len(fava_entries) + 1)
        results: dict[str, tuple[int, Any]] = {}
        added: dict[str, tuple[int, Any]] = {}
        attempts: list[Any] = []

        def fava_add(entry: dict[str, Any]) -> None:
            barrier.wait(timeout=60)
            added[entry["payee"]] = _add_entries(server, entry, attempts)

        crashed: list[str] = []
        threads = posters(server, fields, barrier, results, crashed)
        threads += [spawn(crashed, fava_add, e) for e in fava_entries]
        command_donor = f"命令行{round_}"
        command: list[subprocess.CompletedProcess] = []

        def run_command() -> None:
            barrier.wait(timeout=60)
            command.append(subprocess.run(
                [sys.executable, "-c", ADD, "donation", str(main), "--amount", "7",
                 "--donor", command_donor, "--date", "2027-01-15"],
                capture_output=True, text=True, timeout=120))

        threads.append(spawn(crashed, run_command))
        run_all(threads, crashed)

        assert command and command[0].returncode == 0, command and command[0].stderr
        results, failed = check_posts(results, POSTS, main)
        refused = [p for p, a in added.items() if a[0] != 200]
        assert not [p for p in refused if f'"{p}"' in all_text(main)], (
            f"Fava's add_entries answered an error but wrote: {added}")
        assert not refused, (f"Fava's add_entries had no proper answer: {added} {attempts}\n"
                             f"--- fava log\n{server.log()}")

        text = all_text(main)
        for donor, (_, body) in results.items():
            assert text.count(f'* "{donor}" ') == 1, donor
            lines = Path(body["file"]).read_text(encoding="utf-8").splitlines()
            assert "\n".join(lines).count(body["text"].rstrip("\n")) == 1, donor
            assert lines[body["line"] - 1] == body["text"].splitlines()[0], (donor, body["line"])
        assert text.count(f'* "{command_donor}" ') == 1
        for entry in fava_entries:
            assert text.count(f'* "{entry["payee"]}" ') == 1, entry["payee"]
            assert main.read_text(encoding="utf-8").count(f'* "{entry["payee"]}" ') == 1
        for year in (2026, 2027):  # both year files are new: each included once
            assert main.read_text(encoding="utf-8").count(f'include "{year}.beancount"') == 1
        kept = drop_entries(nonblank(main.read_text(encoding="utf-8")),
                            ['include "2026.beancount"', 'include "2027.beancount"',
                             *(f'* "{e["payee"]}" ' for e in fava_entries)])
        assert kept == nonblank(main_before), "main.beancount: more changed than the writes"
        ledger_is_clean(main)
        print(f"add_entries answers: {[a[0] for a in attempts]}")
        fava_sees(server, [*results, command_donor, *(e["payee"] for e in fava_entries)])
        all_answered(failed, server)
    finally:
        server.stop()


# --------------------------------------------------------------------------- 2./3. slices


def _setup_slice_round(server: FavaServer, main: Path, round_: int, tag: str
                       ) -> tuple[Path, str, str]:
    """Three desk donations in 2026.beancount; the target is the first, middle or last one
    (by round). Returns the year file, the target's payee and the file's text before."""
    names = [f"前{tag}{round_}", f"中{tag}{round_}", f"后{tag}{round_}"]
    for n, name in enumerate(names):
        status, body = desk_post(server, donation(f"2026-10-{n + 1:02d}", name, "20"))
        assert status == 200, body
    year = main.parent / "2026.beancount"
    target = names[[1, 2, 0][round_ % 3]]
    return year, target, year.read_text(encoding="utf-8")


def _race_posts(round_: int, tag: str) -> list[dict[str, str]]:
    return [donation(f"2026-11-{n + 1:02d}", f"{tag}贴{round_}-{n:02d}") for n in range(POSTS)]


def _without_posts(text: str, results: dict[str, tuple[int, Any]]) -> str:
    for donor, (_, body) in results.items():
        text = strip_once(text, body["text"], f"desk post {donor}")
    return text


NARRATION = ' "捐款"'
EDITED = ' "捐款（已核）"'


def _edit_slice(server: FavaServer, payee: str, log: list[Any], early: dict[str, Any]) -> None:
    """The entry editor: read the entry's slice, change its narration, save; on "changed
    externally" read again and retry. ``early`` is a slice read before the race began, saved
    first (a clerk who opened the editor a moment ago)."""
    pending = early
    for _ in range(200):
        if pending is None:
            entry = entry_of(server, payee)
            if entry is None:
                log.append(("entry gone from Fava's journal", payee))
                time.sleep(0.05)
                continue
            status, answer = api(server, "GET", "source_slice",
                                 {"entry_hash": entry["entry_hash"]})
            if status != 200:
                log.append(("GET source_slice", status, answer))
                time.sleep(0.05)
                continue
            pending = {"entry_hash": entry["entry_hash"], "source": answer["data"]["slice"],
                       "sha256sum": answer["data"]["sha256sum"]}
        source = pending["source"]
        first = source.splitlines()[0]
        if EDITED in first:
            log.append(("edited, but never acknowledged", source))
            return
        assert f'"{payee}"' in first and NARRATION in first, (
            f"Fava's slice for {payee!r} is another entry's text:\n{source}")
        new = source.replace(NARRATION, EDITED, 1)
        status, answer = api(server, "PUT", "source_slice",
                             body={"entry_hash": pending["entry_hash"], "source": new,
                                   "sha256sum": pending["sha256sum"]})
        log.append(("PUT source_slice", status, answer))
        if status == 200:
            return
        if not retryable(status, answer):
            return
        pending = None
        time.sleep(0.02)
    log.append(("gave up",))


def _delete_slice(server: FavaServer, payee: str, log: list[Any], early: dict[str, Any]) -> None:
    """Delete the entry from Fava's entry editor, retrying on "changed externally"."""
    pending = early
    for _ in range(200):
        if pending is None:
            entry = entry_of(server, payee)
            if entry is None:
                log.append(("deleted, but never acknowledged", payee))
                return
            status, answer = api(server, "GET", "source_slice",
                                 {"entry_hash": entry["entry_hash"]})
            if status != 200:
                log.append(("GET source_slice", status, answer))
                time.sleep(0.05)
                continue
            pending = {"entry_hash": entry["entry_hash"], "source": answer["data"]["slice"],
                       "sha256sum": answer["data"]["sha256sum"]}
        assert f'"{payee}"' in pending["source"].splitlines()[0], (
            f"Fava's slice for {payee!r} is another entry's text:\n{pending['source']}")
        status, answer = api(server, "DELETE", "source_slice",
                             {"entry_hash": pending["entry_hash"],
                              "sha256sum": pending["sha256sum"]})
        log.append(("DELETE source_slice", status, answer))
        if status == 200:
            return
        if not retryable(status, answer):
            return
        pending = None
        time.sleep(0.02)
    log.append(("gave up",))


def _open_editor(server: FavaServer, payee: str) -> dict[str, Any]:
    entry = entry_of(server, payee)
    assert entry is not None, payee
    status, answer = api(server, "GET", "source_slice", {"entry_hash": entry["entry_hash"]})
    assert status == 200, answer
    return {"entry_hash": entry["entry_hash"], "source": answer["data"]["slice"],
            "sha256sum": answer["data"]["sha256sum"]}


def _slice_round(tmp_path: Path, round_: int, tag: str, fava_write) -> tuple[Any, ...]:
    server, main = fresh_desk(tmp_path)
    try:
        year, target, before = _setup_slice_round(server, main, round_, tag)
        main_before = main.read_bytes()
        early = _open_editor(server, target)
        fields = _race_posts(round_, tag)
        barrier = threading.Barrier(POSTS + 1)
        results: dict[str, tuple[int, Any]] = {}
        log: list[Any] = []

        def edit() -> None:
            barrier.wait(timeout=60)
            fava_write(server, target, log, early)

        crashed: list[str] = []
        threads = posters(server, fields, barrier, results, crashed)
        threads.append(spawn(crashed, edit))
        run_all(threads, crashed)
        results, failed = check_posts(results, POSTS, main)
        assert log and log[-1][1:2] == (200,), f"Fava's write was not acknowledged: {log}"
        after = year.read_text(encoding="utf-8")
        assert main.read_bytes() == main_before, "main.beancount changed"
        ledger_is_clean(main)
        print(f"{tag} attempts: {[entry[:2] for entry in log]}")
        return server, main, target, before, after, results, failed, log
    except BaseException:
        server.stop()
        raise


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_slice_edit_races_desk_posts(tmp_path, round_):
    """The entry editor changes one donation's narration in 2026.beancount while ten desk
    posts go to the same file: the posts all there once, the edit there once, nothing else."""
    server, main, target, before, after, results, failed, log = _slice_round(
        tmp_path, round_, "改", _edit_slice)
    try:
        head = f'* "{target}"{NARRATION}'
        assert before.count(head) == 1
        expected = before.replace(head, f'* "{target}"{EDITED}', 1)
        assert after.count(f'* "{target}"{EDITED}') == 1, after
        assert head not in after, after
        rest = _without_posts(after, results)
        assert nonblank(rest) == nonblank(expected), (
            f"other lines changed\n--- expected\n{expected}\n--- found\n{rest}\n--- log {log}")
        lines = after.splitlines()  # the edit keeps the line count: the answers' lines hold
        for donor, (_, body) in results.items():
            assert lines[body["line"] - 1].startswith(body["text"].splitlines()[0]), donor
        fava_sees(server, [*results, target])
        assert entry_of(server, target)["narration"] == EDITED.strip(' "')
        all_answered(failed, server)
    finally:
        server.stop()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_slice_delete_races_desk_posts(tmp_path, round_):
    """The entry editor deletes one donation of 2026.beancount while ten desk posts go to the
    same file: the deleted entry gone, the posts all there once, nothing else changed."""
    server, main, target, before, after, results, failed, log = _slice_round(
        tmp_path, round_, "删", _delete_slice)
    try:
        block = next(b for b in before.split("\n\n") if f'* "{target}"' in b)
        expected = before.replace(block, "", 1)
        assert f'"{target}"' not in after, after
        rest = _without_posts(after, results)
        assert nonblank(rest) == nonblank(expected), (
            f"other lines changed\n--- expected\n{expected}\n--- found\n{rest}\n--- log {log}")
        fava_sees(server, list(results), gone=(target,))
        all_answered(failed, server)
    finally:
        server.stop()


# --------------------------------------------------------------------------- 5. all at once


def _editor_append(server: FavaServer, path: Path, text: str, log: list[Any]) -> None:
    """Fava's source editor: append TEXT to PATH (sha256 of the whole file), retrying."""
    for _ in range(200):
        status, answer = api(server, "GET", "source", {"filename": str(path)})
        assert status == 200, answer
        data = answer["data"]
        if text.strip() in data["source"]:
            log.append(("saved, but never acknowledged",))
            return
        status, answer = api(server, "PUT", "source",
                             body={"file_path": str(path), "source": data["source"] + text,
                                   "sha256sum": data["sha256sum"]})
        log.append(("PUT source", status, answer))
        if status == 200 or not retryable(status, answer):
            return
        time.sleep(0.02)
    log.append(("gave up",))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_every_writer_at_once_on_one_file(tmp_path, round_):
    """On 2026.beancount at once: ten desk posts, a ``fundledger add``, a source-editor save,
    an entry-slice edit of one donation and a slice delete of the one above it (which moves
    the edited entry up under the editor's feet), plus an "add entry" into main.beancount.
    Every acknowledged write lands once; nothing else changes."""
    server, main = fresh_desk(tmp_path)
    try:
        names = [f"甲{round_}", f"删{round_}", f"改{round_}", f"丁{round_}"]
        for n, name in enumerate(names):
            status, body = desk_post(server, donation(f"2026-10-{n + 1:02d}", name, "20"))
            assert status == 200, body
        year = main.parent / "2026.beancount"
        before = year.read_text(encoding="utf-8")
        main_before = main.read_text(encoding="utf-8")
        doomed, edited = names[1], names[2]
        early_edit = _open_editor(server, edited)
        early_delete = _open_editor(server, doomed)
        fields = _race_posts(round_, "全")
        command_donor = f"命令{round_}"
        editor_line = f'\n2026-11-25 * "编辑器{round_}" "源码编辑器录入"\n' \
                      "  Assets:Bank:Fund              3.00 CNY\n  Income:Donations:Members\n"
        fava_entry = _fava_transaction("2026-11-26", f"法瓦{round_}", "5.00")
        barrier = threading.Barrier(POSTS + 5)
        results: dict[str, tuple[int, Any]] = {}
        logs: dict[str, list[Any]] = {"edit": [], "delete": [], "source": [], "add": []}
        command: list[subprocess.CompletedProcess] = []

        def later(fn: Any, *args: Any) -> Any:
            def run() -> None:
                barrier.wait(timeout=60)
                fn(*args)
            return run

        def run_command() -> None:
            command.append(subprocess.run(
                [sys.executable, "-c", ADD, "donation", str(main), "--amount", "7",
                 "--donor", command_donor, "--date", "2026-11-24"],
                capture_output=True, text=True, timeout=120))

        crashed: list[str] = []
        threads = posters(server, fields, barrier, results, crashed)
        threads += [
            spawn(crashed, later(_edit_slice, server, edited, logs["edit"], early_edit)),
            spawn(crashed, later(_delete_slice, server, doomed, logs["delete"], early_delete)),
            spawn(crashed, later(_editor_append, server, year, editor_line, logs["source"])),
            spawn(crashed, later(lambda: logs["add"].append(
                _add_entries(server, fava_entry, [])))),
            spawn(crashed, later(run_command)),
        ]
        run_all(threads, crashed)
        print(f"all at once: { {k: [e[:2] for e in v] for k, v in logs.items()} }")

        assert command and command[0].returncode == 0, command and command[0].stderr
        results, failed = check_posts(results, POSTS, main)
        for what in ("edit", "delete", "source"):
            assert logs[what] and logs[what][-1][1:2] == (200,), (what, logs[what])
        assert logs["add"] and logs["add"][-1][0] == 200, logs["add"]

        after = year.read_text(encoding="utf-8")
        assert f'"{doomed}"' not in after, after
        assert after.count(f'* "{edited}"{EDITED}') == 1 and f'* "{edited}"{NARRATION}' not in after
        assert after.count(f'* "{command_donor}" ') == 1
        rest = strip_once(_without_posts(after, results), editor_line.strip("\n"), "editor save")
        block = next(b for b in before.split("\n\n") if f'* "{doomed}"' in b)
        expected = before.replace(block, "", 1).replace(f'* "{edited}"{NARRATION}',
                                                        f'* "{edited}"{EDITED}', 1)
        kept = drop_entries(nonblank(rest), [f'* "{command_donor}" '])
        assert kept == nonblank(expected), (
            f"other lines changed\n--- expected\n{expected}\n--- found\n{rest}\n{logs}")
        kept = drop_entries(nonblank(main.read_text(encoding="utf-8")), [f'* "{fava_entry["payee"]}" '])
        assert kept == nonblank(main_before), "main.beancount: more changed than the writes"
        ledger_is_clean(main)
        fava_sees(server, [*results, edited, command_donor, f"编辑器{round_}", fava_entry["payee"]],
                  gone=(doomed,))
        all_answered(failed, server)
    finally:
        server.stop()
