"""Property: the compiled matching kernels give exactly what their numpy references give.

The references (``normalize_reference``, ``prepare_reference``, ``align_reference``,
``page_keys_reference``, ``rank_candidates_reference``, ``PostingTable.lookup_reference``)
are the specification; a difference would change hashes, stored sketches or findings
under an unchanged parameters name.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.matching import DEFAULT_PARAMS, MatchParams
from newsrights.core.matching.align import align, align_reference
from newsrights.core.matching.detect import (
    page_keys,
    page_keys_reference,
    prepare,
    prepare_reference,
    rank_candidates,
    rank_candidates_reference,
)
from newsrights.core.matching.index import PostingTable
from newsrights.core.normalize import normalize, normalize_reference

_pieces = st.sampled_from(
    list("新闻联播今天北京天气晴朗軟體網路衞生數據们我的了是在有和发展经济合作 abcXYZ０１２ＡＢ 　\u200b，。！？、\n-:：（）")
    + ["來源：新华社\n", "责任编辑：张三\n", "ﬁ", "①", "㎡", "news agency ", "2024年", "\U00020000", "😀", "Covid-19 "]
)
texts = st.lists(_pieces, max_size=120).map("".join)

# a base text to copy from, so the page and the article share passages
_BASE = (
    "国务院新闻办公室今天举行新闻发布会，介绍今年以来经济运行情况。国家统计局新闻发言人表示，"
    "前三季度国内生产总值同比增长，就业形势总体稳定，居民消费价格温和上涨。"
    "他说，下一步将继续加大宏观政策调控力度，着力扩大国内需求，推动经济持续回升向好。"
    "The spokesman said exports rose 5 percent in the third quarter, helped by new orders."
)


def _same_prepared(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.norm.text == b.norm.text
    assert a.chars == b.chars
    assert a.sorted_view().tolist() == b.sorted_view().tolist() == b.shingles[b.order].tolist()
    for x, y in (
        (a.norm.starts, b.norm.starts), (a.norm.ends, b.norm.ends), (a.units.hashes, b.units.hashes),
        (a.units.starts, b.units.starts), (a.units.ends, b.units.ends), (a.cum, b.cum), (a.shingles, b.shingles),
        (a.order, b.order), (a.uniq, b.uniq), (a.signature, b.signature), (a.anchors, b.anchors),
        (a.anchor_pos, b.anchor_pos),
    ):
        assert np.array_equal(np.asarray(x, np.int64), np.asarray(y, np.int64)) or np.array_equal(x, y)
        assert len(x) == len(y)


@settings(max_examples=200, deadline=None)
@given(texts, st.booleans())
def test_normalize_equals_reference(text: str, credit: bool) -> None:
    a = normalize(text, drop_credit_lines=credit)
    b = normalize_reference(text, drop_credit_lines=credit)
    assert a.text == b.text
    assert a.starts.tolist() == b.starts.tolist() and a.ends.tolist() == b.ends.tolist()
    assert a.original_length == b.original_length and a.converted == b.converted


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from([DEFAULT_PARAMS, MatchParams(k=3, anchor_k=3, anchor_mod=2, bands=8, rows=2)]))
def test_prepare_equals_reference(text: str, params: MatchParams) -> None:
    _same_prepared(prepare(text, params), prepare_reference(text, params))
    _same_prepared(prepare(text, params, retrieval=False), prepare_reference(text, params, retrieval=False))
    p = prepare(text, params)
    got, want = page_keys(p, params), page_keys_reference(p, params)
    for x, y in zip(got, want, strict=True):
        assert x.tolist() == y.tolist()


@st.composite
def page_article(draw: st.DrawFn) -> tuple[str, str]:
    """An article cut from the base text, and a page that reorders, edits and pads pieces of it."""
    a0 = draw(st.integers(0, len(_BASE) // 2))
    article = _BASE[a0 : a0 + draw(st.integers(10, len(_BASE)))] + draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(article)), min_size=2, max_size=8)))
    pieces = [article[x:y] for x, y in zip(cuts, cuts[1:], strict=False)]
    pieces = draw(st.permutations(pieces))
    fill = draw(st.lists(texts, min_size=len(pieces), max_size=len(pieces)))
    page = "".join(f + p for f, p in zip(fill, pieces, strict=True))
    return page, article


@settings(max_examples=200, deadline=None)
@given(page_article(), st.booleans(), st.sampled_from([DEFAULT_PARAMS, MatchParams(min_region=12, max_gap=6)]))
def test_align_equals_reference(pair: tuple[str, str], with_common: bool, params: MatchParams) -> None:
    page, article = pair
    p, a = prepare(page, params), prepare(article, params, retrieval=False)
    common = (p.shingles % np.uint64(3) == 0) if with_common else None
    got = align(p.shingles, a.shingles, p.cum, a.cum, params.k, params, common, art_order=a.order)
    want = align_reference(p.shingles, a.shingles, p.cum, a.cum, params.k, params, common, art_order=a.order)
    assert got == want


def test_align_finds_a_reordered_copy() -> None:
    """Not only equal: on a plain reordered copy both find two regions covering it."""
    params = DEFAULT_PARAMS
    half = len(_BASE) // 2
    page = _BASE[half:] + "。与本文无关的一段话放在中间，用来隔开两段。" + _BASE[:half]
    p, a = prepare(page, params), prepare(_BASE, params, retrieval=False)
    regions = align(p.shingles, a.shingles, p.cum, a.cum, params.k, params, None, art_order=a.order)
    assert len(regions) == 2
    assert regions == align_reference(p.shingles, a.shingles, p.cum, a.cum, params.k, params, None,
                                      art_order=a.order)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 40), max_size=60),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 500)), max_size=80, unique_by=lambda t: t),
    st.integers(0, 900),
    st.sampled_from([DEFAULT_PARAMS, MatchParams(min_anchors=1), MatchParams(min_anchors=2)]),
)
def test_rank_equals_reference(band: list[int], anchor: list[tuple[int, int]], chars: int, params: MatchParams) -> None:
    bd = np.array(band, np.int32)
    ad = np.array([d for d, _ in anchor], np.int32)
    ap = np.array([p for _, p in anchor], np.int64)
    assert rank_candidates(bd, ad, ap, chars, params) == rank_candidates_reference(bd, ad, ap, chars, params)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 19)), max_size=200),
    st.lists(st.integers(0, 19), max_size=5),
    st.lists(st.integers(0, 35), max_size=30),
    st.one_of(st.none(), st.integers(0, 6)),
    st.booleans(),
)
def test_lookup_equals_reference(
    postings: list[tuple[int, int]], dead: list[int], query: list[int], max_df: int | None, flush_half: bool
) -> None:
    t = PostingTable(np.uint32)
    alive = np.ones(20, np.bool_)
    half = len(postings) // 2 if flush_half else 0
    for i, (key, doc) in enumerate(postings):
        t.add(np.array([key], np.uint32), doc)
        if i == half:
            t.compact(alive)
    alive[dead] = False
    q = np.array(query, np.uint32)
    got = t.lookup(q, alive, max_df=max_df)
    want = t.lookup_reference(q, alive, max_df=max_df)
    for x, y in zip(got, want, strict=True):
        assert x.tolist() == y.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=300), st.integers(0, 3), st.booleans())
def test_argsort_hashes_is_a_stable_argsort(values: list[int], dup: int, skew: bool) -> None:
    from newsrights.core.matching.kernels import argsort_hashes

    x = np.array(values + values[: dup * 7], dtype=np.uint64)
    if skew:  # many values in one top-bits bucket: the merge-sort fallback
        x = x >> np.uint64(20)
    assert argsort_hashes(x).tolist() == np.argsort(x, kind="stable").tolist()


def test_detector_candidates_equal_the_step_by_step_path() -> None:
    """The fused candidate kernel gives what page keys + look-ups + ranking give, on an index
    with withdrawn articles and pending additions."""
    from newsrights.core.matching import Detector

    det = Detector(DEFAULT_PARAMS)
    for i in range(40):
        det.add(f"a{i}", f"u{i}", _BASE[i % 50 :] + f"第{i}号文件补充说明{i * 7}。" * 3)
    det.remove("a3")
    det.add("late", "u", _BASE[::-1])  # pending in the delta
    checked = 0
    for page in (_BASE, _BASE[40:160] + "无关内容" * 20, _BASE[::-1], "完全无关的一句话"):
        p = prepare(page, DEFAULT_PARAMS)
        got = det.candidates(p)
        assert got == det.candidates_reference(p)
        checked += bool(got)
    assert checked >= 2


def test_formulaic_mask_equals_the_df_estimate() -> None:
    """Detector.common (compiled) marks exactly the shingles whose df estimate reaches common_df."""
    from newsrights.core.matching import Detector

    params = MatchParams(common_df=3, df_bits=10)  # a small sketch: collisions and mean load matter
    det = Detector(params)
    for i in range(30):
        det.add(f"a{i}", "u", _BASE[(i * 7) % 60 :] + f"第{i}篇的不同结尾{i * 13}")
    p = prepare(_BASE + "一些新的文字", params)
    want = det.shingle_df(p.shingles) >= params.common_df
    got = det.common(p.shingles)
    assert got.tolist() == want.tolist()
    assert 0 < int(want.sum()) < len(want)
