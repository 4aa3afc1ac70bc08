"""ninjs export: rights fields from ownership and declaration, both field-name styles, and a round trip."""

from __future__ import annotations

import json
from datetime import datetime

from newsrights.core.declaration import publisher_declaration
from newsrights.core.model import CHINA_TZ, Article, Ownership
from newsrights.core.ninjs_export import to_ninjs, usage_terms

DECL = publisher_declaration()
ART = Article(
    body=("第一段正文，讲了一件事。", "第二段正文。"),
    title="主标题",
    original_title="原来的标题",
    published=datetime(2024, 3, 1, 10, 0, tzinfo=CHINA_TZ),
    source="国际在线",
    dateline="国际在线北京消息",
    byline="记者 张三",
    uri="urn:test:x",
    raw_sha256="ab" * 32,
)
OWNED = Ownership("owned", holder="国际在线", marker="来源:国际在线", declaration_version=DECL.version)


def test_owned_article_carries_the_publisher_rights() -> None:
    d = to_ninjs(ART, OWNED, article_id="art_1", declaration=DECL, version=2,
                 version_created=datetime(2024, 3, 2, tzinfo=CHINA_TZ))
    assert d["uri"] == "urn:test:x"
    assert d["copyrightHolder"] == {"name": "国际在线"}
    assert d["copyrightNotice"].startswith("© 国际在线 (中国国际广播电台)")
    assert "转载、摘编、复制、使用、销售" in d["usageTerms"] and "来源:国际在线" in d["usageTerms"]
    assert "国广国际在线网络(北京)有限公司" in d["usageTerms"]
    assert d["headlines"] == [{"role": "main", "value": "主标题"}, {"role": "original", "value": "原来的标题"}]
    assert d["by"] == "记者 张三" and d["located"] == "国际在线北京消息"
    assert d["firstCreated"] == "2024-03-01T10:00:00+08:00"
    assert d["versionCreated"] == "2024-03-02T00:00:00+08:00"
    alt = {a["role"]: a["value"] for a in d["altIds"]}
    assert alt == {"catalog-id": "art_1", "sha256": ART.sha256, "version": "2", "raw-sha256": "ab" * 32}
    assert d["bodies"][0]["value"] == "第一段正文，讲了一件事。\n第二段正文。"
    assert d["$standard"]["version"] == "3.0"
    json.dumps(d, ensure_ascii=False)


def test_ninjs_2_uses_lower_case_names() -> None:
    d = to_ninjs(ART, OWNED, article_id="art_1", declaration=DECL, ninjs_version="2")
    assert d["copyrightholder"] == "国际在线"
    assert {"firstcreated", "versioncreated", "copyrightnotice", "usageterms", "altids"} <= set(d)
    assert d["bodies"][0]["contenttype"] == "text/plain"
    assert not any(k[0].isupper() or any(c.isupper() for c in k) for k in d if k != "$standard")


def test_third_party_and_undecided_terms() -> None:
    third = Ownership("third_party", holder="辽宁日报")
    d = to_ninjs(ART.with_(source="辽宁日报"), third, article_id="art_2", declaration=DECL)
    assert d["copyrightHolder"] == {"name": "辽宁日报"}
    assert "cannot license" in d["usageTerms"]
    review = Ownership("needs_review")
    d2 = to_ninjs(ART, review, article_id="art_3", declaration=DECL)
    assert "copyrightHolder" not in d2 and "copyrightNotice" not in d2
    assert usage_terms(review, DECL).startswith("Rights not determined")


def test_round_trip_through_the_ninjs_reader() -> None:
    from newsrights.ingest import read_bytes

    for version in ("3", "2"):
        doc = to_ninjs(ART, OWNED, article_id="art_1", declaration=DECL, ninjs_version=version)  # type: ignore[arg-type]
        (back,) = read_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"), origin="x.json")
        assert isinstance(back, Article), back
        assert back.sha256 == ART.sha256
        assert back.title == ART.title and back.byline == ART.byline and back.dateline == ART.dateline
        assert back.published == ART.published
        assert back.uri == ART.uri
