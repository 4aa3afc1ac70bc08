"""WARC / WARC.gz (and legacy ARC) archives → one Article per HTML or text page.

The archive is read as a stream with warcio's ``ArchiveIterator`` (a file,
a socket or object storage read alike; nothing is loaded whole). Every
``response`` or ``resource`` record whose payload is HTML or plain text is
read with :func:`newsrights.ingest.read_bytes` rules: url from
``WARC-Target-URI``, fetched time from ``WARC-Date``, origin
``<file>#<record offset>``. Requests, metadata, revisits and non-text
payloads (images, scripts, styles) are not pages and are passed over.

A truncated or malformed archive yields every record that could be read,
then one ``Rejected`` with reason ``truncated_warc`` (the stream ended
inside a record) or ``bad_warc`` (a record header could not be parsed),
never an exception.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from newsrights.core.metadata import parse_datetime
from newsrights.core.model import Article, Rejected

log = logging.getLogger(__name__)

_PAGE_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")


def _payload_type(record) -> str:  # type: ignore[no-untyped-def]
    if record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def read_warc_stream(stream: BinaryIO, *, origin: str, max_bytes: int) -> Iterator[Article | Rejected]:
    """Pages of the WARC/ARC archive read from ``stream``; see the module docstring."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from newsrights.ingest import _read  # late: the package imports this module lazily

    class _Iterator(ArchiveIterator):  # type: ignore[misc]
        """Remembers whether the last gzip member ended properly (warcio ends quietly when it does not)."""

        gzip_member_complete: bool | None = None

        def close(self) -> None:
            if self.reader is not None and self.reader.decompressor is not None:
                self.gzip_member_complete = bool(getattr(self.reader.decompressor, "eof", True))
            super().close()

    it = _Iterator(stream, arc2warc=True)
    it.INC_RECORD = ""  # counted in err_count and reported as a Rejected, not printed to stderr
    offset: int = 0
    seen = 0
    try:
        for record in it:
            # warcio knows a record's offset only once it has been read to its end
            offset = -1
            page = _wanted(record)
            if page is None:
                if _drain_short(record):
                    offset = it.get_record_offset()
                    yield _truncated(origin, offset, seen)
                    return
                continue
            payload = record.content_stream().read(max_bytes + 1)
            short = _drain_short(record)
            offset = it.get_record_offset()
            rec_origin = f"{origin}#{offset}"
            if short:
                yield _truncated(origin, offset, seen)
                return
            seen += 1
            if len(payload) > max_bytes:
                yield Rejected(rec_origin, "too_large", f"payload larger than {max_bytes} bytes")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            fetched = parse_datetime(record.rec_headers.get_header("WARC-Date"))
            yield from _read(
                payload,
                origin=rec_origin,
                name=url or "",
                url=url,
                content_type=page or None,
                fetched=fetched,
                max_bytes=max_bytes,
            )
        if it.gzip_member_complete is False:
            yield _truncated(origin, _last_offset(it, offset), seen)
            return
        if it.err_count:
            yield Rejected(
                f"{origin}#{max(offset, 0)}",
                "truncated_warc",
                f"{it.err_count} record(s) shorter or longer than their Content-Length: truncated or damaged archive",
            )
    except (EOFError, zlib.error) as exc:
        offset = _last_offset(it, offset)
        yield Rejected(
            f"{origin}#{offset}",
            "truncated_warc",
            f"archive ends inside a record after {seen} page(s): {exc}",
        )
    except ArchiveLoadFailed as exc:
        offset = _last_offset(it, offset)
        reason = (
            "truncated_warc" if "truncat" in str(exc).lower() or "eof" in str(exc).lower() else "bad_warc"
        )
        yield Rejected(f"{origin}#{offset}", reason, f"after {seen} page(s): {exc}")
    except Exception as exc:  # warcio raises plain ValueError/KeyError/etc. on damaged headers
        yield Rejected(f"{origin}#{offset}", "bad_warc", f"after {seen} page(s): {type(exc).__name__}: {exc}")


def _last_offset(it, fallback: int) -> int:  # type: ignore[no-untyped-def]
    """Where the failing record starts, as far as the iterator knows."""
    try:
        return max(int(it.offset), 0)
    except (AttributeError, TypeError, ValueError):
        return max(fallback, 0)


def _wanted(record) -> str | None:  # type: ignore[no-untyped-def]
    """The payload content type when ``record`` is a page to read, else ``None``."""
    rtype = record.rec_type
    if rtype not in ("response", "resource"):
        return None
    target = record.rec_headers.get_header("WARC-Target-URI") or ""
    if rtype == "resource" and not target.startswith(("http://", "https://", "file:")):
        return None  # crawler logs and metadata resources are not pages
    if rtype == "response" and record.http_headers is None:
        return None
    if target.split("?")[0].endswith("/robots.txt"):
        return None
    ctype = _payload_type(record)
    if ctype and not ctype.startswith(_PAGE_TYPES):
        return None
    if record.http_headers is not None:
        status = str(record.http_headers.get_statuscode() or "")
        if status and not status.startswith("2"):
            return None
    return ctype


def _drain_short(record) -> bool:  # type: ignore[no-untyped-def]
    """Read the record to its end; True when the stream ended before its Content-Length."""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    return int(getattr(raw, "limit", 0) or 0) > 0


def _truncated(origin: str, offset: int, seen: int) -> Rejected:
    return Rejected(
        f"{origin}#{offset}",
        "truncated_warc",
        f"the archive ends inside the record at offset {offset} (after {seen} page(s)); "
        "the file was cut short: re-fetch or re-copy it",
    )
