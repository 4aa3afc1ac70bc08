"""``newsrights spark scan``: the detection of ``newsrights scan`` as a PySpark job.

Stages (each written under ``OUT/<stage>/`` with a completion marker and skipped
when complete, so a restarted job resumes; ``--stop-after STAGE`` ends early):

``extract``
    Input files (WARC/WARC.gz, HTML, text, ninjs, feeds — anything
    :func:`newsrights.ingest.read_path` reads — or Parquet of pages with
    ``url``, ``fetched`` and ``html`` or ``text`` columns) → one row per page: the
    page :class:`Article` as lossless JSON, its text, its raw bytes. Files are
    distributed one per task (a WARC is streamed, never loaded whole); rejected
    records are kept in ``extract/rejected`` with their reasons.
``signatures``
    Pages and catalog articles → MinHash LSH band keys and passage anchors, with
    the core's own :func:`~newsrights.core.matching.detect.prepare`.
``candidates``
    Band join (``page band key = article band key``) ∪ anchor join (anchors held
    by at most ``df_cap`` articles; at least ``min_anchors`` distinct ones per
    pair), scored and ranked per page exactly as
    :meth:`Detector.candidates <newsrights.core.matching.detect.Detector.candidates>`
    does (top ``MAX_CANDIDATES``). Skew: band keys and anchors are exploded
    into many small rows, hot keys (boilerplate pages, short articles) are
    salted over ``--salt`` sub-keys before the join, and adaptive query
    execution splits skewed partitions; candidate pairs per partition are
    reported in the stage info.
``align``
    Each page with its candidates (grouped by page) → the core's
    :func:`~newsrights.core.matching.detect.compare` per pair, with the
    formulaic-shingle mask from the broadcast df sketch → findings.
``verdicts``
    Credit check and verdict per finding with the core's own
    :func:`~newsrights.core.credit.check_credit` and
    :func:`~newsrights.core.verdicts.decide`, against the registry in force at the
    copy's date rebuilt from the bundle (:class:`RegistryHistory`).
``findings``
    Parquet (with the page and its raw bytes, for ``newsrights findings import``)
    and JSONL (one line per finding, the same fields as ``newsrights scan --jsonl``).

The same input gives exactly the same findings as ``newsrights scan``:
``tests/spark/test_spark_scan.py`` holds the job to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsrights.spark.bundle import load_params
from newsrights.spark.stages import STAGES, StageRunner

PAGE_SCHEMA = "page_id string, origin string, url string, text string, article string, raw binary, content_type string"
REJECT_SCHEMA = "origin string, reason string, detail string"
SIG_SCHEMA = "page_id string, chars long, bands array<long>, anchors array<long>, anchor_pos array<long>"
ART_SIG_SCHEMA = "article_id string, doc long, chars long, bands array<long>, anchors array<long>"
FINDING_SCHEMA = "page_id string, article_id string, finding string"


def _files(inputs: list[str]) -> list[str]:
    import glob

    out: list[str] = []
    for raw in inputs:
        p = Path(raw)
        if not p.exists() and glob.has_magic(raw):
            out.extend(sorted(glob.glob(raw, recursive=True)))
            continue
        if p.is_dir():
            out.extend(
                str(f) for f in sorted(p.rglob("*"), key=lambda f: f.relative_to(p).as_posix())
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(str(p))
    return out


# ----------------------------------------------------------------- extract
def _extract_partition(it: Iterator[Any]) -> Iterator[Any]:
    """Files → pages (mapInPandas over a frame of paths)."""
    import pandas as pd

    from newsrights.core.model import Rejected
    from newsrights.ingest import read_path
    from newsrights.services.scan import _raw_of
    from newsrights.spark.rows import article_to_json

    for frame in it:
        rows: list[dict[str, Any]] = []
        for path in frame["path"]:
            for item in read_path(Path(path)):
                if isinstance(item, Rejected):
                    rows.append({"page_id": None, "origin": item.origin, "url": item.reason,
                                 "text": item.detail, "article": None, "raw": None, "content_type": None})
                    continue
                origin = item.origin or path
                rows.append({
                    "page_id": hashlib.sha256(origin.encode()).hexdigest()[:24],
                    "origin": origin, "url": item.url, "text": item.text,
                    "article": article_to_json(item), "raw": _raw_of(origin), "content_type": None,
                })
        yield pd.DataFrame(rows, columns=["page_id", "origin", "url", "text", "article", "raw", "content_type"])


def _pages_from_parquet(spark: Any, path: str) -> Any:
    """Parquet of pages (``url``, ``fetched``, ``html`` or ``text``) → the page frame."""
    import pandas as pd

    df = spark.read.parquet(path)
    cols = set(df.columns)

    def conv(it: Iterator[Any]) -> Iterator[Any]:
        from newsrights.core.model import Article, Rejected
        from newsrights.ingest import read_bytes
        from newsrights.spark.rows import article_to_json

        for frame in it:
            rows = []
            for rec in frame.to_dict("records"):
                url = rec.get("url")
                fetched = rec.get("fetched")
                fetched = pd.Timestamp(fetched).to_pydatetime() if fetched is not None and not pd.isna(fetched) else None
                if fetched is not None and fetched.tzinfo is None:
                    fetched = fetched.replace(tzinfo=UTC)
                origin = f"{path}#{url}"
                if rec.get("html") is not None:
                    raw = rec["html"] if isinstance(rec["html"], bytes) else str(rec["html"]).encode("utf-8")
                    items = read_bytes(raw, origin=origin, url=url, content_type="text/html", fetched=fetched)
                else:
                    text = str(rec.get("text") or "")
                    raw = text.encode("utf-8")
                    paras = tuple(p.strip() for p in text.split("\n\n") if p.strip())
                    items = [Article(body=paras, url=url, origin=origin, fetched=fetched)] if paras else [
                        Rejected(origin, "no_body", "empty text")]
                for item in items:
                    if isinstance(item, Rejected):
                        rows.append({"page_id": None, "origin": item.origin, "url": item.reason, "text": item.detail,
                                     "article": None, "raw": None, "content_type": None})
                    else:
                        rows.append({"page_id": hashlib.sha256(origin.encode()).hexdigest()[:24], "origin": origin,
                                     "url": item.url, "text": item.text, "article": article_to_json(item),
                                     "raw": raw, "content_type": None})
            yield pd.DataFrame(rows, columns=["page_id", "origin", "url", "text", "article", "raw", "content_type"])

    return df.select(*[c for c in ("url", "fetched", "html", "text") if c in cols]).mapInPandas(conv, PAGE_SCHEMA)


# --------------------------------------------------------------- signatures
def _page_sigs(params_json: str) -> Any:
    def run(it: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from newsrights.core.matching.detect import page_keys, prepare
        from newsrights.core.matching.params import MatchParams

        params = MatchParams(**json.loads(params_json))
        for frame in it:
            out = []
            for pid, text in zip(frame["page_id"], frame["text"], strict=True):
                p = prepare(text or "", params)
                bands, keys, pos = page_keys(p, params) if p.chars else ([], [], [])
                out.append({"page_id": pid, "chars": p.chars, "bands": [int(x) for x in bands],
                            "anchors": [int(x) for x in keys], "anchor_pos": [int(x) for x in pos]})
            yield pd.DataFrame(out, columns=["page_id", "chars", "bands", "anchors", "anchor_pos"])

    return run


def _article_sigs(params_json: str) -> Any:
    def run(it: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from newsrights.core.matching.detect import Sketch, article_keys, prepare
        from newsrights.core.matching.params import MatchParams

        params = MatchParams(**json.loads(params_json))
        for frame in it:
            out = []
            for aid, doc, text in zip(frame["article_id"], frame["doc"], frame["text"], strict=True):
                p = prepare(text or "", params)
                if not p.chars:  # an empty article is kept out of the index, as Detector.add_sketch does
                    continue
                bands, anchors = article_keys(Sketch(aid, "", p.signature, p.anchors, p.chars), params)
                out.append({"article_id": aid, "doc": int(doc), "chars": p.chars,
                            "bands": [int(x) for x in bands], "anchors": [int(x) for x in anchors]})
            yield pd.DataFrame(out, columns=["article_id", "doc", "chars", "bands", "anchors"])

    return run


# -------------------------------------------------------------------- align
def _align_groups(params_json: str, bundle: str) -> Any:
    def run(key: Any, frame: Any) -> Any:
        import numpy as np
        import pandas as pd

        from newsrights.core.matching.detect import compare, prepare, rank_candidates
        from newsrights.core.matching.params import MatchParams
        from newsrights.spark.rows import article_from_json, finding_to_json

        params = MatchParams(**json.loads(params_json))
        first = frame.iloc[0]
        page = article_from_json(first["page_article"])
        prepared = prepare(first["page_text"] or "", params)
        rows = {int(r["doc"]): r for r in frame.to_dict("records")}
        band_docs = np.concatenate([np.full(int(r["band_hits"]), d, np.int32) for d, r in rows.items()] or
                                   [np.zeros(0, np.int32)])
        anchor_lists = [(d, list(r["anchor_pos"]) if r["anchor_pos"] is not None else []) for d, r in rows.items()]
        anchor_docs = np.concatenate([np.full(len(p), d, np.int32) for d, p in anchor_lists] or [np.zeros(0, np.int32)])
        anchor_pos = np.concatenate([np.asarray(p, np.int64) for _d, p in anchor_lists] or [np.zeros(0, np.int64)])
        ranked = rank_candidates(band_docs, anchor_docs, anchor_pos, prepared.chars, params)
        out = []
        if ranked:
            # formulaic shingles exactly as Detector.check_prepared marks them (its own df estimate)
            common = _df_detector(bundle, params).common(prepared.shingles)
            for doc, _score in ranked:
                rec = rows[doc]
                art = prepare(rec["article_text"] or "", params)
                f = compare(prepared, art, rec["article_id"], rec["uri"], params,
                            page_url=page.url or page.origin, page_common=common, art_signature=art.signature)
                if f.label != "not_derived":
                    out.append({"page_id": rec["page_id"], "article_id": rec["article_id"],
                                "finding": finding_to_json(f)})
        return pd.DataFrame(out, columns=["page_id", "article_id", "finding"])

    return run


_DF_CACHE: dict[str, Any] = {}


def _df_detector(bundle: str, params: Any) -> Any:
    """An empty :class:`Detector` holding only the bundle's df sketch, so that ``shingle_df``
    (count-mean-min) is the single-process scanner's own function, not a copy of it."""
    import numpy as np

    from newsrights.core.matching.detect import Detector

    det = _DF_CACHE.get(bundle)
    if det is None:
        det = Detector(params)
        det.load_df_sketch(np.load(Path(bundle) / "df_sketch.npy"))
        _DF_CACHE[bundle] = det
    return det


# ----------------------------------------------------------------- verdicts
def judge_page(page_json: str, raw: bytes | None, finding_jsons: list[str], bundle: Path,
               records: dict[str, Any], history: Any) -> list[Any]:
    """Verdicts for one page's findings — the same steps as ``Scanner.scan_page`` +
    ``services.licensing.attach_verdicts``, on bundle data instead of the database."""
    from types import SimpleNamespace

    from newsrights.services.licensing import judge_findings
    from newsrights.services.scan import page_sha256
    from newsrights.spark.rows import article_from_json, finding_from_json

    page = article_from_json(page_json)
    findings = sorted((finding_from_json(s) for s in finding_jsons), key=lambda f: (-f.article_coverage, f.article_id))
    sha = page_sha256(page, raw)
    now = datetime.now(UTC)
    findings = [replace(f, page_sha256=sha, page_title=page.title, found_at=now) for f in findings]

    def record_of(article_id: str) -> Any | None:
        rec = records.get(article_id)
        return SimpleNamespace(id=article_id, article=rec[0], ownership=rec[1]) if rec is not None else None

    return judge_findings(page, findings, registry_at=history.at, record_of=record_of, raw=raw, now=now)


def _verdict_groups(bundle: str) -> Any:
    state: dict[str, Any] = {}

    def run(key: Any, frame: Any) -> Any:
        import pandas as pd
        import pyarrow.parquet as pq

        from newsrights.spark.bundle import RegistryHistory
        from newsrights.spark.rows import article_from_json, finding_to_json, ownership_from_json

        if "records" not in state:
            t = pq.read_table(Path(bundle) / "articles.parquet", columns=["article_id", "article", "ownership"])
            state["records"] = {
                aid: (article_from_json(a), ownership_from_json(o))
                for aid, a, o in zip(t["article_id"].to_pylist(), t["article"].to_pylist(),
                                     t["ownership"].to_pylist(), strict=True)
            }
            state["history"] = RegistryHistory.load(Path(bundle))
        first = frame.iloc[0]
        judged = judge_page(first["page_article"], first["raw"], list(frame["finding"]), Path(bundle),
                            state["records"], state["history"])
        return pd.DataFrame(
            [{"page_id": first["page_id"], "article_id": f.article_id, "finding": finding_to_json(f)} for f in judged],
            columns=["page_id", "article_id", "finding"],
        )

    return run


# ---------------------------------------------------------------------- job
def run_scan(
    spark: Any,
    inputs: list[str],
    bundle: Path,
    out: Path,
    *,
    stop_after: str | None = None,
    salt: int = 8,
    hot_key_rows: int = 10_000,
) -> dict[str, Any]:
    """Run (or resume) the job; returns per-stage info (rows, skipped, skew figures)."""
    from pyspark.sql import functions as F

    params = load_params(bundle)
    params_json = json.dumps(asdict(params))
    manifest = json.loads((bundle / "manifest.json").read_text())
    files = _files(inputs)
    runner = StageRunner(out, fingerprint={"inputs": files, "bundle": manifest["sha256"], "params": params.name,
                                           "salt": salt}, stop_after=stop_after)
    report: dict[str, Any] = {"params": params.name, "stages": {}}

    def stage_done(name: str, res: Any) -> bool:
        report["stages"][name] = {"skipped": res.skipped, **res.info}
        return runner.should_stop(name)

    # extract
    def extract(tmp: Path) -> dict[str, Any]:
        parquet_inputs = [f for f in files if f.endswith(".parquet")]
        others = [f for f in files if not f.endswith(".parquet")]
        frames = []
        if others:
            paths = spark.createDataFrame([(f,) for f in others], "path string").repartition(
                max(1, min(len(others), spark.sparkContext.defaultParallelism * 4)))
            frames.append(paths.mapInPandas(_extract_partition, PAGE_SCHEMA))
        for p in parquet_inputs:
            frames.append(_pages_from_parquet(spark, p))
        if not frames:
            df = spark.createDataFrame([], PAGE_SCHEMA)
        else:
            df = frames[0]
            for other in frames[1:]:
                df = df.unionByName(other)
        df.write.parquet(str(tmp / "all"))
        all_ = spark.read.parquet(str(tmp / "all"))
        all_.where("page_id IS NULL").select(F.col("origin"), F.col("url").alias("reason"), F.col("text").alias("detail")) \
            .write.parquet(str(tmp / "rejected"))
        pages = all_.where("page_id IS NOT NULL")
        pages.write.parquet(str(tmp / "pages"))
        n_pages = spark.read.parquet(str(tmp / "pages")).count()
        n_rej = spark.read.parquet(str(tmp / "rejected")).count()
        import shutil

        shutil.rmtree(tmp / "all")
        return {"pages": n_pages, "rejected": n_rej, "files": len(files)}

    if stage_done("extract", runner.run("extract", extract)):
        return report
    pages = spark.read.parquet(str(runner.path("extract") / "pages"))

    # signatures
    def signatures(tmp: Path) -> dict[str, Any]:
        pages.select("page_id", "text").mapInPandas(_page_sigs(params_json), SIG_SCHEMA).write.parquet(str(tmp / "pages"))
        spark.read.parquet(str(bundle / "articles.parquet")).select("article_id", "doc", "text") \
            .mapInPandas(_article_sigs(params_json), ART_SIG_SCHEMA).write.parquet(str(tmp / "articles"))
        return {"pages": spark.read.parquet(str(tmp / "pages")).count(),
                "articles": spark.read.parquet(str(tmp / "articles")).count()}

    if stage_done("signatures", runner.run("signatures", signatures)):
        return report
    psig = spark.read.parquet(str(runner.path("signatures") / "pages")).where("chars > 0")
    asig = spark.read.parquet(str(runner.path("signatures") / "articles"))

    # candidates
    def candidates(tmp: Path) -> dict[str, Any]:
        pb = psig.select("page_id", F.explode("bands").alias("key"))  # duplicates kept: one row per posting hit
        ab = asig.select("article_id", "doc", F.explode("bands").alias("key"))
        hot = ab.groupBy("key").count().where(F.col("count") > hot_key_rows).select("key").withColumn("hot", F.lit(True))
        ab_s = ab.join(F.broadcast(hot), "key", "left").withColumn(
            "salt", F.when(F.col("hot"), F.abs(F.hash("article_id")) % salt).otherwise(F.lit(0))).drop("hot")
        pb_s = pb.join(F.broadcast(hot), "key", "left").withColumn(
            "salts", F.when(F.col("hot"), F.sequence(F.lit(0), F.lit(salt - 1))).otherwise(F.array(F.lit(0)))
        ).select("page_id", "key", F.explode("salts").alias("salt"))
        band_hits = pb_s.join(ab_s, ["key", "salt"]).groupBy("page_id", "article_id", "doc") \
            .agg(F.count(F.lit(1)).alias("band_hits"))
        aa = asig.select("article_id", "doc", F.explode("anchors").alias("anchor"))
        adf = aa.groupBy("anchor").agg(F.count(F.lit(1)).alias("df")).where(F.col("df") <= params.df_cap)
        pa_ = psig.select("page_id", F.explode(F.arrays_zip("anchors", "anchor_pos")).alias("a")).select(
            "page_id", F.col("a.anchors").alias("anchor"), F.col("a.anchor_pos").alias("pos"))
        anchor_hits = pa_.join(adf.select("anchor"), "anchor").join(aa, "anchor") \
            .groupBy("page_id", "article_id", "doc").agg(F.collect_list("pos").alias("anchor_pos"))
        # a pair with no band hit needs at least min(3, min_anchors) shared anchors under every rule of
        # rank_candidates: dropping the others here changes no result and keeps the align join small
        least = min(3, params.min_anchors)
        pairs = band_hits.join(anchor_hits, ["page_id", "article_id", "doc"], "full_outer") \
            .fillna(0, subset=["band_hits"]) \
            .where((F.col("band_hits") > 0) | (F.coalesce(F.size("anchor_pos"), F.lit(0)) >= least)) \
            .withColumn("partition", F.spark_partition_id())
        pairs.write.parquet(str(tmp / "pairs"))
        got = spark.read.parquet(str(tmp / "pairs"))
        per_part = got.groupBy("partition").count().agg(
            F.min("count").alias("min"), F.max("count").alias("max"), F.avg("count").alias("mean")).collect()
        skew = per_part[0].asDict() if per_part else {}
        return {"pairs": got.count(), "pairs_per_partition": skew, "hot_band_keys": hot.count()}

    if stage_done("candidates", runner.run("candidates", candidates)):
        return report
    pairs = spark.read.parquet(str(runner.path("candidates") / "pairs"))

    # align
    def align(tmp: Path) -> dict[str, Any]:
        arts = spark.read.parquet(str(bundle / "articles.parquet")).select(
            "article_id", "uri", F.col("text").alias("article_text"))
        joined = pairs.select("page_id", "article_id", "doc", "band_hits", "anchor_pos").join(arts, "article_id").join(
            pages.select("page_id", F.col("text").alias("page_text"), F.col("article").alias("page_article")), "page_id")
        found = joined.groupBy("page_id").applyInPandas(_align_groups(params_json, str(bundle)), FINDING_SCHEMA)
        found.write.parquet(str(tmp / "findings"))
        return {"findings": spark.read.parquet(str(tmp / "findings")).count()}

    if stage_done("align", runner.run("align", align)):
        return report
    raw_findings = spark.read.parquet(str(runner.path("align") / "findings"))

    # verdicts
    def verdicts(tmp: Path) -> dict[str, Any]:
        joined = raw_findings.join(pages.select("page_id", F.col("article").alias("page_article"), "raw"), "page_id")
        judged = joined.groupBy("page_id").applyInPandas(_verdict_groups(str(bundle)), FINDING_SCHEMA)
        judged.write.parquet(str(tmp / "findings"))
        return {"findings": spark.read.parquet(str(tmp / "findings")).count()}

    if stage_done("verdicts", runner.run("verdicts", verdicts)):
        return report
    judged = spark.read.parquet(str(runner.path("verdicts") / "findings"))

    # findings
    def findings(tmp: Path) -> dict[str, Any]:
        from newsrights.spark.rows import finding_from_json

        out_df = judged.join(pages.select("page_id", "origin", F.col("article").alias("page_article"), "raw"), "page_id")
        out_df.write.parquet(str(tmp / "parquet"))
        rows = spark.read.parquet(str(tmp / "parquet")).select("finding").collect()
        lines = sorted(json.dumps(finding_from_json(r["finding"]).to_json(), ensure_ascii=False, sort_keys=True)
                       for r in rows)
        (tmp / "findings.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        verdict_counts: dict[str, int] = {}
        for line in lines:
            v = json.loads(line).get("verdict") or "none"
            verdict_counts[v] = verdict_counts.get(v, 0) + 1
        return {"findings": len(lines), "verdicts": verdict_counts}

    stage_done("findings", runner.run("findings", findings))
    report["jsonl"] = str(runner.path("findings") / "findings.jsonl")
    return report


def import_findings(factory: Any, path: Path) -> dict[str, int]:
    """Store the job's findings in the catalog (idempotent, through ``Scanner.record``)."""
    import pyarrow.parquet as pq

    from newsrights.services.scan import Scanner
    from newsrights.spark.rows import article_from_json, finding_from_json
    from newsrights.storage.db import transaction

    src = path / "findings" / "parquet" if (path / "findings" / "parquet").exists() else path
    table = pq.read_table(src)
    by_page: dict[str, tuple[Any, bytes | None, list[Any]]] = {}
    for rec in table.to_pylist():
        entry = by_page.setdefault(rec["page_id"], (article_from_json(rec["page_article"]), rec["raw"], []))
        entry[2].append(finding_from_json(rec["finding"]))
    scanner = Scanner(factory)
    stored = 0
    for page_id in sorted(by_page):
        page, raw, fs = by_page[page_id]
        fs.sort(key=lambda f: (-f.article_coverage, f.article_id))
        with transaction(factory) as s:
            stored += len(scanner.record(s, page, fs, raw=raw, capture=page.origin or None))
    return {"pages": len(by_page), "findings": stored}


__all__ = ["STAGES", "import_findings", "judge_page", "run_scan"]
