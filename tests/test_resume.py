"""``resume.extended`` against ``build_state`` of all the entries: whenever it gives a state,
that state is the full pass's, field by field (fundledger/resume.py). The ledgers are the
conformance ledgers of every rule (each breaks or keeps one), the demo ledgers and a generated
county; the split point and the number of new entries are drawn by hypothesis, so the new
entries refer to old members, applications and loans, register new ones, repay, reschedule,
approve — and sometimes cannot be resumed (then None, and the full pass is used)."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.records import FundState
from fundledger.resume import extended
from fundledger.rules import check
from fundledger.state import build_state

TESTS = Path(__file__).parent
ROOT = TESTS.parent
LEDGERS = sorted([*TESTS.glob("conformance*/*.beancount"), TESTS / "ledgers/spec_example.beancount",
                  *ROOT.glob("ledgers/*/main.beancount")])


@cache
def entries_of(path: Path) -> list:
    entries, _, _ = loader.load_file(str(path))
    return entries


def same_state(a: FundState, b: FundState) -> list[str]:
    """The fields where ``a`` and ``b`` differ (the policy timeline compared by its content)."""
    out = []
    for f in dataclasses.fields(FundState):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "policies":
            x, y = (x._dates, x.all()), (y._dates, y.all())
        if x != y:
            out.append(f.name)
    return out


def test_the_ledgers_are_there():
    assert len(LEDGERS) > 50


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LEDGERS), st.floats(0.0, 1.0), st.integers(1, 6))
def test_extended_is_the_full_pass(path, at, count):
    entries = entries_of(path)
    if len(entries) < 2:
        return
    cut = max(1, min(len(entries) - 1, int(at * len(entries))))
    old, new = entries[:cut], entries[cut:cut + count]
    before = build_state(old, "CNY")
    snapshot = build_state(old, "CNY")
    state = extended(before, old[-1], new)
    assert same_state(before, snapshot) == []  # the old state is left as it was
    if state is None:
        return
    full = build_state(old + new, "CNY")
    assert same_state(state, full) == []
    assert [e.message for e in check(state)] == [e.message for e in check(full)]


@pytest.mark.parametrize("path", [p for p in LEDGERS if "ledgers/" in str(p)], ids=str)
def test_every_split_of_a_demo_ledger(path):
    """Every split of the demo ledgers, one new entry at a time: most resume (so the fast
    path is the one exercised), each equal to the full pass."""
    entries = entries_of(path)
    resumed = 0
    step = max(1, len(entries) // 400)
    for cut in range(1, len(entries) - 1, step):
        old, new = entries[:cut], entries[cut:cut + 1]
        state = extended(build_state(old, "CNY"), old[-1], new)
        if state is not None:
            resumed += 1
            assert same_state(state, build_state(old + new, "CNY")) == [], (path, cut, new[0])
    assert resumed > 0.5 * len(range(1, len(entries) - 1, step))


def test_refused_where_the_order_could_differ():
    entries = entries_of(TESTS / "ledgers/spec_example.beancount")
    state = build_state(entries[:-1], "CNY")
    assert extended(state, entries[-1], [entries[-2]]) is None  # sorts before the last
    assert extended(state, entries[-2], []) is None
