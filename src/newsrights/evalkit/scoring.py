"""Score findings against gold: pair precision/recall by kind of reuse, and PAN span measures.

Pair level: a *predicted pair* is (case, article id) for a finding whose label
is not ``not_derived``. It is a true positive when the case's gold has that
article, ambiguous (left out) when the case lists the article as ambiguous,
else a false positive (precision is grouped by the case's ``kind``). Recall
is counted per gold pair and grouped by the pair's ``kind`` (else the case's); ``excerpt>=150`` groups excerpt gold pairs reusing at least
150 characters (``xwlb_excerpt>=150`` for the real set). The label is checked separately (``label_accuracy``: found
pairs whose label equals the gold label).

Span level: gold spans of the cases that have them, and every finding's spans
on those cases and on negatives, go to :func:`newsrights.evalkit.pan.pan_scores`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newsrights.core.model import Finding
from newsrights.evalkit.cases import Case
from newsrights.evalkit.pan import Annotation, PanScores, pan_scores


@dataclass
class KindStats:
    gold: int = 0
    found: int = 0
    label_ok: int = 0
    predicted: int = 0
    false_pos: int = 0
    pages: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        tp = self.predicted - self.false_pos
        return tp / self.predicted if self.predicted else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "gold_pairs": self.gold,
            "found": self.found,
            "recall": round(self.recall, 4),
            "label_ok": self.label_ok,
            "predicted": self.predicted,
            "false_positives": self.false_pos,
            "precision": round(self.precision, 4),
        }


@dataclass
class Report:
    """Everything measured in one run; ``misses`` and ``false_positives`` name the cases."""

    by_kind: dict[str, KindStats] = field(default_factory=lambda: defaultdict(KindStats))
    pan: PanScores | None = None
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)
    label_errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    ambiguous_findings: int = 0
    #: label -> [predicted pairs with that label, false positives among them]
    by_label: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def label_precision(self, label: str) -> float:
        """Share of the pairs predicted with ``label`` that are gold pairs (ambiguous left out)."""
        n, fp = self.by_label.get(label, (0, 0))
        return (n - fp) / n if n else 1.0

    def group(self, kinds: Iterable[str]) -> KindStats:
        """Sum of the stats of ``kinds`` (those present)."""
        out = KindStats()
        for k in kinds:
            s = self.by_kind.get(k)
            if s:
                for f in ("gold", "found", "label_ok", "predicted", "false_pos", "pages"):
                    setattr(out, f, getattr(out, f) + getattr(s, f))
        return out

    @property
    def overall(self) -> KindStats:
        return self.group([k for k in self.by_kind if ">=" not in k])

    def to_json(self) -> dict[str, Any]:
        return {
            "by_kind": {k: v.to_json() for k, v in sorted(self.by_kind.items())},
            "overall": self.overall.to_json(),
            "pan": self.pan.to_json() if self.pan else None,
            "ambiguous_findings": self.ambiguous_findings,
            "label_precision": {k: round(self.label_precision(k), 4) for k in sorted(self.by_label)},
            "misses": self.misses[:50],
            "false_positives": self.false_positives[:50],
            "label_errors": self.label_errors[:50],
        }

    def table(self) -> str:
        """A plain-text table of the per-kind figures (for test output and bench results)."""
        lines = [
            f"{'kind':<16}{'pages':>6}{'gold':>6}{'found':>6}{'recall':>8}{'label':>7}{'pred':>6}{'FP':>5}{'prec':>8}"
        ]
        rows = sorted(self.by_kind.items()) + [("OVERALL", self.overall)]
        for k, s in rows:
            lines.append(
                f"{k:<16}{s.pages:>6}{s.gold:>6}{s.found:>6}{s.recall:>8.4f}{s.label_ok:>7}"
                f"{s.predicted:>6}{s.false_pos:>5}{s.precision:>8.4f}"
            )
        if self.pan:
            p = self.pan
            lines.append(
                f"PAN spans: precision {p.precision:.4f} recall {p.recall:.4f} granularity {p.granularity:.4f} "
                f"plagdet {p.plagdet:.4f} (micro P {p.micro_precision:.4f} R {p.micro_recall:.4f}; "
                f"{p.cases} cases, {p.detections} detections)"
            )
        return "\n".join(lines)


def score(
    cases: Iterable[Case],
    findings_of: Callable[[Case], list[Finding]],
    *,
    excerpt_threshold: int = 150,
) -> Report:
    """Run ``findings_of`` on every case and score the findings."""
    report = Report()
    gold_ann: list[Annotation] = []
    det_ann: list[Annotation] = []
    for case in cases:
        findings = [f for f in findings_of(case) if f.label != "not_derived"]
        stats = report.by_kind[case.kind]
        stats.pages += 1
        gold = {g.article_id: g for g in case.gold}
        predicted: dict[str, Finding] = {}
        for f in findings:
            predicted.setdefault(f.article_id, f)
        for aid in predicted:
            if aid in case.ambiguous:
                report.ambiguous_findings += 1
                continue
            stats.predicted += 1
            counts = report.by_label[predicted[aid].label]
            counts[0] += 1
            if aid not in gold:
                counts[1] += 1
                stats.false_pos += 1
                report.false_positives.append((case.id, case.kind, aid))
        for aid, g in gold.items():
            buckets = [report.by_kind[g.kind] if g.kind else stats]
            if g.label == "excerpt" and g.reused_chars >= excerpt_threshold:
                real = (g.kind or case.kind).startswith("xwlb")
                buckets.append(report.by_kind[f"{'xwlb_' if real else ''}excerpt>={excerpt_threshold}"])
            for b in buckets:
                b.gold += 1
            if aid in predicted:
                for b in buckets:
                    b.found += 1
                if predicted[aid].label == g.label:
                    for b in buckets:
                        b.label_ok += 1
                else:
                    report.label_errors.append((case.id, g.kind or case.kind, aid, predicted[aid].label))
            else:
                report.misses.append((case.id, g.kind or case.kind, aid))
        # spans of pages read from HTML are in the extracted text's coordinates: pairs only
        has_spans = case.html is None and any(g.spans for g in case.gold)
        if has_spans or (case.is_negative and case.html is None):
            for g in case.gold:
                gold_ann.extend(Annotation(case.id, g.article_id, s) for s in g.spans)
            for f in findings:
                if f.article_id not in case.ambiguous:
                    det_ann.extend(Annotation(case.id, f.article_id, s) for s in f.spans)
    if gold_ann:
        report.pan = pan_scores(gold_ann, det_ann)
    return report
