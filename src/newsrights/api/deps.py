"""Request dependencies: the database session, the signed-in principal, authorisation, CSRF, paging.

Authentication, in order: ``Authorization: Bearer nrt_…`` (API token), then
the ``nr_session`` cookie (an itsdangerous-signed session id checked against
``web_sessions``). :func:`authorize` runs before every route: it finds the
route's permission in :data:`newsrights.api.policy.POLICY`, refuses routes
that are not declared, and for cookie sessions checks the CSRF token on every
unsafe method (header ``X-CSRF-Token`` or form field ``csrf_token``).
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import ipaddress
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session, sessionmaker

from newsrights.api.config import WebConfig
from newsrights.api.policy import allowed_roles, is_public
from newsrights.api.problems import LoginRequired, Problem
from newsrights.api.ratelimit import TokenBucket
from newsrights.services import accounts
from newsrights.settings import Settings
from newsrights.storage.db import transaction

SESSION_COOKIE = "nr_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class AppState:
    """Everything a request needs, built once by ``create_app``."""

    settings: Settings
    config: WebConfig
    factory: sessionmaker[Session]
    signer: URLSafeTimedSerializer
    login_limiter: TokenBucket
    scan_limiter: TokenBucket
    _scanner: Any = None
    _scanner_synced: float = 0.0
    _scanner_lock: threading.RLock = field(default_factory=threading.RLock)
    _fetcher: Any = None
    _token_users: dict[str, tuple[accounts.User, float, int]] = field(default_factory=dict)
    _gc_frozen: bool = False
    _gc_young: float = 0.0
    _gc_full: float = 0.0

    #: Seconds between collections of the objects made since the last one (then frozen), and
    #: between full collections (everything unfrozen, collected, frozen again): see :meth:`gc_tick`.
    GC_YOUNG_SECONDS = 1.0
    GC_FULL_SECONDS = 600.0

    def gc_tick(self) -> None:
        """Keep the cycle collector's pauses short in a worker that holds the index.

        After the index is loaded it is frozen (:meth:`scanner`); what later requests leave
        behind that lives on (cached records, prepared articles) would make each automatic
        full collection walk all of it — about 40 ms with a warm record cache, a stall for every
        request queued behind it. So, called after each check: once a second, collect what is
        not frozen (a few milliseconds) and freeze the survivors; every ten minutes, unfreeze
        and collect everything once, so a cycle that became garbage after being frozen is not
        kept for ever."""
        if not self._gc_frozen:
            return
        now = time.monotonic()
        if now - self._gc_young < self.GC_YOUNG_SECONDS:
            return
        self._gc_young = now
        if now - self._gc_full >= self.GC_FULL_SECONDS:
            self._gc_full = now
            gc.unfreeze()
        gc.collect()
        gc.freeze()

    def token_user(self, token: str) -> accounts.User | None:
        """The owner of an API token, cached by the token's SHA-256 for ``config.token_cache_seconds``.

        A revocation or user change made in this process (:func:`accounts.auth_changed`) empties
        the cache at once; one made by another process (another worker, the CLI) takes effect
        within the cache time. Unknown or revoked tokens are never cached."""
        ttl = self.config.token_cache_seconds
        key = hashlib.sha256(token.encode("utf-8")).hexdigest()
        now = time.monotonic()
        epoch = accounts.auth_epoch()
        hit = self._token_users.get(key)
        if hit is not None and hit[1] > now and hit[2] == epoch:
            return hit[0]
        with transaction(self.factory) as s:
            user = accounts.user_for_token(s, token)
        if user is not None and ttl > 0:
            if len(self._token_users) > 10_000:
                self._token_users.clear()
            self._token_users[key] = (user, now + ttl, epoch)
        else:
            self._token_users.pop(key, None)
        return user

    @contextmanager
    def scanner(self) -> Iterator[Any]:
        """The matching service's ``Scanner``, opened on first use and re-synced with the catalog
        at most every ``config.scan_sync_seconds`` (only when the catalog changed: one cheap stamp
        query otherwise); held under a lock (the index is not thread-safe)."""
        with self._scanner_lock:
            if self._scanner is None:
                from newsrights.services.scan import Scanner

                scanner = Scanner.open(self.factory)
                scanner.warm_up()
                # the index's ~10^5 long-lived objects would make every full collection a ~100 ms
                # pause in this worker's answers: collect once, then keep them out of later passes
                gc.collect()
                gc.freeze()
                self._gc_frozen = True
                self._gc_young = self._gc_full = time.monotonic()
                self._scanner_synced = time.monotonic()
                self._scanner = scanner  # ready (scanner_ready) only once warmed and frozen
            elif self._sync_due():
                self._scanner.sync_if_changed()
                self._scanner_synced = time.monotonic()
            yield self._scanner

    def _sync_due(self) -> bool:
        return time.monotonic() - self._scanner_synced > self.config.scan_sync_seconds

    def scanner_ready(self) -> bool:
        """True when a check can start at once (the index is open and no sync is due)."""
        return self._scanner is not None and not self._sync_due()

    def prepare_scanner(self) -> None:
        """Open or re-sync the index now (slow work: callers on the event loop run it in a thread)."""
        with self.scanner():
            pass

    def fetcher(self) -> Any:
        """One guarded fetcher (``crawl.fetcher``) for "check this URL" requests."""
        with self._scanner_lock:
            if self._fetcher is None:
                from newsrights.crawl.fetcher import FetchConfig, Fetcher

                self._fetcher = Fetcher(FetchConfig(retries=1, delay=0.0, total_timeout=30.0,
                                                    allow_networks=self.config.fetch_allow_networks))
            return self._fetcher


@dataclass(frozen=True, slots=True)
class Principal:
    user: accounts.User
    via: str  # "token" | "session"
    csrf: str | None = None
    sid: str | None = None

    @property
    def role(self) -> str:
        return self.user.role


def state(request: Request) -> AppState:
    return request.app.state.nr  # type: ignore[no-any-return]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def is_loopback_http(request: Request) -> bool:
    if request.url.scheme != "http":
        return False
    host = request.url.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cookie_secure(request: Request) -> bool:
    mode = state(request).config.cookie_secure
    if mode in ("1", "true", "always"):
        return True
    if mode in ("0", "false", "never"):
        return False
    return not is_loopback_http(request)


def _resolve(request: Request) -> Principal | None:
    if "nr_principal" in request.scope:
        return request.scope["nr_principal"]  # type: ignore[no-any-return]
    st = state(request)
    principal: Principal | None = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = st.token_user(auth[7:].strip())
        if user is None:
            raise Problem(401, "bad_token", "the API token is unknown or revoked",
                          headers={"WWW-Authenticate": "Bearer"})
        principal = Principal(user, "token")
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            try:
                sid = st.signer.loads(cookie, max_age=st.config.session_hours * 3600)
            except BadSignature:
                sid = None
            if isinstance(sid, str):
                with transaction(st.factory) as s:
                    found = accounts.session_user(s, sid)
                if found is not None:
                    principal = Principal(found[0], "session", csrf=found[1], sid=sid)
    request.scope["nr_principal"] = principal
    return principal


def optional_principal(request: Request) -> Principal | None:
    return _resolve(request)


async def authorize(request: Request) -> None:
    """Check the declared policy of the matched route for the caller (runs before every route)."""
    route = request.scope.get("route")
    name = getattr(route, "name", None) or ""
    roles = allowed_roles(name)
    if roles is None:
        raise Problem(403, "undeclared_route", f"route {name!r} has no authorisation policy")
    if is_public(name):
        return
    principal = _resolve(request)
    is_web = not request.url.path.startswith("/api/")
    if principal is None:
        if is_web and request.method == "GET":
            target = request.url.path + (("?" + request.url.query) if request.url.query else "")
            raise LoginRequired(target)
        raise Problem(401, "not_signed_in", "sign in or send an API token (Authorization: Bearer …)",
                      headers={"WWW-Authenticate": "Bearer"})
    if principal.role not in roles:
        raise Problem(403, "forbidden", f"role {principal.role!r} may not use this")
    if principal.via == "session" and request.method in UNSAFE:
        await check_csrf(request, principal)


async def check_csrf(request: Request, principal: Principal) -> None:
    sent = request.headers.get("x-csrf-token")
    if not sent and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not sent or not principal.csrf or not hmac.compare_digest(sent, principal.csrf):
        raise Problem(403, "csrf_failed", "missing or wrong CSRF token; reload the page and try again")


def current(request: Request) -> Principal:
    principal = _resolve(request)
    if principal is None:  # authorize() already refused; defensive
        raise Problem(401, "not_signed_in", "sign in first")
    return principal


def db(request: Request) -> Iterator[Session]:
    """A session in one transaction: committed when the route returns, rolled back on error."""
    with transaction(state(request).factory) as s:
        yield s


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


def page_of(items: list[Any], page: Paging) -> tuple[list[Any], int | None]:
    """Slice a fully loaded list: ``(items on this page, next offset or None)``."""
    chunk = items[page.offset : page.offset + page.limit]
    more = page.offset + page.limit < len(items)
    return chunk, (page.offset + page.limit if more else None)


def paging(limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Paging:
    return Paging(limit, offset)


def rate_limit_scan(request: Request) -> None:
    principal = _resolve(request)
    key = f"user:{principal.user.id}" if principal else client_key(request)
    wait = state(request).scan_limiter.take(key)
    if wait:
        raise Problem(429, "rate_limited", "too many scans; slow down",
                      headers={"Retry-After": str(max(1, int(wait + 0.999)))})


def rate_limit_login(request: Request) -> None:
    wait = state(request).login_limiter.take(client_key(request))
    if wait:
        raise Problem(429, "rate_limited", "too many sign-in attempts; wait and try again",
                      headers={"Retry-After": str(max(1, int(wait + 0.999)))})


DB = Annotated[Session, Depends(db)]
#: A database id in a path: a positive 32-bit integer (larger numbers are refused with 422, not sent to SQL).
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Me = Annotated[Principal, Depends(current)]
Page = Annotated[Paging, Depends(paging)]
