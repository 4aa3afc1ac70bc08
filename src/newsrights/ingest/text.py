"""Plain-text pages (like the seed page): first line the title, then meta lines, body, declaration."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from newsrights.core.metadata import structure
from newsrights.core.model import Article, Rejected

_LINE_SPLIT = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def article_from_text(
    text: str,
    *,
    origin: str,
    url: str | None = None,
    raw: bytes | None = None,
    fetched: datetime | None = None,
) -> Article | Rejected:
    """Read a plain-text news page.

    Each non-empty line is a paragraph (pages with blank lines between
    paragraphs and pages without them read alike); :func:`newsrights.core.
    metadata.structure` splits title, meta lines, body, credit lines and the
    site's declaration. No body left → ``Rejected(no_body)``.
    """
    paragraphs = _LINE_SPLIT.split(text)
    parts = structure(paragraphs)
    if not parts.body:
        return Rejected(origin, "no_body", "no article text after removing title, metadata and furniture")
    return Article(
        body=parts.body,
        title=parts.title,
        published=parts.published,
        source=parts.source,
        editor=parts.editor,
        responsible_editor=parts.responsible_editor,
        original_title=parts.original_title,
        dateline=parts.dateline,
        byline=parts.byline,
        url=url,
        language=_language(text),
        declaration=parts.declaration,
        furniture=parts.furniture,
        credit_lines=parts.credit_lines,
        origin=origin,
        raw_sha256=hashlib.sha256(raw).hexdigest() if raw is not None else None,
        fetched=fetched,
    )


def _language(text: str) -> str | None:
    sample = text[:5000]
    cjk = sum(1 for c in sample if "\u3400" <= c <= "\u9fff")
    letters = sum(1 for c in sample if c.isalpha())
    if not letters:
        return None
    return "zh" if cjk / letters > 0.3 else None
