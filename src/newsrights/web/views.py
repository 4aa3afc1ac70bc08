"""HTML pages of the staff UI and the licensee portal (Jinja2, autoescaped, plain forms + htmx).

Pages are thin: they call the same services as the API and render. Every
form POST carries the session's CSRF token (checked in
:func:`newsrights.api.deps.authorize`); every piece of scraped text goes
through Jinja2's autoescape or :func:`newsrights.web.highlight.highlight`.
"""

from __future__ import annotations

import hmac
import importlib
import logging
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from newsrights.api.deps import Principal, cookie_secure, optional_principal, rate_limit_login, state
from newsrights.api.problems import Problem
from newsrights.services import accounts
from newsrights.storage.db import transaction
from newsrights.web import i18n

log = logging.getLogger(__name__)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
TEMPLATES.env.autoescape = True

router = APIRouter(include_in_schema=False)


def language(request: Request) -> str:
    return i18n.pick_language(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE),
                              request.headers.get("accept-language"))


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = language(request)
    try:
        principal = optional_principal(request)
    except Problem:  # a bad token on a public page or while rendering an error
        principal = None
    ctx.update(request=request, lang=lang, t=i18n.translator(lang), me=principal,
               csrf=principal.csrf if principal else None)
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)


def error_page(request: Request, status: int, code: str, detail: str, *,
               headers: dict[str, str] | None = None) -> HTMLResponse:
    resp = render(request, "error.html", status_code=status, status=status, code=code, detail=detail)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def service(name: str) -> ModuleType:
    """Another area's service module, or a 503 page while it has not landed."""
    try:
        return importlib.import_module(f"newsrights.services.{name}")
    except ImportError as exc:
        raise Problem(503, "service_unavailable", f"services.{name} is not installed ({exc})") from exc


def safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


# --- sign-in, language ------------------------------------------------------------------------


LOGIN_CSRF_COOKIE = "nr_login_csrf"
LOGIN_CSRF_MAX_AGE = 2 * 3600


def _login_serializer(request: Request) -> Any:
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(state(request).config.secret, salt="newsrights-login-csrf")


def _login_token(request: Request) -> str | None:
    """The token of the pre-session cookie, if it is there, signed by us and not older than 2 hours."""
    from itsdangerous import BadSignature

    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie:
        return None
    try:
        token = _login_serializer(request).loads(cookie, max_age=LOGIN_CSRF_MAX_AGE)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def login_page(request: Request, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """The sign-in form with its login CSRF token: a random token in a hidden field and, signed, in the
    pre-session cookie ``nr_login_csrf`` (HttpOnly, SameSite=Lax, path ``/login``); reused while valid."""
    import secrets

    token = _login_token(request) or secrets.token_urlsafe(32)
    response = render(request, "login.html", status_code=status_code, login_csrf=token, **ctx)
    response.set_cookie(LOGIN_CSRF_COOKIE, _login_serializer(request).dumps(token), max_age=LOGIN_CSRF_MAX_AGE,
                        httponly=True, samesite="lax", secure=cookie_secure(request), path="/login")
    return response


def login_csrf_ok(request: Request, sent: str) -> bool:
    """Double submit, signed: the form's token must equal the token signed into the pre-session cookie.

    Refuses login CSRF (a forged form signing the victim into the attacker's account): another
    site can post the form but can neither read nor set our cookie."""
    expected = _login_token(request)
    return bool(sent) and expected is not None and hmac.compare_digest(sent, expected)


@router.get("/login", response_class=HTMLResponse)
def web_login_form(request: Request, next: str = "/") -> HTMLResponse:
    return login_page(request, next=safe_next(next), failed=False)


@router.post("/login")
def web_login(request: Request, username: str = Form(..., max_length=80), password: str = Form(..., max_length=1024),
              next: str = Form("/"), csrf_token: str = Form("", max_length=200)) -> Response:
    rate_limit_login(request)
    from newsrights.api.auth import sign_in

    if not login_csrf_ok(request, csrf_token):
        log.warning("sign-in form without a valid login CSRF token refused (user %r)", username[:80])
        return login_page(request, status_code=403, next=safe_next(next), failed=False, expired=True,
                          username=username)
    response = RedirectResponse(safe_next(next), status_code=303)
    if sign_in(request, response, username, password) is None:
        return login_page(request, status_code=401, next=safe_next(next), failed=True, username=username)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login", httponly=True, samesite="lax",
                           secure=cookie_secure(request))
    return response


@router.post("/logout")
def web_logout(request: Request) -> Response:
    from newsrights.api.auth import sign_out

    response = RedirectResponse("/login", status_code=303)
    principal = optional_principal(request)
    if principal is not None:
        sign_out(request, response, principal)
    return response


@router.get("/lang/{code}")
def web_set_language(request: Request, code: str, next: str = "/") -> Response:
    if code not in i18n.LANGUAGES:
        raise Problem(404, "not_found", "unknown language")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(i18n.COOKIE, code, max_age=365 * 86400, samesite="lax", secure=cookie_secure(request),
                        httponly=True, path="/")
    return response


@router.get("/")
def web_home(request: Request) -> Response:
    principal: Principal | None = optional_principal(request)
    if principal is not None and principal.role == "licensee":
        return RedirectResponse("/portal", status_code=303)
    return RedirectResponse("/dashboard", status_code=303)


# --- accounts ---------------------------------------------------------------------------------


@router.get("/users", response_class=HTMLResponse)
def web_users(request: Request) -> HTMLResponse:
    with transaction(state(request).factory) as s:
        users = accounts.list_users(s)
    return render(request, "users.html", users=users, roles=accounts.ROLES, error=None)


@router.post("/users")
def web_users_create(request: Request, username: str = Form(..., max_length=80),
                     password: str = Form(..., max_length=1024), role: str = Form(...),
                     display_name: str = Form("", max_length=200), party_id: str = Form("", max_length=200)) -> Response:
    me = optional_principal(request)
    assert me is not None
    try:
        with transaction(state(request).factory) as s:
            accounts.create_user(s, username=username, password=password, role=role, display_name=display_name,
                                 party_id=party_id or None, actor=me.user.username)
    except Exception as exc:  # InputError: show it on the form
        from newsrights.errors import InputError

        if not isinstance(exc, InputError):
            raise
        with transaction(state(request).factory) as s:
            users = accounts.list_users(s)
        return render(request, "users.html", status_code=400, users=users, roles=accounts.ROLES, error=str(exc))
    return RedirectResponse("/users", status_code=303)


from newsrights.web import desk, pages  # noqa: E402,F401  (registers the remaining pages on ``router``)
