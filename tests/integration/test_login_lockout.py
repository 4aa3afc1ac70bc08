"""The sign-in lockout holds across processes (two apps on one database stand for two workers),
answers 429 with Retry-After, and is listed for admins; the scan bucket is each worker's share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from newsrights.api.app import create_app
from newsrights.api.config import WebConfig
from newsrights.core.lockout import LockoutPolicy
from newsrights.services import login_attempts
from newsrights.settings import Settings
from newsrights.storage.db import transaction
from tests.unit.web.support import api_client, make_app, password, running_serve

# per-process buckets out of the way: what is tested here is the database lockout
KNOBS = {"login_burst": 10_000, "login_rate": 1000.0, "login_max_user_failures": 3, "login_max_client_failures": 5,
         "login_window_seconds": 600.0}


def _worker(db_url: str, home: Path) -> TestClient:
    """Another process's app on the same database (no users created: the first app made them)."""
    app = create_app(Settings(db_url=db_url, home=home), config=WebConfig(secret="test-secret-" + "x" * 32, **KNOBS))  # type: ignore[arg-type]
    return TestClient(app, base_url="https://testserver")


def _login(c: TestClient, user: str, pw: str) -> int:
    return c.post("/api/v1/auth/login", json={"username": user, "password": pw}).status_code


def test_username_lockout_holds_across_two_workers(db_url: str, tmp_path: Path) -> None:
    one = TestClient(make_app(db_url, tmp_path, **KNOBS), base_url="https://testserver")
    two = _worker(db_url, tmp_path)
    # three failures spread over both workers reach the username's limit of 3
    assert [_login(one, "admin1", "wrong-1"), _login(two, "admin1", "wrong-2"), _login(one, "admin1", "wrong-3")] \
        == [401, 401, 401]
    for c in (two, one):  # each worker refuses now, even the right password
        r = c.post("/api/v1/auth/login", json={"username": "admin1", "password": password("admin")})
        assert r.status_code == 429, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"].endswith("login_locked")
        assert 590 <= int(r.headers["retry-after"]) <= 600  # the oldest of the 3 failures leaves the 600 s window
    # another username from the same address is not locked (3 failures < the address's limit of 5)
    assert _login(two, "sales1", password("sales")) == 200


def test_address_lockout_spans_usernames_and_survives_a_success(db_url: str, tmp_path: Path) -> None:
    one = TestClient(make_app(db_url, tmp_path, **KNOBS), base_url="https://testserver")
    two = _worker(db_url, tmp_path)
    # spraying: two failures each on several usernames, alternating workers
    codes = [_login(c, u, "guess-pw-1") for u in ("admin1", "analyst1") for c in (one, two)]
    assert codes == [401, 401, 401, 401]
    # a success resets the username's count but not the address's: 4 failures + this success
    assert _login(one, "sales1", password("sales")) == 200
    assert _login(two, "legal1", "guess-pw-1") == 401  # 5th failure from this address
    r = two.post("/api/v1/auth/login", json={"username": "licensee1", "password": password("licensee")})
    assert r.status_code == 429 and "address" in r.json()["detail"]
    assert 1 <= int(r.headers["retry-after"]) <= 600


def test_a_success_resets_the_username_count(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, **KNOBS)
    c = TestClient(app, base_url="https://testserver")
    assert [_login(c, "admin1", "typo-typo") for _ in range(2)] == [401, 401]
    assert _login(c, "admin1", password("admin")) == 200
    assert [_login(c, "admin1", "typo-typo") for _ in range(2)] == [401, 401]  # 2 since the success: < 3
    assert _login(c, "admin1", password("admin")) == 200
    assert _login(c, "admin1", "typo-typo") == 401  # 5 failures at the address so far: its limit
    assert _login(c, "admin1", password("admin")) == 429


def test_lockout_ends_when_the_window_passes(db_url: str, tmp_path: Path) -> None:
    """Failures recorded 11 minutes ago no longer count in a 10-minute window; refused attempts
    made while locked out do not extend the lockout."""
    app = make_app(db_url, tmp_path, **KNOBS)
    factory = app.state.nr.factory
    long_ago = datetime.now(UTC) - timedelta(minutes=11)
    with transaction(factory) as s:
        for i in range(3):
            login_attempts.record(s, "admin1", "testclient", "failed", now=long_ago + timedelta(seconds=i))
        for i in range(50):
            login_attempts.record(s, "admin1", "testclient", "refused", now=datetime.now(UTC) - timedelta(seconds=i))
    c = TestClient(app, base_url="https://testserver")
    assert _login(c, "admin1", password("admin")) == 200
    policy = LockoutPolicy(timedelta(minutes=10), 3, 5)
    with transaction(factory) as s:
        assert login_attempts.lockout(s, "admin1", "testclient", policy) is None
        assert login_attempts.lockout(s, "admin1", "testclient", policy, now=long_ago + timedelta(seconds=5)) \
            is not None  # at that time it was locked


def test_web_form_is_locked_too(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'web.sqlite'}", tmp_path, **KNOBS)
    c = TestClient(app, base_url="https://testserver")
    for _ in range(3):
        assert _login(c, "analyst1", "not-the-pw") == 401
    page = c.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = c.post("/login", data={"username": "analyst1", "password": password("analyst"), "next": "/",
                               "csrf_token": token}, headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "nr_session" not in r.cookies


def test_attempts_are_listed_for_admins(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, **KNOBS)
    c = TestClient(app, base_url="https://testserver")
    for _ in range(3):
        _login(c, "legal1", "nope-nope")
    _login(c, "legal1", password("legal"))  # refused
    _login(c, "sales1", password("sales"))
    admin = api_client(app, "admin")
    every = admin.get("/api/v1/login-attempts").json()
    assert every["total"] == 5
    assert [a["outcome"] for a in every["items"]] == ["ok", "refused", "failed", "failed", "failed"]
    assert {a["client"] for a in every["items"]} == {"testclient"}
    assert "nope" not in str(every)  # passwords are never kept
    mine = admin.get("/api/v1/login-attempts", params={"username": "legal1", "outcome": "failed", "limit": 2}).json()
    assert mine["total"] == 3 and len(mine["items"]) == 2 and mine["next_offset"] == 2
    assert admin.get("/api/v1/login-attempts", params={"outcome": "maybe"}).status_code == 422
    assert api_client(app, "analyst").get("/api/v1/login-attempts").status_code == 403


def test_old_attempts_are_pruned(db_url: str, tmp_path: Path) -> None:
    from newsrights.storage.db import open_db

    factory = open_db(db_url)
    now = datetime.now(UTC)
    with transaction(factory) as s:
        login_attempts.record(s, "x", "1.2.3.4", "failed", now=now - timedelta(days=40))
        login_attempts.record(s, "x", "1.2.3.4", "failed", now=now - timedelta(days=2))
        login_attempts.record(s, "x", "1.2.3.4", "ok", now=now)
    with transaction(factory) as s:
        items, total = login_attempts.list_attempts(s, username="x")
    assert total == 2 and [a.outcome for a in items] == ["ok", "failed"]
    assert items[0].at.tzinfo is not None and abs((items[0].at - now).total_seconds()) < 1


def test_scan_bucket_is_the_workers_share(tmp_path: Path) -> None:
    """With 3 workers configured, a worker's scan bucket holds burst // 3 tokens: the 4th request
    of a burst of 10 is refused by this worker (three workers together allow 9 <= 10)."""
    app = make_app(f"sqlite:///{tmp_path / 'share.sqlite'}", tmp_path, scan_burst=10, scan_rate=0.01, workers=3)
    assert app.state.nr.scan_limiter.burst == 3 and app.state.nr.scan_limiter.rate == 0.01 / 3
    c = api_client(app, "analyst")
    codes = [c.post("/api/v1/scans/text", json={"text": "一段不在目录里的文字。" * 3}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    login = app.state.nr.login_limiter
    assert (login.rate, login.burst) == (WebConfig(secret="s").login_rate / 3, WebConfig(secret="s").login_burst // 3)


def test_an_admin_unlocks_a_username_or_an_address(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, **KNOBS)
    c = TestClient(app, base_url="https://testserver")
    for _ in range(3):
        _login(c, "admin1", "wrong-wrong")
    assert _login(c, "admin1", password("admin")) == 429
    with transaction(app.state.nr.factory) as s:
        login_attempts.unlock(s, actor="test", username="admin1")
    assert _login(c, "admin1", password("admin")) == 200
    # the address: 2 more failures make 5 (its limit); unlocking the username does not help then
    for _ in range(2):
        _login(c, "sales1", "wrong-wrong")
    assert _login(c, "legal1", password("legal")) == 429
    with transaction(app.state.nr.factory) as s:
        login_attempts.unlock(s, actor="test", username="legal1")
    assert _login(c, "legal1", password("legal")) == 429
    with transaction(app.state.nr.factory) as s:
        login_attempts.unlock(s, actor="test", client="testclient")
        from newsrights.services.audit import iter_entries

        assert {e.entity for e in iter_entries(s, actor="test") if e.action == "session.unlocked"} == {"user", "client"}
    assert _login(c, "legal1", password("legal")) == 200


def test_logins_cli_lists_and_unlocks(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from newsrights.cli.main import app as cli
    from newsrights.errors import InputError

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    app = make_app(url, tmp_path, **KNOBS)
    c = TestClient(app, base_url="https://testserver")
    for _ in range(3):
        _login(c, "<b>admin1</b>", "wrong-wrong")
    runner = CliRunner()
    r = runner.invoke(cli, ["logins", "list", "--db", url, "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["total"] == 3 and doc["items"][0]["username"] == "<b>admin1</b>"
    r = runner.invoke(cli, ["logins", "unlock", "--db", url, "--user", "<b>admin1</b>", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == {"unlocked": {"username": "<b>admin1</b>", "client": None}}
    r = runner.invoke(cli, ["logins", "list", "--db", url, "--outcome", "unlocked"])
    assert r.exit_code == 0 and "'<b>admin1</b>'" in r.stdout
    r = runner.invoke(cli, ["logins", "list", "--db", url, "--outcome", "maybe"])
    assert isinstance(r.exception, InputError)
    r = runner.invoke(cli, ["logins", "unlock", "--db", url])
    assert isinstance(r.exception, InputError)


def test_serve_with_two_workers_shares_the_limits(tmp_path: Path) -> None:
    """Real ``newsrights serve --workers 2``: the lockout knobs and the worker count reach both
    processes; failures on fresh connections (landing on either worker) lock the username for
    both; one connection (one worker) gets half the scan burst."""
    import os

    import httpx

    from newsrights.services import accounts
    from newsrights.storage.db import open_db

    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    with transaction(open_db(url)) as s:
        user = accounts.create_user(s, username="ana", password="ana-secret-pw", role="analyst", actor="test")
        token, _ = accounts.create_token(s, user.id, actor="test")
    env = dict(os.environ, NEWSRIGHTS_HOME=str(tmp_path / "home"), NEWSRIGHTS_DB=url, NEWSRIGHTS_SECRET="s" * 40,
               NEWSRIGHTS_LOGIN_MAX_USER_FAILURES="3", NEWSRIGHTS_LOGIN_BURST="100", NEWSRIGHTS_SCAN_BURST="2",
               NEWSRIGHTS_SCAN_RATE="0.001", NEWSRIGHTS_SCAN_PRELOAD="0")
    env.pop("NEWSRIGHTS_WORKERS", None)
    with running_serve(tmp_path, env, "--workers", "2") as base:
        wrong = [httpx.post(base + "/api/v1/auth/login", json={"username": "ana", "password": f"wrong-{i}-pw"},
                            timeout=30).status_code for i in range(3)]
        assert wrong == [401, 401, 401]
        for _ in range(4):  # new connections: whichever worker answers refuses
            r = httpx.post(base + "/api/v1/auth/login", json={"username": "ana", "password": "ana-secret-pw"}, timeout=30)
            assert r.status_code == 429 and r.json()["type"].endswith("login_locked"), r.text
            assert 1 <= int(r.headers["retry-after"]) <= 900
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            codes = [c.post("/api/v1/scans/text", json={"text": "与目录无关的一段文字。"}).status_code for _ in range(2)]
        assert codes == [200, 429]  # burst 2 over 2 workers: 1 token on this connection's worker
