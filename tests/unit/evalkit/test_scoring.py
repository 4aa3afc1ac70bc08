"""Pair and span scoring against fake findings."""

from __future__ import annotations

from newsrights.core.model import Finding, Span
from newsrights.evalkit.cases import Case, GoldPair
from newsrights.evalkit.scoring import score


def _f(aid: str, label: str = "whole", spans: tuple[Span, ...] = ()) -> Finding:
    return Finding(
        page_url="u",
        article_id=aid,
        article_uri=aid,
        label=label,  # type: ignore[arg-type]
        article_coverage=1.0,
        page_coverage=1.0,
        spans=spans,
        params="test",
    )


def test_pairs_by_kind_precision_and_misses() -> None:
    span = Span(0, 10, 0, 10)
    cases = [
        Case(id="1", kind="whole", page_body=("x" * 10,), gold=(GoldPair("a", "whole", (span,), 10),)),
        Case(id="2", kind="whole", page_body=("y" * 10,), gold=(GoldPair("b", "whole", (span,), 10),)),
        Case(id="3", kind="excerpt", page_body=("z",), gold=(GoldPair("c", "excerpt", (span,), 200),)),
        Case(id="4", kind="negative", page_body=("n",)),
        Case(
            id="5", kind="real", page_body=("r",), gold=(GoldPair("d", "whole"),), ambiguous=frozenset({"e"})
        ),
    ]
    answers = {
        "1": [_f("a", spans=(span,))],
        "2": [],
        "3": [_f("c", "whole", (span,))],
        "4": [_f("zz", spans=(span,)), _f("yy", "not_derived")],
        "5": [_f("d"), _f("e")],
    }
    rep = score(cases, lambda c: answers[c.id])
    assert rep.by_kind["whole"].recall == 0.5
    assert rep.by_kind["excerpt"].found == 1 and rep.by_kind["excerpt"].label_ok == 0
    assert rep.by_kind["excerpt>=150"].gold == 1
    assert rep.by_kind["negative"].false_pos == 1
    assert rep.ambiguous_findings == 1
    assert rep.misses == [("2", "whole", "b")]
    assert rep.label_errors == [("3", "excerpt", "c", "whole")]
    o = rep.overall
    assert (o.gold, o.found, o.predicted, o.false_pos) == (4, 3, 4, 1)
    assert rep.pan is not None
    assert rep.pan.cases == 3 and rep.pan.detections == 3
    assert abs(rep.pan.recall - 2 / 3) < 1e-9 and abs(rep.pan.precision - 2 / 3) < 1e-9
    assert "OVERALL" in rep.table()
    assert rep.label_precision("whole") == 0.75  # 4 whole-labelled pairs, one on a negative
    assert rep.label_precision("excerpt") == 1.0  # none predicted
