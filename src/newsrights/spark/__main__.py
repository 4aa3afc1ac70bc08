"""spark-submit entry point: ``spark-submit -m newsrights.spark`` is not a thing, so use
``spark-submit --py-files newsrights.zip src/newsrights/spark/__main__.py scan …`` or
``python -m newsrights.spark scan …`` (local mode)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from newsrights.cli.main import app

    app(["spark", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
