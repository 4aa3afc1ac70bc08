"""Schemathesis against the app's own OpenAPI schema, in-process over ASGI, bounded examples.

Every operation is called as a fresh admin (so a generated "disable user 1" or
"revoke token 1" cannot lock the fuzzer out) and the responses must conform to
the schema: no server errors, documented status codes, declared content types,
bodies matching the response models, and invalid requests rejected.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from newsrights.services import accounts
from newsrights.storage.db import transaction
from tests.unit.web.support import make_app


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home: Path = tmp_path_factory.mktemp("fuzz")
    app = make_app(f"sqlite:///{home / 'fuzz.sqlite'}", home, login_burst=100_000, login_rate=10_000.0,
                   scan_burst=100_000, scan_rate=10_000.0)
    # "check this URL" fetches through an in-memory transport: the fuzzer never touches the network
    import httpx

    from newsrights.crawl.fetcher import FetchConfig, Fetcher

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, html=f"<html><head><title>t</title></head><body><p>{request.url.host} 的页面正文。</p></body></html>")

    app.state.nr._fetcher = Fetcher(FetchConfig(retries=0, delay=0.0), transport=httpx.MockTransport(handler))
    return app


def _fresh_admin_token(app) -> str:  # type: ignore[no-untyped-def]
    with transaction(app.state.nr.factory) as s:
        user = accounts.create_user(s, username=f"fz{uuid.uuid4().hex[:10]}", password="fuzz-password",
                                    role="admin", actor="fuzz")
        token, _ = accounts.create_token(s, user.id, name="fuzz", actor="fuzz")
    return token


def test_api_conforms_to_its_schema(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case) -> None:  # type: ignore[no-untyped-def]
            token = _fresh_admin_token(fuzz_app)
            # Business rules (a licensee needs a party, usernames are unique) reject some schema-valid
            # bodies with 400 by design, so "positive data acceptance" is not asserted.
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                   excluded_checks=[positive_data_acceptance])

        run()
