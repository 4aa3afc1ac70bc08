"""The licensee portal API: only the caller's own contracts, licensed content and findings about its use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from newsrights.api.deps import DB, Me
from newsrights.api.routes.findings import finding_json
from newsrights.api.routes.licences import licence_json
from newsrights.services import catalog
from newsrights.web import portal

router = APIRouter(prefix="/api/v1/portal", tags=["portal"])


@router.get("/licences", response_model=list[dict[str, Any]])
def portal_licences(session: DB, me: Me) -> list[dict[str, Any]]:
    """My contracts (every version)."""
    return [licence_json(session, v) for v in portal.party_contracts(session, me.user.party_id or "")]


@router.get("/content", response_model=dict[str, Any])
def portal_content(session: DB, me: Me) -> dict[str, Any]:
    """The articles my contracts name (and whether a contract covers the whole catalog)."""
    ids, whole = portal.contract_articles(portal.party_contracts(session, me.user.party_id or ""))
    items = []
    for aid in ids:
        try:
            items.append(catalog.get_article_record(session, aid).to_json(body=False))
        except catalog.ArticleNotFound:
            items.append({"id": aid, "missing": True})
    return {"whole_catalog": whole, "articles": items}


@router.get("/findings", response_model=list[dict[str, Any]])
def portal_findings(session: DB, me: Me) -> list[dict[str, Any]]:
    """Findings on my own sites, newest first."""
    return [finding_json(r) for r in portal.party_findings(session, me.user.party_id or "")]
