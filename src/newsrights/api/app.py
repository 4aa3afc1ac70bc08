"""The web application: REST API under ``/api/v1``, staff UI and licensee portal as HTML pages.

:func:`create_app` builds a new app for one installation (nothing is built at
import time); :func:`serve` runs it with uvicorn. Every route passes through
:func:`newsrights.api.deps.authorize` (the declared policy table), errors are
``application/problem+json``, and every response carries a strict
Content-Security-Policy (scripts only from ``/static``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import Depends, FastAPI, Request
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
        login_limiter=TokenBucket(config.login_rate, config.login_burst),
        scan_limiter=TokenBucket(config.scan_rate, config.scan_burst),
    )
    problems.install(app)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.url.path.startswith("/api/") or request.cookies:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    from newsrights.api.routes import accounts, system

    for module in (system, accounts):
        app.include_router(module.router)
    _include_optional_routers(app)

    from newsrights.web.views import router as web_router

    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _include_optional_routers(app: FastAPI) -> None:
    """Routers over services other areas provide; each is added only when its service has landed."""
    import importlib

    for name in ("catalog", "scans", "findings", "licences", "cases", "portal"):
        try:
            module = importlib.import_module(f"newsrights.api.routes.{name}")
        except ImportError as exc:
            log.warning("API routes %s not available: %s", name, exc)
            continue
        app.include_router(module.router)


def serve(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 8000, *,
          log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted (one process; the rate limits are in-process)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, proxy_headers=False)


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
