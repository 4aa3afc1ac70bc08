"""What the installation-wide sign-in lockout adds to a sign-in, on a large attempts table.

Builds a database (SQLite temp file by default, or ``--db URL``) holding N past attempts
(30 days, 2,000 usernames, 10,000 client addresses, one in four failed), then times, in the
same run and on the same database:

* ours — what :func:`newsrights.api.auth.sign_in` now does around the password check: one
  transaction with :func:`services.login_attempts.lockout` (three indexed queries) and one with
  :func:`services.login_attempts.record` (insert + prune);
* baseline 1 — the per-process token bucket it replaced as the only guard (``TokenBucket.take``),
  which holds for one worker only;
* baseline 2 — the argon2id verification every sign-in already pays (``argon2-cffi`` defaults,
  as ``services.accounts.authenticate``), to show the lockout's share of a sign-in.

Prints medians and p99 (ms) and the ratios. Usage::

    .venv/bin/python bench/bench_login_lockout.py                       # 100k attempts, SQLite
    .venv/bin/python bench/bench_login_lockout.py --attempts 10000 --db postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsrights.api.ratelimit import TokenBucket  # noqa: E402
from newsrights.core.lockout import LockoutPolicy  # noqa: E402
from newsrights.services import login_attempts  # noqa: E402
from newsrights.storage.db import open_db, transaction  # noqa: E402
from newsrights.storage.tables.accounts import LoginAttemptRow  # noqa: E402


def fill(factory, n: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    rows = []
    for _ in range(n):
        rows.append({"at": now - timedelta(seconds=rng.uniform(0, 30 * 86400)),
                     "username": f"user{rng.randrange(2000)}", "client": f"10.{rng.randrange(40)}.{rng.randrange(250)}.1",
                     "outcome": "failed" if rng.random() < 0.25 else "ok"})
        if len(rows) == 10_000:
            with transaction(factory) as s:
                s.execute(insert(LoginAttemptRow), rows)
            rows = []
    if rows:
        with transaction(factory) as s:
            s.execute(insert(LoginAttemptRow), rows)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--attempts", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temp SQLite file)")
    args = ap.parse_args()
    rng = random.Random(7)
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'attempts.sqlite'}"
    factory = open_db(url)
    t0 = time.perf_counter()
    fill(factory, args.attempts, rng)
    print(f"filled {args.attempts:,} attempts in {time.perf_counter() - t0:.1f} s on {url.split('://')[0]}")
    policy = LockoutPolicy()

    ours: list[float] = []
    for i in range(args.runs):
        user, client = f"user{rng.randrange(2000)}", f"10.{rng.randrange(40)}.{rng.randrange(250)}.1"
        t = time.perf_counter()
        with transaction(factory) as s:
            locked = login_attempts.lockout(s, user, client, policy)
        with transaction(factory) as s:
            login_attempts.record(s, user, client, "refused" if locked else ("failed" if i % 4 == 0 else "ok"))
        ours.append((time.perf_counter() - t) * 1000)

    bucket = TokenBucket(10 / 60, 10)
    base: list[float] = []
    for _ in range(args.runs):
        key = f"10.{rng.randrange(40)}.{rng.randrange(250)}.1"
        t = time.perf_counter()
        bucket.take(key)
        base.append((time.perf_counter() - t) * 1000)

    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    stored = hasher.hash("a-password-of-some-length")
    argon: list[float] = []
    for _ in range(min(args.runs, 30)):
        t = time.perf_counter()
        hasher.verify(stored, "a-password-of-some-length")
        argon.append((time.perf_counter() - t) * 1000)

    mo, mb, ma = statistics.median(ours), statistics.median(base), statistics.median(argon)
    print(f"lockout check + record (ours): median {mo:.3f} ms, p99 {pct(ours, 0.99):.3f} ms")
    print(f"token bucket take (baseline 1): median {mb:.4f} ms, p99 {pct(base, 0.99):.4f} ms")
    print(f"argon2id verify (baseline 2):  median {ma:.1f} ms, p99 {pct(argon, 0.99):.1f} ms")
    print(f"ratio ours / token bucket: {mo / mb:,.0f}x; ours / argon2 verify: {mo / ma:.3f} "
          f"(the lockout adds {100 * mo / ma:.1f} % to a sign-in's password check)")
    tmp.cleanup()


if __name__ == "__main__":
    main()
