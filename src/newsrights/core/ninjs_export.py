"""Catalog articles as IPTC ninjs documents (3.0 camelCase by default, 2.x lower-case on request).

Rights fields follow the ownership decision and the declaration in force:

* ``copyrightHolder`` — the publisher for ``owned`` articles, the named medium
  for ``third_party`` / ``explicit_third_party``, absent when undecided;
* ``copyrightNotice`` — ``© <holder>`` with the declaration's own words;
* ``usageTerms`` — what the declaration forbids without a licence (its
  Chinese terms and the ODRL actions), the credit a licensee must print, or
  that the text is a reprint the publisher cannot license;
* ``headlines`` — ``main`` and, when the page gave one, ``original`` (原标题);
* ``altIds`` — the catalog id, the sha256 of the normalised text
  (``sha256``) and of the bytes read (``raw-sha256``), the version.

Pure: builds dicts, no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from newsrights.core.declaration import Declaration
from newsrights.core.model import Article, Ownership

NinjsVersion = Literal["2", "3"]

_SCHEMAS = {
    "3": ("3.0", "https://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"),
    "2": ("2.1", "https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"),
}


def usage_terms(ownership: Ownership, declaration: Declaration | None) -> str:
    """The usage terms of an article, in words, from its ownership and the declaration."""
    if ownership.class_ == "owned":
        if declaration is None:
            return "All rights reserved."
        manager = declaration.rights_manager or declaration.holder or declaration.site or "the publisher"
        terms = "、".join(p.term for p in declaration.prohibited_acts)
        actions = ", ".join(declaration.prohibited_actions)
        parts = []
        if terms:
            written = "written " if declaration.written_permission_required else ""
            parts.append(f"No {actions} ({terms}) without the {written}authorisation of {manager}.")
        if declaration.licence_scope_only:
            parts.append("Licensees use it only within the scope of their licence.")
        if declaration.credit_line:
            parts.append(f"Credit required: “{declaration.credit_line}”.")
        return " ".join(parts) or "All rights reserved."
    if ownership.class_ in ("third_party", "explicit_third_party"):
        holder = ownership.holder or "its original holder"
        site = declaration.site if declaration and declaration.site else "the publisher"
        return f"Reprinted content: rights remain with {holder}; {site} cannot license it."
    return "Rights not determined (needs review): do not license."


def to_ninjs(
    article: Article,
    ownership: Ownership,
    *,
    article_id: str,
    declaration: Declaration | None = None,
    version: int = 1,
    first_created: datetime | None = None,
    version_created: datetime | None = None,
    ninjs_version: NinjsVersion = "3",
) -> dict[str, Any]:
    """One ninjs document for a catalog article (see the module docstring for the rights fields)."""
    owned = ownership.class_ == "owned"
    holder: str | None
    if owned:
        holder = ownership.holder or (declaration.site if declaration else None)
    elif ownership.class_ in ("third_party", "explicit_third_party"):
        holder = ownership.holder
    else:
        holder = None
    notice = None
    if holder:
        notice = f"© {holder}"
        if owned and declaration and declaration.operator:
            notice += f" ({declaration.operator})"
        notice += ". 版权所有" if owned else ". 转载作品，版权归原作者/原媒体所有"
    first = article.published or first_created
    latest = version_created or first
    headlines = [{"role": "main", "value": article.title}] if article.title else []
    if article.original_title:
        headlines.append({"role": "original", "value": article.original_title})
    alt = [
        {"role": "catalog-id", "value": article_id},
        {"role": "sha256", "value": article.sha256},
        {"role": "version", "value": str(version)},
    ]
    if article.raw_sha256:
        alt.append({"role": "raw-sha256", "value": article.raw_sha256})
    if article.url and article.url != article.uri:
        alt.append({"role": "url", "value": article.url})
    body = "\n".join(article.body)
    standard, schema = _SCHEMAS[ninjs_version]
    doc: dict[str, Any] = {
        "uri": article.stable_uri,
        "type": "text",
        "version": str(version),
        "language": article.language or "zh",
        "firstCreated": first.isoformat() if first else None,
        "versionCreated": latest.isoformat() if latest else None,
        "pubStatus": "usable",
        "copyrightHolder": {"name": holder} if holder else None,
        "copyrightNotice": notice,
        "usageTerms": usage_terms(ownership, declaration),
        "headlines": headlines,
        "bodies": [{"role": "main", "contentType": "text/plain", "value": body, "charCount": len(article.text)}],
        "by": article.byline,
        "located": article.dateline,
        "infoSources": [{"name": article.source, "role": "source"}] if article.source else None,
        "altIds": alt,
        "$standard": {"name": "ninjs", "version": standard, "schema": schema},
    }
    doc = {k: v for k, v in doc.items() if v not in (None, [], "")}
    if ninjs_version == "2":
        doc = _lower(doc)
        if holder:
            doc["copyrightholder"] = holder  # 2.x: a plain string
    return doc


_RENAME_2 = {
    "firstCreated": "firstcreated",
    "versionCreated": "versioncreated",
    "pubStatus": "pubstatus",
    "copyrightHolder": "copyrightholder",
    "copyrightNotice": "copyrightnotice",
    "usageTerms": "usageterms",
    "infoSources": "infosources",
    "altIds": "altids",
    "contentType": "contenttype",
    "charCount": "charcount",
}


def _lower(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {_RENAME_2.get(k, k): _lower(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_lower(v) for v in obj]
    return obj
