"""Catalog use cases: ingest the publisher's articles, keep their versions, answer who owns what.

Ingest is idempotent and crash-safe:

* an article's id is derived from its stable URI (:func:`article_id_for`), so
  the same page always lands on the same article;
* the same content (same ``Article.sha256``) as the current version → nothing
  is written (``unchanged``); a changed page → a new version; re-running a
  batch never doubles anything;
* a batch commits in chunks (one transaction each): a bad record is counted
  as rejected and the batch goes on, and a killed process loses at most the
  chunk in flight, which a re-run completes.

Ownership is decided with the declaration in force for the article's site on
its publication date (:func:`declaration_in_force`); a page that carries
another site's declaration is judged under that one; otherwise the
publisher's packaged declaration applies.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core.declaration import (
    Declaration,
    is_publisher_name,
    parse_declaration,
    publisher_declaration,
)
from newsrights.core.model import CHINA_TZ, Article, Ownership, Rejected
from newsrights.core.ownership import classify
from newsrights.core.timeline import china_date, in_force
from newsrights.errors import InputError
from newsrights.storage.db import read_rows, transaction
from newsrights.storage.tables.catalog import ArticleRow, ArticleVersionRow, DeclarationRow, SiteRow

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 200


class ArticleNotFound(InputError):
    """No article with that id in the catalog."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One catalog article at one version (the current one unless asked otherwise)."""

    id: str
    uri: str
    article: Article
    ownership: Ownership
    sha256: str
    version: int
    ingested_at: datetime
    raw_sha256: str | None = None
    declaration_version: str | None = None
    first_ingested_at: datetime | None = None
    versions: int = 1

    def to_json(self, *, body: bool = True) -> dict[str, Any]:
        d = self.article.to_json()
        if not body:
            d.pop("body", None)
            d.pop("declaration", None)
        d.update(
            {
                "id": self.id,
                "uri": self.uri,
                "sha256": self.sha256,
                "raw_sha256": self.raw_sha256,
                "version": self.version,
                "versions": self.versions,
                "ingested_at": self.ingested_at.isoformat(),
                "first_ingested_at": self.first_ingested_at.isoformat() if self.first_ingested_at else None,
                "ownership": self.ownership.to_json(),
                "declaration_version": self.declaration_version,
            }
        )
        return d


@dataclass
class IngestReport:
    """What an ingest did: counts of new articles, new versions, unchanged and rejected records."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejected] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    ownership: Counter[str] = field(default_factory=Counter)

    MAX_KEPT = 1000

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def seen(self) -> int:
        return self.new + self.updated + self.unchanged + self.rejected_total

    def reject(self, r: Rejected) -> None:
        self.rejected[r.reason] += 1
        if len(self.rejections) < self.MAX_KEPT:
            self.rejections.append(r)

    def to_json(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": dict(sorted(self.rejected.items())),
            "rejected_total": self.rejected_total,
            "ownership": dict(sorted(self.ownership.items())),
            "rejections": [r.to_json() for r in self.rejections],
            "article_ids": list(self.article_ids),
        }


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; they were stored as UTC."""
    if dt is None:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _utc(dt: datetime | None) -> datetime | None:
    """Store times as UTC: SQLite keeps no zone, so every stored time means UTC."""
    if dt is None:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=CHINA_TZ)).astimezone(UTC)


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def article_id_for(article: Article) -> str:
    """The stable catalog id of an article: ``art_`` + 16 hex of sha256(its stable URI)."""
    return "art_" + _sha(article.stable_uri)[:16]


#: The calendar date in China of a moment (public home: :func:`newsrights.core.timeline.china_date`).
_date_of = china_date


# --------------------------------------------------------------------------- declarations


def _ensure_site(session: Session, site: str) -> None:
    if session.get(SiteRow, site) is None:
        session.add(SiteRow(id=site, name=site, created_at=_now()))
        session.flush()


def add_declaration(
    session: Session, site: str, text: str, effective: date | None, *, version: str | None = None
) -> Declaration:
    """Register a version of ``site``'s declaration, in force from ``effective``.

    Idempotent: the same site and version with the same text returns the stored
    one; the same version with a different text is refused (give a new version).
    """
    if not text.strip():
        raise InputError(f"the declaration for {site!r} is empty")
    decl = parse_declaration(text, site=site, effective=effective, version=version)
    _ensure_site(session, site)
    row = session.scalars(
        select(DeclarationRow).where(DeclarationRow.site_id == site, DeclarationRow.version == decl.version)
    ).first()
    if row is not None:
        if row.sha256 != decl.sha256:
            raise InputError(
                f"declaration {site!r} version {decl.version!r} is already registered with a different text; "
                "register the new text with another --effective date or version"
            )
        return decl
    session.add(
        DeclarationRow(
            site_id=site,
            version=decl.version,
            effective=effective,
            text=text,
            sha256=decl.sha256,
            parsed=decl.to_json(),
            created_at=_now(),
        )
    )
    session.flush()
    return decl


@lru_cache(maxsize=256)
def _parse_cached(text: str, site: str, effective: date | None, version: str) -> Declaration:
    return parse_declaration(text, site=site, effective=effective, version=version)


@lru_cache(maxsize=1024)
def _parse_page(text: str) -> Declaration:
    return parse_declaration(text)


def declaration_from_row(row: DeclarationRow) -> Declaration:
    """The stored declaration, parsed again from its text (cached: parsing is pure)."""
    return _parse_cached(row.text, row.site_id, row.effective, row.version)


#: Old private names, kept for callers not yet switched (public homes: :func:`declaration_from_row`,
#: :func:`newsrights.core.timeline.in_force`).
_decl_from_row = declaration_from_row
_pick = in_force


def declaration_in_force(session: Session, site: str, on: date | datetime | None) -> Declaration | None:
    """The declaration of ``site`` in force on ``on`` (a date or datetime; None: the newest), or None."""
    rows = list(session.scalars(select(DeclarationRow).where(DeclarationRow.site_id == site)))
    row = in_force(rows, china_date(on))
    return declaration_from_row(row) if row is not None else None


def list_declarations(session: Session, site: str | None = None) -> list[dict[str, Any]]:
    q = select(DeclarationRow).order_by(DeclarationRow.site_id, DeclarationRow.effective, DeclarationRow.id)
    if site:
        q = q.where(DeclarationRow.site_id == site)
    return [
        {"site": r.site_id, "version": r.version, "effective": r.effective.isoformat() if r.effective else None,
         "sha256": r.sha256, "created_at": _aware(r.created_at).isoformat()}  # type: ignore[union-attr]
        for r in session.scalars(q)
    ]


class _DeclarationBook:
    """Chooses the declaration for each article during one ingest (registered versions cached)."""

    def __init__(self, session: Session | None, fixed: Declaration | None) -> None:
        self.fixed = fixed
        self.rows: dict[str, list[DeclarationRow]] = {}
        if session is not None:
            for r in session.scalars(select(DeclarationRow)):
                self.rows.setdefault(r.site_id, []).append(r)
        self.parsed_rows: dict[int, Declaration] = {}
        self.default = publisher_declaration()

    def _registered(self, site: str | None, on: date | None) -> Declaration | None:
        if not site or site not in self.rows:
            return None
        row = in_force(self.rows[site], on)
        if row is None:
            return None
        if row.id not in self.parsed_rows:
            self.parsed_rows[row.id] = declaration_from_row(row)
        return self.parsed_rows[row.id]

    def _page(self, article: Article) -> Declaration | None:
        """The page's own declaration: its declaration block plus, when there is a block (so the
        notice is page furniture too), its copyright notice line. A notice without a block (a ninjs
        ``copyrightNotice``, a feed's ``rights``) is the item's own marking, for :func:`classify`."""
        parts = [article.declaration or ""]
        if parts[0].strip() and article.copyright_notice and article.copyright_notice not in parts[0]:
            parts.append(article.copyright_notice)
        text = "\n".join(p for p in parts if p.strip())
        if not text:
            return None
        return _parse_page(text)

    def for_article(self, article: Article) -> Declaration:
        """Registered version for the article's site and date; else the page's own declaration when
        it names a site or holder other than the publisher; else the publisher's declaration."""
        if self.fixed is not None:
            return self.fixed
        on = china_date(article.published)
        page = self._page(article)
        for site in (article.site, page.site if page else None):
            found = self._registered(site, on)
            if found is not None:
                return found
        if page is not None:
            names = [n for n in (page.site, page.holder, page.operator) if n]
            if names and not any(is_publisher_name(n) for n in names):
                return page  # another site's page, judged under that site's own declaration
        return self._registered(self.default.site, on) or self.default


def choose_declaration(article: Article) -> Declaration:
    """The declaration an article is judged under when there is no database: the page's own
    declaration when it is another site's, else the publisher's packaged one."""
    return _DeclarationBook(None, None).for_article(article)


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class _Prepared:
    article: Article
    id: str
    uri: str
    sha256: str
    declaration: Declaration


def _prepare(article: Article, decl: Declaration) -> _Prepared:
    """What is needed to look the article up (errors here reject one record)."""
    return _Prepared(article, article_id_for(article), article.stable_uri, article.sha256, decl)


def _version_values(p: _Prepared, ownership: Ownership) -> dict[str, Any]:
    """The columns of a new version: every field of the article, its ownership and digests."""
    article = p.article
    return {
        "sha256": p.sha256,
        "raw_sha256": article.raw_sha256,
        "title": article.title,
        "published": _utc(article.published),
        "source": article.source,
        "editor": article.editor,
        "responsible_editor": article.responsible_editor,
        "original_title": article.original_title,
        "dateline": article.dateline,
        "byline": article.byline,
        "site": article.site or p.declaration.site,
        "url": article.url,
        "uri": article.uri,
        "language": article.language,
        "origin": article.origin or "",
        "fetched": _utc(article.fetched),
        "body": list(article.body),
        "credit_lines": list(article.credit_lines),
        "furniture": list(article.furniture),
        "extra": [[str(k), str(v)] for k, v in article.extra],
        "declaration_text": article.declaration,
        "copyright_notice": article.copyright_notice,
        "ownership": ownership.to_json(),
        "ownership_class": ownership.class_,
        "declaration_version": ownership.declaration_version,
    }


def _store_chunk(session: Session, chunk: list[_Prepared]) -> list[tuple[str, Ownership | None]]:
    """Write prepared articles in one transaction; per item ``new``/``updated``/``unchanged`` and the
    ownership decided (only new content is classified: unchanged content keeps its stored decision).

    Bulk: existing rows are read in one query, then new ``articles`` rows are inserted,
    changed ones updated and the new ``article_versions`` inserted, each as one
    executemany (articles before their versions). The same article twice in a chunk is
    handled as two successive ingests (the second one is a new version or unchanged)."""
    now = _now()
    ids = sorted({p.id for p in chunk})
    known: dict[str, tuple[int, str]] = {
        aid: (ver, sha)
        for aid, ver, sha in session.execute(
            select(ArticleRow.id, ArticleRow.current_version, ArticleRow.sha256).where(ArticleRow.id.in_(ids))
        )
    }
    inserted: dict[str, dict[str, Any]] = {}  # new articles rows, by id (final values)
    changed: dict[str, dict[str, Any]] = {}  # existing articles rows to update, by id (final values)
    versions: list[dict[str, Any]] = []
    outcomes: list[tuple[str, Ownership | None]] = []
    for p in chunk:
        have = known.get(p.id)
        if have is not None and have[1] == p.sha256:
            outcomes.append(("unchanged", None))
            continue
        version = 1 if have is None else have[0] + 1
        a = p.article
        ownership = classify(a, p.declaration, publisher=publisher_declaration())
        values = _version_values(p, ownership)
        summary = {
            "url": a.url, "site": values["site"], "current_version": version, "sha256": p.sha256,
            "title": a.title, "published": values["published"], "ownership_class": ownership.class_,
            "holder": ownership.holder, "updated_at": now,
        }
        if have is None or p.id in inserted:
            row = inserted.setdefault(p.id, {"id": p.id, "uri": p.uri, "uri_sha256": _sha(p.uri), "created_at": now})
            row.update(summary)
        else:
            changed[p.id] = {"b_id": p.id, **summary}
        known[p.id] = (version, p.sha256)
        versions.append({"article_id": p.id, "version": version, "ingested_at": now, **values})
        outcomes.append(("new" if version == 1 else "updated", ownership))
    articles = cast(Table, ArticleRow.__table__)
    if inserted:
        session.execute(insert(articles), list(inserted.values()))
    if changed:
        session.execute(
            update(articles).where(articles.c.id == bindparam("b_id")),
            list(changed.values()),
            execution_options={"synchronize_session": False},
        )
    if versions:
        session.execute(insert(cast(Table, ArticleVersionRow.__table__)), versions)
    return outcomes


def ingest(
    factory: sessionmaker[Session],
    items: Iterable[Article | Rejected],
    *,
    site_declaration: Declaration | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[Article | Rejected, str], None] | None = None,
) -> IngestReport:
    """Ingest ``items`` (as :func:`newsrights.ingest.read_path` yields them) into the catalog.

    ``site_declaration`` forces one declaration for every article; otherwise
    each is judged under the declaration in force for its site and date.
    ``progress(item, outcome)`` is called once per item. Returns the counts.
    """
    report = IngestReport()
    with factory() as s:
        book = _DeclarationBook(s, site_declaration)
    chunk: list[_Prepared] = []

    def note(item: Article | Rejected, outcome: str) -> None:
        if progress is not None:
            progress(item, outcome)

    def flush() -> None:
        if not chunk:
            return
        try:
            with transaction(factory) as session:
                outcomes = _store_chunk(session, chunk)
        except Exception as exc:  # one bad row must not sink the chunk: retry one by one
            log.warning("chunk of %d failed (%s); storing one by one", len(chunk), exc)
            outcomes = []
            for p in chunk:
                try:
                    with transaction(factory) as session:
                        outcomes += _store_chunk(session, [p])
                except Exception as one_exc:
                    outcomes.append(("rejected", None))
                    report.reject(Rejected(p.article.origin or p.uri, "store_failed", f"{type(one_exc).__name__}: {one_exc}"[:500]))
        for p, (outcome, ownership) in zip(chunk, outcomes, strict=True):
            if outcome == "rejected":
                note(p.article, outcome)
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.article_ids.append(p.id)
            if ownership is not None:
                report.ownership[ownership.class_] += 1
            note(p.article, outcome)
        chunk.clear()

    for item in items:
        if isinstance(item, Rejected):
            report.reject(item)
            note(item, "rejected")
            continue
        try:
            if not item.body or not any(p.strip() for p in item.body):
                raise InputError("the article has no body text")
            prepared = _prepare(item, book.for_article(item))
        except Exception as exc:
            rej = Rejected(item.origin or item.stable_uri, "invalid_article", f"{type(exc).__name__}: {exc}"[:500])
            report.reject(rej)
            note(rej, "rejected")
            continue
        chunk.append(prepared)
        if len(chunk) >= chunk_size:
            flush()
    flush()
    return report


def ingest_paths(
    factory: sessionmaker[Session],
    paths: Iterable[str | Path],
    *,
    site_declaration: Declaration | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[Article | Rejected, str], None] | None = None,
) -> IngestReport:
    """Read files or folders with :func:`newsrights.ingest.read_path` and :func:`ingest` them
    (a path that does not exist is rejected as ``missing``). The call the demo makes."""
    from newsrights.ingest import read_path

    def items() -> Iterator[Article | Rejected]:
        for p in paths:
            path = Path(p)
            if not path.exists():
                yield Rejected(str(path), "missing", "no such file or folder")
                continue
            yield from read_path(path)

    return ingest(factory, items(), site_declaration=site_declaration, chunk_size=chunk_size, progress=progress)


# --------------------------------------------------------------------------- reading


def _article_from(a: ArticleRow, v: ArticleVersionRow) -> Article:
    return Article(
        body=tuple(v.body or ()),
        title=v.title,
        published=_aware(v.published).astimezone(CHINA_TZ) if v.published else None,
        source=v.source,
        editor=v.editor,
        responsible_editor=v.responsible_editor,
        original_title=v.original_title,
        dateline=v.dateline,
        byline=v.byline,
        site=v.site,
        url=v.url,
        uri=v.uri,
        language=v.language,
        declaration=v.declaration_text,
        furniture=tuple(v.furniture or ()),
        credit_lines=tuple(v.credit_lines or ()),
        copyright_notice=v.copyright_notice,
        origin=v.origin or "",
        raw_sha256=v.raw_sha256,
        fetched=_aware(v.fetched),
        extra=tuple((k, val) for k, val in (v.extra or ())),
    )


def _ownership_from(d: dict[str, Any]) -> Ownership:
    return Ownership(
        class_=d["class"],
        holder=d.get("holder"),
        marker=d.get("marker"),
        reasons=tuple(d.get("reasons") or ()),
        declaration_version=d.get("declaration_version"),
    )


def _record(a: ArticleRow, v: ArticleVersionRow, first: datetime | None = None) -> ArticleRecord:
    article = _article_from(a, v)  # published is shown in China time, the publisher's zone
    return ArticleRecord(
        id=a.id,
        uri=a.uri,
        article=article,
        ownership=_ownership_from(v.ownership),
        sha256=v.sha256,
        version=v.version,
        ingested_at=_aware(v.ingested_at),  # type: ignore[arg-type]
        raw_sha256=v.raw_sha256,
        declaration_version=v.declaration_version,
        first_ingested_at=_aware(first) if first else None,
        versions=a.current_version,
    )


def get_article_record(session: Session, article_id: str, version: int | None = None) -> ArticleRecord:
    """The article ``article_id`` at its current version (or at ``version``)."""
    a = session.get(ArticleRow, article_id)
    if a is None:
        raise ArticleNotFound(f"no article {article_id!r} in the catalog (see `newsrights articles list`)")
    v = session.scalars(
        select(ArticleVersionRow).where(
            ArticleVersionRow.article_id == article_id, ArticleVersionRow.version == (version or a.current_version)
        )
    ).first()
    if v is None:
        raise ArticleNotFound(f"article {article_id!r} has no version {version} (it has {a.current_version})")
    first = session.scalar(
        select(func.min(ArticleVersionRow.ingested_at)).where(ArticleVersionRow.article_id == article_id)
    )
    return _record(a, v, first)


@lru_cache(maxsize=1)
def _records_statement() -> Any:
    """The statement of :func:`get_article_records`, built once (building it costs more than running it)."""
    a, v = ArticleRow.__table__.c, ArticleVersionRow.__table__.c
    older = ArticleVersionRow.__table__.alias("older")
    first = select(func.min(older.c.ingested_at)).where(older.c.article_id == a.id).scalar_subquery()
    return (
        select(*(c for c in v if c.name != "id"), a.uri.label("a_uri"), a.current_version.label("a_versions"),
               first.label("a_first"))
        .join_from(ArticleRow.__table__, ArticleVersionRow.__table__,
                   (v.article_id == a.id) & (v.version == a.current_version))
        .where(a.id.in_(bindparam("ids", expanding=True)))
    )


def get_article_records(session: Session, article_ids: Iterable[str]) -> dict[str, ArticleRecord]:
    """Current records of many articles in one Core query (ids not in the catalog are left out);
    each equal to what :func:`get_article_record` returns for it."""
    return records_on(session.connection(), article_ids)


_DBAPI_RECORDS: dict[str, tuple[str, Any, tuple[Any, ...]]] = {}


def records_dbapi(engine: Engine, article_ids: Iterable[str]) -> dict[str, ArticleRecord]:
    """:func:`get_article_records` of the committed state, run on a DBAPI cursor.

    The check path reads a record for most copies it judges; SQLAlchemy's execution of the
    statement (context, result metadata) cost more than the query. Here the same statement,
    compiled once per dialect, runs on the thread's DBAPI connection (``storage.db.read_rows``),
    and each column goes through its type's own result processor (``dialect_impl(...).result_processor``: datetimes, JSON), so the
    records are equal to :func:`get_article_records`' (tested on SQLite and PostgreSQL)."""
    from collections import namedtuple

    ids = sorted(set(article_ids))
    if not ids:
        return {}
    dialect = engine.dialect
    compiled = _DBAPI_RECORDS.get(dialect.name)
    if compiled is None:
        stmt = _records_statement()
        cols = list(stmt.selected_columns)
        record_row = namedtuple("_RecordRow", [c.key for c in cols])  # type: ignore[misc]
        processors = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in cols)
        compiled = _DBAPI_RECORDS.setdefault(dialect.name, (str(stmt.compile(dialect=dialect)), record_row, processors))
    sql, make_row, procs = compiled
    sql = sql.replace("(__[POSTCOMPILE_ids])", "(" + ",".join("?" * len(ids)) + ")")
    out: dict[str, ArticleRecord] = {}
    for raw in read_rows(engine, sql, tuple(ids)):
        row: Any = make_row(*(v if p is None or v is None else p(v) for p, v in zip(procs, raw, strict=True)))
        art = SimpleNamespace(id=row.article_id, uri=row.a_uri, current_version=row.a_versions)
        out[row.article_id] = _record(cast(ArticleRow, art), cast(ArticleVersionRow, row), row.a_first)
    return out


def records_on(conn: Connection, article_ids: Iterable[str]) -> dict[str, ArticleRecord]:
    """:func:`get_article_records` on a Core connection (the check path reads without a session)."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    out: dict[str, ArticleRecord] = {}
    for row in conn.execute(_records_statement(), {"ids": ids}):
        art = SimpleNamespace(id=row.article_id, uri=row.a_uri, current_version=row.a_versions)
        out[row.article_id] = _record(cast(ArticleRow, art), cast(ArticleVersionRow, row), row.a_first)
    return out


def article_history(session: Session, article_id: str) -> list[ArticleRecord]:
    """Every version of an article, oldest first."""
    a = session.get(ArticleRow, article_id)
    if a is None:
        raise ArticleNotFound(f"no article {article_id!r} in the catalog")
    rows = session.scalars(
        select(ArticleVersionRow).where(ArticleVersionRow.article_id == article_id).order_by(ArticleVersionRow.version)
    )
    return [_record(a, v) for v in rows]


def iter_article_records(session: Session, *, batch: int = 500) -> Iterator[ArticleRecord]:
    """Every catalog article at its current version, in id order (streamed in batches)."""
    last = ""
    while True:
        q = (
            select(ArticleRow, ArticleVersionRow)
            .join(
                ArticleVersionRow,
                (ArticleVersionRow.article_id == ArticleRow.id) & (ArticleVersionRow.version == ArticleRow.current_version),
            )
            .where(ArticleRow.id > last)
            .order_by(ArticleRow.id)
            .limit(batch)
        )
        rows = session.execute(q).all()
        if not rows:
            return
        for a, v in rows:
            yield _record(a, v)
        last = rows[-1][0].id


def list_articles(
    session: Session,
    *,
    site: str | None = None,
    ownership: str | None = None,
    holder: str | None = None,
    q: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ArticleRecord]:
    """Current versions, newest publication first, filtered by site, ownership class, holder,
    a literal, case-insensitive substring of the title or URI (``q``) and a publication window."""
    stmt = select(ArticleRow, ArticleVersionRow).join(
        ArticleVersionRow,
        (ArticleVersionRow.article_id == ArticleRow.id) & (ArticleVersionRow.version == ArticleRow.current_version),
    )
    if site:
        stmt = stmt.where(ArticleRow.site == site)
    if ownership:
        stmt = stmt.where(ArticleRow.ownership_class == ownership)
    if holder:
        stmt = stmt.where(ArticleRow.holder == holder)
    if q:  # a literal substring, case-insensitive on SQLite and PostgreSQL alike; % and _ in q are escaped
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(ArticleRow.title.ilike(like, escape="\\"), ArticleRow.uri.ilike(like, escape="\\")))
    if since:
        stmt = stmt.where(ArticleRow.published >= _utc(since))
    if until:
        stmt = stmt.where(ArticleRow.published < _utc(until))
    stmt = stmt.order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id).limit(limit).offset(offset)
    return [_record(a, v) for a, v in session.execute(stmt).all()]


def count_articles(session: Session) -> dict[str, int]:
    """Number of articles per ownership class, and versions in total."""
    out = {cls: n for cls, n in session.execute(select(ArticleRow.ownership_class, func.count()).group_by(ArticleRow.ownership_class))}
    out["articles"] = sum(out.values())
    out["versions"] = session.scalar(select(func.count()).select_from(ArticleVersionRow)) or 0
    return out


def declaration_for_record(session: Session, record: ArticleRecord) -> Declaration:
    """The declaration a stored article was judged under (by its recorded version).

    Versions are named per site (a dated version is named by its effective date), so
    several sites may hold the same version name: the article's own site is preferred,
    then the site its page's declaration names."""
    ver = record.ownership.declaration_version
    default = publisher_declaration()
    if ver == default.version:
        return default
    if ver:
        rows = list(session.scalars(
            select(DeclarationRow).where(DeclarationRow.version == ver).order_by(DeclarationRow.id)
        ))
        if len(rows) > 1:
            sites = [record.article.site]
            if record.article.declaration:
                sites.append(_parse_page(record.article.declaration).site)
            rows.sort(key=lambda r: next((i for i, site in enumerate(sites) if site and r.site_id == site), len(sites)))
        if rows:
            return declaration_from_row(rows[0])
        if record.article.declaration:
            page = parse_declaration(record.article.declaration)
            if page.version == ver:
                return page
    return default


def export_ninjs(
    session: Session, ids: Iterable[str] | None = None, *, ninjs_version: str = "3"
) -> Iterator[dict[str, Any]]:
    """ninjs documents of the given articles (default: all, current versions), with rights fields."""
    from newsrights.core.ninjs_export import to_ninjs

    records: Iterable[ArticleRecord] = (
        (get_article_record(session, i) for i in ids) if ids is not None else iter_article_records(session)
    )
    for rec in records:
        yield to_ninjs(
            rec.article,
            rec.ownership,
            article_id=rec.id,
            declaration=declaration_for_record(session, rec),
            version=rec.version,
            first_created=rec.first_ingested_at or rec.ingested_at,
            version_created=rec.ingested_at if rec.version > 1 else None,
            ninjs_version="2" if ninjs_version == "2" else "3",
        )
