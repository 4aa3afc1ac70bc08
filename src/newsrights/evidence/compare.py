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


def render_pdf(c: Comparison, *, created: datetime | None = None) -> bytes:
    """The comparison as PDF: both texts in turn, reused passages in red and underlined."""
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
