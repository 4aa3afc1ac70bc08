"""The whole chain on the demo's web: ingest the publisher's articles, seed the demo registry,
scan every page of the other sites; each page gets the verdict the demo expects."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.core.model import VERDICTS, Article
from newsrights.demo.corpus import build_web_pages
from newsrights.ingest import read_bytes, read_path
from newsrights.services import catalog
from newsrights.services import licensing as L
from newsrights.services.scan import Scanner
from newsrights.storage.db import open_db, transaction


def test_demo_pages_get_their_expected_verdicts(sqlite_url: str) -> None:
    factory = open_db(sqlite_url)
    folder = Path(str(resources.files("newsrights.demo"))) / "data" / "publisher"
    items = list(read_path(folder))
    articles = {Path(a.origin).stem: a for a in items if isinstance(a, Article)}
    assert catalog.ingest(factory, items).rejected_total == 0
    L.seed_demo_registry(factory)
    scanner = Scanner.open(factory)
    seen = set()
    for wp in build_web_pages(articles):
        (page,) = read_bytes(wp.html, origin=wp.url, url=wp.url, content_type=f"text/html; charset={wp.encoding}")
        assert isinstance(page, Article)
        judged = [f for f in scanner.scan_page(page, raw=wp.html) if f.label != "not_derived"]
        with transaction(factory) as session:
            scanner.record(session, page, judged, raw=wp.html)
        got = judged[0].verdict if judged else "none"
        assert got == wp.expect, (wp.url, wp.why, [f.verdict_reasons for f in judged])
        for f in judged:
            assert f.verdict_reasons and f.registry_snapshot and f.registry_snapshot.startswith("reg-")
        seen.add(got)
    assert seen - {"none"} == set(VERDICTS)  # every verdict at least once

    # `newsrights verdicts` lists the stored verdicts with filters
    def verdicts(*args: str) -> list[dict]:  # type: ignore[type-arg]
        r = CliRunner().invoke(app, ["verdicts", "--json", "--db", sqlite_url, *args])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    every = verdicts()
    assert len(every) == 9 and {r["verdict"] for r in every} == set(VERDICTS)
    assert all(r["registry_snapshot"].startswith("reg-") and r["verdict_reasons"] for r in every)
    partner = verdicts("--site", "partner.example")
    assert sorted(r["verdict"] for r in partner) == ["licensed_credited", "licensed_uncredited", "out_of_scope"]
    scope = verdicts("--verdict", "out_of_scope")
    assert {r["site"] for r in scope} == {"mirror.partner.example", "oldpartner.example", "digest.example"}
    assert any(x.startswith("expired") for r in scope for x in r["verdict_reasons"])
    forum_id = catalog.article_id_for(articles["001_silk_road_forum"])
    assert {r["article_id"] for r in verdicts("--article", forum_id)} == {forum_id}
    assert verdicts("--until", "2000-01-01") == []
    (weather,) = verdicts("--site", "weather.example")
    assert any(r.startswith("publisher_reprint_covered: licensed: urn:newsrights:inbound:") for r in weather["verdict_reasons"])
