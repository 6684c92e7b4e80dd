"""Synthetic fund ledgers of any size, written to the SPEC, for benchmarks and scale tests.

    python -m fundledger.synth OUT_DIR --transactions 100000 [--years 10] [--seed 1] [--bare]

Members give to the yearly one-day-pay drive (一日捐), dues are allocated monthly, every
member is reviewed each January, about fifty loans a year go through the whole workflow and
come back in two instalments with interest, and members are visited on 七一 and at Spring
Festival. The ledger checks clean; ``--bare`` leaves out the plugin line (for comparison).
"""

from __future__ import annotations

import argparse
import datetime
import random
from decimal import Decimal
from pathlib import Path

D = datetime.date
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "秀兰金明建国桂英志强玉华春梅德福永红海燕文军丽娟树林淑珍少华晓东家顺"
BRANCHES = ["中田村党支部", "上坪村党支部", "柳塘村党支部", "城西社区党支部", "卢村党支部"]
TIERS = ["general", "relative", "special"]

HEADER = """\
option "title" "合成测试基金（{n} 笔交易）"
option "operating_currency" "CNY"
{plugin}
{first}-01-01 open Assets:Bank:Fund CNY
  name: "帮扶基金专户"
{first}-01-01 open Income:Donations:OneDay CNY
  name: "一日捐"
{first}-01-01 open Income:Dues CNY
  name: "留存党费划拨"
  pool: "spendable"
{first}-01-01 open Income:Interest:Loans CNY
  name: "借款利息"
{first}-01-01 open Expenses:Relief:Visits CNY
  name: "走访慰问"
{first}-01-01 open Expenses:Fees:Bank CNY
  name: "银行手续费"
{first}-01-01 open Equity:Opening-Balances CNY
  name: "原基金划转"
{first}-01-01 * "县委组织部" "基金启动资金"
  Assets:Bank:Fund  {opening}.00 CNY
  Equity:Opening-Balances
{first}-01-01 custom "fund-policy" "loan-min" 3000 CNY
{first}-01-01 custom "fund-policy" "loan-rate-max" 0.0435
"""


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def write(out: Path, transactions: int, years: int = 10, seed: int = 1, bare: bool = False,
          first_year: int = 2015) -> Path:
    """Write a fund ledger of about ``transactions`` transactions; return its main file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    per_year = max(transactions // years, 200)
    loans_per_year = min(50, per_year // 20)
    visits = max(per_year // 10, 20)  # two visit rounds a year
    dues = 12
    donations = max(per_year - dues - visits - 3 * loans_per_year - 4, 10)
    members = max(donations, 2 * loans_per_year + 10, visits)
    main = out / "main.beancount"
    lines = [HEADER.format(n=transactions, plugin="" if bare else 'plugin "fundledger.plugin"',
                           first=first_year, opening=2 * loans_per_year * 5000 + 50000)]
    for m in range(members):
        lines.append(f'{first_year}-01-01 custom "member" "M{m:06d}"\n  name: "{_name(rng)}"\n'
                     f'  branch: "{rng.choice(BRANCHES)}"\n')
    includes = []
    borrower = 0
    for y in range(first_year, first_year + years):
        text: list[str] = []
        for m in range(members):
            text.append(f'{y}-01-02 custom "review" "M{m:06d}" "{rng.choice(TIERS)}"\n')
        campaign = f"{y}一日捐"
        for i in range(donations):
            day = D(y, 3, 1) + datetime.timedelta(days=i * 60 // donations)
            amount = rng.randrange(50, 400)
            text.append(f'{day} * "M{i % members:06d}" "{campaign}"\n  campaign: "{campaign}"\n'
                        f'  Assets:Bank:Fund  {amount}.00 CNY\n  Income:Donations:OneDay\n')
        visit_total = 0
        for i in range(visits):
            day = D(y, 6, 25) if i % 2 else D(y, 1, 20)
            amount = rng.choice((200, 300, 500))
            visit_total += amount
            text.append(f'{day} * "走访慰问"\n  Expenses:Relief:Visits  {amount}.00 CNY\n'
                        f'    member: "M{rng.randrange(members):06d}"\n  Assets:Bank:Fund\n')
        for month in range(1, 13):  # January's allocation covers the year's visits
            amount = visit_total + 100 if month == 1 else 100
            text.append(f'{y}-{month:02d}-05 * "县委组织部" "党费划拨"\n'
                        f'  Assets:Bank:Fund  {amount}.00 CNY\n  Income:Dues\n')
        for q in (3, 6, 9, 12):
            text.append(f'{y}-{q:02d}-28 * "银行" "手续费"\n  Expenses:Fees:Bank  5.00 CNY\n'
                        f'  Assets:Bank:Fund\n')
        for k in range(loans_per_year):
            mid = f"M{borrower % members:06d}"
            borrower += 1
            app, loan = f"A{y}-{k:03d}", f"L{y}-{k:03d}"
            start = D(y, 4, 1) + datetime.timedelta(days=k * 3)
            amount = rng.randrange(30, 51) * 100
            due = D(y + 2, start.month, start.day)
            text.append(
                f'{start} custom "apply" "{app}" "{mid}" "loan" {amount} CNY\n  purpose: "种养殖"\n'
                f'{start + datetime.timedelta(days=2)} custom "branch-review" "{app}"\n'
                f'{start + datetime.timedelta(days=3)} custom "publicity" "{app}"\n'
                f'{start + datetime.timedelta(days=10)} custom "approve" "{app}" {amount} CNY\n'
                f'  body: "乡党委"\n  minutes: "〔{y}〕{k + 1}号"\n'
                f'{start + datetime.timedelta(days=12)} custom "inspect" "{app}"\n'
                f'{start + datetime.timedelta(days=15)} open Assets:Loans:{loan} CNY\n'
                f'{start + datetime.timedelta(days=15)} * "{mid}" "借款"\n  application: "{app}"\n'
                f'  due: {due}\n  guarantor: "村党支部"\n  rate: 0.0435\n'
                f'  Assets:Loans:{loan}  {amount}.00 CNY\n  Assets:Bank:Fund\n')
            half = amount // 2
            interest = (Decimal(amount) * Decimal("0.0435")).quantize(Decimal("0.01"))
            for when, part in ((D(y + 1, start.month, start.day), half),
                               (due - datetime.timedelta(days=1), amount - half)):
                text.append(f'{when} * "{mid}" "还本付息"\n  Assets:Bank:Fund  {part + interest} CNY\n'
                            f'  Assets:Loans:{loan}  -{part}.00 CNY\n'
                            f'  Income:Interest:Loans  -{interest} CNY\n')
        part = out / f"{y}.beancount"
        part.write_text("\n".join(text), encoding="utf-8")
        includes.append(f'include "{part.name}"')
    main.write_text("\n".join(lines + includes) + "\n", encoding="utf-8")
    return main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--transactions", type=int, default=10000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()
    print(write(args.out, args.transactions, args.years, args.seed, args.bare))


if __name__ == "__main__":
    main()
