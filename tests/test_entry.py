"""``fundledger add``: each kind writes a well-formatted entry that checks clean; a refused
entry leaves every file byte-identical; the file layout convention; usage errors."""

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import fundledger
from fundledger.cli_entry import add
from fundledger.entry.format import (
    Entry,
    EntryError,
    Posting,
    amount_ends,
    most_common_end,
    parse_amount,
    parse_rate,
    transaction,
)
from fundledger.includes import includes_in
from fundledger.table import width

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"


def run(*args):
    return CliRunner().invoke(add, [str(a) for a in args])


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.beancount"))}


@pytest.fixture
def top(tmp_path):
    """The SPEC's small fund, one file (cash account: only Assets:Bank:Fund)."""
    path = tmp_path / "main.beancount"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def added(path: Path, before: bytes | None) -> str:
    """The text appended to ``path`` since ``before``."""
    return path.read_text(encoding="utf-8")[len((before or b"").decode("utf-8")):]


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_every_kind_writes_a_formatted_entry_that_checks_clean(top):
    year = top.parent / "2026.beancount"
    steps = [
        (["member", "--id", "M0008", "--name", "李金明", "--branch", "东山村党支部",
          "--category", "rural", "--date", "2026-01-02"],
         '2026-01-02 custom "member" "M0008"\n  name: "李金明"\n  branch: "东山村党支部"\n'
         '  category: "rural"\n'),
        (["review", "--member", "M0008", "--tier", "general", "--date", "2026-01-03"],
         '2026-01-03 custom "review" "M0008" "general"\n'),
        (["review", "--member", "M0007", "--tier", "relative", "--date", "2026-01-06"],
         '2026-01-06 custom "review" "M0007" "relative"\n'),
        (["apply", "--member", "M0008", "--kind", "loan", "--amount", "3,000",
          "--purpose", "生猪养殖", "--date", "2026-01-05"],
         '2026-01-05 custom "apply" "A2026-001" "M0008" "loan" 3000.00 CNY\n  purpose: "生猪养殖"\n'),
        (["step", "--application", "A2026-001", "--step", "branch-review", "--date", "2026-01-06"],
         '2026-01-06 custom "branch-review" "A2026-001"\n'),
        (["step", "--application", "A2026-001", "--step", "publicity", "--date", "2026-01-07"],
         '2026-01-07 custom "publicity" "A2026-001"\n'),
        (["approve", "--application", "A2026-001", "--amount", "3000", "--body", "乡党委",
          "--minutes", "〔2026〕2号", "--date", "2026-01-13"],
         '2026-01-13 custom "approve" "A2026-001" 3000.00 CNY\n  body: "乡党委"\n'
         '  minutes: "〔2026〕2号"\n'),
        (["step", "--application", "A2026-001", "--step", "inspect", "--date", "2026-01-14"],
         '2026-01-14 custom "inspect" "A2026-001"\n'),
        (["loan", "--application", "A2026-001", "--amount", "3000", "--guarantor", "东山村党支部",
          "--rate", "4.35%", "--date", "2026-01-15"],
         "2026-01-15 open Assets:Loans:L2026-001 CNY\n\n"
         '2026-01-15 * "李金明" "生猪养殖借款"\n  voucher: "记-2026-01-001"\n'
         '  application: "A2026-001"\n  due: 2028-01-15\n'
         '  guarantor: "东山村党支部"\n  rate: 0.0435\n'
         "  Assets:Loans:L2026-001    3000.00 CNY\n  Assets:Bank:Fund\n"),
        (["donation", "--amount", "￥500", "--donor", "王建国", "--campaign", "2026一日捐",
          "--date", "2026-03-01"],
         '2026-03-01 * "王建国" "2026一日捐"\n  voucher: "记-2026-03-001"\n  donor: "王建国"\n  campaign: "2026一日捐"\n'
         "  Assets:Bank:Fund           500.00 CNY\n  Income:Donations:Members\n"),
        (["allocation", "--account", "Income:Dues", "--amount", "2000", "--payer", "乡党委",
          "--date", "2026-03-02"],
         '2026-03-02 * "乡党委" "留存党费划拨"\n  voucher: "记-2026-03-002"\n'
         "  Assets:Bank:Fund          2000.00 CNY\n  Income:Dues\n"),
        (["relief", "--member", "M0007", "--account", "Visits", "--amount", "200",
          "--date", "2026-07-01"],
         '2026-07-01 * "张秀兰" "走访慰问"\n  voucher: "记-2026-07-001"\n'
         '  Expenses:Relief:Visits     200.00 CNY\n'
         '    member: "M0007"\n  Assets:Bank:Fund\n'),
        (["repay", "--loan", "L2026-001", "--principal", "1000", "--interest", "65.25",
          "--date", "2026-07-15"],
         '2026-07-15 * "李金明" "还本付息"\n  voucher: "记-2026-07-002"\n'
         '  Assets:Bank:Fund          1065.25 CNY\n'
         "  Assets:Loans:L2026-001   -1000.00 CNY\n  Income:Interest:Loans      -65.25 CNY\n"),
    ]
    for args, expected in steps:
        before = year.read_bytes() if year.exists() else None
        result = ok(run(args[0], top, *args[1:]))
        assert expected in result.stdout
        assert added(year, before).endswith(expected), args[0]
        fund = fundledger.load(top)
        assert [e.message for e in fund.errors] == [], args[0]
    text = year.read_text(encoding="utf-8")
    assert text.startswith("; ")  # the header of a file fundledger created
    assert top.read_text(encoding="utf-8").endswith('\ninclude "2026.beancount"\n')
    fund = fundledger.load(top)
    assert fund.loans["L2026-001"].balance_on(datetime.date(2026, 12, 31)) == Decimal("2000.00")


def test_amounts_line_up_with_the_files_habit(tmp_path):
    top = tmp_path / "main.beancount"
    top.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "  Assets:Bank:Fund          8000.00 CNY", "  Assets:Bank:Fund                       8000.00 CNY"),
        encoding="utf-8")
    # habits differ within the file: the most common end column wins
    col = most_common_end(amount_ends(top.read_text(encoding="utf-8")))
    ok(run("donation", top, "--amount", "50", "--donor", "王", "--date", "2026-02-01",
           "--file", top))
    line = [ln for ln in top.read_text(encoding="utf-8").splitlines() if "50.00 CNY" in ln][-1]
    assert width(line.split(" CNY")[0]) == col


def test_alignment_counts_display_width():
    entry = Entry(datetime.date(2026, 1, 1), '* "慰问"', [], [
        Posting("Expenses:Relief:Visits", Decimal("300"), "CNY"),
        Posting("Assets:Cash:Office", Decimal("-300"), "CNY")])
    lines = entry.lines(40)
    assert [width(ln.split(" CNY")[0]) for ln in lines[1:]] == [40, 40]
    # a column too narrow for the longest account moves right rather than touching it
    assert "Visits  300.00 CNY" in entry.lines(10)[1]
    # a line with Chinese before the amount: two columns per character
    assert most_common_end(amount_ends("  ! Assets:Bank:Fund        1.00 CNY\n  Assets:X   1.00 CNY")) \
        is not None
    cjk = transaction(datetime.date(2026, 1, 1), "张三", "捐款", [("donor", '说"好"')], [])
    assert cjk.text() == '2026-01-01 * "张三" "捐款"\n  donor: "说\\"好\\""\n'


@pytest.mark.parametrize("text, expected", [
    ("1234.5", "1234.50"), ("1,234.50", "1234.50"), ("300 CNY", "300.00"), ("￥300", "300.00"),
    ("300元", "300.00"), ("0.01", "0.01"), ("１，２３４．５", "1234.50"), ("￥３００", "300.00"),
    ("999999999999999.99", "999999999999999.99"), ("500.000", "500.00"),
])
def test_amounts_parse_exactly(text, expected):
    assert parse_amount(text, "CNY") == Decimal(expected)
    assert str(parse_amount(text, "CNY")) == expected


@pytest.mark.parametrize("text", ["12.345", "-5", "0", "abc", "5 USD", "1e3", "", "NaN", "nan",
                                  "Infinity", "-Infinity", "inf", "sNaN", "1e40", "1E5",
                                  "1" + "0" * 29, "1" + "0" * 15, "12,34", "1,2345"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(EntryError):
        parse_amount(text, "CNY")


def test_rates():
    assert parse_rate("4.35%") == Decimal("0.0435") == parse_rate("0.0435")
    assert parse_rate("４．３５％") == Decimal("0.0435")
    for bad in ("35", "NaN", "Infinity", "sNaN%", "1e-40", "4.35e0%", "1" + "0" * 30 + "%"):
        with pytest.raises(EntryError):
            parse_rate(bad)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "1e40",
                                   "1" + "0" * 29, "1" + "0" * 15])
@pytest.mark.parametrize("kind, option, rest", [
    ("donation", "--amount", ["--donor", "x"]),
    ("repay", "--principal", ["--loan", "L2025-003"]),
    ("repay", "--interest", ["--loan", "L2025-003", "--principal", "1"]),
    ("apply", "--amount", ["--member", "M0007", "--kind", "relief", "--purpose", "医疗"]),
])
def test_amounts_that_are_not_money_are_usage_errors(top, kind, option, rest, value):
    before = files_of(top.parent)
    result = run(kind, top, option, value, *rest, "--date", "2026-08-01")
    assert result.exit_code == 2, result.output
    assert "金额" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert files_of(top.parent) == before


@pytest.mark.parametrize("rate", ["NaN", "1e-40", "Infinity%"])
def test_a_rate_that_is_not_a_rate_is_a_usage_error(top, rate):
    result = run("loan", top, "--application", "A2025-003", "--amount", "1000", "--rate", rate)
    assert result.exit_code == 2 and "利率" in result.output


@pytest.mark.parametrize("args, code", [
    (["repay", "--loan", "L2025-003", "--principal", "2500", "--date", "2026-08-01"], "FL307"),
    (["relief", "--member", "M0007", "--account", "Visits", "--amount", "100",
      "--date", "2026-07-01"], "FL401"),  # registered, but the review ran out on 2026-01-06
    (["loan", "--application", "A2025-003", "--loan", "L2025-009", "--amount", "9000",
      "--guarantor", "x", "--date", "2025-06-06"], "FL301"),
])
def test_a_refused_entry_leaves_every_file_byte_identical(top, args, code):
    before = files_of(top.parent)
    result = run(args[0], top, *args[1:])
    assert result.exit_code == 1, result.output
    assert code in result.stderr and "未写入" in result.stderr
    line = next(ln for ln in result.stderr.splitlines() if code in ln)
    assert line.startswith(f"{top.parent / '2026.beancount'}:") or line.startswith(f"{top.parent}")
    assert files_of(top.parent) == before
    assert not (top.parent / "2026.beancount").exists() or "2026.beancount" in before


def test_new_error_is_printed_at_the_line_it_would_have(top):
    result = run("repay", top, "--loan", "L2025-003", "--principal", "2500", "--date", "2026-08-01",
                 "--file", top)
    line = next(ln for ln in result.stderr.splitlines() if "FL307" in ln)
    n = len(top.read_text(encoding="utf-8").splitlines())
    assert line.startswith(f"{top}:{n + 2}: FL307 ")


def test_dry_run_shows_and_checks_but_writes_nothing(top):
    before = files_of(top.parent)
    result = ok(run("donation", top, "--amount", "10", "--donor", "某", "--date", "2026-01-01",
                    "--dry-run"))
    assert '2026-01-01 * "某" "捐款"' in result.stdout and "--dry-run" in result.stderr
    assert files_of(top.parent) == before


def test_pre_existing_errors_warn_but_do_not_block(top):
    with top.open("a", encoding="utf-8") as out:
        out.write('\n2026-07-01 * "慰问"\n  Expenses:Relief:Visits 100.00 CNY\n  Assets:Bank:Fund\n')
    result = ok(run("donation", top, "--amount", "10", "--donor", "某", "--date", "2026-01-01"))
    assert "warning" in result.stderr and "FL105" in result.stderr
    assert "已写入" in result.stderr


@pytest.mark.parametrize("args, words", [
    (["donation", "--amount", "12.345", "--donor", "x"], "两位小数"),
    (["step", "--application", "A2025-003", "--step", "branch-reveiw"], "branch-review"),
    (["step", "--application", "A2025-003", "--step", "approve"], "add approve"),
    (["relief", "--member", "M0007", "--account", "Assets:Bank:Fund", "--amount", "1"], "救济账户"),
    (["member", "--id", "0007", "--name", "x", "--branch", "y"], "编号"),
    (["donation", "--amount", "5", "--donor", "x", "--cash", "Income:Dues"], "现金账户"),
])
def test_usage_errors_exit_2_and_write_nothing(top, args, words):
    before = files_of(top.parent)
    result = run(args[0], top, *args[1:])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert files_of(top.parent) == before


def test_missing_ledger_is_exit_2(tmp_path):
    result = run("donation", tmp_path / "none.beancount", "--amount", "5", "--donor", "x")
    assert result.exit_code == 2 and "找不到账本文件" in result.output


# ---------------------------------------------------------------- the file layout convention

HEAD = textwrap.dedent("""\
    option "title" "测试基金"
    option "operating_currency" "CNY"
    plugin "fundledger.plugin"
    """)
ACCOUNTS = textwrap.dedent("""\
    2025-01-01 open Assets:Bank:Fund CNY
    2025-01-01 open Assets:Cash:Office CNY
    2025-01-01 open Income:Donations:Members CNY
    2025-01-01 open Expenses:Relief:Visits CNY
    """)
FUNDING = textwrap.dedent("""\
    2025-03-01 * "王建国" "捐款"
      Assets:Bank:Fund                    100.00 CNY
      Income:Donations:Members
    """)
MEMBERS = textwrap.dedent("""\
    2025-01-02 custom "member" "M0001"
      name: "张秀兰"
      branch: "中田村党支部"
    """)


def _per_year(tmp_path: Path, includes: str) -> Path:
    (tmp_path / "2025").mkdir()
    (tmp_path / "accounts.beancount").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "2025" / "funding.beancount").write_text(FUNDING, encoding="utf-8")
    (tmp_path / "2025" / "members.beancount").write_text(MEMBERS, encoding="utf-8")
    top = tmp_path / "main.beancount"
    top.write_text(HEAD + includes, encoding="utf-8")
    return top


DONATE = ["--amount", "10", "--donor", "某", "--cash", "Assets:Bank:Fund"]


def test_per_year_layout_is_followed_and_new_years_are_included(tmp_path):
    top = _per_year(tmp_path, 'include "accounts.beancount"\ninclude "2025/funding.beancount"\n'
                              'include "2025/members.beancount"\n')
    ok(run("donation", top, *DONATE, "--date", "2025-04-01"))
    assert '2025-04-01 * "某" "捐款"' in (tmp_path / "2025/funding.beancount").read_text("utf-8")
    # the amount lines up with the file's own habit (column 42)
    assert "  Assets:Bank:Fund                     10.00 CNY" in (
        tmp_path / "2025/funding.beancount").read_text("utf-8")
    ok(run("member", top, "--name", "李金明", "--branch", "东山村党支部", "--date", "2025-05-01"))
    assert 'custom "member" "M0002"' in (tmp_path / "2025/members.beancount").read_text("utf-8")
    ok(run("donation", top, *DONATE, "--date", "2026-01-10"))
    assert (tmp_path / "2026/funding.beancount").exists()
    assert top.read_text("utf-8").endswith('include "2026/funding.beancount"\n')
    # a group the layout has no file for yet starts one beside the others
    ok(run("review", top, "--member", "M0002", "--tier", "general", "--date", "2026-01-11"))
    assert (tmp_path / "2026/members.beancount").exists()
    assert fundledger.load(top).errors == []


@pytest.mark.parametrize("glob_include", [
    'include "*/*.beancount"', 'include"*/*.beancount"', r'include "*/*.bean\count"'])
def test_a_glob_include_that_names_the_new_file_gets_no_second_include(tmp_path, glob_include):
    top = _per_year(tmp_path, f'include "accounts.beancount"\n{glob_include}\n')
    ok(run("donation", top, *DONATE, "--date", "2026-01-10"))
    assert (tmp_path / "2026/funding.beancount").exists()
    assert "2026" not in top.read_text("utf-8")
    assert fundledger.load(top).errors == []


def test_the_pragma_names_the_file(tmp_path):
    top = _per_year(tmp_path, 'include "accounts.beancount"\ninclude "2025/funding.beancount"\n'
                              ';; fundledger-entry-file: "books/{year}-{group}.beancount"\n')
    ok(run("donation", top, *DONATE, "--date", "2026-01-10"))
    assert (tmp_path / "books/2026-funding.beancount").exists()
    assert top.read_text("utf-8").endswith('include "books/2026-funding.beancount"\n')


def test_file_option_and_a_file_outside_the_ledger(tmp_path):
    top = _per_year(tmp_path, 'include "accounts.beancount"\ninclude "2025/funding.beancount"\n')
    stray = tmp_path / "stray.beancount"
    stray.write_text(FUNDING.replace("2025-03-01", "2025-03-02"), encoding="utf-8")
    result = run("donation", top, *DONATE, "--date", "2025-04-01", "--file", stray)
    assert result.exit_code == 2 and "不在账本中" in result.output
    ok(run("donation", top, *DONATE, "--date", "2025-04-01", "--file", tmp_path / "extra.beancount"))
    assert top.read_text("utf-8").endswith('include "extra.beancount"\n')


def test_ambiguous_cash_account_is_a_usage_error(tmp_path):
    top = _per_year(tmp_path, 'include "accounts.beancount"\n')
    result = run("donation", top, "--amount", "10", "--donor", "某")
    assert result.exit_code == 2 and "--cash" in result.output


def test_crlf_files_keep_their_line_endings(tmp_path):
    top = tmp_path / "main.beancount"
    top.write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    ok(run("donation", top, "--amount", "10", "--donor", "某", "--date", "2026-01-01", "--file", top))
    data = top.read_bytes()
    assert b"\r\n2026-01-01" in data and data.count(b"\n") == data.count(b"\r\n")


@pytest.mark.parametrize("directive, path, hit", [
    ('include "*/*.beancount"', "2026/x.beancount", True),
    ('include "*.beancount"', "2026/x.beancount", False),
    ('include "**/*.beancount"', "2026/b/x.beancount", True),
    ('include "**/*.beancount"', "x.beancount", True),
    ('include "**/*.beancount"', ".old/x.beancount", False),
    ('include "*.beancount"', ".x.beancount", False),
    ('include ".*.beancount"', ".x.beancount", True),
    ('include "202[56]/*.beancount"', "2026/x.beancount", True),
    ('include "202[!6]/*.beancount"', "2026/x.beancount", False),
    ('include "2025/*.beancount"', "2026/x.beancount", False),
    ('include "2026/x.beancount"', "2026/x.beancount", True),
    ('include"2026/*.beancount"', "2026/x.beancount", True),
    ('  include "2026/*.beancount"', "2026/x.beancount", True),
    (r'include "20\26/*.beancount"', "2026/x.beancount", True),
    ('; include "2026/*.beancount"', "2026/x.beancount", False),
])
def test_an_include_covers_a_new_file_exactly_when_glob_would_match_it(
        tmp_path, directive, path, hit):
    top = tmp_path / "main.beancount"
    (include,) = includes_in(str(top), directive.encode()) or [None]
    covered = include is not None and include.covers(str(tmp_path / path))
    assert covered is hit
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text("", encoding="utf-8")
    assert (include is not None and str(tmp_path / path) in include.matches()) is hit


def test_a_file_reached_by_an_absolute_include_cannot_be_checked_so_is_refused(tmp_path):
    top = tmp_path / "main.beancount"
    extra = tmp_path / "extra.beancount"
    extra.write_text("", encoding="utf-8")
    top.write_text(EXAMPLE.read_text(encoding="utf-8") + f'\ninclude "{extra}"\n', encoding="utf-8")
    before = files_of(tmp_path)
    result = run("donation", top, "--amount", "5", "--donor", "x", "--date", "2026-01-01",
                 "--file", extra)
    assert result.exit_code == 2 and "absolute path" in result.output
    assert files_of(tmp_path) == before


def test_without_the_plugin_line_the_fund_rules_still_guard_the_entry(tmp_path):
    top = tmp_path / "main.beancount"
    top.write_text(EXAMPLE.read_text(encoding="utf-8").replace('plugin "fundledger.plugin"', ""),
                   encoding="utf-8")
    result = run("relief", top, "--member", "M0007", "--account", "Visits", "--amount", "100",
                 "--date", "2026-07-01")
    assert result.exit_code == 1 and "FL401" in result.stderr
    assert not (tmp_path / "2026.beancount").exists()


# ---------------------------------------------------------------- add open, add follow-up

def test_open_goes_to_the_file_holding_the_other_opens(tmp_path):
    top = tmp_path / "main.beancount"
    top.write_text('option "operating_currency" "CNY"\nplugin "fundledger.plugin"\n'
                   'include "accounts.beancount"\n', encoding="utf-8")
    accounts = tmp_path / "accounts.beancount"
    accounts.write_text("2025-01-01 open Assets:Bank:Fund CNY\n  name: \"专户\"\n"
                        "2025-01-01 open Income:Donations:Members CNY\n", encoding="utf-8")
    result = ok(run("open", top, "--account", "Income:Donations:Society", "--name", "社会捐款",
                    "--pool", "spendable", "--date", "2026-01-01"))
    assert accounts.read_text(encoding="utf-8").endswith(
        '\n2026-01-01 open Income:Donations:Society CNY\n  name: "社会捐款"\n  pool: "spendable"\n')
    assert str(accounts) in result.stderr and not (tmp_path / "2026.beancount").exists()
    assert fundledger.load(top).state.accounts["Income:Donations:Society"].pool == "spendable"


@pytest.mark.parametrize("args, words", [
    (["--account", "Expenses:Office", "--name", "办公费"], "FL102"),
    (["--account", "Income:捐款", "--name", "捐款"], "不合规"),
    (["--account", "income:Gifts", "--name", "捐款"], "不合规"),
    (["--account", "Assets:Bank:Fund", "--name", "专户"], "已开立"),
    (["--account", "Expenses:Relief:Medical", "--name", "医疗", "--pool", "spendable"], "pool"),
    (["--account", "Expenses:Relief:Medical"], "--name"),
])
def test_open_refuses_what_the_fund_cannot_have(top, args, words):
    before = files_of(top.parent)
    result = run("open", top, *args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert files_of(top.parent) == before


def test_follow_up_is_written_with_its_contact(top):
    result = ok(run("follow-up", top, "--member", "M0007", "--contact", "支部书记",
                    "--note", "电话回访，生产正常", "--date", "2025-09-01"))
    expected = ('2025-09-01 custom "follow-up" "M0007"\n  contact: "支部书记"\n'
                '  note: "电话回访，生产正常"\n')
    assert expected in result.stdout
    assert fundledger.load(top).errors == []
    missing = run("follow-up", top, "--member", "M0007", "--date", "2025-09-01")
    assert missing.exit_code == 2 and "--contact" in missing.output


# ---------------------------------------------------------------- voucher numbers

def _with_vouchers(top: Path, *numbers: str) -> None:
    with top.open("a", encoding="utf-8") as out:
        for i, number in enumerate(numbers):
            out.write(f'\n2026-03-0{i + 1} * "某" "捐款"\n  voucher: "{number}"\n'
                      "  Assets:Bank:Fund 1.00 CNY\n  Income:Donations:Members\n")


def test_each_transaction_gets_the_months_next_voucher(top):
    _with_vouchers(top, "记-2026-03-007", "记-2026-03-002", "记-2026-04-030", "收-2026-03-050")
    result = ok(run("donation", top, "--amount", "5", "--donor", "王", "--date", "2026-03-20",
                    "--attachments", "2", "--file", top))
    assert '  voucher: "记-2026-03-008"\n  attachments: 2\n  donor: "王"\n' in result.stdout
    result = ok(run("donation", top, "--amount", "6", "--donor", "王", "--date", "2026-03-21",
                    "--file", top))
    assert '  voucher: "记-2026-03-009"\n  donor: "王"\n' in result.stdout  # no attachments line
    result = ok(run("relief", top, "--member", "M0007", "--account", "Visits", "--amount", "1",
                    "--date", "2025-05-01", "--dry-run"))
    assert '  voucher: "记-2025-05-001"\n' in result.stdout
    assert fundledger.load(top).errors == []


def test_a_voucher_given_is_used_and_one_already_used_is_refused(top):
    _with_vouchers(top, "记-2026-03-001")
    result = ok(run("donation", top, "--amount", "5", "--donor", "王", "--date", "2026-03-20",
                    "--voucher", "记-2026-03-100", "--dry-run"))
    assert '  voucher: "记-2026-03-100"\n' in result.stdout
    before = files_of(top.parent)
    again = run("donation", top, "--amount", "5", "--donor", "王", "--date", "2026-03-20",
                "--voucher", "记-2026-03-001")
    assert again.exit_code == 2 and "FL107" in again.output and "已用于" in again.output
    assert files_of(top.parent) == before


def test_directives_that_are_not_transactions_have_no_voucher(top):
    result = run("review", top, "--member", "M0007", "--tier", "general", "--voucher", "记-1")
    assert result.exit_code == 2  # no such option
    loan = run("loan", top, "--application", "A2025-003", "--loan", "L2025-004", "--amount",
               "100", "--guarantor", "x", "--date", "2025-06-06", "--dry-run")  # FL206, FL305
    assert "open Assets:Loans:L2025-004 CNY\n\n2025-06-06 *" in loan.stdout
    assert loan.stdout.count("voucher:") == 1  # the disbursement, not the open
