"""Authorisation on every route: each role (and no one) against every route of the app,
checked against the declared policy table :data:`newsrights.api.policy.POLICY`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsrights.api.app import iter_routes
from newsrights.api.policy import PERMISSIONS, POLICY, PUBLIC
from tests.unit.web.support import ROLES, make_app, token_for


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("authz")
    return make_app(f"sqlite:///{home / 'authz.sqlite'}", home, login_burst=10_000, login_rate=1000.0)


def _routes(app) -> list[tuple[str, str, frozenset[str]]]:  # type: ignore[no-untyped-def]
    return iter_routes(app)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)


def test_every_route_is_declared_and_every_declaration_is_a_route(app) -> None:  # type: ignore[no-untyped-def]
    names = [name for name, _, _ in _routes(app)]
    assert len(names) == len(set(names)), "route names must be unique (the policy is keyed by name)"
    undeclared = sorted(set(names) - set(POLICY))
    assert not undeclared, f"routes without an authorisation policy: {undeclared}"
    stale = sorted(set(POLICY) - set(names))
    assert not stale, f"policy entries without a route (a router failed to load?): {stale}"
    assert set(POLICY.values()) <= set(PERMISSIONS)


def test_each_role_against_each_route(app) -> None:  # type: ignore[no-untyped-def]
    tokens = {role: token_for(app, role) for role in ROLES}
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    checked = 0
    for name, route_path, methods in _routes(app):
        perm = POLICY[name]
        allowed = PERMISSIONS[perm]
        path = _concrete(route_path)
        for method in sorted(methods - {"HEAD"}):
            for role in (None, *ROLES):
                headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
                headers["accept"] = "application/json"
                client.cookies.clear()
                kwargs = {"json": {}} if method in ("POST", "PUT", "PATCH") and path.startswith("/api/") else {}
                r = client.request(method, path, headers=headers, **kwargs)
                where = f"{method} {path} as {role or 'anonymous'} (policy {perm})"
                if perm == PUBLIC:
                    assert r.status_code not in (401, 403), where
                elif role is None:
                    assert r.status_code in (401, 303), f"{where}: {r.status_code}"
                    if r.status_code == 303:
                        assert r.headers["location"].startswith("/login"), where
                elif role in allowed:
                    assert r.status_code not in (401, 403), f"{where}: {r.status_code} {r.text[:200]}"
                    assert r.status_code < 500 or r.status_code == 503, f"{where}: {r.status_code} {r.text[:300]}"
                else:
                    assert r.status_code == 403, f"{where}: {r.status_code}"
                    assert r.headers["content-type"].startswith(("application/problem+json", "text/html")), where
                checked += 1
    assert checked >= 6 * len(_routes(app))


def test_an_undeclared_route_is_refused(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'u.sqlite'}", tmp_path)

    @app.get("/api/v1/sneaky")
    def sneaky() -> dict[str, str]:
        return {"secret": "yes"}

    r = TestClient(app, base_url="https://testserver").get(
        "/api/v1/sneaky", headers={"Authorization": f"Bearer {token_for(app, 'admin')}"})
    assert r.status_code == 403 and r.json()["type"].endswith("undeclared_route")
