"""Health, sign-in and the caller's own identity."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

import newsrights
from newsrights.api.auth import sign_in, sign_out
from newsrights.api.deps import Me, rate_limit_login
from newsrights.api.problems import Problem
from newsrights.api.schemas import HealthOut, LoginIn, MeOut, SessionOut, UserOut

router = APIRouter(prefix="/api/v1", tags=["system"])


@router.get("/health", response_model=HealthOut)
def health() -> HealthOut:
    return HealthOut(status="ok", version=newsrights.__version__)


@router.post("/auth/login", response_model=SessionOut, dependencies=[Depends(rate_limit_login)])
def api_login(body: LoginIn, request: Request, response: Response) -> SessionOut:
    """Open a browser-style session (cookie); send the returned CSRF token as ``X-CSRF-Token`` on writes."""
    done = sign_in(request, response, body.username, body.password)
    if done is None:
        raise Problem(401, "bad_credentials", "wrong username or password")
    user, csrf = done
    return SessionOut(user=UserOut(**user.to_json()), csrf_token=csrf)


@router.post("/auth/logout", status_code=204)
def api_logout(request: Request, me: Me) -> Response:
    response = Response(status_code=204)
    sign_out(request, response, me)
    return response


@router.get("/me", response_model=MeOut)
def me(me: Me) -> MeOut:
    return MeOut(user=UserOut(**me.user.to_json()), via=me.via, csrf_token=me.csrf)  # type: ignore[arg-type]
