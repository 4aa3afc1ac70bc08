"""Benchmark: the Spark job in local[1] and local[2] against the single-process ``newsrights scan``.

One corpus (a WARC of pages: whole copies and excerpts of catalog articles, and
pages that copy nothing) is scanned three ways in the same run:

* ``scan``      — :func:`newsrights.services.scan.scan_paths` (what ``newsrights scan`` runs), one process;
* ``local[1]``  — ``newsrights spark scan`` with one core;
* ``local[2]``  — the same with two cores.

It prints pages/s, the ratio of each Spark run to the single-process scan, the
candidate pairs per partition (skew), checks that the three give the same
findings, and a paper estimate for one Common Crawl monthly crawl (~3 billion
pages) from the measured cost per page.

    .venv/bin/python bench/bench_spark.py --articles 2000 --pages 2000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching_data import clause_pool, synthetic_articles, write_warc  # noqa: E402

from newsrights.core.model import Article  # noqa: E402
from newsrights.evalkit.generate import page_html  # noqa: E402
from newsrights.services.catalog import ingest  # noqa: E402
from newsrights.services.scan import scan_paths  # noqa: E402
from newsrights.storage.db import open_db  # noqa: E402

CC_PAGES = 3_000_000_000


def _pool() -> list[str]:
    from newsrights.demo.corpus import publisher_articles

    docs = []
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    try:
        from newsrights.evalkit.datasets import load_sogouca

        if shared.is_dir():
            docs = load_sogouca(shared)
    except Exception as exc:  # the demo data is enough to build a pool
        print(f"(no shared data: {exc})")
    from newsrights.evalkit.cases import SourceDoc

    docs += [SourceDoc(id=k, body=a.body) for k, a in publisher_articles().items()]
    return clause_pool(docs)


def build(root: Path, n_articles: int, n_pages: int, seed: int = 11) -> tuple[object, Path]:
    pool = _pool()
    arts = synthetic_articles(pool, n_articles + n_pages, seed=seed)
    catalog, others = arts[:n_articles], arts[n_articles:]
    factory = open_db(f"sqlite:///{root / 'catalog.sqlite'}")
    ingest(factory, [
        Article(body=d.body, title=f"稿件{i}", url=d.uri, source="国际在线", origin=d.id)
        for i, d in enumerate(catalog)
    ])
    rng = random.Random(seed)
    pages = []
    for i, host in enumerate(others[:n_pages]):
        r = rng.random()
        if r < 0.3:
            a = catalog[rng.randrange(len(catalog))]
            body = list(a.body)
        elif r < 0.5:
            a = catalog[rng.randrange(len(catalog))]
            body = list(host.body[:1]) + list(a.body[:2]) + list(host.body[1:])
        else:
            body = list(host.body)
        pages.append((f"http://site{i % 50}.example/p/{i}.html", page_html(f"页面{i}", body, "utf-8"), "text/html; charset=utf-8"))
    warc = root / "pages.warc.gz"
    write_warc(warc, pages)
    return factory, warc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    from newsrights.spark.bundle import export_bundle
    from newsrights.spark.job import run_scan
    from newsrights.spark.session import local_session

    root = Path(tempfile.mkdtemp(prefix="nr-bench-spark-"))
    try:
        t0 = time.perf_counter()
        factory, warc = build(root, args.articles, args.pages)
        print(f"corpus: {args.articles} catalog articles, {args.pages} pages in {warc.stat().st_size/1e6:.1f} MB WARC "
              f"(built in {time.perf_counter()-t0:.1f}s)")
        seen: list[str] = []
        t0 = time.perf_counter()
        scan_paths(factory, [warc], store=False, on_finding=lambda f, _i: seen.append(f"{f.page_url} {f.article_id} {f.label}"))
        t_scan = time.perf_counter() - t0
        print(f"scan (1 process): {t_scan:.1f}s  {args.pages/t_scan:.1f} pages/s  {len(seen)} findings")
        bundle = root / "bundle"
        export_bundle(factory, bundle)
        results = {"scan": {"seconds": t_scan, "pages_per_s": args.pages / t_scan, "findings": len(seen)}}
        for master in ("local[1]", "local[2]"):
            spark = local_session(master, shuffle_partitions=4 if master == "local[2]" else 2)
            out = root / f"out-{master[-2]}"
            t0 = time.perf_counter()
            rep = run_scan(spark, [str(warc)], bundle, out)
            dt = time.perf_counter() - t0
            spark.stop()
            got = sorted(f"{d['page_url']} {d['article_id']} {d['label']}" for d in
                         (json.loads(line) for line in (out / "findings" / "findings.jsonl").read_text().splitlines()))
            same = got == sorted(seen)
            stage_s = {k: v for k, v in rep["stages"].items()}
            print(f"spark {master}: {dt:.1f}s  {args.pages/dt:.1f} pages/s  ratio to scan {t_scan/dt:.2f}  "
                  f"same findings: {same}  pairs/partition {stage_s['candidates'].get('pairs_per_partition')}")
            results[master] = {"seconds": dt, "pages_per_s": args.pages / dt, "ratio_to_scan": t_scan / dt,
                               "same_findings": same, "candidates": stage_s["candidates"]}
        cost = 2 / results["local[2]"]["pages_per_s"]  # core-seconds per page on this machine
        core_hours = CC_PAGES * cost / 3600
        print(f"paper estimate for {CC_PAGES/1e9:.0f}e9 pages at {cost*1000:.1f} core-ms/page: "
              f"{core_hours:,.0f} core-hours = {core_hours/ (64*16):,.1f} h on 64 nodes x 16 cores")
        results["estimate"] = {"core_ms_per_page": cost * 1000, "core_hours_cc_month": core_hours}
        print(json.dumps(results, indent=1, default=str))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
