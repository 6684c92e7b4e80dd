"""beancount's pickle cache never shows a verdict or a figure an uncached load would not.

Every test forces the cache on for every load (threshold 0, whatever ``.ci/run`` sets), loads
once through it, checks that the next load is a real cache hit, then changes the disk the way
a clerk or an upgrade would, and compares each reader of the stale cache file with an uncached
load: ``loader.load_file``, ``fundledger.load`` and a ``bean-check`` process.
"""

import datetime
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from beancount import loader

import fundledger
import fundledger.plugin
from fundledger.cachekey import CacheKey
from fundledger.state import build_state

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"
HEADER = 'option "title" "缓存测试"\noption "operating_currency" "CNY"\nplugin "fundledger.plugin"\n'
BODY = "".join(line for line in EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
               if not line.startswith(("option", "plugin"))).rstrip("\n") + "\n"
DONATION = '2026-07-01 * "李四" "捐款"\n  Assets:Bank:Fund  1000.00 CNY\n  Income:Donations:Members\n'
LOWER_LOAN_MAX = '2025-01-01 custom "fund-policy" "loan-max" 3000 CNY\n'
DAY = datetime.date(2026, 12, 31)
ENV = {k: v for k, v in os.environ.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}


@pytest.fixture
def cached(monkeypatch):
    """Every ``loader.load_file`` goes through the cache and writes it; restored afterwards."""
    monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
    monkeypatch.setattr(loader, "_load_file", loader._load_file)  # restored at teardown
    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", 0)
    loader.initialize(use_cache=True)


@pytest.fixture
def runs(monkeypatch):
    """How many times the plugin ran (a cache hit runs none)."""
    count = []
    real = fundledger.plugin.check
    monkeypatch.setattr(fundledger.plugin, "check", lambda state: count.append(1) or real(state))
    return count


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _settle() -> None:
    # a file written in the last moments before a load makes its key unique (it may have
    # changed while the load read it): let the clock move past that slack
    time.sleep(0.08)


def _cache_of(top: Path) -> Path:
    return top.parent / f".{top.name}.picklecache"


def _verdict(errors) -> list[tuple[str, int, str]]:
    return sorted((str(e.source.get("filename")), int(e.source.get("lineno") or 0), e.message)
                  for e in errors)


def _uncached(top: Path):
    entries, errors, options = loader._load([(str(top), True)], None, None, None)
    return entries, _verdict(errors), build_state(entries, "CNY").position(DAY).cash


def _prime(top: Path, runs: list) -> bytes:
    """Load through the cache, prove the next load hits it; the cache file's bytes."""
    _settle()
    loader.load_file(str(top))
    assert _cache_of(top).exists()
    before = len(runs)
    loader.load_file(str(top))
    assert len(runs) == before, "the second load must be a cache hit"
    return _cache_of(top).read_bytes()


def _assert_readers_agree(top: Path, stale: bytes) -> None:
    entries, verdict, cash = _uncached(top)

    _cache_of(top).write_bytes(stale)
    got_entries, got_errors, _ = loader.load_file(str(top))
    assert _verdict(got_errors) == verdict
    assert len(got_entries) == len(entries)

    _cache_of(top).write_bytes(stale)
    fund = fundledger.load(top)
    assert _verdict(fund.errors) == verdict
    assert fund.position(DAY).cash == cash
    assert all(not isinstance(p, CacheKey) for p in fund.source_files)


LAYOUTS = [
    # (include line, the file the body lives in, the file that appears later)
    ('include "20*.beancount"', "2025.beancount", "2026.beancount"),
    ('include "*/x.beancount"', "a/x.beancount", "b/x.beancount"),
    ('include "sub/*.beancount"', "sub/2025.beancount", "sub/2026.beancount"),
    ('include "y/**/*.beancount"', "y/2025.beancount", "y/deep/er/2026.beancount"),
    ('include "2025.beancount"\ninclude "later.beancount"', "2025.beancount", "later.beancount"),
    ('include "20??/*.beancount"', "2025/body.beancount", "2026/new.beancount"),
]


@pytest.mark.parametrize(("include", "body", "new"), LAYOUTS)
def test_a_new_file_an_include_matches_is_seen(tmp_path, cached, runs, include, body, new):
    top = tmp_path / "main.beancount"
    _write(top, HEADER + include + "\n")
    _write(tmp_path / body, BODY)
    stale = _prime(top, runs)

    _write(tmp_path / new, DONATION)
    _assert_readers_agree(top, stale)
    assert fundledger.load(top).position(DAY).cash == _uncached(top)[2]
    # and once the cache is rewritten it is used again
    hit = _prime(top, runs)
    assert hit


def test_a_file_leaving_a_glob_is_seen(tmp_path, cached, runs):
    top = tmp_path / "main.beancount"
    _write(top, HEADER + 'include "20*.beancount"\n')
    _write(tmp_path / "2025.beancount", BODY)
    _write(tmp_path / "2026.beancount", DONATION)
    stale = _prime(top, runs)
    (tmp_path / "2026.beancount").rename(tmp_path / "2026.beancount.bak")
    _assert_readers_agree(top, stale)


def test_bean_check_and_the_commands_see_a_new_policy_file(tmp_path, cached, runs):
    # the case: a new policy file lowering loan-max under include "20*.beancount"
    top = tmp_path / "main.beancount"
    _write(top, HEADER + 'include "20*.beancount"\n')
    _write(tmp_path / "2025.beancount", BODY)
    stale = _prime(top, runs)
    _write(tmp_path / "2025-policy.beancount", LOWER_LOAN_MAX)
    _, verdict, _ = _uncached(top)
    assert [m[:5] for _, _, m in verdict] == ["FL301"]
    _assert_readers_agree(top, stale)

    _cache_of(top).write_bytes(stale)
    checked = subprocess.run([shutil.which("bean-check") or "bean-check", str(top)],
                             capture_output=True, text=True, env=ENV, timeout=120)
    assert checked.returncode == 1 and "FL301" in checked.stdout + checked.stderr

    _cache_of(top).write_bytes(stale)
    cli = subprocess.run([sys.executable, "-m", "fundledger.cli", "check", str(top)],
                         capture_output=True, text=True, env=ENV, timeout=120)
    assert cli.returncode == 1 and "FL301" in cli.stderr


def test_a_same_size_rewrite_keeping_the_mtime_is_seen(tmp_path, cached, runs):
    # cp -p / touch -r: beancount's own key (mtime, size) is unchanged; the inode or ctime not
    top = tmp_path / "main.beancount"
    _write(top, HEADER + 'include "2025.beancount"\n')
    body = tmp_path / "2025.beancount"
    _write(body, BODY)
    stale = _prime(top, runs)
    st = body.stat()
    changed = BODY.replace("500.00 CNY", "900.00 CNY")
    assert len(changed.encode()) == len(BODY.encode())
    body.write_text(changed, encoding="utf-8")
    os.utime(body, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (body.stat().st_mtime_ns, body.stat().st_size) == (st.st_mtime_ns, st.st_size)
    _assert_readers_agree(top, stale)


def test_a_change_of_fundledgers_code_is_seen(tmp_path, cached, runs, monkeypatch):
    code = tmp_path / "site-packages" / "fundledger"
    _write(code / "rules" / "loans.py", "LIMIT = 1\n")
    monkeypatch.setattr(fundledger.plugin, "code_root", lambda: str(code))
    top = tmp_path / "ledger" / "main.beancount"
    _write(top, HEADER + BODY)

    # an in-place edit keeping the size and even the mtime (ctime still moves)
    _prime(top, runs)
    module = code / "rules" / "loans.py"
    st = module.stat()
    module.write_text("LIMIT = 2\n")
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
    before = len(runs)
    loader.load_file(str(top))
    assert len(runs) == before + 1

    # a new module, in a new subpackage
    _prime(top, runs)
    _write(code / "rules" / "extra" / "__init__.py", "")
    before = len(runs)
    loader.load_file(str(top))
    assert len(runs) == before + 1

    # a reinstall (new files, new inodes, same text)
    _prime(top, runs)
    shutil.rmtree(code)
    _write(code / "rules" / "loans.py", "LIMIT = 2\n")
    _write(code / "rules" / "extra" / "__init__.py", "")
    before = len(runs)
    loader.load_file(str(top))
    assert len(runs) == before + 1

    # Python's own compiled files do not count: they are rewritten after every edit
    _prime(top, runs)
    _write(code / "rules" / "__pycache__" / "loans.cpython-311.pyc", "x")
    before = len(runs)
    loader.load_file(str(top))
    assert len(runs) == before


def test_the_key_follows_the_real_package(tmp_path):
    # the plugin keys on the package it is part of, with every module of every subpackage
    root = Path(fundledger.plugin.code_root())
    assert root == Path(fundledger.__file__).resolve().parent
    copy = tmp_path / "fundledger"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
    key = CacheKey((str(copy), (), ()))
    assert CacheKey((str(copy), (), ())) == key
    target = copy / "rules" / "loans.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert CacheKey((str(copy), (), ())) != key


def test_a_file_written_during_the_load_is_never_a_cache_hit(tmp_path, cached, runs):
    top = tmp_path / "main.beancount"
    _write(top, HEADER + BODY)
    loader.load_file(str(top))  # no settling: the file is as new as the load
    before = len(runs)
    loader.load_file(str(top))
    assert len(runs) == before + 1


def test_fava_and_uncached_loads_list_only_the_ledgers_files(tmp_path, cached):
    top = tmp_path / "main.beancount"
    _write(top, HEADER + 'include "20*.beancount"\n')
    _write(tmp_path / "2025.beancount", BODY)
    _, _, options = loader._load([(str(top), True)], None, None, None)  # as Fava loads
    assert options["include"] == sorted([str(top), str(tmp_path / "2025.beancount")])
    _, _, options = loader.load_file(str(top))
    assert sum(isinstance(p, CacheKey) for p in options["include"]) == 1
    assert fundledger.load(top).source_files == sorted([top, tmp_path / "2025.beancount"])


def _fundledger_check(top: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fundledger.cli", "check", str(top)],
                          capture_output=True, text=True, env=ENV, timeout=60)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_include_of_a_fifo_is_refused_not_hung(tmp_path):
    top = tmp_path / "main.beancount"
    _write(top, HEADER + 'include "2025.beancount"\n')
    _write(tmp_path / "2025.beancount", BODY + 'include "pipe"\n')
    os.mkfifo(tmp_path / "pipe")
    done = _fundledger_check(top)
    assert done.returncode == 2
    line = BODY.count("\n") + 1
    assert f"{tmp_path / '2025.beancount'}:{line}:" in done.stderr
    assert str(tmp_path / "pipe") in done.stderr


@pytest.mark.parametrize("target", ["/dev/zero", "folder", "2*"])
def test_an_include_of_a_device_or_folder_is_refused(tmp_path, target):
    if target.startswith("/") and not os.path.exists(target):
        pytest.skip(f"no {target} here")
    (tmp_path / "folder").mkdir()
    (tmp_path / "2x").mkdir()
    top = tmp_path / "main.beancount"
    _write(top, HEADER + f'\ninclude "{target}"\n')
    done = _fundledger_check(top)
    assert done.returncode == 2
    assert f"{top}:5:" in done.stderr


def test_a_top_level_ledger_that_is_not_a_file_is_said_so(tmp_path):
    """A FIFO given as the ledger is not "not found": the message says what it is, at once."""
    fifo = tmp_path / "fund.beancount"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "fundledger.cli", "check", str(fifo)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "不是普通文件" in done.stderr, done.stderr
