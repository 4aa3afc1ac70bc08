"""The licence registry (``services.licensing``): contracts as ODRL policies, with versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from newsrights.api.deps import DB, Me, Page, page_of, state
from newsrights.api.problems import Problem
from newsrights.api.schemas import LicenceIn, PageOut
from newsrights.errors import InputError
from newsrights.services import licensing
from newsrights.services.accounts import audit
from newsrights.storage.db import transaction

router = APIRouter(prefix="/api/v1", tags=["licences"])


def licence_json(session: Any, version: Any) -> dict[str, Any]:
    parties = {p.uid: p for p in licensing.list_parties(session)}
    d = version.to_json(parties)
    d["uid"] = version.policy.uid
    d["type"] = version.policy.type
    d["assignee"] = version.policy.assignee
    d["assignee_name"] = parties[version.policy.assignee].name if version.policy.assignee in parties else None
    return d  # type: ignore[no-any-return]


@router.get("/licences", response_model=PageOut[dict[str, Any]])
def list_licences(session: DB, page: Page, all_versions: bool = False) -> PageOut[dict[str, Any]]:
    """Licences in the registry (current versions; ``all_versions`` for the history)."""
    versions = licensing.list_policies(session, all_versions=all_versions)
    chunk, nxt = page_of(versions, page)
    return PageOut[dict[str, Any]](items=[licence_json(session, v) for v in chunk], total=len(versions),
                                   limit=page.limit, offset=page.offset, next_offset=nxt)


@router.get("/licences/{uid}", response_model=list[dict[str, Any]])
def get_licence(uid: str, session: DB) -> list[dict[str, Any]]:
    """Every version of one licence, oldest first."""
    versions = licensing.policy_versions(session, uid)
    if not versions:
        raise Problem(404, "not_found", f"no licence {uid!r}")
    return [licence_json(session, v) for v in versions]


def save_licence(request: Request, body: LicenceIn, actor: str) -> dict[str, Any]:
    """Register (or amend) a licence from plain terms and audit who did it."""
    terms = licensing.LicenceTerms(
        licensee=body.licensee, domains=tuple(body.domains), actions=tuple(body.actions), start=body.start,
        end=body.end, credit=body.credit or None, keep_title=body.keep_title, keep_byline=body.keep_byline,
        link_back=body.link_back, articles=tuple(body.articles), uid=body.uid or None)
    if body.start and body.end and body.end < body.start:
        raise InputError("the licence ends before it starts")
    factory = state(request).factory
    version, _ = licensing.add_licence(factory, terms)
    with transaction(factory) as s:
        out = licence_json(s, version)
        audit(s, actor=actor, action="licence.save", entity="licence", entity_id=version.policy.uid,
              after={"version": version.version, "terms": body.model_dump(mode="json")})
    return out


@router.post("/licences", response_model=dict[str, Any], status_code=201)
def create_licence(body: LicenceIn, request: Request, me: Me) -> dict[str, Any]:
    """Add a licence, or amend one (same ``uid``): the old version keeps judging earlier uses."""
    return save_licence(request, body, me.user.username)
