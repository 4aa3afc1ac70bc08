"""Incremental, compact inverted tables: LSH band keys and passage anchors → documents.

:class:`PostingTable` maps ``uint64`` (or, to save memory, ``uint32``) keys to ``int32`` document numbers with two
sorted numpy arrays (keys, docs) plus a small sorted *delta* of recent additions;
the delta merges into the main arrays when it grows past 1/8 of them (amortised
O(log n) per posting, no rebuild). Withdrawn documents are masked by the caller's
``alive`` array and physically dropped at the next merge. Memory: 8 bytes per
posting with ``uint32`` keys (12 with ``uint64``), no Python object per posting.

Look-ups are vectorised ``searchsorted`` over all query keys at once, and return
for each hit the query key's position, the document and the key's document
frequency (``df``) so that formulaic keys can be ignored (passim's df cap).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

#: Keys: ``uint64`` or ``uint32`` arrays (a table holds one dtype, chosen at construction).
U64 = npt.NDArray[np.unsignedinteger[Any]]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _ranges(lo: I64, hi: I64) -> tuple[I64, I64]:
    """Flatten ``[lo[i], hi[i])`` into (owner i, position) arrays."""
    counts = hi - lo
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    owner = np.repeat(np.arange(len(lo)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(lo, counts) + offsets


def _directory(keys: U64) -> tuple[I32, U64]:
    """A directory of the sorted ``keys`` by their top ``b`` bits, about four keys per slot
    (4 bytes per slot, so ~1 byte per posting)."""
    width = keys.dtype.itemsize * 8
    bits = max(1, min(width - 1, int(len(keys) // 4).bit_length()))
    shift = width - bits
    bounds = np.arange((1 << bits) + 1, dtype=np.uint64) << np.uint64(shift)
    slots = np.searchsorted(keys, bounds[:-1].astype(keys.dtype), "left")
    out = np.empty((1 << bits) + 1, np.int32)
    out[:-1] = slots
    out[-1] = len(keys)
    return out, np.array([shift], dtype=keys.dtype)


class PostingTable:
    """A multimap ``uint64 key → int32 doc`` with incremental additions."""

    __slots__ = ("_dtype", "_keys", "_docs", "_dkeys", "_ddocs", "_pend_keys", "_pend_docs", "_pending", "_dir",
                 "_shift")

    def __init__(self, dtype: type = np.uint64) -> None:
        self._dtype = dtype
        self._keys: U64 = np.zeros(0, dtype)
        self._docs: I32 = np.zeros(0, np.int32)
        self._dkeys: U64 = np.zeros(0, dtype)
        self._ddocs: I32 = np.zeros(0, np.int32)
        self._pend_keys: list[U64] = []
        self._pend_docs: list[I32] = []
        self._pending = 0
        self._dir, self._shift = _directory(self._keys)

    def __len__(self) -> int:
        return len(self._keys) + len(self._dkeys) + self._pending

    @property
    def pending(self) -> int:
        """Postings added since the last flush."""
        return self._pending

    @property
    def nbytes(self) -> int:
        return self._keys.nbytes + self._docs.nbytes + self._dkeys.nbytes + self._ddocs.nbytes + self._dir.nbytes

    def add(self, keys: U64, doc: int) -> None:
        if len(keys):
            self._pend_keys.append(np.asarray(keys, self._dtype))
            self._pend_docs.append(np.full(len(keys), doc, np.int32))
            self._pending += len(keys)

    def add_many(self, keys: U64, docs: I32) -> None:
        if len(keys):
            self._pend_keys.append(np.asarray(keys, self._dtype))
            self._pend_docs.append(np.asarray(docs, np.int32))
            self._pending += len(keys)

    def arrays(self) -> tuple[U64, I32, U64, I32]:
        """The sorted main and delta arrays ``(keys, docs, delta keys, delta docs)``
        (call :meth:`flush` first so that pending additions are in them)."""
        return self._keys, self._docs, self._dkeys, self._ddocs

    def directory(self) -> tuple[I32, U64]:
        """``(dir, shift)``: main keys with top bits ``b`` (``key >> shift[0]``) lie in
        ``keys[dir[b]:dir[b + 1]]``, so a look-up searches a few entries, not the whole table."""
        return self._dir, self._shift

    def flush(self, alive: BoolArray | None = None) -> None:
        """Sort pending additions into the delta; merge the delta into the main arrays when large."""
        if self._pending:
            keys = np.concatenate([self._dkeys, *self._pend_keys])
            docs = np.concatenate([self._ddocs, *self._pend_docs])
            self._pend_keys, self._pend_docs, self._pending = [], [], 0
            order = np.argsort(keys, kind="stable")
            self._dkeys, self._ddocs = keys[order], docs[order]
        if len(self._dkeys) and len(self._dkeys) * 8 >= len(self._keys):
            self.compact(alive)

    def compact(self, alive: BoolArray | None = None) -> None:
        """Merge everything into the main arrays, dropping withdrawn documents.

        The sorted delta is merged into the sorted main arrays by position (one
        ``searchsorted``), not re-sorted: the peak is one new copy of the arrays plus
        a byte per posting, which keeps the process's high-water mark low.
        """
        if self._pending:
            self._pending = 0
            keys = np.concatenate([self._dkeys, *self._pend_keys])
            docs = np.concatenate([self._ddocs, *self._pend_docs])
            self._pend_keys, self._pend_docs = [], []
            order = np.argsort(keys, kind="stable")
            self._dkeys, self._ddocs = keys[order], docs[order]
        main_k, main_d, dk, dd = self._keys, self._docs, self._dkeys, self._ddocs
        if alive is not None:
            if len(main_d) and not alive[main_d].all():
                keep = alive[main_d]
                main_k, main_d = main_k[keep], main_d[keep]
            if len(dd) and not alive[dd].all():
                keep = alive[dd]
                dk, dd = dk[keep], dd[keep]
        if len(dk):
            n, d = len(main_k), len(dk)
            at = np.searchsorted(main_k, dk, "right") + np.arange(d)  # delta slots in the merged array
            is_delta = np.zeros(n + d, dtype=np.bool_)
            is_delta[at] = True
            keys_out: U64 = np.empty(n + d, dtype=self._dtype)
            docs_out = np.empty(n + d, dtype=np.int32)
            keys_out[at], docs_out[at] = dk, dd
            np.logical_not(is_delta, out=is_delta)
            keys_out[is_delta], docs_out[is_delta] = main_k, main_d
            main_k, main_d = keys_out, docs_out
        self._keys, self._docs = main_k, main_d
        self._dir, self._shift = _directory(main_k)
        self._dkeys, self._ddocs = np.zeros(0, self._dtype), np.zeros(0, np.int32)

    def lookup(
        self, query: U64, alive: BoolArray | None = None, max_df: int | None = None
    ) -> tuple[I64, I32, I64]:
        """For each posting of each query key: (query position, doc, df of that key);
        one compiled pass (:func:`newsrights.core.matching.kernels.lookup`) equal to
        :meth:`lookup_reference`."""
        from newsrights.core.matching.kernels import lookup

        self.flush(alive)
        if alive is None:
            alive = np.ones(int(max(self._docs.max(initial=-1), self._ddocs.max(initial=-1))) + 1, np.bool_)
        return lookup(self._keys, self._docs, self._dkeys, self._ddocs, self._dir, self._shift,
                      np.asarray(query, self._dtype), alive,
                      -1 if max_df is None else int(max_df))

    def lookup_reference(
        self, query: U64, alive: BoolArray | None = None, max_df: int | None = None
    ) -> tuple[I64, I32, I64]:
        """For each posting of each query key: (query position, doc, df of that key).

        ``query`` must have the table's key dtype.

        Keys with a df above ``max_df`` are skipped without expanding their postings.

        ``df`` counts postings of live and withdrawn documents alike until the next
        compaction (a slight over-estimate, never an under-estimate).
        """
        self.flush(alive)
        qs: list[I64] = []
        ds: list[I32] = []
        dfs: list[I64] = []
        df_total = np.zeros(len(query), np.int64)
        parts = []
        for keys, docs in ((self._keys, self._docs), (self._dkeys, self._ddocs)):
            if not len(keys):
                continue
            lo = np.searchsorted(keys, query, "left")
            hi = np.searchsorted(keys, query, "right")
            df_total += hi - lo
            parts.append((lo, hi, docs))
        for lo, hi, docs in parts:
            if max_df is not None:
                hi = np.where(df_total > max_df, lo, hi)
            owner, pos = _ranges(lo, hi)
            qs.append(owner)
            ds.append(docs[pos])
            dfs.append(df_total[owner])
        if not qs:
            return np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int64)
        q, d, f = np.concatenate(qs), np.concatenate(ds), np.concatenate(dfs)
        if alive is not None and len(d):
            keep = alive[d]
            q, d, f = q[keep], d[keep], f[keep]
        return q, d, f
