"""``newsrights logins list|unlock``: the sign-in attempts behind the installation-wide lockout."""

from __future__ import annotations

import typer

from newsrights.cli.common import DbOption, console, print_json, settings


def register(app: typer.Typer) -> None:
    logins = typer.Typer(help="Sign-in attempts and the lockout (5 failures per username, 20 per address, "
                              "in 15 minutes by default; see docs/web.md).", no_args_is_help=True)
    app.add_typer(logins, name="logins")

    @logins.command("list")
    def logins_list(
        user: str | None = typer.Option(None, "--user", help="Only this username."),
        client: str | None = typer.Option(None, "--client", help="Only this client address."),
        outcome: str | None = typer.Option(None, "--outcome", help="ok, failed, refused or unlocked."),
        limit: int = typer.Option(50, "--limit", min=1, max=10_000),
        db: str | None = DbOption,
        json_out: bool = typer.Option(False, "--json", help="JSON on stdout."),
    ) -> None:
        """Sign-in attempts, newest first."""
        from newsrights.services import login_attempts
        from newsrights.storage.db import open_db, transaction

        with transaction(open_db(settings(db).db_url)) as s:
            items, total = login_attempts.list_attempts(s, username=user, client=client, outcome=outcome, limit=limit)
        if json_out:
            print_json({"total": total, "items": [a.to_json() for a in items]})
            return
        for a in items:  # usernames are typed by strangers: printed as data, never as markup
            typer.echo(f"{a.at.isoformat(timespec='seconds')}\t{a.outcome}\t{a.client}\t{a.username!r}")
        console.print(f"{len(items)} of {total} attempts", markup=False)

    @logins.command("unlock")
    def logins_unlock(
        user: str | None = typer.Option(None, "--user", help="Forget this username's failures so far."),
        client: str | None = typer.Option(None, "--client", help="Forget this address's failures so far."),
        db: str | None = DbOption,
        json_out: bool = typer.Option(False, "--json", help="JSON on stdout."),
    ) -> None:
        """Lift a lockout now (recorded as an ``unlocked`` attempt and in the audit log)."""
        from newsrights.services import login_attempts
        from newsrights.storage.db import open_db, transaction

        with transaction(open_db(settings(db).db_url)) as s:
            login_attempts.unlock(s, actor="cli", username=user, client=client)
        if json_out:
            print_json({"unlocked": {"username": user, "client": client}})
        else:
            console.print(f"unlocked {'user ' + repr(user) if user else ''}{' ' if user and client else ''}"
                          f"{'address ' + client if client else ''}", markup=False)
