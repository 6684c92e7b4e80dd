"""``fundledger add KIND LEDGER …`` and ``fundledger import LEDGER STATEMENT`` (docs/ENTRY.md).

Every command checks the whole ledger with the new entries in it before writing. Exit
status: 0 written (or, with ``--dry-run``, would be written), 1 refused because the entries
would bring new errors (printed ``FILE:LINE: CODE message``; nothing is written), 2 a usage
or I/O problem, a lock held too long or a file that kept changing under us.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import Any

import click

from .cli_common import _YES, DAY, LEDGER, InputError, VocabChoice, entry_date
from .entry import kinds, vouchers
from .entry.format import EntryError
from .entry.statement import statement_drafts
from .entry.writer import Busy, Conflict, Draft, Outcome, write_entries
from .fund import Fund, LedgerNotFound

DATE = entry_date("--date", help="日期，如 2026-03-01、2026/3/1 或 2026年3月1日，默认今天；"
                                 "一年以后的日期须加 --yes (date of the act; default today)")
FILE = click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), default=None,
                    help="写入此文件，默认按文件约定 (write to FILE; default: the layout convention)")
DRY_RUN = click.option("--dry-run", is_flag=True,
                       help="只显示并检查，不写入 (show and check, write nothing)")
CASH = click.option("--cash", default=None,
                    help="现金账户，默认账本唯一的现金账户 (cash account; default the only one)")
AMOUNT = click.option("--amount", "amount_", required=True, help="金额，如 1234.50 (amount)")
NARRATION = click.option("--narration", default=None, help="摘要 (narration)")


def VOUCHER(command: Callable[..., Any]) -> Callable[..., Any]:  # noqa: N802 - an option pair
    """``--voucher`` and ``--attachments`` (SPEC §4)."""
    command = click.option("--attachments", type=click.IntRange(min=0),
                           help="附件张数 (number of source documents attached)")(command)
    return click.option("--voucher", help="凭证号，默认本月下一个，如 记-2026-03-012 "
                                          "(voucher number; default the month's next)")(command)


OLD_ERRORS_SHOWN = 10


def _finish(outcome: Outcome, dry_run: bool, what: str = "") -> int:
    """Print what happened (entries on stdout, the rest on stderr); the exit status."""
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    if outcome.old_errors:
        click.echo(f"warning: 账本原有 {len(outcome.old_errors)} 个错误，不影响本次记账 "
                   f"(the ledger already has {len(outcome.old_errors)} errors; not blocking):",
                   err=True)
        for error in sorted(outcome.old_errors, key=lambda e: (e.filename, e.lineno))[
                :OLD_ERRORS_SHOWN]:
            click.echo(f"warning:   {error.shown}", err=True)
        if len(outcome.old_errors) > OLD_ERRORS_SHOWN:
            click.echo("warning:   … (fundledger check 查看全部 / see all)", err=True)
    for path, text in outcome.texts.items():
        click.echo(f"; {path}")
        click.echo(text, nl=False)
    for pair in outcome.twice:
        click.echo(f"warning: {pair}", err=True)
    if outcome.new_errors:
        for error in sorted(outcome.new_errors, key=lambda e: (e.filename, e.lineno)):
            click.echo(error.shown, err=True)
        codes = " ".join(sorted({e.code for e in outcome.new_errors}))
        click.echo(f"未写入：{what or '新分录'}会带来 {len(outcome.new_errors)} 个新错误（{codes}） "
                   f"(refused, nothing written: {len(outcome.new_errors)} new errors)", err=True)
        return 1
    if outcome.twice_refused:
        click.echo("未写入：这笔交易看似重复记账（见上）；确实是另一笔，请加 --yes 再记 (refused, "
                   "nothing written: it looks entered twice; add --yes if it is not)", err=True)
        return 2
    if dry_run:
        click.echo("检查通过，未写入 (--dry-run) (checks clean; nothing written)", err=True)
        return 0
    for path in outcome.created:
        click.echo(f"新建 {path} (created)", err=True)
    for path in outcome.included:
        click.echo(f"已在顶层文件 include {path} (included)", err=True)
    for path, line in outcome.lines.items():
        click.echo(f"已写入 {path}:{line} (written)", err=True)
    return 0


def _write(ledger: str, build: Callable[[Fund], list[Draft]], file_: Path | None,
           dry_run: bool, allow_twice: bool = False) -> Outcome:
    try:
        outcome = write_entries(ledger, build, file_, dry_run, allow_twice)
    except LedgerNotFound as exc:
        raise InputError(str(exc)) from None
    except (EntryError, Conflict, Busy) as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"读写失败 {exc} (I/O error)") from None
    if os.environ.get("FUNDLEDGER_TIMINGS"):
        click.echo(f"timing: {outcome.seconds:.3f}s, {outcome.attempts} attempt(s)", err=True)
    return outcome


def _day(value: datetime.date | None) -> datetime.date | None:
    return value.date() if isinstance(value, datetime.datetime) else value


def entry_command(func: Callable[..., list[Draft]]) -> Callable[..., None]:
    """A subcommand: LEDGER, --file and --dry-run around a builder of ``kinds``; a command
    with ``VOUCHER`` numbers its transactions (``vouchers.numbered``). ``--yes`` (beside
    ``--date``) also writes a transaction that looks entered twice."""
    @wraps(func)
    def command(ledger: str, file_: Path | None, dry_run: bool, **values: Any) -> None:
        allow_twice = bool(click.get_current_context().meta.get(_YES))
        if "date" in values:
            values["date"] = _day(values["date"])
        numbering = {k: values.pop(k) for k in ("voucher", "attachments") if k in values}

        def build(fund: Fund) -> list[Draft]:
            drafts = func(fund, **values)
            return vouchers.numbered(fund, drafts, **numbering) if numbering else drafts

        outcome = _write(ledger, build, file_, dry_run, allow_twice)
        sys.exit(_finish(outcome, dry_run))

    command = DRY_RUN(FILE(command))
    return LEDGER(command)


@click.group("add", context_settings={"help_option_names": ["-h", "--help"]})
def add() -> None:
    """记一笔：写入前检查整本账，有新错误则不写 (add an entry, checked before it is written)."""


@add.command("donation")
@entry_command
@DATE
@AMOUNT
@click.option("--account", default=None, help="捐款来源账户，默认唯一的 Income:Donations:* (source account)")
@click.option("--donor", required=True, help="捐款人或单位 (donor)")
@click.option("--campaign", default=None, help="募捐活动，如 2026一日捐 (campaign)")
@CASH
@NARRATION
@VOUCHER
def donation_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """捐款 (a donation)."""
    return kinds.donation(fund, **values)


@add.command("allocation")
@entry_command
@DATE
@AMOUNT
@click.option("--account", required=True,
              help="来源账户，如 Income:Dues、Income:Fiscal (source account)")
@click.option("--payer", default=None, help="划拨单位 (payer)")
@NARRATION
@CASH
@VOUCHER
def allocation_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """党费划拨、财政资金、资金划入 (dues, fiscal money, transfers in)."""
    return kinds.allocation(fund, **values)


@add.command("member")
@entry_command
@DATE
@click.option("--id", "id_", default=None, help="成员编号，默认顺延 (member ID; default the next)")
@click.option("--name", required=True, help="姓名 (name)")
@click.option("--branch", required=True, help="所在党支部 (branch)")
@click.option("--category", type=VocabChoice("category"), default=None,
              help="类别，如 农村党员（rural）、退休（retired），中英文均可 (category)")
@click.option("--contact", default=None, help="联系方式 (contact)")
def member_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """建档立卡 (register a member)."""
    return kinds.member(fund, **values)


@add.command("review")
@entry_command
@DATE
@click.option("--member", "member_id", required=True, help="成员编号 (member ID)")
@click.option("--tier", required=True, type=VocabChoice("tier"),
              help="一般困难/比较困难/特别困难/不再困难，或 general/relative/special/none (tier)")
def review_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """年度审核 (annual review)."""
    return kinds.review(fund, **values)


@add.command("apply")
@entry_command
@DATE
@click.option("--id", "id_", default=None, help="申请编号，默认 A<年>-<序号> (application ID)")
@click.option("--member", "member_id", required=True, help="成员编号 (member ID)")
@click.option("--kind", required=True, type=VocabChoice("kind"),
              help="借款或救济，或 loan/relief (loan or relief)")
@AMOUNT
@click.option("--purpose", required=True, help="用途 (purpose)")
def apply_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """申报 (an application)."""
    return kinds.apply(fund, **values)


@add.command("step")
@entry_command
@DATE
@click.option("--application", required=True, help="申请编号 (application ID)")
@click.option("--step", "name", required=True, type=VocabChoice("step"),
              help="步骤，如 支部初审、公示、实地考核、不予帮扶，或 branch-review、publicity、inspect、"
                   "reject (workflow step)")
def step_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """流程步骤：支部初审、公示、实地考核、不予帮扶 (a workflow step)."""
    return kinds.step(fund, **values)


@add.command("approve")
@entry_command
@DATE
@click.option("--application", required=True, help="申请编号 (application ID)")
@AMOUNT
@click.option("--body", required=True, help="审批机构，如 乡党委 (approving body)")
@click.option("--minutes", required=True, help="会议纪要文号 (minutes)")
def approve_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """集体研究审批 (collective approval)."""
    return kinds.approve(fund, **values)


@add.command("reschedule")
@entry_command
@DATE
@click.option("--loan", "loan_id", required=True, help="借款编号 (loan ID)")
@click.option("--due", type=DAY, required=True, help="批准的新到期日 (the new due date)")
@click.option("--minutes", required=True, help="会议纪要文号 (minutes of the decision)")
def reschedule_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """借款展期 (a loan rescheduled)."""
    return kinds.reschedule(fund, **values)


@add.command("write-off")
@entry_command
@DATE
@click.option("--loan", "loan_id", required=True, help="借款编号 (loan ID)")
@click.option("--minutes", required=True, help="会议纪要文号 (minutes of the decision)")
def write_off_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """核销批准 (approval to write a loan off)."""
    return kinds.write_off(fund, **values)


@add.command("release")
@entry_command
@DATE
@AMOUNT
@click.option("--minutes", required=True, help="会议纪要文号 (minutes of the decision)")
def release_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """本金调剂为可支用资金 (principal released to spendable)."""
    return kinds.release(fund, **values)


@add.command("loan")
@entry_command
@DATE
@click.option("--loan", "loan_id", default=None,
              help="借款编号，默认由申请编号 A… 改为 L… (loan ID)")
@click.option("--application", required=True, help="申请编号 (application ID)")
@AMOUNT
@click.option("--due", type=DAY, default=None,
              help="到期日，默认按政策期限 (due date; default the policy's term)")
@click.option("--guarantor", default=None, help="担保人或担保单位 (guarantor)")
@click.option("--rate", default=None, help="年利率，如 0.0435 或 4.35% (annual rate)")
@CASH
@NARRATION
@VOUCHER
def loan_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """借款发放，并开立 Assets:Loans:ID (a loan disbursement)."""
    values["due"] = _day(values["due"])
    return kinds.loan(fund, **values)


@add.command("repay")
@entry_command
@DATE
@click.option("--loan", "loan_id", required=True, help="借款编号 (loan ID)")
@click.option("--principal", required=True, help="归还本金 (principal repaid)")
@click.option("--interest", default=None, help="利息 (interest)")
@click.option("--interest-account", default="Income:Interest:Loans", show_default=True)
@click.option("--close", is_flag=True, help="同时关闭借款账户（已还清时） (close the loan account)")
@CASH
@NARRATION
@VOUCHER
def repay_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """还本付息 (a repayment)."""
    return kinds.repay(fund, **values)


@add.command("relief")
@entry_command
@DATE
@click.option("--member", "member_id", required=True, help="受助成员编号 (member ID)")
@click.option("--account", required=True,
              help="救济账户，如 Expenses:Relief:Medical 或 Medical (relief account)")
@AMOUNT
@click.option("--application", default=None, help="申请编号 (application ID)")
@click.option("--months", type=int, default=None, help="生活补助月数 (months of subsidy)")
@click.option("--child", default=None, help="助学：子女 (education grant: the child)")
@CASH
@NARRATION
@VOUCHER
def relief_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """无偿救济 (relief paid to one member)."""
    return kinds.relief(fund, **values)


@add.command("open")
@entry_command
@DATE
@click.option("--account", required=True,
              help="账户，如 Income:Donations:Society、Expenses:Relief:Medical (account)")
@click.option("--name", default=None, help="账户中文名，如 社会捐款 (the account's Chinese name)")
@click.option("--pool", type=click.Choice(kinds.POOLS), default=None,
              help="来源账户的资金池：本金 principal 或可支用 spendable (a source's pool)")
def open_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """开立账户：写 name: 与 pool:，记入存放开户分录的文件 (open an account)."""
    return kinds.open_account(fund, **values)


@add.command("follow-up")
@entry_command
@DATE
@click.option("--member", "member_id", required=True, help="成员编号 (member ID)")
@click.option("--contact", required=True, help="跟踪联系人（职务或编号） (the tracking contact)")
@click.option("--note", default=None, help="回访情况 (note)")
def follow_up_cmd(fund: Fund, **values: Any) -> list[Draft]:
    """跟踪联系/回访 (a follow-up visit or call)."""
    return kinds.follow_up(fund, **values)


# ---------------------------------------------------------------- import

@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@LEDGER
@click.argument("statement", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice(["statement", "donations", "members"]),
              default="statement", show_default=True,
              help="银行对账单、捐款名单（一日捐）或建档立卡名册 (what the file is)")
@click.option("--account", default=None,
              help="对账单：基金银行账户，默认唯一的 Assets:Bank:*；捐款名单：捐款来源账户，默认唯一的 "
                   "Income:Donations:* (statement: the bank account; donations: the source)")
@click.option("--income-account", default=None,
              help="收入的默认来源账户，默认唯一的 Income:Donations:* (default for money in)")
@click.option("--expense-account", default=None,
              help="支出的默认账户，默认不猜（待分类，检查不通过） (default for money out)")
@CASH
@click.option("--campaign", default=None,
              help="捐款名单没有“募捐活动”列时的活动，如 2026一日捐 (campaign of rows without one)")
@DATE
@FILE
@DRY_RUN
def import_(ledger: str, statement: str, account: str | None, income_account: str | None,
            expense_account: str | None, file_: Path | None, dry_run: bool,
            kind: str = "statement", cash: str | None = None, campaign: str | None = None,
            date: datetime.datetime | None = None) -> None:
    """导入银行对账单（CSV，GBK 或 UTF-8）：草稿交易（!）与余额断言；--kind donations 导入捐款名单，
    --kind members 导入建档立卡名册（xlsx 或 csv，每行写入前检查，有一行不对就一行也不写） (import a
    bank statement, a donation list or a member register)."""
    if kind != "statement":
        from .importers import donations, members
        from .importers.workbook import NotASheet, SheetErrors

        try:
            if kind == "donations":
                rows, skipped = donations.read_donations(statement, campaign)
                build = partial(donations.donation_drafts, donations=rows, account=account,
                                cash=cash)
            else:
                rows, skipped = members.read_members(statement)
                build = partial(members.member_drafts, members=rows, date=_day(date))
            for name in skipped:
                click.echo(f"warning: {statement}:{name}: 没有表头，跳过 (no header: sheet skipped)",
                           err=True)
            if not rows:
                click.echo("没有可导入的行 (nothing to import)", err=True)
                sys.exit(0)
            outcome = _write(ledger, build, file_, dry_run,
                             bool(click.get_current_context().meta.get(_YES)))
        except NotASheet as exc:
            raise InputError(f"{statement}: {exc}") from None
        except SheetErrors as exc:
            raise InputError("\n".join(exc.lines(statement))) from None
        click.echo(f"{len(rows)} 行 ({len(rows)} rows)", err=True)
        sys.exit(_finish(outcome, dry_run, "导入的分录"))
    report: dict[str, Any] = {}
    build = partial(statement_drafts, statement=statement, account=account, income=income_account,
                    expense=expense_account, report=report)
    # rows the ledger has are skipped by the importer; two alike in one statement are two
    outcome = _write(ledger, build, file_, dry_run, allow_twice=True)
    for entry in report.get("duplicates", []):
        other = entry.meta["__duplicate__"]
        where = f"{other.meta.get('filename')}:{other.meta.get('lineno')}"
        amount = next((p.units for p in getattr(entry, "postings", ()) if p.units), None)
        what = getattr(entry, "amount", None) or amount
        click.echo(f"跳过重复 (duplicate, skipped): {entry.date} {what} "
                   f"{getattr(entry, 'payee', '') or ''} = {where}", err=True)
    if not report.get("fresh"):
        click.echo("没有新的交易可导入 (nothing new to import)", err=True)
        sys.exit(0)
    click.echo(f"{len(report['fresh'])} 条草稿，{len(report.get('duplicates', []))} 条重复已跳过 "
               f"({len(report['fresh'])} drafts, {len(report.get('duplicates', []))} duplicates "
               "skipped)", err=True)
    sys.exit(_finish(outcome, dry_run, "导入的草稿"))


__all__ = ["add", "import_"]
