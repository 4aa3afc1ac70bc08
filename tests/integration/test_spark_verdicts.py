"""The Spark job's verdict step (``spark.job.judge_page``, on bundle data) gives the same
verdicts and reasons as the single-process scan (``services.licensing.attach_verdicts``).

No Spark needed: ``judge_page`` is a plain function, so this drift check runs in every test
run, while ``tests/spark`` runs the whole job in Spark's local mode.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsrights.core.model import Article
from newsrights.demo.corpus import build_web_pages, publisher_articles, publisher_folder, write_warc
from newsrights.ingest import read_path
from newsrights.services.catalog import ingest
from newsrights.services.licensing import seed_demo_registry
from newsrights.services.scan import _raw_of, scan_paths
from newsrights.spark.bundle import RegistryHistory, export_bundle
from newsrights.spark.job import judge_page
from newsrights.spark.rows import article_from_json, article_to_json, ownership_from_json
from newsrights.storage.db import open_db


def test_judge_page_matches_attach_verdicts(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    factory = open_db(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    ingest(factory, list(read_path(Path(publisher_folder()))))
    seed_demo_registry(factory)
    warc = tmp_path / "web.warc.gz"
    write_warc(build_web_pages(publisher_articles()), str(warc))
    seen = []
    scan_paths(factory, [warc], store=False, on_finding=lambda f, _id: seen.append(f))
    assert {f.verdict for f in seen} >= {"not_ours", "unlicensed", "licensed_credited", "out_of_scope"}

    bundle = tmp_path / "bundle"
    export_bundle(factory, bundle)
    t = pq.read_table(bundle / "articles.parquet", columns=["article_id", "article", "ownership"])
    records = {aid: (article_from_json(a), ownership_from_json(o)) for aid, a, o in
               zip(t["article_id"].to_pylist(), t["article"].to_pylist(), t["ownership"].to_pylist(), strict=True)}
    history = RegistryHistory.load(bundle)
    pages = {(p.url or p.origin): p for p in read_path(warc) if isinstance(p, Article)}
    for f in seen:
        page = pages[f.page_url]
        bare = replace(f, verdict=None, verdict_reasons=(), registry_snapshot=None)
        (got,) = judge_page(article_to_json(page), _raw_of(page.origin), [_finding_json(bare)], bundle,
                            records, history)
        assert (got.verdict, got.verdict_reasons, got.registry_snapshot) == \
            (f.verdict, f.verdict_reasons, f.registry_snapshot), f.page_url


def _finding_json(f: object) -> str:
    from newsrights.spark.rows import finding_to_json

    return finding_to_json(f)  # type: ignore[arg-type]
