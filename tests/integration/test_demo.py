"""`newsrights demo` runs the whole flow on its bundled data and shows every verdict with reasons."""

from __future__ import annotations

import json
from pathlib import Path

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
