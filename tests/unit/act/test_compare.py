"""Missing marks and highlighted segments of the side-by-side comparison."""

from __future__ import annotations

from newsrights.core.model import Span
from newsrights.evidence.compare import Comparison, missing_marks, render_html, segments


def test_missing_marks_fold_script_width_and_punctuation() -> None:
    assert missing_marks("正文\n\n來源：國際在線", credit_line="来源:国际在线") == ()
    assert missing_marks("正文", ["来源: 国际在线"], credit_line="来源:国际在线") == ()
    got = missing_marks("正文 國際在線專稿", credit_line="来源:国际在线", dateline="国际在线专稿", byline="记者 林晓")
    assert [m.split(" /")[0] for m in got] == ["credit line missing", "byline missing"]
    assert missing_marks("x") == ()


def test_segments_merge_and_clip() -> None:
    assert segments("abcdef", [(1, 3), (2, 4), (10, 12)]) == [("a", False), ("bcd", True), ("ef", False)]
    assert segments("abc", []) == [("abc", False)]
    assert segments("abc", [(0, 3)]) == [("abc", True)]


def test_html_escapes_everything_scraped() -> None:
    c = Comparison(article_uri="u", article_title="<i>t</i>", article_text="<b>正文</b>", page_url="javascript:alert(1)",
                   page_title="\"><script>", page_text="<img src=x onerror=alert(1)>", spans=(Span(0, 3, 0, 4),),
                   missing=("<svg onload=x>",))
    html = render_html(c)
    for bad in ("<script>", "<img", "<svg", "<b>", "<i>"):
        assert bad not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html.replace("<mark>", "").replace("</mark>", "")
    assert "default-src 'none'" in html


def test_aligned_rows_pair_each_reused_passage() -> None:
    from newsrights.evidence.compare import aligned_rows

    art = "甲乙丙。重用的第一段。中间未用。重用的第二段。结尾。"
    page = "转载：重用的第一段。广告。重用的第二段。"
    a1, p1 = art.index("重用的第一段"), page.index("重用的第一段")
    a2, p2 = art.index("重用的第二段"), page.index("重用的第二段")
    c = Comparison(article_uri="u", article_title=None, article_text=art, page_url="p", page_title=None,
                   page_text=page, spans=(Span(a2, a2 + 7, p2, p2 + 7), Span(a1, a1 + 7, p1, p1 + 7)))
    rows = aligned_rows(c)
    assert rows == [("甲乙丙。", "转载：", False), ("重用的第一段。", "重用的第一段。", True),
                    ("中间未用。", "广告。", False), ("重用的第二段。", "重用的第二段。", True), ("结尾。", "", False)]
    long = Comparison(article_uri="u", article_title=None, article_text="字" * 1000, page_url="p", page_title=None,
                      page_text="字" * 1000, spans=(Span(0, 1000, 0, 1000),))
    pieces = aligned_rows(long, max_chars=300)
    assert len(pieces) == 4 and "".join(a for a, _, _ in pieces) == "字" * 1000 and all(h for *_, h in pieces)
