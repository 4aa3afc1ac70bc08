"""Catalog benchmark: our ingest and ownership rules against naive baselines, same data, same run.

    .venv/bin/python bench/bench_catalog.py [--articles 3000] [--pg URL] [--shared ../shared/data]

1. **Ingest throughput** (articles/s) on N generated articles, first pass and
   an idempotent re-run, SQLite file and (with ``--pg`` or
   ``$NEWSRIGHTS_TEST_PG_URL``) PostgreSQL. Ours: ``services.catalog.ingest``
   (chunks of 200: one query for the chunk's existing rows, one flush, one
   commit). Baseline: the straightforward ORM loop — per article, look it up,
   insert article + version, commit. Both classify ownership and write the same
   rows; ratio = ours / baseline.
2. **Ownership** on a table of ownership situations (owned by 来源, by each
   dateline marker, by a placeholder dateline; third party by 来源, dateline,
   byline; explicit third-party notes; conflicts; nothing stated): our
   classifier vs the naive rule "来源 == 国际在线 → owned, other 来源 →
   third_party, else needs_review". Accuracy against the class the declaration
   prescribes.
3. **Declaration parsing** of the real notices in
   ``zh_copyright_and_source_notices`` (when ``--shared`` has them): sentences/s
   and the share of sentences turned into rules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from newsrights.core.declaration import parse_declaration, publisher_declaration
from newsrights.core.model import CHINA_TZ, Article
from newsrights.core.ownership import classify, medium_name
from newsrights.services import catalog
from newsrights.storage.db import open_db, transaction
from newsrights.storage.tables.catalog import ArticleRow, ArticleVersionRow

ROOT = Path(__file__).resolve().parents[1]

_SENTENCES = [
    "会议围绕区域合作、数字经济和绿色发展等议题展开深入讨论。",
    "与会代表表示，将进一步加强政策沟通和项目对接。",
    "据介绍，该项目总投资约十二亿元，预计明年年底建成投入使用。",
    "专家指出，气候变化正在深刻影响农业生产的布局和方式。",
    "当地居民说，新开通的公交线路让出行方便了许多。",
    "记者在现场看到，工作人员正在有序引导参观者入场。",
    "统计数据显示，今年前三季度进出口总额同比增长百分之五点六。",
    "活动期间还将举办论坛、展览和文化交流等系列活动。",
]
_SOURCES = ["国际在线"] * 6 + ["新华社", "人民日报", "央视网", "转载"]


def make_articles(n: int, seed: int = 7) -> list[Article]:
    """N deterministic articles of about 1,200 characters, with a mix of sources."""
    rnd = random.Random(seed)
    base = datetime(2024, 1, 1, 8, 0, tzinfo=CHINA_TZ)
    out = []
    for i in range(n):
        paras = tuple("".join(rnd.choice(_SENTENCES) for _ in range(5)) + f"（第{i}篇第{k}段）" for k in range(6))
        out.append(Article(body=paras, title=f"基准稿件{i}", source=rnd.choice(_SOURCES),
                           published=base + timedelta(minutes=i), url=f"https://news.cri.cn/bench/{i}.html",
                           origin=f"bench:{i}"))
    return out


def naive_ingest(factory: sa.orm.sessionmaker, items: list[Article]) -> dict[str, int]:  # type: ignore[name-defined]
    """Baseline: one transaction per article, looked up by id, article + version inserted."""
    decl = publisher_declaration()
    counts = {"new": 0, "unchanged": 0, "updated": 0}
    for a in items:
        own = classify(a, decl)
        aid = catalog.article_id_for(a)
        now = datetime.now(UTC)
        with transaction(factory) as s:
            row = s.get(ArticleRow, aid)
            if row is not None and row.sha256 == a.sha256:
                counts["unchanged"] += 1
                continue
            version = 1 if row is None else row.current_version + 1
            if row is None:
                row = ArticleRow(id=aid, uri=a.stable_uri, uri_sha256=hashlib.sha256(a.stable_uri.encode()).hexdigest(),
                                 created_at=now)
                s.add(row)
            row.url, row.site, row.current_version, row.sha256 = a.url, a.site, version, a.sha256
            row.title, row.published = a.title, a.published
            row.ownership_class, row.holder, row.updated_at = own.class_, own.holder, now
            s.flush()
            s.add(ArticleVersionRow(
                article_id=aid, version=version, sha256=a.sha256, raw_sha256=a.raw_sha256, ingested_at=now,
                title=a.title, published=a.published, source=a.source, editor=a.editor,
                responsible_editor=a.responsible_editor, original_title=a.original_title, dateline=a.dateline,
                byline=a.byline, site=a.site, url=a.url, uri=a.uri, language=a.language, origin=a.origin,
                fetched=a.fetched, body=list(a.body), credit_lines=list(a.credit_lines), furniture=list(a.furniture),
                extra=[], declaration_text=a.declaration, copyright_notice=a.copyright_notice,
                ownership=own.to_json(), ownership_class=own.class_, declaration_version=own.declaration_version))
            counts["new" if version == 1 else "updated"] += 1
    return counts


def _fresh_pg(base: str) -> str:
    name = "bench_" + uuid.uuid4().hex[:10]
    eng = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def bench_ingest(n: int, pg: str | None) -> list[tuple[str, str, float, float]]:
    arts = make_articles(n)
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="nr-bench-"))
    backends = [("sqlite", lambda tag: f"sqlite:///{tmp / (tag + '.sqlite')}")]
    if pg:
        backends.append(("postgresql", lambda _tag: _fresh_pg(pg)))
    for label, url_for in backends:
        for phase in ("first", "rerun"):
            rows.append((label, phase, 0.0, 0.0))
        f_ours, f_base = open_db(url_for("ours")), open_db(url_for("base"))
        res: dict[tuple[str, str], float] = {}
        for who, fn in (("ours", lambda f: catalog.ingest(f, arts)), ("base", lambda f: naive_ingest(f, arts))):
            f = f_ours if who == "ours" else f_base
            for phase in ("first", "rerun"):
                t0 = time.perf_counter()
                fn(f)
                res[(who, phase)] = n / (time.perf_counter() - t0)
        rows = [r for r in rows if r[0] != label]
        for phase in ("first", "rerun"):
            rows.append((label, phase, res[("ours", phase)], res[("base", phase)]))
        with f_ours() as s1, f_base() as s2:
            a1 = s1.scalar(sa.text("select count(*) from article_versions"))
            a2 = s2.scalar(sa.text("select count(*) from article_versions"))
        assert a1 == a2 == n, (a1, a2)
    return rows


def naive_owner(a: Article) -> str:
    src = medium_name(a.source)
    if src == "国际在线":
        return "owned"
    if src:
        return "third_party"
    return "needs_review"


#: (what the page says, the class the declaration prescribes)
SITUATIONS: list[tuple[dict[str, object], str]] = [
    ({"source": "国际在线"}, "owned"),
    ({"source": "国际在线-国际频道"}, "owned"),
    ({"dateline": "国际在线消息"}, "owned"),
    ({"dateline": "国际在线专稿"}, "owned"),
    ({"dateline": "国际在线报道"}, "owned"),
    ({"dateline": "国际在线北京消息"}, "owned"),
    ({"dateline": "国际在线综合报道"}, "owned"),
    ({"body": ("国际在线专稿：据悉，……", "第二段。")}, "owned"),
    ({"source": "新华社"}, "third_party"),
    ({"source": "人民网-文化频道"}, "third_party"),
    ({"dateline": "新华社北京8月18日电"}, "third_party"),
    ({"byline": "辽宁日报记者 杨忠厚"}, "third_party"),
    ({"source": "新华网(非国际在线)"}, "third_party"),
    ({"source": "国际在线", "body": ("正文。", "（本文版权归环球旅行杂志所有，经授权转载）")}, "explicit_third_party"),
    ({"copyright_notice": "© 2024 Reuters"}, "explicit_third_party"),
    ({"source": "国际在线", "byline": "新华社记者 张三"}, "needs_review"),
    ({"source": "人民日报", "dateline": "国际在线消息"}, "needs_review"),
    ({"source": "转载"}, "needs_review"),
    ({}, "needs_review"),
]


def bench_ownership() -> tuple[int, int, int, float, float]:
    decl = publisher_declaration()
    arts = []
    for kw, want in SITUATIONS:
        k = dict(kw)
        k.setdefault("body", ("正文第一段。", "正文第二段。"))
        arts.append((Article(**k), want))  # type: ignore[arg-type]
    ours = sum(classify(a, decl).class_ == w for a, w in arts)
    base = sum(naive_owner(a) == w for a, w in arts)
    reps = 300
    t0 = time.perf_counter()
    for _ in range(reps):
        for a, _w in arts:
            classify(a, decl)
    t_ours = reps * len(arts) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(reps):
        for a, _w in arts:
            naive_owner(a)
    t_base = reps * len(arts) / (time.perf_counter() - t0)
    return len(arts), ours, base, t_ours, t_base


def bench_declarations(shared: Path) -> tuple[int, int, int, float] | None:
    path = shared / "zh_copyright_and_source_notices" / "notices.jsonl"
    if not path.exists():
        return None
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    texts = [r["text"] for r in rows if r["kind"] == "copyright"]
    t0 = time.perf_counter()
    parsed = [parse_declaration(t) for t in texts]
    dt = time.perf_counter() - t0
    sentences = sum(len(d.sentences) for d in parsed)
    uninterpreted = sum(len(d.uninterpreted) for d in parsed)
    return len(texts), sentences, uninterpreted, sentences / dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--pg", default=os.environ.get("NEWSRIGHTS_TEST_PG_URL"))
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()

    print(f"## 1. Ingest throughput, {args.articles} articles (articles/s)\n")
    print("| database | pass | ours | naive ORM loop | ratio |")
    print("|---|---|---:|---:|---:|")
    for label, phase, ours, base in bench_ingest(args.articles, args.pg):
        print(f"| {label} | {phase} | {ours:,.0f} | {base:,.0f} | {ours / base:.1f}x |")

    n, ours, base, t_ours, t_base = bench_ownership()
    print(f"\n## 2. Ownership on {n} situations of the publisher's declaration\n")
    print("| rule | correct | accuracy | decisions/s |")
    print("|---|---:|---:|---:|")
    print(f"| ours (declaration markers, datelines, bylines, explicit notes, conflicts) | {ours}/{n} | {ours / n:.2f} | {t_ours:,.0f} |")
    print(f"| naive (来源 == 国际在线) | {base}/{n} | {base / n:.2f} | {t_base:,.0f} |")

    dec = bench_declarations(args.shared)
    if dec:
        texts, sentences, unint, rate = dec
        print(f"\n## 3. Declaration parsing, {texts} real copyright notices\n")
        print(f"- {sentences} sentences, {sentences - unint} turned into rules ({(sentences - unint) / sentences:.1%}), "
              f"{unint} reported as uninterpreted; {rate:,.0f} sentences/s")
    else:
        print("\n(section 3 skipped: no zh_copyright_and_source_notices under --shared)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
