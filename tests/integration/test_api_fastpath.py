"""The direct path of ``POST /api/v1/scans/text`` (``api.fastpath``) answers as the FastAPI route does.

Two apps on one database, one with the path and one without (``NEWSRIGHTS_SCAN_FAST_PATH=0``), get
the same requests: valid checks, bad bodies, missing and unknown tokens, a role without the
permission, a cookie session with and without its CSRF token, a limited client. The answers must
be equal (status, problem document or findings, security headers), and the path must have
answered exactly the ordinary ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsrights.core.model import Article
from newsrights.services import catalog
from tests.unit.web.support import browser_client, make_app, token_for

ART = Article(body=("国际在线消息：某地举行文化活动，数百名市民参加，现场气氛热烈。",
                    "活动持续三天，主办方表示明年还将继续举办，并邀请更多团体参加。",
                    "当地居民说，这样的活动丰富了大家的业余生活，希望多多举办。"),
              title="文化活动", url="https://news.cri.cn/20260101/c1.html", site="news.cri.cn", source="国际在线")
TEXT = "\n\n".join(ART.body)
PATH = "/api/v1/scans/text"


def _pair(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **config: Any) -> tuple[FastAPI, FastAPI]:
    monkeypatch.setenv("NEWSRIGHTS_SCAN_FAST_PATH", "1")
    fast = make_app(db_url, tmp_path / "fast", **config)
    catalog.ingest(fast.state.nr.factory, [ART])
    fast.state.nr.prepare_scanner()  # the path answers only once the index is open (else the app opens it)
    monkeypatch.setenv("NEWSRIGHTS_SCAN_FAST_PATH", "0")
    from newsrights.api.app import create_app
    from newsrights.api.config import WebConfig
    from newsrights.settings import Settings

    slow = create_app(Settings(db_url=db_url, home=tmp_path / "slow"),
                      config=WebConfig(secret="test-secret-" + "x" * 32, **config))  # type: ignore[arg-type]
    return fast, slow


def _answer(r: Any) -> tuple[int, Any, dict[str, str]]:
    """Status, JSON body without the moment of the check, and the headers that must agree."""
    body = r.json() if r.headers.get("content-type", "").endswith("json") else r.text
    if isinstance(body, dict):
        for f in body.get("findings", []):
            f.pop("found_at", None)
    keep = ("content-type", "content-security-policy", "x-content-type-options", "cache-control",
            "x-frame-options", "referrer-policy", "retry-after", "www-authenticate")
    return r.status_code, body, {k: r.headers[k] for k in keep if k in r.headers}


def test_same_answers_with_and_without_the_direct_path(db_url: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _pair(db_url, tmp_path, monkeypatch)
    analyst = {"Authorization": f"Bearer {token_for(fast, 'analyst')}"}
    licensee = {"Authorization": f"Bearer {token_for(fast, 'licensee')}"}
    cases: list[tuple[str, dict[str, str], Any, bool]] = [  # name, headers, json or raw bytes, fast?
        ("copy", analyst, {"text": "来源:国际在线\n\n" + TEXT, "url": "https://a.example/c.html"}, True),
        ("uncredited copy with title", analyst, {"text": TEXT, "title": "转载：文化活动"}, True),
        ("no match", analyst, {"text": "完全无关的一段文字，讲的是天气和交通。"}, True),
        ("hostile text", analyst, {"text": "<script>alert(1)</script>\n\n" + TEXT}, True),
        ("no token", {}, {"text": TEXT}, False),
        ("unknown token", {"Authorization": "Bearer nrt_not_a_token"}, {"text": TEXT}, False),
        ("licensee may not scan", licensee, {"text": TEXT}, False),
        ("empty text", analyst, {"text": ""}, False),
        ("unknown field", analyst, {"text": TEXT, "record": True}, False),
        ("text too long", analyst, {"text": "字" * 200_001}, False),
        ("not json", analyst, b"{text: nope", False),
        ("wrong type", analyst, {"text": 12}, False),
    ]
    with TestClient(fast, base_url="https://testserver") as cf, TestClient(slow, base_url="https://testserver") as cs:
        for name, headers, body, expect_fast in cases:
            before = getattr(fast.state, "scan_fast_answers", 0)
            kw: dict[str, Any] = {"json": body} if not isinstance(body, bytes) else {
                "content": body, "headers": {**headers, "Content-Type": "application/json"}}
            kw.setdefault("headers", headers)
            a, b = _answer(cf.post(PATH, **kw)), _answer(cs.post(PATH, **kw))
            assert a == b, name
            assert getattr(fast.state, "scan_fast_answers", 0) - before == int(expect_fast), name
            if expect_fast:
                assert a[0] == 200 and a[2]["cache-control"] == "no-store", name
        copy = cf.post(PATH, json=cases[0][2], headers=analyst).json()
        assert copy["count"] == 1 and copy["findings"][0]["label"] == "whole"
        # a cookie session goes through the app (CSRF is checked there), with or without its token
        for client in (cf, cs):
            c, csrf = browser_client(client.app, "analyst")  # type: ignore[arg-type]
            assert c.post(PATH, json={"text": TEXT}).status_code == 403
            assert c.post(PATH, json={"text": TEXT}, headers={"X-CSRF-Token": csrf}).json()["count"] == 1


def test_a_limited_client_is_refused_the_same_way(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _pair(db_url, tmp_path, monkeypatch, scan_rate=0.001, scan_burst=2)
    for app in (fast, slow):
        headers = {"Authorization": f"Bearer {token_for(app, 'analyst')}"}
        with TestClient(app, base_url="https://testserver") as c:
            codes = [c.post(PATH, json={"text": TEXT}, headers=headers).status_code for _ in range(4)]
            refused = c.post(PATH, json={"text": TEXT}, headers=headers)
        assert codes == [200, 200, 429, 429]
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["type"].endswith(":rate_limited")
    assert fast.state.scan_fast_answers == 2


def test_checks_keep_the_collector_young_and_sweep_everything_now_and_then(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    fast, _ = _pair(db_url, tmp_path, monkeypatch)
    st = fast.state.nr
    headers = {"Authorization": f"Bearer {token_for(fast, 'analyst')}"}
    try:
        assert st._gc_frozen and gc.get_freeze_count() > 0  # the index was frozen when opened
        monkeypatch.setattr(type(st), "GC_YOUNG_SECONDS", 0.0)
        kept = [[i] for i in range(5000)]  # long-lived objects made after the index was frozen
        before = gc.get_freeze_count()
        with TestClient(fast, base_url="https://testserver") as c:
            assert c.post(PATH, json={"text": TEXT}, headers=headers).json()["count"] == 1
        assert gc.get_freeze_count() >= before + len(kept)  # survivors frozen after the check
        monkeypatch.setattr(type(st), "GC_FULL_SECONDS", 0.0)
        cycle: list[object] = []
        cycle.append(cycle)
        gc.freeze()  # a cycle frozen while alive …
        del cycle
        garbage = gc.get_freeze_count()
        st.gc_tick()  # … is collected by the full sweep
        assert gc.get_freeze_count() < garbage
    finally:
        gc.unfreeze()


def test_a_failing_check_is_answered_by_the_app_as_any_error(db_url: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _pair(db_url, tmp_path, monkeypatch)
    from newsrights.api.routes import scans

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("index damaged")

    monkeypatch.setattr(scans, "check_text", broken)
    answers = []
    for app in (fast, slow):
        headers = {"Authorization": f"Bearer {token_for(app, 'analyst')}"}
        with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
            answers.append(_answer(c.post(PATH, json={"text": TEXT}, headers=headers)))
    assert answers[0] == answers[1]
    assert answers[0][0] == 500
    assert getattr(fast.state, "scan_fast_answers", 0) == 0


def test_the_first_of_two_authorization_headers_counts_as_in_the_app(db_url: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _pair(db_url, tmp_path, monkeypatch)
    for first, second, status in (("licensee", "analyst", 403), ("analyst", "licensee", 200)):
        got = []
        for app in (fast, slow):
            headers = [("Authorization", f"Bearer {token_for(app, first)}"),
                       ("Authorization", f"Bearer {token_for(app, second)}")]
            with TestClient(app, base_url="https://testserver") as c:
                got.append(c.post(PATH, json={"text": TEXT}, headers=headers).status_code)
        assert got == [status, status]
