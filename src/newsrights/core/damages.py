"""Damages estimates, shown as ranges with their legal basis, and the limitation warning.

Bases (all amounts in fen, 1/100 yuan, to stay exact):

* **Licence fee** — 使用文字作品支付报酬办法 (National Copyright Administration and NDRC, 2014):
  basic fee for original works 80–300 yuan per 千字 (thousand characters); the statutory
  reprint/摘编 rate in newspapers and periodicals is 100 yuan per 千字. Counting: a remainder
  under 500 characters counts as half a 千字, a remainder of 500 or more as a whole 千字.
* **Infringer's gain** — the infringer's profit from the use, where known (Copyright Law Art. 54
  ¶1: actual loss or illegal gain; where hard to compute, by reference to the licence fee).
* **Wilful infringement** — 1 to 5 times the amount so determined where the infringement is
  wilful and the circumstances serious (Art. 54 ¶1).
* **Statutory damages** — where none of these can be determined, 500 to 5,000,000 yuan as the
  court decides (Art. 54 ¶2, as amended 2020).
* **Reasonable costs** — the right holder's reasonable expenses to stop the infringement
  (律师费, 诉讼费, 差旅费, 公证费, evidence and timestamp fees) are added (Art. 54 ¶3).

Limitation: 3 years from the day the right holder knew or should have known of the
infringement and the infringer (Civil Code Art. 188); :func:`limitation_status` warns within
``warn_days`` of the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

YUAN = 100  # fen per yuan

ORIGINAL_RATE_FEN = (80 * YUAN, 300 * YUAN)
REPRINT_RATE_FEN = 100 * YUAN
STATUTORY_FEN = (500 * YUAN, 5_000_000 * YUAN)
WILFUL_MULTIPLIER = (1, 5)
LIMITATION_YEARS = 3

COST_KINDS: dict[str, str] = {
    "lawyer": "律师费",
    "litigation": "诉讼费",
    "travel": "差旅费",
    "notary": "公证费",
    "evidence": "取证费",
    "timestamp": "时间戳费",
    "other": "其他合理开支",
}


def count_characters(text: str) -> int:
    """Characters that count toward 千字: every non-whitespace character."""
    return sum(1 for ch in text if not ch.isspace())


def thousand_char_units(chars: int) -> float:
    """千字 units by the 2014 rule: remainder < 500 → half a unit, ≥ 500 → one unit."""
    if chars <= 0:
        return 0.0
    whole, rest = divmod(chars, 1000)
    return whole + (0.0 if rest == 0 else 0.5 if rest < 500 else 1.0)


def licence_fee_fen(chars: int, rate_fen_per_k: int) -> int:
    """Fee for ``chars`` characters at ``rate_fen_per_k`` per 千字 (rounded to the fen)."""
    return round(thousand_char_units(chars) * rate_fen_per_k)


@dataclass(frozen=True, slots=True)
class Basis:
    """One line of the estimate: a low–high range and where it comes from."""

    name: str
    low_fen: int
    high_fen: int
    basis: str

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "low_yuan": self.low_fen / YUAN, "high_yuan": self.high_fen / YUAN,
                "basis": self.basis}


@dataclass(frozen=True, slots=True)
class DamagesEstimate:
    """The bases side by side, the range a claim would rest on, and the costs on top."""

    bases: tuple[Basis, ...]
    claim_low_fen: int
    claim_high_fen: int
    costs_fen: int
    notes: tuple[str, ...] = ()

    @property
    def total_low_fen(self) -> int:
        return self.claim_low_fen + self.costs_fen

    @property
    def total_high_fen(self) -> int:
        return self.claim_high_fen + self.costs_fen

    def to_json(self) -> dict[str, object]:
        return {
            "bases": [b.to_json() for b in self.bases],
            "claim_low_yuan": self.claim_low_fen / YUAN,
            "claim_high_yuan": self.claim_high_fen / YUAN,
            "reasonable_costs_yuan": self.costs_fen / YUAN,
            "total_low_yuan": self.total_low_fen / YUAN,
            "total_high_yuan": self.total_high_fen / YUAN,
            "notes": list(self.notes),
        }


def estimate(
    works: list[tuple[int, int]],
    *,
    costs_fen: int = 0,
    gain_fen: int | None = None,
    wilful: bool = False,
    rate_fen: tuple[int, int] = ORIGINAL_RATE_FEN,
) -> DamagesEstimate:
    """Estimate for ``works``: (characters of the work, number of infringing copies) pairs.

    The claim range is the licence-fee basis (or the gain, when known and larger) multiplied by
    1–5 when wilful, and never below the statutory floor when neither is determinable.
    """
    bases: list[Basis] = []
    notes: list[str] = []
    units = sum(thousand_char_units(chars) * copies for chars, copies in works)
    fee_low = round(units * rate_fen[0])
    fee_high = round(units * rate_fen[1])
    reprint = round(units * REPRINT_RATE_FEN)
    bases.append(Basis("licence_fee", fee_low, fee_high,
                       f"{units:g} 千字 × {rate_fen[0] / YUAN:g}–{rate_fen[1] / YUAN:g} yuan "
                       "(使用文字作品支付报酬办法 2014, original works)"))
    bases.append(Basis("reprint_rate", reprint, reprint,
                       f"{units:g} 千字 × {REPRINT_RATE_FEN / YUAN:g} yuan (2014 办法, reprint/摘编 rate)"))
    low, high = fee_low, fee_high
    if gain_fen is not None:
        bases.append(Basis("infringer_gain", gain_fen, gain_fen, "the infringer's gain (Copyright Law Art. 54 ¶1)"))
        low, high = max(low, gain_fen), max(high, gain_fen)
    if wilful:
        bases.append(Basis("wilful_multiplier", low * WILFUL_MULTIPLIER[0], high * WILFUL_MULTIPLIER[1],
                           "1–5 × for wilful infringement with serious circumstances (Art. 54 ¶1)"))
        high = high * WILFUL_MULTIPLIER[1]
    bases.append(Basis("statutory", STATUTORY_FEN[0], STATUTORY_FEN[1],
                       "500–5,000,000 yuan where loss, gain and fee cannot be determined (Art. 54 ¶2)"))
    if units == 0 and gain_fen is None:
        low, high = STATUTORY_FEN
        notes.append("no measurable work: the statutory range applies")
    bases.append(Basis("reasonable_costs", costs_fen, costs_fen,
                       "reasonable expenses to stop the infringement (Art. 54 ¶3), from the cost ledger"))
    return DamagesEstimate(tuple(bases), low, high, costs_fen, tuple(notes))


@dataclass(frozen=True, slots=True)
class Limitation:
    knew_on: date
    expires_on: date
    days_left: int
    warning: str | None

    def to_json(self) -> dict[str, object]:
        return {"knew_on": self.knew_on.isoformat(), "expires_on": self.expires_on.isoformat(),
                "days_left": self.days_left, "warning": self.warning}


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February: no corresponding day -> the last day of that month (Art. 202)
        return d.replace(year=d.year + years, day=28)


def limitation_status(knew: datetime | date, today: date, *, warn_days: int = 90) -> Limitation:
    """3-year limitation (Civil Code Art. 188) counted from the day after ``knew`` (Art. 201).

    The last day is the corresponding day three years on; where that month has no such day
    (29 February), the last day of the month is the last day (Art. 202: 没有对应日的，月末日为期间的
    最后一日). ``today`` is a China calendar day.
    """
    from newsrights.core.claims import china_date

    k = china_date(knew)
    expires = _add_years(k, LIMITATION_YEARS)
    left = (expires - today).days
    warning = None
    if left < 0:
        warning = f"limitation period expired on {expires.isoformat()} (Civil Code Art. 188: 3 years)"
    elif left <= warn_days:
        warning = f"limitation period ends on {expires.isoformat()}: {left} days left (Civil Code Art. 188)"
    return Limitation(k, expires, left, warning)


__all__ = [
    "COST_KINDS",
    "Basis",
    "DamagesEstimate",
    "Limitation",
    "count_characters",
    "estimate",
    "licence_fee_fen",
    "limitation_status",
    "thousand_char_units",
]
