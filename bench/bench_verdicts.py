"""Verdict benchmark: newsrights' licence-aware verdicts vs the credit-string rule, same cases, same run.

    .venv/bin/python bench/bench_verdicts.py [--repeat 200] [--json]

Cases: every row of ``tests/fixtures/licensing/verdict_vectors.toml`` (judged through the pure
core) and every page of the demo web (``newsrights.demo.corpus``: the publisher's articles are
ingested into a temporary catalog, the demo registry is seeded, each page is read and scanned
and the findings judged by ``services.licensing.attach_verdicts``).

Baseline — the rule a rights desk applies by hand: a copy that carries ``来源:国际在线``
anywhere on the page is ``licensed_credited``, any other copy is ``unlicensed``. It runs on the
same findings and pages. Printed: accuracy (verdict equal to the expected one) of both, and
decisions per second of both on the vectors (credit check + verdict, ``--repeat`` rounds).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.unit.licensing import vectors  # noqa: E402

from newsrights.core.credit import check_credit, fold  # noqa: E402
from newsrights.core.model import Article  # noqa: E402
from newsrights.core.verdicts import decide  # noqa: E402

CREDIT = fold("来源:国际在线")


def baseline(page: Article, raw: bytes | str | None = None) -> str:
    text = "\n".join((page.text, *page.credit_lines, f"来源:{page.source}" if page.source else ""))
    if isinstance(raw, bytes):
        text += raw.decode("utf-8", "replace")
    elif raw:
        text += raw
    return "licensed_credited" if CREDIT in fold(text) else "unlicensed"


def run_vectors(repeat: int) -> dict[str, object]:
    data = vectors.load()
    cases = vectors.cases(data)
    regs = {c: vectors.registry(data, conflict=c) for c in ("prohibit", "perm")}
    ours_ok = base_ok = 0
    for c in cases:
        credit = check_credit(c.page, c.article, raw_html=c.raw_html)
        d = decide(c.finding, article=c.article, ownership=c.ownership, page=c.page, credit=credit,
                   registry=regs[c.conflict], article_id=c.key)
        ours_ok += d.verdict == c.expect
        base_ok += baseline(c.page, c.raw_html) == c.expect
    t0 = time.perf_counter()
    for _ in range(repeat):
        for c in cases:
            credit = check_credit(c.page, c.article, raw_html=c.raw_html)
            decide(c.finding, article=c.article, ownership=c.ownership, page=c.page, credit=credit,
                   registry=regs[c.conflict], article_id=c.key)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for c in cases:
            baseline(c.page, c.raw_html)
    t_base = time.perf_counter() - t0
    n = len(cases)
    return {
        "cases": n,
        "ours_accuracy": round(ours_ok / n, 4),
        "baseline_accuracy": round(base_ok / n, 4),
        "ours_per_s": round(n * repeat / t_ours, 1),
        "baseline_per_s": round(n * repeat / t_base, 1),
    }


def run_demo() -> dict[str, object]:
    from newsrights.demo.corpus import build_web_pages
    from newsrights.ingest import read_bytes, read_path
    from newsrights.services import catalog
    from newsrights.services import licensing as L
    from newsrights.services.scan import Scanner
    from newsrights.storage.db import open_db

    with tempfile.TemporaryDirectory() as d:
        factory = open_db(f"sqlite:///{d}/bench.sqlite")
        folder = Path(str(resources.files("newsrights.demo"))) / "data" / "publisher"
        items = list(read_path(folder))
        articles = {Path(a.origin).stem: a for a in items if isinstance(a, Article)}
        catalog.ingest(factory, items)
        L.seed_demo_registry(factory)
        scanner = Scanner.open(factory)
        ours_ok = base_ok = n = 0
        for wp in build_web_pages(articles):
            if wp.expect == "none":
                continue
            (page,) = read_bytes(wp.html, origin=wp.url, url=wp.url, content_type=f"text/html; charset={wp.encoding}")
            assert isinstance(page, Article)
            judged = [f for f in scanner.scan_page(page, raw=wp.html) if f.label != "not_derived"]
            n += 1
            ours_ok += bool(judged) and judged[0].verdict == wp.expect
            base_ok += bool(judged) and baseline(page, wp.html) == wp.expect
        factory.kw["bind"].dispose()
    return {"pages": n, "ours_accuracy": round(ours_ok / n, 4), "baseline_accuracy": round(base_ok / n, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = {"vectors": run_vectors(args.repeat), "demo_web": run_demo()}
    if args.json:
        json.dump(out, sys.stdout, indent=2)
        print()
        return 0
    v, w = out["vectors"], out["demo_web"]
    print(f"{'set':10} {'n':>4} {'ours acc':>9} {'base acc':>9} {'ratio':>6} {'ours/s':>9} {'base/s':>10}")
    print(f"{'vectors':10} {v['cases']:>4} {v['ours_accuracy']:>9.2%} {v['baseline_accuracy']:>9.2%} "
          f"{v['ours_accuracy'] / max(v['baseline_accuracy'], 1e-9):>6.2f} {v['ours_per_s']:>9} {v['baseline_per_s']:>10}")
    print(f"{'demo_web':10} {w['pages']:>4} {w['ours_accuracy']:>9.2%} {w['baseline_accuracy']:>9.2%} "
          f"{w['ours_accuracy'] / max(w['baseline_accuracy'], 1e-9):>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
