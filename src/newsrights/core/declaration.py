"""A site's copyright declaration (版权声明) read as rules.

Chinese news sites print a declaration in their page footer. The one of our
publisher (国际在线, see ``core/rules/cri.toml``) says, clause by clause:
what content it owns (``凡本网注明“来源:国际在线”``, ``国际在线专稿``,
``国际在线XX消息`` …), the exception for content marked as third-party
copyright, how reprinted content is marked (``来源:XXX(非国际在线)``), which
acts are forbidden without a licence (转载、摘编、复制 …), the credit a
licensee must print (注明“来源:国际在线”), which costs an infringer bears
(律师费、诉讼费 …) and the window for claims (该事由发生之日起30日内).

Algorithm (:func:`parse_declaration`)
-------------------------------------
1. Split the text into lines, each line into sentences at ``。！？；!?;`` (and
   ``. `` in English); strip enumerators such as ``1、`` or ``①``.
2. Classify every sentence with the patterns below, on its NFKC form (so
   ``：`` and ``:``, ``（`` and ``(`` are the same). Quotes may be ``“”``,
   ``「」``, ``『』``, ``''`` or ``""``. A sentence may yield several rules;
   each :class:`Rule` keeps the sentence it came from.
3. Sentences that yield no rule are returned in ``uninterpreted``: the
   parser says what it did not understand instead of guessing.

The action terms and cost terms are data (``core/rules/vocabulary.toml``);
action terms map to W3C ODRL 2.2 actions (``转载`` → reproduce, distribute).

This module is pure: it reads only files packaged with newsrights.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from newsrights.core.nfkc import normalize_nfkc as _nfkc
from newsrights.errors import ConfigError

ClaimAnchor = Literal["event", "publication"]

# --------------------------------------------------------------------------- data types


@dataclass(frozen=True, slots=True)
class Marker:
    """A label that marks content on the site's pages.

    ``text`` is the marker as the declaration writes it (NFKC, e.g.
    ``国际在线XX消息`` or ``来源:国际在线``); ``kind`` is ``source`` for a
    ``来源:`` line and ``dateline`` for a label opening the article; ``pattern``
    is a regular expression where the placeholder (XX, XXX, ×× …) became a
    named group ``wild``.
    """

    text: str
    kind: Literal["source", "dateline"]
    pattern: str

    @property
    def value(self) -> str:
        """For a source marker, the name after ``来源:``; else the marker text."""
        if self.kind == "source":
            return _SOURCE_PREFIX.sub("", self.text).strip()
        return self.text

    def match(self, text: str) -> re.Match[str] | None:
        """Match the marker at the start of ``text`` (NFKC, leading brackets and spaces ignored)."""
        s = _LEAD_JUNK.sub("", _nfkc(text))
        return re.match(self.pattern, s)

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "kind": self.kind, "pattern": self.pattern}


@dataclass(frozen=True, slots=True)
class ProhibitedAct:
    """A forbidden act as the declaration names it, and its ODRL 2.2 actions."""

    term: str
    actions: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term, "actions": list(self.actions)}


@dataclass(frozen=True, slots=True)
class ClaimWindow:
    """``days`` within which a claim must be raised, counted from ``anchor``:
    ``event`` (事由发生之日起) or ``publication`` (刊发之日起 / 发表之日起)."""

    days: int
    anchor: ClaimAnchor

    def to_json(self) -> dict[str, Any]:
        return {"days": self.days, "anchor": self.anchor}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule read from one sentence: ``kind`` (e.g. ``owned_marker``,
    ``prohibition``, ``credit_duty``), the ``sentence`` as written and the
    ``values`` it produced."""

    kind: str
    sentence: str
    values: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "sentence": self.sentence, "values": list(self.values)}


@dataclass(frozen=True, slots=True)
class Declaration:
    """A site's copyright policy, versioned by the date it takes effect.

    ``exceptions`` holds codes: ``explicit_third_party`` (content explicitly
    marked as third-party copyright is not claimed). ``blanket`` is true when
    the declaration claims all content of the site or page (``版权所有 不得转载``,
    ``本文为X原创``) rather than content with given markers.
    """

    text: str
    site: str | None = None
    version: str = ""
    effective: date | None = None
    holder: str | None = None
    operator: str | None = None
    rights_manager: str | None = None
    owned_markers: tuple[Marker, ...] = ()
    third_party_marker: Marker | None = None
    exceptions: tuple[str, ...] = ()
    prohibited_acts: tuple[ProhibitedAct, ...] = ()
    written_permission_required: bool = False
    credit_line: str | None = None
    credit_required: bool = False
    licence_scope_only: bool = False
    infringer_costs: tuple[str, ...] = ()
    claim_window: ClaimWindow | None = None
    all_rights_reserved: bool = False
    blanket: bool = False
    legal_basis: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    uninterpreted: tuple[str, ...] = ()
    sentences: tuple[str, ...] = field(default=(), repr=False)
    aliases: tuple[str, ...] = ()

    @property
    def prohibited_actions(self) -> tuple[str, ...]:
        """The ODRL actions forbidden without a licence, sorted, without repeats."""
        return tuple(sorted({a for p in self.prohibited_acts for a in p.actions}))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def own_names(self) -> tuple[str, ...]:
        """Names that designate the publisher itself (site, holder, operator, owned sources)."""
        names = [self.site, self.holder, self.operator, self.rights_manager]
        names += [m.value for m in self.owned_markers if m.kind == "source"]
        names += list(self.aliases)
        out: list[str] = []
        for n in names:
            if n and n not in out:
                out.append(n)
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "version": self.version,
            "effective": self.effective.isoformat() if self.effective else None,
            "holder": self.holder,
            "operator": self.operator,
            "rights_manager": self.rights_manager,
            "owned_markers": [m.text for m in self.owned_markers],
            "owned_marker_patterns": [m.to_json() for m in self.owned_markers],
            "third_party_marker": self.third_party_marker.text if self.third_party_marker else None,
            "third_party_marker_pattern": self.third_party_marker.pattern if self.third_party_marker else None,
            "exceptions": list(self.exceptions),
            "prohibited_actions": list(self.prohibited_actions),
            "prohibited_acts": [p.to_json() for p in self.prohibited_acts],
            "written_permission_required": self.written_permission_required,
            "credit_line": self.credit_line,
            "credit_required": self.credit_required,
            "licence_scope_only": self.licence_scope_only,
            "infringer_costs": list(self.infringer_costs),
            "claim_window": self.claim_window.to_json() if self.claim_window else None,
            "all_rights_reserved": self.all_rights_reserved,
            "blanket": self.blanket,
            "legal_basis": list(self.legal_basis),
            "rules": [r.to_json() for r in self.rules],
            "uninterpreted": list(self.uninterpreted),
            "aliases": list(self.aliases),
            "sha256": self.sha256,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any], text: str | None = None) -> Declaration:
        """Rebuild a declaration stored with :meth:`to_json` (the text is re-parsed when given)."""
        txt = text if text is not None else d.get("text")
        if not txt:
            raise ConfigError("Declaration.from_json needs the declaration text (to_json() does not carry it)")
        eff = d.get("effective")
        return parse_declaration(
            txt, site=d.get("site"), effective=date.fromisoformat(eff) if eff else None, version=d.get("version")
        )


# --------------------------------------------------------------------------- vocabulary


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]:
    """(acts, costs) from the packaged ``rules/vocabulary.toml``; acts longest first."""
    raw = tomllib.loads(resources.files("newsrights.core.rules").joinpath("vocabulary.toml").read_text("utf-8"))
    acts = tuple(sorted(((k, tuple(v)) for k, v in raw["acts"].items()), key=lambda kv: -len(kv[0])))
    costs = tuple(sorted(raw["costs"]["terms"], key=len, reverse=True))
    return acts, costs


# --------------------------------------------------------------------------- patterns

_QUOTE = re.compile(r"[“\"「『‘'](?P<q>[^“”\"「」『』‘’'\n]{1,60})[”\"」』’']")
_SOURCE_PREFIX = re.compile(r"^(?:来源|稿源|出处|文章来源|本文来源|新闻来源|信息来源)\s*:\s*")
_LEAD_JUNK = re.compile(r"^[\s(\[【〔<《]+")
_WILDCARD = re.compile(r"(?:XXX|XX|xxx|xx|X{1,}|××+|\*+|…+|某某)")
_ENUM = re.compile(r"^\s*(?:\d{1,2}\s*[、.)]|[①-⑳]|[一二三四五六七八九十]{1,3}\s*、|\(\s*\d{1,2}\s*\)|[\[【]\s*\d{1,2}\s*[\]】])\s*")
_SENT_END = re.compile(r"(?<=[。！？；])|(?<=[\u4e00-\u9fff”」)）][!?;])|(?<=[a-z0-9)\]]\.)(?=\s+[A-Z])")
_ENGLISH = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

_MARKED_QUOTE = re.compile(r"凡(?:本网|本站|本报|本刊|本台|本平台|本号)?(?:注明|标注|标明|署名|注有)(?:为)?$")
_OWN_CLAIM = re.compile(r"自有版权|版权(?:均)?(?:属于|归)|著作权(?:均)?(?:属于|归)|版权所有|独家所有")
_INCLUDING = re.compile(r"包括(?:但不限于)?")
_THIRD_PARTY_EXC = re.compile(r"(?:标注|注明|标明|声明|注有)(?:为|了)?(?:第三方|他人|其他(?:单位|个人|媒体)?|原作者)(?:的)?(?:版权|著作权).{0,12}?除外")
_REPRINTED = re.compile(r"转载自|转载于|来源于其他媒体|来自其他媒体|其它媒体|其他媒体")

_PROHIB_CUE = re.compile(
    r"不得|禁止|严禁|请勿|切勿|不可|不准|无权|谢绝|擅自|必究|"
    r"未经.{0,30}?(?:授权|许可|同意|允许|批准)|须经|需经|应经|必须经|应当经|"
    r"may not|must not|shall not|cannot|can not|is prohibited|are prohibited|is forbidden|strictly prohibited|"
    r"without (?:the )?(?:prior |express )?(?:written )?(?:permission|consent|authori[sz]ation)",
    re.IGNORECASE,
)
_WRITTEN = re.compile(r"书面|written", re.IGNORECASE)
_REPRINT_RIGHT = re.compile(r"有权(?:转载|摘编)")
_SCOPE = re.compile(r"授权范围|超范围|许可范围|scope of (?:the )?licen[cs]e", re.IGNORECASE)
_CREDIT = re.compile(r"注明|署名|标明|标注|credit|attribut", re.IGNORECASE)
_CREDIT_GENERIC = re.compile(r"(?:注明|标明|标注)(?:作者|文章)?(?:出处|来源|作者|原作者|链接)")
_COST_CUE = re.compile(r"承担|bear|borne|liable for|responsible for (?:all )?(?:costs|damages)", re.IGNORECASE)
_COST_PARTY = re.compile(r"侵权(?:方|人|者)|违约方|违反者|违者|侵权单位|infring", re.IGNORECASE)
_LIABILITY = re.compile(r"追究.{0,8}?(?:法律)?责任|依法追究|必究|法律手段|法律途径|legal action|prosecut", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"不代表|免责|不承担|不负责|不对.{0,40}?(?:负责|保证|担保)|并不意味着|仅供参考|仅作参考|仅代表作者|"
    r"does not represent|not responsible|no responsibility|does not guarantee|without warranty",
    re.IGNORECASE,
)
_OPERATOR = re.compile(r"由(?P<op>[^,，。由]{2,40}?)主办")
_EXCLUSIVE = re.compile(r"(?P<ag>[^,，。由]{2,40}?)独家负责")
_MANAGER = re.compile(r"由(?P<ag>[^,，。由]{2,40}?)(?:统一)?(?:管理|负责)(?:和|及|与)?(?:销售|经营|授权)")
_CLAIM = re.compile(
    r"(?P<anchor>该?事由发生|事件发生|作品(?:刊发|发表|发布|刊登)|刊发|发表|发布|刊登|刊载|见报|上网)"
    r"之日起\s*(?P<n>\d+|[〇零一二两三四五六七八九十百]+)\s*(?P<unit>日|天|个?月|周|年)(?:内|以内)?"
)
_CLAIM_EN = re.compile(
    r"within\s+(?P<n>\d+)\s+(?P<unit>days?|months?)\s+(?:of|from|after)\s+(?:the\s+)?(?P<anchor>publication|event|date)",
    re.IGNORECASE,
)
_HOLDER_PATTERNS = (
    # 版权均属于X / 权益归X独家所有
    re.compile(r"(?:版权|权益|著作权)(?:均)?(?:属于|归)(?P<h>[^,，。;；]{2,40}?)(?:独家)?(?:所有|享有|$|[,，。])"),
    # Yahoo.com.cn © 2006 / BBC © 2014
    re.compile(r"(?P<h>[A-Za-z][\w.\-]{1,30}(?: [A-Z][\w.\-]*)*)\s*©\s*\d{4}"),
    # Copyright © 1998-2019 by X. All rights reserved
    re.compile(
        r"(?:copyright|©|\(c\))\s*(?:©|\(c\)|@)?\s*(?:\d{4}(?:\s*[-–~]\s*\d{4})?)?\s*[,，:]?\s*(?:by\s+)?"
        r"(?P<h>[^\s|,，。©\d][^|,，。©]{1,60}?)\s*(?:\.?\s*all rights|\.?\s*some rights|\s*版权所有|$|[|,，。]|\s+\S*ICP)",
        re.IGNORECASE,
    ),
    # 腾讯公司 版权所有
    re.compile(r"(?P<h>[^\s|,，。;；:©]{2,40}?)\s*版权所有(?![者人权])"),
    # 版权所有: 中国载人航天工程官方网站
    re.compile(r"版权所有(?![者人权])\s*[:]?\s*(?:©\s*)?(?:\d{4}(?:\s*[-–~]\s*\d{4})?\s*[,，]?\s*)?(?P<h>[^\s|,，。;；©:]{2,40})"),
)
_NOT_HOLDER = re.compile(r"版权|不得|禁止|ICP|许可证|备案|保留|rights reserved|^reserved", re.IGNORECASE)
_ORIGINAL = re.compile(r"(?:本文|此文|该文)(?:为|系|是)(?P<h>.{1,30}?)\s*原创")
_ALL_CONTENT = re.compile(r"(?:所有内容|本网站的内容|本站内容|本网内容|本网站内容|本站所有|本网所有)")
_ARR = re.compile(r"all rights reserved|版权所有|保留所有权", re.IGNORECASE)
_LAW = re.compile(r"《(?P<law>[^》]{2,40}?(?:法|条例|规定|解释|办法))》")
_ICP = re.compile(r"ICP|许可证|备案号|经营许可|公网安备", re.IGNORECASE)
_HEADING = re.compile(r"^[^,，。;；]{0,40}(?:声明|公告|启事|说明|须知)\s*(?:\([^)]{0,12}\))?\s*[:|]?\s*$")
_CONTACT = re.compile(
    r"(?:与|同)本(?:网|站|报|刊|台)联系|请联系|联系(?:我们|本网)|请您?发送|来函|contact us", re.IGNORECASE
)
_ROYALTY = re.compile(r"稿酬|稿费|版税|royalt", re.IGNORECASE)
_TERMS = re.compile(r"constitutes acceptance|user agreement|用户协议|服务条款", re.IGNORECASE)


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(s: str) -> int:
    """``30`` → 30, ``三十`` → 30, ``十五`` → 15, ``一百二十`` → 120."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            raise ValueError(f"not a Chinese number: {s!r}")
    return total + cur


def marker_from_text(text: str) -> Marker:
    """Build a :class:`Marker` from a declaration's quoted label (placeholders become ``wild``)."""
    t = _nfkc(text).strip()
    t = re.sub(r"\s*:\s*", ":", t)
    kind: Literal["source", "dateline"] = "source" if _SOURCE_PREFIX.match(t) else "dateline"
    parts = _WILDCARD.split(t)
    pieces: list[str] = []
    for i, part in enumerate(parts):
        esc = re.escape(part).replace(":", r"\s*[:：]\s*")
        pieces.append(esc)
        if i < len(parts) - 1:
            group = "(?P<wild>" if "(?P<wild>" not in "".join(pieces) else "(?:"
            pieces.append(group + r"[^\s,，。;；:：()（）]{1,20}?)")
    pattern = "".join(pieces)
    return Marker(text=t, kind=kind, pattern=pattern)


def split_sentences(text: str) -> list[str]:
    """Lines, then sentences (``。！？；`` or an English full stop), enumerators stripped."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for part in _SENT_END.split(line):
            part = _ENUM.sub("", part).strip()
            if part and re.search(r"\w", part):
                out.append(part)
    return out


def _clauses(sentence: str) -> list[str]:
    """Chinese sentences split at commas; English ones are kept whole (their lists use commas)."""
    if len(_ENGLISH.findall(sentence)) > 2 * len(_CJK.findall(sentence)):
        return [sentence]
    return [c for c in re.split(r"[,，]", sentence) if c.strip()]


def _find_acts(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Action terms in ``text`` (longest match wins, each position used once)."""
    acts, _ = vocabulary()
    low = text.lower()
    taken = [False] * len(low)
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for term, actions in acts:
        is_en = term.isascii()
        for m in re.finditer(re.escape(term), low):
            a, b = m.span()
            if is_en and ((a > 0 and low[a - 1].isalpha()) or (b < len(low) and low[b].isalpha())):
                continue
            if any(taken[a:b]):
                continue
            for i in range(a, b):
                taken[i] = True
            found.append((a, term, actions))
    found.sort()
    return [(t, acts_) for _, t, acts_ in found]


def _clean_holder(h: str) -> str | None:
    h = h.strip(" \t:：-–—|·.,，。()（）[]【】")
    h = re.sub(r"^(?:所有内容为|内容为|均为|为|由)", "", h)
    h = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", h, flags=re.IGNORECASE).strip()
    h = re.sub(r"^(?:all\s+)?(?:rights\s+)?reserved\.?\s*", "", h, flags=re.IGNORECASE).strip(" .-–")
    h = re.sub(r"\s*\d{4}\s*[-–~]?\s*\d{0,4}$", "", h).strip()
    if not h or len(h) < 2 or h.lower() in {"all rights reserved", "reserved", "by"}:
        return None
    if re.fullmatch(r"[\d\s\-–~©.]+", h):
        return None
    return h


def _holder(sentence: str) -> str | None:
    s = _nfkc(sentence)
    for pat in _HOLDER_PATTERNS:
        m = pat.search(s)
        if m:
            h = _clean_holder(m.group("h"))
            if h and not _NOT_HOLDER.search(h):
                return h
    return None


# --------------------------------------------------------------------------- the parser


@dataclass
class _State:
    site: str | None
    rules: list[Rule] = field(default_factory=list)
    owned: list[Marker] = field(default_factory=list)
    third: Marker | None = None
    exceptions: list[str] = field(default_factory=list)
    acts: list[ProhibitedAct] = field(default_factory=list)
    written: bool = False
    credit_line: str | None = None
    credit_required: bool = False
    scope: bool = False
    costs: list[str] = field(default_factory=list)
    window: ClaimWindow | None = None
    arr: bool = False
    blanket: bool = False
    laws: list[str] = field(default_factory=list)
    holder: str | None = None
    operator: str | None = None
    manager: str | None = None
    uninterpreted: list[str] = field(default_factory=list)

    def rule(self, kind: str, sentence: str, *values: str) -> None:
        r = Rule(kind, sentence, tuple(values))
        if r not in self.rules:
            self.rules.append(r)

    def add_owned(self, m: Marker) -> None:
        if all(o.text != m.text for o in self.owned):
            self.owned.append(m)


def _classify_sentence(st: _State, raw: str) -> None:  # noqa: C901 - one pattern per rule, read top to bottom
    s = _nfkc(raw)
    before = len(st.rules)
    tokens = s.split()
    has_notice = bool(re.search(r"©|copyright|版权所有|all rights reserved", s, re.IGNORECASE))
    if not has_notice and (
        s.count("|") >= 3
        or (len(tokens) >= 5 and all(len(t) <= 6 for t in tokens) and not re.search(r"[,，。;；:©]|\d{4}", s))
    ):
        st.rule("navigation", raw)
        return
    if (_HEADING.match(s) and len(s) <= 40) or re.search(r"(?:郑重|特此)?(?:声明|公告|启事)\s*:$", s):
        st.rule("heading", raw)
        return
    quotes = [(m.start(), m.group("q").strip()) for m in _QUOTE.finditer(s)]

    # --- markers: 凡本网注明“Q”的…   (Q with 非<site> marks reprinted content)
    for pos, q in quotes:
        prefix = s[max(0, pos - 12) : pos].rstrip()
        if not _MARKED_QUOTE.search(prefix):
            continue
        after = s[pos : pos + len(q) + 40]
        if re.search(r"[(]\s*非", _nfkc(q)) or re.search(r"^非", q):
            st.third = marker_from_text(q)
            st.rule("third_party_marker", raw, st.third.text)
        elif _REPRINTED.search(after) and not _OWN_CLAIM.search(s):
            st.third = marker_from_text(q)
            st.rule("third_party_marker", raw, st.third.text)
        else:
            mk = marker_from_text(q)
            st.add_owned(mk)
            st.rule("owned_marker", raw, mk.text)
            if st.site is None and mk.kind == "source":
                st.site = mk.value

    # --- markers listed as the site's own copyright: 自有版权信息(包括但不限于“A”、“B”…)
    if _OWN_CLAIM.search(s):
        inc = _INCLUDING.search(s)
        if inc:
            listed = [q for pos, q in quotes if pos > inc.start()]
            for q in listed:
                st.add_owned(marker_from_text(q))
            if listed:
                st.rule("owned_marker", raw, *[_nfkc(q) for q in listed])
        if st.site is None and quotes and "自有版权" in s:
            st.site = quotes[0][1]

    # --- exception: content explicitly marked as third-party copyright
    if _THIRD_PARTY_EXC.search(s) or ("第三方版权" in s and "除外" in s):
        if "explicit_third_party" not in st.exceptions:
            st.exceptions.append("explicit_third_party")
        st.rule("exception", raw, "explicit_third_party")

    # --- operator and rights manager
    if m := _OPERATOR.search(s):
        st.operator = st.operator or m.group("op").strip("“”\" ")
        st.rule("operator", raw, m.group("op"))
    if m := _EXCLUSIVE.search(s):
        ag = re.sub(r"^.*?授权\s*", "", m.group("ag")).strip()
        st.manager = st.manager or ag
        st.rule("rights_manager", raw, ag)
    if m := _MANAGER.search(s):
        st.manager = m.group("ag").strip()
        st.rule("rights_manager", raw, st.manager)

    # --- statutory reprint right claimed by an aggregator (法释[2000]48号): not a prohibition
    reprint_right = bool(_REPRINT_RIGHT.search(s))
    if reprint_right:
        st.rule("reprint_right", raw)

    # --- prohibitions and the licensee's scope
    if not reprint_right:
        for clause in _clauses(s):
            if _SCOPE.search(clause):
                st.scope = True
                st.rule("licence_scope", raw)
                continue
            cue = _PROHIB_CUE.search(clause)
            if not cue:
                continue
            found = _find_acts(clause)
            if not found:
                continue
            for term, actions in found:
                if all(a.term != term for a in st.acts):
                    st.acts.append(ProhibitedAct(term, actions))
            if _WRITTEN.search(s):
                st.written = True
            st.rule("prohibition", raw, *[t for t, _ in found])

    # --- credit duty: 使用时应注明“来源:国际在线” / 转载请注明出处
    for pos, q in quotes:
        prefix = s[max(0, pos - 12) : pos]
        if _CREDIT.search(prefix) and not _MARKED_QUOTE.search(prefix.rstrip()) and "凡" not in prefix:
            st.credit_line = re.sub(r"\s*:\s*", ":", q)
            st.credit_required = True
            st.rule("credit_duty", raw, st.credit_line)
            break
    else:
        if _CREDIT_GENERIC.search(s) or re.search(r"转载请注明|请注明|must (?:credit|attribute)", s, re.IGNORECASE):
            st.credit_required = True
            st.rule("credit_duty", raw)

    # --- costs an infringer bears
    if _COST_CUE.search(s) and (_COST_PARTY.search(s) or "费" in s):
        _, costs = vocabulary()
        seen = s
        found_costs: list[str] = []
        for term in costs:
            if term.isascii():
                if re.search(r"\b" + re.escape(term) + r"\b", seen, re.IGNORECASE):
                    found_costs.append(term)
                    seen = re.sub(re.escape(term), " ", seen, flags=re.IGNORECASE)
            elif term in seen:
                found_costs.append(term)
                seen = seen.replace(term, " ")
        found_costs.sort(key=lambda t: s.lower().find(t.lower()))
        if found_costs:
            for c in found_costs:
                if c not in st.costs:
                    st.costs.append(c)
            st.rule("infringer_costs", raw, *found_costs)

    # --- claim window
    m = _CLAIM.search(s)
    if m:
        n = chinese_number(m.group("n"))
        unit = m.group("unit")
        days = n * 30 if "月" in unit else n * 7 if unit == "周" else n * 365 if unit == "年" else n
        anchor: ClaimAnchor = "event" if "事" in m.group("anchor") else "publication"
        st.window = ClaimWindow(days, anchor)
        st.rule("claim_window", raw, str(days), anchor)
    elif m2 := _CLAIM_EN.search(s):
        n = int(m2.group("n"))
        days = n * 30 if m2.group("unit").lower().startswith("month") else n
        anchor2: ClaimAnchor = "publication" if m2.group("anchor").lower() == "publication" else "event"
        st.window = ClaimWindow(days, anchor2)
        st.rule("claim_window", raw, str(days), anchor2)
    elif _CONTACT.search(s) and len(st.rules) == before:
        st.rule("contact", raw)

    # --- copyright notice, holder, all rights reserved, blanket claims, original work
    if mo := _ORIGINAL.search(s):
        st.blanket = True
        h = _clean_holder(mo.group("h"))
        if h:
            st.holder = st.holder or h
        st.rule("original_work", raw, h or "")
    if (_ARR.search(s) or re.search(r"copyright|©|\(c\)|版权(?:均)?(?:属于|归)|权益归", s, re.IGNORECASE)) and not re.search(
        r"版权所有(?:者|人|权)", s
    ):
        h = _holder(s)
        if _ARR.search(s):
            st.arr = True
        if h and st.holder is None:
            st.holder = h
        if _ALL_CONTENT.search(s) or (_ARR.search(s) and _PROHIB_CUE.search(s)):
            st.blanket = True
        st.rule("copyright_notice", raw, h or "")
    elif re.fullmatch(r"版权所有\s*", s):
        st.arr = True
        st.rule("copyright_notice", raw)

    # --- liability, legal basis, disclaimers, terms, registration, headings, navigation
    if _LIABILITY.search(s):
        st.rule("liability", raw)
    for law in _LAW.finditer(s):
        if law.group("law") not in st.laws:
            st.laws.append(law.group("law"))
    if st.laws and _LAW.search(s):
        st.rule("legal_basis", raw, *[m.group("law") for m in _LAW.finditer(s)])
    if _DISCLAIMER.search(s):
        st.rule("disclaimer", raw)
    if _TERMS.search(s):
        st.rule("terms_of_use", raw)
    if _ROYALTY.search(s) and len(st.rules) == before:
        st.rule("royalty", raw)
    if len(st.rules) == before:
        if _ICP.search(s) and len(s) < 120:
            st.rule("registration", raw)
    if len(st.rules) == before:
        st.uninterpreted.append(raw)


def parse_declaration(
    text: str,
    *,
    site: str | None = None,
    effective: date | None = None,
    version: str | None = None,
) -> Declaration:
    """Parse a copyright declaration into a :class:`Declaration` (see the module docstring).

    ``site`` names the site when the text does not (it is otherwise read from
    ``来源:<site>`` markers); ``version`` defaults to the effective date, or to
    ``sha-<first 12 hex of the text's sha256>`` when there is none.
    """
    st = _State(site=site)
    sentences = split_sentences(text)
    for sentence in sentences:
        _classify_sentence(st, sentence)
    if version is None:
        version = effective.isoformat() if effective else "sha-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    aliases = publisher_aliases()
    is_publisher = any(n and _nfkc(n) in aliases for n in (st.site, st.holder, st.operator, st.manager))
    return Declaration(
        text=text,
        site=st.site,
        version=version,
        effective=effective,
        holder=st.holder,
        operator=st.operator,
        rights_manager=st.manager,
        owned_markers=tuple(st.owned),
        third_party_marker=st.third,
        exceptions=tuple(st.exceptions),
        prohibited_acts=tuple(st.acts),
        written_permission_required=st.written,
        credit_line=st.credit_line,
        credit_required=st.credit_required,
        licence_scope_only=st.scope,
        infringer_costs=tuple(st.costs),
        claim_window=st.window,
        all_rights_reserved=st.arr,
        blanket=st.blanket,
        legal_basis=tuple(st.laws),
        rules=tuple(st.rules),
        uninterpreted=tuple(st.uninterpreted),
        sentences=tuple(sentences),
        aliases=tuple(sorted(aliases)) if is_publisher else (),
    )


# --------------------------------------------------------------------------- the publisher's default


@lru_cache(maxsize=1)
def publisher_rules() -> dict[str, Any]:
    """The packaged rules of the publisher (``core/rules/cri.toml``) as a dict."""
    return tomllib.loads(resources.files("newsrights.core.rules").joinpath("cri.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def publisher_aliases() -> frozenset[str]:
    """Every name the publisher goes by (``[publisher].aliases`` of ``cri.toml``), NFKC."""
    rules = publisher_rules()
    names = list(rules.get("publisher", {}).get("aliases", ())) + [rules["declaration"]["site"]]
    return frozenset(_nfkc(n) for n in names)


def is_publisher_name(name: str | None) -> bool:
    """Is ``name`` one of the publisher's names (case-insensitive for Latin names)?"""
    if not name:
        return False
    n = _nfkc(name).strip()
    return n in publisher_aliases() or n.lower() in {a.lower() for a in publisher_aliases()}


@lru_cache(maxsize=1)
def publisher_declaration() -> Declaration:
    """The publisher's (国际在线) declaration, packaged with newsrights.

    The text is typed in ``core/rules/cri.toml`` after the footer of the
    publisher's pages; it is parsed like any other declaration and then
    checked against the rules written in the same file, so a change of the
    parser that alters the meaning fails loudly instead of drifting.
    """
    rules = publisher_rules()
    d = rules["declaration"]
    eff = d.get("effective")
    decl = parse_declaration(
        d["text"],
        site=d["site"],
        effective=eff if isinstance(eff, date) else (date.fromisoformat(eff) if eff else None),
        version=d["version"],
    )
    expected = rules["expect"]
    got = decl.to_json()
    for key, want in expected.items():
        have = got[key]
        if key == "claim_window":
            have = dict(have) if have else None
        if have != want:
            raise ConfigError(
                f"packaged publisher declaration: parsed {key}={have!r} but cri.toml expects {want!r}; "
                "fix the parser or the rules file"
            )
    return decl
