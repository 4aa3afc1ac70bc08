"""Kill ``newsrights monitor`` with SIGKILL at random moments, several times, then let it finish:
nothing is lost, nothing doubled, no page fetched again needlessly, every WARC readable.

The real command runs in a subprocess with the real pipeline (ingest, scanner, verdicts)
against a loopback site and an archive of "another crawler"."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsrights.core.declaration import publisher_declaration
from newsrights.crawl.capture import CaptureWriter, read_capture, verify
from newsrights.crawl.local_site import Behaviour, serve_folder
from newsrights.services.catalog import ingest
from newsrights.storage.db import open_db
from newsrights.storage.tables.matching import FindingRow
from newsrights.storage.tables.monitoring import MonitorFindingRow, MonitorPageRow, MonitorRunRow
from tests.integration.monitor_site import (
    ART_A,
    BEHAVIOURS,
    build_big_site,
    catalog_articles,
    page,
    write_sources,
)

#: kills per database: several on SQLite, fewer on PostgreSQL to keep the suite's time (each restart pays the CLI start-up)
KILLS = {"sqlite": 3, "postgresql": 2}


def _archive(path: Path, n: int = 24) -> Path:
    """A WARC 'from another crawler' with n pages, every eighth a reprint."""
    with CaptureWriter(path, prefix="other") as w:
        for i in range(n):
            paras = [f"归档页面{i}：本地消息，序号{i}。", "这是一段与目录文章无关的普通文字内容。"]
            if i % 8 == 0:
                paras.extend((ART_A[1], ART_A[2]))
            w.write(f"http://other.example/{i}.html", status=200, headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=page(f"归档{i}", paras).encode())
    return next(path.glob("other-*.warc.gz"))


def _drive(db: str, captures: Path, sources: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsrights.cli.main", "monitor", "--sources", str(sources), "--db", db,
         "--captures", str(captures), "--json"],
        cwd=captures.parent, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _done(factory) -> int:  # type: ignore[no-untyped-def]
    with factory() as s:
        return s.scalar(select(func.count()).where(MonitorPageRow.status == "done")) or 0


@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume(db_url: str, tmp_path: Path) -> None:
    rng = random.Random(20261126)
    site_dir = tmp_path / "site"
    paths = build_big_site(site_dir)
    archive = _archive(tmp_path / "other")
    captures = tmp_path / "captures"
    factory = open_db(db_url)  # migrate once up front
    ingest(factory, catalog_articles(), site_declaration=publisher_declaration())
    # every page answers a little slowly, so kills land mid-run
    behaviours = {p: Behaviour(hang=0.04) for p in paths if p not in BEHAVIOURS}
    behaviours.update({k: v for k, v in BEHAVIOURS.items() if k != "/slow.html"})
    kills = 0
    # kill points: random amounts of finished work (pages + archive records ≈ 85 in all)
    wanted = KILLS["sqlite" if db_url.startswith("sqlite") else "postgresql"]
    targets = sorted(rng.sample(range(2, 80), wanted))
    with serve_folder(site_dir, behaviours=behaviours) as site:
        sources = write_sources(tmp_path / "watch.toml", site.url, archive)
        for target in targets:
            proc = _drive(db_url, captures, sources)
            deadline = time.monotonic() + 60
            while proc.poll() is None and _done(factory) < target and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.05))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait(timeout=30)
        proc = _drive(db_url, captures, sources)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err.decode()[-3000:]  # done; the site has broken pages
        report = json.loads(out)
        hits = dict(site.hits)
    assert kills == wanted, "the run finished before it could be killed: make the site slower"

    with factory() as s:
        runs = list(s.scalars(select(MonitorRunRow)))
        assert len(runs) == 1 and runs[0].status == "finished"  # every restart resumed the same run
        rows = list(s.scalars(select(MonitorPageRow)))
        findings = list(s.scalars(select(MonitorFindingRow)))
        n_find = s.scalar(select(func.count(func.distinct(MonitorFindingRow.finding_id))))
    assert all(r.status == "done" for r in rows), [(r.url, r.status) for r in rows if r.status != "done"]
    pages = {r.url.removeprefix(site.url): r for r in rows if r.kind != "record" and r.kind != "archive"}
    assert set(paths) - {"/private/hidden.html"} <= set(pages)
    # nothing lost: every reprint found, in pages and archive records alike
    matched = {k for k, r in pages.items() if r.outcome == "matched"}
    expected = {"/reprint-a.html", "/reprint-b.html", "/excerpt.html", "/gbk.html"} | {
        f"/n{i:03d}.html" for i in range(40) if i % 8 == 0}
    assert matched == expected
    records = [r for r in rows if r.kind == "record"]
    assert len(records) == 24 and sum(r.outcome == "matched" for r in records) == 3
    assert report["resumed"] and report["status"] == "finished"
    with factory() as s:
        stored = s.scalar(select(func.count()).select_from(FindingRow))
    assert stored == n_find == len({r.url for r in rows if r.outcome == "matched"})
    # nothing doubled: one page-finding row per matched page and finding
    assert len(findings) == len({(f.page_id, f.finding_id) for f in findings}) == sum(r.n_findings for r in rows)
    assert n_find == len(findings)
    # no page fetched needlessly: only pages in flight at a kill (≤ concurrency per kill) were fetched twice
    refetched = sum(max(0, n - 1) for p, n in hits.items() if p not in ("/robots.txt", "/flaky.html", "/loop1", "/loop2"))
    assert refetched <= kills * 4, {p: n for p, n in hits.items() if n > 1}
    # every WARC readable to the end, every capture reference resolves to its page
    warcs = sorted(captures.glob("*.warc.gz"))
    assert warcs
    for w in warcs:
        verify(w)
    for r in rows:
        if r.capture and r.kind != "record":
            assert read_capture(captures, r.capture).url == (r.final_url or r.url)
