"""fundledger.load: the Python API reads the same state the plugin checks (SPEC §8 example)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

import fundledger
from fundledger import LedgerNotFound

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"
D = datetime.date


@pytest.fixture(scope="module")
def fund():
    return fundledger.load(EXAMPLE)


def test_the_spec_example_loads_clean(fund):
    assert fund.errors == []
    assert fund.plugin_declared
    assert fund.title == "某乡困难党员帮扶基金"
    assert fund.source_files == [EXAMPLE]


def test_position_follows_the_pools(fund):
    pos = fund.position(D(2026, 12, 31))
    # dues 8000 (spendable) + donation 500 (principal) - loan 4000 - visit 300 + repay 2000 + 174
    assert pos.cash == Decimal("6374.00")
    assert pos.loans_outstanding == Decimal("2000.00")
    assert pos.principal == Decimal("500.00")
    assert pos.spendable == Decimal("7874.00")
    assert pos.cash == pos.principal + pos.spendable - pos.loans_outstanding


def test_position_before_anything_is_zero(fund):
    assert fund.position(D(2024, 12, 31)) == fundledger.Position()


def test_position_is_end_of_day(fund):
    assert fund.position(D(2025, 6, 4)).loans_outstanding == 0
    assert fund.position(D(2025, 6, 5)).loans_outstanding == Decimal("4000.00")


def test_loan_record(fund):
    loan = fund.loans["L2025-003"]
    assert loan.member_id == "M0007"
    assert loan.application_id == "A2025-003"
    assert loan.principal == Decimal("4000.00")
    assert loan.due == D(2027, 6, 5)
    assert loan.rate == Decimal("0.0435")
    assert loan.guarantor == "中田村党支部"
    assert loan.status_on(D(2026, 6, 5)) == "current"
    assert loan.repaid_on(D(2026, 6, 5)) == Decimal("2000.00")
    assert loan.interest_on(D(2026, 6, 5)) == Decimal("174.00")
    assert loan.status_on(D(2027, 6, 5)) == "current"
    assert loan.status_on(D(2027, 6, 6)) == "overdue"
    assert loan.days_past_due(D(2027, 6, 16)) == 11


def test_member_and_eligibility(fund):
    member = fund.members["M0007"]
    assert member.name == "张秀兰" and member.branch == "中田村党支部"
    policy = fund.policy_at(D(2025, 7, 1))
    assert member.eligible_on(D(2025, 7, 1), policy)
    assert not member.eligible_on(D(2025, 1, 5), policy)  # not yet reviewed
    assert member.eligible_on(D(2026, 1, 6), policy)  # review valid through the same day
    assert not member.eligible_on(D(2026, 1, 7), policy)


def test_policy_at_a_date(fund):
    assert fund.policy_at(D(2024, 12, 31)).loan_rate_max is None
    assert fund.policy_at(D(2025, 1, 1)).loan_rate_max == Decimal("0.0435")
    assert fund.policy_at(D(2025, 1, 1)).loan_max == Decimal("5000")


def test_applications_relief_and_donations(fund):
    app = fund.applications["A2025-003"]
    assert [s.name for s in app.steps] == ["branch-review", "publicity", "approve", "inspect"]
    assert app.approved_on(D(2025, 2, 20)) == Decimal("4000")
    assert app.paid() == Decimal("4000.00")
    assert [(r.kind, r.member_id, r.amount) for r in fund.relief] == [("Visits", "M0007", Decimal("300.00"))]
    donations = {(d.account, d.amount, d.campaign) for d in fund.donations}
    assert ("Income:Donations:Members", Decimal("500.00"), "2025一日捐") in donations
    assert ("Income:Interest:Loans", Decimal("174.00"), None) in donations


def test_missing_ledger_raises():
    with pytest.raises(LedgerNotFound):
        fundledger.load("/nonexistent/ledger.beancount")


def test_ledger_without_the_plugin_is_still_checked(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace('plugin "fundledger.plugin"\n', "")
    text += '\n2026-07-01 * "x"\n  Expenses:Relief:Visits 10.00 CNY\n  Assets:Bank:Fund\n'
    path = tmp_path / "noplugin.beancount"
    path.write_text(text, encoding="utf-8")
    fund = fundledger.load(path)
    assert not fund.plugin_declared
    assert any("does not declare" in w for w in fund.warnings)
    assert [e.message[:5] for e in fund.errors] == ["FL105"]


def test_plugin_line_in_an_included_file_is_warned_about(tmp_path):
    (tmp_path / "inc.beancount").write_text('plugin "fundledger.plugin"\n', encoding="utf-8")
    main = tmp_path / "main.beancount"
    main.write_text(EXAMPLE.read_text(encoding="utf-8") + '\ninclude "inc.beancount"\n',
                    encoding="utf-8")
    fund = fundledger.load(main)
    assert any("inc.beancount:1" in w for w in fund.warnings)


def test_load_reuses_the_plugins_state_only_for_the_same_entries(tmp_path, monkeypatch):
    import fundledger.fund
    import fundledger.plugin

    ledger = tmp_path / "fund.beancount"
    ledger.write_text((Path(__file__).parent / "ledgers" / "spec_example.beancount")
                      .read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")
    built = []
    real = fundledger.fund.build_state
    monkeypatch.setattr(fundledger.fund, "build_state", lambda *a: built.append(1) or real(*a))
    fund = fundledger.load(ledger)
    assert built == []  # the plugin's state, built on these very entries
    assert fund.position(datetime.date(2026, 12, 31)) == real(
        fund.entries, fund.currency).position(datetime.date(2026, 12, 31))

    # a later plugin that changes the entries: the state is built again from the final ones
    plugin = tmp_path / "later_plugin.py"
    plugin.write_text("__plugins__ = ('drop_last',)\n"
                      "def drop_last(entries, options):\n"
                      "    return entries[:-1], []\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    ledger.write_text(ledger.read_text(encoding="utf-8") + '\nplugin "later_plugin"\n',
                      encoding="utf-8")
    fundledger.load(ledger)
    assert built == [1]

    # outside fundledger.load (bean-check, Fava) the plugin keeps nothing
    from beancount import loader
    loader.load_file(str(ledger))
    assert fundledger.plugin._handover.get() is None
