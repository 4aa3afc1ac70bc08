"""Each input format read end to end: HTML in several charsets, ninjs 2.x/3.x/JSON Lines, WARC, feeds, folders."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsrights.core.model import Article, Rejected
from newsrights.ingest import detect_format, read_bytes, read_path
from newsrights.ingest.encoding import decode
from newsrights.ingest.html import fast_text

BODY = [
    "国际在线消息（记者 张三）：8月18日，某市召开经济工作会议，研究部署下半年经济工作，会议由市长主持。",
    "会议指出，上半年全市经济运行总体平稳，主要指标好于预期，新动能加快成长，民生保障有力有效。",
    "会议强调，要坚持稳中求进工作总基调，扎实做好稳增长、促改革、调结构、惠民生、防风险各项工作。",
    "会议要求，各部门要压实责任，狠抓落实，确保完成全年目标任务，以优异成绩迎接党的二十大胜利召开。",
]


def news_html(charset: str = "utf-8", declared: str | None = None) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"""<!DOCTYPE html><html lang="zh-CN"><head>
<meta charset="{declared or charset}">
<title>某市召开经济工作会议_国际在线</title>
<meta property="og:site_name" content="国际在线">
</head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/n">新闻</a> &gt; 正文</div>
<h1>某市召开经济工作会议</h1>
<div class="info">2021-08-19 09:40:53 来源：国际在线 编辑：王巍 责编：李胜兰</div>
<div class="article">{paras}</div>
<div class="share">分享到：</div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/1">某市经济运行平稳</a></li></ul></div>
<div class="footer"><p>国际在线版权与信息产品内容销售的声明</p>
<p>1、凡本网注明“来源:国际在线”的所有信息内容，未经书面授权，任何单位及个人不得转载、摘编、复制或利用其他方式使用。</p>
<p>Copyright © 2021 CRI Online. All Rights Reserved.</p></div>
</body></html>"""
    return html.encode(charset)


def _one(items: list[Article | Rejected]) -> Article:
    arts = [i for i in items if isinstance(i, Article)]
    assert len(arts) == 1, items
    return arts[0]


@pytest.mark.parametrize(
    ("charset", "declared"),
    [("utf-8", None), ("gb18030", "gbk"), ("gb18030", "utf-8"), ("big5", "big5"), ("big5", None)],
)
def test_html_page_in_any_charset(charset: str, declared: str | None) -> None:
    data = news_html(charset, declared) if charset != "big5" else _big5_page(declared)
    a = _one(read_bytes(data, origin="page.html", url="https://news.example/1.html"))
    if charset == "big5":
        assert a.title == "某市召開經濟工作會議"
        assert a.body[0].startswith("8月18日，某市召開")
        return
    assert a.title == "某市召开经济工作会议"
    assert a.published is not None and a.published.isoformat() == "2021-08-19T09:40:53+08:00"
    assert a.source == "国际在线"
    assert a.editor == "王巍" and a.responsible_editor == "李胜兰"
    assert a.dateline == "国际在线消息"
    assert a.byline == "记者 张三"
    assert a.body[0].startswith("8月18日，某市召开经济工作会议")
    assert len(a.body) == 4
    assert "相关新闻" not in a.text and "分享到" not in a.text and "版权" not in a.text
    assert a.declaration is not None and a.declaration.startswith("国际在线版权与信息产品内容销售的声明")
    assert "不得转载" in a.declaration
    assert a.copyright_notice is not None and "Copyright" in a.copyright_notice
    assert a.site == "国际在线"
    assert a.url == "https://news.example/1.html"
    assert a.language == "zh"


def _big5_page(declared: str | None) -> bytes:
    body = "".join(
        f"<p>{p}</p>"
        for p in [
            "8月18日，某市召開經濟工作會議，研究部署下半年經濟工作，會議由市長主持，各部門負責人參加。",
            "會議指出，上半年全市經濟運行總體平穩，主要指標好於預期，新動能加快成長，民生保障有力有效。",
            "會議強調，要堅持穩中求進工作總基調，紮實做好穩增長、促改革、調結構、惠民生、防風險各項工作。",
        ]
    )
    meta = f'<meta charset="{declared}">' if declared else ""
    html = f"<html><head>{meta}<title>某市召開經濟工作會議</title></head><body><h1>某市召開經濟工作會議</h1>{body}</body></html>"
    return html.encode("big5")


def test_wrong_declared_charset_is_detected() -> None:
    text = "".join(BODY)
    data = text.encode("gb18030")
    decoded, codec = decode(data, "utf-8")
    assert decoded == text and codec == "gb18030"
    decoded, codec = decode(text.encode("utf-8"), "gbk")
    assert decoded == text and codec == "utf-8"


def test_fast_text() -> None:
    title, text = fast_text(news_html())
    assert title == "某市召开经济工作会议_国际在线"
    assert BODY[1] in text.splitlines()
    assert "<p>" not in text


def test_ninjs_2_lowercase() -> None:
    doc = {
        "uri": "urn:cri:2021:1",
        "headline": "某市召开经济工作会议",
        "body_text": "\n".join(BODY),
        "versioncreated": "2021-08-19T09:40:53+08:00",
        "firstcreated": "2021-08-19T01:40:00Z",
        "byline": "记者 张三",
        "copyrightholder": "国际在线",
        "copyrightnotice": "© 国际在线",
        "usageterms": "未经授权不得转载",
        "located": "北京",
    }
    a = _one(read_bytes(json.dumps(doc, ensure_ascii=False).encode(), origin="a.json"))
    assert a.title == "某市召开经济工作会议"
    assert a.uri == "urn:cri:2021:1"
    assert a.published == datetime(2021, 8, 19, 1, 40, tzinfo=UTC)
    assert a.byline == "记者 张三"
    assert a.copyright_notice == "© 国际在线"
    assert ("usage_terms", "未经授权不得转载") in a.extra
    assert a.dateline == "北京"
    assert a.body[0].startswith("8月18日")


def test_ninjs_3_camelcase_array_and_html_body() -> None:
    docs = [
        {
            "uri": "urn:x:1",
            "headlines": [{"role": "main", "value": "主标题"}, {"role": "original", "value": "原来的标题"}],
            "bodies": [{"contentType": "text/html", "value": "".join(f"<p>{p}</p>" for p in BODY[1:])}],
            "versionCreated": "2021-08-19T09:40:53+08:00",
            "by": "张三",
            "copyrightHolder": "国际在线",
            "usageTerms": "仅限授权使用",
            "altIds": [{"role": "sha256", "value": "abc"}],
        },
        {"uri": "urn:x:2", "headlines": [{"value": "空"}], "bodies": []},
    ]
    items = read_bytes(json.dumps(docs, ensure_ascii=False).encode(), origin="b.json")
    a, r = items
    assert isinstance(a, Article) and isinstance(r, Rejected)
    assert a.title == "主标题" and a.original_title == "原来的标题"
    assert a.body == tuple(BODY[1:])
    assert a.byline == "张三" and a.source == "国际在线"
    assert any(k == "alt_ids" for k, _ in a.extra)
    assert r.reason == "no_body" and r.origin == "b.json#1"


def test_ninjs_json_lines_with_a_bad_line() -> None:
    lines = [
        json.dumps({"headline": "一", "body_text": BODY[0]}, ensure_ascii=False),
        "{not json",
        json.dumps({"headline": "二", "body_text": BODY[1]}, ensure_ascii=False),
    ]
    items = read_bytes("\n".join(lines).encode(), origin="c.jsonl")
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"]
    assert (
        isinstance(items[1], Rejected) and items[1].reason == "bad_json" and items[1].origin == "c.jsonl#L2"
    )


def _warc(pages: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers)
        writer.write_record(rec)
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url + ".png", "response", payload=io.BytesIO(b"\x89PNG...."), http_headers=img
            )
        )
    return buf.getvalue()


def test_warc_pages_and_truncation(tmp_path: Path) -> None:
    data = _warc([("https://a.example/1", news_html()), ("https://a.example/2", news_html())])
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(data)
    items = list(read_path(f))
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
    a = items[0]
    assert isinstance(a, Article)
    assert a.url == "https://a.example/1" and a.origin.startswith(str(f) + "#")
    assert a.fetched is not None and a.fetched.tzinfo is not None
    assert a.title == "某市召开经济工作会议"
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.7)])
    items = list(read_path(cut))
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Rejected) and items[-1].reason == "truncated_warc"


def test_real_warc_samples(shared_data: Path) -> None:
    base = shared_data / "warc_samples" / "warcio_test_data"
    items = list(read_path(base / "example.warc.gz"))
    assert len(items) == 1 and isinstance(items[0], Article) and items[0].url == "http://example.com/"
    trunc = list(read_path(base / "example-trunc.warc"))
    assert any(isinstance(i, Rejected) and i.reason == "truncated_warc" for i in trunc)
    bad = list(read_path(base / "example-bad-non-chunked.warc.gz"))
    assert bad and isinstance(bad[-1], Rejected) and bad[-1].reason in ("bad_warc", "truncated_warc")


def test_rss_and_atom_feeds() -> None:
    rss = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>国际在线</title>
<copyright>© 国际在线</copyright>
<item><title>某市召开经济工作会议</title><link>https://a.example/1</link><guid>urn:1</guid>
<pubDate>Thu, 19 Aug 2021 01:40:53 GMT</pubDate><description><![CDATA[{"".join(f"<p>{p}</p>" for p in BODY)}]]></description></item>
<item><title>空条目</title><link>https://a.example/2</link></item>
</channel></rss>""".encode()
    items = read_bytes(rss, origin="feed.xml")
    a, r = items
    assert isinstance(a, Article) and isinstance(r, Rejected) and r.reason == "no_body"
    assert a.title == "某市召开经济工作会议" and a.url == "https://a.example/1" and a.uri == "urn:1"
    assert a.published == datetime(2021, 8, 19, 1, 40, 53, tzinfo=UTC)
    assert a.dateline == "国际在线消息" and len(a.body) == 4
    assert a.copyright_notice == "© 国际在线"
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>站点</title>
<entry><title>标题</title><id>tag:x,2021:1</id><updated>2021-08-19T09:40:53+08:00</updated>
<author><name>张三</name></author><content type="html">&lt;p&gt;会议指出，上半年全市经济运行总体平稳。&lt;/p&gt;</content></entry></feed>""".encode()
    (b,) = read_bytes(atom, origin="atom.xml")
    assert (
        isinstance(b, Article)
        and b.byline == "张三"
        and b.body == ("会议指出，上半年全市经济运行总体平稳。",)
    )


def test_folder_recursive_sorted_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "page.html.gz").write_bytes(gzip.compress(news_html()))
    (tmp_path / "a.txt").write_text("标题一\n\n" + "\n\n".join(BODY), encoding="utf-8")
    (tmp_path / "c.json").write_text(
        json.dumps({"headline": "三", "body_text": BODY[2]}, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / ".hidden.txt").write_text("不读", encoding="utf-8")
    (tmp_path / "z.bin").write_bytes(b"\x00\x01\x02" * 100)
    items = list(read_path(tmp_path))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Article", "Rejected"]
    assert [Path(i.origin).name for i in items] == ["a.txt", "page.html.gz", "c.json", "z.bin"]
    assert isinstance(items[1], Article) and items[1].title == "某市召开经济工作会议"
    assert isinstance(items[3], Rejected) and items[3].reason == "binary"
    assert list(read_path(tmp_path)) == items  # stable


def test_detect_format() -> None:
    assert detect_format(b"WARC/1.0\r\n") == "warc"
    assert detect_format(b'{"headline": "x"}') == "ninjs"
    assert detect_format(b"<?xml version='1.0'?><rss>") == "feed"
    assert detect_format(b"<!doctype html><html>") == "html"
    assert detect_format("标题\n正文".encode()) == "text"
    assert detect_format(gzip.compress(b"x")) == "gzip"
    assert detect_format(b"plain", name="x.html") == "html"


def test_label_and_value_on_separate_lines() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>标题甲乙丙丁</title></head><body><h1>标题甲乙丙丁</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "<div>【纠错】</div><div>责任编辑：</div><div>焦鹏</div></body></html>"
    )
    a = _one(read_bytes(html.encode(), origin="x.html"))
    assert a.responsible_editor == "焦鹏"


def test_table_layout_page_uses_the_dense_block() -> None:
    nav = "".join(f"<td><a href='/{i}'>栏目{i}</a></td>" for i in range(30))
    text = "".join(f"{p}<br>" for p in BODY * 2)
    html = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'><title>旧式页面</title></head>"
        f"<body><table><tr>{nav}</tr></table><table><tr><td><font size=2>{text}</font></td></tr></table>"
        f"<table><tr>{nav}</tr></table></body></html>"
    )
    a = _one(read_bytes(html.encode("gb18030"), origin="old.html"))
    assert "会议指出，上半年全市经济运行总体平稳" in a.text
    assert "栏目3" not in a.text


def test_declared_page_with_a_few_broken_bytes_keeps_its_charset() -> None:
    text = "".join(BODY) * 3
    data = (
        b'<text encoding="gb2312">'
        + text.encode("gb18030")
        + b"\xff\xfe"
        + text.encode("gb18030")
        + b"</text>"
    )
    decoded, codec = decode(data, None if False else "gb2312")
    assert codec == "gb18030" and BODY[0][:20] in decoded
    from newsrights.ingest.encoding import sniff_declared

    assert sniff_declared(data) == "gb2312"
