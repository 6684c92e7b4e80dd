"""Print-ready A4 PDF for every printable (SPEC §6, §7): the one place that makes PDF bytes.

Drawn with fpdf2 (pure Python, no browser, no system library) in Noto Serif SC and Noto Sans
SC, which the pip package ``pylopdf-fonts-zh-cn`` ships under the SIL OFL. Only the glyphs a
document uses are embedded, converted from the fonts' CFF outlines to TrueType (``/FontFile2``,
``Identity-H``): fpdf2 embeds CFF through a custom encoding CMap that pypdf and pdfminer cannot
read back, while a TrueType subset every viewer and extractor reads. So the file prints and
searches the same on any machine. GB/T 9704 wants 仿宋 for the body, 小标宋 for titles and 黑体 for first-
level headings; no pip package ships those, so the body is Noto Serif SC, the title Noto Serif
SC drawn bold, and 黑体 headings Noto Sans SC.

``layout="official"`` is the GB/T 9704 page: top margin 37 mm, left 28 mm, text area 156 × 225
mm, body 3号 (16 pt) at 22 lines a page, page numbers ``— N —`` below the text area, an odd
page's at the right and an even page's at the left, one character in (§7.5).
``layout="plain"`` (journals, statements, the statistics table, vouchers, the register) has
15 mm margins, 10.5 pt text and ``第 N 页 共 M 页`` at the foot; ``landscape=True`` turns it.

    from fundledger.pdf import Document
    doc = Document(title="2026年度帮扶资金筹集使用情况通报", layout="official")
    doc.issuer("中共某某县委组织部")             # red issuing-body mark and red rule
    doc.doc_number("某组通〔2026〕3号")
    doc.title("关于2026年度帮扶资金筹集使用情况的通报")
    doc.paragraph("各党支部：", indent=0)
    doc.heading("一、资金筹集情况", level=1)
    doc.paragraph("全年共筹集帮扶资金16,409.02元。")
    doc.table(["项目", "金额（元）"], [["一日捐", Decimal("16409.02")]],
              totals=[["合计", Decimal("16409.02")]])
    doc.signature(["中共某某县委组织部"], "2026年3月1日")
    data: bytes = doc.output()

Tables take ``str``, ``int``, ``Decimal`` (printed ``1,234.50``, right-aligned), ``date``
(``2026-03-01``) and ``None`` (blank); totals rows are bold. Vouchers and other boxed forms
draw with ``doc.box``, ``doc.line``, ``doc.text_at`` and ``doc.cut_line`` in millimetres from the
page's top-left corner. Each call is drawn at once (so ``doc.y`` tells where the next goes)
and again by ``output()`` with the embedded subset of exactly the characters used.
"""

from __future__ import annotations

import datetime
import functools
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF
from fpdf.enums import Align, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from .pdf_text import (
    SANS,
    SERIF,
    break_lines,
    cell_text,
    characters,
    font_paths,
    truetype_subset,
)

Layout = Literal["official", "plain"]

RED = (230, 0, 18)  # the issuing-body mark and the rule under the document number

# GB/T 9704-2012 §5.2: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm.
OFFICIAL_TOP, OFFICIAL_LEFT, TEXT_WIDTH, TEXT_HEIGHT = 37.0, 28.0, 156.0, 225.0
OFFICIAL_BODY_PT = 16.0  # 3号
OFFICIAL_TITLE_PT = 22.0  # 2号
OFFICIAL_PAGE_NUMBER_PT = 14.0  # 4号
OFFICIAL_LINE = TEXT_HEIGHT / 22  # 22 lines to the page
PLAIN_MARGIN = 15.0
PLAIN_BODY_PT = 10.5  # 5号


PAGE_FOOT_TEXT = "0123456789— 第页共\u3000"


def _drawn(method: Callable[..., None]) -> Callable[..., None]:
    """A drawing call: done now, and kept to be done again by ``Document.output``."""

    @functools.wraps(method)
    def draw(self: Document, *args: Any, **kwargs: Any) -> None:
        if self._drawing:  # called by another drawing call, or replayed: kept already
            method(self, *args, **kwargs)
            return
        self._calls.append((method, args, kwargs))
        self._drawing = True
        try:
            method(self, *args, **kwargs)
        finally:
            self._drawing = False

    return draw


class _Pdf(FPDF):
    """FPDF with the page foot of the layout and bold drawn by stroking the glyphs.

    The fonts come in one weight, so a bold style is the regular face filled and stroked.
    """

    def __init__(self, layout: Layout, page_numbers: bool, landscape: bool):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.layout = layout
        self.page_numbers = page_numbers

    def set_font(self, family=None, style="", size=0):  # noqa: D401 - fpdf2's signature
        style = getattr(style, "style", style)  # fpdf2 passes a TextEmphasis on a new page
        bold = "B" in style.upper()
        # "B" is registered as the same file as the regular style: no italic, no underline.
        super().set_font(family, "B" if bold else "", size)
        mode = TextMode.FILL_STROKE if bold else TextMode.FILL
        if self.page > 0 and mode != self.text_mode:
            # fpdf2 writes a fragment's render mode only when it is not FILL, and the mode
            # outlives the text object: set it back here, or all that follows is bold.
            self._out(f"{int(mode)} Tr")
        self.text_mode = mode

    def footer(self) -> None:
        if not self.page_numbers:
            return
        style = (self.font_family, self.font_style, self.font_size_pt)
        if self.layout == "official":
            # GB/T 9704 §7.5: 4号 Arabic numerals with a dash each side, 7 mm below the text
            # area; an odd page's at the right, an even page's at the left, one character in.
            self.set_font(SERIF, "", OFFICIAL_PAGE_NUMBER_PT)
            one = OFFICIAL_PAGE_NUMBER_PT * 25.4 / 72  # 一字: a character of the number's size
            odd = self.page_no() % 2 == 1
            self.set_xy(self.l_margin + (0 if odd else one), OFFICIAL_TOP + TEXT_HEIGHT + 7)
            self.cell(self.epw - one, 6, f"— {self.page_no()} —", align=Align.R if odd else Align.L)
        else:
            self.set_font(SERIF, "", 9)
            self.set_xy(self.l_margin, self.h - PLAIN_MARGIN + 3)
            self.cell(self.epw, 5, f"第 {self.page_no()} 页 共 {{nb}} 页", align=Align.C)
        self.set_font(*style)


class Document:
    """An A4 document being drawn, top to bottom; ``output()`` gives the PDF bytes."""

    def __init__(self, *, title: str, layout: Layout = "plain", page_numbers: bool = True,
                 landscape: bool = False, author: str = ""):
        if layout not in ("official", "plain"):
            raise ValueError(f"layout must be 'official' or 'plain', not {layout!r}")
        if layout == "official" and landscape:
            raise ValueError("an official document is portrait (GB/T 9704)")
        self.layout, self.page_numbers, self.landscape = layout, page_numbers, landscape
        self.meta = (title, author)
        if layout == "official":
            self.body_pt, self.line_height = OFFICIAL_BODY_PT, OFFICIAL_LINE
        else:
            self.body_pt, self.line_height = PLAIN_BODY_PT, PLAIN_BODY_PT * 0.3528 * 1.6
        self._calls: list[tuple[Callable[..., None], tuple, dict]] = []
        self._drawing = False
        self.pdf = self._new_pdf(font_paths())

    def _new_pdf(self, fonts: dict[str, str]) -> _Pdf:
        pdf = _Pdf(self.layout, self.page_numbers, self.landscape)
        for family, path in fonts.items():
            pdf.add_font(family, "", path)
            pdf.add_font(family, "B", path)
        title, author = self.meta
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator("fundledger")
        pdf.set_producer("fundledger")
        pdf.set_lang("zh-CN")
        pdf.set_creation_date(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
        if self.layout == "official":
            right = pdf.w - OFFICIAL_LEFT - TEXT_WIDTH
            bottom = pdf.h - OFFICIAL_TOP - TEXT_HEIGHT
            pdf.set_margins(OFFICIAL_LEFT, OFFICIAL_TOP, right)
            pdf.set_auto_page_break(True, margin=bottom)
        else:
            pdf.set_margins(PLAIN_MARGIN, PLAIN_MARGIN, PLAIN_MARGIN)
            pdf.set_auto_page_break(True, margin=PLAIN_MARGIN + 6)
        pdf.c_margin = 0  # text starts at the margin itself; table cells have their own padding
        pdf.add_page()
        pdf.set_font(SERIF, "", self.body_pt)
        return pdf

    @property
    def y(self) -> float:
        """Where the next line goes, in mm from the top of the page."""
        return self.pdf.get_y()

    @property
    def width(self) -> float:
        """The text area's width in mm."""
        return self.pdf.epw

    @property
    def left(self) -> float:
        return self.pdf.l_margin

    # -- text -------------------------------------------------------------------------------
    @_drawn
    def title(self, text: str, *, size: float | None = None) -> None:
        """The document's title, centred, bold; wraps onto further centred lines."""
        pdf = self.pdf
        size = size or (OFFICIAL_TITLE_PT if self.layout == "official" else 16.0)
        width = pdf.line_width
        pdf.set_line_width(size * 0.012)  # a heavier stroke: the title stands for 小标宋
        pdf.set_font(SERIF, "B", size)
        pdf.multi_cell(pdf.epw, size * 0.3528 * 1.5, text, align=Align.C,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.set_line_width(width)
        pdf.set_font(SERIF, "", self.body_pt)
        pdf.ln(self.line_height * 0.5)

    @_drawn
    def heading(self, text: str, *, level: int = 1) -> None:
        """``一、`` (level 1, 黑体 → sans), ``（一）`` (level 2) or ``1.`` (level 3) heading."""
        family = SANS if level == 1 else SERIF
        self.paragraph(text, indent=2 if self.layout == "official" else 0, family=family,
                       bold=level == 2)

    @_drawn
    def paragraph(self, text: str, *, indent: int = 2, align: str = "J", family: str = SERIF,
                  bold: bool = False, size: float | None = None) -> None:
        """Body text; the first line indented ``indent`` characters (two, as Chinese prose is)."""
        pdf = self.pdf
        size = size or self.body_pt
        pdf.set_font(family, "B" if bold else "", size)
        line = self.line_height * size / self.body_pt
        pad = "\u3000" * indent  # 全角 spaces: one character each
        # Chinese lines break between any two characters, not at spaces only; never inside a
        # number, before a closing mark (避头) or after an opening one (避尾): pdf_text
        lines = break_lines(pad + text, pdf.epw - 2 * pdf.c_margin - 0.01, pdf.get_string_width)
        pdf.multi_cell(pdf.epw, line, "\n".join(lines), align=align, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.set_font(SERIF, "", self.body_pt)

    @_drawn
    def issuer(self, text: str) -> None:
        """The red issuing-body mark (发文机关标志), centred, with the red rule drawn later by
        ``doc_number``."""
        pdf = self.pdf
        pdf.set_text_color(*RED)
        pdf.set_draw_color(*RED)  # the bold stroke, too
        width = pdf.line_width
        pdf.set_line_width(0.5)
        pdf.set_font(SERIF, "B", 30)
        pdf.multi_cell(pdf.epw, 14, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_line_width(width)
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_font(SERIF, "", self.body_pt)
        pdf.ln(self.line_height)

    @_drawn
    def doc_number(self, text: str) -> None:
        """The document number (发文字号) centred, then the red rule across the text area
        4 mm below it (GB/T 9704 §7.2.4)."""
        pdf = self.pdf
        pdf.cell(pdf.epw, self.line_height, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y() + 4
        pdf.set_draw_color(*RED)
        width = pdf.line_width
        pdf.set_line_width(0.35)
        pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
        pdf.set_line_width(width)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_y(y + self.line_height * 1.5)

    @_drawn
    def signature(self, lines: Sequence[str], date: str) -> None:
        """The issuing body and the date written in Chinese, right-aligned with four characters
        to spare on the right (GB/T 9704 §7.3.5.2)."""
        pdf = self.pdf
        pdf.ln(self.line_height * 2)
        spare = pdf.get_string_width("\u3000" * 4)
        for text in [*lines, date]:
            pdf.cell(pdf.epw - spare, self.line_height, text, align=Align.R, new_x=XPos.LMARGIN,
                     new_y=YPos.NEXT)

    @_drawn
    def circulation(self, left: str, right: str) -> None:
        """The 印发 line at the foot of the last page: who prints it (left) and when (right),
        between two rules."""
        pdf = self.pdf
        size = 14.0  # 4号
        height = size * 0.3528 * 1.8
        y = pdf.h - pdf.b_margin - height
        if pdf.get_y() > y - 2:
            pdf.add_page()
        pdf.set_font(SERIF, "", size)
        pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
        pdf.set_xy(pdf.l_margin, y)
        one = pdf.get_string_width("\u3000")
        pdf.cell(pdf.epw, height, "\u3000" + left, align=Align.L)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(pdf.epw - one, height, right, align=Align.R)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + pdf.epw, y + height)
        pdf.set_font(SERIF, "", self.body_pt)

    @_drawn
    def spacer(self, mm: float) -> None:
        self.pdf.ln(mm)

    @_drawn
    def page_break(self) -> None:
        self.pdf.add_page()

    # -- tables -----------------------------------------------------------------------------
    @_drawn
    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              totals: Sequence[Sequence[Any]] = (), widths: Sequence[float] | None = None,
              size: float | None = None, caption: str | None = None,
              bold: frozenset[int] | set[int] = frozenset()) -> None:
        """A ruled table across the text area; the header row repeats on each page.

        ``widths`` are relative (``[1, 3, 1]``); without them, columns share the width.
        Numbers (``Decimal``, ``int``) are right-aligned, the rest left; ``totals`` rows come
        last, in bold, and the rows whose index is in ``bold`` (the subtotals) too.
        """
        pdf = self.pdf
        size = size or (12.0 if self.layout == "official" else 9.0)
        if caption:
            self.paragraph(caption, indent=0, align="C", size=size)
        pdf.set_font(SERIF, "", size)
        columns = len(headers)
        kinds = _column_kinds([*rows, *totals], columns)
        line = size * 0.3528 * 1.45
        if widths is None:
            widths = self._widths(headers, [*rows, *totals])
        with pdf.table(col_widths=tuple(widths), width=pdf.epw,
                       line_height=line, text_align="LEFT", padding=(0.8, 1.2),
                       headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
                       first_row_as_headings=True, repeat_headings=1,
                       wrapmode=WrapMode.CHAR) as table:
            row = table.row()
            for header in headers:
                row.cell(str(header), align=Align.C)
            for cells, strong in [*((r, i in bold) for i, r in enumerate(rows)),
                                  *((r, True) for r in totals)]:
                if len(cells) != columns:
                    raise ValueError(f"a row has {len(cells)} cells, the headers {columns}")
                style = FontFace(emphasis="BOLD") if strong else None
                row = table.row(style=style)
                for value, kind in zip(cells, kinds, strict=True):
                    row.cell(cell_text(value), align=Align.R if kind == "number" else Align.L)
        pdf.set_font(SERIF, "", self.body_pt)
        pdf.ln(self.line_height * 0.5)

    def _widths(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
        """Column widths in mm, in proportion to each column's widest cell (headers may wrap),
        summing to the text width. When the cells do not all fit, no column is squeezed below
        two characters and the padding (a narrower cell cannot hold a character: fpdf2 would
        wrap it for ever); the room left is shared by the columns that need more, in
        proportion to how much more."""
        pdf = self.pdf
        natural = []
        for i, header in enumerate(headers):
            cells = [pdf.get_string_width(cell_text(r[i])) for r in rows if i < len(r)]
            # a header wraps onto two lines rather than widen a narrow column much
            head = pdf.get_string_width(str(header)) / 2
            natural.append(max([head, *cells]) + 3)
        total = pdf.epw
        if sum(natural) <= total:
            return [w * total / sum(natural) for w in natural]
        floor = min(pdf.get_string_width("中中") + 3, total / len(natural))
        floors = [min(w, floor) for w in natural]
        excess = [w - f for w, f in zip(natural, floors, strict=True)]
        room = total - sum(floors)
        return [f + (e * room / sum(excess) if sum(excess) else 0)
                for f, e in zip(floors, excess, strict=True)]

    # -- drawing, for boxed forms such as vouchers -------------------------------------------
    @_drawn
    def box(self, x: float, y: float, w: float, h: float, *, width: float = 0.3) -> None:
        """A ruled rectangle, ``x``, ``y`` its top-left corner, in mm from the page's corner."""
        old = self.pdf.line_width
        self.pdf.set_line_width(width)
        self.pdf.rect(x, y, w, h)
        self.pdf.set_line_width(old)

    @_drawn
    def text_at(self, x: float, y: float, w: float, h: float, text: str, *, align: str = "L",
                size: float | None = None, bold: bool = False, family: str = SERIF) -> None:
        """``text`` in the box at (``x``, ``y``) of ``w`` × ``h`` mm, vertically centred."""
        pdf = self.pdf
        pdf.set_font(family, "B" if bold else "", size or self.body_pt)
        pdf.set_xy(x, y)
        pdf.cell(w, h, text, align=align)
        pdf.set_font(SERIF, "", self.body_pt)

    @_drawn
    def cut_line(self, y: float) -> None:
        """A dashed line across the whole page at ``y`` mm, to cut along."""
        pdf = self.pdf
        pdf.set_draw_color(120, 120, 120)
        pdf.set_dash_pattern(dash=2, gap=1.5)
        pdf.line(0, y, pdf.w, y)
        pdf.set_dash_pattern()
        pdf.set_draw_color(0, 0, 0)

    # -- the result -------------------------------------------------------------------------
    @_drawn
    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.3) -> None:
        old = self.pdf.line_width
        self.pdf.set_line_width(width)
        self.pdf.line(x1, y1, x2, y2)
        self.pdf.set_line_width(old)

    def output(self) -> bytes:
        """The PDF: every call drawn again, in fonts cut down to the characters it uses."""
        used = set(PAGE_FOOT_TEXT)
        for _, args, kwargs in self._calls:
            used.update(characters([args, kwargs]))
        text = "".join(sorted(used))
        measured = self.pdf
        with tempfile.TemporaryDirectory(prefix="fundledger-pdf-") as folder:
            fonts = {}
            for family, path in font_paths().items():
                fonts[family] = str(Path(folder) / f"{family}.ttf")
                Path(fonts[family]).write_bytes(truetype_subset(path, text))
            self.pdf = self._new_pdf(fonts)
            self._drawing = True
            try:
                for method, args, kwargs in self._calls:
                    method(self, *args, **kwargs)
                return bytes(self.pdf.output())
            finally:
                self.pdf, self._drawing = measured, False


def _column_kinds(rows: Sequence[Sequence[Any]], columns: int) -> list[str]:
    """``number`` for a column whose filled cells are all Decimal or int, else ``text``."""
    kinds = []
    for i in range(columns):
        values = [r[i] for r in rows if i < len(r) and r[i] is not None and r[i] != ""]
        numeric = values and all(isinstance(v, (Decimal, int)) and not isinstance(v, bool)
                                 for v in values)
        kinds.append("number" if numeric else "text")
    return kinds


def table_pdf(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              totals: Sequence[Sequence[Any]] = (), subtitle: str | None = None,
              widths: Sequence[float] | None = None, landscape: bool = False) -> bytes:
    """A plain one-table printable (a journal, the statistics table, a loan book) as PDF."""
    doc = Document(title=title, layout="plain", landscape=landscape)
    doc.title(title)
    if subtitle:
        doc.paragraph(subtitle, indent=0, align="C")
    doc.table(headers, rows, totals=totals, widths=widths)
    return doc.output()
