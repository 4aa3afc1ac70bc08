"""Tables of the monitoring area: runs, their frontier (one row per page or archive record with its
outcome) and the findings each page produced.

``monitor_pages.status`` moves ``pending`` → ``fetched`` (bytes safe in a WARC, ``capture``
set) → ``done`` (``outcome`` set). A run killed at any point resumes from these rows:
``pending`` rows are fetched, ``fetched`` rows are processed from their capture without
fetching again. Findings are referenced by id (they live in the matching area's
``findings`` table, another migration branch), so there is no foreign key to them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from newsrights.storage.db import Base


class MonitorRunRow(Base):
    """One monitoring run: its name (runs of one name resume and compare), config and report."""

    __tablename__ = "monitor_runs"
    __table_args__ = (Index("ix_monitor_runs_name", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))  # running | finished
    config_json: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    report_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class MonitorPageRow(Base):
    """One frontier entry: a URL to fetch (page, site, sitemap, feed) or an archive record."""

    __tablename__ = "monitor_pages"
    __table_args__ = (
        UniqueConstraint("run_id", "key_sha", name="uq_monitor_pages_run_key"),
        Index("ix_monitor_pages_run_status", "run_id", "status"),
        Index("ix_monitor_pages_key_sha", "key_sha"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("monitor_runs.id", ondelete="CASCADE"))
    key_sha: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16))  # pending | fetched | done
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(255), nullable=True)
    final_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    capture: Mapped[str | None] = mapped_column(String(512), nullable=True)
    payload_digest: Mapped[str | None] = mapped_column(String(80), nullable=True)
    payload_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    n_findings: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MonitorFindingRow(Base):
    """A finding (id in ``findings``) that a page of a run produced, with its verdict at the time."""

    __tablename__ = "monitor_findings"
    __table_args__ = (
        UniqueConstraint("page_id", "finding_id", name="uq_monitor_findings_page_finding"),
        Index("ix_monitor_findings_run", "run_id"),
        Index("ix_monitor_findings_finding", "finding_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("monitor_runs.id", ondelete="CASCADE"))
    page_id: Mapped[int] = mapped_column(ForeignKey("monitor_pages.id", ondelete="CASCADE"))
    finding_id: Mapped[int] = mapped_column(Integer)
    article_id: Mapped[str] = mapped_column(String(255), default="")
    label: Mapped[str] = mapped_column(String(16), default="")
    verdict: Mapped[str | None] = mapped_column(String(32), nullable=True)
