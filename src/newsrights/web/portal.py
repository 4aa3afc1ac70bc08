"""The licensee's view: its own contracts, the content it licensed, the findings about its own use.

A licensee user is linked to a party uid of the licence registry
(``users.party_id``). *Its use* is a page on one of the party's domains
(:func:`newsrights.core.odrl.domain_matches`, subdomains included); *its
contracts* are the policies whose assignee is the party; *its content* is the
articles those contracts name, plus the articles its pages were found copying.
Nothing about other parties is ever loaded into its pages.
"""

from __future__ import annotations

from typing import Any

from newsrights.core.odrl import domain_matches

CATALOG_TARGET_PREFIX = "urn:newsrights:article:"


def party_of(session: Any, party_id: str) -> Any | None:
    from newsrights.services import licensing

    return licensing.find_party(session, party_id) if party_id else None


def party_sites(session: Any, party_id: str) -> tuple[str, ...]:
    """The domains the party runs (empty when the party is unknown)."""
    party = party_of(session, party_id)
    return tuple(party.domains) if party is not None else ()


def is_party_url(url: str | None, domains: tuple[str, ...]) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url or "").hostname
    return any(domain_matches(host, d) for d in domains)


def party_contracts(session: Any, party_id: str) -> list[Any]:
    """Every version of every policy assigned to the party (newest first)."""
    from newsrights.services import licensing

    versions = [v for v in licensing.list_policies(session, all_versions=True) if v.policy.assignee == party_id]
    return sorted(versions, key=lambda v: (v.policy.uid, -v.version))


def contract_articles(contracts: list[Any]) -> tuple[list[str], bool]:
    """Article ids the contracts name, and whether any contract covers the whole catalog (or columns)."""
    ids: list[str] = []
    whole = False
    for v in contracts:
        for rule in v.policy.rules:
            for asset in rule.targets:
                uid = asset.uid or ""
                if uid.startswith(CATALOG_TARGET_PREFIX):
                    ids.append(uid[len(CATALOG_TARGET_PREFIX):])
                else:
                    whole = True
    return list(dict.fromkeys(ids)), whole


def party_findings(session: Any, party_id: str, *, limit: int = 500) -> list[Any]:
    """Stored findings on the party's own sites, newest first (scanned in batches)."""
    from newsrights.services import scan

    domains = party_sites(session, party_id)
    if not domains:
        return []
    out: list[Any] = []
    offset = 0
    while len(out) < limit:
        rows = scan.list_findings(session, limit=1000, offset=offset)
        out.extend(r for r in rows if is_party_url(r.page_url or r.finding.page_url, domains))
        if len(rows) < 1000:
            break
        offset += 1000
    return out[:limit]
