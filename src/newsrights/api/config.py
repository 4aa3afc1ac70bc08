"""Web/API settings derived from the installation :class:`~newsrights.settings.Settings`.

Knobs can be set by environment: ``NEWSRIGHTS_COOKIE_SECURE`` (auto/always/never),
``NEWSRIGHTS_SCAN_RATE``/``_BURST`` and ``NEWSRIGHTS_LOGIN_RATE``/``_BURST`` (token
buckets, per second / tokens), ``NEWSRIGHTS_SCAN_SYNC_SECONDS``, ``NEWSRIGHTS_TOKEN_CACHE_SECONDS``
(how long a looked-up API token is trusted; 0 = ask the database on every request),
``NEWSRIGHTS_SCAN_PRELOAD`` (1: open the match index when the app starts).

Rate limits across worker processes: ``NEWSRIGHTS_WORKERS`` (set by ``newsrights serve --workers N``)
is how many processes share the configured allowance; each process's token buckets get
``rate / N`` and ``burst // N`` (at least 1), see :meth:`WebConfig.share`. The sign-in lockout is
counted in the database (``services.login_attempts``), so it holds for the whole installation:
``NEWSRIGHTS_LOGIN_WINDOW_SECONDS``, ``NEWSRIGHTS_LOGIN_MAX_USER_FAILURES``,
``NEWSRIGHTS_LOGIN_MAX_CLIENT_FAILURES``.

The session-signing secret is never in the repository: it is read from
``NEWSRIGHTS_SECRET`` or generated once per installation into
``<home>/keys/session_secret`` (mode 0600) and reused afterwards.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from newsrights.core.lockout import LockoutPolicy
from newsrights.errors import ConfigError
from newsrights.settings import Settings


def load_secret(settings: Settings) -> str:
    """The installation's session secret (env, else the key file, else a new key file)."""
    env = os.environ.get("NEWSRIGHTS_SECRET")
    if env:
        return env
    path: Path = settings.keys_dir / "session_secret"
    if path.is_file():
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value + "\n")
    return value


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Knobs of the web shell; the defaults suit one publisher's rights desk."""

    secret: str
    #: ``Secure`` on cookies: ``auto`` = always, except plain http to a loopback host (local ``serve``).
    cookie_secure: str = "auto"
    session_hours: int = 12
    login_rate: float = 10 / 60  # tokens per second per client (10 per minute)
    login_burst: int = 10
    scan_rate: float = 50.0  # per second per client
    scan_burst: int = 200
    scan_sync_seconds: float = 10.0
    #: How long a process trusts a looked-up API token (a revocation in another process waits this long).
    token_cache_seconds: float = 5.0
    #: Open the match index in a background thread as soon as the app is built (``newsrights serve``
    #: turns it on), so the first checks of each worker do not wait for it.
    scan_preload: bool = False
    #: Networks "check this URL" may fetch from besides the public internet (tests: 127.0.0.0/8).
    fetch_allow_networks: tuple[str, ...] = ()
    max_page_size: int = 200
    max_scan_chars: int = 200_000
    #: Processes sharing the rate allowances (``newsrights serve --workers N`` sets ``NEWSRIGHTS_WORKERS``).
    workers: int = 1
    #: Sign-in lockout, installation-wide (counted in the database): failures per username since
    #: its last success, and per client address, within the window (see ``core.lockout``).
    login_window_seconds: float = 15 * 60
    login_max_user_failures: int = 5
    login_max_client_failures: int = 20

    def share(self, rate: float, burst: int) -> tuple[float, int]:
        """This process's share of an allowance split over :attr:`workers` processes: ``rate / N``
        and ``burst // N`` (at least 1 token, so a burst smaller than N still lets requests through)."""
        n = max(1, self.workers)
        return rate / n, max(1, burst // n)

    def lockout_policy(self) -> LockoutPolicy:
        return LockoutPolicy(timedelta(seconds=self.login_window_seconds), self.login_max_user_failures,
                             self.login_max_client_failures)

    @classmethod
    def for_settings(cls, settings: Settings, **overrides: object) -> WebConfig:
        base: dict[str, object] = {"secret": load_secret(settings)}
        if os.environ.get("NEWSRIGHTS_COOKIE_SECURE"):
            base["cookie_secure"] = os.environ["NEWSRIGHTS_COOKIE_SECURE"]
        for key, conv in (("scan_rate", float), ("scan_burst", int), ("login_rate", float), ("login_burst", int),
                          ("scan_sync_seconds", float), ("token_cache_seconds", float), ("workers", int),
                          ("login_window_seconds", float), ("login_max_user_failures", int),
                          ("login_max_client_failures", int)):
            value = os.environ.get(f"NEWSRIGHTS_{key.upper()}")
            if value:
                try:
                    base[key] = conv(value)
                except ValueError as exc:
                    raise ConfigError(f"NEWSRIGHTS_{key.upper()}={value!r} is not a number") from exc
        if os.environ.get("NEWSRIGHTS_SCAN_PRELOAD"):
            base["scan_preload"] = os.environ["NEWSRIGHTS_SCAN_PRELOAD"].lower() in ("1", "true", "yes", "on")
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]
