"""The Alembic migrations build exactly the schema the table modules declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsrights.storage.db import Base, make_engine, upgrade


def test_migrations_match_the_tables(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # running again is a no-op
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"migrations and table modules disagree: {diff}"
    insp = sa.inspect(engine)
    assert set(Base.metadata.tables) <= set(insp.get_table_names())
    engine.dispose()
