"""Ledgers for the v1.1 changes of the SPEC, written from the contract alone by a reader who
never saw fundledger's code: opening balances and opening loans (§1, §4), review validity and
exits, same-day order across files (§2), bare-number policy amounts and tiers without a
subsidy (§3), FL102 without an open, FL106's wider reach, follow-ups and vouchers (FL107).

``; EXPECT FLxxx`` above a directive says the error it must draw, at its line, in whichever
file of the ledger it is written (included files are read too). A ledger draws exactly its
expected fund errors, and nothing else but the beancount errors named in BEANCOUNT. Each file's
header says what it tests, the SPEC sentence it relies on, and ``; READING:`` where the SPEC
leaves room. Included files live in ``conformance_v11/inc/`` and are not ledgers of their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from beancount import loader

HERE = Path(__file__).parent / "conformance_v11"
INCLUDED = HERE / "inc"
EXPECT = re.compile(r"^\s*;\s*EXPECT\s+(FL\d{3})")
CODE = re.compile(r"^(FL\d{3})\b")
PLUGIN = re.compile(r"^\s*plugin\s")

# beancount's own errors, not the fund rules' (file -> [(line, start of the message), ...])
BEANCOUNT = {
    "a_fl102_no_open_plain.beancount": [(25, "Invalid reference to unknown account")],
    "a_fl102_no_open_boundary.beancount": [
        (29, "Invalid reference to unknown account"),
        (33, "Invalid reference to unknown account"),
        (36, "Invalid reference to unknown account"),
    ],
}

NOT_YET_REASON = "SPEC v1.1 §4 Vouchers / follow-up: a later issue"
NOT_YET = {
}

def expected_in(path: Path) -> list[tuple[int, str]]:
    wanted, pending = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        found = EXPECT.match(line)
        if found:
            pending.append(found.group(1))
        elif pending and line.strip() and not line.lstrip().startswith(";"):
            wanted += [(n, code) for code in pending]
            pending = []
    return sorted(wanted)


def ledger_files(options_map) -> list[Path]:
    """The corpus files a load read: the top file and what it includes."""
    return sorted(Path(name) for name in options_map["include"]
                  if name.endswith(".beancount") and Path(name).is_relative_to(HERE))


def where(filename: str | None) -> str:
    path = Path(filename or "")
    return str(path.relative_to(HERE)) if path.is_relative_to(HERE) else str(filename)


LEDGERS = sorted(HERE.glob("*.beancount"))  # top-level only: inc/ holds included parts


def marks(path: Path):
    if path.stem in NOT_YET:
        return [pytest.mark.xfail(reason=NOT_YET_REASON, strict=False)]
    return []


def test_the_corpus_covers_the_v11_rules():
    codes = {code for path in [*LEDGERS, *INCLUDED.glob("*.beancount")]
             for _, code in expected_in(path)}
    assert {"FL102", "FL103", "FL106", "FL107", "FL302", "FL305", "FL307", "FL308",
            "FL401", "FL402", "FL404"} <= codes
    assert sum(1 for p in LEDGERS if not expected_in(p)) >= 20  # clean ledgers and boundaries


def test_included_parts_hold_no_plugin_line():
    # beancount ignores `plugin` in included files (PITFALLS): the top file must hold it.
    for part in INCLUDED.glob("*.beancount"):
        assert not any(PLUGIN.match(line) for line in part.read_text("utf-8").splitlines())
    for path in LEDGERS:
        assert any(PLUGIN.match(line) for line in path.read_text("utf-8").splitlines())


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.stem, marks=marks(p)) for p in LEDGERS])
def test_each_ledger_draws_exactly_its_errors(path, monkeypatch):
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    _, errors, options_map = loader._load([(str(path), True)], None, None, None)  # as bean-check
    wanted = sorted((where(str(f)), n, code)
                    for f in ledger_files(options_map) for n, code in expected_in(f))
    fund = sorted((where(e.source.get("filename")), e.source["lineno"],
                   CODE.match(e.message).group(1))
                  for e in errors if CODE.match(e.message))
    other = sorted((e.source.get("lineno"), e.message) for e in errors
                   if not CODE.match(e.message))
    assert fund == wanted, "\n".join(
        f"{where(e.source.get('filename'))}:{e.source.get('lineno')}: {e.message}"
        for e in errors)
    starts = BEANCOUNT.get(path.name, [])
    assert [(n, m[:len(s)]) for (n, m), (_, s) in zip(other, starts, strict=False)] == starts
    assert len(other) == len(starts), other
