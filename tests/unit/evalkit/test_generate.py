"""The variant generator: deterministic, and its gold spans point at the right text."""

from __future__ import annotations

import random

import pytest

from newsrights.evalkit.cases import SourceDoc
from newsrights.evalkit.generate import (
    KINDS,
    convert_script,
    generate_cases,
    make_variant,
    spans_from_layout,
    to_width_variant,
)

ARTICLE = SourceDoc(
    id="art-1",
    title="春运首日全国铁路发送旅客1000万人次",
    body=(
        "今天是春运首日，全国铁路预计发送旅客1000万人次，各地车站秩序井然。",
        "记者在北京西站看到，进站口排起长队，工作人员正在引导旅客有序通行。",
        "据了解，今年春运期间全国铁路计划开行旅客列车超过1万列，同比增长百分之八。",
        "铁路部门表示，将持续推动电子客票和无障碍服务，方便老年旅客出行。",
        "同时，多地推出返乡专列，为务工人员提供更加便利的出行条件。",
    ),
)
HOST = SourceDoc(
    id="host-1",
    title="城市公园迎来赏花季",
    body=("周末天气晴好，市民纷纷走进公园赏花踏青。", "园方介绍，今年新增多个观赏区域，并延长开放时间。"),
)


def _variant(kind: str, seed: int = 1):
    return make_variant(ARTICLE, kind, rng=random.Random(seed), host=HOST, case_id=f"c-{kind}")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_one_gold_pair_with_spans(kind: str) -> None:
    case = _variant(kind)
    assert len(case.gold) == 1 and case.gold[0].article_id == "art-1"
    assert case.gold[0].spans
    text = case.page_text
    for s in case.gold[0].spans:
        assert 0 <= s.page_start < s.page_end <= len(text)
        assert 0 <= s.article_start < s.article_end <= len(ARTICLE.text)
    assert case.gold[0].label == ("excerpt" if kind.startswith("excerpt") else "whole")


@pytest.mark.parametrize("kind", ["whole", "excerpt", "reorder", "ads", "title", "gbk_html"])
def test_verbatim_kinds_gold_page_text_equals_article_text(kind: str) -> None:
    case = _variant(kind)
    for s in case.gold[0].spans:
        assert case.page_text[s.page_start : s.page_end] == ARTICLE.text[s.article_start : s.article_end]


def test_transformed_kinds_map_paragraph_to_paragraph() -> None:
    w = _variant("width")
    (s,) = w.gold[0].spans
    assert w.page_text[s.page_start : s.page_end] == to_width_variant(ARTICLE.text)
    assert "１０００" in w.page_text and "," in w.page_text
    t = _variant("s2twp")
    (s,) = t.gold[0].spans
    assert t.page_text[s.page_start : s.page_end] == convert_script(ARTICLE.text, "s2twp")
    assert "鐵路" in t.page_text
    hk = _variant("s2hk")
    assert "鐵路" in hk.page_text and hk.page_text != ARTICLE.text


def test_reorder_splits_cases_and_whole_is_one_case() -> None:
    assert len(_variant("whole").gold[0].spans) == 1
    r = _variant("reorder")
    assert r.page_body != ARTICLE.body and sorted(r.page_body) == sorted(ARTICLE.body)
    assert len(r.gold[0].spans) >= 2


def test_excerpt_embeds_one_to_three_paragraphs_in_host() -> None:
    for seed in range(20):
        c = _variant("excerpt", seed)
        reused = [p for p in c.page_body if p in ARTICLE.body]
        assert 1 <= len(reused) <= 3
        assert all(p in c.page_body for p in HOST.body)
        assert c.gold[0].reused_chars == sum(map(len, reused))


def test_light_edit_and_spaces_change_the_text() -> None:
    e = _variant("light_edit")
    assert e.page_text != ARTICLE.text
    sp = _variant("spaces")
    assert sp.page_text != ARTICLE.text
    assert (
        sp.page_text.replace(" ", "")
        .replace("\u3000", "")
        .translate({ord(z): None for z in "\u200b\u200c\u200d\ufeff"})
        == ARTICLE.text
    )


def test_html_pages_are_encoded_as_declared() -> None:
    g = _variant("gbk_html")
    assert g.encoding == "gbk" and b"charset=gbk" in g.html
    assert ARTICLE.body[0] in g.html.decode("gbk")
    b = _variant("big5_html")
    assert b.encoding == "big5"
    decoded = b.html.decode("big5")
    assert "鐵路" in decoded and "铁路" not in decoded


def test_generation_is_deterministic_and_seeded() -> None:
    a = generate_cases([ARTICLE], [HOST], per_kind=3, seed=7)
    b = generate_cases([ARTICLE], [HOST], per_kind=3, seed=7)
    c = generate_cases([ARTICLE], [HOST], per_kind=3, seed=8)
    assert a == b
    assert a != c
    assert len(a) == 3 * len(KINDS)
    assert len({x.id for x in a}) == len(a)


def test_spans_from_layout_merges_consecutive_runs() -> None:
    art = SourceDoc(id="x", body=("aaa", "bbb", "ccc"))
    spans = spans_from_layout(art, [("AD", None), ("aaa", 0), ("bbb", 1), ("ccc", 2)])
    assert len(spans) == 1
    s = spans[0]
    assert (s.article_start, s.article_end, s.page_start, s.page_end) == (0, 13, 4, 17)
    spans = spans_from_layout(art, [("ccc", 2), ("aaa", 0), ("bbb", 1)])
    assert [(s.article_start, s.page_start) for s in spans] == [(10, 0), (0, 5)]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown variant kind"):
        make_variant(ARTICLE, "nope", rng=random.Random(0))
