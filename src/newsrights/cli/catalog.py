# ruff: noqa: B008  (Typer declares options as argument defaults)
"""CLI of the catalog area.

* ``newsrights parse PATH... [--json]`` — read pages into articles with their
  ownership, without a database (one JSON object a line with ``--json``);
* ``newsrights declaration PATH [--json]`` — a copyright declaration as rules;
* ``newsrights ingest PATH... [--db URL] [--declaration FILE --site S --effective DATE]``;
* ``newsrights articles list|show``;
* ``newsrights export ninjs [ID...]`` — catalog articles as IPTC ninjs (JSON Lines).

Data goes to stdout, progress and rejections to stderr. Exit codes: 0 done,
1 done but some input was rejected, 2 usage or configuration error.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from newsrights.cli.common import DbOption, console, print_json, progress_enabled, settings
from newsrights.core.model import Article, Rejected
from newsrights.errors import InputError

EXIT_REJECTED = 1

OWNERSHIP_CLASSES = ("owned", "third_party", "explicit_third_party", "needs_review")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("parse")(parse)
    app.command("declaration")(declaration)
    app.command("ingest")(ingest)
    articles = typer.Typer(help="The catalog of the publisher's articles.", no_args_is_help=True)
    articles.command("list")(articles_list)
    articles.command("show")(articles_show)
    app.add_typer(articles, name="articles")
    export = typer.Typer(help="Export catalog articles.", no_args_is_help=True)
    export.command("ninjs")(export_ninjs)
    app.add_typer(export, name="export")


# --------------------------------------------------------------------------- helpers


def _read_all(paths: list[Path]) -> Iterator[Article | Rejected]:
    from newsrights.ingest import read_path

    for p in paths:
        if not p.exists():
            yield Rejected(str(p), "missing", "no such file or folder")
            continue
        yield from read_path(p)


_CONTROL = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)]}


def _safe(text: object) -> str:
    """Scraped text for a terminal: control characters (ANSI escapes…) dropped, Rich markup escaped."""
    return escape(str(text).translate(_CONTROL))


def _plain(text: object) -> str:
    """Scraped text for plain stdout: control characters dropped."""
    return str(text).translate(_CONTROL)


def _report_rejected(r: Rejected) -> None:
    console.print(f"[yellow]rejected[/] {_safe(r.origin)}: {_safe(r.reason)}" + (f" ({_safe(r.detail[:200])})" if r.detail else ""))


def _summary_line(counts: Counter[str], rejected: Counter[str]) -> str:
    parts = [f"{n} {k}" for k, n in sorted(counts.items())]
    if rejected:
        parts.append(f"{sum(rejected.values())} rejected (" + ", ".join(f"{k} {n}" for k, n in sorted(rejected.items())) + ")")
    return ", ".join(parts) or "nothing read"


def _parse_date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{option} {text!r} is not a date; use YYYY-MM-DD") from exc


def _parse_datetime(text: str | None, option: str) -> datetime | None:
    if not text:
        return None
    from newsrights.core.model import CHINA_TZ

    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{option} {text!r} is not a date; use YYYY-MM-DD or an ISO time") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=CHINA_TZ)


def _read_text(path: Path) -> str:
    from newsrights.ingest.encoding import decode

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    text, _codec = decode(data)
    head = text[:2048].lower()
    if "<html" in head or "<body" in head or "<div" in head or "<p>" in head:
        from newsrights.ingest.html import fast_text

        _title, text = fast_text(text)
    return text


# --------------------------------------------------------------------------- parse


def parse(
    paths: list[Path] = typer.Argument(..., help="Pages: text, HTML, ninjs JSON/JSONL, WARC, feeds, or folders."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article (a line each) on stdout."),
    declaration_file: Path | None = typer.Option(None, "--declaration", help="Judge ownership under this declaration."),
) -> None:
    """Read pages into articles with their ownership, without touching the database."""
    from newsrights.core.declaration import parse_declaration

    fixed = parse_declaration(_read_text(declaration_file)) if declaration_file else None
    counts: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    status = console.status("parsing") if progress_enabled() else None
    if status is not None:
        status.start()
    try:
        _parse_items(paths, as_json, fixed, counts, rejected, status)
    finally:
        if status is not None:
            status.stop()
    console.print(f"parse: {_summary_line(counts, rejected)}")
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def _parse_items(paths: list[Path], as_json: bool, fixed: Any, counts: Counter[str], rejected: Counter[str],
                 status: Any) -> None:
    from newsrights.core.declaration import publisher_declaration
    from newsrights.core.ownership import classify
    from newsrights.services.catalog import article_id_for, choose_declaration

    for item in _read_all(paths):
        if status is not None:
            status.update(f"parsing: {sum(counts.values())} articles, {sum(rejected.values())} rejected")
        if isinstance(item, Rejected):
            rejected[item.reason] += 1
            _report_rejected(item)
            continue
        decl = fixed or choose_declaration(item)
        own = classify(item, decl, publisher=publisher_declaration())
        counts[own.class_] += 1
        if as_json:
            d = item.to_json()
            d["site"] = item.site or decl.site  # as the catalog stores it
            d["id"] = article_id_for(item)
            d["ownership"] = own.to_json()
            print_json(d, line=True)
        else:
            sys.stdout.write(_plain(
                f"{article_id_for(item)}  {own.class_:<20} {own.holder or '-':<12} {item.title or '(no title)'}\n"
                f"    {item.published.isoformat() if item.published else '-'}  来源:{item.source or '-'}  "
                f"{len(item.body)} paragraphs  sha256 {item.sha256[:16]}  {item.origin}\n"
            ))


# --------------------------------------------------------------------------- declaration


def declaration(
    path: Path = typer.Argument(..., help="A declaration (text or HTML), or a page whose footer carries one."),
    as_json: bool = typer.Option(False, "--json", help="The parsed policy as JSON on stdout."),
    site: str | None = typer.Option(None, "--site", help="The site's name, when the text does not say it."),
    effective: str | None = typer.Option(None, "--effective", help="Date the declaration takes effect (YYYY-MM-DD)."),
    version: str | None = typer.Option(None, "--version", help="Version label (default: the effective date)."),
    whole: bool = typer.Option(False, "--whole", help="Parse the whole file, even if it looks like an article page."),
    register: bool = typer.Option(False, "--register", help="Also store it in the catalog as a version of --site."),
    db: str | None = DbOption,
) -> None:
    """Parse a site's copyright declaration into rules; say which sentences were not understood."""
    from newsrights.core.declaration import parse_declaration

    text = _read_text(path)
    eff = _parse_date(effective, "--effective")
    decl = parse_declaration(text, site=site, effective=eff, version=version)
    if not whole and len(decl.uninterpreted) > max(3, len(decl.sentences) // 2):
        block = _page_declaration(path)
        if block:
            console.print(f"declaration: {escape(str(path))} reads as an article page; using the declaration block in its footer")
            decl = parse_declaration(block, site=site, effective=eff, version=version)
    if register:
        from newsrights.services import catalog
        from newsrights.storage.db import open_db, transaction

        name = site or decl.site
        if not name:
            raise InputError("--register needs --site: the declaration does not name its site")
        with transaction(open_db(settings(db).db_url)) as session:
            decl = catalog.add_declaration(session, name, decl.text, eff, version=version)
        console.print(f"declaration of {escape(name)} version {escape(decl.version)} registered")
    if as_json:
        d = decl.to_json()
        d["text"] = decl.text
        print_json(d)
        return
    _print_declaration(decl)


def _page_declaration(path: Path) -> str | None:
    from newsrights.ingest import read_path

    for item in read_path(path):
        if isinstance(item, Article) and item.declaration:
            return item.declaration
    return None


def _print_declaration(decl: Any) -> None:
    out = Console_stdout()
    j = decl.to_json()
    t = Table(title=f"Declaration of {escape(j['site'] or '(site not named)')} — version {escape(j['version'])}", show_header=False)
    t.add_column("rule", style="bold")
    t.add_column("value")
    cw = j["claim_window"]
    rows = [
        ("owned markers", "、".join(j["owned_markers"]) or "-"),
        ("third-party marker", j["third_party_marker"] or "-"),
        ("exceptions", ", ".join(j["exceptions"]) or "-"),
        ("prohibited", ", ".join(f"{p['term']}→{'/'.join(p['actions'])}" for p in j["prohibited_acts"]) or "-"),
        ("credit line", j["credit_line"] or ("required" if j["credit_required"] else "-")),
        ("infringer bears", "、".join(j["infringer_costs"]) or "-"),
        ("claim window", f"{cw['days']} days from the {cw['anchor']}" if cw else "-"),
        ("holder", j["holder"] or "-"),
        ("operator", j["operator"] or "-"),
        ("rights manager", j["rights_manager"] or "-"),
    ]
    for k, v in rows:
        t.add_row(k, _safe(v))
    out.print(t)
    if decl.uninterpreted:
        out.print(f"[yellow]{len(decl.uninterpreted)} sentence(s) not interpreted:[/]")
        for s in decl.uninterpreted:
            out.print(f"  - {_safe(s)}")
    else:
        out.print("every sentence was interpreted")


def Console_stdout() -> Any:  # noqa: N802 - a factory named like the class it returns
    from rich.console import Console

    c = Console(soft_wrap=True)
    return c if c.is_terminal else Console(soft_wrap=True, width=160)


# --------------------------------------------------------------------------- ingest


def ingest(
    paths: list[Path] = typer.Argument(..., help="Pages or folders of the publisher to add to the catalog."),
    db: str | None = DbOption,
    declaration_file: Path | None = typer.Option(None, "--declaration", help="Register this declaration first."),
    site: str | None = typer.Option(None, "--site", help="Site the declaration belongs to (with --declaration)."),
    effective: str | None = typer.Option(None, "--effective", help="Date the declaration takes effect (YYYY-MM-DD)."),
    chunk_size: int = typer.Option(200, "--chunk-size", min=1, help="Articles per transaction."),
    as_json: bool = typer.Option(False, "--json", help="The ingest report as JSON on stdout."),
) -> None:
    """Add articles to the catalog: same content → same article, changed page → new version."""
    from newsrights.services import catalog
    from newsrights.storage.db import open_db, transaction

    factory = open_db(settings(db).db_url)
    if declaration_file is not None:
        if not site:
            raise InputError("--declaration needs --site (the site it belongs to)")
        text = _read_text(declaration_file)
        with transaction(factory) as session:
            decl = catalog.add_declaration(session, site, text, _parse_date(effective, "--effective"))
        console.print(f"declaration of {escape(site)} version {escape(decl.version)} registered")
    elif site or effective:
        raise InputError("--site and --effective go with --declaration FILE")

    def on_item(item: Article | Rejected, outcome: str) -> None:
        if isinstance(item, Rejected):
            _report_rejected(item)

    if progress_enabled():
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("ingesting", total=None)
            counts: Counter[str] = Counter()

            def tick(item: Article | Rejected, outcome: str) -> None:
                on_item(item, outcome)
                counts[outcome] += 1
                bar.update(task, description="ingesting: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

            report = catalog.ingest_paths(factory, paths, chunk_size=chunk_size, progress=tick)
    else:
        report = catalog.ingest_paths(factory, paths, chunk_size=chunk_size, progress=on_item)
    if as_json:
        print_json(report.to_json())
    else:
        sys.stdout.write(
            f"ingest: {report.new} new, {report.updated} new versions, {report.unchanged} unchanged, "
            f"{report.rejected_total} rejected"
            + (" (" + ", ".join(f"{k} {n}" for k, n in sorted(report.rejected.items())) + ")" if report.rejected else "")
            + "\n"
            + ("  ownership: " + ", ".join(f"{k} {n}" for k, n in sorted(report.ownership.items())) + "\n" if report.ownership else "")
        )
    if report.rejected_total:
        raise typer.Exit(EXIT_REJECTED)


# --------------------------------------------------------------------------- articles


def articles_list(
    db: str | None = DbOption,
    site: str | None = typer.Option(None, "--site"),
    ownership: str | None = typer.Option(None, "--ownership", help="owned, third_party, explicit_third_party, needs_review"),
    holder: str | None = typer.Option(None, "--holder"),
    query: str | None = typer.Option(None, "--query", "-q", help="Substring of the title or URI."),
    since: str | None = typer.Option(None, "--since", help="Published on or after (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Published before (YYYY-MM-DD)."),
    limit: int = typer.Option(50, "--limit", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    as_json: bool = typer.Option(False, "--json", help="JSON array on stdout."),
) -> None:
    """List catalog articles (current versions), newest first."""
    from newsrights.services import catalog
    from newsrights.storage.db import open_db

    if ownership and ownership not in OWNERSHIP_CLASSES:
        raise InputError(f"--ownership must be one of {', '.join(OWNERSHIP_CLASSES)}")
    factory = open_db(settings(db).db_url)
    with factory() as session:
        records = catalog.list_articles(
            session, site=site, ownership=ownership, holder=holder, q=query,
            since=_parse_datetime(since, "--since"), until=_parse_datetime(until, "--until"),
            limit=limit, offset=offset,
        )
    if as_json:
        print_json([r.to_json(body=False) for r in records])
        return
    t = Table(show_lines=False)
    for col in ("id", "published", "ownership", "holder", "v", "title"):
        t.add_column(col, no_wrap=col != "title")
    for r in records:
        a = r.article
        t.add_row(r.id, a.published.strftime("%Y-%m-%d %H:%M") if a.published else "-", r.ownership.class_,
                  _safe(r.ownership.holder or "-"), str(r.version), _safe(a.title or "(no title)"))
    Console_stdout().print(t)
    console.print(f"{len(records)} article(s)")


def articles_show(
    article_id: str = typer.Argument(..., help="Catalog id (art_…)."),
    db: str | None = DbOption,
    version: int | None = typer.Option(None, "--version", help="A past version (default: current)."),
    history: bool = typer.Option(False, "--history", help="List every version with its sha256 and ingest time."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
) -> None:
    """Show one article: metadata, ownership with reasons, digests, body."""
    from newsrights.services import catalog
    from newsrights.storage.db import open_db

    factory = open_db(settings(db).db_url)
    with factory() as session:
        rec = catalog.get_article_record(session, article_id, version)
        hist = catalog.article_history(session, article_id) if history else []
    if as_json:
        d = rec.to_json()
        if history:
            d["history"] = [{"version": h.version, "sha256": h.sha256, "raw_sha256": h.raw_sha256,
                             "ingested_at": h.ingested_at.isoformat(), "title": h.article.title} for h in hist]
        print_json(d)
        return
    out = Console_stdout()
    a = rec.article
    out.print(f"[bold]{_safe(a.title or '(no title)')}[/]  ({rec.id}, version {rec.version} of {rec.versions})")
    for label, value in (
        ("published", a.published.isoformat() if a.published else None), ("来源", a.source), ("编辑", a.editor),
        ("责编", a.responsible_editor), ("原标题", a.original_title), ("dateline", a.dateline), ("byline", a.byline),
        ("url", a.url), ("uri", rec.uri), ("sha256", rec.sha256), ("raw sha256", rec.raw_sha256),
        ("ingested", rec.ingested_at.isoformat()),
        ("first ingested", rec.first_ingested_at.isoformat() if rec.first_ingested_at else None),
    ):
        if value:
            out.print(f"  {label}: {_safe(value)}")
    o = rec.ownership
    out.print(f"  ownership: [bold]{o.class_}[/]" + (f", holder {_safe(o.holder)}" if o.holder else "")
              + (f", marker {_safe(o.marker)}" if o.marker else "") + f" (declaration {_safe(o.declaration_version or '-')})")
    for reason in o.reasons:
        out.print(f"    - {_safe(reason)}")
    for h in hist:
        out.print(f"  v{h.version} {h.ingested_at.isoformat()} sha256 {h.sha256}")
    out.print("")
    for p in a.body:
        out.print(_safe(p))


# --------------------------------------------------------------------------- export


def export_ninjs(
    ids: list[str] = typer.Argument(None, help="Catalog ids (default: every article)."),
    db: str | None = DbOption,
    ninjs_version: str = typer.Option("3", "--ninjs-version", help="3 (camelCase) or 2 (lower-case)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write JSON Lines here instead of stdout."),
) -> None:
    """Export catalog articles as IPTC ninjs, one JSON document a line, with rights fields."""
    import json

    from newsrights.services import catalog
    from newsrights.storage.db import open_db

    if ninjs_version not in ("2", "3"):
        raise InputError("--ninjs-version must be 2 or 3")
    factory = open_db(settings(db).db_url)
    n = 0
    sink = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        with factory() as session:
            for doc in catalog.export_ninjs(session, ids or None, ninjs_version=ninjs_version):  # type: ignore[arg-type]
                sink.write(json.dumps(doc, ensure_ascii=False) + "\n")
                n += 1
    finally:
        if out:
            sink.close()
    console.print(f"export: {n} ninjs document(s)" + (f" written to {escape(str(out))}" if out else ""))
