"""The catalog CLI, run for real: parse, declaration, ingest, articles, export ninjs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.core.declaration import publisher_declaration

ROOT = Path(__file__).resolve().parents[2]
SEED_TITLE = "辽宁省委书记张国清:高标准高起点推动第二批政法队伍教育整顿取得实效"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "newsrights.cli.main", *args], capture_output=True, text=True, env=e, timeout=120)


def test_parse_seed_json_gives_the_exact_fields(seed_page: Path) -> None:
    p = _cli("parse", str(seed_page), "--json")
    assert p.returncode == 0, p.stderr
    lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["title"] == SEED_TITLE
    assert d["published"] == "2021-08-19T09:40:53+08:00"
    assert d["source"] == "辽宁日报"
    assert d["editor"] == "王巍"
    assert d["responsible_editor"] == "李胜兰"
    assert d["original_title"].replace("\u00a0", " ") == (
        "张国清在全省第二批政法队伍教育整顿动员部署会议上强调 高标准高起点推动第二批政法队伍教育整顿取得实效"
    )
    assert d["byline"] == "辽宁日报记者 杨忠厚"
    assert d["dateline"] is None
    assert len(d["body"]) == 8
    assert d["body"][0].startswith("8月18日,辽宁省第二批")
    assert d["body"][-1].endswith("研究部署下步工作。")
    assert "杨忠厚" not in d["body"][-1]
    assert not any("国际在线" in p for p in d["body"])
    assert "site" in d and "url" in d
    assert len(d["sha256"]) == 64
    assert d["ownership"]["class"] == "third_party"
    assert d["ownership"]["holder"] == "辽宁日报"
    assert d["ownership"]["marker"] is None
    assert d["ownership"]["reasons"]
    assert "parse: 1 third_party" in p.stderr


def test_parse_reports_rejections_and_exits_1(tmp_path: Path, seed_page: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "seed.txt").write_bytes(seed_page.read_bytes())
    r = CliRunner().invoke(app, ["parse", str(tmp_path), "--json"])
    assert r.exit_code == 1
    assert len([ln for ln in r.stdout.splitlines() if ln.strip()]) == 1  # the good page still comes out
    assert "rejected" in r.stderr and "empty" in r.stderr
    assert "2 rejected" in r.stderr


def test_declaration_json_of_the_seed_page_and_of_a_file(tmp_path: Path, seed_page: Path) -> None:
    r = CliRunner().invoke(app, ["declaration", str(seed_page), "--json"])
    assert r.exit_code == 0, r.output
    assert "using the declaration block in its footer" in r.stderr
    d = json.loads(r.stdout)
    assert d["owned_markers"] == ["来源:国际在线", "国际在线专稿", "国际在线消息", "国际在线XX消息", "国际在线报道", "国际在线XX报道"]
    assert d["claim_window"] == {"days": 30, "anchor": "event"}
    assert d["uninterpreted"] == []
    f = tmp_path / "decl.txt"
    f.write_text("版权声明\n本网所有原创稿件版权归江城晚报所有，未经书面许可不得转载、翻译。\n请于刊发之日起三十日内联系本网。\n今天天气很好。", encoding="gbk")
    r = CliRunner().invoke(app, ["declaration", str(f), "--json", "--effective", "2024-02-01"])
    assert r.exit_code == 0, r.output
    d2 = json.loads(r.stdout)
    for key in ("owned_markers", "third_party_marker", "exceptions", "prohibited_actions", "credit_line",
                "infringer_costs", "claim_window", "uninterpreted"):
        assert key in d2
    assert d2["holder"] == "江城晚报"
    assert d2["prohibited_actions"] == ["distribute", "reproduce", "translate"]
    assert d2["claim_window"] == {"days": 30, "anchor": "publication"}
    assert d2["uninterpreted"] == ["今天天气很好。"]
    assert d2["version"] == "2024-02-01"


def _ninjs(uri: str, body: str, title: str = "测试稿件") -> str:
    return json.dumps({"uri": uri, "headlines": [{"role": "main", "value": title}],
                       "bodies": [{"role": "main", "contentType": "text/plain", "value": body}],
                       "firstCreated": "2024-03-01T10:00:00+08:00", "located": "国际在线北京消息"}, ensure_ascii=False)


def test_ingest_list_show_export(tmp_path: Path, db_url: str, seed_page: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "seed.txt").write_bytes(seed_page.read_bytes())
    (pages / "a.json").write_text(_ninjs("urn:test:a", "第一段正文，说了一件事。\n第二段正文。"), encoding="utf-8")
    (pages / "empty.html").write_bytes(b"")
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(pages), "--db", db_url, "--json"])
    assert r.exit_code == 1  # one rejected
    rep = json.loads(r.stdout)
    assert (rep["new"], rep["updated"], rep["unchanged"]) == (2, 0, 0)
    assert rep["rejected"] == {"empty": 1}
    assert rep["ownership"] == {"owned": 1, "third_party": 1}
    # again: nothing new
    (pages / "empty.html").unlink()
    r = runner.invoke(app, ["ingest", str(pages), "--db", db_url, "--json"])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["unchanged"] == 2
    # the ninjs article changed: a new version of the same article
    (pages / "a.json").write_text(_ninjs("urn:test:a", "第一段正文，说了一件事。\n第二段正文，有所更正。"), encoding="utf-8")
    r = runner.invoke(app, ["ingest", str(pages), "--db", db_url])
    assert r.exit_code == 0
    assert "1 new versions, 1 unchanged" in r.stdout

    r = runner.invoke(app, ["articles", "list", "--db", db_url, "--json"])
    listed = json.loads(r.stdout)
    assert {x["title"] for x in listed} == {SEED_TITLE, "测试稿件"}
    seed = next(x for x in listed if x["title"] == SEED_TITLE)
    assert seed["ownership"]["holder"] == "辽宁日报" and "body" not in seed
    own = next(x for x in listed if x["title"] == "测试稿件")
    assert own["ownership"]["class"] == "owned" and own["ownership"]["marker"] == "国际在线XX消息"
    assert own["version"] == 2

    r = runner.invoke(app, ["articles", "list", "--db", db_url, "--ownership", "third_party"])
    assert r.exit_code == 0 and seed["id"] in r.stdout and own["id"] not in r.stdout

    r = runner.invoke(app, ["articles", "show", own["id"], "--db", db_url, "--json", "--history"])
    shown = json.loads(r.stdout)
    assert [h["version"] for h in shown["history"]] == [1, 2]
    assert shown["body"][-1] == "第二段正文，有所更正。"
    r = runner.invoke(app, ["articles", "show", own["id"], "--db", db_url, "--version", "1"])
    assert r.exit_code == 0 and "version 1 of 2" in r.stdout
    r = runner.invoke(app, ["articles", "show", "art_missing", "--db", db_url])
    assert r.exit_code != 0

    r = runner.invoke(app, ["export", "ninjs", "--db", db_url])
    docs = [json.loads(ln) for ln in r.stdout.splitlines() if ln.strip()]
    assert len(docs) == 2
    s = next(d for d in docs if d["headlines"][0]["value"] == SEED_TITLE)
    assert s["copyrightHolder"] == {"name": "辽宁日报"}
    assert "辽宁日报" in s["copyrightNotice"] and "cannot license" in s["usageTerms"]
    assert {"role": "original", "value": s["headlines"][1]["value"]} in s["headlines"]
    assert s["by"] == "辽宁日报记者 杨忠厚"
    assert s["firstCreated"] == "2021-08-19T09:40:53+08:00"
    assert {"role": "sha256", "value": seed["sha256"]} in s["altIds"]
    o = next(d for d in docs if d["uri"] == "urn:test:a")
    assert o["copyrightHolder"] == {"name": "国际在线"}
    assert "来源:国际在线" in o["usageTerms"] and "转载" in o["usageTerms"]
    assert o["located"] == "国际在线北京消息"
    assert o["version"] == "2" and o["versionCreated"] != o["firstCreated"]
    # ninjs 2.x lower-case, for one id; and it reads back into the same article
    r = runner.invoke(app, ["export", "ninjs", own["id"], "--db", db_url, "--ninjs-version", "2"])
    (doc2,) = [json.loads(ln) for ln in r.stdout.splitlines() if ln.strip()]
    assert doc2["copyrightholder"] == "国际在线" and "usageterms" in doc2 and "altids" in doc2
    from newsrights.ingest import read_bytes

    (back,) = read_bytes(json.dumps(doc2, ensure_ascii=False).encode("utf-8"), origin="export.json")
    assert getattr(back, "sha256", None) == shown["sha256"]


def test_ingest_registers_a_dated_declaration(tmp_path: Path, sqlite_url: str) -> None:
    decl = tmp_path / "decl.txt"
    decl.write_text(publisher_declaration().text.replace("30日内", "45日内"), encoding="utf-8")
    page = tmp_path / "a.json"
    page.write_text(_ninjs("urn:test:b", "第一段正文，说了另一件事。\n第二段正文。"), encoding="utf-8")
    r = CliRunner().invoke(app, ["ingest", str(page), "--db", sqlite_url, "--declaration", str(decl),
                                 "--site", "国际在线", "--effective", "2023-01-01"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["articles", "list", "--db", sqlite_url, "--json"])
    (rec,) = json.loads(r.stdout)
    assert rec["ownership"]["declaration_version"] == "2023-01-01"
    r = CliRunner().invoke(app, ["ingest", str(page), "--db", sqlite_url, "--declaration", str(decl)])
    assert r.exit_code == 2 or "needs --site" in str(r.exception)


@pytest.mark.parametrize("bad", [["--effective", "yesterday"]])
def test_bad_options_are_usage_errors(tmp_path: Path, bad: list[str]) -> None:
    f = tmp_path / "d.txt"
    f.write_text("未经授权不得转载。", encoding="utf-8")
    p = _cli("declaration", str(f), *bad)
    assert p.returncode == 2 and "YYYY-MM-DD" in p.stderr


def test_declaration_register(tmp_path: Path, sqlite_url: str) -> None:
    f = tmp_path / "d.txt"
    f.write_text(publisher_declaration().text, encoding="utf-8")
    r = CliRunner().invoke(app, ["declaration", str(f), "--register", "--effective", "2025-01-01", "--db", sqlite_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["version"] == "2025-01-01"
    from newsrights.services import catalog
    from newsrights.storage.db import open_db

    with open_db(sqlite_url)() as s:
        (row,) = catalog.list_declarations(s, "国际在线")
        assert row["effective"] == "2025-01-01"
        d = catalog.declaration_in_force(s, "国际在线", None)
        assert d is not None and d.credit_line == "来源:国际在线"


def test_scraped_text_cannot_drive_the_terminal(tmp_path: Path, sqlite_url: str) -> None:
    page = tmp_path / "evil.json"
    page.write_text(_ninjs("urn:test:evil", "第一段[bold red]正文[/]，\x1b[2J说了一件事。\n第二段正文。", title="标题\x1b]0;pwned\x07[link=x]y[/link]"),
                    encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["parse", str(page)])
    assert r.exit_code == 0 and "\x1b" not in r.stdout and "[link=x]" in r.stdout
    runner.invoke(app, ["ingest", str(page), "--db", sqlite_url])
    (rec,) = json.loads(runner.invoke(app, ["articles", "list", "--db", sqlite_url, "--json"]).stdout)
    r = runner.invoke(app, ["articles", "show", rec["id"], "--db", sqlite_url])
    assert r.exit_code == 0
    assert "\x1b" not in r.stdout and "[bold red]正文[/]" in r.stdout and "[link=x]y[/link]" in r.stdout
