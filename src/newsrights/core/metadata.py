"""Chinese news page metadata: pure parsing of the lines around an article.

A Chinese news page wraps its main text in a small, fairly regular set of
lines. This module recognises them without any I/O, so the plain-text reader,
the HTML reader and the ninjs reader share one set of rules:

* **meta lines** — ``2021-08-19 09:40:53来源:辽宁日报编辑:王巍责编:李胜兰``,
  ``来源：新华网 | 作者：张三 | 2021年08月19日 09:40``: labels (来源, 稿源,
  编辑, 责编/责任编辑, 作者, 发布时间 …) each followed by a colon (half or
  full width) and a value running to the next label or separator; a date may
  stand anywhere in the line (:func:`parse_meta_line`);
* **dates** in the common shapes (``2021-08-19 09:40``, ``2021年08月19日``,
  ``2021/8/19``, ISO 8601 with zone), read in Asia/Shanghai when no zone is
  given (:func:`parse_datetime`);
* **datelines** opening the first paragraph — ``国际在线消息``, ``国际在线专稿``,
  ``国际在线XX报道``, ``新华社北京8月18日电``, ``本报讯``, ``央视网消息``,
  ``中新网8月18日电`` — optionally followed by a parenthesised byline
  (:func:`split_dateline`);
* **bylines** — unit + role + names: ``辽宁日报记者 杨忠厚``, ``(记者 张三 李四)``,
  ``文/张三`` (:func:`parse_byline`, :func:`split_trailing_byline`);
* **declaration blocks** of any site — a short heading ending in 声明/公告,
  ``版权声明``, ``Copyright ©``, ``未经授权禁止转载`` … (:func:`is_declaration_start`);
* **credit lines** — ``来源：…``, ``转载自…``, ``本文来自…`` (:func:`is_credit_line`);
* **furniture** — navigation, related links, share buttons, trailing 责任编辑
  lines (:func:`is_furniture_line`).

:func:`structure` puts these together: given the page's paragraphs (and a
title when the container provides one) it returns :class:`PageParts` with the
body split from header, credit lines, declaration and furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from newsrights.core.model import CHINA_TZ
from newsrights.core.nfkc import normalize_nfkc

# --------------------------------------------------------------------- text

_SPACES = "\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff"
_SPACE_RE = re.compile(f"[{_SPACES}]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_NAME = rf"[{_CJK}·•]{{2,5}}|[A-Za-z][A-Za-z .'-]{{1,40}}[A-Za-z]"


def clean_line(line: str) -> str:
    """Strip a line and turn the odd space characters (NBSP, ideographic space,
    zero-width space, BOM) into plain spaces; punctuation is left as it is."""
    return _SPACE_RE.sub(" ", line).strip()


def cjk_ratio(text: str) -> float:
    """Share of CJK ideographs among the non-space characters of ``text``."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff") / len(chars)


# -------------------------------------------------------------------- dates

_DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:[\sT]*(?:[上下]午)?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2})(?:\.\d+)?)?\s*秒?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def find_date(text: str) -> tuple[datetime, int, int] | None:
    """The first plausible date in ``text`` with its ``[start, end)`` span."""
    for m in _DATE_RE.finditer(normalize_nfkc(text)):  # ASCII text is returned as it is
        dt = _to_datetime(m)
        if dt is not None:
            return dt, m.start(), m.end()
    return None


def _to_datetime(m: re.Match[str]) -> datetime | None:
    try:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        hh = int(m["H"]) if m["H"] else 0
        mi = int(m["M"]) if m["M"] else 0
        ss = int(m["S"]) if m["S"] else 0
        if m["H"] and "下午" in m.group(0) and hh < 12:
            hh += 12
        dt = datetime(y, mo, d, hh, mi, ss)
    except (ValueError, TypeError):
        return None
    tz = m["tz"]
    if tz:
        try:
            return datetime.fromisoformat(dt.isoformat() + ("+00:00" if tz == "Z" else _colon_tz(tz)))
        except ValueError:
            return dt.replace(tzinfo=CHINA_TZ)
    return dt.replace(tzinfo=CHINA_TZ)


def _colon_tz(tz: str) -> str:
    return tz if ":" in tz else tz[:3] + ":" + tz[3:]


def parse_datetime(text: str | None) -> datetime | None:
    """Parse a date/time in any common shape; no zone means Asia/Shanghai.

    ISO 8601 strings (``2021-08-19T09:40:53+08:00``, ``…Z``) are read
    exactly; otherwise the first ``Y-M-D [H:M[:S]]`` shape in the text is
    used (separators ``- / .`` or 年月日, times with ``:`` or 时分秒).
    """
    if not text:
        return None
    s = clean_line(text)
    if _ISO_RE.match(s):
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
            return dt if dt.tzinfo else dt.replace(tzinfo=CHINA_TZ)
        except ValueError:
            pass
    found = find_date(s)
    return found[0] if found else None


# --------------------------------------------------------------- meta lines

#: label -> field; longer labels first so 责任编辑 wins over 编辑.
META_LABELS: tuple[tuple[str, str], ...] = (
    ("责任编辑", "responsible_editor"),
    ("值班编辑", "responsible_editor"),
    ("责编", "responsible_editor"),
    ("网络编辑", "editor"),
    ("编辑", "editor"),
    ("编审", "responsible_editor"),
    ("来源于", "source"),
    ("文章来源", "source"),
    ("新闻来源", "source"),
    ("信息来源", "source"),
    ("来源", "source"),
    ("稿源", "source"),
    ("出处", "source"),
    ("作者", "author"),
    ("撰文", "author"),
    ("执笔人", "author"),
    ("执笔", "author"),
    ("记者", "author"),
    ("通讯员", "author"),
    ("发布时间", "date"),
    ("发表时间", "date"),
    ("发稿时间", "date"),
    ("更新时间", "date"),
    ("发布日期", "date"),
    ("时间", "date"),
    ("日期", "date"),
    ("字号", "noise"),
    ("点击", "noise"),
    ("浏览", "noise"),
    ("阅读", "noise"),
    ("评论", "noise"),
    ("分享到", "noise"),
    ("打印", "noise"),
    ("Source", "source"),
    ("Editor", "editor"),
)
_LABEL_ALT = "|".join(re.escape(lbl) for lbl, _ in META_LABELS)
_LABEL_RE = re.compile(rf"[【\[]?\s*(?P<label>{_LABEL_ALT})\s*(?:次数|量)?\s*[】\]]?\s*[:：]\s*")
_FIELD = dict(META_LABELS)
_VALUE_STOP = re.compile(r"\s*(?:[|｜丨/]|\s{2,}|[【】\[\]])\s*")
#: markup that leaked into the text (``size="20"``, ``<b>``): never a name or a source
_MARKUP_LEAK = re.compile(r"[=<>\"{}]")
_BRACKETED_NAME = re.compile(
    rf"^\s*[\[【]\s*(?P<n>[{_CJK}·]{{2,4}}(?:[\s、][{_CJK}·]{{2,4}}){{0,3}})\s*[\]】]\s*$"
)


def _strip_value(value: str) -> str:
    """Trim separators and brackets around a value, keeping a closing bracket
    whose opening one is inside (``周思博 (Joel Spolsky)``)."""
    v = value.strip(" ,，;；|｜丨【】[]")
    while v and v[-1] in ")）" and v.count("(") + v.count("（") < v.count(")") + v.count("）"):
        v = v[:-1].rstrip()
    while v and v[0] in "(（" and v.count("(") + v.count("（") > v.count(")") + v.count("）"):
        v = v[1:].lstrip()
    return v.strip(" ,，;；|｜丨【】[]")


@dataclass(frozen=True, slots=True)
class MetaLine:
    """What one meta line says: fields found (``source``, ``editor``,
    ``responsible_editor``, ``author``) and the date, if any."""

    fields: tuple[tuple[str, str], ...] = ()
    published: datetime | None = None

    def get(self, name: str) -> str | None:
        for k, v in self.fields:
            if k == name:
                return v
        return None


def parse_meta_line(line: str, *, max_len: int = 220) -> MetaLine | None:
    """Parse a line of labelled metadata, or ``None`` when it is not one.

    The line is cut at every label occurrence (``来源:``, ``责编：`` …); each
    value runs to the next label, a ``|``/``丨`` separator or a wide gap, and
    any date inside it is lifted out. The text before the first label may
    only be a date or a few characters of noise; otherwise the line is prose
    that merely contains the word 来源 and is not a meta line. A line holding
    only a date (and at most a few other characters) is a meta line too.
    """
    s = clean_line(line)
    if not s or len(s) > max_len:
        return None
    matches = list(_LABEL_RE.finditer(s))
    if not matches:
        if len(s) > 60:  # neither date-line rule below can hold: skip the date search (prose)
            return None
        found = find_date(s)
        if found and len(s) - (found[2] - found[1]) <= 6 and len(s) <= 40:
            return MetaLine((), found[0])
        if found and len(s) <= 60 and found[2] - found[1] >= 10 and not re.search(r"[，。；！？,;!?]", s):
            # "http://www.sina.net 2005年03月21日 11:21 《理财周刊》": a date line with page noise
            return MetaLine((), found[0])
        return None
    prefix = s[: matches[0].start()]
    published: datetime | None = None
    found = find_date(prefix)
    rest = prefix
    if found:
        published = found[0]
        rest = prefix[: found[1]] + prefix[found[2] :]
    rest = re.sub(
        r"(?:https?://)?[\w-]+(?:\.[\w-]+)+\S*", "", rest
    )  # a site's domain printed beside the date
    # "2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]": the unlabelled name in brackets is the author
    bracketed = _BRACKETED_NAME.match(rest)
    rest = re.sub(r"[\s|｜丨/【】\[\]]", "", rest)
    if len(rest) > 8 or re.search(r"[，。；！？,;]", rest):
        return None
    fields: list[tuple[str, str]] = []
    if bracketed and not _NOT_NAME.search(bracketed["n"]):
        fields.append(("author", re.sub(r"\s+", " ", bracketed["n"])))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        value = s[m.end() : end]
        d = find_date(value)
        if d:
            if published is None:
                published = d[0]
            value = value[: d[1]] + " " + value[d[2] :]
        stop = _VALUE_STOP.search(value)
        if stop and stop.start() > 0:
            value = value[: stop.start()]
        value = _strip_value(value)
        kind = _FIELD[m["label"]]
        if kind == "date" or kind == "noise" or not value or _MARKUP_LEAK.search(value):
            continue
        if len(value) > 40 or re.search(r"[。？！?!]", value) or value.count("，") > 1:
            return None
        fields.append((kind, value))
    if not fields and published is None:
        # only noise labels (字号, 点击): still page furniture, not body
        return MetaLine((), None)
    return MetaLine(tuple(fields), published)


# ------------------------------------------------------------ original title

_ORIG_TITLE_RE = re.compile(r"^[【\[(（]?\s*原标题\s*[:：】\]]\s*(?P<t>.+?)\s*[)）】\]]?$")


def parse_original_title(line: str) -> str | None:
    """``原标题:XXX`` → ``XXX`` (NBSP and ideographic spaces become plain spaces)."""
    m = _ORIG_TITLE_RE.match(clean_line(line))
    return m["t"].strip() if m else None


# ------------------------------------------------------------------ bylines

_ROLE = r"(?:特约记者|见习记者|实习记者|首席记者|本报记者|本台记者|记者|通讯员|实习生|撰稿|编译|摄影|作者|文/图|图/文)"
#: one-character roles (文/张三, 图：李四) need their separator, else 文章编辑 would read as 文 + 章编辑
_SHORT_ROLE = r"(?:文|图|摄)\s*[/：:|]"
_BYLINE_RE = re.compile(
    rf"^(?P<unit>[{_CJK}A-Za-z]{{0,12}}?)(?P<role>{_ROLE}\s*[/：:|]?|{_SHORT_ROLE})\s*"
    rf"(?P<names>(?:{_NAME})(?:\s*[\s、,，和及/]\s*(?:{_ROLE}\s*[/：:]?\s*)?(?:{_NAME}))*)$"
)


_EN_WORD = r"(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.|(?:de|da|di|van|von|der|den|del|la|le|bin|al))"
_EN_NAME = rf"[A-Z][a-zA-Z'’-]+(?:\s+{_EN_WORD}){{1,4}}"
_EN_BYLINE_RE = re.compile(
    rf"^(?:By|BY|by)\s*:?\s+(?P<names>{_EN_NAME}(?:\s*(?:,|\band\b|&)\s*{_EN_NAME})*)$"
)


def parse_byline(text: str) -> str | None:
    """``text`` as a byline (unit + role + names) or ``None``.

    Accepts ``辽宁日报记者 杨忠厚``, ``记者 张三 李四``, ``本报记者 张三、李四
    通讯员 王五``, ``文/张三``; returns it with spaces normalised. An English
    byline line, ``By Jane Roe`` / ``BY JANE ROE and JOHN DOE``, gives its
    names without the ``By`` (capitalised words, two to five per name).
    """
    s = re.sub(r"\s+", " ", clean_line(text)).strip(" 。.")
    if not s or len(s) > 60:
        return None
    en = _EN_BYLINE_RE.match(s)
    if en:
        return _english_names(en["names"])
    return s if _BYLINE_RE.match(s) else None


_EN_ROLE = re.compile(
    r"\b(?:reporter|editor|correspondent|writer|staff|contributor|columnist|producer|photographer|analyst"
    r"|journalist|presenter|chief|senior)\b",
    re.I,
)


def _english_names(names: str) -> str | None:
    """The names of an English byline: job titles among them dropped (``Jon King, News
    Reporter`` → ``Jon King``), an all-capitals line set in title case (``JANE ROE`` →
    ``Jane Roe``)."""
    kept = [p.strip() for p in re.split(r"\s*,\s*", names) if p.strip() and not _EN_ROLE.search(p)]
    if not kept:
        return None
    out = ", ".join(kept)
    if re.sub(r"\band\b", "", out).isupper():
        out = re.sub(r"[A-Z][A-Z'’-]+", lambda m: m[0].capitalize(), out)
    return out


_TRAILING_PAREN_RE = re.compile(r"[(（](?P<inner>[^()（）]{2,60})[)）]\s*$")


def split_trailing_byline(paragraph: str) -> tuple[str, str | None]:
    """Remove a parenthesised byline closing a paragraph: ``…工作。(辽宁日报记者 杨忠厚)``,
    ``…过程吗？”（姚峰 上海报道）``, ``…（袁源）`` (a bare name of 2–4 characters)."""
    m = _TRAILING_PAREN_RE.search(paragraph)
    if m:
        inner = clean_line(m["inner"])
        by = parse_byline(inner) or find_byline(inner)
        if not by:
            bare = re.match(
                rf"^(?P<n>[{_CJK}]{{2,4}}(?:[ 、][{_CJK}]{{2,4}})*?)(?:\s*[{_CJK}]{{0,6}}(?:报道|发自[{_CJK}]+))?$",
                inner,
            )
            if bare and not re.search(r"(?:完|图|摄|组图|资料|视频|译|注|下同|同上|\d)", bare["n"]):
                by = bare["n"]
        if by:
            return paragraph[: m.start()].rstrip(), by
    return paragraph, None


_INLINE_BYLINE_RE = re.compile(
    rf"(?P<unit>[{_CJK}·]{{0,12}}?)(?P<role>(?:本报|本台|本刊|本网)?(?:特约|见习|实习|首席)?记者|通讯员|作者|撰文|撰稿|编译|文\s*/|文\s*[:：]|文字)"
    rf"\s*[:：/｜|]?\s*(?P<names>[{_CJK}·]{{2,12}}(?:[\s、,，]+[{_CJK}·]{{2,12}})*)"
)
_NAME_STOP = re.compile(r"(?:发自|报道|摄影?|整理|综合|供图|受访者|通讯员|实习生|编辑|责编|来源|/|\s*$)")
_NAME_AFTER_RE = re.compile(
    rf"(?P<names>[{_CJK}·]{{2,4}}(?:[\s、][{_CJK}·]{{2,4}})*)\s*/\s*(?:文|图|摄)(?![{_CJK}])"
)


#: characters (function words, common nouns) that do not occur in the names of a byline
_NOT_NAME = re.compile(
    r"[的了是在这那个们说就到要会对也把被让从向给和与及或等该其此位系联手记出处转载品息看文章单]"
)


def find_byline(line: str, *, max_len: int = 60) -> str | None:
    """A byline stated inside a short line: ``新京报记者 彭冲 山东冠县报道`` →
    ``新京报记者 彭冲``; ``本报记者罗科苏盈发自北京`` → ``本报记者 罗科苏盈``;
    ``作者：罗银胜``; ``张三/文``. Long lines (prose) are not searched:
    ``记者一眼就注意到…`` in a paragraph is not a byline."""
    s = clean_line(line)
    if not s or len(s) > max_len or re.search(r"[。！？]", s):
        return None
    m = _INLINE_BYLINE_RE.search(s)
    if m and m["role"].startswith(("作者", "文")) and m["unit"]:
        m = None  # "与作者联系", "该作者文章": the word, not a credit
    if m:
        names = m["names"]
        cut = _NAME_STOP.search(names)
        if cut and cut.start() > 0:
            place_follows = cut.group(0) in ("报道", "发自")
            names = names[: cut.start()]
            if place_follows and " " in names.strip():
                names = names.strip().rsplit(" ", 1)[0]  # "彭冲 山东冠县报道": the last word is the place
        names = re.sub(r"\s+", " ", names).strip(" 、,，")
        kept = []
        for tok in re.split(r"(\s+|[、,，])", names):
            if tok.strip(" 、,，") and (len(tok) > 5 or _NOT_NAME.search(tok)):
                break  # "伊琳 李清芬 个人简介": the names end where ordinary words begin
            kept.append(tok)
        names = "".join(kept).strip(" 、,，")
        if len(names) >= 2 and len(names.split()[0] if names.split() else names) <= 5:
            role = re.sub(r"\s*[:：/]\s*$", "", m["role"].strip())
            return f"{m['unit']}{role} {names}".strip()
    m2 = _NAME_AFTER_RE.search(s)
    if m2:
        return m2["names"]
    return None


_POSTER_BEFORE = re.compile(
    r"^(?:作者\s*[:：]\s*)?(?P<n>[^\s:：|｜,，。\[\]【】()（）<>]{2,20}?)\s*(?:发表于|发布于|发表时间|posted\s+on)\s*[:：]?\s*(?=\d)",
    re.I,
)
_POSTER_BY_BOARD = re.compile(r"^本?[贴帖文]子?由\s*(?P<n>[^\s于]{2,20}?)\s*于\s*(?=\d)")
_POSTER_BY = re.compile(
    r"(?:^|\s)(?:posted\s+)?by\s*[:：]?\s+(?P<n>[^\s〓|｜,，]{2,20}(?:\s[A-Z][a-z]+){0,2}?)"
    r"\s*(?:[〓|｜]|\s(?:on|at)\s|$)",
    re.I,
)
_NOT_POSTER = re.compile(r"^(?:本|此|该|原|文章|帖子|网友|匿名|游客|admin$)|点击|收藏|评论|回复", re.I)


def find_poster(line: str) -> str | None:
    """The poster named in a forum or blog post stamp — a short line that
    states a date and who posted: ``ggjjzhzz 发表于 2005-9-15 11:46:00``,
    ``本贴由大卫于2005年8月12日16:12:21在〖…〗发表``, ``发布时间 2005/05/17
    22:11:42 by 眉间尺``, ``Posted by Jane Roe on 5 May 2021``. On a post the
    poster is its author. Lines without a date, long lines (prose) and
    pronoun-like "names" (``本文发表于…``) are not stamps."""
    s = clean_line(line).strip("〓=-—* ")
    if not s or len(s) > 120 or find_date(s) is None and not re.search(r"\d{1,2}:\d{2}", s):
        return None
    for rx in (_POSTER_BEFORE, _POSTER_BY_BOARD, _POSTER_BY):
        m = rx.search(s)
        if m and not _NOT_POSTER.search(m["n"]) and not _MARKUP_LEAK.search(m["n"]):
            return m["n"].strip()
    return None


_NAME_LINE = re.compile(rf"^[{_CJK}·]{{2,4}}(?:(?:\s*[、，,]\s*|\s+)[{_CJK}·]{{2,4}}){{0,5}}$")
#: two-character surnames: a four-character name must start with one (else 谍照趣图 would be a name)
_COMPOUND_SURNAME = re.compile(
    r"^(?:欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|独孤|南宫|西门|轩辕|歐陽|司馬|諸葛|東方)"
)
#: words that stand alone on a line under a headline but are headings or channels, not names
_NOT_NAME_WORD = re.compile(
    r"摘要|前言|导读|引言|概述|简介|正文|目录|图片|视频|新闻|首页|专题|评论|频道|热点|国际|国内|社会|娱乐"
    r"|体育|财经|科技|军事|教育|健康|旅游|汽车|房产|文化|历史|读书|时尚|博客|论坛|社区|登录|注册|搜索"
    r"|返回|更多|推荐|排行|广告|天气|编辑|记者|作者|来源|声明|公告|通知|全文|附件|原文|要闻|快讯|动态"
    r"|首頁|新聞|頻道|評論|熱點|國際|國內|體育|財經|軍事|歷史|讀書|論壇|社區|登錄|登入|註冊|搜尋|推薦|廣告"
    r"|天氣|編輯|記者|來源|聲明|通知|附件|要聞|快訊|動態|圖片|視頻|影音|專題|專欄|专栏|網誌|网志|相簿|相册"
    r"|昨天|今天|明天|前天|刚刚|剛剛|小时|小時|分钟|分鐘|日前|近日|上午|下午|晚上|凌晨|本周|上周|星期|周[一二三四五六日]"
)


def bare_names(line: str) -> str | None:
    """``line`` when it is nothing but one to six Chinese names (2–3
    characters each, 4 with a two-character surname such as 欧阳; separated
    by ``、``, commas or spaces): ``茉莉``, ``赵延东、风笑天``.
    Alone, such a line means nothing; right under a headline and over the
    text it is the author (essays, columns, magazine and blog pages print
    ``标题 / 作者名 / 正文``). Function words, heading or channel words
    (``摘要``, ``国内``, ``图片`` …) and organisation endings (网, 报, 社 …)
    rule a line out."""
    s = clean_line(line)
    if not _NAME_LINE.match(s):
        return None
    for part in re.split(r"\s*[、，,]\s*|\s+", s):
        if _NOT_NAME.search(part) or _NOT_NAME_WORD.search(part):
            return None
        if len(part) == 4 and not _COMPOUND_SURNAME.match(part):
            return None
        if part[-1] in "网網报報社台站刊部局厅廳委院所处處组組团團队隊":
            return None  # an organisation: 报纸网, 新华社, 宣传部
    return s


# ---------------------------------------------------------------- datelines

_DATELINE_RE = re.compile(
    rf"^(?P<dl>据?(?:"
    rf"国际在线(?:[{_CJK}]{{0,8}}?)?(?:消息|专稿|报道|综合报道)"
    rf"|(?:新华社|中新社|中新网|人民网|央视网|新华网|光明网|中国日报网|环球网|澎湃新闻|中国新闻网|法制网|[{_CJK}]{{2,8}}(?:网|社|台|报))"
    rf"[{_CJK}]{{0,6}}?(?:\d{{1,2}}月\d{{1,2}}日)?(?:电|消息|讯|报道)"
    rf"|本报(?:[{_CJK}]{{0,8}}?)?讯|本台(?:[{_CJK}]{{0,8}}?)?消息|[{_CJK}]{{2,6}}(?:讯|消息)(?=[(（\s])"
    rf"))"
)
_DATELINE_TAIL_RE = re.compile(r"^\s*[(（](?P<inner>[^()（）]{2,60})[)）]")


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a dateline (and a parenthesised byline after it) off a paragraph.

    Returns ``(dateline, byline, rest)``; ``rest`` is the paragraph without
    them and without the separator (space, colon, comma) that followed.
    """
    s = paragraph.lstrip()
    m = _DATELINE_RE.match(s)
    if not m or len(m["dl"]) > 24:
        return None, None, paragraph
    dateline = m["dl"]
    rest = s[m.end() :]
    byline = None
    t = _DATELINE_TAIL_RE.match(rest)
    if t:
        by = parse_byline(t["inner"])
        if by:
            byline = by
            rest = rest[t.end() :]
    if rest and rest[0] not in " :：,，　\u00a0" and not byline:
        # "本报讯" must be followed by a separator or a byline to count
        if not dateline.endswith(("电", "消息", "讯", "专稿", "报道")):
            return None, None, paragraph
    rest = rest.lstrip(" :：,，　\u00a0")
    return dateline, byline, rest


# ------------------------------------------------- declarations, credits, furniture

_DECL_HEAD_RE = re.compile(
    r"^(?:[\w\u3400-\u9fff]{0,24}(?:版权(?:与[\u3400-\u9fff]{0,16})?声明|免责声明|郑重声明|郑重公告|版权说明|转载声明|法律声明|版权公告|的声明))\s*[:：]?$"
)
_DECL_ANY_RE = re.compile(
    r"(?:版权声明|免责声明|郑重声明|版权所有|Copyright|©|\(c\)\s*\d{4}|All Rights Reserved"
    r"|未经[\u3400-\u9fff]{0,6}(?:授权|许可|同意)[\u3400-\u9fff，,、]{0,20}(?:不得|禁止|严禁)[\u3400-\u9fff]{0,4}(?:转载|复制|使用|摘编)"
    r"|(?:禁止|严禁|谢绝)(?:任何)?[\u3400-\u9fff]{0,4}转载|凡本网注明)",
    re.IGNORECASE,
)


def is_declaration_start(line: str) -> bool:
    """Does ``line`` open a site's copyright/disclaimer block?

    Either a short heading ending in 声明/公告 (``国际在线版权与信息产品内容
    销售的声明``, ``版权声明``, ``免责声明：``) or a line stating the rule
    itself (``Copyright ©``, ``版权所有``, ``未经授权禁止转载``, ``凡本网注明…``).
    """
    s = clean_line(line)
    if not s:
        return False
    if len(s) <= 40 and _DECL_HEAD_RE.match(s):
        return True
    if s.startswith(("版权声明", "免责声明", "郑重声明", "声明：", "声明:", "【版权声明】", "[版权声明]")):
        return True
    return len(s) <= 300 and _DECL_ANY_RE.search(s) is not None


_CREDIT_RE = re.compile(
    r"^[(（【\[]?\s*(?:文章|新闻|信息|本文|稿件)?(?:来源|稿源|出处|来自|转载自|转自|本文转载自|本文来自|本文来源于|摘自|原载|原文载于|据)"
    r"\s*[:：]?\s*\S{2,40}?\s*[)）】\]]?\s*$"
)


def is_credit_line(line: str) -> bool:
    """A source/credit line: ``来源:国际在线``, ``(来源：人民日报)``, ``转载自新华网``,
    ``本文来自…``, ``摘自…``. Short lines only; prose mentioning a source is not one."""
    s = clean_line(line)
    if not s or len(s) > 60:
        return False
    if (
        _CREDIT_RE.match(s)
        and not s.startswith("据")
        or s.startswith("据")
        and s.endswith(("报道", "消息"))
        and len(s) < 30
    ):
        return True
    return False


_FURNITURE_EXACT = {
    "相关新闻",
    "相关阅读",
    "相关链接",
    "相关文章",
    "延伸阅读",
    "推荐阅读",
    "热点推荐",
    "猜你喜欢",
    "更多",
    "分享到",
    "分享",
    "打印",
    "关闭",
    "关闭窗口",
    "返回顶部",
    "回到顶部",
    "收藏",
    "举报",
    "纠错",
    "上一篇",
    "下一篇",
    "上一页",
    "下一页",
    "首页",
    "返回首页",
    "扫一扫",
    "(完)",
    "（完）",
    "【完】",
    "[责任编辑]",
    "点击进入专题",
    "我要评论",
    "评论",
    "网友评论",
    "发表评论",
    "字号：大 中 小",
}
_FURNITURE_START = (
    "相关新闻",
    "相关阅读",
    "相关链接",
    "延伸阅读",
    "推荐阅读",
    "上一篇",
    "下一篇",
    "分享到",
    "扫一扫",
    "您当前的位置",
    "当前位置",
    "您的位置",
    "你的位置",
    "所在位置",
    "责任编辑",
    "【责任编辑",
    "[责任编辑",
    "(责任编辑",
    "（责任编辑",
    "编辑：",
    "编辑:",
    "(编辑",
    "（编辑",
    "【编辑",
    "责编",
    "(责编",
    "（责编",
    "【纠错】",
    "关键词：",
    "关键词:",
    "标签：",
    "标签:",
    "Tags:",
    "打印本页",
    "【打印",
    "[打印",
    "点击排行",
    "返回列表",
)
_MENU_SPLIT = re.compile(r"\s+[-|｜·•/]\s+|\s*[|｜\\]\s*|\s{2,}|\s*›\s*")


def _is_menu(line: str) -> bool:
    """A menu bar: four or more short items joined by ``-``, ``|``, ``·`` or wide gaps
    (``搜狐首页 - 新闻 - 体育 - 娱乐``), with no sentence punctuation; or a tool bar
    of three or more bracketed buttons (``【推荐】【打印】【关闭】``)."""
    if re.search(r"[。！？；，,;!?]", line):
        return False
    buttons = re.findall(r"[【\[][^】\]]{1,12}[】\]]", line)
    if len(buttons) >= 3 and len(re.sub(r"[【\[][^】\]]{1,12}[】\]]|\s", "", line)) <= 8:
        return True
    items = [x for x in _MENU_SPLIT.split(line) if x.strip()]
    return len(items) >= 4 and sum(len(x) for x in items) / len(items) <= 8


_PAGER_RE = re.compile(
    r"^(?:\s|第\s*\d+\s*页|共\s*\d+\s*页|上一页|下一页|首页|尾页|末页|<<|>>|«|»|\d+|[/\\|\[\]【】])+$"
)
_NAV_RE = re.compile(r"^(?:[^\s>»›]{1,12}\s*[>»›＞]\s*){2,}[^\s>»›]{0,20}$")


def is_furniture_line(line: str) -> bool:
    """Navigation, related-links headings, share/print buttons, trailing
    editor lines (``责任编辑：张三``), breadcrumbs (``首页 > 新闻 > 国内``)."""
    s = clean_line(line)
    if not s:
        return True
    if s in _FURNITURE_EXACT:
        return True
    if _is_menu(s):
        return True
    if re.fullmatch(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?", s, re.I) and not s.isdigit():
        return True  # a bare address: the site's name printed under the headline
    if len(s) <= 1 or s.isdigit() or re.fullmatch(r"[«»<>]?\s*[A-Za-z]{3}\.?\s*[«»<>]?", s):
        return True  # calendar cells, page numbers, single characters: widgets, not text
    if len(s) <= 60 and s.startswith(_FURNITURE_START):
        return True
    if len(s) <= 14 and s.startswith(
        ("分享", "扫码", "扫一扫", "扫描二维码", "长按二维码", "点击查看", "查看原文", "阅读原文")
    ):
        return True
    if len(s) <= 60 and _PAGER_RE.match(s) and not s.isdigit():
        return True
    return len(s) <= 80 and _NAV_RE.match(s) is not None


_RELATED_HEAD = re.compile(
    r"^[【\[]?(?:相关新闻|相关阅读|相关链接|相关文章|延伸阅读|推荐阅读|相关报道|热点推荐|猜你喜欢"
    r"|精彩推荐|热门推荐|编辑推荐|今日推荐|相关专题|更多阅读|热门文章)[】\]]?\s*[:：]?$"
)


def is_related_heading(line: str) -> bool:
    """A heading after which the page lists related links, not article text."""
    return _RELATED_HEAD.match(clean_line(line)) is not None


_END_MARK_RE = re.compile(r"\s*[(（【\[]\s*完\s*[)）】\]]\s*$")


# ------------------------------------------------------------------ assembly


@dataclass(frozen=True, slots=True)
class PageParts:
    """A page split into its parts; :mod:`newsrights.ingest` turns it into an Article."""

    body: tuple[str, ...]
    title: str | None = None
    published: datetime | None = None
    source: str | None = None
    editor: str | None = None
    responsible_editor: str | None = None
    original_title: str | None = None
    dateline: str | None = None
    byline: str | None = None
    declaration: str | None = None
    furniture: tuple[str, ...] = ()
    credit_lines: tuple[str, ...] = field(default=())


def _is_short_link(line: str) -> bool:
    return len(line) <= 10 and not re.search(r"[。！？!?；;，,]", line)


def _trim_link_runs(body: list[str], min_run: int = 4) -> tuple[list[str], list[str]]:
    """Cut runs of at least ``min_run`` short, unpunctuated lines (menus, link
    lists, tag clouds) from the start and the end of the body."""
    nav: list[str] = []
    start = 0
    while start < len(body) and _is_short_link(body[start]):
        start += 1
    if start >= min_run:
        nav.extend(body[:start])
        body = body[start:]
    end = len(body)
    while end > 0 and _is_short_link(body[end - 1]):
        end -= 1
    if len(body) - end >= min_run:
        nav.extend(body[end:])
        body = body[:end]
    return body, nav


def _is_title_like(line: str) -> bool:
    return (
        4 <= len(line) <= 80
        and not line.endswith(("。", "！", "？", ".", "；"))
        and parse_meta_line(line) is None
    )


def _take_name_under_headline(body: list[str], title_above: bool) -> str | None:
    """``标题 / 作者名 / 正文``: a line of bare names (:func:`bare_names`) among
    the first lines of the body, right under the headline (the title printed
    just above the body, ``title_above``, or a short title-like line) and over
    text (a line of 10+ characters or a ``——`` subtitle), is the author; it is
    removed from ``body``."""
    for k in range(min(4, len(body) - 1)):
        names = bare_names(body[k])
        if not names:
            continue
        under_headline = _is_title_like(body[k - 1]) if k > 0 else title_above
        nxt = body[k + 1]
        if under_headline and (len(nxt) >= 10 or nxt.startswith(("——", "--"))) and not bare_names(nxt):
            del body[k]
            return names
    return None


def structure(
    paragraphs: list[str] | tuple[str, ...],
    *,
    title: str | None = None,
    take_title: bool = True,
    declaration_lines: list[str] | None = None,
) -> PageParts:
    """Split a page's paragraphs into title, metadata, body, credits, declaration, furniture.

    Algorithm, in order:

    1. Clean every line (odd spaces → space, strip); drop empty ones.
    2. The declaration starts at the first line, after at least one other line,
       that :func:`is_declaration_start` accepts; it and everything after it is
       the site's declaration (``declaration_lines``, when the caller found the
       block elsewhere on the page, is used instead and removed from the text).
    3. Title: ``title`` when given, otherwise the first line when it looks like
       one (short, no closing full stop, not a meta line) and ``take_title``.
    4. Header: while the next lines are meta lines, ``原标题`` lines, bylines or
       credit lines they fill the fields and are not body.
    5. Body: the rest, minus runs of four or more short unpunctuated lines
       at its start or end (menus, link lists), minus furniture (navigation, related-link lists — all
       lines after a 相关新闻 heading —, editor lines, share buttons) and minus
       meta/credit/byline-only lines, which fill the fields and
       ``credit_lines``; byline lines one under the other in the header make
       one byline; with no byline yet, a line of bare names right under the
       headline is the author (:func:`_take_name_under_headline`). The first body paragraph loses its dateline (and a
       byline in parentheses after it); the last loses a trailing
       ``(记者 …)`` byline, a glued ``（责任编辑：…）`` line and an ``(完)`` end mark.
    """
    lines = [clean_line(p) for p in paragraphs]
    lines = [ln for ln in lines if ln]
    furniture: list[str] = []
    credits: list[str] = []
    declaration: str | None = None

    if declaration_lines:
        decl = [clean_line(x) for x in declaration_lines if clean_line(x)]
        declaration = "\n".join(decl)
        dset = set(decl)
        lines = [ln for ln in lines if ln not in dset]
    else:
        for i in range(1, len(lines)):
            if is_declaration_start(lines[i]):
                declaration = "\n".join(lines[i:])
                lines = lines[:i]
                break

    fields: dict[str, str] = {}
    published: datetime | None = None
    original_title: str | None = None
    byline: str | None = None
    dateline: str | None = None

    def take_meta(meta: MetaLine, line: str) -> None:
        nonlocal published, byline
        poster = find_poster(line) if byline is None and not meta.get("author") else None
        if poster:  # a post stamp: "ggjjzhzz 发表于 2005-9-15 11:46"
            byline = poster
            credits.append(poster)
        for k, v in meta.fields:
            if k == "author":
                if byline is None:
                    byline = v
            else:
                fields.setdefault(k, v)
            if k == "source":
                credits.append(f"来源:{v}")
        if meta.published and published is None:
            published = meta.published

    i = 0
    if title is None and take_title and lines and _is_title_like(lines[0]):
        title = lines[0]
        i = 1
    elif title is not None and lines and clean_line(title) == lines[0]:
        i = 1
    title_above = i == 1  # the text opens with its headline
    if title is not None:
        # the headline repeated after a menu line: not body
        ct = re.sub(r"\s+", "", clean_line(title))
        lines = lines[:i] + [ln for k, ln in enumerate(lines[i:]) if k >= 6 or re.sub(r"\s+", "", ln) != ct]
    # header zone
    last_byline_at = -2
    while i < len(lines):
        ln = lines[i]
        meta = parse_meta_line(ln)
        if meta is not None:
            take_meta(meta, ln)
            furniture.append(ln)
            i += 1
            continue
        ot = parse_original_title(ln)
        if ot:
            original_title = original_title or ot
            i += 1
            continue
        by = parse_byline(ln) or (find_byline(ln, max_len=40) if len(ln) <= 40 else None)
        if by:
            # "本报实习生 刘国栋 周炜" over "本报记者 王燕平": byline lines one under the other are one byline
            byline = (
                f"{byline} {by}" if byline and last_byline_at == i - 1 and by not in byline else byline or by
            )
            last_byline_at = i
            credits.append(by)
            i += 1
            continue
        if is_credit_line(ln):
            credits.append(ln)
            i += 1
            continue
        if is_furniture_line(ln) and len(ln) < 40:
            furniture.append(ln)
            i += 1
            continue
        break

    body: list[str] = []
    in_related = False
    last_byline_at = -2
    for j, ln in enumerate(lines[i:]):
        if in_related:
            furniture.append(ln)
            continue
        if is_related_heading(ln):
            in_related = True
            furniture.append(ln)
            continue
        ot = parse_original_title(ln)
        if ot:
            original_title = original_title or ot
            continue
        if is_furniture_line(ln):
            meta = parse_meta_line(ln)
            if meta is not None:
                take_meta(meta, ln)
            furniture.append(ln)
            continue
        meta = parse_meta_line(ln)
        if meta is not None and len(ln) < 80:
            take_meta(meta, ln)
            furniture.append(ln)
            continue
        if is_credit_line(ln):
            credits.append(ln)
            continue
        by = parse_byline(ln.strip("()（）[]【】")) or (
            find_byline(ln, max_len=30) if len(ln) <= 30 else None
        )
        if by and len(ln) <= 30:
            byline = (
                f"{byline} {by}" if byline and last_byline_at == j - 1 and by not in byline else byline or by
            )
            last_byline_at = j
            credits.append(by)
            continue
        body.append(ln)

    body, nav = _trim_link_runs(body)
    furniture.extend(nav)
    if byline is None:
        byline = _take_name_under_headline(body, title_above)
        if byline:
            credits.append(byline)
    while len(body) > 1 and len(body[-1]) <= 300 and is_declaration_start(body[-1]):
        furniture.append(body.pop())  # the site's footer notice glued to the end of the text
    if body:
        dl, dby, rest = split_dateline(body[0])
        if dl:
            dateline = dl
            credits.insert(0, dl)
            if dby:
                byline = byline or dby
                credits.append(dby)
            if rest:
                body[0] = rest
            else:
                body.pop(0)
    while body:
        last = _END_MARK_RE.sub("", body[-1])
        tail = _TRAILING_PAREN_RE.search(last)
        tail_meta = parse_meta_line(tail["inner"]) if tail else None
        if tail and tail_meta is not None and tail_meta.fields and tail.start() > 0:
            # "…正在悄悄的进行。 （ 责任编辑：刘林源 ）": a closing editor line glued to the text
            take_meta(tail_meta, tail["inner"])
            furniture.append(clean_line(last[tail.start() :]))
            last = last[: tail.start()].rstrip()
        last, tby = split_trailing_byline(last)
        last = _END_MARK_RE.sub("", last)
        if tby:
            byline = byline or tby
            credits.append(tby)
        if last:
            body[-1] = last
            break
        body.pop()

    return PageParts(
        body=tuple(body),
        title=title,
        published=published,
        source=fields.get("source"),
        editor=fields.get("editor"),
        responsible_editor=fields.get("responsible_editor"),
        original_title=original_title,
        dateline=dateline,
        byline=byline,
        declaration=declaration,
        furniture=tuple(furniture),
        credit_lines=tuple(dict.fromkeys(credits)),
    )
