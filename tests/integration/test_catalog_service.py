"""The catalog service on SQLite and PostgreSQL: idempotent ingest, versions, declarations, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from newsrights.core.declaration import publisher_declaration
from newsrights.core.model import CHINA_TZ, Article, Rejected
from newsrights.services import catalog
from newsrights.storage.db import open_db, transaction

ROOT = Path(__file__).resolve().parents[2]


def _art(i: int, *, text: str = "", source: str = "国际在线", **kw: object) -> Article:
    return Article(
        body=(f"第{i}篇文章的第一段,讲述了一件事情。", text or f"第{i}篇文章的第二段。"),
        title=f"标题{i}",
        published=datetime(2024, 5, 1 + i % 28, 8, 30, tzinfo=CHINA_TZ),
        source=source,
        url=f"https://news.cri.cn/2024/a{i}.html",
        origin=f"test:{i}",
        **kw,  # type: ignore[arg-type]
    )


def test_ingest_is_idempotent_and_versions_changes(db_url: str) -> None:
    factory = open_db(db_url)
    arts = [_art(i) for i in range(5)]
    r1 = catalog.ingest(factory, arts)
    assert (r1.new, r1.updated, r1.unchanged, r1.rejected_total) == (5, 0, 0, 0)
    assert r1.ownership == {"owned": 5}
    r2 = catalog.ingest(factory, arts)
    assert (r2.new, r2.updated, r2.unchanged) == (0, 0, 5)
    # the same page changed: a new version of the same article
    changed = _art(2, text="第2篇文章的第二段,已经更正。")
    r3 = catalog.ingest(factory, [changed, changed])
    assert (r3.new, r3.updated, r3.unchanged) == (0, 1, 1)
    aid = catalog.article_id_for(changed)
    assert aid == catalog.article_id_for(arts[2])
    with factory() as s:
        rec = catalog.get_article_record(s, aid)
        assert rec.version == 2 and rec.versions == 2
        assert rec.sha256 == changed.sha256
        assert rec.article.body == changed.body
        assert rec.article.published == changed.published
        assert rec.ingested_at.tzinfo is not None
        assert rec.first_ingested_at is not None and rec.first_ingested_at <= rec.ingested_at
        old = catalog.get_article_record(s, aid, version=1)
        assert old.sha256 == arts[2].sha256
        assert [h.version for h in catalog.article_history(s, aid)] == [1, 2]
        assert len(list(catalog.iter_article_records(s))) == 5
        assert s.scalar(sa.text("select count(*) from article_versions")) == 6
        assert catalog.count_articles(s) == {"owned": 5, "articles": 5, "versions": 6}


def test_rejected_and_bad_records_do_not_stop_the_batch(db_url: str) -> None:
    factory = open_db(db_url)
    items: list[Article | Rejected] = [
        _art(1),
        Rejected("x.bin", "binary_file", "not text"),
        Article(body=(), title="empty", url="https://x.example/e", origin="empty.txt"),
        _art(2),
        Rejected("y.warc", "truncated_warc"),
    ]
    seen: list[str] = []
    r = catalog.ingest(factory, items, chunk_size=1, progress=lambda _i, outcome: seen.append(outcome))
    assert r.new == 2
    assert r.rejected == {"binary_file": 1, "invalid_article": 1, "truncated_warc": 1}
    assert sorted(seen) == ["new", "new", "rejected", "rejected", "rejected"]
    assert {x.origin for x in r.rejections} == {"x.bin", "empty.txt", "y.warc"}


def test_ownership_and_listing(db_url: str, seed_page: Path) -> None:
    from newsrights.ingest import read_path

    factory = open_db(db_url)
    items = list(read_path(seed_page)) + [_art(1), _art(2, source="新华社"), _art(3, source="转载")]
    r = catalog.ingest(factory, items)
    assert r.new == 4
    with factory() as s:
        third = catalog.list_articles(s, ownership="third_party")
        assert {x.ownership.holder for x in third} == {"辽宁日报", "新华社"}
        seed = catalog.list_articles(s, holder="辽宁日报")[0]
        assert seed.article.title == "辽宁省委书记张国清:高标准高起点推动第二批政法队伍教育整顿取得实效"
        assert seed.article.published is not None and seed.article.published.isoformat() == "2021-08-19T09:40:53+08:00"
        assert seed.ownership.declaration_version == "cri-footer-2021"
        assert seed.article.declaration and "国际在线" in seed.article.declaration
        assert [x.ownership.class_ for x in catalog.list_articles(s, q="标题3")] == ["needs_review"]
        window = catalog.list_articles(s, since=datetime(2024, 1, 1, tzinfo=CHINA_TZ))
        assert len(window) == 3


def test_declarations_versioned_by_effective_date(db_url: str) -> None:
    factory = open_db(db_url)
    base = publisher_declaration().text
    newer = base.replace("30日内", "60日内")
    with transaction(factory) as s:
        catalog.add_declaration(s, "国际在线", base, date(2020, 1, 1))
        catalog.add_declaration(s, "国际在线", newer, date(2024, 1, 1))
        catalog.add_declaration(s, "国际在线", newer, date(2024, 1, 1))  # idempotent
    with factory() as s:
        assert catalog.declaration_in_force(s, "国际在线", date(2019, 6, 1)) is None
        d2021 = catalog.declaration_in_force(s, "国际在线", date(2021, 8, 19))
        d2024 = catalog.declaration_in_force(s, "国际在线", datetime(2024, 3, 1, tzinfo=CHINA_TZ))
        assert d2021 is not None and d2021.version == "2020-01-01" and d2021.claim_window.days == 30  # type: ignore[union-attr]
        assert d2024 is not None and d2024.version == "2024-01-01" and d2024.claim_window.days == 60  # type: ignore[union-attr]
        assert catalog.declaration_in_force(s, "其他网站", date(2024, 1, 1)) is None
        # 2023-12-31 17:00 UTC is already 2024-01-01 in China, where the declaration's dates are
        from datetime import UTC
        d_utc = catalog.declaration_in_force(s, "国际在线", datetime(2023, 12, 31, 17, 0, tzinfo=UTC))
        assert d_utc is not None and d_utc.version == "2024-01-01"
        assert len(catalog.list_declarations(s, "国际在线")) == 2
    # articles are judged under the version in force on their date
    old = _art(1).with_(published=datetime(2021, 5, 1, tzinfo=CHINA_TZ), site="国际在线")
    new = _art(2).with_(published=datetime(2024, 5, 1, tzinfo=CHINA_TZ), site="国际在线")
    catalog.ingest(factory, [old, new])
    with factory() as s:
        assert catalog.get_article_record(s, catalog.article_id_for(old)).ownership.declaration_version == "2020-01-01"
        assert catalog.get_article_record(s, catalog.article_id_for(new)).ownership.declaration_version == "2024-01-01"


def test_same_version_different_text_is_refused(sqlite_url: str) -> None:
    import pytest

    from newsrights.errors import InputError

    factory = open_db(sqlite_url)
    with transaction(factory) as s:
        catalog.add_declaration(s, "国际在线", "未经授权不得转载。", date(2020, 1, 1))
    with pytest.raises(InputError, match="different text"), transaction(factory) as s:
        catalog.add_declaration(s, "国际在线", "未经授权不得复制。", date(2020, 1, 1))


def test_missing_article_says_so(sqlite_url: str) -> None:
    import pytest

    factory = open_db(sqlite_url)
    with factory() as s, pytest.raises(catalog.ArticleNotFound, match="articles list"):
        catalog.get_article_record(s, "art_nope")


_SLOW_INGEST = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from newsrights.core.model import CHINA_TZ, Article
    from newsrights.services import catalog
    from newsrights.storage.db import open_db

    def items():
        for i in range(int(sys.argv[2])):
            yield Article(body=(f"第{i}篇正文。",), title=f"t{i}", source="国际在线",
                          published=datetime(2024, 1, 1, tzinfo=CHINA_TZ), url=f"https://news.cri.cn/k{i}.html")
            time.sleep(0.01)

    catalog.ingest(open_db(sys.argv[1]), items(), chunk_size=7)
    """
)


def test_killed_ingest_leaves_a_consistent_catalog_that_a_rerun_completes(db_url: str, tmp_path: Path) -> None:
    n = 300
    factory = open_db(db_url)
    script = tmp_path / "slow_ingest.py"
    script.write_text(_SLOW_INGEST, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, str(script), db_url, str(n)], env=env)
    try:
        deadline = time.monotonic() + 60
        count = 0
        while time.monotonic() < deadline:
            with factory() as s:
                count = s.scalar(sa.text("select count(*) from articles")) or 0
            if count >= 40:
                break
            assert proc.poll() is None, "the ingest ended before it could be killed"
            time.sleep(0.02)
        assert count >= 40
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with factory() as s:
        arts = s.scalar(sa.text("select count(*) from articles"))
        vers = s.scalar(sa.text("select count(*) from article_versions"))
        orphans = s.scalar(sa.text(
            "select count(*) from articles a left join article_versions v "
            "on v.article_id = a.id and v.version = a.current_version where v.id is null"))
    assert 40 <= arts < n, "the kill must land mid-batch"
    assert arts == vers and orphans == 0, "whole chunks only: every article has its version"
    assert arts % 7 == 0, "chunks commit whole"
    items = [Article(body=(f"第{i}篇正文。",), title=f"t{i}", source="国际在线",
                     published=datetime(2024, 1, 1, tzinfo=CHINA_TZ), url=f"https://news.cri.cn/k{i}.html") for i in range(n)]
    r = catalog.ingest(factory, items)
    assert (r.new, r.unchanged, r.updated) == (n - arts, arts, 0)
    with factory() as s:
        assert s.scalar(sa.text("select count(*) from articles")) == n
        assert s.scalar(sa.text("select count(*) from article_versions")) == n


def test_a_foreign_page_is_not_judged_under_the_publishers_registered_declaration(sqlite_url: str) -> None:
    factory = open_db(sqlite_url)
    with transaction(factory) as s:
        catalog.add_declaration(s, "国际在线", publisher_declaration().text, None)
    foreign = _art(9, source=None).with_(declaration="本文为EDN电子技术设计 原创文章，禁止转载。", url="https://www.ednchina.com/x")
    own = _art(10)
    r = catalog.ingest(factory, [foreign, own])
    assert r.new == 2
    with factory() as s:
        f = catalog.get_article_record(s, catalog.article_id_for(foreign))
        assert f.ownership.class_ == "third_party" and f.ownership.holder == "EDN电子技术设计"
        o = catalog.get_article_record(s, catalog.article_id_for(own))
        assert o.ownership.class_ == "owned"
        assert o.ownership.declaration_version == catalog.list_declarations(s, "国际在线")[0]["version"]


def test_the_declaration_of_a_record_is_its_own_sites_when_versions_share_a_date(sqlite_url: str) -> None:
    """Versions are named by their effective date, so two sites' declarations of the same day share
    a version name: the record's declaration (ninjs rights fields) must be its own site's."""
    factory = open_db(sqlite_url)
    with transaction(factory) as s:
        catalog.add_declaration(s, "甲网", "凡本网注明“来源:甲网”的作品，版权均属甲网所有，未经授权不得转载。", date(2020, 1, 1))
        catalog.add_declaration(s, "乙网", "凡本网注明“来源:乙网”的作品，版权均属乙网所有，未经授权不得转载。", date(2020, 1, 1))
    art = _art(11, source="乙网").with_(site="乙网", url="https://yi.example/a11.html")
    assert catalog.ingest(factory, [art]).new == 1
    with factory() as s:
        rec = catalog.get_article_record(s, catalog.article_id_for(art))
        assert rec.ownership.declaration_version == "2020-01-01"
        assert catalog.declaration_for_record(s, rec).site == "乙网"
        (doc,) = catalog.export_ninjs(s, [rec.id])
        assert "甲网" not in json.dumps(doc, ensure_ascii=False)


def test_list_search_is_a_literal_case_insensitive_substring(db_url: str) -> None:
    """``q`` is matched literally (LIKE wildcards in it escaped) and case-insensitively on both databases."""
    factory = open_db(db_url)
    a = _art(21).with_(title="GDP增长100%的城市")
    b = _art(22).with_(title="gdp增长1000倍的说法不实")
    c = _art(23).with_(title="另一条新闻_快讯")
    assert catalog.ingest(factory, [a, b, c]).new == 3
    with factory() as s:
        def titles(q: str) -> set[str | None]:
            return {r.article.title for r in catalog.list_articles(s, q=q)}

        assert titles("100%") == {a.title}
        assert titles("Gdp") == {a.title, b.title}
        assert titles("_快讯") == {c.title}
        assert titles("新_") == set()


def test_json_columns_hold_utf8(db_url: str) -> None:
    """Bodies are stored as UTF-8 JSON, not ``\\uXXXX`` escapes (twice the bytes), and read back."""
    factory = open_db(db_url)
    art = _art(1, text="第二段：“引号”、全角１２３和 emoji 🙂。")
    catalog.ingest(factory, [art])
    aid = catalog.article_id_for(art)
    with factory() as s:
        raw = s.execute(sa.text("SELECT CAST(body AS TEXT) FROM article_versions WHERE article_id = :a"),
                        {"a": aid}).scalar_one()
        assert "第1篇文章的第一段" in raw and "🙂" in raw and "\\u" not in raw
        assert catalog.get_article_record(s, aid).article.body == art.body


def test_json_text_keeps_escapes_only_for_what_utf8_cannot_carry() -> None:
    """A lone surrogate (a badly decoded page in a finding's extra data) cannot be written as
    UTF-8: that value keeps its escapes and still reads back equal."""
    from newsrights.storage.db import json_text

    assert json_text({"t": "国际在线"}) == '{"t": "国际在线"}'
    odd = {"t": "坏\udcff字"}
    assert "\\udcff" in json_text(odd) and json.loads(json_text(odd)) == odd


def test_sqlite_files_open_with_wal_foreign_keys_and_a_memory_map(tmp_path: Path) -> None:
    from newsrights.storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA mmap_size").scalar() > 1 << 30  # SQLite may cap it below ours
    engine.dispose()
