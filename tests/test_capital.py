"""Amounts in capital numerals (大写) follow the accounting rules."""

from decimal import Decimal

import pytest

from fundledger.capital import rmb_upper


@pytest.mark.parametrize(("amount", "words"), [
    ("0", "人民币零元整"),
    ("1.00", "人民币壹元整"),
    ("1000", "人民币壹仟元整"),                       # 整 after 元
    ("1000.50", "人民币壹仟元伍角整"),                # 整 after 角
    ("0.50", "人民币伍角整"),
    ("0.05", "人民币伍分"),
    ("1000.05", "人民币壹仟元零伍分"),                # 零 after 元 when 角 is zero, 分 not
    ("20000.01", "人民币贰万元零壹分"),
    ("1001.50", "人民币壹仟零壹元伍角整"),            # one 零 inside the integer part
    ("10010.00", "人民币壹万零壹拾元整"),
    ("100001", "人民币壹拾万零壹元整"),               # one 零 for a run of zeros
    ("60036.07", "人民币陆万零叁拾陆元零柒分"),
    ("1234567.89", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
    ("680000", "人民币陆拾捌万元整"),
    ("100000000", "人民币壹亿元整"),
    ("-25.10", "人民币负贰拾伍元壹角整"),
    ("12.345", "人民币壹拾贰元叁角伍分"),             # rounded to the fen, half up
])
def test_capital_numerals(amount, words):
    assert rmb_upper(Decimal(amount)) == words


def test_prefix_can_be_dropped():
    assert rmb_upper(Decimal("5"), prefix="") == "伍元整"
