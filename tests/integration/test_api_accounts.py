"""Accounts over the API and the web forms: sign-in, sessions, CSRF, tokens, rate limits, audit safety."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.unit.web.support import api_client, browser_client, make_app, password


def test_login_session_csrf_and_logout(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path)
    c, csrf = browser_client(app, "admin")
    cookie = c.cookies.get("nr_session")
    assert cookie and "admin" not in cookie  # only a signed random id
    me = c.get("/api/v1/me").json()
    assert me["user"]["username"] == "admin1" and me["via"] == "session" and me["csrf_token"] == csrf
    # a write without the CSRF token is refused, with it accepted
    body = {"username": "newbie", "password": "long-enough-pw", "role": "sales"}
    r = c.post("/api/v1/users", json=body)
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("csrf_failed")
    r = c.post("/api/v1/users", json=body, headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    r = c.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201 and r.json()["role"] == "sales"
    # duplicate -> 400 problem
    r = c.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400 and "already exists" in r.json()["detail"]
    assert c.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    c.cookies.set("nr_session", cookie, domain="testserver.local")
    fresh = TestClient(app, base_url="https://testserver", cookies={"nr_session": cookie})
    assert fresh.get("/api/v1/me").status_code == 401  # the session was revoked server-side


def test_session_cookie_flags(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path)
    c = TestClient(app, base_url="https://testserver")
    r = c.post("/api/v1/auth/login", json={"username": "analyst1", "password": password("analyst")})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    # a forged cookie is ignored
    forged = TestClient(app, base_url="https://testserver", cookies={"nr_session": "abc.def.ghi"})
    assert forged.get("/api/v1/me").status_code == 401


def test_wrong_password_and_login_rate_limit(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, login_burst=3, login_rate=0.001)
    c = TestClient(app, base_url="https://testserver")
    codes = [c.post("/api/v1/auth/login", json={"username": "admin1", "password": "nope-nope"}).status_code
             for _ in range(3)]
    assert codes == [401, 401, 401]
    r = c.post("/api/v1/auth/login", json={"username": "admin1", "password": password("admin")})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.headers["content-type"] == "application/problem+json"


def test_tokens_are_hashed_and_revocable(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path)
    admin = api_client(app, "admin")
    users = admin.get("/api/v1/users").json()
    assert users["total"] == 5 and {u["role"] for u in users["items"]} == {"admin", "analyst", "sales", "legal", "licensee"}
    sales_id = next(u["id"] for u in users["items"] if u["role"] == "sales")
    created = admin.post("/api/v1/tokens", json={"user_id": sales_id, "name": "crm"}).json()
    token = created["token"]
    from sqlalchemy import text

    with app.state.nr.factory() as s:
        stored = [row[0] for row in s.execute(text("SELECT token_hash FROM api_tokens"))]
    assert token not in stored and all(len(h) == 64 for h in stored)
    c = TestClient(app, base_url="https://testserver", headers={"Authorization": f"Bearer {token}"})
    assert c.get("/api/v1/me").json()["user"]["role"] == "sales"
    assert admin.delete(f"/api/v1/tokens/{created['info']['id']}").status_code == 204
    r = c.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["type"].endswith("bad_token")


def test_disabling_a_user_ends_its_access(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path)
    legal, _ = browser_client(app, "legal")
    admin = api_client(app, "admin")
    legal_id = next(u["id"] for u in admin.get("/api/v1/users").json()["items"] if u["role"] == "legal")
    assert admin.patch(f"/api/v1/users/{legal_id}", json={"active": False}).json()["active"] is False
    assert legal.get("/api/v1/me").status_code == 401
    r = TestClient(app, base_url="https://testserver").post(
        "/api/v1/auth/login", json={"username": "legal1", "password": password("legal")})
    assert r.status_code == 401


def test_web_sign_in_form_redirects_and_refuses_open_redirect(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path)
    c = TestClient(app, base_url="https://testserver", follow_redirects=False)
    r = c.get("/users", headers={"accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/users"
    form = c.get("/login?next=/users").text
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    r = c.post("/login", data={"username": "admin1", "password": "bad-password", "next": "/users", "csrf_token": token})
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = c.post("/login", data={"username": "admin1", "password": password("admin"), "next": "//evil.example/x",
                               "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/"
    page = c.get("/users")
    assert page.status_code == 200 and "admin1" in page.text and 'name="csrf_token"' in page.text
    # form POST without CSRF is refused
    r = c.post("/users", data={"username": "x1", "password": "long-enough-pw", "role": "sales"})
    assert r.status_code == 403


def test_session_secret_is_generated_per_installation(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsrights.api.config import load_secret
    from newsrights.settings import Settings

    monkeypatch.delenv("NEWSRIGHTS_SECRET", raising=False)
    s1 = load_secret(Settings(home=tmp_path / "a"))
    assert s1 == load_secret(Settings(home=tmp_path / "a"))
    assert s1 != load_secret(Settings(home=tmp_path / "b"))
    path = tmp_path / "a" / "keys" / "session_secret"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("NEWSRIGHTS_SECRET", "from-env")
    assert load_secret(Settings(home=tmp_path / "a")) == "from-env"
