"""Findings and their verdicts (``services.scan``), and the summary report."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from newsrights.api.deps import DB, Id, Page
from newsrights.api.problems import Problem
from newsrights.api.schemas import CountItem, PageOut, SummaryOut
from newsrights.core.model import VERDICTS
from newsrights.errors import InputError
from newsrights.services import scan
from newsrights.web.stats import FindingFact

router = APIRouter(prefix="/api/v1", tags=["findings"])

VerdictFilter = Literal[VERDICTS]  # type: ignore[valid-type]
LabelFilter = Literal["whole", "excerpt"]


def finding_json(rec: Any) -> dict[str, Any]:
    d = rec.to_json()
    d["found_at"] = rec.found_at.isoformat() if rec.found_at else None
    d["page_title"] = rec.page_title
    return d  # type: ignore[no-any-return]


def load_finding(session: Any, finding_id: int) -> Any:
    try:
        return scan.get_finding(session, finding_id)
    except InputError as exc:
        raise Problem(404, "not_found", str(exc)) from exc


@router.get("/findings", response_model=PageOut[dict[str, Any]])
def list_findings(session: DB, page: Page, article_id: Annotated[str | None, Query(max_length=200)] = None,
                  verdict: VerdictFilter | None = None, label: LabelFilter | None = None,
                  page_url: Annotated[str | None, Query(max_length=2000)] = None) -> PageOut[dict[str, Any]]:
    """Stored findings, newest first, filtered by article, verdict, label or page URL."""
    rows = scan.list_findings(session, article_id=article_id, verdict=verdict, label=label, page_url=page_url,
                              limit=page.limit + 1, offset=page.offset)
    more = len(rows) > page.limit
    return PageOut[dict[str, Any]](items=[finding_json(r) for r in rows[: page.limit]], limit=page.limit,
                                   offset=page.offset, next_offset=page.offset + page.limit if more else None)


@router.get("/findings/{finding_id}", response_model=dict[str, Any])
def get_finding(finding_id: Id, session: DB) -> dict[str, Any]:
    """One finding with its spans, verdict and reasons, and the copying page's text."""
    rec = load_finding(session, finding_id)
    d = finding_json(rec)
    d["page_text"] = rec.page_text
    return d


@router.get("/articles/{article_id}/findings", response_model=list[dict[str, Any]])
def article_findings(article_id: str, session: DB) -> list[dict[str, Any]]:
    """Every copy found of one article (at most 1000, newest first)."""
    return [finding_json(r) for r in scan.list_findings(session, article_id=article_id, limit=1000)]


def all_facts(session: Any, *, batch: int = 1000) -> list[FindingFact]:
    """Every stored finding as a (page url, verdict, found at) fact for the aggregates."""
    facts: list[FindingFact] = []
    offset = 0
    while True:
        rows = scan.list_findings(session, limit=batch, offset=offset)
        facts.extend(FindingFact(r.page_url or r.finding.page_url, r.finding.verdict, r.found_at) for r in rows)
        if len(rows) < batch:
            return facts
        offset += batch


@router.get("/reports/summary", response_model=SummaryOut)
def report_summary(session: DB) -> SummaryOut:
    """Copies found by verdict, by site, by day, and the top infringing sites (aggregated in SQL)."""
    from newsrights.services.reports import finding_summary

    s = finding_summary(session)

    def items(pairs: list[tuple[str, int]]) -> list[CountItem]:
        return [CountItem(key=k, count=v) for k, v in pairs]

    return SummaryOut(total=s.total, by_verdict=items(s.by_verdict), by_site=items(s.by_site),
                      by_day=items(s.by_day), top_infringing_sites=items(s.top_infringing_sites))
