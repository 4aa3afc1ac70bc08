"""Marking reused passages in a text for the side-by-side view.

:func:`highlight` takes a text and half-open ``(start, end)`` ranges (character
offsets, as in :class:`newsrights.core.model.Span`), merges overlapping ranges,
escapes every piece of text and wraps the reused pieces in
``<mark class="reused" id="…">``. Paragraph breaks become ``<br>``. The text is
data from other people's pages: it is never trusted as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def merge_ranges(ranges: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Clamp to ``[0, length]``, drop empty ranges, sort and merge overlapping/adjacent ones."""
    clamped = sorted((max(0, a), min(length, b)) for a, b in ranges if min(length, b) > max(0, a))
    merged: list[tuple[int, int]] = []
    for a, b in clamped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _piece(text: str) -> str:
    return str(escape(text)).replace("\n\n", "<br><br>").replace("\n", "<br>")


def highlight(text: str, ranges: Iterable[tuple[int, int]], *, prefix: str = "m") -> Markup:
    """Escaped ``text`` with the ``ranges`` wrapped in ``<mark>`` (ids ``{prefix}0``, ``{prefix}1`` …)."""
    out: list[str] = []
    pos = 0
    for i, (a, b) in enumerate(merge_ranges(ranges, len(text))):
        out.append(_piece(text[pos:a]))
        out.append(f'<mark class="reused" id="{prefix}{i}">{_piece(text[a:b])}</mark>')
        pos = b
    out.append(_piece(text[pos:]))
    return Markup("".join(out))


def reused_fraction(ranges: Iterable[tuple[int, int]], length: int) -> float:
    """Share of the text covered by the (merged) ranges."""
    if length <= 0:
        return 0.0
    return sum(b - a for a, b in merge_ranges(ranges, length)) / length
