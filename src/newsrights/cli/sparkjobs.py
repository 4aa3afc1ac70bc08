"""``newsrights spark …`` (the web-scale job) and ``newsrights findings import``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsrights.cli.common import DbOption, console, print_json, settings


def register(app: typer.Typer) -> None:
    """Add ``spark export-catalog|scan`` and ``findings import`` to the root app."""
    spark = typer.Typer(help="The detection as an Apache Spark job (local mode or a cluster).", no_args_is_help=True)
    spark.command("export-catalog")(export_catalog)
    spark.command("scan")(spark_scan)
    app.add_typer(spark, name="spark")
    findings = next((g.typer_instance for g in app.registered_groups if g.name == "findings"), None)
    if findings is None:
        findings = typer.Typer(help="Stored findings.", no_args_is_help=True)
        app.add_typer(findings, name="findings")
    findings.command("import")(findings_import)


def export_catalog(
    out: Path = typer.Argument(..., help="Folder for the catalog bundle."),
    db: str | None = DbOption,
) -> None:
    """Export the catalog's articles, index parameters, df sketch and licence registry for the job."""
    from newsrights.spark.bundle import export_bundle
    from newsrights.storage.db import open_db

    manifest = export_bundle(open_db(settings(db).db_url), out)
    print_json(manifest)


def spark_scan(
    inputs: list[str] = typer.Argument(..., help="WARC files, folders of pages, or Parquet of pages (url, fetched, html|text)."),
    catalog: Path = typer.Option(..., "--catalog", help="Catalog bundle from `newsrights spark export-catalog`."),
    out: Path = typer.Option(..., "--out", help="Output folder; stages are kept there and resumed."),
    master: str = typer.Option("local[2]", "--master", help="Spark master when not run under spark-submit."),
    stop_after: str | None = typer.Option(None, "--stop-after", help="extract|signatures|candidates|align|verdicts|findings"),
    salt: int = typer.Option(8, "--salt", help="Sub-keys a hot band key is spread over."),
    as_json: bool = typer.Option(False, "--json", help="Print the stage report as JSON."),
) -> None:
    """Scan pages for copies with Spark; findings as Parquet and JSONL under OUT/findings/."""
    from newsrights.spark.job import run_scan
    from newsrights.spark.session import get_session

    spark = get_session(master)
    try:
        report = run_scan(spark, inputs, catalog, out, stop_after=stop_after, salt=salt)
    finally:
        spark.stop()
    if as_json:
        print_json(report)
    else:
        for name, info in report["stages"].items():
            console.print(f"{name:11} {'skipped (done)' if info.get('skipped') else 'ran'}  "
                          + json.dumps({k: v for k, v in info.items() if k != 'skipped'}, ensure_ascii=False))


def findings_import(
    path: Path = typer.Argument(..., help="The Spark job's output folder (or its findings/parquet)."),
    db: str | None = DbOption,
) -> None:
    """Store findings of the Spark job in the catalog (idempotent)."""
    from newsrights.spark.job import import_findings
    from newsrights.storage.db import open_db

    print_json(import_findings(open_db(settings(db).db_url), path))
