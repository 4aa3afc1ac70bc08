"""The Spark job in Spark's local mode: the same input gives exactly the same findings as
``newsrights scan``; stages resume; ``--stop-after`` stops; findings import is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pip install 'newsrights[spark]'")

from newsrights.demo.corpus import build_web_pages, publisher_articles, publisher_folder, write_warc  # noqa: E402
from newsrights.services.catalog import ingest  # noqa: E402
from newsrights.services.licensing import seed_demo_registry  # noqa: E402
from newsrights.services.scan import list_findings, scan_paths  # noqa: E402
from newsrights.storage.db import open_db  # noqa: E402

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]

VOLATILE = ("found_at", "finding_id", "capture")


def _canon(findings: list[dict]) -> list[str]:
    out = []
    for d in findings:
        d = {k: v for k, v in d.items() if k not in VOLATILE}
        out.append(json.dumps(d, sort_keys=True, ensure_ascii=False))
    return sorted(out)


@pytest.fixture(scope="module")
def spark():
    import os
    import shutil as sh

    if not sh.which("java") and not os.environ.get("JAVA_HOME"):
        from tests.conftest import _missing

        _missing("Java 17 for Spark")
    from newsrights.spark.session import local_session

    session = local_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from newsrights.core.model import Rejected
    from newsrights.ingest import read_path

    root = tmp_path_factory.mktemp("spark")
    url = f"sqlite:///{root / 'catalog.sqlite'}"
    factory = open_db(url)
    ingest(factory, list(read_path(Path(publisher_folder()))))
    seed_demo_registry(factory)
    warc = root / "web.warc.gz"
    write_warc(build_web_pages(publisher_articles()), str(warc))
    bad = root / "broken.warc.gz"
    bad.write_bytes(warc.read_bytes()[:700])  # a truncated archive beside it: rejected, not fatal
    assert not any(isinstance(x, Rejected) for x in read_path(Path(publisher_folder())))
    return root, factory, url, [str(warc), str(bad)]


@pytest.fixture(scope="module")
def scanned(spark, world):
    from newsrights.spark.bundle import export_bundle
    from newsrights.spark.job import run_scan

    root, factory, _url, inputs = world
    seen: list[dict] = []
    scan_paths(factory, inputs, store=False, on_finding=lambda f, _id: seen.append(f.to_json()))
    bundle = root / "bundle"
    export_bundle(factory, bundle)
    out = root / "out"
    report = run_scan(spark, inputs, bundle, out)
    return seen, bundle, out, report


def test_spark_job_gives_exactly_the_scan_findings(spark, world, scanned):
    from newsrights.spark.job import run_scan

    _root, _factory, _url, inputs = world
    seen, bundle, out, report = scanned
    assert len(seen) >= 8, "the demo web should give findings"
    got = [json.loads(line) for line in (out / "findings" / "findings.jsonl").read_text().splitlines()]
    assert _canon(got) == _canon(seen)
    assert report["stages"]["extract"]["rejected"] >= 1
    assert {d["verdict"] for d in got} >= {"licensed_credited", "unlicensed", "not_ours", "out_of_scope"}

    # a rerun resumes: every stage is complete and skipped
    again = run_scan(spark, inputs, bundle, out)
    assert all(info["skipped"] for info in again["stages"].values())


def test_stop_after_and_resume_after_a_lost_stage(spark, world):
    from newsrights.spark.bundle import export_bundle
    from newsrights.spark.job import run_scan

    root, factory, _url, inputs = world
    bundle = root / "bundle2"
    export_bundle(factory, bundle)
    out = root / "out2"
    first = run_scan(spark, inputs, bundle, out, stop_after="candidates")
    assert list(first["stages"]) == ["extract", "signatures", "candidates"]
    assert not (out / "align").exists()
    # a stage killed mid-way leaves only its .tmp folder: the rerun redoes it and goes on
    (out / "align.tmp").mkdir()
    (out / "align.tmp" / "part-garbage").write_text("half written")
    second = run_scan(spark, inputs, bundle, out)
    assert [n for n, i in second["stages"].items() if i["skipped"]] == ["extract", "signatures", "candidates"]
    assert second["stages"]["findings"]["findings"] >= 8
    assert not (out / "align.tmp").exists()


def test_findings_import_is_idempotent(world, scanned):
    from newsrights.spark.job import import_findings

    _root, factory, _url, _inputs = world
    _seen, _bundle, out, _report = scanned
    first = import_findings(factory, out)  # the scans above stored nothing in this catalog
    second = import_findings(factory, out)
    assert first["findings"] == second["findings"] >= 8
    with factory() as s:
        stored = list_findings(s, limit=1000)
    assert len(stored) == first["findings"]
