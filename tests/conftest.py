"""Shared fixtures.

* ``shared_data`` — ``../shared/data`` beside the repository (or ``$NEWSRIGHTS_SHARED/data``).
  Absent: the test is skipped with a clear message; under CI
  (``NEWSRIGHTS_REQUIRE_SERVICES=1``) it fails instead.
* ``pg_url`` — a real PostgreSQL server started by ``scripts/services.sh``.
* ``db_url`` — parametrised over SQLite (a temp file) and PostgreSQL (a fresh schema).
* ``chromium`` — path of Debian's headless Chromium.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIRE = os.environ.get("NEWSRIGHTS_REQUIRE_SERVICES") == "1"


def _missing(what: str) -> None:
    msg = f"{what} is not available"
    if REQUIRE:
        pytest.fail(msg + " (NEWSRIGHTS_REQUIRE_SERVICES=1: CI must provide it)")
    pytest.skip(msg)


def shared_root() -> Path:
    return Path(os.environ.get("NEWSRIGHTS_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    root = shared_root()
    if not (root / "data").is_dir():
        _missing(f"../shared (looked in {root}; set NEWSRIGHTS_SHARED)")
    return root


@pytest.fixture(scope="session")
def shared_data(shared: Path) -> Path:
    return shared / "data"


@pytest.fixture(scope="session")
def seed_page(shared: Path) -> Path:
    pages = sorted((shared / "seed").glob("*.txt"))
    if not pages:
        _missing("the seed page in ../shared/seed")
    return pages[0]


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("NEWSRIGHTS_TEST_PG_URL")
    if not url:
        _missing("PostgreSQL (run `source scripts/services.sh` or set NEWSRIGHTS_TEST_PG_URL)")
    return url  # type: ignore[return-value]


def _fresh_pg_database(base_url: str) -> str:
    """Create a throw-away database on the test server and return its URL."""
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base_url.replace("psycopg://", "psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    base = request.getfixturevalue("pg_url")
    return _fresh_pg_database(base)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'catalog.sqlite'}"


@pytest.fixture(scope="session")
def chromium() -> str:
    path = os.environ.get("NEWSRIGHTS_CHROMIUM") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None
    )
    if not path:
        _missing("headless Chromium (apt-get install chromium)")
    return path  # type: ignore[return-value]


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    d = ROOT / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d
