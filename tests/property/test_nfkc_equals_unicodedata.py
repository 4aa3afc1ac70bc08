"""``core.nfkc.normalize_nfkc`` must equal ``unicodedata.normalize("NFKC", …)`` on every text:
each code point alone, pairs around the characters that compose or reorder, and mixed strings
drawn (Hypothesis) from every class the module sorts characters into."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.nfkc import _seconds, _tables, normalize_nfkc


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_every_code_point_alone() -> None:
    wrong = [hex(cp) for cp in range(0x110000) if normalize_nfkc(chr(cp)) != nfkc(chr(cp))]
    assert wrong == []


def test_mapped_characters_map_onto_characters_that_nothing_changes() -> None:
    other, mapped, mapping = _tables()
    assert len(mapping) > 2000  # full-width forms, ligatures, circled and squared characters…
    for ch, out in mapping.items():
        assert mapped.fullmatch(ch) and not other.search(ch)
        for x in out:  # no output character is itself mapped, marked, or composing
            assert not mapped.search(x) and not other.search(x) and unicodedata.combining(x) == 0
    assert mapping["，"] == "," and mapping["０"] == "0" and mapping["\u3000"] == " " and mapping["㎏"] == "kg"


def test_pairs_around_composition() -> None:
    """A starter before every character that some starter composes with, and every mapped
    character before and after the combining marks: the fast road must not be taken wrongly."""
    _, _, mapping = _tables()
    seconds = sorted(_seconds())
    starters = ["a", "e", "A", "国", "，", "\u1100", "\uac00", "か", "ǎ", "1"]
    firsts = [*starters, *list(mapping)[:400]]
    for a in firsts:
        for b in seconds:
            assert normalize_nfkc(a + b) == nfkc(a + b), (hex(ord(a)), hex(ord(b)))
            assert normalize_nfkc(b + a) == nfkc(b + a), (hex(ord(b)), hex(ord(a)))


ALPHABET = st.one_of(
    st.sampled_from(list("国际在线消息记者来源编辑，。：；！？（）《》“”、 \n\t\u3000ａＢ１２％．－")),
    st.sampled_from(list("ﬁ㎏①Å™½ⅫＡ𝐀\U0002000b\u0301\u0308\u0323\u0338\u3099\u309a\u1161\u11a8ᄀ가각ㄱㅏかがǎüÅ")),
    st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)),
    st.characters(min_codepoint=0x10000, exclude_categories=("Cs",)),
)


@settings(max_examples=1500, deadline=None)
@given(st.text(ALPHABET, max_size=40))
def test_mixed_text(text: str) -> None:
    assert normalize_nfkc(text) == nfkc(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("国际在线，。：（）１２ａ　ﬁ㎏")), min_size=1, max_size=60))
def test_fast_road_text(text: str) -> None:
    """Text the fast road takes (stable and mapped characters only)."""
    other, _, _ = _tables()
    assert other.search(text) is None
    assert normalize_nfkc(text) == nfkc(text)
