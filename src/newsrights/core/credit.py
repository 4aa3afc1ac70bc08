"""The credit check on a copying page (pure).

Clause 3 of the 国际在线 declaration: an authorised user must credit
``来源:国际在线``. A licence may add duties to keep the dateline (``国际在线消息``)
and byline (``记者 周青岚``), not to alter the title, and to link back. This
module reads the copying page (an :class:`~newsrights.core.model.Article` from
the ingest area) against the publisher's original article and reports, each
with a reason:

* **credit** — ``present`` (a source line names the publisher; ``exact`` says
  whether it reads the required text once NFKC-normalised and spaces removed),
  ``wrong`` (source lines exist but name someone else: ``来源:某某网``) or
  ``absent``. Candidates are the page's ``source`` meta field, its
  ``credit_lines`` and short credit-like lines at the top or bottom of the body.
  Lines that belong to the copying site's own furniture — its declaration
  (``凡本网注明来源:…``), footer, navigation — never count: a copier's
  declaration quoting the publisher's credit is not a credit.
* **dateline** / **byline** — ``kept`` if the original's appears on the page
  (body, credit lines or parsed fields), ``stripped`` if not, ``n/a`` if the
  original has none.
* **title** — ``kept`` if the page title equals the original's, or one segment
  of it does (sites append ``_站名``/``-站名``), ``altered`` otherwise.
* **link back** — ``present`` if the raw HTML has an ``href`` (absolute or
  protocol-relative ``//host/…``) to one of the publisher's domains (or the page text shows such a URL), ``absent`` if the
  HTML has none, ``unknown`` without HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from newsrights.core.metadata import is_credit_line, is_declaration_start, parse_meta_line
from newsrights.core.model import Article, nfkc
from newsrights.core.nfkc import normalize_nfkc

CreditState = Literal["present", "absent", "wrong"]
KeptState = Literal["kept", "stripped", "n/a"]
TitleState = Literal["kept", "altered", "n/a"]
LinkState = Literal["present", "absent", "unknown"]

_SOURCE_RE = re.compile(
    r"(?:文章|新闻|信息|本文|稿件)?(?:来源|稿源|出处|来自|转载自|转自|本文转载自|本文来自|本文来源于|摘自|原载|原文载于|source)"
    r"\s*[:：]?\s*(?P<name>[^\s|｜丨,，;；)）】\]]{2,30})",
    re.IGNORECASE,
)
_HREF_RE = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_URL_RE = re.compile(r"https?://([A-Za-z0-9.-]+)")
_TITLE_SEP = re.compile(r"\s*[_|｜\-—–]+\s*")


_WS_RE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    """NFKC without whitespace: :func:`fold` before lower-casing."""
    return _WS_RE.sub("", nfkc(text))


def fold(text: str) -> str:
    """NFKC, no whitespace, lower case: how credits, titles and bylines are compared."""
    return _squeeze(text).lower()


@dataclass(frozen=True, slots=True)
class CreditCheck:
    """The result of :func:`check_credit`; ``reasons`` explain each field."""

    credit: CreditState
    expected: str
    credit_line: str | None = None
    named_source: str | None = None
    exact: bool = False
    position: str | None = None
    dateline: KeptState = "n/a"
    byline: KeptState = "n/a"
    title: TitleState = "n/a"
    link_back: LinkState = "unknown"
    attribution_in_text: bool = False
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "credit": self.credit, "expected": self.expected, "credit_line": self.credit_line,
            "named_source": self.named_source, "exact": self.exact, "position": self.position,
            "dateline": self.dateline, "byline": self.byline, "title": self.title,
            "link_back": self.link_back, "attribution_in_text": self.attribution_in_text,
            "reasons": list(self.reasons),
        }


_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def _clean_name(name: str) -> str | None:
    """``[ 人民网 ]`` → ``人民网``; ``第一财经日报 网友评论 0`` → ``第一财经日报`` (a name ends at a gap)."""
    s = _PRIVATE_USE.sub("", name).strip(" \t[]【】()（）\"'“”「」《》")
    parts = s.split()
    if parts and re.search(r"[\u3400-\u9fff]", parts[0]):  # Chinese names hold no spaces
        s = parts[0]
    return s.strip("[]【】()（）\"'“”「」《》") or None


def _source_name(line: str) -> str | None:
    meta = parse_meta_line(line)
    if meta is not None:
        src = meta.get("source")
        if src:
            return _clean_name(src)
    m = _SOURCE_RE.search(normalize_nfkc(line))
    return _clean_name(m["name"]) if m else None


def _furniture(page: Article) -> set[str]:
    lines: set[str] = set()
    for block in (page.declaration or "", page.copyright_notice or "", *page.furniture):
        for ln in block.splitlines():
            if ln.strip():
                lines.add(fold(ln))
    return lines


def _site_text(page: Article) -> tuple[str, list[str]]:
    """The copying site's declaration text (folded) and its furniture lines that are not
    meta lines of the article (footers, navigation)."""
    decl = fold("\n".join((page.declaration or "", page.copyright_notice or "")))
    furn = [fold(ln) for ln in page.furniture if ln.strip() and not _is_article_meta(ln)]
    return decl, furn


def _is_article_meta(line: str) -> bool:
    """An article's own meta line (date + 来源/编辑 …), not navigation that happens to hold a label."""
    meta = parse_meta_line(line)
    return meta is not None and (meta.published is not None or len(meta.fields) >= 2)


def _candidates(page: Article) -> list[tuple[str, str]]:
    """(line, position) of every credit-like line on the page that is not the site's own furniture.

    The page's ``source`` (from its meta line) always counts. Another line does not
    count when it is part of the site's declaration, when it is embedded in a longer
    furniture line (a footer or navigation that quotes a credit), or when it is
    itself a declaration sentence (``凡本网注明“来源:…”``)."""
    decl, furn = _site_text(page)
    out: list[tuple[str, str]] = []
    if page.source:
        out.append((f"来源:{page.source}", "source_line"))
    for ln in page.credit_lines:
        out.append((ln, "source_line"))
    for ln in page.furniture:  # the article's own meta line (date + 来源) filed as furniture
        if _is_article_meta(ln) and _source_name(ln):
            out.append((ln, "source_line"))
    body = page.body
    for i, para in enumerate(body):
        if i >= 2 and i < len(body) - 2:
            continue
        for ln in para.splitlines():
            if is_credit_line(ln) or (parse_meta_line(ln) is not None and _source_name(ln)):
                out.append((ln, "top" if i < 2 else "bottom"))
    kept: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, (ln, pos) in enumerate(out):
        f = fold(ln)
        if not f or f in seen:
            continue
        own_meta = n == 0 and page.source is not None
        if not own_meta and (
            f in decl
            or any(f in fl and fl != f for fl in furn)
            or (is_declaration_start(ln) and len(ln) > 30)
        ):
            continue
        seen.add(f)
        kept.append((ln, pos))
    return kept


def _mentions(text: str, names: Sequence[str]) -> bool:
    f = fold(text)
    return any(fold(n) in f for n in names if n)


def _title_state(page_title: str | None, original: str | None) -> TitleState:
    if not page_title or not original:
        return "n/a"
    o = fold(original)
    p = fold(page_title)
    if p == o:
        return "kept"
    segments = [fold(s) for s in _TITLE_SEP.split(normalize_nfkc(page_title)) if s.strip()]
    if o in segments or any(p.startswith(o + fold(sep)) for sep in ("_", "-", "|", "—")):
        return "kept"
    return "altered"


def _link_state(page: Article, raw_html: bytes | str | None, domains: Sequence[str]) -> LinkState:
    def ours(host: str) -> bool:
        h = host.lower().split(":")[0]
        return any(h == d or h.endswith("." + d) for d in domains)

    if raw_html is not None:
        html = raw_html.decode("utf-8", "replace") if isinstance(raw_html, bytes) else raw_html
        for href in _HREF_RE.findall(html):
            absolute = "://" in href or href.startswith("//")  # ``//news.cri.cn/…`` is protocol-relative
            host = (urlsplit(href).hostname or "") if absolute else ""
            if absolute and ours(host):
                return "present"
        return "absent"
    for host in _URL_RE.findall(page.text):
        if ours(host):
            return "present"
    return "unknown"


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern[str]:
    """A character class of the traditional-only characters (``normalize._traditional_table``):
    one C-level search instead of a Python loop over the probe's characters."""
    from newsrights.core.normalize import _traditional_table

    table = _traditional_table()
    chars = "".join(chr(int(c)) for c in table.nonzero()[0])
    return re.compile("[" + re.escape(chars) + "]") if chars else re.compile(r"(?!x)x")


def simplified_view(page: Article) -> Article:
    """The page with its text fields in simplified script when it is written in traditional
    script (a copy converted to 繁體 keeps its 來源 line and title in that script)."""
    from newsrights.core.normalize import to_simplified_all

    probe = "\n".join((page.title or "", page.source or "", *page.credit_lines, page.text[:400]))
    if _traditional_chars().search(probe) is None:
        return page
    single = (page.title, page.source, page.dateline, page.byline, page.declaration, page.copyright_notice)
    flat = to_simplified_all([*(v or "" for v in single), *page.body, *page.furniture, *page.credit_lines])
    title, source, dateline, byline, declaration, notice = (
        c if v else v for v, c in zip(single, flat[: len(single)], strict=True)
    )
    nb, nf = len(page.body), len(page.furniture)
    rest = flat[len(single) :]
    body, furniture, credit_lines = tuple(rest[:nb]), tuple(rest[nb : nb + nf]), tuple(rest[nb + nf :])
    return page.with_(
        body=body, title=title, source=source, dateline=dateline, byline=byline, declaration=declaration,
        copyright_notice=notice, furniture=furniture, credit_lines=credit_lines,
    )


def check_credit(
    page: Article,
    original: Article,
    *,
    required_credit: str = "来源:国际在线",
    publisher_names: Sequence[str] = ("国际在线",),
    publisher_domains: Sequence[str] = ("cri.cn",),
    raw_html: bytes | str | None = None,
) -> CreditCheck:
    """Check the copying ``page`` against the publisher's ``original`` article (see module doc)."""
    reasons: list[str] = []
    names = tuple(publisher_names)
    page = simplified_view(page)
    cands = _candidates(page)
    ours = [(ln, pos) for ln, pos in cands if _mentions(_source_name(ln) or ln, names)]
    others = [(ln, pos) for ln, pos in cands if (ln, pos) not in ours and _source_name(ln)]
    want = fold(required_credit)
    credit: CreditState
    line: str | None = None
    pos: str | None = None
    named: str | None = None
    exact = False
    if ours:
        exact_hits = [(ln, p) for ln, p in ours if want in fold(ln)]
        line, pos = (exact_hits or ours)[0]
        exact = bool(exact_hits)
        named = _source_name(line)
        credit = "present"
        reasons.append(f"credit_present: {line!r} ({pos})" + ("" if exact else f"; not the exact text {required_credit!r}"))
    elif others:
        line, pos = others[0]
        named = _source_name(line)
        credit = "wrong"
        reasons.append(f"credit_wrong: {line!r} names {named!r} instead of {required_credit!r}")
    else:
        credit = "absent"
        reasons.append(f"credit_absent: no source line names the publisher (required {required_credit!r})")
    # attribution in running text (commentary quoting "国际在线报道…"), not a credit line
    # each paragraph normalised once: for the mentions (fold = lower of it, as _mentions would) and
    # for the whole page (NFKC is closed under joining at a line break, and whitespace is dropped,
    # so fold of the joined text is the lower case of the joined squeezed parts)
    furniture = _furniture(page)
    folded_names = [fold(n) for n in names if n]
    squeezed = [_squeeze(p) for p in page.body]
    in_text = any(any(n in fp for n in folded_names) for fp in (sq.lower() for sq in squeezed) if fp not in furniture)

    extra = (*page.credit_lines, page.dateline or "", page.byline or "", page.source or "")
    fpage = "".join((*squeezed, *map(_squeeze, extra))).lower()

    def kept(value: str | None, what: str) -> KeptState:
        if not value:
            return "n/a"
        if fold(value) in fpage:
            return "kept"
        reasons.append(f"{what}_stripped: {value!r} not on the page")
        return "stripped"

    dateline = kept(original.dateline, "dateline")
    byline = kept(original.byline, "byline")
    title = _title_state(page.title, original.title)
    if title == "altered":
        reasons.append(f"title_altered: {page.title!r} instead of {original.title!r}")
    link = _link_state(page, raw_html, publisher_domains)
    if link == "present":
        reasons.append("link_back_present")
    return CreditCheck(credit, required_credit, line, named, exact, pos, dateline, byline, title, link,
                       in_text, tuple(reasons))
