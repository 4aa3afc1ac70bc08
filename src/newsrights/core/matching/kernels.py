"""The matcher's hot loops, compiled with numba (one pass per text instead of dozens of numpy calls).

Each kernel is a loop-for-loop port of a reference implementation written with numpy
elsewhere in the package, and must give *bit-identical* results (the same hashes,
signatures, anchors and regions), so that sketches stored by either path agree and a
finding's parameters name (:mod:`params`) keeps meaning the same thing.
``tests/unit/matching/test_kernels.py`` checks each kernel against its reference on
generated texts:

* :func:`fold` — :func:`newsrights.core.normalize.normalize` (fold table, astral
  planes, credit-line mask, word separators, offset map, traditional-character count);
* :func:`prepare_arrays` — :func:`shingles.units`, :func:`shingles.shingles`,
  ``np.unique``/``np.argsort`` of the shingles, :func:`minhash.signature` and
  :func:`detect.anchors_with_positions`;
* :func:`align_arrays` — :func:`align.align_reference` (seeds, runs, dropping isolated
  runs, greedy chaining, floors, formulaic seeds).

Why: a news text of ~600 characters went through ~150 numpy calls in the reference
path, so per-call overhead, not arithmetic, set the speed (bench/results/matching.md).

All integer arithmetic on hashes is ``uint64`` and wraps, as numpy's does; every
constant is typed ``uint64`` explicitly, because numba promotes ``uint64 op int64``
to ``float64``. Compiled code is cached on disk (``cache=True``) so only the first
process after an install pays the compilation (a few seconds).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_WORD_BASE = np.uint64(0x100000001B3)
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)
_WORD_FLAG = np.uint64(1 << 63)
_A1 = np.uint64(0x9E3779B97F4A7C15)
_A2 = np.uint64(0xC2B2AE3D27D4EB4F)
_LOW32 = np.uint64(0xFFFFFFFF)
_EVEN32 = np.uint64(0xFFFFFFFE)
_EMPTY = np.uint32(0xFFFFFFFF)
_U32 = np.uint64(32)
_U0 = np.uint64(0)
_EXPAND = np.uint32(0xFFFFFFFF)
_MAX_REPEAT = 8


@njit(cache=True, inline="always")
def _mix(x):  # type: ignore[no-untyped-def]
    z = x + _M1
    z = (z ^ (z >> _S30)) * _M2
    z = (z ^ (z >> _S27)) * _M3
    return z ^ (z >> _S31)


# --------------------------------------------------------------------------- sorting


@njit(cache=True)
def argsort_hashes(x):  # type: ignore[no-untyped-def]
    """Stable argsort of uniformly distributed 64-bit hashes in expected linear time.

    A counting sort on the top ``ceil(log2 n)`` bits (about one hash per bucket), then an
    insertion sort inside each bucket, which keeps equal hashes in position order. Equal
    to ``np.argsort(x, kind="stable")``. A bucket of more than 32 (skewed or crafted
    input) switches to the merge sort, so the worst case stays ``n log n``.
    """
    n = x.shape[0]
    if n < 2:
        return np.arange(n)
    bits = 1
    while (1 << bits) < n:
        bits += 1
    shift = np.uint64(64 - bits)
    nb = 1 << bits
    start = np.zeros(nb + 1, np.int64)
    for i in range(n):
        start[np.int64(x[i] >> shift) + 1] += 1
    for b in range(nb):
        if start[b + 1] > 32:
            return np.argsort(x, kind="mergesort")
        start[b + 1] += start[b]
    fill = start[:nb].copy()
    out = np.empty(n, np.int64)
    for i in range(n):
        b = np.int64(x[i] >> shift)
        out[fill[b]] = i
        fill[b] += 1
    for b in range(nb):
        lo = start[b]
        hi = start[b + 1]
        for t in range(lo + 1, hi):
            v = out[t]
            xv = x[v]
            u = t - 1
            while u >= lo and x[out[u]] > xv:
                out[u + 1] = out[u]
                u -= 1
            out[u + 1] = v
    return out


# --------------------------------------------------------------------------- normalise


@njit(cache=True)
def fold(cps, table, trad, mask, use_mask, cjk_start):  # type: ignore[no-untyped-def]
    """Fold code points, drop what is not a letter or digit, insert word separators.

    Returns ``(out, starts, ends, traditional_count, ok)``; ``ok`` is False when a
    character folds to several (``table[cp] == EXPAND``, e.g. ``㎏``): the caller then
    takes the reference path, which handles those.
    """
    n = cps.shape[0]
    out = np.empty(2 * n + 1, np.uint32)
    st = np.empty(2 * n + 1, np.int32)
    en = np.empty(2 * n + 1, np.int32)
    m = 0
    prev_latin = False
    prev_end = -1
    ntrad = 0
    for i in range(n):
        c = cps[i]
        if c < 0x10000:
            f = table[c]
        elif c >= 0x20000 and c < 0x40000:
            f = c
        else:
            f = np.uint32(0)
        if use_mask and mask[i]:
            f = np.uint32(0)
        if f == 0:
            continue
        if f == _EXPAND:
            return out[:0], st[:0], en[:0], 0, False
        latin = f < cjk_start
        if m > 0 and latin and prev_latin and i > prev_end:
            out[m] = 32
            st[m] = prev_end
            en[m] = prev_end + 1
            m += 1
        out[m] = f
        st[m] = i
        en[m] = i + 1
        m += 1
        if f < 0x10000 and trad[f]:
            ntrad += 1
        prev_latin = latin
        prev_end = i + 1
    return out[:m], st[:m], en[:m], ntrad, True


# --------------------------------------------------------------------------- prepare


@njit(cache=True)
def _units(cp, cjk_start):  # type: ignore[no-untyped-def]
    n = cp.shape[0]
    hashes = np.empty(n, np.uint64)
    starts = np.empty(n, np.int32)
    ends = np.empty(n, np.int32)
    u = 0
    i = 0
    while i < n:
        c = cp[i]
        if c == 32:
            i += 1
            continue
        if c >= cjk_start:
            hashes[u] = _mix(np.uint64(c))
            starts[u] = i
            ends[u] = i + 1
            u += 1
            i += 1
            continue
        j = i
        while j < n and cp[j] != 32 and cp[j] < cjk_start:
            j += 1
        h = _U0
        for t in range(j - 1, i - 1, -1):
            h = h * _WORD_BASE + np.uint64(cp[t])
        hashes[u] = _mix(h | _WORD_FLAG)
        starts[u] = i
        ends[u] = j
        u += 1
        i = j
    return hashes[:u], starts[:u], ends[:u]


@njit(cache=True)
def _shingles(h, k):  # type: ignore[no-untyped-def]
    n = h.shape[0]
    if n == 0:
        return np.zeros(0, np.uint64)
    if k > n:
        k = n
    m = n - k + 1
    out = np.empty(m, np.uint64)
    kk = np.uint64(k)
    for i in range(m):
        acc = h[i]
        for j in range(1, k):
            acc = acc * _SHINGLE_BASE + h[i + j]
        out[i] = _mix(acc ^ kk)
    return out


@njit(cache=True)
def _signature(uniq, num_perm, bits):  # type: ignore[no-untyped-def]
    sig = np.full(num_perm, _EMPTY, np.uint32)
    if uniq.shape[0] == 0:
        return sig
    shift = np.uint64(64 - bits)
    vshift = np.uint64(64 - bits - 32)
    last = -1
    for t in range(uniq.shape[0]):
        b = np.int64(uniq[t] >> shift)
        if b != last:
            v = np.uint32((uniq[t] >> vshift) & _LOW32)
            if v == _EMPTY:
                v = _EMPTY - np.uint32(1)
            sig[b] = v
            last = b
    filled = np.empty(num_perm, np.int64)
    nf = 0
    for b in range(num_perm):
        if sig[b] != _EMPTY:
            filled[nf] = b
            nf += 1
    if nf == num_perm:
        return sig
    out = sig.copy()
    p = 0
    for idx in range(num_perm):
        if sig[idx] != _EMPTY:
            continue
        while p < nf and filled[p] < idx:
            p += 1
        nxt = filled[p] if p < nf else filled[0] + num_perm
        dist = np.uint64(nxt - idx)
        borrowed = np.uint64(sig[nxt % num_perm])
        out[idx] = np.uint32(_mix(borrowed ^ (dist << _U32)) & _EVEN32)
    return out


@njit(cache=True)
def _distinct_first(vals, pos, order):  # type: ignore[no-untyped-def]
    """The distinct ``vals`` (ascending) and the ``pos`` of each one's first entry in ``order``
    (a stable argsort of ``vals``), as ``np.unique(..., return_index=True)`` gives them."""
    n = vals.shape[0]
    uv = np.empty(n, vals.dtype)
    up = np.empty(n, np.int64)
    u = 0
    for t in range(n):
        v = vals[order[t]]
        if u == 0 or uv[u - 1] != v:
            uv[u] = v
            up[u] = pos[order[t]]
            u += 1
    return uv[:u], up[:u]


@njit(cache=True)
def _anchors(sh, n_units, k, ak, mod):  # type: ignore[no-untyped-def]
    if n_units < ak:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    if ak <= k:
        a = sh
    else:
        m = n_units - ak + 1
        mid = (ak - k) // 2
        a = np.empty(m, np.uint64)
        for i in range(m):
            a[i] = _mix(sh[i] * _A1 + sh[i + mid] * _A2 + sh[i + ak - k])
    umod = np.uint64(mod)
    cnt = 0
    for i in range(a.shape[0]):
        if a[i] % umod == 0:
            cnt += 1
    vals = np.empty(cnt, np.uint64)
    pos = np.empty(cnt, np.int64)
    c = 0
    for i in range(a.shape[0]):
        if a[i] % umod == 0:
            vals[c] = a[i]
            pos[c] = i
            c += 1
    return _distinct_first(vals, pos, argsort_hashes(vals))


@njit(cache=True)
def prepare_arrays(cp, cjk_start, k, num_perm, bits, ak, mod, retrieval):  # type: ignore[no-untyped-def]
    """Units, shingles and (when ``retrieval``) signature and anchors of a normalised text.

    Returns ``(hashes, starts, ends, cum, shingles, order, uniq, signature, anchors, anchor_pos,
    sorted shingles)``.
    """
    hashes, starts, ends = _units(cp, cjk_start)
    n = hashes.shape[0]
    cum = np.zeros(n + 1, np.int64)
    for i in range(n):
        cum[i + 1] = cum[i] + (ends[i] - starts[i])
    sh = _shingles(hashes, k)
    order = argsort_hashes(sh)
    ssh = sh[order]
    uniq = np.empty(sh.shape[0], np.uint64)
    u = 0
    for t in range(sh.shape[0]):
        v = ssh[t]
        if u == 0 or uniq[u - 1] != v:
            uniq[u] = v
            u += 1
    uniq = uniq[:u]
    if not retrieval:
        return (hashes, starts, ends, cum, sh, order, uniq, np.zeros(0, np.uint32),
                np.zeros(0, np.uint64), np.zeros(0, np.int64), ssh)
    sig = _signature(uniq, num_perm, bits)
    anchors, anchor_pos = _anchors(sh, n, k, ak, mod)
    return hashes, starts, ends, cum, sh, order, uniq, sig, anchors, anchor_pos, ssh


# --------------------------------------------------------------------------- align


@njit(cache=True)
def _union_chars(s, e, cum):  # type: ignore[no-untyped-def]
    if s.shape[0] == 0:
        return 0
    o = np.argsort(s, kind="mergesort")
    total = 0
    cs = s[o[0]]
    ce = e[o[0]]
    for t in range(1, s.shape[0]):
        a = s[o[t]]
        b = e[o[t]]
        if a <= ce:
            if b > ce:
                ce = b
        else:
            total += cum[ce] - cum[cs]
            cs = a
            ce = b
    return total + cum[ce] - cum[cs]


@njit(cache=True, inline="always")
def _df_estimate(h, df, total0, total1, bits):  # type: ignore[no-untyped-def]
    mask = np.uint64((1 << bits) - 1)
    width = float(1 << bits)
    a = df[0, np.int64(h & mask)] - total0 / width
    b = df[1, np.int64((h >> _U32) & mask)] - total1 / width
    e = min(a, b)
    return 0.0 if e < 0.0 else np.floor(e)


@njit(cache=True, inline="always")
def _common_at(memo, sh, u, df, total0, total1, bits, common_df):  # type: ignore[no-untyped-def]
    """Is page shingle ``u`` formulaic? ``memo[u]`` is 0/1 when known, -1 until the df
    sketch is read (lazily: most regions are long enough never to ask)."""
    c = memo[u]
    if c < 0:
        c = 1 if _df_estimate(sh[u], df, total0, total1, bits) >= common_df else 0
        memo[u] = c
    return c == 1


@njit(cache=True)
def align_arrays(page_sh, art_sorted, art_order, page_cum, art_cum, k, max_gap, max_shift,  # type: ignore[no-untyped-def]
                 min_region, min_density, page_common, use_common, long_region, page_order, page_sorted,
                 df, df_total0, df_total1, df_bits, common_df):
    """Regions between a page and an article (see :mod:`align`); returns
    ``(regions, runs, bounds, stats)``: ``regions[r] = (page_start, page_end, article_start,
    article_end, informative)`` in page order, their runs ``runs[bounds[r]:bounds[r + 1]]``
    as ``(page, article, seeds)`` rows in chain order, and ``stats = (article characters in
    regions, page characters in regions, article characters in exact runs)``. ``art_order``
    (and ``page_order``, computed when empty) are stable argsorts of the shingles;
    ``art_sorted`` is the article's shingles in that order (``art_sh[art_order]``) and
    ``page_sorted`` the page's (computed when empty): the merge then reads both
    sequentially, which matters when the article's arrays come cold from the cache.
    ``page_common`` (``int8``, one per page shingle; written to) says which page shingles are
    formulaic: 1 yes, 0 no, -1 not known yet, in which case the df sketch ``df`` is read
    (count-mean-min, ``>= common_df``) the first time the answer matters."""
    n_page = page_cum.shape[0] - 1
    n_art = art_cum.shape[0] - 1
    empty_r = np.zeros((0, 5), np.int64)
    empty_u = np.zeros((0, 3), np.int64)
    empty_b = np.zeros(1, np.int64)
    empty_s = np.zeros(3, np.int64)
    np_ = page_sh.shape[0]
    na = art_sorted.shape[0]
    if np_ == 0 or na == 0:
        return empty_r, empty_u, empty_b, empty_s
    # 1. seeds, read in page order, and 2. runs: a seed extends the run that ended one unit
    # earlier on its diagonal. Seeds of one page position come in article order, so runs are
    # created sorted by (page start, article start) with no sort.
    # equal hashes by one merge of the two sorted orders (counts above _MAX_REPEAT are cut
    # at _MAX_REPEAT + 1: such hashes are skipped anyway)
    if page_order.shape[0] != np_:
        page_order = argsort_hashes(page_sh)
    if page_sorted.shape[0] != np_:
        page_sorted = page_sh[page_order]
    lo = np.empty(np_, np.int64)
    hi = np.empty(np_, np.int64)
    j = 0
    for t in range(np_):
        i = page_order[t]
        v = page_sorted[t]
        while j < na and art_sorted[j] < v:
            j += 1
        h = j
        while h < na and art_sorted[h] == v and h - j <= _MAX_REPEAT:
            h += 1
        lo[i] = j
        hi[i] = h
    total = 0
    for i in range(np_):
        c = hi[i] - lo[i]
        if c > 0 and c <= _MAX_REPEAT:
            total += c
    if total == 0:
        return empty_r, empty_u, empty_b, empty_s
    diag_last = np.full(np_ + na, -2, np.int64)
    diag_run = np.empty(np_ + na, np.int64)
    rp = np.empty(total, np.int64)
    ra = np.empty(total, np.int64)
    rn = np.empty(total, np.int64)
    nr = 0
    for i in range(np_):
        c = hi[i] - lo[i]
        if c > 0 and c <= _MAX_REPEAT:
            for q in range(lo[i], hi[i]):
                j = art_order[q]
                d = j - i + np_
                if diag_last[d] == i - 1:
                    rn[diag_run[d]] += 1
                else:
                    rp[nr] = i
                    ra[nr] = j
                    rn[nr] = 1
                    diag_run[d] = nr
                    nr += 1
                diag_last[d] = i
    rp, ra, rn = rp[:nr], ra[:nr], rn[:nr]
    floor = min_region
    f2 = int(0.8 * art_cum[n_art])
    if f2 < 10:
        f2 = 10
    if f2 < floor:
        floor = f2
    # 3. drop isolated short runs (more than 8 runs only)
    if nr > 8:
        keep = np.zeros(nr, np.bool_)
        reach = -1
        for t in range(nr):
            end = rp[t] + rn[t] - 1 + k
            if end > n_page:
                end = n_page
            chars = page_cum[end] - page_cum[rp[t]]
            gap_prev = (rp[t] - reach) if t > 0 else (1 << 40)
            if t + 1 < nr:
                gap_next = rp[t + 1] - end
            else:
                gap_next = 1 << 40
            keep[t] = chars >= floor or gap_prev <= max_gap or gap_next <= max_gap
            if end > reach:
                reach = end
        rp, ra, rn = rp[keep], ra[keep], rn[keep]
        nr = rp.shape[0]
    # 4. greedy chaining
    chain_of = np.empty(nr, np.int64)
    pend = np.empty(nr, np.int64)
    aend = np.empty(nr, np.int64)
    open_ids = np.empty(nr, np.int64)
    n_open = 0
    nc = 0
    for t in range(nr):
        p, a, n = rp[t], ra[t], rn[t]
        best = -1
        best_gap = 1 << 30
        retired = False
        for q in range(n_open):
            c = open_ids[q]
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
                best = c
                best_gap = g
        if retired:
            w = 0
            for q in range(n_open):
                c = open_ids[q]
                if p - pend[c] <= max_gap:
                    open_ids[w] = c
                    w += 1
            n_open = w
        pe_new = p + n - 1 + k
        ae_new = a + n - 1 + k
        if best >= 0:
            chain_of[t] = best
            if pe_new > pend[best]:
                pend[best] = pe_new
            if ae_new > aend[best]:
                aend[best] = ae_new
        else:
            chain_of[t] = nc
            pend[nc] = pe_new
            aend[nc] = ae_new
            open_ids[n_open] = nc
            n_open += 1
            nc += 1
    # runs grouped by chain, in chain order then run order
    co = np.argsort(chain_of, kind="mergesort")
    cstart = np.zeros(nc + 1, np.int64)
    for t in range(nr):
        cstart[chain_of[t] + 1] += 1
    for c in range(nc):
        cstart[c + 1] += cstart[c]
    # 5. floors
    regions = np.empty((nc, 5), np.int64)
    keep_c = np.zeros(nc, np.bool_)
    for c in range(nc):
        idx = co[cstart[c]:cstart[c + 1]]
        ub = 0
        for t in idx:
            e = ra[t] + rn[t] - 1 + k
            if e > n_art:
                e = n_art
            ub += art_cum[e] - art_cum[ra[t]]
        if ub < floor:
            continue
        m = idx.shape[0]
        ps_ = np.empty(m, np.int64)
        pe_ = np.empty(m, np.int64)
        as_ = np.empty(m, np.int64)
        ae_ = np.empty(m, np.int64)
        for q in range(m):
            t = idx[q]
            ps_[q] = rp[t]
            pe_[q] = min(rp[t] + rn[t] - 1 + k, n_page)
            as_[q] = ra[t]
            ae_[q] = min(ra[t] + rn[t] - 1 + k, n_art)
        ps, pe, a0, a1 = ps_.min(), pe_.max(), as_.min(), ae_.max()
        matched_p = _union_chars(ps_, pe_, page_cum)
        matched_a = _union_chars(as_, ae_, art_cum)
        if min(matched_p, matched_a) < floor:
            continue
        span_p = page_cum[pe] - page_cum[ps]
        if span_p == 0:
            span_p = 1
        span_a = art_cum[a1] - art_cum[a0]
        if span_a == 0:
            span_a = 1
        if max(matched_p / span_p, matched_a / span_a) < min_density:
            continue
        informative = min(matched_p, matched_a)
        if use_common and informative < long_region:
            any_common = False
            for t in idx:
                for u in range(rp[t], rp[t] + rn[t]):
                    if _common_at(page_common, page_sh, u, df, df_total0, df_total1, df_bits, common_df):
                        any_common = True
                        break
                if any_common:
                    break
            if any_common:
                lo_u = ps_.min()
                hi_u = min(pe_.max(), n_page)
                diff = np.zeros(hi_u - lo_u + 1, np.int64)
                for t in idx:
                    for u in range(rp[t], rp[t] + rn[t]):
                        if not _common_at(page_common, page_sh, u, df, df_total0, df_total1, df_bits,
                                          common_df):
                            diff[u - lo_u] += 1
                            diff[min(u - lo_u + k, hi_u - lo_u)] -= 1
                run_sum = 0
                info = 0
                for u in range(hi_u - lo_u):
                    run_sum += diff[u]
                    if run_sum > 0:
                        info += page_cum[lo_u + u + 1] - page_cum[lo_u + u]
                informative = min(info, matched_a)
                if informative < floor:
                    continue
        regions[c, 0] = ps
        regions[c, 1] = pe
        regions[c, 2] = a0
        regions[c, 3] = a1
        regions[c, 4] = informative
        keep_c[c] = True
    kept = np.flatnonzero(keep_c)
    nk = kept.shape[0]
    if nk == 0:
        return empty_r, empty_u, empty_b, empty_s
    ro = np.argsort(regions[kept, 0] * np.int64(na + 1) + regions[kept, 2], kind="mergesort")
    out_r = np.empty((nk, 5), np.int64)
    bounds = np.zeros(nk + 1, np.int64)
    for q in range(nk):
        c = kept[ro[q]]
        out_r[q] = regions[c]
        bounds[q + 1] = bounds[q] + cstart[c + 1] - cstart[c]
    out_u = np.empty((bounds[nk], 3), np.int64)
    for q in range(nk):
        c = kept[ro[q]]
        w = bounds[q]
        for t in co[cstart[c]:cstart[c + 1]]:
            out_u[w, 0] = rp[t]
            out_u[w, 1] = ra[t]
            out_u[w, 2] = rn[t]
            w += 1
    stats = np.empty(3, np.int64)
    stats[0] = _union_chars(out_r[:, 2].copy(), out_r[:, 3].copy(), art_cum)
    stats[1] = _union_chars(out_r[:, 0].copy(), out_r[:, 1].copy(), page_cum)
    ex_e = np.empty(out_u.shape[0], np.int64)
    for t in range(out_u.shape[0]):
        ex_e[t] = min(out_u[t, 1] + out_u[t, 2] - 1 + k, n_art)
    stats[2] = _union_chars(out_u[:, 1].copy(), ex_e, art_cum)
    return out_r, out_u, bounds, stats


# --------------------------------------------------------------------------- retrieval


@njit(cache=True, inline="always")
def _lower(a, v, lo, hi):  # type: ignore[no-untyped-def]
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def lookup(keys, docs, dkeys, ddocs, kdir, shift, query, alive, max_df):  # type: ignore[no-untyped-def]
    """Postings of ``query`` keys in a main and a delta table (both sorted by key):
    ``(query position, doc, df)`` per live posting, main table first; keys whose df
    (postings in both tables, live or not) exceeds ``max_df`` (when ``>= 0``) are skipped.
    ``kdir``/``shift`` is the main table's directory (:meth:`PostingTable.directory`).
    The reference is :meth:`newsrights.core.matching.index.PostingTable.lookup_reference`."""
    nq = query.shape[0]
    lo1 = np.empty(nq, np.int64)
    hi1 = np.empty(nq, np.int64)
    sh = shift[0]
    nk = keys.shape[0]
    for i in range(nq):
        v = query[i]
        b = np.int64(v >> sh)
        lo = _lower(keys, v, np.int64(kdir[b]), np.int64(kdir[b + 1]))
        hi = lo
        stop = nk if max_df < 0 else min(nk, lo + max_df + 1)  # past max_df the key is skipped anyway
        while hi < stop and keys[hi] == v:
            hi += 1
        lo1[i] = lo
        hi1[i] = hi
    lo2 = np.searchsorted(dkeys, query, side="left")
    hi2 = np.searchsorted(dkeys, query, side="right")
    total = 0
    for i in range(nq):
        df = (hi1[i] - lo1[i]) + (hi2[i] - lo2[i])
        if max_df < 0 or df <= max_df:
            total += df
    q = np.empty(total, np.int64)
    d = np.empty(total, np.int32)
    f = np.empty(total, np.int64)
    t = 0
    for part in range(2):
        for i in range(nq):
            df = (hi1[i] - lo1[i]) + (hi2[i] - lo2[i])
            if max_df >= 0 and df > max_df:
                continue
            if part == 0:
                a, b = lo1[i], hi1[i]
            else:
                a, b = lo2[i], hi2[i]
            for j in range(a, b):
                doc = docs[j] if part == 0 else ddocs[j]
                if alive[doc]:
                    q[t] = i
                    d[t] = doc
                    f[t] = df
                    t += 1
    return q[:t], d[:t], f[:t]


@njit(cache=True)
def rank(band_docs, anchor_docs, anchor_pos, need, window, max_candidates):  # type: ignore[no-untyped-def]
    """Candidate documents and scores, best first (ties by document); see
    :func:`newsrights.core.matching.detect.rank_candidates`."""
    nb = band_docs.shape[0]
    na = anchor_docs.shape[0]
    docs = np.empty(nb + na, np.int64)
    score = np.empty(nb + na, np.float64)
    n = 0
    if nb:
        bd = np.sort(band_docs.astype(np.int64))
        t = 0
        while t < nb:
            u = t
            while u < nb and bd[u] == bd[t]:
                u += 1
            docs[n] = bd[t]
            score[n] = 100.0 + (u - t)
            n += 1
            t = u
    if na:
        ad = anchor_docs.astype(np.int64)
        o = np.argsort(ad * (anchor_pos.max() + 1) + anchor_pos)  # (doc, page position): unique pairs
        d = ad[o]
        p = anchor_pos[o]
        t = 0
        while t < na:
            u = t
            while u < na and d[u] == d[t]:
                u += 1
            good = False
            if need <= 1:
                good = True
            else:
                for s in range(t, u - need + 1):
                    if p[s + need - 1] - p[s] <= window:
                        good = True
                        break
            if good:
                docs[n] = d[t]
                score[n] = u - t
                n += 1
            t = u
    # merge the band and anchor scores of the same document
    o = np.argsort(docs[:n], kind="mergesort")
    md = np.empty(n, np.int64)
    ms = np.empty(n, np.float64)
    m = 0
    for t in range(n):
        dd = docs[o[t]]
        if m > 0 and md[m - 1] == dd:
            ms[m - 1] += score[o[t]]
        else:
            md[m] = dd
            ms[m] = score[o[t]]
            m += 1
    best = np.argsort(-ms[:m], kind="mergesort")  # stable: ties stay in document order
    k = min(m, max_candidates)
    return md[best[:k]], ms[best[:k]]


@njit(cache=True)
def common_mask(sh, df, total0, total1, bits, common_df):  # type: ignore[no-untyped-def]
    """Which shingles are formulaic: count-mean-min estimate ≥ ``common_df``
    (see :meth:`newsrights.core.matching.detect.Detector.shingle_df`)."""
    out = np.empty(sh.shape[0], np.bool_)
    for i in range(sh.shape[0]):
        out[i] = _df_estimate(sh[i], df, total0, total1, bits) >= common_df
    return out


@njit(cache=True)
def shared_count(a, b):  # type: ignore[no-untyped-def]
    """How many values two sorted, duplicate-free arrays share."""
    i = 0
    j = 0
    c = 0
    while i < a.shape[0] and j < b.shape[0]:
        if a[i] < b[j]:
            i += 1
        elif a[i] > b[j]:
            j += 1
        else:
            c += 1
            i += 1
            j += 1
    return c


@njit(cache=True)
def page_keys(sig, anchors, anchor_pos, bands, rows, row_mult, band_mult):  # type: ignore[no-untyped-def]
    """The high 32 bits of the LSH band keys, the distinct high 32 bits of the anchors and
    the page position of each (its first anchor's); see :func:`detect.page_keys`."""
    bk = np.empty(bands, np.uint32)
    for b in range(bands):
        acc = _U0
        for r in range(rows):
            acc += np.uint64(sig[b * rows + r]) * row_mult[r]
        bk[b] = np.uint32(_mix(acc + band_mult[b]) >> _U32)
    n = anchors.shape[0]
    k32 = np.empty(n, np.uint32)
    for i in range(n):
        k32[i] = np.uint32(anchors[i] >> _U32)
    positions = anchor_pos if anchor_pos.shape[0] == n else np.zeros(n, np.int64)
    keys, pos = _distinct_first(k32, positions, np.argsort(k32, kind="mergesort"))
    return bk, keys, pos


@njit(cache=True)
def candidates(sig, anchors, anchor_pos, bands, rows, row_mult, band_mult,  # type: ignore[no-untyped-def]
               bkeys, bdocs, bdkeys, bddocs, bdir, bshift, akeys, adocs, adkeys, addocs, adir, ashift, alive,
               df_cap, need, window, max_candidates):
    """:func:`page_keys`, the band and anchor :func:`lookup` and :func:`rank` in one call
    (what :meth:`newsrights.core.matching.detect.Detector.candidates` does per page)."""
    bk, keys, pos = page_keys(sig, anchors, anchor_pos, bands, rows, row_mult, band_mult)
    _q, band_docs, _f = lookup(bkeys, bdocs, bdkeys, bddocs, bdir, bshift, bk, alive, -1)
    if keys.shape[0]:
        q, anchor_docs, _f2 = lookup(akeys, adocs, adkeys, addocs, adir, ashift, keys, alive, df_cap)
        apos = pos[q]
    else:
        anchor_docs = np.zeros(0, np.int32)
        apos = np.zeros(0, np.int64)
    return rank(band_docs, anchor_docs, apos, need, window, max_candidates)


@njit(cache=True, inline="always")
def _to_original(nstarts, nends, original_length, start, end):  # type: ignore[no-untyped-def]
    """:meth:`newsrights.core.normalize.NormText.to_original`."""
    n = nstarts.shape[0]
    if n == 0:
        return 0, 0
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    if end == start:
        pos = nstarts[start] if start < n else original_length
        return pos, pos
    return nstarts[start], nends[end - 1]


@njit(cache=True)
def compare_arrays(page_sh, page_order, page_sorted, page_cum, page_uniq, page_sig, page_ustarts, page_uends,  # type: ignore[no-untyped-def]
                   page_nstarts, page_nends, page_len,
                   art_sorted, art_order, art_cum, art_uniq, art_sig, art_ustarts, art_uends, art_nstarts, art_nends,
                   art_len, k, max_gap, max_shift, min_region, min_density, merge_gap,
                   page_common, use_common, long_region, df, df_total0, df_total1, df_bits, common_df):
    """The numbers of one page/article comparison (:func:`newsrights.core.matching.detect.compare`):
    ``stats = (containment, jaccard, article chars in regions, page chars in regions, exactly
    aligned article chars, informative chars, regions)`` and the spans as original offsets
    ``(article_start, article_end, page_start, page_end)``, regions merged when closer than
    ``merge_gap`` normalised characters on both sides (or nested)."""
    stats = np.zeros(7, np.float64)
    shared = shared_count(art_uniq, page_uniq)
    stats[0] = shared / art_uniq.shape[0] if art_uniq.shape[0] else 0.0
    eq = 0
    for i in range(page_sig.shape[0]):
        if page_sig[i] == art_sig[i]:
            eq += 1
    stats[1] = eq / page_sig.shape[0] if page_sig.shape[0] else 0.0
    art_chars = art_cum[art_cum.shape[0] - 1]
    floor = min(min_region, max(10, int(0.8 * art_chars)))
    if shared < max(1, floor // 2 - k):  # too few shared shingles to reach any floor
        return stats, np.zeros((0, 4), np.int64)
    regions, _runs, _bounds, st = align_arrays(
        page_sh, art_sorted, art_order, page_cum, art_cum, k, max_gap, max_shift, min_region, min_density,
        page_common, use_common, long_region, page_order, page_sorted, df, df_total0, df_total1, df_bits, common_df)
    nr = regions.shape[0]
    stats[2] = st[0]
    stats[3] = st[1]
    stats[4] = st[2]
    info = 0
    for r in range(nr):
        info += regions[r, 4]
    stats[5] = info
    stats[6] = nr
    ranges = np.empty((nr, 4), np.int64)
    m = 0
    for r in range(nr):
        ps = np.int64(page_ustarts[regions[r, 0]])
        pe = np.int64(page_uends[regions[r, 1] - 1])
        a0 = np.int64(art_ustarts[regions[r, 2]])
        a1 = np.int64(art_uends[regions[r, 3] - 1])
        if m > 0:
            lp0, lp1, la0, la1 = ranges[m - 1, 0], ranges[m - 1, 1], ranges[m - 1, 2], ranges[m - 1, 3]
            if (0 <= ps - lp1 <= merge_gap and 0 <= a0 - la1 <= merge_gap) or (
                ps < lp1 and a0 < la1 and ps >= lp0 and a0 >= la0
            ):
                ranges[m - 1, 1] = max(lp1, pe)
                ranges[m - 1, 3] = max(la1, a1)
                continue
        ranges[m, 0] = ps
        ranges[m, 1] = pe
        ranges[m, 2] = a0
        ranges[m, 3] = a1
        m += 1
    spans = np.empty((m, 4), np.int64)
    for r in range(m):
        ops, ope = _to_original(page_nstarts, page_nends, page_len, ranges[r, 0], ranges[r, 1])
        oas, oae = _to_original(art_nstarts, art_nends, art_len, ranges[r, 2], ranges[r, 3])
        spans[r, 0] = oas
        spans[r, 1] = oae
        spans[r, 2] = ops
        spans[r, 3] = ope
    return stats, spans
