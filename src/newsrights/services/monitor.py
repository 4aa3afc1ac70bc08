"""Monitoring runs: fetch what the sources list, keep every byte in WARC, scan, record, report.

``run_monitor(factory, config, captures_dir=...)`` runs once, to the end of its
frontier, and returns a :class:`RunReport`. Algorithm:

1. **Open or resume.** The newest run of the config's name that is still
   ``running`` is resumed; otherwise a new run is created and its frontier
   seeded with the sources, in one transaction.
2. **Recover.** Rows already ``fetched`` (bytes fsync'd in a WARC, outcome not yet
   committed) are processed from their capture — never fetched again. The
   :class:`~newsrights.crawl.capture.CaptureWriter` repairs a torn WARC tail.
3. **Archives** (WARC/ARC/WACZ of other crawlers) are read record by record
   without fetching; each record is a frontier row keyed ``path#offset``, so a
   resumed run skips the records already done.
4. **Fetch loop.** Pending rows are fetched by a thread pool (the
   :class:`~newsrights.crawl.fetcher.Fetcher` keeps robots.txt, per-host
   spacing and limits; the loop itself never puts more than the per-host limit
   of one host in flight, so a slow host cannot starve the others). The main
   thread does all writing, per page: append the record set to the WARC and
   fsync → commit ``fetched`` with the capture reference → process → commit the
   outcome together with the findings (one transaction). A kill between any
   two steps loses nothing and doubles nothing: uncommitted work is redone
   from the WARC, and ``Scanner.record`` is idempotent.
5. **Processing** a page: sitemaps and feeds add their URLs to the frontier
   (outcome ``discovered``); site pages add same-host links while depth
   remains; every HTML/text page goes ``newsrights.ingest.read_bytes`` →
   ``Scanner.scan_page`` (matching and verdicts) → ``Scanner.record``. Outcomes:
   ``matched``, ``no_match``, ``rejected`` (reason), ``fetch_error`` (status or
   exception), ``discovered``.
6. **Report**: counts by outcome and reason, findings by verdict, findings new
   since the previous runs of the same name, fetch errors by host.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core.model import Article, Finding, Rejected
from newsrights.crawl.capture import CaptureWriter, read_capture
from newsrights.crawl.fetcher import Fetcher, FetchResult, sniff
from newsrights.crawl.sources import (
    ArchivedPage,
    MonitorConfig,
    Source,
    extract_links,
    iter_archive,
    looks_like_feed,
    looks_like_sitemap,
    parse_feed,
    parse_sitemap,
)
from newsrights.errors import ConfigError
from newsrights.storage.db import transaction
from newsrights.storage.tables.monitoring import MonitorFindingRow, MonitorPageRow, MonitorRunRow

log = logging.getLogger(__name__)

OUTCOMES = ("matched", "no_match", "rejected", "fetch_error", "discovered")
#: Archive records processed per transaction (a failure redoes the batch record by record).
ARCHIVE_BATCH = 100


# ----------------------------------------------------------------------------- processing seam


@dataclass
class PageResult:
    """What processing one page gave: an outcome, and the recorded findings ``(finding id, finding)``."""

    outcome: str
    reason: str | None = None
    detail: str = ""
    findings: list[tuple[int, Finding]] = field(default_factory=list)


@dataclass
class Analysis:
    """A page read and matched, not yet stored: ``items`` are the articles read with their findings."""

    outcome: str
    reason: str | None = None
    detail: str = ""
    items: list[tuple[Article, list[Finding]]] = field(default_factory=list)
    raw: bytes | None = None
    content_type: str | None = None


class PageProcessor(Protocol):
    """Two steps, so the run can hold one transaction for the writes only.

    ``analyse`` reads and matches a page and must not write through the run's
    session (it may commit its own work, e.g. verdict snapshots); ``store``
    records the findings in the run's transaction and returns their ids.
    """

    def analyse(self, *, url: str, body: bytes, content_type: str | None, fetched: datetime | None) -> Analysis: ...

    def store(self, session: Session, analysis: Analysis, *, capture: str | None) -> PageResult: ...


class ScanProcessor:
    """The real pipeline: ``ingest.read_bytes`` → ``Scanner.scan_page`` → ``Scanner.record``.

    An HTML page is first reduced to its cheap ``fast_text``; when that has no
    candidate article (most pages of the web), the page is ``no_match`` without
    the careful extraction.
    """

    def __init__(self, factory: sessionmaker[Session], params: Any = None) -> None:
        from newsrights.services.scan import Scanner

        self.scanner = Scanner.open(factory, params)

    def _prefilter_says_no(self, body: bytes, content_type: str | None) -> bool:
        """True when the page's cheap text (``fast_text``) has no candidate article at all."""
        if "html" not in (content_type or "text/html"):
            return False
        from newsrights.ingest.html import fast_text

        try:
            title, text = fast_text(body)
        except Exception as exc:  # noqa: BLE001 - the careful reader reports bad pages properly
            log.debug("fast_text failed: %s", exc)
            return False
        if not text.strip():
            return False
        return bool(self.scanner.candidates_for_text(f"{title or ''}\n{text}") == 0)

    def analyse(self, *, url: str, body: bytes, content_type: str | None, fetched: datetime | None) -> Analysis:
        from newsrights.ingest import read_bytes

        if self._prefilter_says_no(body, content_type):
            return Analysis("no_match", detail="no candidate in the cheap text")
        items = read_bytes(body, origin=url, url=url, content_type=content_type, fetched=fetched)
        articles = [a for a in items if isinstance(a, Article)]
        if not articles:
            rej = next((r for r in items if isinstance(r, Rejected)), None)
            return Analysis("rejected", rej.reason if rej else "no_article", rej.detail if rej else "")
        found: list[tuple[Article, list[Finding]]] = []
        for art in articles:
            if art.url is None:
                art = art.with_(url=url)
            findings = [f for f in self.scanner.scan_page(art, raw=body, content_type=content_type)
                        if f.label != "not_derived"]
            if findings:
                found.append((art, findings))
        return Analysis("matched" if found else "no_match", items=found, raw=body, content_type=content_type)

    def store(self, session: Session, analysis: Analysis, *, capture: str | None) -> PageResult:
        out: list[tuple[int, Finding]] = []
        for art, findings in analysis.items:
            findings = [_with_capture(f, capture) for f in findings]
            ids = self.scanner.record(session, art, findings, raw=analysis.raw, capture=capture,
                                      content_type=analysis.content_type)
            out.extend(zip(ids, findings, strict=True))
        return PageResult(analysis.outcome, analysis.reason, analysis.detail, out)


def _with_capture(f: Finding, capture: str | None) -> Finding:
    from dataclasses import replace

    return replace(f, capture=capture)


# ----------------------------------------------------------------------------- report


@dataclass
class RunReport:
    """What a run did; ``to_json()`` is what ``newsrights monitor --json`` prints."""

    run_id: int
    name: str
    status: str
    resumed: bool
    started_at: datetime
    finished_at: datetime | None
    elapsed: float
    pages: int
    outcomes: dict[str, int]
    reasons: dict[str, int]
    verdicts: dict[str, int]
    new_findings: list[dict[str, Any]]
    errors_by_host: dict[str, dict[str, int]]
    fetched_now: int = 0
    processed_now: int = 0
    repaired_warcs: dict[str, int] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        return self.processed_now / self.elapsed if self.elapsed > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "name": self.name,
            "status": self.status,
            "resumed": self.resumed,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "elapsed_s": round(self.elapsed, 3),
            "pages": self.pages,
            "fetched_now": self.fetched_now,
            "processed_now": self.processed_now,
            "pages_per_second": round(self.pages_per_second, 1),
            "outcomes": self.outcomes,
            "reasons": self.reasons,
            "verdicts": self.verdicts,
            "new_findings": self.new_findings,
            "errors_by_host": self.errors_by_host,
            "repaired_warcs": self.repaired_warcs,
        }


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    url: str
    outcome: str


# ----------------------------------------------------------------------------- the run


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    """A stored time as UTC-aware (SQLite gives back naive datetimes; they were written in UTC)."""
    if dt is None:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _sha(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _insert_ignore(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert frontier rows, skipping keys the run already has (idempotent)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(MonitorPageRow).values(rows).on_conflict_do_nothing(index_elements=["run_id", "key_sha"])
    session.execute(stmt)


class MonitorRun:
    """One run in progress (use :func:`run_monitor`)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        config: MonitorConfig,
        *,
        captures_dir: Path,
        processor: PageProcessor | None = None,
        transport: httpx.BaseTransport | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.factory = factory
        self.config = config
        self.captures_dir = Path(captures_dir)
        self.processor = processor
        self.transport = transport
        self.on_progress = on_progress
        self.run_id = 0
        self.resumed = False
        self.n_rows = 0
        self.n_done = 0
        self.fetched_now = 0
        self.processed_now = 0
        self.capped = 0

    # -- frontier ---------------------------------------------------------------------
    def _row(self, key: str, url: str, kind: str, depth: int = 0, status: str = "pending") -> dict[str, Any]:
        return {
            "run_id": self.run_id, "key_sha": _sha(key), "key": key, "url": url, "kind": kind,
            "depth": depth, "host": _host(url), "status": status, "attempts": 0, "n_findings": 0,
            "updated_at": _now(),
        }

    def _open(self) -> None:
        name = self.config.run_name
        with transaction(self.factory) as s:
            run = s.scalars(
                select(MonitorRunRow).where(MonitorRunRow.name == name, MonitorRunRow.status == "running")
                .order_by(MonitorRunRow.id.desc()).limit(1)
            ).first()
            if run is not None:
                self.run_id, self.resumed = run.id, True
                run.updated_at = _now()
            else:
                now = _now()
                run = MonitorRunRow(name=name, status="running", config_json=json.dumps(self.config.to_json()),
                                    started_at=now, updated_at=now)
                s.add(run)
                s.flush()
                self.run_id = run.id
                _insert_ignore(s, [self._seed_row(src) for src in self.config.sources])
            self.n_rows = s.scalar(select(func.count()).where(MonitorPageRow.run_id == self.run_id)) or 0
            self.n_done = s.scalar(select(func.count()).where(
                MonitorPageRow.run_id == self.run_id, MonitorPageRow.status == "done")) or 0

    def _seed_row(self, src: Source) -> dict[str, Any]:
        if src.kind == "archive":
            return self._row("archive:" + src.target, src.target, "archive")
        return self._row(src.target, src.target, src.kind, src.depth)

    def _add_children(self, s: Session, urls: Iterable[str], kind: str, depth: int = 0) -> int:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return 0
        if not self.config.revisit and kind == "page":
            shas = [_sha(u) for u in urls]
            seen = set(s.scalars(
                select(MonitorPageRow.key_sha).join(MonitorRunRow, MonitorRunRow.id == MonitorPageRow.run_id)
                .where(MonitorRunRow.name == self.config.run_name, MonitorPageRow.run_id != self.run_id,
                       MonitorPageRow.key_sha.in_(shas), MonitorPageRow.outcome.in_(("matched", "no_match")))
            ))
            urls = [u for u in urls if _sha(u) not in seen]
        room = max(0, self.config.max_pages - self.n_rows)
        if len(urls) > room:
            self.capped += len(urls) - room
            urls = urls[:room]
        if not urls:
            return 0
        before = s.scalar(select(func.count()).where(MonitorPageRow.run_id == self.run_id)) or 0
        _insert_ignore(s, [self._row(u, u, kind, depth) for u in urls])
        after = s.scalar(select(func.count()).where(MonitorPageRow.run_id == self.run_id)) or 0
        self.n_rows = after
        return after - before

    def _progress(self, url: str, outcome: str) -> None:
        self.n_done += 1
        if self.on_progress is not None:
            self.on_progress(Progress(self.n_done, self.n_rows, url, outcome))

    # -- outcomes ---------------------------------------------------------------------
    def _finish_row(self, s: Session, row_id: int, outcome: str, reason: str | None = None, detail: str = "",
                    **extra: Any) -> None:
        s.execute(update(MonitorPageRow).where(MonitorPageRow.id == row_id).values(
            status="done", outcome=outcome, reason=reason, detail=(detail or None) and detail[:2000],
            updated_at=_now(), **extra))

    def _record_fetch_error(self, row: MonitorPageRow, r: FetchResult) -> None:
        with transaction(self.factory) as s:
            self._finish_row(s, row.id, r.outcome or "fetch_error", r.error, r.detail, http_status=r.status,
                             attempts=r.attempts, final_url=r.final_url, content_type=r.declared_type)
        self._progress(row.url, r.outcome or "fetch_error")

    def _handle_fetched(self, row: MonitorPageRow, r: FetchResult, writer: CaptureWriter) -> None:
        written = writer.write(
            r.final_url, status=r.status or 200, reason=r.reason_phrase, http_version=r.http_version,
            headers=r.headers, body=r.body, request_headers=r.request_headers, fetched=r.started, ip=r.ip,
            extra={"requested-url": r.url, "redirects": " ".join(r.redirects), "attempts": str(r.attempts),
                   "elapsed": f"{r.elapsed:.3f}", "run": str(self.run_id)},
        )
        self.fetched_now += 1
        with transaction(self.factory) as s:
            s.execute(update(MonitorPageRow).where(MonitorPageRow.id == row.id).values(
                status="fetched", capture=str(written.ref), payload_digest=written.payload_digest,
                payload_sha256=written.payload_sha256, http_status=r.status, content_type=r.content_type,
                final_url=r.final_url, attempts=r.attempts, updated_at=_now()))
        self._process(row.id, row.kind, row.depth, r.final_url, r.body, r.content_type, r.started, str(written.ref))

    def _process(self, row_id: int, kind: str, depth: int, url: str, body: bytes, ctype: str | None,
                 fetched: datetime | None, capture: str | None) -> str:
        """Discover links or analyse the page, then commit outcome, children and findings together."""
        try:
            step = self._analyse(kind, depth, url, body, ctype, fetched)
            with transaction(self.factory) as s:
                outcome = self._store(s, row_id, step, capture)
        except Exception as exc:  # noqa: BLE001 - one bad page never stops the run; recorded below
            log.exception("processing %s failed", url)
            outcome = "rejected"
            with transaction(self.factory) as s:
                self._finish_row(s, row_id, outcome, "processing_error", f"{type(exc).__name__}: {exc}")
        self.processed_now += 1
        self._progress(url, outcome)
        return outcome

    def _analyse(self, kind: str, depth: int, url: str, body: bytes, ctype: str | None,
                 fetched: datetime | None) -> _Step:
        """Everything that reads: parse sitemaps/feeds/links, match the page (no writes here)."""
        mime = (ctype or "").split(";")[0].strip().lower()
        if kind == "sitemap" or (kind in ("auto", "site") and "html" not in mime and looks_like_sitemap(body)):
            pages, children, err = parse_sitemap(body, url)
            if err and not pages and not children:
                return _Step("rejected", err.split(":")[0], err)
            return _Step("discovered", None, f"{len(pages)} pages, {len(children)} sitemaps",
                         children=[("page", 0, [p.loc for p in pages]), ("sitemap", 0, children)])
        if kind == "feed" or (kind in ("auto", "site") and "html" not in mime and looks_like_feed(body)):
            links, err = parse_feed(body, url)
            if err and not links:
                return _Step("rejected", "bad_feed", err)
            return _Step("discovered", None, f"{len(links)} items", children=[("page", 0, links)])
        children = []
        if depth > 0 and "html" in (mime or "text/html"):
            children = [("site" if depth > 1 else "page", depth - 1, extract_links(body, url))]
        assert self.processor is not None
        analysis = self.processor.analyse(url=url, body=body, content_type=ctype, fetched=fetched)
        return _Step(analysis.outcome, analysis.reason, analysis.detail, children=children, analysis=analysis)

    def _store(self, s: Session, row_id: int, step: _Step, capture: str | None) -> str:
        """Everything that writes, in the caller's transaction."""
        for kind, depth, urls in step.children:
            self._add_children(s, urls, kind, depth)
        found: list[tuple[int, Finding]] = []
        if step.analysis is not None:
            assert self.processor is not None
            res = self.processor.store(s, step.analysis, capture=capture)
            found = res.findings
            for fid, f in found:
                s.add(MonitorFindingRow(run_id=self.run_id, page_id=row_id, finding_id=int(fid),
                                        article_id=f.article_id, label=f.label, verdict=f.verdict))
        self._finish_row(s, row_id, step.outcome, step.reason, step.detail, n_findings=len(found))
        return step.outcome

    # -- phases -----------------------------------------------------------------------
    def _recover_fetched(self) -> None:
        with self.factory() as s:
            rows = list(s.scalars(select(MonitorPageRow).where(
                MonitorPageRow.run_id == self.run_id, MonitorPageRow.status == "fetched",
                MonitorPageRow.kind != "record")))  # archive records are redone by _archive
        for row in rows:
            try:
                cap = read_capture(self.captures_dir, row.capture or "")
            except Exception as exc:  # noqa: BLE001 - capture gone: fetch again rather than lose the page
                log.warning("capture %s of %s unreadable (%s); fetching again", row.capture, row.url, exc)
                with transaction(self.factory) as s:
                    s.execute(update(MonitorPageRow).where(MonitorPageRow.id == row.id).values(status="pending"))
                continue
            self._process(row.id, row.kind, row.depth, row.final_url or row.url, cap.body, row.content_type,
                          _aware(row.updated_at), row.capture)

    def _archives(self) -> None:
        with self.factory() as s:
            archives = list(s.scalars(select(MonitorPageRow).where(
                MonitorPageRow.run_id == self.run_id, MonitorPageRow.status == "pending",
                MonitorPageRow.kind == "archive")))
        for arc in archives:
            self._archive(arc)

    def _archive(self, arc: MonitorPageRow) -> None:
        """Read one archive record by record; records already done in this run are skipped."""
        with self.factory() as s:
            done = set(s.scalars(select(MonitorPageRow.key_sha).where(
                MonitorPageRow.run_id == self.run_id, MonitorPageRow.kind == "record",
                MonitorPageRow.status == "done")))
        n = 0
        failure: Rejected | None = None
        batch: list[ArchivedPage] = []
        for item in iter_archive(arc.url):
            if isinstance(item, Rejected):
                failure = item
                break
            n += 1
            if _sha(item.key) in done:
                continue
            batch.append(item)
            if len(batch) >= ARCHIVE_BATCH:
                self._archive_batch(batch)
                batch = []
        self._archive_batch(batch)
        with transaction(self.factory) as s:
            if failure is not None:
                self._finish_row(s, arc.id, "rejected", failure.reason, f"after {n} records: {failure.detail}")
            else:
                self._finish_row(s, arc.id, "discovered", None, f"{n} records")
        self._progress(arc.url, "rejected" if failure else "discovered")

    def _archive_batch(self, items: list[ArchivedPage]) -> None:
        """Analyse a batch of records, then store them all in one transaction.

        If that transaction fails, each record is stored in its own; a record that
        fails alone is recorded as ``rejected``/``processing_error``.
        """
        if not items:
            return
        steps: list[_Step] = []
        for item in items:
            try:
                steps.append(self._record_step(item))
            except Exception as exc:  # noqa: BLE001 - recorded as the record's outcome
                log.exception("processing %s failed", item.key)
                steps.append(_Step("rejected", "processing_error", f"{type(exc).__name__}: {exc}"))
        try:
            with transaction(self.factory) as s:
                outcomes = []
                plain: list[dict[str, Any]] = []
                for item, step in zip(items, steps, strict=True):
                    if step.analysis is not None and step.analysis.items:
                        outcomes.append(self._store(s, self._record_row(s, item), step, item.key))
                    else:  # nothing to link to the row: insert it finished, many rows per statement
                        plain.append({
                            **self._row(item.key, item.url, "record", status="done"), "http_status": item.status,
                            "content_type": item.content_type, "capture": item.key, "outcome": step.outcome,
                            "reason": step.reason, "detail": step.detail[:2000] or None,
                        })
                        outcomes.append(step.outcome)
                _insert_ignore(s, plain)
        except Exception as exc:  # noqa: BLE001 - redone record by record below, each failure recorded
            log.warning("archive batch failed (%s); storing record by record", exc)
            outcomes = []
            for item, step in zip(items, steps, strict=True):
                try:
                    with transaction(self.factory) as s:
                        outcomes.append(self._store(s, self._record_row(s, item), step, item.key))
                except Exception as exc1:  # noqa: BLE001 - recorded as the record's outcome
                    log.exception("storing %s failed", item.key)
                    with transaction(self.factory) as s:
                        self._finish_row(s, self._record_row(s, item), "rejected", "processing_error",
                                         f"{type(exc1).__name__}: {exc1}")
                    outcomes.append("rejected")
        self.n_rows += len(items)
        for item, outcome in zip(items, outcomes, strict=True):
            self.processed_now += 1
            self._progress(item.url, outcome)

    def _record_row(self, s: Session, item: ArchivedPage) -> int:
        sha = _sha(item.key)
        _insert_ignore(s, [{**self._row(item.key, item.url, "record", status="fetched"),
                            "http_status": item.status, "content_type": item.content_type, "capture": item.key}])
        row_id = s.scalar(select(MonitorPageRow.id).where(
            MonitorPageRow.run_id == self.run_id, MonitorPageRow.key_sha == sha))
        assert row_id is not None
        return int(row_id)

    def _record_step(self, item: ArchivedPage) -> _Step:
        if item.status is not None and not 200 <= item.status < 300:
            return _Step("rejected", "archived_status", f"HTTP {item.status}")
        ctype = sniff(item.content_type, item.body)
        if ctype is None or not item.body.strip():
            return _Step("rejected", "unsupported_content_type", item.content_type or "")
        return self._analyse("record", 0, item.url, item.body, ctype, _parse_warc_date(item.date))

    def _pending(self, limit: int, busy: set[int], host_load: Counter[str]) -> list[MonitorPageRow]:
        per_host = self.config.fetch.per_host_concurrency
        full = [h for h, n in host_load.items() if n >= per_host]  # hosts at their limit wait; others go ahead
        q = select(MonitorPageRow).where(
            MonitorPageRow.run_id == self.run_id, MonitorPageRow.status == "pending", MonitorPageRow.kind != "archive")
        if full:
            q = q.where(MonitorPageRow.host.not_in(full))
        with self.factory() as s:
            rows = list(s.scalars(q.order_by(MonitorPageRow.id).limit(limit + len(busy) + 200)))
        out: list[MonitorPageRow] = []
        for r in rows:
            if r.id in busy or host_load[r.host] >= per_host:
                continue
            host_load[r.host] += 1
            out.append(r)
            if len(out) >= limit:
                break
        return out

    def _fetch_loop(self, writer: CaptureWriter) -> None:
        cfg = self.config.fetch
        with Fetcher(cfg, transport=self.transport) as fetcher, ThreadPoolExecutor(max(1, cfg.concurrency)) as pool:
            in_flight: dict[Future[FetchResult], MonitorPageRow] = {}
            host_load: Counter[str] = Counter()
            while True:
                room = cfg.concurrency - len(in_flight)
                if room > 0:
                    for row in self._pending(room, {r.id for r in in_flight.values()}, host_load):
                        in_flight[pool.submit(fetcher.fetch, row.url)] = row
                if not in_flight:
                    break
                done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                for fut in done:
                    row = in_flight.pop(fut)
                    host_load[row.host] -= 1
                    result = fut.result()
                    if result.ok:
                        self._handle_fetched(row, result, writer)
                    else:
                        self._record_fetch_error(row, result)

    def run(self) -> RunReport:
        t0 = time.monotonic()
        if self.processor is None:
            try:
                self.processor = ScanProcessor(self.factory)
            except ImportError as exc:
                raise ConfigError(f"the scanner is not available ({exc}); install newsrights fully") from exc
        self._open()
        writer = CaptureWriter(self.captures_dir, prefix="newsrights-" + _slug(self.config.run_name))
        try:
            self._recover_fetched()
            self._archives()
            self._fetch_loop(writer)
        finally:
            writer.close()
        with transaction(self.factory) as s:
            run = s.get(MonitorRunRow, self.run_id)
            assert run is not None
            run.status, run.finished_at, run.updated_at = "finished", _now(), _now()
        report = build_report(self.factory, self.run_id, resumed=self.resumed, elapsed=time.monotonic() - t0)
        report.fetched_now, report.processed_now = self.fetched_now, self.processed_now
        report.repaired_warcs = writer.repaired
        if self.capped:
            report.reasons["frontier_capped"] = self.capped
        with transaction(self.factory) as s:
            run = s.get(MonitorRunRow, self.run_id)
            assert run is not None
            run.report_json = json.dumps(report.to_json(), ensure_ascii=False, default=str)
        return report


@dataclass
class _Step:
    """The outcome of reading one page, and what storing it will write."""

    outcome: str
    reason: str | None = None
    detail: str = ""
    children: list[tuple[str, int, list[str]]] = field(default_factory=list)
    analysis: Analysis | None = None


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:60]


def _parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def build_report(factory: sessionmaker[Session], run_id: int, *, resumed: bool = False, elapsed: float = 0.0) -> RunReport:
    """Counts of one run from the database (works on finished and on interrupted runs)."""
    with factory() as s:
        run = s.get(MonitorRunRow, run_id)
        if run is None:
            raise LookupError(f"no monitoring run {run_id}")
        P = MonitorPageRow
        outcomes = {o or "pending": n for o, n in s.execute(
            select(P.outcome, func.count()).where(P.run_id == run_id, P.kind != "archive").group_by(P.outcome))}
        reasons = {f"{o}:{r}": n for o, r, n in s.execute(
            select(P.outcome, P.reason, func.count()).where(P.run_id == run_id, P.reason.is_not(None))
            .group_by(P.outcome, P.reason))}
        pages = s.scalar(select(func.count()).where(P.run_id == run_id, P.kind != "archive")) or 0
        errors: dict[str, dict[str, int]] = defaultdict(dict)
        for host, reason, n in s.execute(
            select(P.host, P.reason, func.count()).where(P.run_id == run_id, P.outcome == "fetch_error")
            .group_by(P.host, P.reason)
        ):
            errors[host or "-"][reason or "-"] = n
        F = MonitorFindingRow
        verdicts = {v or "none": n for v, n in s.execute(
            select(F.verdict, func.count(func.distinct(F.finding_id))).where(F.run_id == run_id).group_by(F.verdict))}
        earlier = select(F.finding_id).where(F.run_id < run_id, F.run_id.in_(
            select(MonitorRunRow.id).where(MonitorRunRow.name == run.name)))
        new_rows = s.execute(
            select(F.finding_id, F.article_id, F.label, F.verdict, P.url)
            .join(P, P.id == F.page_id)
            .where(F.run_id == run_id, F.finding_id.not_in(earlier)).order_by(F.finding_id)
        ).all()
        seen: set[int] = set()
        new_findings = []
        for fid, art, label, verdict, url in new_rows:
            if fid in seen:
                continue
            seen.add(fid)
            new_findings.append({"finding_id": fid, "article_id": art, "label": label, "verdict": verdict, "page_url": url})
        return RunReport(
            run_id=run_id, name=run.name, status=run.status, resumed=resumed, started_at=_aware(run.started_at),  # type: ignore[arg-type]
            finished_at=_aware(run.finished_at), elapsed=elapsed, pages=pages, outcomes=outcomes, reasons=reasons,
            verdicts=verdicts, new_findings=new_findings, errors_by_host=dict(errors),
        )


def run_monitor(
    factory: sessionmaker[Session],
    config: MonitorConfig,
    *,
    captures_dir: str | Path,
    processor: PageProcessor | None = None,
    transport: httpx.BaseTransport | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> RunReport:
    """Run (or resume) the monitoring run of ``config`` to its end; see the module docstring."""
    return MonitorRun(factory, config, captures_dir=Path(captures_dir), processor=processor,
                      transport=transport, on_progress=on_progress).run()


def list_runs(session: Session, *, name: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Recent runs, newest first, with their stored reports."""
    q = select(MonitorRunRow).order_by(MonitorRunRow.id.desc()).limit(limit)
    if name:
        q = q.where(MonitorRunRow.name == name)
    return [
        {"run_id": r.id, "name": r.name, "status": r.status, "started_at": _aware(r.started_at).isoformat(),  # type: ignore[union-attr]
         "finished_at": _aware(r.finished_at).isoformat() if r.finished_at else None,  # type: ignore[union-attr]
         "report": json.loads(r.report_json) if r.report_json else None}
        for r in session.scalars(q)
    ]


def page_outcomes(session: Session, run_id: int) -> list[dict[str, Any]]:
    """Every frontier row of a run with its outcome (for reports and tests)."""
    P = MonitorPageRow
    return [
        {"id": r.id, "url": r.url, "kind": r.kind, "status": r.status, "outcome": r.outcome, "reason": r.reason,
         "http_status": r.http_status, "capture": r.capture, "n_findings": r.n_findings, "host": r.host}
        for r in session.scalars(select(P).where(P.run_id == run_id).order_by(P.id))
    ]


def monitor_folder(
    factory: sessionmaker[Session],
    folder: str | Path,
    *,
    captures_dir: str | Path,
    name: str = "demo",
    on_progress: Callable[[Progress], None] | None = None,
) -> RunReport:
    """Serve ``folder`` on loopback (:func:`~newsrights.crawl.local_site.serve_folder`) and monitor it.

    The hook ``newsrights demo`` calls: the site root (when ``index.html`` exists,
    links followed one level), ``sitemap.xml`` and ``feed.xml``/``rss.xml`` when
    present, otherwise every ``*.html`` file of the folder as a page. Only the
    loopback server's own address is allowed past the address guard.
    """
    from newsrights.crawl.fetcher import FetchConfig
    from newsrights.crawl.local_site import serve_folder

    folder = Path(folder)
    with serve_folder(folder) as site:
        sources: list[Source] = []
        if (folder / "index.html").is_file():
            sources.append(Source("site", site.url + "/", 1))
        if (folder / "sitemap.xml").is_file():
            sources.append(Source("sitemap", site("sitemap.xml")))
        for feed in ("feed.xml", "rss.xml", "atom.xml"):
            if (folder / feed).is_file():
                sources.append(Source("feed", site(feed)))
        if not sources:
            sources = [Source("page", site(p.relative_to(folder).as_posix())) for p in sorted(folder.rglob("*.html"))]
        fetch = FetchConfig(allow_networks=(f"{site.host}/32",), delay=0.0, concurrency=4, per_host_concurrency=4,
                            connect_timeout=5, read_timeout=10, total_timeout=20, retries=1, backoff=0.1)
        # the port changes each time: name the run so runs of one demo compare with each other
        cfg = MonitorConfig(sources=tuple(sources), name=name, fetch=fetch, max_pages=10_000)
        return run_monitor(factory, cfg, captures_dir=captures_dir, on_progress=on_progress)
