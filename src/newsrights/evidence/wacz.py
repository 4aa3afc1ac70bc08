"""The evidence package writer: one WACZ 1.1.1 zip per finding.

Layout::

    archive/data.warc.gz         warcinfo + the capture of the copy (response record)
    indexes/index.cdx            CDXJ index of the WARC records
    pages/pages.jsonl            the copy's page entry (json-pages-1.0)
    evidence/finding.json        the finding (spans, coverages, verdict and reasons, params)
    evidence/article.json        the publisher's article as held: text, sha256, ingest time,
                                 ownership decision, the declaration version in force
    evidence/article.txt         the article text
    evidence/registry_snapshot.json   the licence registry snapshot behind the verdict
    evidence/comparison.html     side-by-side, reused passages highlighted, missing marks
    evidence/comparison.pdf      the same as PDF (when a CJK font is installed)
    evidence/capture_log.json    software and version, time source, resolved IP, notes
    datapackage.json             every file above with sha256 and size
    datapackage-digest.json      hash of datapackage.json, ECDSA signature, public key,
                                 optional RFC 3161 token over the same hash

The WARC capture is copied byte for byte when the crawler kept one (``capture_record``);
otherwise a ``response`` record is written from the stored raw bytes, URL and fetch time, and
the record says (``WARC-Payload-Note``) and the capture log says that the HTTP headers were
reconstructed, not captured.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsrights.errors import ConfigError
from newsrights.evidence import compare, manifest
from newsrights.evidence.signing import SigningKey

log = logging.getLogger(__name__)

WARC_PATH = "archive/data.warc.gz"
SOFTWARE = "newsrights"

#: A timestamper takes the 32-byte digest of datapackage.json and returns a DER RFC 3161 token.
Timestamper = Callable[[bytes], bytes]


def software_version() -> str:
    try:
        from importlib.metadata import version

        return f"{SOFTWARE} {version('newsrights')}"
    except Exception:  # pragma: no cover - not installed
        return f"{SOFTWARE} (unknown version)"


@dataclass(frozen=True, slots=True)
class PackageContents:
    """Everything that goes into one package (gathered by ``services.evidence``)."""

    finding_id: str
    finding: dict[str, Any]
    page_url: str
    page_title: str | None
    page_raw: bytes | None
    page_content_type: str | None
    page_fetched: datetime | None
    article: dict[str, Any]
    article_text: str
    comparison: compare.Comparison
    registry_snapshot: dict[str, Any] | None = None
    capture_record: bytes | None = None
    capture_ref: str | None = None
    capture_log: dict[str, Any] = field(default_factory=dict)
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class PackageResult:
    path: Path
    sha256: str
    datapackage_sha256: str
    public_key_sha256: str
    timestamped: bool
    files: tuple[str, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "datapackage_sha256": self.datapackage_sha256,
            "public_key_sha256": self.public_key_sha256,
            "timestamped": self.timestamped,
            "files": list(self.files),
            "notes": list(self.notes),
        }


def _warc_date(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_warc(c: PackageContents, created: datetime) -> tuple[bytes, list[str]]:
    """The gzipped WARC: warcinfo, then the copied capture or a reconstructed response."""
    notes: list[str] = []
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    info = writer.create_warcinfo_record(
        "data.warc.gz",
        {"software": software_version(), "format": "WARC File Format 1.1",
         "description": f"newsrights evidence for finding {c.finding_id}"},
    )
    writer.write_record(info)
    if c.capture_record:
        rec = c.capture_record
        if rec[:2] != b"\x1f\x8b":
            rec = gzip.compress(rec)
        buf.write(rec)
        notes.append(f"capture copied from {c.capture_ref or 'the crawler capture'}")
    elif c.page_raw is not None:
        fetched = c.page_fetched or created
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", c.page_content_type or "application/octet-stream"),
             ("Content-Length", str(len(c.page_raw)))],
            protocol="HTTP/1.1",
        )
        rec = writer.create_warc_record(
            c.page_url,
            "response",
            payload=io.BytesIO(c.page_raw),
            http_headers=http,
            warc_headers_dict={
                "WARC-Date": _warc_date(fetched),
                "WARC-Payload-Note": "HTTP headers reconstructed by newsrights from the stored page bytes",
            },
        )
        writer.write_record(rec)
        notes.append("response record written from the stored raw bytes; HTTP headers reconstructed")
    else:
        notes.append("no raw bytes of the copy were kept; the WARC holds only warcinfo")
    return buf.getvalue(), notes


def _surt(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    rev = ",".join(reversed(host.split("."))) if host else ""
    path = parts.path or "/"
    return f"{rev}){path.lower()}" + (f"?{parts.query}" if parts.query else "")


def build_cdxj(warc: bytes) -> bytes:
    """CDXJ lines (``surt timestamp {json}``) for the response/resource records of ``warc``."""
    lines: list[str] = []
    it = ArchiveIterator(io.BytesIO(warc))
    for rec in it:
        if rec.rec_type not in ("response", "resource"):
            continue
        url = rec.rec_headers.get_header("WARC-Target-URI") or ""
        date = rec.rec_headers.get_header("WARC-Date") or ""
        payload = rec.content_stream().read()
        ts = "".join(ch for ch in date if ch.isdigit())[:14]
        status = rec.http_headers.get_statuscode() if rec.http_headers else None
        mime = (rec.http_headers.get_header("Content-Type") if rec.http_headers else
                rec.rec_headers.get_header("Content-Type")) or ""
        entry = {
            "url": url,
            "mime": mime.split(";")[0].strip(),
            "status": status or "200",
            "digest": "sha256:" + hashlib.sha256(payload).hexdigest(),
            "offset": it.get_record_offset(),
            "length": it.get_record_length(),
            "filename": "data.warc.gz",
        }
        lines.append(f"{_surt(url)} {ts} {json.dumps(entry, ensure_ascii=False)}")
    return ("\n".join(sorted(lines)) + ("\n" if lines else "")).encode("utf-8")


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode("utf-8")


def assemble_files(c: PackageContents, created: datetime) -> tuple[dict[str, bytes], list[str]]:
    """Every file of the package except the two manifests."""
    warc, notes = build_warc(c, created)
    files: dict[str, bytes] = {WARC_PATH: warc, "indexes/index.cdx": build_cdxj(warc)}
    page = {"id": str(c.finding_id), "url": c.page_url, "title": c.page_title or ""}
    if c.page_fetched:
        page["ts"] = c.page_fetched.astimezone(UTC).isoformat()
    files["pages/pages.jsonl"] = (
        json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}) + "\n"
        + json.dumps(page, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    files["evidence/finding.json"] = _json({"finding_id": c.finding_id, **c.finding})
    files["evidence/article.json"] = _json(c.article)
    files["evidence/article.txt"] = c.article_text.encode("utf-8")
    files["evidence/registry_snapshot.json"] = _json(
        c.registry_snapshot if c.registry_snapshot is not None
        else {"snapshot": None, "note": "no licence registry snapshot was recorded with the verdict"}
    )
    files["evidence/comparison.html"] = compare.render_html(c.comparison).encode("utf-8")
    try:
        files["evidence/comparison.pdf"] = compare.render_pdf(c.comparison, created=created)
    except ConfigError as exc:
        log.warning("evidence: %s", exc)
        notes.append(f"comparison.pdf not written: {exc}")
    capture_log = {
        "software": software_version(),
        "created": created.isoformat(),
        "time_source": "system clock (UTC) of the building host",
        **c.capture_log,
        "notes": list(c.capture_log.get("notes", [])) + notes,
    }
    files["evidence/capture_log.json"] = _json(capture_log)
    return files, notes


def write_package(
    path: Path,
    c: PackageContents,
    key: SigningKey,
    *,
    timestamper: Timestamper | None = None,
    tsa_url: str | None = None,
) -> PackageResult:
    """Write the WACZ at ``path``: files, manifest, signed digest, optional RFC 3161 token."""
    created = (c.created or datetime.now(UTC)).astimezone(UTC)
    files, notes = assemble_files(c, created)
    dp = manifest.build_datapackage(
        files,
        title=f"newsrights evidence: finding {c.finding_id} — {c.page_url}",
        created=created,
        software=software_version(),
        main_page_url=c.page_url,
        main_page_date=c.page_fetched,
    )
    digest = hashlib.sha256(dp).digest()
    hash_str = "sha256:" + digest.hex()
    signature = key.sign(hash_str.encode("utf-8"))
    ts: dict[str, Any] | None = None
    if timestamper is not None:
        token = timestamper(digest)
        ts = {"standard": "RFC 3161", "authority": tsa_url, "imprint": hash_str,
              "token": base64.b64encode(token).decode("ascii")}
    dg = manifest.build_digest(
        dp,
        signature_b64=base64.b64encode(signature).decode("ascii"),
        public_key_b64=key.public_b64,
        created=created,
        software=software_version(),
        timestamp=ts,
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = created.timetuple()[:6]
    tmp = path.with_suffix(path.suffix + ".part")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(files) + [manifest.DATAPACKAGE, manifest.DIGEST]:
            data = files.get(name) or (dp if name == manifest.DATAPACKAGE else dg)
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".gz") else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    tmp.replace(path)
    return PackageResult(
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        datapackage_sha256=digest.hex(),
        public_key_sha256=key.fingerprint,
        timestamped=ts is not None,
        files=tuple(sorted(files)),
        notes=tuple(notes),
    )
