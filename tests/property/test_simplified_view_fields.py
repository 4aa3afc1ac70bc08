"""``credit.simplified_view`` converts all of a page's fields in one OpenCC call
(``normalize.to_simplified_all``); each field must come out as ``to_simplified`` converts it
alone, whatever the fields hold: line breaks inside a paragraph, empty and missing fields,
phrases that change length (軟體 → 软件, 部落格 → 博客)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.credit import simplified_view
from newsrights.core.model import Article
from newsrights.core.normalize import to_simplified, to_simplified_all

PIECES = st.sampled_from(["國際在線", "軟體", "部落格", "滑鼠", "記者", "來源：", "\n", "", "這是", "衞生", "，", "abc", "新闻"])
TEXT = st.lists(PIECES, max_size=8).map("".join)
MAYBE = st.one_of(st.none(), st.just(""), TEXT)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=12))
def test_all_at_once_equals_one_by_one(texts: list[str]) -> None:
    assert to_simplified_all(texts) == [to_simplified(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5), TEXT, MAYBE, MAYBE, MAYBE, MAYBE, st.lists(TEXT, max_size=3),
       st.lists(TEXT, max_size=3))
def test_view_converts_each_field(body: list[str], title: str, source: str | None, dateline: str | None,
                                  byline: str | None, declaration: str | None, furniture: list[str],
                                  credit_lines: list[str]) -> None:
    page = Article(body=tuple(body), title="國際" + title, source=source, dateline=dateline, byline=byline,
                   declaration=declaration, furniture=tuple(furniture), credit_lines=tuple(credit_lines))
    view = simplified_view(page)

    def conv(v: str | None) -> str | None:
        return to_simplified(v) if v else v

    assert view.title == conv(page.title) and view.source == conv(source) and view.dateline == conv(dateline)
    assert view.byline == conv(byline) and view.declaration == conv(declaration)
    assert view.body == tuple(map(to_simplified, body))
    assert view.furniture == tuple(map(to_simplified, furniture))
    assert view.credit_lines == tuple(map(to_simplified, credit_lines))
