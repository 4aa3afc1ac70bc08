"""The API and the web pages over the demo data: findings with verdicts, the side-by-side view,
escaping of planted hostile content, the licensee portal's restrictions, cases, claims, licences,
language switch, audit trail and the scan rate limit."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.unit.web.support import (
    HOSTILE_LINE,
    HOSTILE_TITLE,
    api_client,
    browser_client,
    make_app,
    seed_demo,
)

RAW_HOSTILE = ("<script>alert", "<img src=x onerror", 'onerror="alert', "<a href=javascript", "<b>x</b>")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("webdemo")
    app = make_app(f"sqlite:///{home / 'demo.sqlite'}", home, login_burst=100)
    return app, seed_demo(app)


def assert_escaped(html: str) -> None:
    for raw in RAW_HOSTILE:
        assert raw not in html, f"unescaped scraped content {raw!r} in the page"
    # the only scripts are our own static ones
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/htmx.min.js" defer>']


def test_findings_api_has_verdicts_and_summary(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    c = api_client(app, "analyst")
    recorded = sum(len(ids) for ids in info["findings"].values())
    assert recorded >= 8
    page = c.get("/api/v1/findings", params={"limit": 200}).json()
    assert len(page["items"]) == recorded and page["next_offset"] is None
    verdicts = {urlsplit(f["page_url"]).hostname: f["verdict"] for f in page["items"]}
    assert verdicts["copycat.example"] == "unlicensed"
    assert verdicts["partner.example"] in ("licensed_credited", "licensed_uncredited")
    only = c.get("/api/v1/findings", params={"verdict": "unlicensed"}).json()["items"]
    assert only and all(f["verdict"] == "unlicensed" for f in only)
    two = c.get("/api/v1/findings", params={"limit": 2, "offset": 2}).json()
    assert len(two["items"]) == 2 and two["next_offset"] == 4
    one = c.get(f"/api/v1/findings/{info['hostile_id']}").json()
    assert one["spans"] and HOSTILE_LINE in one["page_text"]
    assert c.get("/api/v1/findings/99999").status_code == 404
    summary = c.get("/api/v1/reports/summary").json()
    assert summary["total"] == recorded
    assert sum(i["count"] for i in summary["by_verdict"]) == recorded
    assert "copycat.example" in [i["key"] for i in summary["top_infringing_sites"]]
    forum = c.get("/api/v1/articles", params={"q": "论坛"}).json()["items"]
    if forum:
        copies = c.get(f"/api/v1/articles/{forum[0]['id']}/findings").json()
        assert all(f["article_id"] == forum[0]["id"] for f in copies)


def test_scan_text_finds_an_excerpt_with_spans(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    forum = info["articles"]["001_silk_road_forum"]
    text = "编者按：以下内容摘自网络。\n\n" + "\n\n".join(forum.body[:3])
    r = api_client(app, "legal").post("/api/v1/scans/text", json={"text": text, "url": "https://blog.example/p/1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] >= 1 and body["recorded"] == []
    f = body["findings"][0]
    assert f["verdict"] == "unlicensed" and f["spans"]
    s = f["spans"][0]
    assert text[s["page_start"]:s["page_end"]] in forum.text  # spans point into the sent text
    assert api_client(app, "sales").post("/api/v1/scans/text", json={"text": text}).status_code == 403


def test_pages_escape_planted_content(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    c, _ = browser_client(app, "admin")
    hostile = info["hostile_id"]
    for path in ("/dashboard", "/findings", f"/findings/{hostile}", "/articles", "/search?q=%3Cscript%3E",
                 "/cases", f"/cases/{info['case_id']}", "/claims", "/licences"):
        r = c.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        assert_escaped(r.text)
        assert "Content-Security-Policy" in r.headers and "script-src 'self'" in r.headers["Content-Security-Policy"]
    page = c.get(f"/findings/{hostile}").text
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # the title, escaped
    assert "IGNORE ALL PREVIOUS INSTRUCTIONS" in page  # shown as data, verdict unchanged
    assert 'id="verdict"' in page and "verdict unlicensed" in page
    assert HOSTILE_TITLE not in page


def test_side_by_side_marks_reuse_and_missing_credit(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    c, _ = browser_client(app, "analyst")
    copycat = info["findings"]["http://copycat.example/article/889.html"][0]
    html = c.get(f"/findings/{copycat}").text
    article_pane = html.split('id="pane-article"')[1].split("</section>")[0]
    copy_pane = html.split('id="pane-copy"')[1].split("</section>")[0]
    assert '<mark class="reused" id="a0">' in article_pane and '<mark class="reused" id="p0">' in copy_pane
    assert 'id="credit-missing"' in html and "来源:国际在线" in html
    credited = [i for i in info["partner_ids"]]
    pages = [c.get(f"/findings/{i}").text for i in credited]
    assert any('id="credit-ok"' in p for p in pages), "a credited licensed copy shows the credit as present"


def test_licensee_sees_only_its_own_use(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    lic = api_client(app, "licensee")
    mine = lic.get("/api/v1/portal/findings").json()
    hosts = {urlsplit(f["page_url"]).hostname for f in mine}
    assert hosts and hosts <= {"partner.example", "mirror.partner.example"}
    assert {f["id"] for f in mine} == set(info["partner_ids"]) | set(info["mirror_ids"])
    contracts = lic.get("/api/v1/portal/licences").json()
    assert contracts and {c["assignee"] for c in contracts} == {info["party"]}
    assert lic.get("/api/v1/portal/content").json()["whole_catalog"] is True
    for path in ("/api/v1/findings", "/api/v1/licences", "/api/v1/articles", "/api/v1/cases", "/api/v1/claims",
                 f"/api/v1/findings/{info['other_ids'][0]}", "/api/v1/reports/summary"):
        assert lic.get(path).status_code == 403, path
    c, _ = browser_client(app, "licensee")
    portal = c.get("/portal").text
    assert "合作伙伴新闻网" in portal and "copycat.example" not in portal and "oldpartner" not in portal
    assert f"/portal/findings/{info['partner_ids'][0]}" in portal
    assert c.get(f"/portal/findings/{info['partner_ids'][0]}").status_code == 200
    for other in info["other_ids"]:
        assert c.get(f"/portal/findings/{other}").status_code == 404
    assert c.get("/dashboard").status_code == 403
    assert c.get("/", follow_redirects=False).headers["location"] == "/portal"


def test_case_page_timeline_costs_and_claims_deadlines(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    c, csrf = browser_client(app, "legal")
    html = c.get(f"/cases/{info['case_id']}").text
    assert "evidence_captured" in html and "capture_evidence" in html
    assert re.search(r'id="cost-total">¥1200\.50?<', html)
    claims = c.get("/claims").text
    assert "某作者" in claims and re.search(r"\d{4}-\d{2}-\d{2}", claims)
    api = api_client(app, "legal")
    case = api.get(f"/api/v1/cases/{info['case_id']}").json()
    assert Decimal(case["ledger"]["total_yuan"]) == Decimal("1200.50") and case["state"] == "evidence_captured"
    r = api.post(f"/api/v1/cases/{info['case_id']}/moves", json={"to": "litigation"})
    assert r.status_code == 409 and r.json()["type"].endswith("illegal_transition")
    r = api.post(f"/api/v1/cases/{info['case_id']}/moves", json={"to": "reviewed", "note": "ok"})
    assert r.status_code == 200 and r.json()["state"] == "reviewed"
    assert api.get("/api/v1/claims").json()["items"][0]["claimant"] == "某作者"
    page = c.get(f"/cases/{info['case_id']}").text
    assert 'value="notice_sent"' in page and 'value="closed:withdrawn"' in page  # the legal moves only
    assert 'value="litigation"' in page and 'value="closed:won"' not in page
    r = c.post(f"/cases/{info['case_id']}/move", data={"csrf_token": csrf, "to": "notice_sent", "note": "寄出"},
               follow_redirects=False)
    assert r.status_code == 303
    assert api.get(f"/api/v1/cases/{info['case_id']}").json()["state"] == "notice_sent"
    bad = c.post(f"/cases/{info['case_id']}/move", data={"csrf_token": csrf, "to": "closed:won"})
    assert bad.status_code == 409
    assert api_client(app, "sales").get(f"/api/v1/cases/{info['case_id']}").status_code == 403


def test_licence_editor_saves_and_audits(demo) -> None:  # type: ignore[no-untyped-def]
    app, _ = demo
    c, csrf = browser_client(app, "sales")
    form = c.get("/licences/edit").text
    assert 'name="csrf_token"' in form
    r = c.post("/licences/edit", data={"csrf_token": csrf, "licensee": "晨报网", "domains": "morning.example",
                                       "actions": ["reproduce"], "start": "2026-01-01", "end": "2026-12-31",
                                       "credit": "来源:国际在线"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    listing = c.get("/licences").text
    assert "晨报网" in listing
    bad = c.post("/licences/edit", data={"csrf_token": csrf, "licensee": "晨报网", "start": "2026-12-31",
                                         "end": "2026-01-01"})
    assert bad.status_code == 400 and 'id="licence-error"' in bad.text
    from newsrights.services.audit import iter_entries

    with app.state.nr.factory() as s:
        entries = [e for e in iter_entries(s) if e.action == "licence.save"]
    assert entries and entries[-1].actor == "sales1"
    api = api_client(app, "analyst")
    assert api.post("/api/v1/licences", json={"licensee": "x"}).status_code == 403
    uid = next(item["uid"] for item in api.get("/api/v1/licences").json()["items"] if item["assignee_name"] == "晨报网")
    assert api.get(f"/api/v1/licences/{uid}").json()[0]["version"] == 1


def test_language_switch_and_check_form(demo) -> None:  # type: ignore[no-untyped-def]
    app, info = demo
    c, csrf = browser_client(app, "analyst")
    assert "版权监测概览" in c.get("/dashboard").text
    c.get("/lang/en?next=/dashboard")
    en = c.get("/dashboard").text
    assert "Rights monitoring overview" in en and "<svg" in en and 'lang="en"' in en
    forum = info["articles"]["001_silk_road_forum"]
    r = c.post("/check", data={"csrf_token": csrf, "text": "\n\n".join(forum.body[:2]) + "\n\n<script>x</script>"})
    assert r.status_code == 200 and 'id="result-count">1<' in r.text and "<mark" in r.text
    assert_escaped(r.text.replace("<script>x</script>", "")) if "<script>x</script>" not in r.text else pytest.fail(
        "check text rendered unescaped")
    assert c.post("/check", data={"text": "abc"}).status_code == 403  # no CSRF token


def test_scan_rate_limit(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'rl.sqlite'}", tmp_path, scan_burst=3, scan_rate=0.01)
    c = api_client(app, "analyst")
    codes = [c.post("/api/v1/scans/text", json={"text": "一段与任何稿件无关的文字。"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_openapi_is_served_and_lists_the_resources(demo) -> None:  # type: ignore[no-untyped-def]
    app, _ = demo
    schema = TestClient(app, base_url="https://testserver").get("/openapi.json").json()
    paths = set(schema["paths"])
    for p in ("/api/v1/articles", "/api/v1/declarations", "/api/v1/licences", "/api/v1/scans/text",
              "/api/v1/scans/url", "/api/v1/findings", "/api/v1/cases", "/api/v1/evidence", "/api/v1/claims",
              "/api/v1/reports/summary", "/api/v1/portal/findings"):
        assert p in paths, p
    assert not any(p.startswith(("/dashboard", "/login")) for p in paths)  # pages are not API


def test_scan_url_fetches_checks_and_records(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from newsrights.crawl.fetcher import FetchConfig, Fetcher
    from newsrights.crawl.local_site import serve_folder

    app, info = demo
    forum = info["articles"]["001_silk_road_forum"]
    paras = "".join(f"<p>{p}</p>" for p in forum.body)
    (tmp_path / "copy.html").write_text(
        f"<html><head><meta charset='utf-8'><title>转载：论坛</title></head><body><article><h1>转载：论坛</h1>"
        f"{paras}</article></body></html>", encoding="utf-8")
    app.state.nr._fetcher = Fetcher(FetchConfig(retries=0, delay=0.0, allow_networks=("127.0.0.0/8",)))
    api = api_client(app, "analyst")
    try:
        with serve_folder(tmp_path) as site:
            r = api.post("/api/v1/scans/url", json={"url": site("copy.html")})
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["count"] >= 1 and len(body["recorded"]) == body["count"]
            assert body["findings"][0]["label"] == "whole" and body["findings"][0]["verdict"] == "unlicensed"
            again = api.post("/api/v1/scans/url", json={"url": site("copy.html")}).json()
            assert again["recorded"] == body["recorded"]  # recording is idempotent
            missing = api.post("/api/v1/scans/url", json={"url": site("nope.html")})
            assert missing.status_code == 400 and missing.headers["content-type"] == "application/problem+json"
        stored = api.get(f"/api/v1/findings/{body['recorded'][0]}").json()
        assert stored["page_url"].endswith("/copy.html")
    finally:
        app.state.nr._fetcher = None
