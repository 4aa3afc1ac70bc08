"""A small fixture site for the monitoring tests: reprints, a near miss, broken pages and a
misbehaving host, generated into a folder and served with ``serve_folder``.

The two publisher articles are our own writing (not real news). ``ARTICLES`` holds them so
tests can put them in the catalog; ``build_site(folder)`` writes the pages that copy them.
"""

from __future__ import annotations

from pathlib import Path

from newsrights.crawl.local_site import Behaviour

ART_A = (
    "国际在线报道：本周二，滨江市举办了首届城市阅读节，来自全国各地的四十余家出版机构参加了展览。",
    "阅读节持续五天，主办方在老城区的十二座公共图书馆设置了分会场，市民可以凭借借书证免费参加讲座和签售活动。",
    "滨江市文化局负责人表示，过去三年全市新建社区书屋一百二十家，居民人均年借阅量从三本提高到了七本。",
    "据介绍，今年的阅读节特别设置了少儿绘本专区和方言朗读比赛，吸引了大量家庭报名参加。",
    "主办方还宣布，明年将把阅读节扩展到周边四个县，并与高校合作开设面向青年读者的写作工作坊。",
)
ART_B = (
    "国际在线消息：东湖港区昨日开通了一条新的集装箱航线，连接沿海三个主要港口，预计每年可以运送货物二十万标准箱。",
    "港区管理委员会介绍，新航线每周往返四班，采用新能源动力船舶，单航次碳排放比传统船舶降低约三成。",
    "多家外贸企业负责人认为，航线开通后运输时间缩短了两天，仓储成本随之下降，对中小企业尤其有利。",
    "港区方面表示，下一步还将建设智能闸口系统，实现集装箱车辆无人值守快速通关。",
)
ARTICLES = {"cri-a": ("滨江市举办首届城市阅读节", ART_A), "cri-b": ("东湖港区开通新集装箱航线", ART_B)}

UNRELATED = (
    "本地天气预报：明天多云转晴，气温十八到二十六摄氏度，东南风三到四级。",
    "气象部门提醒，早晚温差较大，市民外出请注意增减衣物，谨防感冒。",
    "未来一周以晴好天气为主，适宜户外活动，周末可能出现短时阵雨。",
)


def page(title: str, paragraphs: tuple[str, ...] | list[str], *, meta: str = "", charset: str = "utf-8") -> str:
    ps = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f'<nav><a href="/">首页</a></nav><article><h1>{title}</h1><div class="meta">{meta}</div>{ps}</article>'
        "<footer>版权所有 示例转载网</footer></body></html>"
    )


PAGES = {
    "reprint-a.html": page(ARTICLES["cri-a"][0], ART_A, meta="2026-11-20 10:00 来源：网络"),
    "reprint-b.html": page(ARTICLES["cri-b"][0], ART_B, meta="2026-11-21 09:00 来源：国际在线"),
    "excerpt.html": page("港口动态汇总", [*UNRELATED[:1], ART_B[0], ART_B[1], UNRELATED[2]]),
    "near-miss.html": page("城市阅读", ["滨江市今年也举办了各类文化活动，市民反响热烈。", *UNRELATED]),
    "weather.html": page("天气", UNRELATED),
    "empty.html": "",
}

INDEX_LINKS = [
    "reprint-a.html", "reprint-b.html", "excerpt.html", "near-miss.html", "weather.html", "empty.html",
    "gbk.html", "binary.html", "slow.html", "flaky.html", "loop1", "endless", "gone.html",
    "private/hidden.html", "http://10.0.0.1/internal.html",
]

#: How each path misbehaves (the files exist unless the behaviour replaces the body).
BEHAVIOURS = {
    "/slow.html": Behaviour(hang=30),
    "/flaky.html": Behaviour(fail_times=2, fail_status=503),
    "/loop1": Behaviour(redirect="/loop2"),
    "/loop2": Behaviour(redirect="/loop1"),
    "/endless": Behaviour(endless=True),
    "/gone.html": Behaviour(status=410),
    "/gbk.html": Behaviour(content_type="text/html; charset=utf-8"),  # the body is GBK: the header lies
    "/binary.html": Behaviour(content_type="text/html"),
}

#: The outcome each page of the site must end with (``None`` reason: any).
EXPECTED = {
    "/reprint-a.html": ("matched", None),
    "/reprint-b.html": ("matched", None),
    "/excerpt.html": ("matched", None),
    "/near-miss.html": ("no_match", None),
    "/weather.html": ("no_match", None),
    "/empty.html": ("rejected", "empty"),
    "/gbk.html": ("matched", None),
    "/binary.html": ("rejected", "unsupported_content_type"),
    "/slow.html": ("fetch_error", "read_timeout"),
    "/flaky.html": ("no_match", None),
    "/loop1": ("fetch_error", "redirect_loop"),
    "/endless": ("fetch_error", "too_large"),
    "/gone.html": ("fetch_error", "http_410"),
    "/private/hidden.html": ("rejected", "robots_disallowed"),
}


def build_site(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    links = "".join(f'<li><a href="{u}">{u}</a></li>' for u in INDEX_LINKS)
    (folder / "index.html").write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>示例转载网</title></head>"
        f"<body><ul>{links}</ul></body></html>", "utf-8")
    for name, html in PAGES.items():
        (folder / name).write_text(html, "utf-8")
    (folder / "gbk.html").write_bytes(page(ARTICLES["cri-a"][0], ART_A, charset="gbk").encode("gbk"))
    (folder / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "slow.html").write_text(page("慢", UNRELATED), "utf-8")
    (folder / "flaky.html").write_text(page("不稳定", UNRELATED[1:]), "utf-8")
    (folder / "private").mkdir(exist_ok=True)
    (folder / "private" / "hidden.html").write_text(page("隐藏", ART_A), "utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")
    urls = "".join(
        f"<url><loc>/{n}</loc><news:news><news:publication><news:name>示例</news:name><news:language>zh</news:language>"
        f"</news:publication><news:publication_date>2026-11-20</news:publication_date><news:title>{n}</news:title>"
        "</news:news></url>"
        for n in ("reprint-a.html", "excerpt.html")
    )
    (folder / "news-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>', "utf-8")
    (folder / "sitemap-index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/news-sitemap.xml</loc></sitemap></sitemapindex>", "utf-8")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>示例</title>'
        "<item><title>B</title><link>/reprint-b.html</link></item>"
        "<item><title>W</title><link>/weather.html</link></item></channel></rss>", "utf-8")
    return folder


# ------------------------------------------------------------------ a bigger site and a driver for kill tests


def build_big_site(folder: Path, n: int = 40) -> list[str]:
    """The fixture site plus ``n`` generated pages (every eighth reprints two paragraphs); returns all page paths."""
    build_site(folder)
    names = []
    for i in range(n):
        paras = [f"第{i}号简讯：{UNRELATED[i % 3]}", f"编号{i}的补充说明，内容与其他页面不同，序号为{i * 7}。"]
        if i % 8 == 0:
            paras.extend((ART_B[0], ART_B[1]))
        name = f"n{i:03d}.html"
        (folder / name).write_text(page(f"简讯{i}", paras), "utf-8")
        names.append(name)
    links = [*[u for u in INDEX_LINKS if u not in ("slow.html",)], *names]
    (folder / "index.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>示例转载网</title></head><body><ul>"
        + "".join(f'<li><a href="{u}">{u}</a></li>' for u in links) + "</ul></body></html>", "utf-8")
    return ["/", *[("/" + u) for u in links if not u.startswith("http")]]


def write_sources(path: Path, site: str, archive: Path | None = None, *, name: str = "killed") -> Path:
    """A sources file for the fixture site (loopback allowed explicitly, short timeouts)."""
    arc = f'[[source]]\nwarc = "{archive}"\n' if archive else ""
    path.write_text(
        f'name = "{name}"\n[fetch]\nallow_networks = ["127.0.0.1/32"]\ndelay = 0.0\nread_timeout = 2.0\n'
        "total_timeout = 4.0\nmax_bytes = 300000\nbackoff = 0.05\nretries = 2\nconcurrency = 4\nper_host_concurrency = 4\n"
        f'[[source]]\nsite = "{site}/"\ndepth = 1\n{arc}',
        "utf-8",
    )
    return path


def catalog_articles() -> list:  # type: ignore[type-arg]
    """The fixture articles as the publisher's own (国际在线) catalog entries."""
    from datetime import datetime

    from newsrights.core.model import CHINA_TZ, Article

    return [
        Article(body=paras, title=t, url=f"https://news.cri.cn/2026/{aid}.html", source="国际在线",
                published=datetime(2026, 11, 20, 9, 0, tzinfo=CHINA_TZ), origin=aid)
        for aid, (t, paras) in ARTICLES.items()
    ]
