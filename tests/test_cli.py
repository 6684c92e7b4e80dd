"""The command line (SPEC §6): outputs, formats and exit statuses."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import main
from fundledger.table import render, width

EXAMPLE = str(Path(__file__).parent / "ledgers" / "spec_example.beancount")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.beancount"
    path.write_text(Path(EXAMPLE).read_text(encoding="utf-8")
                    + '\n2026-07-01 * "慰问"\n  Expenses:Relief:Visits 100.00 CNY\n  Assets:Bank:Fund\n',
                    encoding="utf-8")
    return path


def test_check_clean_ledger_exits_0():
    result = run("check", EXAMPLE)
    assert result.exit_code == 0
    assert "没有发现错误" in result.output


def test_check_prints_file_line_message_and_exits_1(broken):
    result = run("check", broken)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if "FL105" in ln]
    txn_line = broken.read_text(encoding="utf-8").splitlines().index('2026-07-01 * "慰问"') + 1
    assert lines == [f"{broken}:{txn_line}: FL105 救济分录 Expenses:Relief:Visits 未注明受助人 member: "
                     "(relief posting without member: Expenses:Relief:Visits posting has no member:)"]


def test_missing_file_is_exit_2():
    result = run("check", "/no/such/ledger.beancount")
    assert result.exit_code == 2
    assert "找不到账本文件" in result.output


def test_bad_date_is_a_usage_error():
    assert run("balances", EXAMPLE, "--as-of", "2025-13-01").exit_code == 2


def test_balances_json_has_exactly_the_spec_keys():
    result = run("balances", EXAMPLE, "--as-of", "2026-12-31", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "cash": "6374.00", "loans_outstanding": "2000.00", "principal": "500.00", "spendable": "7874.00"}


def test_balances_on_a_broken_ledger_still_reports_but_exits_1(broken):
    result = CliRunner().invoke(main, ["balances", str(broken), "--as-of", "2026-12-31", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["cash"] == "6274.00"
    assert "FL105" in result.stderr


def test_balances_table_shows_chinese_account_names_and_thousands():
    result = run("balances", EXAMPLE, "--as-of", "2026-12-31")
    assert "帮扶基金专户" in result.output
    assert "6,374.00" in result.output and "现金" in result.output


def test_balances_in_english():
    result = run("balances", EXAMPLE, "--as-of", "2026-12-31", "--lang", "en")
    assert "Spendable" in result.output


def test_loans_json_and_csv_agree():
    rows = json.loads(run("loans", EXAMPLE, "--as-of", "2027-07-01", "--format", "json").output)
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["member"], row["member_name"], row["disbursed"], row["due"]) == (
        "L2025-003", "M0007", "张*兰", "2025-06-05", "2027-06-05")
    assert (row["outstanding"], row["status"], row["days_past_due"], row["aging"]) == (
        "2000.00", "overdue", 26, "1-30")
    table = list(csv.DictReader(io.StringIO(run("loans", EXAMPLE, "--as-of", "2027-07-01",
                                                "--format", "csv").output)))
    assert table[0]["outstanding"] == "2000.00" and table[0]["status"] == "overdue"


def test_loans_status_filter_and_table():
    assert json.loads(run("loans", EXAMPLE, "--as-of", "2026-07-01", "--format", "json",
                          "--status", "overdue").output) == []
    out = run("loans", EXAMPLE, "--as-of", "2027-12-31").output
    assert "逾期" in out and "张*兰" in out and "张秀兰" not in out


def test_member_register_masks_the_name():
    result = run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31")
    assert result.exit_code == 0
    assert "张*兰" in result.output and "张秀兰" not in result.output
    assert "A2025-003" in result.output and "走访慰问" in result.output


def test_member_json():
    reg = json.loads(run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31", "--format", "json").output)
    assert reg["name"] == "张*兰"
    assert reg["relief_total"] == "300.00"
    assert reg["loans"][0]["repaid"] == "2000.00"
    assert [s["step"] for s in reg["applications"][0]["steps"]] == [
        "branch-review", "publicity", "approve", "inspect"]
    assert reg["eligible"] is False  # last review 2025-01-06 is older than 12 months


def test_why_a_member_may_not_be_helped_is_in_the_language_asked():
    zh = run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31").output
    en = run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31", "--lang", "en").output
    assert "最近一次审核 2025-01-06 已超过 12 个月" in zh
    assert "no: member M0007's last review 2025-01-06 is older than 12 months" in en
    assert "审核" not in en
    reg = json.loads(run("member", EXAMPLE, "M0007", "--as-of", "2026-12-31", "--format",
                         "json").output)
    assert reg["ineligible_because_en"].startswith("member M0007's last review")


def test_unknown_member_is_exit_2():
    assert run("member", EXAMPLE, "M9999").exit_code == 2


def test_tables_line_up_with_chinese_text():
    text = render(["名称", "amount"], [["帮扶基金专户", "1.00"], ["x", "10,000.00"]], right=[False, True])
    lines = text.splitlines()
    assert len({width(line) for line in lines}) == 1
    assert width("帮扶") == 4


def test_check_verbose_prints_a_directive_without_values(tmp_path):
    # the parser leaves `custom "member"` with values=None; beancount's printer must still
    # print the entry behind the FL106 (bean-check -v and check -v), never a traceback
    path = tmp_path / "novalues.beancount"
    path.write_text(Path(EXAMPLE).read_text(encoding="utf-8") + '\n2026-07-01 custom "member"\n',
                    encoding="utf-8")
    result = run("check", "-v", path)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert 'FL106 custom "member" 应有 1 个值' in result.stderr
    assert '"member" takes 1 value, found 0: custom "member" "M-ID"' in result.stderr
    assert '2026-07-01 custom "member"' in result.stderr


def test_a_value_of_the_wrong_type_is_named_as_written(tmp_path):
    path = tmp_path / "release.beancount"
    path.write_text(Path(EXAMPLE).read_text(encoding="utf-8")
                    + '\n2026-07-01 custom "release" 100\n  minutes: "〔2026〕1号"\n', encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert ('"release" value 1 (the amount) should be an amount with its currency '
            "(e.g. 100.00 CNY), found 100" in result.stderr), result.stderr
    assert "实为 100；应写成 custom \"release\" 金额 CNY" in result.stderr
    assert "Decimal(" not in result.stderr
