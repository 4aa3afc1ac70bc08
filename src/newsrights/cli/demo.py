"""``newsrights demo``: the main job, end to end, on the bundled demo data.

1. a fresh catalog (SQLite in ``--workdir``) with the publisher's declaration;
2. ingest of the publisher's articles (every ownership class; plus the seed page
   from ``../shared/seed`` when it is there) with ownership decisions;
3. the licence registry: licensees in and out of scope, an expired contract, an
   excerpt licence, inbound licences for what the publisher reprints;
4. a scan of another crawler's WARC of other sites' pages (whole copies,
   excerpts, traditional script, GBK/Big5 pages): findings with verdicts;
5. a monitoring run against a small site served on loopback (fetch, robots,
   WARC captures);
6. a case on the worst unlicensed copy with an evidence package that verifies.

``--json`` prints the whole summary as JSON; ``--serve`` then starts the web UI
on the demo database.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import typer

from newsrights.cli.common import console, print_json

DEMO_ACTOR = "demo"


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def _seed_page() -> Path | None:
    candidates = []
    if os.environ.get("NEWSRIGHTS_SHARED"):
        candidates.append(Path(os.environ["NEWSRIGHTS_SHARED"]) / "seed")
    here = Path(__file__).resolve()
    candidates += [Path.cwd().parent / "shared" / "seed", Path.cwd() / "shared" / "seed"]
    candidates += [p / "shared" / "seed" for p in here.parents]
    for c in candidates:
        pages = sorted(c.glob("*.txt")) if c.is_dir() else []
        if pages:
            return pages[0]
    return None


def run_demo(workdir: Path, *, with_monitor: bool = True) -> dict[str, Any]:
    """Run the whole demo flow into ``workdir`` (reset first); returns the summary."""
    from newsrights.demo.corpus import build_web_pages, publisher_articles, publisher_folder, write_warc
    from newsrights.ingest import read_path
    from newsrights.services.catalog import add_declaration, ingest, iter_article_records
    from newsrights.services.licensing import seed_demo_registry
    from newsrights.services.scan import scan_paths
    from newsrights.settings import Settings
    from newsrights.storage.db import open_db, transaction

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    settings = Settings(db_url=f"sqlite:///{workdir / 'newsrights.db'}", home=workdir / "data")
    factory = open_db(settings.db_url)
    summary: dict[str, Any] = {"workdir": str(workdir), "db": settings.db_url}

    # 1-2. declaration and catalog
    from importlib import resources

    decl_text = (resources.files("newsrights.demo") / "data" / "declaration.txt").read_text(encoding="utf-8")
    with transaction(factory) as s:
        decl = add_declaration(s, "国际在线", decl_text, None)
    summary["declaration"] = {"owned_markers": list(decl.to_json()["owned_markers"]),
                              "uninterpreted": decl.to_json()["uninterpreted"]}
    items: list[Any] = list(read_path(Path(publisher_folder())))
    seed = _seed_page()
    if seed is not None:
        items += list(read_path(seed))
    report = ingest(factory, items)
    summary["ingest"] = report.to_json()
    with factory() as s:
        records = list(iter_article_records(s))
    summary["articles"] = [
        {"id": r.id, "title": r.article.title, "ownership": r.ownership.class_, "holder": r.ownership.holder,
         "marker": r.ownership.marker, "reasons": list(r.ownership.reasons)}
        for r in records
    ]

    # 3. registry
    summary["policies"] = seed_demo_registry(factory)

    # 4. scan another crawler's archive
    pages = build_web_pages(publisher_articles())
    warc = workdir / "crawl-archive.warc.gz"
    write_warc(pages, str(warc))
    found: list[dict[str, Any]] = []

    def on_finding(f: Any, fid: int | None) -> None:
        found.append({"finding_id": fid, **f.to_json()})

    scan_report = scan_paths(factory, [warc], on_finding=on_finding)
    summary["scan"] = scan_report.to_json()
    expected = {p.url: (p.expect, p.why) for p in pages}
    summary["findings"] = [
        {k: f[k] for k in ("finding_id", "page_url", "article_id", "label", "article_coverage", "page_coverage",
                           "verdict", "verdict_reasons")} | {"expected": expected.get(f["page_url"], ("?", ""))[0]}
        for f in found
    ]

    # 5. monitoring run on loopback
    if with_monitor:
        summary["monitor"] = _monitor(factory, settings, workdir)

    # 6. a case on the worst unlicensed copy
    unlicensed = [f for f in found if f["verdict"] == "unlicensed" and f["finding_id"] is not None]
    if unlicensed:
        from newsrights.services.cases import open_case_with_evidence

        worst = max(unlicensed, key=lambda f: (f["article_coverage"], f["page_coverage"]))
        summary["case"] = open_case_with_evidence(factory, worst["finding_id"], DEMO_ACTOR, settings=settings)
    return summary


def _monitor(factory: Any, settings: Any, workdir: Path) -> dict[str, Any]:
    from newsrights.crawl.fetcher import FetchConfig
    from newsrights.crawl.local_site import serve_folder
    from newsrights.crawl.sources import MonitorConfig, Source
    from newsrights.demo.corpus import loopback_pages, publisher_articles
    from newsrights.services.monitor import run_monitor

    site = workdir / "loopback-site"
    for rel, data in loopback_pages(publisher_articles()).items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    with serve_folder(site) as live:
        config = MonitorConfig(
            sources=(Source("site", live.url + "/", depth=1),),
            name="demo-loopback",
            fetch=FetchConfig(delay=0.0, allow_hosts=("127.0.0.1",), retries=1),
        )
        rep = run_monitor(factory, config, captures_dir=settings.captures_dir)
    return rep.to_json()


def demo(
    workdir: Path = typer.Option(Path("newsrights-demo"), "--workdir", help="Folder for the demo database and files (reset)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    serve: bool = typer.Option(False, "--serve", help="Then start the web UI on the demo data."),
    port: int = typer.Option(8000, "--port"),
    no_monitor: bool = typer.Option(False, "--no-monitor", help="Skip the loopback monitoring run."),
) -> None:
    """Run the whole rights-desk flow on the bundled demo data."""
    summary = run_demo(workdir.resolve(), with_monitor=not no_monitor)
    if as_json:
        print_json(summary)
    else:
        _print(summary)
    bad = [f for f in summary["findings"] if f["expected"] not in (f["verdict"], "?")]
    if serve:
        from newsrights.api.app import serve as serve_app
        from newsrights.services.accounts import create_demo_admin
        from newsrights.settings import Settings
        from newsrights.storage.db import open_db

        settings = Settings(db_url=summary["db"], home=Path(summary["workdir"]) / "data")
        user, password = create_demo_admin(open_db(settings.db_url))
        console.print(f"web UI: http://127.0.0.1:{port}/  sign in as {user} / {password}  (Ctrl-C stops)")
        serve_app(settings, "127.0.0.1", port)
    if bad:
        raise typer.Exit(3)


def _print(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape as e
    from rich.table import Table

    # titles, URLs and reasons come from pages (reasons quote them): printed as text, not markup
    out = Console(width=None if Console().is_terminal else 160)
    out.rule("[bold]newsrights demo")
    ing = summary["ingest"]
    out.print(f"catalog: {summary['db']}  ingest: {ing}")
    t = Table(title="Ownership under the declaration in force", show_lines=False)
    for c in ("article", "class", "holder / marker", "first reason"):
        t.add_column(c)
    for a in summary["articles"]:
        t.add_row(e((a["title"] or "")[:30]), a["ownership"], e(a["holder"] or a["marker"] or ""),
                  e((a["reasons"][0] if a["reasons"] else "")[:60]), )
    out.print(t)
    t = Table(title="Copies found in another crawler's archive, with verdicts")
    for c in ("page", "label", "cover", "verdict", "expected", "reason"):
        t.add_column(c)
    for f in summary["findings"]:
        ok = "" if f["expected"] in (f["verdict"], "?") else " [red]✗[/red]"
        t.add_row(e(f["page_url"][7:50]), f["label"], f"{f['article_coverage']:.0%}", f["verdict"] or "",
                  f["expected"] + ok, e((f["verdict_reasons"][0] if f["verdict_reasons"] else "")[:70]), )
    out.print(t, markup=True)
    if "monitor" in summary:
        m = summary["monitor"]
        out.print(f"monitoring run on loopback: {m.get('outcomes', m)}")
    if "case" in summary:
        c = summary["case"]
        out.print(f"case #{c['case']['id']} against {c['case'].get('site')}: state {c['case'].get('state')}; "
                  f"evidence {c['package'].get('path')} verifies: {c['verification'].get('ok')}")
    out.print(f"[dim]JSON: newsrights demo --json · web UI: newsrights demo --serve · files in {e(summary['workdir'])}[/dim]")
