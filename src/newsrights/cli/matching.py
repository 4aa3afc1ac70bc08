"""CLI commands of the matching area: ``newsrights scan`` and ``newsrights findings list|show``.

``scan`` writes one JSON line per finding to stdout with ``--jsonl`` (a summary
JSON otherwise); progress, rejected pages and the summary go to stderr. Exit 0:
the run completed and nothing was rejected; 1: it completed but some input was
rejected; 2: usage or configuration error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from newsrights.cli.common import DbOption, console, print_json, progress_enabled, settings
from newsrights.core.model import Article, Finding, Rejected


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("scan")(scan)
    findings = typer.Typer(help="Stored findings: pages that reuse catalog articles.", no_args_is_help=True)
    findings.command("list")(findings_list)
    findings.command("show")(findings_show)
    app.add_typer(findings, name="findings")


def scan(
    paths: Annotated[list[Path], typer.Argument(help="Pages: HTML, text, WARC/WARC.gz, ninjs, feeds, or folders of them.")],
    jsonl: bool = typer.Option(False, "--jsonl", help="One JSON line per finding on stdout."),
    db: str | None = DbOption,
    store: bool = typer.Option(True, "--store/--no-store", help="Record findings and page bytes in the database."),
    include_not_derived: bool = typer.Option(
        False, "--include-not-derived", help="Also print candidates checked and found not derived."
    ),
) -> None:
    """Find copies of catalog articles in pages: whole, excerpts, edited, traditional script."""
    from newsrights.services.scan import scan_paths
    from newsrights.storage.db import open_db

    factory = open_db(settings(db).db_url)
    progress = None
    task = None
    if progress_enabled():
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} pages"),
                            TimeElapsedColumn(), console=console, transient=True)
        progress.start()
        task = progress.add_task("scanning", total=None)

    def on_page(page: Article) -> None:
        if progress is not None and task is not None:
            progress.update(task, advance=1, description=f"scanning {page.origin[-60:]}")

    def on_finding(f: Finding, fid: int | None) -> None:
        if jsonl:
            d = f.to_json()
            d["finding_id"] = fid
            print_json(d, line=True)

    def on_rejected(r: Rejected) -> None:
        console.print(f"[yellow]rejected[/] {r.origin}: {r.reason} {r.detail}", markup=True, highlight=False)

    try:
        report = scan_paths(factory, [str(p) for p in paths], store=store, include_not_derived=include_not_derived,
                            on_finding=on_finding, on_page=on_page, on_rejected=on_rejected)
    finally:
        if progress is not None:
            progress.stop()
    summary = report.to_json()
    console.print(
        f"scanned {report.pages} pages ({report.skipped_cheap} without candidates), "
        f"{report.findings} findings {summary['labels']}, rejected {report.rejected_total} {summary['rejected']}; "
        f"index {summary['index']} params {report.params}",
        highlight=False, markup=False,
    )
    if not jsonl:
        print_json(summary)
    sys.stdout.flush()
    raise typer.Exit(1 if report.rejected_total else 0)


def findings_list(
    db: str | None = DbOption,
    article: str | None = typer.Option(None, "--article", help="Only findings of this article id."),
    verdict: str | None = typer.Option(None, "--verdict"),
    label: str | None = typer.Option(None, "--label", help="whole or excerpt"),
    limit: int = typer.Option(100, "--limit"),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
) -> None:
    """List stored findings, newest first."""
    from newsrights.services.scan import list_findings
    from newsrights.storage.db import open_db

    factory = open_db(settings(db).db_url)
    with factory() as s:
        rows = list_findings(s, article_id=article, verdict=verdict, label=label, limit=limit)
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    from rich.table import Table

    t = Table("id", "label", "article", "cover", "verdict", "page")
    for r in rows:
        f = r.finding
        t.add_row(str(r.id), f.label, f.article_id, f"{f.article_coverage:.2f}", f.verdict or "", f.page_url)
    console.print(t)


def findings_show(
    finding_id: Annotated[int, typer.Argument(help="The finding id (see `newsrights findings list`).")],
    db: str | None = DbOption,
    as_json: bool = typer.Option(True, "--json/--text"),
) -> None:
    """Show one stored finding with its spans (page text offsets)."""
    from newsrights.services.scan import get_finding
    from newsrights.storage.db import open_db

    factory = open_db(settings(db).db_url)
    with factory() as s:
        rec = get_finding(s, finding_id)
    d = rec.to_json()
    d["raw_bytes"] = len(rec.raw) if rec.raw is not None else None
    d["passages"] = [rec.page_text[sp.page_start : sp.page_end] for sp in rec.finding.spans]
    if as_json:
        print_json(d)
    else:
        for p in d["passages"]:
            console.print(p, markup=False, highlight=False)
