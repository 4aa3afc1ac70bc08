"""Load benchmark of the "check this text" endpoint (``POST /api/v1/scans/text``) on loopback.

A catalog of N synthetic articles (clauses of real Chinese news recombined, as in
``bench/matching_data.py``) is ingested through ``services.catalog`` and indexed by
``services.scan`` once (the index is stored in the database and reused on later runs).
The app is then served by uvicorn in a separate process, and C concurrent clients
(one keep-alive HTTP/1.1 connection each, closed loop: each sends its next request
when the previous one is answered) post a mix of texts: whole copies, excerpts
embedded in other text, and texts that match nothing. Reported: p50 / p99 latency
and requests/s.

The load generator is a minimal asyncio client on uvloop (:class:`RawClient`: an
``asyncio.Protocol`` per connection, requests pre-encoded, answers cut from the byte stream
by ``Content-Length``), not httpx: httpx's
per-request work on one core took a large share of the two cores being measured.
The CPU it uses during each run is reported, as is the machine's load average
(other engineers' jobs share these cores).

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
import json
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
    """Ingest ``n`` synthetic articles (only those not in the catalog yet: resumable) in bulk chunks,
    seed the demo licence registry (idempotent), and index them (chunked, resumable)."""
    from matching_data import synthetic_articles

    from newsrights.core.model import Article
    from newsrights.services import catalog, licensing
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
        catalog.ingest(factory, items, chunk_size=2000)
        print(f"ingested {n - have:,} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    licensing.seed_demo_registry(factory)
    t0 = time.perf_counter()

    def progress(done: int, todo: int) -> None:
        if done % 10_000 < 1000 or done == todo:
            print(f"  indexed {done:,}/{todo:,} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    scanner = Scanner.open(factory, sync=False)  # the stored index (later runs), then the missing articles
    scanner.sync(progress=progress)
    print(f"index ready in {time.perf_counter() - t0:.0f} s ({len(scanner.detector):,} articles)", file=sys.stderr)
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
               NEWSRIGHTS_SCAN_RATE="1e9", NEWSRIGHTS_SCAN_BURST="1000000000", NEWSRIGHTS_SCAN_SYNC_SECONDS="3600",
               NEWSRIGHTS_SCAN_PRELOAD="1")
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "newsrights.api.app:app_from_env",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning", "--no-access-log"], env=env)


class _Http(asyncio.Protocol):
    """The client side of one keep-alive HTTP/1.1 connection: answers are cut from the byte
    stream by their ``Content-Length`` (or a chunked body's last chunk) in ``data_received``,
    with no stream reader and no per-header await."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.waiter: asyncio.Future[tuple[int, bool]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buf[:end]).lower()
        status = int(head[9:12])
        at = head.find(b"\r\ncontent-length:")
        if at >= 0:
            stop = head.find(b"\r\n", at + 2)
            total = end + 4 + int(head[at + 17 : stop if stop > 0 else None])
        elif b"\r\ntransfer-encoding: chunked" in head:
            last = self.buf.find(b"\r\n0\r\n\r\n", end + 2)
            if last < 0:
                return
            total = last + 7
        else:
            total = end + 4
        if len(self.buf) < total:
            return
        del self.buf[:total]
        waiter.set_result((status, b"\r\nconnection: close" in head))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed by the server"))


class RawClient:
    """One keep-alive HTTP/1.1 connection (an :class:`_Http` protocol); requests are pre-encoded bytes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.proto: _Http | None = None

    async def send(self, request: bytes) -> int:
        """Send one request, read the whole answer; returns the status code."""
        loop = asyncio.get_running_loop()
        if self.proto is None or self.proto.transport is None:
            _, proto = await loop.create_connection(_Http, self.host, self.port)
            self.proto = proto
        proto = self.proto
        proto.waiter = loop.create_future()
        assert proto.transport is not None
        proto.transport.write(request)
        status, close = await proto.waiter
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.proto is not None and self.proto.transport is not None:
            self.proto.transport.close()
        self.proto = None


def encode_request(method: str, path: str, token: str, host: str, body: dict | None = None) -> bytes:  # type: ignore[type-arg]
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    head = (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n")
    return head.encode() + data


async def closed_load(port: int, requests: list[bytes], clients: int, total: int,
                      ramp: float = 0.0) -> tuple[list[float], float, int]:
    """``clients`` connections back to back until ``total`` answers; latencies (ms), seconds, errors.

    ``ramp``: the clients connect one after another over that many seconds (as clients of a
    service do) instead of all at once. With several uvicorn workers sharing one listening socket,
    connections opened in one burst go to whichever worker wakes first (seen: 81 requests on one
    connection, 20 on another), and the busier worker sets the tail; connections opened while the
    workers are busy go to the one free to accept."""
    lat: list[float] = []
    errors = 0
    next_i = 0

    async def client(k: int) -> None:
        nonlocal next_i, errors
        await asyncio.sleep(ramp * k / clients)
        c = RawClient("127.0.0.1", port)
        try:
            while next_i < total:
                i = next_i
                next_i += 1
                t0 = time.perf_counter()
                status = await c.send(requests[i % len(requests)])
                lat.append((time.perf_counter() - t0) * 1000)
                errors += status != 200
        finally:
            await c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return lat, time.perf_counter() - t0, errors


async def open_load(port: int, requests: list[bytes], rate: float, seconds: float,
                    clients: int) -> tuple[list[float], int]:
    """Open loop: requests arrive every 1/rate s whatever the answers, on at most ``clients``
    connections; latency is counted from the scheduled arrival (waiting for a connection counts)."""
    lat: list[float] = []
    errors = 0
    pool: asyncio.Queue[RawClient] = asyncio.Queue()
    for _ in range(clients):
        pool.put_nowait(RawClient("127.0.0.1", port))
    n = int(rate * seconds)
    start = time.perf_counter()

    async def one(i: int) -> None:
        nonlocal errors
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        c = await pool.get()
        try:
            status = await c.send(requests[i % len(requests)])
        finally:
            pool.put_nowait(c)
        lat.append((time.perf_counter() - due) * 1000)
        errors += status != 200

    await asyncio.gather(*(one(i) for i in range(n)))
    while not pool.empty():
        await pool.get_nowait().close()
    return lat, errors


class LoadSampler:
    """The machine's 1-minute load average, sampled every second in a thread while measuring."""

    def __init__(self) -> None:
        import threading

        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self.samples.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def summary(self) -> str:
        xs = self.samples
        return f"{min(xs):.1f}–{max(xs):.1f} (mean {statistics.mean(xs):.1f})"


def worker_rss_mb(parent: int) -> list[float]:
    """Resident memory (MB) of the server's worker processes (children of ``parent``; Linux /proc)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != parent:
                continue
            for line in (d / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return out


def measured(coro_fn, *args):  # type: ignore[no-untyped-def]
    """Run the load ``coro_fn(*args)`` on a new event loop; also the client's CPU use (share of one core)."""
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    try:  # the load generator on uvloop too: its CPU comes out of the same two cores
        import uvloop

        factory = uvloop.new_event_loop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        out = runner.run(coro_fn(*args))
    wall = time.perf_counter() - t0
    return out, (time.process_time() - cpu0) / wall


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
    ap.add_argument("--ramp", type=float, default=0.0,
                    help="closed loop: seconds over which the clients open their connections (0: all at once)")
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
    # every request posts a text of its own (no repeats: the caches of candidate texts and records
    # only help as much as they would with fresh texts); warm-up, closed loop and each open-loop
    # rate get disjoint slices
    n_open = [int(rate * args.seconds) for rate in args.rates]
    texts = queries(docs, args.articles, 300 + args.requests + sum(n_open))

    # baseline 1: the same checks in-process, one at a time
    from newsrights.core.model import Article
    from newsrights.services.scan import Scanner
    from newsrights.storage.db import open_db

    scanner = Scanner.open(open_db(db_url, migrate=False))
    pages = [Article(body=tuple(p for p in t.split("\n\n") if p.strip()), origin="bench")
             for t in texts[300 : 300 + 300]]
    for t in texts[:30]:  # warm-up on other texts, as the server's
        scanner.check_text(t)
    direct: list[float] = []
    found = 0
    with LoadSampler() as direct_load:
        for page in pages:
            t0 = time.perf_counter()
            fs = scanner.scan_page(page)
            direct.append((time.perf_counter() - t0) * 1000)
            found += bool(fs)
    del scanner

    port = free_port()
    token = make_token(db_url)
    host = f"127.0.0.1:{port}"
    reqs = [encode_request("POST", "/api/v1/scans/text", token, host, {"text": t}) for t in texts]
    warm_reqs, scan_reqs = reqs[:300], reqs[300 : 300 + args.requests]
    open_reqs, at = [], 300 + args.requests
    for k in n_open:
        open_reqs.append(reqs[at : at + k])
        at += k
    health_req = [encode_request("GET", "/api/v1/health", token, host)]
    proc = start_server(db_url, port, args.workers, args.workdir / "home")
    try:
        deadline = time.time() + 900
        while True:
            try:
                (_, _, status_errors), _ = measured(closed_load, port, health_req, 1, 1)
                if not status_errors:
                    break
            except OSError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.5)
        # warm-up: each worker opens its index as it starts (NEWSRIGHTS_SCAN_PRELOAD); connections go
        # to either worker, so repeat until no request of a round waited for an index still loading
        t0 = time.perf_counter()
        for _ in range(30):
            (wlat, _, _), _ = measured(closed_load, port, warm_reqs, args.clients, 200)
            if max(wlat) < 5 * statistics.median(wlat) + 200:
                break
        print(f"server warm (index loaded in every worker) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        rss = [m for m in worker_rss_mb(proc.pid) if m > 50]  # the workers, not uvicorn's helper process
        with LoadSampler() as scan_load:
            (lat, secs, errors), scan_cpu = measured(closed_load, port, scan_reqs, args.clients, args.requests,
                                                     args.ramp)
        with LoadSampler() as health_load:
            (hlat, hsecs, herr), health_cpu = measured(closed_load, port, health_req, args.clients, args.requests,
                                                       args.ramp)
        opened = []
        for rate, rate_reqs in zip(args.rates, open_reqs, strict=True):
            with LoadSampler() as open_sampler:
                (olat, oerr), ocpu = measured(open_load, port, rate_reqs, rate, args.seconds, args.clients)
            opened.append((rate, olat, oerr, ocpu, open_sampler))
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    rps, hrps = len(lat) / secs, len(hlat) / hsecs
    print(f"\n## API load: check this text, {args.articles:,}-article catalog, {args.clients} concurrent clients\n")
    print(f"{len(lat):,} requests ({errors} errors), each with a text of its own, mix 1/3 whole copies, "
          "1/3 excerpts, 1/3 no match; "
          f"{found}/{len(pages)} of the direct checks had a finding; uvicorn workers: {args.workers}; "
          f"cores: {os.cpu_count()}; load generator: one asyncio process, raw HTTP/1.1 keep-alive connections; "
          f"worker memory (RSS, index loaded): {', '.join(f'{m:,.0f} MB' for m in rss) or 'n/a'}; "
          f"closed-loop clients connect {'all at once' if not args.ramp else f'over {args.ramp:g} s'}.\n")
    print("| measure | p50 ms | p99 ms | requests/s | load generator CPU | load average (1 min) | goal |")
    print("|---|---:|---:|---:|---:|---|---|")
    print(f"| POST /api/v1/scans/text, {args.clients} clients | {statistics.median(lat):.1f} | {pct(lat, 0.99):.1f} "
          f"| {rps:,.0f} | {scan_cpu:.0%} of a core | {scan_load.summary()} | p99 ≤ 100 ms |")
    print(f"| baseline: same checks in-process, 1 at a time | {statistics.median(direct):.1f} | "
          f"{pct(direct, 0.99):.1f} | {1000 / statistics.mean(direct):,.0f} | – | {direct_load.summary()} | |")
    print(f"| baseline: GET /api/v1/health, {args.clients} clients ({herr} errors) | {statistics.median(hlat):.1f} "
          f"| {pct(hlat, 0.99):.1f} | {hrps:,.0f} | {health_cpu:.0%} of a core | {health_load.summary()} | |")
    print(f"\nratios: endpoint throughput / in-process checks = {rps / (1000 / statistics.mean(direct)):.2f}; "
          f"endpoint throughput / health floor = {rps / hrps:.3f}; "
          f"p99 / goal = {pct(lat, 0.99) / 100:.2f}")
    print(f"\n### Open loop: requests arriving at a fixed rate, up to {args.clients} in flight\n")
    print("| offered requests/s | requests | errors | p50 ms | p99 ms | load generator CPU | load average (1 min) | goal |")
    print("|---:|---:|---:|---:|---:|---:|---|---|")
    for rate, olat, oerr, ocpu, sampler in opened:
        print(f"| {rate:g} | {len(olat):,} | {oerr} | {statistics.median(olat):.1f} | {pct(olat, 0.99):.1f} "
              f"| {ocpu:.0%} of a core | {sampler.summary()} | p99 ≤ 100 ms |")


if __name__ == "__main__":
    main()
