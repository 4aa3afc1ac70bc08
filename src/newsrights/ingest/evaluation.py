"""Extraction quality against other people's ground truth (used by the eval gate and the benchmark).

Metric definitions (the same for our reader and for plain trafilatura):

* **main-text F1** — bag-of-tokens F1 between the extracted body and the
  reference text, where a token is one CJK character or one run of letters
  and digits (lower-cased); punctuation and spaces are not tokens. For
  Chinese this is the usual character-level F1; for English, word-level.
  Averaged over the pages of a set (a page with no extraction scores 0).
* **title** — correct when equal after NFKC, whitespace removal and folding
  typographic quotes to straight ones (``’`` → ``'``: the same headline set in
  other type), or when the reference is the title plus a site suffix
  (``标题_频道_腾讯网``), or when the reference is cut short with ``...``/``…``
  and the title starts with what it keeps.
* **date** — correct when the calendar day (in the reference's zone when it
  has one, else the page's local day) equals the reference day.
* **byline** — correct when every reference author name occurs in the
  extracted byline (whitespace- and case-insensitive, quotes folded) and the
  byline is not more than three times as long as the names. A Chinese
  reference listing several people (``刘国栋 周炜``) names each of them. A reference's
  leading ``By``/``by:`` is a label, not part of a name, and is dropped; a
  reference "byline" that is a timestamp (readability's seattletimes page:
  ``April 28, 2019 at 6:01 am …``) states no author and is not counted.
* **person** — like byline, but against every person the page credits
  (byline, editor, responsible editor); the cwced "author" is often the
  page's 责任编辑. trafilatura has one author field, used for both.
* **snippets** (trafilatura's own eval set, which has no full reference
  text): share of its ``with`` snippets found plus ``without`` snippets
  absent.

Accuracies count only pages whose reference states the field.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsrights.core.metadata import parse_datetime

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """CJK characters and alphanumeric runs of ``text`` (NFKC, lower-cased)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def token_f1(predicted: str, reference: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of bag-of-tokens overlap."""
    p, r = Counter(tokens(predicted)), Counter(tokens(reference))
    if not p or not r:
        return 0.0, 0.0, 0.0
    overlap = sum((p & r).values())
    if overlap == 0:
        return 0.0, 0.0, 0.0
    prec, rec = overlap / sum(p.values()), overlap / sum(r.values())
    return prec, rec, 2 * prec * rec / (prec + rec)


_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'}
)


def _compact(s: str) -> str:
    """NFKC, no whitespace, lower case, typographic quotes folded to straight ones."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower().translate(_QUOTES)


def title_ok(predicted: str | None, reference: str) -> bool:
    if not predicted:
        return False
    p, r = _compact(predicted), _compact(reference)
    if p == r:
        return True
    cut = re.sub(r"(?:\.{3}|…)$", "", r)
    if cut != r and len(cut) >= 10 and p.startswith(cut):
        return True  # the reference headline was cut short with an ellipsis
    return r.startswith(p) and len(p) >= 4 and r[len(p) : len(p) + 1] in ("_", "|", "-", "–", "—", "｜")


_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2}))?\s*月?\s*$")


def date_ok(predicted: datetime | date | None, reference: str) -> bool:
    """Same day as the reference; a reference that gives only a year, or a
    year and month, is compared at that precision."""
    if predicted is None:
        return False
    partial = _PARTIAL_DATE.match(reference)
    if partial:
        y, m = int(partial.group(1)), partial.group(2)
        return predicted.year == y and (m is None or predicted.month == int(m))
    if isinstance(predicted, datetime) and (predicted.hour, predicted.minute, predicted.second) == (0, 0, 0):
        predicted = predicted.date()  # a bare day read as midnight: compare the day as stated
    ref = parse_datetime(reference.replace("T", " ")) if "T" not in reference else parse_datetime(reference)
    if ref is None:
        return False
    has_zone = bool(re.search(r"(Z|[+-]\d{2}:?\d{2})$", reference.strip()))
    if not isinstance(predicted, datetime):  # a bare day (trafilatura gives only the day)
        return predicted == ref.date()
    if has_zone:
        return predicted.astimezone(ref.tzinfo).date() == ref.date()
    return predicted.date() == ref.date()


def reference_names(names: list[str]) -> list[str]:
    """Reference author names without a leading ``By``/``by:`` label; a
    reference that is a timestamp (a year and a clock time) names nobody; a
    Chinese reference listing several people (``刘国栋 周炜 王燕平``,
    ``赵延东、风笑天``) is one name each (a byline prints them with their
    roles between: ``本报实习生 刘国栋 周炜 本报记者 王燕平``)."""
    out: list[str] = []
    for n in names:
        n = re.sub(r"^\s*by\s*:?\s+", "", n, flags=re.I).strip()
        if not n or (re.search(r"\b(?:19|20)\d{2}\b", n) and re.search(r"\b\d{1,2}:\d{2}\b", n)):
            continue
        if not re.search(r"[A-Za-z]", n) and re.search(r"[\u3400-\u9fff]", n):
            out.extend(p for p in re.split(r"[\s、，,;；]+", n) if p)
        else:
            out.append(n)
    return out


def byline_ok(predicted: str | None, names: list[str]) -> bool:
    if not predicted:
        return False
    p = _compact(predicted)
    total = sum(len(_compact(n)) for n in names)
    return all(_compact(n) in p for n in names) and len(p) <= 3 * total + 12


@dataclass
class Case:
    """One evaluation page: raw bytes and whatever reference the set has."""

    set: str
    name: str
    data: bytes
    url: str | None = None
    text: str | None = None
    title: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)


def _html_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("p,div,br,li,h1,h2,h3,h4,tr,blockquote,figcaption"):
        node.insert_after("\n")
    root = tree.body or tree.root
    return root.text(deep=True) if root is not None else ""


def load_cwced(root: Path) -> Iterator[Case]:
    base = root / "zh_web_extraction_gt_cwced"
    for f in sorted((base / "original").glob("*.html")):
        uid = f.stem
        author = (base / "author" / f"{uid}.txt").read_text(encoding="utf-8", errors="replace").strip()
        date = (base / "date" / f"{uid}.txt").read_text(encoding="utf-8", errors="replace").strip()
        yield Case(
            "cwced",
            uid,
            f.read_bytes(),
            text=(base / "cleaned" / f"{uid}.txt").read_text(encoding="utf-8", errors="replace"),
            date=date
            if re.match(r"^\d{4}", date)
            else None,  # "UNKNOWN" (and one typo'd/misfiled value) state no date
            authors=[] if author.upper() == "UNKNOWN" or not author else [author],
        )


def load_readability(root: Path) -> Iterator[Case]:
    base = root / "news_html_readability"
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        meta = json.loads((d / "expected-metadata.json").read_text(encoding="utf-8"))
        byline = meta.get("byline")
        yield Case(
            "readability",
            d.name,
            (d / "source.html").read_bytes(),
            text=_html_text((d / "expected.html").read_text(encoding="utf-8")),
            title=meta.get("title"),
            date=meta.get("publishedTime"),
            authors=[byline] if byline and len(byline) < 60 else [],
        )


def load_fundus(root: Path) -> Iterator[Case]:
    base = root / "news_html_fundus"
    for country in sorted(p for p in base.iterdir() if p.is_dir()):
        meta = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        for j in sorted(country.glob("*.json")):
            expected = json.loads(j.read_text(encoding="utf-8"))
            files = sorted(country.glob(f"{j.stem}_*.html.gz"))
            for version, f in zip(sorted(expected), files, strict=False):
                e = expected[version]
                body = e.get("body") or {}
                paras: list[str] = list(body.get("summary") or [])
                for sec in body.get("sections") or []:
                    paras.extend(sec.get("headline") or [])
                    paras.extend(sec.get("paragraphs") or [])
                yield Case(
                    f"fundus-{country.name}",
                    f.name,
                    gzip.decompress(f.read_bytes()),
                    url=(meta.get(f.name) or {}).get("url"),
                    text="\n".join(paras),
                    title=e.get("title"),
                    date=e.get("publishing_date"),
                    authors=[a for a in e.get("authors") or [] if a],
                )


def load_trafilatura_eval(root: Path) -> Iterator[Case]:
    base = root / "news_html_trafilatura_eval"
    data = json.loads((base / "evaldata_subset.json").read_text(encoding="utf-8"))
    for url, e in sorted(data.items()):
        yield Case(
            "trafilatura_eval",
            e["file"],
            (base / e["file"]).read_bytes(),
            url=url,
            title=e.get("title") or None,
            date=e.get("date") or None,
            authors=[e["author"]] if e.get("author") else [],
            with_snippets=list(e.get("with") or []),
            without_snippets=list(e.get("without") or []),
        )


LOADERS: dict[str, Callable[[Path], Iterator[Case]]] = {
    "cwced": load_cwced,
    "readability": load_readability,
    "fundus": load_fundus,
    "trafilatura_eval": load_trafilatura_eval,
}


def _is_zh(case: Case) -> bool:
    sample = (case.text or " ".join(case.with_snippets))[:2000]
    letters = sum(1 for c in sample if c.isalpha()) or 1
    return sum(1 for c in sample if "\u3400" <= c <= "\u9fff") / letters > 0.3


@dataclass
class Extracted:
    body: str
    title: str | None
    published: datetime | date | None
    byline: str | None
    persons: str | None = None  # byline + editor + responsible editor: every person the page credits


def ours(case: Case) -> Extracted:
    from newsrights.core.model import Article
    from newsrights.ingest import read_bytes

    items = read_bytes(case.data, origin=case.name, url=case.url, content_type="text/html")
    art = next((i for i in items if isinstance(i, Article)), None)
    if art is None:
        return Extracted("", None, None, None)
    persons = " ".join(x for x in (art.byline, art.editor, art.responsible_editor) if x) or None
    return Extracted(art.text, art.title, art.published, art.byline, persons)


def plain_trafilatura(case: Case) -> Extracted:
    """trafilatura as a user would call it: raw bytes, defaults, with metadata."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(case.data, url=case.url, with_metadata=True)
    except Exception:
        doc = None
    if doc is None:
        return Extracted("", None, None, None)
    day = parse_datetime(doc.date) if doc.date else None
    return Extracted(doc.text or "", doc.title, day.date() if day else None, doc.author, doc.author)


def score(cases: list[Case], extract: Callable[[Case], Extracted]) -> dict[str, Any]:
    """Per-set figures for one extractor; keys: ``pages``, ``f1``, ``f1_zh``,
    ``title``, ``date``, ``byline``, ``snippets`` (each ``None`` when no page
    of the set states it) and the counts ``n_title`` … behind them."""
    f1s, f1_zh, titles, dates, bylines, persons, snippets = [], [], [], [], [], [], []
    for case in cases:
        got = extract(case)
        if case.text is not None:
            f = token_f1(got.body, case.text)[2]
            f1s.append(f)
            if _is_zh(case):
                f1_zh.append(f)
        if case.title:
            titles.append(title_ok(got.title, case.title))
        if case.date:
            dates.append(date_ok(got.published, case.date))
        names = reference_names(case.authors)
        if names:
            bylines.append(byline_ok(got.byline, names))
            persons.append(byline_ok(got.persons, names))
        if case.with_snippets or case.without_snippets:
            body = _compact(got.body)
            hits = [(_compact(s) in body) for s in case.with_snippets]
            hits += [(_compact(s) not in body) for s in case.without_snippets]
            snippets.append(sum(hits) / len(hits))

    def mean(xs: list[Any]) -> float | None:
        return round(sum(xs) / len(xs), 4) if xs else None

    return {
        "pages": len(cases),
        "f1": mean(f1s),
        "f1_zh": mean(f1_zh),
        "title": mean(titles),
        "date": mean(dates),
        "byline": mean(bylines),
        "person": mean(persons),
        "snippets": mean(snippets),
        "n_f1": len(f1s),
        "n_f1_zh": len(f1_zh),
        "n_title": len(titles),
        "n_date": len(dates),
        "n_byline": len(bylines),
    }
