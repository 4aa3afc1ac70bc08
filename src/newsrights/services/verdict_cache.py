"""Per-process caches for the verdict step (:func:`newsrights.services.licensing.attach_verdicts`).

Judging a copy needs the licence registry in force on the copy's date and the catalog
record of the matched article. Both change rarely and are read on every "check this
text", so each process keeps them in memory and asks the database only whether they
are still current:

* **Registry.** :func:`registry_version` reads, in one query, a version stamp of
  everything :func:`~newsrights.services.licensing.registry_on` depends on: the
  licensing generation token (a fresh random token on every write through
  ``services.licensing``: licences, amendments, parties, settings), the number and
  highest id of policy versions, the number of parties, the number and highest id of
  declarations (rows only ever added), and the number of stored registry snapshots.
  :func:`registry_view` keeps one :class:`RegistryView` per database URL and stamp;
  a write made by another process (another uvicorn worker, the CLI) changes the stamp,
  so the next check in this process builds a new view. Within a view, registries are
  memoised by their content key (the policy versions in force and the declaration row
  in force), so the same registry object — and its snapshot id — is reused across
  requests and minutes, and never stands for another date's terms.
* **Snapshots.** A view knows the snapshot ids stored when it was built; a registry whose
  snapshot is already stored is not written again (no write transaction per request).
* **Catalog records.** :func:`article_records` reads the current (version, sha256) of all
  matched articles in one query and returns cached :class:`ArticleRecord` values keyed by
  (database, id, version, sha256); the misses are read with one query
  (:func:`newsrights.services.catalog.get_article_records`). A new version of an article
  has a new key, so a stale record is never served.

**Committed reads.** A check that is not part of a caller's transaction (the scanner's
"check this text", :func:`judge_committed`) reads the committed state: the two per-request
queries — the stamp and the current versions — and the records not cached
(:func:`~newsrights.services.catalog.records_dbapi`) run on the thread's DBAPI connection
(:func:`~newsrights.storage.db.read_rows`: no ORM session, no statement execution
machinery); a session is opened only for the rare work: building a view and storing a new
snapshot. The scanner reads a candidate article's text through the same record cache
(:func:`committed_records`), so an article read to align a copy is not read again to judge it.

The caches are bounded, guarded by one lock, and hold only immutable values.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, cast

from sqlalchemy import Engine, bindparam, select, text
from sqlalchemy.orm import Session

from newsrights.core.model import CHINA_TZ
from newsrights.core.odrl import Party, PolicyVersion, Registry
from newsrights.core.timeline import as_utc
from newsrights.storage.db import read_rows
from newsrights.storage.tables.catalog import ArticleRow, DeclarationRow
from newsrights.storage.tables.licensing import SnapshotRow

#: Catalog records kept per process (LRU).
RECORD_CACHE = 8192
#: Distinct registries kept per view (one per set of policy versions in force × declaration).
REGISTRIES_PER_VIEW = 256

_LOCK = threading.Lock()
_VIEWS: dict[str, RegistryView] = {}
_RECORDS: OrderedDict[tuple[str, str, int, str], Any] = OrderedDict()


@dataclass(frozen=True, slots=True)
class _DeclRow:
    """The columns of a ``declarations`` row that choosing and parsing a declaration reads."""

    id: int
    site_id: str
    version: str
    effective: date | None
    text: str


_ENGINES: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_SERIAL = itertools.count()


def _db_key(session: Session) -> str:
    """The database's URL; an in-memory SQLite database is one engine's own (its URL names no file)."""
    engine = session.get_bind().engine
    url = str(engine.url)
    if url in ("sqlite://", "sqlite:///") or ":memory:" in url or "mode=memory" in url:
        with _LOCK:
            if engine not in _ENGINES:
                _ENGINES[engine] = next(_SERIAL)
            return f"{url}#engine{_ENGINES[engine]}"
    return url


_STAMP_SQL = text(
    "SELECT (SELECT value FROM licensing_settings WHERE key = :generation),"
    " (SELECT count(*) FROM licensing_policy_versions), (SELECT max(id) FROM licensing_policy_versions),"
    " (SELECT count(*) FROM licensing_parties),"
    " (SELECT count(*) FROM declarations), (SELECT max(id) FROM declarations),"
    " (SELECT count(*) FROM licensing_snapshots)"
)
_ARTICLES = ArticleRow.__table__.c
_CURRENT = (  # Core columns, run on the session's connection: no ORM compile step per request
    select(_ARTICLES.id, _ARTICLES.current_version, _ARTICLES.sha256)
    .where(_ARTICLES.id.in_(bindparam("ids", expanding=True)))
)


#: The two per-request queries as DBAPI SQL (``?`` placeholders, rewritten for other paramstyles).
_STAMP_RAW = str(_STAMP_SQL).replace(":generation", "?")
_CURRENT_RAW = "SELECT id, current_version, sha256 FROM articles WHERE id IN ({})"


def registry_version(session: Session) -> tuple[Any, ...]:
    """The version stamp of the registry and of the declarations (one query; see the module doc)."""
    from newsrights.services.licensing import GENERATION

    return tuple(session.connection().execute(_STAMP_SQL, {"generation": GENERATION}).one())


class RegistryView:
    """The registry of one database at one :func:`registry_version`: its state, the publisher's
    declarations and the snapshot ids stored, read once; registries memoised by content."""

    def __init__(self, session: Session, stamp: tuple[Any, ...]) -> None:
        from newsrights.services.licensing import _registry_state

        self.stamp = stamp
        self.state: tuple[Party, tuple[Party, ...], tuple[PolicyVersion, ...], str] = _registry_state(session)
        site = self.state[0].name
        self.declarations = [
            _DeclRow(r.id, r.site_id, r.version, r.effective, r.text)
            for r in session.scalars(select(DeclarationRow).where(DeclarationRow.site_id == site))
        ]
        self.stored: set[str] = set(session.scalars(select(SnapshotRow.id)))
        self._registries: dict[tuple[Any, ...], Registry] = {}
        self._sids: dict[int, tuple[Registry, str]] = {}
        self._lock = threading.Lock()
        # the moments where the registry in force can change: a policy version's start and end,
        # a declaration's effective date (its China-time midnight); between two of them the
        # registry is the same, so registry_on is memoised per interval
        bounds = {as_utc(t) for v in self.state[2] for t in (v.valid_from, v.valid_to) if t is not None}
        bounds |= {datetime.combine(r.effective, time.min, CHINA_TZ).astimezone(UTC)
                   for r in self.declarations if r.effective is not None}
        self._bounds = sorted(bounds)
        self._intervals: dict[int, Registry] = {}

    def registry_on(self, when: date | datetime | str | None) -> Registry:
        """Equal to :func:`newsrights.services.licensing.registry_on` on this view's database
        (memoised per interval between the moments the registry can change)."""
        from newsrights.services.licensing import as_moment

        at = as_utc(as_moment(when))
        interval = bisect_right(self._bounds, at)
        hit = self._intervals.get(interval)
        if hit is not None:
            return hit
        reg = self._registry_at(at)
        with self._lock:
            if len(self._intervals) >= REGISTRIES_PER_VIEW:
                self._intervals.clear()
            self._intervals[interval] = reg
        return reg

    def _registry_at(self, at: datetime) -> Registry:
        from newsrights.core.timeline import china_date
        from newsrights.core.timeline import in_force as row_in_force
        from newsrights.services import catalog
        from newsrights.services.licensing import registry_from

        in_force = tuple(v for v in self.state[2] if v.in_force(at))
        row = row_in_force(cast(Any, self.declarations), china_date(at))
        key = (tuple((v.policy.uid, v.version) for v in in_force), row.id if row is not None else None)
        with self._lock:
            hit = self._registries.get(key)
        if hit is not None:
            return hit
        decl = catalog.declaration_from_row(cast(Any, row)) if row is not None else None
        reg = registry_from(self.state, decl, in_force)
        with self._lock:
            if len(self._registries) >= REGISTRIES_PER_VIEW:
                self._registries.clear()
            return self._registries.setdefault(key, reg)

    def snapshot_id(self, registry: Registry) -> str:
        """``registry.snapshot_id()``, memoised per registry object (hashing a registry to look its
        id up in ``snapshot_id``'s own cache walks all of it; the entry holds the object, so an
        id is never reused while it is remembered)."""
        hit = self._sids.get(id(registry))
        if hit is not None and hit[0] is registry:
            return hit[1]
        sid = registry.snapshot_id()
        with self._lock:
            if len(self._sids) >= 2 * REGISTRIES_PER_VIEW:
                self._sids.clear()
            self._sids[id(registry)] = (registry, sid)
        return sid

    def snapshot(self, session: Session, registry: Registry) -> str:
        """The registry's snapshot id, stored in ``session`` unless this view saw it stored."""
        from newsrights.services.licensing import save_snapshot

        sid = self.snapshot_id(registry)
        if sid in self.stored:
            return sid
        return save_snapshot(session, registry)


def registry_view(session: Session) -> RegistryView:
    """The current :class:`RegistryView` of ``session``'s database (rebuilt when its stamp changed)."""
    return _view(_db_key(session), registry_version(session), lambda stamp: RegistryView(session, stamp))


def _view(db: str, stamp: tuple[Any, ...], build: Callable[[tuple[Any, ...]], RegistryView]) -> RegistryView:
    """The cached view of ``db`` at ``stamp``, else ``build(stamp)``."""
    with _LOCK:
        view = _VIEWS.get(db)
    if view is not None and view.stamp == stamp:
        return view
    view = build(stamp)
    with _LOCK:
        if len(_VIEWS) > 64:
            _VIEWS.clear()
        _VIEWS[db] = view
    return view


def article_records(session: Session, ids: Iterable[str]) -> dict[str, Any]:
    """Current catalog records (:class:`~newsrights.services.catalog.ArticleRecord`) of ``ids`` that
    exist, by id: one query for their versions, one more for those not cached."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    from newsrights.services.catalog import get_article_records

    current = session.connection().execute(_CURRENT, {"ids": wanted}).all()
    return _records(_db_key(session), current, lambda missing: get_article_records(session, missing))


def _records(db: str, current: Iterable[Any], fetch: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
    """The records at the (id, version, sha256) triples ``current``: cached ones, the rest read
    with ``fetch(ids)`` (one query) and cached."""
    out: dict[str, Any] = {}
    missing: list[str] = []
    with _LOCK:
        for aid, ver, sha in current:
            rec = _RECORDS.get((db, aid, ver, sha))
            if rec is None:
                missing.append(aid)
            else:
                _RECORDS.move_to_end((db, aid, ver, sha))
                out[aid] = rec
    if missing:
        fetched = fetch(missing)
        with _LOCK:
            for aid, rec in fetched.items():
                out[aid] = rec
                _RECORDS[(db, aid, rec.version, rec.sha256)] = rec
            while len(_RECORDS) > RECORD_CACHE:
                _RECORDS.popitem(last=False)
    return out


class Committed:
    """Reads of the committed state of one database for checks outside any caller's transaction
    (see the module doc): DBAPI statements per request; sessions only to rebuild a view."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine  # not the session factory: the reader is cached under it (weakly)
        with Session(engine) as s:
            self.db = _db_key(s)

    def view(self) -> RegistryView:
        """The current :class:`RegistryView` (one stamp query; rebuilt when the stamp moved)."""
        from newsrights.services.licensing import GENERATION

        def build(stamp: tuple[Any, ...]) -> RegistryView:
            with Session(self.engine) as s:
                return RegistryView(s, stamp)

        return _view(self.db, read_rows(self.engine, _STAMP_RAW, (GENERATION,))[0], build)

    def records(self, ids: Iterable[str]) -> dict[str, Any]:
        """Current records of ``ids`` that exist (as :func:`article_records`)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        current = read_rows(self.engine, _CURRENT_RAW.format(",".join("?" * len(wanted))), tuple(wanted))
        return _records(self.db, current, self._fetch)

    def _fetch(self, ids: list[str]) -> dict[str, Any]:
        from newsrights.services.catalog import records_dbapi

        return records_dbapi(self.engine, ids)


_COMMITTED: weakref.WeakKeyDictionary[Any, Committed] = weakref.WeakKeyDictionary()


def committed(factory: Any) -> Committed:
    """The :class:`Committed` reader of a session factory (one per factory)."""
    reader = _COMMITTED.get(factory)
    if reader is None:
        reader = _COMMITTED.setdefault(factory, Committed(factory.kw["bind"]))
    return reader


def committed_records(factory: Any, ids: Iterable[str]) -> dict[str, Any]:
    """Current catalog records of ``ids`` in the committed state, through the record cache."""
    return committed(factory).records(ids)


def judge_committed(factory: Any, page: Any, findings: list[Any], *, raw: bytes | str | None = None) -> list[Any]:
    """:func:`newsrights.services.licensing.attach_verdicts` on the committed state, outside any
    caller's transaction: equal verdicts (same view, records and registries), with a write
    transaction only when a registry snapshot is not stored yet."""
    from newsrights.services.licensing import judge_findings
    from newsrights.storage.db import transaction

    reader = committed(factory)
    view = reader.view()
    records = reader.records(f.article_id for f in findings)
    saved: dict[int, str] = {}

    def snapshot(reg: Registry) -> str:
        if id(reg) not in saved:
            sid = view.snapshot_id(reg)
            if sid not in view.stored:
                with transaction(factory) as s:
                    sid = view.snapshot(s, reg)
            saved[id(reg)] = sid
        return saved[id(reg)]

    return judge_findings(page, findings, registry_at=view.registry_on, record_of=records.get, snapshot=snapshot, raw=raw)


def clear() -> None:
    """Forget every cached view and record (tests; a restored database)."""
    with _LOCK:
        _VIEWS.clear()
        _RECORDS.clear()
