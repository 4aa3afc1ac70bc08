"""Aggregates of the stored findings, computed in SQL (the dashboard and ``/api/v1/reports/summary``).

:func:`finding_summary` answers the same :class:`newsrights.web.stats.Summary` as
``summarize`` over every finding, without loading the findings:

* one ``GROUP BY`` over (page URL, verdict) gives the count per URL and verdict; the
  site of each *distinct* URL is its host without ``www.``
  (:func:`newsrights.web.stats.site_of`, computed once per URL in Python so it is the
  very same rule), and the counts are summed per site and per verdict;
* one ``GROUP BY`` over the UTC calendar day of ``found_at`` gives the copies per day.

The page URL of a finding is the page's URL, else the URL stored on the finding (the rule
of the findings list). A copy counts as infringing by :data:`newsrights.web.stats.INFRINGING`.
The rows read are one per distinct (URL, verdict) and one per day, not one per finding,
and no page text, spans or raw bytes are read.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsrights.storage.tables.matching import FindingRow, PageRow
from newsrights.web.stats import INFRINGING, Summary, site_of


def _day_expr(session: Session):  # type: ignore[no-untyped-def]
    """``YYYY-MM-DD`` of ``found_at`` in UTC, on SQLite (stored as UTC wall time) and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", FindingRow.found_at), "YYYY-MM-DD")
    return func.substr(func.date(FindingRow.found_at), 1, 10)


def finding_summary(session: Session, *, top: int = 10) -> Summary:
    """Counts by verdict (most first), by site (top ``top``), by day (chronological), top infringers."""
    url = func.coalesce(func.nullif(PageRow.url, ""), FindingRow.page_url)
    groups = session.execute(
        select(url, FindingRow.verdict, func.count(FindingRow.id))
        .join(PageRow, PageRow.id == FindingRow.page_id)
        .group_by(url, FindingRow.verdict)
    ).all()
    verdicts: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    site_cache: dict[str, str] = {}
    total = 0
    for page_url, verdict, n in groups:
        key = page_url or ""
        site = site_cache.get(key)
        if site is None:
            site = site_cache[key] = site_of(key)
        total += n
        verdicts[verdict or "none"] += n
        sites[site] += n
        if verdict in INFRINGING:
            bad[site] += n
    day = _day_expr(session)
    days = [(d, n) for d, n in session.execute(
        select(day, func.count(FindingRow.id)).where(FindingRow.found_at.is_not(None)).group_by(day).order_by(day)
    ).all() if d]
    return Summary(
        total=total,
        by_verdict=sorted(verdicts.items(), key=lambda kv: (-kv[1], kv[0])),
        by_site=sorted(sites.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
        by_day=sorted(days),
        top_infringing_sites=sorted(bad.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
    )


__all__ = ["finding_summary"]
