"""Rendering the annual notice and the publicity list through Jinja templates.

Templates live in ``templates/`` (shipped as ``fundledger.templates``); ``--templates DIR``
puts another folder first, so a fund can restyle a notice without touching the figures.
Ledger text is escaped wherever it lands (SPEC §9): HTML templates autoescape, and every
``{{ }}`` of a Markdown template goes through ``markdown_text``, so a narration, a branch or a
campaign can neither add HTML nor break a table.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

from .capital import rmb_upper
from .i18n import Words
from .money import fmt, pct
from .notice import Notice
from .notice_text import Official, bars, change, notice_document, share


def packaged_templates() -> Path:
    """The templates shipped with fundledger (``templates/`` of a source checkout)."""
    try:
        return Path(str(files("fundledger.templates")))
    except ModuleNotFoundError:  # imported from a source tree that was not installed
        return Path(__file__).resolve().parent.parent / "templates"


# Markdown's (CommonMark and GFM tables') punctuation that could start markup; a backslash
# makes each literal. ``<``, ``>`` and ``&`` become entities so no HTML gets through.
_MD_PUNCTUATION = re.compile(r"([\\`\[\]|])")
_MD_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# Emphasis and strike-through need two runs of their character: a text with one run (a masked
# name, 李*明 or 李**明) cannot make any, so it keeps its plain look; two or more are escaped.
_PAIRED = {"*": re.compile(r"\*+"), "_": re.compile(r"_+"), "~": re.compile(r"~+")}


def markdown_text(value: Any) -> str:
    """``value`` as literal Markdown text, on one line (so it stays in its table cell).

    Numbers, dates and the program's own words have none of these characters and come out
    unchanged (``-1,234.50``, ``95.0%``, ``2025``)."""
    text = _LINE_BREAKS.sub(" ", str(value))
    for char, entity in _MD_ENTITIES:
        text = text.replace(char, entity)
    text = _MD_PUNCTUATION.sub(r"\\\1", text)
    for char, run in _PAIRED.items():
        if char in text and len(run.findall(text)) > 1:
            text = text.replace(char, "\\" + char)
    return text


def _finalize_markdown(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        return value
    return markdown_text(value)


def environment(templates: Path | None = None, markdown: bool = False) -> jinja2.Environment:
    """The templates' environment; ``markdown`` escapes every output for Markdown."""
    folders = [str(templates)] if templates else []
    folders.append(str(packaged_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "html.j2", "xml"),
                                            default_for_string=True),
        finalize=_finalize_markdown if markdown else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["money"] = lambda v: fmt(Decimal(v) if isinstance(v, str) else v)
    env.filters["upper"] = lambda v: rmb_upper(v)
    env.filters["pct"] = pct
    env.filters["cell"] = lambda v: fmt(v) if isinstance(v, Decimal) else str(v)
    return env


def notice_context(notice: Notice, lang: str, generated: datetime.date,
                   official: Official | None = None) -> dict[str, Any]:
    """What a notice template sees: ``doc``, the official document the HTML and the PDF
    print (``notice_text``), and the figures themselves (``n``) for the Markdown."""
    this, last = notice.this, notice.last
    raised = [(notice.labels[a], v) for a, v in this.raised.items()]
    used = [(notice.labels[a], v) for a, v in this.relief.items()]
    return {
        "n": notice,
        "doc": notice_document(notice, lang, replace(official or Official(), date=generated)),
        "t": Words(lang),
        "lang": lang,
        "generated": generated,
        "period": (datetime.date(notice.year, 1, 1), datetime.date(notice.year, 12, 31)),
        "share": share,
        "change": change,
        "raised_bars": bars(sorted(raised, key=lambda x: -x[1])),
        "used_bars": bars(sorted(used, key=lambda x: -x[1])),
        "raised_change": change(this.raised_total, last.raised_total),
        "relief_change": change(this.relief_total, last.relief_total),
    }


def render_notice(notice: Notice, fmt_: str, lang: str = "zh", templates: Path | None = None,
                  generated: datetime.date | None = None,
                  official: Official | None = None) -> str:
    """The notice as Markdown or HTML; ``generated`` (else ``official.date``, else today) is
    the date it is written (成文日期)."""
    day = generated or (official.date if official else None) or datetime.date.today()
    template = environment(templates, markdown=fmt_ == "md").get_template(f"notice.{fmt_}.j2")
    return template.render(**notice_context(notice, lang, day, official))


def render_publicity(rows: list[dict[str, Any]], title: str, as_of: datetime.date, lang: str,
                     templates: Path | None = None) -> str:
    template = environment(templates, markdown=True).get_template("publicity.md.j2")
    return template.render(rows=rows, title=title, as_of=as_of, t=Words(lang))
