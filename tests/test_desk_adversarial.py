"""Adversarial tests of the desk's held ledger (entry/held.py, entry/memory.py, resume.py,
entry/writer.py with ``held=``, fava/reload.py), against full oracles only.

The promises tried:

1. the verdict is a full load's: an entry is written iff ``bean-check -C`` of the written
   ledger shows no error the ledger did not already have (a refusal is checked by appending
   the refused text to a copy of the ledger and running ``bean-check`` on it);
2. after any sequence of desk writes, the held ledger (entries, errors, fund state) equals a
   fresh ``fundledger.load`` of the files;
3. no stale result: after a write by anyone, the next desk entry and the next Fava page see it.

Every desk write here goes through ``Desk.write``, which checks promises 1 and 2 around it.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_resume import same_state

import fundledger
from fundledger.entry import kinds, vouchers, writer
from fundledger.entry.format import Entry
from fundledger.entry.held import Held

LEDGERS = Path(__file__).parent / "ledgers"
SPEC = (LEDGERS / "spec_example.beancount").read_text(encoding="utf-8")
BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))
D = datetime.date.fromisoformat


# ------------------------------------------------------------------ the oracles

def bean_check(top: Path) -> tuple[int, Counter]:
    """``bean-check -C`` (no cache): its exit status and its errors, as (file relative to the
    ledger's folder, line, message)."""
    run = subprocess.run([BEAN_CHECK, "-C", "--json", str(top)], capture_output=True,
                         text=True, timeout=120, cwd=top.parent)
    errors = json.loads(run.stdout)["errors"] if run.stdout.strip() else []
    assert run.returncode in (0, 1), run.stderr
    assert (run.returncode == 1) == bool(errors), (run.returncode, errors)
    base = str(top.parent) + os.sep
    return run.returncode, Counter(
        (str(e.get("filename", "")).replace(base, ""), int(e.get("lineno") or 0), e["message"])
        for e in errors)


def fresh_load(top: Path) -> fundledger.Fund:
    """``fundledger.load`` with beancount's pickle cache removed first: read from the files."""
    for cache in top.parent.glob(".*.picklecache"):
        cache.unlink()
    return fundledger.load(top)


def new_lines(before: Counter, after: Counter) -> list:
    return sorted((after - before).elements())


def differences(kept: fundledger.Fund, fresh: fundledger.Fund) -> list[str]:
    """Where the held ledger differs from a fresh load: entries, errors, the fund state."""
    out = []
    if kept.entries != fresh.entries:
        out.append("entries")
        if len(kept.entries) == len(fresh.entries) and sorted(map(repr, kept.entries)) == \
                sorted(map(repr, fresh.entries)):
            out.append("entries (same entries, another order)")
    if [str(e.message) for e in kept.errors] != [str(e.message) for e in fresh.errors]:
        out.append("errors")
    out += [f"state.{name}" for name in same_state(kept.state, fresh.state)]
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix == ".beancount"}


# ------------------------------------------------------------------ writing

@dataclass
class Text(Entry):
    """An entry written exactly as given (a draft the add commands would not build)."""

    raw: str = ""

    def text(self, column: int = 50) -> str:
        return self.raw if self.raw.endswith("\n") else self.raw + "\n"


def text(raw: str, group: str = "funding") -> writer.Draft:
    return writer.Draft(Text(D(raw[:10]), "", raw=raw), group)


def donation(day: str, amount: str = "100", donor: str = "捐款人", **kw):
    """``add donation`` as the desk builds it (a builder: fund -> drafts)."""
    return lambda fund: kinds.donation(fund, date=D(day), amount_=amount, donor=donor, **kw)


class Desk:
    """``write_entries`` with one ``Held``, as the desk calls it, and the promises checked
    around every call."""

    def __init__(self, top: Path):
        self.top = top
        self.held = Held()
        self._checked: tuple[object, Counter] | None = None

    def bean_check(self) -> Counter:
        """``bean_check(self.top)``'s errors, run again only when a file of the folder changed."""
        folder = self.top.parent
        key = tuple((str(p), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()
                    and not p.name.startswith("."))
        if self._checked is None or self._checked[0] != key:
            self._checked = (key, bean_check(self.top)[1])
        return self._checked[1]

    def write(self, *drafts, explicit: Path | None = None, dry_run: bool = False,
              expect: bool | None = None, check_held: bool = True) -> writer.Outcome:
        """Write ``drafts`` (Drafts, or builders fund -> [Draft]); ``expect`` written or not."""
        top = self.top
        before = self.bean_check()
        files = snapshot(top.parent)
        current = self.held.current()
        kept = self.held.fund if current is not None else None
        kept_state = None
        if kept is not None:
            kept_state = fresh_load(top).state  # to show the refusal leaves it as it was

        def build(fund):
            out = []
            for draft in drafts:
                out.extend(draft(fund) if callable(draft) else [draft])
            return out

        outcome = writer.write_entries(top, build, explicit, dry_run, True, self.held)
        after = self.bean_check()
        if outcome.written:
            assert not outcome.new_errors
            assert new_lines(before, after) == [], "written, but bean-check has new errors"
        else:
            assert snapshot(top.parent) == files, "not written, but a file changed"
            oracle = self.refused_oracle(outcome, before)
            if outcome.new_errors:
                assert oracle, f"refused for {outcome.new_errors}, bean-check sees no new error"
            else:
                assert not oracle, f"bean-check of the written copy has new errors: {oracle}"
            if kept is not None:  # a refusal or a preview leaves the held ledger as it was
                assert self.held.fund is kept
                assert same_state(kept.state, kept_state) == []
        if expect is not None:
            assert outcome.written is expect, (outcome.new_errors, outcome.written)
        if check_held:
            self.assert_held_is_fresh()
        return outcome

    def refused_oracle(self, outcome: writer.Outcome, before: Counter) -> list:
        """The errors bean-check gives a copy of the ledger with the refused text appended."""
        if not outcome.texts:
            return []
        copy = self.top.parent.parent / (self.top.parent.name + "-oracle")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(self.top.parent, copy, symlinks=True)
        try:
            for path, appended in outcome.texts.items():
                target = copy / Path(path).relative_to(self.top.parent)
                old = target.read_bytes() if target.exists() else None
                if old is None:  # a new file: include it as the writer would
                    main = copy / self.top.name
                    rel = Path(os.path.relpath(path, self.top.parent)).as_posix()
                    main.write_bytes(writer.append_text(main.read_bytes(), f'include "{rel}"\n'))
                    target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(writer.append_text(old, appended))
            _, after = bean_check(copy / self.top.name)
            return new_lines(before, after)
        finally:
            shutil.rmtree(copy, ignore_errors=True)

    def assert_held_is_fresh(self) -> None:
        current = self.held.current()
        if current is None:
            return
        fresh = fresh_load(self.top)
        diff = differences(current[0], fresh)
        assert diff == [], f"the held ledger is not a fresh load's: {diff}"


def ledger_at(folder: Path, main_extra: str = 'include "2026.beancount"\n',
              files: dict[str, str] | None = None) -> Path:
    """The spec's example ledger plus ``main_extra`` and ``files``; older than what follows."""
    folder.mkdir(parents=True, exist_ok=True)
    top = folder / "main.beancount"
    top.write_text(SPEC + "\n" + main_extra, encoding="utf-8")
    for name, body in (files if files is not None else {"2026.beancount": "; 2026\n"}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    time.sleep(0.2)  # older than the load that follows (a file written while loaded is not held)
    return top


@pytest.fixture
def desk(tmp_path) -> Desk:
    return Desk(ledger_at(tmp_path / "ledger"))


def hand_append(path: Path, body: str) -> None:
    """What a clerk's text editor does: the file written in place."""
    with path.open("a", encoding="utf-8") as out:
        out.write("\n" + body)


# ------------------------------------------------------------------ 1. the entry's day

def test_entries_on_the_last_day_before_and_after_its_last_line(desk):
    """The example's last entry is 2026-06-05 at main.beancount's end; 2026.beancount's lines
    are lower, so an entry that day sorts before it (the slow path) — then padding lines put
    later entries that day after it (the fast path), then the next day."""
    top = desk.top
    desk.write(donation("2026-06-05", "10", "同日甲"), expect=True)  # sorts before the last
    hand = top.parent / "2026.beancount"
    hand.write_text(hand.read_text(encoding="utf-8") + "\n" * 80, encoding="utf-8")
    time.sleep(0.05)
    desk.write(donation("2026-06-05", "11", "同日乙"), expect=True)  # after it, same day
    desk.write(donation("2026-06-05", "12", "同日丙"), expect=True)
    desk.write(donation("2026-06-06", "13", "次日"), expect=True)
    desk.write(donation("2026-06-01", "14", "前几日"), expect=True)  # before the last day
    assert desk.held.current() is not None


def test_an_entry_before_old_ones_that_breaks_cash(desk):
    """Relief dated before the donations that pay for it: FL402/FL501 at the new entry, the
    slow path; then a good one after. Nothing held changes on the refusal."""
    desk.write(donation("2026-06-06", "100", "先记一笔"), expect=True)
    relief = lambda fund: kinds.relief(fund, date=D("2025-01-03"), member_id="M0007",  # noqa: E731
                                       account="Visits", amount_="50")
    desk.write(relief, expect=False)
    desk.write(donation("2026-06-07", "100", "再记一笔"), expect=True)


# ------------------------------------------------------------------ 2. registrations an old entry named

ORPHANS = """\
2026-03-01 custom "review" "M0900" "general"
2026-03-02 custom "follow-up" "M0900"
  contact: "支部书记"
2026-03-03 custom "branch-review" "A2026-009"
2026-03-04 custom "reschedule" "L2026-077" 2027-12-31
  minutes: "〔2026〕1号"
2026-03-05 * "孤儿还款"
  Assets:Bank:Fund            10.00 CNY
  Assets:Loans:L2026-088
2026-03-06 * "慰问未登记成员"
  Expenses:Relief:Visits      20.00 CNY
    member: "M0901"
  Assets:Bank:Fund
"""


@pytest.fixture
def orphans(tmp_path) -> Desk:
    accounts = ("2025-01-01 open Assets:Loans:L2026-077 CNY\n"
                "2025-01-01 open Assets:Loans:L2026-088 CNY\n")
    top = ledger_at(tmp_path / "ledger", accounts + 'include "2026.beancount"\n',
                    {"2026.beancount": ORPHANS})
    fresh = fresh_load(top)
    assert fresh.errors and all(type(e).__name__ == "FundError" for e in fresh.errors)
    return Desk(top)


def test_a_member_an_old_review_and_follow_up_named(orphans):
    desk = orphans
    desk.write(donation("2026-06-06"), expect=True)  # holds the ledger with its fund errors
    assert desk.held.current() is not None
    desk.write(text('2026-06-07 custom "member" "M0900"\n  name: "后登记"\n  branch: "西山村党支部"\n',
                    "members"))
    desk.write(text('2026-06-08 custom "member" "M0901"\n  name: "后登记二"\n  branch: "西山村党支部"\n',
                    "members"))
    desk.write(donation("2026-06-09"), expect=True)


def test_an_application_an_old_step_named(orphans):
    desk = orphans
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text('2026-06-07 custom "apply" "A2026-009" "M0007" "loan" 1000.00 CNY\n'
                    '  purpose: "养殖"\n', "loans"))
    desk.write(text('2026-06-08 custom "publicity" "A2026-009"\n', "loans"))
    desk.write(donation("2026-06-09"), expect=True)


def test_a_loan_an_old_reschedule_and_repayment_named(orphans):
    desk = orphans
    desk.write(donation("2026-06-06", "9000"), expect=True)
    for app, loan in (("A2026-077", "L2026-077"), ("A2026-088", "L2026-088")):
        desk.write(text(f'2026-06-07 custom "apply" "{app}" "M0007" "loan" 1000.00 CNY\n'
                        f'  purpose: "养殖"\n', "loans"))
        desk.write(text(f'2026-06-08 * "张秀兰" "借款"\n  application: "{app}"\n'
                        f'  due: 2027-06-08\n  guarantor: "支部"\n'
                        f'  Assets:Loans:{loan}   1000.00 CNY\n  Assets:Bank:Fund\n', "loans"))
    desk.write(donation("2026-06-09"), expect=True)


def test_a_loan_application_a_disbursement_named_before_it_existed(tmp_path):
    """A disbursement naming an application not filed yet (FL201), then the application."""
    body = ('2026-03-01 open Assets:Loans:L2026-005 CNY\n'
            '2026-03-01 * "张秀兰" "借款"\n  application: "A2026-005"\n  due: 2027-03-01\n'
            '  guarantor: "支部"\n  Assets:Loans:L2026-005   500.00 CNY\n  Assets:Bank:Fund\n')
    desk = Desk(ledger_at(tmp_path / "ledger", files={"2026.beancount": body}))
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text('2026-06-07 custom "apply" "A2026-005" "M0007" "loan" 500.00 CNY\n', "loans"))
    desk.write(text('2026-06-08 custom "apply" "A2026-006" "M0007" "relief" 500.00 CNY\n', "relief"))
    desk.write(donation("2026-06-09"), expect=True)


# ------------------------------------------------------------------ 3. loans repaid, accounts opened and closed

def repay(day: str, principal: str, interest: str | None = None, close: bool = False):
    return lambda fund: kinds.repay(fund, date=D(day), loan_id="L2025-003", principal=principal,
                                    interest=interest, close=close)


def test_repayments_that_repay_the_loan_then_close_it_then_one_too_many(desk):
    desk.write(repay("2026-06-06", "1500", "10"), expect=True)
    desk.write(repay("2026-06-07", "500", close=True), expect=True)  # fully repaid, closed
    assert desk.held.current() is not None
    loan = desk.held.fund.loans["L2025-003"]
    assert loan.status_on(D("2026-06-07")) == "repaid"
    desk.write(repay("2026-06-08", "1"), expect=False)  # the account is closed
    # before the close, but after the balance reached zero: below zero (FL307)
    desk.write(text('2026-06-07 * "张秀兰" "多还"\n  Assets:Bank:Fund   1.00 CNY\n'
                    '  Assets:Loans:L2025-003\n', "repayments"), expect=False)
    desk.write(donation("2026-06-09"), expect=True)


def test_a_repayment_dated_before_the_disbursement(desk):
    desk.write(text('2025-06-04 * "张秀兰" "提前还款"\n  Assets:Bank:Fund   100.00 CNY\n'
                    '  Assets:Loans:L2025-003\n', "repayments"), expect=False)
    desk.write(repay("2026-06-06", "100"), expect=True)


def test_opening_an_account_then_using_it_then_closing_it(desk):
    opened = lambda fund: kinds.open_account(fund, date=D("2026-06-06"),  # noqa: E731
                                             account="Expenses:Relief:Medical", name="医疗救助")
    desk.write(opened, expect=True)
    apply_ = text('2026-06-06 custom "apply" "A2026-001" "M0007" "relief" 200.00 CNY\n', "relief")
    desk.write(apply_)
    for n, step in enumerate(("branch-review", "publicity"), 7):
        desk.write(text(f'2026-06-{n:02d} custom "{step}" "A2026-001"\n', "relief"))
    desk.write(text('2026-06-20 custom "approve" "A2026-001" 200.00 CNY\n  body: "乡党委"\n'
                    '  minutes: "〔2026〕2号"\n', "relief"))
    desk.write(text('2026-06-21 custom "review" "M0007" "general"\n', "members"), expect=True)
    desk.write(text('2026-06-22 * "医疗救助"\n  Expenses:Relief:Medical   200.00 CNY\n'
                    '    member: "M0007"\n    application: "A2026-001"\n  Assets:Bank:Fund\n',
                    "relief"), expect=True)
    desk.write(text("2026-06-23 close Expenses:Relief:Medical\n", "relief"), expect=True)
    desk.write(text('2026-06-24 * "医疗救助"\n  Expenses:Relief:Medical   1.00 CNY\n'
                    '    member: "M0007"\n    application: "A2026-001"\n  Assets:Bank:Fund\n',
                    "relief"), expect=False)  # after the close
    desk.write(text("2026-06-25 open Expenses:Relief:Medical CNY\n", "relief"),
               expect=False)  # opened twice


def test_a_close_dated_before_old_postings_of_the_account(desk):
    """``close Income:Dues`` dated before the dues of 2025-01-10: beancount's error is at the
    old posting, not at the new line."""
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text("2025-01-05 close Income:Dues\n", "funding"), expect=False)
    desk.write(text("2026-06-07 close Income:Dues\n", "funding"), expect=True)
    desk.write(lambda fund: kinds.allocation(fund, date=D("2026-06-08"), amount_="5",
                                             account="Income:Dues"), expect=False)
    desk.write(donation("2026-06-09"), expect=True)


def test_an_open_dated_after_the_accounts_first_use(desk):
    desk.write(text("2026-06-06 open Income:Donations:Members CNY\n", "funding"), expect=False)
    desk.write(text("2026-06-06 open Income:Donations:Society CNY\n  name: \"社会捐款\"\n",
                    "funding"), expect=True)
    desk.write(donation("2026-06-06", account="Income:Donations:Society"), expect=True)
    desk.write(text('2026-06-05 * "社会" "捐款"\n  Assets:Bank:Fund   5.00 CNY\n'
                    '  Income:Donations:Society\n', "funding"), expect=False)  # before its open


# ------------------------------------------------------------------ 4. vouchers (FL107)

def numbered(builder, voucher: str | None = None):
    return lambda fund: vouchers.numbered(fund, builder(fund), voucher=voucher)


def test_vouchers_numbered_in_a_row_never_repeat(desk):
    for n in range(4):
        outcome = desk.write(numbered(donation(f"2026-06-{6 + n:02d}", str(10 + n))), expect=True)
        assert f'voucher: "记-2026-06-{n + 1:03d}"' in next(iter(outcome.texts.values()))


def test_a_voucher_written_twice_in_a_row_is_refused_the_second_time(desk):
    desk.write(numbered(donation("2026-06-06"), "记-2026-06-099"), expect=True)
    raw = ('2026-06-07 * "甲" "捐款"\n  voucher: "记-2026-06-099"\n  Assets:Bank:Fund   1.00 CNY\n'
           '  Income:Donations:Members\n')
    desk.write(text(raw), expect=False)  # the held state knows the first one
    two = [text(raw.replace("099", "100")), text(raw.replace("099", "100").replace("甲", "乙"))]
    desk.write(*two, expect=False)  # one number for two transactions of one write
    desk.write(numbered(donation("2026-06-08")), expect=True)


def test_a_voucher_written_by_hand_between_desk_entries(desk):
    desk.write(numbered(donation("2026-06-06")), expect=True)  # 记-2026-06-001
    hand_append(desk.top.parent / "2026.beancount",
                '2026-06-06 * "手工" "捐款"\n  voucher: "记-2026-06-002"\n'
                '  Assets:Bank:Fund   3.00 CNY\n  Income:Donations:Members\n')
    outcome = desk.write(numbered(donation("2026-06-07")), expect=True)
    assert '"记-2026-06-003"' in next(iter(outcome.texts.values()))
    desk.write(text('2026-06-08 * "乙" "捐款"\n  voucher: "记-2026-06-002"\n'
                    '  Assets:Bank:Fund   1.00 CNY\n  Income:Donations:Members\n'), expect=False)


# ------------------------------------------------------------------ 5. fund-policy

def test_a_policy_written_by_hand_between_desk_entries(desk):
    desk.write(donation("2026-06-06", "9000"), expect=True)
    desk.write(repay("2026-06-06", "2000"), expect=True)  # one loan outstanding per member
    hand_append(desk.top.parent / "2026.beancount",
                '2026-06-06 custom "fund-policy" "loan-max" 1000.00 CNY\n')
    desk.write(text('2026-06-07 custom "apply" "A2026-001" "M0007" "loan" 2000.00 CNY\n', "loans"))
    desk.write(text('2026-06-08 custom "review" "M0007" "general"\n', "members"), expect=True)
    for n, step in enumerate(("branch-review", "publicity"), 9):
        desk.write(text(f'2026-06-{n:02d} custom "{step}" "A2026-001"\n', "loans"), expect=True)
    desk.write(text('2026-06-20 custom "approve" "A2026-001" 2000.00 CNY\n  body: "乡党委"\n'
                    '  minutes: "〔2026〕3号"\n', "loans"), expect=True)
    desk.write(text('2026-06-21 custom "inspect" "A2026-001"\n', "loans"), expect=True)
    loan = lambda fund, amount="2000": kinds.loan(fund, date=D("2026-06-22"),  # noqa: E731
                                                  application="A2026-001", amount_=amount,
                                                  guarantor="支部", rate="0.04")
    desk.write(loan, expect=False)  # FL301: above the hand-written loan-max
    desk.write(lambda fund: loan(fund, "1000"), expect=True)


def test_a_policy_the_desk_writes_that_renames_the_steps(tmp_path):
    """``steps-loan`` naming ``committee``: an old ``custom "committee"`` becomes a step of
    its application, which changes what the old entries mean."""
    body = '2026-03-01 custom "committee" "A2025-003"\n'
    desk = Desk(ledger_at(tmp_path / "ledger", files={"2026.beancount": body}))
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text('2026-06-07 custom "fund-policy" "steps-loan" '
                    '"branch-review publicity committee approve inspect"\n', "loans"))
    desk.write(text('2026-06-08 custom "fund-policy" "loan-max" 3000.00 CNY\n', "loans"))
    desk.write(donation("2026-06-09"), expect=True)
    desk.write(text('2026-06-10 custom "committee" "A2099-001"\n', "loans"))  # an unknown app
    desk.write(donation("2026-06-11"), expect=True)


# ------------------------------------------------------------------ 6. balance assertions elsewhere

def test_balance_assertions_after_the_entry_in_another_file(tmp_path):
    """Assertions at the year's end in checks.beancount, on the bank account, on its parent
    (whose ``open`` is FL102, a fund error the held ledger keeps) and on the donations' parent."""
    checks = ("2025-01-01 open Assets:Bank\n2025-01-01 open Income:Donations\n"
              "2026-12-31 balance Assets:Bank:Fund   6374.00 CNY\n"
              "2026-12-31 balance Assets:Bank   6374.00 CNY\n"
              "2026-12-31 balance Income:Donations   -500.00 CNY\n")
    top = ledger_at(tmp_path / "ledger", 'include "2026.beancount"\ninclude "checks.beancount"\n',
                    {"2026.beancount": "; 2026\n", "checks.beancount": checks})
    assert [m for _, _, m in bean_check(top)[1]] == [
        "FL102 账户 Assets:Bank 不属于基金的任何用途（专款专用） (account outside the fund's roles)"] \
        or len(bean_check(top)[1]) == 1
    desk = Desk(top)
    members = "Income:Donations:Members"
    desk.write(donation("2026-06-06", account=members), expect=False)  # breaks all three
    desk.write(lambda fund: kinds.allocation(fund, date=D("2026-06-06"), amount_="100",
                                             account="Income:Dues"), expect=False)
    # in and out on the same day: the assertions stand
    desk.write(text('2026-06-06 * "进出"\n  Assets:Bank:Fund   100.00 CNY\n  Income:Dues\n'),
               text('2026-06-06 * "走访"\n  Expenses:Relief:Visits   100.00 CNY\n'
                    '    member: "M0007"\n  Assets:Bank:Fund\n', "visits"))
    desk.write(text("2026-12-31 balance Assets:Bank:Fund   6374.00 CNY\n", "bank"), expect=True)
    desk.write(text("2026-06-07 balance Assets:Bank:Fund   1.00 CNY\n", "bank"), expect=False)
    desk.write(donation("2027-01-01", "5", account=members), explicit=top.parent / "2026.beancount", expect=True)
    desk.write(text("2027-01-02 balance Assets:Bank   6379.00 CNY\n", "bank"),
               explicit=top.parent / "2026.beancount", expect=True)
    desk.write(text("2027-01-02 balance Income:Donations   -500.00 CNY\n", "bank"),
               explicit=top.parent / "2026.beancount", expect=False)


def test_a_balance_assertion_on_the_entry_day(tmp_path):
    """An assertion is checked at the start of its day: an entry that day does not change it."""
    top = ledger_at(tmp_path / "ledger", files={
        "2026.beancount": "2026-06-10 balance Assets:Bank:Fund   6474.00 CNY\n"})
    desk = Desk(top)
    desk.write(donation("2026-06-10", "7"), expect=True)  # after the assertion (fast path)
    desk.write(donation("2026-06-09", "7"), expect=False)  # before it
    desk.write(donation("2026-06-11", "7"), expect=True)


# ------------------------------------------------------------------ 7. the same date and line in two files

def test_a_new_entry_level_with_an_old_one_in_a_later_file(tmp_path):
    """a.beancount is included before b.beancount. b's last entry is on line 3; the desk
    appends to a, whose new entry also lands on line 3, the same day: beancount sorts a day's
    entries by line, then keeps the order the files were read in — a's first."""
    old = '2026-06-10 * "乙文件" "捐款"\n  Assets:Bank:Fund   2.00 CNY\n  Income:Donations:Members\n'
    top = ledger_at(tmp_path / "ledger", 'include "a.beancount"\ninclude "b.beancount"\n',
                    {"a.beancount": "; a\n", "b.beancount": "; b\n\n" + old})
    desk = Desk(top)
    desk.write(text('2026-06-09 custom "review" "M0007" "general"\n', "members"),
               explicit=top.parent / "b.beancount", expect=True)  # holds the ledger
    assert desk.held.current() is not None
    outcome = desk.write(donation("2026-06-10", "1", "甲文件"), explicit=top.parent / "a.beancount",
                         expect=True)
    assert set(outcome.lines.values()) == {3}


def test_two_new_entries_level_with_each_other_in_two_files(tmp_path):
    """One write, two entries: the pragma sends the donation to funding.beancount and the
    follow-up to members.beancount, both appended on line 3, the same day, after every old
    entry (the fast path). members.beancount is included first, so a load has the follow-up
    first (a custom and a transaction sort alike); the drafts come donation first."""
    top = ledger_at(tmp_path / "ledger",
                    ';; fundledger-entry-file: "{year}/{group}.beancount"\n'
                    'include "2026/members.beancount"\ninclude "2026/funding.beancount"\n',
                    {"2026/members.beancount": "; members\n", "2026/funding.beancount": "; funding\n"})
    desk = Desk(top)
    desk.write(text('2026-06-06 custom "review" "M0007" "general"\n', "members"), explicit=top,
               expect=True)  # holds the ledger
    assert desk.held.current() is not None
    outcome = desk.write(
        text('2026-06-07 * "后" "捐款"\n  Assets:Bank:Fund   2.00 CNY\n  Income:Donations:Members\n'),
        text('2026-06-07 custom "follow-up" "M0007"\n  contact: "支部书记"\n', "members"),
        expect=True)
    assert len(outcome.texts) == 2 and set(outcome.lines.values()) == {3}


# ------------------------------------------------------------------ 8. writes by others between desk entries

def test_an_edit_by_hand_in_the_same_second_keeping_the_mtime(desk):
    """Desk, then an editor appends a member to the desk's own file and puts its mtime back,
    then the desk reviews that member: seen (the size and ctime changed)."""
    desk.write(donation("2026-06-06"), expect=True)
    year = desk.top.parent / "2026.beancount"
    st = year.stat()
    hand_append(year, '2026-06-06 custom "member" "M0950"\n  name: "周手工"\n  branch: "东山村党支部"\n')
    os.utime(year, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert desk.held.current() is None
    desk.write(text('2026-06-07 custom "review" "M0950" "general"\n', "members"), expect=True)


def test_an_edit_in_place_keeping_size_and_mtime(desk):
    """The desk's donation of 100.00 changed to 900.00 in place (same inode, size, mtime):
    a relief the changed ledger can pay and the held one could not."""
    desk.write(donation("2026-06-06", "100.00", "改金额"), expect=True)
    year = desk.top.parent / "2026.beancount"
    data = year.read_bytes()
    assert data.count(b"100.00 CNY") == 1
    st = year.stat()
    with year.open("r+b") as out:
        out.seek(data.index(b"100.00 CNY"))
        out.write(b"900.00 CNY")
    os.utime(year, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (year.stat().st_ino, year.stat().st_size) == (st.st_ino, st.st_size)
    assert desk.held.current() is None
    desk.write(donation("2026-06-07", "1"), expect=True)
    assert desk.held.fund.position(D("2026-06-07")).cash == fresh_load(desk.top).position(
        D("2026-06-07")).cash


def test_a_same_size_copy_with_the_old_mtime_renamed_over_the_top_file(desk):
    desk.write(donation("2026-06-06"), expect=True)
    top = desk.top
    body = top.read_text(encoding="utf-8")
    assert "8000.00 CNY" in body
    copy = top.parent / "main.tmp"
    copy.write_text(body.replace("8000.00 CNY", "9000.00 CNY"), encoding="utf-8")
    st = top.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(copy, top)
    assert desk.held.current() is None
    desk.write(donation("2026-06-07"), expect=True)
    assert desk.held.current() is not None
    assert desk.held.fund.position(D("2026-06-07")).principal == fresh_load(top).position(
        D("2026-06-07")).principal


def test_cp_p_of_an_older_version_over_the_desks_file(desk):
    """``cp -p`` the file as it was before the desk's entry back over it: the entry is gone."""
    year = desk.top.parent / "2026.beancount"
    saved = desk.top.parent.parent / "saved.beancount"
    subprocess.run(["cp", "-p", str(year), str(saved)], check=True)
    desk.write(donation("2026-06-06", "4321", "将被撤销"), expect=True)
    subprocess.run(["cp", "-p", str(saved), str(year)], check=True)
    assert desk.held.current() is None
    desk.write(donation("2026-06-07", "1"), expect=True)
    assert not any(getattr(e, "payee", None) == "将被撤销" for e in desk.held.fund.entries)


def test_a_new_file_a_glob_include_matches(tmp_path):
    top = ledger_at(tmp_path / "ledger", 'include "books/*.beancount"\n',
                    {"books/2026.beancount": "; 2026\n"})
    desk = Desk(top)
    desk.write(donation("2026-06-06"), expect=True)
    assert desk.held.current() is not None
    (top.parent / "books" / "extra.beancount").write_text(
        '2026-06-06 custom "member" "M0960"\n  name: "新文件"\n  branch: "东山村党支部"\n',
        encoding="utf-8")
    assert desk.held.current() is None
    desk.write(text('2026-06-07 custom "review" "M0960" "general"\n', "members"), expect=True)
    (top.parent / "books" / "extra.beancount").unlink()  # a file that leaves the glob
    assert desk.held.current() is None
    desk.write(text('2026-06-08 custom "review" "M0960" "general"\n', "members"), expect=False)


def test_a_new_file_in_a_new_folder_a_recursive_glob_matches(tmp_path):
    top = ledger_at(tmp_path / "ledger", 'include "books/**/*.beancount"\n',
                    {"books/2026.beancount": "; 2026\n"})
    desk = Desk(top)
    desk.write(donation("2026-06-06"), expect=True)
    (top.parent / "books" / "deep" / "er").mkdir(parents=True)
    (top.parent / "books" / "deep" / "er" / "x.beancount").write_text(
        '2026-06-06 custom "member" "M0961"\n  name: "深层"\n  branch: "东山村党支部"\n',
        encoding="utf-8")
    assert desk.held.current() is None
    desk.write(text('2026-06-07 custom "review" "M0961" "general"\n', "members"), expect=True)


def test_fundledger_add_between_desk_entries(desk):
    desk.write(donation("2026-06-06"), expect=True)
    run = subprocess.run([sys.executable, "-c", "from fundledger.cli_entry import add; add()",
                          "member", str(desk.top), "--date", "2026-06-06", "--id", "M0970",
                          "--name", "命令行", "--branch", "东山村党支部"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert desk.held.current() is None
    desk.write(text('2026-06-07 custom "review" "M0970" "general"\n', "members"), expect=True)


def test_an_editor_writing_the_desks_file_just_after_its_rename(desk, monkeypatch):
    """An editor (no lock) appends to the file the desk has just renamed into place, before
    the desk takes that file's signature for the held stamp: the held ledger must not be the
    desk's ledger without the editor's entry."""
    desk.write(donation("2026-06-06"), expect=True)
    real = writer.atomic_replace
    year = desk.top.parent / "2026.beancount"

    def then_an_editor(path, data, expected):
        real(path, data, expected)
        if Path(path) == year:
            hand_append(year, '2026-06-07 custom "member" "M0980"\n  name: "编辑器"\n'
                              '  branch: "东山村党支部"\n')

    monkeypatch.setattr(writer, "atomic_replace", then_an_editor)
    desk.write(donation("2026-06-07", "2"), check_held=False)
    monkeypatch.setattr(writer, "atomic_replace", real)
    desk.assert_held_is_fresh()
    desk.write(text('2026-06-08 custom "review" "M0980" "general"\n', "members"), expect=True)


# ------------------------------------------------------------------ 9. a ledger with errors

def test_a_ledger_with_a_failing_balance_assertion(tmp_path):
    top = ledger_at(tmp_path / "ledger", files={
        "2026.beancount": "2026-01-10 balance Assets:Bank:Fund   1.00 CNY\n"})
    assert bean_check(top)[0] == 1
    desk = Desk(top)
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(donation("2025-12-01", "5"), expect=False)  # the old error's message changes
    desk.write(text('2025-12-01 * "对冲"\n  Assets:Bank:Fund   5.00 CNY\n  Income:Dues\n'),
               text('2025-12-01 * "对冲"\n  Assets:Bank:Fund   -5.00 CNY\n  Income:Dues\n'),
               expect=True)  # in and out before it: the same error
    desk.write(text('2026-06-07 * "无币种"\n  Assets:Bank:Fund   5.00\n  Income:Dues\n'))
    desk.write(donation("2026-06-08"), expect=True)


def test_a_ledger_with_fund_errors_that_new_entries_change(tmp_path):
    """Relief to a member registered later (FL401) and an unknown account use (FL102 at its
    first use): fund errors only, so the ledger is held; new entries move those errors."""
    body = ('2026-03-01 * "慰问"\n  Expenses:Relief:Visits   30.00 CNY\n    member: "M0990"\n'
            '  Assets:Bank:Fund\n'
            '2026-03-02 custom "member" "M0990"\n  name: "晚登记"\n  branch: "东山村党支部"\n')
    desk = Desk(ledger_at(tmp_path / "ledger", files={"2026.beancount": body}))
    errors = fresh_load(desk.top).errors
    assert errors and all(type(e).__name__ == "FundError" for e in errors)
    desk.write(donation("2026-06-06"), expect=True)
    assert desk.held.current() is not None
    desk.write(text('2026-06-07 custom "review" "M0990" "general"\n', "members"), expect=True)
    desk.write(text('2026-06-08 custom "member" "M0990"\n  name: "重复"\n  branch: "东山村党支部"\n',
                    "members"), expect=False)  # FL104
    desk.write(text('2026-06-08 custom "exit" "M0990"\n  reason: "脱困"\n', "members"), expect=True)
    desk.write(text('2026-06-09 * "慰问"\n  Expenses:Relief:Visits   30.00 CNY\n    member: "M0990"\n'
                    '  Assets:Bank:Fund\n', "visits"), expect=False)  # after the exit
    desk.write(text('2026-06-09 custom "review" "M0990" "general"\n', "members"), expect=True)


# ------------------------------------------------------------------ 10. refusals and previews

def test_refusals_and_previews_change_nothing_held(desk):
    desk.write(donation("2026-06-06"), expect=True)
    kept = desk.held.fund
    bad = [
        text('2026-06-07 * "无此账户"\n  Assets:Bank:Fund   -1.00 CNY\n  Expenses:Nowhere\n'),
        text('2026-06-07 custom "review" "M9999" "general"\n', "members"),  # FL106
        repay("2026-06-07", "5000"),  # FL307 below zero
        text('2026-06-07 custom "apply" "A2025-003" "M0007" "loan" 1.00 CNY\n', "loans"),  # FL104
        lambda fund: kinds.relief(fund, date=D("2026-06-07"), member_id="M0007",
                                  account="Visits", amount_="99999"),  # FL402/FL501
        text('2026-06-07 custom "fund-policy" "no-such-key" 1\n', "funding"),  # FL103
    ]
    for draft in bad:
        desk.write(draft, expect=False)
        desk.write(donation("2026-06-07", "3", "预览"), dry_run=True, expect=False)
        assert desk.held.fund is kept
    desk.write(repay("2026-06-07", "2000"), dry_run=True, expect=False)
    desk.write(repay("2026-06-08", "2000", close=True), expect=True)
    desk.write(text('2026-06-09 custom "reschedule" "L2025-003" 2028-01-01\n  minutes: "x"\n',
                    "loans"))
    desk.write(donation("2026-06-10"), expect=True)


# ------------------------------------------------------------------ 11. the held ledger's options

def test_the_held_options_count_the_desks_amounts(tmp_path):
    from beancount.core.display_context import Precision

    top = ledger_at(tmp_path / "ledger")
    top.write_text(top.read_text(encoding="utf-8").replace(".00 CNY", " CNY"), encoding="utf-8")
    time.sleep(0.2)
    desk = Desk(top)
    for n in range(12):
        desk.write(donation(f"2026-06-{6 + n:02d}", f"{n + 1}.50"), expect=True)
    assert desk.held.current() is not None
    fresh = fresh_load(top)

    def common(fund):
        return fund.options["dcontext"].ccontexts["CNY"].get_fractional(Precision.MOST_COMMON)

    assert common(fresh) == 2
    assert common(desk.held.fund) == common(fresh)


# ------------------------------------------------------------------ 12. a real Fava

EXTENSION = ('2000-01-01 custom "fava-extension" "fundledger.fava"\n'
             '2000-01-01 custom "fava-option" "language" "zh_CN"\n')


@pytest.fixture(scope="module")
def fava(tmp_path_factory):
    from fava_helpers import FavaServer

    folder = tmp_path_factory.mktemp("fava") / "ledger"
    top = ledger_at(folder, 'include "books/*.beancount"\n' + EXTENSION,
                    {"books/2026.beancount": '2026-03-01 custom "review" "M0900" "general"\n'
                                             '2026-03-02 custom "review" "M0901" "general"\n'})
    server = FavaServer(top, folder.parent / "fava.log", read_only=False)
    yield server, top
    server.stop()


def post(server, fields: dict[str, str]) -> tuple[int, dict]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(server.base + "/extension/FundLedger/entry", data=data,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def api(server, endpoint: str, **params) -> object:
    body, _ = server.get(f"/api/{endpoint}?" + urllib.parse.urlencode(params))
    return json.loads(body)["data"]


def fava_transactions(server) -> list[list]:
    """One row per posting, in Fava's order."""
    rows = api(server, "query", query_string="SELECT date, payee, narration, account")["rows"]
    return [[str(r[0]), r[1] or None, r[2], r[3]] for r in rows]


def fresh_transactions(top: Path) -> list[list]:
    return [[str(e.date), e.payee or None, e.narration, p.account]
            for e in fresh_load(top).entries if type(e).__name__ == "Transaction"
            for p in e.postings]


def fava_sees_the_disk(server, top: Path) -> None:
    """Fava's journal, as a query gives it, is a fresh load's, entry for entry, in order."""
    assert fava_transactions(server) == fresh_transactions(top)


def test_fava_pages_after_desk_entries_are_a_fresh_loads(fava):
    server, top = fava
    for n in range(3):
        status, body = post(server, {"kind": "donation", "date": f"2026-06-{6 + n:02d}",
                                     "amount": f"{n + 1}", "donor": f"页面{n}"})
        assert status == 200, body
    fava_sees_the_disk(server, top)
    page, _ = server.get("/extension/FundLedger/?page=position")
    assert page


def test_fava_after_a_hand_edit_with_the_old_mtime(fava):
    server, top = fava
    status, body = post(server, {"kind": "donation", "date": "2026-06-10", "amount": "5",
                                 "donor": "手改之前"})
    assert status == 200, body
    fava_sees_the_disk(server, top)  # Fava now shows the held ledger
    year = top.parent / "books" / "2026.beancount"
    st = year.stat()
    hand_append(year, '2026-06-10 * "手改" "捐款"\n  Assets:Bank:Fund   6.00 CNY\n'
                      '  Income:Donations:Members\n')
    os.utime(year, ns=(st.st_atime_ns, st.st_mtime_ns))  # Fava's watcher sees no newer mtime
    fava_sees_the_disk(server, top)
    page, _ = server.get("/extension/FundLedger/?page=position")
    assert page


def test_fava_after_cp_p_of_an_older_file(fava):
    server, top = fava
    year = top.parent / "books" / "2026.beancount"
    saved = top.parent.parent / "saved-2026.beancount"
    subprocess.run(["cp", "-p", str(year), str(saved)], check=True)
    status, body = post(server, {"kind": "donation", "date": "2026-06-11", "amount": "7",
                                 "donor": "将被覆盖"})
    assert status == 200, body
    fava_sees_the_disk(server, top)
    subprocess.run(["cp", "-p", str(saved), str(year)], check=True)
    transactions = fava_transactions(server)
    assert not any(t[1] == "将被覆盖" for t in transactions)
    assert transactions == fresh_transactions(top)


def test_fava_after_a_new_file_the_glob_matches_then_the_desk(fava):
    server, top = fava
    post(server, {"kind": "donation", "date": "2026-06-12", "amount": "8", "donor": "新文件前"})
    (top.parent / "books" / "new.beancount").write_text(
        '2026-06-12 custom "member" "M0955"\n  name: "新文件"\n  branch: "东山村党支部"\n'
        '2026-06-12 * "新文件" "捐款"\n  Assets:Bank:Fund   9.00 CNY\n  Income:Donations:Members\n',
        encoding="utf-8")
    fava_sees_the_disk(server, top)
    status, body = post(server, {"kind": "review", "date": "2026-06-13", "member": "M0955",
                                 "tier": "general"})
    assert status == 200, body
    fava_sees_the_disk(server, top)


def test_fava_after_fundledger_add_between_desk_entries(fava):
    server, top = fava
    post(server, {"kind": "donation", "date": "2026-06-14", "amount": "10", "donor": "命令行前"})
    run = subprocess.run([sys.executable, "-c", "from fundledger.cli_entry import add; add()",
                          "donation", str(top), "--date", "2026-06-14", "--amount", "11",
                          "--donor", "命令行", "--account", "Income:Donations:Members"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    status, body = post(server, {"kind": "donation", "date": "2026-06-15", "amount": "12",
                                 "donor": "命令行后"})
    assert status == 200, body
    fava_sees_the_disk(server, top)


def test_fava_errors_after_a_desk_entry_that_resolves_one(fava):
    """The ledger has one fund error (a review of M0900, never registered); the desk registers
    M0900 the day before that review: Fava's errors lose it."""
    server, top = fava
    before = len(fresh_load(top).errors)
    assert before >= 1
    status, body = post(server, {"kind": "member", "date": "2026-02-28", "id": "M0900",
                                 "name": "后登记", "branch": "东山村党支部"})
    assert status == 200, body
    assert len(fresh_load(top).errors) == before - 1
    fava_sees_the_disk(server, top)  # a request that takes the held ledger in
    assert len(api(server, "errors")) == before - 1


def test_refusals_and_previews_at_fava_change_nothing(fava):
    server, top = fava
    files = snapshot(top.parent)
    shown = fava_transactions(server)
    for fields in ({"kind": "donation", "date": "2026-06-17", "amount": "1", "donor": "预览",
                    "preview": "1"},
                   {"kind": "relief", "date": "2026-06-17", "member": "M0007",
                    "account": "Visits", "amount": "999999"},
                   {"kind": "review", "date": "2026-06-17", "member": "M0007", "tier": "nosuch"}):
        status, body = post(server, fields)
        assert status in (200, 422), body
        assert snapshot(top.parent) == files
        assert fava_transactions(server) == shown == fresh_transactions(top)


def test_fava_api_errors_right_after_a_desk_entry(fava):
    server, top = fava
    fava_sees_the_disk(server, top)  # Fava is on the held ledger
    before = len(fresh_load(top).errors)
    status, body = post(server, {"kind": "member", "date": "2026-03-01", "id": "M0901",
                                 "name": "后登记二", "branch": "东山村党支部"})
    assert status == 200, body
    assert len(fresh_load(top).errors) == before - 1
    assert len(api(server, "errors")) == before - 1


def test_fava_api_changed_after_a_desk_entry(fava):
    server, top = fava
    fava_sees_the_disk(server, top)
    assert api(server, "changed") is False
    status, body = post(server, {"kind": "donation", "date": "2026-06-18", "amount": "13",
                                 "donor": "轮询"})
    assert status == 200, body
    assert api(server, "changed") is True


# ------------------------------------------------------------------ 13. what the new text is read beside

def test_a_commodity_declared_twice(tmp_path):
    """beancount reports a second ``commodity CNY`` (validate_duplicate_commodities), which
    compares every commodity directive of the ledger."""
    top = ledger_at(tmp_path / "ledger", '2025-01-01 commodity CNY\ninclude "2026.beancount"\n')
    desk = Desk(top)
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text("2026-06-07 commodity CNY\n", "funding"), expect=False)
    desk.write(text("2026-06-07 commodity USD\n", "funding"), expect=True)
    desk.write(donation("2026-06-08"), expect=True)


def test_the_file_written_to_ends_inside_an_open_string(tmp_path):
    """The file the desk appends to ends in a string that was never closed: the new text is
    read as part of it by a full load (the old ledger has a syntax error already)."""
    top = ledger_at(tmp_path / "ledger", files={
        "2026.beancount": '2026-03-01 note Assets:Bank:Fund "未写完的备注\n'})
    assert bean_check(top)[0] == 1
    desk = Desk(top)
    desk.write(donation("2026-06-06", "15", "开着的字符串"))
    desk.write(donation("2026-06-07", "16", "开着的字符串二"))


def test_crlf_files(tmp_path):
    top = ledger_at(tmp_path / "ledger", files={"2026.beancount": "; 2026\r\n; windows\r\n"})
    top.write_bytes(top.read_bytes().replace(b"\n", b"\r\n"))
    time.sleep(0.2)
    desk = Desk(top)
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text('2026-06-07 * "多行" "捐款"\n  note: "a"\n  Assets:Bank:Fund   1.00 CNY\n'
                    '  Income:Donations:Members\n'), expect=True)
    desk.write(donation("2025-06-01", "1"), explicit=top.parent / "2026.beancount", expect=True)
    assert desk.held.current() is not None


def test_the_plugin_declared_twice(tmp_path):
    """``plugin "fundledger.plugin"`` twice (a copy-paste): beancount runs it twice, so every
    fund error is reported twice by bean-check and by a load."""
    body = '2026-03-01 custom "review" "M0900" "general"\n'  # FL106, a fund error
    top = ledger_at(tmp_path / "ledger", 'plugin "fundledger.plugin"\ninclude "2026.beancount"\n',
                    {"2026.beancount": body})
    assert len(fresh_load(top).errors) == 2
    desk = Desk(top)
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text('2026-06-07 custom "review" "M0901" "general"\n', "members"), expect=False)
    desk.write(donation("2026-06-08"), expect=True)


def test_tags_links_and_a_price(desk):
    desk.write(text('2026-06-06 * "标签" "捐款" #yiri ^link-1\n  Assets:Bank:Fund   1.00 CNY\n'
                    '  Income:Donations:Members\n'), expect=True)
    desk.write(text("2026-06-07 price USD   7.10 CNY\n", "funding"), expect=True)
    desk.write(text('2026-06-08 note Assets:Bank:Fund "对账"\n', "bank"), expect=True)
    desk.write(text('2026-06-09 event "location" "乡政府"\n', "funding"), expect=True)
    desk.write(text('2026-06-10 * "美元" "捐款"\n  Assets:Bank:Fund   1.00 USD\n'
                    '  Income:Donations:Members\n'), expect=False)  # CNY only


def test_a_document_directive_naming_a_missing_file(desk):
    """beancount's documents plugin (run by every load) reports a ``document`` whose file
    does not exist."""
    (desk.top.parent / "receipt.pdf").write_bytes(b"%PDF-1.4\n")
    time.sleep(0.05)
    desk.write(donation("2026-06-06"), expect=True)
    desk.write(text('2026-06-07 document Assets:Bank:Fund "receipt.pdf"\n', "bank"), expect=True)
    desk.write(text('2026-06-08 document Assets:Bank:Fund "no-such-receipt.pdf"\n', "bank"),
               expect=False)
    desk.write(donation("2026-06-09"), expect=True)


# ------------------------------------------------------------------ 14. every kind of record, one after another

def test_a_sequence_of_every_kind_of_record(tmp_path):
    opens = ("2025-01-01 open Equity:Opening CNY\n  name: \"期初\"\n"
             "2025-01-01 open Expenses:Losses CNY\n  name: \"核销\"\n"
             "2025-01-01 open Expenses:Fees CNY\n  name: \"手续费\"\n"
             "2025-01-01 open Assets:Loans:L2020-001 CNY\n")
    desk = Desk(ledger_at(tmp_path / "ledger", opens + 'include "2026.beancount"\n'))
    steps = [
        text('2026-06-06 custom "review" "M0007" "general"\n', "members"),
        text('2026-06-06 custom "release" 100.00 CNY\n  minutes: "〔2026〕5号"\n'),
        text('2026-06-06 * "手续费"\n  Expenses:Fees   2.00 CNY\n  Assets:Bank:Fund\n'),
        text('2026-06-07 * "期初" "上年结转"\n  Assets:Bank:Fund   300.00 CNY\n  Equity:Opening\n'),
        text('2026-06-08 custom "write-off" "L2025-003"\n  minutes: "〔2026〕6号"\n', "loans"),
        text('2026-06-08 * "核销"\n  Expenses:Losses   2000.00 CNY\n  Assets:Loans:L2025-003\n',
             "loans"),
        text('2026-06-08 * "期初借款"\n  member: "M0007"\n  due: 2027-01-01\n'
             '  Assets:Loans:L2020-001   50.00 CNY\n  Equity:Opening\n', "loans"),
        text('2026-06-09 * "张秀兰" "还款"\n  Assets:Bank:Fund   50.00 CNY\n'
             '  Assets:Loans:L2020-001\n', "repayments"),
        text('2026-06-09 close Assets:Loans:L2020-001\n', "repayments"),
        text('2026-06-10 custom "follow-up" "M0007"\n  contact: "支部书记"\n  note: "回访"\n',
             "members"),
        text('2026-06-11 custom "exit" "M0007"\n  reason: "脱困"\n', "members"),
        text('2026-06-12 * "七一走访慰问"\n  Expenses:Relief:Visits   10.00 CNY\n'
             '    member: "M0007"\n  Assets:Bank:Fund\n', "visits"),  # after the exit: FL401
        text('2026-06-11 * "走访"\n  Expenses:Relief:Visits   10.00 CNY\n'
             '    member: "M0007"\n  Assets:Bank:Fund\n', "visits"),  # the exit's day
        text('2026-06-12 custom "review" "M0007" "special"\n', "members"),
        donation("2026-06-13", "1"),
    ]
    outcomes = [desk.write(step) for step in steps]
    results = [o.written for o in outcomes]
    assert results == [True] * 11 + [False] + [True] * 3, [
        [e.message for e in o.new_errors] for o in outcomes]
