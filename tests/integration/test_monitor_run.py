"""A whole monitoring run against a real loopback site that misbehaves: outcomes, WARCs, resume, report.

The page processing here is a small test double on the ``PageProcessor`` seam (ingest
for real, then "matched" when a page contains a paragraph of a fixture article), so these
tests pin the run machinery; ``test_monitor_scan.py`` runs the real scanner.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsrights.core.model import Article, Finding, Rejected
from newsrights.crawl.capture import read_capture, verify
from newsrights.crawl.fetcher import FetchConfig
from newsrights.crawl.local_site import serve_folder
from newsrights.crawl.sources import MonitorConfig, Source
from newsrights.services.monitor import Analysis, PageResult, page_outcomes, run_monitor
from newsrights.storage.db import open_db
from newsrights.storage.tables.monitoring import MonitorPageRow
from tests.integration.monitor_site import ARTICLES, BEHAVIOURS, EXPECTED, build_site

FETCH = FetchConfig(
    allow_networks=("127.0.0.1/32",), delay=0.0, connect_timeout=2, read_timeout=1.0, total_timeout=3,
    max_bytes=300_000, backoff=0.05, retries=2, concurrency=6, per_host_concurrency=4,
)


class ParagraphProcessor:
    """Test double: real ``read_bytes``; a page matches an article when it holds one of its paragraphs."""

    def __init__(self) -> None:
        self.calls = 0

    def analyse(self, *, url: str, body: bytes, content_type: str | None, fetched: datetime | None) -> Analysis:
        from newsrights.ingest import read_bytes

        self.calls += 1
        items = read_bytes(body, origin=url, url=url, content_type=content_type, fetched=fetched)
        arts = [a for a in items if isinstance(a, Article)]
        if not arts:
            rej = next(r for r in items if isinstance(r, Rejected))
            return Analysis("rejected", rej.reason, rej.detail)
        text = "".join(a.text for a in arts)
        found = []
        for aid, (_title, paras) in sorted(ARTICLES.items()):
            if any(p[6:30] in text for p in paras):
                f = Finding(page_url=url, article_id=aid, article_uri=aid, label="whole", article_coverage=1.0,
                            page_coverage=1.0, spans=(), params="test", verdict="unlicensed")
                found.append((arts[0], [f]))
        return Analysis("matched" if found else "no_match", items=found, raw=body)

    def store(self, session: Session, analysis: Analysis, *, capture: str | None) -> PageResult:
        out = [(int(hashlib.sha256(f"{f.page_url} {f.article_id}".encode()).hexdigest()[:7], 16), f)
               for _, fs in analysis.items for f in fs]
        return PageResult(analysis.outcome, analysis.reason, analysis.detail, out)


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    return build_site(tmp_path / "site")


def _outcomes(factory, run_id: int, base: str) -> dict[str, tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with factory() as s:
        return {r["url"].removeprefix(base): (r["outcome"], r["reason"]) for r in page_outcomes(s, run_id)}


def test_site_run_records_every_outcome_and_capture(db_url: str, site_dir: Path, tmp_path: Path) -> None:
    factory = open_db(db_url)
    t0 = time.monotonic()
    with serve_folder(site_dir, behaviours=BEHAVIOURS) as site:
        cfg = MonitorConfig(sources=(Source("site", site.url + "/", 1),), name="fixture", fetch=FETCH)
        report = run_monitor(factory, cfg, captures_dir=tmp_path / "captures", processor=ParagraphProcessor())
        hits = dict(site.hits)
    assert time.monotonic() - t0 < 60
    got = _outcomes(factory, report.run_id, site.url)
    for path, (outcome, reason) in EXPECTED.items():
        assert got[path][0] == outcome, (path, got[path])
        if reason:
            assert got[path][1] == reason, (path, got[path])
    assert "http://10.0.0.1/internal.html" not in got  # off-site links are not followed
    assert hits.get("/private/hidden.html", 0) == 0
    assert report.outcomes["matched"] == 4
    assert report.verdicts == {"unlicensed": 4}  # reprint-a, gbk (a), reprint-b, excerpt (b)
    assert report.errors_by_host["127.0.0.1"]["redirect_loop"] == 1
    assert {f["article_id"] for f in report.new_findings} == {"cri-a", "cri-b"}
    # every fetched page is in a readable WARC at the offset the row points to
    with factory() as s:
        rows = list(s.scalars(select(MonitorPageRow).where(MonitorPageRow.capture.is_not(None))))
    assert rows
    for r in rows:
        cap = read_capture(tmp_path / "captures", r.capture or "")
        assert cap.url == (r.final_url or r.url)
        assert r.payload_digest == cap.payload_digest
    for f in (tmp_path / "captures").glob("*.warc.gz"):
        assert verify(f) > 0


def test_second_run_reports_only_new_findings_and_skips_read_pages(db_url: str, site_dir: Path, tmp_path: Path) -> None:
    factory = open_db(db_url)
    with serve_folder(site_dir, behaviours=BEHAVIOURS) as site:
        cfg = MonitorConfig(sources=(Source("feed", site("feed.xml")), Source("sitemap", site("sitemap-index.xml"))),
                            name="again", fetch=FETCH)
        first = run_monitor(factory, cfg, captures_dir=tmp_path / "c", processor=ParagraphProcessor())
        assert {f["page_url"].removeprefix(site.url) for f in first.new_findings} == {
            "/reprint-a.html", "/reprint-b.html", "/excerpt.html"}
        assert first.outcomes["discovered"] == 3  # feed, sitemap index, news sitemap
        hits_after_first = dict(site.hits)
        second = run_monitor(factory, cfg, captures_dir=tmp_path / "c", processor=ParagraphProcessor())
        assert second.run_id != first.run_id
        assert second.new_findings == []
        # pages read by the first run are not fetched again; feed and sitemaps are
        assert site.hits["/reprint-a.html"] == hits_after_first["/reprint-a.html"]
        assert site.hits["/feed.xml"] == hits_after_first["/feed.xml"] + 1


def test_archive_input_is_processed_without_fetching(db_url: str, tmp_path: Path, site_dir: Path) -> None:
    factory = open_db(db_url)
    with serve_folder(site_dir, behaviours=BEHAVIOURS) as site:
        cfg = MonitorConfig(sources=(Source("page", site("reprint-a.html")), Source("page", site("weather.html")),
                                     Source("page", site("empty.html"))), name="make-warc", fetch=FETCH)
        run_monitor(factory, cfg, captures_dir=tmp_path / "c1", processor=ParagraphProcessor())
    warc = next((tmp_path / "c1").glob("*.warc.gz"))
    # truncate a copy mid-record: the readable records are processed, the tail is reported
    whole = warc.read_bytes()
    torn = tmp_path / "torn.warc.gz"
    torn.write_bytes(whole[: len(whole) - 300])
    proc = ParagraphProcessor()
    cfg2 = MonitorConfig(sources=(Source("archive", str(warc)), Source("archive", str(torn))), name="warc-in")
    rep = run_monitor(factory, cfg2, captures_dir=tmp_path / "c2", processor=proc)
    assert rep.fetched_now == 0
    assert rep.outcomes.get("matched") == 2  # reprint-a in both archives
    assert any(k.startswith("rejected:truncated_warc") or k.startswith("rejected:bad_warc") for k in rep.reasons)
    # run again: a finished run's archive records are read again in a new run, but a resumed one skips them
    calls = proc.calls
    assert calls >= 4


def test_shared_warc_samples_never_stop_a_run(db_url: str, shared_data: Path, tmp_path: Path) -> None:
    samples = sorted(p for p in (shared_data / "warc_samples").rglob("*") if p.name.endswith((".warc", ".warc.gz", ".arc.gz")))
    assert len(samples) >= 8
    factory = open_db(db_url)
    cfg = MonitorConfig(sources=tuple(Source("archive", str(p)) for p in samples), name="samples")
    rep = run_monitor(factory, cfg, captures_dir=tmp_path / "c", processor=ParagraphProcessor())
    assert rep.status == "finished"
    assert rep.outcomes.get("no_match", 0) >= 5
    assert rep.reasons.get("rejected:unsupported_content_type", 0) >= 10  # images in the Wikipedia capture
    assert any(k in rep.reasons for k in ("rejected:bad_warc", "rejected:truncated_warc"))


def test_a_slow_host_does_not_hold_up_the_others(sqlite_url: str, tmp_path: Path) -> None:
    """Per-host limits in the loop itself: host B's pages go while host A's queue waits its turn."""
    import threading

    import httpx

    finished: dict[str, float] = {}
    lock = threading.Lock()
    t0 = time.monotonic()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.host == "slow.example":
            time.sleep(0.1)
        with lock:
            finished[str(request.url)] = time.monotonic() - t0
        return httpx.Response(200, text="<html><body><p>普通的页面内容，没有转载。</p></body></html>",
                              headers={"Content-Type": "text/html; charset=utf-8"})

    slow = [Source("page", f"https://slow.example/{i}.html") for i in range(12)]
    fast = [Source("page", f"https://fast.example/{i}.html") for i in range(4)]
    fetch = FetchConfig(delay=0.0, concurrency=4, per_host_concurrency=1, retries=0)
    cfg = MonitorConfig(sources=tuple(slow + fast), name="fair", fetch=fetch)
    factory = open_db(sqlite_url)
    rep = run_monitor(factory, cfg, captures_dir=tmp_path / "c", processor=ParagraphProcessor(),
                      transport=httpx.MockTransport(handler))
    assert rep.outcomes == {"no_match": 16}
    order = [k for k, _ in sorted(finished.items(), key=lambda kv: kv[1])]
    fast_ranks = [i for i, k in enumerate(order) if "fast.example" in k]
    assert max(fast_ranks) < 10, order  # fast pages went alongside, not after the slow host's queue


def test_report_times_are_utc_aware(db_url: str) -> None:
    """SQLite hands back naive datetimes: the report and the run list still state UTC."""
    from datetime import UTC

    from newsrights.services.monitor import build_report, list_runs
    from newsrights.storage.db import transaction
    from newsrights.storage.tables.monitoring import MonitorRunRow

    factory = open_db(db_url)
    t = datetime(2026, 11, 26, 17, 30, tzinfo=UTC)
    with transaction(factory) as s:
        run = MonitorRunRow(name="tz", status="finished", config_json="{}", started_at=t, updated_at=t, finished_at=t)
        s.add(run)
        s.flush()
        run_id = run.id
    rep = build_report(factory, run_id).to_json()
    assert rep["started_at"] == rep["finished_at"] == "2026-11-26T17:30:00+00:00"
    with factory() as s:
        listed = list_runs(s, name="tz")
    assert listed[0]["started_at"] == "2026-11-26T17:30:00+00:00"
