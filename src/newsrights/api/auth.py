"""Opening and closing browser sessions (shared by the API login and the web sign-in form)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response

from newsrights.api.deps import SESSION_COOKIE, Principal, cookie_secure, state
from newsrights.services import accounts
from newsrights.storage.db import transaction


def sign_in(request: Request, response: Response, username: str, password: str) -> tuple[accounts.User, str] | None:
    """Check the password, open a session and set its cookie: ``(user, csrf)`` or ``None``.

    The cookie holds only the itsdangerous-signed session id; it is HttpOnly,
    SameSite=Lax, Secure (except plain http on loopback) and lives as long as
    the session.
    """
    st = state(request)
    with transaction(st.factory) as s:
        user = accounts.authenticate(s, username, password)
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
