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
