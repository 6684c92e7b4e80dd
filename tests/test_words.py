"""Values and dates in the clerk's words (issue 12): every date option reads 2026-03-01,
2026/3/1 and 2026年3月1日 and says in Chinese what is wrong with an impossible day; a day of
an act more than a year ahead needs --yes; tiers, steps, kinds, categories and statuses are
typed in Chinese or English, written in English, and shown in the words of --lang."""

from __future__ import annotations

import datetime
import html as htmllib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger import vocab
from fundledger.cli import main
from fundledger.cli_common import far_future
from fundledger.dates import DayError, add_months, parse_day
from fundledger.i18n import Words

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"
Date = datetime.date


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def top(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text", [
    "2026-03-01", "2026-3-1", "2026/3/1", "2026/03/01", "2026.3.1", "2026年3月1日", "2026年3月1号",
    "2026年03月01日", " 2026 年 3 月 1 日 ", "２０２６年３月１日", "２０２６／３／１", "2026－03－01",
])
def test_every_form_of_a_day(text):
    assert parse_day(text) == Date(2026, 3, 1)


@pytest.mark.parametrize(("text", "says"), [
    ("2026-11-31", "2026-11-31：11 月只有 30 天"),
    ("2026/4/31", "2026/4/31：4 月只有 30 天"),
    ("2026年6月31日", "2026年6月31日：6 月只有 30 天"),
    ("2026-02-29", "2026-02-29：2026 年 2 月只有 28 天（2026 年不是闰年）"),
    ("2024-02-30", "2024-02-30：2024 年 2 月只有 29 天"),
    ("2026-01-32", "2026-01-32：1 月只有 31 天"),
    ("2026-13-01", "2026-13-01：没有 13 月"),
    ("2026-00-10", "2026-00-10：没有 0 月"),
    ("2026-03-00", "2026-03-00：没有 0 日"),
    ("2026-3/1", "不是日期：“2026-3/1”，应写成 2026-03-01、2026/3/1 或 2026年3月1日"),
    ("3/1/2026", "不是日期：“3/1/2026”"),
    ("明天", "不是日期：“明天”"),
])
def test_an_impossible_day_says_what_is_wrong_in_chinese(text, says):
    with pytest.raises(DayError) as caught:
        parse_day(text)
    assert str(caught.value).startswith(says)
    assert isinstance(caught.value, ValueError)
    assert caught.value.en and caught.value.en in str(caught.value)  # English in brackets


def test_report_commands_read_every_form():
    outputs = {run("balances", EXAMPLE, "--as-of", day, "--format", "json").output
               for day in ("2026-12-31", "2026/12/31", "2026年12月31日")}
    assert len(outputs) == 1 and '"cash": "6374.00"' in outputs.pop()


def test_a_bad_day_on_the_command_line_is_chinese_and_exit_2():
    result = run("balances", EXAMPLE, "--as-of", "2026-11-31")
    assert result.exit_code == 2
    assert result.output.startswith("错误：--as-of 2026-11-31：11 月只有 30 天")
    assert "Invalid value" not in result.output


def test_every_date_option_is_the_one_day_type():
    from fundledger.cli_common import Day

    def commands(group, path=()):
        for name, cmd in getattr(group, "commands", {}).items():
            yield from commands(cmd, (*path, name))
        yield path, group

    dated = []
    for path, cmd in commands(main):
        for param in cmd.params:
            if isinstance(param.type, Day):
                dated.append((path, param.name))
            assert not isinstance(param.type, __import__("click").DateTime), (path, param.name)
    assert (("add", "donation"), "date") in dated and (("balances",), "as_of") in dated


def test_far_future_is_more_than_a_year():
    today = Date(2026, 3, 1)
    assert not far_future(Date(2027, 3, 1), today)
    assert far_future(Date(2027, 3, 2), today)
    assert not far_future(Date(2020, 1, 1), today)


def test_an_entry_dated_far_ahead_needs_yes(top):
    before = {p: p.read_bytes() for p in top.parent.glob("*.beancount")}
    far = add_months(Date.today(), 24)
    args = ["add", "donation", top, "--amount", "100", "--donor", "王建国", "--date", far.isoformat()]
    refused = run(*args)
    assert refused.exit_code == 2
    assert "一年以后" in refused.output and "--yes" in refused.output
    assert {p: p.read_bytes() for p in top.parent.glob("*.beancount")} == before
    assert run(*args[:-2], "--yes", "--date", far.isoformat(), "--dry-run").exit_code == 0
    assert run(*args, "--yes", "--dry-run").exit_code == 0
    soon = add_months(Date.today(), 11)
    assert run(*args[:-1], soon.isoformat(), "--dry-run").exit_code == 0


def test_a_views_day_may_be_far_ahead():
    far = add_months(Date.today(), 24 * 12)
    assert run("balances", EXAMPLE, "--as-of", far.isoformat()).exit_code == 0


# ---------------------------------------------------------------- vocabularies

@pytest.mark.parametrize(("kind", "text", "value"), [
    ("tier", "特别困难", "special"), ("tier", "special", "special"), ("tier", "Special", "special"),
    ("tier", "特别　困难", "special"), ("tier", "ｓｐｅｃｉａｌ", "special"), ("tier", "一般", "general"),
    ("tier", "不再困难", "none"), ("step", "公示", "publicity"), ("step", "支部初审", "branch-review"),
    ("step", "支部评议", "branch-review"), ("step", "branch review", "branch-review"),
    ("step", "实地考核", "inspect"), ("step", "审批", "approve"), ("step", "不予帮扶", "reject"),
    ("step", "回访", "回访"), ("kind", "借款", "loan"), ("kind", "RELIEF", "relief"),
    ("category", "农村党员", "rural"), ("category", "遗属", "survivor"),
    ("category", "urban-dibao", "urban-dibao"), ("category", "残疾", "残疾"),
    ("loan-status", "逾期", "overdue"), ("loan-status", "written off", "written-off"),
    ("loan-status", "已结清", "repaid"), ("app-status", "办理中", "pending"),
])
def test_canonical_reads_either_language(kind, text, value):
    assert vocab.canonical(kind, text) == value


def test_a_closed_vocabulary_names_its_choices():
    with pytest.raises(ValueError) as caught:
        vocab.canonical("tier", "特困户")
    text = str(caught.value)
    assert text.startswith("“特困户”不是困难等级")
    assert all(w in text for w in ("一般困难", "比较困难", "特别困难", "不再困难", "general", "special"))


def test_word_in_each_language():
    assert vocab.word("step", "branch-review", "zh") == "支部初审"
    assert vocab.word("step", "branch-review", "en") == "branch review"
    assert vocab.word("step", "回访", "zh") == "回访"  # an open vocabulary's own word
    assert vocab.word("tier", None, "zh") == ""
    for kind, v in vocab.VOCABULARIES.items():
        for term in v.terms:
            assert vocab.canonical(kind, vocab.word(kind, term.value, "zh")) == term.value
            assert vocab.canonical(kind, vocab.word(kind, term.value, "en")) == term.value


def test_i18n_takes_the_vocabularies_words():
    zh, en = Words("zh"), Words("en")
    assert zh("special") == "特别困难" and zh("tier_none") == "不再困难"
    assert zh("step_publicity") == "公示" and zh("step_short_branch-review") == "初审"
    assert zh("cat_rural") == "农村党员" and en("cat_rural") == "rural"
    assert zh.status("repaid") == "已还清" and en.status("written-off") == "written off"
    assert zh("fv_app_pending") == "办理中" and zh("loan") == "借款"
    assert zh.word("kind", "relief") == "救济"


def _apply(top, *extra):
    return run("add", "apply", top, "--member", "M0007", "--kind", "借款", "--amount", "1000",
               "--purpose", "养殖", "--date", "2026-01-05", *extra)


def test_chinese_values_are_written_in_english(top):
    year = top.parent / "2026.beancount"
    assert _apply(top).exit_code == 0, _apply(top).output
    assert '"A2026-001" "M0007" "loan"' in year.read_text(encoding="utf-8")
    for step, day, written in (("支部初审", "2026/1/6", '2026-01-06 custom "branch-review" "A2026-001"'),
                               ("公示", "2026年1月7日", '2026-01-07 custom "publicity" "A2026-001"')):
        result = run("add", "step", top, "--application", "A2026-001", "--step", step, "--date", day)
        assert result.exit_code == 0, result.output
        assert written in year.read_text(encoding="utf-8")
    result = run("add", "review", top, "--member", "M0007", "--tier", "特别困难", "--date", "2026-01-08")
    assert result.exit_code == 0, result.output
    assert '2026-01-08 custom "review" "M0007" "special"' in result.output  # as written
    result = run("add", "member", top, "--name", "李金明", "--branch", "东山村党支部",
                 "--category", "农村党员", "--date", "2026-01-02", "--dry-run")
    assert result.exit_code == 0 and 'category: "rural"' in result.output


def test_an_unknown_tier_is_refused_in_chinese(top):
    result = run("add", "review", top, "--member", "M0007", "--tier", "很困难")
    assert result.exit_code == 2
    assert result.output.startswith("错误：--tier “很困难”不是困难等级")
    assert "特别困难（special）" in result.output


def test_loans_status_in_chinese():
    overdue = run("loans", EXAMPLE, "--as-of", "2027-07-01", "--format", "json", "--status", "逾期")
    assert '"status": "overdue"' in overdue.output
    assert run("loans", EXAMPLE, "--as-of", "2027-07-01", "--format", "json",
               "--status", "正常").output.strip() == "[]"
    assert run("loans", EXAMPLE, "--status", "未放款").exit_code == 2  # not a loan book status


# ---------------------------------------------------------------- what the commands show

# every code of the SPEC example that has a word: category, tier, kind, steps, loan status
CODES = ("rural", "relative", "loan", "relief", "branch-review", "branch review", "publicity",
         "approve", "inspect", "current", "overdue", "repaid", "written-off", "general", "special")


def _codes_in(text: str) -> set[str]:
    return {c for c in CODES if re.search(rf"(?<![\w:-]){re.escape(c)}(?![\w-])", text)}


@pytest.mark.parametrize("args", [
    ("member", EXAMPLE, "M0007", "--as-of", "2026-12-31"),
    ("member", EXAMPLE, "M0007", "--as-of", "2027-12-31"),
    ("loans", EXAMPLE, "--as-of", "2026-07-01"),
    ("loans", EXAMPLE, "--as-of", "2027-07-01"),
    ("loans", EXAMPLE, "--as-of", "2028-12-31"),
    ("publicity", EXAMPLE, "--as-of", "2025-02-10"),
])
def test_chinese_output_shows_no_english_code(args):
    zh = run(*args)
    assert zh.exit_code == 0, zh.output
    assert _codes_in(zh.output) == set()
    en = run(*args, "--lang", "en")
    assert _codes_in(en.output), en.output  # the English words


def test_member_register_words():
    zh = run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31").output
    assert "农村党员" in zh and "比较困难" in zh and "借款" in zh
    assert "支部初审 02-08 → 公示 02-09 → 审批 02-20 → 实地考核 03-01" in zh
    en = run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31", "--lang", "en").output
    assert "rural" in en and "relative" in en and "branch review 02-08 → publicity 02-09" in en


def _visible(html: str) -> str:
    body = html.split("<article>", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def test_fava_pages_show_no_english_code(tmp_path):
    from fava.application import create_app

    main_file = tmp_path / "main.beancount"
    main_file.write_text(EXAMPLE.read_text(encoding="utf-8")
                         + '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n'
                         + '2000-01-01 custom "fava-option" "language" "zh_CN"\n', encoding="utf-8")
    client = create_app([main_file], load=True, read_only=True).test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    for query in ("page=members", "page=members&member=M0007", "page=applications&year=all",
                  "page=loans&as_of=2027-07-01", "page=loans&as_of=2028-12-31"):
        response = client.get(f"/{slug}/extension/FundLedger/?{query}")
        assert response.status_code == 200
        assert _codes_in(_visible(response.get_data(as_text=True))) == set(), query


def test_printable_register_shows_no_english_code():
    result = CliRunner().invoke(main, ["member", str(EXAMPLE), "M0007", "--as-of", "2026-12-31",
                                       "--format", "html"])
    assert result.exit_code == 0
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", result.output, flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", text))
    assert "农村党员" in text and "支部初审" in text
    assert _codes_in(text) == set()
