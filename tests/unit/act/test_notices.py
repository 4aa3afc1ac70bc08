"""Generated notices carry every field the law requires; scraped text cannot forge fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from newsrights.core import notices as N
from newsrights.errors import InputError

HOLDER = "国广国际在线网络(北京)有限公司"
EVIL_URL = "https://copy.example.com/a?x=<script>alert(1)</script>\n权利人：伪造公司"


def data(kind: str, lang: str) -> N.NoticeData:
    return N.NoticeData(
        kind=kind, language=lang, rightholder_name=HOLDER, recipient="copy.example.com 运营者",
        rightholder_contact="rights@example.cn, +86 10 0000 0000", rightholder_address="北京市石景山区示例路1号",
        works=(N.Work("中国国际广播电台发布新节目", "https://news.cri.cn/a/1", date(2024, 5, 1), 1200),),
        infringing_urls=("https://copy.example.com/p/1", EVIL_URL),
        proof=(N.Proof("finding-42.wacz", "ab" * 32, "WACZ 证据包"),),
        fee_fen=15000, fee_basis="1.5 千字 × 100 元", case_ref="case-7", issued_on=date(2024, 6, 1),
        signatory="alice",
    )


@pytest.mark.parametrize("lang", N.LANGUAGES)
def test_platform_complaint_has_every_art14_field(lang: str) -> None:
    n = data("platform_complaint", lang)
    text = N.render(n)
    for value in (HOLDER, "rights@example.cn", "北京市石景山区示例路1号", "中国国际广播电台发布新节目",
                  "https://news.cri.cn/a/1", "https://copy.example.com/p/1", "finding-42.wacz", "ab" * 32):
        assert value in text, value
    assert ("第十四条" in text) if lang == "zh" else ("Art. 14" in text)
    assert ("真实性负责" in text) if lang == "zh" else ("truthfulness" in text)


@pytest.mark.parametrize("field", ["rightholder_name", "rightholder_contact", "rightholder_address", "proof",
                                   "infringing_urls", "works"])
def test_platform_complaint_refuses_missing_fields(field: str) -> None:
    empty = {"proof": (), "infringing_urls": (), "works": ()}.get(field, "")
    n = replace(data("platform_complaint", "zh"), **{field: empty})
    with pytest.raises(InputError, match="Art. 14"):
        N.render(n)


def test_work_without_title_or_url_is_incomplete() -> None:
    n = replace(data("platform_complaint", "en"), works=(N.Work("", "https://news.cri.cn/a/1"),))
    assert N.missing_fields(n) == ["work_titles"]
    n = replace(data("platform_complaint", "en"), works=(N.Work("t", " "),))
    assert N.missing_fields(n) == ["work_urls"]
    # a catalog id is not the work's network address (Art. 14 网络地址)
    n = replace(data("platform_complaint", "en"), works=(N.Work("t", "urn:sha256:46e879bc"),))
    assert N.missing_fields(n) == ["work_urls"]


@pytest.mark.parametrize("lang", N.LANGUAGES)
def test_licence_offer_states_the_fee(lang: str) -> None:
    text = N.render(data("licence_offer", lang))
    assert "150.00" in text and "1.5 千字 × 100 元" in text and HOLDER in text
    with pytest.raises(InputError, match="fee"):
        N.render(replace(data("licence_offer", lang), fee_fen=None))


@pytest.mark.parametrize("lang", N.LANGUAGES)
def test_takedown_asks_for_removal_and_apology(lang: str) -> None:
    text = N.render(data("takedown", lang))
    assert ("赔礼道歉" in text) if lang == "zh" else ("apolog" in text)
    assert "https://copy.example.com/p/1" in text


def test_scraped_text_cannot_forge_a_line_and_html_is_escaped() -> None:
    n = data("platform_complaint", "zh")
    text = N.render(n)
    assert "\n权利人：伪造公司" not in text
    assert all(not line.startswith("权利人：伪造") for line in text.splitlines())
    page = N.render_html(n)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert N.clean("a\u202eb\x00c\n\nd") == "a b c d"


def test_unknown_kind_and_language() -> None:
    with pytest.raises(InputError):
        N.render(replace(data("takedown", "zh"), kind="threat"))
    with pytest.raises(InputError):
        N.render(replace(data("takedown", "zh"), language="fr"))
