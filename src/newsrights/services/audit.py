"""The append-only audit log every area may call.

:func:`record` adds one row: who (``actor``), when (now, UTC), what (``action`` on
``entity``/``entity_id``) and the state ``before`` and ``after`` (any JSON-able value, stored
as canonical JSON text: sorted keys, UTF-8). It runs inside the caller's session, so the audit
row commits or rolls back together with the change it describes.

Rows are never changed: the ``cases_0001`` migration installs triggers that make the database
refuse ``UPDATE`` and ``DELETE`` on ``audit_log`` (SQLite and PostgreSQL), so even a buggy or
hostile caller holding a session cannot rewrite history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsrights.errors import InputError
from newsrights.storage.tables.cases import AuditRow


def canonical_json(value: Any) -> str | None:
    """JSON text with sorted keys (``None`` stays ``None``); datetimes as ISO strings."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)


def _default(obj: Any) -> Any:
    if isinstance(obj, datetime):
        return obj.isoformat()
    if hasattr(obj, "to_json"):
        return obj.to_json()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "before": self.before,
            "after": self.after,
        }


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> int:
    """Append one audit row in ``session``'s transaction and return its id.

    ``actor`` must name a user (an empty actor is refused: every change is signed).
    """
    if not actor or not actor.strip():
        raise InputError("audit: every change needs an actor (pass --actor or set NEWSRIGHTS_USER)")
    row = AuditRow(
        at=at or datetime.now(UTC),
        actor=actor.strip(),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=canonical_json(before),
        after=canonical_json(after),
    )
    session.add(row)
    session.flush()
    return row.id


def _entry(row: AuditRow) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return AuditEntry(
        id=row.id,
        at=at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        before=json.loads(row.before) if row.before is not None else None,
        after=json.loads(row.after) if row.after is not None else None,
    )


def iter_entries(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: str | int | None = None,
    actor: str | None = None,
    limit: int | None = None,
    newest: bool = False,
) -> Iterator[AuditEntry]:
    """Audit rows in the order they were written, optionally filtered; with ``limit``, the
    first ``limit`` rows, or the last ``limit`` rows when ``newest`` (still oldest first)."""
    if newest and limit is not None:
        q_new = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if entity is not None:
            q_new = q_new.where(AuditRow.entity == entity)
        if entity_id is not None:
            q_new = q_new.where(AuditRow.entity_id == str(entity_id))
        if actor is not None:
            q_new = q_new.where(AuditRow.actor == actor)
        for row in reversed(list(session.scalars(q_new))):
            yield _entry(row)
        return
    q = select(AuditRow).order_by(AuditRow.id)
    if entity is not None:
        q = q.where(AuditRow.entity == entity)
    if entity_id is not None:
        q = q.where(AuditRow.entity_id == str(entity_id))
    if actor is not None:
        q = q.where(AuditRow.actor == actor)
    if limit is not None:
        q = q.limit(limit)
    for row in session.scalars(q):
        yield _entry(row)
