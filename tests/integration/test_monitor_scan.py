"""The real pipeline end to end: catalog → loopback site → fetch → WARC → ingest → Scanner → verdicts → findings."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.core.declaration import publisher_declaration
from newsrights.crawl.capture import read_capture
from newsrights.crawl.local_site import serve_folder
from newsrights.crawl.sources import MonitorConfig, Source
from newsrights.services.catalog import ingest
from newsrights.services.monitor import page_outcomes, run_monitor
from newsrights.services.scan import get_finding
from newsrights.storage.db import open_db
from newsrights.storage.tables.matching import FindingRow
from tests.integration.monitor_site import BEHAVIOURS, build_site, catalog_articles, write_sources
from tests.integration.test_monitor_run import FETCH


def test_monitor_finds_reprints_with_verdicts_and_capture(db_url: str, tmp_path: Path) -> None:
    factory = open_db(db_url)
    ingest(factory, catalog_articles(), site_declaration=publisher_declaration())
    site_dir = build_site(tmp_path / "site")
    with serve_folder(site_dir, behaviours=BEHAVIOURS) as site:
        cfg = MonitorConfig(sources=(Source("site", site.url + "/", 1),), name="real", fetch=FETCH)
        rep = run_monitor(factory, cfg, captures_dir=tmp_path / "cap")
        again = run_monitor(factory, cfg, captures_dir=tmp_path / "cap")
    with factory() as s:
        rows = {r["url"].removeprefix(site.url): r for r in page_outcomes(s, rep.run_id)}
        matched = {u for u, r in rows.items() if r["outcome"] == "matched"}
        assert matched == {"/reprint-a.html", "/reprint-b.html", "/excerpt.html", "/gbk.html"}
        assert rows["/near-miss.html"]["outcome"] == "no_match"
        assert len(rep.new_findings) == 4 and all(f["verdict"] for f in rep.new_findings)
        labels = {f["page_url"].removeprefix(site.url): f["label"] for f in rep.new_findings}
        assert labels["/excerpt.html"] == "excerpt" and labels["/reprint-a.html"] == "whole"
        # each finding points at the exact bytes it came from
        for f in rep.new_findings:
            rec = get_finding(s, f["finding_id"])
            page_row = rows[f["page_url"].removeprefix(site.url)]
            assert rec.finding.capture == page_row["capture"]
            cap = read_capture(tmp_path / "cap", rec.finding.capture)
            assert cap.body == (site_dir / f["page_url"].rsplit("/", 1)[1]).read_bytes()
        n_findings = s.scalar(select(func.count()).select_from(FindingRow))
    # the second run finds the same copies again (index, feed, site root are re-read), stores nothing twice
    assert again.new_findings == [] and n_findings == 4


def test_cli_monitor_json_and_captures_show(sqlite_url: str, tmp_path: Path) -> None:
    factory = open_db(sqlite_url)
    ingest(factory, catalog_articles(), site_declaration=publisher_declaration())
    site_dir = build_site(tmp_path / "site")
    runner = CliRunner()
    with serve_folder(site_dir, behaviours={}) as site:
        src = write_sources(tmp_path / "watch.toml", site.url, name="cli")
        res = runner.invoke(app, ["monitor", "--sources", str(src), "--db", sqlite_url, "--captures",
                                  str(tmp_path / "cap"), "--json"])
        assert res.exit_code == 1, res.output  # done, but the fixture site has broken pages
        rep = json.loads(res.stdout)
        assert rep["outcomes"]["matched"] == 4 and rep["status"] == "finished"
        refused = runner.invoke(app, ["monitor", site("reprint-a.html"), "--db", sqlite_url, "--captures",
                                      str(tmp_path / "cap"), "--json", "--name", "refused"])
        assert json.loads(refused.stdout)["reasons"] == {"rejected:blocked_address": 1}
    with factory() as s:
        cap = next(r["capture"] for r in page_outcomes(s, rep["run_id"]) if r["url"].endswith("reprint-a.html"))
    shown = runner.invoke(app, ["captures", "show", cap, "--captures", str(tmp_path / "cap"), "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["status"] == 200
    body = runner.invoke(app, ["captures", "show", cap, "--captures", str(tmp_path / "cap"), "--body"])
    assert body.stdout_bytes == (site_dir / "reprint-a.html").read_bytes()
    ver = runner.invoke(app, ["captures", "verify", "--captures", str(tmp_path / "cap"), "--json"])
    assert ver.exit_code == 0 and all(isinstance(v, int) for v in json.loads(ver.stdout).values())
    bad = runner.invoke(app, ["monitor", "--db", sqlite_url])
    assert bad.exit_code != 0
    # --every repeats; the second report lists no finding the first one had
    warc = next((tmp_path / "cap").glob("*.warc.gz"))
    every = runner.invoke(app, ["monitor", str(warc), "--db", sqlite_url, "--captures", str(tmp_path / "cap2"),
                                "--json", "--every", "0.1s", "--count", "2", "--name", "from-warc"])
    first, second = (json.loads(line) for line in every.stdout.strip().splitlines())
    assert first["outcomes"]["matched"] == 4 and len(first["new_findings"]) == 4
    assert second["run_id"] == first["run_id"] + 1 and second["new_findings"] == []


def test_demo_hook_monitors_a_folder_on_loopback(sqlite_url: str, tmp_path: Path) -> None:
    from newsrights.services.monitor import monitor_folder

    factory = open_db(sqlite_url)
    ingest(factory, catalog_articles(), site_declaration=publisher_declaration())
    site_dir = build_site(tmp_path / "site")
    (site_dir / "slow.html").unlink()
    rep = monitor_folder(factory, site_dir, captures_dir=tmp_path / "cap")
    assert rep.status == "finished" and rep.outcomes["matched"] == 4
    assert rep.reasons.get("rejected:robots_disallowed") == 1
    assert len(rep.new_findings) == 4
