"""Pages that act: a claim's page (acknowledge, decide), building and showing evidence packages, search.

Every action calls the owning service (``services.claims``, ``services.evidence``,
``services.cases``, ``services.search``), which checks the rule and writes the audit log;
the page only maps the form to the call. Forms carry the session's CSRF token (checked in
:func:`newsrights.api.deps.authorize`) and each route is declared in
:data:`newsrights.api.policy.POLICY`.

Claim decisions (the form's ``decision`` field, one of ``services.claims.DECISIONS``) go to
``services.claims.decide_claim``: ``upheld:<remedy>`` and ``rejected:<ground>`` resolve the
claim, ``needs_info`` keeps it under review with the note; every decision needs a note.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import Any

from fastapi import Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from newsrights.api.deps import Id, optional_principal, state
from newsrights.api.policy import PERMISSIONS
from newsrights.api.problems import Problem
from newsrights.core.model import CHINA_TZ
from newsrights.errors import EvidenceError, IllegalTransition, InputError
from newsrights.storage.db import transaction
from newsrights.web.views import render, router, service

log = logging.getLogger(__name__)

def _claim_context(request: Request, claim_id: int, *, error: str | None = None) -> dict[str, Any]:
    from newsrights.services import audit

    claims = service("claims")
    with transaction(state(request).factory) as s:
        try:
            claim = claims.get_claim(s, claim_id)
        except InputError as exc:
            raise Problem(404, "not_found", str(exc)) from exc
        history = list(audit.iter_entries(s, entity="claim", entity_id=claim_id))
    me = optional_principal(request)
    may_act = me is not None and me.role in PERMISSIONS["rights"]
    decisions = [d for d in claims.DECISIONS if d != "rejected:rejected_late" or claim.late]
    return {"claim": claim, "dl": claims.deadline_status(claim), "history": history, "may_act": may_act,
            "decisions": decisions, "error": error, "china": CHINA_TZ}


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def web_claim(request: Request, claim_id: Id) -> HTMLResponse:
    """One claim: its deadline (last day, days left), state, notes, history from the audit log, and the actions."""
    return render(request, "claim.html", **_claim_context(request, claim_id))


def _act(request: Request, claim_id: int, call: Any) -> Response:
    try:
        call()
    except IllegalTransition as exc:
        return render(request, "claim.html", status_code=409, **_claim_context(request, claim_id, error=str(exc)))
    except InputError as exc:
        with transaction(state(request).factory) as s:
            try:
                service("claims").get_claim(s, claim_id)
            except InputError:
                raise Problem(404, "not_found", str(exc)) from exc
        return render(request, "claim.html", status_code=400, **_claim_context(request, claim_id, error=str(exc)))
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


@router.post("/claims/{claim_id}/acknowledge")
def web_claim_acknowledge(request: Request, claim_id: Id, note: str = Form("", max_length=2000)) -> Response:
    """Acknowledge a received claim: it goes under review (``services.claims.review_claim``)."""
    claims = service("claims")
    me = optional_principal(request)
    assert me is not None
    return _act(request, claim_id, lambda: claims.review_claim(state(request).factory, claim_id,
                                                               actor=me.user.username, note=note.strip()))


@router.post("/claims/{claim_id}/decide")
def web_claim_decide(request: Request, claim_id: Id, decision: str = Form(..., max_length=40),
                     note: str = Form("", max_length=2000)) -> Response:
    """Record a decision (upheld / rejected / needs more info) with its note."""
    claims = service("claims")
    me = optional_principal(request)
    assert me is not None
    factory, actor = state(request).factory, me.user.username

    def call() -> None:
        claims.decide_claim(factory, claim_id, decision, actor=actor, note=note)

    return _act(request, claim_id, call)


# --- evidence -------------------------------------------------------------------------------------


@router.post("/findings/{finding_id}/evidence")
def web_finding_evidence(request: Request, finding_id: Id, open_case: bool = Form(False)) -> Response:
    """Build the evidence package of a finding (``services.evidence.build_evidence``), or open/join its
    case and build it there (``services.cases.open_case_with_evidence``); then show the package."""
    st = state(request)
    me = optional_principal(request)
    assert me is not None
    scan = service("scan")
    with transaction(st.factory) as s:
        try:
            scan.get_finding(s, finding_id)
        except InputError as exc:
            raise Problem(404, "not_found", str(exc)) from exc
    try:
        if open_case:
            result = service("cases").open_case_with_evidence(st.factory, finding_id, me.user.username,
                                                              settings=st.settings)
            package_id = int(result["package"]["id"])
        else:
            pkg, _ = service("evidence").build_evidence(st.factory, finding_id, actor=me.user.username,
                                                        settings=st.settings)
            package_id = pkg.id
    except EvidenceError as exc:
        log.error("evidence for finding %s failed: %s", finding_id, exc)
        raise Problem(500, "evidence_failed", str(exc)) from exc
    return RedirectResponse(f"/evidence/{package_id}", status_code=303)


def _package(request: Request, package_id: int) -> Any:
    evidence = service("evidence")
    with transaction(state(request).factory) as s:
        try:
            return evidence.get_package(s, package_id)
        except InputError as exc:
            raise Problem(404, "not_found", str(exc)) from exc


@router.get("/evidence/{package_id}", response_class=HTMLResponse)
def web_evidence(request: Request, package_id: Id) -> HTMLResponse:
    """A package: its file's sha256, and a fresh offline verification against this installation's key."""
    from newsrights.evidence.signing import load_or_create_key
    from newsrights.evidence.verify import verify_package

    pkg = _package(request, package_id)
    key = load_or_create_key(state(request).settings.keys_dir)
    report, error = None, None
    if Path(pkg.path).is_file():
        try:
            report = verify_package(pkg.path, trusted_key_sha256=key.fingerprint)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:  # a damaged archive fails, it does not crash
            log.warning("evidence package %s does not verify: %s", package_id, exc)
            error = f"{type(exc).__name__}: {exc}"
    return render(request, "evidence.html", pkg=pkg, report=report, verify_error=error, file=Path(pkg.path).name)


@router.get("/evidence/{package_id}/download")
def web_evidence_download(request: Request, package_id: Id) -> Response:
    """The WACZ file of a package (the path recorded when it was built)."""
    pkg = _package(request, package_id)
    path = Path(pkg.path)
    if not path.is_file():
        raise Problem(404, "not_found", f"the file of evidence package {package_id} is missing")
    return FileResponse(path, media_type="application/wacz", filename=path.name)


# --- search ---------------------------------------------------------------------------------------


def run_search(request: Request, q: str, *, limit: int = 20) -> list[Any]:
    me = optional_principal(request)
    assert me is not None
    search = service("search")
    party = (me.user.party_id or "") if me.role == "licensee" else None
    from newsrights.api.routes.search import kinds_for

    with transaction(state(request).factory) as s:
        return list(search.search(s, q, kinds=kinds_for(me.role), party=party, limit=limit))


@router.get("/search", response_class=HTMLResponse)
def web_search(request: Request, q: str = "") -> HTMLResponse:
    """Articles, findings, cases and licences matching ``q``, each labelled with its kind
    (as you type: htmx asks for the results fragment)."""
    q = q.strip()[:200]
    hits = run_search(request, q) if q else []
    partial = request.headers.get("hx-request") == "true"
    return render(request, "search_results.html" if partial else "search.html", q=q, hits=hits)
