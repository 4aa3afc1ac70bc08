"""Copy-detection benchmark: our Detector against datasketch and rensa on the same texts, same run.

Sections (each prints a Markdown table; ratios are ours / baseline):

1. **Quality and matching throughput** on the evaluation suite
   (:func:`newsrights.evalkit.suite.build_suite`: real xwlb reprints, generated
   variants, hard negatives): extracted texts in, findings out. Our pipeline
   (normalise, MinHash-LSH + anchors, alignment, spans) vs datasketch MinHash +
   MinHashLSH and rensa RMinHash + RMinHashLSH (character 5-shingles, 128
   permutations, threshold 0.5), with recall and precision of each beside.
2. **End-to-end from a WARC** of generated copies and real Chinese pages:
   pages/s of our read path + matching, against the physical limits on the same
   WARC: reading and sha256 of the raw payloads alone, a selectolax (lexbor)
   parse alone, trafilatura alone.
3. **Scale**: an index of N synthetic articles (clauses of real news sentences
   recombined): build time, bytes per article (index arrays and process RSS),
   extrapolation to 1M articles, and p50/p99 latency of one check.

Usage (one core; quick run first, the full one takes a few minutes)::

    .venv/bin/python bench/bench_matching.py --days 10 --per-kind 10 --articles 10000
    .venv/bin/python bench/bench_matching.py            # full: 90 days, 40/kind, 100k articles
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from matching_data import (  # noqa: E402
    DatasketchBaseline,
    RensaBaseline,
    clause_pool,
    iter_warc_payloads,
    synthetic_articles,
    write_warc,
)

from newsrights.core.model import Article, Finding  # noqa: E402
from newsrights.evalkit.cases import Case  # noqa: E402
from newsrights.evalkit.datasets import load_cwced, load_sogouca, load_xwlb  # noqa: E402
from newsrights.evalkit.gate import gate_metrics  # noqa: E402
from newsrights.evalkit.generate import make_variant, page_html  # noqa: E402
from newsrights.evalkit.runner import DetectorRunner, page_text_of  # noqa: E402
from newsrights.evalkit.scoring import score  # noqa: E402
from newsrights.evalkit.suite import build_suite  # noqa: E402


def rss_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def fmt_rate(n: int, secs: float) -> str:
    return f"{n / secs:,.0f}" if secs > 0 else "inf"


# ---------------------------------------------------------------- section 1
def section_quality(args: argparse.Namespace) -> dict[str, float]:
    suite = build_suite(args.data, days=args.days, per_kind=args.per_kind, seed=2024)
    cases = list(suite.cases)
    texts = {c.id: page_text_of(c) for c in cases}
    plain = [
        Case(id=c.id, kind=c.kind, page_body=(texts[c.id],), gold=c.gold, ambiguous=c.ambiguous)
        for c in cases
    ]
    total_chars = sum(len(t) for t in texts.values())
    print(
        f"\n## 1. Quality and matching throughput\n\n{suite.describe()}; {len(cases)} texts, {total_chars:,} characters.\n"
    )

    systems: list[tuple[str, float, float, dict[str, float]]] = []

    runner = DetectorRunner(suite.catalog)
    engines: list[tuple[str, float, object]] = [(f"newsrights ({runner.params.name})", runner.build_seconds,
                                                 runner.detector)]
    for cls in (DatasketchBaseline, RensaBaseline):
        try:
            t0 = time.process_time()
            base = cls(suite.catalog)
            engines.append((cls.name, time.process_time() - t0, base))
        except Exception as exc:  # rensa may not import on this platform
            print(f"- {cls.name}: not run ({type(exc).__name__}: {exc})")
    # warm each engine on the first texts (ours: compiled kernels, article cache), then run the
    # engines over the same chunks of 50 texts in turn, so that a change of machine load during
    # the run weighs on all of them alike (CPU time of this process per engine)
    for _, _, eng in engines:
        for c in cases[:50]:
            eng.check(texts[c.id])  # type: ignore[attr-defined]
    outs: list[dict[str, list[Finding]]] = [{} for _ in engines]
    secs = [0.0 for _ in engines]
    for i in range(0, len(cases), 50):
        chunk = cases[i : i + 50]
        for j, (_, _, eng) in enumerate(engines):
            t0 = time.process_time()
            for c in chunk:
                outs[j][c.id] = eng.check(texts[c.id])  # type: ignore[attr-defined]
            secs[j] += time.process_time() - t0
    ours_out = outs[0]
    rep = score(plain, lambda c: ours_out[c.id])
    for j, (name, build, _) in enumerate(engines):
        m = gate_metrics(rep) if j == 0 else gate_metrics(score(plain, lambda c, o=outs[j]: o[c.id]))
        systems.append((name, build, secs[j], m))
    ours_secs = secs[0]

    ds_secs = next((s for n, _, s, _ in systems if n == "datasketch"), None)
    cols = [
        "whole_recall",
        "excerpt150_recall",
        "excerpt_recall",
        "traditional_recall",
        "xwlb_reprint_recall",
        "xwlb_kuaixun_recall",
        "overall_recall",
        "overall_precision",
        "negative_false_positives",
    ]
    print("| system | index build s | texts/s | × datasketch | " + " | ".join(cols) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(cols))
    for name, build, secs, m in systems:
        ratio = f"{ds_secs / secs:.1f}×" if ds_secs else "-"
        vals = " | ".join(f"{m[c]:.3f}" if c != "negative_false_positives" else f"{m[c]:.0f}" for c in cols)
        print(f"| {name} | {build:.2f} | {fmt_rate(len(cases), secs)} | {ratio} | {vals} |")
    ours = systems[0][3]
    print(
        f"\nOur spans (PAN): precision {ours.get('span_precision', 0):.4f}, recall {ours.get('span_recall', 0):.4f}, "
        f"granularity {ours.get('span_granularity', 0):.4f}, plagdet {ours.get('plagdet', 0):.4f}; "
        f"label accuracy {ours['label_accuracy']:.4f}."
    )
    print("\nPer kind (ours):\n\n```\n" + rep.table() + "\n```")
    return {"ours_texts_per_s": len(cases) / ours_secs}


# ---------------------------------------------------------------- section 2
def _warc_pages(args: argparse.Namespace, suite_catalog, hosts) -> list[tuple[str, bytes, str]]:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    pages: list[tuple[str, bytes, str]] = []
    kinds = ("whole", "excerpt", "light_edit", "s2twp", "s2hk", "ads", "gbk_html", "big5_html")
    articles = [d for d in suite_catalog if len(d.text) >= 300 and len(d.body) >= 2]
    for i in range(args.warc_copies):
        kind = kinds[i % len(kinds)]
        art = articles[rng.randrange(len(articles))]
        case = make_variant(art, kind, rng=rng, host=hosts[rng.randrange(len(hosts))], case_id=f"w{i}")
        if case.html is not None:
            pages.append((case.page_url, case.html, f"text/html; charset={case.encoding}"))
        else:
            pages.append(
                (
                    case.page_url,
                    page_html(case.page_title, case.page_body, "utf-8"),
                    "text/html; charset=utf-8",
                )
            )
    real = sorted((args.data / "zh_news_html_gne").glob("*.html")) + sorted(
        (args.data / "zh_web_extraction_gt_cwced" / "original").glob("*.html")
    )
    for f in real:
        pages.append((f"http://real.example/{f.name}", f.read_bytes(), "text/html"))
    return pages


def section_warc(args: argparse.Namespace) -> None:
    from newsrights.ingest import read_path
    from newsrights.ingest.html import fast_text

    xs = load_xwlb(args.data, days=args.days)
    runner = DetectorRunner(xs.cctv)
    pages = _warc_pages(args, xs.cctv, load_sogouca(args.data))
    tmp = Path(tempfile.mkdtemp(prefix="bench-matching-"))
    warc = tmp / "pages.warc.gz"
    size = write_warc(warc, pages)
    raw_bytes = sum(len(b) for _, b, _ in pages)
    n = len(pages)
    print(
        f"\n## 2. End-to-end from a WARC\n\n{n} pages ({args.warc_copies} generated copies, {n - args.warc_copies} real "
        f"Chinese pages), {raw_bytes / n / 1024:.0f} KB per page on average, WARC.gz {size / 1e6:.1f} MB.\n"
    )
    rows: list[tuple[str, int, float]] = []

    t0 = time.process_time()
    for _url, body in iter_warc_payloads(warc):
        hashlib.sha256(body).digest()
    rows.append(("read WARC + sha256 of payloads (physical limit)", n, time.process_time() - t0))

    from selectolax.lexbor import LexborHTMLParser

    t0 = time.process_time()
    for _url, body in iter_warc_payloads(warc):
        tree = LexborHTMLParser(body)
        if tree.body is not None:
            tree.body.text(separator="\n")
    rows.append(("read + lexbor parse and body text alone (selectolax)", n, time.process_time() - t0))

    t0 = time.process_time()
    for _url, body in iter_warc_payloads(warc):
        fast_text(body)
    rows.append(("read + ingest.html.fast_text (cheap title + text)", n, time.process_time() - t0))

    t0 = time.process_time()
    found_fast = 0
    for url, body in iter_warc_payloads(warc):
        _title, text = fast_text(body)
        found_fast += bool(runner.detector.check(text, page_url=url))
    rows.append(
        (f"read + fast_text + our matching ({found_fast} pages with findings)", n, time.process_time() - t0)
    )

    import trafilatura

    sub = pages[:: max(1, n // args.trafilatura_pages)]  # spread over generated and real pages
    t0 = time.process_time()
    for _url, body, _ in sub:
        trafilatura.extract(body)
    rows.append(("trafilatura.extract alone", len(sub), time.process_time() - t0))

    t0 = time.process_time()
    found = read = 0
    for item in read_path(warc):
        if isinstance(item, Article):
            read += 1
            found += bool(runner.detector.check(item.text, page_url=item.url or ""))
    rows.append(
        (
            f"our full read path (read_path: careful extraction) + matching ({read} read, {found} with findings)",
            n,
            time.process_time() - t0,
        )
    )

    scan_rate = _scan_service_rate(warc, xs.cctv, n)
    if scan_rate:
        rows.append(scan_rate)

    limit = n / rows[0][2]
    print("| stage | pages | seconds | pages/s | share of the physical limit |")
    print("|---|---:|---:|---:|---:|")
    for name, cnt, secs in rows:
        rate = cnt / secs
        print(f"| {name} | {cnt} | {secs:.2f} | {rate:,.0f} | {rate / limit:.3f} |")


def _scan_service_rate(warc: Path, catalog, n: int):  # type: ignore[no-untyped-def]
    """pages/s of ``newsrights.services.scan.scan_paths`` (what ``newsrights scan`` runs) over the WARC,
    against a SQLite catalog of ``catalog``; findings stored. The index sync is timed apart."""
    try:
        from newsrights.services.catalog import ingest
        from newsrights.services.scan import Scanner, scan_paths
        from newsrights.storage.db import open_db
    except ImportError as exc:
        print(f"- the scan service is not available ({exc}): the Scanner path is not measured.")
        return None
    tmp = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    factory = open_db(f"sqlite:///{tmp / 'catalog.sqlite'}")
    ingest(
        factory,
        [Article(body=d.body, title=d.title, url=d.uri, site="tv.cctv.com", origin=d.uri) for d in catalog],
    )
    t0 = time.process_time()
    Scanner.open(factory)
    sync = time.process_time() - t0
    print(f"- scan service: catalog of {len(catalog)} articles indexed (sync) in {sync:.2f} s CPU.")
    t0 = time.process_time()
    rep = scan_paths(factory, [warc], store=True)
    secs = time.process_time() - t0
    return (
        f"newsrights scan service (scan_paths: read, cheap text first, match, verdicts, store; {rep.findings} findings)",
        n,
        secs,
    )


# ---------------------------------------------------------------- section 3
def section_scale(args: argparse.Namespace) -> None:
    from newsrights.core.matching.detect import Detector
    from newsrights.core.matching.params import DEFAULT_PARAMS

    xs = load_xwlb(args.data, days=None)
    sogou = load_sogouca(args.data)
    pool = clause_pool(list(xs.cctv) + sogou + load_cwced(args.data))
    t0 = time.process_time()
    arts = synthetic_articles(pool, args.articles)
    texts = {a.id: a.text for a in arts}
    gen_secs = time.process_time() - t0
    avg_chars = sum(map(len, texts.values())) / len(texts)
    print(
        f"\n## 3. Scale: {args.articles:,} synthetic articles\n\n{len(pool):,} clauses of real news, crossed and recombined; "
        f"{avg_chars:,.0f} characters per article on average (generated in {gen_secs:.1f} s).\n"
    )
    rss_empty = rss_bytes()
    det = Detector(DEFAULT_PARAMS, text_source=texts.get)
    half = len(arts) // 2
    t0 = time.process_time()
    for a in arts[:half]:
        det.add(a.id, a.uri, texts[a.id])
    det.compact()
    rss_half = rss_bytes()
    nbytes_half = det.nbytes
    for a in arts[half:]:
        det.add(a.id, a.uri, texts[a.id])
    det.compact()
    build = time.process_time() - t0
    rss_full = rss_bytes()
    # slope between half and full: per-article cost without the fixed allocations (df sketch, imports)
    per_idx = (det.nbytes - nbytes_half) / (len(arts) - half)
    per_rss = (rss_full - rss_half) / (len(arts) - half)
    fixed = rss_half - rss_empty - per_rss * half

    rng = random.Random(5)
    queries: list[tuple[str, str, str | None]] = []
    for i in range(args.queries):
        a = arts[rng.randrange(len(arts))]
        r = i % 4
        if r == 0:
            queries.append(("whole", a.text, a.id))
        elif r == 1:
            c = make_variant(a, "light_edit", rng=rng)
            queries.append(("light_edit", c.page_text, a.id))
        elif r == 2:
            c = make_variant(a, "excerpt", rng=rng, host=sogou[rng.randrange(len(sogou))])
            queries.append(("excerpt", c.page_text, a.id))
        else:
            queries.append(("negative", sogou[rng.randrange(len(sogou))].text, None))
    lat: list[float] = []
    by_kind: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for kind, text, aid in queries:
        t0 = time.process_time()
        fs = det.check(text)
        lat.append((time.process_time() - t0) * 1000)
        by_kind.setdefault(kind, []).append(lat[-1])
        h = hits.setdefault(kind, [0, 0])
        h[1] += 1
        h[0] += (aid in {f.article_id for f in fs}) if aid else (not fs)
    lat.sort()
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
    print("| figure | value | goal |")
    print("|---|---:|---|")
    print(f"| index build | {build:.1f} s ({len(arts) / build:,.0f} articles/s) | |")
    print(f"| index arrays (Detector.nbytes) per article | {per_idx:,.0f} B | |")
    print(
        f"| process RSS growth per article, second half of the build (texts held outside) | {per_rss:,.0f} B | |"
    )
    print(f"| fixed allocations (df sketch, tables, imports) | {fixed / 2**20:,.0f} MiB | |")
    print(
        f"| extrapolated to 1M articles (fixed + 1M × per-article RSS) | {(fixed + per_rss * 1e6) / 2**30:.2f} GiB | ≤ 4 GB |"
    )
    print(f"| check latency p50 / p99 ({len(lat)} queries) | {p50:.1f} ms / {p99:.1f} ms | p99 ≤ 50 ms |")
    for kind, ms in sorted(by_kind.items()):
        ms.sort()
        p99k = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
        print(f"| {kind} queries: latency p50 / p99 | {statistics.median(ms):.1f} ms / {p99k:.1f} ms | |")
    for kind, (ok, tot) in sorted(hits.items()):
        what = "no finding" if kind == "negative" else "source article found"
        print(f"| {kind} queries: {what} | {ok}/{tot} | |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("NEWSRIGHTS_SHARED", ROOT.parent / "shared")) / "data",
    )
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--per-kind", type=int, default=40)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--warc-copies", type=int, default=400)
    ap.add_argument("--trafilatura-pages", type=int, default=200)
    ap.add_argument("--sections", default="1,2,3")
    args = ap.parse_args()
    sections = set(args.sections.split(","))
    print(
        f"# bench_matching\n\n`{' '.join(['bench/bench_matching.py', *sys.argv[1:]])}` — one process, one core; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    if "1" in sections:
        section_quality(args)
    if "2" in sections:
        section_warc(args)
    if "3" in sections:
        section_scale(args)


if __name__ == "__main__":
    main()
