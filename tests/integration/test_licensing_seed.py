"""The real seed page (国际在线's reprint of a 辽宁日报 article): a copy of it is not ours, and
the publisher's own reprint is covered by the inbound licence from 辽宁日报."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from newsrights.core.model import CHINA_TZ, Article, Finding
from newsrights.ingest import read_path
from newsrights.services import catalog
from newsrights.services import licensing as L
from newsrights.storage.db import open_db, transaction


def test_seed_article_copy_is_not_ours_and_our_reprint_is_covered(seed_page: Path, sqlite_url: str) -> None:
    factory = open_db(sqlite_url)
    (seed,) = [a for a in read_path(seed_page) if isinstance(a, Article)]
    assert catalog.ingest(factory, [seed]).rejected_total == 0
    aid = catalog.article_id_for(seed)
    with factory() as s:
        rec = catalog.get_article_record(s, aid)
        assert rec.ownership.class_ == "third_party" and rec.ownership.holder == "辽宁日报"
        # no inbound licence yet: the publisher's own reprint is not covered
        assert not L.inbound_coverage(s, aid).covered
    L.seed_demo_registry(factory)
    with factory() as s:
        cov = L.inbound_coverage(s, aid)
    assert cov.covered and cov.holder == "辽宁日报"
    copy = replace(seed, url="http://copycat.example/zhang.html", site=None, declaration=None, furniture=(),
                   published=datetime(2021, 8, 20, 9, 0, tzinfo=CHINA_TZ))
    finding = Finding(copy.url or "", aid, rec.uri, "whole", 1.0, 0.95, (), "test")
    with transaction(factory) as s:
        (judged,) = L.attach_verdicts(s, copy, [finding])
    assert judged.verdict == "not_ours"
    assert judged.verdict_reasons[0].startswith("not_ours: third-party article (辽宁日报)")
    assert any(r.startswith("publisher_reprint_covered") for r in judged.verdict_reasons)
