"""Licence registry, verdicts and sales: the licensing area's use cases.

* **Registry.** Parties (licensees; sources the publisher licenses from) and
  ODRL policies, each stored as versions: adding a policy whose uid exists is an
  *amendment* — the current version is closed on the new one's ``valid_from``
  and the old terms keep judging the uses made while they were in force
  (:func:`put_policy`, :func:`add_licence`, :func:`import_policies`). The
  registry in force on any date is :func:`registry_on`; it always contains the
  declaration's default ``Set`` (no licence → prohibited; credit 来源:国际在线).
* **Snapshots.** Every verdict names the snapshot it was decided on
  (:func:`save_snapshot`, content hash ``reg-…``); :func:`load_snapshot` gets
  it back so the verdict can be recomputed.
* **Verdicts.** :func:`attach_verdicts` is the seam the scan calls: for each
  finding it loads the article and its ownership from the catalog, the
  registry in force on the copy's date, runs the credit check and the verdict
  rules (:mod:`newsrights.core.verdicts`) and returns the findings with
  ``verdict``, ``verdict_reasons`` and ``registry_snapshot`` set.
* **Inbound.** :func:`inbound_coverage` says whether the publisher's own
  reprint of a third-party article (e.g. the seed article from 辽宁日报) is
  covered by a licence the publisher holds.
* **Sales.** Products as Offers, sold as Agreements with an invoice kept
  (:func:`add_product`, :func:`sell`).

Functions taking a ``factory`` own their transaction; those taking a
``session`` run in the caller's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core.credit import check_credit
from newsrights.core.model import CHINA_TZ, Article, Finding, Ownership, Rejected
from newsrights.core.odrl import (
    ACTIONS,
    CATALOG,
    Asset,
    AssetFacts,
    Constraint,
    Duty,
    Evaluation,
    Party,
    Policy,
    PolicyVersion,
    Registry,
    Rule,
    Use,
    canonical_json,
    declaration_policy,
    evaluate,
    policies_from_jsonld,
    policy_to_jsonld,
)
from newsrights.core.sales import Invoice, Product, agreement_from_offer, offer_policy, price_for
from newsrights.core.timeline import as_utc
from newsrights.core.verdicts import DEFAULT_VERDICT_PARAMS, VerdictParams, decide, use_date
from newsrights.errors import InputError
from newsrights.storage.db import transaction
from newsrights.storage.tables.licensing import (
    InvoiceRow,
    PartyRow,
    PolicyVersionRow,
    ProductRow,
    SettingRow,
    SnapshotRow,
)

log = logging.getLogger(__name__)

PUBLISHER_UID = "urn:newsrights:party:cri"
DEFAULT_PUBLISHER_DOMAINS = ("cri.cn",)
ACTOR = "licensing"


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


#: An instant in UTC, naive = UTC (public home: :func:`newsrights.core.timeline.as_utc`).
_utc = as_utc


def as_moment(on: date | datetime | str | None, *, default_now: bool = True) -> datetime:
    """A date, datetime or ISO string as an aware datetime (a bare date is its start in China time)."""
    if on is None:
        if default_now:
            return _now()
        raise InputError("a date is required")
    if isinstance(on, str):
        try:
            on = datetime.fromisoformat(on) if len(on) > 10 else date.fromisoformat(on)
        except ValueError as exc:
            raise InputError(f"not a date: {on!r} (use YYYY-MM-DD or ISO 8601)") from exc
    if isinstance(on, datetime):
        return on if on.tzinfo else on.replace(tzinfo=CHINA_TZ)
    return datetime.combine(on, time.min, CHINA_TZ)


def slug(name: str) -> str:
    """An IRI-safe slug of a name: ASCII letters/digits and CJK ideographs kept, runs of
    anything else become ``-``; a name with nothing usable is hashed."""
    s = re.sub(r"[^a-z0-9\u3400-\u9fff]+", "-", name.lower()).strip("-")[:60]
    return s if len(s) >= 2 else "h" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def _audit(session: Session, action: str, entity: str, entity_id: str, before: Any, after: Any) -> None:
    from newsrights.services import audit

    audit.record(session, actor=ACTOR, action=action, entity=entity, entity_id=entity_id, before=before, after=after)


def setting(session: Session, key: str, default: str | None = None) -> str | None:
    """The registry setting ``key`` (e.g. ``conflict``: how overlapping licences combine), else ``default``."""
    row = session.get(SettingRow, key)
    return row.value if row else default


_setting = setting  # old private name, kept for callers not yet switched


def _put_setting(session: Session, key: str, value: str) -> str | None:
    row = session.get(SettingRow, key)
    before = row.value if row else None
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value
    return before


def _set_setting(session: Session, key: str, value: str) -> None:
    if _setting(session, key) == value:
        return
    before = _put_setting(session, key, value)
    _touch(session)
    _audit(session, "setting.set", "licensing_setting", key, before, value)


def _touch(session: Session) -> None:
    """Mark the registry changed: a fresh random generation token (see :func:`_registry_state`)."""
    _put_setting(session, GENERATION, uuid.uuid4().hex)


GENERATION = "generation"
_STATE_CACHE: dict[tuple[str, str], tuple[Party, tuple[Party, ...], tuple[PolicyVersion, ...], str]] = {}


def _registry_state(session: Session) -> tuple[Party, tuple[Party, ...], tuple[PolicyVersion, ...], str]:
    """Publisher, parties, every policy version and the conflict strategy, cached per database
    and registry generation (every change through this module sets a new generation token, read
    in the caller's transaction, so a cached state is never older than what the session sees)."""
    token = _setting(session, GENERATION, "0") or "0"
    key = (str(session.get_bind().engine.url), token)
    hit = _STATE_CACHE.get(key)
    if hit is not None and token != "0":
        return hit
    rows = session.scalars(select(PolicyVersionRow).order_by(PolicyVersionRow.uid, PolicyVersionRow.version))
    state = (publisher(session), tuple(list_parties(session)), tuple(_version(r) for r in rows),
             _setting(session, "conflict", "prohibit") or "prohibit")
    if len(_STATE_CACHE) > 32:
        _STATE_CACHE.clear()
    _STATE_CACHE[key] = state
    return state


# --------------------------------------------------------------------------- parties


def _party(row: PartyRow) -> Party:
    return Party(row.uid, row.name, row.kind, tuple(json.loads(row.domains)))  # type: ignore[arg-type]


def publisher(session: Session) -> Party:
    """The publisher as a party: the name from its declaration, its domains from the settings."""
    from newsrights.core.declaration import publisher_declaration

    decl = publisher_declaration()
    domains = json.loads(_setting(session, "publisher_domains") or json.dumps(list(DEFAULT_PUBLISHER_DOMAINS)))
    return Party(PUBLISHER_UID, decl.site or "国际在线", "publisher", tuple(domains))


def put_party(session: Session, party: Party) -> Party:
    """Insert or update a party (domains are merged, never dropped)."""
    if party.uid == PUBLISHER_UID:
        return publisher(session)
    row = session.get(PartyRow, party.uid)
    if row is None:
        session.add(PartyRow(uid=party.uid, name=party.name, kind=party.kind,
                             domains=json.dumps(list(party.domains)), created_at=_now()))
        _touch(session)
        session.flush()
        _audit(session, "party.add", "licensing_party", party.uid, None, party.to_json())
        return party
    old = _party(row)
    domains = tuple(dict.fromkeys((*old.domains, *party.domains)))
    new = Party(old.uid, party.name or old.name, party.kind, domains)
    if new != old:
        row.name, row.kind, row.domains = new.name, new.kind, json.dumps(list(new.domains))
        _touch(session)
        _audit(session, "party.update", "licensing_party", party.uid, old.to_json(), new.to_json())
    return new


def find_party(session: Session, ref: str) -> Party | None:
    """A party by uid, by exact name, or by one of its domains."""
    if ref in (PUBLISHER_UID, "publisher"):
        return publisher(session)
    row = session.get(PartyRow, ref) or session.scalars(select(PartyRow).where(PartyRow.name == ref)).first()
    if row is not None:
        return _party(row)
    for p in list_parties(session):
        if ref in p.domains:
            return p
    return None


def list_parties(session: Session) -> list[Party]:
    return [_party(r) for r in session.scalars(select(PartyRow).order_by(PartyRow.uid))]


# --------------------------------------------------------------------------- policies


def policy_version_from_row(row: PolicyVersionRow) -> PolicyVersion:
    """A stored policy version: its ODRL JSON-LD document read back, valid from/to in China time."""
    from newsrights.core.odrl import policy_from_jsonld

    policy, _ = policy_from_jsonld(json.loads(row.document))
    start = _utc(row.valid_from).astimezone(CHINA_TZ)
    return PolicyVersion(policy, row.version, start, _utc(row.valid_to).astimezone(CHINA_TZ) if row.valid_to else None)


_version = policy_version_from_row  # old private name, kept for callers not yet switched


def put_policy(
    session: Session,
    policy: Policy,
    *,
    valid_from: date | datetime | str | None = None,
    parties: Iterable[Party] = (),
    note: str | None = None,
) -> tuple[PolicyVersion, str]:
    """Store ``policy`` (and the parties it names); returns the version and what happened:
    ``new``, ``amended`` (a new version closing the previous one on ``valid_from``)
    or ``unchanged`` (the same terms are already the current version: idempotent)."""
    for p in parties:
        put_party(session, p)
    start = _utc(as_moment(valid_from))
    doc = policy_to_jsonld(policy)
    text = canonical_json(doc)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    rows = list(session.scalars(
        select(PolicyVersionRow).where(PolicyVersionRow.uid == policy.uid).order_by(PolicyVersionRow.version)
    ))
    version, outcome = 1, "new"
    if rows:
        last = rows[-1]
        if last.sha256 == sha and last.valid_to is None:
            return _version(last), "unchanged"
        if start <= _utc(last.valid_from):
            raise InputError(
                f"policy {policy.uid}: an amendment must take effect after version {last.version} "
                f"(in force from {_utc(last.valid_from).date()}); give a later --effective date"
            )
        last.valid_to = start
        version, outcome = last.version + 1, "amended"
    row = PolicyVersionRow(
        uid=policy.uid, version=version, policy_type=policy.type, assigner=policy.assigner,
        assignee=policy.assignee or next((r.assignee for r in policy.rules if r.assignee), None),
        valid_from=start, valid_to=None, document=text, sha256=sha, note=note, created_at=_now(),
    )
    session.add(row)
    _touch(session)
    session.flush()
    _audit(session, f"licence.{'add' if outcome == 'new' else 'amend'}", "licence", policy.uid,
           {"version": version - 1} if outcome == "amended" else None,
           {"version": version, "valid_from": start.isoformat(), "sha256": sha})
    return _version(row), outcome


def policy_versions(session: Session, uid: str) -> list[PolicyVersion]:
    rows = session.scalars(select(PolicyVersionRow).where(PolicyVersionRow.uid == uid).order_by(PolicyVersionRow.version))
    return [_version(r) for r in rows]


def get_policy(session: Session, uid: str, *, on: date | datetime | str | None = None,
               version: int | None = None) -> PolicyVersion:
    """One version of a policy: ``version``, else the one in force ``on`` (default: now), else the latest."""
    versions = policy_versions(session, uid)
    if not versions:
        raise InputError(f"no licence {uid!r} (see `newsrights licences list`)")
    if version is not None:
        for v in versions:
            if v.version == version:
                return v
        raise InputError(f"licence {uid!r} has no version {version} (it has {len(versions)})")
    when = _utc(as_moment(on))
    for v in versions:
        if v.in_force(when):
            return v
    return versions[-1]


def list_policies(session: Session, *, on: date | datetime | str | None = None,
                  all_versions: bool = False) -> list[PolicyVersion]:
    """Current versions (or all versions, or those in force ``on``)."""
    rows = list(session.scalars(select(PolicyVersionRow).order_by(PolicyVersionRow.uid, PolicyVersionRow.version)))
    vs = [_version(r) for r in rows]
    if all_versions:
        return vs
    if on is not None:
        when = _utc(as_moment(on))
        return [v for v in vs if v.in_force(when)]
    return [v for v in vs if v.valid_to is None]


def import_policies(factory: sessionmaker[Session], doc: Any, *, valid_from: date | datetime | str | None = None,
                    origin: str = "") -> list[tuple[PolicyVersion, str] | Rejected]:
    """Import ODRL JSON-LD (one policy, a list, or an ``@graph``). A policy that cannot be
    read is returned as :class:`Rejected` and the others are still imported."""
    items: list[Any]
    if isinstance(doc, list):
        items = doc
    elif isinstance(doc, Mapping) and "@graph" in doc:
        items = list(doc["@graph"])
    else:
        items = [doc]
    out: list[tuple[PolicyVersion, str] | Rejected] = []
    for i, item in enumerate(items):
        where = f"{origin}#{i}" if origin else f"#{i}"
        try:
            ((policy, parties),) = policies_from_jsonld(item)
        except (ValueError, TypeError, KeyError) as exc:
            out.append(Rejected(where, "invalid_odrl_policy", str(exc)))
            continue
        try:
            with transaction(factory) as s:
                out.append(put_policy(s, policy, valid_from=valid_from, parties=parties, note=origin or None))
        except InputError as exc:
            out.append(Rejected(where, "policy_not_stored", str(exc)))
    return out


def export_policies(session: Session, *, uid: str | None = None, on: date | datetime | str | None = None,
                    all_versions: bool = False) -> dict[str, Any]:
    """ODRL JSON-LD ``@graph`` of the policies (one uid, those in force ``on``, or the current ones);
    parties are written inline."""
    if uid is not None:
        vs = policy_versions(session, uid) if all_versions else [get_policy(session, uid, on=on)]
    else:
        vs = list_policies(session, on=on, all_versions=all_versions)
    parties = {p.uid: p for p in (publisher(session), *list_parties(session))}
    graph = []
    for v in vs:
        d = policy_to_jsonld(v.policy, parties)
        d.pop("@context", None)
        graph.append(d)
    return {"@context": policy_to_jsonld(Policy("x", "Set"))["@context"], "@graph": graph}


@dataclass(frozen=True, slots=True)
class LicenceTerms:
    """What `newsrights licences add` asks for, as plain values."""

    licensee: str
    domains: tuple[str, ...] = ()
    licensed_domains: tuple[str, ...] = ()
    actions: tuple[str, ...] = ("reproduce",)
    start: date | None = None
    end: date | None = None
    credit: str | None = "来源:国际在线"
    keep_title: bool = False
    keep_byline: bool = False
    keep_dateline: bool = False
    link_back: bool = False
    max_share: float | None = None
    columns: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    territory: str | None = None
    purpose: str | None = None
    channel: str | None = None
    inbound: bool = False
    prohibit: bool = False
    uid: str | None = None


def terms_policy(terms: LicenceTerms, publisher_party: Party, licensee: Party) -> Policy:
    """Build the ODRL policy for :class:`LicenceTerms`: an Agreement (permissions with
    constraints and duties) or, with ``prohibit``, a Set of prohibitions for that party.
    ``inbound`` swaps the roles: the licensee licenses *to* the publisher."""
    for a in terms.actions:
        if a not in ACTIONS:
            raise InputError(f"unknown action {a!r}; use one of {', '.join(ACTIONS)}")
    assigner, assignee = (licensee, publisher_party) if terms.inbound else (publisher_party, licensee)
    cons: list[Constraint] = []
    if terms.start:
        cons.append(Constraint("dateTime", "gteq", terms.start.isoformat(), datatype="xsd:date"))
    if terms.end:
        cons.append(Constraint("dateTime", "lteq", terms.end.isoformat(), datatype="xsd:date"))
    where = terms.licensed_domains or (() if terms.inbound else licensee.domains)
    if where and not terms.prohibit:
        cons.append(Constraint("virtualLocation", "isAnyOf", tuple(where)))
    if terms.max_share is not None:
        cons.append(Constraint("percentage", "lteq", terms.max_share, datatype="xsd:decimal"))
    if terms.territory:
        cons.append(Constraint("spatial", "eq", terms.territory))
    if terms.purpose:
        cons.append(Constraint("purpose", "eq", terms.purpose))
    if terms.channel:
        cons.append(Constraint("deliveryChannel", "eq", terms.channel))
    refs: list[Constraint] = []
    if terms.columns:
        refs.append(Constraint("nr:column", "isAnyOf", terms.columns))
    if terms.sources or terms.inbound:
        refs.append(Constraint("nr:source", "isAnyOf", terms.sources or (licensee.name,)))
    if terms.articles:
        targets: tuple[Asset, ...] = tuple(Asset(f"urn:newsrights:article:{a}") for a in terms.articles)
    elif refs:
        targets = (Asset(None if terms.inbound else CATALOG, True, tuple(refs)),)
    else:
        targets = (Asset(CATALOG),)
    duties: list[Duty] = []
    if terms.credit:
        duties.append(Duty("attribute", (Constraint("nr:creditText", "eq", terms.credit),)))
    for flag, action in ((terms.keep_title, "nr:keepTitle"), (terms.keep_byline, "nr:keepByline"),
                         (terms.keep_dateline, "nr:keepDateline"), (terms.link_back, "attachSource")):
        if flag:
            duties.append(Duty(action))
    kind = "prohibition" if terms.prohibit else "permission"
    rules = tuple(
        Rule(kind, a, targets, constraints=tuple(cons), duties=() if terms.prohibit else tuple(duties))  # type: ignore[arg-type]
        for a in terms.actions
    )
    uid = terms.uid or (
        f"urn:newsrights:{'prohibition' if terms.prohibit else 'inbound' if terms.inbound else 'agreement'}:"
        f"{slug(licensee.name)}-{(terms.start or date.today()).isoformat()}"
    )
    return Policy(uid, "Set" if terms.prohibit else "Agreement", rules, assigner=assigner.uid,
                  assignee=assignee.uid, profile=("https://iptc.org/std/RightsML/2.0/",))


def add_licence(factory: sessionmaker[Session], terms: LicenceTerms, *,
                effective: date | datetime | str | None = None) -> tuple[PolicyVersion, str]:
    """Register a licence from plain terms (creating the party when new). With ``terms.uid``
    of an existing licence it is an amendment taking effect on ``effective``."""
    with transaction(factory) as s:
        pub = publisher(s)
        party = find_party(s, terms.licensee)
        if party is None:
            party = put_party(s, Party(f"urn:newsrights:party:{slug(terms.licensee)}", terms.licensee,
                                       "source" if terms.inbound else "licensee", terms.domains))
        elif terms.domains:
            party = put_party(s, replace(party, domains=terms.domains))
        policy = terms_policy(terms, pub, party)
        start = effective or terms.start or _now()
        return put_policy(s, policy, valid_from=start)


def set_conflict(factory: sessionmaker[Session], strategy: str) -> None:
    """The registry's conflict strategy (ODRL ``conflict``): ``prohibit`` (default), ``perm`` or ``invalid``."""
    if strategy not in ("prohibit", "perm", "invalid"):
        raise InputError(f"conflict must be prohibit, perm or invalid, not {strategy!r}")
    with transaction(factory) as s:
        _set_setting(s, "conflict", strategy)


def set_publisher_domains(factory: sessionmaker[Session], domains: Iterable[str]) -> None:
    with transaction(factory) as s:
        _set_setting(s, "publisher_domains", json.dumps(sorted(set(domains))))


# --------------------------------------------------------------------------- registry and snapshots


def registry_on(session: Session, on: date | datetime | str | None = None) -> Registry:
    """The registry in force on ``on``: every party, the policy versions in force, the
    declaration's default Set (from the declaration in force for the publisher's site,
    else the packaged one) and the conflict strategy."""
    when = _utc(as_moment(on))
    state = _registry_state(session)
    decl = None
    try:
        from newsrights.services.catalog import declaration_in_force

        decl = declaration_in_force(session, state[0].name, when)
    except ImportError:  # pragma: no cover - the catalog service is part of the package
        decl = None
    return registry_from(state, decl, tuple(v for v in state[2] if v.in_force(when)))


def registry_from(state: tuple[Party, tuple[Party, ...], tuple[PolicyVersion, ...], str], decl: Any,
                  in_force: tuple[PolicyVersion, ...]) -> Registry:
    """The registry of ``state`` (publisher, parties, policy versions, conflict strategy) with the
    policy versions ``in_force`` and the declaration ``decl`` (None: the packaged one) as default."""
    from newsrights.core.declaration import publisher_declaration

    pub, parties, _, conflict = state
    decl = decl or publisher_declaration()
    return Registry(
        publisher=pub,
        parties=parties,
        policies=in_force,
        default=declaration_policy(pub, credit_line=decl.credit_line, site=decl.site,
                                   actions=("use",)),
        conflict=conflict,
    )


def save_snapshot(session: Session, registry: Registry) -> str:
    """Store the registry under its content hash (idempotent) and return the id."""
    sid = registry.snapshot_id()
    if session.get(SnapshotRow, sid) is None:
        try:
            with session.begin_nested():
                session.add(SnapshotRow(id=sid, document=canonical_json(registry.to_json()), created_at=_now()))
        except IntegrityError:  # stored meanwhile by a concurrent scan: same id, same content
            log.debug("snapshot %s already stored", sid)
    return sid


def load_snapshot(session: Session, snapshot_id: str) -> Registry:
    row = session.get(SnapshotRow, snapshot_id)
    if row is None:
        raise InputError(f"no registry snapshot {snapshot_id!r}")
    reg = Registry.from_json(json.loads(row.document))
    if reg.snapshot_id() != snapshot_id:
        raise InputError(f"registry snapshot {snapshot_id!r} does not hash to its id (stored content altered?)")
    return reg


# --------------------------------------------------------------------------- verdicts


def _host(url: str | None) -> str | None:
    return urlsplit(url if url and "://" in url else f"http://{url}").hostname if url else None


def attach_verdicts(
    session: Session,
    page: Article,
    findings: list[Finding],
    *,
    raw: bytes | str | None = None,
    params: VerdictParams = DEFAULT_VERDICT_PARAMS,
) -> list[Finding]:
    """Return ``findings`` with ``verdict``, ``verdict_reasons`` and ``registry_snapshot`` set.

    For each finding: the article and its ownership from the catalog, the registry
    in force on the copy's date (page published, else fetched, else found, else now),
    saved as a snapshot; the credit check of ``page`` (``raw`` HTML, when given, is
    searched for a link back); then :func:`newsrights.core.verdicts.decide`.
    """
    from newsrights.services.verdict_cache import article_records, registry_view

    view = registry_view(session)  # the registry, cached per process and registry version (one query)
    records = article_records(session, [f.article_id for f in findings])  # cached by (id, version)
    registry_at = view.registry_on

    def record_of(article_id: str) -> Any | None:
        return records.get(article_id)

    saved: dict[int, str] = {}

    def snapshot(reg: Registry) -> str:  # stored once per registry object of this call
        if id(reg) not in saved:
            saved[id(reg)] = view.snapshot(session, reg)
        return saved[id(reg)]

    return judge_findings(page, findings, registry_at=registry_at, record_of=record_of,
                          snapshot=snapshot, raw=raw, params=params)


def judge_findings(
    page: Article,
    findings: list[Finding],
    *,
    registry_at: Callable[[datetime], Registry],
    record_of: Callable[[str], Any | None],
    snapshot: Callable[[Registry], str] | None = None,
    raw: bytes | str | None = None,
    params: VerdictParams = DEFAULT_VERDICT_PARAMS,
    now: datetime | None = None,
) -> list[Finding]:
    """The verdict loop, free of storage: :func:`attach_verdicts` runs it on the database,
    the Spark job on its catalog bundle, so both judge alike.

    ``registry_at(when)`` is the registry in force at ``when``; ``record_of(id)`` the
    catalog record (``.id``, ``.article``, ``.ownership``) or None; ``snapshot(reg)``
    stores the registry and returns its id (default: just its id).
    """
    from newsrights.core.declaration import publisher_declaration

    decl = publisher_declaration()
    now = now or _now()
    snap = snapshot or (lambda reg: reg.snapshot_id())
    out: list[Finding] = []
    for f in findings:
        when = as_moment(use_date(page, f, now))
        reg = registry_at(when)
        sid = snap(reg)
        rec = record_of(f.article_id)
        if rec is None:
            out.append(replace(f, verdict="legal_review", registry_snapshot=sid,
                               verdict_reasons=(f"article_not_in_catalog: {f.article_id}",)))
            continue
        try:
            out.append(_judge(page, f, rec, reg, sid, decl, when, raw, params, registry_at))
        except Exception as exc:  # one bad finding must not sink the page: review it by hand
            log.warning("verdict failed for %s / %s: %s", f.page_url, f.article_id, exc, exc_info=True)
            out.append(replace(f, verdict="legal_review", registry_snapshot=sid,
                               verdict_reasons=(f"verdict_failed: {type(exc).__name__}: {exc}"[:500],)))
    return out


def _judge(page: Article, f: Finding, rec: Any, reg: Registry, sid: str, decl: Any, when: datetime,
           raw: bytes | str | None, params: VerdictParams, registry_at: Callable[[datetime], Registry]) -> Finding:
    """One finding's verdict (see :func:`judge_findings`)."""
    credit = check_credit(
        page, rec.article,
        required_credit=decl.credit_line or "来源:国际在线",
        publisher_names=decl.own_names or (reg.publisher.name,),
        publisher_domains=reg.publisher.domains,
        raw_html=raw,
    )
    d = decide(f, article=rec.article, ownership=rec.ownership, page=page, credit=credit,
               registry=reg, article_id=rec.id, when=when, params=params)
    reasons = d.reasons
    if d.verdict == "not_ours":  # say whether the publisher's own reprint was licensed
        inbound = inbound_check(registry_at(_utc(as_moment(rec.article.published or when))), rec.id,
                                rec.article, rec.ownership)
        head = "publisher_reprint_covered" if inbound.covered else "publisher_reprint_not_covered"
        reasons = (*reasons, f"{head}: {inbound.reasons[0]}")
    return replace(f, verdict=d.verdict, verdict_reasons=reasons, registry_snapshot=sid)


def _stored_findings(session: Session, *, article: str | None, verdict: str | None,
                     page: int = 500) -> Iterator[Any]:
    """Every stored finding (the scan area's ``list_findings``, read page by page)."""
    from newsrights.services.scan import list_findings

    offset = 0
    while True:
        batch = list_findings(session, article_id=article, verdict=verdict, limit=page, offset=offset)
        yield from batch
        if len(batch) < page:
            return
        offset += page


def list_verdicts(
    session: Session,
    *,
    site: str | None = None,
    article: str | None = None,
    verdict: str | None = None,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    findings: Iterable[Any] | None = None,
) -> list[dict[str, Any]]:
    """Stored findings with their verdicts, filtered by copying site (host or a parent
    domain), article id, verdict and the date found (``since`` inclusive, ``until``
    exclusive). ``findings`` defaults to the scan's stored findings
    (``services.scan.list_findings``)."""
    if findings is None:
        findings = _stored_findings(session, article=article, verdict=verdict)
    lo = _utc(as_moment(since)) if since else None
    hi = _utc(as_moment(until)) if until else None
    rows: list[dict[str, Any]] = []
    for item in findings:
        f: Finding = item if isinstance(item, Finding) else item.finding
        rec_id = getattr(item, "id", None)
        host = _host(f.page_url) or ""
        if site and not (host == site or host.endswith("." + site)):
            continue
        if article and f.article_id != article:
            continue
        if verdict and f.verdict != verdict:
            continue
        at = f.found_at or getattr(item, "found_at", None) or getattr(item, "fetched", None)
        if (lo or hi) and at is None:
            continue
        if lo and _utc(at) < lo:  # type: ignore[arg-type]
            continue
        if hi and _utc(at) >= hi:  # type: ignore[arg-type]
            continue
        row = {"id": rec_id, "site": host, **{k: v for k, v in f.to_json().items() if k != "spans"}}
        rows.append(row)
    return rows


def check_use(session: Session, article_id: str, *, domain: str, action: str = "reproduce",
              on: date | datetime | str | None = None, share: float | None = None,
              territory: str | None = None, purpose: str | None = None,
              channel: str | None = "web") -> dict[str, Any]:
    """What-if: may the site ``domain`` make this use of catalog article ``article_id`` on ``on``?
    The registry in force then is asked directly (no page, so no credit check)."""
    from newsrights.services.catalog import get_article_record

    if action not in ACTIONS:
        raise InputError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    rec = get_article_record(session, article_id)
    when = as_moment(on)
    reg = registry_on(session, when)
    party = reg.party_for_domain(domain)
    facts = AssetFacts(rec.id, uri=rec.uri, column=dict(rec.article.extra).get("column"),
                       marker=rec.ownership.marker, source=rec.article.source, published=rec.article.published)
    ev = evaluate(reg, facts, Use(action, party.uid if party else None, when, domain=domain,
                                  territory=territory, purpose=purpose, channel=channel, share=share))
    return {
        "article_id": rec.id, "ownership": rec.ownership.class_, "domain": domain,
        "party": party.to_json() if party else None, "action": action, "on": when.isoformat(),
        "outcome": ev.outcome, "policy": ev.policy_uid, "version": ev.policy_version,
        "failures": list(ev.failures), "reasons": list(ev.reasons), "notes": list(ev.notes),
        "duties": [d.action + (f" {d.credit_text}" if d.credit_text else "") for d in ev.duties],
        "registry_snapshot": reg.snapshot_id(),
    }


# --------------------------------------------------------------------------- inbound


@dataclass(frozen=True, slots=True)
class InboundCoverage:
    """Whether the publisher's own reprint of a third-party article is licensed."""

    article_id: str
    holder: str | None
    covered: bool
    evaluation: Evaluation | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        ev = self.evaluation
        return {
            "article_id": self.article_id, "holder": self.holder, "covered": self.covered,
            "policy": ev.policy_uid if ev else None, "version": ev.policy_version if ev else None,
            "reasons": list(self.reasons),
        }


def inbound_check(registry: Registry, article_id: str, article: Article, ownership: Ownership,
                  *, on: datetime | None = None) -> InboundCoverage:
    """Pure part of :func:`inbound_coverage`: evaluate the publisher's reprint (``reproduce``
    on its own domain, on the article's date) against inbound licences, whose assigner is
    the party named like the article's holder/source."""
    if ownership.class_ == "owned":
        return InboundCoverage(article_id, None, True, None, ("owned: the publisher's own article needs no licence",))
    holder = ownership.holder or article.source
    when = on or article.published or article.fetched or _now()
    source = next((p for p in registry.parties if holder and p.name == holder), None)
    facts = AssetFacts(article_id, uri=article.uri, source=holder, published=article.published)
    domain = registry.publisher.domains[0] if registry.publisher.domains else None
    use = Use("reproduce", registry.publisher.uid, when, domain=domain)
    ev = evaluate(registry, facts, use)
    if ev.outcome == "permitted":
        pv = next(v for v in registry.in_force(when).policies if v.policy.uid == ev.policy_uid)
        if source is None or pv.policy.assigner in (None, source.uid):
            duties = ", ".join(d.action + (f" {d.credit_text!r}" if d.credit_text else "") for d in ev.duties)
            return InboundCoverage(article_id, holder, True, ev,
                                   (*ev.reasons, f"duties: {duties or 'none'}"))
    why = ev.reasons or (f"no inbound licence from {holder}",)
    if source is None:
        why = (f"no_source_party: no party named {holder!r} in the registry", *why)
    return InboundCoverage(article_id, holder, False, ev, tuple(why))


def inbound_coverage(session: Session, article_id: str, *, on: date | datetime | str | None = None) -> InboundCoverage:
    """Is the publisher's own reprint of catalog article ``article_id`` covered by an inbound
    licence in force on the article's date (or ``on``)?"""
    from newsrights.services.catalog import get_article_record

    rec = get_article_record(session, article_id)
    when = as_moment(on) if on else as_moment(rec.article.published or rec.article.fetched)
    return inbound_check(registry_on(session, when), rec.id, rec.article, rec.ownership, on=when)


# --------------------------------------------------------------------------- sales


def _product(row: ProductRow) -> Product:
    return Product(row.id, row.name, row.kind, row.pricing, Decimal(row.price), row.currency,  # type: ignore[arg-type]
                   tuple(json.loads(row.selector)), tuple(json.loads(row.actions)), row.credit)


def add_product(factory: sessionmaker[Session], product: Product) -> Product:
    """Put a product on sale: stored, and its ODRL Offer registered (idempotent)."""
    if product.kind not in ("column", "feed", "article"):
        raise InputError(f"product kind must be column, feed or article, not {product.kind!r}")
    if product.pricing not in ("flat", "per_kchar"):
        raise InputError(f"pricing must be flat or per_kchar, not {product.pricing!r}")
    if product.price < 0:
        raise InputError("a price cannot be negative")
    if product.kind in ("column", "article") and not product.selector:
        raise InputError(f"a {product.kind} product needs at least one {product.kind} (--select)")
    with transaction(factory) as s:
        row = s.get(ProductRow, product.id)
        if row is None:
            s.add(ProductRow(id=product.id, name=product.name, kind=product.kind, pricing=product.pricing,
                             price=str(product.price), currency=product.currency,
                             selector=json.dumps(list(product.selector), ensure_ascii=False),
                             actions=json.dumps(list(product.actions)), credit=product.credit, created_at=_now()))
            _audit(s, "product.add", "licensing_product", product.id, None, product.to_json())
        elif _product(row) != product:
            raise InputError(f"product {product.id!r} exists with other terms; choose another id")
        put_policy(s, offer_policy(product, publisher(s)), valid_from=_now())
    return product


def list_products(session: Session) -> list[Product]:
    return [_product(r) for r in session.scalars(select(ProductRow).order_by(ProductRow.id))]


def sell(
    factory: sessionmaker[Session],
    product_id: str,
    licensee: str,
    *,
    start: date,
    end: date,
    domains: tuple[str, ...] = (),
    chars: int | None = None,
) -> tuple[PolicyVersion, Invoice]:
    """Sell a product: the Agreement (offer terms for ``licensee`` on ``domains`` from
    ``start`` to ``end``) is registered and an invoice is kept. Idempotent: selling the same
    terms again (same agreement, unchanged) returns the invoice already issued."""
    if end < start:
        raise InputError("the licence must end after it starts")
    with transaction(factory) as s:
        row = s.get(ProductRow, product_id)
        if row is None:
            raise InputError(f"no product {product_id!r} (see `newsrights sales products`)")
        product = _product(row)
        pub = publisher(s)
        party = find_party(s, licensee) or put_party(
            s, Party(f"urn:newsrights:party:{slug(licensee)}", licensee, "licensee", domains))
        if domains and not set(domains) <= set(party.domains):
            party = put_party(s, replace(party, domains=domains))
        try:
            amount = price_for(product, chars)
        except ValueError as exc:  # per 千字 without --chars, or a negative count: a usage error
            raise InputError(str(exc)) from exc
        n = (s.scalar(select(func.count()).select_from(InvoiceRow)) or 0) + 1
        number = f"INV-{start.year}-{n:05d}"
        uid = f"urn:newsrights:agreement:{slug(party.name)}-{product.id}-{start.isoformat()}"
        policy = agreement_from_offer(product, pub, party, uid=uid, start=start, end=end, domains=domains, amount=amount)
        pv, outcome = put_policy(s, policy, valid_from=start)
        if outcome == "unchanged":  # the same sale again (a rerun): its invoice, not a second one
            old = s.scalars(select(InvoiceRow).where(InvoiceRow.agreement_uid == uid).order_by(InvoiceRow.id)).first()
            if old is not None:
                return pv, Invoice(old.number, old.product_id, old.licensee_uid, old.agreement_uid, Decimal(old.amount),
                                   old.currency, old.chars, _utc(old.issued_at))
        inv = Invoice(number, product.id, party.uid, uid, amount, product.currency, chars, _now())
        s.add(InvoiceRow(number=number, product_id=product.id, licensee_uid=party.uid, agreement_uid=uid,
                         amount=str(amount), currency=product.currency, chars=chars, issued_at=inv.issued))
        _audit(s, "sale", "licensing_invoice", number, None, inv.to_json())
        return pv, inv


def list_invoices(session: Session, *, licensee: str | None = None) -> list[Invoice]:
    q = select(InvoiceRow).order_by(InvoiceRow.id)
    if licensee:
        party = find_party(session, licensee)
        q = q.where(InvoiceRow.licensee_uid == (party.uid if party else licensee))
    return [Invoice(r.number, r.product_id, r.licensee_uid, r.agreement_uid, Decimal(r.amount), r.currency,
                    r.chars, _utc(r.issued_at)) for r in session.scalars(q)]


def parse_price(text: str) -> Decimal:
    try:
        d = Decimal(text)
    except InvalidOperation as exc:
        raise InputError(f"not a price: {text!r}") from exc
    return d


# --------------------------------------------------------------------------- demo


def seed_demo_registry(factory: sessionmaker[Session]) -> list[str]:
    """The registry the demo's web (``newsrights.demo.corpus``) is judged against:

    * 合作伙伴新闻网 — reproduce on ``partner.example`` only (its mirror is another
      domain), 2026, credit 来源:国际在线;
    * 旧伙伴资讯 — reproduce on ``oldpartner.example``, expired 2026-06-30;
    * 新闻文摘网 — extract (摘编) up to 30 % of an article on ``digest.example``;
    * inbound: 辽宁日报 and 新华社 license the publisher to reprint their articles.

    Idempotent; returns the uids of the licences.
    """
    d = date
    licences = [
        LicenceTerms("合作伙伴新闻网", domains=("partner.example", "mirror.partner.example"),
                     licensed_domains=("partner.example",), start=d(2026, 1, 1), end=d(2026, 12, 31),
                     uid="urn:newsrights:agreement:partner-2026"),
        LicenceTerms("旧伙伴资讯", domains=("oldpartner.example",), start=d(2025, 7, 1), end=d(2026, 6, 30),
                     uid="urn:newsrights:agreement:oldpartner-2025"),
        LicenceTerms("新闻文摘网", domains=("digest.example",), actions=("extract",), max_share=30,
                     start=d(2026, 1, 1), end=d(2026, 12, 31), uid="urn:newsrights:agreement:digest-2026"),
        LicenceTerms("辽宁日报", domains=("lnd.com.cn",), inbound=True, start=d(2021, 1, 1), end=d(2030, 12, 31),
                     credit="来源:辽宁日报", uid="urn:newsrights:inbound:lnd"),
        LicenceTerms("新华社", domains=("news.cn", "xinhuanet.com"), inbound=True, start=d(2020, 1, 1),
                     end=d(2030, 12, 31), credit="来源:新华社", uid="urn:newsrights:inbound:xinhua"),
    ]
    uids = []
    for t in licences:
        pv, _ = add_licence(factory, t, effective=t.start)
        uids.append(pv.policy.uid)
    return uids
