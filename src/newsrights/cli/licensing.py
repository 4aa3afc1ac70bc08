# ruff: noqa: B008  (Typer declares options as argument defaults)
"""CLI of the licensing area: ``newsrights licences …``, ``newsrights verdicts``, ``newsrights sales …``.

Data goes to stdout (``--json`` for JSON, else tab-separated lines); messages go
to stderr. Exit codes: 0 done, 1 some input rejected (an import with a bad
policy), 2 usage error (unknown licence, bad date).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from newsrights.cli.common import DbOption, console, print_json, settings
from newsrights.core.model import VERDICTS, Rejected
from newsrights.errors import InputError


def _factory(db: str | None):  # type: ignore[no-untyped-def]
    from newsrights.storage.db import open_db

    return open_db(settings(db).db_url)


def _date(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{what}: not a date {value!r} (use YYYY-MM-DD)") from exc


#: Control characters (C0 but tab/newline, DEL, C1): ANSI escapes in scraped text must not reach a terminal.
_CONTROL = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)]}


def _line(*cells: Any) -> None:
    """One tab-separated line of data on stdout (cells are plain text, never markup; control
    characters dropped, tabs and line breaks turned into spaces: verdict reasons quote scraped pages)."""
    sys.stdout.write("\t".join(
        "" if c is None else str(c).replace("\t", " ").replace("\r", " ").replace("\n", " ").translate(_CONTROL)
        for c in cells
    ) + "\n")


def _version_json(pv: Any, outcome: str | None = None) -> dict[str, Any]:
    d = {
        "uid": pv.policy.uid, "type": pv.policy.type, "version": pv.version,
        "valid_from": pv.valid_from.isoformat(), "valid_to": pv.valid_to.isoformat() if pv.valid_to else None,
        "assigner": pv.policy.assigner, "assignee": pv.policy.assignee, "title": pv.policy.title(),
        "actions": sorted({r.action for r in pv.policy.rules}),
    }
    if outcome:
        d["outcome"] = outcome
    return d


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    lic = typer.Typer(help="The licence registry (W3C ODRL 2.2 / IPTC RightsML): licensees, agreements, inbound licences.",
                      no_args_is_help=True)
    sales = typer.Typer(help="信息产品内容销售: products on sale, sales turned into agreements, invoices.",
                        no_args_is_help=True)
    app.add_typer(lic, name="licences")
    app.add_typer(sales, name="sales")

    @lic.command("add")
    def licences_add(
        licensee: str = typer.Argument(..., help="Licensee name, uid or domain (created when new)."),
        domain: list[str] = typer.Option([], "--domain", help="A site the licensee runs (repeatable)."),
        licensed_domain: list[str] = typer.Option([], "--licensed-domain",
                                                  help="Where the content may appear (default: all its --domain)."),
        action: list[str] = typer.Option(["reproduce"], "--action", help="reproduce, extract (摘编), distribute … (repeatable)."),
        start: str | None = typer.Option(None, "--from", help="First day of the licence (YYYY-MM-DD)."),
        until: str | None = typer.Option(None, "--until", help="Last day of the licence (YYYY-MM-DD)."),
        credit: str | None = typer.Option(None, "--credit",
                                          help="Exact credit to print (default 来源:国际在线; inbound: 来源:<licensor>)."),
        no_credit: bool = typer.Option(False, "--no-credit", help="No attribution duty."),
        keep_title: bool = typer.Option(False, "--keep-title", help="Duty: do not alter the title."),
        keep_byline: bool = typer.Option(False, "--keep-byline", help="Duty: keep the byline."),
        keep_dateline: bool = typer.Option(False, "--keep-dateline", help="Duty: keep the dateline."),
        link_back: bool = typer.Option(False, "--link-back", help="Duty: link to the original."),
        max_share: float | None = typer.Option(None, "--max-share", help="Excerpts: at most this % of an article."),
        column: list[str] = typer.Option([], "--column", help="Only articles of this column (repeatable)."),
        article: list[str] = typer.Option([], "--article", help="Only these article ids (repeatable)."),
        source: list[str] = typer.Option([], "--source", help="Inbound: only articles with this source."),
        territory: str | None = typer.Option(None, "--territory", help="Territory code (spatial), e.g. CHN."),
        purpose: str | None = typer.Option(None, "--purpose"),
        channel: str | None = typer.Option(None, "--channel", help="Delivery channel, e.g. web, app."),
        inbound: bool = typer.Option(False, "--inbound", help="The party licenses the publisher (inbound)."),
        prohibit: bool = typer.Option(False, "--prohibit", help="Register a prohibition for the party instead."),
        uid: str | None = typer.Option(None, "--uid", help="Policy uid; an existing uid is amended."),
        effective: str | None = typer.Option(None, "--effective", help="When these terms take effect (amendments)."),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """Register a licence (an ODRL Agreement), or amend one with --uid and --effective."""
        from newsrights.services.licensing import LicenceTerms, add_licence

        terms = LicenceTerms(
            licensee=licensee, domains=tuple(domain), licensed_domains=tuple(licensed_domain), actions=tuple(action),
            start=_date(start, "--from"), end=_date(until, "--until"),
            credit=None if no_credit else credit or (f"来源:{licensee}" if inbound else "来源:国际在线"),
            keep_title=keep_title, keep_byline=keep_byline, keep_dateline=keep_dateline, link_back=link_back,
            max_share=max_share, columns=tuple(column), articles=tuple(article), sources=tuple(source),
            territory=territory, purpose=purpose, channel=channel, inbound=inbound, prohibit=prohibit, uid=uid,
        )
        pv, outcome = add_licence(_factory(db), terms, effective=_date(effective, "--effective"))
        if as_json:
            print_json(_version_json(pv, outcome))
        else:
            _line(outcome, pv.policy.uid, f"v{pv.version}", pv.valid_from.date())

    @lic.command("list")
    def licences_list(
        on: str | None = typer.Option(None, "--on", help="Licences in force on this date."),
        all_versions: bool = typer.Option(False, "--all", help="Every version, superseded ones too."),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """List licences (current versions by default)."""
        from newsrights.services.licensing import list_policies

        with _factory(db)() as s:
            vs = list_policies(s, on=_date(on, "--on"), all_versions=all_versions)
        if as_json:
            print_json([_version_json(v) for v in vs])
            return
        for v in vs:
            _line(v.policy.uid, v.policy.type, f"v{v.version}", v.valid_from.date(),
                  v.valid_to.date() if v.valid_to else "", v.policy.assignee or "", v.policy.title() or "")

    @lic.command("show")
    def licences_show(
        uid: str,
        on: str | None = typer.Option(None, "--on", help="The version in force on this date."),
        version: int | None = typer.Option(None, "--version"),
        db: str | None = DbOption,
    ) -> None:
        """Show one licence version as ODRL JSON-LD with its validity."""
        from newsrights.core.odrl import policy_to_jsonld
        from newsrights.services.licensing import get_policy, list_parties, publisher

        with _factory(db)() as s:
            pv = get_policy(s, uid, on=_date(on, "--on"), version=version)
            parties = {p.uid: p for p in (publisher(s), *list_parties(s))}
        print_json({**_version_json(pv), "odrl": policy_to_jsonld(pv.policy, parties)})

    @lic.command("import")
    def licences_import(
        files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="ODRL JSON-LD files."),
        effective: str | None = typer.Option(None, "--effective", help="When the imported terms take effect (default now)."),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """Import ODRL 2.2 JSON-LD policies (a policy, a list or an @graph per file)."""
        from newsrights.services.licensing import import_policies

        factory = _factory(db)
        results: list[dict[str, Any]] = []
        bad = 0
        for path in files:
            try:
                doc = json.loads(path.read_text("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                results.append(Rejected(str(path), "invalid_json", str(exc)).to_json())
                bad += 1
                continue
            for r in import_policies(factory, doc, valid_from=_date(effective, "--effective"), origin=str(path)):
                if isinstance(r, Rejected):
                    bad += 1
                    results.append(r.to_json())
                    console.print(f"rejected {r.origin}: {r.reason} ({r.detail})".translate(_CONTROL), markup=False)
                else:
                    results.append(_version_json(*r))
        if as_json:
            print_json(results)
        else:
            for d in results:
                if "reason" in d:
                    _line("rejected", d["origin"], d["reason"])
                else:
                    _line(d["outcome"], d["uid"], f"v{d['version']}")
        if bad:
            raise typer.Exit(1)

    @lic.command("export")
    def licences_export(
        uid: str | None = typer.Argument(None, help="One licence (default: all current ones)."),
        on: str | None = typer.Option(None, "--on", help="The terms in force on this date."),
        all_versions: bool = typer.Option(False, "--all", help="Every version."),
        output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout."),
        db: str | None = DbOption,
    ) -> None:
        """Export licences as an ODRL JSON-LD @graph."""
        from newsrights.services.licensing import export_policies

        with _factory(db)() as s:
            doc = export_policies(s, uid=uid, on=_date(on, "--on"), all_versions=all_versions)
        if output:
            output.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
            console.print(f"wrote {len(doc['@graph'])} policies to {output}", markup=False)
        else:
            print_json(doc)

    @lic.command("inbound")
    def licences_inbound(
        article_id: str,
        on: str | None = typer.Option(None, "--on", help="Judge on this date (default: the article's date)."),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """Is the publisher's own reprint of this (third-party) catalog article covered by an inbound licence?"""
        from newsrights.services.licensing import inbound_coverage

        with _factory(db)() as s:
            cov = inbound_coverage(s, article_id, on=_date(on, "--on"))
        if as_json:
            print_json(cov.to_json())
        else:
            _line("covered" if cov.covered else "not_covered", cov.article_id, cov.holder or "")
            for r in cov.reasons:
                _line("", r)

    @lic.command("check")
    def licences_check(
        article_id: str,
        domain: str = typer.Option(..., "--domain", help="The site that would use the article."),
        action: str = typer.Option("reproduce", "--action", help="reproduce, extract (摘编) …"),
        on: str | None = typer.Option(None, "--on", help="Date of the use (default today)."),
        share: float | None = typer.Option(None, "--share", help="Excerpts: % of the article used."),
        territory: str | None = typer.Option(None, "--territory"),
        purpose: str | None = typer.Option(None, "--purpose"),
        channel: str = typer.Option("web", "--channel"),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """What-if: may this site make this use of this article on that date, and on which terms?"""
        from newsrights.services.licensing import check_use

        with _factory(db)() as s:
            got = check_use(s, article_id, domain=domain, action=action, on=_date(on, "--on"), share=share,
                            territory=territory, purpose=purpose, channel=channel)
        if as_json:
            print_json(got)
            return
        _line(got["outcome"], got["policy"] or "", f"v{got['version']}" if got["version"] else "")
        for r in (*got["reasons"], *got["notes"]):
            _line("", r)
        for d in got["duties"]:
            _line("", "duty: " + d)

    @lic.command("parties")
    def licences_parties(as_json: bool = typer.Option(False, "--json"), db: str | None = DbOption) -> None:
        """List parties: the publisher, licensees and sources."""
        from newsrights.services.licensing import list_parties, publisher

        with _factory(db)() as s:
            ps = [publisher(s), *list_parties(s)]
        if as_json:
            print_json([p.to_json() for p in ps])
        else:
            for p in ps:
                _line(p.uid, p.kind, p.name, ",".join(p.domains))

    @lic.command("conflict")
    def licences_conflict(
        strategy: str = typer.Argument(..., help="prohibit (default: a prohibition wins), perm or invalid."),
        db: str | None = DbOption,
    ) -> None:
        """Set the registry's ODRL conflict strategy."""
        from newsrights.services.licensing import set_conflict

        set_conflict(_factory(db), strategy)
        console.print(f"conflict strategy: {strategy}", markup=False)

    @lic.command("snapshot")
    def licences_snapshot(
        snapshot_id: str | None = typer.Argument(None, help="A stored snapshot id (reg-…) named by a verdict."),
        on: str | None = typer.Option(None, "--on", help="Without an id: the registry in force on this date."),
        db: str | None = DbOption,
    ) -> None:
        """Print a registry snapshot (the exact terms a verdict was decided on)."""
        from newsrights.services.licensing import load_snapshot, registry_on

        with _factory(db)() as s:
            reg = load_snapshot(s, snapshot_id) if snapshot_id else registry_on(s, _date(on, "--on"))
        print_json({"id": reg.snapshot_id(), **reg.to_json()})

    @app.command("verdicts")
    def verdicts_cmd(
        site: str | None = typer.Option(None, "--site", help="Copying site (domain; subdomains included)."),
        article: str | None = typer.Option(None, "--article", help="Catalog article id."),
        verdict: str | None = typer.Option(None, "--verdict", help=" | ".join(VERDICTS)),
        since: str | None = typer.Option(None, "--since", help="Found on or after (YYYY-MM-DD)."),
        until: str | None = typer.Option(None, "--until", help="Found before (YYYY-MM-DD)."),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """List the verdicts of stored findings, with their reasons."""
        from newsrights.services.licensing import list_verdicts

        if verdict is not None and verdict not in VERDICTS:
            raise InputError(f"--verdict must be one of {', '.join(VERDICTS)}")
        with _factory(db)() as s:
            rows = list_verdicts(s, site=site, article=article, verdict=verdict,
                                 since=_date(since, "--since"), until=_date(until, "--until"))
        if as_json:
            print_json(rows)
            return
        for r in rows:
            _line(r.get("id"), r["verdict"], r["site"], r["article_id"], r["page_url"], " | ".join(r["verdict_reasons"]))

    @sales.command("products")
    def sales_products(as_json: bool = typer.Option(False, "--json"), db: str | None = DbOption) -> None:
        """List the products on sale."""
        from newsrights.services.licensing import list_products

        with _factory(db)() as s:
            ps = list_products(s)
        if as_json:
            print_json([p.to_json() for p in ps])
        else:
            for p in ps:
                unit = "/千字" if p.pricing == "per_kchar" else ""
                _line(p.id, p.kind, p.name, f"{p.price} {p.currency}{unit}", ",".join(p.selector))

    @sales.command("offer")
    def sales_offer(
        product_id: str = typer.Argument(..., help="Product id (ASCII, e.g. intl-column)."),
        name: str = typer.Option(..., "--name"),
        kind: str = typer.Option("column", "--kind", help="column, feed or article."),
        select: list[str] = typer.Option([], "--select", help="Column names, owned markers (feed) or article ids."),
        per_kchar: str | None = typer.Option(None, "--per-kchar", help="Price per 千字."),
        flat: str | None = typer.Option(None, "--flat", help="Flat price per licence term."),
        currency: str = typer.Option("CNY", "--currency"),
        action: list[str] = typer.Option(["reproduce"], "--action"),
        credit: str = typer.Option("来源:国际在线", "--credit"),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """Put a product on sale (an ODRL Offer)."""
        from newsrights.core.sales import Product
        from newsrights.services.licensing import add_product, parse_price

        if (per_kchar is None) == (flat is None):
            raise InputError("give exactly one of --per-kchar or --flat")
        price: Decimal = parse_price(per_kchar if per_kchar is not None else flat)  # type: ignore[arg-type]
        p = Product(product_id, name, kind, "per_kchar" if per_kchar is not None else "flat", price,  # type: ignore[arg-type]
                    currency.upper(), tuple(select), tuple(action), credit)
        add_product(_factory(db), p)
        if as_json:
            print_json(p.to_json())
        else:
            _line("offered", p.id, f"{p.price} {p.currency}")

    @sales.command("sell")
    def sales_sell(
        product_id: str,
        licensee: str,
        domain: list[str] = typer.Option([], "--domain", help="Licensed domain (repeatable)."),
        start: str = typer.Option(..., "--from"),
        until: str = typer.Option(..., "--until"),
        chars: int | None = typer.Option(None, "--chars", help="Characters sold (per-千字 products)."),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """Sell a product: registers the Agreement and keeps the invoice."""
        from newsrights.services.licensing import sell

        pv, inv = sell(_factory(db), product_id, licensee, start=_date(start, "--from"),  # type: ignore[arg-type]
                       end=_date(until, "--until"), domains=tuple(domain), chars=chars)  # type: ignore[arg-type]
        if as_json:
            print_json({"agreement": _version_json(pv), "invoice": inv.to_json()})
        else:
            _line(inv.number, inv.amount, inv.currency, pv.policy.uid)

    @sales.command("invoices")
    def sales_invoices(
        licensee: str | None = typer.Option(None, "--licensee"),
        as_json: bool = typer.Option(False, "--json"),
        db: str | None = DbOption,
    ) -> None:
        """List invoices."""
        from newsrights.services.licensing import list_invoices

        with _factory(db)() as s:
            invs = list_invoices(s, licensee=licensee)
        if as_json:
            print_json([i.to_json() for i in invs])
        else:
            for i in invs:
                _line(i.number, i.issued.date(), i.licensee_uid, i.product_id, i.amount, i.currency, i.agreement_uid)
