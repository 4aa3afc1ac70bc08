"""Per-host politeness: at most ``concurrency`` requests in flight to one host, and
requests to one host start at least ``delay`` seconds apart.

The gate is a slot scheduler: each host keeps the time its next request may
start; taking a slot books ``max(now, next_start)`` and moves ``next_start``
on by the host's delay (the larger of the configured delay and the
``Crawl-delay`` of its robots.txt, capped by ``max_delay``). The caller
sleeps until its booked time, so waiting never holds the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class HostGate:
    """Concurrency and spacing of requests per host (thread-safe)."""

    def __init__(
        self,
        delay: float = 1.0,
        concurrency: int = 2,
        *,
        max_delay: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.concurrency = max(1, concurrency)
        self.max_delay = max_delay
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._sems: dict[str, threading.BoundedSemaphore] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float | None) -> None:
        """Raise a host's delay (e.g. to its robots.txt ``Crawl-delay``); never lowers it below the default."""
        if delay is None:
            return
        with self._lock:
            self._delays[host] = min(self.max_delay, max(self.delay, delay))

    def host_delay(self, host: str) -> float:
        with self._lock:
            return self._delays.get(host, self.delay)

    def _book(self, host: str) -> float:
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self._delays.get(host, self.delay)
            return start - now

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's concurrency slots, starting no earlier than its spacing allows."""
        with self._lock:
            sem = self._sems.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        sem.acquire()
        try:
            wait = self._book(host)
            if wait > 0:
                self._sleep(wait)
            yield
        finally:
            sem.release()
