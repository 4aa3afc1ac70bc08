"""Cases end to end on the real pipeline: catalog → scan → findings → cases, evidence, notices,
costs, damages, repeat offenders, audit; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core import damages as D
from newsrights.core.model import CHINA_TZ, Article
from newsrights.errors import IllegalTransition, InputError
from newsrights.evidence.verify import verify_package
from newsrights.ingest import read_bytes
from newsrights.services import audit, catalog, scan
from newsrights.services import cases as svc
from newsrights.settings import Settings
from newsrights.storage.db import open_db, transaction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "act"
HOLDER = svc.RightHolder(name="国广国际在线网络(北京)有限公司", contact="rights@example.cn",
                         address="北京市示例区示例路1号", credit_line="来源:国际在线")


@dataclass
class World:
    factory: sessionmaker[Session]
    settings: Settings
    article_id: str
    paras: tuple[str, ...]
    findings: dict[str, int]


def publisher_article() -> Article:
    paras = tuple(FIXTURES.joinpath("article.txt").read_text(encoding="utf-8").strip().split("\n"))
    return Article(body=paras, title="老城区改造进入第二阶段", site="news.cri.cn",
                   url="https://news.cri.cn/20240501/a1.html", source="国际在线",
                   published=datetime(2024, 5, 1, 9, 0, tzinfo=CHINA_TZ), dateline="国际在线消息", byline="记者 林晓")


def copy_html(title: str, paras: tuple[str, ...]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


def record_copy(factory: sessionmaker[Session], url: str, data: bytes, capture: str | None = None, *,
                content_type: str = "text/html; charset=utf-8", scanner: scan.Scanner | None = None) -> int:
    page = next(i for i in read_bytes(data, origin=url, url=url, content_type=content_type) if isinstance(i, Article))
    sc = scanner or scan.Scanner.open(factory)
    found = sc.scan_page(page, raw=data, content_type=content_type)
    assert found, f"no finding for {url}"
    with transaction(factory) as s:
        ids = sc.record(s, page, found, raw=data, capture=capture, content_type=content_type)
    return ids[0]


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> World:
    from newsrights.crawl.capture import CaptureWriter

    factory = open_db(db_url)
    settings = Settings(db_url=db_url, home=tmp_path / "home")
    art = publisher_article()
    aid = catalog.ingest(factory, [art]).article_ids[0]
    p = art.body
    plain = "text/plain; charset=utf-8"
    pages = {
        "www": ("https://www.copycat-news.com/n/1.html", copy_html("老城改造<script>x</script>", p),
                "text/html; charset=utf-8"),
        "m": ("https://m.copycat-news.com/n/2.html", "\n\n".join(("老城改造（转）", *p[1:3])).encode(), plain),
        "other": ("https://other-site.net/a.html", "\n\n".join(("旧城", *p[:3])).encode(), plain),
    }
    findings = {}
    scanner = scan.Scanner.open(factory)
    with CaptureWriter(settings.captures_dir) as w:
        for key, (url, data, ctype) in pages.items():
            ref = None
            if key == "www":
                ref = str(w.write(url, status=200, headers=[("Content-Type", ctype)], body=data,
                                  ip="203.0.113.7").ref)
            findings[key] = record_copy(factory, url, data, capture=ref, content_type=ctype, scanner=scanner)
    return World(factory, settings, aid, p, findings)


def test_open_groups_findings_by_site_operator(world: World) -> None:
    rep = svc.open_cases(world.factory, list(world.findings.values()), actor="alice")
    by_site = {c.site: c for c in rep.cases}
    assert set(by_site) == {"copycat-news.com", "other-site.net"}
    assert {f["finding_id"] for f in by_site["copycat-news.com"].findings} == {world.findings["www"], world.findings["m"]}
    assert by_site["copycat-news.com"].state == "detected"
    again = svc.open_cases(world.factory, [world.findings["www"]], actor="bob")
    assert again.already_in_case == {world.findings["www"]: by_site["copycat-news.com"].id} and not again.cases
    with pytest.raises(InputError):
        svc.open_cases(world.factory, [987654], actor="alice")


def test_demo_hook_case_with_verified_evidence(world: World) -> None:
    with transaction(world.factory) as s:
        worst = svc.worst_unlicensed_finding(s)
    assert worst == world.findings["www"]  # the whole copy beats the excerpts
    out = svc.open_case_with_evidence(world.factory, worst, "alice", settings=world.settings)
    assert out["verification"]["ok"] is True
    assert out["case"]["state"] == "evidence_captured"
    assert [e["action"] for e in out["case"]["events"]] == ["open", "capture_evidence"]
    path = Path(out["package"]["path"])
    assert path.parent == world.settings.evidence_dir and path.is_file()
    assert verify_package(path).ok
    with zipfile.ZipFile(path) as z:
        article = json.loads(z.read("evidence/article.json"))
        snap = json.loads(z.read("evidence/registry_snapshot.json"))
        finding = json.loads(z.read("evidence/finding.json"))
        log = json.loads(z.read("evidence/capture_log.json"))
        html = z.read("evidence/comparison.html").decode()
        warc = z.read("archive/data.warc.gz")
    assert article["ownership"]["class"] == "owned" and article["sha256"] and article["ingested_at"]
    assert article["declaration_in_force"]["claim_window"] == {"days": 30, "anchor": "event"}
    assert snap["id"] == finding["registry_snapshot"] and snap["id"].startswith("reg-") and "registry" in snap
    assert finding["verdict"] == "unlicensed"
    assert log["resolved_ip"] == "203.0.113.7" and log["capture_ref"]
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert "credit line missing" in html
    assert "dateline missing" not in html  # the whole copy kept 国际在线消息
    assert "<mark>" in html
    # the crawler's response record is copied byte for byte
    from newsrights.crawl.capture import CaptureRef
    ref = CaptureRef.parse(log["capture_ref"])
    src = (world.settings.captures_dir / ref.file).read_bytes()[ref.offset:]
    head = warc[warc.index(src[:64]):]
    assert head[:200] == src[:200]


def test_full_case_lifecycle_with_notices_costs_damages(world: World, tmp_path: Path) -> None:
    f = world.findings
    case = svc.open_cases(world.factory, [f["www"], f["m"]], actor="alice").cases[0]
    out = svc.open_case_with_evidence(world.factory, f["www"], "alice", settings=world.settings)
    assert out["case"]["id"] == case.id
    svc.move_case(world.factory, case.id, "reviewed", actor="lawyer")
    with pytest.raises(InputError, match="Art. 14.*rightholder_contact"):
        svc.make_notice(world.factory, case.id, kind="platform_complaint", language="zh", actor="lawyer",
                        holder=svc.RightHolder(name=HOLDER.name))
    offer = svc.make_notice(world.factory, case.id, kind="licence_offer", language="zh", actor="lawyer",
                            holder=HOLDER, rate_yuan_per_k="100")
    chars = D.count_characters("\n\n".join(world.paras))
    assert offer["fee_yuan"] == str(D.licence_fee_fen(chars, 10000) * 2 / 100) or float(offer["fee_yuan"]) == D.licence_fee_fen(chars, 10000) * 2 / 100
    assert "来源:国际在线" in offer["body"] and "https://m.copycat-news.com/n/2.html" in offer["body"]
    complaint = svc.make_notice(world.factory, case.id, kind="platform_complaint", language="en", actor="lawyer",
                                holder=HOLDER, recipient="Example Cloud Hosting")
    pkg = out["package"]
    for v in (HOLDER.name, HOLDER.contact, HOLDER.address, "老城区改造进入第二阶段", "https://news.cri.cn/20240501/a1.html",
              "https://www.copycat-news.com/n/1.html", Path(pkg["path"]).name, pkg["file_sha256"]):
        assert v in complaint["body"], v
    st = svc.move_case(world.factory, case.id, "notice_sent", actor="lawyer")
    for _ in range(3):
        st = svc.move_case(world.factory, case.id, "remind", actor="lawyer", max_reminders=3)
    assert st.reminders == 3
    with pytest.raises(IllegalTransition):
        svc.move_case(world.factory, case.id, "remind", actor="lawyer", max_reminders=3)
    with pytest.raises(IllegalTransition):
        svc.move_case(world.factory, case.id, "closed", outcome="won", actor="lawyer")
    receipt = tmp_path / "公证费发票.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    cost = svc.add_cost(world.factory, case.id, kind="notary", amount_yuan="1500.50", actor="clerk",
                        receipt=receipt, settings=world.settings)
    svc.add_cost(world.factory, case.id, kind="lawyer", amount_yuan=3000, actor="clerk")
    assert Path(cost["receipt_path"]).read_bytes() == receipt.read_bytes()
    import hashlib
    assert cost["receipt_sha256"] == hashlib.sha256(receipt.read_bytes()).hexdigest()
    with pytest.raises(InputError):
        svc.add_cost(world.factory, case.id, kind="bribe", amount_yuan=1, actor="clerk")
    with pytest.raises(InputError):
        svc.add_cost(world.factory, case.id, kind="travel", amount_yuan="-5", actor="clerk")
    with transaction(world.factory) as s:
        ledger = svc.cost_ledger(s, case.id)
        dmg = svc.damages(s, case.id, wilful=True)
    assert ledger["total_yuan"] == "4500.5" or ledger["total_yuan"] == "4500.50"
    assert dmg["estimate"]["reasonable_costs_yuan"] == 4500.5
    assert dmg["works"] == [{"article_id": world.article_id, "characters": chars, "copies": 2}]
    assert {b["name"] for b in dmg["estimate"]["bases"]} >= {"licence_fee", "statutory", "wilful_multiplier",
                                                             "reasonable_costs"}
    svc.move_case(world.factory, case.id, "settlement_offered", actor="lawyer")
    closed = svc.move_case(world.factory, case.id, "closed", outcome="settled", actor="lawyer", note="paid")
    assert (closed.state, closed.outcome) == ("closed", "settled")
    with transaction(world.factory) as s:
        assert svc.repeat_offenders(s) == []
    svc.move_case(world.factory, case.id, "reopen", actor="alice", note="copy back online")
    with transaction(world.factory) as s:
        assert svc.repeat_offenders(s) == [{"site": "copycat-news.com", "cases": 1, "reopened": 1}]
        full = svc.get_case(s, case.id)
        trail = list(audit.iter_entries(s, entity="case", entity_id=case.id))
    assert all(e["actor"] and e["at"] for e in full.events)
    actions = [e.action for e in trail]
    assert actions[:3] == ["open", "add_finding", "add_finding"]
    assert actions.count("remind") == 3 and "make_notice" in actions and "add_cost" in actions
    close = next(e for e in trail if e.action == "close")
    assert close.before["state"] == "settlement_offered" and close.after["outcome"] == "settled"
    assert close.actor == "lawyer"


def test_second_case_makes_a_repeat_offender_and_limitation_warns(world: World) -> None:
    first = svc.open_cases(world.factory, [world.findings["www"]], actor="a").cases[0]
    svc.move_case(world.factory, first.id, "closed", outcome="withdrawn", actor="a")
    svc.open_cases(world.factory, [world.findings["m"]], actor="a")
    with transaction(world.factory) as s:
        assert svc.repeat_offenders(s) == [{"site": "copycat-news.com", "cases": 2, "reopened": 0}]
        known = svc.get_case(s, first.id).known_since
        soon = svc.limitation_warnings(s, today=known.date().replace(year=known.year + 3), warn_days=90)
        none = svc.limitation_warnings(s, today=known.date(), warn_days=90)
    assert len(soon) == 1 and soon[0]["site"] == "copycat-news.com" and "Art. 188" in soon[0]["warning"]
    assert none == []


def test_limitation_counts_china_days(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 01:00 China time the China day is already the next one: the last day has passed."""
    from datetime import UTC, time

    case = svc.open_cases(world.factory, [world.findings["www"]], actor="a").cases[0]
    with transaction(world.factory) as s:
        last = D.limitation_status(svc.get_case(s, case.id).known_since, datetime.now(CHINA_TZ).date()).expires_on
    monkeypatch.setattr(svc, "now_utc", lambda: datetime.combine(last, time(17, 0), UTC))
    with transaction(world.factory) as s:
        warned = svc.limitation_warnings(s, warn_days=90)
        dmg = svc.damages(s, case.id)
    assert warned[0]["days_left"] == -1 and "expired" in warned[0]["warning"]
    assert dmg["limitation"]["days_left"] == -1


def test_site_of() -> None:
    assert svc.site_of("https://news.sina.com.cn/x") == "sina.com.cn"
    assert svc.site_of("http://mirror.partner.example/a") == "partner.example"
    assert svc.site_of("http://127.0.0.1:8000/a") == "127.0.0.1"
    assert svc.site_of("/data/pages/x.html") == "file:/data/pages/x.html"
    assert svc.site_of("file:///data/x.html") == "file:/data/x.html"
    assert svc.site_of("copycat-news.com/a") == "copycat-news.com"
    with pytest.raises(InputError):
        svc.site_of("")


def test_evidence_build_with_a_local_tsa(world: World) -> None:
    from newsrights.services import evidence
    from tests.unit.act.tsa_server import run_tsa

    with run_tsa() as t:
        pkg, rep = evidence.build_evidence(world.factory, world.findings["other"], actor="alice",
                                           settings=world.settings, tsa_url=t.url)
    assert pkg.timestamped and pkg.tsa_url == t.url and pkg.case_id is None
    assert rep.ok and rep.timestamp is not None
    again = verify_package(pkg.path, trusted_tsa_certs=[t.cert_der], require_timestamp=True,
                           trusted_key_sha256=pkg.public_key_sha256)
    assert again.ok, again.to_json()
    with transaction(world.factory) as s:
        assert [p.id for p in evidence.list_packages(s, finding_id=world.findings["other"])] == [pkg.id]
        entry = list(audit.iter_entries(s, entity="evidence_package", entity_id=pkg.id))
    assert entry[0].actor == "alice" and entry[0].after["timestamped"] is True
    with zipfile.ZipFile(pkg.path) as z:
        warc = z.read("archive/data.warc.gz")
        log = json.loads(z.read("evidence/capture_log.json"))
    # no crawler capture for this copy: a response record from the stored bytes, and it says so
    import io

    from warcio.archiveiterator import ArchiveIterator
    recs = [(r.rec_type, r.rec_headers.get_header("WARC-Payload-Note")) for r in ArchiveIterator(io.BytesIO(warc))]
    assert recs[1][0] == "response" and "reconstructed" in (recs[1][1] or "")
    assert log["resolved_ip"] is None and "not known" in log["resolved_ip_note"]


def test_package_holds_the_article_as_it_was_when_the_copy_was_found(world: World) -> None:
    from dataclasses import replace

    from newsrights.services import evidence

    art = publisher_article()
    edited = replace(art, body=(*art.body[:-1], "更正：本文最后一段已删除。"))
    assert catalog.ingest(world.factory, [edited]).updated == 1
    with transaction(world.factory) as s:
        assert catalog.get_article_record(s, world.article_id).version == 2
    pkg, rep = evidence.build_evidence(world.factory, world.findings["m"], actor="alice", settings=world.settings)
    assert rep.ok
    with zipfile.ZipFile(pkg.path) as z:
        held = json.loads(z.read("evidence/article.json"))
    assert held["version"] == 1 and held["text"] == art.text
