"""WARC captures: every fetched page kept byte for byte, addressable as ``file#offset``.

Layout: rotating gzip WARC 1.1 files ``<prefix>-<UTC time>-<pid>-<seq>.warc.gz``
under the captures folder. Each file starts with a ``warcinfo`` record (software,
version, format, time). Each page is one record set: ``request``, ``response``
(payload digest ``WARC-Payload-Digest`` in sha1 as warcio computes it, plus our
``WARC-Payload-SHA256``) and a ``metadata`` record (``WARC-Concurrent-To`` the
response) with the software, its version, the fetch time, redirect chain,
remote address, attempts.

Crash safety: every record is its own gzip member; a record set is built in
memory, then appended to the file with ``os.write`` and ``fsync``-ed before the
caller records its offset anywhere. A kill mid-append can leave a partial gzip
member at the tail, never in the middle; :func:`repair` truncates such a tail
(it keeps every complete record), and :class:`CaptureWriter` repairs the
folder's unlocked files when it starts. A writer holds an ``flock`` on its
current file so a concurrent writer never repairs a file that is being written.

The body stored is the decoded body httpx handed over: ``Content-Encoding`` and
``Transfer-Encoding`` are dropped from the stored headers (kept as
``X-Newsrights-Orig-*``) and ``Content-Length`` is set to the stored length, so
any WARC reader replays exactly the bytes that were scanned.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsrights import __version__
from newsrights.errors import InputError

SOFTWARE = f"newsrights/{__version__}"
_DROP = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True, slots=True)
class CaptureRef:
    """Where a response record starts: a WARC file name (relative to the captures folder) and byte offset."""

    file: str
    offset: int

    def __str__(self) -> str:
        return f"{self.file}#{self.offset}"

    @classmethod
    def parse(cls, text: str) -> CaptureRef:
        file, sep, offset = text.rpartition("#")
        if not sep or not offset.isdigit():
            raise InputError(f"not a capture reference (file#offset): {text!r}")
        return cls(file, int(offset))


@dataclass(frozen=True, slots=True)
class Capture:
    """One response read back from a WARC: the exact bytes behind a finding."""

    ref: CaptureRef
    url: str
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes
    payload_digest: str | None
    date: str | None

    @property
    def content_type(self) -> str | None:
        for k, v in self.headers:
            if k.lower() == "content-type":
                return v
        return None


@dataclass(frozen=True, slots=True)
class Written:
    ref: CaptureRef
    payload_digest: str
    payload_sha256: str


def _fsync_append(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
    os.fsync(fd)


def repair(path: Path) -> int:
    """Truncate a partial record at the tail of a gzip WARC; return how many bytes were cut.

    Walks the records; the end of the last complete one is the length to keep.
    A file whose first record is already broken is truncated to zero length.
    """
    good = 0
    size = path.stat().st_size
    with path.open("rb") as fh:
        try:
            it = ArchiveIterator(fh, no_record_parse=False)
            for record in it:
                record.content_stream().read()
                it.read_to_end(record)
                good = it.get_record_offset() + it.get_record_length()
        except Exception:  # noqa: BLE001 - any parse error means "the tail is broken"
            pass
    if good < size:
        with path.open("r+b") as fh:
            fh.truncate(good)
            fh.flush()
            os.fsync(fh.fileno())
        return size - good
    return 0


def verify(path: Path) -> int:
    """Read every record of a WARC to the end; return the record count (raises if unreadable)."""
    n = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            record.content_stream().read()
            n += 1
    return n


def read_capture(captures_dir: Path, ref: CaptureRef | str) -> Capture:
    """The response record at ``ref`` (see :class:`CaptureRef`)."""
    ref = CaptureRef.parse(ref) if isinstance(ref, str) else ref
    path = (Path(captures_dir) / ref.file).resolve()
    if Path(captures_dir).resolve() not in path.parents:
        raise InputError(f"capture {ref} is outside the captures folder")
    with path.open("rb") as fh:
        fh.seek(ref.offset)
        record = next(iter(ArchiveIterator(fh)))
        body = record.content_stream().read()
        http = record.http_headers
        return Capture(
            ref=ref,
            url=record.rec_headers.get_header("WARC-Target-URI") or "",
            status=int(http.get_statuscode()) if http and http.get_statuscode() else None,
            headers=list(http.headers) if http else [],
            body=body,
            payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
            date=record.rec_headers.get_header("WARC-Date"),
        )


class CaptureWriter:
    """Appends record sets to rotating WARC files in ``directory`` (thread-safe)."""

    def __init__(self, directory: str | Path, *, prefix: str = "newsrights", max_bytes: int = 512 * 1024 * 1024) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._name: str | None = None
        self._size = 0
        self._seq = 0
        self._stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.repaired: dict[str, int] = self.repair_folder()

    def repair_folder(self) -> dict[str, int]:
        """Repair every WARC of the folder that no live writer holds; ``{file: bytes cut}``."""
        cut: dict[str, int] = {}
        for path in sorted(self.dir.glob("*.warc.gz")):
            with path.open("rb") as fh:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # another writer is appending to it
                try:
                    n = repair(path)
                finally:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            if n:
                cut[path.name] = n
        return cut

    # -- writing ------------------------------------------------------------------------
    def _open_next(self) -> None:
        self._close_current()
        self._seq += 1
        name = f"{self.prefix}-{self._stamp}-{os.getpid()}-{self._seq:05d}.warc.gz"
        fd = os.open(self.dir / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._fd, self._name, self._size = fd, name, os.fstat(fd).st_size
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True, warc_version="WARC/1.1")
        info = {
            "software": SOFTWARE,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": self.prefix,
            "created": datetime.now(UTC).isoformat(),
        }
        writer.write_record(writer.create_warcinfo_record(name, info))
        data = buf.getvalue()
        _fsync_append(fd, data)
        self._size += len(data)

    def _close_current(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        with self._lock:
            self._close_current()

    def __enter__(self) -> CaptureWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(
        self,
        url: str,
        *,
        status: int,
        reason: str = "OK",
        http_version: str = "HTTP/1.1",
        headers: list[tuple[str, str]],
        body: bytes,
        request_headers: list[tuple[str, str]] = (),  # type: ignore[assignment]
        fetched: datetime | None = None,
        ip: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> Written:
        """Append request + response + metadata for one page; return where the response starts."""
        fetched = fetched or datetime.now(UTC)
        warc_date = fetched.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        parts = urlsplit(url)
        buf = io.BytesIO()
        w = WARCWriter(buf, gzip=True, warc_version="WARC/1.1")

        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        req_headers = [(k, v) for k, v in request_headers if k.lower() != "host"]
        req_http = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", parts.netloc), *req_headers], is_http_request=True)
        req = w.create_warc_record(url, "request", http_headers=req_http, warc_headers_dict={"WARC-Date": warc_date})

        kept = [(k, v) for k, v in headers if k.lower() not in _DROP]
        orig = [(f"X-Newsrights-Orig-{k}", v) for k, v in headers if k.lower() in _DROP]
        resp_http = StatusAndHeaders(
            f"{status} {reason or 'OK'}", [*kept, *orig, ("Content-Length", str(len(body)))], protocol=http_version
        )
        sha256 = hashlib.sha256(body).hexdigest()
        resp_hdrs = {"WARC-Date": warc_date, "WARC-Payload-SHA256": f"sha256:{sha256}"}
        if ip:
            resp_hdrs["WARC-IP-Address"] = ip
        resp = w.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=resp_http,
            warc_headers_dict=resp_hdrs,
        )
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        fields = {"software": SOFTWARE, "fetch-time": fetched.astimezone(UTC).isoformat(), **(extra or {})}
        meta_body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        meta = w.create_warc_record(
            url, "metadata", payload=io.BytesIO(meta_body), length=len(meta_body),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Date": warc_date,
                "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        w.write_record(req)
        resp_at = buf.tell()
        w.write_record(resp)
        w.write_record(meta)
        data = buf.getvalue()
        digest = resp.rec_headers.get_header("WARC-Payload-Digest") or ""
        with self._lock:
            if self._fd is None or self._size >= self.max_bytes:
                self._open_next()
            assert self._fd is not None and self._name is not None
            offset = self._size + resp_at
            _fsync_append(self._fd, data)
            self._size += len(data)
            return Written(CaptureRef(self._name, offset), digest, sha256)
