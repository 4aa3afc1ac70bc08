"""In-process token-bucket rate limiter (per client key and bucket name).

Each key owns a bucket of ``burst`` tokens refilled at ``rate`` tokens per
second; a request takes one token or is refused with the number of seconds to
wait. Thread-safe (one lock; buckets are tiny). One process, no shared state:
enough for one ``newsrights serve`` worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        self._max_keys = max_keys

    def take(self, key: str) -> float:
        """Take one token for ``key``: 0.0 if allowed, else seconds until one is available."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > self._max_keys:  # forget the oldest half (full buckets)
                for k in list(self._buckets)[: self._max_keys // 2]:
                    del self._buckets[k]
            return (1.0 - tokens) / self.rate

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
