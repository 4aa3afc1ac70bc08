"""Aggregates of the stored findings, computed in SQL (the dashboard and ``/api/v1/reports/summary``).

:func:`finding_summary` answers the same :class:`newsrights.web.stats.Summary` as
``summarize`` over every finding, without loading the findings:

* one ``GROUP BY`` over (``scheme://authority`` of the page URL, verdict) gives the counts
  per origin and verdict (:func:`_origin_key`); the site of each origin is its host without
  ``www.`` by :func:`newsrights.web.stats.site_of` itself, once per origin, and the counts
  are summed per site and per verdict;
* one ``GROUP BY`` over the UTC calendar day of ``found_at`` gives the copies per day.

The page URL of a finding is the page's URL, else the URL stored on the finding (the rule
of the findings list). A copy counts as infringing by :data:`newsrights.web.stats.INFRINGING`.
The rows returned are one per (origin, verdict) and one per day, not one per finding;
no page text, spans or raw bytes are read.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from newsrights.storage.tables.matching import FindingRow, PageRow
from newsrights.web.stats import INFRINGING, Summary, site_of


def _day_expr(session: Session):  # type: ignore[no-untyped-def]
    """``YYYY-MM-DD`` of ``found_at`` in UTC, on SQLite (stored as UTC wall time) and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", FindingRow.found_at), "YYYY-MM-DD")
    return func.substr(func.date(FindingRow.found_at), 1, 10)


def _origin_key(session: Session, url: Any) -> Any:
    """SQL for the grouping key of a page URL: for ``http://`` and ``https://`` URLs the URL cut before
    the first ``/`` after its 8th character (``scheme://authority``, with any ``?query`` or ``#frag``
    that follows the authority directly), for any other URL the URL itself.

    :func:`site_of` of the key equals :func:`site_of` of the URL: the cut ``/`` is at or after the
    start of the authority, and ``urlsplit`` ends the authority at the first ``/``, ``?`` or ``#``,
    so the key holds the very same authority. Keys are few (one per scheme + authority), so
    ``site_of`` runs once per key in Python and the rule stays exactly the one of the findings list.
    """
    pos = func.strpos if session.get_bind().dialect.name == "postgresql" else func.instr
    cut = func.substr(url, 1, pos(func.substr(url, 9).op("||")("/"), "/") + 7)
    return case((or_(url.like("http://%"), url.like("https://%")), cut), else_=url)


def _url() -> Any:
    """A finding's page URL: the page's, else the one stored on the finding (the findings list's rule)."""
    return func.coalesce(func.nullif(PageRow.url, ""), FindingRow.page_url)


def finding_summary(session: Session, *, top: int = 10) -> Summary:
    """Counts by verdict (most first), by site (top ``top``), by day (chronological), top infringers."""
    key = _origin_key(session, _url())
    groups = session.execute(
        select(key, FindingRow.verdict, func.count(FindingRow.id))
        .join(PageRow, PageRow.id == FindingRow.page_id)
        .group_by(key, FindingRow.verdict)
    ).all()
    verdicts: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    site_cache: dict[str, str] = {}
    total = 0
    for k, verdict, n in groups:
        site = site_cache.get(k or "")
        if site is None:
            site = site_cache[k or ""] = site_of(k or "")
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
