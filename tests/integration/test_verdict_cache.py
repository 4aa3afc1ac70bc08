"""The verdict step's per-process caches (``services.verdict_cache``) on SQLite and PostgreSQL:
the same registries and records as the uncached reads, and a licence, a declaration or a new
article version written by *another process* is seen by this process's next check."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta

import pytest

from newsrights.core.model import CHINA_TZ, Article, Finding
from newsrights.services import catalog, verdict_cache
from newsrights.services import licensing as L
from newsrights.storage.db import open_db, transaction

ART = Article(body=("国际在线消息：某地举行文化活动，数百名市民参加。", "活动持续三天，主办方表示明年还将继续举办。"),
              title="文化活动", url="https://news.cri.cn/20260101/a1.html", site="news.cri.cn", source="国际在线")
PAGE = Article(body=ART.body, url="https://a.example/copy.html", published=datetime(2026, 5, 1, tzinfo=CHINA_TZ),
               credit_lines=("来源:国际在线",))


@pytest.fixture
def factory(db_url: str):  # type: ignore[no-untyped-def]
    f = open_db(db_url)
    yield f
    f.kw["bind"].dispose()


def _finding() -> Finding:
    return Finding(PAGE.url or "", catalog.article_id_for(ART), ART.url or "", "whole", 1.0, 1.0, (), "p")


def _judge(factory) -> Finding:  # type: ignore[no-untyped-def]
    """The verdict in a transaction (``attach_verdicts``), checked equal to the scanner's path on
    the committed state (``judge_committed``: DBAPI reads, shared record cache)."""
    with transaction(factory) as s:
        (got,) = L.attach_verdicts(s, PAGE, [_finding()])
    (committed,) = verdict_cache.judge_committed(factory, PAGE, [_finding()])
    assert (committed.verdict, committed.verdict_reasons, committed.registry_snapshot) == (
        got.verdict, got.verdict_reasons, got.registry_snapshot)
    return got


def _in_another_process(db_url: str, code: str) -> None:
    prelude = "import sys\nfrom datetime import date\nfrom newsrights.storage.db import open_db\nf = open_db(sys.argv[1])\n"
    subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code), db_url], check=True, timeout=120)


def test_records_in_bulk_equal_the_one_by_one_read(factory) -> None:  # type: ignore[no-untyped-def]
    arts = [ART.with_(url=f"https://news.cri.cn/20260101/b{i}.html", title=f"稿{i}") for i in range(3)]
    arts.append(ART.with_(url="https://news.cri.cn/20260101/b9.html", published=datetime(2026, 1, 2, 8, 30, tzinfo=CHINA_TZ),
                          fetched=datetime(2026, 1, 3, 1, 2, 3, 456789, tzinfo=UTC), credit_lines=("来源:国际在线",),
                          byline="记者 周青岚", extra=(("section", "国际"),), furniture=("返回首页",)))
    catalog.ingest(factory, arts)
    catalog.ingest(factory, [arts[1].with_(body=(*ART.body, "第三段。"))])  # a second version
    ids = [catalog.article_id_for(a) for a in arts]
    with factory() as s:
        bulk = catalog.get_article_records(s, [*ids, "art_missing"])
        assert sorted(bulk) == sorted(ids)
        for i in ids:
            assert bulk[i] == catalog.get_article_record(s, i)
        assert bulk[ids[1]].version == 2 and bulk[ids[1]].versions == 2
        assert verdict_cache.article_records(s, [*ids, "art_missing"]) == bulk
        assert verdict_cache.article_records(s, ids) == bulk  # from the cache
    verdict_cache.clear()
    assert verdict_cache.committed_records(factory, [*ids, "art_missing"]) == bulk  # DBAPI reads
    assert verdict_cache.committed_records(factory, ids) == bulk  # from the cache
    assert catalog.records_dbapi(factory.kw["bind"], [*ids, "art_missing"]) == bulk


def test_registry_view_equals_registry_on_for_every_date(factory) -> None:  # type: ignore[no-untyped-def]
    L.add_licence(factory, L.LicenceTerms("甲网", domains=("a.example",), start=date(2026, 1, 1),
                                          end=date(2026, 6, 30), uid="urn:t:a"))
    L.add_licence(factory, L.LicenceTerms("甲网", domains=("a.example",), start=date(2026, 3, 1),
                                          uid="urn:t:a", credit="来源:国际在线网"), effective=date(2026, 3, 1))
    L.add_licence(factory, L.LicenceTerms("乙网", domains=("b.example",), start=date(2026, 2, 1), uid="urn:t:b"),
                  effective=datetime(2026, 2, 10, 12, 30, 15, tzinfo=UTC))
    with transaction(factory) as s:
        catalog.add_declaration(s, "国际在线", "版权声明：凡注明“来源：国际在线”的稿件，版权均属国际在线所有。",
                                date(2026, 4, 1))
    days = [datetime(2025, 12, 1, tzinfo=UTC) + timedelta(days=d) for d in range(0, 240, 9)]
    days += [datetime(2026, 2, 10, 12, 30, s, tzinfo=UTC) for s in (0, 14, 15, 16, 59)]  # inside one minute
    with factory() as s:
        view = verdict_cache.registry_view(s)
        for when in days:
            assert view.registry_on(when) == L.registry_on(s, when), when
        # memoised per interval between the moments where a licence starts or ends or a
        # declaration takes effect (China-time midnight): exact on both sides of each
        assert len(view._bounds) == 4  # 甲 from 1 January, 乙 from 10 February 12:30:15, 甲 v2, the declaration
        micro = timedelta(microseconds=1)
        for when in [b + d for b in reversed(view._bounds) for d in (-micro, 0 * micro, micro)]:
            assert view.registry_on(when) == L.registry_on(s, when), when
        assert verdict_cache.registry_view(s) is view  # nothing changed: the same view
    assert view.registry_on(days[3]) is view.registry_on(days[3] + timedelta(hours=1))  # memoised by content


def test_snapshot_is_stored_once_then_reused(factory) -> None:  # type: ignore[no-untyped-def]
    catalog.ingest(factory, [ART])
    first = _judge(factory)
    with factory() as s:
        assert L.load_snapshot(s, first.registry_snapshot or "").snapshot_id() == first.registry_snapshot
        view = verdict_cache.registry_view(s)
        assert first.registry_snapshot in view.stored
    again = _judge(factory)
    assert (again.verdict, again.verdict_reasons, again.registry_snapshot) == (
        first.verdict, first.verdict_reasons, first.registry_snapshot)
    with factory() as s:
        assert verdict_cache.registry_view(s).stored == {first.registry_snapshot}


def test_writes_from_another_process_are_seen_by_the_next_check(factory, db_url: str) -> None:  # type: ignore[no-untyped-def]
    catalog.ingest(factory, [ART])
    before = _judge(factory)
    assert not (before.verdict or "").startswith("licensed")
    _in_another_process(db_url, """
        from newsrights.services import licensing as L
        L.add_licence(f, L.LicenceTerms("甲网", domains=("a.example",), start=date(2026, 1, 1)))
    """)
    licensed = _judge(factory)
    assert licensed.verdict == "licensed_credited", licensed.verdict_reasons
    assert licensed.registry_snapshot != before.registry_snapshot
    _in_another_process(db_url, """
        from newsrights.services import licensing as L
        L.add_licence(f, L.LicenceTerms("甲网", domains=("a.example",), start=date(2026, 1, 1), prohibit=True,
                                        uid="urn:t:no"))
    """)
    assert _judge(factory).verdict != "licensed_credited"  # the prohibition wins (conflict: prohibit)
    _in_another_process(db_url, """
        from newsrights.core.model import Article
        from newsrights.services import catalog
        catalog.ingest(f, [Article(body=("新华社北京电 某地举行文化活动，数百名市民参加。", "活动持续三天。"),
                                   title="文化活动", url="https://news.cri.cn/20260101/a1.html",
                                   site="news.cri.cn", source="新华社")])
    """)
    reprint = _judge(factory)
    assert reprint.verdict == "not_ours", reprint.verdict_reasons


def test_a_declaration_from_another_process_is_seen(factory, db_url: str) -> None:  # type: ignore[no-untyped-def]
    catalog.ingest(factory, [ART])
    with factory() as s:
        before = verdict_cache.registry_view(s).registry_on(PAGE.published)
    _in_another_process(db_url, """
        from newsrights.services import catalog
        from newsrights.storage.db import transaction
        with transaction(f) as s:
            catalog.add_declaration(s, "国际在线", "版权声明：凡注明“来源：国际在线网”的稿件，版权均属国际在线所有。",
                                    date(2026, 1, 1))
    """)
    with factory() as s:
        after = verdict_cache.registry_view(s).registry_on(PAGE.published)
        assert after == L.registry_on(s, PAGE.published)
    assert after.default != before.default


def test_two_in_memory_databases_do_not_share_a_cache() -> None:
    """``sqlite://`` names no file: each engine is its own database, with its own cached records."""
    a, b = open_db("sqlite://"), open_db("sqlite://")
    plain = ART.with_(body=("某地举行文化活动，数百名市民参加。", *ART.body[1:]))  # same text in both
    catalog.ingest(a, [plain])
    catalog.ingest(b, [plain.with_(source="新华社")])
    aid = catalog.article_id_for(plain)
    with a() as sa_, b() as sb:
        ra = verdict_cache.article_records(sa_, [aid])[aid]
        rb = verdict_cache.article_records(sb, [aid])[aid]
        assert (ra.version, ra.sha256) == (rb.version, rb.sha256)  # the same key but for the database
        assert ra.ownership.class_ == "owned" and rb.ownership.class_ == "third_party"
        assert verdict_cache.registry_view(sa_) is not verdict_cache.registry_view(sb)


def test_read_rows_sees_each_commit_and_survives_a_broken_connection(factory) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from newsrights.storage import db

    engine = factory.kw["bind"]
    count = "SELECT count(*) FROM articles WHERE site = ?"
    assert db.read_rows(engine, count, ("news.cri.cn",)) == [(0,)]
    catalog.ingest(factory, [ART])  # committed by another connection: seen by the next read
    assert db.read_rows(engine, count, ("news.cri.cn",)) == [(1,)]
    with transaction(factory) as s:
        s.execute(text("UPDATE articles SET site = 'elsewhere'"))
    assert db.read_rows(engine, count, ("news.cri.cn",)) == [(0,)]
    engine.__dict__["_newsrights_readers"].conn.close()  # the connection breaks behind our back
    assert db.read_rows(engine, count, ("elsewhere",)) == [(1,)]  # a new one is taken


def test_readers_do_not_keep_engines_or_factories_alive(db_url: str) -> None:
    import gc
    import weakref

    from newsrights.storage import db

    factory = open_db(db_url)
    catalog.ingest(factory, [ART])
    assert verdict_cache.committed_records(factory, [catalog.article_id_for(ART)])  # reader and connection made
    assert db.read_rows(factory.kw["bind"], "SELECT count(*) FROM articles") == [(1,)]
    engine_ref, factory_ref = weakref.ref(factory.kw["bind"]), weakref.ref(factory)
    del factory
    gc.collect()
    assert engine_ref() is None and factory_ref() is None
