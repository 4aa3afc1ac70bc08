"""Floors and ceilings: every violation is reported, missing figures too."""

from __future__ import annotations

from pathlib import Path

from newsrights.evalkit.gate import WHOLE_KINDS, check_floors, format_metrics, load_floors

FLOORS = Path(__file__).resolve().parents[2] / "eval" / "detection_floors.toml"


def test_check_floors_reports_every_violation() -> None:
    floors = {"floors": {"a": 0.9, "b": 0.5, "c": 0.1}, "ceilings": {"fp": 0}}
    bad = check_floors({"a": 0.8, "b": 0.6, "fp": 2.0}, floors)
    assert len(bad) == 3
    assert any(line.startswith("a = 0.8000 is under its floor 0.9") for line in bad)
    assert any("c: no such figure" in line for line in bad)
    assert any("fp = 2.0000 is over its ceiling 0" in line for line in bad)
    assert check_floors({"a": 0.9, "b": 0.5, "c": 0.1, "fp": 0.0}, floors) == []


def test_packaged_floors_meet_the_issue_targets() -> None:
    floors = load_floors(FLOORS)
    for name, target in floors["targets"].items():
        assert floors["floors"][name] >= target, f"floor of {name} is under the target {target}"
    text = format_metrics({"whole_recall": 1.0}, floors)
    assert "floor 0.99" in text and "target 0.99" in text


def test_whole_kinds_exclude_excerpts() -> None:
    assert "whole" in WHOLE_KINDS and "s2hk" in WHOLE_KINDS
    assert not any(k.startswith("excerpt") for k in WHOLE_KINDS)
