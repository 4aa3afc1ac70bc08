"""IPTC ninjs documents → Article (ninjs 1.x/2.x lower-case and 3.x camelCase field names).

Accepted containers: one JSON object, a JSON array of objects, an object
with an ``items``/``associations`` list, and JSON Lines (one object a line).
Field mapping:

==================  ==========================================  ============================
Article             ninjs 2.x                                   ninjs 3.x
==================  ==========================================  ============================
title               ``headline``                                ``headlines[role=main]``
original_title      —                                           ``headlines[role=original]``
body                ``body_text`` / ``body_html``               ``bodies[]`` (text, then html)
published           ``firstcreated`` (else ``versioncreated``)  ``firstCreated`` / ``versionCreated``
byline              ``byline`` / ``by``                         ``by`` / ``bylines``
source              ``copyrightholder`` when no ``source``      ``copyrightHolder``
copyright_notice    ``copyrightnotice``                         ``copyrightNotice``
uri                 ``uri``                                     ``uri``
dateline            ``located``                                 ``located`` / ``datelines``
==================  ==========================================  ============================

``usageterms`` / ``usageTerms`` and ``altids`` go to ``extra``. Body text is
split into paragraphs and passed through the same rules as pages
(:func:`newsrights.core.metadata.structure`), so a ninjs body that repeats
its dateline or byline is cleaned the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from newsrights.core.metadata import clean_line, parse_datetime, structure
from newsrights.core.model import Article, Rejected


def read_ninjs(data: bytes, *, origin: str) -> Iterator[Article | Rejected]:
    """Every ninjs document in ``data`` (object, array or JSON Lines)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Rejected(origin, "bad_encoding", f"ninjs must be UTF-8: {exc}")
        return
    docs: list[tuple[str, Any]] = []
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as whole_err:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) < 2:
            yield Rejected(origin, "bad_json", str(whole_err))
            return
        for n, ln in enumerate(lines, start=1):
            try:
                docs.append((f"{origin}#L{n}", json.loads(ln)))
            except json.JSONDecodeError as exc:
                docs.append((f"{origin}#L{n}", exc))
    else:
        if isinstance(parsed, list):
            docs = [(f"{origin}#{i}", d) for i, d in enumerate(parsed)]
        elif isinstance(parsed, dict) and isinstance(parsed.get("items"), list) and "headline" not in parsed:
            docs = [(f"{origin}#{i}", d) for i, d in enumerate(parsed["items"])]
        else:
            docs = [(origin, parsed)]
    for org, doc in docs:
        if isinstance(doc, Exception):
            yield Rejected(org, "bad_json", str(doc))
        elif not isinstance(doc, dict):
            yield Rejected(org, "bad_json", f"expected a JSON object, got {type(doc).__name__}")
        else:
            raw = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
            yield article_from_ninjs(doc, origin=org, raw=raw)


def _get(doc: dict[str, Any], *names: str) -> Any:
    for n in names:
        if n in doc and doc[n] not in (None, "", []):
            return doc[n]
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _text(value.get("value") or value.get("name") or value.get("text"))
    if isinstance(value, list):
        parts = [t for t in (_text(v) for v in value) if t]
        return ", ".join(parts) if parts else None
    return str(value)


def _html_paragraphs(html: str) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(f"<body>{html}</body>")
    root = tree.body
    if root is None:
        return []
    for node in root.css("p,div,br,li,h1,h2,h3,h4,blockquote,tr"):
        node.insert_before("\n")
        node.insert_after("\n")
    return [clean_line(x) for x in root.text(deep=True).split("\n") if clean_line(x)]


def _headlines(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    title = _text(_get(doc, "headline"))
    original = None
    hl = doc.get("headlines")
    if isinstance(hl, list):
        for h in hl:
            if not isinstance(h, dict):
                continue
            role = str(h.get("role") or "main").lower()
            value = _text(h.get("value"))
            if role in ("original", "originaltitle", "original_title") and value:
                original = original or value
            elif role in ("main", "headline", "title") and value and not title:
                title = value
        if not title:
            title = next(
                (_text(h.get("value")) for h in hl if isinstance(h, dict) and _text(h.get("value"))), None
            )
    return title, original


def _bodies(doc: dict[str, Any]) -> list[str]:
    text = _get(doc, "body_text", "bodyText")
    if isinstance(text, str):
        return text.splitlines()
    html = _get(doc, "body_html", "bodyHtml", "body_xhtml")
    if isinstance(html, str):
        return _html_paragraphs(html)
    bodies = doc.get("bodies")
    if isinstance(bodies, list):
        plain = [
            b for b in bodies if isinstance(b, dict) and "html" not in str(b.get("contentType") or "").lower()
        ]
        htmls = [
            b for b in bodies if isinstance(b, dict) and "html" in str(b.get("contentType") or "").lower()
        ]
        for b in plain:
            if isinstance(b.get("value"), str) and b["value"].strip():
                return b["value"].splitlines()
        for b in htmls:
            if isinstance(b.get("value"), str) and b["value"].strip():
                return _html_paragraphs(b["value"])
    return []


def article_from_ninjs(doc: dict[str, Any], *, origin: str, raw: bytes | None = None) -> Article | Rejected:
    """One ninjs object → Article; no body → ``Rejected(no_body)``."""
    title, original = _headlines(doc)
    paragraphs = _bodies(doc)
    parts = structure(paragraphs, title=title, take_title=False)
    if not parts.body:
        return Rejected(origin, "no_body", "the ninjs document has no body_text, body_html or bodies")
    published = parse_datetime(
        _text(
            _get(
                doc,
                "firstcreated",
                "firstCreated",
                "versioncreated",
                "versionCreated",
                "contentcreated",
                "contentCreated",
            )
        )
    )
    byline = _text(_get(doc, "byline", "by", "bylines")) or parts.byline
    holder = _text(_get(doc, "copyrightholder", "copyrightHolder"))
    notice = _text(_get(doc, "copyrightnotice", "copyrightNotice"))
    terms = _text(_get(doc, "usageterms", "usageTerms"))
    source = _text(_get(doc, "source", "provider")) or parts.source or holder
    located = _text(_get(doc, "located", "datelines")) or parts.dateline
    extra: list[tuple[str, str]] = []
    if terms:
        extra.append(("usage_terms", terms))
    if holder:
        extra.append(("copyright_holder", holder))
    alt = _get(doc, "altids", "altIds")
    if alt is not None:
        extra.append(("alt_ids", json.dumps(alt, ensure_ascii=False, sort_keys=True)))
    credits = list(parts.credit_lines)
    if source and f"来源:{source}" not in credits:
        credits.append(f"来源:{source}")
    if byline and byline not in credits:
        credits.append(byline)
    lang = _text(_get(doc, "language"))
    return Article(
        body=parts.body,
        title=title,
        published=published,
        source=source,
        editor=parts.editor,
        responsible_editor=parts.responsible_editor,
        original_title=original or parts.original_title,
        dateline=located,
        byline=byline,
        site=_text(_get(doc, "provider")),
        url=_text(_get(doc, "url", "webUrl")),
        uri=_text(_get(doc, "uri", "guid")),
        language=lang,
        declaration=parts.declaration,
        furniture=parts.furniture,
        credit_lines=tuple(dict.fromkeys(credits)),
        copyright_notice=notice,
        origin=origin,
        raw_sha256=hashlib.sha256(raw).hexdigest() if raw is not None else None,
        extra=tuple(extra),
    )
