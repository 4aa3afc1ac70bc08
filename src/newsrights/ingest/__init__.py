"""Reading pages into :class:`~newsrights.core.model.Article` or :class:`~newsrights.core.model.Rejected`.

Two entry points:

* :func:`read_path` — a file or a folder (recursive, sorted order), streaming
  one item at a time;
* :func:`read_bytes` — bytes already in memory (a fetched page, an upload).

The format is detected from the content (magic bytes, the first markup),
helped by the file extension and a declared content type: plain-text pages,
HTML, IPTC ninjs JSON / JSON Lines, WARC / WARC.gz (and ARC), RSS/Atom feeds,
and gzip of any of these. Bad input never raises: it comes out as
``Rejected(origin, reason, detail)`` with one of the reasons in
:data:`REASONS`, and the batch goes on.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from newsrights.core.model import Article, Rejected
from newsrights.errors import RejectedInput

__all__ = ["DEFAULT_MAX_BYTES", "REASONS", "detect_format", "read_bytes", "read_path"]

log = logging.getLogger(__name__)

#: Pages (and decompressed files, and WARC payloads) larger than this are rejected as ``too_large``.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Every reason a reader may give.
REASONS: tuple[str, ...] = (
    "empty",
    "binary",
    "bad_encoding",
    "no_body",
    "too_large",
    "truncated_warc",
    "bad_warc",
    "bad_json",
    "bad_feed",
    "bad_gzip",
    "unreadable",
)

_HTML_MARKS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<meta",
    b"<div",
    b"<p>",
    b"<p ",
    b"<title",
    b"<table",
    b"<article",
    b"<script",
    b"<link",
    b"<!--",
)
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")
_EXT_FORMAT = {
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".json": "ninjs",
    ".jsonl": "ninjs",
    ".ndjson": "ninjs",
    ".warc": "warc",
    ".arc": "warc",
    ".txt": "text",
    ".text": "text",
    ".rss": "feed",
    ".atom": "feed",
}


def detect_format(data: bytes, *, name: str = "", content_type: str | None = None) -> str:
    """``html``, ``text``, ``ninjs``, ``warc``, ``feed`` or ``gzip`` for ``data``.

    Content first (it does not lie about itself as often as names do): gzip
    magic, ``WARC/`` or an ARC header, a JSON opening bracket, feed roots,
    HTML markup in the first 2 KB. Then the content type and the extension.
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = head.lower()
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if head.startswith(b"WARC/") or head.startswith(b"filedesc://"):
        return "warc"
    ct = (content_type or "").lower()
    if head[:1] in (b"{", b"[") and (
        "json" in ct or not ct or name.lower().endswith((".json", ".jsonl", ".ndjson"))
    ):
        return "ninjs"
    xml_head = lower[:1024]
    if any(m in xml_head for m in _FEED_MARKS) and b"<html" not in xml_head:
        return "feed"
    if "html" in ct or any(m in lower for m in _HTML_MARKS):
        return "html"
    if "rss" in ct or "atom" in ct:
        return "feed"
    if "json" in ct:
        return "ninjs"
    ext = Path(name.lower().removesuffix(".gz")).suffix
    return _EXT_FORMAT.get(ext, "text")


def read_bytes(
    data: bytes,
    *,
    origin: str,
    url: str | None = None,
    content_type: str | None = None,
    fetched: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Article | Rejected]:
    """Read one page (or one archive/feed/JSON document) held in memory."""
    return list(
        _read(
            data,
            origin=origin,
            name=origin,
            url=url,
            content_type=content_type,
            fetched=fetched,
            max_bytes=max_bytes,
        )
    )


def _read(
    data: bytes,
    *,
    origin: str,
    name: str,
    url: str | None,
    content_type: str | None,
    fetched: datetime | None,
    max_bytes: int,
    depth: int = 0,
) -> Iterator[Article | Rejected]:
    if not data or not data.strip():
        yield Rejected(origin, "empty", "no bytes" if not data else "only whitespace")
        return
    if len(data) > max_bytes:
        yield Rejected(origin, "too_large", f"{len(data)} bytes > limit {max_bytes}")
        return
    fmt = detect_format(data, name=name, content_type=content_type)
    try:
        if fmt == "gzip":
            if depth > 1:
                yield Rejected(origin, "bad_gzip", "nested gzip")
                return
            if _looks_like_warc_gz(data):
                from newsrights.ingest.warc import read_warc_stream

                yield from read_warc_stream(io.BytesIO(data), origin=origin, max_bytes=max_bytes)
                return
            inner = _gunzip(data, max_bytes)
            if isinstance(inner, Rejected):
                yield Rejected(origin, inner.reason, inner.detail)
                return
            yield from _read(
                inner,
                origin=origin,
                name=name.removesuffix(".gz"),
                url=url,
                content_type=None,
                fetched=fetched,
                max_bytes=max_bytes,
                depth=depth + 1,
            )
            return
        if fmt == "warc":
            from newsrights.ingest.warc import read_warc_stream

            yield from read_warc_stream(io.BytesIO(data), origin=origin, max_bytes=max_bytes)
            return
        if fmt == "ninjs":
            from newsrights.ingest.ninjs import read_ninjs

            yield from read_ninjs(data, origin=origin)
            return
        if fmt == "feed":
            from newsrights.ingest.feeds import read_feed

            yield from read_feed(data, origin=origin, fetched=fetched)
            return
        from newsrights.ingest.encoding import decode, is_binary

        if is_binary(data):
            yield Rejected(origin, "binary", "NUL or control bytes: not a text page")
            return
        if fmt == "html":
            from newsrights.ingest.html import article_from_html

            yield article_from_html(data, origin=origin, url=url, content_type=content_type, fetched=fetched)
            return
        declared = _charset_of(content_type)
        text, _codec = decode(data, declared)
        from newsrights.ingest.text import article_from_text

        yield article_from_text(text, origin=origin, url=url, raw=data, fetched=fetched)
    except RejectedInput as exc:
        yield Rejected(origin, exc.reason, exc.detail)
    except Exception as exc:  # a reader bug or a page no parser survives: report it, keep the batch going
        log.warning("cannot read %s", origin, exc_info=True)
        yield Rejected(origin, "unreadable", f"{type(exc).__name__}: {exc}")


def _charset_of(content_type: str | None) -> str | None:
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip()


def _looks_like_warc_gz(data: bytes) -> bool:
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 64)
    except zlib.error:
        return False
    return head.startswith(b"WARC/") or head.startswith(b"filedesc://")


def _gunzip(data: bytes, max_bytes: int) -> bytes | Rejected:
    """Decompress at most ``max_bytes + 1`` bytes (a gzip bomb stops there)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return Rejected("", "bad_gzip", str(exc))
    if len(out) > max_bytes:
        return Rejected("", "too_large", f"more than {max_bytes} bytes once decompressed")
    return out


def read_path(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | Rejected]:
    """Read a file or, recursively, a folder (sorted by relative path; hidden
    files and folders skipped). A file larger than ``max_bytes`` is rejected
    from its size alone, without being read; WARC files are streamed record
    by record whatever their size."""
    p = Path(path)
    if p.is_dir():
        files = sorted(
            (
                f
                for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ),
            key=lambda f: f.relative_to(p).as_posix(),
        )
        for f in files:
            yield from _read_file(f, max_bytes)
        return
    if not p.exists():
        yield Rejected(str(p), "unreadable", "no such file or folder")
        return
    yield from _read_file(p, max_bytes)


def _read_file(f: Path, max_bytes: int) -> Iterator[Article | Rejected]:
    origin = str(f)
    name = f.name.lower()
    try:
        size = f.stat().st_size
        if size == 0:
            yield Rejected(origin, "empty", "0 bytes")
            return
        with f.open("rb") as fh:
            head = fh.read(8192)
            if head[:2] == b"\x1f\x8b":
                if name.endswith((".warc.gz", ".arc.gz")) or _looks_like_warc_gz(head):
                    from newsrights.ingest.warc import read_warc_stream

                    fh.seek(0)
                    yield from read_warc_stream(fh, origin=origin, max_bytes=max_bytes)
                    return
            elif head.lstrip().startswith((b"WARC/", b"filedesc://")):
                from newsrights.ingest.warc import read_warc_stream

                fh.seek(0)
                yield from read_warc_stream(fh, origin=origin, max_bytes=max_bytes)
                return
            if size > max_bytes:
                yield Rejected(origin, "too_large", f"{size} bytes > limit {max_bytes}")
                return
            data = head + fh.read()
    except OSError as exc:
        yield Rejected(origin, "unreadable", str(exc))
        return
    yield from _read(
        data, origin=origin, name=name, url=None, content_type=None, fetched=None, max_bytes=max_bytes
    )
