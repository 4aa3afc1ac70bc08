"""Inbound claims (declaration clause 5): record, compute the deadline, review, resolve.

:func:`add_claim` takes the claimant, their contact, the content of the claim, the event date
and (when the claim is about one of our articles) the article id. The claim window comes from
the declaration version in force on the event date for the article's site
(``services.catalog.declaration_in_force``), else from the packaged publisher declaration;
:func:`newsrights.core.claims.claim_deadline` computes the deadline in China time. A late
claim is stored and flagged (``late = true`` with its reasons), never dropped, and goes through
the same workflow: ``received`` → ``under_review`` → ``resolved`` with a resolution such as
``taken_down`` or ``credit_added`` (for the publisher's own reprints) or ``rejected_late``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core import claims as rules
from newsrights.core.model import CHINA_TZ
from newsrights.errors import IllegalTransition, InputError
from newsrights.services import audit
from newsrights.storage.db import transaction
from newsrights.storage.tables.cases import ClaimRow


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    id: int
    claimant: str
    contact: str
    content: str
    article_id: str | None
    article_url: str | None
    event_at: datetime
    published_at: datetime | None
    received_at: datetime
    anchor: str
    window_days: int
    deadline: datetime
    late: bool
    declaration_version: str | None
    status: str
    resolution: str | None
    resolution_note: str
    actor: str
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        cn = lambda d: d.astimezone(CHINA_TZ).isoformat() if d else None  # noqa: E731
        return {
            "id": self.id, "claimant": self.claimant, "contact": self.contact, "content": self.content,
            "article_id": self.article_id, "article_url": self.article_url,
            "event_at": cn(self.event_at), "published_at": cn(self.published_at),
            "received_at": cn(self.received_at), "anchor": self.anchor, "window_days": self.window_days,
            "deadline": cn(self.deadline), "late": self.late, "declaration_version": self.declaration_version,
            "status": self.status, "resolution": self.resolution, "resolution_note": self.resolution_note,
            "actor": self.actor, "updated_at": cn(self.updated_at),
        }


def _info(r: ClaimRow) -> ClaimInfo:
    return ClaimInfo(r.id, r.claimant, r.contact, r.content, r.article_id, r.article_url,
                     _aware(r.event_at), _aware(r.published_at), _aware(r.received_at),  # type: ignore[arg-type]
                     r.anchor, r.window_days, _aware(r.deadline), r.late, r.declaration_version,  # type: ignore[arg-type]
                     r.status, r.resolution, r.resolution_note, r.actor, _aware(r.updated_at))  # type: ignore[arg-type]


def _instant(v: datetime | date) -> datetime:
    """UTC instant to store (SQLite keeps no offset, so everything is stored in UTC)."""
    return rules.as_china_time(v).astimezone(UTC)


def add_claim(
    factory: sessionmaker[Session],
    *,
    claimant: str,
    content: str,
    event: datetime | date,
    actor: str,
    contact: str = "",
    received: datetime | None = None,
    article_id: str | None = None,
    article_url: str | None = None,
    site: str | None = None,
) -> tuple[ClaimInfo, rules.ClaimDeadline]:
    """Record a claim with its computed deadline (late claims are kept and flagged)."""
    from newsrights.core.declaration import publisher_declaration
    from newsrights.services import catalog

    if not claimant.strip() or not content.strip():
        raise InputError("a claim needs the claimant and the content of the claim")
    received = received or datetime.now(UTC)
    with transaction(factory) as session:
        published = None
        if article_id:
            rec = catalog.get_article_record(session, article_id)
            published = rec.article.published
            article_url = article_url or rec.article.url or rec.uri
            site = site or rec.article.site
        decl = catalog.declaration_in_force(session, site, rules.china_date(event)) if site else None
        decl = decl or publisher_declaration()
        window = decl.claim_window
        days = window.days if window else rules.DEFAULT_WINDOW_DAYS
        anchor = window.anchor if window else "event"
        dl = rules.claim_deadline(event=event, received=received, window_days=days, anchor=anchor,
                                  published=published, declaration_version=decl.version or decl.sha256[:12])
        row = ClaimRow(
            claimant=claimant.strip(), contact=contact, content=content, article_id=article_id,
            article_url=article_url, event_at=_instant(event), published_at=_instant(published) if published else None,
            received_at=_instant(received), anchor=dl.anchor, window_days=days, deadline=_instant(dl.deadline),
            late=dl.late, declaration_version=dl.declaration_version, status="received", resolution=None,
            resolution_note="; ".join(dl.reasons), actor=actor, updated_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        info = _info(row)
        audit.record(session, actor=actor, action="receive", entity="claim", entity_id=row.id,
                     before=None, after={**info.to_json(), "deadline_rule": dl.to_json()})
    return info, dl


def _row(session: Session, claim_id: int) -> ClaimRow:
    r = session.get(ClaimRow, claim_id)
    if r is None:
        raise InputError(f"no claim {claim_id} (see `newsrights claims list`)")
    return r


def review_claim(factory: sessionmaker[Session], claim_id: int, *, actor: str, note: str = "") -> ClaimInfo:
    with transaction(factory) as session:
        r = _row(session, claim_id)
        if r.status != "received":
            raise IllegalTransition(f"claim {claim_id} is {r.status}; only a received claim goes under review")
        before = _info(r).to_json()
        r.status, r.actor, r.updated_at = "under_review", actor, datetime.now(UTC)
        if note:
            r.resolution_note = (r.resolution_note + "; " if r.resolution_note else "") + note
        audit.record(session, actor=actor, action="review", entity="claim", entity_id=r.id,
                     before=before, after=_info(r).to_json())
        return _info(r)


def resolve_claim(factory: sessionmaker[Session], claim_id: int, resolution: str, *, actor: str,
                  note: str = "") -> ClaimInfo:
    """Resolve a claim (``taken_down``, ``credit_added``, ``corrected``, ``licence_confirmed``,
    ``rejected`` or — only for late claims — ``rejected_late``)."""
    with transaction(factory) as session:
        r = _row(session, claim_id)
        rules.check_resolution(r.status, resolution, late=r.late)
        before = _info(r).to_json()
        r.status, r.resolution, r.actor, r.updated_at = "resolved", resolution, actor, datetime.now(UTC)
        if note:
            r.resolution_note = (r.resolution_note + "; " if r.resolution_note else "") + note
        audit.record(session, actor=actor, action="resolve", entity="claim", entity_id=r.id,
                     before=before, after=_info(r).to_json())
        return _info(r)


def note_claim(factory: sessionmaker[Session], claim_id: int, *, actor: str, note: str) -> ClaimInfo:
    """Add a note to an open claim without changing its state (e.g. more information asked of
    the claimant); a received claim is taken under review first, as acknowledging it does."""
    if not note.strip():
        raise InputError("a note needs some text")
    with transaction(factory) as session:
        r = _row(session, claim_id)
        if r.status == "resolved":
            raise IllegalTransition(f"claim {claim_id} is resolved; a note cannot be added to it")
        before = _info(r).to_json()
        if r.status == "received":
            r.status = "under_review"
        r.actor, r.updated_at = actor, datetime.now(UTC)
        r.resolution_note = (r.resolution_note + "; " if r.resolution_note else "") + note.strip()
        audit.record(session, actor=actor, action="note", entity="claim", entity_id=r.id,
                     before=before, after=_info(r).to_json())
        return _info(r)


#: Decisions staff record on a claim (the web claim page and ``POST /api/v1/claims/{id}/decision``):
#: ``upheld:<remedy>`` and ``rejected:<ground>`` resolve the claim with that resolution;
#: ``needs_info`` keeps it open (under review) while more information is asked of the claimant.
UPHELD: tuple[str, ...] = ("taken_down", "credit_added", "corrected")
REJECTED: tuple[str, ...] = ("rejected", "licence_confirmed", "rejected_late")
DECISIONS: tuple[str, ...] = (*(f"upheld:{r}" for r in UPHELD), *(f"rejected:{r}" for r in REJECTED), "needs_info")


def decision_call(decision: str) -> tuple[str, str | None]:
    """``("resolve", resolution)`` or ``("note", None)`` for one of :data:`DECISIONS`."""
    if decision == "needs_info":
        return "note", None
    kind, _, resolution = decision.partition(":")
    if (kind == "upheld" and resolution in UPHELD) or (kind == "rejected" and resolution in REJECTED):
        return "resolve", resolution
    raise InputError(f"unknown decision {decision!r}; one of {', '.join(DECISIONS)}")


def decide_claim(factory: sessionmaker[Session], claim_id: int, decision: str, *, actor: str,
                 note: str) -> ClaimInfo:
    """Record a decision with its note (required: the reason given to the claimant), stored as
    ``<upheld|rejected|needs_info>: <note>``; resolves through :func:`resolve_claim` or keeps the
    claim open through :func:`note_claim`, so the same rules and audit rows apply."""
    what, resolution = decision_call(decision)
    if not note.strip():
        raise InputError("a decision needs a note (the reason given to the claimant)")
    text = f"{decision.partition(':')[0]}: {note.strip()}"
    if what == "note":
        return note_claim(factory, claim_id, actor=actor, note=text)
    assert resolution is not None
    return resolve_claim(factory, claim_id, resolution, actor=actor, note=text)


def deadline_status(claim: ClaimInfo, now: datetime | None = None) -> dict[str, Any]:
    """How the deadline stands ``now``: the last day of the window (China date; the deadline is
    00:00 China time the day after), whole days left (negative when overdue) and a mark
    (``overdue``, ``due_soon`` within 7 days, or empty; resolved claims are never marked)."""
    from datetime import timedelta

    now = now or datetime.now(UTC)
    last_day = (claim.deadline.astimezone(CHINA_TZ) - timedelta(days=1)).date()
    days_left = (last_day - now.astimezone(CHINA_TZ).date()).days
    mark = ""
    if claim.status != "resolved":
        mark = "overdue" if now >= claim.deadline else "due_soon" if days_left < 7 else ""
    return {"last_day": last_day.isoformat(), "days_left": days_left, "mark": mark,
            "window_days": claim.window_days, "anchor": claim.anchor, "late": claim.late}


def get_claim(session: Session, claim_id: int) -> ClaimInfo:
    return _info(_row(session, claim_id))


def list_claims(session: Session, *, status: str | None = None, late: bool | None = None) -> list[ClaimInfo]:
    q = select(ClaimRow).order_by(ClaimRow.id)
    if status:
        q = q.where(ClaimRow.status == status)
    if late is not None:
        q = q.where(ClaimRow.late == late)
    return [_info(r) for r in session.scalars(q)]
