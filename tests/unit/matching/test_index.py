from __future__ import annotations

import numpy as np

from newsrights.core.matching.index import PostingTable
from newsrights.core.matching.minhash import band_keys, jaccard, signature
from newsrights.core.matching.shingles import shingles, splitmix64, units
from newsrights.core.normalize import normalize


def test_posting_table_incremental_and_df() -> None:
    t = PostingTable()
    alive = np.ones(100, dtype=bool)
    for doc in range(50):
        t.add(np.array([1, 2, 1000 + doc], dtype=np.uint64), doc)
    q, d, df = t.lookup(np.array([2, 1010, 5], dtype=np.uint64), alive)
    assert sorted(d[q == 1].tolist()) == [10]
    assert set(df[q == 0].tolist()) == {50} and len(d[q == 0]) == 50
    _, d, _ = t.lookup(np.array([2], dtype=np.uint64), alive, max_df=10)
    assert len(d) == 0  # formulaic key skipped
    alive[10] = False
    _, d, _ = t.lookup(np.array([1010], dtype=np.uint64), alive)
    assert len(d) == 0
    t.compact(alive)
    assert len(t) == 50 * 3 - 3
    t.add(np.array([7], dtype=np.uint64), 60)
    q, d, _ = t.lookup(np.array([7, 2], dtype=np.uint64), alive)
    assert d[q == 0].tolist() == [60] and len(d[q == 1]) == 49


def test_minhash_estimates_jaccard() -> None:
    rng = np.random.default_rng(1)
    base = splitmix64(rng.integers(0, 2**63, 4000, dtype=np.uint64))  # uniform 64-bit, like shingles
    a, b = base[:3000], base[1000:]  # J = 2000 / 4000
    est = jaccard(signature(a, 128), signature(b, 128))
    assert 0.35 < est < 0.65
    assert jaccard(signature(a, 128), signature(a.copy(), 128)) == 1.0
    short = signature(base[:5], 128)
    assert (short != 0xFFFFFFFF).all()  # densified
    assert len(band_keys(signature(a, 128), 32, 4)) == 32


def test_units_cjk_chars_and_latin_words() -> None:
    n = normalize("新闻 Hello World 2024年")
    u = units(n)
    words = [n.text[s:e] for s, e in zip(u.starts.tolist(), u.ends.tolist(), strict=True)]
    assert words == ["新", "闻", "hello", "world", "2024", "年"]
    assert len(shingles(u.hashes, 5)) == 2
    assert len(shingles(u.hashes[:3], 5)) == 1
