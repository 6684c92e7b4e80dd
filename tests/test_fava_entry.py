"""The HTTP entry endpoint of the desk (issue 14 item 2) in a real Fava: ``POST
/<ledger>/extension/FundLedger/entry`` is ``fundledger add KIND``: good entries are written
(with ``entered-by:``), bad ones answer 422 with every file byte-identical, ``--read-only``
refuses, and 16 concurrent submissions, a concurrent ``fundledger add`` and a concurrent save
in Fava's own editor all land exactly once."""

from __future__ import annotations

import getpass
import http.client
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from fava_helpers import FavaServer, fava_copy

import fundledger
from fundledger.entry import writer

LEDGERS = Path(__file__).parent / "ledgers"
ADD = "from fundledger.cli_entry import add; add()"


def post(server: FavaServer, fields: dict[str, str], path: str = "/extension/FundLedger/entry",
         headers: dict[str, str] | None = None) -> tuple[int, dict]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(server.base + path, data=data, headers=headers or {},
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            return exc.code, json.loads(body)
        except ValueError:
            return exc.code, {"raw": body.decode("utf-8", "replace")}


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.beancount"))}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    source = folder / "src"
    source.mkdir()
    (source / "main.beancount").write_bytes((LEDGERS / "spec_example.beancount").read_bytes())
    main = fava_copy(source, folder / "ledger")
    server = FavaServer(main, folder / "fava.log", read_only=False)
    yield server, main
    server.stop()


def test_a_good_donation_is_written_with_entered_by(desk):
    server, main = desk
    status, body = post(server, {"kind": "donation", "date": "2026-01-05", "amount": "500",
                                 "donor": "王建国", "campaign": "2026一日捐"})
    assert status == 200, body
    assert body["ok"] is True
    path = Path(body["file"])
    assert path == main.parent / "2026.beancount"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[body["line"] - 1].startswith('2026-01-05 * "王建国"')
    assert body["text"] in path.read_text(encoding="utf-8")
    assert f'entered-by: "{getpass.getuser()}"' in body["text"]
    assert 'campaign: "2026一日捐"' in body["text"]
    assert "voucher:" in body["text"]


def test_the_proxy_user_is_entered_by(desk):
    server, main = desk
    status, body = post(server, {"kind": "follow-up", "date": "2026-01-06", "member": "M0007",
                                 "contact": "支部书记"}, headers={"X-Remote-User": "zhang.kj"})
    assert status == 200, body
    assert 'entered-by: "zhang.kj"' in body["text"]


def query(server: FavaServer, bql: str) -> str:
    body, _ = server.get("/api/query?" + urllib.parse.urlencode({"query_string": bql}))
    return json.dumps(json.loads(body)["data"]["rows"], ensure_ascii=False)


def test_fava_shows_a_desk_entry_at_once(desk):
    """The desk checks against the ledger it holds and Fava takes that ledger, with the
    entry in, on its next page (fava/reload.py): never a page without it."""
    server, main = desk
    status, body = post(server, {"kind": "donation", "date": "2026-01-05", "amount": "66",
                                 "donor": "即时可见", "campaign": "2026一日捐"})
    assert status == 200, body
    assert "即时可见" in query(server, "SELECT payee WHERE payee = '即时可见'")
    page, _ = server.get("/extension/FundLedger/?page=position")
    assert page  # the fund pages build on the same ledger


def test_an_edit_outside_the_desk_is_seen_by_the_next_entry(desk):
    """A member registered by hand in a file, then reviewed at the desk at once: the desk
    must not check the review against the ledger it held before the edit."""
    server, main = desk
    year = main.parent / "2026.beancount"
    with year.open("a", encoding="utf-8") as out:
        out.write('\n2026-01-06 custom "member" "M0950"\n  name: "周手工"\n  branch: "东山村党支部"\n')
    status, body = post(server, {"kind": "review", "date": "2026-01-07", "member": "M0950",
                                 "tier": "general"})
    assert status == 200, body
    assert fundledger.load(main).errors == []


def test_preview_writes_nothing(desk):
    server, main = desk
    before = files_of(main.parent)
    status, body = post(server, {"kind": "donation", "date": "2026-01-05", "amount": "12.30",
                                 "donor": "预览", "preview": "1"})
    assert status == 200 and body["preview"] is True, body
    assert '"预览"' in body["text"] and "12.30 CNY" in body["text"]
    assert files_of(main.parent) == before


@pytest.mark.parametrize("fields, words", [
    ({"kind": "donation", "amount": "500"}, "--donor"),  # a required option missing
    ({"kind": "donation", "amount": "5.001", "donor": "甲"}, "5.001"),  # three decimals
    ({"kind": "donation", "amount": "-5", "donor": "甲"}, ""),  # negative
    ({"kind": "donation", "amount": "5", "donor": "甲", "date": "2026-02-30"}, "--date"),
    ({"kind": "donation", "amount": "5", "donor": "甲", "account": "Income:Donations:Membrs"},
     "Income:Donations:Members"),  # a typo, with the closest name
    ({"kind": "repay", "loan": "L2025-003", "principal": "99999", "date": "2026-01-07"},
     "FL3"),  # above the loan's balance: a fund rule's error
    ({"kind": "review", "member": "M0007", "tier": "超级困难"}, "--tier"),
    ({"kind": "relief", "member": "M9999", "account": "Visits", "amount": "100"}, "M9999"),
    ({"kind": "nonsense"}, "没有这种分录"),
    ({"kind": "donation", "amount": "5", "donor": "甲", "file": "/etc/passwd"}, "file"),
])
def test_bad_entries_are_refused_and_nothing_changes(desk, fields, words):
    server, main = desk
    before = files_of(main.parent)
    status, body = post(server, fields)
    assert status == 422, body
    assert body["ok"] is False and body["errors"], body
    assert words in "\n".join(body["errors"])
    assert files_of(main.parent) == before


def test_read_only_fava_refuses(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "main.beancount").write_bytes((LEDGERS / "spec_example.beancount").read_bytes())
    main = fava_copy(source, tmp_path / "ledger")
    server = FavaServer(main, tmp_path / "fava.log")  # --read-only
    try:
        before = files_of(main.parent)
        status, _ = post(server, {"kind": "donation", "date": "2026-01-05", "amount": "5",
                                  "donor": "甲"})
        assert status in (401, 403, 405)
        assert files_of(main.parent) == before
    finally:
        server.stop()


def test_another_site_is_refused(desk):
    server, main = desk
    before = files_of(main.parent)
    status, body = post(server, {"kind": "donation", "amount": "5", "donor": "甲"},
                        headers={"Origin": "http://evil.example"})
    assert status == 403
    assert files_of(main.parent) == before


def _editor_save(server: FavaServer, path: Path, line: str) -> int:
    """Append LINE to PATH through Fava's own source editor (its sha256 check); the attempts."""
    for attempt in range(1, 50):
        query = urllib.parse.urlencode({"filename": str(path)})
        with urllib.request.urlopen(f"{server.base}/api/source?{query}", timeout=60) as response:
            data = json.loads(response.read())["data"]
        body = json.dumps({"file_path": str(path), "source": data["source"] + line,
                           "sha256sum": data["sha256sum"]}).encode()
        request = urllib.request.Request(f"{server.base}/api/source", data=body, method="PUT",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60):
                return attempt
        except urllib.error.HTTPError:
            continue  # someone wrote between our read and save: read again, as a clerk would
    raise AssertionError("Fava's editor never saved")


def test_sixteen_posts_a_command_and_an_editor_save_land_exactly_once(desk):
    server, main = desk
    target = main.parent / "2026.beancount"
    assert target.exists()  # written by the first test
    results: list[tuple[int, dict]] = []
    editor: list[int] = []
    resent: list[int] = []

    def one(n: int) -> None:
        # Fava's server (cheroot, 10 threads) closes a connection still queued, its request
        # unread, after 10 s: that request never ran, so the script sends it again. Were it a
        # request that had run, the entry would land twice and the count below would say so.
        for _ in range(5):
            try:
                results.append(post(server, {"kind": "donation", "date": "2026-01-08",
                                             "amount": "10", "donor": f"并发{n:02d}"}))
                return
            except (ConnectionError, http.client.RemoteDisconnected, urllib.error.URLError):
                resent.append(n)
        results.append((0, {"never answered": n}))

    def edit() -> None:
        editor.append(_editor_save(server, target, '\n2026-01-08 * "编辑器" "在 Fava 编辑器录入"\n'
                                   '  Assets:Bank:Fund              3.00 CNY\n'
                                   '  Income:Donations:Members\n'))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(16)]
    threads.append(threading.Thread(target=edit))
    command = subprocess.Popen(
        [sys.executable, "-c", ADD, "donation", str(main), "--amount", "10", "--donor", "命令行",
         "--date", "2026-01-08"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    out, err = command.communicate(timeout=300)
    assert command.returncode == 0, err.decode()
    assert [s for s, _ in results] == [200] * 16, [b for s, b in results if s != 200]
    assert editor, "the editor thread did not finish"
    text = target.read_text(encoding="utf-8")
    for n in range(16):
        assert text.count(f'* "并发{n:02d}"') == 1
    assert text.count('* "命令行"') == 1
    assert text.count('* "编辑器"') == 1
    fund = fundledger.load(main)
    assert fund.errors == []
    assert not list(main.parent.glob(".*" + writer.TMP_SUFFIX))
    print(f"resent after a dropped connection: {resent}")


def test_fava_editor_waits_for_the_ledger_lock(desk):
    """Fava's own editor writes under ``.fundledger.lock`` (fava/guard.py): while another
    fundledger writer holds it — here this test, as ``add`` would — an editor save does not
    touch the file, and lands once the lock is free. Without it, an entry renamed into place
    between the editor's sha256 compare and its write was overwritten, after its clerk had
    been told it was written (the sixteen-posts test lost one about one run in twenty)."""
    server, main = desk
    target = main.parent / "2026.beancount"
    before = target.read_bytes()
    saved: list[int] = []
    line = '\n2026-01-09 * "编辑器" "锁内等候"\n  Assets:Bank:Fund  4.00 CNY\n  Income:Donations:Members\n'
    with writer.ledger_lock(main):
        thread = threading.Thread(target=lambda: saved.append(_editor_save(server, target, line)))
        thread.start()
        thread.join(timeout=3)
        assert thread.is_alive(), "Fava's editor saved while another writer held the lock"
        assert target.read_bytes() == before
    thread.join(timeout=120)
    assert saved == [1]
    assert target.read_text(encoding="utf-8").count('"锁内等候"') == 1


def test_fava_editor_busy_lock_is_a_message(tmp_path, monkeypatch):
    """A lock held past ``FUNDLEDGER_LOCK_TIMEOUT`` is Fava's error answer naming the lock,
    and the file is untouched (not a server crash, not a write)."""
    from fava.helpers import FavaAPIError

    from fundledger.fava import guard

    def unlocked(*args):
        raise AssertionError("written without the lock")

    Module = type("Module", (), dict.fromkeys(guard.WRITERS, unlocked))

    class Ledger:
        beancount_file_path = str(tmp_path / "main.beancount")
        file = Module()

    ledger = Ledger()
    guard.guard(ledger)
    guard.guard(ledger)  # once only: not wrapped twice
    monkeypatch.setenv("FUNDLEDGER_LOCK_TIMEOUT", "0.2")
    assert set(guard.WRITERS) >= {"set_source", "save_entry_slice", "delete_entry_slice",
                                  "insert_metadata", "insert_entries"}
    from fava.core.file import FileModule

    assert all(callable(getattr(FileModule, name, None)) for name in guard.WRITERS)
    with writer.ledger_lock(tmp_path / "main.beancount"):
        for name in guard.WRITERS:
            with pytest.raises(FavaAPIError, match="另一个 fundledger 命令正在写这本账"):
                getattr(ledger.file, name)("x", "y", "z")


@pytest.mark.parametrize("fields, argv", [
    ({"kind": "donation", "date": "2026-01-09", "amount": "88", "donor": "对照",
      "campaign": "2026一日捐"},
     ["donation", "--date", "2026-01-09", "--amount", "88", "--donor", "对照", "--campaign",
      "2026一日捐"]),
    ({"kind": "apply", "date": "2026-01-09", "member": "M0007", "apply-kind": "relief",
      "amount": "300", "purpose": "医疗"},
     ["apply", "--date", "2026-01-09", "--member", "M0007", "--kind", "relief", "--amount", "300",
      "--purpose", "医疗"]),
])
def test_the_endpoint_writes_what_add_would(desk, fields, argv):
    """The endpoint is ``fundledger add``: its preview is the text ``add --dry-run`` prints,
    with ``entered-by:`` added."""
    from click.testing import CliRunner

    from fundledger.cli_entry import add

    server, main = desk
    status, body = post(server, {**fields, "preview": "1"})
    assert status == 200, body
    result = CliRunner().invoke(add, [argv[0], str(main), *argv[1:], "--dry-run"])
    assert result.exit_code == 0, result.output
    printed = [line for line in result.stdout.splitlines() if not line.startswith("; ")]
    shown = [line for line in body["text"].splitlines() if "entered-by:" not in line]
    assert shown == printed
