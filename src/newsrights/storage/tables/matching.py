"""Tables of the matching area: the stored index, the pages with findings, and the findings.

* ``match_sketches`` — the copy-detection index stored with the catalog: one row per
  (article, matching parameters) with the article version it was computed from, its
  MinHash signature (``uint32`` little-endian bytes) and passage anchors (``uint64``
  little-endian bytes). The scanner loads these rows instead of re-reading every text
  and re-syncs rows whose article version changed or whose article left the catalog.
* ``match_state`` — per parameters name: the formulaic-text df sketch (zlib of the
  ``uint16`` counters) and the number of articles it counts.
* ``pages`` — a page that produced findings, with its raw bytes (zlib) so evidence
  is built from exactly those bytes; ``sha256`` is over the raw bytes when known,
  else over the page text (:attr:`Article.sha256`).
* ``findings`` — one page reusing one article under one parameters name
  (unique on page sha256 + article id + params): label, coverages, spans, similarity
  figures and the licence verdict with its reasons and registry snapshot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from newsrights.storage.db import Base


class MatchSketchRow(Base):
    """The index entry of one article under one parameters name."""

    __tablename__ = "match_sketches"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    params: Mapped[str] = mapped_column(String(128), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uri: Mapped[str] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    anchors: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatchStateRow(Base):
    """Index-wide state per parameters name (the df sketch of formulaic shingles)."""

    __tablename__ = "match_state"

    params: Mapped[str] = mapped_column(String(128), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)
    df_sketch: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PageRow(Base):
    """A page that produced findings, kept byte for byte (zlib)."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    origin: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str | None] = mapped_column(String(255), nullable=True)
    raw_zlib: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    raw_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    capture: Mapped[str | None] = mapped_column(Text, nullable=True)
    fetched: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FindingRow(Base):
    """One page reusing one catalog article, with its verdict."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("page_sha256", "article_id", "params", name="uq_findings_page_article_params"),
        Index("ix_findings_article_id", "article_id"),
        Index("ix_findings_verdict", "verdict"),
        Index("ix_findings_label", "label"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    page_sha256: Mapped[str] = mapped_column(String(64))
    page_url: Mapped[str] = mapped_column(Text)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"))
    article_uri: Mapped[str] = mapped_column(Text)
    params: Mapped[str] = mapped_column(String(128))
    label: Mapped[str] = mapped_column(String(16))
    article_coverage: Mapped[float] = mapped_column(Float)
    page_coverage: Mapped[float] = mapped_column(Float)
    spans: Mapped[list[dict[str, int]]] = mapped_column(JSON)
    similarity: Mapped[dict[str, float]] = mapped_column(JSON)
    verdict: Mapped[str | None] = mapped_column(String(32), nullable=True)
    verdict_reasons: Mapped[list[str]] = mapped_column(JSON)
    registry_snapshot: Mapped[str | None] = mapped_column(String(128), nullable=True)
    capture: Mapped[str | None] = mapped_column(Text, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
