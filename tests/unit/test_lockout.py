"""core.lockout: the sliding-window sign-in lockout rule, and WebConfig's per-worker share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsrights.core.lockout import Lockout, LockoutPolicy, decide, locked_for

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
W = timedelta(minutes=15)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def test_below_the_limit_is_allowed() -> None:
    assert locked_for([ago(10), ago(20)], 3, W, NOW) == 0.0
    assert locked_for([], 1, W, NOW) == 0.0


def test_at_the_limit_waits_until_the_limit_th_newest_leaves_the_window() -> None:
    # newest first: 10 s, 100 s, 400 s ago; limit 3 -> the 3rd newest (400 s ago) leaves in 900-400 s
    assert locked_for([ago(400), ago(10), ago(100)], 3, W, NOW) == pytest.approx(500.0)
    # more than the limit: still the limit-th newest (the older ones do not lengthen the wait)
    assert locked_for([ago(10), ago(100), ago(400), ago(800)], 3, W, NOW) == pytest.approx(500.0)
    assert locked_for([ago(10), ago(100), ago(400), ago(800)], 2, W, NOW) == pytest.approx(800.0)


def test_failures_outside_the_window_do_not_count() -> None:
    assert locked_for([ago(900), ago(1000), ago(5)], 2, W, NOW) == 0.0  # exactly window old: out
    assert locked_for([ago(-5), ago(5)], 2, W, NOW) == 0.0  # a future time is ignored


def test_decide_reports_the_locked_key_and_the_longer_wait() -> None:
    p = LockoutPolicy(W, max_user_failures=2, max_client_failures=3)
    assert decide([ago(1)], [ago(1), ago(2)], p, NOW) is None
    assert decide([ago(1), ago(2)], [], p, NOW) == Lockout("username", 898)
    assert decide([], [ago(1), ago(2), ago(3)], p, NOW) == Lockout("client", 897)
    both = decide([ago(100), ago(200)], [ago(1), ago(2), ago(3)], p, NOW)
    assert both == Lockout("client", 897)
    assert decide([ago(899.5), ago(899.9)], [], p, NOW) == Lockout("username", 1)  # rounded up, never 0


def test_policy_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        LockoutPolicy(timedelta(0))
    with pytest.raises(ValueError):
        LockoutPolicy(W, max_user_failures=0)


def test_each_worker_gets_its_share_of_the_allowance() -> None:
    from newsrights.api.config import WebConfig

    one = WebConfig(secret="s")
    assert one.share(50.0, 200) == (50.0, 200)
    four = WebConfig(secret="s", workers=4)
    assert four.share(50.0, 200) == (12.5, 50)
    assert four.share(10 / 60, 10) == (pytest.approx(10 / 240), 2)
    assert WebConfig(secret="s", workers=8).share(1.0, 3) == (0.125, 1)  # at least one token


def test_workers_and_lockout_knobs_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsrights.api.config import WebConfig
    from newsrights.errors import ConfigError
    from newsrights.settings import Settings

    monkeypatch.setenv("NEWSRIGHTS_SECRET", "s" * 40)
    monkeypatch.setenv("NEWSRIGHTS_WORKERS", "3")
    monkeypatch.setenv("NEWSRIGHTS_LOGIN_WINDOW_SECONDS", "60")
    monkeypatch.setenv("NEWSRIGHTS_LOGIN_MAX_USER_FAILURES", "2")
    monkeypatch.setenv("NEWSRIGHTS_LOGIN_MAX_CLIENT_FAILURES", "7")
    cfg = WebConfig.for_settings(Settings(db_url="sqlite://", home=tmp_path))
    assert cfg.workers == 3
    assert cfg.lockout_policy() == LockoutPolicy(timedelta(seconds=60), 2, 7)
    monkeypatch.setenv("NEWSRIGHTS_WORKERS", "many")
    with pytest.raises(ConfigError, match="NEWSRIGHTS_WORKERS"):
        WebConfig.for_settings(Settings(db_url="sqlite://", home=tmp_path))
