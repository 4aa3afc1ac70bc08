"""A seeded, deterministic generator of edited copies of catalog articles, with gold spans.

Each variant is built paragraph by paragraph as a list of ``(page paragraph,
article paragraph index or None)``; the gold spans follow from that list: a
run of page paragraphs that come from consecutive article paragraphs is one
gold case (PAN "plagiarism case"), from the start of its first paragraph to the
end of its last, in article offsets and page offsets. Inserted lines (ads,
navigation, a host story, a new title) belong to no case. Transformations
inside a paragraph (edits, script conversion, width, stray spaces) keep the
paragraph as the unit, as PAN does for obfuscated passages.

Kinds (:data:`KINDS`):

``whole``        the body copied unchanged
``excerpt``      1-3 consecutive paragraphs (never all) embedded in a host story (label
                 ``excerpt``, or ``whole`` if they hold >= 80 % of the article)
``reorder``      the paragraphs in another order
``light_edit``   synonym swaps, deleted/inserted characters, changed numbers (~1 per 40 chars)
``ads``          advertising and navigation lines inserted between paragraphs
``title``        a new headline line (and a 来源 line) before the body
``width``        ASCII to full width, CJK punctuation to half width
``spaces``       stray spaces and zero-width characters inside the text
``s2twp``        traditional script, Taiwan forms and phrasing (OpenCC ``s2twp``)
``s2hk``         traditional script, Hong Kong forms (OpenCC ``s2hk``)
``excerpt_s2hk`` an excerpt in Hong Kong script inside a host story, with stray spaces
``gbk_html``     the page as an HTML document encoded in GBK
``big5_html``    the page in Taiwan script as an HTML document encoded in Big5

The random stream of case ``i`` is ``random.Random(f"{seed}:{i}:{kind}")``,
so a case does not change when others are added.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Sequence
from functools import lru_cache

from newsrights.core.model import PARAGRAPH_SEP, Span
from newsrights.evalkit.cases import Case, GoldPair, SourceDoc

KINDS: tuple[str, ...] = (
    "whole",
    "excerpt",
    "reorder",
    "light_edit",
    "ads",
    "title",
    "width",
    "spaces",
    "s2twp",
    "s2hk",
    "excerpt_s2hk",
    "gbk_html",
    "big5_html",
)

#: Common newsroom synonym swaps (both directions are used).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("表示", "指出"),
    ("今天", "今日"),
    ("目前", "当前"),
    ("进一步", "更进一步"),
    ("推动", "推进"),
    ("重要", "重大"),
    ("发展", "发展壮大"),
    ("记者", "本台记者"),
    ("已经", "已"),
    ("以及", "和"),
    ("据了解", "据悉"),
    ("持续", "不断"),
    ("全国", "全国各地"),
    ("同时", "与此同时"),
)

ADS: tuple[str, ...] = (
    "【广告】扫码下载客户端，领取新人专享红包",
    "点击关注我们，获取更多精彩资讯 >>",
    "首页 > 新闻中心 > 国内新闻 > 正文",
    "相关阅读：",
    "热门推荐 | 今日要闻 | 视频 | 图片",
    "分享到：微信 微博 QQ空间",
    "（本文来自网络，如有侵权请联系删除）",
    "返回顶部",
    "责任编辑：小编",
)

TITLES: tuple[str, ...] = ("重磅！", "刚刚，", "最新消息：", "关注 | ", "速看：")

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\ufeff")

_HALF_PUNCT = str.maketrans(
    {
        "，": ",",
        "。": ".",
        "：": ":",
        "；": ";",
        "！": "!",
        "？": "?",
        "（": "(",
        "）": ")",
        "“": '"',
        "”": '"',
    }
)
_FULL_ASCII = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def convert_script(text: str, config: str) -> str:
    """Simplified -> traditional with OpenCC (``s2twp``, ``s2hk``, ``s2tw``)."""
    return _opencc(config).convert(text)


def to_width_variant(text: str) -> str:
    """ASCII letters/digits/symbols to full width, CJK punctuation to half width (length-preserving)."""
    return "".join(_FULL_ASCII.get(c, c) for c in text).translate(_HALF_PUNCT)


def insert_stray(text: str, rng: random.Random, rate: float = 0.03) -> str:
    """Insert spaces and zero-width characters at about ``rate`` of positions."""
    out = []
    for c in text:
        out.append(c)
        if rng.random() < rate:
            out.append(rng.choice((" ", " ", "\u3000", *ZERO_WIDTH)))
    return "".join(out)


def light_edit(text: str, rng: random.Random, every: int = 40) -> str:
    """About one edit per ``every`` characters: synonym swap, deleted char, inserted char, changed number."""
    n_edits = max(1, len(text) // every)
    for _ in range(n_edits):
        op = rng.randrange(4)
        if op == 0:
            pairs = [(a, b) for a, b in SYNONYMS if a in text] + [(b, a) for a, b in SYNONYMS if b in text]
            if pairs:
                a, b = rng.choice(pairs)
                idx = [m.start() for m in re.finditer(re.escape(a), text)]
                i = rng.choice(idx)
                text = text[:i] + b + text[i + len(a) :]
                continue
            op = 1
        if op == 3:
            nums = list(re.finditer(r"\d+", text))
            if nums:
                m = rng.choice(nums)
                new = str(int(m.group()) + rng.randint(1, 9))
                text = text[: m.start()] + new + text[m.end() :]
                continue
            op = 1
        if len(text) < 3:
            continue
        i = rng.randrange(1, len(text) - 1)
        if op == 1:
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + rng.choice("的了在和是也") + text[i:]
    return text


def spans_from_layout(article: SourceDoc, layout: Sequence[tuple[str, int | None]]) -> tuple[Span, ...]:
    """Gold spans from a page layout of ``(paragraph, article paragraph index | None)``.

    Runs of page paragraphs whose sources are consecutive article paragraphs
    merge into one span covering the separators between them.
    """
    art_starts = []
    pos = 0
    for p in article.body:
        art_starts.append(pos)
        pos += len(p) + len(PARAGRAPH_SEP)
    spans: list[Span] = []
    page_pos = 0
    run: list[int] | None = None  # [a_start, a_end, p_start, p_end, last_src]
    for text, src in layout:
        start, end = page_pos, page_pos + len(text)
        page_pos = end + len(PARAGRAPH_SEP)
        if src is None:
            if run:
                spans.append(Span(run[0], run[1], run[2], run[3]))
            run = None
            continue
        a_start, a_end = art_starts[src], art_starts[src] + len(article.body[src])
        if run and src == run[4] + 1:
            run[1], run[3], run[4] = a_end, end, src
        else:
            if run:
                spans.append(Span(run[0], run[1], run[2], run[3]))
            run = [a_start, a_end, start, end, src]
    if run:
        spans.append(Span(run[0], run[1], run[2], run[3]))
    return tuple(spans)


def page_html(title: str, body: Sequence[str], encoding: str) -> bytes:
    """A plain news page (nav, h1, paragraphs, footer) declaring and encoded in ``encoding``.

    Characters the encoding cannot hold become numeric character references.
    """
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    doc = (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
        f"<title>{html.escape(title)}</title></head><body>"
        '<div class="nav"><a href="/">首页</a> | <a href="/news">新闻</a></div>'
        f'<div class="article"><h1>{html.escape(title)}</h1>\n{paras}\n</div>'
        '<div class="footer">Copyright © 2024 Example News. All rights reserved.</div></body></html>'
    )
    return doc.encode(encoding, errors="xmlcharrefreplace")


def _layout_excerpt(
    article: SourceDoc, host: SourceDoc, rng: random.Random, min_chars: int
) -> tuple[list[tuple[str, int | None]], int]:
    n = len(article.body)
    k = rng.randint(1, max(1, min(3, n - 1)))
    starts = list(range(n - k + 1))
    rng.shuffle(starts)
    best = starts[0]
    for s in starts:  # prefer a choice reaching min_chars, deterministic order
        if sum(len(p) for p in article.body[s : s + k]) >= min_chars:
            best = s
            break
    chosen = [(article.body[i], i) for i in range(best, best + k)]
    host_paras: list[tuple[str, int | None]] = [(p, None) for p in host.body]
    at = rng.randint(0, len(host_paras))
    layout = host_paras[:at] + chosen + host_paras[at:]
    return layout, sum(len(p) for p, _ in chosen)


def make_variant(
    article: SourceDoc,
    kind: str,
    *,
    rng: random.Random,
    host: SourceDoc | None = None,
    case_id: str = "",
    excerpt_min_chars: int = 150,
) -> Case:
    """One edited copy of ``article`` of the given ``kind`` with its gold pair."""
    if kind not in KINDS:
        raise ValueError(f"unknown variant kind {kind!r}; choose one of {', '.join(KINDS)}")
    body = list(article.body)
    layout: list[tuple[str, int | None]] = [(p, i) for i, p in enumerate(body)]
    label = "whole"
    title = article.title
    reused = sum(len(p) for p in body)
    html_bytes = None
    encoding = None
    if kind in ("excerpt", "excerpt_s2hk"):
        if host is None:
            raise ValueError("an excerpt needs a host story")
        layout, reused = _layout_excerpt(article, host, rng, excerpt_min_chars)
        # an "excerpt" holding most of a short article is a whole copy
        label = "whole" if reused >= 0.8 * sum(len(p) for p in article.body) else "excerpt"
        title = host.title
        if kind == "excerpt_s2hk":
            layout = [(insert_stray(convert_script(p, "s2hk"), rng, 0.01), s) for p, s in layout]
    elif kind == "reorder":
        order = list(range(len(body)))
        if len(order) > 1:
            while order == sorted(order):
                rng.shuffle(order)
        layout = [(body[i], i) for i in order]
    elif kind == "light_edit":
        layout = [(light_edit(p, rng), i) for p, i in layout]
    elif kind == "ads":
        out: list[tuple[str, int | None]] = [(rng.choice(ADS[:3]), None)]
        for item in layout:
            out.append(item)
            if rng.random() < 0.5:
                out.append((rng.choice(ADS), None))
        layout = out
    elif kind == "title":
        title = rng.choice(TITLES) + (article.title or "新闻")
        layout = [(title, None), ("来源：网络", None), *layout]
    elif kind == "width":
        layout = [(to_width_variant(p), i) for p, i in layout]
    elif kind == "spaces":
        layout = [(insert_stray(p, rng), i) for p, i in layout]
    elif kind in ("s2twp", "s2hk"):
        layout = [(convert_script(p, kind), i) for p, i in layout]
        title = convert_script(title, kind)
    elif kind == "gbk_html":
        encoding = "gbk"
    elif kind == "big5_html":
        encoding = "big5"
        layout = [(convert_script(p, "s2tw"), i) for p, i in layout]
        title = convert_script(title, "s2tw")
    page_body = tuple(p for p, _ in layout)
    if encoding:
        html_bytes = page_html(title, page_body, encoding)
    return Case(
        id=case_id,
        kind=kind,
        page_body=page_body,
        gold=(
            GoldPair(
                article_id=article.id,
                label=label,
                spans=spans_from_layout(article, layout),
                reused_chars=reused,
            ),
        ),
        page_title=title,
        page_url=f"http://copies.example/{case_id}",
        html=html_bytes,
        encoding=encoding,
    )


def generate_cases(
    articles: Sequence[SourceDoc],
    hosts: Sequence[SourceDoc],
    *,
    per_kind: int,
    seed: int = 0,
    kinds: Sequence[str] = KINDS,
) -> list[Case]:
    """``per_kind`` variants of each kind; article and host picked by the case's own seeded stream."""
    if not articles:
        raise ValueError("no articles to generate variants from")
    cases = []
    for kind in kinds:
        for i in range(per_kind):
            rng = random.Random(f"{seed}:{i}:{kind}")
            article = articles[rng.randrange(len(articles))]
            host = hosts[rng.randrange(len(hosts))] if hosts else None
            cases.append(make_variant(article, kind, rng=rng, host=host, case_id=f"gen-{kind}-{i:04d}"))
    return cases
