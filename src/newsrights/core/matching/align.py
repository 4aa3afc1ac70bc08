"""Local alignment of a page against one article: seed, extend into runs, chain into regions.

1. **Seeds** — every ``k``-unit shingle the two texts share gives seed pairs
   ``(page unit i, article unit j)`` (a hash repeated more than
   ``_MAX_REPEAT`` times in the article is ignored: it is boilerplate within the
   article and would only multiply seeds).
2. **Runs** — seeds on the same diagonal ``j - i`` at consecutive positions are
   one exact run covering ``len + k - 1`` units of each text.
3. **Chains** — runs sorted by page position are chained greedily into
   *regions*: a run joins the open region whose last run ends at most
   ``max_gap`` units before it in both texts, with the diagonal drifting at most
   ``max_shift`` units (an inserted or deleted phrase, a changed character). Each
   region keeps its own diagonal, so reordered paragraphs, or excerpts taken from
   anywhere, are separate regions rather than one global diagonal (the reason
   passim's single alignment cannot follow reordering).
4. **Floors** — a region counts when its exactly matched characters are at least
   ``min_region`` and its density (matched / spanned characters) reaches
   ``min_density`` on at least one side: an inserted advert lowers the page side
   only, a dropped sentence the article side only, while a templated report with
   new numbers everywhere is sparse on both sides and fails.

All offsets here are in *units*; :mod:`detect` converts them to characters of the
normalised and then the original texts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsrights.core.matching.params import MatchParams

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_MAX_REPEAT = 8

#: A region with at least this many exactly matched characters counts whole even when its
#: shingles are formulaic: a long passage is copied text, not a stock phrase.
LONG_REGION = 150


@dataclass(frozen=True, slots=True)
class Region:
    """One aligned passage: page units ``[page_start, page_end)``, article units
    ``[article_start, article_end)`` and its exact runs ``(page, article, length)``
    in units."""

    page_start: int
    page_end: int
    article_start: int
    article_end: int
    runs: tuple[tuple[int, int, int], ...]
    informative: int = 0


def seeds(page_sh: U64, art_sh: U64, order: I64 | None = None) -> tuple[I64, I64]:
    """Seed pairs (page shingle index, article shingle index) of equal shingle hashes
    (``order``: ``argsort`` of ``art_sh`` when the caller has it)."""
    if len(page_sh) == 0 or len(art_sh) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if order is None:
        order = np.argsort(art_sh, kind="stable")
    sorted_art = art_sh[order]
    lo = np.searchsorted(sorted_art, page_sh, "left")
    hi = np.searchsorted(sorted_art, page_sh, "right")
    cnt = hi - lo
    ok = (cnt > 0) & (cnt <= _MAX_REPEAT)
    if not ok.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pi = np.flatnonzero(ok)
    lo, cnt = lo[pi], cnt[pi]
    owner = np.repeat(pi, cnt)
    offs = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    aj = order[np.repeat(lo, cnt) + offs]
    return owner.astype(np.int64), aj.astype(np.int64)


def runs(pi: I64, aj: I64) -> list[tuple[int, int, int]]:
    """Exact runs ``(page start, article start, seed count)`` sorted by page start."""
    if len(pi) == 0:
        return []
    diag = aj - pi
    order = np.lexsort((pi, diag))
    pi, diag = pi[order], diag[order]
    brk = np.ones(len(pi), dtype=bool)
    brk[1:] = (diag[1:] != diag[:-1]) | (pi[1:] != pi[:-1] + 1)
    starts = np.flatnonzero(brk)
    lengths = np.diff(np.append(starts, len(pi)))
    p0 = pi[starts]
    a0 = p0 + diag[starts]
    by_page = np.lexsort((a0, p0))
    return list(zip(p0[by_page].tolist(), a0[by_page].tolist(), lengths[by_page].tolist(), strict=True))


def chain(run_list: list[tuple[int, int, int]], k: int, params: MatchParams) -> list[list[tuple[int, int, int]]]:
    """Greedy chaining of runs (sorted by page start) into regions; see the module docstring."""
    max_gap, max_shift = params.max_gap, params.max_shift
    chains: list[list[tuple[int, int, int]]] = []
    pend: list[int] = []  # page end (units) of each chain
    aend: list[int] = []  # article end (units) of each chain
    open_ids: list[int] = []  # chains still within reach
    for p, a, n in run_list:
        best = -1
        best_gap = 1 << 30
        retired = False
        for c in open_ids:
            gp = p - pend[c]
            if gp > max_gap:
                retired = True
                continue
            ga = a - aend[c]
            if gp < -k or ga < -k or ga > max_gap:
                continue
            shift = gp - ga if gp > ga else ga - gp
            if shift > max_shift:
                continue
            g = max(gp, ga, 0) + shift
            if g < best_gap:
                best, best_gap = c, g
        if retired:
            open_ids = [c for c in open_ids if p - pend[c] <= max_gap]
        pe_new, ae_new = p + n - 1 + k, a + n - 1 + k
        if best >= 0:
            chains[best].append((p, a, n))
            if pe_new > pend[best]:
                pend[best] = pe_new
            if ae_new > aend[best]:
                aend[best] = ae_new
        else:
            chains.append([(p, a, n)])
            pend.append(pe_new)
            aend.append(ae_new)
            open_ids.append(len(chains) - 1)
    return chains


def _union_chars(intervals: list[tuple[int, int]], cum: I64) -> int:
    """Characters covered by a union of unit intervals (``cum[u]`` = chars before unit ``u``)."""
    if not intervals:
        return 0
    intervals.sort()
    total = 0
    cs, ce = intervals[0]
    for s, e in intervals[1:]:
        if s <= ce:
            ce = max(ce, e)
        else:
            total += int(cum[ce] - cum[cs])
            cs, ce = s, e
    return total + int(cum[ce] - cum[cs])


def _informative_chars(ch: list[tuple[int, int, int]], common: npt.NDArray[np.bool_], k: int, cum: I64) -> int:
    """Page characters covered by the region's seeds that are not formulaic."""
    n_units = len(cum) - 1
    lo = min(p for p, _, _ in ch)
    hi = min(max(p + n - 1 + k for p, _, n in ch), n_units)
    diff = np.zeros(hi - lo + 1, np.int64)
    for p, _, n in ch:
        rare = np.flatnonzero(~common[p : p + n]) + (p - lo)
        if len(rare):
            np.add.at(diff, rare, 1)
            np.add.at(diff, np.minimum(rare + k, hi - lo), -1)
    covered = np.cumsum(diff[:-1]) > 0
    lengths = np.diff(cum[lo : hi + 1])
    return int(lengths[covered].sum())


def _drop_isolated(
    run_list: list[tuple[int, int, int]], k: int, page_cum: I64, floor: int, max_gap: int
) -> list[tuple[int, int, int]]:
    """Drop runs that are too short alone and have no other run within ``max_gap`` units on the page:
    they cannot be part of a region that reaches the floor (stray shared phrases)."""
    r = np.array(run_list, dtype=np.int64)
    p, n = r[:, 0], r[:, 2]
    n_page = len(page_cum) - 1
    end = np.minimum(p + n - 1 + k, n_page)
    chars = page_cum[end] - page_cum[p]
    reach = np.maximum.accumulate(end)  # furthest end of any run starting at or before this one
    gap_prev = np.empty(len(p), np.int64)
    gap_prev[0] = 1 << 40
    gap_prev[1:] = p[1:] - reach[:-1]
    gap_next = np.empty(len(p), np.int64)
    gap_next[-1] = 1 << 40
    gap_next[:-1] = p[1:] - end[:-1]
    keep = (chars >= floor) | (gap_prev <= max_gap) | (gap_next <= max_gap)
    return [run_list[i] for i in np.flatnonzero(keep).tolist()]


def align(
    page_sh: U64,
    art_sh: U64,
    page_cum: I64,
    art_cum: I64,
    k: int,
    params: MatchParams,
    page_common: npt.NDArray[np.bool_] | None = None,
    *,
    art_order: I64 | None = None,
) -> list[Region]:
    """Aligned regions between a page and an article that pass the floors (see
    :func:`align_reference`, the numpy specification; this runs the compiled
    :func:`newsrights.core.matching.kernels.align_arrays`, which must equal it)."""
    from newsrights.core.matching.kernels import align_arrays

    if art_order is None:
        art_order = np.argsort(art_sh, kind="stable")
    regions, run_rows, bounds, _stats = align_arrays(
        page_sh, art_sh[art_order], art_order, page_cum, art_cum, k, params.max_gap, params.max_shift,
        params.min_region, params.min_density,
        _NO_COMMON if page_common is None else page_common.astype(np.int8),
        page_common is not None, LONG_REGION, _NO_ORDER, _NO_SORTED, _NO_DF, 0.0, 0.0, 1, 1,
    )
    out: list[Region] = []
    rows = run_rows.tolist()
    b = bounds.tolist()
    for i, (ps, pe, as_, ae, informative) in enumerate(regions.tolist()):
        out.append(Region(ps, pe, as_, ae, tuple(tuple(r) for r in rows[b[i] : b[i + 1]]), informative))
    return out


_NO_COMMON = np.zeros(1, dtype=np.int8)
_NO_DF = np.zeros((2, 2), dtype=np.uint16)
_NO_ORDER = np.zeros(0, dtype=np.int64)
_NO_SORTED = np.zeros(0, dtype=np.uint64)


def align_reference(
    page_sh: U64,
    art_sh: U64,
    page_cum: I64,
    art_cum: I64,
    k: int,
    params: MatchParams,
    page_common: npt.NDArray[np.bool_] | None = None,
    *,
    art_order: I64 | None = None,
) -> list[Region]:
    """Aligned regions between a page and an article that pass the floors.

    ``page_sh``/``art_sh`` are the ``k``-shingle hashes; ``*_cum`` the cumulative
    character counts per unit (length ``units + 1``), used to measure regions in
    normalised characters. ``page_common[i]`` is True when page shingle ``i`` is
    formulaic (held by many indexed articles): those seeds still extend regions
    but do not count towards the ``min_region`` floor (unless the region has at least
    ``LONG_REGION`` matched characters: a long passage is not a stock phrase). The floor is lowered to
    80 % of the article for articles shorter than it (a short item copied whole
    is still a copy).
    """
    pi, aj = seeds(page_sh, art_sh, art_order)
    run_list = runs(pi, aj)
    out: list[Region] = []
    n_page, n_art = len(page_cum) - 1, len(art_cum) - 1
    floor = min(params.min_region, max(10, int(0.8 * int(art_cum[-1]))))
    if len(run_list) > 8:
        run_list = _drop_isolated(run_list, k, page_cum, floor, params.max_gap)
    for ch in chain(run_list, k, params):
        # cheap upper bound first: most chains are one stray shared shingle
        if sum(int(art_cum[min(a + n - 1 + k, n_art)] - art_cum[a]) for _, a, n in ch) < floor:
            continue
        p_iv = [(p, min(p + n - 1 + k, n_page)) for p, _, n in ch]
        a_iv = [(a, min(a + n - 1 + k, n_art)) for _, a, n in ch]
        ps, pe = min(s for s, _ in p_iv), max(e for _, e in p_iv)
        as_, ae = min(s for s, _ in a_iv), max(e for _, e in a_iv)
        matched_p = _union_chars(p_iv, page_cum)
        matched_a = _union_chars(a_iv, art_cum)
        if min(matched_p, matched_a) < floor:
            continue
        span_p = int(page_cum[pe] - page_cum[ps]) or 1
        span_a = int(art_cum[ae] - art_cum[as_]) or 1
        if max(matched_p / span_p, matched_a / span_a) < params.min_density:
            continue
        informative = min(matched_p, matched_a)
        if page_common is not None and informative < LONG_REGION:
            if page_common[np.concatenate([np.arange(p, p + n) for p, _, n in ch])].any():
                informative = min(_informative_chars(ch, page_common, k, page_cum), matched_a)
                if informative < floor:
                    continue
        out.append(Region(ps, pe, as_, ae, tuple(ch), informative))
    out.sort(key=lambda r: (r.page_start, r.article_start))
    return out
