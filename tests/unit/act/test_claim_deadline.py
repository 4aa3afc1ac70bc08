"""The 30-day claim rule on boundary dates, across time zones and declaration versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsrights.core.claims import check_resolution, claim_deadline
from newsrights.core.declaration import parse_declaration, publisher_declaration
from newsrights.core.model import CHINA_TZ
from newsrights.errors import IllegalTransition, InputError

NY = timezone(timedelta(hours=-5))


def test_the_publishers_declaration_says_30_days_from_the_event() -> None:
    w = publisher_declaration().claim_window
    assert w is not None and (w.days, w.anchor) == (30, "event")


def test_last_day_ends_at_midnight_china_time() -> None:
    ev = date(2024, 1, 1)
    on_time = claim_deadline(event=ev, received=datetime(2024, 1, 31, 23, 59, 59, tzinfo=CHINA_TZ))
    assert on_time.last_day == date(2024, 1, 31) and not on_time.late
    assert on_time.deadline == datetime(2024, 2, 1, tzinfo=CHINA_TZ)
    late = claim_deadline(event=ev, received=datetime(2024, 2, 1, 0, 0, 0, tzinfo=CHINA_TZ))
    assert late.late and "received_after_deadline" in late.reasons


def test_receipt_in_utc_is_judged_in_china_time() -> None:
    ev = date(2024, 1, 1)
    # 15:59:59 UTC on Jan 31 = 23:59:59 in Beijing: still on time
    assert not claim_deadline(event=ev, received=datetime(2024, 1, 31, 15, 59, 59, tzinfo=UTC)).late
    # 16:00 UTC on Jan 31 = 00:00 Feb 1 in Beijing: late, although it is still Jan 31 in London
    assert claim_deadline(event=ev, received=datetime(2024, 1, 31, 16, 0, tzinfo=UTC)).late


def test_event_instant_in_another_zone_anchors_on_the_china_day() -> None:
    # 20:00 on Jan 1 in New York is 09:00 on Jan 2 in Beijing: the anchor day is Jan 2
    d = claim_deadline(event=datetime(2024, 1, 1, 20, 0, tzinfo=NY),
                       received=datetime(2024, 2, 1, 12, 0, tzinfo=CHINA_TZ))
    assert d.anchor_date == date(2024, 1, 2) and d.last_day == date(2024, 2, 1) and not d.late
    # 23:30 UTC on Jan 1 is 07:30 Jan 2 in Beijing
    d2 = claim_deadline(event=datetime(2024, 1, 1, 23, 30, tzinfo=UTC),
                        received=datetime(2024, 2, 1, 16, 0, tzinfo=UTC))
    assert d2.anchor_date == date(2024, 1, 2) and d2.late  # 16:00Z Feb 1 = 00:00 Feb 2 CST


def test_naive_times_are_china_time_and_leap_day() -> None:
    d = claim_deadline(event=datetime(2024, 2, 1, 23, 0), received=datetime(2024, 3, 2, 23, 59))
    assert d.anchor_date == date(2024, 2, 1) and d.last_day == date(2024, 3, 2) and not d.late


def test_declaration_versions_change_the_window() -> None:
    v_event = publisher_declaration()
    v_pub = parse_declaration("如对本网作品有异议，请在作品刊发之日起15日内与本网联系。", site="example.cn")
    assert v_pub.claim_window is not None
    assert (v_pub.claim_window.days, v_pub.claim_window.anchor) == (15, "publication")
    published = datetime(2024, 3, 1, 10, 0, tzinfo=CHINA_TZ)
    event = datetime(2024, 3, 20, 10, 0, tzinfo=CHINA_TZ)
    received = datetime(2024, 3, 17, 12, 0, tzinfo=CHINA_TZ)
    results = {}
    for decl in (v_event, v_pub):
        w = decl.claim_window
        assert w is not None
        results[w.anchor] = claim_deadline(event=event, received=received, window_days=w.days,
                                           anchor=w.anchor, published=published,
                                           declaration_version=decl.version)
    assert results["event"].last_day == date(2024, 4, 19) and not results["event"].late
    assert results["publication"].last_day == date(2024, 3, 16) and results["publication"].late
    assert results["publication"].anchor == "publication"


def test_publication_anchor_without_a_publication_date_is_flagged() -> None:
    d = claim_deadline(event=date(2024, 1, 1), received=date(2024, 1, 5), anchor="publication")
    assert d.anchor == "event" and "publication_date_unknown_counted_from_event" in d.reasons


def test_bad_windows_and_anchors() -> None:
    with pytest.raises(InputError):
        claim_deadline(event=date(2024, 1, 1), received=date(2024, 1, 2), window_days=0)
    with pytest.raises(InputError):
        claim_deadline(event=date(2024, 1, 1), received=date(2024, 1, 2), anchor="moon")


def test_rest_day_is_flagged_for_a_person() -> None:
    # event 2024-03-10 + 30 days = Tue 2024-04-09 (weekday); event 2024-03-01 + 30 = Sun 2024-03-31
    d = claim_deadline(event=date(2024, 3, 1), received=date(2024, 4, 1))
    assert d.last_day.weekday() == 6 and d.late and "deadline_on_rest_day" in d.reasons


def test_resolution_rules() -> None:
    check_resolution("received", "taken_down", late=False)
    check_resolution("under_review", "rejected_late", late=True)
    with pytest.raises(IllegalTransition):
        check_resolution("received", "rejected_late", late=False)
    with pytest.raises(IllegalTransition):
        check_resolution("resolved", "taken_down", late=False)
    with pytest.raises(InputError):
        check_resolution("received", "ignored", late=False)
