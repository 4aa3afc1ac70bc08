"""HTML pages → Article: trafilatura for the main text, our own rules for Chinese news metadata.

:func:`article_from_html` works in five steps:

1. **Decode** with :func:`newsrights.ingest.encoding.decode` (declared charset
   from the content type or ``<meta charset>``, verified, with fallbacks).
2. **Page lines**: the visible text of the page, one line per block element
   (selectolax; scripts, styles and forms dropped). This is what a reader sees
   and where the Chinese meta lines (``来源：… 编辑：…``) and the site's
   declaration live, which main-text extractors usually throw away.
3. **Main text**: trafilatura's ``bare_extraction`` (comments off, tables on),
   its lines cleaned of table pipes; when trafilatura returns little or
   nothing, the densest run of long page lines is used instead.
4. **Structure**: :func:`newsrights.core.metadata.structure` splits the main
   text into body, credit lines, byline, dateline, furniture.
5. **Metadata**, each from the most reliable place that states it: title from
   ``<h1>`` when ``<title>``/``og:title`` contains it, else ``og:title``,
   JSON-LD ``headline``, the ``<title>`` with the site suffix cut off; the date
   and source from the meta lines next to the title, then JSON-LD
   ``datePublished``/``article:published_time``/``<meta name="pubdate">``,
   then trafilatura; byline from the text, else ``<meta name="author">`` or
   JSON-LD ``author``. The declaration block is found in the page lines
   (:func:`newsrights.core.metadata.is_declaration_start`) and kept whole.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import logging
import re
import unicodedata
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsrights.core.metadata import (
    MetaLine,
    bare_names,
    cjk_ratio,
    clean_line,
    find_byline,
    find_date,
    find_poster,
    is_declaration_start,
    is_furniture_line,
    parse_byline,
    parse_datetime,
    parse_meta_line,
    split_trailing_byline,
    structure,
)
from newsrights.core.model import Article, Rejected
from newsrights.ingest.encoding import decode, sniff_declared

log = logging.getLogger(__name__)

_BLOCK_TAGS = (
    "p,div,br,li,ul,ol,tr,td,th,table,h1,h2,h3,h4,h5,h6,section,article,header,footer,"
    "nav,aside,blockquote,pre,dd,dt,dl,figure,figcaption,center,form,hr,tbody,thead,main"
)
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "object",
    "select",
    "option",
    "textarea",
    "button",
]


def _tree(html: bytes | str) -> LexborHTMLParser:
    if isinstance(html, bytes):
        html, _ = decode(html, sniff_declared(html))
    return LexborHTMLParser(html)


def _lines_of(tree: LexborHTMLParser) -> list[str]:
    root = tree.body or tree.root
    if root is None:
        return []
    for tag in _DROP_TAGS:
        for node in root.css(tag):
            node.decompose()
    for node in root.css(_BLOCK_TAGS):
        node.insert_before("\n")
        node.insert_after("\n")
    text = root.text(deep=True)
    out = []
    for raw in text.split("\n"):
        ln = clean_line(re.sub(r"[ \t\r\f\v]+", " ", raw))
        if ln:
            out.append(ln)
    return out


def fast_text(html: bytes | str) -> tuple[str | None, str]:
    """Cheap ``(title, text)`` of a page with selectolax: ``<title>`` and the
    visible text, one line per block element. For matching before the
    careful extraction; no boilerplate removal."""
    tree = _tree(html)
    node = tree.css_first("title")
    title = clean_line(node.text()) if node is not None else None
    return (title or None), "\n".join(_lines_of(tree))


# ----------------------------------------------------------------- metadata


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    """``<meta>`` tags by lower-cased name/property (first value wins)."""
    out: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (
            (
                attrs.get("property")
                or attrs.get("name")
                or attrs.get("itemprop")
                or attrs.get("http-equiv")
                or ""
            )
            .strip()
            .lower()
        )
        val = (attrs.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def _meta_all(tree: LexborHTMLParser, key: str) -> list[str]:
    """Every value of a repeated ``<meta>`` tag, in page order: one
    ``dc.creator`` or ``citation_author`` tag per author is the Dublin Core /
    Highwire convention for several authors."""
    out: list[str] = []
    for node in tree.css("meta"):
        attrs = node.attributes
        name = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        val = (attrs.get("content") or "").strip()
        if name == key and val and val not in out:
            out.append(val)
    return out


#: elements that mark up a byline, most specific first
_BYLINE_SELECTORS = (
    '[itemprop~="author"]',
    '[rel~="author"]',
    '[class~="byline"]',
    '[class*="byline"]',
    '[class*="author"]',
)
_BY_LABEL = re.compile(r"^(?:by|von|par|por|door|作者|文|撰文)\s*[:：/]?\s*", re.I)


def _markup_byline(tree: LexborHTMLParser) -> str | None:
    """The byline the page marks up: the text of the first element with
    ``itemprop="author"`` (its ``itemprop="name"`` when it has one),
    ``rel="author"``, or a class naming a byline or author, once a leading
    ``By``/``作者：`` label is cut. Every ``itemprop="author"`` element counts
    (several authors); other elements give their first short text (3–80
    characters) that is not a "follow" link. Read before the page lines are
    taken (that mutates the tree)."""
    for sel in _BYLINE_SELECTORS:
        names: list[str] = []
        for node in tree.css(sel):
            inner = node.css_first('[itemprop~="name"]') if sel.startswith("[itemprop") else None
            raw = (
                (inner or node).attributes.get("content")
                if (inner or node).tag == "meta"
                else (inner or node).text()
            )
            text = _BY_LABEL.sub("", clean_line(re.sub(r"\s+", " ", html_lib.unescape(raw or ""))))
            if not 2 <= len(text) <= 80 or not _looks_like_names(text) or text in names:
                continue
            names.append(text)
            if not sel.startswith("[itemprop"):
                break
        if names:
            return ", ".join(names)
    return None


_LATIN_NAME = re.compile(
    r"^(?:[A-Z][a-zA-Z'’.-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zA-Z'’.-]+|[A-Z]\.|de|da|di|van|von|der|den|del|la|le|bin|al))"
    r"{1,4}(?:\s+[A-Z][a-zA-Z'’.-]+)?$"
)


def _looks_like_names(text: str) -> bool:
    """Person names, one or several (``, ``, `` and ``, ``&``, ``、``): Latin
    names of two to six words, each capitalised (or an initial with a full stop,
    or a particle such as ``van``), or Chinese names as :func:`bare_names`
    reads them. Widget text (``[点击此处收藏本文]``, ``Follow @x``), site
    names (``报纸网``) and stray initials (``J J``) are not."""
    parts = [p.strip() for p in re.split(r",\s*|\s+(?:and|&|und|et|y)\s+|\s*[、，;；]\s*", text) if p.strip()]
    if not parts:
        return False
    for part in parts:
        if re.search(r"[\u3400-\u9fff]", part):
            if not bare_names(part):
                return False
        elif not _LATIN_NAME.match(part) or part.upper() == part and len(part.split()) > 4:
            return False
    return True


def _jsonld(tree: LexborHTMLParser) -> dict[str, Any]:
    """The first JSON-LD object of an article type (NewsArticle, Article, ReportageNewsArticle …)."""
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except (ValueError, TypeError):
            continue
        stack: list[Any] = [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                typ = obj.get("@type")
                types = typ if isinstance(typ, list) else [typ]
                if any(isinstance(t, str) and t.endswith("Article") or t == "BlogPosting" for t in types):
                    return obj
                if "@graph" in obj:
                    stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
    return {}


def _names(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(names) if names else None
    return None


_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—|–| - )\s*")


_SITE_WORD = re.compile(r"(?:网|报|台|社|频道|新闻|在线|中心|官网|首页|Online|News|\.com|\.cn)$", re.I)
_TAIL_SPLIT = re.compile(r"^(?P<head>.+?)\s*(?:-|_|\||｜|—|–)\s*(?P<tail>[^-_|｜—–]{1,16})$")
#: a Latin site name after a spaced separator: up to four capitalised words (``Daily Star``,
#: ``The Gateway Pundit``, ``WIRED``) or a credit (``by Jane Roe``); ``- updates`` is headline
_LATIN_TAIL = re.compile(
    r"^(?P<head>.+?)\s+(?:-|\||｜|—|–|::)\s+(?P<tail>(?:by\s+)?(?:[A-Z0-9][\w.'’&!-]*|of|the|and|on|for)"
    r"(?:\s+(?:[A-Z0-9][\w.'’&!-]*|of|the|and|on|for)){0,3})\s*(?:::)?$"
)


def _strip_site_suffix(title: str, site_names: tuple[str, ...] = ()) -> str:
    """``标题_频道_新浪网`` → ``标题``; ``标题-新华网`` → ``标题``; ``Headline |
    Daily Mail Online`` → ``Headline``: cut trailing segments that name a site
    or channel (a site word, four characters or less, the page's own site
    name, or up to four capitalised Latin words after a spaced separator when
    the rest is twice as long), keep the rest whole. A title still split by
    ``_`` or ``|`` after that (``频道_标题``), or a Chinese title split by a
    spaced hyphen (``Joel on Software - 给计算机系学生的建议``), gives its
    longest part (in a Chinese title, the part with the most Chinese); a spaced hyphen inside an English headline (``'I sell
    holidays - booking …'``) is headline, not a separator."""
    t = title.strip()
    sites = {_compact(n).lower() for n in site_names if n}
    for _ in range(4):
        m = _TAIL_SPLIT.match(t)
        if m and (_SITE_WORD.search(m["tail"].strip()) or len(m["tail"].strip()) <= 4):
            t = m["head"].strip().rstrip("-_|｜—– ")
            continue
        lat = _LATIN_TAIL.match(t)
        if lat and len(lat["head"]) >= 2 * len(lat["tail"]):
            t = lat["head"].strip()
            continue
        if m and _compact(m["tail"]).lower() in sites:
            t = m["head"].strip().rstrip("-_|｜—– ")
            continue
        break
    parts = [p for p in _TITLE_SPLIT.split(t) if p.strip()]
    if len(parts) > 1 and ("_" in t or "|" in t or "｜" in t or " - " in t and cjk_ratio(t) > 0.3):
        if cjk_ratio(t) > 0.3:  # a Chinese title: the part with the most Chinese, not a Latin site name
            return max(parts, key=lambda p: (sum(1 for c in p if "\u3400" <= c <= "\u9fff"), len(p))).strip()
        return max(parts, key=len).strip()
    return t


def _choose_title(
    tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, Any], traf_title: str | None
) -> str | None:
    title = _choose_title_raw(tree, meta, ld, traf_title)
    return clean_line(html_lib.unescape(title)) or None if title else None


def _choose_title_raw(
    tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, Any], traf_title: str | None
) -> str | None:
    head_title = ""
    node = tree.css_first("title")
    if node is not None:
        head_title = clean_line(node.text())
    og = clean_line(meta.get("og:title", "") or meta.get("twitter:title", ""))
    ld_title = clean_line(str(ld.get("headline") or ""))
    sites = (meta.get("og:site_name", ""), _names(ld.get("publisher")) or "")
    refs = [_compact(_strip_site_suffix(t, sites)) for t in (head_title, og, ld_title) if t]
    for sel in ("h1", "h2"):
        for h in tree.css(sel):
            ht = _compact(clean_line(h.text()))
            # the headline printed on the page, when the page's own title names it (not a site name in an h2)
            if 4 <= len(ht) <= 120 and any(ht in r and len(ht) >= 0.6 * len(r) for r in refs):
                return clean_line(h.text())
    if ld_title:
        return ld_title
    if og:
        return _strip_site_suffix(og, sites)
    if head_title:
        return _strip_site_suffix(head_title, sites)
    return traf_title


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _date_from_tags(meta: dict[str, str], ld: dict[str, Any]) -> datetime | None:
    for v in (
        ld.get("datePublished"),
        meta.get("article:published_time"),
        meta.get("og:article:published_time"),
        meta.get("datepublished"),
        meta.get("pubdate"),
        meta.get("publishdate"),
        meta.get("publish_date"),
        meta.get("publication_date"),
        meta.get("sailthru.date"),
        meta.get("dc.date.issued"),
        meta.get("dc.date"),
        meta.get("date"),
        ld.get("dateCreated"),
        meta.get("article:modified_time"),
        ld.get("dateModified"),
    ):
        if isinstance(v, str):
            dt = parse_datetime(v)
            if dt:
                return dt
    return None


# ------------------------------------------------------------- declaration


def find_declaration(lines: list[str], body: set[str]) -> tuple[list[str], str | None]:
    """The site's declaration block and its copyright notice line.

    The block starts at the first page line (not a body line) that opens a
    declaration and runs while the following lines read as its numbered
    clauses or continuation (at most 20 lines, 4,000 characters). A short
    ``Copyright ©``/``版权所有`` line is the copyright notice.
    """
    notice = None
    for ln in lines:
        if len(ln) <= 200 and re.search(r"(?:Copyright|©|版权所有|\(c\)\s*\d{4})", ln, re.I):
            notice = ln
            break
    for i, ln in enumerate(lines):
        if ln in body or not is_declaration_start(ln):
            continue
        block = [ln]
        size = len(ln)
        for nxt in lines[i + 1 : i + 20]:
            if nxt in body or is_furniture_line(nxt) and len(nxt) < 20:
                break
            if size + len(nxt) > 4000:
                break
            if len(nxt) < 6 and not re.match(r"^[\d一二三四五六七八九十]+[、.．]", nxt):
                break
            block.append(nxt)
            size += len(nxt)
        return block, notice
    return [], notice


# -------------------------------------------------------------- main text

_PIPE_CELL = re.compile(r"\s*\|\s*")


def _clean_traf_lines(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split("\n"):
        ln = raw.strip()
        if ln.startswith("|") or ln.endswith("|"):
            cells = [c.replace("\\|", "|").strip() for c in _PIPE_CELL.split(ln.strip("|"))]
            cells = [c for c in cells if c and not re.fullmatch(r"[-:| ]+", c)]
            out.extend(cells)
            continue
        ln = re.sub(r"^(?:[-*+]|#{1,6})\s+", "", ln)
        if ln:
            out.append(clean_line(ln))
    return [ln for ln in out if ln]


#: use the dense block when trafilatura's long lines hold less than this share of it
DENSE_SHARE = 0.3


def _prose_size(lines: list[str]) -> int:
    """Characters in lines that read as prose (20+ characters with a comma or full stop)."""
    return sum(len(x) for x in lines if len(x) >= 20 and re.search(r"[，。！？；,.!?]", x))


def _dense_block(lines: list[str]) -> list[str]:
    """Fallback main text for Chinese pages: the run of lines with the most text
    in long lines (line-block density, as CX-Extractor does). Used when
    trafilatura's long lines hold under :data:`DENSE_SHARE` of it and under
    1,000 characters: old table layouts that trafilatura reads as navigation."""
    best: tuple[int, int, int] = (0, 0, 0)
    start, score, gap = 0, 0, 0
    for i, ln in enumerate(lines):
        if len(ln) >= 30:
            if score == 0:
                start = i
            score += len(ln)
            gap = 0
            if score > best[0]:
                best = (score, start, i + 1)
        else:
            gap += 1
            if gap > 3:
                score, gap = 0, 0
    _, s, e = best
    return [ln for ln in lines[s:e] if not is_furniture_line(ln)]


def _extract_main(html_text: str, url: str | None) -> tuple[list[str], Any]:
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html_text,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises on odd markup; fall back, say why
        log.debug("trafilatura failed: %s", exc)
        doc = None
    if doc is None:
        return [], None
    return _clean_traf_lines(doc.text or ""), doc


def _title_index(lines: list[str], title: str | None) -> int:
    """Index of the page line holding the title (-1 when not found)."""
    if not title:
        return -1
    ct = _compact(title)
    for i, ln in enumerate(lines):
        if _compact(ln) == ct:
            return i
    for i, ln in enumerate(lines[1:], start=1):  # line 0 is usually <title> with the site suffix
        if len(ct) > 8 and ct in _compact(ln) and len(ln) < len(title) + 20:
            return i
    return -1


def _body_index(lines: list[str], para: str, start: int = 0) -> int:
    """Index of the page line where a body paragraph begins (-1 when not found)."""
    key = _compact(para)[:12]
    for j in range(max(start, 0), len(lines)):
        if key and _compact(lines[j]).startswith(key):
            return j
    return -1


_BARE_LABEL = re.compile(r"^[【\[(（]?\s*[\u3400-\u9fff]{2,4}\s*[:：]\s*$")


_VALUE_LINE = re.compile(r"^[\w\u3400-\u9fff·、 ,，()（）]{1,30}$")


def _join_labels(lines: list[str]) -> list[str]:
    """``责任编辑：`` on one line and the name on the next (block markup splits them) → one line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if _BARE_LABEL.match(ln) and i + 1 < len(lines) and _VALUE_LINE.match(lines[i + 1]):
            out.append(ln + lines[i + 1])
            i += 2
            continue
        out.append(ln)
        i += 1
    return out


def _end_index(lines: list[str], para: str, start: int = 0) -> int:
    """Index of the page line where a body paragraph ends (-1 when not found):
    the page may split one extracted paragraph over many lines."""
    key = _compact(para)[-12:]
    if not key:
        return -1
    for j in range(max(start, 0), len(lines)):
        if key in _compact(lines[j]):
            return j
    return -1


def _zone_facts(
    zone: list[str], stamps_within: int | None = None
) -> tuple[list[MetaLine], str | None, datetime | None]:
    """Meta lines, the byline and the first date stated in a run of page lines.

    The byline is the first line that reads as one (``记者 张三``, ``作者：张三``)
    or a post stamp naming the poster (:func:`find_poster`); byline lines one
    under the other are joined (``本报实习生 刘国栋`` / ``本报记者 王燕平``).
    ``stamps_within`` limits post stamps to the zone's first lines (under a
    post, the stamps further down belong to the replies)."""
    metas: list[MetaLine] = []
    byline: str | None = None
    date: datetime | None = None
    last_by = -2
    for k, ln in enumerate(_join_labels(zone)):
        m = parse_meta_line(ln) or parse_meta_line(ln.strip("()（）[]【】 "))
        if m is not None and (m.fields or m.published):
            metas.append(m)
            if m.published and date is None:
                date = m.published
            stamp_ok = stamps_within is None or k < stamps_within
            poster = (
                find_poster(ln) if stamp_ok else None
            )  # "ggjjzhzz 发表于 2005-9-15": a date line naming its poster
            if poster and byline is None and not m.get("author"):
                byline, last_by = poster, k
            continue
        by = (
            parse_byline(ln.strip("()（）[]【】 "))
            or find_byline(ln)
            or (find_poster(ln) if stamps_within is None or k < stamps_within else None)
        )
        if by and byline is None:
            byline, last_by = by, k
        elif by and byline and last_by == k - 1 and by not in byline:
            byline, last_by = f"{byline} {by}", k
        if date is None and len(ln) <= 80:
            found = parse_meta_line(ln, max_len=80)
            if found is not None and found.published:
                date = found.published
    return metas, byline, date


def article_from_html(
    data: bytes | str,
    *,
    origin: str,
    url: str | None = None,
    content_type: str | None = None,
    fetched: datetime | None = None,
) -> Article | Rejected:
    """Read one HTML page; see the module docstring for the algorithm."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if isinstance(data, bytes):
        declared = None
        if content_type and "charset=" in content_type.lower():
            declared = content_type.lower().split("charset=", 1)[1].split(";")[0].strip()
        text, _codec = decode(data, declared or sniff_declared(data))
    else:
        text = data
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    tree = LexborHTMLParser(text)
    meta = _meta(tree)
    ld = _jsonld(tree)
    lang = (
        tree.css_first("html").attributes.get("lang") if tree.css_first("html") is not None else None
    ) or meta.get("og:locale")
    title = _choose_title(tree, meta, ld, None)
    marked_byline = _markup_byline(tree)
    creators = [n for n in (_flip_name(v) for v in _meta_all(tree, "dc.creator")) if n]
    page_lines = _lines_of(tree)  # mutates the tree: everything read from it comes before
    main_lines, doc = _extract_main(text, url)
    main_size = _prose_size(main_lines)
    dense = _dense_block(page_lines)
    if main_size < 1000 and _prose_size(dense) * DENSE_SHARE > main_size and cjk_ratio("".join(dense)) > 0.3:
        # trafilatura missed the article (old table layouts): take the densest run of long lines
        main_lines = dense
    if title is None:
        title = _trafilatura_title(text)
    decl_lines, notice = find_declaration(page_lines, set(main_lines[:-3]) if len(main_lines) > 3 else set())
    parts = structure(main_lines, title=title, take_title=title is None, declaration_lines=decl_lines or None)
    title = title or parts.title
    if not parts.body:
        return Rejected(origin, "no_body", "no main text found in the HTML")
    t_idx = _title_index(page_lines, title)
    b_idx = _body_index(page_lines, parts.body[0], t_idx + 1)
    if b_idx < 0 or b_idx - t_idx > 40:
        b_idx = min(len(page_lines), t_idx + 13)
    head_zone = page_lines[t_idx + 1 : b_idx] if t_idx >= 0 else page_lines[max(0, b_idx - 8) : b_idx]
    # a short credit line right after the lead paragraph (extractors often glue the two together)
    head_zone += [ln for ln in page_lines[b_idx + 1 : b_idx + 3] if len(ln) <= 40]
    e_idx = _end_index(page_lines, parts.body[-1], b_idx)
    tail_zone = page_lines[e_idx + 1 : e_idx + 7] if e_idx >= 0 else []
    source = parts.source
    editor = parts.editor
    resp = parts.responsible_editor
    byline = parts.byline
    published = parts.published
    for zone in (head_zone, tail_zone):
        metas, zby, zdate = _zone_facts(zone, None if zone is head_zone else 3)
        for m in metas:
            source = source or m.get("source")
            editor = editor or m.get("editor")
            resp = resp or m.get("responsible_editor")
            byline = byline or m.get("author")
        byline = byline or zby
        if zone is head_zone:
            published = published or zdate
    if byline is None and t_idx >= 0 and 1 <= b_idx - t_idx <= 4:
        # 标题 / 作者名 / 正文: a bare name right under the headline, the text close below
        byline = bare_names(page_lines[t_idx + 1])
    if byline is None and b_idx >= 0 and e_idx >= b_idx:
        byline = _closing_byline(page_lines[b_idx : e_idx + 1])
    if published is None and t_idx > 0:
        # some pages print the date just above the headline
        published = _zone_facts(page_lines[max(0, t_idx - 2) : t_idx])[2]
    published = published or _date_from_tags(meta, ld)
    if published is None:
        lo = t_idx + 1 if t_idx >= 0 else 0
        hi = (e_idx + 7) if e_idx >= 0 else len(page_lines)
        published = _first_stamp(page_lines[lo:hi])
    if published is None:
        guess = _htmldate(text, url)
        # htmldate falls back to a bare year (YYYY-01-01, often the copyright year): not a date
        if guess is not None and not (guess.month == 1 and guess.day == 1):
            published = guess
    source = source or meta.get("source") or meta.get("article:source") or None
    if byline is None:
        for cand in (
            _names(ld.get("author")),
            meta.get("author"),
            meta.get("byl"),
            meta.get("article:author"),
            meta.get("sailthru.author"),
            meta.get("parsely-author"),
            ", ".join(creators) or None,
            marked_byline,
            _trafilatura_author_checked(text),
        ):
            if cand and _plausible_author(cand, meta, ld):
                byline = re.sub(r"^(?:by|von|par)\s+", "", clean_line(html_lib.unescape(cand)), flags=re.I)
                break
    site = meta.get("og:site_name") or _names(ld.get("publisher")) or getattr(doc, "sitename", None) or None
    credits = list(parts.credit_lines)
    if source and f"来源:{source}" not in credits:
        credits.append(f"来源:{source}")
    if byline and byline not in credits:
        credits.append(byline)
    return Article(
        body=parts.body,
        title=title,
        published=published,
        source=source,
        editor=editor,
        responsible_editor=resp,
        original_title=parts.original_title,
        dateline=parts.dateline,
        byline=byline,
        site=site,
        url=url or meta.get("og:url") or None,
        language=(lang or "").split("-")[0].split("_")[0].lower() or _guess_lang(parts.body),
        declaration=parts.declaration,
        furniture=parts.furniture,
        credit_lines=tuple(dict.fromkeys(credits)),
        copyright_notice=notice,
        origin=origin,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        fetched=fetched,
    )


_CLOSING_PAREN = re.compile(r"[(（]\s*(?P<inner>[^()（）]{2,30}?)\s*[)）]\s*$")


def _closing_byline(lines: list[str]) -> str | None:
    """The byline closing a paragraph of the text as the page prints it
    (``…吗？”（姚峰 上海报道）``), for pages whose extracted text runs past
    the article's end (related links, comments) so that its last paragraph is
    not the one carrying the byline. Only paragraphs (40+ characters) and
    only a stated byline (a role or ``报道``/``发自``, not a bare name in
    brackets, which may be a quoted person); the last one wins."""
    for ln in reversed(lines):
        m = _CLOSING_PAREN.search(ln)
        if len(ln) < 40 or not m or not re.search(r"报道|记者|通讯员|发自|撰稿", m["inner"]):
            continue
        by = split_trailing_byline(ln)[1]
        if by:
            return by
    return None


def _first_stamp(lines: list[str]) -> datetime | None:
    """The first date with a time of day in short lines (a post's stamp:
    ``发表于 2004年12月27日 12:40``, ``本贴由大卫于2005年8月12日16:12:21…发表``),
    else the first full date; years before 1990 are ignored."""
    day_only: datetime | None = None
    for ln in lines:
        if len(ln) > 120:
            continue
        found = find_date(ln)
        if found is None or found[0].year < 1990:
            continue
        matched = (
            ln[found[1] : found[2]]
            if ln.isascii()
            else unicodedata.normalize("NFKC", ln)[found[1] : found[2]]
        )
        if re.search(r"\d[:：时]\d", matched):
            return found[0]
        day_only = day_only or found[0]
    return day_only


def _htmldate(html_text: str, url: str | None) -> datetime | None:
    """htmldate's markup and text-pattern search (no locale-guessing date parser:
    its first use costs tens of seconds), for pages that state no date we can read."""
    try:
        from htmldate import find_date

        found = find_date(html_text, extensive_search=False, original_date=True, url=url)
    except Exception as exc:  # htmldate raises on odd markup; no date is the honest answer
        log.debug("htmldate failed: %s", exc)
        return None
    return parse_datetime(found) if found else None


def _trafilatura_title(html_text: str) -> str | None:
    """trafilatura's title heuristics (h1/h2, title element), for pages whose own tags name none."""
    try:
        from trafilatura.metadata import extract_title
        from trafilatura.utils import load_html

        tree = load_html(html_text)
        found = extract_title(tree) if tree is not None else None
    except Exception as exc:
        log.debug("trafilatura title failed: %s", exc)
        return None
    return clean_line(html_lib.unescape(found)) or None if found else None


def _trafilatura_author(html_text: str) -> str | None:
    """trafilatura's author heuristics (byline elements, rel=author …), cheap xpaths only."""
    try:
        from trafilatura.metadata import extract_author
        from trafilatura.utils import load_html

        tree = load_html(html_text)
        return extract_author(tree) if tree is not None else None
    except Exception as exc:
        log.debug("trafilatura author failed: %s", exc)
        return None


def _trafilatura_author_checked(html_text: str) -> str | None:
    """trafilatura's author when it reads as names (:func:`_looks_like_names`):
    its xpaths also catch comment-form labels and stray initials."""
    found = _trafilatura_author(html_text)
    if not found:
        return None
    return found if _looks_like_names(re.sub(r"^(?:by|von|par)\s+", "", found.strip(), flags=re.I)) else None


def _flip_name(value: str | None) -> str | None:
    """``Brazil, Rachel`` (catalogue order) → ``Rachel Brazil``."""
    if value and value.count(",") == 1 and len(value.split()) <= 4:
        last, first = (p.strip() for p in value.split(","))
        return f"{first} {last}" if first and last else value
    return value


def _plausible_author(value: str, meta: dict[str, str], ld: dict[str, Any]) -> bool:
    """A person's name, not a URL, an id, the site or publisher name."""
    v = value.strip()
    if (
        not v
        or len(v) > 80
        or re.search(r"https?:|www|[=<>{}\"@]", v, re.I)
        or v.isdigit()
        or re.fullmatch(r"[\d\W_]+", v)
    ):
        return False
    site_names = {meta.get("og:site_name", ""), _names(ld.get("publisher")) or ""}
    return v not in site_names


def _guess_lang(body: tuple[str, ...]) -> str | None:
    sample = "".join(body)[:3000]
    letters = sum(1 for c in sample if c.isalpha())
    if not letters:
        return None
    cjk = sum(1 for c in sample if "\u3400" <= c <= "\u9fff")
    return "zh" if cjk / letters > 0.3 else None
