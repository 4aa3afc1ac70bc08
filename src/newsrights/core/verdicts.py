"""A reasoned verdict for each copy found (pure).

:func:`decide` takes one :class:`~newsrights.core.model.Finding` (whole copy or
excerpt, with coverages), the original article and its
:class:`~newsrights.core.model.Ownership`, the copying page, the
:class:`~newsrights.core.credit.CreditCheck` of that page and the
:class:`~newsrights.core.odrl.Registry` in force on the copy's date, and
returns a :class:`Decision`: one of the six verdicts, its reasons (each
``code: detail``) and the registry snapshot id it was decided on.

The rules, in order:

1. **not_ours** — the article is a third party's (``third_party``: 来源:XXX
   非国际在线, clause 4 of the declaration) or explicitly marked as a third
   party's copyright (``explicit_third_party``, clause 3's exception): the
   publisher has no claim.
2. **legal_review** — ownership itself needs review, or the match is weak
   (label ``not_derived``, or both coverages under ``min_coverage``).
3. The registry is asked (:func:`~newsrights.core.odrl.evaluate`) whether the
   page's site (its party, found by domain) may make this use — ``reproduce``
   for a whole copy, ``extract`` (摘编) for an excerpt — on the copy's date, on the
   page's domain, in its territory (``page.extra["territory"]``, else the
   country-code TLD), for its purpose/channel/count when the page states them
   (``page.extra``; the channel defaults to ``web``):

   * permitted → duties are checked against the credit check:
     ``attribute`` (credit absent or wrong), ``nr:keepByline``,
     ``attachSource`` (link back) unmet → **licensed_uncredited**;
     ``nr:keepTitle`` / ``nr:keepDateline`` unmet (integrity of the work) →
     **out_of_scope** (``title_altered`` / ``dateline_stripped``);
     all met → **licensed_credited**;
   * not permitted (licence held, constraint failed) → **out_of_scope**,
     naming the failed constraints (``expired``, ``other_domain``,
     ``excerpt_over_share`` …);
   * prohibited (a prohibition wins the conflict) → **out_of_scope** with
     ``prohibited``;
   * no licence → the declaration's prohibition (clause 2: 未经书面授权 …
     不得转载、摘编、复制) applies → **unlicensed**, unless a fair-use signal
     sends it to **legal_review**:

     - *appropriate quotation* (著作权法 第二十四条第一款第二项, 适当引用): an
       excerpt that is a small share of the article and of the page, with the
       publisher named (credit line, text attribution or link back);
     - *pure factual news* (单纯事实消息, 著作权法 第五条, not protected): a
       short article with no byline and no opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsrights.core.credit import CreditCheck
from newsrights.core.model import CHINA_TZ, Article, Finding, Ownership, Verdict
from newsrights.core.odrl import AssetFacts, Evaluation, Registry, Use, evaluate


@dataclass(frozen=True, slots=True)
class VerdictParams:
    """Thresholds of the verdict rules; ``name`` is recorded with each verdict."""

    name: str = "verdicts-v1"
    min_coverage: float = 0.03
    quote_max_article_share: float = 0.35
    quote_max_page_share: float = 0.6
    factual_max_chars: int = 200


DEFAULT_VERDICT_PARAMS = VerdictParams()


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reasons: tuple[str, ...]
    registry_snapshot: str | None
    evaluation: Evaluation | None = None

    def to_json(self) -> dict[str, object]:
        return {"verdict": self.verdict, "reasons": list(self.reasons), "registry_snapshot": self.registry_snapshot}


def use_date(page: Article, finding: Finding | None = None, fallback: datetime | None = None) -> datetime | None:
    """The date of the copy: the page's publication date, else when it was fetched or found."""
    return page.published or page.fetched or (finding.found_at if finding else None) or fallback


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    return urlsplit(url if "://" in url else "http://" + url).hostname


#: Country-code top-level domains → ISO 3166-1 alpha-3 (the codes RightsML's ``spatial`` uses).
CCTLD_TERRITORY = {
    "cn": "CHN", "tw": "TWN", "hk": "HKG", "mo": "MAC", "sg": "SGP", "my": "MYS", "jp": "JPN", "kr": "KOR",
    "us": "USA", "uk": "GBR", "de": "DEU", "fr": "FRA", "au": "AUS", "ca": "CAN", "ru": "RUS",
}


def territory_of(host: str | None) -> str | None:
    """Territory of a site from its country-code TLD (``x.com.tw`` → ``TWN``), else unknown."""
    if not host:
        return None
    return CCTLD_TERRITORY.get(host.rsplit(".", 1)[-1].lower())


_OPINION = ("认为", "表示", "指出", "强调", "笔者", "评论", "我们", "应当", "希望")


def is_pure_factual(article: Article, params: VerdictParams = DEFAULT_VERDICT_PARAMS) -> bool:
    """单纯事实消息 heuristic: short (≤ ``factual_max_chars``), no byline, no opinion words."""
    text = article.text
    return (
        0 < len(text) <= params.factual_max_chars
        and not article.byline
        and not any(w in text for w in _OPINION)
    )


def decide(
    finding: Finding,
    *,
    article: Article,
    ownership: Ownership,
    page: Article,
    credit: CreditCheck,
    registry: Registry,
    article_id: str | None = None,
    when: datetime | None = None,
    params: VerdictParams = DEFAULT_VERDICT_PARAMS,
) -> Decision:
    """The verdict for one finding (see the module docstring for the rules)."""
    snap = registry.snapshot_id()

    def out(v: Verdict, reasons: list[str], ev: Evaluation | None = None) -> Decision:
        return Decision(v, tuple(reasons), snap, ev)

    if ownership.class_ in ("third_party", "explicit_third_party"):
        who = ownership.holder or "a third party"
        kind = "explicitly marked third-party copyright" if ownership.class_ == "explicit_third_party" else "third-party article"
        return out("not_ours", [f"not_ours: {kind} ({who}); the publisher's declaration claims only its own content"])
    if ownership.class_ == "needs_review":
        return out("legal_review", ["ownership_needs_review: " + ("; ".join(ownership.reasons) or "ownership unclear")])
    if finding.label == "not_derived" or (
        finding.article_coverage < params.min_coverage and finding.page_coverage < params.min_coverage
    ):
        return out("legal_review", [
            f"low_confidence: label {finding.label}, article coverage {finding.article_coverage:.0%}, "
            f"page coverage {finding.page_coverage:.0%}"
        ])
    when = when or use_date(page, finding)
    if when is None:
        return out("legal_review", ["no_date: the copy's date is unknown, so the terms in force cannot be chosen"])
    host = _host(page.url) or page.site
    party = registry.party_for_domain(host)
    if party is not None and party.uid == registry.publisher.uid:
        return out("licensed_credited", [f"own_site: {host} is the publisher's own site"])
    action = "reproduce" if finding.label == "whole" else "extract"
    extras = dict(article.extra)
    facts = AssetFacts(
        article_id=article_id or finding.article_id,
        uri=finding.article_uri or article.uri,
        column=extras.get("column"),
        marker=ownership.marker,
        source=article.source,
        published=article.published,
    )
    page_facts = dict(page.extra)
    count = page_facts.get("count")
    use = Use(action=action, assignee=party.uid if party else None, when=when, domain=host,
              territory=page_facts.get("territory") or territory_of(host),
              purpose=page_facts.get("purpose"), channel=page_facts.get("channel") or "web",
              share=round(finding.article_coverage * 100, 2), count=int(count) if count is not None else None)
    ev = evaluate(registry, facts, use)
    who = f"{party.name} ({host})" if party else (host or "unknown site")
    copy = f"{'whole copy' if action == 'reproduce' else 'excerpt'} of {finding.article_coverage:.0%} of the article"
    day = (when.astimezone(CHINA_TZ) if when.tzinfo else when).date().isoformat()  # the calendar day in China
    if ev.outcome == "permitted":
        uncredited: list[str] = []
        scope: list[str] = []
        for duty in ev.duties:
            if duty.action == "attribute" and credit.credit != "present":
                need = duty.credit_text or credit.expected
                state = f"wrong credit {credit.credit_line!r}" if credit.credit == "wrong" else "no credit"
                uncredited.append(f"credit_{credit.credit}: {state}; the licence requires {need!r}")
            elif duty.action == "nr:keepByline" and credit.byline == "stripped":
                uncredited.append("byline_stripped: the licence requires keeping the byline")
            elif duty.action == "attachSource" and credit.link_back == "absent":
                uncredited.append("link_back_absent: the licence requires a link to the original")
            elif duty.action == "nr:keepTitle" and credit.title == "altered":
                scope.append(f"title_altered: the licence forbids altering the title ({credit.title!r})")
            elif duty.action == "nr:keepDateline" and credit.dateline == "stripped":
                scope.append("dateline_stripped: the licence requires keeping the dateline")
        base = [*ev.reasons, f"use: {who}, {copy}, on {day}"]
        if scope:
            return out("out_of_scope", [*scope, *uncredited, *base], ev)
        if uncredited:
            return out("licensed_uncredited", [*uncredited, *base], ev)
        return out("licensed_credited", [*base, f"credit_present: {credit.credit_line!r}", *ev.notes], ev)
    if ev.outcome in ("not_permitted", "prohibited"):
        return out("out_of_scope", [*ev.reasons, f"use: {who}, {copy}, on {day}"], ev)
    # no licence: the declaration's prohibition, unless fair use may apply
    attributed = credit.credit == "present" or credit.attribution_in_text or credit.link_back == "present"
    if (
        finding.label == "excerpt"
        and attributed
        and finding.article_coverage <= params.quote_max_article_share
        and finding.page_coverage <= params.quote_max_page_share
    ):
        return out("legal_review", [
            f"possible_quotation: attributed excerpt of {finding.article_coverage:.0%} of the article making "
            f"{finding.page_coverage:.0%} of the page (适当引用, 著作权法 第二十四条); a lawyer should judge",
            *ev.reasons,
        ], ev)
    if is_pure_factual(article, params):
        return out("legal_review", [
            f"pure_factual_news: {len(article.text)} characters, no byline, no comment "
            "(单纯事实消息 is not protected, 著作权法 第五条); a lawyer should judge",
            *ev.reasons,
        ], ev)
    return out("unlicensed", [
        *ev.reasons,
        f"declaration: without written authorisation no one may 转载、摘编、复制 the publisher's content; "
        f"{who} made {'an' if action == 'extract' else 'a'} {copy}",
        *(r for r in credit.reasons if r.startswith("credit_")),
    ], ev)
