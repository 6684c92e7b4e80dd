"""The member's register (台帐) printable and in Excel: ``member --format html|pdf|xlsx`` and
``member --all --format xlsx`` (SPEC §6, issue 13).

One record per member — basic facts, reviews, applications and their steps, relief received,
loans and their repayments, follow-ups — read from ``reports.member_register`` (so names are
masked unless ``--names``, SPEC §9) and laid out three ways: HTML through
``templates/member.html.j2`` (autoescaped), A4 PDF through ``pdf.Document``, xlsx through
``xlsx.write_xlsx`` (one sheet per part; ``--all`` the whole register, a row per member).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import jinja2

from . import reports
from .cli_common import InputError, _open, _report_errors, emit
from .fund import Fund
from .i18n import Words
from .money import fmt
from .pdf import Document
from .render import packaged_templates
from .xlsx import Sheet, write_xlsx

Date = datetime.date

# Words the register needs that i18n does not have (yet): Chinese, English.
_MORE = {
    "facts": ("基本情况", "Basic facts"),
    "value": ("内容", "Value"),
    "repayments": ("还款记录", "Repayments"),
    "follow_ups": ("跟踪回访", "Follow-ups"),
    "note": ("情况记录", "Note"),
    "principal_repaid": ("归还本金", "Principal repaid"),
    "interest_paid": ("利息", "Interest"),
    "loan_id": ("借款编号", "Loan"),
    "purpose": ("用途", "Purpose"),
    "exit_reason": ("退出原因", "Exit reason"),
    "relief_total": ("受助合计", "Relief received"),
    "loans_outstanding_m": ("借款余额", "Loans outstanding"),
    "last_review": ("最近审核", "Last review"),
    "members_sheet": ("成员", "Members"),
    "generated": ("打印日期", "Printed"),
}


class _Words:
    """``i18n.Words`` with the register's own words as a fallback."""

    def __init__(self, lang: str):
        self.base, self.i = Words(lang), 0 if lang == "zh" else 1

    def __call__(self, key: str) -> str:
        return _MORE[key][self.i] if key in _MORE else self.base(key)

    def status(self, status: str) -> str:
        return self.base.status(status)

    def tier(self, tier: str | None) -> str:
        if tier is None:
            return self.base("none")
        return self.base("tier_none") if tier == "none" else self.base(tier)


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _day(text: str | None) -> Date | None:
    return None if text is None else Date.fromisoformat(text)


def record(fund: Fund, member_id: str, as_of: Date, names: bool) -> dict[str, Any]:
    """The register (``reports.member_register``) with each loan's repayments and the
    follow-ups, when the register carries them."""
    reg = reports.member_register(fund.state, member_id, as_of, names=names)
    repayments = []
    for row in reg["loans"]:
        loan = fund.state.loans.get(row["id"])
        for move in loan.moves if loan else ():
            if move.kind == "repay" and move.date <= as_of:
                repayments.append({"loan": loan.id, "date": move.date.isoformat(),
                                   "principal": f"{-move.amount:.2f}",
                                   "interest": f"{move.interest:.2f}"})
    reg["repayments"] = sorted(repayments, key=lambda r: (r["date"], r["loan"]))
    reg.setdefault("follow_ups", [])
    return reg


def _sections(reg: dict[str, Any], w: _Words) -> list[tuple[str, list[str], list[list[Any]],
                                                        list[list[Any]]]]:
    """(title, headers, rows, totals) of each part of the record, typed cells."""
    apps = [[a["id"], _day(a["date"]), w.base.word("kind", a["kind"]), _dec(a["amount"]),
             _dec(a["approved"]), _dec(a["paid"]), a.get("purpose") or "",
             " → ".join(f"{w.base.word('step', s['step'])} {s['date']}" for s in a["steps"])]
            for a in reg["applications"]]
    relief = [[_day(r["date"]), r["label"], _dec(r["amount"]), r["application"] or ""]
              for r in reg["relief"]]
    loans = [[ln["id"], _day(ln["disbursed"]), _dec(ln["amount"]), _day(ln["due"]),
              _dec(ln["repaid"]), _dec(ln["interest"]), _dec(ln["outstanding"]),
              w.status(ln["status"])] for ln in reg["loans"]]
    repaid = [[r["loan"], _day(r["date"]), _dec(r["principal"]), _dec(r["interest"])]
              for r in reg["repayments"]]
    follow = [[_day(f.get("date")), f.get("contact") or "", f.get("note") or ""]
              for f in reg["follow_ups"]]

    def total(rows: list[list[Any]], columns: list[int], width: int) -> list[list[Any]]:
        if not rows:
            return []
        out: list[Any] = [w("total")] + [None] * (width - 1)
        for c in columns:
            out[c] = sum((r[c] or Decimal(0) for r in rows), Decimal(0))
        return [out]

    return [
        (w("reviews"), [w("date"), w("tier")],
         [[_day(r["date"]), w.tier(r["tier"])] for r in reg["reviews"]], []),
        (w("applications"), [w("id"), w("date"), w("kind"), w("applied"), w("approved"),
                             w("paid"), w("purpose"), w("steps")], apps, []),
        (w("received"), [w("date"), w("kind"), w("amount"), w("applications")], relief,
         total(relief, [2], 4)),
        (w("loans"), [w("id"), w("disbursed"), w("lent"), w("due"), w("repaid"), w("interest"),
                      w("outstanding"), w("status")], loans, total(loans, [2, 4, 5, 6], 8)),
        (w("repayments"), [w("loan_id"), w("date"), w("principal_repaid"), w("interest_paid")],
         repaid, total(repaid, [2, 3], 4)),
        (w("follow_ups"), [w("date"), w("contact"), w("note")], follow, []),
    ]


def _facts(reg: dict[str, Any], w: _Words) -> list[tuple[str, Any]]:
    why = (f"{w('no')}：{reg['ineligible_because'] or ''}" if w.i == 0
           else f"{w('no')}: {reg['ineligible_because_en'] or ''}")
    eligible = w("yes") if reg["eligible"] else why
    facts = [(w("id"), reg["id"]), (w("name"), reg["name"]), (w("branch"), reg["branch"]),
             (w("category"), w.base.word("category", reg["category"])),
             (w("registered"), _day(reg["registered"])),
             (w("tier"), w.tier(reg["tier"])), (w("eligible"), eligible)]
    if reg["exited"]:
        facts.append((w("exited"), _day(reg["exited"])))
        if reg.get("exit_reason"):
            facts.append((w("exit_reason"), reg["exit_reason"]))
    return facts


def _title(fund: Fund, reg: dict[str, Any], w: _Words) -> str:
    return f"{fund.title} {w('register')}"


# ---------------------------------------------------------------- the three layouts

def member_html(fund: Fund, reg: dict[str, Any], lang: str = "zh") -> str:
    w = _Words(lang)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(packaged_templates())),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["cell"] = _cell_text
    return env.get_template("member.html.j2").render(
        title=_title(fund, reg, w), subtitle=f"{reg['id']} {reg['name']} {w('as_of')} {reg['as_of']}",
        facts=_facts(reg, w), facts_title=w("facts"), sections=_sections(reg, w),
        lang="zh-CN" if lang == "zh" else "en")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, Date):
        return value.isoformat()
    return str(value)


# Column widths of each part on A4 (relative): fixed, so a long text (the steps, a note)
# wraps in its own column instead of squeezing the others below one character.
PDF_WIDTHS = ([1, 1], [1.3, 1.5, 0.8, 1.2, 1.2, 1.2, 1.4, 3], [1, 1.5, 1, 1],
              [1.3, 1.2, 1.2, 1.2, 1.2, 1, 1.2, 0.9], [1, 1, 1, 1], [1, 1.5, 3])


def member_pdf(fund: Fund, reg: dict[str, Any], lang: str = "zh") -> bytes:
    w = _Words(lang)
    title = _title(fund, reg, w)
    doc = Document(title=f"{title} {reg['id']}", layout="plain")
    doc.title(title)
    doc.paragraph(f"{reg['id']} {reg['name']}  {w('as_of')} {reg['as_of']}", indent=0, align="C")
    doc.heading(w("facts"))
    facts = _facts(reg, w)
    half = (len(facts) + 1) // 2
    left, right = facts[:half], facts[half:] + [("", "")] * (2 * half - len(facts))
    doc.table([w("item"), w("value"), w("item"), w("value")],
              [[a, b, c, d] for (a, b), (c, d) in zip(left, right, strict=True)],
              widths=[1, 2, 1, 2])
    for (name, headers, rows, totals), widths in zip(_sections(reg, w), PDF_WIDTHS, strict=True):
        doc.heading(name)
        if rows:
            doc.table(headers, rows, totals=totals, widths=widths)
        else:
            doc.paragraph(w("none"), indent=0)
    return doc.output()


def member_xlsx(fund: Fund, reg: dict[str, Any], lang: str = "zh") -> bytes:
    w = _Words(lang)
    title = f"{_title(fund, reg, w)} {reg['id']} {reg['name']} {w('as_of')} {reg['as_of']}"
    sheets = [Sheet(w("facts"), [w("item"), w("value")], [list(f) for f in _facts(reg, w)],
                    title=title)]
    sheets += [Sheet(name, headers, rows, totals=totals)
               for name, headers, rows, totals in _sections(reg, w)]
    return write_xlsx(sheets)


def register_xlsx(fund: Fund, as_of: Date, names: bool, lang: str = "zh") -> bytes:
    """The whole register: a row per member, then every part with the member's ID first."""
    w = _Words(lang)
    regs = [record(fund, mid, as_of, names) for mid in sorted(fund.members)
            if fund.members[mid].registered <= as_of]
    members = []
    for reg in regs:
        outstanding = sum((Decimal(ln["outstanding"]) for ln in reg["loans"]), Decimal(0))
        last = reg["reviews"][-1]["date"] if reg["reviews"] else None
        members.append([reg["id"], reg["name"], reg["branch"], w.base.word("category", reg["category"]),
                        _day(reg["registered"]), w.tier(reg["tier"]), _day(last),
                        w("yes") if reg["eligible"] else w("no"), _day(reg["exited"]),
                        Decimal(reg["relief_total"]), outstanding])
    heads = [w("id"), w("name"), w("branch"), w("category"), w("registered"), w("tier"),
             w("last_review"), w("eligible"), w("exited"), w("relief_total"),
             w("loans_outstanding_m")]
    totals = [[w("total"), f"{len(members)}", None, None, None, None, None, None, None,
               sum((m[9] for m in members), Decimal(0)), sum((m[10] for m in members), Decimal(0))]]
    sheets = [Sheet(w("members_sheet"), heads, members, totals=totals if members else (),
                    title=f"{fund.title} {w('register')} {w('as_of')} {as_of}")]
    parts: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for reg in regs:
        for name, headers, rows, _ in _sections(reg, w):
            entry = parts.setdefault(name, ([w("member"), *headers], []))
            entry[1].extend([reg["id"], *row] for row in rows)
    sheets += [Sheet(name, headers, rows) for name, (headers, rows) in parts.items()]
    return write_xlsx(sheets)


# ---------------------------------------------------------------- the command

def member_command(ledger: str, member_id: str | None, as_of: Date, fmt_: str, names: bool,
                   lang: str, all_: bool = False, output: Path | None = None) -> int:
    """``member`` for the printable formats and ``--all``; the exit status."""
    if all_ and member_id:
        raise click.UsageError("--all 与成员编号不能同时给出 (give a member ID or --all, not both)")
    if not all_ and not member_id:
        raise click.UsageError("请给出成员编号，或用 --all 导出全部台账 (give MEMBER_ID or --all)")
    if all_ and fmt_ != "xlsx":
        raise click.UsageError("--all 只用于 --format xlsx (--all writes the whole register as xlsx)")
    fund = _open(ledger)
    if all_:
        data: bytes | str = register_xlsx(fund, as_of, names, lang)
    else:
        if member_id not in fund.members:
            raise InputError(f"账本中没有成员 {member_id} (no member {member_id} in the ledger)")
        reg = record(fund, member_id, as_of, names)
        data = {"html": member_html, "pdf": member_pdf, "xlsx": member_xlsx}[fmt_](fund, reg, lang)
    emit(data, output)
    return _report_errors(fund)

