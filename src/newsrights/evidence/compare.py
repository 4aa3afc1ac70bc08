"""The side-by-side comparison of the publisher's article and the copy, as HTML and PDF.

Reused passages (the finding's spans: ``[article_start, article_end)`` in the article text,
``[page_start, page_end)`` in the page text) are highlighted on both sides; overlapping spans
are merged. Missing marks — the credit line the declaration requires (``来源：国际在线``), the
article's dateline and byline — are listed when the copy does not carry them
(:func:`missing_marks`).

All page and article text is data: the HTML is rendered by Jinja2 with autoescaping and a
Content-Security-Policy that forbids scripts, so markup in a scraped page shows as text.
The PDF is drawn with fpdf2 using a CJK font found on the system (WenQuanYi Micro Hei or Noto
Sans CJK, or ``$NEWSRIGHTS_CJK_FONT``); without one :func:`render_pdf` raises a
:class:`~newsrights.errors.ConfigError` that says what to install.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from newsrights.core.model import Span
from newsrights.errors import ConfigError

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@dataclass(frozen=True, slots=True)
class Comparison:
    article_uri: str
    article_title: str | None
    article_text: str
    page_url: str
    page_title: str | None
    page_text: str
    spans: tuple[Span, ...]
    label: str = ""
    article_coverage: float = 0.0
    page_coverage: float = 0.0
    verdict: str | None = None
    verdict_reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    params: str = ""


def _fold(s: str) -> str:
    """Matching form: NFKC, traditional → simplified, no whitespace or punctuation
    (:func:`newsrights.core.normalize.normalize`), so 來源：國際在線 counts as 来源:国际在线."""
    from newsrights.core.normalize import normalize

    return normalize(s, drop_credit_lines=False).text


def missing_marks(
    page_text: str,
    page_credit_lines: Sequence[str] = (),
    *,
    credit_line: str | None = None,
    dateline: str | None = None,
    byline: str | None = None,
) -> tuple[str, ...]:
    """Which required marks the copy lacks (compared NFKC, whitespace ignored)."""
    hay = _fold(page_text + "\n" + "\n".join(page_credit_lines))
    out: list[str] = []
    if credit_line and _fold(credit_line) not in hay:
        out.append(f"credit line missing / 未注明来源: {credit_line}")
    if dateline and _fold(dateline) not in hay:
        out.append(f"dateline missing / 电头缺失: {dateline}")
    if byline and _fold(byline) not in hay:
        out.append(f"byline missing / 作者署名缺失: {byline}")
    return tuple(out)


def segments(text: str, ranges: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) runs; ranges are clipped and merged."""
    merged: list[list[int]] = []
    for a, b in sorted((max(0, a), min(len(text), b)) for a, b in ranges):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[tuple[str, bool]] = []
    pos = 0
    for a, b in merged:
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("newsrights", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def render_html(c: Comparison) -> str:
    """The comparison as a self-contained, escaped HTML page."""
    return _env().get_template("evidence/comparison.html.j2").render(
        c=c,
        article_segments=segments(c.article_text, [(s.article_start, s.article_end) for s in c.spans]),
        page_segments=segments(c.page_text, [(s.page_start, s.page_end) for s in c.spans]),
    )


def find_cjk_font() -> Path | None:
    env = os.environ.get("NEWSRIGHTS_CJK_FONT")
    for cand in ([env] if env else []) + list(CJK_FONTS):
        if cand and Path(cand).is_file():
            return Path(cand)
    return None


def _printable(s: str) -> str:
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in s)


def aligned_rows(c: Comparison, max_chars: int = 360) -> list[tuple[str, str, bool]]:
    """Rows (article text, copy text, reused?) for the two-column view.

    Spans in article order give one highlighted row each (the article passage beside the copy
    passage); the unreused text between them gives plain rows. Copy text that lies before a
    passage already shown (a reordered copy) is not repeated here — the full texts follow.
    Long rows are cut into pieces of at most ``max_chars`` so each fits on a page.
    """
    rows: list[tuple[str, str, bool]] = []
    a_pos = p_pos = 0
    for s in sorted(c.spans, key=lambda s: (s.article_start, s.page_start)):
        gap_a = c.article_text[a_pos:s.article_start] if s.article_start > a_pos else ""
        gap_p = c.page_text[p_pos:s.page_start] if s.page_start > p_pos else ""
        if gap_a.strip() or gap_p.strip():
            rows.append((gap_a.strip(), gap_p.strip(), False))
        rows.append((c.article_text[max(a_pos, s.article_start):s.article_end].strip(),
                     c.page_text[s.page_start:s.page_end].strip(), True))
        a_pos, p_pos = max(a_pos, s.article_end), max(p_pos, s.page_end)
    tail_a, tail_p = c.article_text[a_pos:].strip(), c.page_text[p_pos:].strip()
    if tail_a or tail_p:
        rows.append((tail_a, tail_p, False))
    out: list[tuple[str, str, bool]] = []
    for a, p, hit in rows:
        k = max(1, -(-max(len(a), len(p)) // max_chars))
        for i in range(k):
            out.append((a[i * len(a) // k:(i + 1) * len(a) // k], p[i * len(p) // k:(i + 1) * len(p) // k], hit))
    return out


def _pdf_side_by_side(pdf: Any, c: Comparison) -> None:
    from fpdf.enums import WrapMode

    pdf.ln(4)
    col = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    line = 5.0
    pdf.set_font("cjk", size=10)
    pdf.set_fill_color(230, 230, 230)
    pdf.multi_cell(col, 7, "权利作品 / Publisher's article", border=1, fill=True, new_x="RIGHT", new_y="TOP")
    pdf.multi_cell(col, 7, "涉嫌侵权页面 / Copy", border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.set_fill_color(255, 224, 130)
    for a, p, hit in aligned_rows(c):
        a, p = _printable(a), _printable(p)
        h = max(float(pdf.multi_cell(col, line, t or " ", dry_run=True, output="HEIGHT", wrapmode=WrapMode.CHAR,
                                     padding=1)) for t in (a, p))
        if pdf.get_y() + h > pdf.page_break_trigger:
            pdf.add_page()
        x, y = pdf.l_margin, pdf.get_y()
        for i, t in enumerate((a, p)):
            pdf.rect(x + i * col, y, col, h, style="DF" if hit else "D")
            pdf.set_xy(x + i * col, y)
            pdf.multi_cell(col, line, t or " ", wrapmode=WrapMode.CHAR, padding=1, new_x="RIGHT", new_y="TOP")
        pdf.set_xy(x, y + h)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(2)
    pdf.set_font("cjk", size=8)
    pdf.multi_cell(0, 4, "Shaded rows: passages the matcher found reused (parameters " + _printable(c.params) + ").",
                   new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)


def render_pdf(c: Comparison, *, created: datetime | None = None) -> bytes:
    """The comparison as PDF: the reused passages side by side in two columns (highlighted rows),
    then both full texts in turn with the reused passages in red and underlined."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    font = find_cjk_font()
    if font is None:
        raise ConfigError(
            "no CJK font for the comparison PDF: install fonts-wqy-microhei or fonts-noto-cjk "
            "(apt-get install fonts-wqy-microhei) or set NEWSRIGHTS_CJK_FONT to a .ttf/.ttc/.otf"
        )
    pdf = FPDF()
    pdf.set_creation_date(created or datetime.now(UTC))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("cjk", "", str(font))
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.multi_cell(0, 8, "侵权比对 / Side-by-side comparison", new_x="LMARGIN", new_y="NEXT",
                   wrapmode=WrapMode.CHAR)
    pdf.set_font("cjk", size=9)
    meta = [
        f"权利作品 / Publisher's article: {c.article_title or ''} — {c.article_uri}",
        f"涉嫌侵权页面 / Copy: {c.page_title or ''} — {c.page_url}",
        f"复用类型 / Reuse: {c.label} (article {c.article_coverage:.1%}, page {c.page_coverage:.1%})",
        f"结论 / Verdict: {c.verdict or '—'} {'; '.join(c.verdict_reasons)}",
    ]
    for line in meta:
        pdf.multi_cell(0, 5, _printable(line), new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.set_text_color(176, 0, 32)
    for m in c.missing or ("No missing credit, dateline or byline detected.",):
        pdf.multi_cell(0, 5, _printable(m), new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    pdf.set_text_color(0, 0, 0)
    _pdf_side_by_side(pdf, c)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.multi_cell(0, 7, "全文 / Full texts", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    sides = (
        ("权利作品 / Publisher's article", c.article_text, [(s.article_start, s.article_end) for s in c.spans]),
        ("涉嫌侵权页面 / Copy", c.page_text, [(s.page_start, s.page_end) for s in c.spans]),
    )
    for heading, text, ranges in sides:
        pdf.ln(4)
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        pdf.set_font("cjk", size=10)
        for piece, hit in segments(text, ranges):
            if hit:
                pdf.set_text_color(176, 0, 32)
                pdf.set_font("cjk", "U", 10)
            pdf.write(5.5, _printable(piece), wrapmode=WrapMode.CHAR)
            if hit:
                pdf.set_text_color(0, 0, 0)
                pdf.set_font("cjk", "", 10)
        pdf.ln(6)
    return bytes(pdf.output())
