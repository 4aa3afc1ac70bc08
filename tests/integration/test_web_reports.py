"""The dashboard's aggregates in SQL (``services.reports``) against the old computation over every
finding (``summarize(all_facts(...))``), and the cross-kind search service, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from newsrights.core.model import Article
from newsrights.storage.db import open_db, transaction

URLS = [
    "http://copycat.example/a/1.html",
    "https://www.Copycat.example/a/2.html",  # same site as above (www. dropped, case folded)
    "http://copycat.example:8080/a/3?x=<b>",
    "https://user@mirror.example/p",
    "http://[::1]:9000/local",
    "",  # no URL at all
    "not a url",
    "https://partner.example/news/1",
    "https://news.partner.example/news/2",
    "http://evil.example/steal?<script>alert(1)</script>",
    "HTTP://WWW.Upper.Example/x",
    "http://ÄBC.example/umlaut",  # lower-cased outside ASCII: done by Python, not by SQL
    "http://tab\t.example/x",
    "https://www./empty-after-www",
    "http://q.example?x=1",
    "http://h.example#frag",
    "http://p.example:8080",
    "ftp://files.example/a",
    "http:///no-host",
    "https://中国新闻.example/新闻",
]
VERDICTS = ["unlicensed", "licensed_credited", "licensed_uncredited", "out_of_scope", "not_ours", "legal_review",
            None]


def _articles(factory: sessionmaker[Session]) -> list[str]:
    from newsrights.services import catalog

    arts = [Article(body=(f"第{i}篇稿件的正文，国际在线消息。" * 5,), title=f"稿件{i}", url=f"https://news.cri.cn/{i}.html",
                    uri=f"urn:test:{i}", site="news.cri.cn", origin=f"test-{i}") for i in range(2)]
    catalog.ingest(factory, arts)
    with transaction(factory) as s:
        return [r.id for r in catalog.list_articles(s, limit=10)]


def plant_findings(factory: sessionmaker[Session], n: int = 60) -> list[int]:
    """``n`` findings on the pages of :data:`URLS` with every verdict over several days (rows written directly)."""
    from newsrights.storage.tables.matching import FindingRow, PageRow

    article_ids = _articles(factory)
    base = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    ids = []
    with transaction(factory) as s:
        pages = []
        for i, url in enumerate(URLS):
            sha = hashlib.sha256(f"page{i}".encode()).hexdigest()
            page = PageRow(sha256=sha, url=url if i % 3 else None, title=f"<img src=x onerror=alert({i})>页面{i}",
                           origin=url, content_type="text/html", raw_zlib=None, raw_sha256=None, text="正文",
                           capture=None, fetched=base, created_at=base)
            s.add(page)
            s.flush()
            pages.append((page, url))
        for k in range(n):
            page, url = pages[k % len(pages)]
            row = FindingRow(page_id=page.id, page_sha256=page.sha256, page_url=url,
                             article_id=article_ids[k % 2], article_uri=f"urn:test:{k % 2}", params=f"p{k}",
                             label="whole" if k % 2 else "excerpt", article_coverage=0.5, page_coverage=0.5, spans=[],
                             similarity={}, verdict=VERDICTS[k % len(VERDICTS)], verdict_reasons=[],
                             registry_snapshot=None, capture=None, extra={},
                             found_at=base + timedelta(hours=7 * k))
            s.add(row)
            s.flush()
            ids.append(row.id)
    return ids


def test_sql_summary_matches_the_old_computation(db_url: str) -> None:
    from newsrights.api.routes.findings import all_facts
    from newsrights.services.reports import finding_summary
    from newsrights.web.stats import summarize

    factory = open_db(db_url)
    with transaction(factory) as s:
        empty = finding_summary(s)
    assert empty.total == 0 and empty.by_day == [] and empty.by_site == []
    plant_findings(factory, 60)
    with transaction(factory) as s:
        old = summarize(all_facts(s, batch=7))
        new = finding_summary(s)
        assert new == old
        assert new.total == 60 and sum(n for _, n in new.by_verdict) == 60
        assert sum(n for _, n in new.by_day) == 60 and len(new.by_day) > 5
        assert dict(new.by_site)["copycat.example"] == 3 * (60 // len(URLS))  # three URL spellings of one site
        assert dict(new.by_verdict)["none"] == sum(1 for k in range(60) if VERDICTS[k % len(VERDICTS)] is None)
        wide = finding_summary(s, top=100)
        assert wide == summarize(all_facts(s), top=100)
        assert {"äbc.example", "upper.example", "(none)", "", "中国新闻.example"} <= set(dict(wide.by_site))
        small = finding_summary(s, top=2)
        assert small.by_site == old.by_site[:2] and len(small.top_infringing_sites) <= 2


def test_search_service_finds_each_kind_and_scopes_a_party(db_url: str) -> None:
    from newsrights.services import cases, licensing, search

    factory = open_db(db_url)
    ids = plant_findings(factory, 20)
    licensing.seed_demo_registry(factory)
    cases.open_cases(factory, [ids[0]], actor="analyst1", title="Copycat 案")
    with transaction(factory) as s:
        hits = search.search(s, "copycat")
        kinds = {h.kind for h in hits}
        assert {"finding", "case"} <= kinds, hits
        assert all("copycat" in (h.title + h.detail).lower() for h in hits)
        assert search.search(s, "稿件1", kinds=("article",))[0].kind == "article"
        lic = search.search(s, "合作伙伴", kinds=("licence",))
        assert lic and all(h.kind == "licence" for h in lic) and "合作伙伴新闻网" in lic[0].detail
        assert search.search(s, "%") == [] and search.search(s, "_") == []  # LIKE wildcards are literal
        assert search.search(s, "   ") == []
        # a licensee party sees only findings on its own domains and its own licences
        party = licensing.find_party(s, "合作伙伴新闻网")
        assert party is not None
        mine = search.search(s, "example", party=party.uid)
        assert mine and {h.kind for h in mine} <= {"finding", "licence"}
        assert all("partner.example" in h.detail for h in mine if h.kind == "finding")
        assert not any("copycat" in h.detail for h in mine)
        theirs = search.search(s, "example", party=party.uid, kinds=("finding",))
        assert all(h.href.startswith("/portal/findings/") for h in theirs)
        other: Any = search.search(s, "旧伙伴", party=party.uid, kinds=("licence",))
        assert other == []
