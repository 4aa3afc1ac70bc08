"""Cases (with timeline and costs), evidence packages and the claims inbox (``services.cases``,
``services.evidence``, ``services.claims``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from newsrights.api.deps import DB, Id, Me, Page, page_of, state
from newsrights.api.problems import Problem
from newsrights.api.schemas import CaseMoveIn, CaseOpenIn, ClaimDecisionIn, ClaimReviewIn, PageOut
from newsrights.core.cases import STATES
from newsrights.services import cases, claims, evidence

router = APIRouter(prefix="/api/v1", tags=["cases"])

CaseState = Literal[STATES]  # type: ignore[valid-type]


def load_case(session: Any, case_id: int) -> Any:
    try:
        return cases.get_case(session, case_id)
    except cases.CaseNotFound as exc:
        raise Problem(404, "not_found", str(exc)) from exc


@router.get("/cases", response_model=PageOut[dict[str, Any]])
def list_cases(session: DB, page: Page, state_: Annotated[CaseState | None, Query(alias="state")] = None,
               site: Annotated[str | None, Query(max_length=253)] = None) -> PageOut[dict[str, Any]]:
    rows = cases.list_cases(session, state=state_, site=site)
    chunk, nxt = page_of(rows, page)
    return PageOut[dict[str, Any]](items=[c.to_json() for c in chunk], total=len(rows), limit=page.limit,
                                   offset=page.offset, next_offset=nxt)


@router.get("/cases/{case_id}", response_model=dict[str, Any])
def get_case(case_id: Id, session: DB) -> dict[str, Any]:
    """A case with its findings, timeline (events), costs, notices, evidence and legal next moves."""
    d = load_case(session, case_id).to_json()
    d["ledger"] = cases.cost_ledger(session, case_id)
    return d  # type: ignore[no-any-return]


@router.post("/cases", response_model=dict[str, Any], status_code=201)
def open_case(body: CaseOpenIn, request: Request, me: Me) -> dict[str, Any]:
    """Attach findings to their site's open case (one per site), opening cases where needed."""
    report = cases.open_cases(state(request).factory, list(body.finding_ids), actor=me.user.username,
                              title=body.title)
    return report.to_json()  # type: ignore[no-any-return]


@router.post("/cases/{case_id}/moves", response_model=dict[str, Any])
def move_case(case_id: Id, body: CaseMoveIn, request: Request, me: Me) -> dict[str, Any]:
    """Move a case along its state machine; an illegal move answers 409."""
    with state(request).factory() as s:
        load_case(s, case_id)
    return cases.move_case(state(request).factory, case_id, body.to, actor=me.user.username,  # type: ignore[no-any-return]
                           outcome=body.outcome, note=body.note).to_json()


@router.get("/evidence", response_model=list[dict[str, Any]])
def get_evidence(session: DB, finding_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                 case_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[dict[str, Any]]:
    """Evidence packages (WACZ, signed, time-stamped) of a finding or a case."""
    return [p.to_json() for p in evidence.list_packages(session, finding_id=finding_id, case_id=case_id)]


@router.get("/claims", response_model=PageOut[dict[str, Any]])
def list_claims(session: DB, page: Page,
                status: Annotated[Literal["received", "under_review", "resolved"] | None, Query()] = None,
                late: bool | None = None) -> PageOut[dict[str, Any]]:
    """The claims inbox, earliest deadline first."""
    rows = sorted(claims.list_claims(session, status=status, late=late), key=lambda c: (c.deadline, c.id))
    chunk, nxt = page_of(rows, page)
    return PageOut[dict[str, Any]](items=[c.to_json() for c in chunk], total=len(rows), limit=page.limit,
                                   offset=page.offset, next_offset=nxt)


def claim_json(session: Any, claim_id: int) -> dict[str, Any]:
    """A claim with how its deadline stands today and its history from the audit log."""
    from newsrights.errors import InputError
    from newsrights.services import audit

    try:
        info = claims.get_claim(session, claim_id)
    except InputError as exc:
        raise Problem(404, "not_found", str(exc)) from exc
    d = info.to_json()
    d["deadline_status"] = claims.deadline_status(info)
    d["history"] = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                     "status": (e.after or {}).get("status") if isinstance(e.after, dict) else None}
                    for e in audit.iter_entries(session, entity="claim", entity_id=claim_id)]
    return d


@router.get("/claims/{claim_id}", response_model=dict[str, Any])
def get_claim(claim_id: Id, session: DB) -> dict[str, Any]:
    """One claim: deadline (last day, days left, overdue/due soon), state, notes and history."""
    return claim_json(session, claim_id)


@router.post("/claims/{claim_id}/review", response_model=dict[str, Any])
def review_claim(claim_id: Id, body: ClaimReviewIn, request: Request, me: Me) -> dict[str, Any]:
    """Acknowledge a received claim (it goes under review); 409 if it is not in ``received``."""
    with state(request).factory() as s:
        claim_json(s, claim_id)
    return claims.review_claim(state(request).factory, claim_id, actor=me.user.username,  # type: ignore[no-any-return]
                               note=body.note).to_json()


@router.post("/claims/{claim_id}/decision", response_model=dict[str, Any])
def decide_claim(claim_id: Id, body: ClaimDecisionIn, request: Request, me: Me) -> dict[str, Any]:
    """Record a decision (upheld / rejected with its ground / needs more info) with its note; 409 on a
    resolved claim or ``rejected:rejected_late`` on a claim raised in time."""
    with state(request).factory() as s:
        claim_json(s, claim_id)
    return claims.decide_claim(state(request).factory, claim_id, body.decision,  # type: ignore[no-any-return]
                               actor=me.user.username, note=body.note).to_json()
