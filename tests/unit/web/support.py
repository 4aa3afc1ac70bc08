"""Test helpers of the web area: an app on a fresh database with one user per role."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsrights.api.app import create_app
from newsrights.api.config import WebConfig
from newsrights.services import accounts
from newsrights.settings import Settings
from newsrights.storage.db import transaction

accounts.use_fast_hashing_for_tests()

ROLES = accounts.ROLES
PARTY = "party:licensee-a"


def password(role: str) -> str:
    return f"pw-{role}-secret"


def make_app(db_url: str, home: Path, **config: object) -> FastAPI:
    """A migrated app with users ``<role>1`` for every role (the licensee is linked to :data:`PARTY`)."""
    settings = Settings(db_url=db_url, home=home)
    app = create_app(settings, config=WebConfig(secret="test-secret-" + "x" * 32, **config))  # type: ignore[arg-type]
    with transaction(app.state.nr.factory) as s:
        for role in ROLES:
            accounts.create_user(s, username=f"{role}1", password=password(role), role=role,
                                 party_id=PARTY if role == "licensee" else None, actor="test")
    return app


def token_for(app: FastAPI, role: str) -> str:
    with transaction(app.state.nr.factory) as s:
        uid = next(u.id for u in accounts.list_users(s) if u.username == f"{role}1")
        token, _ = accounts.create_token(s, uid, name="test", actor="test")
    return token


def api_client(app: FastAPI, role: str | None) -> TestClient:
    headers = {"Authorization": f"Bearer {token_for(app, role)}"} if role else {}
    return TestClient(app, base_url="https://testserver", headers=headers)


def browser_client(app: FastAPI, role: str) -> tuple[TestClient, str]:
    """A cookie-session client signed in through the web form; returns it with its CSRF token."""
    c = TestClient(app, base_url="https://testserver")
    r = c.post("/api/v1/auth/login", json={"username": f"{role}1", "password": password(role)})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]
