"""A direct ASGI path for the hot route ``POST /api/v1/scans/text`` ("check this text now").

Systems that check every page they publish or receive call this one route hundreds of
times a second; through FastAPI's routing, dependency solving and response-model
validation each call costs about a millisecond of CPU before the check starts. This
middleware answers the **ordinary case** of that route directly and hands **everything
else** to the app unchanged, so the app stays the only definition of the route's
behaviour (its OpenAPI schema, its errors, its authorisation table):

* the request must carry ``Authorization: Bearer <token>`` and a JSON body
  (``Content-Type: application/json``, at most :data:`MAX_BODY` bytes);
* the token's owner (:meth:`AppState.token_user`, the same cache the app uses) must hold
  the route's permission in :data:`newsrights.api.policy.POLICY` (``scan_text``);
* the body must validate as :class:`~newsrights.api.schemas.ScanTextIn`, parsed by
  pydantic-core from the bytes;
* the match index must be open with no sync due (:meth:`AppState.scanner_ready`);
* the scan rate limit (:attr:`AppState.scan_limiter`, the same bucket, the same key) must
  allow it (asked last, so a request handed to the app takes its token there, once).

When all hold, the check runs exactly as the route runs it
(:func:`newsrights.api.routes.scans.check_text`) and the answer is the route's JSON
(``ScanOut``: ``count``, ``findings``, ``recorded``), encoded as FastAPI encodes
JSON. When any fails — no or unknown token, a role without the permission, a session
cookie (CSRF applies), a limited client, an invalid body, an index not open yet — the
request, with its body replayed, goes to the app, which answers as it always does (401,
403, 429, 422 as problem+json; or the check after opening the index). A refused token or
an exhausted bucket is therefore looked at twice, which changes nothing: unknown tokens
are never cached, and an empty bucket stays empty (a refused take takes nothing).

``tests/integration/test_api_fastpath.py`` sends the same requests (valid, invalid,
unauthorised, limited) to the app with and without this path and compares the answers.
``app.state.scan_fast_answers`` counts the answers given here. Set
``NEWSRIGHTS_SCAN_FAST_PATH=0`` to turn the path off.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import ValidationError

log = logging.getLogger(__name__)

PATH = "/api/v1/scans/text"
ROUTE = "scan_text"
#: Larger bodies go to the app (the schema allows 200,000 characters of text: ≤ 800 kB of UTF-8
#: plus the other fields and JSON escapes).
MAX_BODY = 2_000_000


def _dumps(content: Any) -> bytes:
    """JSON as ``fastapi.responses.JSONResponse`` renders it."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


class ScanTextFastPath:
    """Pure ASGI middleware in front of the app's middleware stack (``create_app`` puts it there;
    it reads the app's :class:`~newsrights.api.deps.AppState` from ``scope["app"]`` and adds
    ``headers``, the security headers, to its own answers); see the module docstring."""

    def __init__(self, app: Any, *, enabled: bool = True, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.app = app
        self.enabled = enabled
        self.headers = list(headers or [])
        self._roles: frozenset[str] | None = None

    def _allowed(self) -> frozenset[str]:
        if self._roles is None:
            from newsrights.api.policy import allowed_roles

            self._roles = allowed_roles(ROUTE) or frozenset()
        return self._roles

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not (self.enabled and scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "POST"):
            await self.app(scope, receive, send)
            return
        auth = ctype = None  # the first of each header, as the app reads them
        for name, value in scope["headers"]:
            if name == b"authorization" and auth is None:
                auth = value
            elif name == b"content-type" and ctype is None:
                ctype = value
        token = auth[7:].strip().decode("latin-1") if auth is not None and auth[:7].lower() == b"bearer " else ""
        json_body = ctype is not None and ctype.split(b";", 1)[0].strip().lower() == b"application/json"
        if not token or not json_body:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _replay(chunks, message, receive), send)
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = message.get("more_body", False)
            if size > MAX_BODY:
                await self.app(scope, _replay(chunks, None, receive, more=more), send)
                return
        body = b"".join(chunks)
        try:
            answer = self._answer(scope, token, body)
        except Exception:  # nothing sent yet: the app runs the check again and reports the error
            log.warning("direct scan path failed; handing the request to the app", exc_info=True)
            answer = None
        if answer is None:
            await self.app(scope, _replay([body], None, receive, more=False), send)
            return
        state = scope["app"].state
        state.scan_fast_answers = getattr(state, "scan_fast_answers", 0) + 1
        headers = [(b"content-length", str(len(answer)).encode("ascii")), (b"content-type", b"application/json"),
                   *self.headers]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})
        state.nr.gc_tick()

    def _answer(self, scope: Any, token: str, body: bytes) -> bytes | None:
        """The route's answer, or None when the app must answer (see the module docstring)."""
        from newsrights.api.routes.scans import check_text, scan_out
        from newsrights.api.schemas import ScanTextIn

        st = scope["app"].state.nr
        user = st.token_user(token)
        if user is None or user.role not in self._allowed():
            return None
        try:
            data = ScanTextIn.model_validate_json(body)
        except ValidationError:
            return None
        if not st.scanner_ready():
            return None
        # taken last: a request handed to the app takes its token there, once
        if st.scan_limiter.take(f"user:{user.id}"):
            return None
        return _dumps(scan_out(check_text(st, data.text, data.url, data.title)))


def _replay(chunks: list[bytes], last: Any, receive: Any, *, more: bool = False) -> Any:
    """A ``receive`` that gives the body read so far again, then the rest of the stream."""
    pending: list[Any] = [{"type": "http.request", "body": b"".join(chunks), "more_body": more or last is not None}]
    if last is not None:
        pending.append(last)

    async def again() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return again
