"""The declaration parser: the publisher's own declaration, typed variants, and real ones from the web."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newsrights.core.declaration import (
    chinese_number,
    marker_from_text,
    parse_declaration,
    publisher_declaration,
    split_sentences,
)

CRI_MARKERS = ["来源:国际在线", "国际在线专稿", "国际在线消息", "国际在线XX消息", "国际在线报道", "国际在线XX报道"]


def _seed_declaration(seed_page: Path) -> str:
    text = seed_page.read_text(encoding="utf-8")
    return text[text.index("国际在线版权与信息产品内容销售的声明") :]


def test_seed_declaration_exactly(seed_page: Path) -> None:
    d = parse_declaration(_seed_declaration(seed_page))
    j = d.to_json()
    assert j["site"] == "国际在线"
    assert j["owned_markers"] == CRI_MARKERS
    assert j["third_party_marker"] == "来源:XXX(非国际在线)"
    assert j["exceptions"] == ["explicit_third_party"]
    assert j["prohibited_actions"] == ["distribute", "extract", "modify", "reproduce", "sell", "use"]
    assert [p["term"] for p in j["prohibited_acts"]] == ["转载", "摘编", "复制", "使用", "销售"]
    assert j["credit_line"] == "来源:国际在线"
    assert j["infringer_costs"] == ["损失", "律师费", "诉讼费", "差旅费", "公证费"]
    assert j["claim_window"] == {"days": 30, "anchor": "event"}
    assert j["uninterpreted"] == []
    assert j["operator"] == "中国国际广播电台"
    assert j["rights_manager"] == "国广国际在线网络(北京)有限公司"
    assert j["written_permission_required"] is True
    assert j["licence_scope_only"] is True
    # every rule says which sentence produced it
    by_kind = {r["kind"]: r["sentence"] for r in j["rules"]}
    assert by_kind["claim_window"].startswith("如因作品内容")
    assert "非国际在线" in by_kind["third_party_marker"]
    assert "律师费" in by_kind["infringer_costs"]


def test_packaged_publisher_declaration_means_the_same_as_the_seed(seed_page: Path) -> None:
    packaged = publisher_declaration().to_json()
    seed = parse_declaration(_seed_declaration(seed_page)).to_json()
    for key in ("owned_markers", "third_party_marker", "exceptions", "prohibited_actions", "credit_line",
                "infringer_costs", "claim_window", "uninterpreted", "operator", "rights_manager"):
        assert packaged[key] == seed[key], key
    assert packaged["version"] == "cri-footer-2021"


def test_packaged_declaration_without_shared_data() -> None:
    d = publisher_declaration()
    assert [m.text for m in d.owned_markers] == CRI_MARKERS
    assert d.claim_window is not None and d.claim_window.days == 30 and d.claim_window.anchor == "event"
    assert d.uninterpreted == ()


def test_marker_placeholder_matches_a_place_name() -> None:
    m = marker_from_text("国际在线XX消息")
    assert m.kind == "dateline"
    hit = m.match("国际在线北京消息(记者 张三)")
    assert hit is not None and hit.group("wild") == "北京"
    assert m.match("新华社北京消息") is None
    src = marker_from_text("来源：国际在线")
    assert src.kind == "source" and src.text == "来源:国际在线" and src.value == "国际在线"
    third = marker_from_text("来源:XXX（非国际在线）")
    hit = third.match("来源：新华网（非国际在线）")
    assert hit is not None and hit.group("wild") == "新华网"


def test_quote_styles_and_publication_anchor() -> None:
    text = (
        "凡本站注明「来源：江城日报」的作品，版权均属于江城日报社，未经许可不得转载、改编、翻译。\n"
        "获得授权的，转载时须注明『来源：江城日报』。\n"
        "如有异议，请于作品刊发之日起十五日内与本站联系。"
    )
    d = parse_declaration(text, effective=date(2024, 1, 1))
    assert [m.text for m in d.owned_markers] == ["来源:江城日报"]
    assert d.site == "江城日报"
    assert d.holder == "江城日报社"
    assert d.prohibited_actions == ("derive", "distribute", "modify", "reproduce", "translate")
    assert d.credit_line == "来源:江城日报"
    assert d.claim_window is not None and (d.claim_window.days, d.claim_window.anchor) == (15, "publication")
    assert d.version == "2024-01-01" and d.effective == date(2024, 1, 1)


def test_english_declaration() -> None:
    text = ("Copyright © 2024 Example News Ltd. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed without prior written permission.")
    d = parse_declaration(text)
    assert d.holder == "Example News Ltd"
    assert d.all_rights_reserved
    assert d.prohibited_actions == ("distribute", "modify")
    assert d.written_permission_required
    assert d.uninterpreted == ()


def test_unknown_sentences_are_reported_not_guessed() -> None:
    d = parse_declaration("未经授权不得转载。今天天气很好，我们去公园散步。")
    assert d.prohibited_actions == ("distribute", "reproduce")
    assert d.uninterpreted == ("今天天气很好，我们去公园散步。",)


def test_chinese_numbers_and_sentences() -> None:
    assert [chinese_number(s) for s in ("30", "三十", "十五", "十", "一百二十", "两")] == [30, 30, 15, 10, 120, 2]
    assert split_sentences("1、第一句。第二句！\n\n②第三句") == ["第一句。", "第二句！", "第三句"]


# --------------------------------------------------------------------------- real declarations


def _notices(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "zh_copyright_and_source_notices" / "notices.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_real_notice_parses(shared_data: Path) -> None:
    rows = _notices(shared_data)
    assert len(rows) >= 200
    interpreted = 0
    for row in rows:
        d = parse_declaration(row["text"])
        json.dumps(d.to_json(), ensure_ascii=False)  # serialisable
        assert set(d.uninterpreted) <= set(d.sentences)
        if row["kind"] == "copyright" and not d.uninterpreted:
            interpreted += 1
    copyright_rows = sum(1 for r in rows if r["kind"] == "copyright")
    # most copyright lines are fully understood; the rest are reported, not dropped
    assert interpreted / copyright_rows >= 0.85


def _find(rows: list[dict[str, str]], start: str) -> str:
    hits = [r["text"] for r in rows if r["text"].startswith(start)]
    assert hits, f"no notice starting with {start!r}"
    return hits[0]


@pytest.mark.parametrize(
    ("start", "expect"),
    [
        # 振兴东北网: owned marker, holder, prohibition, credit duty, licensee scope
        ("① 凡本网注明“来源：振兴东北网”", {"owned_markers": ["来源:振兴东北网"], "holder": "国务院振兴东北地区等老工业基地领导小组办公室",
                                         "prohibited_actions": ["distribute", "extract", "modify", "reproduce", "use"],
                                         "credit_line": "来源:振兴东北网", "licence_scope_only": True, "uninterpreted": []}),
        # its reprint marker
        ("② 凡本网注明“来源：XXX（非振兴东北网）”", {"third_party_marker": "来源:XXX(非振兴东北网)", "owned_markers": [], "uninterpreted": []}),
        # 长江网: mirror prohibition
        ("长江互动传媒网版权所有", {"holder": "长江互动传媒网", "prohibited_actions": ["distribute", "reproduce"], "blanket": True}),
        # 大河网: written authorisation, no reprint or mirror
        ("未经大河网书面特别授权", {"prohibited_actions": ["distribute", "reproduce"], "written_permission_required": True}),
        # EDN: original work claim
        ("本文为EDN电子技术设计 原创文章", {"holder": "EDN电子技术设计", "blanket": True, "prohibited_actions": ["distribute", "reproduce"]}),
        # 光明网 style: licence + credit duty
        ("转载须经版权人书面授权并注明来源", {"credit_required": True, "credit_line": None, "written_permission_required": True,
                                       "prohibited_actions": ["distribute", "reproduce"]}),
        # 腾讯 / The Next Web: rights belong to a named party, excerpting forbidden
        ("【美国The Next Web作品的中文相关权益归腾讯公司独家所有", {"holder": "腾讯公司",
                                                          "prohibited_actions": ["distribute", "extract", "modify", "reproduce"]}),
        # 雅虎中国: claims the statutory reprint right; that is not a prohibition
        ("雅虎中国的所有内容均由其内容合作方根据协议提供", {"prohibited_actions": []}),
        # English with a holder
        ("Copyright © 2019 Phoenix New Media Limited", {"holder": "Phoenix New Media Limited", "all_rights_reserved": True,
                                                        "uninterpreted": []}),
        # 和讯: copying will be pursued
        ("Copyright©和讯网", {"prohibited_actions": ["reproduce"], "all_rights_reserved": True}),
        # a page-body sentence that merely mentions 未经…授权: not understood, and said so
        ("这也意味着，只要数据来源未经用户授权", {"prohibited_actions": [], "uninterpreted": ["这也意味着，只要数据来源未经用户授权，都存在法律风险。"]}),
        # a navigation bar with 版权声明 in it
        ("关于我们 | 网站公告", {"prohibited_actions": [], "uninterpreted": []}),
    ],
)
def test_selected_real_notices(shared_data: Path, start: str, expect: dict[str, object]) -> None:
    d = parse_declaration(_find(_notices(shared_data), start)).to_json()
    for key, want in expect.items():
        assert d[key] == want, (key, d[key])


def test_yahoo_reprint_right_and_law_are_read(shared_data: Path) -> None:
    d = parse_declaration(_find(_notices(shared_data), "雅虎中国的所有内容"))
    kinds = {r.kind for r in d.rules}
    assert {"reprint_right", "legal_basis"} <= kinds
    assert any("著作权纠纷" in law for law in d.legal_basis)


def test_every_prohibited_act_maps_to_odrl() -> None:
    d = parse_declaration("未经本网书面授权，任何人不得转载、摘编、复制、建立镜像、下载、链接、改编、翻译、汇编本网作品。")
    assert [p.term for p in d.prohibited_acts] == ["转载", "摘编", "复制", "建立镜像", "下载", "链接", "改编", "翻译", "汇编"]
    assert {p.term: p.actions for p in d.prohibited_acts}["建立镜像"] == ("reproduce", "distribute")
    assert d.prohibited_actions == (
        "aggregate", "archive", "derive", "distribute", "extract", "index", "modify", "reproduce", "translate"
    )
    assert d.written_permission_required
