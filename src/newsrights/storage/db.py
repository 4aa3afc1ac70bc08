"""Engine, sessions and schema migrations for the catalog.

SQLite (a file, nothing to start) by default; PostgreSQL by URL. The schema
is owned by Alembic: :func:`upgrade` brings any database to the newest
revision. Each area of the product keeps its own migration branch
(``branch_labels``), so the database is at ``heads``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from newsrights.errors import ConfigError, StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


class Base(DeclarativeBase):
    """Declarative base of every table; area modules live in ``storage/tables``."""


#: Bytes of an SQLite file read through a memory map instead of read calls. The check path
#: reads a catalog record (its body in overflow pages) for most copies it judges; mapped, the
#: read took about a fifth less CPU (bench catalog, 100k articles). Address space only: pages
#: are the operating system's file cache, shared by the workers.
SQLITE_MMAP_BYTES = 1 << 31


def json_text(value: Any) -> str:
    """How JSON columns are written: UTF-8 as it is (Chinese text as ``\\uXXXX`` escapes took
    about twice the bytes, and reading it back took longer); a value holding a lone surrogate,
    which UTF-8 cannot carry, keeps the escapes."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys, a busy timeout and a memory map
    (:data:`SQLITE_MMAP_BYTES`); JSON columns are written by :func:`json_text`."""
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=json_text)

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.close()

            return engine
        return create_engine(url, pool_pre_ping=True, json_serializer=json_text)
    except ModuleNotFoundError as exc:  # e.g. psycopg missing
        raise ConfigError(
            f"cannot open {url.split('://')[0]} database: {exc}. "
            "Install the driver: pip install 'newsrights[postgres]'"
        ) from exc


_READERS_LOCK = threading.Lock()


def read_rows(engine: Engine, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one read-only statement, run on this thread's DBAPI connection to ``engine``.

    The hot read path ("check this text": registry stamp, current versions, records) runs a
    few small queries per request; checking a pooled connection out and back in (with its
    reset) cost more than the queries. So each thread keeps one connection of its own for
    these reads (made by the engine's pool, with its connect-time settings, then detached;
    closed when the engine or the thread goes), and ends the read transaction after each
    statement (a rollback; on SQLite a no-op, since a plain SELECT opens none): every
    statement sees the state committed when it runs. ``sql`` uses ``?`` placeholders (rewritten for the
    driver's paramstyle). A connection that fails is closed and the statement tried
    once more on a new one."""
    if engine.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    # kept on the engine (a thread-local there, holding the bare DBAPI connection, detached from
    # the pool): a registry of pooled connections would keep every engine ever used alive
    local = engine.__dict__.get("_newsrights_readers")
    if local is None:
        with _READERS_LOCK:
            local = engine.__dict__.setdefault("_newsrights_readers", threading.local())
    for attempt in (1, 2):
        conn: Any = getattr(local, "conn", None)
        if conn is None:
            fairy = engine.raw_connection()  # made by the pool (its "connect" events ran) …
            fairy.detach()  # … then owned by this thread, outside the pool
            conn = local.conn = fairy.dbapi_connection
        try:
            cur = conn.cursor()
            try:
                cur.execute(sql, params)
                rows = [tuple(r) for r in cur.fetchall()]
            finally:
                cur.close()
            conn.rollback()
            return rows
        except engine.dialect.loaded_dbapi.Error:
            local.conn = None
            try:
                conn.close()
            except Exception:  # pragma: no cover - the connection is gone either way
                pass
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = None
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Run every Alembic migration branch up to its head."""
    from alembic import command

    import newsrights.storage.tables  # noqa: F401  (registers every table)

    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
    except Exception as exc:  # pragma: no cover - message path
        raise StorageError(f"database migration failed on {engine.url!r}: {exc}") from exc


def open_db(url: str, migrate: bool = True) -> sessionmaker[Session]:
    """Engine + migrations + a session factory: the one call shells make."""
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session
