"""Properties of the PAN measures on random cases and detections (Hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.model import Span
from newsrights.evalkit.pan import Annotation, pan_scores


@st.composite
def spans(draw: st.DrawFn) -> Span:
    a0 = draw(st.integers(0, 300))
    p0 = draw(st.integers(0, 300))
    return Span(a0, a0 + draw(st.integers(1, 200)), p0, p0 + draw(st.integers(1, 200)))


annotations = st.lists(
    st.builds(Annotation, st.sampled_from(["p1", "p2"]), st.sampled_from(["a1", "a2"]), spans()), max_size=6
)


@settings(max_examples=150, deadline=None)
@given(annotations, annotations)
def test_measures_stay_in_range(cases: list[Annotation], dets: list[Annotation]) -> None:
    sc = pan_scores(cases, dets)
    assert 0.0 <= sc.precision <= 1.0 and 0.0 <= sc.recall <= 1.0
    assert 0.0 <= sc.micro_precision <= 1.0 and 0.0 <= sc.micro_recall <= 1.0
    assert sc.granularity >= 1.0
    assert 0.0 <= sc.plagdet <= 1.0


@settings(max_examples=100, deadline=None)
@given(annotations)
def test_detecting_exactly_the_cases_scores_recall_and_precision_one(cases: list[Annotation]) -> None:
    if not cases:
        return
    sc = pan_scores(cases, cases)
    assert math.isclose(sc.precision, 1.0) and math.isclose(sc.recall, 1.0)


@settings(max_examples=100, deadline=None)
@given(spans(), st.integers(2, 5))
def test_splitting_one_detection_raises_granularity(span: Span, parts: int) -> None:
    n = span.page_end - span.page_start
    m = span.article_end - span.article_start
    if n < parts or m < parts:
        return
    case = Annotation("p", "a", span)
    pieces = [
        Annotation(
            "p",
            "a",
            Span(
                span.article_start + m * i // parts,
                span.article_start + m * (i + 1) // parts,
                span.page_start + n * i // parts,
                span.page_start + n * (i + 1) // parts,
            ),
        )
        for i in range(parts)
    ]
    sc = pan_scores([case], pieces)
    assert sc.granularity == parts
    assert math.isclose(sc.recall, 1.0) and math.isclose(sc.precision, 1.0)
    assert math.isclose(sc.plagdet, 1 / math.log2(1 + parts))
