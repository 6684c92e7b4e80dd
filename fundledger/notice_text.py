"""What the annual notice says, as data: its official-document parts and its headed sections.

``notice_document(notice, lang, official)`` turns the figures of a ``Notice`` into the parts of
a GB/T 9704 document — masthead, document number, title, recipients, the body as headings,
paragraphs and tables, signature, Chinese date, circulation line — so the HTML template
(``templates/notice.html.j2``) and the PDF (``notice_pdf.py``) print the same sentences and
cannot drift. The words come from ``i18n.WORDS``; the document's own few are here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .capital import rmb_upper
from .i18n import Words
from .money import ZERO, fmt, pct
from .notice import Notice

Date = datetime.date

# the parts an official document has and the statistics do not (zh, en)
_WORDS = {
    "to_default": ("各党支部", "All party branches"),
    "circulated": ("{date}印发", "Issued {date}"),
    "circulated_by": ("{issuer}", "Issued by {issuer}"),
    "brought_forward": ("年初数含上年结转（期初）资金 {amount} 元，即本账簿建立前基金已有的资金和"
                        "借款，不计入本年筹集。",
                        "The start of the year includes {amount} yuan brought forward (opening "
                        "balances): the money and loans the fund held before these books began, "
                        "not counted as raised this year."),
}
_NUMERALS = "一二三四五六七八九十"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
# 〔2026〕 wants 六角括号 (GB/T 9704 §7.2.4); [2026], 【2026】, (2026) and （2026） are the
# usual slips of a keyboard
_YEAR_BRACKETS = re.compile(r"[\[【(（〔]\s*(\d{4})\s*[\]】)）〕]")


@dataclass(frozen=True)
class Official:
    """What the command line says about the document (``--issuer --number --to --date``)."""

    issuer: str | None = None  # 发文机关; None: the fund's title
    number: str | None = None  # 发文字号: ``某组通〔2026〕3号``, or ``3`` for 〔date's year〕3号
    to: str | None = None  # 主送; None: 各党支部
    date: Date | None = None  # 成文日期; None: today


def document_number(text: str | None, year: int) -> str | None:
    """``3`` -> ``〔2026〕3号`` (the year the document is dated); ``某组通[2026]3号`` ->
    ``某组通〔2026〕3号``; None or blank: no number."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return f"〔{year}〕{int(text)}号"
    return _YEAR_BRACKETS.sub(r"〔\1〕", text)


def chinese_date(day: Date, lang: str = "zh") -> str:
    """``2026年3月1日`` (GB/T 9704 §7.3.5: Arabic numerals, no leading zeros); English
    ``1 March 2026``."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


class Figure(int):
    """A figure already written out (a share ``45.3%``): right-aligned as a number is, in the
    PDF's table (which aligns ints right) and in the HTML's."""

    text: str

    def __new__(cls, text: str) -> Figure:
        self = super().__new__(cls, 0)
        self.text = text
        return self

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


@dataclass
class Heading:
    level: int  # 1: 一、 2: （一）
    text: str
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # body | note | brought-forward
    kind: str = "paragraph"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]  # str, int, Decimal (money) or Figure
    totals: list[list[Any]] = field(default_factory=list)
    widths: list[float] | None = None
    kind: str = "table"

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold numbers (right-aligned); the PDF judges them the same way."""
        return [bool(values) and all(isinstance(v, (int, Decimal)) for v in values)
                for values in ([r[i] for r in [*self.rows, *self.totals]
                                if r[i] is not None and r[i] != ""]
                               for i in range(len(self.headers)))]


@dataclass
class Charts:
    """The two bar charts (HTML only: the PDF has the tables they draw)."""

    raised: list[dict[str, Any]]
    used: list[dict[str, Any]]
    captions: tuple[str, str]
    kind: str = "charts"


@dataclass
class Verify:
    """How to check the notice: period, date, ledger files, fingerprint."""

    lines: list[str]
    fingerprint_label: str
    fingerprint: str
    closing: str
    kind: str = "verify"


@dataclass
class SignLines:
    """The supervisory group's signatures (基金管理和监督小组签字) on blank lines."""

    title: str
    roles: list[str]
    kind: str = "sign-lines"


Block = Heading | Paragraph | Table | Charts | Verify | SignLines


@dataclass
class NoticeDocument:
    lang: str
    edition: str  # public | internal
    edition_mark: str  # top left, where GB/T 9704 puts 密级
    issuer: str  # 发文机关标志 and 署名
    number: str | None  # 发文字号
    title: list[str]  # its lines
    to: str  # 主送, without the colon
    body: list[Block]
    date: str  # 成文日期, written out
    annotation: str  # 附注, in brackets under the date
    circulation: tuple[str, str]  # 印发机关, 印发日期
    html_title: str


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else part / whole


def change(now: Decimal, before: Decimal) -> Decimal | None:
    """Relative change over the previous year; None when there was nothing to compare."""
    return None if before == 0 else (now - before) / before


def bars(items: list[tuple[str, Decimal]], width: int = 150) -> list[dict[str, Any]]:
    """Bar lengths for the small SVG charts (largest = ``width``)."""
    top = max((v for _, v in items), default=ZERO)
    return [{"label": label, "amount": v,
             "length": 0 if top <= 0 else max(int(v / top * width), 1 if v > 0 else 0)}
            for label, v in items]


def notice_document(notice: Notice, lang: str = "zh", official: Official | None = None,
                    today: Date | None = None) -> NoticeDocument:
    official = official or Official()
    day = official.date or today or Date.today()
    t = Words(lang)
    i = 0 if lang == "zh" else 1
    issuer = (official.issuer or "").strip() or notice.title
    title = [t("notice_title", year=notice.year)]
    if issuer != notice.title:  # the masthead names the issuer: the title names the fund
        title.insert(0, notice.title)
    date = chinese_date(day, lang)
    return NoticeDocument(
        lang=lang, edition=notice.edition, edition_mark=t("edition_" + notice.edition),
        issuer=issuer, number=document_number(official.number, day.year), title=title,
        to=(official.to or "").strip() or _WORDS["to_default"][i],
        body=_body(notice, t, day), date=date,
        annotation=t("privacy_" + notice.edition),
        circulation=(_WORDS["circulated_by"][i].format(issuer=issuer),
                     _WORDS["circulated"][i].format(date=date)),
        html_title=f"{notice.title} {t('notice_title', year=notice.year)}",
    )


def _body(n: Notice, t: Words, day: Date) -> list[Block]:
    this, last, loans = n.this, n.last, n.this.loans
    labels = n.labels
    blocks: list[Block] = [Paragraph(t("intro", year=n.year))]

    # 一、资金总体情况
    blocks.append(Heading(1, t("s_position")))
    keys = ("cash", "loans_outstanding", "principal", "spendable")
    blocks.append(Table([t("item"), t("col_start"), t("col_end"), t("col_change")],
                        [[t(k), getattr(n.start, k), getattr(n.end, k),
                          getattr(n.end, k) - getattr(n.start, k)] for k in keys],
                        widths=[2.2, 1.5, 1.5, 1.5]))
    blocks.append(Paragraph(t("position_note") + t("unit"), "note"))
    if this.brought_forward:
        i = 0 if t.lang == "zh" else 1
        blocks.append(Paragraph(_WORDS["brought_forward"][i].format(
            amount=fmt(this.brought_forward)), "brought-forward"))

    # 二、资金筹集情况
    blocks.append(Heading(1, t("s_raised")))
    blocks.append(Paragraph(t("raised_text", amount=fmt(this.raised_total),
                              upper=_upper(this.raised_total), last=fmt(last.raised_total),
                              change=t.change(change(this.raised_total, last.raised_total)))))
    raised = [(labels[a], v) for a, v in this.raised.items()]
    used = [(labels[a], v) for a, v in this.relief.items()]
    blocks.append(Charts(bars(sorted(raised, key=lambda x: -x[1])),
                         bars(sorted(used, key=lambda x: -x[1])),
                         (t("chart_raised"), t("chart_used"))))
    blocks.append(Table([t("source"), t("amount"), t("share")],
                        [[labels[a], v, Figure(pct(share(v, this.raised_total)))]
                         for a, v in this.raised.items()],
                        totals=[[t("total"), this.raised_total, ""]], widths=[3, 1.6, 1]))
    blocks.append(Paragraph(t("donors_text", n=this.donors)))
    if this.campaigns:
        blocks.append(Table([t("campaign"), t("amount")],
                            [[c, v] for c, v in this.campaigns.items()], widths=[3, 1.6]))

    # 三、资金使用情况
    blocks.append(Heading(1, t("s_used")))
    blocks.append(Heading(2, t("relief_head")))
    if this.relief:
        blocks.append(Paragraph(t("relief_text", amount=fmt(this.relief_total),
                                  upper=_upper(this.relief_total), n=this.relief_members,
                                  last=fmt(last.relief_total),
                                  change=t.change(change(this.relief_total, last.relief_total)))))
        blocks.append(Table([t("relief_kind"), t("amount"), t("members_helped")],
                            [[labels[a], v, this.relief_members_by_account[a]]
                             for a, v in this.relief.items()],
                            totals=[[t("total"), this.relief_total, this.relief_members]],
                            widths=[3, 1.6, 1]))
    else:
        blocks.append(Paragraph(t("relief_none")))
    blocks.append(Heading(2, t("loans_head")))
    rate = (t("rate_none") if loans.repayment_rate is None
            else t("rate_text", rate=pct(loans.repayment_rate, 2)))
    blocks.append(Paragraph(t("loans_text", count=loans.disbursed_count,
                              amount=fmt(loans.disbursed_amount), repaid=fmt(loans.repaid),
                              written_off=fmt(loans.written_off),
                              outstanding=fmt(loans.outstanding),
                              overdue_count=loans.overdue_count,
                              overdue_amount=fmt(loans.overdue_amount))
                            + ("" if t.lang == "zh" else " ") + rate))
    blocks.append(Paragraph(t("rate_definition"), "note"))
    blocks.append(Heading(2, t("other_head")))
    blocks.append(Paragraph(t("other_text", interest=fmt(this.interest), fees=fmt(this.fees),
                              released=fmt(this.released))))

    sections = 3
    if n.edition == "internal":  # 四、受助人员名单
        sections += 1
        blocks.append(Heading(1, t("s_beneficiaries")))
        blocks.append(Paragraph(t("beneficiaries_note"), "note"))
        blocks.append(Table([t("name"), t("branch"), t("relief_kind"), t("amount")],
                            [[b.name, b.branch, b.kind_name, b.amount] for b in n.beneficiaries],
                            widths=[1.2, 2.4, 2, 1.5]))

    # the last section: how to check the notice
    sections += 1
    heading = (f"{_NUMERALS[sections - 1]}、{t('s_verify')}" if t.lang == "zh"
               else f"{sections}. {t('s_verify')}")
    blocks.append(Heading(1, heading))
    sep = "：" if t.lang == "zh" else ": "
    period = f"{Date(n.year, 1, 1)} {t('to')} {Date(n.year, 12, 31)}"
    blocks.append(Verify(
        [f"{t('period')}{sep}{period}\u3000{t('generated')}{sep}{day.isoformat()}",
         f"{t('ledger_files')}{sep}{t('files_text', first=n.files[0], n=len(n.files))}"],
        t("fingerprint") + sep, n.fingerprint, t("verify_text")))
    blocks.append(SignLines(t("signatures"),
                            [t("leader"), t("member_sign"), t("member_sign"), t("sign_date")]))
    return blocks


def _upper(amount: Decimal) -> str:
    return rmb_upper(amount)
