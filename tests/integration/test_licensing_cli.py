"""`newsrights licences|verdicts|sales` end to end on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsrights.cli.main import app
from newsrights.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "licensing" / "odrl"
runner = CliRunner()


def run(db: str, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, [*args, "--db", db])
    if r.exception and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout


def test_licences_lifecycle(sqlite_url: str, tmp_path: Path) -> None:
    code, out = run(sqlite_url, "licences", "add", "合作伙伴新闻网", "--domain", "partner.example",
                    "--from", "2026-01-01", "--until", "2026-12-31", "--keep-title", "--uid", "urn:x:partner", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "new"
    # amendment from July: excerpts only
    code, out = run(sqlite_url, "licences", "add", "合作伙伴新闻网", "--action", "extract", "--max-share", "30",
                    "--from", "2026-01-01", "--until", "2026-12-31", "--uid", "urn:x:partner",
                    "--effective", "2026-07-01", "--json")
    assert json.loads(out)["outcome"] == "amended" and json.loads(out)["version"] == 2
    code, out = run(sqlite_url, "licences", "show", "urn:x:partner", "--on", "2026-03-01")
    shown = json.loads(out)
    assert shown["version"] == 1 and shown["odrl"]["permission"][0]["action"] == "reproduce"
    assert shown["odrl"]["assignee"]["vcard:fn"] == "合作伙伴新闻网"
    code, out = run(sqlite_url, "licences", "list", "--all", "--json")
    assert [v["version"] for v in json.loads(out)] == [1, 2]
    code, out = run(sqlite_url, "licences", "list")
    assert out.count("\n") == 1 and "v2" in out

    export = tmp_path / "export.jsonld"
    code, _ = run(sqlite_url, "licences", "export", "-o", str(export))
    assert code == 0 and json.loads(export.read_text())["@graph"][0]["uid"] == "urn:x:partner"

    code, out = run(sqlite_url, "licences", "snapshot", "--on", "2026-03-01")
    assert json.loads(out)["id"].startswith("reg-")
    code, out = run(sqlite_url, "licences", "parties", "--json")
    assert {p["kind"] for p in json.loads(out)} == {"publisher", "licensee"}
    code, _ = run(sqlite_url, "licences", "conflict", "perm")
    assert code == 0
    code, out = run(sqlite_url, "licences", "add", "辽宁日报", "--inbound", "--from", "2021-01-01", "--json")
    inbound = json.loads(out)
    assert inbound["assignee"] == "urn:newsrights:party:cri" and inbound["assigner"].endswith("辽宁日报")
    code, out = run(sqlite_url, "licences", "show", inbound["uid"])
    duty = json.loads(out)["odrl"]["permission"][0]["duty"][0]["action"][0]
    assert duty["refinement"][0]["rightOperand"] == "来源:辽宁日报"


def test_import_counts_rejections(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"@type": "Permission"}')
    code, out = run(sqlite_url, "licences", "import", str(FIXTURES / "nr_partner_agreement.jsonld"),
                    str(FIXTURES / "rightsml_geographic.json"), str(bad), "--json")
    assert code == 1
    rows = json.loads(out)
    assert [r.get("outcome") or r.get("reason") for r in rows] == ["new", "new", "invalid_odrl_policy"]
    code, out = run(sqlite_url, "licences", "import", str(FIXTURES / "nr_partner_agreement.jsonld"))
    assert code == 0 and out.startswith("unchanged")


def test_unknown_licence_is_a_usage_error(sqlite_url: str) -> None:
    try:
        run(sqlite_url, "licences", "show", "urn:nope")
    except InputError as exc:
        assert "no licence" in str(exc)
    else:
        raise AssertionError("expected InputError")


def test_sales_commands(sqlite_url: str) -> None:
    code, _ = run(sqlite_url, "sales", "offer", "intl", "--name", "国际频道", "--kind", "column",
                  "--select", "国际", "--per-kchar", "80")
    assert code == 0
    code, out = run(sqlite_url, "sales", "products", "--json")
    assert json.loads(out)[0]["offer"] == "urn:newsrights:offer:intl"
    code, out = run(sqlite_url, "sales", "sell", "intl", "买家网", "--domain", "buyer.example",
                    "--from", "2026-01-01", "--until", "2026-12-31", "--chars", "1600", "--json")
    sold = json.loads(out)
    assert sold["invoice"]["amount"] == "160.00"  # 1 千字 + 600 字 (counted as a whole 千字)
    assert sold["agreement"]["type"] == "Agreement"
    code, out = run(sqlite_url, "sales", "invoices")
    assert out.startswith("INV-2026-00001")


def test_verdicts_command_lists_stored_findings(sqlite_url: str) -> None:
    from newsrights.services import scan

    assert hasattr(scan, "list_findings")
    code, out = run(sqlite_url, "verdicts", "--json")
    assert code == 0 and json.loads(out) == []


def test_check_command(sqlite_url: str) -> None:
    from newsrights.services import catalog
    from newsrights.storage.db import open_db
    from tests.unit.licensing import vectors

    art = vectors.article(vectors.load(), "forum")[0]
    catalog.ingest(open_db(sqlite_url), [art])
    run(sqlite_url, "licences", "add", "合作伙伴新闻网", "--domain", "partner.example", "--from", "2026-01-01",
        "--until", "2026-12-31")
    code, out = run(sqlite_url, "licences", "check", catalog.article_id_for(art), "--domain", "partner.example",
                    "--on", "2026-05-01")
    assert code == 0 and out.startswith("permitted")
    code, out = run(sqlite_url, "licences", "check", catalog.article_id_for(art), "--domain", "partner.example",
                    "--on", "2027-05-01", "--json")
    assert json.loads(out)["failures"] == ["expired"]


def test_plain_lines_drop_terminal_control_characters(capsys) -> None:  # type: ignore[no-untyped-def]
    """Verdict reasons quote scraped pages: an ANSI escape in a credit line must not reach the terminal."""
    from newsrights.cli.licensing import _line

    _line(7, "unlicensed", "credit_wrong: '来源:\x1b[2J\x1b]0;pwned\x07某网'\r\nnext", None)
    out = capsys.readouterr().out
    assert out == "7\tunlicensed\tcredit_wrong: '来源:[2J]0;pwned某网'  next\t\n"
    assert "\x1b" not in out and "\x07" not in out
