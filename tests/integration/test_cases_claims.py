"""Inbound claims through the service: the declaration version in force sets the window;
late claims are kept and flagged; the workflow to resolution is audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from newsrights.core.model import CHINA_TZ, Article
from newsrights.errors import IllegalTransition
from newsrights.services import audit, catalog
from newsrights.services import claims as svc
from newsrights.storage.db import open_db, transaction

SITE = "news.example.cn"
V1 = "如因作品内容、版权和其他问题需要与本网联系的，请在该事由发生之日起30日内进行。"
V2 = "如对本网作品有异议，请在作品刊发之日起15日内与本网联系。"


def setup(url: str):  # type: ignore[no-untyped-def]
    factory = open_db(url)
    with transaction(factory) as s:
        catalog.add_declaration(s, SITE, V1, date(2020, 1, 1), version="2020")
        catalog.add_declaration(s, SITE, V2, date(2024, 1, 1), version="2024")
    art = Article(body=("本网讯 第一段文字。", "第二段文字。"), title="样稿", site=SITE,
                  url=f"https://{SITE}/a/1.html", published=datetime(2024, 3, 1, 10, 0, tzinfo=CHINA_TZ),
                  source="本网")
    rep = catalog.ingest(factory, [art])
    return factory, rep.article_ids[0]


def test_declaration_version_in_force_sets_the_window(db_url: str) -> None:
    factory, aid = setup(db_url)
    # event in 2023: the 2020 version (30 days from the event) applies
    old, dl_old = svc.add_claim(factory, claimant="张三", content="署名错误", event=date(2023, 6, 1),
                                received=datetime(2023, 7, 1, 15, 59, tzinfo=UTC), actor="desk",
                                article_id=aid)
    assert (old.anchor, old.window_days, old.late) == ("event", 30, False)
    assert old.declaration_version == "2020"
    # event in 2024: the 2024 version counts 15 days from publication (2024-03-01) -> last day 03-16
    new, dl_new = svc.add_claim(factory, claimant="李四", content="要求删除", event=date(2024, 3, 10),
                                received=datetime(2024, 3, 16, 16, 0, tzinfo=UTC), actor="desk",
                                article_id=aid)
    assert (new.anchor, new.window_days, new.declaration_version) == ("publication", 15, "2024")
    assert dl_new.last_day == date(2024, 3, 16)
    assert new.late  # 16:00 UTC on 03-16 is 00:00 on 03-17 in Beijing
    assert "received_after_deadline" in new.resolution_note


def test_late_claims_are_kept_and_go_through_the_workflow(db_url: str) -> None:
    factory, aid = setup(db_url)
    late, _ = svc.add_claim(factory, claimant="王五", content="转载未署名", event=date(2021, 1, 1),
                            received=datetime(2021, 3, 1, tzinfo=CHINA_TZ), actor="desk", article_id=aid)
    ok, _ = svc.add_claim(factory, claimant="赵六", content="请署名", event=date(2021, 1, 1),
                          received=datetime(2021, 1, 5, tzinfo=CHINA_TZ), actor="desk", article_id=aid)
    with transaction(factory) as s:
        assert [c.id for c in svc.list_claims(s, late=True)] == [late.id]
        assert {c.id for c in svc.list_claims(s, status="received")} == {late.id, ok.id}
    with pytest.raises(IllegalTransition):
        svc.resolve_claim(factory, ok.id, "rejected_late", actor="desk")
    svc.review_claim(factory, ok.id, actor="lawyer", note="checked the reprint")
    done = svc.resolve_claim(factory, ok.id, "credit_added", actor="lawyer", note="source line added")
    assert (done.status, done.resolution) == ("resolved", "credit_added")
    with pytest.raises(IllegalTransition):
        svc.resolve_claim(factory, ok.id, "taken_down", actor="lawyer")
    rej = svc.resolve_claim(factory, late.id, "rejected_late", actor="lawyer")
    assert rej.status == "resolved"
    with transaction(factory) as s:
        trail = [(e.action, e.actor) for e in audit.iter_entries(s, entity="claim", entity_id=ok.id)]
    assert trail == [("receive", "desk"), ("review", "lawyer"), ("resolve", "lawyer")]


def test_claim_without_article_uses_the_publisher_declaration(sqlite_url: str) -> None:
    factory = open_db(sqlite_url)
    c, dl = svc.add_claim(factory, claimant="someone", content="question", event=datetime(2024, 5, 1, 23, 30, tzinfo=UTC),
                          received=datetime(2024, 6, 1, 12, 0, tzinfo=CHINA_TZ), actor="desk")
    # 23:30 UTC May 1 = May 2 in Beijing; + 30 days = June 1 -> on time
    assert dl.anchor_date == date(2024, 5, 2) and not c.late and c.window_days == 30
    assert c.to_json()["deadline"].startswith("2024-06-02T00:00:00+08:00")
    assert c.event_at.astimezone(CHINA_TZ) - datetime(2024, 5, 2, 7, 30, tzinfo=CHINA_TZ) == timedelta(0)


def test_times_survive_the_database_in_china_time(db_url: str) -> None:
    factory = open_db(db_url)
    c, _ = svc.add_claim(factory, claimant="x", content="y", event=date(2024, 1, 1),
                         received=datetime(2024, 1, 31, 16, 0, tzinfo=UTC), actor="desk")
    with transaction(factory) as s:
        back = svc.get_claim(s, c.id).to_json()
    assert back["event_at"] == "2024-01-01T00:00:00+08:00"
    assert back["received_at"] == "2024-02-01T00:00:00+08:00"
    assert back["deadline"] == "2024-02-01T00:00:00+08:00"
    assert back["late"] is True
