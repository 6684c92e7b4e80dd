"""The ``fundledger`` command line (SPEC §6): thin formatting over the loaded fund.

Exit status: 0 when the ledger has no errors, 1 when it has (printed ``FILE:LINE: message``
on stderr, as bean-check does), 2 for a usage or I/O problem.
"""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import jinja2

from . import reports
from .cli_books import journal_cmd, vouchers_cmd
from .cli_common import (
    AS_OF,
    DAY,
    LANG,
    LEDGER,
    InputError,
    VocabChoice,
    _csv,
    _day,
    _json,
    _open,
    _report_errors,
    emit,
    year_covered,
)
from .cli_data import consolidate_cmd, export_cmd
from .cli_entry import add, import_
from .cli_reports import statements_cmd, stats_cmd
from .cli_todo import todo_cmd
from .gcpause import paused
from .i18n import Words
from .money import fmt
from .table import render


class _Commands(click.Group):
    """The command group; each command runs with the cyclic collector paused (``gcpause``)."""

    def invoke(self, ctx: click.Context) -> Any:
        with paused():
            return super().invoke(ctx)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fundledger")
def main() -> None:
    """困难党员帮扶基金账本工具 (fund ledger tools for hardship-assistance funds)."""


@click.command("check")
@LEDGER
@click.option("-v", "--verbose", is_flag=True, help="同时打印出错的分录 (print each entry too)")
@LANG
def check_cmd(ledger: str, verbose: bool, lang: str) -> None:
    """检查账本：beancount 错误与基金规则 (all beancount and fund errors)."""
    from .twice import entered_twice

    words = Words(lang)
    fund = _open(ledger)
    fund.warnings.extend(str(pair) for pair in entered_twice(fund.entries))
    status = _report_errors(fund, verbose, lang)
    click.echo(words("errors_found", n=len(fund.errors)) if status else words("no_errors"), err=True)
    sys.exit(status)


@click.command("balances")
@LEDGER
@AS_OF
@click.option("--format", "fmt_", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@LANG
def balances_cmd(ledger: str, as_of: datetime.datetime | None, fmt_: str, lang: str) -> None:
    """资金状况：现金、借出未还、本金、可支用 (fund position)."""
    fund, day, w = _open(ledger), _day(as_of), Words(lang)
    pos = fund.position(day)
    if fmt_ == "json":
        click.echo(_json(reports.position_json(pos)))
    else:
        cur = fund.currency
        rows = [[w(k), fmt(getattr(pos, k))] for k in
                ("cash", "loans_outstanding", "principal", "spendable")]
        click.echo(render([w("item"), f"{w('amount')} ({cur})"], rows, right=[False, True],
                          title=f"{fund.title} {w('position')} {w('as_of')} {day}"))
        accounts = reports.cash_by_account(fund.state, day)
        if accounts:
            click.echo()
            click.echo(render([w("account"), "", f"{w('amount')} ({cur})"],
                              [[a, fund.state.account_label(a) if fund.state.account_label(a) != a
                                else "", fmt(v)] for a, v in accounts.items()],
                              right=[False, False, True], title=w("cash_accounts")))
    sys.exit(_report_errors(fund))


LOAN_COLUMNS = ("id", "member", "branch", "disbursed", "lent", "due", "outstanding", "status",
                "days_past_due", "aging")


@click.command("loans")
@LEDGER
@AS_OF
@click.option("--format", "fmt_", type=click.Choice(["table", "json", "csv", "xlsx"]),
              default="table", show_default=True)
@click.option("--status", "statuses", multiple=True,
              type=VocabChoice("loan-status", ("current", "overdue", "repaid", "written-off")),
              help="只列出这些状态：正常、逾期、已还清、已核销，或 current/overdue/repaid/"
                   "written-off (only these statuses; repeatable)")
@LANG
def loans_cmd(ledger: str, as_of: datetime.datetime | None, fmt_: str,
              statuses: tuple[str, ...], lang: str) -> None:
    """借款台账：每笔借款的余额、状态与逾期天数 (the loan book)."""
    fund, day, w = _open(ledger), _day(as_of), Words(lang)
    rows = reports.loan_book(fund.state, day)
    if statuses:
        rows = [r for r in rows if r["status"] in statuses]
    if fmt_ == "json":
        click.echo(_json(rows))
    elif fmt_ == "csv":
        click.echo(_csv(rows), nl=False)
    elif fmt_ == "xlsx":
        from .workbooks import loans_xlsx

        emit(loans_xlsx(rows, f"{fund.title} {w('loan_book')} {w('as_of')} {day}", lang))
    else:
        table = [[r["id"], f"{r['member'] or ''} {r['member_name'] or ''}".strip(), r["branch"],
                  r["disbursed"], fmt(Decimal(r["amount"])), r["due"],
                  fmt(Decimal(r["outstanding"])), w.status(r["status"]),
                  r["days_past_due"] or "", r["aging"]] for r in rows]
        outstanding = sum((Decimal(r["outstanding"]) for r in rows), Decimal(0))
        lent = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
        table.append([w("total"), f"{len(rows)}", "", "", fmt(lent), "", fmt(outstanding),
                      "", "", ""])
        click.echo(render([w(c if c != "lent" else "lent") for c in LOAN_COLUMNS], table,
                          right=[False, False, False, False, True, False, True, False, True, False],
                          title=f"{fund.title} {w('loan_book')} {w('as_of')} {day}"))
    sys.exit(_report_errors(fund))


@click.command("member")
@LEDGER
@click.argument("member_id", required=False)
@AS_OF
@click.option("--format", "fmt_", type=click.Choice(["table", "json", "html", "pdf", "xlsx"]),
              default="table", show_default=True)
@click.option("--names", is_flag=True,
              help="显示全名与申请用途等个人信息 (show full names and other personal data)")
@LANG
@click.option("--all", "all_", is_flag=True,
              help="全部成员的台账（--format xlsx） (the whole register, as xlsx)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入文件而不是标准输出 (write to FILE)")
def member_cmd(ledger: str, member_id: str, as_of: datetime.datetime | None, fmt_: str,
               names: bool, lang: str, all_: bool = False, output: Path | None = None) -> None:
    """一名成员的台账：审核、申请、受助与还款 (one member's register)."""
    if fmt_ in ("html", "pdf", "xlsx") or all_ or member_id is None:
        from .register_print import member_command  # the printable register (issue 13)

        sys.exit(member_command(ledger, member_id, _day(as_of), fmt_, names, lang, all_, output))
    fund, day, w = _open(ledger), _day(as_of), Words(lang)
    if member_id not in fund.members:
        raise InputError(f"账本中没有成员 {member_id} (no member {member_id} in the ledger)")
    reg = reports.member_register(fund.state, member_id, day, names=names)
    if fmt_ == "json":
        click.echo(_json(reg))
        sys.exit(_report_errors(fund))
    tier = w.word("tier", reg["tier"]) if reg["tier"] else w("none")
    head = [[w("id"), reg["id"]], [w("name"), reg["name"]], [w("branch"), reg["branch"]],
            [w("category"), w.word("category", reg["category"])], [w("registered"), reg["registered"]],
            [w("tier"), tier],
            [w("eligible"), w("yes") if reg["eligible"] else f"{w('no')}：{reg['ineligible_because']}"
             if lang == "zh" else f"{w('no')}: {reg['ineligible_because_en']}"]]
    if reg["exited"]:
        head.append([w("exited"), f"{reg['exited']} {reg['exit_reason'] or ''}".strip()])
    out = [render([w("item"), ""], head, title=f"{w('register')} {w('as_of')} {day}")]
    out.append(render([w("date"), w("tier")],
                      [[r["date"], w.word("tier", r["tier"])] for r in reg["reviews"]],
                      title=w("reviews")))
    out.append(render(
        [w("id"), w("date"), w("kind"), w("applied"), w("approved"), w("paid"), w("steps")],
        [[a["id"], a["date"], w.word("kind", a["kind"]), fmt(Decimal(a["amount"])),
          fmt(Decimal(a["approved"])) if a["approved"] else "", fmt(Decimal(a["paid"])),
          " → ".join(f"{w.word('step', s['step'])} {s['date'][5:]}" for s in a["steps"])]
         for a in reg["applications"]],
        right=[False, False, False, True, True, True, False], title=w("applications")))
    out.append(render(
        [w("date"), w("kind"), w("amount"), w("applications")],
        [[r["date"], r["label"], fmt(Decimal(r["amount"])), r["application"] or ""] for r in reg["relief"]]
        + [[w("total"), "", fmt(Decimal(reg["relief_total"])), ""]],
        right=[False, False, True, False], title=w("received")))
    out.append(render(
        [w("id"), w("disbursed"), w("lent"), w("due"), w("repaid"), w("interest"), w("outstanding"),
         w("status")],
        [[ln["id"], ln["disbursed"], fmt(Decimal(ln["amount"])), ln["due"], fmt(Decimal(ln["repaid"])),
          fmt(Decimal(ln["interest"])), fmt(Decimal(ln["outstanding"])), w.status(ln["status"])]
         for ln in reg["loans"]],
        right=[False, False, True, False, True, True, True, False], title=w("loans")))
    # follow-ups (跟踪联系/回访); the note only with --names
    out.append(render(["日期" if lang == "zh" else "Date", "跟踪联系人" if lang == "zh" else "Contact",
                       "备注" if lang == "zh" else "Note"],
                      [[f["date"], f["contact"] or "", f["note"] or ""] for f in reg["follow_ups"]],
                      title="跟踪回访" if lang == "zh" else "Follow-ups"))
    click.echo("\n\n".join(out))
    sys.exit(_report_errors(fund))


@click.command("notice")
@LEDGER
@click.option("--year", type=int, required=True, help="通报年度 (the year reported)")
@click.option("--edition", type=click.Choice(["public", "internal"]), default="public",
              show_default=True, help="公开版不含任何姓名；党内版含遮蔽姓名的受助名单")
@click.option("--format", "fmt_", type=click.Choice(["md", "html", "json", "pdf"]), default="md",
              show_default=True, help="pdf 须用 -o 写入文件 (pdf needs -o on a terminal)")
@LANG
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入文件而不是标准输出 (write to FILE)")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="先在此目录查找模板 (templates folder to use first)")
@click.option("--issuer", default=None,
              help="发文机关，如 中共某某县委组织部；默认账本标题 (issuing body; default the "
                   "ledger's title)")
@click.option("--number", default=None,
              help="发文字号，如 某组通〔2026〕3号，或只写序号 3 即〔成文年份〕3号；默认不印 "
                   "(document number; a bare 3 is 〔year of --date〕3号; default none)")
@click.option("--to", "to", default=None, help="主送机关，默认 各党支部 (recipients)")
@click.option("--date", "--generated", "generated",
              type=DAY, default=None,
              help="成文日期，印作 2026年3月1日，默认今天；--generated 同义 (date of the "
                   "document; default today)")
def notice_cmd(ledger: str, year: int, edition: str, fmt_: str, lang: str, output: Path | None,
               templates: Path | None, issuer: str | None, number: str | None, to: str | None,
               generated: datetime.datetime | None) -> None:
    """年度帮扶资金筹集使用情况通报 (the annual transparency notice, SPEC §7)."""
    from .notice import build_notice, notice_json
    from .notice_pdf import notice_pdf
    from .notice_text import Official
    from .render import render_notice

    if fmt_ == "pdf" and output is None and sys.stdout.isatty():
        raise InputError("PDF 是二进制文件，请用 -o 指定要写入的文件 (a PDF is binary: give -o FILE)")
    fund = _open(ledger)
    year_covered(fund, year)
    notice = build_notice(fund, year, edition)
    official = Official(issuer=issuer, number=number, to=to, date=_day(generated))
    data: str | bytes
    if fmt_ == "json":
        data = _json(notice_json(notice)) + "\n"
    elif fmt_ == "pdf":
        data = notice_pdf(notice, lang, official)
    else:
        try:
            data = render_notice(notice, fmt_, lang, templates, official=official)
        except jinja2.TemplateError as exc:
            raise InputError(f"模板错误 (template error): {exc}") from None
    emit(data, output)
    sys.exit(_report_errors(fund))


@click.command("publicity")
@LEDGER
@AS_OF
@click.option("--format", "fmt_", type=click.Choice(["table", "md", "json"]), default="table",
              show_default=True)
@LANG
def publicity_cmd(ledger: str, as_of: datetime.datetime | None, fmt_: str, lang: str) -> None:
    """公示名单：正在公示的申请与异议截止日 (applications in publicity)."""
    from .render import render_publicity

    fund, day, w = _open(ledger), _day(as_of), Words(lang)
    rows = reports.publicity_list(fund.state, day)
    if fmt_ == "json":
        click.echo(_json(rows))
    elif fmt_ == "md":
        try:
            click.echo(render_publicity(rows, fund.title, day, lang), nl=False)
        except jinja2.TemplateError as exc:
            raise InputError(f"模板错误 (template error): {exc}") from None
    else:
        table = [[r["application"], r["name"], r["branch"], w.word("kind", r["kind"]),
                  fmt(Decimal(r["amount"])),
                  r["published"], r["objections_until"]] for r in rows]
        click.echo(render([w("id"), w("name"), w("branch"), w("kind"), w("proposed"),
                           w("date"), w("objections_until")], table,
                          right=[False, False, False, False, True, False, False],
                          title=f"{fund.title} {w('publicity_title')} {w('as_of')} {day}"))
    sys.exit(_report_errors(fund))


for _command in (check_cmd, balances_cmd, loans_cmd, member_cmd, notice_cmd, publicity_cmd,
                 export_cmd, consolidate_cmd, add, import_, todo_cmd, statements_cmd,
                 stats_cmd, vouchers_cmd, journal_cmd):
    main.add_command(_command)

if __name__ == "__main__":
    main()
