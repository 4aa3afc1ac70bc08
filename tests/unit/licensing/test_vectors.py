"""The verdict test vectors (tests/fixtures/licensing/verdict_vectors.toml) through the pure core."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsrights.core.credit import check_credit
from newsrights.core.model import VERDICTS
from newsrights.core.verdicts import decide
from tests.unit.licensing import vectors

DATA = vectors.load()
CASES = vectors.cases(DATA)


def test_vectors_cover_every_verdict() -> None:
    assert {c.expect for c in CASES} == set(VERDICTS)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_vector(case: vectors.Case) -> None:
    reg = vectors.registry(DATA, conflict=case.conflict)
    credit = check_credit(case.page, case.article, required_credit="来源:国际在线",
                          publisher_names=("国际在线",), publisher_domains=("cri.cn",), raw_html=case.raw_html)
    d = decide(case.finding, article=case.article, ownership=case.ownership, page=case.page,
               credit=credit, registry=reg, article_id=case.key)
    assert d.verdict == case.expect, d.reasons
    for want in case.reasons:
        assert any(r.startswith(want) for r in d.reasons), (want, d.reasons)
    assert d.registry_snapshot == reg.snapshot_id()
    assert d.registry_snapshot.startswith("reg-")


def test_same_inputs_same_verdict_and_snapshot() -> None:
    case = CASES[2]
    reg = vectors.registry(DATA)
    credit = check_credit(case.page, case.article)
    a = decide(case.finding, article=case.article, ownership=case.ownership, page=case.page, credit=credit, registry=reg)
    b = decide(case.finding, article=case.article, ownership=case.ownership, page=case.page, credit=credit,
               registry=vectors.registry(DATA))
    assert a == b


def test_snapshot_changes_when_terms_change() -> None:
    reg = vectors.registry(DATA)
    assert reg.snapshot_id() != replace(reg, conflict="perm").snapshot_id()
    assert reg.snapshot_id() != replace(reg, policies=reg.policies[1:]).snapshot_id()



def test_use_date_in_reasons_is_the_china_day() -> None:
    """The copy's date in the reasons is its calendar day in China, even when the time is in UTC."""
    from datetime import UTC, datetime

    case = next(c for c in CASES if c.expect == "out_of_scope")
    reg = vectors.registry(DATA, conflict=case.conflict)
    credit = check_credit(case.page, case.article, raw_html=case.raw_html)
    late = datetime(2026, 5, 31, 20, 0, tzinfo=UTC)  # 2026-06-01 04:00 in China
    d = decide(case.finding, article=case.article, ownership=case.ownership, page=case.page,
               credit=credit, registry=reg, article_id=case.key, when=late)
    use = [r for r in d.reasons if r.startswith("use: ")]
    assert use and use[0].endswith(" on 2026-06-01"), d.reasons
