"""Offline verification of an evidence package, naming exactly what fails.

Checks, each reported as a :class:`Check` with a ``part`` name:

* ``zip`` — the file is a readable zip;
* ``manifest`` — ``datapackage.json`` is present, parses, and its sha256 equals the hash
  recorded in ``datapackage-digest.json``;
* ``digest`` — ``datapackage-digest.json`` is present and parses;
* ``signature`` — the ECDSA P-256 signature in ``signedData`` verifies over the recorded hash
  with the embedded public key (and ``signedData.hash`` equals the recorded hash);
* ``signer_key`` — (when a trusted fingerprint is given) the embedded key is that key;
* ``file:<path>`` — each listed file is present (``missing``) with the listed size and sha256;
* ``unlisted:<path>`` — a file in the zip that the manifest does not list;
* ``structure`` — the WACZ essentials exist (``archive/*.warc.gz``, ``pages/pages.jsonl``);
* ``timestamp`` — (when present or required) the RFC 3161 token is over the manifest's hash
  and its signature verifies (against trusted TSA certificates when given).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsrights.errors import EvidenceError
from newsrights.evidence import manifest, tsa
from newsrights.evidence.signing import key_fingerprint, verify_signature


@dataclass(frozen=True, slots=True)
class Check:
    part: str
    ok: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"part": self.part, "ok": self.ok, "detail": self.detail}


@dataclass
class VerifyReport:
    path: str
    checks: list[Check] = field(default_factory=list)
    timestamp: tsa.TimestampInfo | None = None
    public_key_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def failed_parts(self) -> list[str]:
        return [c.part for c in self.failures]

    def add(self, part: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(part, ok, detail))

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "failed": self.failed_parts,
            "checks": [c.to_json() for c in self.checks],
            "timestamp": self.timestamp.to_json() if self.timestamp else None,
            "public_key_sha256": self.public_key_sha256,
        }


def _load_json(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


def verify_package(
    path: str | Path,
    *,
    trusted_key_sha256: str | None = None,
    trusted_tsa_certs: list[bytes] | None = None,
    require_timestamp: bool = False,
) -> VerifyReport:
    """Verify the package at ``path`` without any network access."""
    report = VerifyReport(path=str(path))
    try:
        zf = zipfile.ZipFile(path)
        names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        report.add("zip", False, f"not a readable zip: {exc}")
        return report
    report.add("zip", True)
    with zf:
        dp_bytes, dp_err = _read(zf, manifest.DATAPACKAGE) if manifest.DATAPACKAGE in names else (None, "")
        dg_bytes, dg_err = _read(zf, manifest.DIGEST) if manifest.DIGEST in names else (None, "")
        dp: Any = None
        dg: Any = None
        if dp_err:
            report.add("manifest", False, f"datapackage.json is unreadable in the archive: {dp_err}")
        if dg_err:
            report.add("digest", False, f"datapackage-digest.json is unreadable in the archive: {dg_err}")
        if dp_bytes is None:
            if not dp_err:
                report.add("manifest", False, "datapackage.json is missing")
        else:
            try:
                dp = _load_json(dp_bytes)
            except ValueError as exc:
                report.add("manifest", False, f"datapackage.json does not parse: {exc}")
        if dg_bytes is None:
            if not dg_err:
                report.add("digest", False, "datapackage-digest.json is missing")
        else:
            try:
                dg = _load_json(dg_bytes)
                report.add("digest", True)
            except ValueError as exc:
                report.add("digest", False, f"datapackage-digest.json does not parse: {exc}")
        recorded = dg.get("hash") if isinstance(dg, dict) else None
        if dp_bytes is not None and dp is not None:
            actual = "sha256:" + hashlib.sha256(dp_bytes).hexdigest()
            if recorded is None:
                report.add("manifest", False, "no recorded hash to check datapackage.json against")
            elif recorded != actual:
                report.add("manifest", False,
                           f"datapackage.json hash {actual} differs from the signed digest {recorded}")
            else:
                report.add("manifest", True)
        _check_signature(report, dg, recorded, trusted_key_sha256)
        if isinstance(dp, dict):
            _check_files(report, zf, names, dp)
        _check_timestamp(report, dg, dp_bytes, trusted_tsa_certs, require_timestamp)
    return report


def _check_signature(report: VerifyReport, dg: Any, recorded: str | None, trusted: str | None) -> None:
    if not isinstance(dg, dict):
        report.add("signature", False, "no digest file, so no signature")
        return
    sd = dg.get("signedData") or {}
    try:
        sig = base64.b64decode(sd["signature"], validate=True)
        pub = base64.b64decode(sd["publicKey"], validate=True)
    except (KeyError, TypeError, binascii.Error) as exc:
        report.add("signature", False, f"signedData lacks a readable signature or public key: {exc}")
        return
    signed_hash = sd.get("hash")
    if signed_hash != recorded:
        report.add("signature", False, "signedData.hash differs from the recorded datapackage.json hash")
    elif not verify_signature(pub, str(signed_hash).encode("utf-8"), sig):
        report.add("signature", False, "the ECDSA signature over the datapackage.json hash does not verify")
    else:
        report.add("signature", True)
    fp = key_fingerprint(pub)
    report.public_key_sha256 = fp
    if trusted is not None:
        report.add("signer_key", fp == trusted.lower(),
                   "" if fp == trusted.lower() else f"signed by key {fp}, not the trusted key {trusted}")


def _read(zf: zipfile.ZipFile, name: str) -> tuple[bytes | None, str]:
    """A member's bytes, or None and why (a damaged member: bad CRC, truncated or corrupt
    deflate stream, bad local header) — a verification failure to report, not a crash."""
    try:
        return zf.read(name), ""
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _check_files(report: VerifyReport, zf: zipfile.ZipFile, names: set[str], dp: dict[str, Any]) -> None:
    listed: set[str] = set()
    for res in dp.get("resources") or []:
        p = str(res.get("path", ""))
        listed.add(p)
        part = f"file:{p}"
        if p not in names:
            report.add(part, False, "missing from the package")
            continue
        data, err = _read(zf, p)
        if data is None:
            report.add(part, False, f"unreadable in the archive: {err}")
            continue
        want = str(res.get("hash", ""))
        got = "sha256:" + hashlib.sha256(data).hexdigest()
        if got != want:
            report.add(part, False, f"sha256 {got} differs from the manifest's {want}")
        elif res.get("bytes") is not None and int(res["bytes"]) != len(data):
            report.add(part, False, f"size {len(data)} differs from the manifest's {res['bytes']}")
        else:
            report.add(part, True)
    for extra in sorted(names - listed - {manifest.DATAPACKAGE, manifest.DIGEST}):
        if not extra.endswith("/"):
            report.add(f"unlisted:{extra}", False, "in the zip but not in datapackage.json")
    has_warc = any(p.startswith("archive/") and p.endswith((".warc.gz", ".warc")) for p in listed)
    has_pages = "pages/pages.jsonl" in listed
    report.add("structure", has_warc and has_pages,
               "" if has_warc and has_pages else "a WACZ needs archive/*.warc.gz and pages/pages.jsonl")


def _check_timestamp(report: VerifyReport, dg: Any, dp_bytes: bytes | None,
                     trusted: list[bytes] | None, required: bool) -> None:
    ts = dg.get("timestamp") if isinstance(dg, dict) else None
    if not ts:
        if required:
            report.add("timestamp", False, "no RFC 3161 timestamp in the package")
        return
    if dp_bytes is None:
        report.add("timestamp", False, "no datapackage.json to check the timestamp against")
        return
    try:
        token = base64.b64decode(ts["token"], validate=True)
        report.timestamp = tsa.verify_token(token, hashlib.sha256(dp_bytes).digest(), trusted=trusted)
    except (KeyError, TypeError, binascii.Error) as exc:
        report.add("timestamp", False, f"unreadable timestamp token: {exc}")
    except EvidenceError as exc:
        report.add("timestamp", False, str(exc))
    else:
        report.add("timestamp", True, f"time-stamped {report.timestamp.gen_time.isoformat()} by {report.timestamp.signer}")
