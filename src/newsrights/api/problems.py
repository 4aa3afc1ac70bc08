"""Errors as RFC 9457 ``application/problem+json``.

Every error response of the API carries ``type``, ``title``, ``status`` and
``detail`` (plus ``errors`` for validation failures). The web pages get the
same information as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsrights.errors import (
    ConfigError,
    IllegalTransition,
    InputError,
    NewsrightsError,
    RightsError,
    StorageError,
)

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 413: "Content Too Large", 422: "Unprocessable Content", 429: "Too Many Requests",
    500: "Internal Server Error", 503: "Service Unavailable",
}


class Problem(Exception):
    """Raise to answer with a problem document; ``code`` becomes the ``type`` slug."""

    def __init__(self, status: int, code: str, detail: str = "", *, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail or code)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}


class LoginRequired(Exception):
    """A web page was asked for without a session: redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def problem_body(status: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    body = {"type": f"urn:newsrights:problem:{code}", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail}
    body.update(extra)
    return body


def problem_response(status: int, code: str, detail: str = "", *, headers: dict[str, str] | None = None,
                     **extra: Any) -> JSONResponse:
    return JSONResponse(problem_body(status, code, detail, **extra), status_code=status, media_type=PROBLEM,
                        headers=headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    """Register the exception handlers that turn errors into problem documents."""

    def render(request: Request, status: int, code: str, detail: str, headers: dict[str, str] | None = None,
               **extra: Any):  # type: ignore[no-untyped-def]
        if _wants_html(request):
            from newsrights.web.views import error_page

            return error_page(request, status, code, detail, headers=headers)
        return problem_response(status, code, detail, headers=headers, **extra)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):  # type: ignore[no-untyped-def]
        return render(request, exc.status, exc.code, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):  # type: ignore[no-untyped-def]
        from urllib.parse import quote

        from fastapi.responses import RedirectResponse

        return RedirectResponse("/login?next=" + quote(exc.next_url, safe="/"), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        code = TITLES.get(exc.status_code, "error").lower().replace(" ", "_")
        return render(request, exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        return render(request, 422, "validation_error", "the request does not match the schema", errors=errors)

    @app.exception_handler(LookupError)
    async def _missing(request: Request, exc: LookupError):  # type: ignore[no-untyped-def]
        return render(request, 404, "not_found", str(exc).strip("'\""))

    @app.exception_handler(NewsrightsError)
    async def _domain(request: Request, exc: NewsrightsError):  # type: ignore[no-untyped-def]
        if isinstance(exc, IllegalTransition):
            return render(request, 409, "illegal_transition", str(exc))
        if isinstance(exc, InputError):
            return render(request, 400, "bad_input", str(exc))
        if isinstance(exc, RightsError):
            return render(request, 409, "rights_rule", str(exc))
        if isinstance(exc, (StorageError, ConfigError)):
            log.error("service unavailable: %s", exc)
            return render(request, 503, "service_unavailable", str(exc))
        log.exception("unexpected domain error")
        return render(request, 500, "internal_error", str(exc))
