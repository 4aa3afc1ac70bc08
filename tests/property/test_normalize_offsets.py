"""Property: every normalised range maps back inside the original, and the mapped
original text normalises to the same characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.normalize import normalize

_alphabet = st.sampled_from(
    list("新闻联播今天北京天气晴朗軟體網路衞生數據们我abcXYZ０１２ＡＢ 　\u200b，。！？、\n-:：（）")
    + ["來源：", "ﬁ", "①", "㎡"]
)
texts = st.lists(_alphabet, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_spans_map_back_and_renormalise(text: str, data: st.DataObject) -> None:
    n = normalize(text, drop_credit_lines=False)
    assert len(n.starts) == len(n.ends) == len(n.text)
    if not n.text:
        return
    assert all(0 <= s < e <= len(text) for s, e in zip(n.starts.tolist(), n.ends.tolist(), strict=True))
    assert list(n.starts) == sorted(n.starts)
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    s, e = n.to_original(i, j)
    assert 0 <= s < e <= len(text)
    if not n.converted:
        # the original slice holds the normalised characters (a range that cuts a 1→n
        # compatibility expansion such as ﬁ→fi maps to the whole source character)
        again = normalize(text[s:e], drop_credit_lines=False).text
        assert n.text[i:j].strip() in again
