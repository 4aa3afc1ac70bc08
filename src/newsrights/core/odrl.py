"""Licences as W3C ODRL 2.2 policies, with the IPTC RightsML 2.0 news profile.

The model follows the ODRL 2.2 Information Model (https://www.w3.org/TR/odrl-model/):

* a :class:`Policy` (``Set``, ``Offer``, ``Agreement``) holds **rules** —
  permissions, prohibitions and obligations — each over an **action** on a
  **target** asset, between an **assigner** and an **assignee** party;
* a rule may carry **constraints** (``leftOperand operator rightOperand``,
  combined with ``and``/``or``/``xone``/``andSequence``); a permission may carry
  **duties** (``attribute``, ``compensate``, ``attachSource`` …) the assignee
  must fulfil for the permission to hold;
* actions form a hierarchy (``odrl:includedIn``): a permission to ``reproduce``
  covers ``extract`` (摘编), and everything is included in ``use``;
* the policy's ``conflict`` (``perm``/``prohibit``/``invalid``) decides what
  happens when a permission and a prohibition both apply.

News-desk terms that neither ODRL nor RightsML name live in the newsrights
profile (prefix ``nr:`` = :data:`NR_NS`): the exact credit text of an
``attribute`` duty (``nr:creditText``), duties to keep the dateline, the byline
and the title (``nr:keepDateline``, ``nr:keepByline``, ``nr:keepTitle``), and
content selectors on an ``AssetCollection`` (``nr:column``, ``nr:marker``,
``nr:source``, ``nr:published``, ``nr:articleId``). The link-back duty is
ODRL's ``attachSource``.

Import (:func:`policy_from_jsonld`) and export (:func:`policy_to_jsonld`) use
the ODRL JSON-LD serialisation with the ``http://www.w3.org/ns/odrl.jsonld``
context; an exported policy imports back to an equal :class:`Policy`.

Evaluation (:func:`evaluate`) is pure: given the :class:`Registry` in force,
the facts of an asset and a :class:`Use` (who, what action, when, where, how
much), it returns an :class:`Evaluation` naming the policy relied on, the
duties owed, or the constraints that failed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any, Literal

from newsrights.core.model import CHINA_TZ

ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
ODRL_NS = "http://www.w3.org/ns/odrl/2/"
NR_NS = "https://newsrights.dev/ns/odrl#"
NR_PROFILE = "https://newsrights.dev/ns/odrl/profile"
RIGHTSML_PROFILE = "https://iptc.org/std/RightsML/2.0/"
#: Target meaning "every article the assigner owns in the catalog".
CATALOG = "urn:newsrights:catalog"

PolicyType = Literal["Set", "Offer", "Agreement", "Policy"]
RuleKind = Literal["permission", "prohibition", "obligation"]

#: ``odrl:includedIn`` of the actions a news desk uses (ODRL 2.2 Vocabulary):
#: an action is covered by any action above it.
INCLUDED_IN: dict[str, str] = {
    "reproduce": "use",
    "distribute": "use",
    "extract": "reproduce",
    "modify": "use",
    "derive": "use",
    "translate": "use",
    "archive": "use",
    "index": "use",
    "present": "use",
    "display": "present",
    "print": "present",
    "play": "present",
    "stream": "use",
    "aggregate": "use",
    "annotate": "use",
    "read": "use",
    "transform": "use",
    "textToSpeech": "use",
    "commercialize": "use",
}
ACTIONS: tuple[str, ...] = ("reproduce", "distribute", "extract", "modify", "translate", "derive", "archive", "index", "use")
#: Duties a news licence uses; the ``nr:`` ones are this profile's.
DUTY_ACTIONS: tuple[str, ...] = ("attribute", "nr:keepDateline", "nr:keepByline", "nr:keepTitle", "attachSource", "compensate")

_OPERATORS = ("eq", "neq", "lt", "lteq", "gt", "gteq", "isA", "hasPart", "isPartOf", "isAllOf", "isAnyOf", "isNoneOf")
_LOGICAL = ("and", "or", "xone", "andSequence")


def term(value: Any) -> str:
    """An ODRL term in short form: ``odrl:reproduce`` / the full IRI → ``reproduce``;
    profile terms keep their ``nr:`` prefix."""
    if isinstance(value, Mapping):
        value = value.get("@id") or value.get("rdf:value") or value.get("uid") or ""
        if isinstance(value, Mapping):
            value = value.get("@id", "")
    s = str(value)
    for prefix in (ODRL_NS, "odrl:"):
        if s.startswith(prefix):
            return s[len(prefix) :]
    if s.startswith(NR_NS):
        return "nr:" + s[len(NR_NS) :]
    return s


def covers(granted: str, used: str) -> bool:
    """Does a rule over action ``granted`` cover the use ``used``? True when
    ``used`` is ``granted`` or is (transitively) ``odrl:includedIn`` it."""
    seen = 0
    a: str | None = used
    while a is not None and seen < 20:
        if a == granted:
            return True
        a = INCLUDED_IN.get(a) if a != "use" else None
        seen += 1
    return False


# ------------------------------------------------------------------ model


@dataclass(frozen=True, slots=True)
class Constraint:
    """``left operator right`` (ODRL 2.2 §2.5.1). ``right`` is a scalar or a tuple
    for list operators; ``datatype`` keeps ``@type`` (``xsd:date`` …) or ``@id``."""

    left: str
    operator: str
    right: Any
    unit: str | None = None
    datatype: str | None = None

    def label(self) -> str:
        r = ",".join(map(str, self.right)) if isinstance(self.right, tuple) else str(self.right)
        return f"{self.left} {self.operator} {r}"


@dataclass(frozen=True, slots=True)
class LogicalConstraint:
    """``and``/``or``/``xone``/``andSequence`` over constraints (ODRL 2.2 §2.5.2)."""

    op: str
    constraints: tuple[Constraint | LogicalConstraint, ...]

    def label(self) -> str:
        return f" {self.op} ".join(c.label() for c in self.constraints)


AnyConstraint = Constraint | LogicalConstraint


@dataclass(frozen=True, slots=True)
class Duty:
    """A duty on a permission, or an obligation: an action the assignee must perform
    (with refinements of that action, e.g. the exact credit text)."""

    action: str
    refinements: tuple[AnyConstraint, ...] = ()
    constraints: tuple[AnyConstraint, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def credit_text(self) -> str | None:
        """For ``attribute``: the ``nr:creditText`` the credit must read."""
        for r in self.refinements:
            if isinstance(r, Constraint) and r.left == "nr:creditText":
                return str(r.right)
        return None


@dataclass(frozen=True, slots=True)
class Asset:
    """A target: one asset by ``uid`` or an ``AssetCollection`` narrowed by refinements."""

    uid: str | None
    collection: bool = False
    refinements: tuple[AnyConstraint, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """A permission, prohibition or obligation (ODRL 2.2 §2.6). ``assigner``/``assignee``
    are party uids; when absent the policy-level ones apply, and a rule with no
    assignee at all binds everyone."""

    kind: RuleKind
    action: str
    targets: tuple[Asset, ...] = ()
    assigner: str | None = None
    assignee: str | None = None
    constraints: tuple[AnyConstraint, ...] = ()
    duties: tuple[Duty, ...] = ()
    action_refinements: tuple[AnyConstraint, ...] = ()
    uid: str | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Policy:
    """An ODRL policy. ``extra`` keeps other top-level keys (as JSON text) for export."""

    uid: str
    type: PolicyType
    rules: tuple[Rule, ...] = ()
    profile: tuple[str, ...] = ()
    conflict: str | None = None
    assigner: str | None = None
    assignee: str | None = None
    targets: tuple[Asset, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # canonical rule order (permissions, prohibitions, obligations; stable within a kind),
        # the order JSON-LD serialises them in, so equal policies compare and hash equal
        order = {"permission": 0, "prohibition": 1, "obligation": 2}
        object.__setattr__(self, "rules", tuple(sorted(self.rules, key=lambda r: order[r.kind])))

    @property
    def permissions(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "permission")

    @property
    def prohibitions(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "prohibition")

    @property
    def obligations(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "obligation")

    def title(self) -> str | None:
        for k, v in self.extra:
            if k in ("dc:title", "title", "dcterms:title"):
                t = json.loads(v)
                return t if isinstance(t, str) else json.dumps(t, ensure_ascii=False)
        return None

    def assigner_of(self, rule: Rule) -> str | None:
        return rule.assigner or self.assigner

    def assignee_of(self, rule: Rule) -> str | None:
        return rule.assignee or self.assignee

    def targets_of(self, rule: Rule) -> tuple[Asset, ...]:
        return rule.targets or self.targets


PartyKind = Literal["publisher", "licensee", "source"]


@dataclass(frozen=True, slots=True)
class Party:
    """A party: the publisher, a licensee, or a source the publisher licenses from
    (inbound). ``domains`` are the sites the party runs (its pages are judged as
    its use)."""

    uid: str
    name: str
    kind: PartyKind = "licensee"
    domains: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "name": self.name, "kind": self.kind, "domains": list(self.domains)}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Party:
        return cls(str(d["uid"]), str(d["name"]), d.get("kind", "licensee"), tuple(d.get("domains", ())))


def domain_matches(host: str | None, domain: str, *, subdomains: bool = True) -> bool:
    """``host`` is ``domain`` (case-insensitive, ``www.`` ignored) or, with ``subdomains``
    or a ``*.`` wildcard in ``domain``, a subdomain of it."""
    if not host:
        return False
    h = host.lower().rstrip(".")
    d = domain.lower().rstrip(".")
    if "://" in d:
        d = d.split("://", 1)[1].split("/", 1)[0]
    if d.startswith("*."):
        d, subdomains = d[2:], True
    d = d.removeprefix("www.")
    h = h.removeprefix("www.")
    return h == d or (subdomains and h.endswith("." + d))


# ----------------------------------------------------------- JSON-LD I/O


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]


def _party_ref(v: Any, found: dict[str, Party]) -> str | None:
    if v is None:
        return None
    if isinstance(v, Mapping):
        uid = str(v.get("uid") or v.get("@id") or v.get("source") or "")
        name = v.get("vcard:fn") or v.get("name")
        if uid and name:
            domains = tuple(str(x) for x in _as_list(v.get("nr:domain")))
            kind = v.get("nr:kind", "licensee")
            found[uid] = Party(uid, str(name), kind if kind in ("publisher", "licensee", "source") else "licensee", domains)
        return uid or None
    return str(v)


def _right_from(v: Any) -> tuple[Any, str | None]:
    if isinstance(v, list):
        vals = [_right_from(x) for x in v]
        types = {t for _, t in vals}
        return tuple(x for x, _ in vals), (types.pop() if len(types) == 1 else None)
    if isinstance(v, Mapping):
        if "@value" in v:
            return v["@value"], v.get("@type")
        if "@id" in v:
            return str(v["@id"]), "@id"
    return v, None


def _constraint_from(d: Any) -> AnyConstraint:
    if not isinstance(d, Mapping) or ("leftOperand" not in d and not any(op in d for op in _LOGICAL)):
        ref = d.get("@id") or d.get("uid") if isinstance(d, Mapping) else d
        return Constraint("", "ref", str(ref), None, "@id")  # a reference to a constraint defined elsewhere
    for op in _LOGICAL:
        if op in d:
            inner = d[op]
            if isinstance(inner, Mapping) and "@list" in inner:
                inner = inner["@list"]
            return LogicalConstraint(op, tuple(_constraint_from(c) for c in _as_list(inner)))
    right, dtype = _right_from(d.get("rightOperand"))
    if "dataType" in d and dtype is None:
        dtype = str(d["dataType"])
    return Constraint(term(d.get("leftOperand")), term(d.get("operator")), right, d.get("unit"), dtype)


def _action_from(v: Any) -> tuple[str, tuple[AnyConstraint, ...]]:
    if isinstance(v, list):
        v = v[0] if v else "use"
    if isinstance(v, Mapping):
        name = term(v.get("rdf:value") or v.get("@id") or v.get("value") or "")
        refs = tuple(_constraint_from(c) for c in _as_list(v.get("refinement")))
        return name, refs
    return term(v), ()


def _asset_from(v: Any) -> Asset:
    if isinstance(v, Mapping):
        types = {term(t) for t in _as_list(v.get("@type"))}
        uid = v.get("uid") or v.get("@id") or v.get("source")
        refs = tuple(_constraint_from(c) for c in _as_list(v.get("refinement")))
        return Asset(str(uid) if uid else None, "AssetCollection" in types or bool(refs), refs)
    return Asset(str(v))


def _extra(d: Mapping[str, Any], known: set[str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in sorted(d.items()) if k not in known)


_DUTY_KEYS = {"action", "constraint"}
_RULE_KEYS = {"action", "target", "assigner", "assignee", "constraint", "duty", "remedy", "consequence", "uid"}


def _duty_from(d: Mapping[str, Any]) -> Duty:
    name, refs = _action_from(d.get("action"))
    return Duty(name, refs, tuple(_constraint_from(c) for c in _as_list(d.get("constraint"))), _extra(d, _DUTY_KEYS))


def _rule_from(kind: RuleKind, d: Mapping[str, Any], found: dict[str, Party]) -> Rule:
    name, refs = _action_from(d.get("action"))
    duty_key = "duty" if kind == "permission" else "remedy" if kind == "prohibition" else "consequence"
    return Rule(
        kind=kind,
        action=name,
        targets=tuple(_asset_from(t) for t in _as_list(d.get("target"))),
        assigner=_party_ref(d.get("assigner"), found),
        assignee=_party_ref(d.get("assignee"), found),
        constraints=tuple(_constraint_from(c) for c in _as_list(d.get("constraint"))),
        duties=tuple(_duty_from(x) for x in _as_list(d.get(duty_key))),
        action_refinements=refs,
        uid=d.get("uid"),
        extra=_extra(d, _RULE_KEYS),
    )


_POLICY_KEYS = {
    "@context", "@type", "type", "uid", "@id", "permission", "prohibition", "obligation",
    "profile", "conflict", "assigner", "assignee", "target",
}


def policy_from_jsonld(doc: Mapping[str, Any]) -> tuple[Policy, tuple[Party, ...]]:
    """Read one ODRL policy in JSON-LD (compact form, ODRL context). Returns the
    policy and the parties described inline (with a ``vcard:fn`` name)."""
    if not isinstance(doc, Mapping):
        raise ValueError("an ODRL policy must be a JSON object")
    types = [term(t) for t in _as_list(doc.get("@type") or doc.get("type"))]
    ptype = next((t for t in types if t in ("Set", "Offer", "Agreement", "Policy")), None)
    if ptype is None:
        raise ValueError(f"not an ODRL policy (@type {types!r}; expected Set, Offer, Agreement or Policy)")
    uid = doc.get("uid") or doc.get("@id")
    if not uid:
        raise ValueError("an ODRL policy needs a uid")
    found: dict[str, Party] = {}
    rules: list[Rule] = []
    for kind in ("permission", "prohibition", "obligation"):
        rules.extend(_rule_from(kind, r, found) for r in _as_list(doc.get(kind)))
    conflict = doc.get("conflict")
    extra = _extra(doc, _POLICY_KEYS)
    policy = Policy(
        uid=str(uid),
        type=ptype,  # type: ignore[arg-type]
        rules=tuple(rules),
        profile=tuple(str(p) for p in _as_list(doc.get("profile"))),
        conflict=term(conflict).lower() if conflict else None,
        assigner=_party_ref(doc.get("assigner"), found),
        assignee=_party_ref(doc.get("assignee"), found),
        targets=tuple(_asset_from(t) for t in _as_list(doc.get("target"))),
        extra=extra,
    )
    return policy, tuple(found.values())


def policies_from_jsonld(doc: Any) -> list[tuple[Policy, tuple[Party, ...]]]:
    """A policy, a list of policies or an ``@graph`` of policies."""
    if isinstance(doc, list):
        items: list[Any] = doc
    elif isinstance(doc, Mapping) and "@graph" in doc:
        items = _as_list(doc["@graph"])
    else:
        items = [doc]
    return [policy_from_jsonld(d) for d in items]


def _right_to(c: Constraint) -> Any:
    def one(v: Any) -> Any:
        if c.datatype == "@id":
            return {"@id": v}
        if c.datatype:
            return {"@value": v, "@type": c.datatype}
        return v

    return [one(v) for v in c.right] if isinstance(c.right, tuple) else one(c.right)


def _constraint_to(c: AnyConstraint) -> dict[str, Any]:
    if isinstance(c, Constraint) and c.operator == "ref":
        return {"@id": c.right}
    if isinstance(c, LogicalConstraint):
        inner = [_constraint_to(x) for x in c.constraints]
        return {c.op: {"@list": inner} if c.op == "andSequence" else inner}
    d: dict[str, Any] = {"leftOperand": c.left, "operator": c.operator, "rightOperand": _right_to(c)}
    if c.unit:
        d["unit"] = c.unit
    return d


def _action_to(name: str, refs: tuple[AnyConstraint, ...]) -> Any:
    if not refs:
        return name
    return [{"rdf:value": {"@id": name if name.startswith("nr:") else f"odrl:{name}"},
             "refinement": [_constraint_to(r) for r in refs]}]


def _asset_to(a: Asset) -> Any:
    if not a.collection and not a.refinements:
        return a.uid
    d: dict[str, Any] = {"@type": "AssetCollection"}
    if a.uid:
        d["uid"] = a.uid
    if a.refinements:
        d["refinement"] = [_constraint_to(r) for r in a.refinements]
    return d


def _party_to(uid: str | None, parties: Mapping[str, Party]) -> Any:
    if uid is None:
        return None
    p = parties.get(uid)
    if p is None:
        return uid
    d: dict[str, Any] = {"@type": "Party", "uid": p.uid, "vcard:fn": p.name, "nr:kind": p.kind}
    if p.domains:
        d["nr:domain"] = list(p.domains)
    return d


def _one_or_list(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def policy_to_jsonld(policy: Policy, parties: Mapping[str, Party] | None = None) -> dict[str, Any]:
    """Write ``policy`` as compact ODRL JSON-LD; parties found in ``parties`` are
    written inline (``vcard:fn`` name, ``nr:domain`` sites)."""
    parties = parties or {}
    doc: dict[str, Any] = {
        "@context": [ODRL_CONTEXT, {"nr": NR_NS, "vcard": "http://www.w3.org/2006/vcard/ns#"}],
        "@type": policy.type,
        "uid": policy.uid,
    }
    if policy.profile:
        doc["profile"] = _one_or_list(list(policy.profile))
    if policy.conflict:
        doc["conflict"] = policy.conflict
    if policy.assigner:
        doc["assigner"] = _party_to(policy.assigner, parties)
    if policy.assignee:
        doc["assignee"] = _party_to(policy.assignee, parties)
    if policy.targets:
        doc["target"] = _one_or_list([_asset_to(a) for a in policy.targets])
    for k, v in policy.extra:
        doc[k] = json.loads(v)
    for kind in ("permission", "prohibition", "obligation"):
        out = []
        for r in policy.rules:
            if r.kind != kind:
                continue
            d: dict[str, Any] = {}
            if r.uid:
                d["uid"] = r.uid
            if r.targets:
                d["target"] = _one_or_list([_asset_to(a) for a in r.targets])
            if r.assigner:
                d["assigner"] = _party_to(r.assigner, parties)
            if r.assignee:
                d["assignee"] = _party_to(r.assignee, parties)
            d["action"] = _action_to(r.action, r.action_refinements)
            if r.constraints:
                d["constraint"] = [_constraint_to(c) for c in r.constraints]
            if r.duties:
                key = "duty" if kind == "permission" else "remedy" if kind == "prohibition" else "consequence"
                d[key] = [_duty_to(x) for x in r.duties]
            for k, v in r.extra:
                d[k] = json.loads(v)
            out.append(d)
        if out:
            doc[kind] = out
    return doc


def _duty_to(x: Duty) -> dict[str, Any]:
    d: dict[str, Any] = {"action": _action_to(x.action, x.refinements)}
    if x.constraints:
        d["constraint"] = [_constraint_to(c) for c in x.constraints]
    for k, v in x.extra:
        d[k] = json.loads(v)
    return d


def canonical_json(obj: Any) -> str:
    """Stable JSON text (sorted keys, no spaces): what content hashes are taken over."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


# ---------------------------------------------------------------- registry


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """One version of a policy: its terms hold for uses from ``valid_from`` until
    ``valid_to`` (exclusive; ``None`` = until amended). Amending a contract adds a
    version; the old one keeps judging the uses made while it was in force."""

    policy: Policy
    version: int
    valid_from: datetime
    valid_to: datetime | None = None

    def in_force(self, on: datetime) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    def to_json(self, parties: Mapping[str, Party] | None = None) -> dict[str, Any]:
        return {
            "version": self.version,
            "valid_from": self.valid_from.astimezone(UTC).isoformat(),
            "valid_to": self.valid_to.astimezone(UTC).isoformat() if self.valid_to else None,
            "policy": policy_to_jsonld(self.policy, parties),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> PolicyVersion:
        policy, _ = policy_from_jsonld(d["policy"])
        vt = d.get("valid_to")
        return cls(policy, int(d["version"]), datetime.fromisoformat(d["valid_from"]),
                   datetime.fromisoformat(vt) if vt else None)


@dataclass(frozen=True, slots=True)
class Registry:
    """The licence registry as in force at one moment: the publisher, the parties,
    the policy versions in force, the declaration's default ``Set`` and the
    conflict strategy (``prohibit`` by default: a prohibition beats a permission).

    :meth:`snapshot_id` is a content hash of all of it, so a verdict that names
    it can be recomputed from the stored snapshot."""

    publisher: Party
    parties: tuple[Party, ...] = ()
    policies: tuple[PolicyVersion, ...] = ()
    default: Policy | None = None
    conflict: str = "prohibit"
    #: the snapshot id, kept on the object once computed (hashing a registry walks all of it)
    _sid: str | None = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # canonical order, so equal registries compare equal and hash to the same snapshot id
        object.__setattr__(self, "parties", tuple(sorted(self.parties, key=lambda p: p.uid)))
        object.__setattr__(self, "policies", tuple(sorted(self.policies, key=lambda v: (v.policy.uid, v.version))))

    def party(self, uid: str | None) -> Party | None:
        if uid is None:
            return None
        if uid == self.publisher.uid:
            return self.publisher
        return next((p for p in self.parties if p.uid == uid), None)

    def party_for_domain(self, host: str | None) -> Party | None:
        """The party running ``host`` (the most specific domain wins)."""
        best: tuple[int, Party] | None = None
        for p in (self.publisher, *self.parties):
            for d in p.domains:
                if domain_matches(host, d) and (best is None or len(d) > best[0]):
                    best = (len(d), p)
        return best[1] if best else None

    def parties_by_uid(self) -> dict[str, Party]:
        return {p.uid: p for p in (self.publisher, *self.parties)}

    def to_json(self) -> dict[str, Any]:
        parties = self.parties_by_uid()
        return {
            "publisher": self.publisher.to_json(),
            "parties": [p.to_json() for p in sorted(self.parties, key=lambda p: p.uid)],
            "conflict": self.conflict,
            "default": policy_to_jsonld(self.default, parties) if self.default else None,
            "policies": [
                pv.to_json(parties) for pv in sorted(self.policies, key=lambda v: (v.policy.uid, v.version))
            ],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Registry:
        return cls(
            publisher=Party.from_json(d["publisher"]),
            parties=tuple(Party.from_json(p) for p in d.get("parties", ())),
            policies=tuple(PolicyVersion.from_json(p) for p in d.get("policies", ())),
            default=policy_from_jsonld(d["default"])[0] if d.get("default") else None,
            conflict=d.get("conflict", "prohibit"),
        )

    def snapshot_id(self) -> str:
        """``reg-`` + the first 16 hex digits of sha256 over the canonical JSON (memoised on the
        object, and by content)."""
        if self._sid is not None:
            return self._sid
        try:
            sid = _snapshot_id(self)
        except TypeError:  # an unhashable operand (a JSON object as rightOperand): compute directly
            sid = _compute_snapshot_id(self)
        object.__setattr__(self, "_sid", sid)
        return sid

    def in_force(self, on: datetime) -> Registry:
        """The same registry keeping only the policy versions in force on ``on`` (itself when
        all are)."""
        policies = tuple(pv for pv in self.policies if pv.in_force(on))
        return self if len(policies) == len(self.policies) else replace(self, policies=policies)


def _compute_snapshot_id(registry: Registry) -> str:
    return "reg-" + hashlib.sha256(canonical_json(registry.to_json()).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=256)
def _snapshot_id(registry: Registry) -> str:
    return _compute_snapshot_id(registry)


def declaration_policy(publisher: Party, *, credit_line: str | None, site: str | None = None,
                       actions: Sequence[str] = ("use",)) -> Policy:
    """The declaration's default as an ODRL ``Set``.

    Clause 2 of the 国际在线 declaration: content marked 来源:国际在线 may not be
    转载、摘编、复制 or otherwise used without written authorisation — a
    prohibition of ``use`` (which includes reproduce, extract, distribute …) for
    everyone over the publisher's catalog. Clause 3: an authorised user must
    stay in scope and credit ``来源:国际在线`` — an ``attribute`` obligation with
    that exact credit text, owed by every licensee. The Set's ``conflict`` is
    ``perm``: the prohibition yields to a written authorisation (an Agreement),
    which is how :func:`evaluate` treats it (as the default, not as a rule that
    competes with agreements).
    """
    rules: list[Rule] = [
        Rule("prohibition", a, (Asset(CATALOG),), assigner=publisher.uid) for a in actions
    ]
    if credit_line:
        rules.append(Rule("obligation", "attribute", (Asset(CATALOG),), assigner=publisher.uid,
                          action_refinements=(Constraint("nr:creditText", "eq", credit_line),)))
    return Policy(
        uid=f"urn:newsrights:declaration:{site or publisher.uid}",
        type="Set",
        rules=tuple(rules),
        profile=(NR_PROFILE,),
        conflict="perm",
        assigner=publisher.uid,
    )


# --------------------------------------------------------------- evaluation


@dataclass(frozen=True, slots=True)
class AssetFacts:
    """What a rule's target and content selectors are tested against."""

    article_id: str
    uri: str | None = None
    column: str | None = None
    marker: str | None = None
    source: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Use:
    """One use of an asset: by whom (party uid, ``None`` if unknown), which action,
    when, on which domain, and how much (``share`` = percent of the article)."""

    action: str
    assignee: str | None
    when: datetime
    domain: str | None = None
    territory: str | None = None
    purpose: str | None = None
    channel: str | None = None
    share: float | None = None
    count: int | None = None


Outcome = Literal["permitted", "not_permitted", "prohibited", "no_licence"]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What the registry says about one use.

    * ``permitted`` — ``policy_uid``/``policy_version`` grant it; ``duties`` are owed;
    * ``not_permitted`` — the party holds licences but none covers this use;
      ``failures`` names the failed constraints of the closest one
      (``expired``, ``other_domain``, ``excerpt_over_share`` …);
    * ``prohibited`` — a prohibition applies and wins the conflict;
    * ``no_licence`` — nothing grants anything to this party: the declaration's
      default prohibition applies.
    """

    outcome: Outcome
    policy_uid: str | None = None
    policy_version: int | None = None
    duties: tuple[Duty, ...] = ()
    failures: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


_FAIL_CODE = {
    "virtualLocation": "other_domain",
    "spatial": "other_territory",
    "purpose": "other_purpose",
    "deliveryChannel": "other_channel",
    "count": "count_exceeded",
    "percentage": "excerpt_over_share",
}


def _china_day(dt: datetime) -> str:
    """The calendar day of ``dt`` in China (contracts run on China dates), ISO format."""
    return (dt.astimezone(CHINA_TZ) if dt.tzinfo else dt).date().isoformat()


def _to_datetime(v: Any, *, end: bool) -> datetime | None:
    if isinstance(v, datetime):
        return v if v.tzinfo else v.replace(tzinfo=CHINA_TZ)
    if isinstance(v, date):
        return datetime.combine(v, time.max if end else time.min, CHINA_TZ)
    s = str(v).strip()
    try:
        if len(s) == 10:
            d = date.fromisoformat(s)
            return datetime.combine(d, time.max if end else time.min, CHINA_TZ)
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        return dt if dt.tzinfo else dt.replace(tzinfo=CHINA_TZ)
    except ValueError:
        return None


def _norm(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip()
        if "/" in s and s.startswith("http") and s.rsplit("/", 1)[-1]:
            return s.rsplit("/", 1)[-1].lower()  # IRI of a code (e.g. iso3166 DEU) -> code
        return s.lower()
    return v


def _compare(op: str, actual: Any, right: Any) -> bool | None:
    rights = right if isinstance(right, tuple) else (right,)
    try:
        if op in ("eq", "isA", "isPartOf") and len(rights) == 1:
            return bool(actual == rights[0])
        if op in ("isAnyOf", "eq", "isA", "isPartOf"):
            return actual in rights
        if op in ("neq", "isNoneOf"):
            return actual not in rights
        if op == "lt":
            return bool(actual < rights[0])
        if op == "lteq":
            return bool(actual <= rights[0])
        if op == "gt":
            return bool(actual > rights[0])
        if op == "gteq":
            return bool(actual >= rights[0])
        if op in ("isAllOf", "hasPart"):
            return all(r == actual for r in rights)
    except TypeError:
        return None
    return None


def _check(c: Constraint, use: Use, asset: AssetFacts) -> tuple[bool | None, str]:
    """(satisfied?, failure code). ``None`` = the page does not tell (not held against it)."""
    left, op = c.left, c.operator
    if left == "dateTime" or left == "nr:published":
        when = use.when if left == "dateTime" else asset.published
        if when is None:
            return None, "unknown_date"
        end = op in ("lteq", "gt")
        rights = c.right if isinstance(c.right, tuple) else (c.right,)
        rd = tuple(_to_datetime(r, end=end) for r in rights)
        if any(r is None for r in rd):
            return None, "bad_date"
        ok = _compare(op, when, rd if len(rd) > 1 else rd[0])
        code = "expired" if op in ("lt", "lteq") else "not_yet_valid" if op in ("gt", "gteq") else "outside_period"
        return ok, code if left == "dateTime" else "content_not_licensed"
    if left == "virtualLocation":
        rights = c.right if isinstance(c.right, tuple) else (c.right,)
        if use.domain is None:
            return None, "other_domain"
        # a licensed location is that host only; "*.example.com" licenses its subdomains
        hit = any(domain_matches(use.domain, str(r), subdomains=False) for r in rights)
        return (not hit if op in ("neq", "isNoneOf") else hit), "other_domain"
    if left in ("percentage", "count"):
        actual = use.share if left == "percentage" else use.count
        if actual is None:
            return None, _FAIL_CODE[left]
        try:
            right: Any = tuple(float(r) for r in c.right) if isinstance(c.right, tuple) else float(c.right)
        except (TypeError, ValueError):
            return None, _FAIL_CODE[left]
        return _compare(op, float(actual), right), _FAIL_CODE[left]
    facts: dict[str, Any] = {
        "spatial": use.territory, "purpose": use.purpose, "deliveryChannel": use.channel,
        "nr:column": asset.column, "nr:marker": asset.marker, "nr:source": asset.source,
        "nr:articleId": asset.article_id,
    }
    if left in facts:
        actual = facts[left]
        code = _FAIL_CODE.get(left, "content_not_licensed")
        if actual is None:
            return (None if left in _FAIL_CODE else False), code
        right = tuple(_norm(r) for r in c.right) if isinstance(c.right, tuple) else _norm(c.right)
        return _compare(op, _norm(actual), right), code
    return None, f"unsupported_{left.replace(':', '_')}"


def _eval_all(cs: Iterable[AnyConstraint], use: Use, asset: AssetFacts) -> tuple[list[str], list[str]]:
    """Failures (codes with the constraint) and notes (constraints the facts cannot decide)."""
    fails: list[str] = []
    notes: list[str] = []
    for c in cs:
        ok, code, label = _eval_one(c, use, asset)
        if ok is False:
            fails.append(f"{code}: {label}")
        elif ok is None:
            notes.append(f"not verifiable: {label}")
    return fails, notes


def _eval_one(c: AnyConstraint, use: Use, asset: AssetFacts) -> tuple[bool | None, str, str]:
    if isinstance(c, Constraint):
        ok, code = _check(c, use, asset)
        return ok, code, c.label()
    results = [_eval_one(x, use, asset) for x in c.constraints]
    oks = [r[0] for r in results]
    if c.op in ("and", "andSequence"):
        ok = False if False in oks else (None if None in oks else True)
    elif c.op == "or":
        ok = True if True in oks else (None if None in oks else False)
    else:  # xone
        ok = None if None in oks else oks.count(True) == 1
    code = next((r[1] for r in results if r[0] is False), results[0][1] if results else "constraint")
    return ok, code, c.label()


def _target_matches(targets: tuple[Asset, ...], use: Use, asset: AssetFacts) -> bool:
    if not targets:
        return True
    for t in targets:
        if t.uid in (None, CATALOG) or t.uid in (asset.article_id, asset.uri, f"urn:newsrights:article:{asset.article_id}"):
            if not t.refinements:
                return True
            fails, _ = _eval_all(t.refinements, use, asset)
            if not fails:
                return True
        elif t.collection and t.refinements and t.uid is None:
            fails, _ = _eval_all(t.refinements, use, asset)
            if not fails:
                return True
    return False


def _binds(assignee: str | None, party: str | None) -> bool:
    return assignee is None or (party is not None and assignee == party)


def evaluate(registry: Registry, asset: AssetFacts, use: Use) -> Evaluation:
    """Judge ``use`` of ``asset`` against the registry in force on ``use.when``.

    1. Candidate permissions: rules of ``Set``/``Agreement`` policy versions in
       force whose assignee is the user (``Offer``s grant nothing until sold).
       None → ``no_licence`` (the declaration's prohibition applies).
    2. Each candidate fails if its action does not cover the use
       (``action_not_licensed``), its target/selectors miss the article
       (``content_not_licensed``) or a constraint fails (``expired``,
       ``other_domain``, ``excerpt_over_share`` …). Facts the page does not
       give (territory, purpose) are noted, not held against the user.
    3. Explicit prohibitions that bind the user, cover the action and target and
       whose constraints hold are active. If one is active and a permission
       holds, the registry's ``conflict`` strategy decides (ODRL 2.2 §2.8):
       ``prohibit`` (default) → ``prohibited``; ``perm`` → ``permitted``;
       ``invalid`` → ``no_licence``.
    4. A holding permission → ``permitted`` with its duties plus the default
       Set's obligations (the declaration's credit); otherwise ``not_permitted``
       naming the failures of the closest candidate.
    """
    pool = registry.in_force(use.when).policies
    cands: list[tuple[PolicyVersion, Rule, list[str], list[str]]] = []
    for pv in pool:
        if pv.policy.type == "Offer":
            continue
        for r in pv.policy.permissions:
            assignee = pv.policy.assignee_of(r)
            if pv.policy.type == "Agreement" and assignee is None:
                continue
            if not _binds(assignee, use.assignee):
                continue
            fails: list[str] = []
            if not covers(r.action, use.action):
                fails.append(f"action_not_licensed: {use.action} (licensed: {r.action})")
            if not _target_matches(pv.policy.targets_of(r), use, asset):
                fails.append(f"content_not_licensed: article {asset.article_id} is not in the licensed content")
            f2, notes = _eval_all(r.constraints, use, asset)
            cands.append((pv, r, fails + f2, notes))
    active: list[tuple[PolicyVersion, Rule]] = []
    for pv in pool:
        for r in pv.policy.prohibitions:
            if not _binds(pv.policy.assignee_of(r), use.assignee) or not covers(r.action, use.action):
                continue
            if not _target_matches(pv.policy.targets_of(r), use, asset):
                continue
            f, _ = _eval_all(r.constraints, use, asset)
            if not f:
                active.append((pv, r))
    holding = sorted((c for c in cands if not c[2]), key=lambda c: (-c[0].valid_from.timestamp(), c[0].policy.uid))
    if not cands:
        reasons = [f"no_licence: no agreement in force on {_china_day(use.when)} grants "
                   f"{use.action} to {use.assignee or 'this site'}"]
        if active:
            reasons.append(f"prohibited: {active[0][0].policy.uid} v{active[0][0].version} prohibits {active[0][1].action}")
        return Evaluation("no_licence", reasons=tuple(reasons))
    if holding and active:
        pv_p, r_p = active[0]
        strategy = registry.conflict
        if strategy == "prohibit":
            return Evaluation(
                "prohibited", pv_p.policy.uid, pv_p.version,
                failures=("prohibited",),
                reasons=(f"prohibited: {pv_p.policy.uid} v{pv_p.version} prohibits {r_p.action}; "
                         f"it wins over the permission of {holding[0][0].policy.uid} (conflict=prohibit)",),
            )
        if strategy == "invalid":
            return Evaluation("no_licence", reasons=(
                f"conflict_invalid: {pv_p.policy.uid} and {holding[0][0].policy.uid} conflict; "
                "conflict=invalid voids the permission",))
    if holding:
        pv, r, _, notes = holding[0]
        duties = list(r.duties)
        names = {d.action for d in duties}
        if registry.default and pv.policy.assigner_of(r) in (None, registry.publisher.uid):
            for ob in registry.default.obligations:
                if ob.action not in names:
                    duties.append(Duty(ob.action, ob.action_refinements, ob.constraints))
        said = [f"licensed: {pv.policy.uid} v{pv.version} permits {r.action}"]
        if active:
            said.append(f"conflict_perm: permission wins over {active[0][0].policy.uid} (conflict=perm)")
        return Evaluation("permitted", pv.policy.uid, pv.version, tuple(duties), (), tuple(said), tuple(notes))
    best = min(cands, key=lambda c: (len(c[2]), -c[0].valid_from.timestamp()))
    pv, r, fails, notes = best
    codes = tuple(dict.fromkeys(f.split(":", 1)[0] for f in fails))
    why = tuple(f"{f} ({pv.policy.uid} v{pv.version})" for f in fails)
    return Evaluation("not_permitted", pv.policy.uid, pv.version, r.duties, codes, why, tuple(notes))


def utc(dt: datetime) -> datetime:
    """Aware UTC datetime (naive values are taken as UTC, as SQLite returns them)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


__all__ = [
    "ACTIONS", "CATALOG", "Asset", "AssetFacts", "Constraint", "Duty", "Evaluation", "LogicalConstraint",
    "NR_NS", "ODRL_CONTEXT", "Party", "Policy", "PolicyVersion", "Registry", "Rule", "Use",
    "covers", "declaration_policy", "domain_matches", "evaluate", "policies_from_jsonld",
    "policy_from_jsonld", "policy_to_jsonld", "term",
]
