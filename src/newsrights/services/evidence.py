"""Evidence packages for findings: gather, write, sign, time-stamp, record.

:func:`build_evidence` reads, in one transaction, everything a package holds:

* the finding and the copy's page (url, title, raw bytes, content type, capture reference,
  time) from ``services.scan.get_finding``;
* the publisher's article as held (text, sha256, ingest time, ownership decision, the
  declaration version in force) from ``services.catalog``;
* the licence registry snapshot behind the verdict from ``services.licensing.load_snapshot``;

then writes the WACZ (:func:`newsrights.evidence.wacz.write_package`) outside the transaction,
signs it with the installation key (``<home>/keys``), optionally time-stamps it at an RFC 3161
authority, verifies the written file, and records the package and an audit row.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core.model import Article, Finding
from newsrights.errors import EvidenceError, InputError
from newsrights.evidence import compare, tsa
from newsrights.evidence.signing import load_or_create_key
from newsrights.evidence.verify import VerifyReport, verify_package
from newsrights.evidence.wacz import PackageContents, PackageResult, write_package
from newsrights.services import audit
from newsrights.settings import Settings
from newsrights.storage.db import transaction
from newsrights.storage.tables.cases import EvidencePackageRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EvidencePackage:
    id: int
    finding_id: int
    case_id: int | None
    path: str
    file_sha256: str
    datapackage_sha256: str
    public_key_sha256: str
    timestamped: bool
    tsa_url: str | None
    actor: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "finding_id": self.finding_id,
            "case_id": self.case_id,
            "path": self.path,
            "file": Path(self.path).name,
            "file_sha256": self.file_sha256,
            "datapackage_sha256": self.datapackage_sha256,
            "public_key_sha256": self.public_key_sha256,
            "timestamped": self.timestamped,
            "tsa_url": self.tsa_url,
            "actor": self.actor,
            "created_at": self.created_at.isoformat(),
        }


def _pkg(row: EvidencePackageRow) -> EvidencePackage:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return EvidencePackage(row.id, row.finding_id, row.case_id, row.path, row.file_sha256,
                           row.datapackage_sha256, row.public_key_sha256, row.timestamped, row.tsa_url,
                           row.actor, created)


def _get(obj: Any, *names: str) -> Any:
    for n in names:
        v = getattr(obj, n, None)
        if v is not None:
            return v
    return None


def finding_facts(session: Session, finding_id: int) -> tuple[Finding, Any]:
    """The finding and its record from the scan service (raises :class:`InputError` if unknown)."""
    from newsrights.services import scan

    rec = scan.get_finding(session, finding_id)
    if rec is None:
        raise InputError(f"no finding {finding_id} (see `newsrights findings list`)")
    finding = _get(rec, "finding")
    if finding is None:
        raise EvidenceError(f"finding {finding_id}: the scan service returned no finding")
    return finding, rec


def _page_text(raw: bytes | None, url: str, content_type: str | None) -> tuple[str, tuple[str, ...]]:
    """The copy's text in the coordinates of the finding's page spans, and its credit lines."""
    if not raw:
        return "", ()
    from newsrights.ingest import read_bytes

    for item in read_bytes(raw, origin=url or "page", url=url or None, content_type=content_type):
        if isinstance(item, Article):
            return item.text, item.credit_lines
    return "", ()


def _looks_like_ref(ref: str) -> bool:
    """``file#offset`` as the crawler writes it (other origins, e.g. a file path, are not captures)."""
    head, sep, tail = ref.rpartition("#")
    return bool(sep and head and tail.isdigit())


def _capture_bytes(captures_dir: Path, ref: str) -> tuple[bytes | None, dict[str, Any]]:
    """The capture's response record (and the metadata record describing it), byte for byte."""
    from warcio.archiveiterator import ArchiveIterator

    from newsrights.crawl.capture import CaptureRef

    info: dict[str, Any] = {}
    try:
        cref = CaptureRef.parse(ref)
        path = (captures_dir / cref.file).resolve()
        if captures_dir.resolve() not in path.parents or not path.is_file():
            return None, {"capture_missing": ref}
        data = path.read_bytes()
    except (InputError, OSError) as exc:
        return None, {"capture_unreadable": f"{ref}: {exc}"}
    out = io.BytesIO()
    it = ArchiveIterator(io.BytesIO(data[cref.offset:]))
    response_id = None
    for i, rec in enumerate(it):
        rec.content_stream().read()
        it.read_to_end(rec)
        start, length = it.get_record_offset(), it.get_record_length()
        rid = rec.rec_headers.get_header("WARC-Record-ID")
        if i == 0:
            if rec.rec_type != "response":
                return None, {"capture_unreadable": f"{ref} is a {rec.rec_type} record, not a response"}
            response_id = rid
        elif rec.rec_headers.get_header("WARC-Concurrent-To") != response_id:
            break
        out.write(data[cref.offset + start: cref.offset + start + length])
        if rec.rec_type == "metadata":
            ip = rec.rec_headers.get_header("WARC-IP-Address")
            if ip:
                info["resolved_ip"] = ip
        elif i == 0:
            ip = rec.rec_headers.get_header("WARC-IP-Address")
            if ip:
                info["resolved_ip"] = ip
        if i >= 3:
            break
    return out.getvalue() or None, info


def article_as_held(session: Session, article_id: str, at: datetime | None) -> Any:
    """The catalog version of the article that was current at ``at`` (the newest ingested no
    later than ``at``; the first version if all are later; the current one if ``at`` is None)."""
    from newsrights.services import catalog

    if at is None:
        return catalog.get_article_record(session, article_id)
    history = catalog.article_history(session, article_id)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    held = [r for r in history if (r.ingested_at if r.ingested_at.tzinfo else r.ingested_at.replace(tzinfo=UTC)) <= at]
    return held[-1] if held else history[0]


def gather(session: Session, finding_id: int, settings: Settings) -> PackageContents:
    """Everything the package for ``finding_id`` holds (read-only)."""
    from newsrights.core.declaration import publisher_declaration
    from newsrights.services import catalog

    finding, rec = finding_facts(session, finding_id)
    page_url = _get(rec, "page_url", "url") or finding.page_url
    page_title = _get(rec, "page_title", "title") or finding.page_title
    raw = _get(rec, "raw", "raw_bytes", "page_raw", "content")
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    ctype = _get(rec, "content_type", "page_content_type")
    capture_ref = _get(rec, "capture", "capture_ref") or finding.capture
    fetched = _get(rec, "fetched", "fetched_at", "found_at", "time") or finding.found_at
    if isinstance(fetched, datetime) and fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)

    art = article_as_held(session, finding.article_id, fetched if isinstance(fetched, datetime) else None)
    article = art.article
    decl = None
    if article.site:
        try:
            decl = catalog.declaration_in_force(session, article.site, article.published or art.ingested_at)
        except Exception as exc:  # noqa: BLE001 - recorded, the package is still built
            log.warning("declaration lookup failed for %s: %s", article.site, exc)
    decl = decl or publisher_declaration()
    article_doc = {
        "id": art.id,
        "uri": art.uri,
        "title": article.title,
        "url": article.url,
        "site": article.site,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source,
        "dateline": article.dateline,
        "byline": article.byline,
        "text": article.text,
        "sha256": art.sha256,
        "raw_sha256": art.raw_sha256,
        "version": art.version,
        "ingested_at": art.ingested_at.isoformat(),
        "first_ingested_at": art.first_ingested_at.isoformat() if art.first_ingested_at else None,
        "ownership": art.ownership.to_json(),
        "declaration_version": art.declaration_version or decl.version,
        "declaration_in_force": decl.to_json(),
        "declaration_text": decl.text,
    }
    snapshot: dict[str, Any] | None = None
    if finding.registry_snapshot:
        try:
            from newsrights.services.licensing import load_snapshot

            snapshot = {"id": finding.registry_snapshot,
                        "registry": load_snapshot(session, finding.registry_snapshot).to_json()}
        except Exception as exc:  # noqa: BLE001 - recorded in the package
            snapshot = {"id": finding.registry_snapshot, "error": f"snapshot could not be loaded: {exc}"}

    reread_text, credit_lines = _page_text(raw, page_url, ctype)
    stored_text = _get(rec, "page_text")
    page_text = stored_text if isinstance(stored_text, str) and stored_text else reread_text
    capture_record, cap_info = (None, {})
    if capture_ref and _looks_like_ref(str(capture_ref)):
        capture_record, cap_info = _capture_bytes(settings.captures_dir, str(capture_ref))
    missing = compare.missing_marks(page_text, credit_lines, credit_line=decl.credit_line,
                                    dateline=article.dateline, byline=article.byline)
    comparison = compare.Comparison(
        article_uri=art.uri, article_title=article.title, article_text=article.text,
        page_url=page_url, page_title=page_title, page_text=page_text,
        spans=tuple(finding.spans), label=finding.label, article_coverage=finding.article_coverage,
        page_coverage=finding.page_coverage, verdict=finding.verdict,
        verdict_reasons=tuple(finding.verdict_reasons), missing=missing, params=finding.params,
    )
    capture_log = {
        "finding_id": finding_id,
        "page_url": page_url,
        "page_fetched": fetched.isoformat() if isinstance(fetched, datetime) else None,
        "page_raw_sha256": hashlib.sha256(raw).hexdigest() if raw else None,
        "capture_ref": str(capture_ref) if capture_ref else None,
        "resolved_ip": cap_info.get("resolved_ip"),
        "resolved_ip_note": None if cap_info.get("resolved_ip") else "not known: the capture did not record it",
        **{k: v for k, v in cap_info.items() if k != "resolved_ip"},
    }
    if not page_text and raw:
        capture_log["notes"] = ["the copy's text could not be re-extracted; the comparison shows spans only"]
    return PackageContents(
        finding_id=str(finding_id), finding=finding.to_json(), page_url=page_url, page_title=page_title,
        page_raw=raw, page_content_type=ctype, page_fetched=fetched if isinstance(fetched, datetime) else None,
        article=article_doc, article_text=article.text, comparison=comparison, registry_snapshot=snapshot,
        capture_record=capture_record, capture_ref=str(capture_ref) if capture_ref else None,
        capture_log=capture_log,
    )


def build_evidence(
    factory: sessionmaker[Session],
    finding_id: int,
    *,
    actor: str,
    settings: Settings | None = None,
    tsa_url: str | None = None,
    case_id: int | None = None,
    out_dir: Path | None = None,
) -> tuple[EvidencePackage, VerifyReport]:
    """Build, sign (and time-stamp) the package of ``finding_id``; verify it; record it."""
    settings = settings or Settings.from_env()
    with transaction(factory) as session:
        contents = gather(session, finding_id, settings)
    created = datetime.now(UTC)
    contents = replace(contents, created=created)
    key = load_or_create_key(settings.keys_dir)
    out = Path(out_dir or settings.evidence_dir)
    path = out / f"finding-{finding_id}-{created.strftime('%Y%m%dT%H%M%S%fZ')}.wacz"
    stamper = (lambda d: tsa.request_timestamp(tsa_url, d)) if tsa_url else None
    res: PackageResult = write_package(path, contents, key, timestamper=stamper, tsa_url=tsa_url)
    report = verify_package(res.path, trusted_key_sha256=key.fingerprint, require_timestamp=bool(tsa_url))
    if not report.ok:
        raise EvidenceError(f"the package just written does not verify: {', '.join(report.failed_parts)}")
    with transaction(factory) as session:
        row = EvidencePackageRow(
            finding_id=finding_id, case_id=case_id, path=str(res.path), file_sha256=res.sha256,
            datapackage_sha256=res.datapackage_sha256, public_key_sha256=res.public_key_sha256,
            timestamped=res.timestamped, tsa_url=tsa_url, actor=actor, created_at=created,
        )
        session.add(row)
        session.flush()
        pkg = _pkg(row)
        audit.record(session, actor=actor, action="build", entity="evidence_package", entity_id=row.id,
                     before=None, after=pkg.to_json())
    return pkg, report


def list_packages(session: Session, *, finding_id: int | None = None, case_id: int | None = None) -> list[EvidencePackage]:
    q = select(EvidencePackageRow).order_by(EvidencePackageRow.id)
    if finding_id is not None:
        q = q.where(EvidencePackageRow.finding_id == finding_id)
    if case_id is not None:
        q = q.where(EvidencePackageRow.case_id == case_id)
    return [_pkg(r) for r in session.scalars(q)]


def get_package(session: Session, package_id: int) -> EvidencePackage:
    """One recorded evidence package by id (``InputError`` when there is none)."""
    row = session.get(EvidencePackageRow, package_id)
    if row is None:
        raise InputError(f"no evidence package {package_id}")
    return _pkg(row)


__all__ = ["EvidencePackage", "build_evidence", "finding_facts", "gather", "get_package", "list_packages"]
