"""Character-level text-alignment metrics exactly as the PAN shared task defines them.

Potthast, Stein, Barrón-Cedeño, Rosso: *An Evaluation Framework for Plagiarism
Detection*, COLING 2010 (and the PAN 2013-2015 text alignment task, whose
``perfmeasures.py`` these functions follow).

A plagiarism *case* ``s`` (gold) and a *detection* ``r`` are both sets of
character references into a pair of documents: the suspicious document (here:
the page) and the source document (here: the catalog article). ``r`` *detects*
``s`` iff both refer to the same (page, article) pair and they overlap in the
page **and** in the article. With ``s ⊓ r = s ∩ r`` if ``r`` detects ``s``
else ``∅``::

    prec_macro = 1/|R| Σ_r |∪_s (s ⊓ r)| / |r|
    rec_macro  = 1/|S| Σ_s |∪_r (s ⊓ r)| / |s|
    gran       = 1/|S_R| Σ_{s ∈ S_R} |R_s|     (S_R: detected cases, R_s: detections of s)
    plagdet    = F1(prec_macro, rec_macro) / log2(1 + gran)

Both empty gives precision = recall = 1; one side empty gives 0 (as PAN).
Micro-averaged precision and recall (PAN 2014) are reported beside them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from newsrights.core.model import Span

#: (page id, article id)
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Annotation:
    """A gold case or a detection: a span within one (page, article) pair."""

    page_id: str
    article_id: str
    span: Span

    @property
    def pair(self) -> Pair:
        return (self.page_id, self.article_id)


@dataclass(frozen=True, slots=True)
class PanScores:
    precision: float
    recall: float
    granularity: float
    plagdet: float
    micro_precision: float
    micro_recall: float
    cases: int
    detections: int

    def to_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "granularity": round(self.granularity, 4),
            "plagdet": round(self.plagdet, 4),
            "micro_precision": round(self.micro_precision, 4),
            "micro_recall": round(self.micro_recall, 4),
            "cases": self.cases,
            "detections": self.detections,
        }


def _chars(span: Span) -> set[int]:
    """Character references of a span: page offsets as ``i``, article offsets as ``-1 - i``."""
    return set(range(span.page_start, span.page_end)) | {
        -1 - i for i in range(span.article_start, span.article_end)
    }


def detects(r: Annotation, s: Annotation) -> bool:
    """PAN's ``is_overlapping``: same pair, overlapping in the page and in the article."""
    a, b = r.span, s.span
    return (
        r.pair == s.pair
        and a.page_start < b.page_end
        and b.page_start < a.page_end
        and a.article_start < b.article_end
        and b.article_start < a.article_end
    )


def _size(span: Span) -> int:
    return (span.page_end - span.page_start) + (span.article_end - span.article_start)


def f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def pan_scores(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> PanScores:
    """All PAN text-alignment measures for gold ``cases`` and ``detections``.

    Empty spans (zero characters on both sides) are ignored on either side.
    """
    S = [s for s in cases if _size(s.span) > 0]
    R = [r for r in detections if _size(r.span) > 0]
    by_pair_s: dict[Pair, list[Annotation]] = defaultdict(list)
    by_pair_r: dict[Pair, list[Annotation]] = defaultdict(list)
    for s in S:
        by_pair_s[s.pair].append(s)
    for r in R:
        by_pair_r[r.pair].append(r)

    def macro(a_side: list[Annotation], other: dict[Pair, list[Annotation]]) -> float:
        if not a_side:
            return 1.0 if not (S or R) else 0.0
        if not (S and R):
            return 0.0
        total = 0.0
        for a in a_side:
            chars = _chars(a.span)
            covered: set[int] = set()
            for b in other.get(a.pair, ()):
                if detects(a, b):
                    covered |= chars & _chars(b.span)
            total += len(covered) / len(chars)
        return total / len(a_side)

    precision = macro(R, by_pair_s)
    recall = macro(S, by_pair_r)

    detected_counts = []
    for s in S:
        n = sum(1 for r in by_pair_r.get(s.pair, ()) if detects(r, s))
        if n:
            detected_counts.append(n)
    gran = sum(detected_counts) / len(detected_counts) if detected_counts else 1.0

    # micro: per pair, union of chars
    inter = s_total = r_total = 0
    for pair in set(by_pair_s) | set(by_pair_r):
        s_chars: set[int] = set()
        r_chars: set[int] = set()
        det: set[int] = set()
        for s in by_pair_s.get(pair, ()):
            s_chars |= _chars(s.span)
            for r in by_pair_r.get(pair, ()):
                if detects(r, s):
                    det |= _chars(s.span) & _chars(r.span)
        for r in by_pair_r.get(pair, ()):
            r_chars |= _chars(r.span)
        inter += len(det)
        s_total += len(s_chars)
        r_total += len(r_chars)
    micro_p = (inter / r_total) if r_total else (1.0 if not s_total else 0.0)
    micro_r = (inter / s_total) if s_total else (1.0 if not r_total else 0.0)

    plagdet = f1(precision, recall) / math.log2(1 + gran)
    return PanScores(
        precision=precision,
        recall=recall,
        granularity=gran,
        plagdet=plagdet,
        micro_precision=micro_p,
        micro_recall=micro_r,
        cases=len(S),
        detections=len(R),
    )
