"""Ownership of real Chinese news pages (read by our HTML reader), from the publisher's side."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsrights.core.declaration import publisher_declaration
from newsrights.core.model import Article
from newsrights.core.ownership import classify
from newsrights.ingest import read_path
from newsrights.services.catalog import choose_declaration


@pytest.mark.parametrize(
    ("name", "holder", "why"),
    [
        ("163_1.html", "证券市场红周刊", "来源"),  # 网易 page reprinting a weekly
        ("people_1.html", "人民网", "来源"),  # 来源： 人民网-文化频道
        ("stcn_1.html", "证券时报网", "来源"),
        ("ednchina_1.html", "EDN电子技术设计", "another site's"),  # 本文为EDN电子技术设计 原创文章，禁止转载
    ],
)
def test_real_pages_are_third_party_with_the_right_holder(shared_data: Path, name: str, holder: str, why: str) -> None:
    (article,) = [a for a in read_path(shared_data / "zh_news_html_gne" / name) if isinstance(a, Article)]
    o = classify(article, choose_declaration(article), publisher=publisher_declaration())
    assert o.class_ == "third_party", o.reasons
    assert o.holder == holder
    assert any(why in r for r in o.reasons), o.reasons
