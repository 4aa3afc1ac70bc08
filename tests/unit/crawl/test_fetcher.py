"""The fetcher against real loopback servers that misbehave, and against httpx.MockTransport."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from newsrights.crawl.fetcher import FetchConfig, Fetcher, parse_retry_after, sniff
from newsrights.crawl.local_site import Behaviour, serve_folder

PAGE = "<html><head><title>标题</title></head><body><p>正文内容。</p></body></html>".encode()

LOOPBACK = FetchConfig(
    allow_networks=("127.0.0.1/32",),
    delay=0.0,
    connect_timeout=2,
    read_timeout=1.0,
    total_timeout=2.5,
    max_bytes=200_000,
    backoff=0.05,
    retries=3,
)


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "p.html").write_bytes(PAGE)
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    return tmp_path


def test_plain_fetch_keeps_bytes_headers_and_ip(site_dir: Path) -> None:
    with serve_folder(site_dir) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("a.html"))
    assert r.ok, r.detail
    assert r.status == 200 and r.body == PAGE
    assert r.content_type and r.content_type.startswith("text/html")
    assert r.ip == "127.0.0.1"
    assert any(k.lower() == "user-agent" for k, _ in r.request_headers)


def test_loopback_is_refused_unless_allowed(site_dir: Path) -> None:
    with serve_folder(site_dir) as site, Fetcher(FetchConfig(delay=0, obey_robots=False)) as f:
        r = f.fetch(site("a.html"))
    assert r.error == "blocked_address" and r.outcome == "rejected"
    assert site.hits["/a.html"] == 0


def test_redirect_to_private_address_is_refused_on_the_hop(site_dir: Path) -> None:
    b = {"/go": Behaviour(redirect="http://169.254.169.254/latest/meta-data/")}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("go"))
    assert r.error == "blocked_address"
    assert r.redirects == (site("go"),)


def test_robots_txt_is_obeyed(site_dir: Path) -> None:
    with serve_folder(site_dir) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("private/p.html"))
        ok = f.fetch(site("a.html"))
    assert r.error == "robots_disallowed" and r.outcome == "rejected"
    assert ok.ok
    assert site.hits["/private/p.html"] == 0
    assert site.hits["/robots.txt"] == 1  # cached per origin


def test_robots_5xx_means_disallow_all(site_dir: Path) -> None:
    b = {"/robots.txt": Behaviour(status=500)}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("a.html"))
    assert r.error == "robots_disallowed"


def test_hanging_server_times_out(site_dir: Path) -> None:
    b = {"/hang.html": Behaviour(hang=30)}
    t0 = time.monotonic()
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("hang.html"))
    assert r.error == "read_timeout" and r.outcome == "fetch_error"
    assert time.monotonic() - t0 < 10


def test_trickling_server_is_cut_at_the_total_deadline(site_dir: Path) -> None:
    b = {"/a.html": Behaviour(trickle=0.05)}
    t0 = time.monotonic()
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("a.html"))
    assert r.error == "total_timeout"
    assert time.monotonic() - t0 < 8


def test_endless_body_is_cut_at_max_bytes(site_dir: Path) -> None:
    b = {"/inf": Behaviour(endless=True)}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("inf"))
    assert r.error == "too_large" and r.body == b""


def test_redirect_loop_is_detected(site_dir: Path) -> None:
    with serve_folder(site_dir) as site:
        pass
    b = {"/r1": Behaviour(redirect="/r2"), "/r2": Behaviour(redirect="/r1")}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("r1"))
    assert r.error == "redirect_loop"
    assert site.hits["/r1"] == 1 and site.hits["/r2"] == 1


def test_too_many_redirects(site_dir: Path) -> None:
    b = {f"/h{i}": Behaviour(redirect=f"/h{i + 1}") for i in range(10)}
    cfg = FetchConfig(**{**LOOPBACK.__dict__, "max_redirects": 3})
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(cfg) as f:
        r = f.fetch(site("h0"))
    assert r.error == "too_many_redirects"


def test_5xx_before_200_is_retried(site_dir: Path) -> None:
    b = {"/a.html": Behaviour(fail_times=2, fail_status=503)}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("a.html"))
    assert r.ok and r.body == PAGE and r.attempts == 3


def test_429_retry_after_is_respected(site_dir: Path) -> None:
    slept: list[float] = []
    b = {"/a.html": Behaviour(fail_times=1, fail_status=429, retry_after="1")}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK, sleep=slept.append) as f:
        r = f.fetch(site("a.html"))
    assert r.ok and 1.0 in slept


def test_persistent_5xx_gives_up_with_status(site_dir: Path) -> None:
    b = {"/a.html": Behaviour(status=502)}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("a.html"))
    assert r.error == "http_502" and r.attempts == LOOPBACK.retries + 1


def test_content_type_lies(site_dir: Path) -> None:
    b = {
        "/as-image": Behaviour(body=PAGE, content_type="image/png"),
        "/as-octets": Behaviour(body=PAGE, content_type="application/octet-stream"),
        "/png-as-html": Behaviour(body=(site_dir / "pic.png").read_bytes(), content_type="text/html"),
    }
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        img = f.fetch(site("as-image"))
        octets = f.fetch(site("as-octets"))
        png = f.fetch(site("png-as-html"))
    assert img.error == "unsupported_content_type" and img.outcome == "rejected"
    assert octets.ok and octets.content_type == "text/html"
    assert png.error == "unsupported_content_type"


def test_politeness_spaces_requests_to_one_host(site_dir: Path) -> None:
    cfg = FetchConfig(**{**LOOPBACK.__dict__, "delay": 0.2, "obey_robots": False})
    with serve_folder(site_dir) as site, Fetcher(cfg) as f:
        t0 = time.monotonic()
        for _ in range(4):
            assert f.fetch(site("a.html")).ok
        assert time.monotonic() - t0 >= 0.6


def test_mock_transport_seam() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})

    with Fetcher(FetchConfig(delay=0), transport=httpx.MockTransport(handler)) as f:
        r = f.fetch("https://news.example.org/old")
    assert r.ok and r.body == PAGE
    assert r.final_url == "https://news.example.org/new" or r.redirects == ("https://news.example.org/old",)
    assert calls == ["https://news.example.org/robots.txt", "https://news.example.org/old", "https://news.example.org/new"]


def test_sniff_and_retry_after_helpers() -> None:
    assert sniff("text/html", b"\x00\x01binary") is None
    assert sniff(None, b"  <!DOCTYPE html><html>") == "text/html"
    assert sniff("application/octet-stream", b'<?xml version="1.0"?><urlset/>') == "application/xml"
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_charset_lie_is_seen_through(site_dir: Path) -> None:
    gbk = "<html><head><meta charset='gbk'><title>新闻</title></head><body><p>国际在线消息：滨江市举办阅读节。</p></body></html>"
    b = {"/gbk.html": Behaviour(body=gbk.encode("gbk"), content_type="text/html; charset=utf-8")}
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("gbk.html"))
    assert r.ok and r.declared_charset == "utf-8"
    text, codec = r.text()
    assert "滨江市举办阅读节" in text and codec.lower().replace("-", "") in ("gbk", "gb18030", "gb2312")


def test_interval_parsing() -> None:
    from newsrights.cli.crawl import parse_interval
    from newsrights.errors import ConfigError

    assert parse_interval("90s") == 90 and parse_interval("1h30m") == 5400 and parse_interval("2") == 2
    assert parse_interval("1d") == 86400
    with pytest.raises(ConfigError):
        parse_interval("soon")


def test_trickled_headers_are_cut_at_the_total_deadline(site_dir: Path) -> None:
    b = {"/a.html": Behaviour(trickle_headers=0.02)}
    t0 = time.monotonic()
    with serve_folder(site_dir, behaviours=b) as site, Fetcher(LOOPBACK) as f:
        r = f.fetch(site("a.html"))
    assert r.error == "total_timeout" and r.outcome == "fetch_error"
    assert time.monotonic() - t0 < 8
