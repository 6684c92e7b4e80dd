"""beancount's own errors, explained in Chinese with the fix (issue 12, item 1).

Each test writes a small fund ledger with one mistake a clerk makes, loads it with beancount's
loader, and checks the explanation of beancount's error: the Chinese message first, at the
file and line beancount gives (asserted too, so a beancount upgrade that moves it shows up
here), the concrete hint, and the English original in brackets. The ledgers start with HEAD:
the first mistake is on line 5.
"""

from __future__ import annotations

import re

import pytest
from beancount import loader

from fundledger.errors import fund_error
from fundledger.explain import Explanation, explain, explain_all, explanation

HEAD = '''option "operating_currency" "CNY"
2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Donations:Members CNY
2025-01-01 open Expenses:Relief:Visits CNY
'''
GIFT = '  Assets:Bank:Fund 100.00 CNY\n  Income:Donations:Members\n'


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


def load(tmp_path, body, name="main.beancount", head=HEAD):
    path = tmp_path / name
    path.write_text(head + body, encoding="utf-8")
    return loader.load_file(str(path))


def the_error(tmp_path, body, kind, message, **kw):
    """The one error of class ``kind`` whose message matches ``message``, and its explanation."""
    entries, errors, options = load(tmp_path, body, **kw)
    hits = [e for e in errors if type(e).__name__ == kind and re.search(message, e.message)]
    assert len(hits) == 1, [(type(e).__name__, e.message) for e in errors]
    return hits[0], explanation(hits[0], entries, options), (entries, options)


def said(error, x: Explanation, line, zh, hint, *, relocated=False):
    """The explanation says ``zh`` then ``hint`` at ``line`` of the error's file, and keeps the
    English in brackets; without ``relocated`` beancount itself gives that line."""
    if not relocated:
        assert (error.source["filename"], error.source["lineno"]) == (x.filename, line)
    assert x.lineno == line
    assert zh in x.message_zh, x.message_zh
    assert hint in x.hint_zh, x.hint_zh
    text = x.text("zh")
    assert text.startswith(x.message_zh) and f"提示：{x.hint_zh}" in text
    assert text.endswith(f"({error.message})") or "\n" in error.message
    assert x.line() == f"{x.filename}:{line}: {text}"
    english = x.text("en")
    assert english.startswith(error.message) and english.endswith(f"(hint: {x.hint_en})")
    return x


# -- full-width characters (a Chinese input method left in full-width mode)
def test_full_width_quotes(tmp_path):
    error, x, _ = the_error(tmp_path, '2025-02-01 * “赵六” "慰问"\n' + GIFT, "LexerError",
                            "Invalid token: '“赵六”'")
    said(error, x, 5, "全角", '“（中文左双引号）改为 "；”（中文右双引号）改为 "')
    assert '改后为：2025-02-01 * "赵六" "慰问"' in x.hint_zh


def test_full_width_colon_in_metadata(tmp_path):
    error, x, _ = the_error(tmp_path, '2025-02-01 * "赵六" "慰问"\n  member： "M1"\n' + GIFT,
                            "LexerError", "member：")
    said(error, x, 6, "全角", "：（全角冒号）改为 :")
    assert 'member: "M1"' in x.hint_zh


def test_full_width_colon_in_account(tmp_path):
    body = '2025-02-01 * "赵六" "慰问"\n  Expenses：Relief:Visits 100.00 CNY\n  Assets:Bank:Fund\n'
    entries, errors, options = load(tmp_path, body)
    parse, unknown = (explanation(e, entries, options) for e in sorted(
        errors, key=lambda e: -e.source["lineno"]))
    # the parser's error is at the posting, validation's at the transaction
    said(errors[0], parse, 6, "全角", "改后为：Expenses:Relief:Visits 100.00 CNY")
    said(errors[1], unknown, 5, "全角", "改后为：Expenses:Relief:Visits")


@pytest.mark.parametrize("amount, char, ascii_", [
    ("１００.00", "１", "1"), ("1，000.00", "，", ","), ("100。00", "。", "."),
    ("－100.00", "－", "-"), ("¥100.00", "¥", None)])
def test_full_width_in_amount(tmp_path, amount, char, ascii_):
    body = f'2025-02-01 * "赵六" "慰问"\n  Expenses:Relief:Visits {amount} CNY\n  Assets:Bank:Fund\n'
    error, x, _ = the_error(tmp_path, body, "LexerError", "Invalid token")
    said(error, x, 6, char, f"{char}（" if ascii_ is None else f"改为 {ascii_}")
    assert "改后为：Expenses:Relief:Visits " in x.hint_zh


def test_full_width_space(tmp_path):
    # beancount names the token after the space ('.00'), not the space itself
    body = '2025-02-01 * "赵六" "慰问"\n  Expenses:Relief:Visits\u3000100.00 CNY\n  Assets:Bank:Fund\n'
    error, x, _ = the_error(tmp_path, body, "LexerError", r"Invalid token: '\.00'")
    said(error, x, 6, "U+3000", "U+3000（全角空格）改为 普通空格")
    assert "改后为：Expenses:Relief:Visits 100.00 CNY" in x.hint_zh


def test_byte_order_mark(tmp_path):
    error, x, _ = the_error(tmp_path, "", "LexerError", "option", head="\ufeff" + HEAD)
    said(error, x, 1, "U+FEFF", "不要选「带 BOM 的 UTF-8」")


def test_gbk_file(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_bytes((HEAD + '2025-02-01 * "赵六" "慰问"\n' + GIFT).encode("gbk"))
    entries, errors, options = loader.load_file(str(path))
    assert errors and all("UnicodeDecodeError" in e.message for e in errors)
    said(errors[0], explanation(errors[0], entries, options), 5, "不是 UTF-8 编码", "编码选「UTF-8」")


# -- dates
def test_month_13(tmp_path):
    error, x, _ = the_error(tmp_path, '2026-13-01 * "x" "y"\n' + GIFT, "LexerError",
                            "month must be in 1..12")
    said(error, x, 5, "日期 2026-13-01 不存在：没有 13 月", "请改为实际的日期")


def test_february_30(tmp_path):
    error, x, _ = the_error(tmp_path, '2026-02-30 * "x" "y"\n' + GIFT, "LexerError",
                            "day is out of range for month")
    said(error, x, 5, "2026 年 2 月只有 28 天，没有 30 日", "当月最后一天")


def test_impossible_date_in_metadata(tmp_path):
    body = '2025-02-01 * "x" "y"\n  due: 2027-02-29\n' + GIFT
    error, x, _ = the_error(tmp_path, body, "LexerError", "day is out of range")
    said(error, x, 6, "2027 年 2 月只有 28 天，没有 29 日", "实际的日期")


def test_date_written_in_chinese(tmp_path):
    entries, errors, options = load(tmp_path, '2025年2月1日 * "x" "y"\n' + GIFT)
    assert {type(e).__name__ for e in errors} == {"ParserSyntaxError", "LexerError"}
    for error in errors:
        said(error, explanation(error, entries, options), 5, "日期写法不对", "2025-02-01")


# -- accounts
def test_unknown_account_typo(tmp_path):
    body = '2025-02-01 * "x" "y"\n  Expenses:Relief:Visit 100.00 CNY\n  Assets:Bank:Fund\n'
    error, x, _ = the_error(tmp_path, body, "ValidationError", "unknown account")
    # beancount puts it at the transaction, not the posting
    said(error, x, 5, "账户 Expenses:Relief:Visit 没有开户", "您是否要写 Expenses:Relief:Visits？")


def test_missing_open(tmp_path):
    body = '2025-02-01 * "x" "y"\n  Expenses:Relief:Medical 100.00 CNY\n  Assets:Bank:Fund\n'
    error, x, _ = the_error(tmp_path, body, "ValidationError", "unknown account")
    said(error, x, 5, "没有开户", "先开户：2025-02-01 open Expenses:Relief:Medical CNY")
    assert "您是否要写" not in x.hint_zh  # Medical is no typo of Visits


def test_account_used_before_its_open(tmp_path):
    body = ('2025-03-01 open Expenses:Relief:Medical CNY\n2025-02-01 * "x" "y"\n'
            '  Expenses:Relief:Medical 100.00 CNY\n  Assets:Bank:Fund\n')
    error, x, _ = the_error(tmp_path, body, "ValidationError", "inactive account")
    said(error, x, 6, "到 2025-03-01 才开户，这笔 2025-02-01 的分录在开户之前",
         "main.beancount:5）的日期改到 2025-02-01 或更早")


def test_posting_to_closed_account(tmp_path):
    body = ('2025-03-01 close Expenses:Relief:Visits\n2025-04-01 * "x" "y"\n'
            '  Expenses:Relief:Visits 100.00 CNY\n  Assets:Bank:Fund\n')
    error, x, _ = the_error(tmp_path, body, "ValidationError", "inactive account")
    said(error, x, 6, "已于 2025-03-01 销户", "把销户（")


def test_duplicate_open(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-01-05 open Assets:Bank:Fund CNY\n", "ValidationError",
                            "Duplicate open")
    said(error, x, 5, "重复开户", "main.beancount:2，2025-01-01）：删除这一行")


def test_close_of_unopened_account(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-03-01 close Assets:Bank:Fnd\n", "ValidationError",
                            "Unopened account")
    said(error, x, 5, "从未开户", "您是否要写 Assets:Bank:Fund？")


def test_chinese_account_name(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-01-01 open Assets:银行 CNY\n", "ParserError",
                            "Invalid account name")
    said(error, x, 5, "不能用中文", 'name: "银行存款"')


def test_lowercase_account_component(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-01-01 open Assets:bank:Petty CNY\n", "LexerError",
                            "Assets:bank")
    said(error, x, 5, "须以大写英文字母或数字开头", "写成 Assets:Bank:Petty")


def test_wrong_root(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-01-01 open Asset:Cash CNY\n", "ParserError",
                            "Invalid account name")
    said(error, x, 5, "第一段必须是 Assets", "您是否要写 Assets:Cash？")


def test_wrong_currency(tmp_path):
    entries, errors, options = load(tmp_path, '2025-02-01 * "x" "y"\n'
                                    '  Assets:Bank:Fund 100.00 RMB\n  Income:Donations:Members\n')
    assert len(errors) == 2  # both postings (the blank one takes RMB too)
    said(errors[0], explanation(errors[0], entries, options), 5, "只能用 CNY 记账，这里写了 RMB",
         "人民币一律写 CNY")


def test_lowercase_or_chinese_currency(tmp_path):
    for unit in ("cny", "元"):
        body = f'2025-02-01 * "x" "y"\n  Assets:Bank:Fund 100.00 {unit}\n  Income:Donations:Members\n'
        error, x, _ = the_error(tmp_path, body, "LexerError", f"'{unit}'")
        said(error, x, 6, f"币种写成了 {unit}", "写大写的 CNY")


# -- amounts and balancing
def test_unbalanced_transaction(tmp_path):
    body = ('2025-02-01 * "x" "y"\n  Expenses:Relief:Visits 100.00 CNY\n'
            '  Assets:Bank:Fund -90.00 CNY\n')
    error, x, _ = the_error(tmp_path, body, "ValidationError", "does not balance")
    said(error, x, 5, "借贷不平", "请核对各行金额")
    assert "10.00 CNY" in x.message_zh


def test_unbalanced_by_a_sign(tmp_path):
    body = ('2025-02-01 * "x" "y"\n  Assets:Bank:Fund 100.00 CNY\n'
            '  Income:Donations:Members 100.00 CNY\n')
    error, x, _ = the_error(tmp_path, body, "ValidationError", "does not balance")
    said(error, x, 5, "200.00 CNY", "第 7 行 Income:Donations:Members 的 100.00 CNY 正负号可能写反了")


def test_single_posting(tmp_path):
    error, x, _ = the_error(tmp_path, '2025-02-01 * "x" "y"\n  Assets:Bank:Fund 100.00 CNY\n',
                            "ValidationError", "does not balance")
    said(error, x, 5, "只有一行记账", "再加一行对方账户")


def test_two_postings_without_amounts(tmp_path):
    body = '2025-02-01 * "x" "y"\n  Expenses:Relief:Visits\n  Assets:Bank:Fund\n'
    error, x, _ = the_error(tmp_path, body, "CategorizationError", "auto-posting")
    said(error, x, 7, "不止一行没写金额", "请给第 7 行写上金额")


def test_missing_currency(tmp_path):
    body = '2025-02-01 * "x" "y"\n  Expenses:Relief:Visits 100.00\n  Assets:Bank:Fund\n'
    error, x, _ = the_error(tmp_path, body, "CategorizationError", "categorize")
    said(error, x, 6, "金额缺少币种", "写成：Expenses:Relief:Visits 100.00 CNY")


def test_currency_without_number(tmp_path):
    body = '2025-02-01 * "x" "y"\n  Assets:Bank:Fund CNY\n  Income:Donations:Members\n'
    error, x, _ = the_error(tmp_path, body, "InterpolationError", "missing numbers")
    said(error, x, 6, "没写数字", "写上数字")


def test_balance_assertion_failed(tmp_path):
    body = '2025-02-01 * "x" "y"\n' + GIFT + "2025-03-01 balance Assets:Bank:Fund 120.00 CNY\n"
    error, x, _ = the_error(tmp_path, body, "BalanceError", "Balance failed")
    said(error, x, 8, "应为 120.00 CNY，账上是 100.00 CNY，账上比核对数少 20.00 CNY",
         "差 20.00 CNY")
    assert "当天开始时" in x.hint_zh


def test_pad_without_balance(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-01-05 pad Assets:Bank:Fund Income:Donations:Members\n",
                            "PadError", "Unused Pad")
    said(error, x, 5, "pad 没有起作用", "2025-01-06 balance Assets:Bank:Fund 金额 CNY")


# -- the shape of the lines
def test_posting_not_indented(tmp_path):
    body = '2025-02-01 * "x" "y"\nAssets:Bank:Fund 100.00 CNY\nIncome:Donations:Members\n'
    error, x, _ = the_error(tmp_path, body, "ParserSyntaxError", "unexpected ACCOUNT")
    said(error, x, 6, "必须缩进", "行首加两个空格")


def test_metadata_not_indented(tmp_path):
    body = '2025-02-01 * "x" "y"\nmember: "M1"\n' + GIFT
    error, x, _ = the_error(tmp_path, body, "ParserSyntaxError", "unexpected KEY")
    said(error, x, 6, "元数据行", "行首加两个空格")


def test_missing_flag(tmp_path):
    error, x, _ = the_error(tmp_path, '2025-02-01 "x" "y"\n' + GIFT, "ParserSyntaxError",
                            "unexpected STRING")
    said(error, x, 5, "缺少标记 *", '写成：2025-02-01 * "x" "y"')


def test_narration_without_quotes(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-02-01 * 慰问\n" + GIFT, "LexerError", "慰问")
    said(error, x, 5, "没有用英文双引号括起来", '写成 "慰问"')


def test_unclosed_quote(tmp_path):
    error, x, _ = the_error(tmp_path, '2025-02-01 * "x "y"\n' + GIFT, "LexerError",
                            "Invalid token")
    said(error, x, 5, "双引号 \" 不成对", "少打或多打")


def test_balance_without_currency(tmp_path):
    # beancount reports the end of the line on the line after it
    body = '2025-02-01 * "x" "y"\n' + GIFT + "2025-03-01 balance Assets:Bank:Fund 100.00\n"
    error, x, _ = the_error(tmp_path, body, "ParserSyntaxError", "unexpected EOL")
    said(error, x, 9, "第 8 行没写完：金额后缺少币种 CNY", "补全第 8 行")


def test_chinese_metadata_key(tmp_path):
    body = '2025-02-01 * "x" "y"\n  受助人: "M1"\n' + GIFT
    error, x, _ = the_error(tmp_path, body, "LexerError", "受助人:")
    said(error, x, 6, "元数据名 受助人: 不合规", 'note: "中文说明"')


def test_duplicate_metadata(tmp_path):
    body = '2025-02-01 * "x" "y"\n  member: "M1"\n  member: "M2"\n' + GIFT
    error, x, _ = the_error(tmp_path, body, "ParserError", "Duplicate metadata")
    said(error, x, 5, "member: 写了两次", "删掉多余的一行 member:")


def test_misspelt_directive(tmp_path):
    error, x, _ = the_error(tmp_path, "2025-02-01 opne Assets:Cash:Petty CNY\n", "LexerError",
                            "opne")
    said(error, x, 5, "不认识的指令 opne", "您是否要写 open？")


# -- options, includes and plugins
def test_misspelt_option(tmp_path):
    error, x, _ = the_error(tmp_path, 'option "operating_currncy" "CNY"\n', "ParserError",
                            "Invalid option")
    said(error, x, 5, "没有名为 operating_currncy 的 option", "operating_currency")


def test_include_of_missing_file(tmp_path):
    (tmp_path / "2024.beancount").write_text("", encoding="utf-8")
    error, x, _ = the_error(tmp_path, 'include "2024.beancout"\n', "LoadError", "does not match")
    assert (error.source["filename"], error.source["lineno"]) == ("<load>", 0)
    said(error, x, 5, "include 的文件 2024.beancout 找不到", "您是否要写 2024.beancount？",
         relocated=True)
    assert x.filename == str(tmp_path / "main.beancount")


def test_plugin_that_does_not_import(tmp_path):
    error, x, _ = the_error(tmp_path, 'plugin "fundledger.plugn"\n', "LoadError",
                            "Error importing")
    assert error.source["lineno"] == 0 and "\n" in error.message  # a whole traceback
    said(error, x, 5, "插件 fundledger.plugn 无法载入", 'plugin "fundledger.plugin"',
         relocated=True)
    assert "ModuleNotFoundError" in x.text() and "\n" not in x.text()


# -- what is not explained passes through unchanged
def test_unknown_error_passes_through(tmp_path):
    entries, _, options = load(tmp_path, "")

    class OddError:
        source = {"filename": "x.beancount", "lineno": 3}
        message = "Something beancount 3.3 might say"

    x = explanation(OddError(), entries, options)
    assert not x.recognised and x.text("zh") == x.text("en") == OddError.message
    assert x.line() == "x.beancount:3: Something beancount 3.3 might say"
    assert explain(OddError(), entries, options) == OddError.message


def test_fund_errors_pass_through(tmp_path):
    entries, _, options = load(tmp_path, "")
    error = fund_error("FL105", "救济分录缺少 member:", None, entries[-1])
    assert explain(error, entries, options) == error.message
    assert explain(error, entries, options, lang="en") == error.message


def test_a_failing_pattern_never_hides_the_error(tmp_path, monkeypatch):
    from fundledger import explain_patterns

    def broken(error, ctx):
        raise RuntimeError("a pattern's own bug")

    entries, errors, options = load(tmp_path, '2025-02-01 * "x" "y"\n  Assets:Bank:Fund 1 CNY\n')
    monkeypatch.setattr(explain_patterns, "PATTERNS", [broken])
    monkeypatch.setattr("fundledger.explain.PATTERNS", [broken])
    x = explanation(errors[0], entries, options)
    assert not x.recognised and x.text() == errors[0].message


def test_explain_all_keeps_every_error_in_order(tmp_path):
    body = ('2026-13-01 * "x" "y"\n' + GIFT + '2025-02-01 * "x" "y"\n'
            '  Expenses:Relief:Visit 100.00 CNY\n  Assets:Bank:Fund\n')
    entries, errors, options = load(tmp_path, body)
    explained = explain_all(errors, entries, options)
    assert [x.original for x in explained] == [e.message for e in errors]
    assert all(x.recognised for x in explained)
