"""Extraction benchmark: newsrights' HTML reader vs plain trafilatura on the same pages, same run.

    .venv/bin/python bench/bench_extraction.py [--shared ../shared/data] [--json]

Prints, per evaluation set, main-text F1 (bag-of-tokens: one CJK character
or one alphanumeric run per token), title/date/byline accuracy where the
reference states them, snippet score on trafilatura's own set, and pages/s
for both extractors (CPU time of this process, after one warm-up page, so
that a busy machine does not skew the comparison). Metric definitions:
``newsrights.ingest.evaluation``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsrights.ingest.evaluation import LOADERS, ours, plain_trafilatura, score

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out: dict[str, dict[str, object]] = {}
    for name, loader in LOADERS.items():
        cases = list(loader(args.shared))
        row: dict[str, object] = {}
        for label, fn in (("ours", ours), ("trafilatura", plain_trafilatura)):
            fn(cases[0])  # warm-up: imports and one-time tables are not per-page work
            t0 = time.process_time()
            res = score(cases, fn)
            dt = time.process_time() - t0
            res["pages_per_s"] = round(len(cases) / dt, 2) if dt else None
            row[label] = res
        out[name] = row
    combined: dict[str, object] = {}
    for label in ("ours", "trafilatura"):
        pairs = [(r[label]["f1_zh"], r[label]["n_f1_zh"]) for r in out.values() if r[label]["f1_zh"] is not None]  # type: ignore[index]
        n = sum(k for _, k in pairs)
        combined[label] = round(sum(v * k for v, k in pairs) / n, 4) if n else None  # type: ignore[operator]
        combined[f"{label}_pages"] = n
    if args.json:
        out["all_chinese_pages"] = combined  # type: ignore[assignment]
        json.dump(out, sys.stdout, indent=2)
        print()
        return 0
    keys = ("f1", "f1_zh", "title", "date", "byline", "person", "snippets", "pages_per_s")
    print(f"{'set':18} {'pages':>5}  " + "  ".join(f"{k:>19}" for k in keys))
    print(f"{'':18} {'':>5}  " + "  ".join(f"{'ours / traf':>19}" for _ in keys))
    for name, row in out.items():
        o, t = row["ours"], row["trafilatura"]
        cells = []
        for k in keys:
            a, b = o.get(k), t.get(k)  # type: ignore[union-attr]
            cells.append(f"{'-' if a is None else a:>9} / {'-' if b is None else b:<7}")
        print(f"{name:18} {o['pages']:>5}  " + "  ".join(cells))  # type: ignore[index]
    print(
        f"main-text F1 over all {combined['ours_pages']} Chinese pages with a reference text: "
        f"ours {combined['ours']} / trafilatura {combined['trafilatura']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
