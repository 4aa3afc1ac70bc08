"""Load benchmark of the "check this text" endpoint (``POST /api/v1/scans/text``) on loopback.

A catalog of N synthetic articles (clauses of real Chinese news recombined, as in
``bench/matching_data.py``) is ingested through ``services.catalog`` and indexed by
``services.scan`` once (the index is stored in the database and reused on later runs).
The app is then served by uvicorn in a separate process, and C concurrent clients
(httpx async, one connection each, closed loop: each sends its next request when
the previous one is answered) post a mix of texts: whole copies, excerpts embedded
in other text, and texts that match nothing. Reported: p50 / p99 latency and
requests/s.

Baselines, same data, same run:

* the same checks called in-process on the same ``Scanner`` (no HTTP, no auth,
  one at a time): what the endpoint adds on top of the matching itself;
* ``GET /api/v1/health`` under the same concurrency: the floor of the HTTP stack
  (uvicorn + FastAPI + token auth) on this machine.

Closed loop (C clients back to back) measures saturation: p99 there is about
C / throughput. Open loop (requests arriving at a fixed rate, e.g. 50 clients each
sending one check a second) measures the latency users see at that load.
The scan rate limit is lifted for the run (all clients share one API token);
``--workers`` uvicorn processes each hold the index.

Usage::

    .venv/bin/python bench/bench_api.py                       # 100k articles, 50 clients
    .venv/bin/python bench/bench_api.py --articles 10000 --requests 1000   # quick
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def pool_of_clauses(data: Path) -> list[str]:
    """Clauses of real news: the shared corpora when present, else the bundled demo texts."""
    from matching_data import clause_pool

    try:
        from newsrights.evalkit.datasets import load_cwced, load_sogouca

        docs = load_sogouca(data) + load_cwced(data)
        if docs:
            return clause_pool(docs)
    except (OSError, FileNotFoundError, ValueError):
        pass
    from importlib import resources

    from newsrights.evalkit.cases import SourceDoc

    folder = Path(str(resources.files("newsrights.demo") / "data"))
    docs = [SourceDoc(f.stem, tuple(p for p in f.read_text("utf-8").split("\n") if p.strip()))
            for f in sorted(folder.rglob("*.txt"))]
    return clause_pool(docs)


def build_catalog(db_url: str, n: int, data: Path) -> list:  # type: ignore[type-arg]
    """Ingest ``n`` synthetic articles (skipped when the catalog already has them) and index them."""
    from matching_data import synthetic_articles

    from newsrights.core.model import Article
    from newsrights.services import catalog
    from newsrights.services.scan import Scanner
    from newsrights.storage.db import open_db, transaction

    pool = pool_of_clauses(data)
    docs = synthetic_articles(pool, n + 2000)
    factory = open_db(db_url)
    with transaction(factory) as s:
        have = catalog.count_articles(s).get("articles", 0)
    if have < n:
        t0 = time.perf_counter()
        items = (Article(body=d.body, title=f"稿件 {d.id}", url=d.uri, site="news.cri.cn", source="国际在线",
                         origin=d.id) for d in docs[have:n])
        catalog.ingest(factory, items)
        print(f"ingested {n - have:,} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    t0 = time.perf_counter()
    Scanner.open(factory)  # index (first run) or load + sync (later runs)
    print(f"index ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return docs


def queries(docs: list, n_catalog: int, count: int, seed: int = 11) -> list[str]:  # type: ignore[type-arg]
    """A mix: 1/3 whole copies, 1/3 excerpts (two paragraphs inside foreign text), 1/3 no match."""
    rng = random.Random(seed)
    foreign = docs[n_catalog:]
    out = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            out.append("\n\n".join(docs[rng.randrange(n_catalog)].body))
        elif kind == 1:
            src = docs[rng.randrange(n_catalog)].body
            host = foreign[rng.randrange(len(foreign))].body
            out.append("\n\n".join((host[0], *src[:2], *host[1:3])))
        else:
            out.append("\n\n".join(foreign[rng.randrange(len(foreign))].body))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_token(db_url: str) -> str:
    """A bench analyst and a fresh API token for it."""
    from newsrights.services import accounts
    from newsrights.storage.db import open_db, transaction

    with transaction(open_db(db_url)) as s:
        users = {u.username: u for u in accounts.list_users(s)}
        user = users.get("bench") or accounts.create_user(s, username="bench", password="bench-password",
                                                          role="analyst", actor="bench")
        token, _ = accounts.create_token(s, user.id, name="bench", actor="bench")
    return token


def start_server(db_url: str, port: int, workers: int, home: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    """uvicorn with ``workers`` processes on the app factory, scan rate limit lifted."""
    env = dict(os.environ, NEWSRIGHTS_DB=db_url, NEWSRIGHTS_HOME=str(home), NEWSRIGHTS_SECRET="bench-" + "x" * 40,
               NEWSRIGHTS_SCAN_RATE="1e9", NEWSRIGHTS_SCAN_BURST="1000000000", NEWSRIGHTS_SCAN_SYNC_SECONDS="3600")
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "newsrights.api.app:app_from_env",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning", "--no-access-log"], env=env)


async def open_load(base: str, token: str, bodies: list[str], rate: float, seconds: float,
                    clients: int) -> tuple[list[float], int]:
    """Open loop: requests arrive every 1/rate s whatever the answers; latency counted from the
    scheduled arrival (so waiting for a free connection counts)."""
    import httpx

    lat: list[float] = []
    errors = 0
    n = int(rate * seconds)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120,
                                 limits=httpx.Limits(max_connections=clients)) as c:
        start = time.perf_counter()

        async def one(i: int) -> None:
            nonlocal errors
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            r = await c.post("/api/v1/scans/text", json={"text": bodies[i % len(bodies)]})
            lat.append((time.perf_counter() - due) * 1000)
            if r.status_code != 200:
                errors += 1

        await asyncio.gather(*(one(i) for i in range(n)))
    return lat, errors


async def load(base: str, token: str, method: str, path: str, bodies: list[str | None], clients: int,
               total: int) -> tuple[list[float], float, int]:
    import httpx

    lat: list[float] = []
    errors = 0
    next_i = 0
    headers = {"Authorization": f"Bearer {token}"}

    async def client() -> None:
        nonlocal next_i, errors
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=900,
                                     limits=httpx.Limits(max_connections=1)) as c:
            while True:
                i = next_i
                if i >= total:
                    return
                next_i += 1
                body = bodies[i % len(bodies)]
                t0 = time.perf_counter()
                r = await (c.post(path, json={"text": body}) if method == "POST" else c.get(path))
                lat.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    errors += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return lat, time.perf_counter() - t0, errors


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--rates", type=float, nargs="*", default=[10.0, 25.0, 50.0],
                    help="open-loop arrival rates (requests/s) to measure")
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of each open-loop run")
    ap.add_argument("--db", default=None, help="catalog URL (default: a cached SQLite file in --workdir)")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "newsrights-bench-api")
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("NEWSRIGHTS_SHARED", ROOT.parent / "shared")) / "data")
    ap.add_argument("--build-only", action="store_true", help="build (or update) the catalog and its index, then stop")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    db_url = args.db or f"sqlite:///{args.workdir / f'catalog_{args.articles}.sqlite'}"
    docs = build_catalog(db_url, args.articles, args.data)
    if args.build_only:
        return
    texts = queries(docs, args.articles, 600)

    # baseline 1: the same checks in-process, one at a time
    from newsrights.core.model import Article
    from newsrights.services.scan import Scanner
    from newsrights.storage.db import open_db

    scanner = Scanner.open(open_db(db_url, migrate=False))
    direct: list[float] = []
    found = 0
    for t in texts[:300]:
        page = Article(body=tuple(p for p in t.split("\n\n") if p.strip()), origin="bench")
        t0 = time.perf_counter()
        fs = scanner.scan_page(page)
        direct.append((time.perf_counter() - t0) * 1000)
        found += bool(fs)
    del scanner

    port = free_port()
    token = make_token(db_url)
    proc = start_server(db_url, port, args.workers, args.workdir / "home")
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 600
        import httpx

        while True:
            try:
                if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.5)
        t0 = time.perf_counter()
        asyncio.run(load(base, token, "POST", "/api/v1/scans/text", texts, args.clients, 200))  # warm-up
        print(f"server warm (index loaded in every worker) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        lat, secs, errors = asyncio.run(load(base, token, "POST", "/api/v1/scans/text", texts, args.clients,
                                             args.requests))
        hlat, hsecs, herr = asyncio.run(load(base, token, "GET", "/api/v1/health", [None], args.clients,
                                             args.requests))
        opened = []
        for rate in args.rates:
            olat, oerr = asyncio.run(open_load(base, token, texts, rate, args.seconds, args.clients))
            opened.append((rate, olat, oerr))
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    rps, hrps = len(lat) / secs, len(hlat) / hsecs
    print(f"\n## API load: check this text, {args.articles:,}-article catalog, {args.clients} concurrent clients\n")
    load1, load5, _ = os.getloadavg()
    print(f"Machine load average during the run: {load1:.1f} (1 min), {load5:.1f} (5 min) on {os.cpu_count()} cores "
          "(other processes share the CPU when this is above the core count).\n")
    print(f"{len(lat):,} requests ({errors} errors), mix 1/3 whole copies, 1/3 excerpts, 1/3 no match; "
          f"{found}/300 of the direct checks had a finding; uvicorn workers: {args.workers}; "
          f"cores: {os.cpu_count()}.\n")
    print("| measure | p50 ms | p99 ms | requests/s | goal |")
    print("|---|---:|---:|---:|---|")
    print(f"| POST /api/v1/scans/text, {args.clients} clients | {statistics.median(lat):.1f} | {pct(lat, 0.99):.1f} "
          f"| {rps:,.0f} | p99 ≤ 100 ms |")
    print(f"| baseline: same checks in-process, 1 at a time | {statistics.median(direct):.1f} | "
          f"{pct(direct, 0.99):.1f} | {1000 / statistics.mean(direct):,.0f} | |")
    print(f"| baseline: GET /api/v1/health, {args.clients} clients ({herr} errors) | {statistics.median(hlat):.1f} "
          f"| {pct(hlat, 0.99):.1f} | {hrps:,.0f} | |")
    print(f"\nratios: endpoint throughput / in-process checks = {rps / (1000 / statistics.mean(direct)):.2f}; "
          f"endpoint throughput / health floor = {rps / hrps:.3f}; "
          f"p99 / goal = {pct(lat, 0.99) / 100:.2f}")
    print(f"\n### Open loop: requests arriving at a fixed rate, up to {args.clients} in flight\n")
    print("| offered requests/s | requests | errors | p50 ms | p99 ms | goal |")
    print("|---:|---:|---:|---:|---:|---|")
    for rate, olat, oerr in opened:
        print(f"| {rate:g} | {len(olat):,} | {oerr} | {statistics.median(olat):.1f} | {pct(olat, 0.99):.1f} "
              f"| p99 ≤ 100 ms |")


if __name__ == "__main__":
    main()
