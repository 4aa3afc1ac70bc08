"""The credit check on a copying page."""

from __future__ import annotations

from newsrights.core.credit import check_credit
from newsrights.core.model import Article

ORIGINAL = Article(
    body=("11月17日，论坛在西安开幕。", "与会专家认为，合作的关键在于互信。"),
    title="丝路数字经济合作论坛在西安开幕",
    dateline="国际在线消息",
    byline="记者 周青岚",
    source="国际在线",
)


def page(**kw: object) -> Article:
    base: dict[str, object] = {"body": ORIGINAL.body, "title": ORIGINAL.title, "url": "http://x.example/a.html"}
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_credit_in_source_meta_line() -> None:
    c = check_credit(page(source="国际在线"), ORIGINAL)
    assert c.credit == "present" and c.exact and c.position == "source_line"


def test_credit_full_width_colon_and_brackets_at_the_bottom() -> None:
    c = check_credit(page(body=(*ORIGINAL.body, "（来源：国际在线）")), ORIGINAL)
    assert c.credit == "present" and c.exact and c.position == "bottom"


def test_credit_at_the_top() -> None:
    c = check_credit(page(body=("来源：国际在线", *ORIGINAL.body)), ORIGINAL)
    assert c.credit == "present" and c.position == "top"


def test_wrong_credit_names_the_other_source() -> None:
    c = check_credit(page(source="某某网"), ORIGINAL)
    assert c.credit == "wrong" and c.named_source == "某某网"
    assert c.reasons[0].startswith("credit_wrong")


def test_variant_credit_is_present_but_not_exact() -> None:
    c = check_credit(page(credit_lines=("转载自国际在线",)), ORIGINAL)
    assert c.credit == "present" and not c.exact


def test_absent_credit() -> None:
    assert check_credit(page(), ORIGINAL).credit == "absent"


def test_credit_inside_the_sites_own_declaration_does_not_count() -> None:
    decl = "凡本网注明“来源:国际在线”的作品，均转载自国际在线，版权归其所有。"
    c = check_credit(page(body=(*ORIGINAL.body, decl), declaration=decl), ORIGINAL)
    assert c.credit == "absent"


def test_credit_embedded_in_navigation_does_not_count() -> None:
    c = check_credit(page(credit_lines=("来源:国际在线",), furniture=("首页 | 合作媒体 来源:国际在线 | 联系我们",)), ORIGINAL)
    assert c.credit == "absent"


def test_dateline_and_byline_kept_or_stripped() -> None:
    kept = check_credit(page(body=("国际在线消息（记者 周青岚）：" + ORIGINAL.body[0], ORIGINAL.body[1])), ORIGINAL)
    assert (kept.dateline, kept.byline) == ("kept", "kept")
    stripped = check_credit(page(), ORIGINAL)
    assert (stripped.dateline, stripped.byline) == ("stripped", "stripped")
    assert any(r.startswith("byline_stripped") for r in stripped.reasons)
    parsed = check_credit(page(dateline="国际在线消息", byline="记者 周青岚"), ORIGINAL)
    assert (parsed.dateline, parsed.byline) == ("kept", "kept")


def test_title_kept_altered_and_site_suffix() -> None:
    assert check_credit(page(), ORIGINAL).title == "kept"
    assert check_credit(page(title=ORIGINAL.title + "_某某网"), ORIGINAL).title == "kept"
    assert check_credit(page(title=ORIGINAL.title + " - 某某网"), ORIGINAL).title == "kept"
    assert check_credit(page(title="震惊！" + ORIGINAL.title), ORIGINAL).title == "altered"
    assert check_credit(page(title=None), ORIGINAL).title == "n/a"


def test_link_back_in_raw_html() -> None:
    assert check_credit(page(), ORIGINAL, raw_html=b'<a href="https://news.cri.cn/x.html">x</a>').link_back == "present"
    assert check_credit(page(), ORIGINAL, raw_html='<a href="https://cri.cn.evil.example/">x</a>').link_back == "absent"
    assert check_credit(page(), ORIGINAL, raw_html='<a href="/local">x</a>').link_back == "absent"
    # protocol-relative links (common on Chinese news sites) are links back too
    assert check_credit(page(), ORIGINAL, raw_html='<a href="//news.cri.cn/x.html">x</a>').link_back == "present"
    assert check_credit(page(), ORIGINAL, raw_html='<a href="//cri.cn.evil.example/">x</a>').link_back == "absent"
    assert check_credit(page(), ORIGINAL).link_back == "unknown"
    assert check_credit(page(body=(*ORIGINAL.body, "原文：https://news.cri.cn/x.html")), ORIGINAL).link_back == "present"


def test_attribution_in_running_text() -> None:
    c = check_credit(page(body=("国际在线日前报道：“与会专家认为，合作的关键在于互信。”", "笔者以为如此。")), ORIGINAL)
    assert c.credit == "absent" and c.attribution_in_text


def test_traditional_script_copy() -> None:
    tw = page(title="絲路數字經濟合作論壇在西安開幕", source="快訊網")
    c = check_credit(tw, ORIGINAL)
    assert c.credit == "wrong" and c.named_source == "快讯网"
    assert c.title == "kept"  # converting the script does not alter the title
    assert check_credit(page(credit_lines=("來源：國際在線",)), ORIGINAL).credit == "present"


def test_meta_line_filed_as_furniture_is_the_articles_credit() -> None:
    c = check_credit(page(furniture=("2026-11-18 12:00 来源:国际在线 编辑:王巍",)), ORIGINAL)
    assert c.credit == "present"


def test_source_names_are_cleaned() -> None:
    assert check_credit(page(credit_lines=("来源：[ 人民网 ]",)), ORIGINAL).named_source == "人民网"
    assert check_credit(page(credit_lines=("来源: 第一财经日报 网友评论 0",)), ORIGINAL).named_source == "第一财经日报"
    assert check_credit(page(credit_lines=("Source: CRI Online",)), ORIGINAL, publisher_names=("CRI Online",)).credit == "present"
