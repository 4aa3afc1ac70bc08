"""Loaders: the Markdown parsers on own fixtures, and the real shared sets when present."""

from __future__ import annotations

from pathlib import Path

from newsrights.evalkit.cases import SourceDoc
from newsrights.evalkit.datasets import (
    load_english,
    load_sogouca,
    load_xwlb,
    ngram_overlap,
    ngram_overlap_passages,
    oracle_text,
    parse_cctv_day,
    parse_mrxwlb_day,
    xwlb_cases,
)

CCTV_DAY = """# 《新闻联播》 (20990101)

## 新闻摘要

本期节目主要内容：

## 详细新闻

### 测试城市举办冰雪节

<p><strong>央视网消息</strong>（新闻联播）：今天，测试城市第一届冰雪节开幕，吸引了大批来自各地的游客前来参观。<br></p><p>主办方介绍，本届冰雪节&amp;灯会将持续到二月底，期间举办各类群众性冰雪活动。</p>

[查看原文](https://tv.example/2099/01/01/a.shtml)
### 国内联播快讯

<p><strong>央视网消息</strong>（新闻联播）：<br></p><p><strong>某地新建一座跨江大桥</strong><br></p><p>某地跨江大桥今天正式通车，全长三千多米，双向六车道，设计时速八十公里，将两岸通行时间从一个小时缩短到十分钟以内。</p>

[查看原文](https://tv.example/2099/01/01/b.shtml)
"""

MR_DAY = """# 每日新闻联播

以下为详细的文字版全文：

### 测试城市举办冰雪节

今天，测试城市第一届冰雪节开幕，吸引了大批来自各地的游客前来参观。

主办方介绍，本届冰雪节&灯会将持续到二月底，期间举办各类群众性冰雪活动。

### 某地新建一座跨江大桥

某地跨江大桥今天正式通车，全长三千多米，双向六车道，设计时速八十公里，将两岸通行时间从一个小时缩短到十分钟以内。

---

*来源: http://mrxwlb.example/*
"""


def _write(tmp_path: Path) -> Path:
    root = tmp_path / "zh_news_xwlb_two_outlets"
    (root / "cctv_via_DuckBurnIncense").mkdir(parents=True)
    (root / "mrxwlb_via_hobbyqhd").mkdir(parents=True)
    (root / "cctv_via_DuckBurnIncense" / "20990101.md").write_text(CCTV_DAY, encoding="utf-8")
    (root / "mrxwlb_via_hobbyqhd" / "20990101.md").write_text(MR_DAY, encoding="utf-8")
    return tmp_path


def test_parsers_on_own_fixture(tmp_path: Path) -> None:
    root = _write(tmp_path) / "zh_news_xwlb_two_outlets"
    cctv = parse_cctv_day(root / "cctv_via_DuckBurnIncense" / "20990101.md")
    assert [d.title for d in cctv] == ["测试城市举办冰雪节", "国内联播快讯"]
    assert cctv[0].body[0].startswith("央视网消息（新闻联播）：今天")
    assert "冰雪节&灯会" in cctv[0].body[1]
    assert cctv[0].uri == "https://tv.example/2099/01/01/a.shtml"
    assert cctv[1].body[1] == "某地新建一座跨江大桥"
    mr = parse_mrxwlb_day(root / "mrxwlb_via_hobbyqhd" / "20990101.md")
    assert [d.title for d in mr] == ["测试城市举办冰雪节", "某地新建一座跨江大桥"]
    assert len(mr[0].body) == 2


def test_oracle_and_cases_on_own_fixture(tmp_path: Path) -> None:
    xs = load_xwlb(_write(tmp_path))
    assert xs.headline_pairs == {"mrxwlb-20990101-00": "cctv-20990101-00"}
    cases = {c.id: c for c in xwlb_cases(xs, {d.id for d in xs.cctv})}
    a, b = cases["mrxwlb-20990101-00"], cases["mrxwlb-20990101-01"]
    assert a.kind == "xwlb_reprint" and [g.article_id for g in a.gold] == ["cctv-20990101-00"]
    assert a.gold[0].label == "whole"
    assert b.kind == "xwlb_kuaixun" and b.gold[0].article_id == "cctv-20990101-01"
    # the 快讯 item is held out of the catalog: the sub-item becomes a hard negative
    held = {c.id: c for c in xwlb_cases(xs, {"cctv-20990101-00"})}
    assert held["mrxwlb-20990101-01"].kind == "xwlb_heldout" and not held["mrxwlb-20990101-01"].gold


def test_oracle_counts_shared_article_characters() -> None:
    assert oracle_text("央视网消息（新闻联播）：今天，Ｂ市 下雪。") == "今天B市下雪"
    ov, lengths = ngram_overlap(
        [SourceDoc(id="p", body=("别的开头。这是一个足够长的句子，用来测试归一化。", "无关"))],
        [
            SourceDoc(
                id="a", body=("央视网消息（新闻联播）：这是一个足够长的句子用来测试归一化。其余内容完全不同",)
            ),
            SourceDoc(id="b", body=("毫不相干的另一条新闻稿件内容",)),
        ],
    )
    assert ov == {"p": {"a": 17}}
    assert lengths == {"a": 25, "b": 14}


def test_real_xwlb_set(shared_data: Path) -> None:
    xs = load_xwlb(shared_data, days=10)
    assert len(xs.cctv) > 100 and len(xs.mrxwlb) > 150
    cases = xwlb_cases(xs, {d.id for d in xs.cctv})
    kinds = {c.kind for c in cases}
    assert {"xwlb_reprint", "xwlb_kuaixun"} <= kinds
    # mrxwlb strips the attribution: no page text mentions 央视网消息
    assert not any("央视网消息" in c.page_text for c in cases)
    reprints = [c for c in cases if c.kind == "xwlb_reprint"]
    assert len(reprints) > 80


def test_real_negative_sets(shared_data: Path) -> None:
    zh = load_sogouca(shared_data)
    en = load_english(shared_data)
    assert len(zh) > 100 and all(d.body for d in zh)
    assert len(en) > 300 and all(d.lang == "en" for d in en)


def test_oracle_passages_leave_out_scattered_stock_phrases() -> None:
    """Two items that share many short stock phrases share no passage; a copied paragraph is one."""
    phrases = ["深入学习贯彻重要思想", "纵深推进反腐败斗争", "全面从严治党走向深入", "推动高质量发展取得新成效"]
    filler = ["今天上午在北京召开会议", "代表们分组审议了报告", "会议还通过了其他决议", "大家一致表示坚决拥护"]
    scattered_a = "。".join(f"{f}{p}" for f, p in zip(filler, phrases, strict=True))
    scattered_p = "。".join(f"{p}{f[::-1]}" for f, p in zip(filler, phrases, strict=True))
    paragraph = "国家统计局今天发布数据显示前三季度国内生产总值同比增长百分之五点二就业形势总体稳定居民收入稳步增加物价温和上涨"
    ov, passages, _ = ngram_overlap_passages(
        [SourceDoc(id="p", body=(scattered_p, "另外一段文字" + paragraph + "结尾"))],
        [SourceDoc(id="a", body=(scattered_a,)), SourceDoc(id="b", body=("开头" + paragraph,))],
    )
    assert ov["p"]["a"] >= 30 and "a" not in passages["p"]
    assert passages["p"]["b"] == ov["p"]["b"] >= len(paragraph) - 2
