"""Extraction quality gate: our HTML reader against other people's ground truth.

Sets (../shared/data): zh_web_extraction_gt_cwced (69 Chinese pages),
news_html_readability, news_html_fundus, news_html_trafilatura_eval. Metrics
are defined in :mod:`newsrights.ingest.evaluation` (main-text F1 is
bag-of-tokens F1, one token per CJK character or alphanumeric run). The
floors in ``extraction_floors.toml`` sit just below what was measured and
only rise: lowering one is a deliberate edit of that file, with a reason in
the commit. Each set's floors are tied to a digest of its pages, so a changed
corpus fails loudly instead of silently moving the bar.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from newsrights.ingest.evaluation import LOADERS, ours, score

pytestmark = pytest.mark.eval

FLOORS = tomllib.loads((Path(__file__).with_name("extraction_floors.toml")).read_text(encoding="utf-8"))


def _digest(cases) -> str:  # type: ignore[no-untyped-def]
    h = hashlib.sha256()
    for c in cases:
        h.update(c.name.encode())
        h.update(hashlib.sha256(c.data).digest())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_extraction_meets_floors(name: str, shared_data: Path) -> None:
    floors = FLOORS[name]
    cases = list(LOADERS[name](shared_data))
    assert len(cases) == floors["pages"], f"{name}: expected {floors['pages']} pages, found {len(cases)}"
    assert _digest(cases) == floors["digest"], (
        f"{name}: the evaluation pages changed; re-measure and re-pin the floors"
    )
    got = score(cases, ours)
    failures = []
    for metric, floor in floors.items():
        if metric in ("pages", "digest"):
            continue
        value = got[metric]
        assert value is not None, f"{name}: no page states {metric}"
        if value < floor:
            failures.append(f"{metric} {value:.4f} < floor {floor}")
    assert not failures, f"{name}: " + "; ".join(failures) + f" (all figures: {got})"
