"""Fava's error banner and Errors page show beancount's errors explained in Chinese (issue 12)."""

from __future__ import annotations

from fava.core import FavaLedger

LEDGER = '''option "title" "某乡困难党员帮扶基金"
option "operating_currency" "CNY"
plugin "fundledger.plugin"
2000-01-01 custom "fava-extension" "fundledger.fava"

2025-01-01 open Assets:Bank:Fund CNY
2025-01-01 open Income:Donations CNY
2025-01-10 * “王建国” "捐款"
  Assets:Bank:Fund   100.00 CNY
  Income:Donations
2025-01-11 * "捐款"
  Assets:Bank:Fund   100.00 CNY
  Income:Donation
'''


def test_fava_shows_beancounts_errors_in_chinese_with_the_fix(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    ledger = FavaLedger(str(path))
    messages = {e.source["lineno"]: e.message for e in ledger.errors}
    assert any("全角" in m and '"' in m for m in messages.values()), messages
    unknown = [m for m in messages.values() if "Income:Donation" in m and "没有开户" in m]
    assert unknown and "Income:Donations" in unknown[0], messages  # the closest opened account
    assert all("(" in m for m in messages.values())  # the English original kept in brackets
