"""Ledgers written from the SPEC alone, by a reader who never saw fundledger's code: every
rule FL101–FL501 broken plainly, at its boundary, and kept (a clean twin), and malformed
fund directives. ``; EXPECT FLxxx`` above a directive says the error it must draw, at its
line; a file draws exactly its expected fund errors, and nothing else but the beancount
errors named below. Where the reader's guess differed from a reading fundledger documents
(docs/RULES.md), the comment above the directive says so instead of EXPECT."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from beancount import loader

HERE = Path(__file__).parent / "conformance"
EXPECT = re.compile(r"^\s*;\s*EXPECT\s+(FL\d{3})")
CODE = re.compile(r"^(FL\d{3})\b")

# beancount's own errors, not the fund rules' (file -> (line, start of the message))
BEANCOUNT = {
    "fl104_dup_loan_open.beancount": (54, "Duplicate open directive"),
    "m_bad_ids_and_types.beancount": (52, "Invalid token"),
    "m_other_currency.beancount": (38, "Invalid currency HKD"),
}


def expected(path: Path) -> list[tuple[int, str]]:
    wanted, pending = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        found = EXPECT.match(line)
        if found:
            pending.append(found.group(1))
        elif pending and line.strip() and not line.lstrip().startswith(";"):
            wanted += [(n, code) for code in pending]
            pending = []
    return sorted(wanted)


LEDGERS = sorted(HERE.glob("*.beancount"))


def test_the_corpus_covers_every_rule():
    codes = {code for path in LEDGERS for _, code in expected(path)}
    assert {f"FL{n}" for n in (101, 102, 103, 104, 105, 106, 201, 202, 203, 204, 205, 206,
                               301, 302, 303, 304, 305, 306, 307, 308,
                               401, 402, 403, 404, 405, 501)} <= codes
    assert sum(1 for p in LEDGERS if not expected(p)) >= 26  # clean ledgers and boundaries


@pytest.mark.parametrize("path", LEDGERS, ids=[p.stem for p in LEDGERS])
def test_each_ledger_draws_exactly_its_errors(path, monkeypatch):
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    _, errors, _ = loader._load([(str(path), True)], None, None, None)  # as bean-check loads
    fund = sorted((e.source["lineno"], CODE.match(e.message).group(1))
                  for e in errors if CODE.match(e.message))
    other = [(e.source.get("lineno"), e.message) for e in errors if not CODE.match(e.message)]
    assert fund == expected(path), "\n".join(e.message for e in errors)
    if path.name in BEANCOUNT:
        line, start = BEANCOUNT[path.name]
        assert [(n, m[:len(start)]) for n, m in other] == [(line, start)]
    else:
        assert other == []
