"""Inbound claims (declaration clause 5) and their deadline.

国际在线's declaration, clause 5: "如因作品内容、版权和其他问题需要与本网联系的，请在该事由发生之日起
30日内进行" — a claim must be raised within 30 days from the day of the event. Other versions of
a declaration may count from publication (刊发之日起) or give another number of days; the
window comes from :attr:`Declaration.claim_window` of the version in force.

The deadline is computed in China time (Asia/Shanghai, UTC+8, no daylight saving) by the
period rules of the Civil Code:

* Art. 201 — a period counted in days starts on the day *after* the anchor day
  (开始的当日不计入，自下一日开始计算);
* Art. 203 — the last day ends at 24:00 (期间的最后一日的截止时间为二十四时).

So with anchor day D and a window of N days, the last day is D + N and a claim is on time
when it is received before ``D + N + 1`` at 00:00 China time. The anchor day is the calendar
day in China of the event (or publication) instant, whatever zone it was given in; a bare
date is a China date. Statutory holidays that would extend the last day (Art. 203 ¶1) are not
applied: there is no holiday calendar here, so a claim in that gap is flagged ``late`` with
the reason ``deadline_on_rest_day`` for a person to decide. Late claims are flagged, never
dropped: they go through the same workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from newsrights.core.model import CHINA_TZ
from newsrights.errors import IllegalTransition, InputError

ClaimAnchor = Literal["event", "publication"]
DEFAULT_WINDOW_DAYS = 30

CLAIM_STATUSES: tuple[str, ...] = ("received", "under_review", "resolved")
RESOLUTIONS: tuple[str, ...] = (
    "taken_down",        # our reprint or article removed
    "credit_added",      # the claimant's credit added to our reprint
    "corrected",         # content corrected
    "licence_confirmed", # we hold a licence; claim answered with it
    "rejected",          # claim unfounded
    "rejected_late",     # raised after the window (only for late claims)
)


def china_date(value: datetime | date) -> date:
    """The calendar day in China of an instant (a naive datetime is read as China time)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=CHINA_TZ)
        return value.astimezone(CHINA_TZ).date()
    return value


def as_china_time(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)).astimezone(CHINA_TZ)
    return datetime.combine(value, time(0), CHINA_TZ)


@dataclass(frozen=True, slots=True)
class ClaimDeadline:
    """The computed deadline of one claim."""

    anchor: str
    anchor_date: date
    window_days: int
    last_day: date
    deadline: datetime  # exclusive: 00:00 China time on the day after the last day
    late: bool
    reasons: tuple[str, ...] = ()
    declaration_version: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "anchor": self.anchor,
            "anchor_date": self.anchor_date.isoformat(),
            "window_days": self.window_days,
            "last_day": self.last_day.isoformat(),
            "deadline": self.deadline.isoformat(),
            "late": self.late,
            "reasons": list(self.reasons),
            "declaration_version": self.declaration_version,
        }


def claim_deadline(
    *,
    event: datetime | date,
    received: datetime | date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    anchor: str = "event",
    published: datetime | date | None = None,
    declaration_version: str | None = None,
) -> ClaimDeadline:
    """Deadline and lateness of a claim (rules in the module docstring)."""
    if window_days <= 0:
        raise InputError(f"a claim window must be positive, not {window_days} days")
    reasons: list[str] = []
    if anchor == "publication":
        if published is None:
            reasons.append("publication_date_unknown_counted_from_event")
            base: datetime | date = event
            anchor_used = "event"
        else:
            base = published
            anchor_used = "publication"
    elif anchor == "event":
        base, anchor_used = event, "event"
    else:
        raise InputError(f"unknown claim anchor {anchor!r} (event or publication)")
    d0 = china_date(base)
    last = d0 + timedelta(days=window_days)
    deadline = datetime.combine(last + timedelta(days=1), time(0), CHINA_TZ)
    rec = as_china_time(received)
    late = rec >= deadline
    if late:
        reasons.append("received_after_deadline")
        if last.weekday() >= 5:
            reasons.append("deadline_on_rest_day")
    if as_china_time(event) > rec:
        reasons.append("event_after_receipt")
    return ClaimDeadline(anchor_used, d0, window_days, last, deadline, late, tuple(reasons), declaration_version)


def check_resolution(status: str, resolution: str, *, late: bool) -> None:
    """Refuse resolving a resolved claim, unknown resolutions and ``rejected_late`` on time."""
    if status == "resolved":
        raise IllegalTransition("this claim is already resolved")
    if resolution not in RESOLUTIONS:
        raise InputError(f"unknown resolution {resolution!r}; one of {', '.join(RESOLUTIONS)}")
    if resolution == "rejected_late" and not late:
        raise IllegalTransition("the claim was raised in time: it cannot be rejected as late")
