"""Concurrent clerks: every entry lands exactly once; a killed writer leaves the ledger intact
and the lock reusable; a file changed by another writer (Fava) is never overwritten."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import fundledger
from fundledger.cli_entry import add
from fundledger.entry import writer

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"
ADD = "from fundledger.cli_entry import add; add()"


@pytest.fixture
def top(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.beancount"))}


def donate(top: Path, donor: str, *extra: str) -> list[str]:
    return [sys.executable, "-c", ADD, "donation", str(top), "--amount", "10", "--donor", donor,
            "--date", "2026-01-05", *extra]


def test_sixteen_concurrent_adds_all_land_exactly_once(top):
    started = time.monotonic()
    procs = [subprocess.Popen(donate(top, f"捐款人{n:02d}"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for n in range(16)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    elapsed = time.monotonic() - started
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [rc for rc, _ in results] == [0] * 16, [err for rc, err in results if rc]
    text = (top.parent / "2026.beancount").read_text(encoding="utf-8")
    for n in range(16):
        assert text.count(f'* "捐款人{n:02d}"') == 1
    assert top.read_text(encoding="utf-8").count('include "2026.beancount"') == 1
    fund = fundledger.load(top)
    assert fund.errors == []
    assert sum(1 for i in fund.donations if i.donor and i.donor.startswith("捐款人")) == 16
    assert not list(top.parent.glob(".*" + writer.TMP_SUFFIX))
    print(f"16 concurrent adds: {elapsed:.2f}s")


# ``fundledger add``, stopped at STAGE to be killed there (it leaves MARKER first): "locked",
# holding the lock, before it loads the ledger; "before-replace", the temporary file written
# and fsynced, not yet renamed over the ledger's file.
STALL = """
import sys, time
from pathlib import Path
from fundledger.entry import writer
stage, marker = sys.argv.pop(1), sys.argv.pop(1)
seam = {"locked": "load", "before-replace": "write_temporary"}[stage]
real = getattr(writer, seam)

def stall(*args, **kw):
    result = real(*args, **kw) if stage == "before-replace" else None
    Path(marker).write_text("here", encoding="utf-8")
    time.sleep(3600)

setattr(writer, seam, stall)
from fundledger.cli_entry import add
add()
"""


def _killed_at(top: Path, stage: str, tmp_path: Path) -> None:
    marker = tmp_path / f"{stage}.marker"
    command = donate(top, "被中断", "--file", str(top))
    command[1:3] = ["-c", STALL, stage, str(marker)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert proc.poll() is None, "the writer ended before reaching the stage"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("stage", ["locked", "before-replace"])
def test_a_writer_killed_mid_write_leaves_the_ledger_intact_and_the_lock_reusable(
        top, tmp_path, stage, monkeypatch):
    before = files_of(top.parent)
    _killed_at(top, stage, tmp_path)
    assert files_of(top.parent) == before
    if stage == "before-replace":  # the temporary file was written and fsynced, never renamed
        assert list(top.parent.glob(".main.beancount.*" + writer.TMP_SUFFIX))
    monkeypatch.setenv("FUNDLEDGER_LOCK_TIMEOUT", "5")
    started = time.monotonic()
    result = CliRunner().invoke(add, ["donation", str(top), "--amount", "10", "--donor", "下一位",
                                      "--date", "2026-01-05", "--file", str(top)])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5
    text = top.read_text(encoding="utf-8")
    assert "下一位" in text and "被中断" not in text
    assert not list(top.parent.glob(".*" + writer.TMP_SUFFIX))  # the stale one is cleaned up
    assert fundledger.load(top).errors == []


FAVA_ENTRY = '\n2026-01-04 * "Fava 录入"\n  Assets:Bank:Fund  1.00 CNY\n  Income:Donations:Members\n'


def _after_temporary(monkeypatch, edit):
    """Run ``edit(path)`` each time the writer has its temporary file ready to rename."""
    real = writer.write_temporary

    def write_temporary(path, *args, **kw):
        tmp = real(path, *args, **kw)
        edit(path)
        return tmp

    monkeypatch.setattr(writer, "write_temporary", write_temporary)


def test_a_file_changed_by_another_writer_is_detected_and_the_round_redone(top, monkeypatch):
    calls = []

    def fava(path):
        if not calls:
            calls.append(path)
            with path.open("a", encoding="utf-8") as out:  # as Fava's editor does, no lock
                out.write(FAVA_ENTRY)

    _after_temporary(monkeypatch, fava)
    outcome = writer.write_entries(top, _donation("我们"), explicit=top)
    assert outcome.written and outcome.attempts == 2
    text = top.read_text(encoding="utf-8")
    assert text.count("Fava 录入") == 1 and text.count('* "我们"') == 1
    assert text.index("Fava 录入") < text.index('* "我们"')
    assert fundledger.load(top).errors == []


def test_a_file_that_keeps_changing_is_refused_never_overwritten(top, monkeypatch):
    edits = []

    def fava(path):
        edits.append(1)
        with path.open("a", encoding="utf-8") as out:
            out.write(FAVA_ENTRY.replace("1.00", f"{len(edits)}.00"))

    _after_temporary(monkeypatch, fava)
    result = CliRunner().invoke(add, ["donation", str(top), "--amount", "10", "--donor", "我们",
                                      "--date", "2026-01-05", "--file", str(top)])
    assert result.exit_code == 2 and "未覆盖" in result.output
    text = top.read_text(encoding="utf-8")
    assert len(edits) == writer.ATTEMPTS
    assert all(f"{n}.00 CNY" in text for n in range(1, writer.ATTEMPTS + 1))
    assert '"我们"' not in text


def test_another_file_of_the_ledger_changed_during_the_check_is_detected(top, monkeypatch):
    other = top.parent / "other.beancount"
    other.write_text("", encoding="utf-8")
    with top.open("a", encoding="utf-8") as out:
        out.write('\ninclude "other.beancount"\n')
    rounds = []

    def slow(real):
        def check(*args, **kw):
            result = real(*args, **kw)
            if not rounds:
                rounds.append(1)
                other.write_text(FAVA_ENTRY, encoding="utf-8")
            return result
        return check

    # whichever check the writer runs (in memory, or the written ledger loaded in a copy)
    monkeypatch.setattr(writer, "load_mirrored", slow(writer.load_mirrored))
    monkeypatch.setattr(writer, "check_plan", slow(writer.check_plan))
    outcome = writer.write_entries(top, _donation("我们"), explicit=top)
    assert outcome.written and outcome.attempts == 2
    assert fundledger.load(top).errors == []


def _donation(donor):
    from fundledger.entry import kinds

    def build(fund):
        return kinds.donation(fund, date="2026-01-05", amount_="10", donor=donor)

    return build
