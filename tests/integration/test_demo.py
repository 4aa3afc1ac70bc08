"""`newsrights demo` runs the whole flow on its bundled data and shows every verdict with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.core.model import VERDICTS


def test_demo_shows_every_verdict_and_ends_with_a_verified_case(tmp_path: Path) -> None:
    work = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--workdir", str(work), "--json"])
    assert result.exit_code == 0, result.output[-2000:]
    summary = json.loads(result.stdout)
    # every ownership class is in the catalog
    classes = {a["ownership"] for a in summary["articles"]}
    assert classes >= {"owned", "third_party", "explicit_third_party", "needs_review"}
    # every verdict at least once, each with its reasons, each as the demo page expects
    findings = summary["findings"]
    assert {f["verdict"] for f in findings} == set(VERDICTS)
    for f in findings:
        assert f["verdict_reasons"], f
        assert f["verdict"] == f["expected"], f
    assert not any(f["page_url"].startswith("http://library.example") for f in findings)
    # the loopback monitoring run fetched, matched and captured
    assert summary["monitor"]["outcomes"].get("matched", 0) >= 1
    # a case on the worst unlicensed copy, with an evidence package that verifies
    case = summary["case"]
    assert case["verification"]["ok"] is True
    assert case["case"]["state"] == "evidence_captured"
    assert Path(case["package"]["path"]).is_file()


def test_demo_summary_prints_page_text_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Titles, URLs and reasons quote pages: a bracket in them is printed, not read as Rich markup."""
    from newsrights.cli.demo import _print

    nasty = "标题[/x][bold]尾"
    summary = {
        "workdir": "/tmp/[w]", "db": "sqlite://", "ingest": {},
        "articles": [{"title": nasty, "ownership": "owned", "holder": None, "marker": "[/m]", "reasons": [nasty]}],
        "findings": [{"page_url": "http://copy.example/[/p]", "label": "whole", "article_coverage": 1.0,
                      "verdict": "unlicensed", "expected": "unlicensed", "verdict_reasons": [nasty]}],
    }
    _print(summary)
    out = capsys.readouterr().out
    assert "[/x][bold]" in out and "[/m]" in out and "copy.example/[/p]" in out and "/tmp/[w]" in out


def test_demo_serve_prints_the_sign_in_and_starts_the_web_ui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsrights demo --serve` (the demo itself replaced by its summary: that part is tested above)."""
    import newsrights.api.app as api_app
    import newsrights.cli.demo as demo_cli
    import newsrights.services.accounts as accounts

    served: list[tuple[str, int]] = []
    summary = {"workdir": str(tmp_path), "db": f"sqlite:///{tmp_path / 'd.db'}", "ingest": {}, "articles": [],
               "findings": []}
    monkeypatch.setattr(demo_cli, "run_demo", lambda workdir, with_monitor: summary)
    monkeypatch.setattr(accounts, "create_demo_admin", lambda factory: ("admin", "pw"))
    monkeypatch.setattr(api_app, "serve", lambda settings, host, port: served.append((host, port)))
    result = CliRunner().invoke(app, ["demo", "--workdir", str(tmp_path), "--json", "--serve", "--port", "8123"])
    assert result.exit_code == 0, result.exception
    assert served == [("127.0.0.1", 8123)]
