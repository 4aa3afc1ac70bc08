"""The audit log is append-only in the database itself (SQLite and PostgreSQL triggers)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from newsrights.errors import InputError
from newsrights.services import audit
from newsrights.storage.db import open_db, transaction


def test_record_and_list(db_url: str) -> None:
    factory = open_db(db_url)
    with transaction(factory) as s:
        i = audit.record(s, actor="alice", action="update", entity="case", entity_id=7,
                         before={"state": "detected"}, after={"state": "reviewed", "中文": "是"})
    with transaction(factory) as s:
        entries = list(audit.iter_entries(s, entity="case", entity_id="7"))
    assert [e.id for e in entries] == [i]
    assert entries[0].actor == "alice"
    assert entries[0].before == {"state": "detected"}
    assert entries[0].after["中文"] == "是"
    assert entries[0].at.tzinfo is not None


def test_update_and_delete_are_refused(db_url: str) -> None:
    factory = open_db(db_url)
    with transaction(factory) as s:
        audit.record(s, actor="alice", action="create", entity="case", entity_id=1, after={"a": 1})
    stmts = ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"]
    if db_url.startswith("postgresql"):
        stmts.append("TRUNCATE audit_log")
    for stmt in stmts:
        with pytest.raises(DBAPIError, match="append-only"):
            with transaction(factory) as s:
                s.execute(sa.text(stmt))
    with transaction(factory) as s:
        assert [e.actor for e in audit.iter_entries(s)] == ["alice"]


def test_actor_is_required(sqlite_url: str) -> None:
    factory = open_db(sqlite_url)
    with pytest.raises(InputError):
        with transaction(factory) as s:
            audit.record(s, actor=" ", action="create", entity="case", entity_id=1)


def test_limit_newest_gives_the_last_entries_oldest_first(sqlite_url: str) -> None:
    factory = open_db(sqlite_url)
    with transaction(factory) as s:
        ids = [audit.record(s, actor="bob", action="create", entity="claim", entity_id=n, before=None, after={"n": n})
               for n in range(5)]
    with transaction(factory) as s:
        first = [e.id for e in audit.iter_entries(s, limit=2)]
        last = [e.id for e in audit.iter_entries(s, limit=2, newest=True)]
        last_bob = [e.id for e in audit.iter_entries(s, actor="bob", entity="claim", limit=3, newest=True)]
    assert first == ids[:2]
    assert last == ids[-2:]
    assert last_bob == ids[-3:]
