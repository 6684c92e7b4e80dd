"""The annual notice as a PDF (``notice --format pdf``): the official document of
``notice_text`` drawn on GB/T 9704 pages by ``pdf.Document`` — the same parts and sentences as
the HTML, so the two cannot say different things. The bar charts stay in the HTML: the PDF
has the tables they draw.
"""

from __future__ import annotations

from .notice import Notice
from .notice_text import (
    Block,
    Charts,
    Heading,
    NoticeDocument,
    Official,
    Paragraph,
    SignLines,
    Table,
    Verify,
    notice_document,
)
from .pdf import OFFICIAL_BODY_PT, OFFICIAL_TITLE_PT, Document
from .pdf_text import SANS, SERIF

NOTE_PT = 12.0  # 小四: notes, the verification lines, the tables
SMALL_PT = 10.5  # 五号: the fingerprint, which has no spaces to break at


def notice_pdf(notice: Notice, lang: str = "zh", official: Official | None = None) -> bytes:
    document = notice_document(notice, lang, official)
    return draw(document).output()


def draw(document: NoticeDocument) -> Document:
    zh = document.lang == "zh"
    doc = Document(title=" ".join(document.title), layout="official", author=document.issuer)
    if not zh:  # Document wraps between any two characters, as Chinese does; English at spaces
        doc = _WordWrapped(doc)
    doc.paragraph(document.edition_mark, indent=0, family=SANS)  # where 密级 goes
    doc.issuer(document.issuer)
    doc.doc_number(document.number or "")
    doc.title("\n".join(document.title))
    doc.paragraph(document.to + ("：" if zh else ":"), indent=0)
    for block in document.body:
        _block(doc, block, zh)
    doc.signature([document.issuer], document.date)
    doc.spacer(doc.line_height * 0.5)
    doc.paragraph(f"（{document.annotation}）" if zh else f"({document.annotation})")
    doc.circulation(*document.circulation)
    return doc


def _block(doc: Document, block: Block, zh: bool) -> None:
    if isinstance(block, Heading):
        doc.heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        if block.style == "body":
            doc.paragraph(block.text)
        else:
            doc.paragraph(block.text, indent=0 if block.style == "note" else 2, size=NOTE_PT)
    elif isinstance(block, Table):
        doc.table(block.headers, block.rows, totals=block.totals, widths=block.widths)
    elif isinstance(block, Verify):
        for line in block.lines:
            doc.paragraph(line, indent=0, size=NOTE_PT)
        doc.paragraph(block.fingerprint_label, indent=0, size=NOTE_PT)
        doc.paragraph(block.fingerprint, indent=0, size=SMALL_PT, align="L")
        doc.paragraph(block.closing, indent=0, size=NOTE_PT)
    elif isinstance(block, SignLines):
        doc.spacer(doc.line_height * 0.5)
        doc.paragraph(block.title + ("：" if zh else ":"), indent=0, size=NOTE_PT)
        doc.paragraph("\u3000".join(f"{role} ________" for role in block.roles), indent=0,
                      size=NOTE_PT)
    elif isinstance(block, Charts):
        pass  # the tables beside them carry the same figures


class _WordWrapped:
    """A ``Document`` whose paragraphs and title break English lines at spaces: each is
    broken here, by the width of its words, before the document lays it out."""

    def __init__(self, doc: Document):
        self._doc = doc

    def __getattr__(self, name: str):
        return getattr(self._doc, name)

    def title(self, text: str) -> None:
        self._doc.title(self._wrap(text, SERIF, OFFICIAL_TITLE_PT))

    def heading(self, text: str, *, level: int = 1) -> None:
        self._doc.heading(self._wrap(text, SERIF, OFFICIAL_BODY_PT, indent=2), level=level)

    def paragraph(self, text: str, *, indent: int = 2, size: float | None = None,
                  family: str = SERIF, **options) -> None:
        wrapped = self._wrap(text, family, size or OFFICIAL_BODY_PT, indent)
        self._doc.paragraph(wrapped, indent=indent, size=size, family=family,
                            **{"align": "L", **options})

    def _wrap(self, text: str, family: str, size: float, indent: int = 0) -> str:
        pdf = self._doc.pdf
        font = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
        pdf.set_font(family, "", size)
        room = self._doc.width - 1  # a little to spare: fpdf2 breaks a line that just fits
        lines = []
        for part in text.split("\n"):
            line, width = "", pdf.get_string_width("\u3000" * indent if not lines else "")
            for word in part.split(" "):
                piece = word if not line else " " + word
                extra = pdf.get_string_width(piece)
                if line and width + extra > room:
                    lines.append(line)
                    line, width = word, pdf.get_string_width(word)
                else:
                    line, width = line + piece, width + extra
            lines.append(line)
        pdf.set_font(*font)
        return "\n".join(lines)
