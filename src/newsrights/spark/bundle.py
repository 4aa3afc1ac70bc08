"""The catalog bundle: what the Spark job needs from the database, as files.

``newsrights spark export-catalog --db URL OUT`` writes:

* ``articles.parquet`` — one row per current article version in the scanner's
  index order (``doc`` column): id, uri, version, sha256, text, the Article and
  its Ownership as lossless JSON;
* ``params.json`` — the frozen :class:`MatchParams` (its ``name`` labels findings);
* ``df_sketch.npy`` — the count-min sketch of shingle document frequencies that
  keeps formulaic text (套话) from making matches, exactly as the scanner holds it;
* ``registry.json`` — the licence registry's history (every policy version, the
  parties, the publisher, the conflict rule, the publisher's declaration versions),
  from which :func:`registry_at` rebuilds the registry in force at any moment
  exactly as :func:`newsrights.services.licensing.registry_on` does;
* ``manifest.json`` — sha256 of each file, so a job can say which bundle it ran on.

The bundle is read-only input: the job never writes to the database. Its
findings come back with ``newsrights findings import``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from newsrights.core.matching.params import MatchParams
from newsrights.core.odrl import Party, PolicyVersion, Registry, declaration_policy
from newsrights.core.timeline import as_utc, china_date, in_force
from newsrights.spark.rows import article_to_json, ownership_to_json

FILES = ("articles.parquet", "params.json", "df_sketch.npy", "registry.json")


def export_bundle(factory: Any, out: Path, params: MatchParams | None = None) -> dict[str, Any]:
    """Write the bundle for ``params`` (default params) into ``out``; returns the manifest."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy import select

    from newsrights.services.catalog import get_article_record
    from newsrights.services.licensing import list_parties, policy_version_from_row, publisher, setting
    from newsrights.services.scan import Scanner
    from newsrights.storage.tables.catalog import DeclarationRow
    from newsrights.storage.tables.licensing import PolicyVersionRow

    out.mkdir(parents=True, exist_ok=True)
    scanner = Scanner.open(factory, params)
    det = scanner.detector
    order = [aid for aid in det._ids if aid in det]  # the index's doc order breaks score ties
    rows: dict[str, list[Any]] = {k: [] for k in
                                  ("doc", "article_id", "uri", "version", "sha256", "text", "article", "ownership")}
    with factory() as s:
        for doc, aid in enumerate(order):
            rec = get_article_record(s, aid)
            rows["doc"].append(doc)
            rows["article_id"].append(aid)
            rows["uri"].append(det._uris[det._doc[aid]])
            rows["version"].append(rec.version)
            rows["sha256"].append(rec.sha256)
            rows["text"].append(rec.article.text)
            rows["article"].append(article_to_json(rec.article))
            rows["ownership"].append(ownership_to_json(rec.ownership))
        pub = publisher(s)
        versions = [policy_version_from_row(r) for r in s.scalars(
            select(PolicyVersionRow).order_by(PolicyVersionRow.uid, PolicyVersionRow.version))]
        decls = [
            {"id": r.id, "site": r.site_id, "effective": r.effective.isoformat() if r.effective else None,
             "version": r.version, "text": r.text}
            for r in s.scalars(select(DeclarationRow).where(DeclarationRow.site_id == pub.name))
        ]
        history = {
            "publisher": pub.to_json(),
            "parties": [p.to_json() for p in list_parties(s)],
            "conflict": setting(s, "conflict", "prohibit") or "prohibit",
            "versions": [v.to_json() for v in versions],
            "declarations": decls,
        }
    pq.write_table(pa.table(rows), out / "articles.parquet")
    (out / "params.json").write_text(json.dumps(asdict(scanner.params), ensure_ascii=False, indent=2))
    np.save(out / "df_sketch.npy", det.df_sketch)
    (out / "registry.json").write_text(json.dumps(history, ensure_ascii=False, indent=1))
    manifest = {
        "params": scanner.params.name,
        "articles": len(order),
        "created": datetime.now().astimezone().isoformat(),
        "sha256": {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in FILES},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def load_params(bundle: Path) -> MatchParams:
    d = json.loads((bundle / "params.json").read_text())
    return MatchParams(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


class RegistryHistory:
    """The registry's history from ``registry.json``; :meth:`at` is pure."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.publisher = Party.from_json(doc["publisher"])
        self.parties = tuple(Party.from_json(p) for p in doc["parties"])
        self.conflict = doc["conflict"]
        self.versions = tuple(PolicyVersion.from_json(v) for v in doc["versions"])
        self.declarations = [
            SimpleNamespace(id=d["id"], site_id=d["site"], version=d["version"], text=d["text"],
                            effective=date.fromisoformat(d["effective"]) if d["effective"] else None)
            for d in doc["declarations"]
        ]
        self._cache: dict[datetime, Registry] = {}

    @classmethod
    def load(cls, bundle: Path) -> RegistryHistory:
        return cls(json.loads((bundle / "registry.json").read_text()))

    def at(self, when: datetime) -> Registry:
        """The registry in force at ``when`` (same rules as ``services.licensing.registry_on``)."""
        from newsrights.core.declaration import parse_declaration, publisher_declaration

        when = as_utc(when)
        hit = self._cache.get(when)
        if hit is not None:
            return hit
        row = in_force(self.declarations, china_date(when))
        decl = (parse_declaration(row.text, site=row.site_id, effective=row.effective, version=row.version)
                if row is not None else None) or publisher_declaration()
        reg = Registry(
            publisher=self.publisher,
            parties=self.parties,
            policies=tuple(v for v in self.versions if v.valid_from <= when and v.in_force(when)),
            default=declaration_policy(self.publisher, credit_line=decl.credit_line, site=decl.site,
                                       actions=("use",)),
            conflict=self.conflict,
        )
        self._cache[when] = reg
        return reg
