"""A typo given to ``add`` is caught first (issue 12, item 2): an account, cash account,
member, application or loan the ledger does not have is refused before the ledger is checked,
with the closest names, exit status 2, nothing written — and no fund error that would only
follow from the typo (FL201, FL501, FL307…) is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli_entry import add

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"


@pytest.fixture
def top(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.beancount"))}


def run(*args):
    return CliRunner().invoke(add, [str(a) for a in args])


RELIEF = ["--member", "M0007", "--amount", "100", "--date", "2025-08-01"]


@pytest.mark.parametrize("args, said", [
    (["relief", "--account", "Vists", *RELIEF],
     "没有账户 Expenses:Relief:Vists；您是否要写 Expenses:Relief:Visits？"),
    (["relief", "--account", "Expenses:Relief:visits", *RELIEF],
     "没有账户 Expenses:Relief:visits；您是否要写 Expenses:Relief:Visits？"),
    (["donation", "--amount", "100", "--donor", "王", "--cash", "Assets:Bank:Fun",
      "--date", "2025-08-01"], "没有账户 Assets:Bank:Fun；您是否要写 Assets:Bank:Fund？"),
    (["donation", "--amount", "100", "--donor", "王", "--account", "Income:Donations:Member",
      "--date", "2025-08-01"],
     "没有账户 Income:Donations:Member；您是否要写 Income:Donations:Members？"),
    (["allocation", "--amount", "100", "--account", "Income:Due", "--date", "2025-08-01"],
     "没有账户 Income:Due；您是否要写 Income:Dues？"),
    (["repay", "--loan", "L2025-030", "--principal", "100", "--date", "2026-08-01"],
     "没有借款 L2025-030；您是否要写 L2025-003？"),
    (["repay", "--loan", "L2025-003", "--principal", "100", "--interest", "5",
      "--interest-account", "Income:Interest:Loan", "--date", "2026-08-01"],
     "没有账户 Income:Interest:Loan；您是否要写 Income:Interest:Loans？"),
    (["relief", "--account", "Visits", "--member", "M0070", "--amount", "100",
      "--date", "2025-08-01"], "没有成员 M0070；您是否要写 M0007？"),
    (["review", "--member", "M0070", "--tier", "general"], "没有成员 M0070"),
    (["apply", "--member", "M007", "--kind", "relief", "--amount", "100", "--purpose", "x"],
     "没有成员 M007；您是否要写 M0007？"),
    (["relief", "--account", "Visits", "--member", "张秀兰", "--amount", "100"],
     "张秀兰 的编号是 M0007"),
    (["step", "--application", "A2025-030", "--step", "publicity"],
     "没有申请 A2025-030；您是否要写 A2025-003？"),
    (["approve", "--application", "A2025-030", "--amount", "10", "--body", "乡党委",
      "--minutes", "x"], "没有申请 A2025-030"),
    (["loan", "--application", "A2025-030", "--amount", "100", "--guarantor", "x"],
     "没有申请 A2025-030；您是否要写 A2025-003？"),
    (["relief", "--account", "Visits", "--application", "A2025-030", *RELIEF],
     "没有申请 A2025-030"),
    (["follow-up", "--member", "M0070", "--contact", "书记"], "没有成员 M0070"),
])
def test_a_typo_is_refused_first_with_the_closest_names(top, args, said):
    before = files_of(top.parent)
    result = run(args[0], top, *args[1:])
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert "FL" not in result.output  # no fund error that only follows from the typo
    assert files_of(top.parent) == before


def test_no_close_name_lists_the_accounts_of_that_kind(top):
    result = run("relief", top, "--account", "Zzz", *RELIEF)
    assert result.exit_code == 2
    assert "没有账户 Expenses:Relief:Zzz；账本开立的这类账户有 Expenses:Relief:Visits；" in result.output
    assert "fundledger add open 账本 --account Expenses:Relief:Zzz" in result.output
    # Medical, never opened, is no typo of Visits though both are Expenses:Relief:*
    assert "您是否要写" not in run("relief", top, "--account", "Medical", *RELIEF).output


def test_the_relief_shorthand_still_works(top):
    with top.open("a", encoding="utf-8") as out:
        out.write('\n2025-01-01 open Expenses:Relief:Medical CNY\n  name: "医疗救助"\n')
    result = run("relief", top, "--account", "Medical", "--dry-run", *RELIEF)
    assert "  Expenses:Relief:Medical " in result.stdout  # FL201 then: Medical needs an application
    assert "没有账户" not in result.output


def test_a_loan_account_opened_but_not_disbursed_is_no_typo(top):
    with top.open("a", encoding="utf-8") as out:
        out.write("\n2026-01-01 open Assets:Loans:L2026-009 CNY\n")
    result = run("repay", top, "--loan", "L2026-009", "--principal", "10", "--date", "2026-02-01")
    assert result.exit_code == 1 and "FL307" in result.stderr  # the rule's own words now
