"""MinHash signatures by one-permutation hashing, and LSH band keys, vectorised.

One-permutation hashing (Li, Owen & Zhang 2012) with rotation densification
(Shrivastava & Li 2014): each shingle hash (already uniform 64-bit, see
:mod:`shingles`) falls into bin ``h >> (64 - log2(num_perm))``; the bin keeps the
minimum of its remaining bits. Empty bins (short texts) borrow the value of the
next non-empty bin to the right (circularly) plus a per-distance offset, so two
texts agree on an empty bin only when they agree on the borrowed one. The share
of equal bins estimates Jaccard similarity, as with ``num_perm`` independent
permutations, at the cost of one sort instead of ``num_perm`` hash passes.

LSH: the signature is cut into ``bands`` bands of ``rows`` values; a band key is
the splitmix64 hash of its values and its band number. Two texts become
candidates when any band key is equal (probability ``1 - (1 - J**rows)**bands``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from newsrights.core.matching.shingles import splitmix64

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

_EMPTY = np.uint32(0xFFFFFFFF)
#: Odd multipliers that combine a band's values (and its band number) before mixing.
_ROW_MULT = splitmix64(np.arange(1, 65, dtype=np.uint64)) | np.uint64(1)
_BAND_MULT = splitmix64(np.arange(1000, 1512, dtype=np.uint64))


def signature(shingle_hashes: U64, num_perm: int, *, presorted: bool = False) -> U32:
    """The ``num_perm``-value signature (``uint32``) of a set of shingle hashes
    (``presorted=True``: they are already sorted, e.g. from ``np.unique``)."""
    bits = int(num_perm).bit_length() - 1
    if 1 << bits != num_perm:
        raise ValueError(f"num_perm must be a power of two, got {num_perm}")
    sig = np.full(num_perm, _EMPTY, dtype=np.uint32)
    if len(shingle_hashes) == 0:
        return sig
    h = shingle_hashes if presorted else np.sort(shingle_hashes)
    bins = (h >> np.uint64(64 - bits)).astype(np.int64)
    first = np.flatnonzero(np.concatenate(([True], bins[1:] != bins[:-1])))
    vals = ((h[first] >> np.uint64(64 - bits - 32)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    vals[vals == _EMPTY] = _EMPTY - 1
    sig[bins[first]] = vals
    empty = sig == _EMPTY
    if empty.any():
        filled = np.flatnonzero(~empty)
        idx = np.arange(num_perm)
        pos = np.searchsorted(filled, idx)  # next non-empty bin at or right of idx
        nxt = np.where(pos < len(filled), filled[pos % len(filled)], filled[0] + num_perm)
        dist = (nxt - idx).astype(np.uint64)
        borrowed = sig[nxt % num_perm].astype(np.uint64)
        mixed = (splitmix64(borrowed ^ (dist << np.uint64(32))) & np.uint64(0xFFFFFFFE)).astype(np.uint32)
        sig = np.where(empty, mixed, sig).astype(np.uint32)
    return sig


def jaccard(a: U32, b: U32) -> float:
    """Jaccard estimate: the share of equal signature values."""
    return float(np.count_nonzero(a == b)) / len(a) if len(a) else 0.0


def band_keys(sig: U32, bands: int, rows: int) -> U64:
    """One ``uint64`` key per band: ``splitmix64(sum(value_r * odd_r) + band_salt)``
    (the band number is mixed in, so all bands share one table)."""
    m = sig[: bands * rows].astype(np.uint64).reshape(bands, rows)
    return splitmix64((m * _ROW_MULT[:rows]).sum(axis=1, dtype=np.uint64) + _BAND_MULT[:bands])


def band_keys_many(sigs: U32, bands: int, rows: int) -> U64:
    """Band keys for a 2-D array of signatures: shape ``(n, bands)``."""
    m = sigs[:, : bands * rows].astype(np.uint64).reshape(len(sigs), bands, rows)
    return splitmix64((m * _ROW_MULT[:rows]).sum(axis=2, dtype=np.uint64) + _BAND_MULT[:bands])
