"""``newsrights serve`` on the SQLite default with first-run admin creation, and the users/tokens commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
from typer.testing import CliRunner

from newsrights.cli.main import app as cli
from tests.unit.web.support import running_serve


def test_serve_creates_the_first_admin_and_serves_the_schema(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSRIGHTS_HOME=str(tmp_path / "home"), NEWSRIGHTS_ADMIN_PASSWORD="first-admin-pw")
    env.pop("NEWSRIGHTS_SECRET", None)
    env.pop("NEWSRIGHTS_DB", None)
    with running_serve(tmp_path, env) as base:
        assert (tmp_path / "newsrights.db").exists()  # the SQLite default in the working directory
        secret = tmp_path / "home" / "keys" / "session_secret"
        assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"
        schema = httpx.get(base + "/openapi.json").json()
        assert schema["info"]["title"] == "newsrights" and "/api/v1/scans/text" in schema["paths"]
        with httpx.Client(base_url=base) as c:
            r = c.post("/api/v1/auth/login", json={"username": "admin", "password": "first-admin-pw"})
            assert r.status_code == 200 and r.json()["user"]["role"] == "admin"
            # plain http on loopback: the cookie is not marked Secure so the local browser keeps it
            assert "secure" not in r.headers["set-cookie"].lower()
            assert c.get("/api/v1/me").json()["user"]["username"] == "admin"
        page = httpx.get(base + "/login")
        assert page.status_code == 200 and "登录" in page.text
    err = (tmp_path / "serve.log").read_text()  # running_serve keeps the server's log there
    assert "first run" in err and "admin" in err


def test_users_and_tokens_commands(tmp_path: Path) -> None:
    from newsrights.services import accounts

    accounts.use_fast_hashing_for_tests()
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    run = CliRunner().invoke
    r = run(cli, ["users", "add", "ana", "--role", "analyst", "--generate", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["role"] == "analyst" and len(out["password"]) >= 12
    r = run(cli, ["users", "add", "lic", "--role", "licensee", "--password", "long-password", "--db", db])
    assert r.exit_code != 0 and "party" in str(r.exception or r.output)
    r = run(cli, ["users", "add", "lic", "--role", "licensee", "--party", "urn:p:1", "--password", "long-password",
                  "--db", db])
    assert r.exit_code == 0, r.output
    listing = json.loads(run(cli, ["users", "list", "--db", db, "--json"]).stdout)
    assert [(u["username"], u["role"], u["party_id"]) for u in listing] == [("ana", "analyst", None),
                                                                              ("lic", "licensee", "urn:p:1")]
    r = run(cli, ["tokens", "create", "ana", "--name", "crm", "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["token"].startswith("nrt_")
    r = run(cli, ["users", "passwd", "ana", "--password", "another-password", "--db", db])
    assert r.exit_code == 0
