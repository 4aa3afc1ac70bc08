"""The case state machine: every legal move works, every illegal move is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsrights.core import cases as C
from newsrights.errors import IllegalTransition, InputError

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def status(state: str, **kw: int) -> C.CaseStatus:
    return C.CaseStatus(state=state, outcome="withdrawn" if state == "closed" else None, **kw)


def test_happy_path_to_a_won_case() -> None:
    st, ev = C.open_case("alice", T0)
    assert (st.state, ev.action, ev.actor) == ("detected", "open", "alice")
    for i, to in enumerate(["evidence_captured", "reviewed", "notice_sent", "remind", "remind",
                            "platform_complaint", "settlement_offered", "litigation"]):
        st, ev = C.move(st, to, actor="bob", at=T0 + timedelta(days=i))
        assert ev.actor == "bob" and ev.at == T0 + timedelta(days=i)
    assert st.reminders == 2
    st, ev = C.move(st, "closed", outcome="won", actor="carol", at=T0 + timedelta(days=30))
    assert (st.state, st.outcome, ev.from_state, ev.outcome) == ("closed", "won", "litigation", "won")


ALL_TARGETS = list(C.MOVES) + ["detected", "closed"]


@pytest.mark.parametrize("src", C.STATES)
@pytest.mark.parametrize("dst", ALL_TARGETS)
def test_every_plain_move(src: str, dst: str) -> None:
    st = status(src)
    if dst in C.MOVES and src in C.MOVES[dst]:
        new, ev = C.move(st, dst, actor="a", at=T0)
        assert new.state == dst and ev.from_state == src
    elif dst == "closed":
        with pytest.raises(IllegalTransition, match="outcome"):
            C.move(st, dst, actor="a", at=T0)
    else:
        with pytest.raises(IllegalTransition):
            C.move(st, dst, actor="a", at=T0)


EXPECTED_CLOSE = {
    "withdrawn": set(C.OPEN_STATES),
    "settled": {"notice_sent", "platform_complaint", "settlement_offered", "litigation"},
    "won": {"litigation"},
    "lost": {"litigation"},
}


@pytest.mark.parametrize("src", C.STATES)
@pytest.mark.parametrize("outcome", C.OUTCOMES)
def test_every_closing(src: str, outcome: str) -> None:
    st = status(src)
    if src in EXPECTED_CLOSE[outcome]:
        new, _ = C.move(st, "closed", outcome=outcome, actor="a", at=T0)
        assert (new.state, new.outcome) == ("closed", outcome)
    else:
        with pytest.raises(IllegalTransition):
            C.move(st, "closed", outcome=outcome, actor="a", at=T0)


def test_backwards_moves_are_refused() -> None:
    order = list(C.OPEN_STATES)
    for i, src in enumerate(order):
        for dst in order[:i + 1]:
            if dst == "detected" or dst not in C.MOVES:
                continue
            with pytest.raises(IllegalTransition):
                C.move(status(src), dst, actor="a", at=T0)


def test_reminders_are_limited() -> None:
    st = status("notice_sent")
    for _ in range(2):
        st, ev = C.move(st, "remind", actor="a", at=T0, max_reminders=2)
        assert ev.action == "remind" and st.state == "notice_sent"
    with pytest.raises(IllegalTransition, match="limit is 2"):
        C.move(st, "remind", actor="a", at=T0, max_reminders=2)
    for src in C.STATES:
        if src != "notice_sent":
            with pytest.raises(IllegalTransition):
                C.move(status(src), "remind", actor="a", at=T0)


def test_reopen_only_closed_cases() -> None:
    st, ev = C.move(status("closed"), "reopen", actor="a", at=T0)
    assert (st.state, st.outcome, st.reopened, ev.action) == ("detected", None, 1, "reopen")
    for src in C.OPEN_STATES:
        with pytest.raises(IllegalTransition):
            C.move(status(src), "reopen", actor="a", at=T0)


def test_closed_is_final_except_reopen() -> None:
    assert C.legal_moves(status("closed")) == ["reopen"]


def test_outcome_only_when_closing_and_unknown_states() -> None:
    with pytest.raises(IllegalTransition):
        C.move(status("detected"), "evidence_captured", outcome="won", actor="a", at=T0)
    with pytest.raises(IllegalTransition, match="unknown"):
        C.move(status("detected"), "archived", actor="a", at=T0)
    with pytest.raises(IllegalTransition):
        C.move(status("litigation"), "closed", outcome="draw", actor="a", at=T0)


def test_steps_must_be_signed_and_dated() -> None:
    with pytest.raises(InputError):
        C.move(status("detected"), "evidence_captured", actor="", at=T0)
    with pytest.raises(InputError):
        C.move(status("detected"), "evidence_captured", actor="a", at=datetime(2024, 1, 1))
    _, ev = C.move(status("detected"), "evidence_captured", actor=" a ", at=T0.astimezone(timezone(timedelta(hours=8))))
    assert ev.actor == "a"


def test_legal_moves_lists_what_move_accepts() -> None:
    for src in C.STATES:
        st = status(src)
        for m in C.legal_moves(st):
            to, _, outcome = m.partition(":")
            C.move(st, to, outcome=outcome or None, actor="a", at=T0)


def test_repeat_offender_rule() -> None:
    assert not C.is_repeat_offender(1, 0)
    assert C.is_repeat_offender(2, 0)
    assert C.is_repeat_offender(1, 1)


def test_moving_back_to_detected_says_why() -> None:
    """`detected` is a state, not an unknown one: the refusal names the rule instead."""
    with pytest.raises(IllegalTransition, match="cannot move back to detected.*reopen"):
        C.move(status("litigation"), "detected", actor="a", at=T0)
