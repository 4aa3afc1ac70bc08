"""Damages ranges with their basis, 千字 counting, limitation warnings."""

from __future__ import annotations

from datetime import date

from newsrights.core import damages as D


def test_thousand_character_counting() -> None:
    assert D.thousand_char_units(0) == 0
    assert D.thousand_char_units(1) == 0.5
    assert D.thousand_char_units(499) == 0.5
    assert D.thousand_char_units(500) == 1
    assert D.thousand_char_units(1000) == 1
    assert D.thousand_char_units(1499) == 1.5
    assert D.thousand_char_units(2600) == 3
    assert D.count_characters("国际 在线\n\nab") == 6


def test_licence_fee() -> None:
    assert D.licence_fee_fen(1200, 100 * 100) == 15_000  # 1.5 千字 × 100 yuan = 150 yuan


def test_estimate_ranges_and_bases() -> None:
    e = D.estimate([(2600, 1)], costs_fen=300_000)
    by = {b.name: b for b in e.bases}
    assert (by["licence_fee"].low_fen, by["licence_fee"].high_fen) == (3 * 8000, 3 * 30000)
    assert by["reprint_rate"].low_fen == 30000
    assert (by["statutory"].low_fen, by["statutory"].high_fen) == (50_000, 500_000_000)
    assert "2014" in by["licence_fee"].basis and "Art. 54" in by["statutory"].basis
    assert (e.claim_low_fen, e.claim_high_fen) == (24000, 90000)
    assert (e.total_low_fen, e.total_high_fen) == (324000, 390000)


def test_gain_and_wilful() -> None:
    e = D.estimate([(1000, 2)], gain_fen=1_000_000, wilful=True)
    assert e.claim_low_fen == 1_000_000 and e.claim_high_fen == 5_000_000
    assert any(b.name == "wilful_multiplier" for b in e.bases)


def test_no_measurable_work_falls_back_to_statutory() -> None:
    e = D.estimate([])
    assert (e.claim_low_fen, e.claim_high_fen) == D.STATUTORY_FEN


def test_limitation_warnings() -> None:
    knew = date(2021, 6, 1)
    ok = D.limitation_status(knew, date(2023, 1, 1))
    assert ok.expires_on == date(2024, 6, 1) and ok.warning is None
    near = D.limitation_status(knew, date(2024, 4, 1))
    assert near.days_left == 61 and "days left" in (near.warning or "")
    gone = D.limitation_status(knew, date(2024, 6, 2))
    assert gone.days_left == -1 and "expired" in (gone.warning or "")
    # Civil Code Art. 202: no corresponding day in February 2023 -> its last day, 28 February
    leap = D.limitation_status(date(2020, 2, 29), date(2023, 3, 1))
    assert leap.expires_on == date(2023, 2, 28) and leap.days_left == -1 and "expired" in (leap.warning or "")
