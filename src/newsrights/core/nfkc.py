"""Unicode NFKC, equal to ``unicodedata.normalize("NFKC", text)``, without its slow path on
Chinese text (pure).

CPython answers at once only for text that passes NFKC's quick check. Chinese news text never
does: every sentence holds full-width punctuation (``，`` ``：`` ``（`` ``）``), digits or
the ideographic space, which NFKC maps to their ASCII forms, so the whole string goes through
decomposition, reordering and composition (~240 ns a character here). A checked page is
NFKC-normalised for its digest and again by the credit check.

This module takes a shorter road when it provably ends at the same place. The Basic
Multilingual Plane is split once, from ``unicodedata`` itself, into three classes:

* **stable**: the character is its own compatibility decomposition (``NFKD(c) == c``), has
  canonical combining class 0 and is not the second half of any canonical composition pair;
* **mapped**: its compatibility decomposition is a string of stable characters (``，`` → ``,``,
  ``０`` → ``0``, ``㎏`` → ``kg``);
* **other**: everything else (combining marks, Hangul syllables and jamo, characters that
  decompose into those), and every character outside the BMP.

For a text of stable and mapped characters only, NFKC is the text with each mapped character
replaced by its decomposition: NFKD decomposes character by character; no character has a
non-zero combining class, so the canonical reordering moves nothing; and no character is the
second half of a composition pair, so the composition step joins nothing. Any other text is
handed to ``unicodedata.normalize``. The property is tested against ``unicodedata`` on every
BMP character, on pairs and with Hypothesis.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BMP = 0x10000
_SURROGATES = range(0xD800, 0xE000)


def _ranges(codes: list[int]) -> str:
    """A regular-expression character class body for sorted code points (as ranges)."""
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = codes[i], codes[j]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i = j + 1
    return "".join(parts)


def _seconds() -> set[str]:
    """Characters that are the second half of a canonical composition pair (from the
    Unicode database's canonical decompositions; the Hangul vowels and trailing consonants
    compose algorithmically, and are added as ranges)."""
    out = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for cp in range(_BMP):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                out.add(chr(int(parts[1], 16)))
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """(other characters, mapped characters, the map), built once from ``unicodedata``."""
    seconds = _seconds()

    def stable(x: str) -> bool:
        return (ord(x) < _BMP and ord(x) not in _SURROGATES and unicodedata.combining(x) == 0
                and x not in seconds and unicodedata.normalize("NFKD", x) == x)

    other: list[int] = []
    mapping: dict[str, str] = {}
    for cp in range(_BMP):
        c = chr(cp)
        if cp in _SURROGATES:
            other.append(cp)
            continue
        if cp < 0x80 or (unicodedata.is_normalized("NFKD", c) and stable(c)):
            continue
        k = unicodedata.normalize("NFKD", c)
        if k != c and all(stable(x) for x in k) and unicodedata.normalize("NFKC", c) == k:
            mapping[c] = k
        else:
            other.append(cp)
    other_re = re.compile("[" + _ranges(other) + "\\U00010000-\\U0010ffff]")
    mapped_re = re.compile("[" + _ranges(sorted(ord(c) for c in mapping)) + "]")
    return other_re, mapped_re, mapping


def normalize_nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)`` (see the module docstring)."""
    if text.isascii():
        return text
    other, mapped, mapping = _tables()
    if other.search(text) is not None:
        return unicodedata.normalize("NFKC", text)
    for ch in set(mapped.findall(text)):
        text = text.replace(ch, mapping[ch])
    return text
