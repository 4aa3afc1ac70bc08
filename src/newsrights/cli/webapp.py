"""CLI of the web area: ``newsrights serve``, ``newsrights users add|list``, ``newsrights tokens create``."""

from __future__ import annotations

import getpass

import typer

from newsrights.cli.common import DbOption, console, print_json, settings


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
        port: int = typer.Option(8000, "--port", help="TCP port (0 = any free port)."),
        db: str | None = DbOption,
        admin: str = typer.Option("admin", "--admin", help="Username of the first admin (created on first run)."),
        workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes (each holds the match index)."),
    ) -> None:
        """Start the web UI and REST API (OpenAPI at /openapi.json).

        On first run (no users yet) an admin is created and its generated
        password printed once on stderr; set NEWSRIGHTS_ADMIN_PASSWORD to choose it.
        """
        import os

        from newsrights.api.app import serve as run
        from newsrights.services import accounts
        from newsrights.storage.db import open_db, transaction

        cfg = settings(db)
        factory = open_db(cfg.db_url)
        with transaction(factory) as s:
            empty = accounts.count_users(s) == 0
        if empty:
            name, password = accounts.ensure_admin(factory, admin, os.environ.get("NEWSRIGHTS_ADMIN_PASSWORD"))
            console.print(f"[bold]first run:[/] created admin [cyan]{name}[/] with password [yellow]{password}[/] "
                          "(change it: newsrights users passwd)")
        console.print(f"newsrights on http://{host}:{port}/  (API: /api/v1, schema: /openapi.json)")
        run(cfg, host, port, workers=workers)

    users = typer.Typer(help="Web users and their roles.", no_args_is_help=True)
    tokens = typer.Typer(help="API tokens for machines.", no_args_is_help=True)
    app.add_typer(users, name="users")
    app.add_typer(tokens, name="tokens")

    @users.command("add")
    def users_add(
        username: str = typer.Argument(..., help="Login name."),
        role: str = typer.Option(..., "--role", help="admin, analyst, sales, legal or licensee."),
        party: str | None = typer.Option(None, "--party", help="Licensee's party id in the licence registry."),
        name: str = typer.Option("", "--name", help="Display name."),
        password: str | None = typer.Option(None, "--password", envvar="NEWSRIGHTS_NEW_PASSWORD",
                                            help="Password (else asked for, or generated with --generate)."),
        generate: bool = typer.Option(False, "--generate", help="Generate a password and print it once."),
        db: str | None = DbOption,
        json_out: bool = typer.Option(False, "--json", help="JSON on stdout."),
    ) -> None:
        """Add a user."""
        import secrets

        from newsrights.services import accounts
        from newsrights.storage.db import open_db, transaction

        if password is None:
            password = secrets.token_urlsafe(12) if generate else getpass.getpass("password: ")
        factory = open_db(settings(db).db_url)
        with transaction(factory) as s:
            user = accounts.create_user(s, username=username, password=password, role=role, display_name=name,
                                        party_id=party, actor="cli")
        out = user.to_json()
        if generate:
            out["password"] = password
        if json_out:
            print_json(out)
        else:
            console.print(f"added {user.username} ({user.role})" + (f", password {password}" if generate else ""))

    @users.command("list")
    def users_list(db: str | None = DbOption,
                   json_out: bool = typer.Option(False, "--json", help="JSON on stdout.")) -> None:
        """List users and roles."""
        from newsrights.services import accounts
        from newsrights.storage.db import open_db, transaction

        with transaction(open_db(settings(db).db_url)) as s:
            rows = [u.to_json() for u in accounts.list_users(s)]
        if json_out:
            print_json(rows)
            return
        for u in rows:
            typer.echo(f"{u['id']}\t{u['username']}\t{u['role']}\t{u['party_id'] or ''}\t{'active' if u['active'] else 'disabled'}")

    @users.command("passwd")
    def users_passwd(username: str = typer.Argument(...),
                     password: str | None = typer.Option(None, "--password", envvar="NEWSRIGHTS_NEW_PASSWORD"),
                     db: str | None = DbOption) -> None:
        """Set a user's password."""
        from sqlalchemy import select

        from newsrights.errors import InputError
        from newsrights.services import accounts
        from newsrights.storage.db import open_db, transaction
        from newsrights.storage.tables.accounts import UserRow

        password = password or getpass.getpass("new password: ")
        with transaction(open_db(settings(db).db_url)) as s:
            uid = s.scalar(select(UserRow.id).where(UserRow.username == username))
            if uid is None:
                raise InputError(f"no user {username!r}; see `newsrights users list`")
            accounts.update_user(s, uid, actor="cli", password=password)
        console.print(f"password of {username} changed")

    @tokens.command("create")
    def tokens_create(
        username: str = typer.Argument(..., help="The user the token acts as."),
        name: str = typer.Option("", "--name", help="What the token is for."),
        db: str | None = DbOption,
        json_out: bool = typer.Option(False, "--json", help="JSON on stdout."),
    ) -> None:
        """Create an API token (printed once; only its digest is stored)."""
        from sqlalchemy import select

        from newsrights.errors import InputError
        from newsrights.services import accounts
        from newsrights.storage.db import open_db, transaction
        from newsrights.storage.tables.accounts import UserRow

        with transaction(open_db(settings(db).db_url)) as s:
            uid = s.scalar(select(UserRow.id).where(UserRow.username == username))
            if uid is None:
                raise InputError(f"no user {username!r}; add it with `newsrights users add`")
            token, info = accounts.create_token(s, uid, name=name, actor="cli")
        if json_out:
            print_json({"token": token, **info.to_json()})
        else:
            typer.echo(token)
