"""Pure Chinese news metadata rules (newsrights.core.metadata)."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsrights.core.metadata import (
    is_credit_line,
    is_declaration_start,
    is_furniture_line,
    parse_byline,
    parse_datetime,
    parse_meta_line,
    parse_original_title,
    split_dateline,
    split_trailing_byline,
    structure,
)
from newsrights.core.model import CHINA_TZ


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-08-19 09:40:53", datetime(2021, 8, 19, 9, 40, 53, tzinfo=CHINA_TZ)),
        ("2021年08月19日 09:40", datetime(2021, 8, 19, 9, 40, tzinfo=CHINA_TZ)),
        ("2021年8月19日09:40", datetime(2021, 8, 19, 9, 40, tzinfo=CHINA_TZ)),
        ("2021/8/19", datetime(2021, 8, 19, tzinfo=CHINA_TZ)),
        ("2021.08.19 9:05", datetime(2021, 8, 19, 9, 5, tzinfo=CHINA_TZ)),
        ("发布时间：2021-08-19 09:40", datetime(2021, 8, 19, 9, 40, tzinfo=CHINA_TZ)),
        ("２０２１－０８－１９　０９：４０", datetime(2021, 8, 19, 9, 40, tzinfo=CHINA_TZ)),
        ("2021年08月19日 下午3时20分", datetime(2021, 8, 19, 15, 20, tzinfo=CHINA_TZ)),
    ],
)
def test_dates_in_china_time(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_iso_dates_keep_their_zone() -> None:
    dt = parse_datetime("2021-08-19T01:40:53Z")
    assert dt is not None and dt.utcoffset() is not None and dt.utcoffset().total_seconds() == 0
    assert parse_datetime("2021-08-19T09:40:53+08:00") == datetime(2021, 8, 19, 9, 40, 53, tzinfo=CHINA_TZ)
    assert parse_datetime("no date here") is None
    assert parse_datetime("2021-13-45") is None


@pytest.mark.parametrize(
    ("line", "source", "editor", "resp", "author", "day"),
    [
        ("2021-08-19 09:40:53来源:辽宁日报编辑:王巍责编:李胜兰", "辽宁日报", "王巍", "李胜兰", None, 19),
        ("来源：新华网 | 作者：张三 | 2021年08月19日 09:40", "新华网", None, None, "张三", 19),
        ("2021-08-18 10:12  来源: 人民网   责任编辑：刘洋", "人民网", None, "刘洋", None, 18),
        ("稿源：中国日报　　编辑：李四", "中国日报", "李四", None, None, None),
        ("【来源：央视网】【字号：大 中 小】", "央视网", None, None, None, None),
        ("发布时间：2021/8/19 来源：国际在线", "国际在线", None, None, None, 19),
        ("作者：王五  来源：光明日报  2020-01-02", "光明日报", None, None, "王五", 2),
    ],
)
def test_meta_lines(line: str, source, editor, resp, author, day) -> None:  # type: ignore[no-untyped-def]
    m = parse_meta_line(line)
    assert m is not None
    assert m.get("source") == source
    assert m.get("editor") == editor
    assert m.get("responsible_editor") == resp
    assert m.get("author") == author
    assert (m.published.day if m.published else None) == day


@pytest.mark.parametrize(
    "line",
    [
        "据了解，这笔资金来源：一是中央财政拨款，二是地方配套，三是社会捐赠，用于支持农村公路建设和维护工作。",
        "8月18日,辽宁省第二批政法队伍教育整顿动员部署会议在沈阳召开。",
        "",
    ],
)
def test_prose_is_not_a_meta_line(line: str) -> None:
    assert parse_meta_line(line) is None


def test_original_title() -> None:
    assert parse_original_title("原标题:张国清强调\u00a0高标准") == "张国清强调 高标准"
    assert parse_original_title("【原标题：标题】") == "标题"
    assert parse_original_title("标题原标题") is None


@pytest.mark.parametrize(
    ("para", "dateline", "byline", "rest"),
    [
        (
            "国际在线消息（记者 张三）：8月18日，会议召开。",
            "国际在线消息",
            "记者 张三",
            "8月18日，会议召开。",
        ),
        ("国际在线专稿：据报道，会议召开。", "国际在线专稿", None, "据报道，会议召开。"),
        ("国际在线北京报道：会议召开。", "国际在线北京报道", None, "会议召开。"),
        (
            "新华社北京8月18日电（记者张三、李四）会议召开。",
            "新华社北京8月18日电",
            "记者张三、李四",
            "会议召开。",
        ),
        ("本报讯（记者 王五）昨日，会议召开。", "本报讯", "记者 王五", "昨日，会议召开。"),
        ("央视网消息：会议召开。", "央视网消息", None, "会议召开。"),
        ("中新网8月18日电 会议召开。", "中新网8月18日电", None, "会议召开。"),
        ("8月18日，会议召开。", None, None, "8月18日，会议召开。"),
    ],
)
def test_datelines(para: str, dateline, byline, rest) -> None:  # type: ignore[no-untyped-def]
    assert split_dateline(para) == (dateline, byline, rest)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("辽宁日报记者 杨忠厚", True),
        ("记者 张三 李四", True),
        ("本报记者 张三、李四 通讯员 王五", True),
        ("文/张三", True),
        ("会议以电视电话会议形式召开", False),
        ("记者昨天从市政府获悉这一重大消息并进行了采访", False),
    ],
)
def test_bylines(text: str, ok: bool) -> None:
    assert (parse_byline(text) is not None) is ok


def test_trailing_byline() -> None:
    assert split_trailing_byline("研究部署下步工作。(辽宁日报记者 杨忠厚)") == (
        "研究部署下步工作。",
        "辽宁日报记者 杨忠厚",
    )
    assert split_trailing_byline("会议召开（2021年）") == ("会议召开（2021年）", None)


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ("国际在线版权与信息产品内容销售的声明", True),
        ("版权声明：本文为本站原创，未经授权禁止转载。", True),
        ("免责声明", True),
        ("Copyright © 2021 CRI Online. All Rights Reserved.", True),
        ("凡本网注明“来源：振兴东北网”的所有作品，版权均属于振兴东北网", True),
        ("未经书面授权，任何单位及个人不得转载、摘编", True),
        ("会议强调，要加强版权保护工作。", False),
    ],
)
def test_declaration_start(line: str, ok: bool) -> None:
    assert is_declaration_start(line) is ok


def test_credit_and_furniture_lines() -> None:
    assert is_credit_line("来源:国际在线")
    assert is_credit_line("（来源：人民日报）")
    assert is_credit_line("转载自新华网")
    assert not is_credit_line("他说，这次会议的来源是群众的呼声和社会各界的广泛建议，意义重大。")
    for line in ("相关新闻", "分享到：", "责任编辑：张三", "首页 > 新闻 > 国内", "上一篇：某某"):
        assert is_furniture_line(line), line
    assert not is_furniture_line("8月18日,辽宁省第二批政法队伍教育整顿动员部署会议在沈阳召开。")


def test_structure_generic_page() -> None:
    parts = structure(
        [
            "某市召开经济工作会议",
            "2021年08月19日 09:40  来源：某某日报",
            "新华社北京8月18日电（记者 张三）18日，某市召开经济工作会议。",
            "会议指出，要稳住经济大盘。",
            "（完）",
            "责任编辑：李四",
            "相关新闻",
            "某市经济运行平稳",
            "版权声明：本网所有内容未经授权不得转载。",
        ]
    )
    assert parts.title == "某市召开经济工作会议"
    assert parts.source == "某某日报"
    assert parts.responsible_editor == "李四"
    assert parts.dateline == "新华社北京8月18日电"
    assert parts.byline == "记者 张三"
    assert parts.body == ("18日，某市召开经济工作会议。", "会议指出，要稳住经济大盘。")
    assert parts.declaration == "版权声明：本网所有内容未经授权不得转载。"
    assert "某市经济运行平稳" in parts.furniture
    assert parts.published is not None and parts.published.hour == 9
    assert "新华社北京8月18日电" in parts.credit_lines and "来源:某某日报" in parts.credit_lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("新京报记者 彭冲 山东冠县报道", "新京报记者 彭冲"),
        ("本报记者罗科苏盈发自北京", "本报记者 罗科苏盈"),
        ("连载：乔冠华才情人生   出版社：团结出版社   作者：罗银胜", "作者 罗银胜"),
        ("顶端新闻·河南商报记者马俊峰/文受访者供图", "顶端新闻·河南商报记者 马俊峰"),
        ("马俊峰/文", "马俊峰"),
        ("记者一眼就注意到墙上一幅巨大的规划图。", None),
        ("与作者联系", None),
        ("文章编辑", None),
    ],
)
def test_inline_bylines(line: str, expected: str | None) -> None:
    from newsrights.core.metadata import find_byline

    assert find_byline(line) == expected


def test_trailing_name_and_place_bylines() -> None:
    assert split_trailing_byline("过程吗？”（姚峰 上海报道）") == ("过程吗？”", "姚峰")
    assert split_trailing_byline("结束。（袁源）") == ("结束。", "袁源")
    assert split_trailing_byline("结束。（图）") == ("结束。（图）", None)


def test_interview_question_is_not_a_meta_line() -> None:
    assert parse_meta_line("记者：你通过什么渠道最快的获取这些信息？") is None
    assert parse_meta_line("【编辑:刘欢】 返回搜狐，查看更多").get("editor") == "刘欢"  # type: ignore[union-attr]


def test_widgets_are_furniture() -> None:
    for line in ("17", "一", "« Apr", "第1页/共1页 << 上一页", "分享让更多人看到"):
        assert is_furniture_line(line), line
    assert not is_furniture_line("看点")


def test_menus_toolbars_and_addresses_are_furniture() -> None:
    for line in (
        "搜狐首页 - 新闻 - 体育 - 娱乐 - 财经 - IT - 汽车",
        "新闻 | 体育 | 娱乐 | 商业 | 科技",
        "【推荐】【字体：大 中 小】【打印】【关闭】",
        "www.chinaneast.gov.cn",
    ):
        assert is_furniture_line(line), line
    assert not is_furniture_line("The company - which makes cars - said on Monday it would cut jobs")


def test_structure_drops_repeated_headline_link_runs_and_footer() -> None:
    parts = structure(
        [
            "要闻",
            "新闻",
            "国内",
            "图片",
            "视频",
            "某市召开经济工作会议",
            "会议指出，上半年全市经济运行总体平稳。",
            "Copyright © 2005 某网 版权所有",
        ],
        title="某市召开经济工作会议",
        take_title=False,
    )
    assert parts.body == ("会议指出，上半年全市经济运行总体平稳。",)
    assert "要闻" in parts.furniture and parts.declaration == "Copyright © 2005 某网 版权所有"
