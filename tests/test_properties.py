"""Property tests (hypothesis), independent of fundledger's internals.

Only the public command line (click's CliRunner on ``fundledger.cli:main``) and beancount
itself are used.

(a) On small valid fund ledgers built from random sequences of donations into both pools,
    releases, loans (through their whole workflow) with repayments and write-offs, relief
    within the spendable pool, bank fees and transfers to petty cash, at random as-of dates:
    the ledger checks clean, ``fundledger balances`` keeps SPEC §1's identity
    ``cash = principal + spendable − loans outstanding``, its cash and loans equal the
    balances beancount itself books, and all four figures equal the builder's own tally.
(b) On generated garbage — custom directives with random value types and counts (including
    ``custom "member"`` with none), random metadata on transactions and postings (``due: 5``,
    ``rate: "x"``, ``months: "abc"``, ``member: 7``, unknown ``application:``…), random policy
    keys and values, postings to random accounts, negative amounts — the plugin never raises:
    no error at ``<load>``, no traceback, every fund error (``FL…``) sits at a real file and
    line, and the errors pickle (beancount's cache). No internal fault (FL000) either: the
    reproducers hypothesis once found are kept at the end of this file. The commands (check,
    balances, loans, member) never crash on garbage.
"""

from __future__ import annotations

import datetime
import json
import pickle
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core.data import Transaction
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fundledger.cli import main as fundledger_cli

Date = datetime.date
ZERO = Decimal("0")
FEN = Decimal("0.01")
START = Date(2024, 1, 1)

# ============================================================== (a) valid ledgers

BANK, PETTY = "Assets:Bank:Fund", "Assets:Cash:Petty"
SPENDABLE_IN = ("Income:Dues", "Income:Donations:Relief", "Income:Interest:Deposits")
PRINCIPAL_IN = ("Income:Donations:Members", "Income:Fiscal:County", "Equity:Opening-Balances")
VISITS, MEDICAL = "Expenses:Relief:Visits", "Expenses:Relief:Medical"
MEMBERS = ("M1", "M2", "M3", "M4", "M5")

VALID_HEADER = f"""\
option "title" "性质测试基金"
option "operating_currency" "CNY"
plugin "fundledger.plugin"

2024-01-01 open {BANK} CNY
  name: "帮扶基金专户"
2024-01-01 open {PETTY} CNY
2024-01-01 open Income:Dues CNY
  pool: "spendable"
2024-01-01 open Income:Donations:Relief CNY
  pool: "spendable"
2024-01-01 open Income:Interest:Deposits CNY
2024-01-01 open Income:Interest:Loans CNY
2024-01-01 open Income:Donations:Members CNY
2024-01-01 open Income:Fiscal:County CNY
  pool: "principal"
2024-01-01 open Equity:Opening-Balances CNY
2024-01-01 open {VISITS} CNY
2024-01-01 open {MEDICAL} CNY
2024-01-01 open Expenses:Losses CNY
2024-01-01 open Expenses:Fees:Bank CNY
""" + "".join(f"""
2024-01-02 custom "member" "{m}"
  name: "成员{m}"
  branch: "中田村党支部"
""" for m in MEMBERS) + "".join(
    f'{year}-01-03 custom "review" "{m}" "general"\n' for year in range(2024, 2029) for m in MEMBERS)


def _money(value: Decimal) -> str:
    return f"{value.quantize(FEN):f}"


@dataclass
class _Loan:
    id: str
    member: str
    outstanding: Decimal


@dataclass
class ValidLedger:
    """Renders operations into a valid fund ledger, tallying its position as it goes."""

    day: Date = Date(2024, 1, 20)
    chunks: list[tuple[Date, int, str]] = field(default_factory=list)
    cash: dict[str, Decimal] = field(default_factory=lambda: {BANK: ZERO, PETTY: ZERO})
    principal: Decimal = ZERO
    spendable: Decimal = ZERO
    loans: list[_Loan] = field(default_factory=list)
    dawn: Decimal = ZERO  # spendable at the end of the previous day
    used_today: Decimal = ZERO
    history: list[tuple[Date, dict[str, Decimal]]] = field(default_factory=list)
    counter: int = 0
    per_year: dict[int, int] = field(default_factory=dict)

    # -- plumbing
    def emit(self, day: Date, text: str) -> None:
        self.chunks.append((day, len(self.chunks), text))

    def advance(self, gap: int) -> None:
        if gap:
            self.snapshot()
            self.day += datetime.timedelta(days=gap)
            self.dawn, self.used_today = self.spendable, ZERO

    def snapshot(self) -> None:
        self.history.append((self.day, self.position()))

    def position(self) -> dict[str, Decimal]:
        loans = sum((ln.outstanding for ln in self.loans), ZERO)
        return {"cash": self.cash[BANK] + self.cash[PETTY], "loans_outstanding": loans,
                "principal": self.principal, "spendable": self.spendable}

    def position_at(self, as_of: Date) -> dict[str, Decimal]:
        found = {"cash": ZERO, "loans_outstanding": ZERO, "principal": ZERO, "spendable": ZERO}
        for day, pos in self.history:
            if day <= as_of:
                found = pos
        return found

    def text(self) -> str:
        self.snapshot()
        body = "\n".join(t for _, _, t in sorted(self.chunks))
        return VALID_HEADER + "\n" + body

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    def spendable_room(self) -> Decimal:
        return self.dawn - self.used_today

    def workflow(self, app: str, member: str, kind: str, amount: Decimal, steps: list[str]) -> None:
        d = self.day
        self.emit(d - datetime.timedelta(days=10),
                  f'{d - datetime.timedelta(days=10)} custom "apply" "{app}" "{member}" "{kind}" '
                  f"{_money(amount)} CNY\n  purpose: \"测试\"\n")
        offsets = {"branch-review": 9, "publicity": 8, "approve": 3, "inspect": 2}
        for step in steps:
            when = d - datetime.timedelta(days=offsets[step])
            if step == "approve":
                self.emit(when, f'{when} custom "approve" "{app}" {_money(amount)} CNY\n'
                                f'  body: "乡党委"\n  minutes: "〔{when.year}〕1号"\n')
            else:
                self.emit(when, f'{when} custom "{step}" "{app}"\n')

    # -- operations
    def donate(self, account: str, amount: Decimal) -> None:
        if amount < FEN:
            return
        self.emit(self.day, f'{self.day} * "捐款人" "捐款"\n  {BANK}  {_money(amount)} CNY\n'
                            f"  {account}\n")
        self.cash[BANK] += amount
        if account in SPENDABLE_IN:
            self.spendable += amount
        else:
            self.principal += amount

    def release(self, amount: Decimal) -> None:
        amount = min(amount, self.principal)
        if amount < FEN:
            return
        self.emit(self.day, f'{self.day} custom "release" {_money(amount)} CNY\n'
                            f'  minutes: "〔{self.day.year}〕2号"\n')
        self.principal -= amount
        self.spendable += amount

    def loan(self, who: int, amount: int, rate: str | None, months: int) -> None:
        member = MEMBERS[who % len(MEMBERS)]
        amount_d = Decimal(amount)
        if (any(ln.member == member and ln.outstanding > 0 for ln in self.loans)
                or self.cash[BANK] < amount_d or self.per_year.get(self.day.year, 0) >= 50):
            return
        n = self.next_id()
        app, loan_id = f"A{n}", f"L{n}"
        self.workflow(app, member, "loan", amount_d,
                      ["branch-review", "publicity", "approve", "inspect"])
        due = self.day + datetime.timedelta(days=28 * months)
        rate_line = f"  rate: {rate}\n" if rate is not None else ""
        self.emit(self.day, f"{self.day} open Assets:Loans:{loan_id} CNY\n")
        self.emit(self.day, f'{self.day} * "{member}" "借款"\n  application: "{app}"\n'
                            f'  due: {due}\n  guarantor: "村党支部"\n{rate_line}'
                            f"  Assets:Loans:{loan_id}  {_money(amount_d)} CNY\n  {BANK}\n")
        self.cash[BANK] -= amount_d
        self.loans.append(_Loan(loan_id, member, amount_d))
        self.per_year[self.day.year] = self.per_year.get(self.day.year, 0) + 1

    def _open_loan(self, pick: int) -> _Loan | None:
        live = [ln for ln in self.loans if ln.outstanding > 0]
        return live[pick % len(live)] if live else None

    def repay(self, pick: int, how: str, interest: Decimal) -> None:
        loan = self._open_loan(pick)
        if loan is None:
            return
        part = {"all": loan.outstanding, "half": (loan.outstanding / 2).quantize(FEN),
                "part": min(loan.outstanding, Decimal(100))}[how]
        if part < FEN:
            part = loan.outstanding
        lines = (f'{self.day} * "{loan.member}" "还款"\n  {BANK}  {_money(part + interest)} CNY\n'
                 f"  Assets:Loans:{loan.id}  {_money(-part)} CNY\n")
        if interest:
            lines += f"  Income:Interest:Loans  {_money(-interest)} CNY\n"
        self.emit(self.day, lines)
        loan.outstanding -= part
        self.cash[BANK] += part + interest
        self.spendable += interest

    def write_off(self, pick: int) -> None:
        loan = self._open_loan(pick)
        if loan is None:
            return
        self.emit(self.day, f'{self.day} custom "write-off" "{loan.id}"\n  minutes: "〔{self.day.year}〕3号"\n')
        self.emit(self.day, f'{self.day} * "核销"\n  Expenses:Losses  {_money(loan.outstanding)} CNY\n'
                            f"  Assets:Loans:{loan.id}\n")
        self.principal -= loan.outstanding
        loan.outstanding = ZERO

    def relief(self, who: int, account: str, amount: Decimal) -> None:
        member = MEMBERS[who % len(MEMBERS)]
        amount = min(amount, self.spendable_room(), self.cash[BANK])
        if amount < FEN:
            return
        app_line = ""
        if account == MEDICAL:
            app = f"R{self.next_id()}"
            self.workflow(app, member, "relief", amount, ["branch-review", "publicity", "approve"])
            app_line = f'    application: "{app}"\n'
        self.emit(self.day, f'{self.day} * "{member}" "救济"\n  {account}  {_money(amount)} CNY\n'
                            f'    member: "{member}"\n{app_line}  {BANK}\n')
        self.cash[BANK] -= amount
        self.spendable -= amount
        self.used_today += amount

    def fee(self, amount: Decimal) -> None:
        amount = min(amount, self.spendable_room(), self.cash[BANK])
        if amount < FEN:
            return
        self.emit(self.day, f'{self.day} * "银行" "手续费"\n  Expenses:Fees:Bank  {_money(amount)} CNY\n'
                            f"  {BANK}\n")
        self.cash[BANK] -= amount
        self.spendable -= amount
        self.used_today += amount

    def transfer(self, amount: Decimal) -> None:
        amount = min(amount, self.cash[BANK])
        if amount < FEN:
            return
        self.emit(self.day, f'{self.day} * "提取备用金"\n  {PETTY}  {_money(amount)} CNY\n  {BANK}\n')
        self.cash[BANK] -= amount
        self.cash[PETTY] += amount


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2)
DONATE = st.tuples(st.just("donate"), st.sampled_from(SPENDABLE_IN + PRINCIPAL_IN), AMOUNTS)
LOAN = st.tuples(st.just("loan"), st.integers(0, 4), st.integers(1000, 5000),
                 st.sampled_from([None, "0", "0.03", "0.0435"]), st.integers(2, 26))
REPAY = st.tuples(st.just("repay"), st.integers(0, 20), st.sampled_from(["all", "half", "part"]),
                  st.sampled_from([ZERO, Decimal("12.34"), Decimal("150")]))
OTHER = st.one_of(
    st.tuples(st.just("relief"), st.integers(0, 4), st.sampled_from([VISITS, MEDICAL]), AMOUNTS),
    st.tuples(st.just("write_off"), st.integers(0, 20)),
    st.tuples(st.just("release"), AMOUNTS),
    st.tuples(st.just("fee"), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"),
                                          places=2)),
    st.tuples(st.just("transfer"), AMOUNTS),
    DONATE,
)
# A day: after a gap, maybe a loan, maybe a repayment, maybe one other act, in that order.
DAYS = st.tuples(st.integers(0, 40), st.one_of(st.none(), LOAN), st.one_of(st.none(), REPAY),
                 st.one_of(st.none(), OTHER))
# The fund starts with lendable capital (and maybe spendable money), then random acts.
SEED_MONEY = st.tuples(
    st.tuples(st.just(0), st.tuples(st.just("donate"), st.sampled_from(PRINCIPAL_IN),
                                    st.integers(5, 60).map(lambda n: Decimal(n * 1000)))),
    st.tuples(st.just(0), st.tuples(st.just("donate"), st.sampled_from(SPENDABLE_IN),
                                    st.integers(1, 20).map(lambda n: Decimal(n * 500)))),
)
PROGRAMS = st.builds(
    lambda seed, days: [*seed, *((gap if i == 0 else 0, op) for gap, *ops in days
                                 for i, op in enumerate(o for o in ops if o is not None))],
    SEED_MONEY, st.lists(DAYS, min_size=1, max_size=15))


def build(program: list[tuple[int, tuple]]) -> ValidLedger:
    ledger = ValidLedger()
    for gap, (name, *args) in program:
        ledger.advance(gap)
        getattr(ledger, name)(*args)
    return ledger


def _beancount_balance(entries, as_of: Date, *prefixes: str) -> Decimal:
    return sum((p.units.number for e in entries if isinstance(e, Transaction) and e.date <= as_of
                for p in e.postings if p.account.startswith(prefixes)), ZERO)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=PROGRAMS, data=st.data())
def test_pools_identity_and_cash_agree_with_beancount(program, data):
    ledger = build(program)
    text = ledger.text()
    event(f"loans: {min(len(ledger.loans), 3)}{'+' if len(ledger.loans) >= 3 else ''}")
    event(f"written off: {'核销' in text}, repaid: {'还款' in text}")
    event(f"relief paid: {'救济' in text}, released: {'release' in text}")
    entries, errors, _ = loader.load_string(text)
    assert errors == [], "\n".join(e.message for e in errors) + "\n\n" + text
    runner = CliRunner()
    end = ledger.day + datetime.timedelta(days=10)
    days = data.draw(st.lists(st.dates(START - datetime.timedelta(days=3), end),
                              min_size=1, max_size=3, unique=True), label="as_of")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fund.beancount"
        path.write_text(text, encoding="utf-8")
        for as_of in days:
            result = runner.invoke(fundledger_cli, ["balances", str(path), "--as-of",
                                                    as_of.isoformat(), "--format", "json"])
            assert result.exit_code == 0, (result.output, text)
            pos = {k: Decimal(v) for k, v in json.loads(result.stdout).items()}
            assert pos["cash"] == pos["principal"] + pos["spendable"] - pos["loans_outstanding"]
            assert pos["cash"] == _beancount_balance(entries, as_of, "Assets:Bank:", "Assets:Cash:")
            assert pos["loans_outstanding"] == _beancount_balance(entries, as_of, "Assets:Loans:")
            assert pos == ledger.position_at(as_of), text


# ============================================================== (b) garbage never crashes

FUND_TYPES = ["member", "review", "exit", "apply", "approve", "reject", "reschedule",
              "write-off", "release", "fund-policy", "branch-review", "publicity", "inspect",
              "visit", "x"]
POLICY_KEYS = ["loan-max", "loan-min", "loan-term-months", "loan-extension-months",
               "loan-annual-quota", "loan-per-member", "loan-rate-max", "guarantor-required",
               "fiscal-allowed", "publicity-days", "review-valid-months", "steps-loan",
               "steps-relief", "application-exempt", "relief-cap-year", "education-grant",
               "subsidy-general", "subsidy-relative", "subsidy-special", "loan-maxx", "", "LOAN-MAX"]
ACCOUNTS = ["Assets:Bank:Fund", "Assets:Cash:Box", "Assets:Loans:L1", "Assets:Loans:L2",
            "Assets:Loans:9X", "Assets:Loans:L1:Sub", "Assets:Other", "Liabilities:Payable",
            "Income:Dues", "Income:Fiscal:Gov", "Income:Interest:Loans", "Income:Donations",
            "Equity:Opening-Balances", "Equity:Retained", "Expenses:Relief:Medical",
            "Expenses:Relief:Visits", "Expenses:Relief:Subsidy", "Expenses:Relief:Education",
            "Expenses:Losses", "Expenses:Fees", "Expenses:Misc"]
IDS = ["M1", "M2", "A1", "A2", "L1", "L2", "R1", "1bad", "M 1", "", "loan", "relief", "general",
       "none", "special", "Assets:Loans:L1", "branch-review publicity approve",
       "Expenses:Relief:Visits", "名字"]
META_KEYS = ["due", "rate", "months", "member", "application", "guarantor", "child", "donor",
             "campaign", "name", "branch", "pool", "minutes", "body", "reason", "purpose",
             "category", "contact", "zzz"]

SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                           blacklist_characters='"\\'), max_size=12)
NUMBERS = st.one_of(
    st.decimals(min_value=-100000, max_value=100000, places=2, allow_nan=False),
    st.sampled_from([Decimal(0), Decimal(-1), Decimal("99999999999"), Decimal("0.0435"),
                     Decimal("1E+2"), Decimal("24"), Decimal("1000000000")]),
)
DATES = st.one_of(st.dates(Date(2023, 1, 1), Date(2027, 12, 31)),
                  st.sampled_from([Date(1, 1, 1), Date(1900, 1, 1), Date(9999, 12, 31),
                                   Date(9999, 1, 31)]))


def _number(n: Decimal) -> str:
    return f"{n:f}"


VALUES = st.one_of(
    st.sampled_from(IDS).map(lambda s: f'"{s}"'),
    SAFE_TEXT.map(lambda s: f'"{s}"'),
    NUMBERS.map(_number),
    st.tuples(NUMBERS, st.sampled_from(["CNY", "CNY", "USD"])).map(lambda t: f"{_number(t[0])} {t[1]}"),
    DATES.map(str),
    st.sampled_from(["TRUE", "FALSE"]),
    st.sampled_from(ACCOUNTS),
)
META = st.lists(st.tuples(st.sampled_from(META_KEYS), VALUES), max_size=4, unique_by=lambda kv: kv[0])
ENTRY_DATES = st.dates(Date(2024, 1, 1), Date(2026, 12, 31))


def _meta(pairs, indent: str) -> str:
    return "".join(f"{indent}{k}: {v}\n" for k, v in pairs)


CUSTOMS = st.builds(
    lambda day, kind, values, meta: f'{day} custom "{kind}" {" ".join(values)}'.rstrip()
    + "\n" + _meta(meta, "  "),
    ENTRY_DATES, st.sampled_from(FUND_TYPES), st.lists(VALUES, max_size=5), META)
POLICIES = st.builds(
    lambda day, key, value: f'{day} custom "fund-policy" "{key}" {value}\n',
    ENTRY_DATES, st.sampled_from(POLICY_KEYS), VALUES)
EMPTY_MEMBERS = ENTRY_DATES.map(lambda day: f'{day} custom "member"\n')
POSTINGS = st.tuples(st.sampled_from(ACCOUNTS),
                     st.one_of(st.none(), NUMBERS),
                     st.sampled_from(["CNY", "CNY", "USD"]), META)


def _transaction(day, narration, meta, postings, balance_account) -> str:
    lines = [f'{day} * "{narration}"\n', _meta(meta, "  ")]
    for account, number, currency, pmeta in postings:
        amount = "" if number is None else f"  {_number(number)} {currency}"
        lines.append(f"  {account}{amount}\n" + _meta(pmeta, "    "))
    if balance_account:
        lines.append(f"  {balance_account}\n")
    return "".join(lines)


TRANSACTIONS = st.builds(_transaction, ENTRY_DATES, SAFE_TEXT, META,
                         st.lists(POSTINGS, min_size=1, max_size=3),
                         st.one_of(st.none(), st.sampled_from(ACCOUNTS)))
OPENS = st.builds(lambda day, account, meta: f"{day} open {account}\n" + _meta(meta, "  "),
                  ENTRY_DATES, st.sampled_from(ACCOUNTS), META)
CLOSES = st.builds(lambda day, account: f"{day} close {account}\n", ENTRY_DATES,
                   st.sampled_from(ACCOUNTS))
LOAN_META = st.lists(st.tuples(st.sampled_from(["due", "rate", "guarantor", "application",
                                                 "member", "months"]), VALUES),
                     max_size=5, unique_by=lambda kv: kv[0])
LOANISH = st.builds(
    lambda day, meta, loan, number: f'{day} * "借款"\n' + _meta(meta, "  ")
    + f"  Assets:Loans:{loan}  {_number(number)} CNY\n  Assets:Bank:Fund\n",
    ENTRY_DATES, LOAN_META, st.sampled_from(["L1", "L2", "L3"]), NUMBERS)
RELIEFISH = st.builds(
    lambda day, kind, number, meta: f'{day} * "救济"\n  Expenses:Relief:{kind}  '
    f"{_number(number)} CNY\n" + _meta(meta, "    ") + "  Assets:Bank:Fund\n",
    ENTRY_DATES, st.sampled_from(["Medical", "Visits", "Subsidy", "Education", "Emergency"]),
    NUMBERS, st.lists(st.tuples(st.sampled_from(["member", "application", "months", "child"]),
                                st.one_of(st.sampled_from(['"M1"', '"A1"', '"A2"']), VALUES)),
                      max_size=4, unique_by=lambda kv: kv[0]))
STEPS = st.builds(
    lambda day, kind, ref, extra: f'{day} custom "{kind}" "{ref}"{extra}\n',
    ENTRY_DATES,
    st.sampled_from(["branch-review", "publicity", "approve", "inspect", "reject", "reschedule",
                     "write-off", "exit", "review"]),
    st.sampled_from(["A1", "A2", "L1", "L2", "M1", "M9"]),
    st.one_of(st.just(""), VALUES.map(lambda v: " " + v)))
GARBAGE = st.lists(st.one_of(CUSTOMS, CUSTOMS, POLICIES, EMPTY_MEMBERS, TRANSACTIONS, LOANISH,
                             RELIEFISH, STEPS, STEPS, OPENS, CLOSES), min_size=1, max_size=30)

GARBAGE_HEADER = """\
option "operating_currency" "CNY"
plugin "fundledger.plugin"

2024-01-01 open Assets:Bank:Fund
2024-01-01 open Assets:Loans:L1
2024-01-01 open Income:Dues
2024-01-01 open Expenses:Relief:Medical
2024-01-01 open Expenses:Relief:Visits
2024-01-01 custom "member" "M1"
  name: "张秀兰"
  branch: "中田村党支部"
2024-01-02 custom "review" "M1" "general"
2024-01-02 * "捐款"
  Assets:Bank:Fund  20000 CNY
  Income:Dues
2024-01-03 custom "apply" "A1" "M1" "loan" 3000 CNY
2024-01-04 custom "branch-review" "A1"
2024-01-05 custom "publicity" "A1"
2024-01-10 custom "approve" "A1" 3000 CNY
2024-01-11 custom "inspect" "A1"
2024-01-12 * "张秀兰" "借款"
  application: "A1"
  due: 2025-01-12
  guarantor: "中田村党支部"
  Assets:Loans:L1  3000 CNY
  Assets:Bank:Fund
2024-01-13 custom "apply" "A2" "M1" "relief" 2000 CNY
"""

def check_never_raises(text: str) -> list:
    _, errors, _ = loader.load_string(text)
    for error in errors:
        source = error.source or {}
        # a plugin that raises, or beancount's pad plugin tripping over a custom with no
        # values (PITFALLS.md), shows up as an error at <load>:0 with a traceback
        assert source.get("filename") != "<load>", error.message
        assert "Traceback" not in error.message, error.message
        assert "fundledger" not in str(source.get("filename", "")), error
    fund = [e for e in errors if e.message.startswith("FL")]
    for error in fund:
        assert isinstance(error.source, dict), error
        assert error.source.get("filename") == "<string>", error
        assert isinstance(error.source.get("lineno"), int) and error.source["lineno"] >= 1, error
    faults = [e.message for e in fund if e.message.startswith("FL000")]
    assert not faults, faults
    again = pickle.loads(pickle.dumps(errors))
    assert [e.message for e in again] == [e.message for e in errors]
    return errors


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GARBAGE)
def test_plugin_never_raises_on_garbage(directives):
    check_never_raises(GARBAGE_HEADER + "\n" + "\n".join(directives))


def test_a_valueless_custom_is_FL106_and_does_not_trip_beancounts_pad_plugin():
    text = 'plugin "fundledger.plugin"\noption "operating_currency" "CNY"\n' \
           '2024-01-01 custom "member"\n2024-01-01 custom "x"\n'
    errors = check_never_raises(text)
    assert [(e.message[:5], e.source["lineno"]) for e in errors] == [("FL106", 3)]


CLI_COMMANDS = (
    ("check",), ("balances", "--as-of", "2025-06-30", "--format", "json"),
    ("loans", "--as-of", "2026-12-31", "--format", "json"), ("loans", "--as-of", "2025-01-31"),
    ("member", "M1"),
)


def run_cli_on(text: str) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "garbage.beancount"
        path.write_text(text, encoding="utf-8")
        for command in CLI_COMMANDS:
            args = [command[0], str(path), *command[1:]]
            result = runner.invoke(fundledger_cli, args)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                fault = f"{type(result.exception).__name__}: {result.exception}"
                raise AssertionError(f"fundledger {' '.join(command)} crashed: {fault}")
            assert result.exit_code in (0, 1), (args, result.output)
            if "json" in command:
                json.loads(result.stdout)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GARBAGE)
def test_commands_never_crash_on_garbage(directives):
    run_cli_on(GARBAGE_HEADER + "\n" + "\n".join(directives))


# Deterministic garbage that must stay survivable, whatever hypothesis happens to draw.
SURVIVABLE = {
    "member without values": '2024-02-01 custom "member"\n',
    "review without values": '2024-02-01 custom "review"\n',
    "policy without values": '2024-02-01 custom "fund-policy"\n',
    "metadata of the wrong types": """\
2024-02-01 * "借款"
  application: "NOPE"
  due: 5
  rate: "x"
  guarantor: 2024-01-01
  member: 7
  Assets:Loans:L1  3000 CNY
  Assets:Bank:Fund
2024-02-02 * "救济"
  Expenses:Relief:Medical  -50 CNY
    member: 7
    months: "abc"
    application: TRUE
  Assets:Bank:Fund
""",
    "random policy values": """\
2024-02-01 custom "fund-policy" "loan-max" "five thousand"
2024-02-01 custom "fund-policy" "publicity-days" -3
2024-02-01 custom "fund-policy" "steps-loan" 42
2024-02-01 custom "fund-policy" "no-such-key" TRUE
2024-02-01 custom "fund-policy" "application-exempt" Assets:Bank:Fund
""",
    "values of every type": """\
2024-02-01 custom "apply" 5 2024-01-01 TRUE Assets:Bank:Fund -3 CNY
2024-02-01 custom "approve" "A1" -3000 USD
2024-02-01 custom "reschedule" "L1" "tomorrow"
2024-02-01 custom "write-off" "L404"
2024-02-01 custom "release" 0 CNY
""",
}


def test_garbage_header_alone_is_clean():
    assert check_never_raises(GARBAGE_HEADER) == []


@pytest.mark.parametrize("name", list(SURVIVABLE))
def test_plugin_survives(name):
    errors = check_never_raises(GARBAGE_HEADER + "\n" + SURVIVABLE[name])
    assert any(e.message.startswith("FL") for e in errors)


# ------------------------------------------------------------ internal faults once found (FL000)
# Each is a minimal reproducer of an FL000 (or a traceback) that hypothesis once found. SPEC §3
# makes these values well-typed ("number", a date), so they must give a verdict — FL103, a
# rule's error, or none — never an internal fault.

FAULTS = {
    "pool: with an amount value on an open": """\
2024-01-01 open Income:Gifts CNY
  pool: 5 CNY
""",
    "loan-term-months too large for a date": """\
2024-01-01 custom "fund-policy" "loan-term-months" 99999999999
2024-02-01 * "借款"
  application: "A1"
  due: 2025-01-12
  guarantor: "中田村党支部"
  Assets:Loans:L2  3000 CNY
  Assets:Bank:Fund
""",
    "review-valid-months too large for a date": """\
2024-01-01 custom "fund-policy" "review-valid-months" 99999999999
2024-02-01 * "走访"
  Expenses:Relief:Visits  10 CNY
    member: "M1"
  Assets:Bank:Fund
""",
    "loan-extension-months too large for a date": """\
2024-01-01 custom "fund-policy" "loan-extension-months" 99999999999
2024-03-01 custom "reschedule" "L1" 2025-06-30
  minutes: "〔2024〕1号"
""",
    "due: 9999-12-31 and a reschedule": """\
2024-02-01 * "借款"
  due: 9999-12-31
  guarantor: "中田村党支部"
  Assets:Loans:L2  3000 CNY
  Assets:Bank:Fund
2024-03-01 custom "reschedule" "L2" 9999-12-31
  minutes: "〔2024〕1号"
""",
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_no_internal_fault(name):
    check_never_raises(GARBAGE_HEADER + "\n" + FAULTS[name])


def test_member_command_survives_a_huge_review_validity():
    run_cli_on(GARBAGE_HEADER + "\n" + FAULTS["review-valid-months too large for a date"])
