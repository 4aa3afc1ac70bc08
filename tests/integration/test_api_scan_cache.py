""""Check this text" over the API with the per-process caches (token owners, licence registry,
catalog records), on SQLite and PostgreSQL: what another process writes — a licence, a new
article version, a token revocation — is seen by this app's next checks."""

from __future__ import annotations

import dataclasses
import gc
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from newsrights.core.model import Article
from newsrights.services import accounts, catalog
from newsrights.storage.db import transaction
from tests.unit.web.support import api_client, make_app, token_for

ART = Article(body=("国际在线消息：某地举行文化活动，数百名市民参加，现场气氛热烈。",
                    "活动持续三天，主办方表示明年还将继续举办，并邀请更多团体参加。",
                    "当地居民说，这样的活动丰富了大家的业余生活，希望多多举办。"),
              title="文化活动", url="https://news.cri.cn/20260101/c1.html", site="news.cri.cn", source="国际在线")
COPY = {"text": "来源:国际在线\n\n" + "\n\n".join(ART.body), "url": "https://a.example/copy.html"}


def _in_another_process(db_url: str, code: str) -> None:
    prelude = "import sys\nfrom datetime import date\nfrom newsrights.storage.db import open_db\nf = open_db(sys.argv[1])\n"
    subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code), db_url], check=True, timeout=120)


def test_licence_and_new_version_written_elsewhere_are_seen_by_the_next_check(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path)
    catalog.ingest(app.state.nr.factory, [ART])
    c = api_client(app, "analyst")
    before = c.post("/api/v1/scans/text", json=COPY).json()
    assert before["count"] == 1 and before["findings"][0]["verdict"] != "licensed_credited"
    _in_another_process(db_url, """
        from newsrights.services import licensing as L
        L.add_licence(f, L.LicenceTerms("甲网", domains=("a.example",), start=date(2020, 1, 1)))
    """)
    (licensed,) = c.post("/api/v1/scans/text", json=COPY).json()["findings"]
    assert licensed["verdict"] == "licensed_credited", licensed["verdict_reasons"]
    assert licensed["registry_snapshot"] != before["findings"][0]["registry_snapshot"]
    _in_another_process(db_url, """
        from newsrights.core.model import Article
        from newsrights.services import catalog
        catalog.ingest(f, [Article(body=("新华社北京电 某地举行文化活动，数百名市民参加，现场气氛热烈。",
                                         "活动持续三天，主办方表示明年还将继续举办，并邀请更多团体参加。",
                                         "当地居民说，这样的活动丰富了大家的业余生活，希望多多举办。"),
                                   title="文化活动", url="https://news.cri.cn/20260101/c1.html",
                                   site="news.cri.cn", source="新华社")])
    """)
    (reprint,) = c.post("/api/v1/scans/text", json=COPY).json()["findings"]
    assert reprint["verdict"] == "not_ours", reprint["verdict_reasons"]


def test_a_revoked_token_is_refused_here_at_once_and_after_the_cache_time_when_revoked_elsewhere(
    db_url: str, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, token_cache_seconds=0.5)
    factory = app.state.nr.factory
    token = token_for(app, "analyst")
    c = api_client(app, None)
    auth = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/v1/me", headers=auth).status_code == 200  # now cached
    with transaction(factory) as s:
        (info,) = [t for t in accounts.list_tokens(s) if t.name == "test"]
    _in_another_process(db_url, f"""
        from newsrights.services import accounts
        from newsrights.storage.db import transaction
        with transaction(f) as s:
            accounts.revoke_token(s, {info.id}, actor="elsewhere")
    """)
    time.sleep(0.6)
    assert c.get("/api/v1/me", headers=auth).status_code == 401


def test_a_token_revoked_or_user_disabled_in_this_process_is_refused_at_once(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, token_cache_seconds=3600)
    factory = app.state.nr.factory
    c = api_client(app, None)
    auth = {"Authorization": f"Bearer {token_for(app, 'legal')}"}
    other = {"Authorization": f"Bearer {token_for(app, 'sales')}"}
    assert c.get("/api/v1/me", headers=auth).status_code == 200
    assert c.get("/api/v1/me", headers=other).status_code == 200
    with transaction(factory) as s:
        tokens = {t.user_id: t.id for t in accounts.list_tokens(s)}
        users = {u.username: u.id for u in accounts.list_users(s)}
        accounts.revoke_token(s, tokens[users["legal1"]], actor="here")
    assert c.get("/api/v1/me", headers=auth).status_code == 401
    with transaction(factory) as s:
        accounts.update_user(s, users["sales1"], actor="here", active=False)
    assert c.get("/api/v1/me", headers=other).status_code == 401


def test_the_index_is_preloaded_when_asked(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, scan_preload=True)
    catalog.ingest(app.state.nr.factory, [ART])
    st = app.state.nr
    deadline = time.monotonic() + 60
    while not st.scanner_ready() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert st.scanner_ready()
    assert gc.get_freeze_count() > 0  # the index's objects are kept out of the collector's passes
    # opened before the ingest or after: the first check finds the copy either way (sync on stamp)
    st.config = dataclasses.replace(st.config, scan_sync_seconds=0)
    (found,) = api_client(app, "analyst").post("/api/v1/scans/text", json=COPY).json()["findings"]
    assert found["article_id"] == catalog.article_id_for(ART)
