"""Catalog: articles with their ownership, and the site declarations (``services.catalog``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from newsrights.api.deps import DB, Page
from newsrights.api.problems import Problem
from newsrights.api.schemas import PageOut
from newsrights.services import catalog

router = APIRouter(prefix="/api/v1", tags=["catalog"])

OwnershipFilter = Literal["owned", "third_party", "explicit_third_party", "needs_review"]
Text = Annotated[str | None, Query(max_length=200)]


def load_article(session: Any, article_id: str) -> Any:
    """The current record of ``article_id`` or a 404 problem."""
    try:
        return catalog.get_article_record(session, article_id)
    except catalog.ArticleNotFound as exc:
        raise Problem(404, "not_found", str(exc)) from exc


@router.get("/articles", response_model=PageOut[dict[str, Any]])
def list_articles(session: DB, page: Page, site: Text = None, ownership: OwnershipFilter | None = None,
                  holder: Text = None, q: Text = None, since: datetime | None = None,
                  until: datetime | None = None) -> PageOut[dict[str, Any]]:
    """Current versions, newest first; filter by site, ownership class, holder, title/URI substring, window."""
    rows = catalog.list_articles(session, site=site, ownership=ownership, holder=holder, q=q, since=since,
                                 until=until, limit=page.limit + 1, offset=page.offset)
    more = len(rows) > page.limit
    return PageOut[dict[str, Any]](items=[r.to_json(body=False) for r in rows[: page.limit]], limit=page.limit,
                                   offset=page.offset, next_offset=page.offset + page.limit if more else None)


@router.get("/articles/{article_id}", response_model=dict[str, Any])
def get_article(article_id: str, session: DB) -> dict[str, Any]:
    """One article at its current version, with body paragraphs and ownership reasons."""
    return load_article(session, article_id).to_json()  # type: ignore[no-any-return]


@router.get("/declarations", response_model=list[dict[str, Any]])
def get_declaration(session: DB, site: Text = None, on: date | None = None, parsed: bool = False) -> list[dict[str, Any]]:
    """Registered declaration versions (of ``site``); with ``site`` and ``parsed``, the one in force ``on``."""
    if site and parsed:
        decl = catalog.declaration_in_force(session, site, on)
        if decl is None:
            raise Problem(404, "not_found", f"no declaration registered for {site!r}")
        return [decl.to_json()]
    return catalog.list_declarations(session, site)  # type: ignore[no-any-return]
