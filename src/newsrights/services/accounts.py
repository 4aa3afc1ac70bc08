"""Accounts use cases: users and roles, password sign-in, API tokens, web sessions.

Roles (one per user):

* ``admin`` — everything, including accounts;
* ``analyst`` — rights analyst: catalog, scans, findings, cases, evidence;
* ``sales`` — licences and claims, reads findings;
* ``legal`` — cases, evidence, claims, licences;
* ``licensee`` — a licensee's staff: only its own contracts, the content it
  licensed and the findings about its own use (``party_id`` links the user to
  the party of the licence registry).

Secrets: passwords are hashed with argon2id (``argon2-cffi`` defaults, rehashed
on sign-in when the parameters change); API tokens (``nrt_<prefix>_<secret>``)
and session ids are 256-bit random values stored only as SHA-256 digests.
Every change is written to the audit log (``services.audit.record``).
Functions take an open session; the caller (a shell) owns the transaction.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from newsrights.errors import InputError
from newsrights.storage.db import transaction
from newsrights.storage.tables.accounts import ApiTokenRow, UserRow, WebSessionRow

log = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("admin", "analyst", "sales", "legal", "licensee")
SESSION_TTL = timedelta(hours=12)
MIN_PASSWORD = 8

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
#: A hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def use_fast_hashing_for_tests() -> None:
    """Switch to argon2's cheapest parameters (test suites only: hashes become trivially crackable)."""
    global _hasher, _DUMMY_HASH
    from argon2.profiles import CHEAPEST

    _hasher = PasswordHasher.from_parameters(CHEAPEST)
    _DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in principal as the shells see it (no secrets)."""

    id: int
    username: str
    role: str
    display_name: str = ""
    party_id: str | None = None
    active: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role,
            "display_name": self.display_name,
            "party_id": self.party_id,
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    revoked: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "revoked": self.revoked,
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.role, row.display_name, row.party_id, row.active)


def audit(session: Session, *, actor: str, action: str, entity: str, entity_id: str,
          before: Any = None, after: Any = None) -> None:
    """Write one entry to the append-only audit log (``services.audit.record``).

    Land-safe: while the audit service is not installed the change is logged at
    WARNING level instead, never silently dropped.
    """
    try:
        from newsrights.services.audit import record
    except ImportError:
        log.warning("audit log unavailable: %s %s %s/%s", actor, action, entity, entity_id)
        return
    record(session, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after)


def _check_role(role: str, party_id: str | None) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role == "licensee" and not party_id:
        raise InputError("a licensee user needs --party: the party id of its licences")


def create_user(session: Session, *, username: str, password: str, role: str, display_name: str = "",
                party_id: str | None = None, actor: str = "system") -> User:
    """Add a user; the username must be new and the password at least 8 characters."""
    username = username.strip()
    if not username or len(username) > 80:
        raise InputError("username must be 1-80 characters")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password must be at least {MIN_PASSWORD} characters")
    _check_role(role, party_id)
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise InputError(f"user {username!r} already exists")
    row = UserRow(username=username, display_name=display_name or username, password_hash=_hasher.hash(password),
                  role=role, party_id=party_id if role == "licensee" else party_id, active=True, created_at=_now())
    session.add(row)
    session.flush()
    user = _user(row)
    audit(session, actor=actor, action="user.create", entity="user", entity_id=str(row.id), after=user.to_json())
    return user


def update_user(session: Session, user_id: int, *, actor: str, role: str | None = None,
                active: bool | None = None, password: str | None = None, display_name: str | None = None,
                party_id: str | None = None) -> User:
    """Change a user's role, status, password or name (audited; the hash is never logged)."""
    row = session.get(UserRow, user_id)
    if row is None:
        raise LookupError(f"no user {user_id}")
    before = _user(row).to_json()
    auth_changed()
    if role is not None:
        _check_role(role, party_id if party_id is not None else row.party_id)
        row.role = role
    if party_id is not None:
        row.party_id = party_id or None
    if active is not None:
        row.active = active
        if not active:
            for s in session.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user_id)):
                s.revoked = True
    if display_name is not None:
        row.display_name = display_name
    if password is not None:
        if len(password) < MIN_PASSWORD:
            raise InputError(f"password must be at least {MIN_PASSWORD} characters")
        row.password_hash = _hasher.hash(password)
    session.flush()
    after = _user(row).to_json()
    if password is not None:
        after["password_changed"] = True
    audit(session, actor=actor, action="user.update", entity="user", entity_id=str(user_id), before=before, after=after)
    return _user(row)


def get_user(session: Session, user_id: int) -> User:
    row = session.get(UserRow, user_id)
    if row is None:
        raise LookupError(f"no user {user_id}")
    return _user(row)


def list_users(session: Session) -> list[User]:
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.id))]


def count_users(session: Session) -> int:
    return len(session.scalars(select(UserRow.id)).all())


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else ``None``.

    Unknown usernames still cost one argon2 verification so the response time
    does not tell which usernames exist.
    """
    row = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
    if row is None or not row.active:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return _user(row)


# --- API tokens ------------------------------------------------------------------------------


def create_token(session: Session, user_id: int, *, name: str = "", actor: str = "system") -> tuple[str, TokenInfo]:
    """A new API token for ``user_id``; returns the token (shown once) and its record."""
    user = get_user(session, user_id)
    prefix = secrets.token_hex(4)
    token = f"nrt_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiTokenRow(user_id=user.id, name=name, token_hash=_digest(token), prefix=prefix,
                      created_at=_now(), revoked=False)
    session.add(row)
    session.flush()
    info = TokenInfo(row.id, row.user_id, row.name, row.prefix, row.created_at)
    audit(session, actor=actor, action="token.create", entity="api_token", entity_id=str(row.id),
          after=info.to_json())
    return token, info


def list_tokens(session: Session, user_id: int | None = None) -> list[TokenInfo]:
    q = select(ApiTokenRow).order_by(ApiTokenRow.id)
    if user_id is not None:
        q = q.where(ApiTokenRow.user_id == user_id)
    return [TokenInfo(r.id, r.user_id, r.name, r.prefix, _aware(r.created_at), r.revoked) for r in session.scalars(q)]


def revoke_token(session: Session, token_id: int, *, actor: str) -> None:
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise LookupError(f"no token {token_id}")
    row.revoked = True
    auth_changed()
    audit(session, actor=actor, action="token.revoke", entity="api_token", entity_id=str(token_id),
          before={"revoked": False}, after={"revoked": True})


_AUTH_EPOCH = [0]


def auth_epoch() -> int:
    """A counter this process bumps whenever a token is revoked or a user changed (role, status,
    password): caches of token owners (``api.deps``) drop what they hold when it moves."""
    return _AUTH_EPOCH[0]


def auth_changed() -> None:
    _AUTH_EPOCH[0] += 1


def user_for_token(session: Session, token: str) -> User | None:
    """The active owner of a valid, unrevoked API token, else ``None``."""
    if not token.startswith("nrt_"):
        return None
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == _digest(token)))
    if row is None or row.revoked:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    return _user(user)


# --- web sessions ----------------------------------------------------------------------------


def start_session(session: Session, user: User, *, ttl: timedelta = SESSION_TTL) -> tuple[str, str]:
    """Open a browser session: returns ``(session_id, csrf_token)``; only the id's digest is kept."""
    sid = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    session.add(WebSessionRow(id_hash=_digest(sid), user_id=user.id, csrf_token=csrf, created_at=now,
                              expires_at=now + ttl, revoked=False))
    audit(session, actor=user.username, action="session.login", entity="user", entity_id=str(user.id))
    return sid, csrf


def session_user(session: Session, sid: str) -> tuple[User, str] | None:
    """``(user, csrf_token)`` for a live session id, else ``None`` (expired, revoked, user disabled)."""
    row = session.get(WebSessionRow, _digest(sid))
    if row is None or row.revoked or _aware(row.expires_at) <= _now():
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    return _user(user), row.csrf_token


def end_session(session: Session, sid: str) -> None:
    row = session.get(WebSessionRow, _digest(sid))
    if row is not None and not row.revoked:
        row.revoked = True
        user = session.get(UserRow, row.user_id)
        audit(session, actor=user.username if user else "unknown", action="session.logout", entity="user",
              entity_id=str(row.user_id))


# --- first run ------------------------------------------------------------------------------


def ensure_admin(factory: sessionmaker[Session], username: str = "admin", password: str | None = None) -> tuple[str, str | None]:
    """Create the first admin if the installation has no user yet.

    Returns ``(username, password)``; the password is generated (and returned
    once) when not given, ``None`` when an account already existed.
    """
    with transaction(factory) as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username))
        if row is not None:
            return username, None
        password = password or secrets.token_urlsafe(12)
        create_user(s, username=username, password=password, role="admin", display_name="Administrator",
                    actor="first-run")
        return username, password


def create_demo_admin(factory: sessionmaker[Session], username: str = "admin",
                      password: str = "newsrights-demo") -> tuple[str, str]:
    """The demo's sign-in: an admin with a known password (demo databases only), reset if present."""
    with transaction(factory) as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            create_user(s, username=username, password=password, role="admin", display_name="Demo admin",
                        actor="demo")
        else:
            update_user(s, row.id, actor="demo", password=password, active=True, role="admin")
    return username, password
