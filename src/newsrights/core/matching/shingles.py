"""Units and shingles of a normalised text, hashed with numpy (no Python loop per character).

A *unit* is one CJK character (code point ≥ :data:`~newsrights.core.normalize.CJK_START`)
or one run of Latin letters/digits (a word or a number; :func:`normalize` keeps one
space between words). So Chinese text is shingled by characters and English by
words, and mixed pages work without a language switch.

Unit hashes: a CJK unit hashes its code point; a word hashes its characters with a
polynomial hash computed from prefix sums (``H[e] - H[s]`` times the inverse power
of the base, all mod 2**64 with numpy's wrapping ``uint64``). A ``k``-shingle is
the polynomial combination of ``k`` consecutive unit hashes, finished with the
splitmix64 mixer so that the low bits are uniform (the anchor sampler uses them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsrights.core.normalize import CJK_START, NormText

U64 = npt.NDArray[np.uint64]
I32 = npt.NDArray[np.int32]

_BASE = np.uint64(0x100000001B3)  # odd, so invertible mod 2**64
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)
_SM1, _SM2, _SM3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def splitmix64(x: U64) -> U64:
    """The splitmix64 finaliser, vectorised (wrapping uint64 arithmetic: numpy arrays wrap silently)."""
    z = x + _SM1
    z = (z ^ (z >> _S30)) * _SM2
    z = (z ^ (z >> _S27)) * _SM3
    return z ^ (z >> _S31)


_POW: list[U64] = [np.zeros(0, np.uint64), np.zeros(0, np.uint64)]


def _powers(n: int) -> tuple[U64, U64]:
    """``BASE**(i+1)`` and ``BASE**-(i+1)`` mod 2**64 for ``i < n`` (cached, grown by doubling)."""
    if len(_POW[0]) < n:
        size = max(n, 2 * len(_POW[0]), 4096)
        _POW[0] = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64)
        _POW[1] = np.cumprod(np.full(size, _BASE_INV, dtype=np.uint64), dtype=np.uint64)
    return _POW[0][:n], _POW[1][:n]


@dataclass(frozen=True, slots=True, eq=False)
class Units:
    """The units of a normalised text: ``hashes[i]`` and the normalised character
    range ``[starts[i], ends[i])`` of unit ``i``."""

    hashes: U64
    starts: I32
    ends: I32

    def __len__(self) -> int:
        return len(self.hashes)


def units(norm: NormText) -> Units:
    """Split a normalised text into units (CJK characters and Latin words)."""
    cp = norm.codepoints().astype(np.uint64)
    n = len(cp)
    if n == 0:
        e = np.zeros(0, np.int32)
        return Units(np.zeros(0, np.uint64), e, e)
    space = cp == 32
    cjk = cp >= CJK_START
    word = ~space & ~cjk
    prev_word = np.concatenate(([False], word[:-1]))
    next_word = np.concatenate((word[1:], [False]))
    word_start = word & ~prev_word
    word_end = word & ~next_word
    unit_start = cjk | word_start
    starts = np.flatnonzero(unit_start).astype(np.int32)
    is_cjk = cjk[starts]
    ends = starts + 1
    if word.any():
        wstarts = np.flatnonzero(word_start)
        wends = np.flatnonzero(word_end) + 1
        pw, ipw = _powers(n)
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(cp * pw, dtype=np.uint64)))
        whash = (prefix[wends] - prefix[wstarts]) * ipw[wstarts]
        ends = ends.copy()
        ends[~is_cjk] = wends.astype(np.int32)
        raw = cp[starts].copy()
        raw[~is_cjk] = whash | np.uint64(1 << 63)  # words never collide with code points
    else:
        raw = cp[starts]
    return Units(splitmix64(raw), starts, ends.astype(np.int32))


def shingles(unit_hashes: U64, k: int) -> U64:
    """Hashes of the ``k``-unit shingles: element ``i`` covers units ``[i, i + k)``.

    A text shorter than ``k`` units gives one shingle of all of it (or none if empty).
    """
    n = len(unit_hashes)
    if n == 0:
        return np.zeros(0, np.uint64)
    k = min(k, n)
    m = n - k + 1
    acc = unit_hashes[:m].copy()
    for j in range(1, k):
        acc = acc * _SHINGLE_BASE + unit_hashes[j : j + m]
    return splitmix64(acc ^ np.uint64(k))
