# ruff: noqa: B008  (Typer declares options as argument defaults)
"""CLI of the act area: ``newsrights cases|evidence|notices|costs|claims|audit …``.

Every command that changes something takes ``--actor`` (default ``$NEWSRIGHTS_USER``, else the
login name): each step is signed by its user and lands in the audit log. ``--json`` prints
data on stdout; messages go to stderr. Exit codes: 0 done, 2 usage/config error, 3 failed
(an illegal case move, a package that does not verify).
"""

from __future__ import annotations

import getpass
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from newsrights.cli.common import DbOption, console, print_json, settings

EXIT_FAILED = 3


def _actor_default() -> str:
    try:
        return os.environ.get("NEWSRIGHTS_USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


ActorOption = typer.Option(None, "--actor", envvar="NEWSRIGHTS_USER",
                           help="Who signs this step (default: $NEWSRIGHTS_USER or the login name).")
JsonOption = typer.Option(False, "--json", help="Print JSON on stdout.")


def _factory(db: str | None):  # type: ignore[no-untyped-def]
    from newsrights.storage.db import open_db

    return open_db(settings(db).db_url)


def _when(text: str | None) -> datetime | date | None:
    if text is None:
        return None
    from newsrights.errors import InputError

    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"not an ISO date or date-time: {text!r} (e.g. 2024-05-01 or 2024-05-01T09:30+08:00)") from exc


def _out(obj: Any, as_json: bool, human: str) -> None:
    if as_json:
        print_json(obj)
    else:
        typer.echo(human)


def _case_line(c: dict[str, Any]) -> str:
    st = c["state"] + (f" ({c['outcome']})" if c.get("outcome") else "")
    return f"case {c['id']} {c['site']}: {st}, reminders {c['reminders']}, reopened {c['reopened']} — {c['title']}"


def _case_text(c: dict[str, Any]) -> str:
    lines = [_case_line(c)]
    for f in c.get("findings", []):
        lines.append(f"  finding {f['finding_id']}: {f['page_url']!r} copies {f['article_id']}")
    for e in c.get("events", []):
        lines.append(f"  {e['at']} {e['actor']}: {e['action']} {e['from_state'] or '-'} -> {e['to_state']}"
                     + (f" ({e['outcome']})" if e["outcome"] else "") + (f" — {e['note']!r}" if e["note"] else ""))
    for p in c.get("evidence", []):
        lines.append(f"  evidence {p['id']}: {p['path']} sha256 {p['file_sha256'][:16]}…")
    for n in c.get("notices", []):
        lines.append(f"  notice {n['id']}: {n['kind']}/{n['language']} to {n['recipient']!r}")
    for k in c.get("costs", []):
        lines.append(f"  cost {k['id']}: {k['label']} {k['amount_yuan']} CNY")
    if c.get("legal_moves"):
        lines.append("  next: " + ", ".join(c["legal_moves"]))
    return "\n".join(lines)


def register(app: typer.Typer) -> None:  # noqa: C901 - one nested function per command
    """Add this area's commands to the root app."""
    cases = typer.Typer(help="Infringement cases: open from findings, move, damages, repeat offenders.",
                        no_args_is_help=True)
    evidence = typer.Typer(help="Evidence packages (WACZ): build, verify offline, list.", no_args_is_help=True)
    notices = typer.Typer(help="Notices to sites and complaints to platforms (zh/en).", no_args_is_help=True)
    costs = typer.Typer(help="Cost ledger of a case, with receipts.", no_args_is_help=True)
    claims = typer.Typer(help="Inbound claims (declaration clause 5) and their deadlines.", no_args_is_help=True)
    audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
    for sub, name in ((cases, "cases"), (evidence, "evidence"), (notices, "notices"), (costs, "costs"),
                      (claims, "claims"), (audit_app, "audit")):
        app.add_typer(sub, name=name)

    # ------------------------------------------------------------------ cases
    @cases.command("open")
    def cases_open(
        finding_ids: list[int] = typer.Argument(..., help="Finding ids (grouped into one case per site)."),
        title: str = typer.Option("", "--title"),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Open cases from findings: one per site operator (registered domain), joining an open one."""
        from newsrights.services.cases import open_cases

        rep = open_cases(_factory(db), finding_ids, actor=actor or _actor_default(), title=title)
        d = rep.to_json()
        human = "\n".join(_case_text(c) for c in d["cases"])
        for fid, cid in rep.already_in_case.items():
            human += f"\nfinding {fid} is already in case {cid}"
        _out(d, as_json, human.strip())

    @cases.command("list")
    def cases_list(
        state: str | None = typer.Option(None, "--state"),
        site: str | None = typer.Option(None, "--site"),
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """List cases."""
        from newsrights.services.cases import list_cases
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            items = [c.to_json() for c in list_cases(s, state=state, site=site)]
        _out(items, as_json, "\n".join(_case_line(c) for c in items) or "no cases")

    @cases.command("show")
    def cases_show(case_id: int, db: str | None = DbOption, as_json: bool = JsonOption) -> None:
        """A case with its findings, signed events, evidence, notices and costs."""
        from newsrights.services.cases import get_case
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            c = get_case(s, case_id).to_json()
        _out(c, as_json, _case_text(c))

    @cases.command("move")
    def cases_move(
        case_id: int,
        to: str = typer.Argument(..., help="evidence_captured, reviewed, notice_sent, platform_complaint, "
                                 "settlement_offered, litigation, closed, remind or reopen."),
        outcome: str | None = typer.Option(None, "--outcome", help="With closed: settled, withdrawn, won, lost."),
        note: str = typer.Option("", "--note"),
        max_reminders: int = typer.Option(3, "--max-reminders"),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Move a case one step (illegal moves are refused with exit code 3)."""
        from newsrights.services.cases import move_case

        c = move_case(_factory(db), case_id, to, actor=actor or _actor_default(), outcome=outcome, note=note,
                      max_reminders=max_reminders).to_json()
        _out(c, as_json, _case_text(c))

    @cases.command("repeat-offenders")
    def cases_repeat(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
        """Sites with two or more cases, or a reopened case."""
        from newsrights.services.cases import repeat_offenders
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            rows = repeat_offenders(s)
        _out(rows, as_json, "\n".join(f"{r['site']}: {r['cases']} cases, reopened {r['reopened']}" for r in rows)
             or "no repeat offenders")

    @cases.command("damages")
    def cases_damages(
        case_id: int,
        gain: str | None = typer.Option(None, "--gain", help="The infringer's gain in yuan, where known."),
        wilful: bool = typer.Option(False, "--wilful", help="Wilful infringement (1–5×)."),
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Damages estimate as ranges with their basis, and the limitation status."""
        from newsrights.services.cases import damages
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            d = damages(s, case_id, gain_yuan=gain, wilful=wilful)
        e = d["estimate"]
        lines = [f"case {case_id} ({d['site']}): claim {e['claim_low_yuan']:,.2f}–{e['claim_high_yuan']:,.2f} CNY "
                 f"+ costs {e['reasonable_costs_yuan']:,.2f} = {e['total_low_yuan']:,.2f}–{e['total_high_yuan']:,.2f} CNY"]
        lines += [f"  {b['name']}: {b['low_yuan']:,.2f}–{b['high_yuan']:,.2f} — {b['basis']}" for b in e["bases"]]
        lim = d["limitation"]
        lines.append(f"  limitation ends {lim['expires_on']} ({lim['days_left']} days)"
                     + (f" — WARNING: {lim['warning']}" if lim["warning"] else ""))
        _out(d, as_json, "\n".join(lines))

    @cases.command("limitation")
    def cases_limitation(
        warn_days: int = typer.Option(90, "--warn-days"),
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Open cases whose 3-year limitation (Civil Code Art. 188) ends soon or has ended."""
        from newsrights.services.cases import limitation_warnings
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            rows = limitation_warnings(s, warn_days=warn_days)
        _out(rows, as_json, "\n".join(f"case {r['case_id']} {r['site']}: {r['warning']}" for r in rows)
             or "no limitation warnings")

    @cases.command("open-with-evidence")
    def cases_open_with_evidence(
        finding_id: int | None = typer.Argument(None, help="Finding id (default: the worst unlicensed copy)."),
        tsa: str | None = typer.Option(None, "--tsa", help="RFC 3161 time-stamping authority URL."),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Open the case of one finding (default: the worst unlicensed copy) with a verified evidence package."""
        from newsrights.errors import InputError
        from newsrights.services.cases import open_case_with_evidence, worst_unlicensed_finding
        from newsrights.storage.db import transaction

        st = settings(db)
        factory = _factory(db)
        if finding_id is None:
            with transaction(factory) as s:
                finding_id = worst_unlicensed_finding(s)
            if finding_id is None:
                raise InputError("no unlicensed finding to open a case on (scan some pages first)")
        d = open_case_with_evidence(factory, finding_id, actor or _actor_default(), settings=st, tsa_url=tsa)
        _out(d, as_json, _case_text(d["case"]) + f"\nevidence: {d['package']['path']} (verifies: {d['verification']['ok']})")

    # ------------------------------------------------------------------ evidence
    @evidence.command("build")
    def evidence_build(
        finding_ids: list[int] = typer.Argument(..., help="Finding ids."),
        tsa: str | None = typer.Option(None, "--tsa", help="RFC 3161 time-stamping authority URL."),
        case_id: int | None = typer.Option(None, "--case", help="Attach the packages to this case."),
        out: Path | None = typer.Option(None, "--out", help="Folder (default $NEWSRIGHTS_HOME/evidence)."),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Build a signed (optionally time-stamped) WACZ evidence package per finding."""
        from newsrights.services.evidence import build_evidence

        st = settings(db)
        factory = _factory(db)
        results = []
        for fid in finding_ids:
            pkg, rep = build_evidence(factory, fid, actor=actor or _actor_default(), settings=st, tsa_url=tsa,
                                      case_id=case_id, out_dir=out)
            results.append({**pkg.to_json(), "verification": rep.to_json()})
            console.print(f"finding {fid}: {pkg.path}")
        _out(results, as_json, "\n".join(f"{r['path']} sha256 {r['file_sha256']}" for r in results))

    @evidence.command("verify")
    def evidence_verify(
        file: Path = typer.Argument(..., help="A .wacz evidence package."),
        key_sha256: str | None = typer.Option(
            None, "--key-sha256",
            help="Require this signing key (sha256 of its DER). Default: this installation's evidence key, if any."),
        any_key: bool = typer.Option(
            False, "--any-key", help="Accept a signature by whatever key the package carries (checks integrity only)."),
        tsa_cert: list[Path] = typer.Option([], "--tsa-cert", help="Trusted TSA certificate (PEM or DER)."),
        require_timestamp: bool = typer.Option(False, "--require-timestamp"),
        as_json: bool = JsonOption,
    ) -> None:
        """Check a package offline; name exactly what fails. Exit 3 when it does not verify.

        The signature must be by this installation's evidence key (``$NEWSRIGHTS_HOME/keys``)
        or the one named with ``--key-sha256``: a package re-signed by anyone else fails on
        ``signer_key``. Elsewhere, without that key, pass ``--key-sha256`` (or ``--any-key``)."""
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        from newsrights.evidence.signing import KEY_FILE, load_or_create_key
        from newsrights.evidence.verify import verify_package
        from newsrights.settings import Settings

        if key_sha256 is None and not any_key:
            keys_dir = Settings.from_env().keys_dir
            if (keys_dir / KEY_FILE).exists():
                key_sha256 = load_or_create_key(keys_dir).fingerprint
            else:
                console.print("note: no installation key here and no --key-sha256: the signature is checked "
                              "against the key inside the package (integrity, not who signed it)")

        trusted = None
        if tsa_cert:
            trusted = []
            for p in tsa_cert:
                data = p.read_bytes()
                cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
                trusted.append(cert.public_bytes(Encoding.DER))
        rep = verify_package(file, trusted_key_sha256=key_sha256, trusted_tsa_certs=trusted,
                             require_timestamp=require_timestamp)
        if as_json:
            print_json(rep.to_json())
        else:
            for c in rep.checks:
                typer.echo(f"{'ok  ' if c.ok else 'FAIL'} {c.part}" + (f": {c.detail}" if c.detail else ""))
            typer.echo(f"{file}: {'verifies' if rep.ok else 'DOES NOT VERIFY: ' + ', '.join(rep.failed_parts)}")
        if not rep.ok:
            raise typer.Exit(EXIT_FAILED)

    @evidence.command("list")
    def evidence_list(
        finding_id: int | None = typer.Option(None, "--finding"),
        case_id: int | None = typer.Option(None, "--case"),
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Evidence packages recorded in the database."""
        from newsrights.services.evidence import list_packages
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            rows = [p.to_json() for p in list_packages(s, finding_id=finding_id, case_id=case_id)]
        _out(rows, as_json, "\n".join(f"{r['id']}: finding {r['finding_id']} case {r['case_id']} {r['path']}"
                                      for r in rows) or "no packages")

    # ------------------------------------------------------------------ notices
    @notices.command("make")
    def notices_make(
        case_id: int,
        kind: str = typer.Option(..., "--kind", help="licence_offer, takedown or platform_complaint."),
        lang: str = typer.Option("zh", "--lang", help="zh or en."),
        recipient: str | None = typer.Option(None, "--to", help="Recipient (default: the case's site)."),
        rate: str = typer.Option("100", "--rate", help="Licence fee in yuan per 千字."),
        respond_days: int = typer.Option(15, "--respond-days"),
        holder_name: str | None = typer.Option(None, "--holder-name"),
        holder_contact: str | None = typer.Option(None, "--holder-contact"),
        holder_address: str | None = typer.Option(None, "--holder-address"),
        html: bool = typer.Option(False, "--html", help="Print the notice as escaped HTML."),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Generate and keep a notice; platform complaints need every Art. 14 field."""
        from dataclasses import replace

        from newsrights.services.cases import make_notice, right_holder

        st = settings(db)
        holder = right_holder(st)
        holder = replace(holder, name=holder_name or holder.name, contact=holder_contact or holder.contact,
                         address=holder_address or holder.address)
        d = make_notice(_factory(db), case_id, kind=kind, language=lang, actor=actor or _actor_default(),
                        holder=holder, recipient=recipient, rate_yuan_per_k=rate, respond_days=respond_days,
                        settings=st)
        if html:
            import html as h

            d["html"] = f"<pre>{h.escape(d['body'])}</pre>"
        _out(d, as_json, d.get("html") or d["body"])

    @notices.command("show")
    def notices_show(notice_id: int, db: str | None = DbOption, as_json: bool = JsonOption) -> None:
        """A kept notice, as generated."""
        from newsrights.services.cases import get_notice
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            d = get_notice(s, notice_id)
        _out(d, as_json, d["body"])

    # ------------------------------------------------------------------ costs
    @costs.command("add")
    def costs_add(
        case_id: int,
        kind: str = typer.Argument(..., help="lawyer (律师费), litigation (诉讼费), travel (差旅费), notary (公证费), "
                                   "evidence, timestamp, other."),
        amount: str = typer.Argument(..., help="Amount in yuan, e.g. 1500 or 1500.50."),
        receipt: Path | None = typer.Option(None, "--receipt", help="Receipt file (stored with its sha256)."),
        on: str | None = typer.Option(None, "--on", help="Date incurred (YYYY-MM-DD)."),
        description: str = typer.Option("", "--description"),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Book a cost on a case."""
        from newsrights.services.cases import add_cost

        when = _when(on)
        d = add_cost(_factory(db), case_id, kind=kind, amount_yuan=amount, actor=actor or _actor_default(),
                     incurred_on=when if isinstance(when, date) and not isinstance(when, datetime) else None,
                     description=description, receipt=receipt, settings=settings(db))
        _out(d, as_json, f"cost {d['id']}: {d['label']} {d['amount_yuan']} CNY"
             + (f", receipt sha256 {d['receipt_sha256']}" if d["receipt_sha256"] else ""))

    @costs.command("list")
    def costs_list(case_id: int, db: str | None = DbOption, as_json: bool = JsonOption) -> None:
        """The case's cost ledger with totals per kind."""
        from newsrights.services.cases import cost_ledger
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            d = cost_ledger(s, case_id)
        lines = [f"{c['id']}: {c['incurred_on']} {c['label']} {c['amount_yuan']} CNY {c['description']}"
                 + (f" [receipt {c['receipt_name']} {c['receipt_sha256'][:12]}…]" if c["receipt_sha256"] else "")
                 for c in d["costs"]]
        lines.append(f"total {d['total_yuan']} CNY")
        _out(d, as_json, "\n".join(lines))

    # ------------------------------------------------------------------ claims
    @claims.command("add")
    def claims_add(
        claimant: str = typer.Option(..., "--claimant"),
        content: str = typer.Option(..., "--content", help="What the claim is about."),
        event: str = typer.Option(..., "--event", help="When the event happened (date or ISO date-time)."),
        received: str | None = typer.Option(None, "--received", help="When the claim arrived (default now)."),
        article: str | None = typer.Option(None, "--article", help="Catalog article id the claim concerns."),
        url: str | None = typer.Option(None, "--url", help="URL the claim concerns."),
        contact: str = typer.Option("", "--contact"),
        site: str | None = typer.Option(None, "--site", help="Site whose declaration applies (default: the article's)."),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Record an inbound claim; its deadline is computed in China time; late claims are flagged."""
        from newsrights.services.claims import add_claim

        rec = _when(received)
        info, dl = add_claim(_factory(db), claimant=claimant, content=content, event=_when(event),  # type: ignore[arg-type]
                             received=rec if isinstance(rec, datetime) else None, article_id=article,
                             article_url=url, contact=contact, site=site, actor=actor or _actor_default())
        d = {**info.to_json(), "rule": dl.to_json()}
        _out(d, as_json, f"claim {info.id}: deadline {d['deadline']} ({dl.window_days} days from {dl.anchor} "
             f"{dl.anchor_date}) — {'LATE' if info.late else 'in time'}")

    @claims.command("list")
    def claims_list(
        status: str | None = typer.Option(None, "--status"),
        late: bool | None = typer.Option(None, "--late/--in-time"),
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Claims, with their deadline and lateness."""
        from newsrights.services.claims import list_claims
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            rows = [c.to_json() for c in list_claims(s, status=status, late=late)]
        _out(rows, as_json, "\n".join(
            f"{r['id']}: {r['status']}{' LATE' if r['late'] else ''} deadline {r['deadline']} {r['claimant']!r}: "
            f"{r['content'][:60]!r}" for r in rows) or "no claims")

    @claims.command("review")
    def claims_review(claim_id: int, note: str = typer.Option("", "--note"), actor: str | None = ActorOption,
                      db: str | None = DbOption, as_json: bool = JsonOption) -> None:
        """Put a received claim under review."""
        from newsrights.services.claims import review_claim

        c = review_claim(_factory(db), claim_id, actor=actor or _actor_default(), note=note).to_json()
        _out(c, as_json, f"claim {claim_id}: {c['status']}")

    @claims.command("resolve")
    def claims_resolve(
        claim_id: int,
        resolution: str = typer.Argument(..., help="taken_down, credit_added, corrected, licence_confirmed, "
                                         "rejected, rejected_late."),
        note: str = typer.Option("", "--note"),
        actor: str | None = ActorOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Resolve a claim."""
        from newsrights.services.claims import resolve_claim

        c = resolve_claim(_factory(db), claim_id, resolution, actor=actor or _actor_default(), note=note).to_json()
        _out(c, as_json, f"claim {claim_id}: {c['status']} ({c['resolution']})")

    # ------------------------------------------------------------------ audit
    @audit_app.command("list")
    def audit_list(
        entity: str | None = typer.Option(None, "--entity"),
        entity_id: str | None = typer.Option(None, "--id"),
        who: str | None = typer.Option(None, "--by", help="Only this actor."),
        limit: int | None = typer.Option(None, "--limit", help="Only the newest N entries."),
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Audit entries in the order they were written (with --limit, the newest N)."""
        from newsrights.services.audit import iter_entries
        from newsrights.storage.db import transaction

        with transaction(_factory(db)) as s:
            rows = [e.to_json() for e in iter_entries(s, entity=entity, entity_id=entity_id, actor=who, limit=limit, newest=True)]
        _out(rows, as_json, "\n".join(f"{r['id']} {r['at']} {r['actor']}: {r['action']} {r['entity']} {r['entity_id']}"
                                      for r in rows) or "no entries")
