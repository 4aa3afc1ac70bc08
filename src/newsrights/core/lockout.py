"""The sign-in lockout rule (pure): too many failed attempts in a sliding window lock a key out.

Two keys are counted separately, each against its own limit over the same window:

* the **username** tried — counts the failures *since that username's last successful sign-in*
  (a success resets it: the owner proved the password, so earlier typos no longer count);
* the **client address** — counts every failure from the address in the window; a success does
  *not* reset it (otherwise one valid account would let an address interleave successes and go on
  guessing other users' passwords).

A key with ``limit`` or more failures in the window ``(now - window, now]`` is locked until the
``limit``-th most recent of them leaves the window: then fewer than ``limit`` remain and one more
attempt is allowed. Refused attempts (made while locked out) are not failures: they do not extend
the lockout, so a locked-out owner gets in once the window has passed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """Limits of the lockout rule (defaults: 5 failures per username, 20 per address, in 15 minutes)."""

    window: timedelta = timedelta(minutes=15)
    max_user_failures: int = 5
    max_client_failures: int = 20

    def __post_init__(self) -> None:
        if self.window.total_seconds() <= 0 or self.max_user_failures < 1 or self.max_client_failures < 1:
            raise ValueError("the lockout window must be positive and each limit at least 1")


@dataclass(frozen=True, slots=True)
class Lockout:
    """A refusal: which key is locked (``username`` or ``client``) and whole seconds to wait (>= 1)."""

    key: str
    retry_after: int


def locked_for(failures: Iterable[datetime], limit: int, window: timedelta, now: datetime) -> float:
    """Seconds until one more attempt is allowed (0.0: allowed now) for a key with these failure
    times: with ``n >= limit`` failures in ``(now - window, now]``, the wait ends when the
    ``limit``-th newest of them is ``window`` old."""
    start = now - window
    recent = sorted((t for t in failures if start < t <= now), reverse=True)
    if len(recent) < limit:
        return 0.0
    return max(0.0, (recent[limit - 1] + window - now).total_seconds())


def decide(user_failures: Iterable[datetime], client_failures: Iterable[datetime], policy: LockoutPolicy,
           now: datetime) -> Lockout | None:
    """The lockout in force for an attempt at ``now``, or ``None`` when it may be checked.

    ``user_failures`` are the username's failures since its last success, ``client_failures`` the
    address's failures (the caller selects them; times outside the window are ignored). When both
    keys are locked, the longer wait is reported (it is the one that must pass)."""
    waits = [
        ("username", locked_for(user_failures, policy.max_user_failures, policy.window, now)),
        ("client", locked_for(client_failures, policy.max_client_failures, policy.window, now)),
    ]
    key, wait = max(waits, key=lambda kw: kw[1])
    if wait <= 0:
        return None
    return Lockout(key, max(1, math.ceil(wait)))
