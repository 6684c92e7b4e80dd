"""The entry writer writes through symlinks and refuses what it must not replace.

A symlinked file gets the entry in its real target and stays a symlink (chains too); the lock
is the real ledger's; the replaced file keeps its mode. A read-only file (no write bit: refused
even for root, whom os.access lets write anything), a read-only folder, a hard-linked file and
a dangling link are refused with exit status 2 and every file left byte-identical.
"""

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import fundledger
from fundledger.cli_entry import add
from fundledger.entry import writer

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"
HEADER = "; 2026 年的分录\n"


def donate(top: Path, *extra: str, donor: str = "链接测试"):
    return CliRunner().invoke(add, ["donation", str(top), "--amount", "10", "--donor", donor,
                                    "--date", "2026-01-05", *extra])


def snapshot(folder: Path) -> dict[str, tuple[bool, bytes | str]]:
    """Every entry of the tree: symlinks by their target, files by their bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            out[name] = (True, os.readlink(path))
        elif path.is_file() and path.name != writer.LOCK_NAME:
            out[name] = (False, path.read_bytes())
    return out


@pytest.fixture
def ledger(tmp_path):
    """main.beancount including 2026.beancount, whose real file is store/real-2026.beancount."""
    top = tmp_path / "main.beancount"
    top.write_text(EXAMPLE.read_text(encoding="utf-8").rstrip("\n")
                   + '\n\ninclude "2026.beancount"\n', encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    real = store / "real-2026.beancount"
    real.write_text(HEADER, encoding="utf-8")
    return top, real


def test_a_symlinked_included_file_gets_the_entry_in_its_target_and_stays_a_link(ledger):
    top, real = ledger
    link = top.parent / "2026.beancount"
    link.symlink_to(os.path.relpath(real, link.parent))
    os.chmod(real, 0o640)
    result = donate(top)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "store/real-2026.beancount"
    text = real.read_text(encoding="utf-8")
    assert text.startswith(HEADER) and text.count('* "链接测试"') == 1
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the replaced file keeps its mode
    assert not list(real.parent.glob(".*" + writer.TMP_SUFFIX))
    assert not list(top.parent.glob(".*" + writer.TMP_SUFFIX))
    assert fundledger.load(top).errors == []


def test_a_symlink_chain_is_followed_to_the_end(ledger):
    top, real = ledger
    middle = top.parent / "store" / "current.beancount"
    middle.symlink_to(real.name)  # store/current.beancount -> real-2026.beancount
    link = top.parent / "2026.beancount"
    link.symlink_to("store/current.beancount")
    assert donate(top).exit_code == 0
    assert donate(top, donor="李金明").exit_code == 0
    assert link.is_symlink() and middle.is_symlink()
    text = real.read_text(encoding="utf-8")
    assert text.count('* "链接测试"') == 1 and text.count('* "李金明"') == 1
    assert fundledger.load(top).errors == []


def test_a_symlinked_top_level_file_is_written_through_and_locked_at_its_target(tmp_path):
    real_dir = tmp_path / "books"
    real_dir.mkdir()
    real_top = real_dir / "main.beancount"
    real_top.write_bytes(EXAMPLE.read_bytes())
    desk = tmp_path / "desk"
    desk.mkdir()
    top = desk / "fund.beancount"
    top.symlink_to(real_top)
    assert writer.lock_path(top) == writer.lock_path(real_top) == real_dir / writer.LOCK_NAME
    result = donate(top, "--file", str(top))
    assert result.exit_code == 0, result.output
    assert top.is_symlink()
    assert real_top.read_text(encoding="utf-8").count('* "链接测试"') == 1


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_file_is_refused_byte_identical(ledger, mode):
    top, real = ledger
    target = top.parent / "2026.beancount"
    target.write_text(HEADER, encoding="utf-8")
    os.chmod(target, mode)
    before = snapshot(top.parent)
    result = donate(top)
    assert result.exit_code == 2, result.output
    assert "只读" in result.output and str(target) in result.output
    assert "Traceback" not in result.output
    assert snapshot(top.parent) == before
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_read_only_file_behind_a_symlink_is_refused(ledger):
    top, real = ledger
    (top.parent / "2026.beancount").symlink_to(real)
    os.chmod(real, 0o444)
    before = snapshot(top.parent)
    result = donate(top)
    assert result.exit_code == 2 and "只读" in result.output and str(real) in result.output
    assert snapshot(top.parent) == before


def test_a_read_only_top_level_file_that_needs_an_include_is_refused(tmp_path):
    top = tmp_path / "main.beancount"
    top.write_bytes(EXAMPLE.read_bytes())
    os.chmod(top, 0o444)
    before = snapshot(tmp_path)
    result = donate(top)  # would create 2026.beancount and include it
    assert result.exit_code == 2 and "只读" in result.output
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "2026.beancount").exists()


def test_a_file_in_a_read_only_folder_is_refused(ledger):
    top, real = ledger
    (top.parent / "2026.beancount").symlink_to(real)
    os.chmod(real.parent, 0o555)
    try:
        before = snapshot(top.parent)
        result = donate(top)
        assert result.exit_code == 2, result.output
        assert "文件夹" in result.output and str(real.parent) in result.output
        assert snapshot(top.parent) == before
        assert sorted(p.name for p in real.parent.iterdir()) == [real.name]
    finally:
        os.chmod(real.parent, 0o755)


def test_a_new_file_in_a_read_only_folder_is_refused(tmp_path):
    top = tmp_path / "main.beancount"
    top.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "2026").mkdir(mode=0o555)
    try:
        before = snapshot(tmp_path)
        result = donate(top, "--file", str(tmp_path / "2026" / "funding.beancount"))
        assert result.exit_code == 2 and "只读" in result.output
        assert snapshot(tmp_path) == before
    finally:
        os.chmod(tmp_path / "2026", 0o755)


def test_a_hard_linked_file_is_refused_and_both_names_keep_their_text(ledger):
    top, real = ledger
    target = top.parent / "2026.beancount"
    os.link(real, target)
    before = snapshot(top.parent)
    result = donate(top)
    assert result.exit_code == 2, result.output
    assert "硬链接" in result.output and "hard links" in result.output
    assert snapshot(top.parent) == before
    assert os.stat(target).st_ino == os.stat(real).st_ino and os.stat(real).st_nlink == 2


def test_a_dangling_symlink_is_refused(ledger):
    top, real = ledger
    (top.parent / "2026.beancount").symlink_to(top.parent / "unmounted" / "2026.beancount")
    result = donate(top, "--file", str(top.parent / "2026.beancount"))
    assert result.exit_code == 2 and "符号链接" in result.output
    assert not (top.parent / "unmounted").exists()


def test_dry_run_reports_a_read_only_file_too(ledger):
    top, real = ledger
    (top.parent / "2026.beancount").write_text(HEADER, encoding="utf-8")
    os.chmod(top.parent / "2026.beancount", 0o444)
    result = donate(top, "--dry-run")
    assert result.exit_code == 2 and "只读" in result.output


def test_write_problem_reads_the_mode_bits_not_only_os_access(tmp_path):
    path = tmp_path / "a.beancount"
    path.write_text("", encoding="utf-8")
    assert writer.write_problem(path) is None
    os.chmod(path, 0o444)
    assert writer.write_problem(path) is not None  # even for root, who may write it
    os.chmod(path, 0o200)
    assert writer.write_problem(path) is None  # write-only is odd, but writable
