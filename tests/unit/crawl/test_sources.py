"""Sources config, sitemap/feed/link parsers and archive readers."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from newsrights.core.model import Rejected
from newsrights.crawl.capture import CaptureWriter
from newsrights.crawl.sources import (
    Source,
    extract_links,
    iter_archive,
    load_config,
    parse_feed,
    parse_sitemap,
    read_url_list,
    sources_from_args,
)
from newsrights.errors import ConfigError

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://news.example.cn/2026/a.html</loc>
  <news:news><news:publication><news:name>Example</news:name><news:language>zh</news:language></news:publication>
   <news:publication_date>2026-11-20T08:00:00+08:00</news:publication_date><news:title>标题甲</news:title></news:news></url>
 <url><loc>/rel/b.html</loc><lastmod>2026-11-21</lastmod></url>
</urlset>""".encode()


def test_toml_config_with_every_kind_of_source(tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text("# watched pages\nhttps://a.example/1.html\n\nhttps://a.example/2.html\n")
    (tmp_path / "watch.toml").write_text(
        'name = "w"\nmax_pages = 50\n[fetch]\ndelay = 2.5\nallow_networks = ["127.0.0.1/32"]\n'
        '[[source]]\nsite = "https://s.example/"\ndepth = 2\n'
        '[[source]]\nsitemap = "https://s.example/sitemap.xml"\n'
        '[[source]]\nfeed = "https://s.example/rss"\n'
        '[[source]]\nurls = ["https://b.example/x"]\n'
        '[[source]]\nfile = "urls.txt"\n'
        '[[source]]\nwarc = "crawl.warc.gz"\n'
    )
    cfg = load_config(tmp_path / "watch.toml")
    assert cfg.run_name == "w" and cfg.max_pages == 50
    assert cfg.fetch.delay == 2.5 and cfg.fetch.allow_networks == ("127.0.0.1/32",)
    kinds = [(s.kind, s.target) for s in cfg.sources]
    assert kinds == [
        ("site", "https://s.example/"), ("sitemap", "https://s.example/sitemap.xml"), ("feed", "https://s.example/rss"),
        ("page", "https://b.example/x"), ("page", "https://a.example/1.html"), ("page", "https://a.example/2.html"),
        ("archive", str((tmp_path / "crawl.warc.gz").resolve())),
    ]
    assert cfg.sources[0].depth == 2


def test_json_config_and_bad_keys(tmp_path: Path) -> None:
    (tmp_path / "w.json").write_text('{"source": [{"feed": "https://f.example/atom"}], "fetch": {"retries": 1}}')
    cfg = load_config(tmp_path / "w.json")
    assert cfg.sources == (Source("feed", "https://f.example/atom"),) and cfg.fetch.retries == 1
    assert cfg.run_name.startswith("sources-")
    (tmp_path / "bad.toml").write_text('[fetch]\nspeed = 3\n[[source]]\nsite = "https://x/"\n')
    with pytest.raises(ConfigError, match="speed"):
        load_config(tmp_path / "bad.toml")
    (tmp_path / "bad2.toml").write_text('[[source]]\nnothing = 1\n')
    with pytest.raises(ConfigError):
        load_config(tmp_path / "bad2.toml")


def test_command_line_targets(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("https://a.example/1\n")
    got = sources_from_args(["https://p.example/x", "site:https://s.example/", "sitemap:https://s.example/sm.xml",
                             "feed:https://s.example/rss", str(tmp_path / "c.warc.gz"), str(tmp_path / "list.txt")])
    assert [s.kind for s in got] == ["auto", "site", "sitemap", "feed", "archive", "page"]
    with pytest.raises(ConfigError):
        sources_from_args(["not-a-thing"])
    assert read_url_list(" # c\nhttp://x/\n") == ["http://x/"]


def test_news_sitemap_and_gzip_and_index() -> None:
    pages, children, err = parse_sitemap(NEWS_SITEMAP, "https://news.example.cn/sitemap.xml")
    assert err is None and children == []
    assert [p.loc for p in pages] == ["https://news.example.cn/2026/a.html", "https://news.example.cn/rel/b.html"]
    assert pages[0].news_title == "标题甲" and pages[0].news_published.startswith("2026-11-20")
    assert parse_sitemap(gzip.compress(NEWS_SITEMAP))[0][0].loc.endswith("a.html")
    idx = b'<sitemapindex><sitemap><loc>https://x/s1.xml</loc></sitemap></sitemapindex>'
    assert parse_sitemap(idx)[1] == ["https://x/s1.xml"]


def test_sitemap_refuses_entities_and_reports_garbage() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<urlset><url><loc>https://x/&x;</loc></url></urlset>')
    pages, _, _ = parse_sitemap(xxe)
    assert all("root:" not in p.loc for p in pages)
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>")[2].startswith("bad_sitemap")
    assert parse_sitemap(b"\x1f\x8b garbage")[2] is not None


def test_feed_links_rss_and_atom() -> None:
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>/a.html</link></item><item><link>https://o/b</link></item></channel></rss>'
    links, err = parse_feed(rss, "https://s.example/rss")
    assert links == ["https://s.example/a.html", "https://o/b"] and err is None
    atom = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://s/x"/></entry></feed>'
    assert parse_feed(atom)[0] == ["https://s/x"]
    links, err = parse_feed(b"\x00\x01 not xml")
    assert links == [] and err


def test_links_same_host_absolute_without_fragments() -> None:
    html = (b'<html><body><a href="/a#top">a</a><a href="b.html">b</a><a href="https://other/x">o</a>'
            b'<a href="javascript:void(0)">j</a><a href="mailto:x@y">m</a><a href="/a">dup</a></body></html>')
    assert extract_links(html, "https://s.example/dir/page.html") == ["https://s.example/a", "https://s.example/dir/b.html"]


def test_archives_warc_and_wacz_and_garbage(tmp_path: Path) -> None:
    with CaptureWriter(tmp_path / "w", prefix="x") as w:
        for i in range(3):
            w.write(f"http://e/{i}", status=200, headers=[("Content-Type", "text/html")], body=f"<p>{i}</p>".encode())
    warc = next((tmp_path / "w").glob("*.warc.gz"))
    items = list(iter_archive(warc))
    assert [i.url for i in items] == ["http://e/0", "http://e/1", "http://e/2"]
    assert items[1].body == b"<p>1</p>" and items[1].key.startswith(str(warc) + "#")
    wacz = tmp_path / "p.wacz"
    with zipfile.ZipFile(wacz, "w") as z:
        z.write(warc, "archive/data.warc.gz")
        z.writestr("datapackage.json", "{}")
    assert [i.url for i in iter_archive(wacz)] == ["http://e/0", "http://e/1", "http://e/2"]
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a warc at all\r\n\r\n")
    out = list(iter_archive(junk))
    assert len(out) == 1 and isinstance(out[0], Rejected) and out[0].reason == "bad_warc"
    missing = list(iter_archive(tmp_path / "missing.warc.gz"))
    assert isinstance(missing[0], Rejected) and missing[0].reason == "unreadable"


def test_shared_broken_warcs_are_reported(shared_data: Path) -> None:
    d = shared_data / "warc_samples" / "warcio_test_data"
    bad = list(iter_archive(d / "example-bad-non-chunked.warc.gz"))
    assert isinstance(bad[-1], Rejected) and bad[-1].reason in ("bad_warc", "truncated_warc")
    arc = [i for i in iter_archive(d / "example.arc.gz") if not isinstance(i, Rejected)]
    assert arc and arc[0].url.startswith("http://example.com")
