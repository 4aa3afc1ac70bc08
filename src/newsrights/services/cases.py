"""Cases: opened from findings, moved through the state machine, with costs, notices and damages.

* :func:`open_cases` groups findings by the copying site's registered domain (``tld``'s
  first-level domain: ``news.example.com.cn`` → ``example.com.cn``) — one site operator, one
  case — and adds them to that site's open case or opens a new one.
* :func:`move_case` applies :func:`newsrights.core.cases.move` (illegal moves raise
  :class:`~newsrights.errors.IllegalTransition`) and records the dated, signed event.
* :func:`add_cost` books a cost with its receipt (the file is stored under
  ``<home>/receipts/<sha256>`` and its digest recorded).
* :func:`make_notice` renders a notice (zh/en) from the case's findings, the catalog's
  articles, the case's evidence packages and the right holder's details, and keeps it.
* :func:`damages` estimates damages as ranges with their basis and the limitation warning.
* :func:`repeat_offenders` lists sites with two or more cases, or a reopened case.
* :func:`open_case_with_evidence` — the demo hook: a case on one finding with a verified package.

Every change writes an audit row (:mod:`newsrights.services.audit`) in the same transaction.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from newsrights.core import cases as machine
from newsrights.core import damages as dmg
from newsrights.core import notices as nt
from newsrights.core.model import CHINA_TZ
from newsrights.errors import InputError
from newsrights.services import audit
from newsrights.settings import Settings
from newsrights.storage.db import transaction
from newsrights.storage.tables.cases import (
    CaseEventRow,
    CaseFindingRow,
    CaseRow,
    CostRow,
    EvidencePackageRow,
    NoticeRow,
)


class CaseNotFound(InputError):
    """No case with that id."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def china_today() -> date:
    """Today's calendar day in China (limitation days are China days, not UTC days)."""
    return now_utc().astimezone(CHINA_TZ).date()


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _utc(dt: datetime) -> datetime:
    """UTC for storage (SQLite keeps no offset)."""
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC)


def site_of(url: str) -> str:
    """The registered domain of ``url`` (host for IPs and single-label hosts); a local file or
    other non-web origin is its own site (``file:<path>``)."""
    from tld import get_fld

    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return f"{parts.scheme}:{parts.path or url}"  # e.g. file:… — no operator to group by
    if not parts.scheme and (url.startswith(("/", ".")) or "\\" in url):
        return f"file:{url}"
    host = (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()
    if not host:
        raise InputError(f"cannot tell the site of {url!r}")
    fld = get_fld(f"http://{host}", fail_silently=True)
    if fld:
        return str(fld)
    labels = host.split(".")
    if len(labels) > 2 and not host.replace(".", "").isdigit() and ":" not in host:
        return ".".join(labels[-2:])  # unlisted suffix (e.g. RFC 2606 .example): last two labels
    return host


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class CaseInfo:
    id: int
    site: str
    title: str
    state: str
    outcome: str | None
    reminders: int
    reopened: int
    opened_by: str
    opened_at: datetime
    updated_at: datetime
    known_since: datetime
    findings: tuple[dict[str, Any], ...] = ()
    events: tuple[dict[str, Any], ...] = ()
    costs: tuple[dict[str, Any], ...] = ()
    notices: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    legal_moves: tuple[str, ...] = field(default=())

    @property
    def status(self) -> machine.CaseStatus:
        return machine.CaseStatus(self.state, self.outcome, self.reminders, self.reopened)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "title": self.title,
            "state": self.state,
            "outcome": self.outcome,
            "reminders": self.reminders,
            "reopened": self.reopened,
            "opened_by": self.opened_by,
            "opened_at": self.opened_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "known_since": self.known_since.isoformat(),
            "findings": list(self.findings),
            "events": list(self.events),
            "costs": list(self.costs),
            "notices": list(self.notices),
            "evidence": list(self.evidence),
            "legal_moves": list(self.legal_moves),
        }


def _snapshot(row: CaseRow) -> dict[str, Any]:
    return {"site": row.site, "title": row.title, "state": row.state, "outcome": row.outcome,
            "reminders": row.reminders, "reopened": row.reopened}


def _case_row(session: Session, case_id: int, *, lock: bool = False) -> CaseRow:
    q = select(CaseRow).where(CaseRow.id == case_id)
    if lock:
        q = q.with_for_update()
    row = session.scalars(q).first()
    if row is None:
        raise CaseNotFound(f"no case {case_id} (see `newsrights cases list`)")
    return row


def _cost_json(c: CostRow) -> dict[str, Any]:
    return {"id": c.id, "kind": c.kind, "label": dmg.COST_KINDS.get(c.kind, c.kind),
            "amount_yuan": str(Decimal(c.amount_fen) / 100), "currency": c.currency,
            "incurred_on": _aware(c.incurred_on).date().isoformat(),  # type: ignore[union-attr]
            "description": c.description, "receipt_name": c.receipt_name, "receipt_sha256": c.receipt_sha256,
            "receipt_path": c.receipt_path, "actor": c.actor}


def _info(session: Session, row: CaseRow, *, detail: bool = True, max_reminders: int = machine.DEFAULT_MAX_REMINDERS) -> CaseInfo:
    findings: tuple[dict[str, Any], ...] = ()
    events: tuple[dict[str, Any], ...] = ()
    costs: tuple[dict[str, Any], ...] = ()
    notices: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    if detail:
        findings = tuple(
            {"finding_id": f.finding_id, "page_url": f.page_url, "article_id": f.article_id,
             "added_by": f.added_by, "added_at": _aware(f.added_at).isoformat()}  # type: ignore[union-attr]
            for f in session.scalars(select(CaseFindingRow).where(CaseFindingRow.case_id == row.id)
                                     .order_by(CaseFindingRow.id))
        )
        events = tuple(
            machine.CaseEvent(e.action, e.from_state, e.to_state, e.actor, _aware(e.at), e.outcome,  # type: ignore[arg-type]
                              e.note).to_json()
            for e in session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == row.id)
                                     .order_by(CaseEventRow.id))
        )
        costs = tuple(_cost_json(c) for c in session.scalars(
            select(CostRow).where(CostRow.case_id == row.id).order_by(CostRow.id)))
        notices = tuple(
            {"id": n.id, "kind": n.kind, "language": n.language, "recipient": n.recipient,
             "fee_yuan": str(Decimal(n.fee_fen) / 100) if n.fee_fen is not None else None,
             "sha256": n.sha256, "actor": n.actor, "created_at": _aware(n.created_at).isoformat()}  # type: ignore[union-attr]
            for n in session.scalars(select(NoticeRow).where(NoticeRow.case_id == row.id).order_by(NoticeRow.id))
        )
        from newsrights.services.evidence import _pkg

        evidence = tuple(_pkg(p).to_json() for p in session.scalars(
            select(EvidencePackageRow).where(EvidencePackageRow.case_id == row.id).order_by(EvidencePackageRow.id)))
    status = machine.CaseStatus(row.state, row.outcome, row.reminders, row.reopened)
    return CaseInfo(
        id=row.id, site=row.site, title=row.title, state=row.state, outcome=row.outcome,
        reminders=row.reminders, reopened=row.reopened, opened_by=row.opened_by,
        opened_at=_aware(row.opened_at), updated_at=_aware(row.updated_at),  # type: ignore[arg-type]
        known_since=_aware(row.known_since),  # type: ignore[arg-type]
        findings=findings, events=events, costs=costs, notices=notices, evidence=evidence,
        legal_moves=tuple(machine.legal_moves(status, max_reminders)),
    )


# --------------------------------------------------------------------------- opening and moving


@dataclass
class OpenReport:
    cases: list[CaseInfo] = field(default_factory=list)
    already_in_case: dict[int, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"cases": [c.to_json() for c in self.cases],
                "already_in_case": {str(k): v for k, v in self.already_in_case.items()}}


def _record_event(session: Session, row: CaseRow, ev: machine.CaseEvent) -> None:
    session.add(CaseEventRow(case_id=row.id, action=ev.action, from_state=ev.from_state, to_state=ev.to_state,
                             outcome=ev.outcome, actor=ev.actor, at=ev.at, note=ev.note))


def open_cases(
    factory: sessionmaker[Session],
    finding_ids: list[int],
    *,
    actor: str,
    title: str = "",
    at: datetime | None = None,
) -> OpenReport:
    """Attach findings to their site's open case, opening one per site where none is open.

    A finding already held by a case is reported in ``already_in_case`` and left there.
    """
    from newsrights.services.evidence import finding_facts

    if not finding_ids:
        raise InputError("open a case from at least one finding id")
    at = _utc(at or now_utc())
    report = OpenReport()
    with transaction(factory) as session:
        by_site: dict[str, list[tuple[int, Any]]] = {}
        for fid in dict.fromkeys(finding_ids):
            held = session.scalars(select(CaseFindingRow).where(CaseFindingRow.finding_id == fid)).first()
            if held is not None:
                report.already_in_case[fid] = held.case_id
                continue
            finding, rec = finding_facts(session, fid)
            page_url = getattr(rec, "page_url", None) or finding.page_url
            by_site.setdefault(site_of(page_url), []).append((fid, (finding, page_url)))
        touched: list[int] = []
        for site, items in sorted(by_site.items()):
            row = session.scalars(
                select(CaseRow).where(CaseRow.site == site, CaseRow.state != "closed").order_by(CaseRow.id)
            ).first()
            found = [_utc(f.found_at or at) for _, (f, _) in items]
            if row is None:
                status, ev = machine.open_case(actor, at)
                row = CaseRow(site=site, title=title or f"Unlicensed copies on {site}", state=status.state,
                              outcome=None, reminders=0, reopened=0, opened_by=ev.actor, opened_at=at,
                              updated_at=at, known_since=min(found))
                session.add(row)
                session.flush()
                _record_event(session, row, ev)
                audit.record(session, actor=actor, action="open", entity="case", entity_id=row.id,
                             before=None, after=_snapshot(row))
            elif min(found) < _aware(row.known_since):  # type: ignore[operator]
                row.known_since = min(found)
            for fid, (finding, page_url) in items:
                session.add(CaseFindingRow(case_id=row.id, finding_id=fid, page_url=page_url,
                                           article_id=finding.article_id, added_by=actor, added_at=at))
                audit.record(session, actor=actor, action="add_finding", entity="case", entity_id=row.id,
                             before=None, after={"finding_id": fid, "page_url": page_url,
                                                 "article_id": finding.article_id})
            row.updated_at = at
            touched.append(row.id)
        session.flush()
        report.cases = [_info(session, _case_row(session, cid)) for cid in touched]
    return report


def move_case(
    factory: sessionmaker[Session],
    case_id: int,
    to: str,
    *,
    actor: str,
    outcome: str | None = None,
    note: str = "",
    at: datetime | None = None,
    max_reminders: int = machine.DEFAULT_MAX_REMINDERS,
) -> CaseInfo:
    """Move a case (``to`` = a state, ``remind`` or ``reopen``); the event is dated and signed."""
    at = _utc(at or now_utc())
    with transaction(factory) as session:
        row = _case_row(session, case_id, lock=True)
        before = _snapshot(row)
        status = machine.CaseStatus(row.state, row.outcome, row.reminders, row.reopened)
        new, ev = machine.move(status, to, actor=actor, at=at, outcome=outcome, note=note,
                               max_reminders=max_reminders)
        row.state, row.outcome, row.reminders, row.reopened = new.state, new.outcome, new.reminders, new.reopened
        row.updated_at = at
        _record_event(session, row, ev)
        audit.record(session, actor=actor, action=ev.action, entity="case", entity_id=row.id,
                     before=before, after=_snapshot(row))
        session.flush()
        return _info(session, row, max_reminders=max_reminders)


def get_case(session: Session, case_id: int) -> CaseInfo:
    return _info(session, _case_row(session, case_id))


def list_cases(session: Session, *, state: str | None = None, site: str | None = None) -> list[CaseInfo]:
    q = select(CaseRow).order_by(CaseRow.id)
    if state:
        q = q.where(CaseRow.state == state)
    if site:
        q = q.where(CaseRow.site == site)
    return [_info(session, r, detail=False) for r in session.scalars(q)]


def repeat_offenders(session: Session) -> list[dict[str, Any]]:
    """Sites with two or more cases, or with a reopened case (most cases first)."""
    rows = session.execute(
        select(CaseRow.site, func.count(CaseRow.id), func.sum(CaseRow.reopened)).group_by(CaseRow.site)
    ).all()
    out = [
        {"site": site, "cases": int(n), "reopened": int(r or 0)}
        for site, n, r in rows
        if machine.is_repeat_offender(int(n), int(r or 0))
    ]
    return sorted(out, key=lambda d: (-d["cases"], -d["reopened"], d["site"]))


# --------------------------------------------------------------------------- costs


def parse_yuan(amount: str | int | float | Decimal) -> int:
    """An amount in yuan (``"1234.5"``) as fen; refuses negatives and sub-fen precision."""
    try:
        d = Decimal(str(amount))
    except InvalidOperation as exc:
        raise InputError(f"not an amount of money: {amount!r}") from exc
    if d < 0 or d != d.quantize(Decimal("0.01")):
        raise InputError(f"amounts are positive yuan with at most 2 decimals, not {amount!r}")
    return int(d * 100)


def add_cost(
    factory: sessionmaker[Session],
    case_id: int,
    *,
    kind: str,
    amount_yuan: str | int | float | Decimal,
    actor: str,
    incurred_on: date | None = None,
    description: str = "",
    receipt: Path | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Book a cost on a case; the receipt file is copied into the store and hashed."""
    if kind not in dmg.COST_KINDS:
        raise InputError(f"unknown cost kind {kind!r}; one of {', '.join(dmg.COST_KINDS)}")
    fen = parse_yuan(amount_yuan)
    receipt_name = receipt_sha = receipt_path = None
    if receipt is not None:
        receipt = Path(receipt)
        if not receipt.is_file():
            raise InputError(f"receipt {receipt} is not a file")
        data = receipt.read_bytes()
        receipt_sha = hashlib.sha256(data).hexdigest()
        store = (settings or Settings.from_env()).home / "receipts"
        store.mkdir(parents=True, exist_ok=True)
        dest = store / (receipt_sha + receipt.suffix.lower())
        if not dest.exists():
            tmp = dest.with_suffix(dest.suffix + f".{os.getpid()}.part")
            shutil.copyfile(receipt, tmp)
            tmp.replace(dest)
        receipt_name, receipt_path = receipt.name, str(dest)
    now = now_utc()
    on = incurred_on or now.date()
    with transaction(factory) as session:
        row = _case_row(session, case_id)
        c = CostRow(case_id=row.id, kind=kind, amount_fen=fen, currency="CNY",
                    incurred_on=datetime(on.year, on.month, on.day, tzinfo=UTC), description=description,
                    receipt_name=receipt_name, receipt_sha256=receipt_sha, receipt_path=receipt_path,
                    actor=actor, created_at=now)
        session.add(c)
        session.flush()
        out = _cost_json(c)
        audit.record(session, actor=actor, action="add_cost", entity="case", entity_id=row.id,
                     before=None, after=out)
    return out


def cost_ledger(session: Session, case_id: int) -> dict[str, Any]:
    """The case's costs with totals per kind (yuan, as strings to stay exact)."""
    _case_row(session, case_id)
    rows = list(session.scalars(select(CostRow).where(CostRow.case_id == case_id).order_by(CostRow.id)))
    per: Counter[str] = Counter()
    for r in rows:
        per[r.kind] += r.amount_fen
    total = sum(per.values())
    return {"case_id": case_id, "costs": [_cost_json(r) for r in rows],
            "by_kind": {k: str(Decimal(v) / 100) for k, v in sorted(per.items())},
            "total_yuan": str(Decimal(total) / 100), "total_fen": total}


# --------------------------------------------------------------------------- damages


def _case_works(session: Session, case_id: int) -> list[tuple[str, int, int, Any]]:
    """(article id, characters, copies, article record) for the case's articles."""
    from newsrights.services import catalog

    fids = list(session.scalars(select(CaseFindingRow).where(CaseFindingRow.case_id == case_id)))
    copies = Counter(f.article_id for f in fids)
    out = []
    for aid, n in sorted(copies.items()):
        rec = catalog.get_article_record(session, aid)
        out.append((aid, dmg.count_characters(rec.article.text), n, rec))
    return out


def damages(
    session: Session,
    case_id: int,
    *,
    gain_yuan: str | None = None,
    wilful: bool = False,
    today: date | None = None,
    warn_days: int = 90,
) -> dict[str, Any]:
    """Damages estimate (ranges with basis) plus the limitation status of the case."""
    row = _case_row(session, case_id)
    works = _case_works(session, case_id)
    ledger = cost_ledger(session, case_id)
    est = dmg.estimate([(chars, n) for _, chars, n, _ in works], costs_fen=ledger["total_fen"],
                       gain_fen=parse_yuan(gain_yuan) if gain_yuan is not None else None, wilful=wilful)
    lim = dmg.limitation_status(_aware(row.known_since), today or china_today(), warn_days=warn_days)  # type: ignore[arg-type]
    return {"case_id": case_id, "site": row.site,
            "works": [{"article_id": a, "characters": c, "copies": n} for a, c, n, _ in works],
            "estimate": est.to_json(), "limitation": lim.to_json()}


def limitation_warnings(session: Session, *, today: date | None = None, warn_days: int = 90) -> list[dict[str, Any]]:
    """Open cases whose 3-year limitation ends within ``warn_days`` (or has ended)."""
    out = []
    for row in session.scalars(select(CaseRow).where(CaseRow.state != "closed").order_by(CaseRow.id)):
        lim = dmg.limitation_status(_aware(row.known_since), today or china_today(), warn_days=warn_days)  # type: ignore[arg-type]
        if lim.warning:
            out.append({"case_id": row.id, "site": row.site, **lim.to_json()})
    return out


# --------------------------------------------------------------------------- notices


@dataclass(frozen=True, slots=True)
class RightHolder:
    name: str
    contact: str = ""
    address: str = ""
    credit_line: str = ""


def right_holder(settings: Settings | None = None) -> RightHolder:
    """The right holder's details: ``<home>/rightholder.toml`` (name, contact, address,
    credit_line), else the holder and credit line of the packaged publisher declaration (no
    contact or address: platform complaints then refuse until they are configured)."""
    from newsrights.core.declaration import publisher_declaration

    decl = publisher_declaration()
    base = RightHolder(name=decl.rights_manager or decl.holder or decl.site or "", credit_line=decl.credit_line or "")
    path = (settings or Settings.from_env()).home / "rightholder.toml"
    if path.is_file():
        with path.open("rb") as fh:
            d = tomllib.load(fh)
        return RightHolder(name=d.get("name", base.name), contact=d.get("contact", ""),
                           address=d.get("address", ""), credit_line=d.get("credit_line", base.credit_line))
    return base


def make_notice(
    factory: sessionmaker[Session],
    case_id: int,
    *,
    kind: str,
    language: str,
    actor: str,
    holder: RightHolder | None = None,
    recipient: str | None = None,
    rate_yuan_per_k: str = "100",
    respond_days: int = 15,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Render and keep a notice for a case. The licence fee is Σ 千字 × rate over the case's works."""
    holder = holder or right_holder(settings)
    rate_fen = parse_yuan(rate_yuan_per_k)
    now = now_utc()
    with transaction(factory) as session:
        row = _case_row(session, case_id)
        works = _case_works(session, case_id)
        urls = tuple(dict.fromkeys(f.page_url for f in session.scalars(
            select(CaseFindingRow).where(CaseFindingRow.case_id == case_id).order_by(CaseFindingRow.id))))
        pkgs = list(session.scalars(select(EvidencePackageRow).where(EvidencePackageRow.case_id == case_id)
                                    .order_by(EvidencePackageRow.id)))
        fee = sum(dmg.licence_fee_fen(chars, rate_fen) * n for _, chars, n, _ in works)
        units = sum(dmg.thousand_char_units(chars) * n for _, chars, n, _ in works)
        basis = (f"{units:g} 千字 × {Decimal(rate_fen) / 100} 元/千字 (使用文字作品支付报酬办法 2014; "
                 "不足五百字按千字作半计算，超过五百字不足千字按千字计算)")
        data = nt.NoticeData(
            kind=kind, language=language, rightholder_name=holder.name, recipient=recipient or row.site,
            works=tuple(nt.Work(rec.article.title or rec.uri, rec.article.url or rec.uri,
                                rec.article.published.date() if rec.article.published else None, chars)
                        for _, chars, _, rec in works),
            infringing_urls=urls, rightholder_contact=holder.contact, rightholder_address=holder.address,
            proof=tuple(nt.Proof(Path(p.path).name, p.file_sha256,
                                 "WACZ evidence package (signed" + (", RFC 3161 time-stamped)" if p.timestamped else ")"))
                        for p in pkgs),
            fee_fen=fee if kind == "licence_offer" else None, fee_basis=basis if kind == "licence_offer" else "",
            respond_days=respond_days, case_ref=f"case-{row.id}", issued_on=now.astimezone(CHINA_TZ).date(),
            signatory=actor, credit_line=holder.credit_line,
        )
        body = nt.render(data)
        n = NoticeRow(case_id=row.id, kind=kind, language=language, recipient=data.recipient,
                      fee_fen=data.fee_fen, body=body, sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
                      actor=actor, created_at=now)
        session.add(n)
        session.flush()
        out = {"id": n.id, "case_id": row.id, "kind": kind, "language": language, "recipient": n.recipient,
               "fee_yuan": str(Decimal(fee) / 100) if data.fee_fen is not None else None,
               "sha256": n.sha256, "body": body}
        audit.record(session, actor=actor, action="make_notice", entity="case", entity_id=row.id, before=None,
                     after={k: v for k, v in out.items() if k != "body"})
    return out


def get_notice(session: Session, notice_id: int) -> dict[str, Any]:
    n = session.get(NoticeRow, notice_id)
    if n is None:
        raise InputError(f"no notice {notice_id}")
    return {"id": n.id, "case_id": n.case_id, "kind": n.kind, "language": n.language, "recipient": n.recipient,
            "fee_yuan": str(Decimal(n.fee_fen) / 100) if n.fee_fen is not None else None, "sha256": n.sha256,
            "body": n.body, "actor": n.actor, "created_at": _aware(n.created_at).isoformat()}  # type: ignore[union-attr]


# --------------------------------------------------------------------------- demo hook


def worst_unlicensed_finding(session: Session) -> int | None:
    """The unlicensed finding to pursue first: a whole copy before an excerpt, then the highest
    share of the article reused, then the earliest found (ids break ties). None if there is none."""
    from newsrights.services.scan import list_findings

    best: tuple[tuple[int, float, float, int], int] | None = None
    offset = 0
    while True:
        batch = list_findings(session, verdict="unlicensed", limit=500, offset=offset)
        for r in batch:
            f = r.finding
            found = _aware(r.found_at) or now_utc()
            key = (1 if f.label == "whole" else 0, f.article_coverage, -found.timestamp(), -r.id)
            if best is None or key > best[0]:
                best = (key, r.id)
        if len(batch) < 500:
            return best[1] if best else None
        offset += 500


def open_case_with_evidence(
    factory: sessionmaker[Session],
    finding_id: int,
    actor: str,
    *,
    settings: Settings | None = None,
    tsa_url: str | None = None,
) -> dict[str, Any]:
    """Open (or join) the case of one finding, build its evidence package, move the case to
    ``evidence_captured`` and return the case, the package and its verification.

    ``newsrights demo`` calls it with :func:`worst_unlicensed_finding`."""
    from newsrights.services.evidence import build_evidence

    rep = open_cases(factory, [finding_id], actor=actor)
    case_id = rep.cases[0].id if rep.cases else rep.already_in_case[finding_id]
    pkg, verification = build_evidence(factory, finding_id, actor=actor, settings=settings, tsa_url=tsa_url,
                                       case_id=case_id)
    with transaction(factory) as session:
        state = _case_row(session, case_id).state
    if state == "detected":
        move_case(factory, case_id, "evidence_captured", actor=actor, note=f"evidence package {pkg.id}")
    with transaction(factory) as session:
        info = get_case(session, case_id)
    return {"case": info.to_json(), "package": pkg.to_json(), "verification": verification.to_json()}
