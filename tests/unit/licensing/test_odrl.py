"""ODRL 2.2 / RightsML policies: JSON-LD import, export round trip, evaluation rules."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from newsrights.core.model import CHINA_TZ
from newsrights.core.odrl import (
    CATALOG,
    Asset,
    AssetFacts,
    Constraint,
    LogicalConstraint,
    Party,
    Policy,
    PolicyVersion,
    Registry,
    Rule,
    Use,
    covers,
    evaluate,
    policies_from_jsonld,
    policy_from_jsonld,
    policy_to_jsonld,
)

ODRL_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "licensing" / "odrl"
FILES = sorted(ODRL_DIR.glob("*.json*"))
PUB = Party("urn:p:pub", "国际在线", "publisher", ("cri.cn",))
LIC = Party("urn:p:lic", "Licensee", "licensee", ("lic.example",))
T0 = datetime(2026, 1, 1, tzinfo=CHINA_TZ)


def test_there_are_w3c_rightsml_and_newsrights_fixtures() -> None:
    names = {f.name.split("_")[0] for f in FILES}
    assert {"w3c", "rightsml", "nr"} <= names
    assert len(FILES) >= 15


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_round_trip(path: Path) -> None:
    doc = json.loads(path.read_text("utf-8"))
    policy, parties = policy_from_jsonld(doc)
    exported = policy_to_jsonld(policy, {p.uid: p for p in parties})
    again, parties2 = policy_from_jsonld(json.loads(json.dumps(exported, ensure_ascii=False)))
    assert again == policy
    assert set(parties2) == set(parties)
    # the export keeps every rule kind, action and target of the source document
    for kind in ("permission", "prohibition", "obligation"):
        assert len(exported.get(kind, [])) == len(doc.get(kind, []))
    assert exported["uid"] == doc["uid"]
    assert exported["@type"] == doc["@type"]


def test_import_reads_the_spec_structure() -> None:
    p, _ = policy_from_jsonld(json.loads((ODRL_DIR / "w3c_duty_compensate.json").read_text()))
    assert p.type == "Offer" and p.uid == "http://example.com/policy:88"
    (perm,) = p.permissions
    assert perm.action == "play" and perm.targets == (Asset("http://example.com/music/1999.mp3"),)
    (duty,) = perm.duties
    assert duty.action == "compensate"
    assert duty.refinements == (Constraint("payAmount", "eq", "5.00", "http://dbpedia.org/resource/Euro", "xsd:decimal"),)
    geo, _ = policy_from_jsonld(json.loads((ODRL_DIR / "rightsml_geographic.json").read_text()))
    assert geo.profile == ("https://iptc.org/std/RightsML/2.0/",)
    assert geo.permissions[0].constraints[0].right == "http://cvx.iptc.org/iso3166-1a3/DEU"
    old, _ = policy_from_jsonld(json.loads((ODRL_DIR / "nr_oldpartner_agreement.jsonld").read_text()))
    assert isinstance(old.permissions[0].constraints[0], LogicalConstraint)
    prt, parties = policy_from_jsonld(json.loads((ODRL_DIR / "nr_partner_agreement.jsonld").read_text()))
    assert {p.name for p in parties} == {"国际在线", "合作伙伴新闻网"}
    assert prt.permissions[0].duties[0].credit_text == "来源:国际在线"
    assert prt.title() == "合作伙伴新闻网 转载协议 2026"


def test_graph_and_list_documents() -> None:
    docs = [json.loads(f.read_text("utf-8")) for f in FILES[:3]]
    assert len(policies_from_jsonld(docs)) == 3
    assert len(policies_from_jsonld({"@context": "http://www.w3.org/ns/odrl.jsonld", "@graph": docs})) == 3


@pytest.mark.parametrize("doc", [{"@type": "Permission", "uid": "x"}, {"@type": "Set"}, [1]])
def test_bad_documents_are_refused(doc: object) -> None:
    with pytest.raises(ValueError):
        policy_from_jsonld(doc)  # type: ignore[arg-type]


def test_action_hierarchy() -> None:
    assert covers("use", "extract") and covers("reproduce", "extract") and covers("reproduce", "reproduce")
    assert not covers("extract", "reproduce") and not covers("distribute", "extract")


def _agreement(*constraints: Constraint, action: str = "reproduce", target: str = CATALOG) -> Policy:
    return Policy("urn:a", "Agreement", (Rule("permission", action, (Asset(target),), constraints=constraints),),
                  assigner=PUB.uid, assignee=LIC.uid)


def _eval(policy: Policy, **use: object):  # type: ignore[no-untyped-def]
    reg = Registry(PUB, (LIC,), (PolicyVersion(policy, 1, T0),))
    u = dict(action="reproduce", assignee=LIC.uid, when=datetime(2026, 5, 1, tzinfo=CHINA_TZ), domain="lic.example")
    u.update(use)
    return evaluate(reg, AssetFacts("a1", column="财经", source="国际在线"), Use(**u))  # type: ignore[arg-type]


def test_constraints_name_their_failure() -> None:
    assert _eval(_agreement(Constraint("dateTime", "lteq", "2026-03-31", datatype="xsd:date"))).failures == ("expired",)
    assert _eval(_agreement(Constraint("dateTime", "gteq", "2026-06-01"))).failures == ("not_yet_valid",)
    assert _eval(_agreement(Constraint("virtualLocation", "eq", "lic.example")), domain="b.example").failures == ("other_domain",)
    assert _eval(_agreement(Constraint("percentage", "lteq", 30)), share=60.0).failures == ("excerpt_over_share",)
    assert _eval(_agreement(Constraint("count", "lteq", 5)), count=6).failures == ("count_exceeded",)
    assert _eval(_agreement(Constraint("spatial", "eq", "http://cvx.iptc.org/iso3166-1a3/DEU")), territory="CHN").failures == ("other_territory",)
    assert _eval(_agreement(Constraint("purpose", "isNoneOf", ("advertising",))), purpose="advertising").failures == ("other_purpose",)
    assert _eval(_agreement(), action="translate").failures == ("action_not_licensed",)
    assert _eval(_agreement(target="urn:article:other")).failures == ("content_not_licensed",)
    # held
    assert _eval(_agreement(Constraint("percentage", "lteq", 30)), share=20.0).outcome == "permitted"
    assert _eval(_agreement(Constraint("virtualLocation", "eq", "*.lic.example")), domain="m.lic.example").outcome == "permitted"


def test_unknown_facts_are_noted_not_held_against() -> None:
    ev = _eval(_agreement(Constraint("spatial", "eq", "CHN")))
    assert ev.outcome == "permitted" and ev.notes and "spatial" in ev.notes[0]


def test_logical_constraints() -> None:
    either = LogicalConstraint("or", (Constraint("virtualLocation", "eq", "a.example"), Constraint("virtualLocation", "eq", "lic.example")))
    assert _eval(_agreement(either)).outcome == "permitted"  # type: ignore[arg-type]
    both = LogicalConstraint("xone", (Constraint("virtualLocation", "eq", "lic.example"), Constraint("dateTime", "gteq", "2020-01-01")))
    assert _eval(_agreement(both)).outcome == "not_permitted"  # type: ignore[arg-type]


def test_column_selector_and_offers() -> None:
    col = Policy("urn:a", "Agreement", (Rule("permission", "reproduce", (Asset(CATALOG, True, (Constraint("nr:column", "eq", "财经"),)),)),),
                 assigner=PUB.uid, assignee=LIC.uid)
    assert _eval(col).outcome == "permitted"
    other = Policy("urn:a", "Agreement", (Rule("permission", "reproduce", (Asset(CATALOG, True, (Constraint("nr:column", "eq", "体育"),)),)),),
                   assigner=PUB.uid, assignee=LIC.uid)
    assert _eval(other).failures == ("content_not_licensed",)
    offer = Policy("urn:o", "Offer", (Rule("permission", "reproduce", (Asset(CATALOG),)),), assigner=PUB.uid)
    assert _eval(offer).outcome == "no_licence"


def test_versions_in_force() -> None:
    v1 = PolicyVersion(_agreement(), 1, T0, datetime(2026, 7, 1, tzinfo=CHINA_TZ))
    v2 = PolicyVersion(_agreement(action="extract"), 2, datetime(2026, 7, 1, tzinfo=CHINA_TZ))
    reg = Registry(PUB, (LIC,), (v1, v2))
    assert reg.in_force(datetime(2026, 3, 1, tzinfo=CHINA_TZ)).policies == (v1,)
    assert reg.in_force(datetime(2026, 8, 1, tzinfo=CHINA_TZ)).policies == (v2,)
    assert Registry.from_json(reg.to_json()) == reg
    assert Registry.from_json(reg.to_json()).snapshot_id() == reg.snapshot_id()


def test_rightsml_embargo() -> None:
    """A RightsML-style embargo: distribution permitted to everyone from the release time,
    prohibited before it."""
    p, _ = policy_from_jsonld(json.loads((ODRL_DIR / "rightsml_embargo.json").read_text()))
    reg = Registry(PUB, (LIC,), (PolicyVersion(p, 1, T0),))
    facts = AssetFacts("x", uri="urn:newsml:example.com:20090101:120111-999-000013")
    before = evaluate(reg, facts, Use("distribute", LIC.uid, datetime(2026, 11, 20, 7, 59, tzinfo=CHINA_TZ)))
    after = evaluate(reg, facts, Use("distribute", LIC.uid, datetime(2026, 11, 20, 8, 0, tzinfo=CHINA_TZ)))
    assert before.outcome == "not_permitted" and before.failures == ("not_yet_valid",)
    assert after.outcome == "permitted"
    other = evaluate(reg, AssetFacts("y"), Use("distribute", LIC.uid, datetime(2026, 11, 21, tzinfo=CHINA_TZ)))
    assert other.failures == ("content_not_licensed",)


def test_reasons_name_the_china_date_of_a_utc_time() -> None:
    """A copy fetched at 2026-06-30 20:00 UTC was made on 2026-07-01 in China: the contract's
    last day (a China date) has passed, and the reasons must say the same day, not the UTC one."""
    from datetime import UTC

    late = datetime(2026, 6, 30, 20, 0, tzinfo=UTC)
    ev = _eval(_agreement(Constraint("dateTime", "lteq", "2026-06-30", datatype="xsd:date")), when=late)
    assert ev.failures == ("expired",)
    none = evaluate(Registry(PUB, (LIC,), ()), AssetFacts("a1"), Use("reproduce", LIC.uid, late, domain="lic.example"))
    assert none.outcome == "no_licence"
    assert "in force on 2026-07-01" in none.reasons[0], none.reasons
