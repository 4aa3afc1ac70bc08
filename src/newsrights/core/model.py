"""The core value types shared by every part of newsrights.

All of them are frozen, slotted dataclasses: pure data, no I/O. Readers
(``newsrights.ingest``) build :class:`Article` or :class:`Rejected`; the
matcher builds :class:`Finding` with :class:`Span` lists; the rights rules
attach :class:`Ownership` and verdicts.

Conventions
-----------
* Times are timezone-aware ``datetime``; a page that states no zone is read
  in ``Asia/Shanghai`` (see :data:`CHINA_TZ`).
* Character offsets are Python ``str`` indices into :attr:`Article.text`
  (the body paragraphs joined by ``"\\n\\n"``), end exclusive.
* ``sha256`` of an article is taken over its *normalised* text (NFKC,
  whitespace folded) so that the same content read from HTML or from plain
  text gets the same digest; ``raw_sha256`` is over the bytes as read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Literal

from newsrights.core.nfkc import normalize_nfkc

#: China Standard Time. Fixed offset: China has no daylight saving since 1991.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

PARAGRAPH_SEP = "\n\n"

OwnershipClass = Literal["owned", "third_party", "explicit_third_party", "needs_review"]
ReuseLabel = Literal["whole", "excerpt", "not_derived"]
Verdict = Literal[
    "licensed_credited",
    "licensed_uncredited",
    "out_of_scope",
    "unlicensed",
    "not_ours",
    "legal_review",
]
VERDICTS: tuple[str, ...] = (
    "licensed_credited",
    "licensed_uncredited",
    "out_of_scope",
    "unlicensed",
    "not_ours",
    "legal_review",
)

_WS = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def nfkc(text: str) -> str:
    """NFKC of one string, memoised: a checked page's paragraphs are normalised for its digest
    and again by the credit check (``core.credit``)."""
    return normalize_nfkc(text)


def canonical_text(text: str) -> str:
    """The text the content digest is taken over: NFKC, whitespace folded to one space."""
    return _WS.sub(" ", normalize_nfkc(text)).strip()


def content_sha256(text: str) -> str:
    """sha256 (hex) of :func:`canonical_text` encoded as UTF-8."""
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a page, a ninjs document or a WARC record.

    ``body`` holds the main-text paragraphs only; page furniture (the site's
    copyright declaration, navigation, related links) is split off into
    ``declaration`` and ``furniture``. ``credit_lines`` keeps the source and
    credit lines (``来源:…``, ``转载自…``, datelines, bylines) found on the page,
    for the licence check; they are not matched as content.
    """

    body: tuple[str, ...]
    title: str | None = None
    published: datetime | None = None
    source: str | None = None
    editor: str | None = None
    responsible_editor: str | None = None
    original_title: str | None = None
    dateline: str | None = None
    byline: str | None = None
    site: str | None = None
    url: str | None = None
    uri: str | None = None
    language: str | None = None
    declaration: str | None = None
    furniture: tuple[str, ...] = ()
    credit_lines: tuple[str, ...] = ()
    copyright_notice: str | None = None
    origin: str = ""
    raw_sha256: str | None = None
    fetched: datetime | None = None
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """Body paragraphs joined by a blank line; the coordinate space of spans."""
        return PARAGRAPH_SEP.join(self.body)

    @property
    def sha256(self) -> str:
        """Digest of the normalised body text: :func:`content_sha256` of :attr:`text`, with each
        paragraph normalised on its own (:func:`nfkc`, shared with the credit check). Equal,
        because NFKC never composes or reorders across the line breaks that join paragraphs
        (a line feed is a starter nothing composes with; tested with Hypothesis)."""
        joined = PARAGRAPH_SEP.join(nfkc(p) for p in self.body)
        return hashlib.sha256(_WS.sub(" ", joined).strip().encode("utf-8")).hexdigest()

    @property
    def stable_uri(self) -> str:
        """The article's own identifier: ninjs uri, else url, else its content digest."""
        return self.uri or self.url or f"urn:sha256:{self.sha256}"

    def with_(self, **changes: Any) -> Article:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict with the keys ``newsrights parse --json`` promises."""
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "editor": self.editor,
            "responsible_editor": self.responsible_editor,
            "original_title": self.original_title,
            "dateline": self.dateline,
            "byline": self.byline,
            "body": list(self.body),
            "site": self.site,
            "url": self.url,
            "uri": self.uri,
            "language": self.language,
            "sha256": self.sha256,
            "raw_sha256": self.raw_sha256,
            "credit_lines": list(self.credit_lines),
            "declaration": self.declaration,
            "copyright_notice": self.copyright_notice,
            "origin": self.origin,
        }


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not be read, with its reason (``dropped_<reason>`` style)."""

    origin: str
    reason: str
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"origin": self.origin, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Ownership:
    """Who owns an article under the declaration in force on its date.

    ``class_`` is one of ``owned`` (``marker`` says which owned marker matched),
    ``third_party`` (``holder`` is the named source), ``explicit_third_party``
    (the page says the copyright is a third party's) or ``needs_review``
    (``reasons`` says what is missing).
    """

    class_: OwnershipClass
    holder: str | None = None
    marker: str | None = None
    reasons: tuple[str, ...] = ()
    declaration_version: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "class": self.class_,
            "holder": self.holder,
            "marker": self.marker,
            "reasons": list(self.reasons),
            "declaration_version": self.declaration_version,
        }


@dataclass(frozen=True, slots=True)
class Span:
    """A reused passage: ``[article_start, article_end)`` in the article text and
    ``[page_start, page_end)`` in the page text (original, un-normalised offsets)."""

    article_start: int
    article_end: int
    page_start: int
    page_end: int

    def to_json(self) -> dict[str, int]:
        return {
            "article_start": self.article_start,
            "article_end": self.article_end,
            "page_start": self.page_start,
            "page_end": self.page_end,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One page that reuses one catalog article.

    ``params`` is the name of the frozen matching parameters that produced it
    (so the finding can be reproduced); ``verdict`` and ``verdict_reasons`` are
    filled by the licence check.
    """

    page_url: str
    article_id: str
    article_uri: str
    label: ReuseLabel
    article_coverage: float
    page_coverage: float
    spans: tuple[Span, ...]
    params: str
    similarity: tuple[tuple[str, float], ...] = ()
    page_sha256: str | None = None
    page_title: str | None = None
    verdict: Verdict | None = None
    verdict_reasons: tuple[str, ...] = ()
    registry_snapshot: str | None = None
    capture: str | None = None
    found_at: datetime | None = None
    extra: tuple[tuple[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "page_url": self.page_url,
            "article_id": self.article_id,
            "article_uri": self.article_uri,
            "label": self.label,
            "article_coverage": round(self.article_coverage, 4),
            "page_coverage": round(self.page_coverage, 4),
            "spans": [s.to_json() for s in self.spans],
            "similarity": {k: round(v, 4) for k, v in self.similarity},
            "params": self.params,
            "page_sha256": self.page_sha256,
            "page_title": self.page_title,
            "verdict": self.verdict,
            "verdict_reasons": list(self.verdict_reasons),
            "registry_snapshot": self.registry_snapshot,
            "capture": self.capture,
            "found_at": self.found_at.isoformat() if self.found_at else None,
        }
        d.update(dict(self.extra))
        return d
