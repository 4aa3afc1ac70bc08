"""Property: any policy the model can hold survives ODRL JSON-LD export and import unchanged,
and its registry snapshot id is stable across the trip."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.model import CHINA_TZ
from newsrights.core.odrl import (
    CATALOG,
    Asset,
    Constraint,
    Duty,
    LogicalConstraint,
    Party,
    Policy,
    PolicyVersion,
    Registry,
    Rule,
    policy_from_jsonld,
    policy_to_jsonld,
)

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz国际在线来源", min_size=1, max_size=8)
uids = names.map(lambda s: f"urn:x:{s}")
scalars = st.one_of(names, st.integers(-1000, 1000), st.sampled_from(["2026-01-01", "partner.example"]))
constraint = st.builds(
    Constraint,
    left=st.sampled_from(["dateTime", "virtualLocation", "spatial", "purpose", "deliveryChannel", "count",
                          "percentage", "nr:column", "nr:source"]),
    operator=st.sampled_from(["eq", "neq", "lt", "lteq", "gt", "gteq", "isAnyOf", "isNoneOf"]),
    right=st.one_of(scalars, st.lists(names, min_size=2, max_size=3).map(tuple)),
    unit=st.none() | st.just("CNY"),
    datatype=st.none() | st.sampled_from(["xsd:date", "xsd:decimal"]),
)
iri_constraint = st.builds(Constraint, left=st.sampled_from(["spatial", "purpose"]), operator=st.just("eq"),
                           right=uids, datatype=st.just("@id"))
any_constraint = st.one_of(
    constraint,
    iri_constraint,
    st.builds(LogicalConstraint, op=st.sampled_from(["and", "or", "xone", "andSequence"]),
              constraints=st.lists(constraint, min_size=2, max_size=3).map(tuple)),
)
duty = st.builds(Duty, action=st.sampled_from(["attribute", "nr:keepTitle", "attachSource", "compensate"]),
                 refinements=st.lists(constraint, max_size=1).map(tuple),
                 constraints=st.lists(constraint, max_size=1).map(tuple))
asset = st.one_of(
    uids.map(Asset),
    st.just(Asset(CATALOG)),
    st.builds(Asset, uid=st.none() | st.just(CATALOG), collection=st.just(True),
              refinements=st.lists(constraint, min_size=1, max_size=2).map(tuple)),
)


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    kind = draw(st.sampled_from(["permission", "prohibition", "obligation"]))
    return Rule(
        kind=kind,
        action=draw(st.sampled_from(["reproduce", "extract", "distribute", "use", "translate", "archive"])),
        targets=tuple(draw(st.lists(asset, max_size=2))),
        assigner=draw(st.none() | uids),
        assignee=draw(st.none() | uids),
        constraints=tuple(draw(st.lists(any_constraint, max_size=3))),
        duties=tuple(draw(st.lists(duty, max_size=2))),
        action_refinements=tuple(draw(st.lists(constraint, max_size=1))),
        uid=draw(st.none() | uids),
    )


policies = st.builds(
    Policy,
    uid=uids,
    type=st.sampled_from(["Set", "Offer", "Agreement"]),
    rules=st.lists(rules(), min_size=1, max_size=4).map(tuple),
    profile=st.lists(st.just("https://iptc.org/std/RightsML/2.0/"), max_size=1).map(tuple),
    conflict=st.none() | st.sampled_from(["perm", "prohibit", "invalid"]),
    assigner=st.none() | uids,
    assignee=st.none() | uids,
    targets=st.lists(asset, max_size=1).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(policies)
def test_policy_round_trip(policy: Policy) -> None:
    doc = json.loads(json.dumps(policy_to_jsonld(policy), ensure_ascii=False))
    back, _ = policy_from_jsonld(doc)
    assert back == policy


@settings(max_examples=20, deadline=None)
@given(st.lists(policies, min_size=1, max_size=3))
def test_registry_json_round_trip_keeps_snapshot_id(ps: list[Policy]) -> None:
    t0 = datetime(2026, 1, 1, tzinfo=CHINA_TZ)
    versions = tuple(PolicyVersion(p, i + 1, t0 + timedelta(days=i)) for i, p in enumerate(ps))
    reg = Registry(Party("urn:p", "国际在线", "publisher", ("cri.cn",)), (), versions)
    again = Registry.from_json(json.loads(json.dumps(reg.to_json(), ensure_ascii=False)))
    assert again == reg and again.snapshot_id() == reg.snapshot_id()
