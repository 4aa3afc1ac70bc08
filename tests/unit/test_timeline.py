"""core.timeline: instants in UTC, China dates, the version in force; and the old private names
the services keep as aliases of these public homes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from newsrights.core.model import CHINA_TZ
from newsrights.core.timeline import as_utc, china_date, in_force


@dataclass(frozen=True)
class V:
    id: int
    effective: date | None


def test_as_utc_reads_naive_as_utc_and_converts_aware() -> None:
    assert as_utc(datetime(2024, 1, 1, 12)) == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert as_utc(datetime(2024, 1, 1, 12)).tzinfo is UTC
    got = as_utc(datetime(2024, 1, 1, 8, tzinfo=CHINA_TZ))
    assert got == datetime(2024, 1, 1, 0, tzinfo=UTC) and got.tzinfo is UTC


def test_china_date_crosses_midnight_in_china() -> None:
    late_utc = datetime(2024, 3, 1, 17, 30, tzinfo=UTC)  # 01:30 on 2 March in Beijing
    assert china_date(late_utc) == date(2024, 3, 2)
    assert china_date(datetime(2024, 3, 1, 23, 0)) == date(2024, 3, 1)  # naive: taken as it is
    assert china_date(date(2024, 3, 1)) == date(2024, 3, 1)
    assert china_date(None) is None
    assert china_date(datetime(2024, 3, 1, 23, tzinfo=timezone(timedelta(hours=-5)))) == date(2024, 3, 2)


def test_in_force_latest_dated_not_after_the_day() -> None:
    rows = [V(1, date(2020, 1, 1)), V(2, date(2024, 1, 1)), V(3, None)]
    assert in_force(rows, date(2023, 12, 31)) == rows[0]
    assert in_force(rows, date(2024, 1, 1)) == rows[1]  # in force from its own date
    assert in_force(rows, date(2019, 12, 31)) == rows[2]  # before every dated one: the undated one
    assert in_force(rows, None) == rows[1]  # the newest


def test_in_force_ties_and_empty() -> None:
    same_day = [V(5, date(2024, 1, 1)), V(4, date(2024, 1, 1))]
    assert in_force(same_day, date(2024, 6, 1)) == V(5, date(2024, 1, 1))  # the later registered
    assert in_force([], date(2024, 1, 1)) is None
    assert in_force([V(1, date(2024, 1, 1))], date(2023, 1, 1)) is None
    assert in_force([V(1, None), V(2, None)], None) == V(2, None)
    assert in_force(iter([V(1, None)]), date(2023, 1, 1)) == V(1, None)  # any iterable


def test_old_private_names_are_the_public_functions() -> None:
    from newsrights.services import catalog, licensing

    assert catalog._pick is in_force and catalog._date_of is china_date
    assert catalog._decl_from_row is catalog.declaration_from_row
    assert licensing._utc is as_utc
    assert licensing._setting is licensing.setting
    assert licensing._version is licensing.policy_version_from_row


def test_spark_imports_no_private_service_helper() -> None:
    """The Spark job uses public homes only, except ``services.scan._raw_of`` (scan.py is being
    reworked by its owner; listed in the hand-over)."""
    import re
    from pathlib import Path

    import newsrights.spark

    spark = Path(newsrights.spark.__file__).parent
    private = []
    for py in sorted(spark.glob("*.py")):
        for m in re.finditer(r"from newsrights\.services\.\w+ import ([^\n]+)", py.read_text()):
            private += [f"{py.name}: {n.strip()}" for n in m.group(1).split(",") if n.strip().startswith("_")]
    assert private == ["job.py: _raw_of"], private
