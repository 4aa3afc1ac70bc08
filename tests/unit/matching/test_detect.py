"""Detector on generated articles: whole, excerpt, reordered, edited, traditional, negatives."""

from __future__ import annotations

import random

import pytest

from newsrights.core.matching import DEFAULT_PARAMS, Detector, MatchParams
from newsrights.core.normalize import normalize
from tests.unit.matching.helpers import zh_article, zh_paragraph

N_ARTICLES = 40


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {f"art{i:03d}": zh_article(1000 + i) for i in range(N_ARTICLES)}


@pytest.fixture(scope="module")
def detector(corpus: dict[str, str]) -> Detector:
    d = Detector()
    for aid, text in corpus.items():
        d.add(aid, f"https://news.cri.cn/{aid}", text)
    return d


def _only(findings, article_id):  # type: ignore[no-untyped-def]
    assert [f.article_id for f in findings] == [article_id], [(f.article_id, f.label) for f in findings]
    return findings[0]


def _check_spans(f, page: str, article: str) -> None:  # type: ignore[no-untyped-def]
    for s in f.spans:
        assert 0 <= s.page_start < s.page_end <= len(page)
        assert 0 <= s.article_start < s.article_end <= len(article)


def test_whole_copy(detector: Detector, corpus: dict[str, str]) -> None:
    art = corpus["art005"]
    page = "导航 首页 新闻\n\n" + art + "\n\n相关阅读 更多"
    f = _only(detector.check(page, page_url="http://copy.example/1"), "art005")
    assert f.label == "whole" and f.article_coverage > 0.97
    assert f.params == DEFAULT_PARAMS.name and f.page_url == "http://copy.example/1"
    assert f.article_uri == "https://news.cri.cn/art005"
    _check_spans(f, page, art)
    s = f.spans[0]
    assert normalize(page[s.page_start : s.page_end]).text == normalize(art[s.article_start : s.article_end]).text
    sim = dict(f.similarity)
    assert sim["jaccard"] > 0.9 and sim["containment"] > 0.95


def test_excerpt_of_two_paragraphs_inside_another_story(detector: Detector, corpus: dict[str, str]) -> None:
    paras = corpus["art011"].split("\n\n")
    rng = random.Random(7)
    excerpt = paras[3] + "\n\n" + paras[4]
    page = "\n\n".join([zh_paragraph(rng, 200), zh_paragraph(rng, 200), excerpt, zh_paragraph(rng, 300)])
    f = _only(detector.check(page), "art011")
    assert f.label == "excerpt"
    assert 0.15 < f.article_coverage < 0.4
    start = page.index(excerpt)
    assert len(f.spans) == 1
    s = f.spans[0]
    assert abs(s.page_start - start) <= 2 and abs(s.page_end - (start + len(excerpt))) <= 2
    art_start = corpus["art011"].index(excerpt)
    assert abs(s.article_start - art_start) <= 2


def test_reordered_paragraphs_are_still_whole(detector: Detector, corpus: dict[str, str]) -> None:
    paras = corpus["art020"].split("\n\n")
    page = "\n\n".join(reversed(paras))
    f = _only(detector.check(page), "art020")
    assert f.label == "whole" and f.article_coverage > 0.95
    assert len(f.spans) >= len(paras) - 1  # one region per moved paragraph


def test_light_edits_ads_and_zero_width(detector: Detector, corpus: dict[str, str]) -> None:
    art = corpus["art030"]
    rng = random.Random(3)
    chars = list(art)
    for i in range(10, len(chars), 60):  # change one character in sixty
        chars[i] = rng.choice("甲乙丙丁")
    edited = "".join(chars).replace("，", " ,\u200b", 5)
    paras = edited.split("\n\n")
    paras.insert(3, "【广告】扫码关注我们的公众号，领取新人红包！")
    page = "\n\n".join(paras)
    f = _only(detector.check(page), "art030")
    assert f.label == "whole" and f.article_coverage > 0.9


def test_traditional_script_copy(detector: Detector, corpus: dict[str, str]) -> None:
    import opencc

    art = corpus["art002"]
    for cfg in ("s2twp", "s2hk"):
        page = opencc.OpenCC(cfg).convert(art)
        assert page != art
        f = _only(detector.check(page), "art002")
        assert f.label == "whole" and f.article_coverage > 0.9, cfg
        _check_spans(f, page, art)


def test_unrelated_text_and_english_do_not_match(detector: Detector) -> None:
    rng = random.Random(99)
    assert detector.check("\n\n".join(zh_paragraph(rng, 200) for _ in range(6))) == []
    assert detector.check("The quick brown fox jumps over the lazy dog. " * 30) == []
    assert detector.check("") == []


def test_not_derived_only_when_asked(detector: Detector, corpus: dict[str, str]) -> None:
    short = corpus["art007"].split("\n\n")[0][:30]  # too short to be an excerpt
    page = zh_paragraph(random.Random(5), 300) + short + zh_paragraph(random.Random(6), 300)
    assert detector.check(page) == []
    assert all(f.label == "not_derived" for f in detector.check(page, include_not_derived=True))


def test_remove_and_readd(corpus: dict[str, str]) -> None:
    d = Detector()
    for aid, text in list(corpus.items())[:5]:
        d.add(aid, aid, text)
    page = corpus["art001"]
    assert [f.article_id for f in d.check(page)] == ["art001"]
    assert d.remove("art001") and not d.remove("art001")
    assert d.check(page) == [] and "art001" not in d and len(d) == 4
    d.add("art001", "art001", page)
    assert [f.article_id for f in d.check(page)] == ["art001"]


def test_deterministic(detector: Detector, corpus: dict[str, str]) -> None:
    page = corpus["art013"] + "\n\n" + corpus["art014"].split("\n\n")[2]
    assert detector.check(page) == detector.check(page)


def test_formulaic_templated_reports_do_not_match() -> None:
    """Daily reports from one template with new numbers, and shared 套话, are not copies."""
    rng = random.Random(11)
    formula = "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大和二十届二中全会精神，深刻领悟两个确立的决定性意义，"

    def report(day: int) -> str:
        r = random.Random(day)
        return "\n\n".join(
            [
                f"今天（3月{day}日）全国跨区域人员流动量预计{r.randint(100, 999)}万人次，环比增长{r.randint(1, 30)}.{r.randint(0, 9)}%。",
                f"其中，铁路客运量预计{r.randint(100, 999)}万人次，公路人员流动量预计{r.randint(1000, 9999)}万人次，"
                f"水路客运量预计{r.randint(10, 99)}万人次，民航客运量预计{r.randint(10, 99)}万人次。",
                formula + zh_paragraph(r, 150),
            ]
        )

    d = Detector()
    for day in range(1, 21):
        d.add(f"r{day}", f"r{day}", report(day))
    page = report(25)
    assert d.check(page) == []
    # the same report reprinted is still found
    assert [f.article_id for f in d.check(report(7))] == ["r7"]
    del rng


def test_mixed_language_units() -> None:
    d = Detector(MatchParams())
    art = ("Apple 公司在 WWDC 2024 大会上发布了 iOS 18 系统，" + zh_paragraph(random.Random(1), 200)) * 2
    d.add("m", "m", art)
    f = d.check("转载：" + art)
    assert f and f[0].label == "whole"


def test_df_sketch_subtracts_the_mean_load() -> None:
    """With a heavily loaded sketch, unrelated shingles are not common but a shared phrase is."""
    from newsrights.core.matching.detect import prepare

    params = MatchParams(df_bits=12)  # 4096 counters per row for ~150k increments: mean load ~35
    d = Detector(params)
    phrase = "以习近平新时代中国特色社会主义思想为指导全面贯彻落实党的二十大精神"
    for i in range(200):
        text = zh_article(5000 + i, paragraphs=4, size=180)
        if i % 10 == 0:
            text += "\n\n" + phrase
        d.add(f"d{i}", f"d{i}", text)
    fresh = prepare(zh_article(9999, paragraphs=4, size=180), params)
    df = d.shingle_df(fresh.shingles)
    assert (df >= params.common_df).mean() < 0.05
    shared = prepare(phrase, params)
    assert (d.shingle_df(shared.shingles) >= 10).mean() > 0.8
