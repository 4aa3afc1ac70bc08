"""``datapackage.json`` and ``datapackage-digest.json`` per WACZ 1.1.1.

``datapackage.json`` is a Frictionless Data package: ``resources`` lists every file of the
package (except the two manifests) with its ``path``, ``hash`` (``"sha256:<hex>"``) and size in
``bytes``. ``datapackage-digest.json`` holds the hash of the exact bytes of
``datapackage.json`` and, under ``signedData``, the ECDSA signature over that hash string
(UTF-8) with the signer's public key, as in the WACZ signing spec (anonymous key variant).
An RFC 3161 token over the same 32-byte digest may sit beside it (``timestamp``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

WACZ_VERSION = "1.1.1"
DATAPACKAGE = "datapackage.json"
DIGEST = "datapackage-digest.json"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resource_entry(path: str, data: bytes) -> dict[str, Any]:
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "hash": "sha256:" + sha256_hex(data),
        "bytes": len(data),
    }


def build_datapackage(
    files: Mapping[str, bytes],
    *,
    title: str,
    created: datetime,
    software: str,
    main_page_url: str | None = None,
    main_page_date: datetime | None = None,
    extra: Mapping[str, Any] | None = None,
) -> bytes:
    """The bytes of ``datapackage.json`` listing ``files`` (sorted by path)."""
    doc: dict[str, Any] = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "created": created.isoformat(),
        "software": software,
        "resources": [resource_entry(p, files[p]) for p in sorted(files)],
    }
    if main_page_url:
        doc["mainPageUrl"] = main_page_url
    if main_page_date:
        doc["mainPageDate"] = main_page_date.isoformat()
    if extra:
        doc.update(extra)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def build_digest(
    datapackage: bytes,
    *,
    signature_b64: str,
    public_key_b64: str,
    created: datetime,
    software: str,
    timestamp: Mapping[str, Any] | None = None,
) -> bytes:
    """The bytes of ``datapackage-digest.json`` for the given ``datapackage.json`` bytes."""
    h = "sha256:" + sha256_hex(datapackage)
    doc: dict[str, Any] = {
        "path": DATAPACKAGE,
        "hash": h,
        "signedData": {
            "hash": h,
            "created": created.isoformat(),
            "software": software,
            "signature": signature_b64,
            "publicKey": public_key_b64,
        },
    }
    if timestamp:
        doc["timestamp"] = dict(timestamp)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
