"""Plain-text tables that line up in a Chinese terminal (CJK characters are two columns wide)."""

from __future__ import annotations

from collections.abc import Sequence

from wcwidth import wcswidth


def width(text: str) -> int:
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


def render(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool] = (),
           title: str | None = None) -> str:
    """A table with a rule under the headers; columns flagged in ``right`` align right."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    sizes = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    align = list(right) + [False] * (len(headers) - len(right))
    lines = [title] if title else []
    for n, row in enumerate(cells):
        lines.append("  ".join(_pad(c, sizes[i], align[i]) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * s for s in sizes))
    return "\n".join(lines)
