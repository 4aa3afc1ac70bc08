"""An article's digest normalises each paragraph on its own (``Article.sha256``); it must equal the
digest of the joined text (``content_sha256``), the specification, whatever the paragraphs hold:
combining marks at a paragraph's start, compatibility characters, Hangul jamo, spaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.model import Article, content_sha256

ALPHABET = st.sampled_from(
    list("国际在线ａｂ１，。！ 　\t\u3000ﬁ㎏①Å")
    + ["\u0301", "\u0308", "\u0323", "\u1100", "\u1161", "\u11a8", "\uac00", "e", "A", "\u212b", "\n"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(ALPHABET, min_size=0, max_size=12), min_size=1, max_size=5))
def test_digest_per_paragraph_equals_digest_of_joined_text(body: list[str]) -> None:
    art = Article(body=tuple(body))
    assert art.sha256 == content_sha256(art.text)
