"""Pages over other areas' services: articles, dashboard, findings, check, licences, cases, claims, portal.

Each page calls the owning service (catalog, scan, licensing, cases, claims)
through :func:`newsrights.web.views.service`, which answers 503 while a
service has not landed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse

from newsrights.api.deps import Id, optional_principal, state
from newsrights.api.problems import Problem
from newsrights.core.model import VERDICTS
from newsrights.storage.db import transaction
from newsrights.web import i18n
from newsrights.web.charts import bar_chart, line_chart
from newsrights.web.highlight import highlight
from newsrights.web.stats import site_of
from newsrights.web.views import language, render, router, service

log = logging.getLogger(__name__)

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


# --- findings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingView:
    """What a findings table row shows (all text escaped by the template)."""

    id: int
    href: str
    page_url: str
    page_title: str | None
    site: str
    article_id: str
    label: str
    article_coverage: float
    verdict: str | None
    found_at: str


def finding_view(rec: Any, *, href_prefix: str = "/findings/") -> FindingView:
    f = rec.finding
    url = rec.page_url or f.page_url or ""
    return FindingView(id=rec.id, href=f"{href_prefix}{rec.id}", page_url=url, page_title=rec.page_title,
                       site=site_of(url), article_id=f.article_id, label=f.label,
                       article_coverage=f.article_coverage, verdict=f.verdict,
                       found_at=rec.found_at.strftime("%Y-%m-%d %H:%M") if rec.found_at else "")


def findings_of_article(session: Any, article_id: str) -> list[FindingView] | None:
    """Findings about one article, or ``None`` while the scan service has not landed."""
    try:
        scan = service("scan")
    except Problem:
        return None
    return [finding_view(r) for r in scan.list_findings(session, article_id=article_id, limit=1000)]


def credit_state(reasons: tuple[str, ...] | list[str]) -> tuple[str, str | None]:
    """``("missing"|"present"|"unknown", the reason that says so)`` from the verdict reasons."""
    for r in reasons:
        if r.startswith(("credit_absent", "credit_wrong")):
            return "missing", r
    for r in reasons:
        if r.startswith("credit_present"):
            return "present", r
    return "unknown", None


def expected_credit() -> str | None:
    try:
        from newsrights.core.declaration import publisher_declaration

        return publisher_declaration().credit_line
    except Exception:  # pragma: no cover - the packaged declaration is optional here
        log.warning("publisher declaration unavailable", exc_info=True)
        return None


@router.get("/dashboard", response_class=HTMLResponse)
def web_dashboard(request: Request) -> HTMLResponse:
    """Totals and plots aggregated in SQL (:func:`newsrights.services.reports.finding_summary`), the 10 newest findings."""
    scan = service("scan")
    reports = service("reports")

    with transaction(state(request).factory) as s:
        summary = reports.finding_summary(s)
        recent = [finding_view(r) for r in scan.list_findings(s, limit=10)]
    lang = language(request)
    t = i18n.translator(lang)
    charts = {
        "over_time": line_chart(summary.by_day, title=t("copies_over_time")),
        "by_site": bar_chart(summary.by_site, title=t("copies_by_site")),
        "by_verdict": bar_chart([(t("verdict_" + k), v) for k, v in summary.by_verdict], title=t("copies_by_verdict")),
        "top_infringing": bar_chart(summary.top_infringing_sites, title=t("top_infringing")),
    }
    return render(request, "dashboard.html", summary=summary, charts=charts, findings=recent)


@router.get("/findings", response_class=HTMLResponse)
def web_findings(request: Request, verdict: str = "") -> HTMLResponse:
    scan = service("scan")
    offset = _offset(request)
    verdict = verdict if verdict in VERDICTS else ""
    with transaction(state(request).factory) as s:
        rows = scan.list_findings(s, verdict=verdict or None, limit=PAGE + 1, offset=offset)
    return render(request, "findings.html", findings=[finding_view(r) for r in rows[:PAGE]], more=len(rows) > PAGE,
                  offset=offset, page=PAGE, verdict=verdict, verdicts=VERDICTS)


def finding_is_about_party(session: Any, rec: Any, party: str) -> bool:
    """Whether a finding concerns ``party``'s own use (a page on one of the party's domains)."""
    from newsrights.web.portal import is_party_url, party_sites

    return is_party_url(rec.page_url or rec.finding.page_url, party_sites(session, party))


def side_by_side(request: Request, finding_id: int, *, party: str | None = None) -> dict[str, Any]:
    """The context of the side-by-side view: both texts with reused passages marked, the credit state.

    With ``party`` (the licensee portal) the finding must be about that party's own use.
    """
    scan = service("scan")
    catalog = service("catalog")
    from newsrights.errors import InputError

    with transaction(state(request).factory) as s:
        try:
            rec = scan.get_finding(s, finding_id)
        except InputError as exc:
            raise Problem(404, "not_found", str(exc)) from exc
        if party is not None and not finding_is_about_party(s, rec, party):
            raise Problem(404, "not_found", f"no finding {finding_id} about your use")
        try:
            article = catalog.get_article_record(s, rec.finding.article_id)
        except catalog.ArticleNotFound:
            article = None
    f = rec.finding
    page_marked = highlight(rec.page_text or "", [(sp.page_start, sp.page_end) for sp in f.spans], prefix="p")
    article_marked = (highlight(article.article.text, [(sp.article_start, sp.article_end) for sp in f.spans], prefix="a")
                      if article is not None else None)
    credit, credit_reason = credit_state(f.verdict_reasons)
    return {"rec": rec, "f": f, "view": finding_view(rec), "article": article, "page_marked": page_marked,
            "article_marked": article_marked, "credit": credit, "credit_reason": credit_reason,
            "expected_credit": expected_credit()}


@router.get("/findings/{finding_id}", response_class=HTMLResponse)
def web_finding(request: Request, finding_id: Id) -> HTMLResponse:
    """The side-by-side view; for the roles that build evidence, the finding's packages and the build button."""
    from newsrights.api.policy import PERMISSIONS

    ctx = side_by_side(request, finding_id)
    me = optional_principal(request)
    packages: list[Any] | None = None
    if me is not None and me.role in PERMISSIONS["rights"]:
        with transaction(state(request).factory) as s:
            packages = service("evidence").list_packages(s, finding_id=finding_id)
    return render(request, "finding.html", packages=packages, **ctx)


# --- check now ---------------------------------------------------------------------------------


@router.get("/check", response_class=HTMLResponse)
def web_check(request: Request) -> HTMLResponse:
    return render(request, "check.html", text="", url="", results=None, page_marked=None)


@router.post("/check", response_class=HTMLResponse)
def web_check_run(request: Request, text: str = Form("", max_length=200_000),
                  url: str = Form("", max_length=2000)) -> HTMLResponse:
    from newsrights.api.deps import rate_limit_scan
    from newsrights.api.routes.scans import check_text, fetch_and_scan

    rate_limit_scan(request)
    me = optional_principal(request)
    assert me is not None
    if url.strip():
        if not url.startswith(("http://", "https://")):
            raise Problem(400, "bad_input", "the URL must start with http:// or https://")
        findings, _ = fetch_and_scan(request, url.strip(), record=True, actor=me.user.username)
        page_marked = None
    elif text.strip():
        findings = check_text(state(request), text)
        norm_text = "\n\n".join(p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()) or text
        page_marked = highlight(norm_text, [(sp.page_start, sp.page_end) for f in findings for sp in f.spans])
    else:
        raise Problem(400, "bad_input", "paste a text or give a URL")
    results = [{"f": f, "credit": credit_state(f.verdict_reasons)[0]} for f in findings]
    return render(request, "check.html", text=text, url=url, results=results, page_marked=page_marked)


# --- licences -----------------------------------------------------------------------------------


@router.get("/licences", response_class=HTMLResponse)
def web_licences(request: Request) -> HTMLResponse:
    licensing = service("licensing")
    from newsrights.api.routes.licences import licence_json

    with transaction(state(request).factory) as s:
        rows = [licence_json(s, v) for v in licensing.list_policies(s)]
    return render(request, "licences.html", rows=rows, form=None, error=None)


@router.get("/licences/edit", response_class=HTMLResponse)
def web_licence(request: Request, uid: str = "") -> HTMLResponse:
    """The licence editor: empty for a new licence, filled from the current version with ``uid``."""
    licensing = service("licensing")
    form: dict[str, Any] = {"uid": "", "licensee": "", "domains": "", "actions": ["reproduce"], "start": "",
                            "end": "", "credit": "来源:国际在线", "link_back": False, "articles": ""}
    versions: list[Any] = []
    if uid:
        from newsrights.api.routes.licences import licence_json

        with transaction(state(request).factory) as s:
            found = licensing.policy_versions(s, uid)
            if not found:
                raise Problem(404, "not_found", f"no licence {uid!r}")
            versions = [licence_json(s, v) for v in found]
            current = found[-1].policy
            party = licensing.find_party(s, current.assignee or "")
        form.update(uid=uid, licensee=party.name if party else (current.assignee or ""),
                    domains=", ".join(party.domains) if party else "",
                    actions=sorted({r.action for r in current.rules}))
    from newsrights.core.odrl import ACTIONS

    return render(request, "licence.html", form=form, versions=versions, actions=ACTIONS, error=None)


@router.post("/licences/edit")
def web_licence_save(request: Request, licensee: str = Form(..., max_length=200), domains: str = Form("", max_length=2000),
                     actions: Annotated[list[str] | None, Form()] = None, start: str = Form("", max_length=10),
                     end: str = Form("", max_length=10), credit: str = Form("", max_length=200),
                     link_back: bool = Form(False), articles: str = Form("", max_length=20000),
                     uid: str = Form("", max_length=300)) -> Any:
    from fastapi.responses import RedirectResponse
    from pydantic import ValidationError

    from newsrights.api.routes.licences import save_licence
    from newsrights.api.schemas import LicenceIn
    from newsrights.core.odrl import ACTIONS
    from newsrights.errors import InputError

    me = optional_principal(request)
    assert me is not None
    raw = {"licensee": licensee, "domains": [d.strip() for d in domains.replace("，", ",").split(",") if d.strip()],
           "actions": actions or ["reproduce"], "start": start or None, "end": end or None, "credit": credit or None,
           "link_back": link_back, "articles": [a.strip() for a in articles.split() if a.strip()], "uid": uid or None}
    try:
        body = LicenceIn.model_validate(raw)
        save_licence(request, body, me.user.username)
    except (ValidationError, InputError) as exc:
        form = {**raw, "domains": domains, "articles": articles, "start": start, "end": end, "uid": uid}
        return render(request, "licence.html", status_code=400, form=form, versions=[], actions=ACTIONS,
                      error=str(exc).splitlines()[0] if str(exc) else "invalid")
    return RedirectResponse("/licences", status_code=303)


# --- cases and claims -----------------------------------------------------------------------------


@router.get("/cases", response_class=HTMLResponse)
def web_cases(request: Request) -> HTMLResponse:
    cases = service("cases")
    with transaction(state(request).factory) as s:
        rows = cases.list_cases(s)
    return render(request, "cases.html", rows=rows)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def web_case(request: Request, case_id: Id) -> HTMLResponse:
    from newsrights.api.routes.cases import load_case

    cases = service("cases")
    with transaction(state(request).factory) as s:
        case = load_case(s, case_id)
        ledger = cases.cost_ledger(s, case_id)
    return render(request, "case.html", case=case, ledger=ledger)


@router.post("/cases/{case_id}/move")
def web_case_move(request: Request, case_id: Id, to: str = Form(..., max_length=40),
                  note: str = Form("", max_length=2000)) -> Any:
    """Move a case from its page; the offered moves are the state machine's legal moves
    (``closed:<outcome>`` closes with that outcome)."""
    from fastapi.responses import RedirectResponse

    from newsrights.api.routes.cases import load_case

    cases = service("cases")
    me = optional_principal(request)
    assert me is not None
    with transaction(state(request).factory) as s:
        load_case(s, case_id)
    to, _, outcome = to.partition(":")
    cases.move_case(state(request).factory, case_id, to, actor=me.user.username, outcome=outcome or None, note=note)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/claims", response_class=HTMLResponse)
def web_claims(request: Request, status: str = "") -> HTMLResponse:
    """The inbox, earliest deadline first, each deadline marked by ``services.claims.deadline_status``."""
    claims = service("claims")
    status = status if status in ("received", "under_review", "resolved") else ""
    with transaction(state(request).factory) as s:
        rows = sorted(claims.list_claims(s, status=status or None), key=lambda c: (c.deadline, c.id))
    marks = {c.id: claims.deadline_status(c)["mark"] for c in rows}
    return render(request, "claims.html", rows=rows, marks=marks, status=status)


# --- licensee portal ------------------------------------------------------------------------------


@router.get("/portal", response_class=HTMLResponse)
def web_portal(request: Request) -> HTMLResponse:
    from newsrights.api.routes.licences import licence_json
    from newsrights.web import portal

    me = optional_principal(request)
    assert me is not None
    party_id = me.user.party_id or ""
    catalog = service("catalog")
    with transaction(state(request).factory) as s:
        party = portal.party_of(s, party_id)
        contracts = portal.party_contracts(s, party_id)
        ids, whole = portal.contract_articles(contracts)
        content = []
        for aid in ids:
            try:
                content.append(catalog.get_article_record(s, aid))
            except catalog.ArticleNotFound:
                continue
        findings = [finding_view(r, href_prefix="/portal/findings/") for r in portal.party_findings(s, party_id)]
        licences = [licence_json(s, v) for v in contracts]
    return render(request, "portal.html", party=party, licences=licences, content=content, whole=whole,
                  findings=findings)


@router.get("/portal/findings/{finding_id}", response_class=HTMLResponse)
def web_portal_finding(request: Request, finding_id: Id) -> HTMLResponse:
    me = optional_principal(request)
    assert me is not None
    return render(request, "finding.html", **side_by_side(request, finding_id, party=me.user.party_id or ""))
