"""The demo's web: pages other (fictional) sites publish, generated from the publisher's articles.

Deterministic: the same publisher articles give byte-identical pages. Each page
says which verdict the demo expects for it and why, so ``newsrights demo`` can
show every verdict with its reasons and the tests can hold the demo to it.

The sites (all ``.example``, RFC 2606):

* ``partner.example`` — licensee 合作伙伴新闻网, licensed to reproduce on its own domain
  with the credit ``来源:国际在线``: one copy credited, one without the credit.
* ``mirror.partner.example`` — the same licensee copying onto a second domain.
* ``oldpartner.example`` — a licensee whose contract expired.
* ``digest.example`` — licensed to excerpt up to 30 % of an article; takes more.
* ``copycat.example`` — no licence; a whole copy in Taiwan traditional script.
* ``aggregator.example`` — no licence; two paragraphs inside another story.
* ``weather.example`` — reprints the 新华社 article the publisher itself reprinted.
* ``commentary.example`` — a short attributed quotation inside commentary.
* ``library.example`` — an unrelated page (no finding).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import resources

from newsrights.core.model import Article

PUBLISHER_DOMAIN = "news.cri.cn"


@dataclass(frozen=True, slots=True)
class WebPage:
    url: str
    html: bytes
    encoding: str
    expect: str  # expected verdict, or "none" for no finding
    why: str


def _data(name: str) -> str:
    return (resources.files("newsrights.demo") / "data" / name).read_text(encoding="utf-8")


def host_story(name: str) -> tuple[str, list[str]]:
    lines = [ln.strip() for ln in _data(f"hosts/{name}.txt").splitlines() if ln.strip()]
    return lines[0], lines[1:]


def _page(
    *,
    site_name: str,
    domain: str,
    title: str,
    paragraphs: list[str],
    meta: str,
    credit_top: str | None = None,
    credit_bottom: str | None = None,
    lang: str = "zh-CN",
    encoding: str = "utf-8",
    link_back: str | None = None,
) -> bytes:
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    top = f'<div class="source">{e(credit_top)}</div>' if credit_top else ""
    bottom = f'<p class="credit">{e(credit_bottom)}</p>' if credit_bottom else ""
    link = f'<p><a href="{e(link_back)}">原文链接</a></p>' if link_back else ""
    doc = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{encoding}"><title>{e(title)}_{e(site_name)}</title>
<meta property="og:title" content="{e(title)}"></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/news/">新闻</a> | <a href="/tech/">科技</a> | <a href="/about/">关于我们</a></div>
<div class="article">
<h1>{e(title)}</h1>
<div class="info">{e(meta)}</div>
{top}
<div class="content">
{body}
{bottom}
{link}
</div>
</div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/news/1.html">本站推荐阅读一</a></li><li><a href="/news/2.html">本站推荐阅读二</a></li></ul></div>
<div class="footer">Copyright © 2026 {e(site_name)} ({e(domain)}) 版权所有 未经本站书面授权不得转载</div>
</body></html>
"""
    return doc.encode(encoding, errors="xmlcharrefreplace")


def _traditional_tw(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("s2twp").convert(text))


def build_web_pages(articles: dict[str, Article]) -> list[WebPage]:
    """Pages of other sites, from the publisher's articles keyed by demo file stem
    (``001_silk_road_forum`` …)."""
    forum = articles["001_silk_road_forum"]
    port = articles["002_mombasa_port"]
    climate = articles["003_climate_agriculture"]
    snow = articles["004_snowfall_xinhua"]
    credit = "来源:国际在线"
    pages: list[WebPage] = []

    def add(domain: str, path: str, expect: str, why: str, **kw: object) -> None:
        enc = str(kw.get("encoding", "utf-8"))
        pages.append(WebPage(f"http://{domain}{path}", _page(domain=domain, **kw), enc, expect, why))  # type: ignore[arg-type]

    add(
        "partner.example", "/world/2026/1118/forum.html", "licensed_credited",
        "licensee copies on its own domain with the required credit",
        site_name="合作伙伴新闻网", title=forum.title or "", paragraphs=list(forum.body),
        meta="2026-11-18 12:00 来源:国际在线", credit_bottom=credit,
    )
    add(
        "partner.example", "/world/2026/1113/mombasa.html", "licensed_uncredited",
        "licensee copies in scope but drops the credit line",
        site_name="合作伙伴新闻网", title=port.title or "", paragraphs=list(port.body),
        meta="2026-11-13 09:00 作者:本站编辑",
    )
    add(
        "mirror.partner.example", "/a/climate.html", "out_of_scope",
        "the licensee's second domain is not a licensed location",
        site_name="合作伙伴新闻网镜像", title=climate.title or "", paragraphs=list(climate.body),
        meta="2026-11-21 08:00 来源:国际在线", credit_bottom=credit,
    )
    add(
        "oldpartner.example", "/n/forum.html", "out_of_scope",
        "the licensee's contract expired before this copy",
        site_name="旧伙伴资讯", title=forum.title or "", paragraphs=list(forum.body),
        meta="2026-11-19 10:00 来源:国际在线", credit_top=credit,
    )
    body = list(port.body)
    add(
        "digest.example", "/digest/mombasa.html", "out_of_scope",
        "excerpt licence allows 30% of an article; this page takes about 60%",
        site_name="新闻文摘网", title="港口观察：" + (port.title or ""), paragraphs=body[:3],
        meta="2026-11-14 07:00 来源:国际在线", credit_bottom=credit,
    )
    tw = [_traditional_tw(p) for p in port.body]
    add(
        "copycat.example", "/article/889.html", "unlicensed",
        "no licence; a whole copy converted to Taiwan traditional script, credit removed",
        site_name="快訊網", title=_traditional_tw(port.title or ""), paragraphs=tw,
        meta="2026-11-16 21:30 來源:快訊網", lang="zh-TW", encoding="big5",
    )
    h_title, h_paras = host_story("tech_column")
    add(
        "aggregator.example", "/mix/2026-11-19.html", "unlicensed",
        "no licence; two paragraphs of the forum report inside another story",
        site_name="聚合资讯", title=h_title,
        paragraphs=h_paras[:2] + list(forum.body[1:3]) + h_paras[2:],
        meta="2026-11-19 18:00 来源:聚合资讯", encoding="gbk",
    )
    add(
        "weather.example", "/snow.html", "not_ours",
        "the article is 新华社's; the publisher only reprinted it",
        site_name="天气资讯网", title=snow.title or "", paragraphs=list(snow.body),
        meta="2026-11-21 09:00 来源:新华社",
    )
    c_title, c_paras = host_story("city_briefs")
    quote = climate.body[1]
    add(
        "commentary.example", "/opinion/climate.html", "legal_review",
        "a short attributed quotation inside commentary: possible fair use",
        site_name="评论周刊", title="评论：农业适应气候变化，科研要走到田间",
        paragraphs=[
            "国际在线日前报道了一场关于气候适应型农业的研讨会。报道写道：“" + quote + "”",
            "笔者以为，这样的成果值得重视。育种只是第一步，更重要的是让农户用得起、用得上。",
            "各地在推广新品种时，应当同步完善保险和信贷支持，减少农户尝试新技术的后顾之忧。",
            c_paras[0],
        ],
        meta="2026-11-22 10:00 作者:周评", link_back=f"https://{PUBLISHER_DOMAIN}/climate.html",
    )
    u_title, u_paras = host_story("unrelated")
    add(
        "library.example", "/events/winter.html", "none", "an unrelated page: no finding",
        site_name="社区图书馆", title=u_title, paragraphs=u_paras, meta="2026-11-20 15:00",
    )
    return pages


def publisher_articles() -> dict[str, Article]:
    """The demo publisher's articles read with the product's own reader, keyed by file stem."""
    from pathlib import Path

    from newsrights.ingest import read_path

    folder = Path(str(resources.files("newsrights.demo") / "data" / "publisher"))
    out: dict[str, Article] = {}
    for f in sorted(folder.glob("*.txt")):
        for item in read_path(f):
            if isinstance(item, Article):
                out[f.stem] = item
    return out


def publisher_folder() -> str:
    return str(resources.files("newsrights.demo") / "data" / "publisher")


def write_warc(pages: list[WebPage], path: str, *, date: str = "2026-11-23T10:00:00Z") -> int:
    """Write ``pages`` as WARC response records (what another crawler's archive holds)."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for p in pages:
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", f"text/html; charset={p.encoding}")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                p.url, "response", payload=io.BytesIO(p.html), http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(rec)
    return len(pages)


def loopback_pages(articles: dict[str, Article]) -> dict[str, bytes]:
    """The small site ``newsrights demo`` serves on loopback for its monitoring run:
    paths → HTML. Pages other than those of :func:`build_web_pages`, so the crawl's
    findings are its own."""
    climate = articles["003_climate_agriculture"]
    forum = articles["001_silk_road_forum"]
    u_title, u_paras = host_story("unrelated")
    pages = {
        "news/climate.html": _page(site_name="本地转载站", domain="127.0.0.1", title=climate.title or "",
                                   paragraphs=list(climate.body), meta="2026-11-22 08:00 来源:本地转载站"),
        "news/forum-digest.html": _page(site_name="本地转载站", domain="127.0.0.1", title="论坛速览",
                                        paragraphs=list(forum.body[3:5]), meta="2026-11-20 08:00"),
        "news/library.html": _page(site_name="本地转载站", domain="127.0.0.1", title=u_title,
                                   paragraphs=u_paras, meta="2026-11-20 15:00"),
    }
    links = "".join(f'<li><a href="/{p}">{p}</a></li>' for p in pages)
    pages["index.html"] = f"<html><body><ul>{links}</ul></body></html>".encode()
    pages["robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    return pages
