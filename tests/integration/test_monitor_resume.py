"""Kill a monitoring run with SIGKILL at random moments, several times, then let it finish:
nothing is lost, nothing doubled, no page fetched again needlessly, every WARC readable."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from newsrights.crawl.capture import CaptureWriter, read_capture, verify
from newsrights.crawl.local_site import Behaviour, serve_folder
from newsrights.storage.db import open_db
from newsrights.storage.tables.monitoring import MonitorFindingRow, MonitorPageRow, MonitorRunRow
from tests.integration.monitor_site import ART_A, BEHAVIOURS, build_big_site, page

ROOT = Path(__file__).resolve().parents[2]
KILLS = 4


def _archive(path: Path, n: int = 24) -> Path:
    """A WARC 'from another crawler' with n pages, every fourth a reprint."""
    with CaptureWriter(path, prefix="other") as w:
        for i in range(n):
            paras = [f"归档页面{i}：本地消息，序号{i}。", "这是一段与目录文章无关的普通文字内容。"]
            if i % 4 == 0:
                paras.append(ART_A[1])
            w.write(f"http://other.example/{i}.html", status=200, headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=page(f"归档{i}", paras).encode())
    return next(path.glob("other-*.warc.gz"))


def _drive(db: str, captures: Path, site: str, archive: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.monitor_site", db, str(captures), site, str(archive)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def test_sigkill_at_random_moments_then_resume(db_url: str, tmp_path: Path) -> None:
    rng = random.Random(20261126)
    site_dir = tmp_path / "site"
    paths = build_big_site(site_dir)
    archive = _archive(tmp_path / "other")
    captures = tmp_path / "captures"
    factory = open_db(db_url)  # migrate once up front
    # every page answers a little slowly, so kills land mid-run
    behaviours = {p: Behaviour(hang=0.04) for p in paths if p not in BEHAVIOURS}
    behaviours.update({k: v for k, v in BEHAVIOURS.items() if k != "/slow.html"})
    kills = 0
    with serve_folder(site_dir, behaviours=behaviours) as site:
        for _ in range(KILLS):
            proc = _drive(db_url, captures, site.url, archive)
            time.sleep(rng.uniform(1.0, 3.0))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait(timeout=30)
        proc = _drive(db_url, captures, site.url, archive)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-3000:]
        hits = dict(site.hits)
    assert kills >= 2, "the run finished before it could be killed: make the site slower"

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
        f"/n{i:03d}.html" for i in range(48) if i % 3 == 0}
    assert matched == expected
    records = [r for r in rows if r.kind == "record"]
    assert len(records) == 24 and sum(r.outcome == "matched" for r in records) == 6
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
