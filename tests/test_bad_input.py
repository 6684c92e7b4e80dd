"""Bad input is a clear message, never a traceback: amounts beyond any fund, years outside
the ledger, a missing ledger (issue items 8 and 9)."""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from fundledger.capital import rmb_upper
from fundledger.cli import main
from fundledger.money import as_str, fmt, q

HEAD = '''option "operating_currency" "CNY"
plugin "fundledger.plugin"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Donations CNY
  pool: "spendable"
2025-01-01 open Expenses:Relief:Visits CNY
2025-01-02 custom "member" "M1"
  name: "张三"
  branch: "一支部"
2025-01-03 custom "review" "M1" "general"
2025-01-10 * "捐款"
  Assets:Bank:Fund 100.00 CNY
  Income:Donations
'''
BIG = "123456789012345678901234567890.00"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def ledger(tmp_path, text, name="main.beancount"):
    path = tmp_path / name
    path.write_text(HEAD + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [BIG, "-" + BIG, "1E+40", "-1E+40", "99999999999999999999.995",
                                  "1E-30", "0.125"])
def test_formatters_are_exact_for_any_decimal(text):
    value = Decimal(text)
    assert Decimal(as_str(value)) == value  # exact, never rounded at 28 digits
    assert q(value) == value.quantize(Decimal("0.01"), context=_wide_enough())
    assert Decimal(fmt(value).replace(",", "")) == q(value)


def _wide_enough():
    from decimal import ROUND_HALF_UP, Context

    return Context(prec=100, rounding=ROUND_HALF_UP)


def test_as_str_keeps_two_decimals_after_dropping_trailing_zeros():
    assert as_str(Decimal("100.000")) == "100.00"
    assert as_str(Decimal("1.500")) == "1.50"
    assert as_str(Decimal("0.1250")) == "0.125"
    assert as_str(Decimal("-1234.5")) == "-1234.50"


def test_half_up_beyond_28_digits():
    assert fmt(Decimal("123456789012345678901234567890.005")) == \
        "123,456,789,012,345,678,901,234,567,890.01"


@pytest.mark.parametrize("text", ["10000000000000000", BIG, "1E+40", "-1E+40",
                                  "9999999999999999.995"])
def test_capital_numerals_beyond_their_range_say_so(text):
    assert rmb_upper(Decimal(text)) == "人民币金额超出大写范围"


def test_capital_numerals_to_sixteen_digits():
    assert rmb_upper(Decimal("1000000000000000")) == "人民币壹仟万亿元整"


@pytest.fixture
def huge_relief(tmp_path):
    return ledger(tmp_path, f'''2025-02-10 * "慰问"
  Expenses:Relief:Visits {BIG} CNY
    member: "M1"
  Assets:Bank:Fund -{BIG} CNY
''')


@pytest.mark.parametrize("args", [
    ["check"], ["balances"], ["balances", "--format", "json"], ["loans"],
    ["notice", "--year", "2025"], ["notice", "--year", "2025", "--format", "json"],
    ["notice", "--year", "2025", "--format", "html"], ["member", "M1"]])
def test_a_thirty_digit_amount_never_crashes(huge_relief, args):
    result = run(args[0], huge_relief, *args[1:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1
    assert "FL000" not in result.output and "Traceback" not in result.output


def test_a_huge_relief_amount_is_not_an_internal_error(tmp_path):
    # whether the fund leaves such a transaction out (FL106) or not, nothing may crash
    path = ledger(tmp_path, '''2025-02-10 * "慰问"
  Expenses:Relief:Visits 100000000000000000000 CNY
    member: "M1"
  Assets:Bank:Fund
''')
    for args in (["check"], ["notice", "--year", "2025"], ["balances", "--format", "json"]):
        result = run(args[0], path, *args[1:])
        assert result.exit_code == 1, result.output
        assert "FL000" not in result.output and "Traceback" not in result.output


def test_beancount_failing_on_a_huge_amount_is_a_clear_error(tmp_path):
    # the blank leg makes beancount's own booking quantize beyond its precision
    path = ledger(tmp_path, f'''2025-02-10 * "捐款"
  Assets:Bank:Fund {BIG} CNY
  Income:Donations
''')
    result = run("check", path)
    assert result.exit_code == 2 and not isinstance(result.exception, ArithmeticError)
    assert result.output.startswith("错误：beancount 无法载入")


@pytest.mark.parametrize("year", [0, 1, -5, 10000, 2024, 2027])
def test_a_year_outside_the_ledger_is_exit_2_naming_the_years(tmp_path, year):
    path = ledger(tmp_path, '2026-03-01 * "捐款"\n  Assets:Bank:Fund 5.00 CNY\n  Income:Donations\n')
    result = run("notice", path, "--year", year)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"错误：账本没有 {year} 年度的账目")
    assert "账本记录的年度为 2025–2026" in result.output
    assert "(no accounts for" in result.output and "the ledger covers 2025–2026)" in result.output


def test_a_year_inside_the_ledger_without_entries_is_fine(tmp_path):
    path = ledger(tmp_path, '2027-03-01 * "捐款"\n  Assets:Bank:Fund 5.00 CNY\n  Income:Donations\n')
    result = run("notice", path, "--year", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["raised_total"] == "0.00"


def test_this_year_is_covered_though_nothing_is_booked_yet(tmp_path):
    import datetime

    path = ledger(tmp_path, "")  # entries only in 2025
    this_year = datetime.date.today().year
    assert run("notice", path, "--year", this_year).exit_code == 0
    assert run("notice", path, "--year", this_year + 1).exit_code == 2


def test_a_missing_ledger_is_chinese_first(tmp_path):
    result = run("check", tmp_path / "nope.beancount")
    assert result.exit_code == 2
    assert result.output.startswith("错误：找不到账本文件")
    assert "Error:" not in result.output


@pytest.mark.parametrize("command", ["balances", "loans", "publicity"])
def test_the_last_day_a_date_can_hold(command):
    from pathlib import Path

    example = Path(__file__).parent / "ledgers" / "spec_example.beancount"
    result = run(command, example, "--as-of", "9999-12-31")
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------ FL106 in the fund's words

MALFORMED = [
    ('2025-01-04 custom "apply" "A1" "M1" "loan"',
     'custom "apply" 应有 4 个值，实有 3 个；应写成 custom "apply" "申请编号" "成员编号" "loan 或 relief" 金额 CNY',
     'found 3: custom "apply" "APP-ID" "M-ID" "loan"|"relief" AMOUNT'),
    ('2025-01-04 custom "apply" "A3" "M1" "loan" 100',
     'custom "apply" 的第 4 个值（申请金额）应为金额（如 100.00 CNY），实为 100', "found 100"),
    ('2025-01-04 custom "member" "2M"\n  name: "王五"\n  branch: "一支部"',
     'custom "member" 的第 1 个值（成员编号）应为编号（字母开头，由字母、数字和 - 组成），实为 "2M"',
     "should be an ID"),
    ('2025-01-04 custom "member" "M5"\n  name: "王五"', 'custom "member" 缺少必填的元数据 branch:',
     "needs branch:"),
    ('2025-01-05 custom "reschedule" "L1" "2026-01-01"',
     'custom "reschedule" 的第 2 个值（新的到期日）应为日期（如 2027-06-05），实为 "2026-01-01"；'
     '应写成 custom "reschedule" "借款编号" 新的到期日', "should be a date"),
    ('2025-01-05 custom "branch-review" "A1" "x"',
     'custom "branch-review" 应有 1 个值，实有 2 个；应写成 custom "branch-review" "申请编号"',
     'custom "branch-review" "APP-ID"'),
    ('2025-01-05 custom "release" 100 USD', 'custom "release" 的金额币种应为 CNY，实为 100 USD',
     "found 100 USD"),
    ('2025-01-05 custom "review" "M7" "general"', 'custom "review" 引用了未知的成员 M7',
     "unknown member M7"),
    ('2025-01-05 custom "write-off" "L9"', 'custom "write-off" 引用了未知的借款 L9', "unknown loan L9"),
]


@pytest.mark.parametrize(("text", "zh", "en"), MALFORMED)
def test_malformed_directives_say_how_to_write_them(tmp_path, text, zh, en):
    result = run("check", ledger(tmp_path, text + "\n"))
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if "FL106" in ln]
    assert len(lines) == 1, result.output
    assert zh in lines[0] and en in lines[0]
    chinese = lines[0].split(" (malformed fund directive")[0]
    assert "<id>" not in chinese and "<str>" not in chinese and "<amount>" not in chinese


def test_a_policy_of_the_wrong_shape_shows_how_to_write_one(tmp_path):
    result = run("check", ledger(tmp_path, '2025-01-05 custom "fund-policy" "loan-max"\n'))
    assert ('FL103 custom "fund-policy" 应有 2 个值，实有 1 个；应写成 custom "fund-policy" "政策项" 值，'
            '如 custom "fund-policy" "loan-max" 5000 CNY') in result.output


def test_a_review_whose_tier_is_an_amount_is_FL106_not_a_fault(tmp_path):
    # beancount's Amount raises when compared with a string: the reader must not compare them
    path = ledger(tmp_path, '2025-01-04 custom "review" "A1" 0.00 CNY\n')
    result = run("check", path)
    assert result.exit_code == 1
    assert "FL106" in result.output and "FL000" not in result.output
