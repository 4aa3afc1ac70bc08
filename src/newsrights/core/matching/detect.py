"""The detector: an incremental index of catalog articles and the check of one page text.

``Detector(params)`` holds, per article, a compact :class:`Sketch` (MinHash
signature + sampled passage anchors) in numpy arrays and posting tables, and the
article text (or a ``text_source`` callable that fetches it, so a large catalog
need not keep texts in memory).

``check(text)``:

1. normalise the page (:func:`newsrights.core.normalize.normalize`), split it in
   units and shingles;
2. **candidates** = articles sharing an LSH band with the page (whole or nearly
   whole copies) ∪ articles sharing at least ``min_anchors`` distinct passage
   anchors whose document frequency is at most ``df_cap`` (excerpts embedded in
   other stories; formulaic phrases held by many articles do not count);
3. **align** each candidate (:func:`newsrights.core.matching.align.align`) and
   measure: ``article_coverage`` (share of the article's normalised characters
   inside aligned regions), ``page_coverage`` (same for the page), spans in
   original offsets of both texts (merged when closer than ``merge_gap``
   normalised characters), and the similarity figures ``jaccard`` (MinHash
   estimate), ``containment`` (share of the article's shingles found in the
   page) and ``aligned_chars`` (exactly matched article characters);
4. **label**: ``whole`` (article coverage ≥ ``whole_coverage``), ``excerpt``
   (≥ ``min_excerpt_chars`` aligned characters, or a short page whose page
   coverage is ≥ ``whole_coverage``: the page is one passage of the article),
   else ``not_derived`` (returned only with ``include_not_derived=True``).

Pure and deterministic: the same params, articles and text give the same findings
in the same order (by article coverage, then article id).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from newsrights.core.matching import align as _align
from newsrights.core.matching import kernels as _kernels
from newsrights.core.matching.index import PostingTable
from newsrights.core.matching.minhash import _BAND_MULT, _ROW_MULT, band_keys, signature
from newsrights.core.matching.params import DEFAULT_PARAMS, MatchParams
from newsrights.core.matching.shingles import Units, shingles, splitmix64, units
from newsrights.core.model import Finding, Span
from newsrights.core.normalize import CJK_START, NormText, normalize

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

#: Memory for prepared articles kept between checks (LRU of the articles last indexed or
#: aligned; about 60 bytes per article character, so ~4,000 articles of 500 characters).
CACHE_BYTES = 128 << 20

#: At most this many candidates are aligned per page (best retrieval scores first).
MAX_CANDIDATES = 16

#: An anchor-only candidate needs ``min_anchors`` shared anchors within this many page units.
ANCHOR_WINDOW = 120

#: Pages shorter than this (normalised characters) need only 3 shared anchors: a short page
#: (a 快讯 sub-item, a brief) has few anchors to share.
SHORT_PAGE = 400


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """A text made ready for matching: normalised, in units, shingled, signed."""

    norm: NormText
    units: Units
    cum: I64
    shingles: U64
    order: I64
    uniq: U64
    anchors: U64
    signature: U32
    anchor_pos: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    n_chars: int = -1
    #: the shingles in ``order`` (sorted, repeats kept): read sequentially by the alignment
    sorted_shingles: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))

    def sorted_view(self) -> U64:
        return self.sorted_shingles if len(self.sorted_shingles) == len(self.shingles) else self.shingles[self.order]

    @property
    def chars(self) -> int:
        """Normalised characters (of the units)."""
        return self.n_chars if self.n_chars >= 0 else int(self.cum[-1])

    @property
    def nbytes(self) -> int:
        """Approximate memory held (arrays, text and object overheads)."""
        arrays = (self.norm.starts, self.norm.ends, self.units.hashes, self.units.starts, self.units.ends,
                  self.cum, self.shingles, self.order, self.uniq, self.anchors, self.signature, self.anchor_pos,
                  self.sorted_shingles)
        return sum(a.nbytes + 112 for a in arrays) + 4 * len(self.norm.text) + 400


def prepare(text: str, params: MatchParams = DEFAULT_PARAMS, *, retrieval: bool = True) -> Prepared:
    """Normalise, split and hash one text (pure). ``retrieval=False`` skips the
    signature and anchors (an article prepared only to be aligned).

    One compiled pass (:func:`newsrights.core.matching.kernels.prepare_arrays`) after the
    normalisation; :func:`prepare_reference` is the numpy specification it must equal.
    """
    norm = normalize(text)
    bits = int(params.num_perm).bit_length() - 1
    if 1 << bits != params.num_perm:
        raise ValueError(f"num_perm must be a power of two, got {params.num_perm}")
    h, st, en, cum, sh, order, uniq, sig, anchors, anchor_pos, ssh = _kernels.prepare_arrays(
        norm.codepoints(), CJK_START, params.k, params.num_perm, bits, params.anchor_k, params.anchor_mod,
        retrieval,
    )
    return Prepared(norm, Units(h, st, en), cum, sh, order, uniq, anchors, sig, anchor_pos, int(cum[-1]), ssh)


def prepare_reference(text: str, params: MatchParams = DEFAULT_PARAMS, *, retrieval: bool = True) -> Prepared:
    """:func:`prepare` written with numpy array operations (the specification)."""
    norm = normalize(text)
    u = units(norm)
    cum = np.zeros(len(u) + 1, np.int64)
    if len(u):
        np.cumsum(u.ends - u.starts, out=cum[1:])
    sh = shingles(u.hashes, params.k)
    uniq = np.unique(sh)
    order = np.argsort(sh, kind="stable")
    if not retrieval:
        return Prepared(norm, u, cum, sh, order, uniq, np.zeros(0, np.uint64), np.zeros(0, np.uint32))
    sig = signature(uniq, params.num_perm, presorted=True)
    anchors, anchor_pos = anchors_with_positions(u.hashes, params, sh)
    return Prepared(norm, u, cum, sh, order, uniq, anchors, sig, anchor_pos)


_A1 = np.uint64(0x9E3779B97F4A7C15)
_A2 = np.uint64(0xC2B2AE3D27D4EB4F)


def anchors_of(unit_hashes: U64, params: MatchParams, sh: U64 | None = None) -> U64:
    """Passage anchors: the distinct ``anchor_k``-unit shingles whose hash is 0 mod ``anchor_mod``."""
    return anchors_with_positions(unit_hashes, params, sh)[0]


def anchors_with_positions(unit_hashes: U64, params: MatchParams, sh: U64 | None = None) -> tuple[U64, I64]:
    """Distinct passage anchors (sorted) and the unit position of each one's first occurrence.

    The ``anchor_k``-unit hash is composed from three ``k``-unit shingle hashes that
    together cover the ``anchor_k`` units (at offsets 0, middle and ``anchor_k - k``),
    so it costs a few array operations instead of ``anchor_k`` passes.
    """
    n, k, ak = len(unit_hashes), params.k, params.anchor_k
    if n < ak:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    if sh is None:
        sh = shingles(unit_hashes, k)
    if ak <= k:
        a = sh
    else:
        m = n - ak + 1
        mid = (ak - k) // 2
        a = splitmix64(sh[:m] * _A1 + sh[mid : mid + m] * _A2 + sh[ak - k : ak - k + m])
    pos = np.flatnonzero((a % np.uint64(params.anchor_mod)) == 0)
    uniq, first = np.unique(a[pos], return_index=True)
    return uniq, pos[first].astype(np.int64)


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """What the index keeps of one article: its signature and anchors (storable as bytes)."""

    article_id: str
    uri: str
    signature: U32
    anchors: U64
    chars: int

    def signature_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    def anchors_bytes(self) -> bytes:
        return self.anchors.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, article_id: str, uri: str, sig: bytes, anchors: bytes, chars: int) -> Sketch:
        return cls(
            article_id,
            uri,
            np.frombuffer(sig, dtype="<u4").astype(np.uint32),
            np.frombuffer(anchors, dtype="<u8").astype(np.uint64),
            chars,
        )


def sketch(article_id: str, uri: str, text: str, params: MatchParams = DEFAULT_PARAMS) -> Sketch:
    """The sketch of one article (pure; the Spark job and the database use this)."""
    p = prepare(text, params)
    return Sketch(article_id, uri, p.signature, p.anchors, p.chars)


def _clustered(docs: npt.NDArray[np.int32], pos: I64, m: int, window: int) -> list[tuple[int, int]]:
    """``(doc, shared anchors)`` for documents with at least ``m`` shared anchors lying within
    ``window`` units of each other on the page: an excerpt brings its anchors together, while
    stray shared phrases scatter theirs over the page."""
    if m <= 1:
        d, c = np.unique(docs, return_counts=True)
        return list(zip(d.tolist(), c.tolist(), strict=True))
    order = np.lexsort((pos, docs))
    d, p = docs[order].astype(np.int64), pos[order]
    if len(d) < m:
        return []
    ok = (d[m - 1 :] == d[: len(d) - m + 1]) & (p[m - 1 :] - p[: len(p) - m + 1] <= window)
    good = np.unique(d[: len(d) - m + 1][ok])
    if not len(good):
        return []
    ud, uc = np.unique(d, return_counts=True)
    counts = dict(zip(ud.tolist(), uc.tolist(), strict=True))
    return [(doc, counts[doc]) for doc in good.tolist()]


def _k32(keys: U64) -> npt.NDArray[np.uint32]:
    """The high 32 bits of 64-bit keys (anchors are sampled on their low bits)."""
    return (keys >> np.uint64(32)).astype(np.uint32)


def page_keys(page: Prepared, params: MatchParams) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], I64]:
    """What a page looks up in the index: its LSH band keys, its distinct anchor keys and
    the page position of each anchor key (the Spark job joins on exactly these)."""
    return _kernels.page_keys(page.signature, page.anchors, page.anchor_pos, params.bands, params.rows,
                              _ROW_MULT, _BAND_MULT)


def page_keys_reference(
    page: Prepared, params: MatchParams
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], I64]:
    """:func:`page_keys` with numpy array operations (the specification)."""
    bands = _k32(band_keys(page.signature, params.bands, params.rows))
    if not len(page.anchors):
        return bands, np.zeros(0, np.uint32), np.zeros(0, np.int64)
    keys, first = np.unique(_k32(page.anchors), return_index=True)
    pos = page.anchor_pos[first] if len(page.anchor_pos) else np.zeros(len(keys), np.int64)
    return bands, keys, pos


def article_keys(s: Sketch, params: MatchParams) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The band keys and anchor keys an article's sketch puts in the index."""
    return _k32(band_keys(s.signature, params.bands, params.rows)), np.unique(_k32(s.anchors))


def rank_candidates(
    band_docs: npt.NDArray[np.int32], anchor_docs: npt.NDArray[np.int32], anchor_pos: I64, page_chars: int,
    params: MatchParams,
) -> list[tuple[int, float]]:
    """Score and rank candidate documents (pure; the Spark job calls it too).

    ``band_docs`` has one entry per band-key posting hit (a document sharing ``n`` band keys
    appears ``n`` times); ``anchor_docs``/``anchor_pos`` one entry per hit of a page anchor
    held by at most ``df_cap`` documents, with the anchor's page position. A band hit scores
    ``100 + n``; anchors score their count when at least ``min_anchors`` (3 on pages under
    ``SHORT_PAGE`` characters) lie within ``ANCHOR_WINDOW`` units on the page. Best first, ties
    by document number; at most ``MAX_CANDIDATES``.
    """
    need = params.min_anchors if page_chars >= SHORT_PAGE else min(3, params.min_anchors)
    docs, scores = _kernels.rank(
        np.asarray(band_docs, np.int32), np.asarray(anchor_docs, np.int32), np.asarray(anchor_pos, np.int64),
        need, ANCHOR_WINDOW, MAX_CANDIDATES,
    )
    return list(zip(docs.tolist(), scores.tolist(), strict=True))


def rank_candidates_reference(
    band_docs: npt.NDArray[np.int32], anchor_docs: npt.NDArray[np.int32], anchor_pos: I64, page_chars: int,
    params: MatchParams,
) -> list[tuple[int, float]]:
    """:func:`rank_candidates` with a dict and numpy (the specification)."""
    score: dict[int, float] = {}
    if len(band_docs):
        d, c = np.unique(band_docs, return_counts=True)
        for doc, cnt in zip(d.tolist(), c.tolist(), strict=True):
            score[doc] = score.get(doc, 0.0) + 100.0 + cnt
    if len(anchor_docs):
        need = params.min_anchors if page_chars >= SHORT_PAGE else min(3, params.min_anchors)
        for doc, cnt in _clustered(anchor_docs, anchor_pos, need, ANCHOR_WINDOW):
            score[doc] = score.get(doc, 0.0) + cnt
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:MAX_CANDIDATES]


class Detector:
    """An incremental index of articles; :meth:`check` finds their reuse in a text."""

    def __init__(
        self,
        params: MatchParams = DEFAULT_PARAMS,
        *,
        text_source: Callable[[str], str | None] | None = None,
        cache_size: int | None = None,
        cache_bytes: int = CACHE_BYTES,
    ) -> None:
        self.params = params
        self._text_source = text_source
        self._texts: dict[str, str] = {}
        self._ids: list[str] = []
        self._uris: list[str] = []
        self._doc: dict[str, int] = {}
        self._alive = np.zeros(1024, dtype=np.bool_)
        self._sigs = np.zeros((1024, params.num_perm), dtype=np.uint32)
        # the index keeps the high 32 bits of band keys and anchors (8 bytes per posting);
        # a rare collision only adds a candidate, which the alignment then rejects
        self._bands = PostingTable(np.uint32)
        self._anchors = PostingTable(np.uint32)
        self._df = np.zeros((2, 1 << params.df_bits), dtype=np.uint16)
        self._df_total = [0, 0]  # increments held by each row (for the mean load)
        # candidate articles prepared for alignment, least recently used first, with their sizes
        self._cache: OrderedDict[str, tuple[Prepared, int]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_bytes = cache_bytes
        self._cached = 0
        self._args: tuple[Any, ...] = ()
        self._args_key: tuple[int, ...] = ()

    # ------------------------------------------------------------------ index
    def __len__(self) -> int:
        return len(self._doc)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._doc

    def article_ids(self) -> list[str]:
        return sorted(self._doc)

    def add(self, article_id: str, uri: str, text: str) -> Sketch:
        """Index one article (replacing an earlier version with the same id)."""
        p = prepare(text, self.params)
        s = Sketch(article_id, uri, p.signature, p.anchors, p.chars)
        if article_id in self._doc:
            self.remove(article_id)
        self.count_shingles(p.uniq, +1)
        self.add_sketch(s, text)
        self._remember(article_id, p)  # just prepared: the newest articles are the likeliest to be copied
        return s

    # formulaic-text sketch ------------------------------------------------
    def _buckets(self, sh: U64) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        mask = np.uint64((1 << self.params.df_bits) - 1)
        u = sh
        return (
            np.unique((u & mask).astype(np.int64)),
            np.unique(((u >> np.uint64(32)) & mask).astype(np.int64)),
        )

    def count_shingles(self, sh: U64, delta: int) -> None:
        """Add (``+1``) or withdraw (``-1``) one article's shingles in the df sketch."""
        for row, b in enumerate(self._buckets(sh)):
            cur = self._df[row, b].astype(np.int32) + delta
            self._df[row, b] = np.clip(cur, 0, 65535).astype(np.uint16)
            self._df_total[row] = max(0, self._df_total[row] + delta * len(b))

    def shingle_df(self, sh: U64) -> npt.NDArray[np.int64]:
        """Estimated number of indexed articles holding each shingle.

        Count-mean-min: each row's counter minus that row's mean load (the expected
        count of unrelated shingles sharing the bucket), the smaller of the two rows,
        rounded down. Unbiased for a large catalog where plain count-min would call
        every shingle common."""
        mask = np.uint64((1 << self.params.df_bits) - 1)
        width = float(1 << self.params.df_bits)
        a = self._df[0, (sh & mask).astype(np.int64)].astype(np.float64) - self._df_total[0] / width
        b = self._df[1, ((sh >> np.uint64(32)) & mask).astype(np.int64)].astype(np.float64) - self._df_total[1] / width
        out: npt.NDArray[np.int64] = np.floor(np.maximum(np.minimum(a, b), 0.0)).astype(np.int64)
        return out

    def _df_args(self) -> tuple[npt.NDArray[np.uint16], float, float, int, int]:
        return (self._df, float(self._df_total[0]), float(self._df_total[1]), self.params.df_bits,
                self.params.common_df)

    def common(self, sh: U64) -> npt.NDArray[np.bool_]:
        """``shingle_df(sh) >= common_df`` in one compiled pass: the formulaic shingles."""
        return _kernels.common_mask(sh, self._df, float(self._df_total[0]), float(self._df_total[1]),
                                    self.params.df_bits, self.params.common_df)

    @property
    def df_sketch(self) -> npt.NDArray[np.uint16]:
        """The df sketch (to store beside the index; load with :meth:`load_df_sketch`)."""
        return self._df

    def load_df_sketch(self, arr: npt.NDArray[np.uint16]) -> None:
        if arr.shape != self._df.shape:
            raise ValueError(f"df sketch shape {arr.shape} does not match params {self._df.shape}")
        self._df = arr if arr.dtype == np.uint16 and arr.flags.writeable else np.array(arr, dtype=np.uint16)
        self._df_total = [int(self._df[0].sum(dtype=np.int64)), int(self._df[1].sum(dtype=np.int64))]

    def add_sketch(self, s: Sketch, text: str | None = None) -> None:
        """Index a precomputed sketch; ``text`` is kept unless a ``text_source`` was given."""
        if s.article_id in self._doc:
            self.remove(s.article_id)
        doc = len(self._ids)
        if doc >= len(self._alive):
            grow = max(1024, len(self._alive) // 4)
            self._alive = np.concatenate([self._alive, np.zeros(grow, np.bool_)])
            self._sigs = np.concatenate([self._sigs, np.zeros((grow, self.params.num_perm), np.uint32)])
        self._ids.append(s.article_id)
        self._uris.append(s.uri)
        self._doc[s.article_id] = doc
        self._alive[doc] = True
        self._sigs[doc] = s.signature
        if s.chars:
            bands, anchors = article_keys(s, self.params)
            self._bands.add(bands, doc)
            self._anchors.add(anchors, doc)
            if self._anchors.pending > 1 << 18:  # keep the pending buffers small while building
                alive = self._alive[: len(self._ids)]
                self._bands.flush(alive)
                self._anchors.flush(alive)
        if text is not None and self._text_source is None:
            self._texts[s.article_id] = text
        self._uncache(s.article_id)

    def add_many(self, items: Iterable[tuple[str, str, str]]) -> int:
        """Index ``(article_id, uri, text)`` triples; returns how many."""
        n = 0
        for article_id, uri, text in items:
            self.add(article_id, uri, text)
            n += 1
        return n

    def remove(self, article_id: str, *, text: str | None = None) -> bool:
        """Withdraw an article; True if it was indexed.

        Its shingles leave the df sketch too; pass ``text`` when the indexed version's
        text is no longer what ``text_source`` returns (a changed article).
        """
        if article_id not in self._doc:
            return False
        prepared = prepare(text, self.params) if text is not None else self._article(article_id)
        if prepared is not None:
            self.count_shingles(prepared.uniq, -1)
        doc = self._doc.pop(article_id)
        self._alive[doc] = False
        self._texts.pop(article_id, None)
        self._uncache(article_id)
        return True

    def compact(self) -> None:
        """Merge pending index additions now (otherwise done lazily and amortised)."""
        alive = self._alive[: len(self._ids)]
        self._bands.compact(alive)
        self._anchors.compact(alive)

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays (not the texts)."""
        n = len(self._ids)
        return self._bands.nbytes + self._anchors.nbytes + self._sigs[:n].nbytes + self._alive[:n].nbytes

    # ------------------------------------------------------------------ check
    def _article(self, article_id: str) -> Prepared | None:
        hit = self._cache.get(article_id)
        if hit is not None:
            self._cache.move_to_end(article_id)
            return hit[0]
        text = self._texts.get(article_id)
        if text is None and self._text_source is not None:
            text = self._text_source(article_id)
        if text is None:
            return None
        p = prepare(text, self.params, retrieval=False)
        self._remember(article_id, p)
        return p

    def _remember(self, article_id: str, p: Prepared) -> None:
        """Keep a prepared article in the LRU (evicting the least recently used past the budget)."""
        self._uncache(article_id)
        size = p.nbytes
        self._cache[article_id] = (p, size)
        self._cached += size
        while len(self._cache) > 1 and (
            self._cached > self._cache_bytes or (self._cache_size is not None and len(self._cache) > self._cache_size)
        ):
            self._cached -= self._cache.popitem(last=False)[1][1]

    def _uncache(self, article_id: str) -> None:
        hit = self._cache.pop(article_id, None)
        if hit is not None:
            self._cached -= hit[1]

    def candidates(self, page: Prepared) -> list[tuple[int, float]]:
        """Candidate documents with a retrieval score (band hits + distinct anchors), best first."""
        if not self._doc or page.chars == 0:
            return []
        params = self.params
        need = params.min_anchors if page.chars >= SHORT_PAGE else min(3, params.min_anchors)
        docs, scores = _kernels.candidates(
            page.signature, page.anchors, page.anchor_pos, params.bands, params.rows, _ROW_MULT, _BAND_MULT,
            *self._index_args(), params.df_cap, need, ANCHOR_WINDOW, MAX_CANDIDATES,
        )
        return list(zip(docs.tolist(), scores.tolist(), strict=True))

    def _index_args(self) -> tuple[Any, ...]:
        """The posting arrays, their directories and the live-document mask, flushed (the
        tuple is kept while none of them is replaced: arrays are never changed in place,
        except ``alive``, which the kernel reads through the same view)."""
        alive = self._alive[: len(self._ids)]
        self._bands.flush(alive)
        self._anchors.flush(alive)
        b, a = self._bands, self._anchors
        key = (id(b._keys), id(b._dkeys), id(a._keys), id(a._dkeys), id(self._alive), len(self._ids))
        if self._args_key != key:
            self._args = (*b.arrays(), *b.directory(), *a.arrays(), *a.directory(), alive)
            self._args_key = key
        return self._args

    def candidates_reference(self, page: Prepared) -> list[tuple[int, float]]:
        """:meth:`candidates` step by step (page keys, two look-ups, ranking; the Spark job's path)."""
        if not self._doc or page.chars == 0:
            return []
        params = self.params
        alive = self._alive[: len(self._ids)]
        bands, keys, pos = page_keys(page, params)
        band_docs = self._bands.lookup(bands, alive)[1]
        anchor_docs: npt.NDArray[np.int32] = np.zeros(0, np.int32)
        anchor_pos: I64 = np.zeros(0, np.int64)
        if len(keys):
            # an article holds an anchor key once: one posting per (anchor, doc)
            q, anchor_docs, _ = self._anchors.lookup(keys, alive, max_df=params.df_cap)
            anchor_pos = pos[q]
        return rank_candidates(band_docs, anchor_docs, anchor_pos, page.chars, params)

    def check(self, text: str, *, page_url: str = "", include_not_derived: bool = False) -> list[Finding]:
        """Findings for one page text against every indexed article (see the module docstring)."""
        return self.check_prepared(prepare(text, self.params), page_url=page_url,
                                   include_not_derived=include_not_derived)

    def check_prepared(
        self, page: Prepared, *, page_url: str = "", include_not_derived: bool = False
    ) -> list[Finding]:
        out: list[Finding] = []
        cands = self.candidates(page)
        # formulaic page shingles, read from the df sketch lazily by the alignment
        memo = np.full(len(page.shingles), -1, np.int8) if cands else None
        for doc, _score in cands:
            article_id = self._ids[doc]
            art = self._article(article_id)
            if art is None:
                continue
            f = compare(page, art, article_id, self._uris[doc], self.params, page_url=page_url,
                        art_signature=self._sigs[doc], common_memo=memo, df=self)
            if f.label != "not_derived" or include_not_derived:
                out.append(f)
        out.sort(key=lambda f: (-f.article_coverage, f.article_id))
        return out

    def compare_texts(self, page_text: str, article_text: str, *, article_id: str = "",
                      uri: str = "", page_url: str = "") -> Finding:
        """Align one page text with one article text directly (no index)."""
        p = prepare(page_text, self.params)
        a = prepare(article_text, self.params)
        return compare(p, a, article_id, uri, self.params, page_url=page_url)


def compare(
    page: Prepared,
    art: Prepared,
    article_id: str,
    uri: str,
    params: MatchParams,
    *,
    page_url: str = "",
    page_common: npt.NDArray[np.bool_] | None = None,
    art_signature: U32 | None = None,
    common_memo: npt.NDArray[np.int8] | None = None,
    df: Detector | None = None,
) -> Finding:
    """Align one prepared page with one prepared article and build the finding (pure).

    ``page_common`` marks formulaic page shingles (see :meth:`Detector.shingle_df`); or
    give ``common_memo`` (``int8`` per page shingle, -1 = unknown) and the detector ``df``
    whose df sketch answers the unknown ones when the alignment needs them.
    """
    sig = art.signature if art_signature is None else art_signature
    if len(sig) != len(page.signature):  # an article prepared without retrieval and no signature given
        sig = np.zeros(len(page.signature), np.uint32)
    pn, an = page.norm, art.norm
    stats, span_rows = _kernels.compare_arrays(
        page.shingles, page.order, page.sorted_view(), page.cum, page.uniq, page.signature, page.units.starts,
        page.units.ends, pn.starts, pn.ends, pn.original_length,
        art.sorted_view(), art.order, art.cum, art.uniq, sig, art.units.starts, art.units.ends, an.starts, an.ends,
        an.original_length, params.k, params.max_gap, params.max_shift, params.min_region, params.min_density,
        params.merge_gap, *_common_args(page_common, common_memo, df),
        *(_align._NO_DF, 0.0, 0.0, 1, 1) if df is None else df._df_args(),
    )
    containment, jac, a_chars, p_chars, aligned, informative, n_regions = stats.tolist()
    art_cov = a_chars / art.chars if art.chars else 0.0
    page_cov = p_chars / page.chars if page.chars else 0.0
    if n_regions and art_cov >= params.whole_coverage:
        label = "whole"
    elif n_regions and min(aligned, informative) >= params.min_excerpt_chars:
        label = "excerpt"
    elif n_regions and page_cov >= params.whole_coverage:
        label = "excerpt"  # a short page made of one passage of the article (a brief, a 快讯 item)
    else:
        label = "not_derived"
    return Finding(
        page_url=page_url,
        article_id=article_id,
        article_uri=uri,
        label=label,  # type: ignore[arg-type]
        article_coverage=min(1.0, art_cov),
        page_coverage=min(1.0, page_cov),
        spans=tuple(Span(*row) for row in span_rows.tolist()),
        params=_name(params),
        similarity=(("jaccard", jac), ("containment", containment), ("aligned_chars", aligned)),
    )


@lru_cache(maxsize=64)
def _name(params: MatchParams) -> str:
    return params.name


def _common_args(
    page_common: npt.NDArray[np.bool_] | None, memo: npt.NDArray[np.int8] | None, df: Detector | None
) -> tuple[npt.NDArray[np.int8], bool, int]:
    if memo is not None and df is not None:
        return memo, True, _align.LONG_REGION
    if page_common is not None:
        return page_common.astype(np.int8), True, _align.LONG_REGION
    return _align._NO_COMMON, False, _align.LONG_REGION
