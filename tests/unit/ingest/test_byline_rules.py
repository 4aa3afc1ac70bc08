"""Byline rules (newsrights.core.metadata, newsrights.ingest.html): post stamps, names under
the headline, stacked byline lines, bracketed names, markup leaks. Pages written for these tests."""

from __future__ import annotations

import pytest

from newsrights.core.metadata import bare_names, find_poster, parse_meta_line, structure
from newsrights.core.model import Article
from newsrights.ingest import read_bytes

BODY = "这是一篇测试用的正文，讲述了一个普通的故事。" * 3


def _article(html: str) -> Article:
    items = read_bytes(html.encode("utf-8"), origin="t.html", content_type="text/html; charset=utf-8")
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


@pytest.mark.parametrize(
    ("line", "poster"),
    [
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", "ggjjzhzz"),
        ("作者：清风明月 发表于 2011-3-2 08:00", "清风明月"),
        ("本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表.", "大卫"),
        ("〓 某某论坛 发布时间 2005/05/17 22:11:42 by 眉间尺 〓", "眉间尺"),
        ("Posted by Jane Roe on 2021-05-05", "Jane Roe"),
    ],
)
def test_post_stamps_name_the_poster(line: str, poster: str) -> None:
    assert find_poster(line) == poster


@pytest.mark.parametrize(
    "line",
    [
        "本文发表于2005年1月1日",  # the text itself, not a poster
        "他说 by the way 2005-01-01 之后我们去了很远的地方，又回来了",  # prose
        "ggjjzhzz 发表于某个论坛",  # no date: not a stamp
        "网友 发表于 2005-9-15 11:46:00",  # anonymous
    ],
)
def test_not_post_stamps(line: str) -> None:
    assert find_poster(line) is None


@pytest.mark.parametrize("line", ["茉莉", "胡平", "赵延东、风笑天", "刘国栋 周炜", "欧阳修"])
def test_bare_names(line: str) -> None:
    assert bare_names(line) == line


@pytest.mark.parametrize(
    "line",
    [
        "国内新闻",
        "图片",
        "首頁",
        "谍照趣图",
        "返回首页",
        "我的博客",
        "张三说了",
        "Home",
        "昨天",
        "周一",
        "下午",
    ],
)
def test_not_bare_names(line: str) -> None:
    assert bare_names(line) is None


def test_meta_line_bracketed_name_before_the_source_is_the_author() -> None:
    m = parse_meta_line("2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]")
    assert m is not None
    assert m.get("author") == "黄宇" and m.get("source") == "国际金融报"
    assert m.published is not None and (m.published.month, m.published.day) == (7, 16)


def test_meta_line_drops_leaked_markup_and_keeps_balanced_brackets() -> None:
    assert parse_meta_line('作者：size="20"') is not None
    assert parse_meta_line('作者：size="20"').get("author") is None  # type: ignore[union-attr]
    m = parse_meta_line("作者： 周思博 (Joel Spolsky)")
    assert m is not None and m.get("author") == "周思博 (Joel Spolsky)"
    m = parse_meta_line("（来源：新华网）")
    assert m is not None and m.get("source") == "新华网"


def test_meta_line_writer_label() -> None:
    m = parse_meta_line("执笔人：闵乐夫 赵兰波 刘韬")
    assert m is not None and m.get("author") == "闵乐夫 赵兰波 刘韬"


def test_structure_name_under_the_headline_is_the_author() -> None:
    parts = structure(["我是怎样走上这条路的", "茉莉", BODY, BODY])
    assert parts.title == "我是怎样走上这条路的"
    assert parts.byline == "茉莉"
    assert parts.body == (BODY, BODY)


def test_structure_name_under_a_headline_inside_the_text() -> None:
    parts = structure(
        ["2003-5-29 09:07", "高山流水", "社会资本与再就业", "赵延东、风笑天", BODY], title="论坛归档"
    )
    assert parts.byline == "赵延东、风笑天"
    assert "赵延东、风笑天" not in parts.body and "高山流水" in parts.body


def test_structure_no_name_without_a_headline_above() -> None:
    parts = structure(
        ["这是第一段很长很长的正文，没有标题在上面。", "张三", BODY], title="别处的标题", take_title=False
    )
    assert parts.byline is None
    assert "张三" in parts.body


def test_structure_stacked_byline_lines_are_one_byline() -> None:
    parts = structure(["拆房屡出命案", "本报实习生 刘国栋 周炜", "本报记者 王燕平 方云凤", BODY])
    assert parts.byline == "本报实习生 刘国栋 周炜 本报记者 王燕平 方云凤"


def test_html_name_under_the_h1() -> None:
    html = f"""<html><head><title>我是怎样走上这条路的_某某网</title></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/a">国内</a></div>
    <h1>我是怎样走上这条路的</h1><p>茉莉</p>
    <div class="content"><p>{BODY}</p><p>{BODY}</p></div></body></html>"""
    a = _article(html)
    assert a.title == "我是怎样走上这条路的"
    assert a.byline == "茉莉"


def test_html_forum_post_stamp_under_the_text() -> None:
    html = f"""<html><head><title>警世钟 - 某某论坛</title></head><body>
    <h1>警世钟</h1><div class="post"><p>{BODY}</p><p>{BODY}</p></div>
    <p>本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表.</p>
    <p>回复本贴</p></body></html>"""
    assert _article(html).byline == "大卫"


EN_BODY = "<p>" + "The council voted on Tuesday to close the old bridge for repairs. " * 4 + "</p>"


def test_html_byline_element_beats_a_comment_form_username() -> None:
    html = f"""<html><head><title>Bridge closed | Example Post</title></head><body>
    <h1>Bridge closed</h1><span class="byline">By Erin Example</span>
    <article>{EN_BODY}{EN_BODY}</article>
    <form class="comments"><label class="comment-author">Username</label></form></body></html>"""
    assert _article(html).byline == "Erin Example"


def test_html_itemprop_authors_all_count() -> None:
    html = f"""<html><head><title>Bridge closed</title></head><body><h1>Bridge closed</h1>
    <span itemprop="author" itemscope><span itemprop="name">Jane Roe</span></span> and
    <span itemprop="author" itemscope><span itemprop="name">John Doe</span></span>
    <article>{EN_BODY}{EN_BODY}</article></body></html>"""
    assert _article(html).byline == "Jane Roe, John Doe"


def test_html_repeated_dc_creator_tags_are_several_authors() -> None:
    html = f"""<html><head><title>Bridge closed</title>
    <meta name="dc.creator" content="Roe, Jane"><meta name="dc.creator" content="Doe, John">
    </head><body><h1>Bridge closed</h1><article>{EN_BODY}{EN_BODY}</article></body></html>"""
    assert _article(html).byline == "Jane Roe, John Doe"


def test_html_author_class_with_widget_text_is_not_a_byline() -> None:
    html = f"""<html><head><title>Bridge closed</title></head><body><h1>Bridge closed</h1>
    <div class="author-tools">[点击此处收藏本文]</div><div class="author">J J</div>
    <article>{EN_BODY}{EN_BODY}</article></body></html>"""
    assert _article(html).byline is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Erin Cunningham", True),
        ("Ludwig van Beethoven", True),
        ("Jane Roe and John Doe", True),
        ("黄宇", True),
        ("J J", False),
        ("报纸网", False),
        ("Follow @someone", False),
        ("Discuz! Team and Comsenz UI Team", False),
        ("Username", False),
    ],
)
def test_looks_like_names(text: str, ok: bool) -> None:
    from newsrights.ingest.html import _looks_like_names

    assert _looks_like_names(text) is ok


def test_structure_stacked_byline_lines_inside_the_text() -> None:
    parts = structure(
        ["拆房屡出命案", "谁来为拆房埋单？", "本报实习生 刘国栋 周炜", "本报记者 王燕平", BODY],
        title="某某的博客",
    )
    assert parts.byline == "本报实习生 刘国栋 周炜 本报记者 王燕平"


def test_closing_byline_of_a_paragraph_when_the_text_runs_past_it() -> None:
    from newsrights.ingest.html import _closing_byline

    lines = [
        BODY,
        "而对于这个观点，该人士付之一笑：“这样的说法没有道理，难道不都是这样吗？”（姚峰 上海报道）",
        "最新评论",
        "· 某某集团发难 联合上书（记者 李四报道）",  # a short related link: not a paragraph
    ]
    assert _closing_byline(lines) == "姚峰"
    # a bare name in brackets may be a quoted person, not a byline
    assert (
        _closing_byline([BODY, "这是一段很长的正文，其中引用了一位专家的看法，他认为问题不大。（王五）"])
        is None
    )


def test_structure_closing_editor_line_glued_to_the_text() -> None:
    parts = structure(["车展落幕", BODY, BODY + " （ 责任编辑：刘林源 ）"])
    assert parts.responsible_editor == "刘林源"
    assert parts.body[-1] == BODY
    assert parts.byline is None


def test_structure_recommendation_headings_end_the_text() -> None:
    from newsrights.core.metadata import is_related_heading

    for heading in ("精彩推荐", "【热门推荐】", "编辑推荐：", "相关专题"):
        assert is_related_heading(heading)
    parts = structure(["车展落幕", BODY, "精彩推荐", "汽车娱乐", "谍照趣图"])
    assert parts.body == (BODY,)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Roe", "Jane Roe"),
        ("BY JANE ROE and JOHN DOE", "Jane Roe and John Doe"),
        ("By Jon King, News Reporter", "Jon King"),
        ("By Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("by the way", None),
        ("By the river bank we sat", None),
        ("By Senior Reporter", None),
    ],
)
def test_english_byline_lines(line: str, names: str | None) -> None:
    from newsrights.core.metadata import parse_byline

    assert parse_byline(line) == names


def test_structure_english_byline_under_the_headline() -> None:
    text = "The council voted on Tuesday to close the old bridge for repairs, officials said."
    parts = structure(["Bridge closed", "By JANE ROE", text, text])
    assert parts.byline == "Jane Roe"
    assert parts.body == (text, text)
