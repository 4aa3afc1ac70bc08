"""Load ``tests/fixtures/licensing/verdict_vectors.toml`` into core objects."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from newsrights.core.model import CHINA_TZ, Article, Finding, Ownership
from newsrights.core.odrl import Party, PolicyVersion, Registry, declaration_policy, policy_from_jsonld

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "licensing"
VECTORS = FIXTURES / "verdict_vectors.toml"


def load() -> dict[str, Any]:
    return tomllib.loads(VECTORS.read_text("utf-8"))


def day(s: str) -> datetime:
    return datetime.combine(date.fromisoformat(s), time.min, CHINA_TZ)


def policy_versions(data: dict[str, Any]) -> list[PolicyVersion]:
    """Policy versions in file order; a later version of the same uid closes the earlier one."""
    out: list[PolicyVersion] = []
    for p in data["policies"]:
        policy, _ = policy_from_jsonld(json.loads((FIXTURES / p["file"]).read_text("utf-8")))
        start = day(p["valid_from"])
        prev = [i for i, v in enumerate(out) if v.policy.uid == policy.uid]
        version = 1
        if prev:
            last = out[prev[-1]]
            out[prev[-1]] = PolicyVersion(last.policy, last.version, last.valid_from, start)
            version = last.version + 1
        out.append(PolicyVersion(policy, version, start))
    return out


def publisher(data: dict[str, Any]) -> Party:
    p = data["publisher"]
    return Party(p["uid"], p["name"], "publisher", tuple(p["domains"]))


def parties(data: dict[str, Any]) -> tuple[Party, ...]:
    return tuple(Party(p["uid"], p["name"], p.get("kind", "licensee"), tuple(p["domains"])) for p in data["parties"])


def registry(data: dict[str, Any], conflict: str = "prohibit") -> Registry:
    from newsrights.core.declaration import publisher_declaration

    pub = publisher(data)
    decl = publisher_declaration()
    return Registry(
        publisher=pub,
        parties=parties(data),
        policies=tuple(policy_versions(data)),
        default=declaration_policy(pub, credit_line=decl.credit_line, site=decl.site),
        conflict=conflict,
    )


def article(data: dict[str, Any], key: str) -> tuple[Article, Ownership]:
    a = data["articles"][key]
    art = Article(
        body=tuple(a["body"]),
        title=a.get("title"),
        published=datetime.fromisoformat(a["published"]) if a.get("published") else None,
        source=a.get("source"),
        dateline=a.get("dateline"),
        byline=a.get("byline"),
        uri=f"https://news.cri.cn/{key}.html",
        url=f"https://news.cri.cn/{key}.html",
        site="国际在线",
        extra=(("column", a["column"]),) if a.get("column") else (),
    )
    own = Ownership(a["ownership"], holder=a.get("holder"), marker=a.get("marker"),
                    reasons=("no source line",) if a["ownership"] == "needs_review" else ())
    return art, own


@dataclass(frozen=True)
class Case:
    name: str
    key: str
    article: Article
    ownership: Ownership
    page: Article
    finding: Finding
    raw_html: str | None
    conflict: str
    expect: str
    reasons: tuple[str, ...]


def cases(data: dict[str, Any]) -> list[Case]:
    out = []
    for c in data["case"]:
        art, own = article(data, c["article"])
        body = tuple(c.get("body", art.body)) + tuple(c.get("body_append", ()))
        page = Article(
            body=body,
            title=c.get("title", art.title),
            published=datetime.fromisoformat(c["published"]) if c.get("published") else None,
            source=c.get("source"),
            dateline=c.get("dateline"),
            byline=c.get("byline"),
            url=c["url"],
            credit_lines=tuple(c.get("credit_lines", ())),
            furniture=tuple(c.get("furniture", ())),
            declaration=c.get("declaration"),
            extra=tuple((k, str(v)) for k, v in c.get("page_extra", {}).items()),
        )
        finding = Finding(
            page_url=c["url"], article_id=c["article"], article_uri=art.uri or "", label=c["label"],
            article_coverage=c["article_coverage"], page_coverage=c["page_coverage"], spans=(), params="test",
        )
        out.append(Case(c["name"], c["article"], art, own, page, finding, c.get("raw_html"),
                        c.get("conflict", "prohibit"), c["expect"], tuple(c["reasons"])))
    return out
