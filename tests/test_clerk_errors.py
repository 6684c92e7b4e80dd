"""beancount's own errors in Chinese through ``fundledger check`` and ``fundledger add``
(issue 12, item 1): the Chinese message at the line, the hint, the English in brackets.

Each ledger holds one mistake the issue names, on line 6 (after HEAD): full-width quotes, an
unbalanced transaction, an unknown account, month 13.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from fundledger.cli import main

HEAD = '''option "operating_currency" "CNY"
plugin "fundledger.plugin"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Donations:Members CNY
2025-01-01 open Expenses:Relief:Visits CNY
'''
GIFT = '  Assets:Bank:Fund 100.00 CNY\n  Income:Donations:Members\n'

CASES = {
    "full-width quotes": ('2025-02-01 * “赵六” "捐款"\n' + GIFT, "全角或看不见的字符",
                          '改后为：2025-02-01 * "赵六" "捐款"', "Invalid token: '“赵六”'"),
    "unbalanced": ('2025-02-01 * "赵六" "捐款"\n  Assets:Bank:Fund 100.00 CNY\n'
                   '  Income:Donations:Members -90.00 CNY\n', "借贷不平", "请核对各行金额",
                   "Transaction does not balance"),
    "unknown account": ('2025-02-01 * "赵六" "捐款"\n  Assets:Bank:Fund 100.00 CNY\n'
                        '  Income:Donations:Member\n', "账户 Income:Donations:Member 没有开户",
                        "您是否要写 Income:Donations:Members？", "unknown account"),
    "month 13": ('2026-13-01 * "赵六" "捐款"\n' + GIFT, "日期 2026-13-01 不存在：没有 13 月",
                 "请改为实际的日期", "month must be in 1..12"),
}


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


def ledger(tmp_path, body):
    path = tmp_path / "main.beancount"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def the_line(stderr: str, start: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.lstrip().startswith(start)]
    assert lines, stderr
    return lines[0].lstrip()


def explained(line: str, zh: str, hint: str, english: str) -> None:
    """Chinese first, then the hint, then beancount's English in brackets."""
    message = line.split(": ", 1)[1]
    assert message.startswith(zh) or message.index(zh) < message.index("提示："), line
    assert hint in message.split("提示：", 1)[1], line
    after = message.split("提示：", 1)[1]
    assert f" ({english}" in after or english in after.split(" (", 1)[1], line
    assert message.endswith(")"), line


@pytest.mark.parametrize("case", list(CASES))
def test_check_prints_the_chinese_at_the_line_with_the_hint(tmp_path, case):
    body, zh, hint, english = CASES[case]
    path = ledger(tmp_path, body)
    result = run("check", path)
    assert result.exit_code == 1, result.output
    explained(the_line(result.stderr, f"{path}:6: "), zh, hint, english)


@pytest.mark.parametrize("case", list(CASES))
def test_add_lists_the_ledgers_errors_explained(tmp_path, case):
    body, zh, hint, english = CASES[case]
    path = ledger(tmp_path, body)
    result = run("add", "donation", path, "--amount", "5", "--donor", "王五", "--date", "2025-03-01",
                 "--file", tmp_path / "more.beancount")
    assert result.exit_code == 0, result.output  # old errors do not block
    line = the_line(result.stderr, f"warning:   {path}:6: ")
    explained(line.removeprefix("warning:   "), zh, hint, english)


def test_check_in_english_keeps_the_original_first(tmp_path):
    body, _, _, english = CASES["unknown account"]
    path = ledger(tmp_path, body)
    line = the_line(run("check", path, "--lang", "en").stderr, f"{path}:6: ")
    assert english in line.split("(hint: ")[0] and "did you mean Income:Donations:Members?" in line


def test_check_verbose_prints_the_entry_too(tmp_path):
    path = ledger(tmp_path, CASES["unbalanced"][0])
    result = run("check", path, "-v")
    explained(the_line(result.stderr, f"{path}:6: "), *CASES["unbalanced"][1:])
    assert "   2025-02-01 * \"赵六\" \"捐款\"" in result.stderr


def test_fund_errors_are_printed_as_the_rules_wrote_them(tmp_path):
    path = ledger(tmp_path, '2025-02-01 * "慰问"\n  Expenses:Relief:Visits 100.00 CNY\n'
                            '  Assets:Bank:Fund\n')
    line = the_line(run("check", path).stderr, f"{path}:")
    assert line.split(": ", 1)[1].startswith("FL105") and "提示" not in line


def test_a_new_beancount_error_from_add_is_refused_explained(tmp_path):
    path = ledger(tmp_path, "2025-06-01 open Income:Donations:Society CNY\n  name: \"社会捐款\"\n")
    target = tmp_path / "2025.beancount"
    result = run("add", "donation", path, "--amount", "5", "--donor", "王五", "--date", "2025-03-01",
                 "--account", "Income:Donations:Society", "--file", target)
    assert result.exit_code == 1, result.output
    line = the_line(result.stderr, f"{target}:3: ")
    assert "到 2025-06-01 才开户，这笔 2025-03-01 的分录在开户之前" in line
    assert "提示：" in line and line.endswith(")") and "inactive account" in line
    assert not target.exists()


def test_a_hint_that_changes_with_the_new_open_does_not_make_an_old_error_new(tmp_path):
    # the old error's hint names the closest opened account; opening a closer one changes the
    # hint, not the error: compared on beancount's own message, it stays old
    body = ('2025-02-01 * "赵六" "捐款"\n  Assets:Bank:Fund 100.00 CNY\n'
            '  Income:Donations:Socety\n')
    path = ledger(tmp_path, body)
    result = run("add", "open", path, "--account", "Income:Donations:Society", "--name", "社会捐款",
                 "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert "open Income:Donations:Society CNY" in path.read_text(encoding="utf-8")
