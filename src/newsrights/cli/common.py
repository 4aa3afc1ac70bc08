"""Helpers shared by CLI modules: the database option, JSON output, Rich console on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console

from newsrights.settings import Settings

#: Progress bars and human messages go to stderr; stdout is for data.
console = Console(stderr=True)

DbOption = typer.Option(None, "--db", envvar="NEWSRIGHTS_DB", help="SQLAlchemy URL (default: sqlite file newsrights.db).")


def settings(db: str | None) -> Settings:
    return Settings.from_env(db)


def print_json(obj: Any, *, line: bool = False) -> None:
    """Write ``obj`` as JSON to stdout (one line with ``line=True``)."""
    text = json.dumps(obj, ensure_ascii=False, default=str, indent=None if line else 2)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def progress_enabled() -> bool:
    return console.is_terminal
