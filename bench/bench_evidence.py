"""Evidence-package benchmark: newsrights' verify vs two baselines on the same tampered packages.

    .venv/bin/python bench/bench_evidence.py [--packages 5] [--json]

Builds ``--packages`` signed WACZ packages (the article in ``tests/fixtures/act/article.txt``
and copies excerpting a different share of it), then for each makes five tampered variants of
the kind an adversary could make after the fact — every one re-zipped so the zip CRCs are
consistent:

* ``warc_byte``   one byte of ``archive/data.warc.gz`` flipped;
* ``article``     ``evidence/article.txt`` rewritten;
* ``manifest``    ``datapackage.json`` edited (title);
* ``signature``   one byte of the ECDSA signature flipped;
* ``missing``     ``evidence/comparison.pdf`` removed;
* ``rehashed``    ``article.txt`` rewritten *and* its hash in ``datapackage.json`` updated.

Baselines run on the same files in the same run:

* ``zip_crc`` — ``zipfile.testzip()``: what a plain archive offers;
* ``manifest_only`` — recompute each file's sha256 against ``datapackage.json`` (a WACZ
  without the signed digest).

Printed: for each checker, the share of tampered packages detected, whether the failing part
is named correctly, false alarms on the clean packages, and verification time per package
(ours / baseline ratio).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsrights.core.model import Span  # noqa: E402
from newsrights.evidence import compare  # noqa: E402
from newsrights.evidence.signing import generate_key  # noqa: E402
from newsrights.evidence.verify import verify_package  # noqa: E402
from newsrights.evidence.wacz import PackageContents, write_package  # noqa: E402

ARTICLE = (ROOT / "tests/fixtures/act/article.txt").read_text(encoding="utf-8").strip().replace("\n", "\n\n")

EXPECTED_PART = {
    "warc_byte": "file:archive/data.warc.gz",
    "article": "file:evidence/article.txt",
    "manifest": "manifest",
    "signature": "signature",
    "missing": "file:evidence/comparison.pdf",
    "rehashed": "manifest",
}


def contents(i: int) -> PackageContents:
    paras = ARTICLE.split("\n\n")
    page = "\n\n".join(paras[: 1 + i % len(paras)])
    a0 = ARTICLE.index(page[:20])
    spans = (Span(a0, a0 + len(page), 0, len(page)),)
    comp = compare.Comparison(article_uri="https://news.cri.cn/a/1", article_title="老城区改造", article_text=ARTICLE,
                              page_url=f"https://copy{i}.example.com/p", page_title=f"copy {i}", page_text=page,
                              spans=spans, label="excerpt", article_coverage=len(page) / len(ARTICLE),
                              page_coverage=1.0, verdict="unlicensed",
                              missing=compare.missing_marks(page, credit_line="来源:国际在线"))
    return PackageContents(
        finding_id=str(i), finding={"page_url": comp.page_url}, page_url=comp.page_url, page_title=comp.page_title,
        page_raw=f"<html><body><p>{page}</p></body></html>".encode(), page_content_type="text/html",
        page_fetched=datetime(2024, 5, 1, tzinfo=UTC), article={"id": "a1", "text": ARTICLE}, article_text=ARTICLE,
        comparison=comp, registry_snapshot={"id": "reg-x"},
    )


def rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in change and change[info.filename] is None:
                continue
            zout.writestr(info, change.get(info.filename) or zin.read(info.filename))
    return dst


def tamper(src: Path, kind: str, out: Path) -> Path:
    with zipfile.ZipFile(src) as z:
        files = {n: z.read(n) for n in z.namelist()}
    if kind == "warc_byte":
        w = bytearray(files["archive/data.warc.gz"])
        w[len(w) // 2] ^= 1
        return rewrite(src, out, {"archive/data.warc.gz": bytes(w)})
    if kind == "article":
        return rewrite(src, out, {"evidence/article.txt": "被改写的文本".encode()})
    if kind == "manifest":
        dp = json.loads(files["datapackage.json"])
        dp["title"] = "edited"
        return rewrite(src, out, {"datapackage.json": json.dumps(dp, indent=2).encode()})
    if kind == "signature":
        dg = json.loads(files["datapackage-digest.json"])
        sig = bytearray(base64.b64decode(dg["signedData"]["signature"]))
        sig[-1] ^= 1
        dg["signedData"]["signature"] = base64.b64encode(bytes(sig)).decode()
        return rewrite(src, out, {"datapackage-digest.json": json.dumps(dg).encode()})
    if kind == "missing":
        return rewrite(src, out, {"evidence/comparison.pdf": None})
    if kind == "rehashed":
        new = "被改写的文本".encode()
        dp = json.loads(files["datapackage.json"])
        for r in dp["resources"]:
            if r["path"] == "evidence/article.txt":
                r["hash"], r["bytes"] = "sha256:" + hashlib.sha256(new).hexdigest(), len(new)
        return rewrite(src, out, {"evidence/article.txt": new, "datapackage.json": json.dumps(dp, indent=2).encode()})
    raise ValueError(kind)


def zip_crc(path: Path) -> tuple[bool, list[str]]:
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
        return bad is None, [] if bad is None else [f"file:{bad}"]
    except zipfile.BadZipFile:
        return False, ["zip"]


def manifest_only(path: Path) -> tuple[bool, list[str]]:
    failed = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        dp = json.loads(z.read("datapackage.json"))
        for r in dp["resources"]:
            if r["path"] not in names:
                failed.append(f"file:{r['path']}")
            elif "sha256:" + hashlib.sha256(z.read(r["path"])).hexdigest() != r["hash"]:
                failed.append(f"file:{r['path']}")
    return not failed, failed


def ours(path: Path) -> tuple[bool, list[str]]:
    rep = verify_package(path)
    return rep.ok, rep.failed_parts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    key = generate_key()
    t0 = time.perf_counter()
    clean = [write_package(tmp / f"p{i}.wacz", contents(i), key).path for i in range(args.packages)]
    build_s = (time.perf_counter() - t0) / args.packages
    tampered = [(kind, tamper(p, kind, tmp / f"p{i}-{kind}.wacz"))
                for i, p in enumerate(clean) for kind in EXPECTED_PART]
    checkers = {"newsrights": ours, "zip_crc": zip_crc, "manifest_only": manifest_only}
    results: dict[str, dict[str, object]] = {}
    for name, fn in checkers.items():
        t = time.perf_counter()
        false_alarms = sum(1 for p in clean if not fn(p)[0])
        clean_s = (time.perf_counter() - t) / len(clean)
        per_kind: dict[str, list[int]] = {k: [0, 0] for k in EXPECTED_PART}
        for kind, p in tampered:
            ok, parts = fn(p)
            per_kind[kind][0] += int(not ok)
            per_kind[kind][1] += int(parts == [EXPECTED_PART[kind]])
        n = args.packages
        results[name] = {
            "detected": sum(v[0] for v in per_kind.values()) / len(tampered),
            "named_exactly": sum(v[1] for v in per_kind.values()) / len(tampered),
            "by_kind": {k: {"detected": v[0] / n, "named": v[1] / n} for k, v in per_kind.items()},
            "false_alarms": false_alarms,
            "verify_ms": round(clean_s * 1000, 2),
        }
    for name in ("zip_crc", "manifest_only"):
        results[name]["ours_time_ratio"] = round(
            results["newsrights"]["verify_ms"] / max(results[name]["verify_ms"], 1e-6), 2)  # type: ignore[operator]
    out = {"packages": args.packages, "tampered": len(tampered), "build_s_per_package": round(build_s, 2),
           "package_bytes": clean[0].stat().st_size, "checkers": results}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{args.packages} packages ({out['package_bytes']} bytes each, build {build_s:.2f}s each), "
          f"{len(tampered)} tampered variants")
    print(f"{'checker':<15} {'detected':>9} {'named':>7} {'false alarms':>13} {'verify ms':>10}  ratio(ours/this)")
    for name, r in results.items():
        print(f"{name:<15} {r['detected']:>9.0%} {r['named_exactly']:>7.0%} {r['false_alarms']:>13} "
              f"{r['verify_ms']:>10}  {r.get('ours_time_ratio', '')}")
    print("by kind (detected/named):")
    for kind in EXPECTED_PART:
        print(f"  {kind:<10} " + "  ".join(
            f"{name} {results[name]['by_kind'][kind]['detected']:.0%}/{results[name]['by_kind'][kind]['named']:.0%}"  # type: ignore[index]
            for name in results))


if __name__ == "__main__":
    main()
