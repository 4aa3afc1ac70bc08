"""Properties of the sign-in lockout rule (core.lockout.locked_for): the wait it reports is exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core.lockout import locked_for

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)
ages = st.lists(st.integers(min_value=0, max_value=2000), max_size=40)  # seconds before NOW


def count_in_window(times: list[datetime], at: datetime) -> int:
    return sum(1 for t in times if at - WINDOW < t <= at)


@settings(max_examples=300, deadline=None)
@given(ages, st.integers(min_value=1, max_value=10))
def test_the_wait_is_exactly_when_the_count_drops_below_the_limit(ages_s: list[int], limit: int) -> None:
    times = [NOW - timedelta(seconds=a) for a in ages_s]
    wait = locked_for(times, limit, WINDOW, NOW)
    if count_in_window(times, NOW) < limit:
        assert wait == 0.0
        return
    assert wait > 0
    after = NOW + timedelta(seconds=wait)
    assert count_in_window(times, after) < limit  # allowed once the wait is over (no new failures)
    assert locked_for(times, limit, WINDOW, after) == 0.0
    before = NOW + timedelta(seconds=wait) - timedelta(microseconds=1)
    assert count_in_window(times, before) >= limit  # and not a moment sooner
    assert wait <= WINDOW.total_seconds()
