"""Bulk ingest (``catalog.ingest`` with large chunks, executemany per chunk) writes exactly the rows
the one-by-one path (``chunk_size=1``) writes, on SQLite and PostgreSQL: new articles, the same
article twice in one chunk, new versions, unchanged content, and rejected records."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsrights.core.model import CHINA_TZ, Article, Rejected
from newsrights.services import catalog
from newsrights.storage.db import open_db

SKIP = {"created_at", "updated_at", "ingested_at"}  # wall-clock times of the run


def _art(i: int, text: str = "", source: str = "国际在线") -> Article:
    return Article(body=(f"第{i}篇文章的第一段,讲述了一件事情。", text or f"第{i}篇文章的第二段。"),
                   title=f"标题{i}", published=datetime(2024, 5, 1 + i % 28, 8, 30, tzinfo=CHINA_TZ),
                   source=source, url=f"https://news.cri.cn/2024/b{i}.html", origin=f"test:{i}",
                   credit_lines=(f"来源:{source}",), extra=(("column", "国际"),))


def _batch() -> list[Article | Rejected]:
    return [
        _art(1), _art(2), _art(3, source="新华社"),
        _art(2, text="第2篇更正后的第二段。"),  # a new version inside the same chunk
        _art(2, text="第2篇更正后的第二段。"),  # then unchanged
        Rejected("x.bin", "binary_file"),
        Article(body=("  ",), url="https://news.cri.cn/empty.html", origin="empty"),
        _art(4), _art(1),  # unchanged
        _art(3, text="第3篇又一个版本。", source="新华社"),
    ]


def _rows(url: str) -> dict[str, list[dict[str, Any]]]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    out = {}
    with engine.connect() as c:
        for table, order in (("articles", "id"), ("article_versions", "article_id, version")):
            rows = c.execute(sa.text(f"select * from {table} order by {order}")).mappings().all()
            out[table] = [{k: v for k, v in r.items() if k not in SKIP} for r in rows]
    engine.dispose()
    return out


def _twin(db_url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A second empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'one_by_one.sqlite'}"
    from tests.conftest import _fresh_pg_database

    return _fresh_pg_database(os.environ["NEWSRIGHTS_TEST_PG_URL"])


def test_bulk_chunks_write_the_same_rows_as_one_by_one(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    one_url = _twin(db_url, tmp_path)
    one = catalog.ingest(open_db(one_url), _batch(), chunk_size=1)
    factory = open_db(db_url)
    bulk = catalog.ingest(factory, _batch(), chunk_size=500)
    assert one.to_json() == bulk.to_json()
    assert (bulk.new, bulk.updated, bulk.unchanged, bulk.rejected_total) == (4, 2, 2, 2)
    assert _rows(db_url) == _rows(one_url)
    final = [_art(1), _art(2, text="第2篇更正后的第二段。"), _art(3, text="第3篇又一个版本。", source="新华社"), _art(4)]
    again = catalog.ingest(factory, final, chunk_size=500)  # idempotent: the current content again
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    with factory() as s:
        recs = list(catalog.iter_article_records(s))
        assert {r.article.title: r.version for r in recs} == {"标题1": 1, "标题2": 2, "标题3": 2, "标题4": 1}
        rec = catalog.get_article_record(s, catalog.article_id_for(_art(3)))
        assert rec.ownership.class_ == "third_party" and rec.article.extra == (("column", "国际"),)
