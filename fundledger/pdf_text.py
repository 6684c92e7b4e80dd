"""The text of the PDFs (``fundledger.pdf``): how a cell is printed, where a line may not
break, the CJK fonts embedded and the subset of them a document uses.

Noto Serif SC and Noto Sans SC come from the pip package ``pylopdf-fonts-zh-cn`` (SIL OFL);
only the glyphs a document uses are embedded, their CFF outlines turned into TrueType so that
pypdf, pdfminer and every viewer read the text back.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

SERIF = "serif"  # body, standing in for 仿宋 and 楷体; drawn bold, for 小标宋
SANS = "sans"  # 黑体


def font_paths() -> dict[str, str]:
    """The font files, by family name (``serif``, ``sans``)."""
    import pylopdf_fonts_zh_cn as fonts

    return {SERIF: str(fonts.serif_path()), SANS: str(fonts.sans_path())}



def truetype_subset(path: str, text: str) -> bytes:
    """The font at ``path`` cut down to the glyphs of ``text``, its cubic CFF outlines turned
    into TrueType quadratics (within 1/1000 em); metrics are unchanged, so is the layout."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(path, recalcTimestamp=False)  # the same bytes every time
    options = subset.Options()
    options.layout_features = []  # no shaping: CJK and digits need none
    options.notdef_outline = True
    options.desubroutinize = True
    options.name_IDs = ["*"]  # keep the copyright and OFL notice with the embedded font
    options.drop_tables += ["VORG", "GSUB", "GPOS", "BASE", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " in font:
        order = font.getGlyphOrder()
        glyphs = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(None)
            glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            glyf[name] = pen.glyph()
        del font["CFF "]
        font["glyf"], font["loca"] = glyf, newTable("loca")
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                      "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                      "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                      "maxComponentElements", "maxComponentDepth"):
            setattr(maxp, field, 0)
        maxp.maxZones = 1
        font["head"].glyphDataFormat = 0
        post = font["post"]
        post.formatType, post.extraNames, post.mapping = 3.0, [], {}
        font.sfntVersion = "\0\1\0\0"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


NO_LINE_START = "，。、；：？！）》」』】〕〉”’…—％,.;:?!)]}%"




def cell_text(value: Any) -> str:
    """A table cell as printed: money with thousands separators and two decimals."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def characters(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield from value
    elif isinstance(value, dict):
        for item in value.values():
            yield from characters(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from characters(item)
    elif value is not None:
        yield from cell_text(value)


NO_LINE_END = "（《「『【〔〈“‘([{"
# A number (191,400.00, 27.3%, 2026-03-01) or a Latin word is never broken across lines.
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z,.%:/_\-]*|\n|.", re.DOTALL)


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` in lines no wider than ``width`` (``measure`` gives a string's width), broken
    as Chinese is set: between any two characters, but never inside a number or a Latin word,
    never before a closing mark (避头) and never after an opening one (避尾). A word wider than
    the line is broken where it must be."""
    units: list[str] = []
    glue = False  # the last unit ends with an opening mark: what follows joins it
    for token in _TOKEN.findall(text):
        if units and token != "\n" and units[-1] != "\n" and (glue or token in NO_LINE_START):
            units[-1] += token
        else:
            units.append(token)
        glue = token in NO_LINE_END
    lines, line = [], ""
    for unit in units:
        if unit == "\n":
            lines.append(line)
            line = ""
        elif not line or measure(line + unit) <= width:
            line += unit
        else:
            lines.append(line)
            line = unit
        while len(line) > 1 and measure(line) > width:  # a unit wider than a whole line
            cut = max(1, max(i for i in range(1, len(line) + 1) if measure(line[:i]) <= width))
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return lines
