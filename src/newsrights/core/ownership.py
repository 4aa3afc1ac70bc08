"""Who owns an article, under the declaration in force on its date.

The rule (for our publisher, 国际在线, see ``core/rules/cri.toml``): content
marked ``来源:国际在线`` or carrying one of the owned labels (``国际在线专稿``,
``国际在线消息``, ``国际在线XX消息``, ``国际在线报道``, ``国际在线XX报道``) is the
publisher's own, *except* content explicitly marked as third-party copyright;
content marked ``来源:XXX(非国际在线)`` — in practice any ``来源`` naming
another medium — is reprinted from that medium, which keeps the copyright.

Algorithm (:func:`classify`)
----------------------------
1. Collect evidence from the article's marks, each with where it was seen:

   * *explicit third-party statements*: ``版权归X所有``, ``版权属于X``,
     ``第三方版权``, a copyright notice naming someone else;
   * *owned marks*: the ``来源`` equal to an owned source marker; the dateline,
     a credit line or the opening of the first paragraph matching an owned
     dateline marker (placeholders such as ``XX`` match a place name); a byline
     of the publisher's own staff (``国际在线记者 X``);
   * *third-party marks*: a ``来源`` naming another medium (or matching the
     declaration's reprint marker ``来源:XXX(非国际在线)``); a dateline of
     another medium (``新华社北京8月18日电``); a byline whose unit is another
     medium (``辽宁日报记者 杨忠厚``);
   * *unnamed reprint*: ``来源:转载``, ``来源:网络`` …

2. Decide, first rule that applies:

   * an explicit third-party statement → ``explicit_third_party`` (the
     declaration's own exception: 明确标注为第三方版权的内容除外);
   * owned marks and third-party marks together → ``needs_review``. A label
     such as ``来源:国际在线`` over a byline of 新华社 is a conflict between
     the publisher's label and the authorship of another medium (whose staff's
     work belongs to it, 职务作品); the desk must check the sharing agreement
     before relying on the label, so no enforcement is started on the label alone;
   * owned marks only → ``owned`` (``marker`` is the declaration's marker);
   * third-party marks only → ``third_party`` (``holder`` is the medium named
     in ``来源``, else in the dateline or byline);
   * an unnamed reprint → ``needs_review`` (holder unknown);
   * nothing, and the declaration claims all content (``blanket``) → ``owned``;
   * nothing → ``needs_review`` saying which marks are missing.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newsrights.core.declaration import Declaration, Marker
from newsrights.core.model import CHINA_TZ, Article, Ownership
from newsrights.core.nfkc import normalize_nfkc

_GENERIC_OWN = {"本网", "本站", "原创", "本站原创", "本网原创", "本网讯", "本网专稿"}
_UNNAMED_REPRINT = re.compile(r"^(?:转载|转载文章|网络|互联网|网友|网友投稿|综合|综合报道|网络转载|未知|佚名|其他|其它)$")
_CHANNEL_SPLIT = re.compile(r"\s*[-—–·_|｜/]\s*")
_BRACKETS = re.compile(r"^[\s\[【(（<《]+|[\s\]】)）>》]+$")
_BYLINE_UNIT = re.compile(
    r"^[(（]?\s*(?P<unit>[^\s()（）]*?)\s*(?:驻[^\s]{1,6}?)?"
    r"(?:特约记者|见习记者|实习记者|首席记者|记者|通讯员|实习生|特约评论员|评论员|撰稿人|撰稿)"
)
_DATELINE_MEDIUM = re.compile(
    r"^(?P<m>新华社|中新社|中新网|人民网|央视网|新华网|光明网|中国日报网|环球网|澎湃新闻|中国新闻网|法制网|"
    r"本报|本台|本刊|[\u4e00-\u9fffA-Za-z]{2,10}?(?:日报|晚报|早报|商报|时报|报|网|社|台))"
)
_EXPLICIT = re.compile(
    r"(?:本文|此文|该文|文章|本稿|稿件|作品|图片|视频|内容)?(?:的)?(?:版权|著作权)(?:均)?(?:归|属于|为)"
    r"(?P<h>[^，,。；;]{2,30}?)(?:所有|享有|独家所有)"
)
_THIRD_PARTY_WORDS = re.compile(r"第三方版权|版权归原作者|原作者所有|版权属于原作者")
_REPRINT_CREDIT = re.compile(
    r"^[(（【\[]?\s*(?P<verb>转载自|本文转载自|转自|本文来自|来自|摘自|原载|原文载于|来源|稿源|文章来源|本文来源)\s*[:]?\s*"
    r"(?P<m>[^()（）\[\]【】]{2,30}?)\s*[)）】\]]?\s*$"
)
_CLAIM_WORDS = re.compile(r"版权|著作权|原作者|©|ⓒ|\(c\)|copyright|（c）", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权所有", re.IGNORECASE)


def _nfkc(s: str) -> str:
    return normalize_nfkc(s).strip()


def medium_name(name: str | None) -> str | None:
    """``[ 人民网 ]`` → ``人民网``; ``人民网-文化频道`` → ``人民网``; ``澎湃新闻·澎湃号`` → ``澎湃新闻``."""
    if not name:
        return None
    s = "".join(ch for ch in _nfkc(name) if unicodedata.category(ch) not in ("Co", "Cc", "Cf"))
    s = re.sub(r"^(?:来源|稿源|出处|文章来源|本文来源|新闻来源|信息来源)\s*:\s*", "", s)
    s = re.sub(r"^据\s*", "", _BRACKETS.sub("", s))
    s = _CHANNEL_SPLIT.split(s)[0].strip()
    if re.search(r"[=<>\"{}]", s):  # markup that leaked into a field is not a name
        return None
    return s if re.search(r"[^\W\d_]", s) else None


def byline_medium(byline: str | None) -> str | None:
    """The unit of a byline: ``辽宁日报记者 杨忠厚`` → ``辽宁日报``; ``记者 张三`` → ``None``."""
    if not byline:
        return None
    m = _BYLINE_UNIT.match(_nfkc(byline))
    if not m:
        return None
    unit = m.group("unit").strip("/:：|")
    if not unit:
        return None
    # 顶端新闻·河南商报记者, 新华日报·交汇点记者: of app and paper, the paper is the employer
    parts = [p.strip() for p in _CHANNEL_SPLIT.split(unit) if p.strip()]
    papers = [p for p in parts if re.search(r"(?:报|社|台|网|刊|杂志)$", p)]
    return (papers[-1] if papers else parts[0]) if parts else None


def dateline_medium(dateline: str | None) -> str | None:
    """The medium a dateline names: ``新华社北京8月18日电`` → ``新华社``; ``本报讯`` → ``本报``."""
    if not dateline:
        return None
    m = _DATELINE_MEDIUM.match(re.sub(r"^据\s*", "", _nfkc(dateline)))
    return m.group("m") if m else None


@dataclass(frozen=True, slots=True)
class _Evidence:
    where: str  # 来源 / dateline / byline / credit line / first paragraph / copyright notice
    text: str  # what the page says
    name: str | None = None  # medium or holder named
    marker: Marker | None = None  # for owned evidence: the declaration's marker


def _is_own(name: str, decl: Declaration) -> bool:
    n = _nfkc(name).lower()
    if n in _GENERIC_OWN:
        return True
    return any(n == (o := _nfkc(own).lower()) or (len(o) >= 3 and n.startswith(o)) for own in decl.own_names)


def _q(s: str) -> str:
    return f"“{s}”"


def _explicit(article: Article, decl: Declaration) -> _Evidence | None:
    places: list[tuple[str, str]] = [("credit line", c) for c in article.credit_lines]
    if article.copyright_notice:
        places.append(("copyright notice", article.copyright_notice))
    body = article.body
    for p in list(body[:2]) + list(body[-2:]):
        if len(p) <= 200:
            places.append(("paragraph", p))
    for where, text in places:
        if not _CLAIM_WORDS.search(text):
            continue
        s = _nfkc(text)
        m = _EXPLICIT.search(s)
        if m:
            h = m.group("h").strip(" “”\"")
            if not _is_own(h, decl):
                return _Evidence(where, text, h)
        if _THIRD_PARTY_WORDS.search(s):
            return _Evidence(where, text, "原作者" if "原作者" in s else None)
        if where == "copyright notice" and len(s) <= 200 and _COPYRIGHT.search(s) and s not in _nfkc(decl.text):
            # a notice that is part of the declaration judged under is the site's own, not a marking
            from newsrights.core.declaration import _holder

            h = _holder(s)
            if h and not _is_own(h, decl):
                return _Evidence(where, text, h)
    return None


def _owned_marks(article: Article, decl: Declaration) -> list[_Evidence]:
    out: list[_Evidence] = []
    src = medium_name(article.source)
    for m in decl.owned_markers:
        if m.kind == "source":
            if src and _nfkc(src) == _nfkc(m.value):
                out.append(_Evidence("来源", f"来源:{article.source}", src, m))
            for c in article.credit_lines:
                if m.match(c) and not any(e.marker == m for e in out):
                    out.append(_Evidence("credit line", c, m.value, m))
    places: list[tuple[str, str]] = []
    if article.dateline:
        places.append(("dateline", article.dateline))
    places += [("credit line", c) for c in article.credit_lines]
    if article.body:
        places.append(("first paragraph", article.body[0][:40]))
    for where, text in places:
        # the most specific marker that matches (国际在线北京消息 → 国际在线XX消息, not a bare label)
        hits = [m for m in decl.owned_markers if m.kind == "dateline" and m.match(text)]
        if hits:
            best = max(hits, key=lambda m: len(m.match(text).group(0)))  # type: ignore[union-attr]
            out.append(_Evidence(where, text, None, best))
            break
    unit = byline_medium(article.byline)
    if unit and _is_own(unit, decl) and unit not in ("本报", "本台", "本网", "本站"):
        out.append(_Evidence("byline", article.byline or "", unit))
    return out


def _third_marks(article: Article, decl: Declaration) -> tuple[list[_Evidence], _Evidence | None]:
    out: list[_Evidence] = []
    unnamed: _Evidence | None = None
    src = medium_name(article.source)
    if decl.third_party_marker:
        for text in ([f"来源:{article.source}"] if article.source else []) + list(article.credit_lines):
            mm = decl.third_party_marker.match(text)
            if mm and mm.groupdict().get("wild"):
                out.append(_Evidence("来源", text, mm.group("wild")))
                break
    if not out and src:
        if _UNNAMED_REPRINT.match(src):
            unnamed = _Evidence("来源", f"来源:{article.source}", None)
        elif not _is_own(src, decl):
            out.append(_Evidence("来源", f"来源:{article.source}", src))
    for c in article.credit_lines:
        m = _REPRINT_CREDIT.match(_nfkc(c))
        if not m:
            continue
        name = medium_name(m.group("m"))
        if not name or any(e.name == name for e in out):
            continue
        if m.group("verb").startswith("来源") or m.group("verb").endswith("来源"):
            if src:  # the 来源 field already spoke
                continue
            if _UNNAMED_REPRINT.match(name):
                unnamed = unnamed or _Evidence("credit line", c, None)
                continue
        if not _is_own(name, decl):
            out.append(_Evidence("credit line", c, name))
    dl_medium = dateline_medium(article.dateline)
    if dl_medium and not _is_own(dl_medium, decl) and dl_medium not in ("本报", "本台", "本刊"):
        if not any(m.match(article.dateline or "") for m in decl.owned_markers):
            out.append(_Evidence("dateline", article.dateline or "", dl_medium))
    unit = byline_medium(article.byline)
    if unit and not _is_own(unit, decl) and unit not in ("本报", "本台", "本刊", "本网", "本站"):
        out.append(_Evidence("byline", article.byline or "", unit))
    return out, unnamed


def _decl_ref(decl: Declaration) -> str:
    site = decl.site or "the site"
    eff = f", effective {decl.effective.isoformat()}" if decl.effective else ""
    return f"declaration of {site} (version {decl.version}{eff})"


def _describe(e: _Evidence) -> str:
    if e.marker is not None:
        shown = e.text.split(":", 1)[-1] if e.where == "来源" else e.text
        return f"{e.where} {_q(shown)} matches the owned marker {_q(e.marker.text)}"
    if e.where == "byline":
        return f"byline {_q(e.text)} names a reporter of {e.name}"
    if e.where == "dateline":
        return f"dateline {_q(e.text)} is a dispatch of {e.name}"
    if e.where == "来源":
        return f"来源 {_q(e.text.split(':', 1)[-1])} names another medium, {e.name}"
    return f"{e.where} {_q(e.text)} names {e.name}"


def classify(article: Article, declaration: Declaration, *, publisher: Declaration | None = None) -> Ownership:
    """Classify ``article`` under ``declaration`` (see the module docstring for the rules).

    With ``publisher`` (the catalog's own declaration) and a ``declaration`` of
    another site, the answer is given from the publisher's side: what that site
    owns is a third party's (``third_party``, holder the site), never ``owned``.
    """
    result = _classify(article, declaration)
    if publisher is None or declaration is publisher:
        return result
    names = set(declaration.own_names)
    if declaration.aliases or names & set(publisher.own_names):
        return result
    if result.holder and _is_own(result.holder, publisher):
        # another site's page crediting the publisher: the publisher's rules decide
        ours = _classify(article.with_(copyright_notice=None), publisher)  # the notice is the other site's
        return Ownership(
            ours.class_, holder=ours.holder, marker=ours.marker,
            reasons=ours.reasons + (f"the page is another site's but names {result.holder} as the source; judged under the {_decl_ref(publisher)}",),
            declaration_version=ours.declaration_version,
        )
    if result.class_ != "owned":
        return result
    holder = result.holder or declaration.holder or declaration.site
    return Ownership(
        "third_party",
        holder=holder,
        reasons=result.reasons
        + (
            f"the page is another site's ({holder or 'its declaration names no holder'}), not {publisher.site or 'the publisher'}'s: "
            "what it owns is a third party's",
        ),
        declaration_version=result.declaration_version,
    )


def _classify(article: Article, declaration: Declaration) -> Ownership:
    decl = declaration
    ver = decl.version
    site = decl.site or "the publisher"
    ref = _decl_ref(decl)
    notes: list[str] = []
    # the article's calendar day in China (the declaration's effective dates are China dates)
    pub = article.published
    day = (pub.astimezone(CHINA_TZ) if pub.tzinfo else pub).date() if pub is not None else None
    if day and decl.effective and day < decl.effective:
        notes.append(
            f"the {ref} took effect after the article's date {day.isoformat()}; "
            "no earlier version was registered, so it is applied"
        )

    explicit = _explicit(article, decl)
    if explicit is not None:
        reasons = [
            f"{explicit.where} {_q(explicit.text)} marks the content as third-party copyright"
            + (f" (holder {explicit.name})" if explicit.name else ""),
        ]
        if "explicit_third_party" in decl.exceptions:
            reasons.append(f"the {ref} excepts content explicitly marked as third-party copyright (明确标注为第三方版权的内容除外)")
        return Ownership("explicit_third_party", holder=explicit.name, reasons=tuple(reasons + notes), declaration_version=ver)

    owned = _owned_marks(article, decl)
    third, unnamed = _third_marks(article, decl)

    if owned and third:
        holder = third[0].name
        marker = next((e.marker.text for e in owned if e.marker), None)
        reasons = [_describe(e) for e in owned] + [_describe(e) for e in third]
        reasons.append(
            f"conflict: the page labels the article as {site}'s own but also names {holder} as its author or source; "
            f"work by another medium's staff belongs to that medium (职务作品), so the label alone is not relied on — "
            f"check the sharing agreement with {holder} before enforcing"
        )
        return Ownership("needs_review", holder=holder, marker=marker, reasons=tuple(reasons + notes), declaration_version=ver)

    if owned:
        first = next((e for e in owned if e.marker), owned[0])
        marker = first.marker.text if first.marker else f"{first.name}记者"
        reasons = [_describe(e) if e.marker else f"byline {_q(e.text)} names {site}'s own reporter" for e in owned]
        if first.marker is None:
            reasons.append(f"the {ref} lists its owned markers as “包括但不限于” (including but not limited to); own staff's work is {site}'s")
        else:
            reasons.append(f"under the {ref}, content with this marker is {site}'s own copyright")
        return Ownership("owned", holder=site if decl.site else None, marker=marker, reasons=tuple(reasons + notes), declaration_version=ver)

    if third:
        src = next((e for e in third if e.where == "来源"), third[0])
        holder = src.name
        reasons = [_describe(e) for e in third]
        agree = [e for e in third if e is not src and e.name and e.name != holder]
        if agree:
            reasons.append(f"the marks name different media ({', '.join(sorted({e.name or '' for e in third}))}); holder taken from the {src.where}")
        if decl.third_party_marker:
            reasons.append(
                f"under the {ref}, content marked {_q(decl.third_party_marker.text)} is reprinted from other media "
                "(转载自其它媒体); the copyright stays with the medium named"
            )
        else:
            reasons.append(f"{holder} is not {site}: the content is reprinted and its copyright stays with {holder}")
        return Ownership("third_party", holder=holder, reasons=tuple(reasons + notes), declaration_version=ver)

    if unnamed is not None:
        reasons = [f"来源 {_q(unnamed.text.split(':', 1)[-1])} says the content is reprinted but names no holder"]
        return Ownership("needs_review", reasons=tuple(reasons + notes), declaration_version=ver)

    if decl.blanket:
        reasons = [f"no source, dateline or byline names anyone else, and the {ref} claims all content of the site"]
        return Ownership("owned", holder=decl.holder or decl.site, marker=None, reasons=tuple(reasons + notes), declaration_version=ver)

    markers = "、".join(m.text for m in decl.owned_markers) or "none"
    missing = []
    if not article.source:
        missing.append("no 来源 line")
    if not article.dateline:
        missing.append("no dateline")
    if not article.byline:
        missing.append("no byline")
    reasons = [
        (", ".join(missing) or "no mark names a holder")
        + f"; none of the owned markers of the {ref} ({markers}) appears on the page"
    ]
    return Ownership("needs_review", reasons=tuple(reasons + notes), declaration_version=ver)
