"""Loaders for the shared evaluation data (``../shared/data``), read at test time.

* :func:`load_xwlb` — ``zh_news_xwlb_two_outlets``: CCTV's own 新闻联播 pages
  (the catalog side) and the same stories republished by mrxwlb.com without
  the attribution (the page side). Gold pairs come from an independent oracle
  (:func:`sentence_overlap`): a page reuses a CCTV item when they share
  exact sentences (after NFKC and removal of whitespace and punctuation) of at
  least ``min_shared`` characters in total. A page that shares only a little
  (one formulaic sentence) is *ambiguous* for that item. 快讯 items are split by
  mrxwlb into sub-items, each an excerpt of the CCTV item; the oracle finds
  those pairs too and :func:`load_xwlb` labels them ``xwlb_kuaixun``.
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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsrights.evalkit.cases import Case, GoldPair, SourceDoc

XWLB = "zh_news_xwlb_two_outlets"

_TAG = re.compile(r"<[^>]+>")
_PARA_SPLIT = re.compile(r"</p>|<br\s*/?>", re.I)
_SENT_SPLIT = re.compile(r"(?<=[。！？；!?;])|\n")
_KEEP = re.compile(r"[\w]+", re.UNICODE)
#: CCTV's attribution prefix, removed before the sentence oracle compares texts.
_ATTRIBUTION = re.compile(r"央视网消息[（(]新闻联播[）)][：:]")


@dataclass(frozen=True, slots=True)
class XwlbSet:
    """CCTV items (catalog), mrxwlb items (pages) and the oracle's gold pairs."""

    cctv: tuple[SourceDoc, ...]
    mrxwlb: tuple[SourceDoc, ...]
    #: page id -> {article id: shared characters}
    overlap: dict[str, dict[str, int]]
    #: page id -> article id paired by headline in the upstream aligned file
    headline_pairs: dict[str, str]


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


def sentence_keys(text: str, min_len: int = 12) -> dict[str, int]:
    """Normalised sentences of ``text`` (NFKC, only word characters kept) -> length.

    Sentences are split at 。！？； and line breaks; shorter than ``min_len``
    normalised characters are dropped (sub-headings, 快讯 labels).
    """
    out: dict[str, int] = {}
    text = _ATTRIBUTION.sub("\n", unicodedata.normalize("NFKC", text))
    for sent in _SENT_SPLIT.split(text):
        key = "".join(_KEEP.findall(sent))
        if len(key) >= min_len:
            out[key] = len(key)
    return out


def sentence_overlap(
    pages: Iterable[SourceDoc], articles: Iterable[SourceDoc], min_len: int = 12
) -> dict[str, dict[str, int]]:
    """For each page, the articles it shares exact sentences with and how many characters.

    An inverted index from sentence key to article ids; independent of the
    detector under test (exact sentence identity only).
    """
    index: dict[str, list[str]] = defaultdict(list)
    for art in articles:
        for key in sentence_keys(art.text, min_len):
            index[key].append(art.id)
    result: dict[str, dict[str, int]] = {}
    for page in pages:
        shared: dict[str, int] = defaultdict(int)
        for key, n in sentence_keys(page.text, min_len).items():
            for aid in index.get(key, ()):
                shared[aid] += n
        result[page.id] = dict(shared)
    return result


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
    overlap = sentence_overlap(mrx, cctv)
    by_day_title = {(d.date, _norm_title(d.title)): d.id for d in cctv}
    headline = {
        p.id: by_day_title[(p.date, _norm_title(p.title))]
        for p in mrx
        if (p.date, _norm_title(p.title)) in by_day_title
    }
    return XwlbSet(cctv=cctv, mrxwlb=mrx, overlap=overlap, headline_pairs=headline)


def xwlb_cases(
    xs: XwlbSet,
    catalog_ids: set[str],
    *,
    min_shared: int = 60,
) -> list[Case]:
    """Pages of the xwlb set as cases against a catalog of ``catalog_ids``.

    Gold pairs: catalog items sharing >= ``min_shared`` sentence characters
    with the page (``excerpt`` label when the page holds under 80 % of the
    item, else ``whole``). Items sharing less but more than zero are ambiguous.
    A page with no gold pair is a hard negative (``xwlb_heldout``): its own
    story is left out of the catalog while the other stories of that day are in.
    Kind: ``xwlb_reprint`` (paired by headline), ``xwlb_kuaixun`` (a sub-item of
    a 快讯 item), ``xwlb_other`` (merged items), ``xwlb_heldout``.
    """
    lengths = {d.id: sum(sentence_keys(d.text).values()) or 1 for d in xs.cctv}
    titles = {d.id: d.title for d in xs.cctv}
    cases: list[Case] = []
    for page in xs.mrxwlb:
        shared = {a: n for a, n in xs.overlap.get(page.id, {}).items() if a in catalog_ids}
        gold = []
        ambiguous = set()
        for aid, n in sorted(shared.items()):
            if n >= min_shared:
                label = "whole" if n >= 0.8 * lengths[aid] else "excerpt"
                gold.append(GoldPair(article_id=aid, label=label, reused_chars=n))
            else:
                ambiguous.add(aid)
        if not gold:
            kind = "xwlb_heldout"
        elif xs.headline_pairs.get(page.id) in {g.article_id for g in gold}:
            kind = "xwlb_reprint"
        elif any("快讯" in titles[g.article_id] for g in gold):
            kind = "xwlb_kuaixun"
        else:
            kind = "xwlb_other"
        cases.append(
            Case(
                id=page.id,
                kind=kind,
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
