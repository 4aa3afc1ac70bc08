"""Lossless JSON rows for the value types that cross Spark stages.

Spark columns hold strings and bytes; these functions turn an
:class:`~newsrights.core.model.Article` or :class:`~newsrights.core.model.Finding`
into JSON and back without losing a field, so a stage downstream sees exactly
what the single-process scan sees.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from newsrights.core.model import Article, Finding, Ownership, Span


def _enc(v: Any) -> Any:
    if isinstance(v, datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, tuple):
        return [_enc(x) for x in v]
    if isinstance(v, Span):
        return v.to_json()
    return v


def _dt(v: Any) -> datetime | None:
    if v is None:
        return None
    return datetime.fromisoformat(v["$dt"] if isinstance(v, dict) else v)


def article_to_json(a: Article) -> str:
    return json.dumps({f.name: _enc(getattr(a, f.name)) for f in dataclasses.fields(a)}, ensure_ascii=False)


def article_from_json(s: str) -> Article:
    d = json.loads(s)
    for key in ("body", "furniture", "credit_lines"):
        d[key] = tuple(d.get(key) or ())
    d["extra"] = tuple(tuple(x) for x in d.get("extra") or ())
    for key in ("published", "fetched"):
        d[key] = _dt(d.get(key))
    return Article(**d)


def ownership_to_json(o: Ownership) -> str:
    return json.dumps({f.name: _enc(getattr(o, f.name)) for f in dataclasses.fields(o)}, ensure_ascii=False)


def ownership_from_json(s: str) -> Ownership:
    d = json.loads(s)
    d["reasons"] = tuple(d.get("reasons") or ())
    return Ownership(**d)


def finding_to_json(f: Finding) -> str:
    d = {fl.name: _enc(getattr(f, fl.name)) for fl in dataclasses.fields(f)}
    return json.dumps(d, ensure_ascii=False, default=str)


def finding_from_json(s: str) -> Finding:
    d = json.loads(s)
    d["spans"] = tuple(Span(**x) for x in d.get("spans") or ())
    d["similarity"] = tuple((k, float(v)) for k, v in d.get("similarity") or ())
    d["verdict_reasons"] = tuple(d.get("verdict_reasons") or ())
    d["extra"] = tuple(tuple(x) for x in d.get("extra") or ())
    d["found_at"] = _dt(d.get("found_at"))
    return Finding(**d)
