"""Every table of the catalog, one module per area, all on :class:`~newsrights.storage.db.Base`.

Importing this package registers them all (Alembic's autogenerate and
``compare_metadata`` rely on it).
"""

from newsrights.storage.tables import (  # noqa: F401
    accounts,
    cases,
    catalog,
    licensing,
    matching,
    monitoring,
)
