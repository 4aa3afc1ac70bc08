"""Tables of the catalog area: sites, their declarations, articles and article versions.

An article is identified by a stable string id derived from its URI (ninjs
``uri``, else its URL, else ``urn:sha256:`` of its text); every distinct
content it had is an :class:`ArticleVersionRow` holding the sha256 of the
normalised text, the sha256 of the bytes read and the UTC time of ingest —
the proof of what the publisher held and when. Rows are only ever added:
a changed page becomes a new version, the old one stays.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from newsrights.storage.db import Base


class SiteRow(Base):
    """A site whose declarations we keep (the publisher, or another site met while reading)."""

    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeclarationRow(Base):
    """One version of a site's copyright declaration, in force from ``effective`` (NULL: always)."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("site_id", "version", name="uq_declarations_site_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    version: Mapped[str] = mapped_column(String(128))
    effective: Mapped[date | None] = mapped_column(Date, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ArticleRow(Base):
    """A catalog article: its stable id and a summary of its current version (for listing)."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    uri: Mapped[str] = mapped_column(Text)
    uri_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    site: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    current_version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    ownership_class: Mapped[str] = mapped_column(String(32), index=True)
    holder: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ArticleVersionRow(Base):
    """One content version of an article, with all its metadata, as ingested."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    editor: Mapped[str | None] = mapped_column(Text, nullable=True)
    responsible_editor: Mapped[str | None] = mapped_column(Text, nullable=True)
    original_title: Mapped[str | None] = mapped_column(Text, nullable=True)
    dateline: Mapped[str | None] = mapped_column(Text, nullable=True)
    byline: Mapped[str | None] = mapped_column(Text, nullable=True)
    site: Mapped[str | None] = mapped_column(Text, nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    uri: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str | None] = mapped_column(String(32), nullable=True)
    origin: Mapped[str] = mapped_column(Text, default="")
    fetched: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    body: Mapped[list[str]] = mapped_column(JSON)
    credit_lines: Mapped[list[str]] = mapped_column(JSON)
    furniture: Mapped[list[str]] = mapped_column(JSON)
    extra: Mapped[list[list[str]]] = mapped_column(JSON)
    declaration_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    copyright_notice: Mapped[str | None] = mapped_column(Text, nullable=True)
    ownership: Mapped[dict[str, Any]] = mapped_column(JSON)
    ownership_class: Mapped[str] = mapped_column(String(32))
    declaration_version: Mapped[str | None] = mapped_column(String(128), nullable=True)
