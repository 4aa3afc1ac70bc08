"""The infringement case state machine.

States, in the order a case normally moves::

    detected → evidence_captured → reviewed → notice_sent (+ up to N reminders)
      → platform_complaint → settlement_offered → litigation → closed

``closed`` carries an outcome: ``settled``, ``withdrawn``, ``won`` or ``lost``. The legal moves
are exactly those in :data:`MOVES` (target state → allowed source states), with these rules:

* a case may skip forward where practice does (e.g. from ``reviewed`` straight to a platform
  complaint under 信息网络传播权保护条例 Art. 14, or to litigation), never backwards;
* ``remind`` keeps a case in ``notice_sent`` and is allowed at most ``max_reminders`` times;
* ``withdrawn`` closes a case from any open state; ``settled`` only once the other side has
  been approached (notice, complaint, offer or litigation); ``won``/``lost`` only from
  ``litigation``;
* ``reopen`` moves a closed case back to ``detected`` (the copy came back) and counts it;
* every move names its actor and time; an empty actor is refused.

Anything else raises :class:`~newsrights.errors.IllegalTransition`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from newsrights.errors import IllegalTransition, InputError

CaseState = Literal[
    "detected",
    "evidence_captured",
    "reviewed",
    "notice_sent",
    "platform_complaint",
    "settlement_offered",
    "litigation",
    "closed",
]
Outcome = Literal["settled", "withdrawn", "won", "lost"]

STATES: tuple[str, ...] = (
    "detected",
    "evidence_captured",
    "reviewed",
    "notice_sent",
    "platform_complaint",
    "settlement_offered",
    "litigation",
    "closed",
)
OPEN_STATES: tuple[str, ...] = STATES[:-1]
OUTCOMES: tuple[str, ...] = ("settled", "withdrawn", "won", "lost")
DEFAULT_MAX_REMINDERS = 3

#: target state -> states it may be reached from (``closed`` handled by outcome below).
MOVES: dict[str, frozenset[str]] = {
    "evidence_captured": frozenset({"detected"}),
    "reviewed": frozenset({"evidence_captured"}),
    "notice_sent": frozenset({"reviewed"}),
    "platform_complaint": frozenset({"reviewed", "notice_sent"}),
    "settlement_offered": frozenset({"notice_sent", "platform_complaint"}),
    "litigation": frozenset({"reviewed", "notice_sent", "platform_complaint", "settlement_offered"}),
}

#: outcome -> states a case may be closed from with it.
CLOSE_FROM: dict[str, frozenset[str]] = {
    "withdrawn": frozenset(OPEN_STATES),
    "settled": frozenset({"notice_sent", "platform_complaint", "settlement_offered", "litigation"}),
    "won": frozenset({"litigation"}),
    "lost": frozenset({"litigation"}),
}

#: the action name recorded for a move to each state.
ACTIONS: dict[str, str] = {
    "evidence_captured": "capture_evidence",
    "reviewed": "review",
    "notice_sent": "send_notice",
    "platform_complaint": "complain_to_platform",
    "settlement_offered": "offer_settlement",
    "litigation": "litigate",
    "closed": "close",
}


@dataclass(frozen=True, slots=True)
class CaseStatus:
    """Where a case stands."""

    state: str = "detected"
    outcome: str | None = None
    reminders: int = 0
    reopened: int = 0


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One dated, signed step."""

    action: str
    from_state: str | None
    to_state: str
    actor: str
    at: datetime
    outcome: str | None = None
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "outcome": self.outcome,
            "actor": self.actor,
            "at": self.at.isoformat(),
            "note": self.note,
        }


def _check_actor(actor: str, at: datetime) -> None:
    if not actor or not actor.strip():
        raise InputError("every case step must be signed by its user (actor)")
    if at.tzinfo is None:
        raise InputError("case steps need a timezone-aware time")


def open_case(actor: str, at: datetime, note: str = "") -> tuple[CaseStatus, CaseEvent]:
    """A new case in ``detected``."""
    _check_actor(actor, at)
    return CaseStatus(), CaseEvent("open", None, "detected", actor.strip(), at, None, note)


def move(
    status: CaseStatus,
    to: str,
    *,
    actor: str,
    at: datetime,
    outcome: str | None = None,
    note: str = "",
    max_reminders: int = DEFAULT_MAX_REMINDERS,
) -> tuple[CaseStatus, CaseEvent]:
    """Apply one move; ``to`` is a state, or ``remind`` / ``reopen``. Raise on an illegal move."""
    _check_actor(actor, at)
    actor = actor.strip()
    cur = status.state
    if to == "remind":
        if cur != "notice_sent":
            raise IllegalTransition(f"cannot send a reminder from {cur}: reminders follow a notice (notice_sent)")
        if status.reminders >= max_reminders:
            raise IllegalTransition(
                f"already {status.reminders} reminders (the limit is {max_reminders}); "
                "escalate: platform_complaint, settlement_offered or litigation"
            )
        return (replace(status, reminders=status.reminders + 1),
                CaseEvent("remind", cur, cur, actor, at, None, note))
    if to == "reopen":
        if cur != "closed":
            raise IllegalTransition(f"only a closed case can be reopened (this one is {cur})")
        return (replace(status, state="detected", outcome=None, reopened=status.reopened + 1),
                CaseEvent("reopen", cur, "detected", actor, at, None, note))
    if to == "closed":
        if outcome not in CLOSE_FROM:
            raise IllegalTransition(f"closing needs an outcome, one of {', '.join(OUTCOMES)}")
        if cur not in CLOSE_FROM[outcome]:
            allowed = ", ".join(s for s in STATES if s in CLOSE_FROM[outcome])
            raise IllegalTransition(f"cannot close as {outcome} from {cur} (only from: {allowed})")
        return (replace(status, state="closed", outcome=outcome),
                CaseEvent("close", cur, "closed", actor, at, outcome, note))
    if outcome is not None:
        raise IllegalTransition("an outcome is only given when closing a case")
    if to == "detected":
        raise IllegalTransition(f"a case cannot move back to detected from {cur} "
                                "(cases only move forward; a closed case is reopened with reopen)")
    if to not in MOVES:
        raise IllegalTransition(f"unknown case state {to!r}; states: {', '.join(STATES)}, or remind/reopen")
    if cur not in MOVES[to]:
        allowed = ", ".join(s for s in STATES if s in MOVES[to])
        raise IllegalTransition(f"cannot move a case from {cur} to {to} (only from: {allowed})")
    return replace(status, state=to), CaseEvent(ACTIONS[to], cur, to, actor, at, None, note)


def legal_moves(status: CaseStatus, max_reminders: int = DEFAULT_MAX_REMINDERS) -> list[str]:
    """The moves allowed now (``closed:<outcome>`` for closings)."""
    out = [t for t, src in MOVES.items() if status.state in src]
    if status.state == "notice_sent" and status.reminders < max_reminders:
        out.append("remind")
    out += [f"closed:{o}" for o in OUTCOMES if status.state in CLOSE_FROM[o]]
    if status.state == "closed":
        out.append("reopen")
    return out


def is_repeat_offender(case_count: int, reopened: int) -> bool:
    """A site with two or more cases, or with a case that had to be reopened."""
    return case_count >= 2 or reopened > 0
