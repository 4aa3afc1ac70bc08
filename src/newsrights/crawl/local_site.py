"""A loopback HTTP server over a folder, for tests and the demo, that can also misbehave.

``serve_folder(folder)`` serves the files of ``folder`` on ``127.0.0.1`` (port 0:
the system picks a free one) from a background thread and yields a
:class:`LocalSite` with its ``url``. Content types follow the file suffix
(``.html`` is ``text/html; charset=utf-8`` unless a behaviour says otherwise).
A path without a file is 404; ``/`` serves ``index.html``.

``behaviours`` maps a path (``"/slow.html"``) to a :class:`Behaviour` that
makes that path misbehave the way real hosts do: hang before answering,
trickle bytes, send an endless body, lie about charset or content type,
redirect (in loops too), fail with 5xx (or 429 with ``Retry-After``) a number
of times before answering 200. ``hits`` counts requests per path, so tests can
tell what was fetched how often.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Behaviour:
    """How one path misbehaves; fields combine (e.g. ``fail_times`` then a lying ``content_type``)."""

    hang: float = 0.0  # seconds to wait before sending anything
    trickle: float = 0.0  # seconds between single bytes of the body
    trickle_headers: float = 0.0  # seconds between single bytes of the status line and headers
    endless: bool = False  # an infinite body without Content-Length
    content_type: str | None = None  # the Content-Type header to send instead of the right one
    redirect: str | None = None  # answer 302 to this location
    fail_times: int = 0  # answer fail_status this many times first
    fail_status: int = 503
    retry_after: str | None = None  # Retry-After header value with failures
    status: int | None = None  # always answer this status
    body: bytes | None = None  # serve these bytes instead of the file


@dataclass
class LocalSite:
    """A running loopback site."""

    url: str
    host: str
    port: int
    hits: Counter[str]
    folder: Path

    def __call__(self, path: str) -> str:
        return self.url + "/" + path.lstrip("/")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    folder: Path
    behaviours: Mapping[str, Behaviour]
    hits: Counter[str]
    fails: Counter[str]
    lock: threading.Lock
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr logs
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        srv = self.server
        path = unquote(urlsplit(self.path).path) or "/"
        with srv.lock:
            srv.hits[path] += 1
        b = srv.behaviours.get(path, Behaviour())
        if b.hang and srv.stopping.wait(b.hang):
            return
        if b.fail_times:
            with srv.lock:
                n = srv.fails[path]
                srv.fails[path] += 1
            if n < b.fail_times:
                extra = {"Retry-After": b.retry_after} if b.retry_after else {}
                return self._send(b.fail_status, b"try again later", "text/plain", extra)
        if b.status is not None:
            return self._send(b.status, f"status {b.status}".encode(), "text/plain")
        if b.redirect is not None:
            return self._send(302, b"", "text/plain", {"Location": b.redirect})
        if b.endless:
            return self._endless(b.content_type or "text/html; charset=utf-8")
        body, ctype = self._file(path)
        if b.body is not None:
            body = b.body
        if body is None:
            return self._send(404, b"not found", "text/plain")
        ctype = b.content_type or ctype
        if b.trickle_headers:
            return self._trickle_headers(body, ctype, b.trickle_headers)
        if b.trickle:
            return self._trickle(body, ctype, b.trickle)
        self._send(200, body, ctype)

    def _file(self, path: str) -> tuple[bytes | None, str]:
        root = self.server.folder.resolve()
        rel = "index.html" if path.endswith("/") else path.lstrip("/")
        if path.endswith("/") and path != "/":
            rel = path.strip("/") + "/index.html"
        target = (root / rel).resolve()
        if root not in target.parents and target != root or not target.is_file():
            return None, "text/plain"
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/xml", "application/json"):
            ctype += "; charset=utf-8"
        return target.read_bytes(), ctype

    def _send(self, status: int, body: bytes, ctype: str, extra: Mapping[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _trickle(self, body: bytes, ctype: str, gap: float) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                if self.server.stopping.wait(gap):
                    return
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _trickle_headers(self, body: bytes, ctype: str, gap: float) -> None:
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                + "".join(f"X-Filler-{i}: {'x' * 40}\r\n" for i in range(200)) + "\r\n").encode()
        self.close_connection = True
        try:
            for i in range(len(head)):
                if self.server.stopping.wait(gap):
                    return
                self.wfile.write(head[i : i + 1])
                self.wfile.flush()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    def _endless(self, ctype: str) -> None:
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + "无尽的内容".encode() * 200 + b"</p>\n"
            while not self.server.stopping.is_set():
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


@contextmanager
def serve_folder(
    folder: str | Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    behaviours: Mapping[str, Behaviour] | None = None,
) -> Iterator[LocalSite]:
    """Serve ``folder`` over HTTP on ``host:port`` until the ``with`` block ends."""
    server = _Server((host, port), _Handler)
    server.folder = Path(folder)
    server.behaviours = dict(behaviours or {})
    server.hits = Counter()
    server.fails = Counter()
    server.lock = threading.Lock()
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    real_port = server.server_address[1]
    try:
        yield LocalSite(f"http://{host}:{real_port}", host, int(real_port), server.hits, Path(folder))
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        time.sleep(0)
