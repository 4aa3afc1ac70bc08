"""PAN text-alignment measures on hand-computed examples."""

from __future__ import annotations

import math

import pytest

from newsrights.core.model import Span
from newsrights.evalkit.pan import Annotation, detects, pan_scores


def A(page: str, art: str, a0: int, a1: int, p0: int, p1: int) -> Annotation:
    return Annotation(page, art, Span(a0, a1, p0, p1))


def test_perfect_detection_scores_one() -> None:
    s = [A("p", "a", 0, 100, 10, 110)]
    sc = pan_scores(s, s)
    assert (sc.precision, sc.recall, sc.granularity, sc.plagdet) == (1.0, 1.0, 1.0, 1.0)


def test_split_detection_costs_granularity() -> None:
    s = [A("p", "a", 0, 100, 0, 100)]
    r = [A("p", "a", 0, 50, 0, 50), A("p", "a", 50, 100, 50, 100)]
    sc = pan_scores(s, r)
    assert sc.precision == 1.0 and sc.recall == 1.0
    assert sc.granularity == 2.0
    assert sc.plagdet == pytest.approx(1 / math.log2(3))


def test_half_detected_case() -> None:
    # case: 100 article chars + 100 page chars; detection covers half of each
    s = [A("p", "a", 0, 100, 0, 100)]
    r = [A("p", "a", 0, 50, 0, 50)]
    sc = pan_scores(s, r)
    assert sc.recall == pytest.approx(0.5)
    assert sc.precision == 1.0
    assert sc.plagdet == pytest.approx(2 * 0.5 / 1.5)


def test_detection_too_long_lowers_precision() -> None:
    s = [A("p", "a", 0, 100, 0, 100)]
    r = [A("p", "a", 0, 100, 0, 300)]  # 400 chars, 200 of them in the case
    sc = pan_scores(s, r)
    assert sc.precision == pytest.approx(0.5)
    assert sc.recall == 1.0


def test_false_detection_on_other_pair() -> None:
    s = [A("p", "a", 0, 100, 0, 100)]
    r = [A("p", "a", 0, 100, 0, 100), A("q", "a", 0, 100, 0, 100)]
    sc = pan_scores(s, r)
    assert sc.precision == pytest.approx(0.5)
    assert sc.recall == 1.0
    assert sc.micro_precision == pytest.approx(0.5)


def test_overlap_needed_on_both_sides() -> None:
    s = A("p", "a", 0, 100, 0, 100)
    assert detects(A("p", "a", 50, 60, 50, 60), s)
    assert not detects(A("p", "a", 200, 300, 50, 60), s)  # right page place, wrong article place
    assert not detects(A("p", "b", 0, 100, 0, 100), s)
    sc = pan_scores([s], [A("p", "a", 200, 300, 0, 100)])
    assert sc.recall == 0.0 and sc.precision == 0.0


def test_empty_sides() -> None:
    assert pan_scores([], []).precision == 1.0
    sc = pan_scores([A("p", "a", 0, 10, 0, 10)], [])
    assert sc.recall == 0.0 and sc.precision == 0.0 and sc.plagdet == 0.0


def test_two_cases_one_detection_macro_average() -> None:
    s = [A("p", "a", 0, 100, 0, 100), A("p", "a", 200, 300, 200, 300)]
    r = [A("p", "a", 0, 100, 0, 100)]
    sc = pan_scores(s, r)
    assert sc.recall == pytest.approx(0.5)
    assert sc.precision == 1.0
    assert sc.granularity == 1.0
