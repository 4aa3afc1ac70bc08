"""Monitoring throughput: pages/s of a whole run (fetch, capture, extract, match, verdict), ours vs baselines.

Same data, same run, one process:

1. **From a WARC** of N generated pages (``--match-rate`` of them reprint a catalog
   article, the rest are unrelated news pages): ``run_monitor`` with the archive as
   source (records read, cheap text, candidates, careful extraction + scan +
   verdict + record only for candidates, outcome rows committed) against
   a) warcio reading the payloads alone (the I/O floor) and
   b) the naive pipeline: careful extraction (``ingest.read_bytes``) of every page
      then ``Detector.check`` (what a pipeline without the cheap-first step does).
2. **From a loopback site** (``serve_folder``) of M pages: ``run_monitor`` with a
   site source (robots.txt, politeness slots, SSRF guard, WARC capture with fsync,
   processing) against a bare httpx client GETting the same pages sequentially.

Pages per CPU-second (``time.process_time``) is reported beside wall-clock pages/s,
so "per core" is explicit. Usage::

    .venv/bin/python bench/bench_monitor.py --pages 2000 --site-pages 300
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from newsrights.core.declaration import publisher_declaration  # noqa: E402
from newsrights.crawl.fetcher import FetchConfig  # noqa: E402
from newsrights.crawl.local_site import serve_folder  # noqa: E402
from newsrights.crawl.sources import MonitorConfig, Source  # noqa: E402
from newsrights.demo.corpus import host_story, publisher_articles  # noqa: E402
from newsrights.services.catalog import ingest  # noqa: E402
from newsrights.services.monitor import ScanProcessor, run_monitor  # noqa: E402
from newsrights.storage.db import open_db  # noqa: E402

FILLER = (
    "市场监管部门近日开展了食品安全专项检查，重点抽查了学校周边的餐饮店和小超市。",
    "气象台预计本周后期将有一次明显降温过程，最低气温可能降到零度以下。",
    "区教育局公布了新学期的招生计划，新增三所公办幼儿园和两所九年一贯制学校。",
    "地铁五号线南延段完成全部隧道贯通，预计明年年底开通试运营。",
    "社区卫生服务中心推出家庭医生签约服务，老年居民可以享受上门随访。",
    "本市今年已经完成老旧小区改造八十个，惠及居民两万余户。",
    "农业农村部门组织专家深入田间地头，指导农户做好秋冬种植工作。",
    "体育中心将于下月举办全民健身运动会，设置跑步、游泳和羽毛球等项目。",
)


def _page(title: str, paragraphs: list[str]) -> bytes:
    nav = "".join(f'<li><a href="/c{i}.html">栏目{i}</a></li>' for i in range(20))
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="description" content="{title}"></head><body><header><ul>{nav}</ul></header>'
        f'<div class="main"><h1>{title}</h1><div class="info">2026-11-20 10:00 来源：本站</div>{ps}</div>'
        '<aside><h3>相关阅读</h3><ul>' + "".join(f"<li>相关新闻标题第{i}条</li>" for i in range(10)) +
        "</ul></aside><footer>版权所有 本站 未经授权禁止转载</footer></body></html>"
    ).encode()


def make_pages(n: int, match_rate: float, seed: int = 7) -> list[tuple[str, bytes, bool]]:
    rng = random.Random(seed)
    arts = list(publisher_articles().values())
    hosts = [host_story(n)[1] for n in ("city_briefs", "tech_column", "unrelated")]
    out = []
    for i in range(n):
        if rng.random() < match_rate:
            a = rng.choice(arts)
            body = list(a.body) if rng.random() < 0.5 else [rng.choice(FILLER), *a.body[:2], rng.choice(FILLER)]
            out.append((f"http://copies.example/{i}.html", _page(a.title or "转载", body), True))
        else:
            paras = [f"第{i}期本地新闻：{rng.choice(FILLER)}"]
            for _ in range(rng.randint(3, 7)):
                src = rng.choice(hosts + [list(FILLER)])
                paras.append(rng.choice(src) + f"（编号{rng.randrange(10**6)}）")
            out.append((f"http://other.example/{i}.html", _page(f"本地新闻{i}", paras), False))
    return out


def write_warc(path: Path, pages: list[tuple[str, bytes, bool]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, body, _ in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                warc_headers_dict={"WARC-Date": "2026-11-20T02:00:00Z"}))


class TimedProcessor:
    """Wraps the real processor to split time between page processing and the rest of the run."""

    def __init__(self, inner: ScanProcessor) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.pages = 0
        self.cpu: dict[str, float] = {}
        self.count: dict[str, int] = {}

    def analyse(self, **kw):  # type: ignore[no-untyped-def]
        t, c = time.perf_counter(), time.process_time()
        out = self.inner.analyse(**kw)
        self.seconds += time.perf_counter() - t
        self.pages += 1
        key = "matched" if out.outcome == "matched" else "other"
        self.cpu[key] = self.cpu.get(key, 0.0) + time.process_time() - c
        self.count[key] = self.count.get(key, 0) + 1
        return out

    def store(self, session, analysis, *, capture):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return self.inner.store(session, analysis, capture=capture)
        finally:
            self.seconds += time.perf_counter() - t


def timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--site-pages", type=int, default=300)
    ap.add_argument("--match-rate", type=float, default=0.05)
    ap.add_argument("--db", default="")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    db = args.db or f"sqlite:///{tmp / 'bench.sqlite'}"
    factory = open_db(db)
    ingest(factory, publisher_articles().values(), site_declaration=publisher_declaration())
    pages = make_pages(args.pages, args.match_rate)
    warc = tmp / "input.warc.gz"
    write_warc(warc, pages)
    expected = sum(m for *_, m in pages)
    proc = TimedProcessor(ScanProcessor(factory))
    proc.inner.scanner.candidates_for_text("预热 warm-up 文本")  # load lazy tables before timing

    # 1. WARC ------------------------------------------------------------------------------------
    cfg = MonitorConfig(sources=(Source("archive", str(warc)),), name="bench-warc")
    rep, wall, cpu = timed(lambda: run_monitor(factory, cfg, captures_dir=tmp / "cap", processor=proc))
    n = rep.processed_now

    def floor():  # type: ignore[no-untyped-def]
        from warcio.archiveiterator import ArchiveIterator

        k = 0
        with warc.open("rb") as fh:
            for r in ArchiveIterator(fh):
                if r.rec_type == "response":
                    r.content_stream().read()
                    k += 1
        return k

    k, fw, fc = timed(floor)

    def naive():  # type: ignore[no-untyped-def]
        from newsrights.ingest import read_bytes

        det = proc.inner.scanner.detector
        hits = 0
        for url, body, _ in pages[: max(200, len(pages) // 10)]:
            for a in read_bytes(body, origin=url, url=url, content_type="text/html; charset=utf-8"):
                if hasattr(a, "body") and det.check(a.text, page_url=url):
                    hits += 1
        return hits

    naive_n = max(200, len(pages) // 10)
    _, nw, nc = timed(naive)
    rows = [
        ("ours: run_monitor from WARC (all stages, outcomes committed)", n, wall, cpu),
        ("baseline a: warcio read payloads only (I/O floor)", k, fw, fc),
        (f"baseline b: careful extraction of every page + Detector.check ({naive_n} pages)", naive_n, nw, nc),
    ]
    print(f"## From a WARC: {len(pages)} pages, {expected} reprints, SQLite\n")
    print("| pipeline | pages | wall s | pages/s | CPU s | pages per CPU-s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, cnt, w, c in rows:
        print(f"| {name} | {cnt} | {w:.2f} | {cnt / w:.0f} | {c:.2f} | {cnt / c:.0f} |")
    ours_pps, naive_pps = n / cpu, naive_n / nc
    print(f"\nours / naive (pages per CPU-s): **{ours_pps / naive_pps:.1f}x**; "
          f"matched {rep.outcomes.get('matched', 0)} of {expected} reprints; "
          f"page processing {proc.seconds:.2f}s of {wall:.2f}s wall "
          f"({100 * proc.seconds / wall:.0f}%), the rest is archive reading, outcome rows and commits.\n")
    for key, label in (("other", "pages without a copy (cheap text + candidates only)"),
                       ("matched", "pages with a copy (careful extraction + alignment + verdicts)")):
        if proc.count.get(key):
            print(f"- analysis CPU per page, {label}: {1000 * proc.cpu[key] / proc.count[key]:.1f} ms "
                  f"({proc.count[key]} pages, {proc.count[key] / proc.cpu[key]:.0f} pages per CPU-s)")
    rest = cpu - sum(proc.cpu.values())
    print(f"- the rest of the run (archive reading, outcome rows, commits, report) per page: "
          f"{1000 * rest / max(1, n):.1f} ms CPU\n")

    # 2. loopback site ---------------------------------------------------------------------------
    site_dir = tmp / "site"
    site_dir.mkdir()
    spages = make_pages(args.site_pages, args.match_rate, seed=11)
    names = []
    for i, (_, body, _) in enumerate(spages):
        (site_dir / f"p{i}.html").write_bytes(body)
        names.append(f"p{i}.html")
    (site_dir / "index.html").write_text(
        "<html><body>" + "".join(f'<a href="{n}">{n}</a>' for n in names) + "</body></html>", "utf-8")
    fetch = FetchConfig(allow_networks=("127.0.0.1/32",), delay=0.0, concurrency=8, per_host_concurrency=8)
    with serve_folder(site_dir) as site:
        scfg = MonitorConfig(sources=(Source("site", site.url + "/", 1),), name="bench-site", fetch=fetch,
                             max_pages=args.site_pages + 10)
        srep, sw, sc = timed(lambda: run_monitor(factory, scfg, captures_dir=tmp / "cap2", processor=proc))

        def bare():  # type: ignore[no-untyped-def]
            import httpx

            with httpx.Client() as c:
                for name in ["", *names]:
                    c.get(f"{site.url}/{name}").read()
            return len(names) + 1

        bn, bw, bc = timed(bare)
    sn = srep.fetched_now
    print(f"## From a loopback site: {args.site_pages} pages + index, 8 fetches in flight\n")
    print("| pipeline | pages | wall s | pages/s | CPU s | pages per CPU-s |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| ours: run_monitor site (robots, guard, WARC+fsync, scan, verdicts) | {sn} | {sw:.2f} | {sn / sw:.0f} | {sc:.2f} | {sn / sc:.0f} |")
    print(f"| baseline: bare httpx GET, sequential, nothing kept | {bn} | {bw:.2f} | {bn / bw:.0f} | {bc:.2f} | {bn / bc:.0f} |")
    print(f"\nours / bare httpx (wall pages/s): **{(sn / sw) / (bn / bw):.2f}x**; outcomes {json.dumps(srep.outcomes)}")
    print(f"\n_run at {datetime.now(UTC).isoformat(timespec='seconds')}, python {sys.version.split()[0]}_")


if __name__ == "__main__":
    main()
