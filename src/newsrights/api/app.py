"""The web application: REST API under ``/api/v1``, staff UI and licensee portal as HTML pages.

:func:`create_app` builds a new app for one installation (nothing is built at
import time); :func:`serve` runs it with uvicorn. Every route passes through
:func:`newsrights.api.deps.authorize` (the declared policy table), errors are
``application/problem+json``, and every response carries a strict
Content-Security-Policy (scripts only from ``/static``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer

import newsrights
from newsrights.api import problems
from newsrights.api.config import WebConfig
from newsrights.api.deps import AppState, authorize
from newsrights.api.ratelimit import TokenBucket
from newsrights.api.schemas import ProblemOut
from newsrights.settings import Settings
from newsrights.storage.db import open_db

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

ERROR_RESPONSES = {
    code: {"model": ProblemOut, "content": {"application/problem+json": {}}, "description": desc}
    for code, desc in ((400, "Bad input"), (401, "Not signed in"), (403, "Forbidden"),
                       (404, "Not found"), (409, "Conflict with a rights rule"), (422, "Invalid request"),
                       (429, "Rate limited"), (503, "A service this route needs is not installed"))
}


class SecurityHeaders:
    """Pure ASGI middleware: CSP, nosniff, referrer and framing policy on every response, and
    ``Cache-Control: no-store`` on API answers and on pages seen with cookies (signed-in pages)."""

    HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith("/api/") or any(k == b"cookie" for k, _ in scope.get("headers", ()))

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in self.HEADERS if h[0] not in present)
                if private and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None, *, config: WebConfig | None = None, migrate: bool = True) -> FastAPI:
    """A new app on ``settings.db_url`` (migrated to the newest schema unless ``migrate=False``)."""
    settings = settings or Settings.from_env()
    config = config or WebConfig.for_settings(settings)
    factory = open_db(settings.db_url, migrate=migrate)
    app = FastAPI(
        title="newsrights",
        version=newsrights.__version__,
        description="The rights desk of a news publisher: catalog, licences, copies found, verdicts, cases.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(authorize)],
        responses=ERROR_RESPONSES,  # type: ignore[arg-type]
    )
    app.state.nr = AppState(
        settings=settings,
        config=config,
        factory=factory,
        signer=URLSafeTimedSerializer(config.secret, salt="newsrights-session"),
        # each of ``config.workers`` processes holds its share of the allowances (see WebConfig.share)
        login_limiter=TokenBucket(*config.share(config.login_rate, config.login_burst)),
        scan_limiter=TokenBucket(*config.share(config.scan_rate, config.scan_burst)),
    )
    problems.install(app)

    app.add_middleware(SecurityHeaders)
    _add_scan_fast_path(app)

    from newsrights.api.routes import accounts, system

    for module in (system, accounts):
        app.include_router(module.router)
    _include_optional_routers(app)

    from newsrights.web.views import router as web_router

    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if config.scan_preload:
        import threading

        threading.Thread(target=_preload_index, args=(app.state.nr,), name="newsrights-index", daemon=True).start()
    return app


def _add_scan_fast_path(app: FastAPI) -> None:
    """Put :class:`~newsrights.api.fastpath.ScanTextFastPath` in front of the whole middleware
    stack (it adds the security headers to its own answers; everything else goes through)."""
    from newsrights.api.fastpath import ScanTextFastPath

    enabled = os.environ.get("NEWSRIGHTS_SCAN_FAST_PATH", "1") != "0"
    build = app.build_middleware_stack

    def build_with_fast_path() -> Any:
        return ScanTextFastPath(build(), enabled=enabled,
                                headers=SecurityHeaders.HEADERS + [(b"cache-control", b"no-store")])

    app.build_middleware_stack = build_with_fast_path  # type: ignore[method-assign]


def _preload_index(st: AppState) -> None:
    """Open the match index now (see ``WebConfig.scan_preload``); a failure is logged, and the
    first check opens it again."""
    try:
        st.prepare_scanner()
    except Exception:
        log.exception("could not open the match index at start; the first check will retry")


def _include_optional_routers(app: FastAPI) -> None:
    """Routers over services other areas provide; each is added only when its service has landed."""
    import importlib

    for name in ("catalog", "scans", "findings", "licences", "cases", "portal", "search"):
        try:
            module = importlib.import_module(f"newsrights.api.routes.{name}")
        except ImportError as exc:
            log.warning("API routes %s not available: %s", name, exc)
            continue
        app.include_router(module.router)


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory newsrights.api.app:app_from_env`` (settings from ``NEWSRIGHTS_*``)."""
    return create_app(Settings.from_env())


def serve(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 8000, *,
          workers: int = 1, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted.

    With ``workers > 1`` uvicorn forks that many processes, each building the app
    from the environment (``NEWSRIGHTS_DB``/``NEWSRIGHTS_HOME`` are set from
    ``settings``) and holding its own copy of the match index. ``NEWSRIGHTS_WORKERS`` tells
    each process how many share the scan and login token buckets (each takes ``1/workers`` of
    the configured rate and burst); the sign-in lockout is counted in the shared database.
    """
    import os

    import uvicorn

    settings = settings or Settings.from_env()
    # the processes sharing the rate allowances (a value already set names the total over several servers)
    os.environ.setdefault("NEWSRIGHTS_WORKERS", str(max(1, workers)))
    if workers <= 1:
        os.environ.setdefault("NEWSRIGHTS_SCAN_PRELOAD", "1")  # open the index while starting
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, proxy_headers=False)
        return
    os.environ["NEWSRIGHTS_DB"] = settings.db_url
    os.environ["NEWSRIGHTS_HOME"] = str(settings.home)
    # create the session secret once, before the workers read it, and migrate once (no index here)
    create_app(settings, config=WebConfig.for_settings(settings, scan_preload=False))
    os.environ.setdefault("NEWSRIGHTS_SCAN_PRELOAD", "1")  # each worker opens its index as it starts
    uvicorn.run("newsrights.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, proxy_headers=False)


def iter_routes(app: FastAPI) -> list[tuple[str, str, frozenset[str]]]:
    """Every API and page route of ``app`` as ``(name, full path, methods)`` (routers flattened)."""
    from fastapi.routing import APIRoute

    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: included routes are copied into app.routes
        return [(r.name, r.path, frozenset(r.methods)) for r in app.routes if isinstance(r, APIRoute)]
    out = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if isinstance(route, APIRoute):
            out.append((ctx.name or route.name, ctx.path or route.path, frozenset(route.methods)))
    return out
