"""Data builders for bench_matching.py: synthetic catalogs, baselines, a WARC of pages.

* :func:`synthetic_articles` — N articles made by recombining clauses of real
  Chinese news sentences (CCTV, SogouCA, cleaned web pages), seeded.
* :class:`DatasketchBaseline` / :class:`RensaBaseline` — the common dedup
  pipeline: character 5-shingles of the raw text, 128-permutation MinHash,
  LSH at Jaccard threshold 0.5; a page "matches" every article its LSH query
  returns (no alignment, no spans).
* :func:`write_warc` — a gzipped WARC of HTTP responses with warcio.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsrights.core.model import Finding
from newsrights.evalkit.cases import SourceDoc

_CLAUSE = re.compile(r"(?<=[，。！？；])")


def clause_pool(docs: Iterable[SourceDoc]) -> list[str]:
    """Clauses (split after ，。！？；) of at least 8 characters from ``docs``."""
    out: list[str] = []
    for d in docs:
        for p in d.body:
            out.extend(c for c in _CLAUSE.split(p) if len(c) >= 8)
    return out


def _crossed_clause(pool: Sequence[str], rng: random.Random) -> str:
    """The head of one real clause joined to the tail of another, cut at random points."""
    a, b = pool[rng.randrange(len(pool))], pool[rng.randrange(len(pool))]
    return a[: rng.randint(3, len(a) - 3)] + b[rng.randint(3, len(b) - 3) :]


def synthetic_articles(pool: Sequence[str], n: int, *, seed: int = 7) -> list[SourceDoc]:
    """``n`` articles of 3-6 paragraphs of 6-14 clauses each (about 400-1,500 characters).

    Each clause is the head of one real clause joined to the tail of another
    (both cut at random points), so words and common phrases repeat across
    articles as in a real catalog while longer passages are new: recombining
    whole clauses from a finite pool would make every passage appear in dozens
    of articles, which no real catalog does.
    """
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paras = []
        for _ in range(rng.randint(3, 6)):
            paras.append("".join(_crossed_clause(pool, rng) for _ in range(rng.randint(6, 14))))
        out.append(SourceDoc(id=f"syn-{i:07d}", body=tuple(paras), uri=f"https://news.example/{i}"))
    return out


def char_shingles(text: str, k: int = 5) -> set[str]:
    t = "".join(text.split())
    return {t[i : i + k] for i in range(max(1, len(t) - k + 1))}


def _finding(aid: str) -> Finding:
    return Finding(
        page_url="",
        article_id=aid,
        article_uri=aid,
        label="whole",
        article_coverage=0.0,
        page_coverage=0.0,
        spans=(),
        params="baseline",
    )


class DatasketchBaseline:
    """datasketch MinHash (128 perms) over character 5-shingles + MinHashLSH(threshold 0.5)."""

    name = "datasketch"

    def __init__(self, catalog: Iterable[SourceDoc], threshold: float = 0.5, num_perm: int = 128) -> None:
        from datasketch import MinHash, MinHashLSH

        self._MinHash = MinHash
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        for d in catalog:
            self.lsh.insert(d.id, self.sign(d.text))

    def sign(self, text: str):  # type: ignore[no-untyped-def]
        m = self._MinHash(num_perm=self.num_perm)
        m.update_batch([s.encode("utf-8") for s in char_shingles(text)])
        return m

    def check(self, text: str) -> list[Finding]:
        return [_finding(a) for a in sorted(self.lsh.query(self.sign(text)))]


class RensaBaseline:
    """rensa RMinHash (128 perms) over character 5-shingles + RMinHashLSH(threshold 0.5, 16 bands)."""

    name = "rensa"

    def __init__(self, catalog: Iterable[SourceDoc], threshold: float = 0.5, num_perm: int = 128) -> None:
        import rensa

        self._rensa = rensa
        self.num_perm = num_perm
        self.lsh = rensa.RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=16)
        self.ids: list[str] = []
        for d in catalog:
            self.lsh.insert(len(self.ids), self.sign(d.text))
            self.ids.append(d.id)

    def sign(self, text: str):  # type: ignore[no-untyped-def]
        m = self._rensa.RMinHash(num_perm=self.num_perm, seed=42)
        m.update(list(char_shingles(text)))
        return m

    def check(self, text: str) -> list[Finding]:
        return [_finding(self.ids[i]) for i in sorted(self.lsh.query(self.sign(text)))]


def write_warc(path: Path, pages: Sequence[tuple[str, bytes, str]]) -> int:
    """Write ``(url, html bytes, content type)`` as gzipped WARC response records; returns bytes written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, content_type in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={
                    "WARC-Date": datetime(2024, 3, 1, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                },
            )
            writer.write_record(rec)
    return path.stat().st_size


def iter_warc_payloads(path: Path) -> Iterable[tuple[str, bytes]]:
    """(url, raw payload) of each response record (warcio, decompressing on the fly)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                yield rec.rec_headers.get_header("WARC-Target-URI"), rec.content_stream().read()
