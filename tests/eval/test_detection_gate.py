"""Quality gate of copy detection (issue 3, part 5), with floors pinned in detection_floors.toml.

One run of the product's :class:`~newsrights.core.matching.detect.Detector` over

* (a) the real reprints of zh_news_xwlb_two_outlets (mrxwlb.com pages against a
  catalog of CCTV's own items; a quarter of the items held out so their
  reprints are same-day hard negatives),
* (b) generated variants of catalog items (whole, excerpts in host stories,
  reordered, light edits, ads, new titles, width/punctuation, stray spaces and
  zero-width characters, Taiwan and Hong Kong script, HTML in GBK and Big5
  read through the ingest path),
* (c) hard negatives (SogouCA 2012 news, English news, cleaned Chinese web pages),

then every figure of :func:`newsrights.evalkit.gate.gate_metrics` is checked
against its floor (all violations reported together). The report is also
written to ``test-artifacts/detection_gate.{txt,json}``.

Floors only rise: pin a floor just below what you measure; lowering one is a
deliberate, reviewed change of the TOML file with its reason in the commit.
Set ``NEWSRIGHTS_EVAL_DAYS`` / ``NEWSRIGHTS_EVAL_PER_KIND`` to run a smaller or
larger slice locally (the gate in CI uses the defaults below).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from newsrights.evalkit.gate import check_floors, format_metrics, gate_metrics, load_floors
from newsrights.evalkit.runner import DetectorRunner
from newsrights.evalkit.scoring import score
from newsrights.evalkit.suite import build_suite

FLOORS = Path(__file__).with_name("detection_floors.toml")

pytestmark = pytest.mark.eval


def test_floors_file_is_sane() -> None:
    floors = load_floors(FLOORS)
    targets = floors["targets"]
    for name, value in floors["floors"].items():
        assert 0.0 <= value <= 1.0, name
    for name in targets:
        assert name in floors["floors"] or name in floors.get("ceilings", {}), f"target {name} has no floor"


def test_detection_gate(shared_data: Path, artifacts_dir: Path) -> None:
    floors = load_floors(FLOORS)
    days = int(os.environ.get("NEWSRIGHTS_EVAL_DAYS", floors["run"]["days"]))
    per_kind = int(os.environ.get("NEWSRIGHTS_EVAL_PER_KIND", floors["run"]["per_kind"]))
    t0 = time.perf_counter()
    suite = build_suite(shared_data, days=days, per_kind=per_kind, seed=floors["run"]["seed"])
    runner = DetectorRunner(suite.catalog)
    report = score(suite.cases, runner.findings)
    metrics = gate_metrics(report)
    elapsed = time.perf_counter() - t0

    text = (
        f"detection gate: {suite.describe()}; {runner.checked} pages checked in {runner.check_seconds:.1f} s "
        f"(index build {runner.build_seconds:.2f} s, whole run {elapsed:.1f} s); params {runner.params.name}\n"
        f"{report.table()}\n\n{format_metrics(metrics, floors)}\n"
        f"ambiguous findings left out: {report.ambiguous_findings}\n"
        f"first misses: {report.misses[:15]}\nfalse positives: {report.false_positives[:15]}\n"
        f"label errors: {report.label_errors[:15]}\n"
    )
    print(text)
    (artifacts_dir / "detection_gate.txt").write_text(text, encoding="utf-8")
    (artifacts_dir / "detection_gate.json").write_text(
        json.dumps({"metrics": metrics, "report": report.to_json()}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )

    # the run really covered what it claims
    assert runner.checked == len(suite.cases)
    assert len(suite.generated) >= 13 * per_kind
    assert report.by_kind["negative_english"].pages > 300

    failures = check_floors(metrics, floors)
    assert not failures, "detection figures under their floors:\n  " + "\n  ".join(failures) + "\n\n" + text


def test_scan_cli_slice_reads_gbk_and_big5_pages(shared_data: Path, tmp_path: Path) -> None:
    """A small slice through the real ``newsrights scan`` path: a catalog database, a folder of
    HTML pages in GBK and Big5 (generated copies) and negatives, JSON lines out."""
    import random
    import subprocess
    import sys

    from newsrights.core.model import Article
    from newsrights.evalkit.datasets import load_english, load_sogouca
    from newsrights.evalkit.generate import make_variant, page_html
    from newsrights.services.catalog import ingest
    from newsrights.storage.db import open_db

    floors = load_floors(FLOORS)
    suite = build_suite(shared_data, days=5, per_kind=1, seed=floors["run"]["seed"], kinds=("whole",))
    catalog = [d for d in suite.catalog if len(d.text) >= 300 and len(d.body) >= 2][:30]
    url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    factory = open_db(url)
    report = ingest(
        factory,
        [Article(body=d.body, title=d.title, url=d.uri, site="tv.cctv.com", origin=d.uri) for d in catalog],
    )
    assert report.rejected_total == 0

    pages = tmp_path / "pages"
    pages.mkdir()
    rng = random.Random(floors["run"]["seed"])
    sogou = load_sogouca(shared_data)
    expected: dict[str, tuple[str, str]] = {}  # page file -> (article uri, label)
    for i in range(8):
        art = catalog[(i * 7) % len(catalog)]
        kind = ("gbk_html", "big5_html", "excerpt", "s2hk")[i % 4]
        case = make_variant(art, kind, rng=rng, host=sogou[i], case_id=f"p{i}")
        name = f"copy{i}_{kind}.html"
        if case.html is not None:
            data = case.html
        else:  # excerpt in GBK, Hong Kong script in Big5
            data = page_html(case.page_title, case.page_body, "big5" if kind == "s2hk" else "gbk")
        (pages / name).write_bytes(data)
        expected[name] = (art.uri, case.gold[0].label)
    for i, d in enumerate(sogou[50:54]):
        (pages / f"neg_zh{i}.html").write_bytes(page_html(d.title, d.body, "gbk"))
    for i, d in enumerate(load_english(shared_data)[:3]):
        (pages / f"neg_en{i}.html").write_bytes(page_html(d.title, d.body, "utf-8"))

    proc = subprocess.run(
        [sys.executable, "-m", "newsrights.cli.main", "scan", str(pages), "--db", url, "--jsonl"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    for r in rows:
        for key in (
            "page_url",
            "article_id",
            "article_uri",
            "label",
            "article_coverage",
            "page_coverage",
            "spans",
            "params",
        ):
            assert key in r, f"{key} missing from {r}"
    found: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        found.setdefault(Path(r["page_url"].removeprefix("file://")).name, set()).add(
            (r["article_uri"], r["label"])
        )
    false_pos = sorted(n for n in found if n.startswith("neg_"))
    hits = [n for n, (uri, _) in expected.items() if uri in {u for u, _ in found.get(n, set())}]
    labels_ok = [n for n, want in expected.items() if want in found.get(n, set())]
    recall = len(hits) / len(expected)
    print(
        f"scan CLI slice: {len(expected)} copies (GBK/Big5 HTML), 7 negatives; recall {recall:.3f}, "
        f"labels right {len(labels_ok)}, false positives {false_pos}; pages seen: {sorted(found)}"
    )
    assert not false_pos, f"findings on negative pages: {false_pos}"
    assert recall >= floors["cli_slice"]["recall"], (expected, found, proc.stderr[-2000:])
