"""Loaders for the shared evaluation data (``../shared/data``), read at test time.

* :func:`load_xwlb` — ``zh_news_xwlb_two_outlets``: CCTV's own 新闻联播 pages
  (the catalog side) and the same stories republished by mrxwlb.com without
  the attribution (the page side). Gold pairs come from an independent oracle
  (:func:`ngram_overlap`: exact 10-grams after NFKC and removal of whitespace
  and punctuation); see :func:`xwlb_cases` for the thresholds. 快讯 items are
  split by mrxwlb into sub-items, each an excerpt of the CCTV item; the oracle
  finds those pairs too and they are labelled ``xwlb_kuaixun``.
* :func:`load_sogouca` — SogouCA 2012 news contents (hard Chinese negatives).
* :func:`load_english` — English news bodies (fundus expected parses) and the
  scoop teasers (negatives).
* :func:`load_cwced` — hand-cleaned Chinese web-page texts (more bodies).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsrights.evalkit.cases import Case, GoldPair, SourceDoc

XWLB = "zh_news_xwlb_two_outlets"

_TAG = re.compile(r"<[^>]+>")
_PARA_SPLIT = re.compile(r"</p>|<br\s*/?>", re.I)
_SENT_SPLIT = re.compile(r"(?<=[。！？；!?;])|\n")
_KEEP = re.compile(r"[\w]+", re.UNICODE)
#: CCTV's attribution prefix, removed before the oracle compares texts.
_ATTRIBUTION = re.compile(r"央视网消息[（(]新闻联播[）)][：:]")


@dataclass(frozen=True, slots=True)
class XwlbSet:
    """CCTV items (catalog), mrxwlb items (pages) and the oracle's gold pairs."""

    cctv: tuple[SourceDoc, ...]
    mrxwlb: tuple[SourceDoc, ...]
    #: page id -> {article id: shared characters}
    overlap: dict[str, dict[str, int]]
    #: article id -> length of its oracle text
    lengths: dict[str, int]
    #: page id -> article id paired by headline in the upstream aligned file
    headline_pairs: dict[str, str]
    #: page id -> {article id: shared characters in passages of at least PASSAGE_MIN}
    passages: dict[str, dict[str, int]] = field(default_factory=dict)


def _paragraphs_from_html(fragment: str) -> tuple[str, ...]:
    parts = (_TAG.sub("", p) for p in _PARA_SPLIT.split(fragment))
    return tuple(t for t in (html.unescape(p).strip() for p in parts) if t)


def parse_cctv_day(path: Path) -> list[SourceDoc]:
    """Items of one CCTV day file: ``### title``, one HTML line, ``[查看原文](url)``."""
    text = path.read_text(encoding="utf-8")
    date = path.stem
    detail = text.split("## 详细新闻", 1)[-1]
    out: list[SourceDoc] = []
    for n, block in enumerate(re.split(r"^### ", detail, flags=re.M)[1:]):
        title, _, rest = block.partition("\n")
        m = re.search(r"\[查看原文\]\((\S+?)\)", rest)
        url = m.group(1) if m else ""
        body = _paragraphs_from_html(rest[: m.start()] if m else rest)
        if body:
            out.append(
                SourceDoc(id=f"cctv-{date}-{n:02d}", body=body, title=title.strip(), uri=url, date=date)
            )
    return out


def parse_mrxwlb_day(path: Path) -> list[SourceDoc]:
    """Items of one mrxwlb day file: ``### title`` then blank-line paragraphs, up to ``---``."""
    text = path.read_text(encoding="utf-8")
    date = path.stem
    detail = text.split("以下为详细的文字版全文：", 1)[-1].split("\n---", 1)[0]
    out: list[SourceDoc] = []
    for n, block in enumerate(re.split(r"^### ", detail, flags=re.M)[1:]):
        title, _, rest = block.partition("\n")
        body = tuple(p.strip() for p in rest.split("\n") if p.strip())
        if body:
            out.append(
                SourceDoc(
                    id=f"mrxwlb-{date}-{n:02d}",
                    body=body,
                    title=title.strip(),
                    uri=f"http://mrxwlb.com/{date}/{n:02d}",
                    date=date,
                )
            )
    return out


def oracle_text(text: str) -> str:
    """The oracle's view of a text: NFKC, CCTV's attribution removed, only word characters kept."""
    return "".join(_KEEP.findall(_ATTRIBUTION.sub("", unicodedata.normalize("NFKC", text))))


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


def ngram_overlap(
    pages: Iterable[SourceDoc], articles: Iterable[SourceDoc], n: int = 10, sample: int = 4
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """For each page, the articles it shares text with and how many article characters
    (see :func:`ngram_overlap_passages`, which also counts the passages)."""
    shared, _passages, lengths = ngram_overlap_passages(pages, articles, n=n, sample=sample)
    return shared, lengths


#: A shared passage (a quotation) is a run of at least this many consecutive shared
#: characters of the oracle text (about two sentences of Chinese news). Shorter shared
#: runs are stock phrases (套话: titles of meetings, slogans), which the issue says must
#: not make a match however many of them two items share.
PASSAGE_MIN = 50


def ngram_overlap_passages(
    pages: Iterable[SourceDoc], articles: Iterable[SourceDoc], n: int = 10, sample: int = 4,
    min_run: int = PASSAGE_MIN,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]], dict[str, int]]:
    """For each page, the articles it shares text with and how many article characters.

    Independent of the detector under test: exact ``n``-grams of
    :func:`oracle_text`. Candidates come from an inverted index of the
    ``n``-grams whose hash is 0 mod ``sample`` (a run of ``n + 4 * sample``
    shared characters always contains one); for each candidate the covered
    article characters (inside any ``n``-gram also in the page) are counted
    exactly. Returns (page id -> {article id: covered chars}, page id -> {article id:
    covered chars in runs of at least ``min_run``}, article id -> length).
    """
    index: dict[int, list[int]] = defaultdict(list)
    arts: list[tuple[str, str]] = []
    for art in articles:
        t = oracle_text(art.text)
        j = len(arts)
        arts.append((art.id, t))
        for g in {_h(t[i : i + n]) for i in range(len(t) - n + 1)}:
            if g % sample == 0:
                index[g].append(j)
    lengths = {aid: len(t) for aid, t in arts}
    result: dict[str, dict[str, int]] = {}
    passages: dict[str, dict[str, int]] = {}
    for page in pages:
        pt = oracle_text(page.text)
        grams = {pt[i : i + n] for i in range(len(pt) - n + 1)}
        cands = {j for g in grams if (h := _h(g)) % sample == 0 for j in index.get(h, ())}
        shared: dict[str, int] = {}
        passage: dict[str, int] = {}
        for j in sorted(cands):
            aid, t = arts[j]
            covered = bytearray(len(t))
            for i in range(len(t) - n + 1):
                if t[i : i + n] in grams:
                    covered[i : i + n] = b"\x01" * n
            c = sum(covered)
            if c:
                shared[aid] = c
                long_runs = sum(len(r) for r in covered.split(b"\x00") if len(r) >= min_run)
                if long_runs:
                    passage[aid] = long_runs
        result[page.id] = shared
        passages[page.id] = passage
    return result, passages, lengths


def _norm_title(t: str) -> str:
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", t)))


def load_xwlb(data_root: Path, days: int | None = None) -> XwlbSet:
    """Read the two archives (the first ``days`` days if given) and compute the oracle."""
    root = data_root / XWLB
    cctv_files = sorted((root / "cctv_via_DuckBurnIncense").glob("*.md"))
    mr_files = sorted((root / "mrxwlb_via_hobbyqhd").glob("*.md"))
    if days is not None:
        cctv_files, mr_files = cctv_files[:days], mr_files[:days]
    cctv = tuple(d for f in cctv_files for d in parse_cctv_day(f))
    mrx = tuple(d for f in mr_files for d in parse_mrxwlb_day(f))
    overlap, passages, lengths = ngram_overlap_passages(mrx, cctv)
    by_day_title = {(d.date, _norm_title(d.title)): d.id for d in cctv}
    headline = {
        p.id: by_day_title[(p.date, _norm_title(p.title))]
        for p in mrx
        if (p.date, _norm_title(p.title)) in by_day_title
    }
    return XwlbSet(cctv=cctv, mrxwlb=mrx, overlap=overlap, lengths=lengths, headline_pairs=headline,
                   passages=passages)


def xwlb_cases(
    xs: XwlbSet,
    catalog_ids: set[str],
    *,
    min_shared: int = 150,
    min_share_short: float = 0.5,
    ambiguous_from: int = 30,
) -> list[Case]:
    """Pages of the xwlb set as cases against a catalog of ``catalog_ids``.

    Gold pairs, by kind (shared characters from the oracle :func:`ngram_overlap`):

    * ``xwlb_reprint`` — the item of the same day with the same headline, at
      least ``ambiguous_from`` characters shared;
    * ``xwlb_kuaixun`` — the page's headline is a sub-heading of the item
      (mrxwlb split a 快讯 item into sub-items), at least ``ambiguous_from`` shared;
    * ``xwlb_quote`` — any other item of which the page holds at least
      ``min_shared`` characters, or at least ``ambiguous_from`` characters that
      are at least ``min_share_short`` of the item (merged items, quoted wire copy),
      counting only characters in shared passages (runs of at least
      :data:`PASSAGE_MIN`): an item that shares only scattered stock phrases with
      the page, however many, is *ambiguous*, not a quotation.

    Label ``whole`` when the page holds at least 80 % of the item, else
    ``excerpt``. Other items sharing ``ambiguous_from`` characters or more are
    *ambiguous* (quoted official wording): a finding for them is neither right
    nor wrong. Under ``ambiguous_from`` shared characters a finding is a false
    positive. The case's kind is its first gold kind in the order above, or
    ``xwlb_heldout`` (no gold: the page's own story is held out of the catalog
    while the other stories of that day are in).
    """
    lengths = xs.lengths
    cctv = {d.id: d for d in xs.cctv}
    cases: list[Case] = []
    for page in xs.mrxwlb:
        shared = {a: n for a, n in xs.overlap.get(page.id, {}).items() if a in catalog_ids}
        headline = xs.headline_pairs.get(page.id)
        gold = []
        ambiguous = set()
        for aid, n in sorted(shared.items()):
            length = max(lengths[aid], 1)
            art = cctv[aid]
            sub_item = art.date == page.date and _norm_title(page.title) in {_norm_title(p) for p in art.body}
            if aid == headline and n >= ambiguous_from:
                kind = "xwlb_reprint"
            elif sub_item and n >= ambiguous_from:
                kind = "xwlb_kuaixun"
            elif (q := xs.passages.get(page.id, {}).get(aid, 0) if xs.passages else n) >= min_shared or (
                q >= ambiguous_from and q >= min_share_short * length
            ):
                kind = "xwlb_quote"
            else:
                if n >= ambiguous_from:
                    ambiguous.add(aid)
                continue
            label = "whole" if n >= 0.8 * length else "excerpt"
            gold.append(GoldPair(article_id=aid, label=label, reused_chars=n, kind=kind))
        kinds = {g.kind for g in gold}
        case_kind = next(
            (k for k in ("xwlb_reprint", "xwlb_kuaixun", "xwlb_quote") if k in kinds), "xwlb_heldout"
        )
        cases.append(
            Case(
                id=page.id,
                kind=case_kind,
                page_body=page.body,
                gold=tuple(gold),
                page_title=page.title,
                page_url=page.uri,
                ambiguous=frozenset(ambiguous),
            )
        )
    return cases


def load_sogouca(data_root: Path, min_chars: int = 80) -> list[SourceDoc]:
    """SogouCA contents with at least ``min_chars`` characters, split on 　 runs into paragraphs."""
    path = data_root / "zh_news_sogouca_sample" / "sogouca_smarty.utf8.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        content = (row.get("content") or "").strip()
        if len(content) < min_chars:
            continue
        paras = tuple(p.strip() for p in re.split(r"[\u3000]{2,}|\n", content) if p.strip())
        out.append(
            SourceDoc(id=f"sogouca-{row['docno']}", body=paras, title=row.get("title") or "", uri=row["url"])
        )
    return out


def load_english(data_root: Path) -> list[SourceDoc]:
    """English news bodies: fundus expected parses (us, uk, my) and the scoop teasers."""
    out: list[SourceDoc] = []
    for country in ("us", "uk", "my"):
        for f in sorted((data_root / "news_html_fundus" / country).glob("*.json")):
            versions = json.loads(f.read_text(encoding="utf-8"))
            seen: set[str] = set()
            for ver in versions.values():
                paras = tuple(
                    p
                    for s in ver.get("body", {}).get("sections", [])
                    for p in s.get("paragraphs", [])
                    if p.strip()
                )
                key = "\n".join(paras)
                if paras and key not in seen:
                    seen.add(key)
                    out.append(
                        SourceDoc(
                            id=f"fundus-{country}-{f.stem}-{len(seen)}",
                            body=paras,
                            title=ver.get("title") or "",
                            lang="en",
                        )
                    )
    scoop = data_root / "en_news_dedup_scoop" / "scraped_items.jsonl"
    for line in scoop.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = (row.get("body_text") or "").strip()
        if len(body) >= 80:
            out.append(
                SourceDoc(
                    id=f"scoop-{row['source_item_id']}", body=(body,), title=row.get("title") or "", lang="en"
                )
            )
    return out


def load_cwced(data_root: Path, min_chars: int = 200) -> list[SourceDoc]:
    """Hand-cleaned main texts of Chinese web pages (zh_web_extraction_gt_cwced/cleaned)."""
    out = []
    for f in sorted((data_root / "zh_web_extraction_gt_cwced" / "cleaned").glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        paras = tuple(p.strip() for p in text.splitlines() if p.strip())
        if sum(map(len, paras)) >= min_chars and sum(1 for c in text if "\u4e00" <= c <= "\u9fff") > 100:
            out.append(SourceDoc(id=f"cwced-{f.stem}", body=paras))
    return out


def read_gz_text(path: Path) -> str:
    """A gzipped page as UTF-8 text (helper for benchmarks)."""
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
