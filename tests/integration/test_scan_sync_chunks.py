"""The index sync in chunks (``Scanner.sync(chunk=…)``), on SQLite and PostgreSQL: the same stored
index as one pass, resumable after a crash between chunks, and two processes syncing the same
catalog at once do not collide."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from newsrights.core.model import Article
from newsrights.services import catalog
from newsrights.services.scan import Scanner
from newsrights.storage.db import open_db
from newsrights.storage.tables.matching import MatchSketchRow, MatchStateRow
from tests.unit.matching.helpers import zh_article


def _articles(n: int, seed: int = 700) -> list[Article]:
    return [
        Article(body=tuple(zh_article(seed + i).split("\n\n")), title=f"标题{i}",
                url=f"https://news.cri.cn/20240102/s{seed + i}.html", site="news.cri.cn", source="国际在线")
        for i in range(n)
    ]


def _stored(factory) -> tuple[list[tuple], bytes, int]:  # type: ignore[no-untyped-def]
    with factory() as s:
        rows = [
            (r.article_id, r.version, r.sha256, r.uri, r.chars, bytes(r.signature), bytes(r.anchors))
            for r in s.scalars(select(MatchSketchRow).order_by(MatchSketchRow.article_id))
        ]
        state = s.scalars(select(MatchStateRow)).one()
        return rows, bytes(state.df_sketch), state.articles


class Crash(Exception):
    pass


def test_chunked_sync_stores_the_same_index_as_one_pass_and_resumes(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    arts = _articles(7)
    one = open_db(f"sqlite:///{tmp_path / 'one.sqlite'}")
    catalog.ingest(one, arts)
    whole = Scanner.open(one)  # default chunk: everything in one transaction
    assert whole.last_sync.added == 7

    factory = open_db(db_url)
    catalog.ingest(factory, arts)
    first = Scanner.open(factory, sync=False)
    calls: list[tuple[int, int]] = []

    def crash_after_two_chunks(done: int, todo: int) -> None:
        calls.append((done, todo))
        if len(calls) == 2:
            raise Crash

    with pytest.raises(Crash):
        first.sync(chunk=2, progress=crash_after_two_chunks)
    assert calls == [(2, 7), (4, 7)]
    rows, _, count = _stored(factory)
    assert len(rows) == 4 and count == 4  # the committed chunks, with a df sketch that counts them

    again = Scanner.open(factory, sync=False)
    assert len(again.detector) == 4
    rep = again.sync(chunk=2)
    assert (rep.added, rep.updated, rep.removed, rep.total) == (3, 0, 0, 7)
    assert _stored(factory) == _stored(one)  # same sketches, same df sketch, same count
    text = "\n\n".join(arts[5].body)
    assert [f.label for f in again.check_text(text)] == [f.label for f in whole.check_text(text)] == ["whole"]


def test_chunked_sync_updates_and_withdraws(db_url: str) -> None:
    factory = open_db(db_url)
    arts = _articles(5, seed=900)
    catalog.ingest(factory, arts)
    sc = Scanner.open(factory)
    changed = arts[1].with_(body=tuple(zh_article(1999).split("\n\n")))
    catalog.ingest(factory, [changed])
    rep = sc.sync(chunk=2)
    assert (rep.added, rep.updated, rep.removed) == (0, 1, 0)
    assert [f.article_id for f in sc.check_text("\n\n".join(changed.body))] == [catalog.article_id_for(arts[1])]
    assert sc.check_text("\n\n".join(arts[1].body)) == []
    reopened = Scanner.open(factory)
    assert reopened.last_sync.added == reopened.last_sync.updated == 0
    versions = {aid: ver for aid, ver, *_ in _stored(factory)[0]}
    assert versions[catalog.article_id_for(arts[1])] == 2 and sorted(versions.values()) == [1, 1, 1, 1, 2]


def test_two_scanners_syncing_the_same_catalog_do_not_collide(db_url: str) -> None:
    """Two uvicorn workers start on a fresh catalog: both index it; the second upserts."""
    factory = open_db(db_url)
    catalog.ingest(factory, _articles(4, seed=1200))
    a = Scanner.open(factory, sync=False)
    b = Scanner.open(factory, sync=False)
    assert a.sync(chunk=3).added == 4
    assert b.sync(chunk=3).added == 4
    rows, _, count = _stored(factory)
    assert len(rows) == 4 and count == 4


def test_sync_if_changed_skips_an_unchanged_catalog(db_url: str) -> None:
    factory = open_db(db_url)
    arts = _articles(3, seed=1500)
    catalog.ingest(factory, arts[:2])
    sc = Scanner.open(factory)
    assert sc.sync_if_changed() is None  # nothing new: one stamp query, no sync
    catalog.ingest(factory, [arts[2]])
    rep = sc.sync_if_changed()
    assert rep is not None and (rep.added, rep.total) == (1, 3)
    catalog.ingest(factory, [arts[0].with_(body=tuple(zh_article(2500).split("\n\n")))])
    rep = sc.sync_if_changed()
    assert rep is not None and rep.updated == 1
    assert sc.sync_if_changed() is None
