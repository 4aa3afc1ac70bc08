"""The dashboard's aggregates on a large findings table: SQL GROUP BY vs reading every finding.

Builds (once, reused on later runs) a SQLite database with N findings on P pages of S sites
(page texts of ~1,500 characters, every verdict, found over 90 days), then times, on the same
database in the same run:

* ours — :func:`newsrights.services.reports.finding_summary` (GROUP BY origin + verdict,
  GROUP BY day; what ``/dashboard`` and ``/api/v1/reports/summary`` now run);
* baseline — the previous computation, ``summarize(all_facts(session))``: every finding loaded
  through ``services.scan.list_findings`` in pages of 1,000 and counted in Python;

checks that both give the same summary, and prints the times (medians) and the ratio.

Usage::

    .venv/bin/python bench/bench_dashboard.py                    # 100k findings
    .venv/bin/python bench/bench_dashboard.py --findings 10000   # quick
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsrights.core.model import Article  # noqa: E402
from newsrights.storage.db import open_db, transaction  # noqa: E402

VERDICTS = ["unlicensed", "licensed_credited", "licensed_uncredited", "out_of_scope", "not_ours", "legal_review", None]
TEXT = ("国际在线消息：第十届丝路数字经济合作论坛在陕西西安开幕，来自三十余个国家和地区的代表参加。" * 40)[:1500]


def build(db: Path, findings: int, pages: int, sites: int) -> None:
    from newsrights.services import catalog
    from newsrights.storage.tables.matching import FindingRow, PageRow

    factory = open_db(f"sqlite:///{db}")
    with transaction(factory) as s:
        have = s.scalar(select(func.count(FindingRow.id)))
    if have == findings:
        return
    if have:
        raise SystemExit(f"{db} holds {have} findings, not {findings}: remove it first")
    arts = [Article(body=(f"第{i}篇稿件。" + TEXT[:200],), title=f"稿件{i}", url=f"https://news.cri.cn/{i}.html",
                    uri=f"urn:bench:{i}", site="news.cri.cn", origin=f"bench-{i}") for i in range(20)]
    catalog.ingest(factory, arts)
    with transaction(factory) as s:
        ids = [r.id for r in catalog.list_articles(s, limit=100)]
    t0 = time.perf_counter()
    base = datetime(2026, 6, 1, tzinfo=UTC)
    with transaction(factory) as s:
        rows = []
        for p in range(pages):
            host = f"{'www.' if p % 5 == 0 else ''}site{p % sites}.example"
            rows.append({"id": p + 1, "sha256": hashlib.sha256(f"p{p}".encode()).hexdigest(),
                         "url": f"https://{host}/news/{p}.html", "title": f"页面{p}", "origin": "bench",
                         "content_type": "text/html", "raw_zlib": None, "raw_sha256": None, "text": TEXT,
                         "capture": None, "fetched": base, "created_at": base})
            if len(rows) == 5000:
                s.execute(insert(PageRow), rows)
                rows = []
        if rows:
            s.execute(insert(PageRow), rows)
        rows = []
        for k in range(findings):
            p = k % pages
            rows.append({"page_id": p + 1, "page_sha256": hashlib.sha256(f"p{p}".encode()).hexdigest(),
                         "page_url": f"https://site{p % sites}.example/news/{p}.html", "article_id": ids[k % len(ids)],
                         "article_uri": "urn:bench", "params": f"b{k // pages}", "label": "whole",
                         "article_coverage": 0.9, "page_coverage": 0.8,
                         "spans": [{"article_start": 0, "article_end": 100, "page_start": 0, "page_end": 100}],
                         "similarity": {"jaccard": 0.8}, "verdict": VERDICTS[(k * 7 + p) % len(VERDICTS)],
                         "verdict_reasons": ["bench"], "registry_snapshot": None, "capture": None, "extra": {},
                         "found_at": base + timedelta(minutes=(k * 37) % (90 * 24 * 60))})
            if len(rows) == 5000:
                s.execute(insert(FindingRow), rows)
                rows = []
        if rows:
            s.execute(insert(FindingRow), rows)
    print(f"built {findings} findings on {pages} pages in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--findings", type=int, default=100_000)
    ap.add_argument("--pages", type=int, default=0, help="default: findings / 2")
    ap.add_argument("--sites", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3, help="runs of ours (median)")
    ap.add_argument("--baseline-runs", type=int, default=1, help="runs of the baseline (minutes each at 100k)")
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "newsrights-bench-dashboard")
    a = ap.parse_args()
    pages = a.pages or max(1, a.findings // 2)
    a.db.mkdir(parents=True, exist_ok=True)
    db = a.db / f"findings-{a.findings}-{pages}-{a.sites}.sqlite"
    build(db, a.findings, pages, a.sites)

    from newsrights.api.routes.findings import all_facts
    from newsrights.services.reports import finding_summary
    from newsrights.web.stats import summarize

    factory = open_db(f"sqlite:///{db}", migrate=False)

    def timed(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
        times, out = [], None
        for _ in range(runs):
            with transaction(factory) as s:
                t0 = time.perf_counter()
                out = fn(s)
                times.append(time.perf_counter() - t0)
        return statistics.median(times), out

    ours_t, ours = timed(finding_summary, a.runs)
    base_t, base = timed(lambda s: summarize(all_facts(s)), a.baseline_runs)
    same = ours == base
    print(f"findings={a.findings} pages={pages} sites={a.sites} runs: ours {a.runs}, baseline {a.baseline_runs} (median)")
    print(f"ours     services.reports.finding_summary (SQL GROUP BY): {ours_t * 1000:9.1f} ms")
    print(f"baseline summarize(all_facts()) (every finding loaded):   {base_t * 1000:9.1f} ms")
    print(f"speed-up: {base_t / ours_t:.1f}x   same summary: {same}")
    if not same:
        raise SystemExit("the two computations disagree")


if __name__ == "__main__":
    main()
