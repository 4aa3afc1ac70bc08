"""The fetcher: one GET of one URL, politely and defensively, with httpx.

What one :meth:`Fetcher.fetch` does, in order:

1. Scheme must be ``http`` or ``https`` (else ``rejected``/``unsupported_scheme``).
2. robots.txt of the origin is obeyed (:mod:`newsrights.crawl.robots`).
3. The host's politeness slot is taken (:mod:`newsrights.crawl.politeness`).
4. The request goes through the transport seam. By default that is
   :class:`GuardedTransport`, whose connections are opened only to addresses
   the :class:`~newsrights.crawl.ssrf.AddressGuard` checked (every hop, so a
   redirect to an internal address is refused too). Tests may pass any
   ``httpx.BaseTransport`` (e.g. ``httpx.MockTransport``).
5. Timeouts: connect and read per socket operation (httpx), and a total
   deadline per attempt that every socket read and write of the connection
   obeys (:class:`~newsrights.crawl.ssrf.DeadlineStream`), so a server that
   trickles its headers or its body is cut too.
6. Retries on 429, 500, 502, 503, 504 and connection errors, with exponential
   backoff (``backoff * 2**attempt``, jittered) or the server's
   ``Retry-After`` when it sends one (up to ``retry_after_max``; longer means give up).
7. Redirects are followed by hand, at most ``max_redirects``, a loop is an error.
8. The declared content type is checked before the body is read (images,
   audio, video, fonts are not read); the body is streamed and cut at
   ``max_bytes`` of *decoded* bytes (so a gzip bomb is cut too); then the
   body is sniffed: binary bytes under a text type are rejected, an HTML body
   under a wrong type is taken as HTML.

Every failure is a :class:`FetchResult` with ``error`` set to a snake_case
reason and ``outcome`` either ``fetch_error`` (network, status, size, time) or
``rejected`` (robots, refused address, content type); nothing is raised.
"""

from __future__ import annotations

import email.utils
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsrights import __version__
from newsrights.crawl.politeness import HostGate
from newsrights.crawl.robots import RobotsCache, origin_of
from newsrights.crawl.ssrf import AddressGuard, BlockedAddress, GuardedBackend, ResolveError, request_deadline

SOFTWARE = f"newsrights/{__version__}"
DEFAULT_USER_AGENT = f"{SOFTWARE} (+rights monitoring; robots.txt obeyed)"

TEXT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/json",
    "application/ld+json",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
)
#: Declared types never read: the body is not an article whatever it is.
SKIP_PREFIXES = ("image/", "audio/", "video/", "font/")
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
RETRY_ERRORS = frozenset({"connect_error", "connect_timeout", "protocol_error", "read_error"})

_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"\x00\x00\x01\x00")

Outcome = Literal["fetch_error", "rejected"]


@dataclass(frozen=True)
class FetchConfig:
    """Everything the fetcher may be told; defaults are polite for the open web."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 0.5
    retry_after_max: float = 60.0
    delay: float = 1.0
    per_host_concurrency: int = 2
    concurrency: int = 8
    obey_robots: bool = True
    allow_hosts: tuple[str, ...] = ()
    allow_networks: tuple[str, ...] = ()


@dataclass
class FetchResult:
    """What came back (or why nothing did)."""

    url: str
    final_url: str
    status: int | None = None
    reason_phrase: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    declared_type: str | None = None
    content_type: str | None = None
    redirects: tuple[str, ...] = ()
    error: str | None = None
    outcome: Outcome | None = None
    detail: str = ""
    attempts: int = 0
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed: float = 0.0
    ip: str | None = None
    location: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def declared_charset(self) -> str | None:
        ct = (self.declared_type or "").lower()
        if "charset=" not in ct:
            return None
        return ct.split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or None

    def text(self) -> tuple[str, str]:
        """``(text, codec)`` of the body: the declared charset is a hint, not the truth
        (``newsrights.ingest.encoding.decode`` checks it against the bytes and the page's own meta)."""
        from newsrights.ingest.encoding import decode

        return decode(self.body, self.declared_charset)

    def fail(self, error: str, outcome: Outcome = "fetch_error", detail: str = "") -> FetchResult:
        self.error, self.outcome, self.detail = error, outcome, detail[:500]
        self.body = b""
        return self


def mime_of(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff(declared: str | None, body: bytes) -> str | None:
    """The effective content type: ``None`` for binary, HTML when an HTML body hides under a wrong type."""
    head = body[:2048]
    if any(head.startswith(m) for m in _MAGIC) or b"\x00" in head:
        return None
    mime = mime_of(declared)
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_html = low.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in low[:512]
    if mime in TEXT_TYPES:
        return declared
    if looks_html:
        return "text/html"
    if low.startswith(b"<?xml") or low.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex")):
        return "application/xml"
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class GuardedTransport(httpx.HTTPTransport):
    """httpx transport whose connections go only to guard-checked addresses (see ``ssrf``)."""

    def __init__(self, guard: AddressGuard, *, max_connections: int = 64) -> None:
        super().__init__(retries=0)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections // 2,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(guard),
        )


class Fetcher:
    """Fetches URLs under a :class:`FetchConfig`; thread-safe, one instance per run."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or FetchConfig()
        c = self.config
        self.guard = AddressGuard.from_config(c.allow_hosts, c.allow_networks)
        self._sleep = sleep
        self.client = httpx.Client(
            transport=transport or GuardedTransport(self.guard, max_connections=max(8, c.concurrency * 2)),
            follow_redirects=False,
            timeout=httpx.Timeout(connect=c.connect_timeout, read=c.read_timeout, write=c.read_timeout, pool=c.total_timeout),
            headers={"User-Agent": c.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
        )
        self.gate = HostGate(c.delay, c.per_host_concurrency, sleep=sleep)
        self.robots = RobotsCache(self._fetch_robots, c.user_agent)
        self._delays_set: set[str] = set()
        self._robots_errors: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    # -- public -------------------------------------------------------------------------
    def fetch(self, url: str) -> FetchResult:
        """GET ``url`` following redirects by hand; never raises for network or content trouble."""
        started = time.monotonic()
        hops: list[str] = []
        current = url
        result = FetchResult(url=url, final_url=url)
        for _ in range(self.config.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                return self._finish(
                    FetchResult(url=url, final_url=current).fail("unsupported_scheme", "rejected", current),
                    hops, started,
                )
            if self.config.obey_robots:
                if not self.robots.allowed(current):
                    why = self._robots_errors.get(origin_of(current))
                    if why is not None and why[0] == BlockedAddress.reason:
                        failed = FetchResult(url=url, final_url=current).fail(why[0], "rejected", why[1])
                    else:
                        failed = FetchResult(url=url, final_url=current).fail("robots_disallowed", "rejected", current)
                    return self._finish(failed, hops, started)
                self._apply_crawl_delay(current)
            result = self._with_retries(current)
            result.url = url
            if result.location is None:
                return self._finish(result, hops, started)
            nxt = urljoin(current, result.location)
            hops.append(current)
            if nxt in hops or nxt == current:
                return self._finish(result.fail("redirect_loop", detail=" -> ".join([*hops, nxt])), hops, started)
            current = nxt
        return self._finish(result.fail("too_many_redirects", detail=" -> ".join(hops)), hops, started)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------
    def _finish(self, result: FetchResult, hops: list[str], started: float) -> FetchResult:
        result.redirects = tuple(hops)
        result.elapsed = time.monotonic() - started
        return result

    def _apply_crawl_delay(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            if host in self._delays_set:
                return
            self._delays_set.add(host)
        self.gate.set_delay(host, self.robots.crawl_delay(url))

    def _fetch_robots(self, url: str) -> tuple[int | None, bytes]:
        r = self._with_retries(url, max_bytes=512_000, retries=1)
        if r.location is not None:  # one redirect hop for robots.txt (e.g. http -> https)
            r = self._with_retries(urljoin(url, r.location), max_bytes=512_000, retries=1)
            if r.location is not None:
                return None, b""
        if r.error and r.status is None:
            self._robots_errors[origin_of(url)] = (r.error, r.detail)
            return None, b""
        return r.status, r.body

    def _with_retries(self, url: str, *, max_bytes: int | None = None, retries: int | None = None) -> FetchResult:
        retries = self.config.retries if retries is None else retries
        host = (urlsplit(url).hostname or "").lower()
        attempt = 0
        while True:
            with self.gate.slot(host):
                result = self._attempt(url, max_bytes or self.config.max_bytes)
            result.attempts = attempt + 1
            retryable = result.status in RETRY_STATUS or result.error in RETRY_ERRORS
            if not retryable or attempt >= retries:
                return result
            wait = result.retry_after
            if wait is None:
                wait = self.config.backoff * (2**attempt) * (0.5 + random.random())
            elif wait > self.config.retry_after_max:
                result.detail = f"Retry-After {wait:.0f}s exceeds retry_after_max"
                return result
            self._sleep(wait)
            attempt += 1

    def _attempt(self, url: str, max_bytes: int) -> FetchResult:
        r = FetchResult(url=url, final_url=url)
        t0 = time.monotonic()
        try:
            request = self.client.build_request("GET", url)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            return r.fail("invalid_url", "rejected", str(exc))
        r.request_headers = list(request.headers.multi_items())
        request_deadline.value = t0 + self.config.total_timeout
        try:
            return self._attempt_send(request, r, t0, max_bytes)
        finally:
            request_deadline.value = None

    def _attempt_send(self, request: httpx.Request, r: FetchResult, t0: float, max_bytes: int) -> FetchResult:
        try:
            response = self.client.send(request, stream=True)
        except BlockedAddress as exc:
            return r.fail(BlockedAddress.reason, "rejected", str(exc))
        except ResolveError as exc:
            return r.fail(ResolveError.reason, detail=str(exc))
        except httpx.ConnectTimeout as exc:
            return r.fail("connect_timeout", detail=str(exc) or "connect timed out")
        except httpx.ReadTimeout as exc:
            if time.monotonic() - t0 >= self.config.total_timeout:
                return r.fail("total_timeout", detail=f"headers not complete within {self.config.total_timeout}s")
            return r.fail("read_timeout", detail=str(exc) or "no answer within read_timeout")
        except httpx.ConnectError as exc:
            return r.fail("connect_error", detail=str(exc))
        except (httpx.RemoteProtocolError, httpx.LocalProtocolError) as exc:
            return r.fail("protocol_error", detail=str(exc))
        except httpx.TimeoutException as exc:
            return r.fail("timeout", detail=str(exc))
        except httpx.HTTPError as exc:
            return r.fail("read_error", detail=f"{type(exc).__name__}: {exc}")
        try:
            r.status = response.status_code
            r.reason_phrase = response.reason_phrase
            r.http_version = response.http_version
            r.headers = list(response.headers.multi_items())
            r.declared_type = response.headers.get("content-type")
            r.retry_after = parse_retry_after(response.headers.get("retry-after"))
            stream = response.extensions.get("network_stream")
            if stream is not None:
                addr = stream.get_extra_info("server_addr")
                r.ip = str(addr[0]) if addr else None
            if 300 <= r.status < 400 and response.headers.get("location"):
                r.location = response.headers["location"]
                return r
            if r.status >= 400 or r.status < 200:
                return r.fail(f"http_{r.status}", detail=f"HTTP {r.status} {r.reason_phrase}")
            if mime_of(r.declared_type).startswith(SKIP_PREFIXES):
                return r.fail("unsupported_content_type", "rejected", r.declared_type or "")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                return r.fail("too_large", detail=f"Content-Length {length} > max_bytes {max_bytes}")
            buf = bytearray()
            for chunk in response.iter_bytes():
                buf += chunk
                if len(buf) > max_bytes:
                    return r.fail("too_large", detail=f"body passed max_bytes {max_bytes}")
                if time.monotonic() - t0 > self.config.total_timeout:
                    return r.fail("total_timeout", detail=f"body not complete within {self.config.total_timeout}s")
            r.body = bytes(buf)
        except httpx.ReadTimeout as exc:
            if time.monotonic() - t0 >= self.config.total_timeout:
                return r.fail("total_timeout", detail=f"body not complete within {self.config.total_timeout}s")
            return r.fail("read_timeout", detail=str(exc) or "body stalled past read_timeout")
        except httpx.DecodingError as exc:
            return r.fail("decoding_error", detail=str(exc))
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            return r.fail("protocol_error", detail=str(exc) or type(exc).__name__)
        except httpx.HTTPError as exc:
            return r.fail("read_error", detail=f"{type(exc).__name__}: {exc}")
        finally:
            response.close()
        effective = sniff(r.declared_type, r.body)
        if effective is None:
            return r.fail("unsupported_content_type", "rejected", f"declared {r.declared_type!r}, body is not text")
        r.content_type = effective
        return r
