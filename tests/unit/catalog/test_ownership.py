"""Ownership under the publisher's declaration: every class, with reasons, and the conflicts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from newsrights.core.declaration import parse_declaration, publisher_declaration
from newsrights.core.model import CHINA_TZ, Article
from newsrights.core.ownership import byline_medium, classify, dateline_medium, medium_name

DECL = publisher_declaration()


def _art(**kw: object) -> Article:
    kw.setdefault("body", ("正文第一段。", "正文第二段。"))
    return Article(**kw)  # type: ignore[arg-type]


def test_seed_article_is_third_party_liaoning_daily(seed_page: Path) -> None:
    from newsrights.ingest import read_path

    (article,) = [a for a in read_path(seed_page) if isinstance(a, Article)]
    o = classify(article, DECL)
    assert o.class_ == "third_party"
    assert o.holder == "辽宁日报"
    assert o.marker is None
    assert o.declaration_version == "cri-footer-2021"
    assert any("“辽宁日报”" in r for r in o.reasons)
    assert any("辽宁日报记者 杨忠厚" in r for r in o.reasons)


@pytest.mark.parametrize(
    ("kw", "marker"),
    [
        ({"source": "国际在线"}, "来源:国际在线"),
        ({"source": "国际在线-新闻频道"}, "来源:国际在线"),
        ({"dateline": "国际在线消息"}, "国际在线消息"),
        ({"dateline": "国际在线北京消息"}, "国际在线XX消息"),
        ({"dateline": "国际在线综合报道"}, "国际在线XX报道"),
        ({"body": ("国际在线专稿:据悉,……",)}, "国际在线专稿"),
        ({"credit_lines": ("来源：国际在线",)}, "来源:国际在线"),
    ],
)
def test_owned_markers(kw: dict[str, object], marker: str) -> None:
    o = classify(_art(**kw), DECL)
    assert o.class_ == "owned", o.reasons
    assert o.marker == marker
    assert o.holder == "国际在线"
    assert any(f"“{marker}”" in r for r in o.reasons)


def test_own_reporter_byline_is_owned() -> None:
    o = classify(_art(byline="国际在线记者 王五"), DECL)
    assert o.class_ == "owned" and "包括但不限于" in " ".join(o.reasons)


@pytest.mark.parametrize(
    ("kw", "holder"),
    [
        ({"source": "新华社", "dateline": "新华社北京8月18日电"}, "新华社"),
        ({"source": "[ 人民网 ]"}, "人民网"),
        ({"source": "人民网-文化频道"}, "人民网"),
        ({"source": "新华网(非国际在线)"}, "新华网"),
        ({"dateline": "新华社北京8月18日电"}, "新华社"),
        ({"byline": "辽宁日报记者 杨忠厚"}, "辽宁日报"),
        ({"source": "央广网", "byline": "新华社记者 张三"}, "央广网"),
        ({"credit_lines": ("（转载自新华网）",)}, "新华网"),
        ({"credit_lines": ("来源：人民日报",)}, "人民日报"),
    ],
)
def test_third_party(kw: dict[str, object], holder: str) -> None:
    o = classify(_art(**kw), DECL)
    assert o.class_ == "third_party", o.reasons
    assert o.holder == holder
    assert any("非国际在线" in r for r in o.reasons)


def test_explicit_third_party_wins() -> None:
    o = classify(_art(source="国际在线", body=("正文。", "(本文版权归环球旅行杂志所有,经授权转载)")), DECL)
    assert o.class_ == "explicit_third_party"
    assert o.holder == "环球旅行杂志"
    assert any("明确标注为第三方版权的内容除外" in r for r in o.reasons)
    o2 = classify(_art(copyright_notice="© 2024 Reuters"), DECL)
    assert o2.class_ == "explicit_third_party" and o2.holder == "Reuters"
    # a notice naming the publisher itself is not a third party
    o3 = classify(_art(source="国际在线", copyright_notice="版权所有 国际在线"), DECL)
    assert o3.class_ == "owned"


def test_conflict_own_source_other_medium_byline_needs_review() -> None:
    o = classify(_art(source="国际在线", byline="新华社记者 张三"), DECL)
    assert o.class_ == "needs_review"
    assert o.holder == "新华社" and o.marker == "来源:国际在线"
    text = " ".join(o.reasons)
    assert "conflict" in text and "职务作品" in text and "“新华社记者 张三”" in text


def test_conflict_owned_dateline_other_source() -> None:
    o = classify(_art(source="人民日报", dateline="国际在线消息"), DECL)
    assert o.class_ == "needs_review" and o.holder == "人民日报" and o.marker == "国际在线消息"


def test_needs_review_says_what_is_missing() -> None:
    o = classify(_art(), DECL)
    assert o.class_ == "needs_review" and o.holder is None
    assert "no 来源 line" in o.reasons[0] and "国际在线XX消息" in o.reasons[0]
    o2 = classify(_art(source="转载"), DECL)
    assert o2.class_ == "needs_review" and "names no holder" in o2.reasons[0]
    o3 = classify(_art(credit_lines=("来源:网络",)), DECL)
    assert o3.class_ == "needs_review" and "names no holder" in o3.reasons[0]


def test_declaration_date_is_noted() -> None:
    later = parse_declaration(DECL.text, site="国际在线", effective=date(2030, 1, 1))
    o = classify(_art(source="国际在线", published=datetime(2021, 8, 19, tzinfo=CHINA_TZ)), later)
    assert o.class_ == "owned" and o.declaration_version == "2030-01-01"
    assert any("took effect after" in r for r in o.reasons)


def test_declaration_date_is_compared_on_the_china_day() -> None:
    """2029-12-31 16:30 UTC is 2030-01-01 00:30 in China: a declaration effective 2030-01-01 is
    already in force for that article, so no 'took effect after' note."""
    from datetime import UTC

    later = parse_declaration(DECL.text, site="国际在线", effective=date(2030, 1, 1))
    o = classify(_art(source="国际在线", published=datetime(2029, 12, 31, 16, 30, tzinfo=UTC)), later)
    assert o.class_ == "owned"
    assert not any("took effect after" in r for r in o.reasons), o.reasons


def test_blanket_declaration_of_another_site() -> None:
    d = parse_declaration("所有内容为中国西藏新闻网版权所有，未经授权不得复制转载或建立镜像")
    assert classify(_art(), d).class_ == "owned"
    assert classify(_art(source="新华网"), d).class_ == "third_party"


def test_helpers() -> None:
    assert medium_name("澎湃新闻·澎湃号·政务") == "澎湃新闻"
    assert medium_name("来源：[ 国际金融报 ]") == "国际金融报"
    assert byline_medium("辽宁日报记者 杨忠厚") == "辽宁日报"
    assert byline_medium("记者 张三") is None
    assert byline_medium("(新华社驻东京记者 李四)") == "新华社"
    assert dateline_medium("新华社北京8月18日电") == "新华社"
    assert dateline_medium("中新网8月18日电") == "中新网"
    assert dateline_medium("本报讯") == "本报"
    assert dateline_medium("据新华社拉萨电") == "新华社"
    assert byline_medium("顶端新闻·河南商报记者 马俊峰") == "河南商报"
    assert byline_medium("新华日报·交汇点记者 徐睿翔") == "新华日报"
    assert medium_name('size="20"') is None
    assert medium_name("[ 人民网 ]\ue5c2") == "人民网"
    assert medium_name("据新华社") == "新华社"


def test_another_sites_page_is_judged_under_its_own_declaration() -> None:
    from newsrights.services.catalog import choose_declaration

    page = _art(source="证券市场红周刊", declaration="未经许可，任何人不得复制、转载、或以其他方式使用本网站的内容。",
                copyright_notice="© 1997-2019 网易公司版权所有 About NetEase | 公司简介 | 联系方法 | 招聘信息")
    decl = choose_declaration(page)
    assert decl.holder == "网易公司" and decl.version != DECL.version
    o = classify(page, decl, publisher=DECL)
    assert o.class_ == "third_party" and o.holder == "证券市场红周刊"  # the site's own notice is not a marking
    own = _art(declaration="本文为EDN电子技术设计 原创文章，禁止转载。")
    d2 = choose_declaration(own)
    assert classify(own, d2).class_ == "owned"  # from that site's side
    o2 = classify(own, d2, publisher=DECL)  # from the publisher's side
    assert o2.class_ == "third_party" and o2.holder == "EDN电子技术设计"
    assert "another site's" in o2.reasons[-1]


def test_the_publishers_own_notice_and_aliases() -> None:
    from newsrights.services.catalog import choose_declaration

    page = _art(source="国际在线", declaration=DECL.text, copyright_notice="Copyright © 2021 CRI Online. All Rights Reserved.")
    decl = choose_declaration(page)
    assert decl.version == DECL.version
    assert classify(page, decl, publisher=DECL).class_ == "owned"
    # a ninjs document's own notice (no page declaration) naming someone else is an explicit marking
    wire = _art(source="国际在线", copyright_notice="© 2024 Reuters")
    assert classify(wire, choose_declaration(wire), publisher=DECL).class_ == "explicit_third_party"
    # another site's page marked 来源:国际在线 carries the publisher's content: the publisher's rules decide
    page2 = _art(source="国际在线", declaration="未经许可不得转载。", copyright_notice="© 2024 Example Daily")
    o = classify(page2, choose_declaration(page2), publisher=DECL)
    assert o.class_ == "owned" and o.declaration_version == DECL.version
    assert "another site's but names 国际在线" in o.reasons[-1]
