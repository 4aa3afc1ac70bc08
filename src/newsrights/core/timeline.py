"""Pure time rules shared by the services and the Spark job: instants, China dates, versions in force.

* :func:`as_utc` — an instant in UTC; a naive datetime is taken to be UTC already (that is how
  SQLite hands back stored times: every stored time means UTC).
* :func:`china_date` — the calendar date in China (UTC+8, the publisher's and its declarations'
  calendar) of a moment; a naive datetime or a bare date is already a China date.
* :func:`in_force` — which of several dated versions (declarations, …) is in force on a date:
  the latest effective date not after it; undated versions apply only when no dated one does.

No I/O: the callers pass rows (or any object with ``effective`` and ``id``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Protocol, TypeVar

from newsrights.core.model import CHINA_TZ


class Dated(Protocol):
    """A version with an effective date (``None``: undated) and a tie-breaking id (insertion order)."""

    @property
    def effective(self) -> date | None: ...

    @property
    def id(self) -> int: ...


D = TypeVar("D", bound=Dated)


def as_utc(dt: datetime) -> datetime:
    """``dt`` in UTC; a naive ``dt`` is read as UTC (stored times carry no zone on SQLite)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def china_date(on: date | datetime | None) -> date | None:
    """The calendar date in China of ``on``: an aware datetime is converted to UTC+8; a naive one
    and a bare date are taken as they are; ``None`` stays ``None``."""
    if on is None:
        return None
    if isinstance(on, datetime):
        return on.astimezone(CHINA_TZ).date() if on.tzinfo else on.date()
    return on


def in_force(rows: Iterable[D], on: date | None) -> D | None:
    """The version in force on ``on``.

    Rule: among versions with an effective date, the one with the latest date not after ``on``
    (equal dates: the later id, i.e. the one registered last). When none is dated on or before
    ``on``, the newest undated version applies (an undated declaration has always been in force,
    but a dated one supersedes it from its date). ``on=None`` asks for the newest version:
    the latest dated one, else the newest undated one. No versions: ``None``.
    """
    items = list(rows)
    dated = sorted((r for r in items if r.effective is not None), key=lambda r: (r.effective, r.id))
    undated = sorted((r for r in items if r.effective is None), key=lambda r: r.id)
    if on is None:
        return dated[-1] if dated else (undated[-1] if undated else None)
    current = [r for r in dated if r.effective is not None and r.effective <= on]
    if current:
        return current[-1]
    return undated[-1] if undated else None
