"""One search over articles, findings, cases and licences (``services.search``), scoped to the caller's role."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from newsrights.api.deps import DB, Me
from newsrights.services import search as search_service

router = APIRouter(prefix="/api/v1", tags=["search"])

Kind = Literal["article", "finding", "case", "licence"]


def kinds_for(role: str) -> tuple[str, ...]:
    """What a role may search: the kinds whose routes it may read (licensees: their own findings and licences)."""
    from newsrights.api.policy import PERMISSIONS

    if role == "licensee":
        return ("finding", "licence")
    return tuple(k for k in search_service.KINDS if k != "case" or role in PERMISSIONS["rights"])


@router.get("/search", response_model=list[dict[str, Any]])
def search(session: DB, me: Me, q: Annotated[str, Query(min_length=1, max_length=200)],
           kind: Annotated[list[Kind] | None, Query()] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Hits labelled with their ``kind`` (at most ``limit`` per kind). A licensee searches only the
    findings on its own domains and its own licences; a role never gets a kind it may not read."""
    allowed = kinds_for(me.role)
    kinds = tuple(k for k in allowed if kind is None or k in kind)
    party = (me.user.party_id or "") if me.role == "licensee" else None
    return [h.to_json() for h in search_service.search(session, q, kinds=kinds, party=party, limit=limit)]
