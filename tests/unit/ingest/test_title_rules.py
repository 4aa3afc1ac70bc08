"""Title rules (newsrights.ingest.html): site suffixes cut, headline hyphens kept. Titles written for these tests."""

from __future__ import annotations

import pytest

from newsrights.core.model import Article
from newsrights.ingest import read_bytes
from newsrights.ingest.html import _strip_site_suffix


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("话剧巡演结束_新闻中心_某某网", "话剧巡演结束"),
        ("益阳：数字是优长-半月谈", "益阳：数字是优长"),
        ("一夜暴富后如何经营__商贸_产业资讯_某某网", "一夜暴富后如何经营"),
        ("成长故事-某某新闻", "成长故事"),
        ("Some Software - 给计算机系学生的建议", "给计算机系学生的建议"),
        (
            "Council closes the old bridge for repairs - Example Star",
            "Council closes the old bridge for repairs",
        ),
        (
            "Council closes the old bridge for repairs | The Example Post | by Jane Roe",
            "Council closes the old bridge for repairs",
        ),
        (
            "'I sell holidays - booking the right day could save you thousands' - Example Star",
            "'I sell holidays - booking the right day could save you thousands'",
        ),
        (
            "Protesters throw stones as three officers are injured - updates",
            "Protesters throw stones as three officers are injured - updates",
        ),
        (
            "Ten Best Sleeping Bags (2024): Ultralight, for Car Campers | EXAMPLE",
            "Ten Best Sleeping Bags (2024): Ultralight, for Car Campers",
        ),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert _strip_site_suffix(title) == expected


def test_strip_the_pages_own_site_name() -> None:
    assert (
        _strip_site_suffix("河边的故事 - 某某某某某某某某某某某", ("某某某某某某某某某某某",)) == "河边的故事"
    )


def test_html_headline_with_a_spaced_hyphen_is_kept_whole() -> None:
    body = "<p>" + "The council voted on Tuesday to close the old bridge for repairs. " * 4 + "</p>"
    html = f"""<html><head><title>'I sell holidays - booking early saves you money' - Example Star</title>
    <meta property="og:site_name" content="Example Star"></head><body>
    <h1>'I sell holidays - booking early saves you money'</h1><article>{body}{body}</article></body></html>"""
    items = read_bytes(html.encode(), origin="t.html", content_type="text/html; charset=utf-8")
    assert isinstance(items[0], Article)
    assert items[0].title == "'I sell holidays - booking early saves you money'"
