"""The evaluation suite used by the quality gate and the benchmarks.

:func:`build_suite` assembles, deterministically:

* the **catalog**: CCTV 新闻联播 items of the xwlb set, except a held-out
  quarter (chosen by a hash of the item id) whose mrxwlb reprints then become
  hard negatives: the same day's other stories are in the catalog, their own
  story is not;
* **real reprints**: the mrxwlb pages (kinds ``xwlb_*``, see
  :func:`newsrights.evalkit.datasets.xwlb_cases`);
* **generated variants** of catalog items of at least ``min_article_chars``
  characters (every kind of :data:`newsrights.evalkit.generate.KINDS`), excerpts
  hosted in SogouCA stories; other catalog items that share text with the
  source article (quoted wire copy) are ambiguous on its variants;
* **negatives**: SogouCA 2012 Chinese news (``negative_sogouca``), English news
  bodies (``negative_english``) and hand-cleaned Chinese web pages
  (``negative_cwced``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from newsrights.evalkit.cases import Case, SourceDoc
from newsrights.evalkit.datasets import (
    load_cwced,
    load_english,
    load_sogouca,
    load_xwlb,
    ngram_overlap,
    xwlb_cases,
)
from newsrights.evalkit.generate import KINDS, generate_cases


@dataclass(frozen=True, slots=True)
class Suite:
    catalog: tuple[SourceDoc, ...]
    heldout: tuple[SourceDoc, ...]
    real: tuple[Case, ...]
    generated: tuple[Case, ...]
    negatives: tuple[Case, ...]

    @property
    def cases(self) -> tuple[Case, ...]:
        return self.real + self.generated + self.negatives

    def describe(self) -> str:
        return (
            f"catalog {len(self.catalog)} CCTV items ({len(self.heldout)} held out); "
            f"{len(self.real)} real mrxwlb pages, {len(self.generated)} generated variants, "
            f"{len(self.negatives)} negative pages"
        )


def held_out(doc_id: str, every: int = 4) -> bool:
    """Deterministic hold-out: the sha256 of the id, mod ``every``, is 0."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % every == 0


def with_related_ambiguous(
    cases: list[Case], catalog: tuple[SourceDoc, ...], min_chars: int = 40
) -> list[Case]:
    """Mark as ambiguous, on each generated case, the other catalog items that share
    at least ``min_chars`` characters with its source article (quoted wire copy):
    finding them on the page is not an error."""
    used = {g.article_id for c in cases for g in c.gold}
    overlap, _ = ngram_overlap([d for d in catalog if d.id in used], catalog)
    out = []
    for c in cases:
        related = {a for g in c.gold for a, n in overlap.get(g.article_id, {}).items() if n >= min_chars}
        related -= {g.article_id for g in c.gold}
        out.append(replace(c, ambiguous=c.ambiguous | related) if related else c)
    return out


def negative_cases(docs: list[SourceDoc], kind: str) -> list[Case]:
    return [Case(id=d.id, kind=kind, page_body=d.body, page_title=d.title, page_url=d.uri) for d in docs]


def build_suite(
    data_root: Path,
    *,
    days: int | None = None,
    per_kind: int = 40,
    seed: int = 2024,
    min_article_chars: int = 300,
    kinds: tuple[str, ...] = KINDS,
) -> Suite:
    """The whole suite from ``data_root`` (``../shared/data``); same arguments, same suite."""
    xs = load_xwlb(data_root, days=days)
    catalog = tuple(d for d in xs.cctv if not held_out(d.id))
    heldout = tuple(d for d in xs.cctv if held_out(d.id))
    real = xwlb_cases(xs, {d.id for d in catalog})
    sogou = load_sogouca(data_root)
    articles = [d for d in catalog if len(d.text) >= min_article_chars and len(d.body) >= 2]
    generated = generate_cases(articles, sogou, per_kind=per_kind, seed=seed, kinds=kinds)
    generated = with_related_ambiguous(generated, catalog)
    negatives = (
        negative_cases(sogou, "negative_sogouca")
        + negative_cases(load_english(data_root), "negative_english")
        + negative_cases(load_cwced(data_root), "negative_cwced")
    )
    return Suite(
        catalog=catalog,
        heldout=heldout,
        real=tuple(real),
        generated=tuple(generated),
        negatives=tuple(negatives),
    )
