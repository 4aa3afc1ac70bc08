# ruff: noqa: B008  (Typer declares options as argument defaults)
"""CLI of the monitoring area: ``newsrights monitor`` (run, resume, repeat) and ``newsrights captures``.

``newsrights monitor [URL|ARCHIVE|site:URL|sitemap:URL|feed:URL ...] [--sources FILE]``
runs once to the end of its frontier, resuming an interrupted run of the same
name; ``--every 1h`` repeats and reports only findings new since the previous run.
Exit codes: 0 done, 1 done but some pages were rejected or failed to fetch,
2 usage/config error, 3 failed.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import typer

from newsrights.cli.common import DbOption, console, print_json, progress_enabled, settings
from newsrights.errors import ConfigError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """``90s``, ``15m``, ``1h``, ``1d``, ``1h30m`` or plain seconds → seconds."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)([smhd])", text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise ConfigError(f"not an interval: {text!r} (use e.g. 90s, 15m, 1h, 1d)")
    return sum(float(n) * _UNITS[u] for n, u in parts)


def _summary(rep: dict[str, Any]) -> str:
    lines = [
        f"run {rep['run_id']} ({rep['name']}){' resumed' if rep['resumed'] else ''}: {rep['pages']} pages, "
        f"{rep['fetched_now']} fetched, {rep['processed_now']} processed in {rep['elapsed_s']}s",
        "  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(rep["outcomes"].items())),
    ]
    if rep["verdicts"]:
        lines.append("  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(rep["verdicts"].items())))
    if rep["reasons"]:
        lines.append("  reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(rep["reasons"].items())))
    for host, errs in sorted(rep["errors_by_host"].items()):
        lines.append(f"  errors at {host}: " + ", ".join(f"{k} {v}" for k, v in sorted(errs.items())))
    lines.append(f"  new findings: {len(rep['new_findings'])}")
    for f in rep["new_findings"][:50]:
        lines.append(f"    #{f['finding_id']} {f['verdict'] or '-'} {f['label']} {f['article_id']} <- {f['page_url']!r}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    captures = typer.Typer(help="WARC captures behind findings: show and verify.", no_args_is_help=True)
    app.add_typer(captures, name="captures")

    @app.command("monitor")
    def monitor(
        targets: list[str] = typer.Argument(None, help="URLs, archive paths, site:/sitemap:/feed: URLs, URL-list files."),
        sources: Path | None = typer.Option(None, "--sources", "-s", help="Sources file (TOML or JSON)."),
        db: str | None = DbOption,
        captures_dir: Path | None = typer.Option(None, "--captures", help="WARC folder (default $NEWSRIGHTS_HOME/captures)."),
        name: str | None = typer.Option(None, "--name", help="Run name (runs of one name resume and compare)."),
        every: str | None = typer.Option(None, "--every", help="Repeat at this interval (e.g. 1h); Ctrl-C stops."),
        count: int = typer.Option(0, "--count", help="With --every: stop after this many runs (0: never)."),
        allow_host: list[str] = typer.Option([], "--allow-host", help="Host allowed although non-public."),
        allow_network: list[str] = typer.Option([], "--allow-network", help="Network (CIDR) allowed although non-public."),
        delay: float | None = typer.Option(None, "--delay", help="Seconds between requests to one host."),
        concurrency: int | None = typer.Option(None, "--concurrency", help="Fetches in flight in all."),
        max_pages: int | None = typer.Option(None, "--max-pages", help="Frontier cap per run."),
        as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON on stdout."),
    ) -> None:
        """Fetch, capture, scan and judge the pages of the sources; resume an interrupted run."""
        from dataclasses import replace

        from newsrights.crawl.sources import MonitorConfig, load_config, sources_from_args
        from newsrights.services.monitor import run_monitor
        from newsrights.storage.db import open_db

        overrides: dict[str, Any] = {}
        if delay is not None:
            overrides["delay"] = delay
        if concurrency is not None:
            overrides["concurrency"] = concurrency
        if sources is not None:
            cfg = load_config(sources, fetch_overrides=overrides)
        else:
            cfg = MonitorConfig(sources=())
            if overrides:
                cfg = replace(cfg, fetch=replace(cfg.fetch, **overrides))
        extra = sources_from_args(targets or [])
        cfg = replace(cfg, sources=cfg.sources + tuple(extra))
        if not cfg.sources:
            raise ConfigError("nothing to watch: give URLs/archives or --sources FILE")
        if name:
            cfg = replace(cfg, name=name)
        if max_pages is not None:
            cfg = replace(cfg, max_pages=max_pages)
        if allow_host or allow_network:
            cfg = replace(cfg, fetch=replace(
                cfg.fetch, allow_hosts=cfg.fetch.allow_hosts + tuple(allow_host),
                allow_networks=cfg.fetch.allow_networks + tuple(allow_network)))
        interval = parse_interval(every) if every else None
        st = settings(db)
        factory = open_db(st.db_url)
        cdir = captures_dir or st.captures_dir
        n = 0
        code = 0
        try:
            while True:
                rep = _one_run(factory, cfg, cdir, run_monitor)
                n += 1
                if as_json:
                    print_json(rep, line=interval is not None)
                else:
                    typer.echo(_summary(rep))
                bad = rep["outcomes"].get("rejected", 0) + rep["outcomes"].get("fetch_error", 0)
                code = 1 if bad else 0
                if interval is None or (count and n >= count):
                    break
                console.print(f"[dim]next run in {interval:.0f}s[/dim]")
                time.sleep(interval)
        except KeyboardInterrupt:
            console.print("stopped; the next `newsrights monitor` with the same sources resumes")
            code = 0
        raise typer.Exit(code)

    @captures.command("show")
    def show(
        ref: str = typer.Argument(..., help="Capture reference file#offset (the `capture` of a finding)."),
        captures_dir: Path | None = typer.Option(None, "--captures", help="WARC folder."),
        body: bool = typer.Option(False, "--body", help="Write the payload bytes to stdout."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Show the response record behind a finding (headers, digest; --body for the bytes)."""
        from newsrights.crawl.capture import read_capture

        cap = read_capture(captures_dir or settings(None).captures_dir, ref)
        if body:
            sys.stdout.buffer.write(cap.body)
            return
        info = {"ref": str(cap.ref), "url": cap.url, "status": cap.status, "date": cap.date,
                "payload_digest": cap.payload_digest, "length": len(cap.body), "headers": cap.headers}
        if as_json:
            print_json(info)
        else:
            for k, v in info.items():
                typer.echo(f"{k}: {v}")

    @captures.command("verify")
    def verify_cmd(
        captures_dir: Path | None = typer.Option(None, "--captures", help="WARC folder."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Read every WARC in the captures folder to the end; exit 3 if one is unreadable."""
        from newsrights.crawl.capture import verify

        folder = captures_dir or settings(None).captures_dir
        result: dict[str, Any] = {}
        bad = 0
        for p in sorted(Path(folder).glob("*.warc.gz")):
            try:
                result[p.name] = verify(p)
            except Exception as exc:  # noqa: BLE001 - reported per file
                result[p.name] = f"unreadable: {exc}"
                bad += 1
        if as_json:
            print_json(result)
        else:
            for k, v in result.items():
                typer.echo(f"{k}: {v}")
        raise typer.Exit(3 if bad else 0)


def _one_run(factory: Any, cfg: Any, cdir: Path, run_monitor: Any) -> dict[str, Any]:
    if not progress_enabled():
        return dict(run_monitor(factory, cfg, captures_dir=cdir).to_json())
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]monitor"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("", total=None)

        def on_progress(p: Any) -> None:
            bar.update(task, completed=p.done, total=max(p.total, p.done), description=escape(f"{p.outcome}: {p.url[-60:]}"))  # URLs come from scraped pages

        return dict(run_monitor(factory, cfg, captures_dir=cdir, on_progress=on_progress).to_json())
