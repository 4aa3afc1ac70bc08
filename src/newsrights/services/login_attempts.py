"""Sign-in attempts in the database: the lockout that holds for the whole installation.

Every ``newsrights serve`` worker (and every app on the same database) records each sign-in
attempt in ``login_attempts`` and asks the database before checking a password, so the limits of
:class:`newsrights.core.lockout.LockoutPolicy` hold however many processes answer: the rule
itself is :func:`newsrights.core.lockout.decide`.

Two workers checking the same key at the same instant may each allow one attempt more than the
limit (the check and the record are not serialised across processes); the overshoot is bounded by
the number of workers. Attempts older than ``keep`` are pruned as new ones are written.
Functions take an open session; the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from newsrights.core.lockout import Lockout, LockoutPolicy, decide
from newsrights.core.timeline import as_utc
from newsrights.errors import InputError
from newsrights.storage.tables.accounts import LoginAttemptRow

OUTCOMES: tuple[str, ...] = ("ok", "failed", "refused", "unlocked")
KEEP = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    id: int
    at: datetime
    username: str
    client: str
    outcome: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "username": self.username, "client": self.client,
                "outcome": self.outcome}


def _now(now: datetime | None) -> datetime:
    return as_utc(now) if now is not None else datetime.now(UTC)


def _username(username: str) -> str:
    return username.strip()[:80]


def lockout(session: Session, username: str, client: str, policy: LockoutPolicy,
            now: datetime | None = None) -> Lockout | None:
    """The lockout in force for ``username`` from ``client`` at ``now``, or ``None``.

    Reads at most ``limit`` failure times per key (newest first, inside the window; for the
    username only those after its last success or unlock, for the address only those after its
    last unlock) and applies :func:`core.lockout.decide`."""
    at = _now(now)
    start = at - policy.window
    user = _username(username)
    user_since = _since(session, LoginAttemptRow.username == user, ("ok", "unlocked"), start, at)
    client_since = _since(session, LoginAttemptRow.client == client[:64], ("unlocked",), start, at)
    user_failures = session.scalars(
        select(LoginAttemptRow.at)
        .where(LoginAttemptRow.username == user, LoginAttemptRow.outcome == "failed", LoginAttemptRow.at > user_since,
               LoginAttemptRow.at <= at)
        .order_by(LoginAttemptRow.at.desc()).limit(policy.max_user_failures)).all()
    client_failures = session.scalars(
        select(LoginAttemptRow.at)
        .where(LoginAttemptRow.client == client[:64], LoginAttemptRow.outcome == "failed",
               LoginAttemptRow.at > client_since,
               LoginAttemptRow.at <= at)
        .order_by(LoginAttemptRow.at.desc()).limit(policy.max_client_failures)).all()
    return decide([as_utc(t) for t in user_failures], [as_utc(t) for t in client_failures], policy, at)


def _since(session: Session, key: Any, resets: tuple[str, ...], start: datetime, at: datetime) -> datetime:
    """The window's start, or the key's last resetting attempt in the window when later."""
    last = session.scalar(select(func.max(LoginAttemptRow.at)).where(
        key, LoginAttemptRow.outcome.in_(resets), LoginAttemptRow.at > start, LoginAttemptRow.at <= at))
    return max(start, as_utc(last)) if last is not None else start


def unlock(session: Session, *, actor: str, username: str | None = None, client: str | None = None,
           now: datetime | None = None) -> None:
    """Lift a lockout by hand (an admin): failures of ``username`` and/or of the address ``client``
    before now no longer count. Recorded as an ``unlocked`` attempt and in the audit log."""
    from newsrights.services.accounts import audit

    if not username and not client:
        raise InputError("name a username or a client address to unlock")
    at = _now(now)
    if username:
        record(session, username, "-", "unlocked", now=at)
        audit(session, actor=actor, action="session.unlocked", entity="user", entity_id=_username(username))
    if client:
        record(session, "-", client, "unlocked", now=at)
        audit(session, actor=actor, action="session.unlocked", entity="client", entity_id=client[:64])


def record(session: Session, username: str, client: str, outcome: str, *, now: datetime | None = None,
           keep: timedelta = KEEP) -> None:
    """Write one attempt (``ok`` / ``failed`` / ``refused``) and prune attempts older than ``keep``."""
    if outcome not in OUTCOMES:
        raise InputError(f"unknown sign-in outcome {outcome!r} (one of {', '.join(OUTCOMES)})")
    at = _now(now)
    session.add(LoginAttemptRow(at=at, username=_username(username), client=client[:64], outcome=outcome))
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < at - keep))
    session.flush()


def list_attempts(session: Session, *, username: str | None = None, client: str | None = None,
                  outcome: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[LoginAttempt], int]:
    """Attempts, newest first, filtered by exact username / client address / outcome: ``(page, total)``."""
    if outcome is not None and outcome not in OUTCOMES:
        raise InputError(f"unknown sign-in outcome {outcome!r} (one of {', '.join(OUTCOMES)})")
    conds = []
    if username is not None:
        conds.append(LoginAttemptRow.username == _username(username))
    if client is not None:
        conds.append(LoginAttemptRow.client == client)
    if outcome is not None:
        conds.append(LoginAttemptRow.outcome == outcome)
    total = session.scalar(select(func.count()).select_from(LoginAttemptRow).where(*conds)) or 0
    rows = session.scalars(select(LoginAttemptRow).where(*conds)
                           .order_by(LoginAttemptRow.at.desc(), LoginAttemptRow.id.desc())
                           .limit(limit).offset(offset)).all()
    return [LoginAttempt(r.id, as_utc(r.at), r.username, r.client, r.outcome) for r in rows], int(total)
