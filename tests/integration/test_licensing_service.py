"""The licensing service on SQLite and PostgreSQL: registry versions, verdicts through the
catalog, snapshots, JSON-LD import/export, inbound licences, sales."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from newsrights.core.model import CHINA_TZ, Article, Finding, Rejected
from newsrights.core.odrl import policy_from_jsonld
from newsrights.core.sales import Product
from newsrights.core.verdicts import decide
from newsrights.errors import InputError
from newsrights.services import catalog
from newsrights.services import licensing as L
from newsrights.storage.db import open_db, transaction
from tests.unit.licensing import vectors

DATA = vectors.load()


def _catalog(factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ingest the vector articles; map vector key -> catalog id."""
    arts = {k: vectors.article(DATA, k)[0] for k in DATA["articles"]}
    report = catalog.ingest(factory, list(arts.values()))
    assert report.rejected_total == 0
    return {k: catalog.article_id_for(a) for k, a in arts.items()}


def _vector_registry(factory) -> None:  # type: ignore[no-untyped-def]
    with transaction(factory) as s:
        for p in vectors.parties(DATA):
            L.put_party(s, p)
        for pv in vectors.policy_versions(DATA):
            L.put_policy(s, pv.policy, valid_from=pv.valid_from)


@pytest.fixture
def factory(db_url: str):  # type: ignore[no-untyped-def]
    f = open_db(db_url)
    yield f
    f.kw["bind"].dispose()


def test_vectors_through_the_database(factory) -> None:  # type: ignore[no-untyped-def]
    ids = _catalog(factory)
    _vector_registry(factory)
    seen = set()
    for case in vectors.cases(DATA):
        L.set_conflict(factory, case.conflict)
        finding = replace(case.finding, article_id=ids[case.key])
        with transaction(factory) as s:
            (got,) = L.attach_verdicts(s, case.page, [finding], raw=case.raw_html)
        if case.page.published is None:  # the service dates an undated copy by when it was found
            assert got.verdict is not None
            continue
        assert got.verdict == case.expect, (case.name, got.verdict_reasons)
        for want in case.reasons:
            assert any(r.startswith(want) for r in got.verdict_reasons), (case.name, want, got.verdict_reasons)
        seen.add(got.verdict)
        # the snapshot named by the verdict reproduces it
        with factory() as s:
            reg = L.load_snapshot(s, got.registry_snapshot)
            rec = catalog.get_article_record(s, ids[case.key])
        from newsrights.core.credit import check_credit

        again = decide(finding, article=rec.article, ownership=rec.ownership, page=case.page,
                       credit=check_credit(case.page, rec.article, raw_html=case.raw_html), registry=reg,
                       article_id=rec.id)
        assert again.verdict == got.verdict and again.registry_snapshot == got.registry_snapshot
    assert len(seen) == 6


def test_unknown_article_goes_to_legal_review(factory) -> None:  # type: ignore[no-untyped-def]
    page = Article(body=("x",), url="http://a.example/1", published=datetime(2026, 1, 1, tzinfo=CHINA_TZ))
    f = Finding("http://a.example/1", "art_missing", "", "whole", 1.0, 1.0, (), "p")
    with transaction(factory) as s:
        (got,) = L.attach_verdicts(s, page, [f])
    assert got.verdict == "legal_review" and got.verdict_reasons[0].startswith("article_not_in_catalog")
    assert got.registry_snapshot and got.registry_snapshot.startswith("reg-")


def test_amendments_are_versions(factory) -> None:  # type: ignore[no-untyped-def]
    v1 = policy_from_jsonld(json.loads((vectors.FIXTURES / "odrl/nr_amend_v1.jsonld").read_text()))[0]
    v2 = policy_from_jsonld(json.loads((vectors.FIXTURES / "odrl/nr_amend_v2.jsonld").read_text()))[0]
    with transaction(factory) as s:
        assert L.put_policy(s, v1, valid_from="2026-01-01")[1] == "new"
        assert L.put_policy(s, v1, valid_from="2026-02-01")[1] == "unchanged"
        assert L.put_policy(s, v2, valid_from="2026-07-01")[1] == "amended"
    with pytest.raises(InputError):
        with transaction(factory) as s:
            L.put_policy(s, v1, valid_from="2026-03-01")
    with factory() as s:
        assert L.get_policy(s, v1.uid, on="2026-03-01").version == 1
        assert L.get_policy(s, v1.uid, on="2026-03-01").policy == v1
        assert L.get_policy(s, v1.uid, on="2026-08-01").policy == v2
        assert [v.version for v in L.policy_versions(s, v1.uid)] == [1, 2]
        assert L.policy_versions(s, v1.uid)[0].valid_to is not None
        assert len(L.list_policies(s)) == 1
        assert len(L.list_policies(s, all_versions=True)) == 2
        assert L.registry_on(s, "2026-03-01").snapshot_id() != L.registry_on(s, "2026-08-01").snapshot_id()
        from newsrights.services.audit import iter_entries

        assert any(e.action == "licence.amend" for e in iter_entries(s, entity="licence"))


def test_import_export_round_trip(factory) -> None:  # type: ignore[no-untyped-def]
    files = sorted(vectors.FIXTURES.glob("odrl/*.json*"))
    docs = [json.loads(f.read_text("utf-8")) for f in files]
    results = L.import_policies(factory, docs + [{"@type": "Duty"}], valid_from="2020-01-01", origin="fixtures")
    rejected = [r for r in results if isinstance(r, Rejected)]
    # the bad document, and two documents reusing a uid (an amendment, the spec's policy:88)
    # on the same date: an amendment must take effect later
    assert sorted(r.reason for r in rejected) == ["invalid_odrl_policy", "policy_not_stored", "policy_not_stored"]
    with factory() as s:
        exported = L.export_policies(s)
    by_uid = {d["uid"]: d for d in exported["@graph"]}
    first: dict[str, object] = {}
    for doc in docs:
        p, _ = policy_from_jsonld(doc)
        first.setdefault(p.uid, p)
    assert set(by_uid) == set(first)
    for uid, p in first.items():
        back, _ = policy_from_jsonld(by_uid[uid])
        assert back == p
    # importing the export again changes nothing
    again = L.import_policies(factory, exported, valid_from="2021-01-01")
    assert all(not isinstance(r, Rejected) and r[1] == "unchanged" for r in again)
    with factory() as s:
        names = {p.name for p in L.list_parties(s)}
    assert {"合作伙伴新闻网", "辽宁日报"} <= names


def test_inbound_coverage(factory) -> None:  # type: ignore[no-untyped-def]
    ids = _catalog(factory)
    L.seed_demo_registry(factory)
    with factory() as s:
        seed = L.inbound_coverage(s, ids["seed"])
        assert seed.covered and seed.holder == "辽宁日报", seed.reasons
        assert any("来源:辽宁日报" in r for r in seed.reasons)
        assert L.inbound_coverage(s, ids["forum"]).covered
        assert L.inbound_coverage(s, ids["xinhua"]).covered
        # before the inbound licence began
        early = L.inbound_coverage(s, ids["seed"], on="2020-06-01")
        assert not early.covered


def test_inbound_not_covered_without_licence(factory) -> None:  # type: ignore[no-untyped-def]
    ids = _catalog(factory)
    with factory() as s:
        got = L.inbound_coverage(s, ids["seed"])
    assert not got.covered and got.reasons[0].startswith("no_source_party")


def test_demo_registry_is_idempotent(factory) -> None:  # type: ignore[no-untyped-def]
    a = L.seed_demo_registry(factory)
    with factory() as s:
        snap = L.registry_on(s, "2026-11-18").snapshot_id()
    assert L.seed_demo_registry(factory) == a
    with factory() as s:
        assert L.registry_on(s, "2026-11-18").snapshot_id() == snap
        assert len(L.list_policies(s, all_versions=True)) == 5


def test_sales(factory) -> None:  # type: ignore[no-untyped-def]
    ids = _catalog(factory)
    L.add_product(factory, Product("intl-column", "国际频道稿件", "column", "per_kchar", Decimal("80"), "CNY", ("国际",)))
    L.add_product(factory, Product("feed", "全部稿件", "feed", "flat", Decimal("50000"), "CNY"))
    with pytest.raises(InputError):
        L.add_product(factory, Product("feed", "全部稿件", "feed", "flat", Decimal("1"), "CNY"))
    pv, inv = L.sell(factory, "intl-column", "买家网", start=date(2026, 1, 1), end=date(2026, 12, 31),
                     domains=("buyer.example",), chars=2300)
    assert inv.amount == Decimal("200.00")  # 2 千字 + 300 字 (half a 千字) = 2.5 × 80
    assert inv.number.startswith("INV-2026-")
    for bad in (None, -5):  # a per-千字 product needs a (non-negative) character count: a usage error
        with pytest.raises(InputError):
            L.sell(factory, "intl-column", "买家网", start=date(2026, 2, 1), end=date(2026, 12, 31), chars=bad)
    # a rerun of the same sale (same agreement, same terms) issues no second invoice
    pv2, again = L.sell(factory, "intl-column", "买家网", start=date(2026, 1, 1), end=date(2026, 12, 31),
                        domains=("buyer.example",), chars=2300)
    assert again.number == inv.number and pv2.version == pv.version
    with factory() as s:
        assert [p.id for p in L.list_products(s)] == ["feed", "intl-column"]
        assert [i.number for i in L.list_invoices(s, licensee="买家网")] == [inv.number]
        offers = [v for v in L.list_policies(s) if v.policy.type == "Offer"]
        assert len(offers) == 2
    # the buyer's copy of an article of the 国际 column is licensed; of another column it is not
    page = Article(body=vectors.article(DATA, "forum")[0].body, title=vectors.article(DATA, "forum")[0].title,
                   url="http://buyer.example/a.html", source="国际在线", published=datetime(2026, 11, 19, tzinfo=CHINA_TZ))
    f = Finding(page.url, ids["forum"], "", "whole", 1.0, 1.0, (), "p")
    g = Finding(page.url, ids["exclusive"], "", "whole", 1.0, 1.0, (), "p")
    with transaction(factory) as s:
        got, other = L.attach_verdicts(s, page, [f, g])
    assert got.verdict == "licensed_credited", got.verdict_reasons
    assert other.verdict == "out_of_scope" and any(r.startswith("content_not_licensed") for r in other.verdict_reasons)


def test_list_verdicts_filters(factory) -> None:  # type: ignore[no-untyped-def]
    base = Finding("http://a.partner.example/1", "art_1", "", "whole", 1.0, 1.0, (), "p",
                   verdict="unlicensed", found_at=datetime(2026, 5, 1, tzinfo=CHINA_TZ))
    items = [base, replace(base, page_url="http://b.example/2", article_id="art_2", verdict="not_ours",
                           found_at=datetime(2026, 7, 1, tzinfo=CHINA_TZ))]
    with factory() as s:
        assert len(L.list_verdicts(s, findings=items)) == 2
        assert [r["article_id"] for r in L.list_verdicts(s, site="partner.example", findings=items)] == ["art_1"]
        assert [r["article_id"] for r in L.list_verdicts(s, verdict="not_ours", findings=items)] == ["art_2"]
        assert [r["article_id"] for r in L.list_verdicts(s, article="art_1", findings=items)] == ["art_1"]
        assert [r["article_id"] for r in L.list_verdicts(s, since="2026-06-01", findings=items)] == ["art_2"]
        assert [r["article_id"] for r in L.list_verdicts(s, until="2026-06-01", findings=items)] == ["art_1"]


def test_cached_registry_follows_every_change(factory) -> None:  # type: ignore[no-untyped-def]
    with factory() as s:
        empty = L.registry_on(s, "2026-05-01")
    assert empty.policies == ()
    L.add_licence(factory, L.LicenceTerms("甲网", domains=("a.example",), start=date(2026, 1, 1)))
    with factory() as s:
        one = L.registry_on(s, "2026-05-01")
    assert len(one.policies) == 1 and one.party_for_domain("a.example") is not None
    with transaction(factory) as s:
        party = L.find_party(s, "甲网")
        assert party is not None
        L.put_party(s, replace(party, domains=("b.example",)))
    with factory() as s:
        two = L.registry_on(s, "2026-05-01")
    assert two.party_for_domain("b.example") is not None and two.snapshot_id() != one.snapshot_id()
    L.set_conflict(factory, "perm")
    with factory() as s:
        assert L.registry_on(s, "2026-05-01").conflict == "perm"


def test_a_failing_verdict_goes_to_review_and_the_others_are_judged(factory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _catalog(factory)
    _vector_registry(factory)
    real = L.check_credit

    def flaky(page, original, **kw):  # type: ignore[no-untyped-def]
        if original.title and original.title.startswith("独家"):
            raise RuntimeError("boom")
        return real(page, original, **kw)

    monkeypatch.setattr(L, "check_credit", flaky)
    page = Article(body=vectors.article(DATA, "forum")[0].body, url="http://copycat.example/x.html",
                   published=datetime(2026, 11, 19, tzinfo=CHINA_TZ))
    bad = Finding(page.url or "", ids["exclusive"], "", "whole", 1.0, 1.0, (), "p")
    good = Finding(page.url or "", ids["forum"], "", "whole", 1.0, 1.0, (), "p")
    with transaction(factory) as s:
        a, b = L.attach_verdicts(s, page, [bad, good])
    assert a.verdict == "legal_review" and a.verdict_reasons[0].startswith("verdict_failed: RuntimeError: boom")
    assert b.verdict == "unlicensed"


def test_check_use_what_if(factory) -> None:  # type: ignore[no-untyped-def]
    ids = _catalog(factory)
    L.seed_demo_registry(factory)
    with factory() as s:
        ok = L.check_use(s, ids["forum"], domain="partner.example", on="2026-05-01")
        assert ok["outcome"] == "permitted" and ok["party"]["name"] == "合作伙伴新闻网"
        assert "attribute 来源:国际在线" in ok["duties"]
        assert L.check_use(s, ids["forum"], domain="partner.example", on="2027-05-01")["failures"] == ["expired"]
        over = L.check_use(s, ids["forum"], domain="digest.example", action="extract", share=45, on="2026-05-01")
        assert over["failures"] == ["excerpt_over_share"]
        assert L.check_use(s, ids["forum"], domain="nobody.example", on="2026-05-01")["outcome"] == "no_licence"
        with pytest.raises(InputError):
            L.check_use(s, ids["forum"], domain="x.example", action="teleport")
