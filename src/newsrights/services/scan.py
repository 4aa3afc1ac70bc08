"""Scanning pages for copies of catalog articles: the index kept with the catalog, findings stored.

:class:`Scanner` wraps a :class:`~newsrights.core.matching.detect.Detector` whose
index is stored in the database (``match_sketches`` + ``match_state``):
:meth:`Scanner.open` loads the stored sketches and :meth:`Scanner.sync` brings the
index in line with the catalog (new articles and new versions are sketched and
stored, articles gone from the catalog are withdrawn) — no rebuild. Article texts
are fetched from the catalog only for candidates (an LRU cache keeps recent ones).

A page is matched on its :attr:`Article.text` (body paragraphs joined by
``"\\n\\n"``): span ``page_start``/``page_end`` are offsets into that text, which
is stored with the page (``pages.text``) so they can always be reproduced.

:func:`scan_paths` is the use case behind ``newsrights scan``: pages are read with
:mod:`newsrights.ingest`; single HTML files are first reduced to cheap text
(:func:`newsrights.ingest.html.fast_text`) and only pages with candidates get the
careful extraction. Findings get their verdicts from
:func:`newsrights.services.licensing.attach_verdicts` and are recorded
idempotently (unique per page sha256 + article id + params name) with the page's
raw bytes (zlib).
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core.matching.detect import Detector, Sketch, prepare
from newsrights.core.matching.params import DEFAULT_PARAMS, MatchParams
from newsrights.core.model import PARAGRAPH_SEP, Article, Finding, Rejected, Span
from newsrights.errors import InputError
from newsrights.storage.db import transaction
from newsrights.storage.tables.catalog import ArticleRow, ArticleVersionRow
from newsrights.storage.tables.matching import FindingRow, MatchSketchRow, MatchStateRow, PageRow

log = logging.getLogger(__name__)

_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_MAX_RAW = 20 * 1024 * 1024
#: Articles (re)indexed per transaction by :meth:`Scanner.sync`.
SYNC_CHUNK = 1000
_CATALOG_STAMP = select(
    select(func.max(ArticleVersionRow.__table__.c.id)).scalar_subquery(),
    select(func.count()).select_from(ArticleRow.__table__).scalar_subquery(),
)

def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What :meth:`Scanner.sync` changed in the index."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    total: int = 0

    def to_json(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "removed": self.removed, "total": self.total}


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """A stored finding with its page: url, title, text, raw bytes, content type, capture."""

    id: int
    finding: Finding
    page_id: int
    page_url: str | None
    page_title: str | None
    page_text: str
    content_type: str | None
    capture: str | None
    found_at: datetime
    raw: bytes | None = None

    def to_json(self) -> dict[str, Any]:
        d = self.finding.to_json()
        d.update({"id": self.id, "page_id": self.page_id, "content_type": self.content_type})
        return d


@dataclass
class ScanReport:
    """Counts of one scan run."""

    pages: int = 0
    skipped_cheap: int = 0
    findings: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    index: SyncReport = field(default_factory=SyncReport)
    params: str = ""

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "skipped_cheap": self.skipped_cheap,
            "findings": self.findings,
            "labels": dict(sorted(self.labels.items())),
            "verdicts": dict(sorted(self.verdicts.items())),
            "rejected": dict(sorted(self.rejected.items())),
            "rejected_total": self.rejected_total,
            "index": self.index.to_json(),
            "params": self.params,
        }


class Scanner:
    """The detector over the catalog, its index stored beside the catalog."""

    def __init__(self, factory: sessionmaker[Session], params: MatchParams = DEFAULT_PARAMS) -> None:
        self.factory = factory
        self.params = params
        self.detector = Detector(params, text_source=self._text)
        self._versions: dict[str, tuple[int, str]] = {}
        self._stamp: tuple[Any, ...] | None = None
        self.last_sync = SyncReport()

    @classmethod
    def open(cls, factory: sessionmaker[Session], params: MatchParams | None = None, *, sync: bool = True) -> Scanner:
        """Load the stored index for ``params`` and (by default) sync it with the catalog."""
        scanner = cls(factory, params or DEFAULT_PARAMS)
        scanner.load()
        if sync:
            scanner.sync()
        return scanner

    # ------------------------------------------------------------ index store
    def _text(self, article_id: str) -> str | None:
        """The current text of a candidate article, from its catalog record: read through the
        verdict step's record cache (``services.verdict_cache``), so the article is read once
        to align a copy and to judge it."""
        from newsrights.services.verdict_cache import committed_records

        rec = committed_records(self.factory, (article_id,)).get(article_id)
        return PARAGRAPH_SEP.join(rec.article.body) if rec is not None else None

    def load(self) -> int:
        """Load the stored sketches and df sketch of these params; returns how many articles."""
        name = self.params.name
        with self.factory() as s:
            state = s.get(MatchStateRow, name)
            if state is not None:
                self.detector.load_df_sketch(decode_df(state.df_sketch, self.detector.df_sketch.shape))
            rows = s.execute(
                select(
                    MatchSketchRow.article_id, MatchSketchRow.uri, MatchSketchRow.signature,
                    MatchSketchRow.anchors, MatchSketchRow.chars, MatchSketchRow.version, MatchSketchRow.sha256,
                ).where(MatchSketchRow.params == name).execution_options(yield_per=5000)
            )
            for aid, uri, sig, anchors, chars, version, sha in rows:
                self.detector.add_sketch(Sketch.from_bytes(aid, uri, sig, anchors, chars))
                self._versions[aid] = (version, sha)
        self.detector.compact()
        return len(self._versions)

    def sync(self, *, chunk: int = SYNC_CHUNK, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Index new and changed catalog articles, withdraw those no longer in the catalog.

        Chunked and resumable: the catalog's (id, version, sha256) list is read in one
        query; articles to (re)index are then read ``chunk`` at a time (their current
        bodies in one query per chunk), sketched, and their sketch rows upserted together
        with the df sketch in one transaction per chunk. A killed sync keeps the chunks it
        committed (sketches and df sketch agree) and the next sync continues from there.
        ``progress(done, todo)`` is called after each chunk.
        """
        name = self.params.name
        added = updated = removed = 0
        stamp = self.catalog_stamp()  # taken first: a change made during the sync shows at the next check
        with self.factory() as s:
            current = {
                aid: (ver, sha)
                for aid, ver, sha in s.execute(select(ArticleRow.id, ArticleRow.current_version, ArticleRow.sha256))
            }
        gone = sorted(set(self._versions) - set(current))
        todo = sorted(aid for aid, vs in current.items() if self._versions.get(aid) != vs)
        if gone:
            with transaction(self.factory) as s:
                for i in range(0, len(gone), chunk):
                    part = gone[i : i + chunk]
                    for aid in part:
                        self.detector.remove(aid)
                        del self._versions[aid]
                    s.execute(delete(MatchSketchRow).where(MatchSketchRow.article_id.in_(part),
                                                           MatchSketchRow.params == name))
                removed = len(gone)
                self._save_state(s)
        for i in range(0, len(todo), chunk):
            part = todo[i : i + chunk]
            a, u = self._sync_chunk(part)
            added += a
            updated += u
            if progress is not None:
                progress(min(i + chunk, len(todo)), len(todo))
        if added or updated or removed:
            self.detector.compact()
        self.last_sync = SyncReport(added, updated, removed, len(self._versions))
        self._stamp = stamp
        return self.last_sync

    def catalog_stamp(self) -> tuple[Any, ...]:
        """(highest article version row id, number of articles): changes whenever an article is
        added, gets a new version or leaves the catalog (two index lookups, whatever its size)."""
        with self.factory() as s:
            return tuple(s.connection().execute(_CATALOG_STAMP).one())

    def sync_if_changed(self) -> SyncReport | None:
        """:meth:`sync` when :meth:`catalog_stamp` moved since the last sync, else nothing (None)."""
        if self._stamp is not None and self.catalog_stamp() == self._stamp:
            return None
        return self.sync()

    def _sync_chunk(self, ids: list[str]) -> tuple[int, int]:
        """(Re)index ``ids`` from their current catalog version; one transaction. Returns (added, updated)."""
        from newsrights.services.catalog import get_article_record

        name = self.params.name
        added = updated = 0
        now = _now()
        with transaction(self.factory) as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.uri, ArticleRow.current_version, ArticleRow.sha256,
                       ArticleVersionRow.body)
                .join(ArticleVersionRow, (ArticleVersionRow.article_id == ArticleRow.id)
                      & (ArticleVersionRow.version == ArticleRow.current_version))
                .where(ArticleRow.id.in_(ids))
                .order_by(ArticleRow.id)
            ).all()
            values: list[dict[str, Any]] = []
            for aid, uri, ver, sha, body in rows:
                known = self._versions.get(aid)
                if known is not None and known == (ver, sha):
                    continue
                if known is not None:
                    old = get_article_record(s, aid, known[0]).article.text
                    self.detector.remove(aid, text=old)
                    updated += 1
                else:
                    added += 1
                sk = self.detector.add(aid, uri, PARAGRAPH_SEP.join(body))
                values.append({
                    "article_id": aid, "params": name, "version": ver, "sha256": sha, "uri": sk.uri,
                    "chars": sk.chars, "signature": sk.signature_bytes(), "anchors": sk.anchors_bytes(),
                    "created_at": now,
                })
                self._versions[aid] = (ver, sha)
            if values:
                _upsert_sketches(s, values)
                self._save_state(s)
        return added, updated

    def _save_state(self, s: Session) -> None:
        """Store the df sketch and the article count with the sketches of the same transaction."""
        s.merge(MatchStateRow(params=self.params.name, articles=len(self._versions),
                              df_sketch=encode_df(self.detector.df_sketch), updated_at=_now()))

    # ------------------------------------------------------------------ scan
    def candidates_for_text(self, text: str) -> int:
        """How many candidate articles a (cheap) text has; 0 means no copy can be found in it."""
        return len(self.detector.candidates(prepare(text, self.params)))

    def scan_page(
        self, page: Article, *, raw: bytes | None = None, content_type: str | None = None,
        include_not_derived: bool = False, matched: list[Finding] | None = None,
    ) -> list[Finding]:
        """Findings for one page, with verdicts (:func:`services.licensing.attach_verdicts`).

        ``matched`` passes the detector's findings when the caller already has them.
        """
        from newsrights.services.verdict_cache import judge_committed

        if matched is None:
            matched = self.detector.check(page.text, page_url=page.url or page.origin,
                                          include_not_derived=include_not_derived)
        findings = matched
        if not findings:
            return []
        sha = page_sha256(page, raw)
        now = _now()
        findings = [replace(f, page_sha256=sha, page_title=page.title, found_at=now) for f in findings]
        derived = [f for f in findings if f.label != "not_derived"]
        if derived:  # attach_verdicts on the committed state (no transaction unless a snapshot is new)
            judged = judge_committed(self.factory, page, derived, raw=raw)
            by_id = {f.article_id: f for f in judged}
            findings = [by_id.get(f.article_id, f) for f in findings]
        return findings

    def warm_up(self) -> None:
        """Load every compiled kernel and the verdict step's modules now (about 1.5 s in a new
        process, from numba's cache), so that a server's first checks do not wait for them:
        a check and an alignment of a simplified and a traditional text, and a credit check."""
        from newsrights.core.credit import check_credit
        from newsrights.services import licensing  # noqa: F401  (the verdict step's imports)

        texts = ("国际在线消息：这是一段用于预热的中文文字，它会经过规范化、比对与对齐的每一步。" * 3,
                 "國際在線消息：這是一段用於預熱的繁體中文文字，它會經過規範化、轉換、比對與對齊。" * 3)
        for text in texts:
            self.detector.check(text)
            self.detector.compare_texts(text + "另外一句话。", text)
            check_credit(Article(body=(text,), source="国际在线"), Article(body=(text,), title="预热"))

    def check_text(self, text: str, *, page_url: str = "") -> list[Finding]:
        """Findings (with verdicts) for one bare text."""
        page = Article(body=tuple(p for p in text.split("\n\n")), url=page_url or None, origin=page_url or "text")
        return self.scan_page(page)

    def record(
        self, session: Session, page: Article, findings: list[Finding], *, raw: bytes | None = None,
        capture: str | None = None, content_type: str | None = None,
    ) -> list[int]:
        """Store the page (raw bytes, zlib) and its findings; the same finding twice is stored once.

        Returns the finding ids in the order of ``findings`` (``not_derived`` ones are not stored).
        """
        findings = [f for f in findings if f.label != "not_derived"]
        if not findings:
            return []
        sha = findings[0].page_sha256 or page_sha256(page, raw)
        prow = session.scalar(select(PageRow).where(PageRow.sha256 == sha))
        now = _now()
        if prow is None:
            prow = PageRow(
                sha256=sha, url=page.url, title=page.title, origin=page.origin, content_type=content_type,
                raw_zlib=zlib.compress(raw, 6) if raw is not None else None,
                raw_sha256=hashlib.sha256(raw).hexdigest() if raw is not None else page.raw_sha256,
                text=page.text, capture=capture, fetched=page.fetched, created_at=now,
            )
            session.add(prow)
            session.flush()
        elif capture and not prow.capture:
            prow.capture = capture
        ids: list[int] = []
        for f in findings:
            row = session.scalar(
                select(FindingRow).where(
                    FindingRow.page_sha256 == sha, FindingRow.article_id == f.article_id, FindingRow.params == f.params
                )
            )
            if row is None:
                row = FindingRow(
                    page_id=prow.id, page_sha256=sha, page_url=f.page_url, article_id=f.article_id,
                    article_uri=f.article_uri, params=f.params, label=f.label,
                    article_coverage=f.article_coverage, page_coverage=f.page_coverage,
                    spans=[s.to_json() for s in f.spans], similarity=dict(f.similarity),
                    verdict=f.verdict, verdict_reasons=list(f.verdict_reasons),
                    registry_snapshot=f.registry_snapshot, capture=capture or f.capture,
                    extra={k: v for k, v in f.extra}, found_at=f.found_at or now,
                )
                session.add(row)
                session.flush()
            elif f.verdict is not None and (row.verdict, row.verdict_reasons) != (f.verdict, list(f.verdict_reasons)):
                row.verdict, row.verdict_reasons = f.verdict, list(f.verdict_reasons)
                row.registry_snapshot = f.registry_snapshot
            ids.append(row.id)
        return ids


def encode_df(df: np.ndarray) -> bytes:
    """The df sketch as bytes: sparse (``S`` + positions and counts) while mostly empty, else dense."""
    flat = df.reshape(-1)
    nz = np.flatnonzero(flat)
    if len(nz) * 6 < flat.nbytes // 2:
        return b"S" + zlib.compress(nz.astype("<u4").tobytes() + flat[nz].astype("<u2").tobytes(), 1)
    return b"D" + zlib.compress(flat.astype("<u2").tobytes(), 1)


def decode_df(blob: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`encode_df`."""
    data = zlib.decompress(blob[1:])
    if blob[:1] == b"S":
        n = len(data) // 6
        flat = np.zeros(int(np.prod(shape)), dtype=np.uint16)
        flat[np.frombuffer(data[: 4 * n], dtype="<u4")] = np.frombuffer(data[4 * n :], dtype="<u2")
        return flat.reshape(shape)
    return np.frombuffer(data, dtype="<u2").astype(np.uint16).reshape(shape)


def _upsert_sketches(session: Session, values: list[dict[str, Any]]) -> None:
    """Insert or replace sketch rows in one statement (``ON CONFLICT DO UPDATE`` on SQLite and
    PostgreSQL), so two processes syncing the same catalog at once do not collide."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    cols = ("version", "sha256", "uri", "chars", "signature", "anchors", "created_at")
    if dialect == "sqlite":
        lite = sqlite.insert(MatchSketchRow)
        session.execute(lite.on_conflict_do_update(index_elements=["article_id", "params"],
                                                   set_={c: lite.excluded[c] for c in cols}), values)
        return
    if dialect == "postgresql":
        pg = postgresql.insert(MatchSketchRow)
        session.execute(pg.on_conflict_do_update(index_elements=["article_id", "params"],
                                                 set_={c: pg.excluded[c] for c in cols}), values)
        return
    for v in values:  # pragma: no cover - other databases
        session.merge(MatchSketchRow(**v))


def page_sha256(page: Article, raw: bytes | None) -> str:
    """The page key: sha256 of the raw bytes when known, else of the normalised page text."""
    return hashlib.sha256(raw).hexdigest() if raw is not None else page.sha256


# ---------------------------------------------------------------- queries


def _finding_of(row: FindingRow, page: PageRow) -> Finding:
    return Finding(
        page_url=row.page_url, article_id=row.article_id, article_uri=row.article_uri,
        label=row.label,  # type: ignore[arg-type]
        article_coverage=row.article_coverage, page_coverage=row.page_coverage,
        spans=tuple(Span(**s) for s in row.spans), params=row.params,
        similarity=tuple(row.similarity.items()), page_sha256=row.page_sha256, page_title=page.title,
        verdict=row.verdict,  # type: ignore[arg-type]
        verdict_reasons=tuple(row.verdict_reasons), registry_snapshot=row.registry_snapshot,
        capture=row.capture, found_at=row.found_at, extra=tuple(row.extra.items()),
    )


def _record_of(row: FindingRow, page: PageRow, *, raw: bool) -> FindingRecord:
    return FindingRecord(
        id=row.id, finding=_finding_of(row, page), page_id=page.id, page_url=page.url, page_title=page.title,
        page_text=page.text, content_type=page.content_type, capture=row.capture or page.capture,
        found_at=row.found_at, raw=zlib.decompress(page.raw_zlib) if raw and page.raw_zlib is not None else None,
    )


def get_finding(session: Session, finding_id: int) -> FindingRecord:
    """One stored finding with its page, including the page's raw bytes."""
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise InputError(f"no finding {finding_id}; list them with `newsrights findings list`")
    page = session.get(PageRow, row.page_id)
    assert page is not None
    return _record_of(row, page, raw=True)


def list_findings(
    session: Session, *, article_id: str | None = None, verdict: str | None = None, label: str | None = None,
    page_url: str | None = None, params: str | None = None, limit: int = 100, offset: int = 0,
) -> list[FindingRecord]:
    """Stored findings, newest first, filtered (raw bytes not loaded; see :func:`get_finding`)."""
    stmt = select(FindingRow, PageRow).join(PageRow, PageRow.id == FindingRow.page_id)
    if article_id:
        stmt = stmt.where(FindingRow.article_id == article_id)
    if verdict:
        stmt = stmt.where(FindingRow.verdict == verdict)
    if label:
        stmt = stmt.where(FindingRow.label == label)
    if page_url:
        stmt = stmt.where(FindingRow.page_url == page_url)
    if params:
        stmt = stmt.where(FindingRow.params == params)
    stmt = stmt.order_by(FindingRow.found_at.desc(), FindingRow.id.desc()).limit(limit).offset(offset)
    return [_record_of(r, p, raw=False) for r, p in session.execute(stmt).all()]


def check_text(factory: sessionmaker[Session], text: str, *, params: MatchParams | None = None) -> list[Finding]:
    """Check one text against the catalog (index synced first); findings with verdicts, not stored."""
    return Scanner.open(factory, params).check_text(text)


# ------------------------------------------------------------------ batch


def _files(path: Path) -> Iterator[Path]:
    """Files under ``path`` in the order :func:`newsrights.ingest.read_path` reads them."""
    if path.is_dir():
        yield from sorted(
            (f for f in path.rglob("*") if f.is_file() and not any(p.startswith(".") for p in f.relative_to(path).parts)),
            key=lambda f: f.relative_to(path).as_posix(),
        )
    else:
        yield path


def _raw_of(origin: str) -> bytes | None:
    """The raw bytes behind an ingest origin: a file, or ``file#offset`` of a WARC record's payload."""
    path, _, offset = origin.partition("#")
    p = Path(path)
    try:
        if not offset:
            if p.is_file() and p.stat().st_size <= _MAX_RAW:
                return p.read_bytes()
            return None
        from warcio.archiveiterator import ArchiveIterator

        with p.open("rb") as fh:
            fh.seek(int(offset))
            for record in ArchiveIterator(fh, arc2warc=True):
                return bytes(record.content_stream().read(_MAX_RAW))
    except (OSError, ValueError) as exc:
        log.warning("cannot re-read the raw bytes of %s: %s", origin, exc)
    return None


def iter_pages(
    paths: Iterable[str | Path], scanner: Scanner, report: ScanReport,
    on_rejected: Callable[[Rejected], None] | None = None,
) -> Iterator[tuple[Article, bytes | None]]:
    """Pages to match with their raw bytes when at hand, cheap-first for single HTML files
    (a page whose cheap text has no candidate is counted and skipped). Rejected input is
    counted in ``report.rejected`` by reason, logged and passed to ``on_rejected``."""
    from newsrights.ingest import read_bytes, read_path
    from newsrights.ingest.html import fast_text

    def reject(r: Rejected) -> None:
        report.rejected[r.reason] = report.rejected.get(r.reason, 0) + 1
        log.info("rejected %s: %s %s", r.origin, r.reason, r.detail)
        if on_rejected is not None:
            on_rejected(r)

    for root in paths:
        root = Path(root)
        if not root.exists():
            reject(Rejected(str(root), "unreadable", "no such file or folder"))
            continue
        for f in _files(root):
            items: Iterable[Article | Rejected]
            data: bytes | None = None
            if _is_warc(f):
                yield from _warc_cheap_first(f, scanner, report, reject)
                continue
            if f.suffix.lower() in _HTML_SUFFIXES and f.stat().st_size <= _MAX_RAW:
                data = f.read_bytes()
                try:
                    cheap: str | None = fast_text(data)[1]
                except Exception as exc:  # the careful reader below reports the page properly
                    log.debug("fast_text failed on %s: %s", f, exc)
                    cheap = None
                if cheap and cheap.strip() and scanner.candidates_for_text(cheap) == 0:
                    report.pages += 1
                    report.skipped_cheap += 1
                    continue
                items = read_bytes(data, origin=str(f))
            else:
                items = read_path(f)
            for item in items:
                if isinstance(item, Rejected):
                    reject(item)
                else:
                    yield item, data


def _is_warc(f: Path) -> bool:
    name = f.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return True
    try:
        with f.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith((b"WARC/", b"filedesc"))


def _warc_cheap_first(
    f: Path, scanner: Scanner, report: ScanReport, reject: Callable[[Rejected], None]
) -> Iterator[tuple[Article, bytes | None]]:
    """Pages of a WARC, cheap-first: each HTML payload is reduced with ``fast_text`` and only
    payloads with candidates are read carefully (:func:`newsrights.ingest.read_bytes`, origin
    ``file#offset`` as the WARC reader names it). Records are picked with the WARC reader's own
    rule; a damaged archive gives the pages read so far and one ``truncated_warc``/``bad_warc``."""
    from warcio.archiveiterator import ArchiveIterator

    from newsrights.core.metadata import parse_datetime
    from newsrights.ingest import read_bytes
    from newsrights.ingest.html import fast_text
    from newsrights.ingest.warc import _drain_short, _wanted

    offset = 0
    seen = 0
    with f.open("rb") as fh:
        it = ArchiveIterator(fh, arc2warc=True)
        it.INC_RECORD = ""
        try:
            for record in it:
                ctype = _wanted(record)
                if ctype is None:
                    if _drain_short(record):
                        reject(Rejected(f"{f}#{it.get_record_offset()}", "truncated_warc", "archive ends inside a record"))
                        return
                    continue
                payload = record.content_stream().read(_MAX_RAW + 1)
                short = _drain_short(record)
                offset = it.get_record_offset()
                origin = f"{f}#{offset}"
                if short:
                    reject(Rejected(origin, "truncated_warc", f"archive ends inside a record after {seen} page(s)"))
                    return
                seen += 1
                if len(payload) > _MAX_RAW:
                    reject(Rejected(origin, "too_large", f"payload larger than {_MAX_RAW} bytes"))
                    continue
                if "html" in ctype or not ctype:
                    try:
                        cheap: str | None = fast_text(payload)[1]
                    except Exception:  # the careful reader reports the page properly
                        cheap = None
                    if cheap and cheap.strip() and scanner.candidates_for_text(cheap) == 0:
                        report.pages += 1
                        report.skipped_cheap += 1
                        continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                fetched = parse_datetime(record.rec_headers.get_header("WARC-Date"))
                for item in read_bytes(payload, origin=origin, url=url, content_type=ctype or None, fetched=fetched):
                    if isinstance(item, Rejected):
                        reject(item)
                    else:
                        yield item, payload
            if it.err_count:
                reject(Rejected(f"{f}#{offset}", "truncated_warc", f"{it.err_count} damaged record(s)"))
        except Exception as exc:  # warcio raises EOFError, zlib.error, ArchiveLoadFailed, ValueError…
            reason = "truncated_warc" if isinstance(exc, EOFError | zlib.error) or "truncat" in str(exc).lower() else "bad_warc"
            reject(Rejected(f"{f}#{offset}", reason, f"after {seen} page(s): {type(exc).__name__}: {exc}"))


def scan_paths(
    factory: sessionmaker[Session],
    paths: Iterable[str | Path],
    *,
    params: MatchParams | None = None,
    store: bool = True,
    include_not_derived: bool = False,
    on_finding: Callable[[Finding, int | None], None] | None = None,
    on_page: Callable[[Article], None] | None = None,
    on_rejected: Callable[[Rejected], None] | None = None,
) -> ScanReport:
    """Scan pages under ``paths`` against the catalog; store findings (unless ``store=False``).

    ``on_finding(finding, id)`` is called for each finding as it is found (``id`` is
    the stored finding id, ``None`` when not stored); ``on_page`` once per page read
    carefully; ``on_rejected`` once per rejected input.
    """
    scanner = Scanner.open(factory, params)
    report = ScanReport(index=scanner.last_sync, params=scanner.params.name)
    for page, raw in iter_pages(paths, scanner, report, on_rejected):
        report.pages += 1
        if on_page is not None:
            on_page(page)
        matched = scanner.detector.check(page.text, page_url=page.url or page.origin,
                                         include_not_derived=include_not_derived)
        if matched and raw is None and page.origin:
            raw = _raw_of(page.origin)  # a WARC record or a text file: keep its exact bytes
        findings = scanner.scan_page(page, raw=raw, matched=matched)
        ids: list[int | None] = [None] * len(findings)
        if store and findings:
            with transaction(factory) as s:
                stored = scanner.record(s, page, findings, raw=raw, capture=page.origin or None)
            derived = [i for i, f in enumerate(findings) if f.label != "not_derived"]
            for i, stored_id in zip(derived, stored, strict=True):
                ids[i] = stored_id
        for f, fid in zip(findings, ids, strict=True):
            report.findings += 1
            report.labels[f.label] = report.labels.get(f.label, 0) + 1
            if f.verdict:
                report.verdicts[f.verdict] = report.verdicts.get(f.verdict, 0) + 1
            if on_finding is not None:
                on_finding(f, fid)
    return report
