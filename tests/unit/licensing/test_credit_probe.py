"""The credit check's traditional-script probe (one regex search) flags exactly the characters
of ``normalize._traditional_table``, so ``simplified_view`` converts the same pages as before."""

from __future__ import annotations

from newsrights.core.credit import _traditional_chars, simplified_view
from newsrights.core.model import Article
from newsrights.core.normalize import _traditional_table


def test_probe_flags_exactly_the_traditional_only_characters() -> None:
    table = _traditional_table()
    probe = _traditional_chars()
    for cp in list(range(0x3000, 0xA000)) + list(range(0xF900, 0xFB00)) + [0x41, 0x20, 0x1F600]:
        assert (probe.search(chr(cp)) is not None) == bool(cp < 0x10000 and table[cp]), hex(cp)


def test_simplified_view_converts_traditional_pages_only() -> None:
    trad = Article(body=("國際在線消息：這是一篇轉載的新聞。",), title="新聞標題", credit_lines=("來源:國際在線",))
    simp = Article(body=("国际在线消息：这是一篇转载的新闻。",), title="新闻标题", credit_lines=("来源:国际在线",))
    assert simplified_view(simp) is simp
    view = simplified_view(trad)
    assert view.credit_lines == ("来源:国际在线",) and "国际在线" in view.text


def test_the_page_folded_from_its_parts_equals_the_page_folded_whole() -> None:
    """check_credit folds each paragraph once and joins them; the same as folding the joined text,
    including compatibility forms, full-width spaces and Greek final sigma at a join."""
    from newsrights.core.credit import _squeeze, fold

    parts = ["国际在线消息：\u3000ＡＢＣ １２３", "ﬁ ligature ΣΑΣ", "Σ", "ｏδος Σ\u0301", "\u0301combining", "  ", ""]
    for i in range(len(parts)):
        for j in range(len(parts)):
            chosen = [parts[i], parts[j], parts[(i + j) % len(parts)]]
            assert "".join(map(_squeeze, chosen)).lower() == fold("\n".join(chosen)), chosen
