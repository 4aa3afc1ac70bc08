"""The act CLI: cases, evidence, notices, costs, claims and audit commands on a real catalog."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.errors import IllegalTransition
from newsrights.services import catalog
from newsrights.storage.db import open_db
from tests.integration.test_cases_flow import copy_html, publisher_article, record_copy


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    factory = open_db(url)
    art = publisher_article()
    catalog.ingest(factory, [art])
    fid = record_copy(factory, "https://www.copycat-news.com/n/1.html", copy_html("copy", art.body))
    e = {"NEWSRIGHTS_DB": url, "NEWSRIGHTS_HOME": str(tmp_path / "home"), "NEWSRIGHTS_USER": "desk",
         "FINDING": str(fid)}
    for k, v in e.items():
        monkeypatch.setenv(k, v)
    return e


def run(*args: str) -> tuple[int, str, BaseException | None]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.exception


def test_case_evidence_notice_cost_claim_audit(env: dict[str, str], tmp_path: Path) -> None:
    code, out, exc = run("cases", "open-with-evidence", "--json")  # the worst unlicensed copy
    assert code == 0, exc
    d = json.loads(out)
    case_id, path = str(d["case"]["id"]), d["package"]["path"]
    assert d["verification"]["ok"] and d["case"]["state"] == "evidence_captured"
    assert d["package"]["finding_id"] == int(env["FINDING"])
    assert d["case"]["events"][0]["actor"] == "desk"

    code, out, _ = run("evidence", "verify", path)
    assert code == 0 and "verifies" in out
    bad = tmp_path / "bad.wacz"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "archive/data.warc.gz":
                data = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
            zout.writestr(info, data)
    code, out, _ = run("evidence", "verify", str(bad), "--json")
    assert code == 3 and json.loads(out)["failed"] == ["file:archive/data.warc.gz"]

    code, out, exc = run("cases", "move", case_id, "closed", "--outcome", "won")
    assert isinstance(exc, IllegalTransition)
    assert run("cases", "move", case_id, "reviewed", "--actor", "lawyer")[0] == 0

    code, out, exc = run("notices", "make", case_id, "--kind", "platform_complaint", "--lang", "zh",
                         "--holder-contact", "rights@example.cn", "--holder-address", "北京市示例路1号", "--json")
    assert code == 0, exc
    body = json.loads(out)["body"]
    assert "rights@example.cn" in body and Path(path).name in body and "第十四条" in body

    receipt = tmp_path / "r.pdf"
    receipt.write_bytes(b"receipt")
    assert run("costs", "add", case_id, "notary", "800", "--receipt", str(receipt))[0] == 0
    code, out, _ = run("costs", "list", case_id, "--json")
    assert json.loads(out)["total_yuan"] in ("800", "800.00")
    code, out, _ = run("cases", "damages", case_id)
    assert code == 0 and "statutory" in out and "limitation ends" in out

    code, out, _ = run("claims", "add", "--claimant", "张三", "--content", "署名", "--event", "2024-01-01",
                       "--received", "2024-01-31T16:00:00+00:00", "--json")
    assert code == 0 and json.loads(out)["late"] is True
    code, out, _ = run("claims", "list", "--late", "--json")
    claim = json.loads(out)
    assert len(claim) == 1
    cid = str(claim[0]["id"])
    assert run("claims", "review", cid, "--actor", "lawyer")[0] == 0
    code, out, _ = run("claims", "resolve", cid, "rejected_late", "--actor", "lawyer", "--json")
    assert code == 0 and json.loads(out)["resolution"] == "rejected_late"
    code, out, _ = run("audit", "list", "--entity", "claim", "--by", "lawyer", "--json")
    assert [e["action"] for e in json.loads(out)] == ["review", "resolve"]

    code, out, _ = run("audit", "list", "--entity", "case", "--id", case_id, "--json")
    actions = [e["action"] for e in json.loads(out)]
    assert actions[:2] == ["open", "add_finding"] and "make_notice" in actions and "add_cost" in actions
    code, out, _ = run("cases", "show", case_id)
    assert "desk: open" in out and "lawyer: review" in out


def test_illegal_move_exits_3(env: dict[str, str]) -> None:
    run("cases", "open", env["FINDING"])
    r = subprocess.run([sys.executable, "-m", "newsrights.cli.main", "cases", "move", "1", "litigation"],
                       capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
    assert r.returncode == 3, r.stderr
    assert "cannot move a case from detected to litigation" in r.stderr


def test_right_holder_from_the_installation_file(tmp_path: Path) -> None:
    from newsrights.services.cases import right_holder
    from newsrights.settings import Settings

    st = Settings(db_url="sqlite://", home=tmp_path)
    default = right_holder(st)
    assert default.name and default.credit_line == "来源:国际在线" and not default.contact
    (tmp_path / "rightholder.toml").write_text('name = "某出版社"\ncontact = "rights@example.cn"\n'
                                               'address = "北京市示例路1号"\n', encoding="utf-8")
    got = right_holder(st)
    assert (got.name, got.contact, got.address, got.credit_line) == ("某出版社", "rights@example.cn", "北京市示例路1号",
                                                                      "来源:国际在线")
