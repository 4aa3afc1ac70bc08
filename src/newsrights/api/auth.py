"""Opening and closing browser sessions (shared by the API login and the web sign-in form)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response

from newsrights.api.deps import SESSION_COOKIE, Principal, client_key, cookie_secure, state
from newsrights.api.problems import Problem
from newsrights.services import accounts, login_attempts
from newsrights.storage.db import transaction


def sign_in(request: Request, response: Response, username: str, password: str) -> tuple[accounts.User, str] | None:
    """Check the password, open a session and set its cookie: ``(user, csrf)`` or ``None``.

    The cookie holds only the itsdangerous-signed session id; it is HttpOnly,
    SameSite=Lax, Secure (except plain http on loopback) and lives as long as
    the session.

    Before the password is checked, the installation-wide lockout is asked
    (:mod:`newsrights.services.login_attempts`: failures per username and per client address,
    counted in the database so every worker sees them); a locked-out attempt is recorded as
    ``refused`` and answered 429 with ``Retry-After``. Every checked attempt is recorded as
    ``ok`` or ``failed``.
    """
    st = state(request)
    client = client_key(request)
    with transaction(st.factory) as s:
        locked = login_attempts.lockout(s, username, client, st.config.lockout_policy())
        if locked is not None:
            login_attempts.record(s, username, client, "refused")
    if locked is not None:
        what = "username" if locked.key == "username" else "address"
        raise Problem(429, "login_locked", f"too many failed sign-ins for this {what}; "
                      f"try again in {locked.retry_after} s", headers={"Retry-After": str(locked.retry_after)})
    with transaction(st.factory) as s:
        user = accounts.authenticate(s, username, password)
        login_attempts.record(s, username, client, "ok" if user is not None else "failed")
        if user is None:
            accounts.audit(s, actor=username[:80] or "?", action="session.login_failed", entity="user",
                           entity_id=username[:80])
            return None
        sid, csrf = accounts.start_session(s, user, ttl=timedelta(hours=st.config.session_hours))
    response.set_cookie(SESSION_COOKIE, st.signer.dumps(sid), max_age=st.config.session_hours * 3600,
                        httponly=True, samesite="lax", secure=cookie_secure(request), path="/")
    return user, csrf


def sign_out(request: Request, response: Response, principal: Principal) -> None:
    if principal.sid:
        with transaction(state(request).factory) as s:
            accounts.end_session(s, principal.sid)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=cookie_secure(request))
