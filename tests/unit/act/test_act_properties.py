"""Properties: the claim deadline in any time zone, and random walks through the case machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from newsrights.core import cases as C
from newsrights.core.claims import claim_deadline
from newsrights.core.model import CHINA_TZ
from newsrights.errors import IllegalTransition

offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1))


@given(instants, offsets, st.integers(min_value=0, max_value=90 * 24 * 60), offsets, st.integers(1, 120))
@settings(max_examples=300, deadline=None)
def test_late_iff_received_after_the_last_china_day(ev: datetime, ev_tz: timezone, minutes: int,
                                                    rec_tz: timezone, days: int) -> None:
    event = ev.replace(tzinfo=ev_tz)
    received = (event + timedelta(minutes=minutes)).astimezone(rec_tz)
    d = claim_deadline(event=event, received=received, window_days=days)
    anchor = event.astimezone(CHINA_TZ).date()
    assert d.anchor_date == anchor
    assert d.last_day == anchor + timedelta(days=days)
    assert d.late == (received.astimezone(CHINA_TZ).date() > d.last_day)
    assert d.deadline.astimezone(CHINA_TZ).time().hour == 0 and d.deadline.utcoffset() == timedelta(hours=8)


moves = st.lists(st.tuples(st.sampled_from([*C.STATES, "remind", "reopen"]), st.sampled_from([None, *C.OUTCOMES])),
                 max_size=40)


@given(moves, st.integers(0, 4))
@settings(max_examples=300, deadline=None)
def test_random_walks_keep_the_case_consistent(walk: list[tuple[str, str | None]], max_rem: int) -> None:
    status, _ = C.open_case("a", datetime(2024, 1, 1, tzinfo=UTC))
    for to, outcome in walk:
        legal = C.legal_moves(status, max_rem)
        wanted = f"{to}:{outcome}" if to == "closed" else to
        try:
            new, ev = C.move(status, to, outcome=outcome if to == "closed" else None, actor="a",
                             at=datetime(2024, 1, 2, tzinfo=UTC), max_reminders=max_rem)
        except IllegalTransition:
            assert wanted not in legal
            continue
        assert wanted in legal
        assert ev.from_state == status.state and ev.to_state == new.state
        status = new
        assert (status.state == "closed") == (status.outcome is not None)
        assert status.reminders <= max_rem
        if status.outcome in ("won", "lost"):
            assert ev.from_state == "litigation"
