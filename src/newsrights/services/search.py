"""One search box over articles, findings, cases and licences (the web UI's ``/search`` and ``GET /api/v1/search``).

The query is a literal, case-insensitive substring (``%`` and ``_`` match themselves), looked up in SQL:

* ``article`` — title or URI of the current version (``services.catalog.list_articles``);
* ``finding`` — the copying page's URL (the page's, else the finding's) or title;
* ``case`` — the case title or the site it is against;
* ``licence`` — the licensee's name (or the licence uid), current versions only.

Each hit is labelled with its kind. With ``party`` (a licensee signed in) only that party's
own items are searched: findings on the party's domains (subdomains included, the portal's
rule of the licensee portal) and the licences assigned to it; never
articles, cases or anyone else's items. Which kinds a staff role may search is the caller's
business (the web and API routes pass the kinds the role may see).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

KINDS: tuple[str, ...] = ("article", "finding", "case", "licence")
MAX_QUERY = 200


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: its kind, id, a title and a detail line (both untrusted text: escape them) and where it lives."""

    kind: str
    id: str
    title: str
    detail: str
    href: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "detail": self.detail, "href": self.href}


def like_pattern(q: str) -> str:
    """``%q%`` with the LIKE wildcards and the escape character of ``q`` escaped (escape ``\\``)."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _articles(session: Session, q: str, limit: int) -> list[SearchHit]:
    from newsrights.services import catalog

    return [SearchHit("article", r.id, r.article.title or r.uri, r.uri, f"/articles/{r.id}")
            for r in catalog.list_articles(session, q=q, limit=limit)]


def _findings(session: Session, q: str, limit: int, domains: tuple[str, ...] | None) -> list[SearchHit]:
    from newsrights.storage.tables.matching import FindingRow, PageRow

    like = like_pattern(q)
    url = func.coalesce(func.nullif(PageRow.url, ""), FindingRow.page_url)
    stmt = (select(FindingRow.id, url, PageRow.title, FindingRow.verdict, FindingRow.article_id)
            .join(PageRow, PageRow.id == FindingRow.page_id)
            .where(or_(url.ilike(like, escape="\\"), PageRow.title.ilike(like, escape="\\")))
            .order_by(FindingRow.found_at.desc(), FindingRow.id.desc()))
    prefix = "/findings/" if domains is None else "/portal/findings/"
    hits: list[SearchHit] = []
    batch, offset = max(limit, 200), 0
    while len(hits) < limit:
        rows = session.execute(stmt.limit(batch).offset(offset)).all()
        for fid, page_url, title, verdict, article_id in rows:
            if domains is not None and not _on_domains(page_url, domains):
                continue
            hits.append(SearchHit("finding", str(fid), title or page_url or f"#{fid}",
                                  f"{page_url or ''} · {verdict or 'none'} · {article_id}", f"{prefix}{fid}"))
        if len(rows) < batch:
            break
        offset += batch
    return hits[:limit]


def _cases(session: Session, q: str, limit: int) -> list[SearchHit]:
    from newsrights.storage.tables.cases import CaseRow

    like = like_pattern(q)
    rows = session.scalars(select(CaseRow).where(or_(CaseRow.title.ilike(like, escape="\\"),
                                                     CaseRow.site.ilike(like, escape="\\")))
                           .order_by(CaseRow.id.desc()).limit(limit))
    return [SearchHit("case", str(c.id), c.title or c.site, f"{c.site} · {c.state}", f"/cases/{c.id}") for c in rows]


def _licences(session: Session, q: str, limit: int, party: str | None) -> list[SearchHit]:
    from newsrights.storage.tables.licensing import PartyRow, PolicyVersionRow

    like = like_pattern(q)
    stmt = (select(PolicyVersionRow, PartyRow.name)
            .join(PartyRow, PartyRow.uid == PolicyVersionRow.assignee, isouter=True)
            .where(PolicyVersionRow.valid_to.is_(None))
            .where(or_(PartyRow.name.ilike(like, escape="\\"), PolicyVersionRow.uid.ilike(like, escape="\\")))
            .order_by(PolicyVersionRow.uid, PolicyVersionRow.version).limit(limit))
    if party is not None:
        stmt = stmt.where(PolicyVersionRow.assignee == party)
    out = []
    for v, name in session.execute(stmt).all():
        href = "/portal" if party is not None else "/licences/edit?uid=" + _quote(v.uid)
        out.append(SearchHit("licence", v.uid, name or v.assignee or v.uid,
                             f"{name or v.assignee or ''} · {v.policy_type} · v{v.version}", href))
    return out


def _on_domains(url: str | None, domains: tuple[str, ...]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or under one (the portal's rule)."""
    from urllib.parse import urlsplit

    from newsrights.core.odrl import domain_matches

    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return False
    return any(domain_matches(host, d) for d in domains)


def _quote(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


def search(session: Session, q: str, *, kinds: tuple[str, ...] | frozenset[str] = KINDS, party: str | None = None,
           limit: int = 20) -> list[SearchHit]:
    """Hits of every kind in ``kinds`` (at most ``limit`` per kind), in the order of :data:`KINDS`.

    With ``party`` only that licensee's own findings and licences are searched (see the module docstring).
    """
    q = q.strip()[:MAX_QUERY]
    if not q:
        return []
    wanted = [k for k in KINDS if k in kinds]
    domains: tuple[str, ...] | None = None
    if party is not None:
        from newsrights.services import licensing

        wanted = [k for k in wanted if k in ("finding", "licence")]
        found = licensing.find_party(session, party) if party else None
        domains = tuple(found.domains) if found is not None else ()
    hits: list[SearchHit] = []
    for kind in wanted:
        if kind == "article":
            hits += _articles(session, q, limit)
        elif kind == "finding":
            hits += [] if domains == () else _findings(session, q, limit, domains)
        elif kind == "case":
            hits += _cases(session, q, limit)
        elif kind == "licence":
            hits += _licences(session, q, limit, party)
    return hits


__all__ = ["KINDS", "SearchHit", "like_pattern", "search"]
