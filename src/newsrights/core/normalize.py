"""Text normalisation for matching, with an offset map back to the original.

``normalize(text)`` folds away everything a copier can change without changing
the content, and remembers, for every normalised character, the original
characters it came from:

1. **Credit and source lines** (``来源：…``, ``转载自…``, ``责任编辑：…``, datelines,
   bylines; see :func:`newsrights.core.metadata.is_credit_line` when available)
   are dropped as whole lines: they are kept aside for the licence check and are
   not content.
2. **NFKC + lower case**, character by character (full-width ``ＡＢＣ１２３`` →
   ``abc123``, circled and compatibility forms unfolded).
3. **Letters and digits only**: punctuation, symbols, whitespace, zero-width and
   control characters are dropped. Between two Latin/digit characters that had
   anything dropped between them one ``" "`` is kept, so Latin words stay words.
4. **Traditional → simplified** with OpenCC when the text holds traditional-only
   characters (a lookup table, so simplified text costs nothing): ``tw2sp``
   (Taiwan characters and phrases, e.g. 軟體→软件) followed by ``hk2s`` (Hong
   Kong variant characters, e.g. 衞→卫). Phrase conversion can change length, so
   when it does the text is converted per segment (runs between dropped
   characters) and a segment whose length changed maps its characters onto the
   segment proportionally.

Every step is vectorised over the code points with numpy lookup tables built
once per process (pure functions of the Unicode database and OpenCC's
dictionaries, so results are deterministic).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int32]
U32Array = npt.NDArray[np.uint32]

#: First code point treated as CJK (CJK radicals, kana, hangul, ideographs …):
#: each such character is one matching unit; below it, letters and digits form words.
CJK_START = 0x2E80

_EXPAND = 0xFFFFFFFF

#: A text is converted to simplified when it holds at least this many traditional-only characters.
TRADITIONAL_MIN = 2


@dataclass(frozen=True, slots=True, eq=False)
class NormText:
    """A normalised text: ``text`` plus, for each of its characters ``i``, the
    original characters ``original[starts[i]:ends[i]]`` it came from.

    ``starts`` and ``ends`` are non-decreasing, so any normalised range maps to
    one contiguous original range (:meth:`to_original`).
    """

    text: str
    starts: IntArray
    ends: IntArray
    original_length: int
    converted: bool = False
    #: the code points of ``text`` when the normaliser has them at hand (saves re-encoding)
    cps: U32Array | None = None

    def __len__(self) -> int:
        return len(self.text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised range ``[start, end)`` to the original ``[start, end)``."""
        n = len(self.text)
        if n == 0:
            return (0, 0)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if end == start:
            pos = int(self.starts[start]) if start < n else self.original_length
            return (pos, pos)
        return (int(self.starts[start]), int(self.ends[end - 1]))

    def codepoints(self) -> U32Array:
        if self.cps is not None:
            return self.cps
        return np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32).copy()  # writable: one kernel signature


# --------------------------------------------------------------------------- tables


def _keep(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


@lru_cache(maxsize=1)
def _fold_tables() -> tuple[U32Array, dict[int, tuple[int, ...]]]:
    """``table[cp]``: the folded code point, 0 to drop, ``_EXPAND`` for 1→n folds."""
    table = np.zeros(0x10000, dtype=np.uint32)
    expand: dict[int, tuple[int, ...]] = {}
    # CJK ideographs (unified and extension A) and Hangul syllables fold to themselves
    identity = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xAC00, 0xD7A4))
    for lo, hi in identity:
        table[lo:hi] = np.arange(lo, hi, dtype=np.uint32)
    rest = [(0, 0x3400), (0x4DC0, 0x4E00), (0xA000, 0xAC00), (0xD7A4, 0xD800), (0xE000, 0x10000)]
    for cp in (c for lo, hi in rest for c in range(lo, hi)):
        ch = chr(cp)
        if ch.isascii():
            table[cp] = ord(ch.lower()) if ch.isalnum() else 0
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        kept = tuple(ord(c) for c in folded if _keep(c))
        if len(kept) == 1:
            table[cp] = kept[0]
        elif len(kept) > 1:
            table[cp] = _EXPAND
            expand[cp] = kept
    return table, expand


@lru_cache(maxsize=1)
def _converters() -> tuple[Callable[[str], str], ...]:
    import opencc  # the official OpenCC bindings

    return tuple(opencc.OpenCC(cfg).convert for cfg in ("tw2sp", "hk2s"))


def to_simplified(text: str) -> str:
    """Traditional (Taiwan, Hong Kong or generic) → simplified: OpenCC ``tw2sp`` then ``hk2s``."""
    for convert in _converters():
        text = convert(text)
    return text


def to_simplified_all(texts: Sequence[str]) -> list[str]:
    """:func:`to_simplified` of each text, in one conversion per dictionary chain.

    OpenCC converts line by line (no dictionary key or value holds a line break, so no segment
    spans one): the texts are joined by line breaks, converted once and cut again at the same
    number of line breaks each (a text may hold line breaks of its own). Each call costs a few
    microseconds besides the conversion, and a page has tens of fields and paragraphs."""
    if not texts:
        return []
    lines = to_simplified("\n".join(texts)).split("\n")
    out: list[str] = []
    at = 0
    for t in texts:
        n = t.count("\n") + 1
        out.append("\n".join(lines[at : at + n]))
        at += n
    if at != len(lines):  # pragma: no cover - a conversion that added or removed a line break
        return [to_simplified(t) for t in texts]
    return out


@lru_cache(maxsize=1)
def _traditional_table() -> npt.NDArray[np.bool_]:
    """``table[cp]`` is True for traditional-only characters: ones that
    traditional→simplified conversion changes and simplified→traditional leaves alone."""
    import opencc

    table = np.zeros(0x10000, dtype=np.bool_)
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    src = "\n".join(chars)
    simplified_forms = opencc.OpenCC("s2t").convert(src).split("\n")
    for convert in (*_converters(), _t2s()):
        out = convert(src).split("\n")
        if len(out) != len(chars):  # pragma: no cover - defensive
            continue
        for a, b, t in zip(chars, out, simplified_forms, strict=True):
            if a != b and t == a:
                table[ord(a)] = True
    return table


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


# --------------------------------------------------------------------- credit lines

_CREDIT_FALLBACK = re.compile(
    r"^\s*[(（\[【]?\s*(?:"
    r"(?:文章)?来源|來源|稿源|出处|出處|转载自|轉載自|转自|轉自|原标题|原標題|"
    r"(?:责任|責任)?(?:编辑|編輯|责编|責編)|记者|記者|作者|撰稿|通讯员|通訊員|"
    r"摄影|攝影|校对|校對|审核|審核|监制|監製|本文转载|本文來源|本文来源"
    r")\s*[:：|｜]"
)
_DATELINE = re.compile(
    r"^\s*[（(]?\s*(?:[\u4e00-\u9fff]{2,8}(?:网|網|社|报|報|台)?(?:记者[\u4e00-\u9fff·]{0,12})?)?"
    r"\s*[\u4e00-\u9fff]{0,6}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊)\s*[）)]?\s*$"
)


def _fallback_is_credit_line(line: str) -> bool:
    """Minimal credit/source-line patterns, used until ``core.metadata`` provides its own."""
    s = line.strip()
    if not s or len(s) > 80:
        return False
    return bool(_CREDIT_FALLBACK.match(s) or _DATELINE.match(s))


@lru_cache(maxsize=1)
def _credit_checker() -> Callable[[str], bool]:
    """``core.metadata.is_credit_line`` (the readers' rule) or'ed with the minimal patterns here."""
    try:
        from newsrights.core.metadata import is_credit_line
    except ImportError:  # pragma: no cover - only while the metadata module is absent
        return _fallback_is_credit_line

    def check(line: str) -> bool:
        return _fallback_is_credit_line(line) or bool(is_credit_line(line))

    return check


# ---------------------------------------------------------------------- normalise


def _credit_mask(text: str, cps: U32Array, is_credit: Callable[[str], bool]) -> npt.NDArray[np.bool_] | None:
    """Boolean mask of characters on credit lines (``None`` when there are none)."""
    mask: npt.NDArray[np.bool_] | None = None
    pos = 0
    for line in text.split("\n"):
        n = len(line)
        if n and n <= 100 and is_credit(line):
            if mask is None:
                mask = np.zeros(len(cps), dtype=np.bool_)
            mask[pos : pos + n] = True
        pos += n + 1
    return mask


def normalize(text: str, *, drop_credit_lines: bool = True) -> NormText:
    """Normalise ``text`` for matching (see the module docstring) with an offset map.

    One compiled pass (:func:`newsrights.core.matching.kernels.fold`) does the folding,
    the credit-line mask, the word separators and the traditional-character count; a
    text holding a character that folds to several (``㎏`` → ``kg``) takes
    :func:`normalize_reference`, the numpy implementation both must agree with.
    """
    if not text:
        return NormText("", np.zeros(0, np.int32), np.zeros(0, np.int32), 0)
    fold, table, trad, is_credit = _FAST or _fast()
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    mask = _credit_mask(text, cps, is_credit) if drop_credit_lines else None
    out, starts, ends, ntrad, ok = fold(cps, table, trad, _NO_MASK if mask is None else mask, mask is not None,
                                        CJK_START)
    if not ok:
        return normalize_reference(text, drop_credit_lines=drop_credit_lines)
    converted = False
    if ntrad >= TRADITIONAL_MIN:
        out, starts, ends = _convert(out, starts, ends)
        converted = True
    norm = out.astype("<u4").tobytes().decode("utf-32-le")
    return NormText(norm, starts, ends, len(cps), converted, out)


_NO_MASK = np.zeros(1, dtype=np.bool_)
_FAST: tuple[Callable[..., tuple[U32Array, IntArray, IntArray, int, bool]], U32Array, npt.NDArray[np.bool_],
             Callable[[str], bool]] | None = None


def _fast() -> tuple[Callable[..., tuple[U32Array, IntArray, IntArray, int, bool]], U32Array,
                     npt.NDArray[np.bool_], Callable[[str], bool]]:
    """The compiled fold and its tables, looked up once per process."""
    global _FAST
    from newsrights.core.matching.kernels import fold

    _FAST = (fold, _fold_tables()[0], _traditional_table(), _credit_checker())
    return _FAST


def normalize_reference(text: str, *, drop_credit_lines: bool = True) -> NormText:
    """The numpy implementation of :func:`normalize` (the specification its compiled
    pass is tested against; also the path for characters that fold to several)."""
    if not text:
        return NormText("", np.zeros(0, np.int32), np.zeros(0, np.int32), 0)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    n = len(cps)
    table, expand = _fold_tables()
    if int(cps.max()) < 0x10000:
        folded = table[cps]
    else:  # CJK extensions B.. are kept as they are; emoji etc. dropped
        bmp = cps < 0x10000
        folded = np.where(bmp, table[np.where(bmp, cps, 0)], 0).astype(np.uint32)
        keep_astral = ~bmp & (cps >= 0x20000) & (cps < 0x40000)
        folded[keep_astral] = cps[keep_astral]
    if drop_credit_lines:
        mask = _credit_mask(text, cps, _credit_checker())
        if mask is not None:
            folded[mask] = 0
    lens = (folded != 0).astype(np.int32)
    exp_pos = np.flatnonzero(folded == _EXPAND)
    for p in exp_pos:
        lens[p] = len(expand[int(cps[p])])
    src = np.repeat(np.arange(n, dtype=np.int32), lens)
    out = folded[src]
    if len(exp_pos):
        out = out.copy()
        first = np.concatenate(([0], np.cumsum(lens)[:-1]))
        for p in exp_pos:
            seq = expand[int(cps[p])]
            out[first[p] : first[p] + len(seq)] = seq
    starts = src
    ends = src + 1
    if len(out) > 1:
        latin = out < CJK_START
        before = np.zeros(len(out), dtype=np.int64)  # 1 where a word separator goes before out[i]
        before[1:] = latin[:-1] & latin[1:] & (starts[1:] > ends[:-1])
        nsep = int(before.sum())
        if nsep:
            pos = np.arange(len(out)) + np.cumsum(before)  # new position of each kept character
            seps = pos[before.astype(bool)] - 1
            gap_start = ends[np.flatnonzero(before) - 1]
            m = len(out) + nsep
            new_out = np.empty(m, np.uint32)
            new_st = np.empty(m, starts.dtype)
            new_en = np.empty(m, ends.dtype)
            new_out[pos], new_st[pos], new_en[pos] = out, starts, ends
            new_out[seps], new_st[seps], new_en[seps] = 32, gap_start, gap_start + 1
            out, starts, ends = new_out, new_st, new_en
    converted = False
    trad = _traditional_table()
    small = out if not len(out) or int(out.max()) < 0x10000 else out[out < 0x10000]
    if len(small) and int(np.count_nonzero(trad[small])) >= TRADITIONAL_MIN:
        out, starts, ends = _convert(out, starts, ends)
        converted = True
    norm = out.astype("<u4").tobytes().decode("utf-32-le")
    return NormText(norm, starts.astype(np.int32), ends.astype(np.int32), n, converted)


def _convert(out: U32Array, starts: IntArray, ends: IntArray) -> tuple[U32Array, IntArray, IntArray]:
    """Traditional → simplified keeping the offset map (whole text, else per segment)."""
    s = out.astype("<u4").tobytes().decode("utf-32-le")
    conv = to_simplified(s)
    if len(conv) == len(s):
        return np.frombuffer(conv.encode("utf-32-le"), dtype=np.uint32).copy(), starts, ends
    # segments: maximal runs without dropped characters between them
    breaks = np.flatnonzero(starts[1:] > ends[:-1]) + 1
    bounds = [0, *breaks.tolist(), len(s)]
    new_cp: list[U32Array] = []
    new_st: list[IntArray] = []
    new_en: list[IntArray] = []
    segs = [s[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    converted = to_simplified("\n".join(segs)).split("\n")  # one OpenCC call; it keeps line breaks
    if len(converted) != len(segs):  # pragma: no cover - defensive
        converted = [to_simplified(seg) for seg in segs]
    for a, b, seg, c in zip(bounds[:-1], bounds[1:], segs, converted, strict=True):
        cp = np.frombuffer(c.encode("utf-32-le"), dtype=np.uint32)
        if len(c) == len(seg):
            new_st.append(starts[a:b])
            new_en.append(ends[a:b])
        else:
            m, k = len(c), b - a
            j = np.arange(m)
            lo = (j * k) // m
            hi = np.maximum(((j + 1) * k) // m, lo + 1)
            new_st.append(starts[a + lo])
            new_en.append(ends[a + hi - 1])
        new_cp.append(cp)
    return (
        np.concatenate(new_cp).astype(np.uint32),
        np.concatenate(new_st).astype(np.int32),
        np.concatenate(new_en).astype(np.int32),
    )
