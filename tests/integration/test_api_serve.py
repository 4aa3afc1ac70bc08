"""``newsrights serve`` on the SQLite default with first-run admin creation, and the users/tokens commands."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from newsrights.cli.main import app as cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_creates_the_first_admin_and_serves_the_schema(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, NEWSRIGHTS_HOME=str(tmp_path / "home"), NEWSRIGHTS_ADMIN_PASSWORD="first-admin-pw")
    env.pop("NEWSRIGHTS_SECRET", None)
    env.pop("NEWSRIGHTS_DB", None)
    log = tmp_path / "serve.log"
    proc = subprocess.Popen([sys.executable, "-m", "newsrights.cli.main", "serve", "--port", str(port)],
                            cwd=tmp_path, env=env, stderr=log.open("w"), stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.3)
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
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    err = log.read_text()
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
