"""RSS / Atom feeds → one Article per entry that carries content.

feedparser reads the feed (RSS 0.9x–2.0, RSS 1.0/RDF, Atom 0.3/1.0). For
each entry the fullest text it has is used: ``content`` (``content:encoded``
or Atom ``<content>``), else ``summary``/``description``; HTML is turned into
paragraphs and passed through :func:`newsrights.core.metadata.structure`.
Title, link (url), id (uri), published/updated time, author, and the feed's
``rights``/copyright go to the Article. An entry without text is
``Rejected(no_body)``; a document feedparser cannot read at all is
``Rejected(bad_feed)``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from newsrights.core.metadata import clean_line, parse_datetime, structure
from newsrights.core.model import Article, Rejected
from newsrights.ingest.ninjs import _html_paragraphs


def _entry_time(entry: Any) -> datetime | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        parsed = entry.get(f"{key}_parsed")
        if raw:
            dt = parse_datetime(raw)
            if dt:
                return dt
        if parsed:
            return datetime.fromtimestamp(time.mktime(parsed) - time.timezone, tz=UTC)
    return None


def read_feed(data: bytes, *, origin: str, fetched: datetime | None = None) -> Iterator[Article | Rejected]:
    """Entries of one RSS/Atom document."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = str(parsed.get("bozo_exception") or "no entries")
        yield Rejected(origin, "bad_feed" if parsed.get("bozo") else "no_body", why)
        return
    feed = parsed.get("feed") or {}
    rights = feed.get("rights") or feed.get("copyright")
    site = feed.get("title")
    for i, entry in enumerate(entries):
        eorigin = f"{origin}#{i}"
        html = ""
        for c in entry.get("content") or []:
            if c.get("value") and len(c["value"]) > len(html):
                html = c["value"]
        if not html:
            html = entry.get("summary") or entry.get("description") or ""
        paragraphs = _html_paragraphs(html) if "<" in html else [clean_line(x) for x in html.splitlines()]
        title = clean_line(entry.get("title") or "") or None
        parts = structure(paragraphs, title=title, take_title=False)
        if not parts.body:
            yield Rejected(eorigin, "no_body", "feed entry has no content or summary")
            continue
        author = entry.get("author") or parts.byline
        raw = (entry.get("id", "") + html).encode("utf-8")
        credits = list(parts.credit_lines)
        if author and author not in credits:
            credits.append(author)
        yield Article(
            body=parts.body,
            title=title,
            published=_entry_time(entry) or parts.published,
            source=parts.source,
            editor=parts.editor,
            responsible_editor=parts.responsible_editor,
            original_title=parts.original_title,
            dateline=parts.dateline,
            byline=author,
            site=site,
            url=entry.get("link"),
            uri=entry.get("id"),
            language=feed.get("language"),
            declaration=parts.declaration,
            furniture=parts.furniture,
            credit_lines=tuple(dict.fromkeys(credits)),
            copyright_notice=entry.get("rights") or rights,
            origin=eorigin,
            raw_sha256=hashlib.sha256(raw).hexdigest(),
            fetched=fetched,
        )
