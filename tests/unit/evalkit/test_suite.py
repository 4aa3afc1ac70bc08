"""Suite assembly helpers: related catalog items are ambiguous on variants; hold-out is stable."""

from __future__ import annotations

import random

from newsrights.evalkit.cases import SourceDoc
from newsrights.evalkit.generate import make_variant
from newsrights.evalkit.suite import held_out, negative_cases, with_related_ambiguous

QUOTE = "国务院新闻办公室今天举行新闻发布会介绍今年以来经济运行的总体情况和下一步工作安排"


def test_items_sharing_wire_copy_become_ambiguous() -> None:
    a = SourceDoc(id="a", body=("第一段讲述本地新闻，内容与其他稿件完全不同。", QUOTE + "。"))
    b = SourceDoc(id="b", body=("另一条稿件开头，与前者无关的叙述。", QUOTE + "。"))
    c = SourceDoc(id="c", body=("第三条稿件只谈天气变化和出行提示，没有任何引用。",))
    case = make_variant(a, "whole", rng=random.Random(1), case_id="x")
    (out,) = with_related_ambiguous([case], (a, b, c))
    assert out.ambiguous == frozenset({"b"})
    assert out.gold == case.gold


def test_hold_out_is_deterministic_and_about_a_quarter() -> None:
    ids = [f"cctv-2024{i:04d}" for i in range(2000)]
    held = [i for i in ids if held_out(i)]
    assert held == [i for i in ids if held_out(i)]
    assert 400 < len(held) < 600


def test_negative_cases_have_no_gold() -> None:
    (case,) = negative_cases([SourceDoc(id="n", body=("x",), title="t", uri="u")], "negative_x")
    assert case.is_negative and case.kind == "negative_x" and case.page_url == "u"
