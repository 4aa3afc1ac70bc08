"""Scans: "check this text now" and "check this URL now" (``services.scan``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from newsrights.api.deps import AppState, Me, rate_limit_scan, state
from newsrights.api.problems import Problem
from newsrights.api.schemas import ScanOut, ScanTextIn, ScanUrlIn
from newsrights.core.model import Article
from newsrights.storage.db import transaction


async def _rate_limited(request: Request) -> None:
    """The scan rate limit, awaited on the event loop (a plain ``def`` dependency costs a thread hop)."""
    rate_limit_scan(request)


router = APIRouter(prefix="/api/v1/scans", tags=["scans"], dependencies=[Depends(_rate_limited)])


def check_text(st: AppState, text: str, url: str = "", title: str | None = None) -> list[Any]:
    """Findings (with verdicts) for a bare text; paragraphs split on blank lines. Nothing is stored."""
    page = Article(body=tuple(p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()) or (text,),
                   title=title, url=url or None, origin=url or "text")
    return scan_page(st, page)


def scan_out(findings: list[Any]) -> dict[str, Any]:
    """The ``ScanOut`` answer of a check that records nothing, as plain JSON values."""
    return {"count": len(findings), "findings": [f.to_json() for f in findings], "recorded": []}


def scan_page(st: AppState, page: Article, *, raw: bytes | None = None, content_type: str | None = None) -> list[Any]:
    """Match under the index lock (the detector is not thread-safe), then attach verdicts outside it,
    so the database work of several requests overlaps."""
    with st.scanner() as scanner:
        matched = scanner.detector.check(page.text, page_url=page.url or page.origin)
    return scanner.scan_page(page, raw=raw, content_type=content_type, matched=matched)  # type: ignore[no-any-return]


@router.post("/text", response_model=ScanOut)
async def scan_text(body: ScanTextIn, request: Request) -> ScanOut:
    """Check a text against the catalog now; returns findings with spans, coverages and verdicts.

    The check runs on the event loop, not in the thread pool: it is CPU-bound (matching under the
    index lock, then a few short queries for the verdicts) and each uvicorn worker has one core,
    so handing it to one of 40 threads only added GIL contention and connection-pool churn.
    Opening or re-syncing the index (slow) is still done in a thread."""
    st = state(request)
    if not st.scanner_ready():
        await run_in_threadpool(st.prepare_scanner)
    out = ScanOut(**scan_out(check_text(st, body.text, body.url, body.title)))
    st.gc_tick()
    return out


def fetch_and_scan(request: Request, url: str, *, record: bool, actor: str) -> tuple[list[Any], list[int]]:
    """Fetch ``url`` with the guarded fetcher, read it, scan it and (optionally) record the findings."""
    from urllib.parse import urlsplit

    from newsrights.ingest import read_bytes

    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a malformed port
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise Problem(400, "bad_url", "give an absolute http(s) URL with a host name")
    st = state(request)
    result = st.fetcher().fetch(url)
    if not result.ok:
        raise Problem(400, "fetch_failed", f"{result.error}: {result.detail}"[:500])
    items = read_bytes(result.body, origin=result.final_url, url=result.final_url, content_type=result.content_type,
                       fetched=result.started)
    pages = [a for a in items if isinstance(a, Article)]
    if not pages:
        reasons = ", ".join(sorted({getattr(r, "reason", "unreadable") for r in items})) or "no_article"
        raise Problem(400, "unreadable_page", f"no article could be read from the page ({reasons})")
    page = pages[0]
    findings = scan_page(st, page, raw=result.body, content_type=result.content_type)
    ids: list[int] = []
    if record and findings:
        with st.scanner() as scanner, transaction(st.factory) as s:
            ids = scanner.record(s, page, findings, raw=result.body, content_type=result.content_type)
            from newsrights.services.accounts import audit

            audit(s, actor=actor, action="scan.record", entity="page", entity_id=url[:500], after={"findings": ids})
    return findings, ids


@router.post("/url", response_model=ScanOut)
def scan_url(body: ScanUrlIn, request: Request, me: Me) -> ScanOut:
    """Fetch a page (robots.txt and the SSRF guard apply), check it, and record findings unless ``record=false``."""
    findings, ids = fetch_and_scan(request, body.url, record=body.record, actor=me.user.username)
    return ScanOut(count=len(findings), findings=[f.to_json() for f in findings], recorded=ids)
