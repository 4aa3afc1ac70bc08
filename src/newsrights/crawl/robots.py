"""robots.txt, fetched once per origin and obeyed (RFC 9309, parsed with Protego).

Rules applied when the file cannot be read as a rule set (RFC 9309 §2.3.1):

* 2xx: parse it; rules for our user agent (or ``*``) apply, ``Crawl-delay`` too.
* 4xx ("unavailable"): no rules, everything may be fetched.
* 5xx, a network error or a refused address ("unreachable"): assume complete
  disallow for the rest of the run.

One file per ``scheme://host:port``; a lock per origin makes concurrent
workers wait for the first fetch instead of fetching it again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

#: ``fetch(url) -> (status or None on network error, body)``
RobotsFetch = Callable[[str], tuple[int | None, bytes]]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt says, reduced to what the fetcher needs."""

    origin: str
    status: int | None
    parser: Protego | None
    allow_all: bool

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.allow_all:
            return True
        if self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        d = self.parser.crawl_delay(user_agent)
        return float(d) if d is not None else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """robots.txt per origin, fetched on first use through ``fetch`` and kept for the run."""

    def __init__(self, fetch: RobotsFetch, user_agent: str) -> None:
        self._fetch = fetch
        self.user_agent = user_agent
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        with self._guard:
            if origin in self._rules:
                return self._rules[origin]
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin in self._rules:
                return self._rules[origin]
            status, body = self._fetch(origin + "/robots.txt")
            if status is not None and 200 <= status < 300:
                text = body.decode("utf-8", errors="replace")
                rules = RobotsRules(origin, status, Protego.parse(text), allow_all=False)
            elif status is not None and 400 <= status < 500:
                rules = RobotsRules(origin, status, None, allow_all=True)
            else:
                rules = RobotsRules(origin, status, None, allow_all=False)
            with self._guard:
                self._rules[origin] = rules
            return rules

    def allowed(self, url: str) -> bool:
        return self.rules(url).allowed(url, self.user_agent)

    def crawl_delay(self, url: str) -> float | None:
        return self.rules(url).crawl_delay(self.user_agent)
