"""Installation settings, read from the environment (``NEWSRIGHTS_*``).

Defaults ship with the package; every key can be overridden one by one.

* ``NEWSRIGHTS_DB`` — SQLAlchemy URL of the catalog; default a SQLite file
  ``newsrights.db`` in the working directory. PostgreSQL:
  ``postgresql+psycopg://user:pass@host/dbname``.
* ``NEWSRIGHTS_HOME`` — folder for captures (WARC), evidence packages, keys;
  default ``./newsrights-data``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///newsrights.db"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    home: Path = Path("newsrights-data")

    @classmethod
    def from_env(cls, db_url: str | None = None) -> Settings:
        return cls(
            db_url=db_url or os.environ.get("NEWSRIGHTS_DB") or DEFAULT_DB_URL,
            home=Path(os.environ.get("NEWSRIGHTS_HOME", "newsrights-data")),
        )

    @property
    def captures_dir(self) -> Path:
        return self.home / "captures"

    @property
    def evidence_dir(self) -> Path:
        return self.home / "evidence"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"
