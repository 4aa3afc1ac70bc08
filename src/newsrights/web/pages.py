"""Pages over other areas' services: articles, search, dashboard, findings, check, licences, cases, claims, portal.

Each page calls the owning service (catalog, scan, licensing, cases, claims)
through :func:`newsrights.web.views.service`, which answers 503 while a
service has not landed.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from newsrights.api.deps import state
from newsrights.api.problems import Problem
from newsrights.storage.db import transaction
from newsrights.web.views import render, router, service

PAGE = 50


def _offset(request: Request) -> int:
    try:
        return max(0, min(10_000_000, int(request.query_params.get("offset", "0"))))
    except ValueError:
        return 0


@router.get("/articles", response_class=HTMLResponse)
def web_articles(request: Request, q: str = "", ownership: str = "") -> HTMLResponse:
    catalog = service("catalog")
    offset = _offset(request)
    with transaction(state(request).factory) as s:
        rows = catalog.list_articles(s, q=q[:200] or None, ownership=ownership or None, limit=PAGE + 1, offset=offset)
        counts = catalog.count_articles(s)
    return render(request, "articles.html", rows=rows[:PAGE], more=len(rows) > PAGE, offset=offset, q=q,
                  ownership=ownership, counts=counts, page=PAGE)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def web_article(request: Request, article_id: str) -> HTMLResponse:
    catalog = service("catalog")
    with transaction(state(request).factory) as s:
        try:
            rec = catalog.get_article_record(s, article_id)
        except catalog.ArticleNotFound as exc:
            raise Problem(404, "not_found", str(exc)) from exc
        copies = findings_of_article(s, article_id)
    return render(request, "article.html", rec=rec, copies=copies)


def findings_of_article(session: Any, article_id: str) -> list[Any] | None:
    """Findings about one article, or ``None`` while the scan service has not landed."""
    try:
        scan = service("scan")
    except Problem:
        return None
    return list(scan.list_findings(session, article_id=article_id))


@router.get("/search", response_class=HTMLResponse)
def web_search(request: Request, q: str = "") -> HTMLResponse:
    """Articles whose title or URI contains ``q`` (and findings whose page URL or title does)."""
    q = q.strip()[:200]
    articles: list[Any] = []
    if q:
        catalog = service("catalog")
        with transaction(state(request).factory) as s:
            articles = catalog.list_articles(s, q=q, limit=PAGE)
    partial = request.headers.get("hx-request") == "true"
    return render(request, "search_results.html" if partial else "search.html", q=q, articles=articles)
