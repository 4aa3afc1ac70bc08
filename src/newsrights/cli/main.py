"""The ``newsrights`` command: ``newsrights <noun> <verb>``.

Each area registers its own commands from its module (``register(app)``), so
this file only assembles them. Logs go to stderr; ``--json``/``--jsonl``
output to stdout. Exit codes: 0 done, 1 done but some input was rejected,
2 usage or configuration error, 3 an operation failed.
"""

from __future__ import annotations

import logging
import sys

import typer

from newsrights.cli import act, catalog, crawl, demo, licensing, logins, matching, sparkjobs, webapp
from newsrights.errors import ConfigError, InputError, NewsrightsError

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_FAILED = 3

app = typer.Typer(
    name="newsrights",
    help="A news publisher's rights desk: catalog, ownership, licences, copies, verdicts, cases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (catalog, matching, licensing, crawl, act, webapp, logins, sparkjobs, demo):
    module.register(app)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logs on stderr.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    try:
        app()
    except (ConfigError, InputError) as exc:
        print(f"newsrights: error: {exc}", file=sys.stderr)
        for note in getattr(exc, "__notes__", []):
            print(f"  {note}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except NewsrightsError as exc:
        print(f"newsrights: failed: {exc}", file=sys.stderr)
        for note in getattr(exc, "__notes__", []):
            print(f"  {note}", file=sys.stderr)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
