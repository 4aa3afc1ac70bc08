"""What to watch: the sources of a monitoring run, and the parsers that turn them into page URLs.

A sources file is TOML (or the same structure in JSON)::

    name = "reprint-watch"          # runs of the same name resume / compare with each other
    max_pages = 2000                # frontier size cap per run
    revisit = false                 # skip pages a finished run of this name already read

    [fetch]                         # any field of newsrights.crawl.fetcher.FetchConfig
    delay = 2.0
    allow_networks = []             # e.g. ["127.0.0.1/32"] for a loopback test site

    [[source]]
    site = "https://news.example.cn/"   # a start page; same-host links followed to `depth`
    depth = 1
    [[source]]
    sitemap = "https://news.example.cn/sitemap_news.xml"   # sitemap, sitemap index, news sitemap (.xml or .xml.gz)
    [[source]]
    feed = "https://news.example.cn/rss.xml"               # RSS 0.9x/2.0, RSS 1.0, Atom
    [[source]]
    urls = ["https://a.example/1.html"]                     # pages, or `file = "urls.txt"` (one per line, # comments)
    [[source]]
    warc = "crawls/CC-NEWS-2024.warc.gz"                    # WARC, WARC.gz, ARC or WACZ of another crawler

On the command line a bare ``URL`` is ``auto`` (a page; a sitemap or feed when its
body says so), a path ending in ``.warc``, ``.warc.gz``, ``.arc.gz`` or ``.wacz`` is
an archive, and ``site:``, ``sitemap:``, ``feed:`` prefixes choose the kind.

Parsers never raise on bad bytes: a broken sitemap or feed yields no URLs and a
reason. XML is parsed with entities and network access off (no XXE).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tomllib
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from newsrights.core.model import Rejected
from newsrights.crawl.fetcher import FetchConfig
from newsrights.errors import ConfigError

Kind = Literal["auto", "page", "site", "sitemap", "feed", "archive"]
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz")
MAX_XML_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One thing to watch: ``target`` is a URL, or a file path for ``archive``."""

    kind: Kind
    target: str
    depth: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.target, "depth": self.depth}


@dataclass(frozen=True)
class MonitorConfig:
    """A whole monitoring set-up: sources, fetch policy and run limits."""

    sources: tuple[Source, ...]
    name: str = ""
    fetch: FetchConfig = field(default_factory=FetchConfig)
    max_pages: int = 5000
    revisit: bool = False

    @property
    def run_name(self) -> str:
        """The explicit name, else a digest of the sources (the same sources resume the same run)."""
        if self.name:
            return self.name
        digest = hashlib.sha256(json.dumps([s.to_json() for s in self.sources], sort_keys=True).encode()).hexdigest()
        return "sources-" + digest[:12]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.run_name,
            "max_pages": self.max_pages,
            "revisit": self.revisit,
            "sources": [s.to_json() for s in self.sources],
            "fetch": {f.name: getattr(self.fetch, f.name) for f in fields(self.fetch)},
        }


def _fetch_config(d: dict[str, Any], base: FetchConfig | None = None) -> FetchConfig:
    known = {f.name: f for f in fields(FetchConfig)}
    unknown = set(d) - set(known)
    if unknown:
        raise ConfigError(f"unknown [fetch] settings: {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
    cfg = base or FetchConfig()
    return FetchConfig(**{**{f: getattr(cfg, f) for f in known}, **values})


def _source(d: dict[str, Any], base: Path) -> list[Source]:
    depth = int(d.get("depth", 0))
    out: list[Source] = []
    if "site" in d:
        out.append(Source("site", str(d["site"]), depth or 1))
    if "sitemap" in d:
        out.append(Source("sitemap", str(d["sitemap"])))
    if "feed" in d:
        out.append(Source("feed", str(d["feed"])))
    if "urls" in d:
        out.extend(Source("page", str(u)) for u in d["urls"])
    if "file" in d:
        out.extend(Source("page", u) for u in read_url_list((base / str(d["file"])).read_text("utf-8")))
    if "warc" in d or "archive" in d:
        p = Path(str(d.get("warc") or d.get("archive")))
        out.append(Source("archive", str(p if p.is_absolute() else (base / p).resolve())))
    if not out:
        raise ConfigError(f"a [[source]] needs one of site, sitemap, feed, urls, file, warc: got {sorted(d)}")
    return out


def load_config(path: str | Path, *, fetch_overrides: dict[str, Any] | None = None) -> MonitorConfig:
    """Read a sources file (TOML, or JSON when it ends in ``.json``)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc}") from exc
    sources: list[Source] = []
    for d in data.get("source", data.get("sources", [])):
        sources.extend(_source(d, path.parent))
    fetch = _fetch_config({**data.get("fetch", {}), **(fetch_overrides or {})})
    return MonitorConfig(
        sources=tuple(sources),
        name=str(data.get("name", "")),
        fetch=fetch,
        max_pages=int(data.get("max_pages", 5000)),
        revisit=bool(data.get("revisit", False)),
    )


def sources_from_args(args: Iterable[str]) -> list[Source]:
    """Command-line targets: URLs (``auto``), ``site:``/``sitemap:``/``feed:`` URLs, archive paths, URL-list files."""
    out: list[Source] = []
    for arg in args:
        prefix, sep, rest = arg.partition(":")
        if sep and prefix in ("site", "sitemap", "feed") and not rest.startswith("//"):
            out.append(Source(prefix, rest, 1 if prefix == "site" else 0))  # type: ignore[arg-type]
        elif arg.lower().endswith(ARCHIVE_SUFFIXES) and not arg.startswith(("http://", "https://")):
            out.append(Source("archive", str(Path(arg).resolve())))
        elif arg.startswith(("http://", "https://")):
            out.append(Source("auto", arg))
        elif Path(arg).is_file():
            out.extend(Source("page", u) for u in read_url_list(Path(arg).read_text("utf-8")))
        else:
            raise ConfigError(f"not a URL, archive or URL-list file: {arg!r}")
    return out


def read_url_list(text: str) -> list[str]:
    """One URL per line; blank lines and ``#`` comments skipped."""
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


# -------------------------------------------------------------------- sitemaps, feeds, links


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    lastmod: str | None = None
    news_title: str | None = None
    news_published: str | None = None


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(body, MAX_XML_BYTES)
    return out


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str = "") -> tuple[list[SitemapEntry], list[str], str | None]:
    """``(pages, child sitemaps, error reason)`` of a sitemap, sitemap index or Google news sitemap.

    Namespaces are ignored (only local names count), so sitemaps with the usual
    mistakes (no namespace, a wrong one) still read; ``news:title`` and
    ``news:publication_date`` are kept when present.
    """
    try:
        data = _maybe_gunzip(body)
    except zlib.error as exc:
        return [], [], f"bad_gzip: {exc}"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [], [], f"bad_sitemap: {exc}"
    if root is None:
        return [], [], "bad_sitemap: empty document"
    pages: list[SitemapEntry] = []
    children: list[str] = []
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        return [], [], f"bad_sitemap: root element is <{kind}>"
    for el in root:
        name = _local(el.tag)
        vals: dict[str, str] = {}
        for sub in el.iter():
            ln = _local(sub.tag)
            if sub.text and sub.text.strip() and ln not in vals:
                vals[ln] = sub.text.strip()
        loc = vals.get("loc")
        if not loc:
            continue
        loc = urljoin(base_url, loc)
        if name == "sitemap":
            children.append(loc)
        elif name == "url":
            pages.append(SitemapEntry(loc, vals.get("lastmod"), vals.get("title"), vals.get("publication_date")))
    return pages, children, None


def looks_like_sitemap(body: bytes) -> bool:
    head = _maybe_gunzip(body[:4096]) if body[:2] != b"\x1f\x8b" else b""
    head = (head or body[:4096]).lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lower()
    return (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) and b"<html" not in head


def parse_feed(body: bytes, base_url: str = "") -> tuple[list[str], str | None]:
    """Item links of an RSS/Atom feed (feedparser); ``(links, error reason)``."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": base_url} if base_url else None)
    links: list[str] = []
    for entry in parsed.entries:
        link = entry.get("link") or next((lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None)
        if link:
            links.append(urljoin(base_url, link))
    if not links and parsed.bozo:
        return [], f"bad_feed: {parsed.get('bozo_exception')!s}"[:300]
    return links, None


def extract_links(body: bytes, base_url: str, *, same_host: bool = True) -> list[str]:
    """``<a href>`` targets of an HTML page, absolute, without fragments, http(s) only, de-duplicated."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body)
    base_node = tree.css_first("base[href]")
    base = urljoin(base_url, base_node.attributes.get("href") or "") if base_node is not None else base_url
    host = (urlsplit(base_url).hostname or "").lower()
    seen: dict[str, None] = {}
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            continue
        if same_host and (parts.hostname or "").lower() != host:
            continue
        seen.setdefault(url, None)
    return list(seen)


# -------------------------------------------------------------------- archives of other crawlers


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """One HTTP response (or resource) record from another crawler's archive."""

    key: str  # "<archive path>[!member]#<offset>"
    url: str
    status: int | None
    content_type: str | None
    body: bytes
    date: str | None


def _archive_head_ok(head: bytes) -> bool:
    """WARC or ARC by their first bytes (after gzip): ``WARC/`` or ``filedesc://``."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://"))


def _warc_stream(fh: Any, name: str) -> Iterator[ArchivedPage | Rejected]:
    head = fh.read(4096)
    if not _archive_head_ok(head):
        yield Rejected(name, "bad_warc", f"not a WARC or ARC: starts with {head[:24]!r}")
        return
    fh = _Rewound(head, fh)
    it = ArchiveIterator(fh, arc2warc=True)
    try:
        for record in it:
            if record.rec_type is None:  # warcio's view of a torn gzip member at the tail
                yield Rejected(name, "truncated_warc", f"unreadable record at byte {it.get_record_offset()}")
                return
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            status: int | None = None
            ctype: str | None = None
            if record.http_headers is not None and record.rec_type == "response":
                code = record.http_headers.get_statuscode()
                status = int(code) if code and code.isdigit() else None
                ctype = record.http_headers.get_header("Content-Type")
            else:
                ctype = record.rec_headers.get_header("Content-Type")
            body = record.content_stream().read()
            offset = it.get_record_offset()  # after the read: warcio reads to the end to know it
            yield ArchivedPage(f"{name}#{offset}", url, status, ctype, body, record.rec_headers.get_header("WARC-Date"))
    except Exception as exc:  # noqa: BLE001 - warcio raises many types on broken input
        msg = f"{type(exc).__name__}: {exc}"[:300]
        reason = "truncated_warc" if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)) or "EOF" in msg or "truncat" in msg.lower() else "bad_warc"
        yield Rejected(name, reason, msg)


class _Rewound(io.RawIOBase):
    """A read-only stream that gives back the bytes already read, then the rest (zip members do not seek)."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)


def iter_archive(path: str | Path) -> Iterator[ArchivedPage | Rejected]:
    """Response records of a WARC, WARC.gz, ARC(.gz) or WACZ (its ``archive/*.warc*`` members).

    A broken archive yields what it could read, then one ``Rejected`` with
    ``truncated_warc`` or ``bad_warc``; it never raises.
    """
    path = Path(path)
    name = str(path)
    try:
        if path.suffix == ".wacz":
            with zipfile.ZipFile(path) as z:
                members = sorted(m for m in z.namelist() if m.startswith("archive/") and ".warc" in m)
                if not members:
                    yield Rejected(name, "bad_warc", "WACZ without archive/*.warc* members")
                for m in members:
                    with z.open(m) as fh:
                        yield from _warc_stream(fh, f"{name}!{m}")
            return
        with path.open("rb") as fh:
            yield from _warc_stream(fh, name)
    except (OSError, zipfile.BadZipFile) as exc:
        yield Rejected(name, "unreadable", f"{type(exc).__name__}: {exc}"[:300])
