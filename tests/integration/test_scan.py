"""``newsrights scan`` end to end on SQLite and PostgreSQL: HTML, text and WARC pages,
JSONL output, stored findings with page bytes, idempotency, index sync."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.core.model import Article
from newsrights.services import catalog
from newsrights.services.scan import Scanner, check_text, get_finding, list_findings
from newsrights.storage.db import open_db
from tests.unit.matching.helpers import zh_article, zh_paragraph


def _articles(n: int = 8) -> list[Article]:
    return [
        Article(
            body=tuple(zh_article(500 + i).split("\n\n")),
            title=f"标题{i}",
            url=f"https://news.cri.cn/20240101/a{i}.html",
            site="news.cri.cn",
            source="国际在线",
        )
        for i in range(n)
    ]


def _html(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>首页 | 新闻 | 体育</nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>版权所有 某某网</footer></body></html>"
    ).encode()


def _warc(path: Path, url: str, payload: bytes) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers))


@pytest.fixture
def pages(tmp_path: Path) -> tuple[Path, list[Article]]:
    arts = _articles()
    rng = random.Random(4)
    d = tmp_path / "pages"
    d.mkdir()
    (d / "a_whole.html").write_bytes(_html("转载的新闻", list(arts[1].body)))
    excerpt = [zh_paragraph(rng, 200), arts[2].body[4], arts[2].body[5], zh_paragraph(rng, 200)]
    (d / "b_excerpt.txt").write_text("\n\n".join(excerpt), encoding="utf-8")
    (d / "c_unrelated.html").write_bytes(_html("别的新闻", [zh_paragraph(rng, 300) for _ in range(4)]))
    (d / "d_empty.html").write_bytes(b"")
    _warc(d / "e_capture.warc.gz", "http://copier.example/x.html", _html("抄袭", list(arts[6].body[:5])))
    _warc(d / "f_cut.warc.gz", "http://copier.example/y.html", _html("抄袭", list(arts[7].body)))
    data = (d / "f_cut.warc.gz").read_bytes()
    (d / "f_cut.warc.gz").write_bytes(data[: len(data) // 2])  # a truncated archive
    return d, arts


def test_scan_cli_end_to_end(db_url: str, pages: tuple[Path, list[Article]]) -> None:
    folder, arts = pages
    factory = open_db(db_url)
    report = catalog.ingest(factory, arts)
    ids = report.article_ids
    runner = CliRunner()
    res = runner.invoke(app, ["scan", str(folder), "--jsonl", "--db", db_url])
    assert res.exit_code == 1, res.output  # completed, one page rejected (empty)
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    by_article = {d["article_id"]: d for d in lines}
    assert set(by_article) == {ids[1], ids[2], ids[6]}
    whole, excerpt, warc = by_article[ids[1]], by_article[ids[2]], by_article[ids[6]]
    assert whole["label"] == "whole" and whole["article_coverage"] > 0.95
    assert whole["article_uri"] == "https://news.cri.cn/20240101/a1.html"
    assert excerpt["label"] == "excerpt" and 0.1 < excerpt["article_coverage"] < 0.5
    assert warc["page_url"] == "http://copier.example/x.html" and warc["label"] in ("whole", "excerpt")
    for d in lines:
        for key in ("page_url", "article_id", "article_uri", "label", "article_coverage", "page_coverage",
                    "spans", "similarity", "params", "verdict", "verdict_reasons", "finding_id"):
            assert key in d
        assert d["params"] == Scanner(factory).params.name
        assert d["verdict"] is not None
    assert "empty" in res.stderr and "truncated_warc" in res.stderr

    # spans refer to the stored page text; the passage there is the article's passage
    with factory() as s:
        rec = get_finding(s, excerpt["finding_id"])
        art_text = catalog.get_article_record(s, ids[2]).article.text
    sp = rec.finding.spans[0]
    assert rec.page_text[sp.page_start : sp.page_end] == art_text[sp.article_start : sp.article_end]
    assert rec.raw is not None and arts[2].body[4].encode() in rec.raw
    with factory() as s:
        warc_rec = get_finding(s, warc["finding_id"])
    assert warc_rec.raw is not None and b"<article>" in warc_rec.raw  # the WARC record's exact payload

    # a second run stores nothing twice
    res2 = runner.invoke(app, ["scan", str(folder), "--jsonl", "--db", db_url])
    assert res2.exit_code == 1
    with factory() as s:
        assert len(list_findings(s)) == 3
        assert {r.finding.label for r in list_findings(s, label="whole")} == {"whole"}


def test_index_sync_add_change_and_check_text(db_url: str) -> None:
    factory = open_db(db_url)
    arts = _articles(4)
    catalog.ingest(factory, arts[:3])
    sc = Scanner.open(factory)
    assert sc.last_sync.added == 3 and len(sc.detector) == 3
    # reopening loads the stored index: nothing to recompute
    sc2 = Scanner.open(factory)
    assert sc2.last_sync.added == 0 and len(sc2.detector) == 3
    # a new article and a new version of an old one
    changed = arts[0].with_(body=tuple(zh_article(999).split("\n\n")))
    catalog.ingest(factory, [arts[3], changed])
    rep = sc2.sync()
    assert (rep.added, rep.updated) == (1, 1)
    found = check_text(factory, "\n\n".join(arts[3].body))
    assert [f.label for f in found] == ["whole"]
    assert check_text(factory, "\n\n".join(arts[0].body)) == []  # the old version is gone
    assert [f.label for f in check_text(factory, "\n\n".join(changed.body))] == ["whole"]
