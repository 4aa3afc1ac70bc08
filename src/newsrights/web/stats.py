"""Aggregates of findings for the dashboard and ``/api/v1/reports/summary`` (pure).

A copy counts as *infringing* when its verdict is ``unlicensed``,
``out_of_scope`` or ``licensed_uncredited`` (used without the required
credit); ``legal_review`` and unjudged copies are not counted as infringing.
Sites are the host of the page URL without a leading ``www.``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

INFRINGING = frozenset({"unlicensed", "out_of_scope", "licensed_uncredited"})


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    return host[4:] if host.startswith("www.") else (host or "(none)")


@dataclass(frozen=True, slots=True)
class FindingFact:
    page_url: str
    verdict: str | None
    found_at: datetime | None


@dataclass(frozen=True, slots=True)
class Summary:
    total: int
    by_verdict: list[tuple[str, int]]
    by_site: list[tuple[str, int]]
    by_day: list[tuple[str, int]]
    top_infringing_sites: list[tuple[str, int]]


def summarize(facts: Iterable[FindingFact], *, top: int = 10) -> Summary:
    """Counts by verdict (most first), by site (top ``top``), by day (chronological), top infringers."""
    verdicts: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    days: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    total = 0
    for f in facts:
        total += 1
        verdicts[f.verdict or "none"] += 1
        site = site_of(f.page_url)
        sites[site] += 1
        if f.found_at is not None:
            days[f.found_at.date().isoformat()] += 1
        if f.verdict in INFRINGING:
            bad[site] += 1
    return Summary(
        total=total,
        by_verdict=sorted(verdicts.items(), key=lambda kv: (-kv[1], kv[0])),
        by_site=sorted(sites.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
        by_day=sorted(days.items()),
        top_infringing_sites=sorted(bad.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
    )
