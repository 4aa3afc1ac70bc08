"""Bytes → text for Chinese (and other) pages whose declared charset may be wrong.

Algorithm of :func:`decode`:

1. A byte-order mark wins (UTF-8/16/32).
2. The declared charset (HTTP header or ``<meta charset>``) is tried
   strictly; GBK/GB2312 are read as GB18030 (their superset) and Big5 as
   Big5-HKSCS. A strict failure, or a result that reads as mojibake, is
   not trusted.
3. Strict UTF-8 (valid UTF-8 multibyte text is almost never an accident).
4. GB18030 and Big5 strictly; when both decode, the one whose text has more
   of the most frequent Chinese characters wins (Big5 bytes decoded as
   GB18030 give rare characters, and the other way round).
5. charset-normalizer's best guess.
6. Last resort: GB18030 or UTF-8 with replacement characters, accepted only
   when fewer than 2 % of the characters are U+FFFD; otherwise
   :class:`~newsrights.errors.RejectedInput` with reason ``bad_encoding``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from newsrights.errors import RejectedInput

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}

#: The most frequent simplified and traditional characters of news text.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"
    "們為個來說國時會對經過發學機關這樣還點應沒實現電開動種與進當產業從問題長體員並於讓將們區頭間麼後義來記隊變無"
)
_MOJIBAKE_RE = re.compile(
    "[\u00c2\u00c3\u00e2\u00e5\u00e6\u00e7\u00e8\u00e9][\u0080-\u00bf\u0152-\u0178\u2013-\u203a\u20ac\u2122]"
)


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or ``None`` when unknown."""
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    n = _ALIASES.get(n, n)
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_CHARSET_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_ANY_ENCODING_RE = re.compile(rb"""\b(?:en)?c(?:harset|oding)\s*=\s*["']?([A-Za-z][A-Za-z0-9_.:-]+)""", re.I)


def sniff_declared(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>`` or the XML prolog)."""
    head = data[:4096]
    m = _META_CHARSET_RE.search(head) or _XML_CHARSET_RE.search(head) or _ANY_ENCODING_RE.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _common_score(text: str) -> float:
    sample = text[:20000]
    cjk = [c for c in sample if "\u3400" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(1 for c in cjk if c in _COMMON) / len(cjk)


def _looks_wrong(text: str, codec: str) -> bool:
    """A strictly decoded text can still be wrong: UTF-8 bytes read as a
    single-byte codec show ``Ã©``-style pairs; a CJK codec on the wrong bytes
    yields CJK characters none of which are common."""
    if codec in ("cp1252", "iso8859-1", "latin-1") and len(_MOJIBAKE_RE.findall(text[:20000])) > 3:
        return True
    if codec in ("gb18030", "big5hkscs", "gbk", "big5"):
        cjk = sum(1 for c in text[:20000] if "\u3400" <= c <= "\u9fff")
        if cjk >= 20 and _common_score(text) < 0.08:
            return True
    return False


def _lenient(data: bytes, codec: str, max_bad: float = 0.005) -> str | None:
    """``data`` decoded with replacement, when under ``max_bad`` of the characters are U+FFFD."""
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    return text if text and text.count("\ufffd") / len(text) <= max_bad else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, codec used)``. See the module docstring."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is not None:
                return text, codec
    codec = normalise_charset(declared)
    if codec:
        text = _strict(data, codec)
        if text is not None and not _looks_wrong(text, codec):
            return text, codec
        if text is None:
            # a few broken bytes in a page that is otherwise what it declares
            text = _lenient(data, codec)
            if text is not None and not _looks_wrong(text, codec):
                return text, codec
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    gb = _strict(data, "gb18030")
    b5 = _strict(data, "big5hkscs")
    if gb is not None and b5 is not None:
        return (gb, "gb18030") if _common_score(gb) >= _common_score(b5) else (b5, "big5hkscs")
    if gb is not None and not _looks_wrong(gb, "gb18030"):
        return gb, "gb18030"
    if b5 is not None and not _looks_wrong(b5, "big5hkscs"):
        return b5, "big5hkscs"
    for codec in ("utf-8", "gb18030"):
        text = _lenient(data, codec)
        if (
            text is not None
            and not _looks_wrong(text, codec)
            and (codec == "utf-8" or _common_score(text) > 0.2)
        ):
            return text, codec
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            guess = normalise_charset(best.encoding) or best.encoding
            text = (
                _strict(data, guess)
                if not guess.startswith(("utf_16", "utf-16", "utf_32", "utf-32"))
                else None
            )
            if text is not None and _plausible(text):
                return text, guess
    except Exception:  # pragma: no cover - detector failure is not fatal, we fall through
        pass
    candidates = []
    for codec in ("gb18030", "utf-8", "big5hkscs"):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd") / max(1, len(text))
        candidates.append((bad, codec, text))
    bad, codec, text = min(candidates)
    if bad < 0.02:
        return text, codec
    raise RejectedInput("bad_encoding", f"no charset decodes it ({bad:.1%} undecodable under {codec})")


def _plausible(text: str) -> bool:
    """Reads like text: at least 90 % of the characters are letters, digits,
    spaces, punctuation or CJK, and the few odd ones are not mostly the same."""
    sample = text[:20000]
    if not sample:
        return False
    odd = 0
    for c in sample:
        cat = unicodedata.category(c)
        if cat[0] in "LNPZ" or c in "\n\r\t" or cat == "Sm" or cat == "Sc":
            if (
                "\uff61" <= c <= "\uff9f" or c == "\ufeff"
            ):  # half-width katakana, stray BOMs: typical mojibake
                odd += 1
            continue
        odd += 1
    return odd / len(sample) < 0.1


def is_binary(data: bytes) -> bool:
    """Binary, not text: NUL bytes or many control bytes in the first 8 KB
    (UTF-16/32 with a BOM are text)."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl / len(head) > 0.05
